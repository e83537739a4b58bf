package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// matching adapts the match-run service to the API, as cmd does.
type matching struct{ svc *casework.Runs }

func (m matching) StartMatchRun(ctx context.Context, who catalogue.Principal, req api.MatchRunRequest) (catalogue.MatchRun, error) {
	return m.svc.Start(ctx, who, casework.RunParams{Council: req.Council, Region: req.Region, K: req.TopK})
}

func (m matching) SetPreferences(ctx context.Context, who catalogue.Principal, id catalogue.MatchRunID, prefs []catalogue.RunPreference) ([]catalogue.RunAllocation, error) {
	ps := make([]casework.Preference, len(prefs))
	for i, p := range prefs {
		ps[i] = casework.Preference{Child: p.Child, Ranked: p.Ranked, Neither: p.Neither}
	}
	return m.svc.SetPreferences(ctx, who, id, ps)
}

// withRuns is the fixture served with match runs: a second household near Manchester, so
// that Amy can have two offers.
func withRuns(t *testing.T, store *sqlstore.Store) *fixture {
	t.Helper()
	f := newFixture(t, store)
	ctx := context.Background()
	second := f.place
	second.ID, second.Name, second.Vacancies = 0, "Begum household", nil
	second.Location = catalogue.Location{Lat: 53.50, Lng: -2.30}
	pl, err := store.CreatePlacement(ctx, catalogue.Everything, second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: pl.ID, AvailableFrom: today, Status: catalogue.VacancyAvailable}); err != nil {
		t.Fatal(err)
	}
	// The fixture's engine learns of the new household, as the server's does.
	if err := f.engine.Touch(ctx, pl.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

type runBody struct {
	ID       int64  `json:"id"`
	Status   string `json:"status"`
	Council  string `json:"council"`
	Progress *struct {
		Stage string `json:"stage"`
	} `json:"progress"`
	Counts *struct {
		Children   int `json:"children"`
		OfferedTwo int `json:"offered_two"`
		OfferedOne int `json:"offered_one"`
	} `json:"counts"`
	Objective  *int64   `json:"objective"`
	LowerBound *int64   `json:"lower_bound"`
	GapBound   *float64 `json:"gap_bound"`
	Error      string   `json:"error"`
}

// waitRun polls a run until it is no longer running.
func (f *fixture) waitRun(t *testing.T, who string, id int64) runBody {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // measures a duration
	for {
		r := f.do(who, "GET", fmt.Sprintf("/v1/match-runs/%d", id), nil)
		f.want(r, 200)
		var b runBody
		r.json(t, &b)
		if b.Status != "running" {
			return b
		}
		if time.Now().After(deadline) { // measures a duration
			t.Fatalf("run %d still running: %+v", id, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMatchRunsAPI(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		f := withRuns(t, store)

		// An officer matches their council's children: 202 and where to look.
		r := f.do("officer", "POST", "/v1/match-runs", map[string]any{})
		f.want(r, 202)
		var started runBody
		r.json(t, &started)
		if started.Status != "running" || started.Council != string(manchester) || r.header.Get("Location") != fmt.Sprintf("/v1/match-runs/%d", started.ID) {
			t.Fatalf("started %+v, Location %q", started, r.header.Get("Location"))
		}
		run := f.waitRun(t, "officer", started.ID)
		if run.Status != "succeeded" || run.Counts == nil || run.Counts.Children != 1 || run.Counts.OfferedTwo != 1 || run.Objective == nil {
			t.Fatalf("run %+v: want succeeded, Amy offered two", run)
		}

		// The results: Amy's two offers, explained.
		r = f.do("officer", "GET", fmt.Sprintf("/v1/match-runs/%d/results", run.ID), nil)
		f.want(r, 200)
		var results struct {
			Items []struct {
				Child  int64 `json:"child"`
				Offers []struct {
					Role      string `json:"role"`
					Placement int64  `json:"placement"`
					Factors   []struct {
						Reason string `json:"reason"`
					} `json:"factors"`
				} `json:"offers"`
			} `json:"items"`
		}
		r.json(t, &results)
		if len(results.Items) != 1 || results.Items[0].Child != int64(f.amy.ID) || len(results.Items[0].Offers) != 2 ||
			results.Items[0].Offers[0].Role != "primary" || results.Items[0].Offers[0].Factors[0].Reason == "" {
			t.Fatalf("results %s", r.body)
		}
		audit, err := store.ListAudit(context.Background(), catalogue.AuditFilter{Subject: fmt.Sprintf("match_run:%d/results", run.ID)})
		if err != nil || len(audit.Items) != 1 || audit.Items[0].Council != manchester {
			t.Errorf("reading the results was not audited: %+v, %v", audit.Items, err)
		}

		// Another council's officer cannot see the run at all.
		f.want(f.do("leedsOfficer", "GET", fmt.Sprintf("/v1/match-runs/%d", run.ID), nil), 404)
		f.want(f.do("leedsOfficer", "GET", fmt.Sprintf("/v1/match-runs/%d/results", run.ID), nil), 404)

		// Amy prefers her back-up; the outcome says what she ends with.
		back := results.Items[0].Offers[1].Placement
		first := results.Items[0].Offers[0].Placement
		r = f.do("officer", "POST", fmt.Sprintf("/v1/match-runs/%d/preferences", run.ID),
			map[string]any{"preferences": []map[string]any{{"child": f.amy.ID, "ranked": []int64{back, first}}}})
		f.want(r, 200)
		var alloc struct {
			Allocation []struct {
				Child     int64  `json:"child"`
				Placement int64  `json:"placement"`
				EndsWith  string `json:"ends_with"`
				Stated    bool   `json:"preference_stated"`
			} `json:"allocation"`
		}
		r.json(t, &alloc)
		if len(alloc.Allocation) != 1 || alloc.Allocation[0].Placement != back || alloc.Allocation[0].EndsWith != "first_choice" || !alloc.Allocation[0].Stated {
			t.Fatalf("allocation %s", r.body)
		}
		r = f.do("officer", "GET", fmt.Sprintf("/v1/match-runs/%d/allocation", run.ID), nil)
		f.want(r, 200)
		var stored struct {
			Items []struct {
				Placement int64 `json:"placement"`
			} `json:"items"`
		}
		r.json(t, &stored)
		if len(stored.Items) != 1 || stored.Items[0].Placement != back {
			t.Fatalf("stored allocation %s", r.body)
		}

		// Bad preferences are 400s naming the field.
		for body, field := range map[string]string{
			`{"preferences": []}`: "preferences",
			fmt.Sprintf(`{"preferences": [{"child": %d, "ranked": [424242]}]}`, f.amy.ID):           "preferences[0].ranked[0]",
			fmt.Sprintf(`{"preferences": [{"child": %d, "ranked": []}]}`, f.amy.ID):                 "preferences[0].ranked",
			fmt.Sprintf(`{"preferences": [{"child": %d, "neither": true}]}`, f.leo.ID):              "preferences[0].child",
			fmt.Sprintf(`{"preferences": [{"child": %d, "ranked": [%d], "x": 1}]}`, f.amy.ID, back): "x",
			`{"preferences": [{"child": "amy"}]}`:                                                   "preferences.child",
		} {
			r := f.do("officer", "POST", fmt.Sprintf("/v1/match-runs/%d/preferences", run.ID), body)
			f.want(r, 400)
			p := r.problem(t)
			if len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: problem %+v, want the field %s", body, p, field)
			}
		}

		// An England-wide run: the Leeds officer sees it, counting Leeds's children only.
		r = f.do("admin", "POST", "/v1/match-runs", map[string]any{"top_k": 4})
		f.want(r, 202)
		r.json(t, &started)
		whole := f.waitRun(t, "admin", started.ID)
		if whole.Status != "succeeded" || whole.Counts.Children != 2 {
			t.Fatalf("England-wide run %+v: want both children", whole)
		}
		leedsView := f.waitRun(t, "leedsOfficer", started.ID)
		if leedsView.Counts.Children != 1 {
			t.Fatalf("the Leeds officer's counts %+v, want Leo only", leedsView.Counts)
		}
		r = f.do("leedsOfficer", "GET", fmt.Sprintf("/v1/match-runs/%d/results", started.ID), nil)
		f.want(r, 200)
		r.json(t, &results)
		if len(results.Items) != 1 || results.Items[0].Child != int64(f.leo.ID) {
			t.Fatalf("the Leeds officer sees %s", r.body)
		}
	})
}

func TestMatchRunsAPIRefuses(t *testing.T) {
	t.Parallel()
	f := withRuns(t, sqltest.SQLite(t))
	for _, tc := range []struct {
		who, body string
		status    int
		field     string
	}{
		{"officer", `{"council": "E08000035"}`, 403, "council"},
		{"officer", `{"region": "E12000002"}`, 403, "region"},
		{"admin", `{"council": "E99999999"}`, 400, "council"},
		{"admin", `{"region": "E12000099"}`, 400, "region"},
		{"admin", `{"top_k": 1000}`, 400, "top_k"},
		{"admin", `{"top_k": "eight"}`, 400, "top_k"},
		{"admin", `{"councl": "E08000003"}`, 400, "councl"},
		{"commissioner", `{}`, 403, ""},
		{"provider", `{}`, 403, ""},
	} {
		r := f.do(tc.who, "POST", "/v1/match-runs", tc.body)
		if r.status != tc.status {
			t.Errorf("%s %s: %d, want %d: %s", tc.who, tc.body, r.status, tc.status, r.body)
			continue
		}
		p := r.problem(t)
		if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
			t.Errorf("%s %s: problem %+v, want the field %s", tc.who, tc.body, p, tc.field)
		}
	}
	for _, path := range []string{"/v1/match-runs/424242", "/v1/match-runs/424242/results", "/v1/match-runs/424242/allocation"} {
		r := f.do("admin", "GET", path, nil)
		f.want(r, 404)
		r.problem(t)
	}
	r := f.do("admin", "GET", "/v1/match-runs/abc", nil)
	f.want(r, 400)
	if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != "id" {
		t.Errorf("a bad id: %+v", p)
	}
	r = f.do("admin", "GET", "/v1/match-runs/1/results?limit=9999", nil)
	f.want(r, 400)

	// Without a match-run service the routes say so.
	store := sqltest.SQLite(t)
	plain := newFixture(t, store)
	var err error
	plain.h, err = api.New(api.Config{Store: store, Matcher: plain.engine, Now: store.Now})
	if err != nil {
		t.Fatal(err)
	}
	r = plain.do("admin", "POST", "/v1/match-runs", `{}`)
	plain.want(r, 503)
	r.problem(t)
}
