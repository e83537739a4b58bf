package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

type episodeBody struct {
	ID          int64    `json:"id"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	Reason      string   `json:"reason"`
	ReasonWords string   `json:"reason_words"`
	Setting     string   `json:"setting"`
	Placement   int64    `json:"placement"`
	DistanceKm  *float64 `json:"distance_km"`
}

type reviewBody struct {
	ID       int64  `json:"id"`
	Child    int64  `json:"child"`
	Reason   string `json:"reason"`
	Reviewed bool   `json:"reviewed"`
	Outcome  string `json:"outcome"`
	Version  int    `json:"version"`
}

// moveReview gives Amy a placement and moves her, unplanned, through the store: the review
// her move opened.
func (f *fixture) moveReview() catalogue.MoveReview {
	f.t.Helper()
	ctx := context.Background()
	// Made once: pathFor asks for one for the JSON route and the page alike.
	if page, err := f.store.ListMoveReviews(ctx, catalogue.Everything, catalogue.MoveReviewFilter{Child: f.amy.ID, Limit: 1}); err == nil && len(page.Items) > 0 {
		return page.Items[0]
	}
	if _, err := f.store.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: f.amy.ID,
		Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Placement: f.place.ID}); err != nil {
		f.t.Fatal(err)
	}
	res, err := f.store.MoveChild(ctx, catalogue.Everything, catalogue.Move{Child: f.amy.ID, On: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Reason: catalogue.ReasonChildRequest, Next: &catalogue.Episode{Setting: catalogue.SettingKinship, DistanceKm: 2}})
	if err != nil || res.Review == nil {
		f.t.Fatalf("move: %+v, %v", res, err)
	}
	return *res.Review
}

// placeAmy starts Amy's placement in the fixture's foster home and moves her, unplanned, to a
// council foster home: the history every test of these routes starts from.
func placeAmy(t *testing.T, f *fixture) reviewBody {
	t.Helper()
	amy := "/v1/children/" + id(f.amy.ID)
	r := f.do("officer", "POST", amy+"/episodes", map[string]any{"start": "2026-01-05", "placement": int64(f.place.ID)})
	f.want(r, 201)
	var started episodeBody
	r.json(t, &started)
	if started.Setting != "agency_foster" || started.DistanceKm == nil || started.Start != "2026-01-05" {
		t.Fatalf("started %+v", started)
	}
	r = f.do("officer", "POST", amy+"/moves", map[string]any{"on": "2026-06-01", "reason": "CREQB",
		"note": "The carers gave notice.", "next": map[string]any{"setting": "council_foster", "distance_km": 4.5, "placed_in": string(manchester)}})
	f.want(r, 201)
	var moved struct {
		Ended   episodeBody  `json:"ended"`
		Started *episodeBody `json:"started"`
		Review  *reviewBody  `json:"review"`
	}
	r.json(t, &moved)
	if moved.Ended.End != "2026-06-01" || moved.Ended.Reason != "CREQB" || moved.Started == nil || moved.Review == nil ||
		moved.Review.Reviewed || r.header.Get("Location") == "" {
		t.Fatalf("moved %+v (Location %q)", moved, r.header.Get("Location"))
	}
	return *moved.Review
}

func TestMovesAreChallenged(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	amy := "/v1/children/" + id(f.amy.ID)
	// A move needs a current placement first.
	f.want(f.do("officer", "POST", amy+"/moves", map[string]any{"on": "2026-06-01", "reason": "CARPL"}), 409)
	review := placeAmy(t, f)
	// A second first placement is a conflict: it needs a move, with a reason.
	f.want(f.do("officer", "POST", amy+"/episodes", map[string]any{"start": "2026-07-01", "setting": "kinship"}), 409)

	// Ending a placement without a reason is refused, naming the field, and writes nothing.
	r := f.do("officer", "POST", amy+"/moves", map[string]any{"on": "2026-09-01", "next": map[string]any{"setting": "kinship"}})
	f.want(r, 400)
	wantField(t, r, "reason")

	var h struct {
		Episodes  []episodeBody `json:"episodes"`
		Stability struct {
			InCare            bool     `json:"in_care"`
			Moves12m          int      `json:"moves_12m"`
			Placements12m     int      `json:"placements_12m"`
			UnplannedMoves12m int      `json:"unplanned_moves_12m"`
			DistanceKm        *float64 `json:"distance_km"`
		} `json:"stability"`
	}
	r = f.do("officer", "GET", amy+"/history", nil)
	f.want(r, 200)
	r.json(t, &h)
	if len(h.Episodes) != 2 || h.Episodes[0].ReasonWords == "" || h.Episodes[1].End != "" || !h.Stability.InCare ||
		h.Stability.Moves12m != 1 || h.Stability.Placements12m != 2 || h.Stability.UnplannedMoves12m != 1 ||
		h.Stability.DistanceKm == nil || *h.Stability.DistanceKm != 4.5 {
		t.Fatalf("history %+v", h)
	}

	// The officer's list of unplanned moves still to review is their council's.
	var page struct {
		Items []reviewBody `json:"items"`
	}
	r = f.do("officer", "GET", "/v1/move-reviews", nil)
	f.want(r, 200)
	r.json(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != review.ID || page.Items[0].Child != int64(f.amy.ID) {
		t.Fatalf("open reviews %+v", page.Items)
	}
	r = f.do("leedsOfficer", "GET", "/v1/move-reviews?status=all", nil)
	f.want(r, 200)
	r.json(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("Leeds sees %+v", page.Items)
	}

	// The review: concerns need findings; it is recorded once.
	// The review is the independent reviewing officer's: officers no longer record it.
	path := "/v1/move-reviews/" + catalogue.MoveReviewID(review.ID).String()
	f.want(f.do("officer", "PUT", path, map[string]any{"outcome": "satisfied", "version": review.Version}), 403)
	r = f.do("iro", "PUT", path, map[string]any{"outcome": "concerns_raised", "version": review.Version})
	f.want(r, 400)
	wantField(t, r, "findings")
	r = f.do("iro", "PUT", path, map[string]any{"outcome": "concerns_raised", "findings": "No disruption meeting was held.",
		"child_spoken_to": true, "version": review.Version})
	f.want(r, 200)
	var done reviewBody
	r.json(t, &done)
	if !done.Reviewed || done.Outcome != "concerns_raised" || done.Version != review.Version+1 {
		t.Errorf("reviewed %+v", done)
	}
	f.want(f.do("iro", "PUT", path, map[string]any{"outcome": "satisfied", "version": done.Version}), 409)
	r = f.do("officer", "GET", "/v1/move-reviews", nil)
	r.json(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("%d reviews still open", len(page.Items))
	}
	r = f.do("officer", "GET", "/v1/move-reviews?status=reviewed&child="+id(f.amy.ID), nil)
	r.json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("%d reviews done", len(page.Items))
	}
	f.want(f.do("officer", "GET", path, nil), 200)

	// Every read and change of the child's record is in the audit log.
	var audit struct {
		Items []struct {
			Action string `json:"action"`
			Role   string `json:"role"`
		} `json:"items"`
	}
	r = f.do("admin", "GET", "/v1/audit?subject=child:"+id(f.amy.ID)+"&limit=500", nil)
	f.want(r, 200)
	r.json(t, &audit)
	var actions []string
	for _, e := range audit.Items {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"start_placement", "move", "open_move_review", "read_history", "review_move", "read_move_review"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit of Amy %v lacks %s", actions, want)
		}
	}
}

// amyChecksIn records two check-ins of Amy's about her placement: settled, then not really,
// with what would help.
func amyChecksIn(t *testing.T, f *fixture) {
	t.Helper()
	for _, c := range []catalogue.CheckIn{
		{Child: f.amy.ID, Settled: catalogue.AnswerYes, Safe: catalogue.AnswerYes, Way: catalogue.WayFaces},
		{Child: f.amy.ID, Settled: catalogue.AnswerNotReally, Safe: catalogue.AnswerMostly, WouldHelp: "Seeing my nan"},
	} {
		if _, err := f.store.RecordCheckIn(context.Background(), catalogue.Scope{Council: manchester}, c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckInsAreForTheChildsOfficers(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	placeAmy(t, f)
	amyChecksIn(t, f)
	path := "/v1/children/" + id(f.amy.ID) + "/check-ins"
	r := f.do("officer", "GET", path, nil)
	f.want(r, 200)
	var got struct {
		Placement *episodeBody `json:"placement"`
		Plan      struct {
			Days   []int `json:"days"`
			Agreed bool  `json:"agreed"`
		} `json:"plan"`
		CheckIns []struct {
			Settled   string `json:"settled"`
			WouldHelp string `json:"would_help"`
		} `json:"check_ins"`
		Trend []struct {
			Question string `json:"question"`
			Latest   string `json:"latest"`
		} `json:"trend"`
		Flags []struct {
			Question string `json:"question"`
			Kind     string `json:"kind"`
			From, To string
			Message  string `json:"message"`
		} `json:"flags"`
	}
	r.json(t, &got)
	if got.Placement == nil || got.Placement.Start != "2026-06-01" || len(got.CheckIns) != 2 || got.CheckIns[1].WouldHelp != "Seeing my nan" ||
		len(got.Plan.Days) == 0 || got.Plan.Agreed || len(got.Trend) != 4 || got.Trend[0].Latest != "not_really" {
		t.Fatalf("check-ins %s", r.body)
	}
	if len(got.Flags) != 1 || got.Flags[0].Question != "settled" || got.Flags[0].Kind != "dropped" ||
		!strings.Contains(got.Flags[0].Message, "talk with Amy") {
		t.Errorf("flags %+v", got.Flags)
	}
	// Only the child's council's officers see them: not an administrator, a commissioner, a
	// provider, or another council's officer.
	f.want(f.do("admin", "GET", path, nil), 403)
	f.want(f.do("commissioner", "GET", path, nil), 403)
	f.want(f.do("provider", "GET", path, nil), 403)
	f.want(f.do("leedsOfficer", "GET", path, nil), 404)

	// The schedule agreed with the child.
	plan := "/v1/children/" + id(f.amy.ID) + "/check-in-plan"
	r = f.do("officer", "PUT", plan, map[string]any{"days": []int{3, 14, 42}, "then_every_days": 56, "version": 0})
	f.want(r, 200)
	var p struct {
		Days    []int `json:"days"`
		Agreed  bool  `json:"agreed"`
		Version int   `json:"version"`
	}
	r.json(t, &p)
	if !p.Agreed || p.Version != 1 || len(p.Days) != 3 {
		t.Errorf("plan %+v", p)
	}
	f.want(f.do("officer", "PUT", plan, map[string]any{"days": []int{7}, "version": 0}), 409)
	f.want(f.do("admin", "PUT", plan, map[string]any{"days": []int{7}, "version": 1}), 403)
}

func TestStabilityAggregates(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	// Seven Leeds children in care since 2022, one of whom moved three times this year.
	b := catalogue.Batch{}
	for i := range 7 {
		c := childIn(leeds, "Child")
		c.ID, c.Status, c.DateOfBirth = catalogue.ChildID(-i-1), catalogue.ChildPlaced, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
		b.Children = append(b.Children, c)
		b.Episodes = append(b.Episodes, catalogue.Episode{ID: catalogue.EpisodeID(-len(b.Episodes) - 1), Child: c.ID,
			Start: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), Setting: catalogue.SettingCouncilFoster, DistanceKm: 2, PlacedIn: leeds})
	}
	e := &b.Episodes[0]
	e.End, e.Reason = time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), catalogue.ReasonCarerBehaviour
	for k, d := range []string{"2026-01-10", "2026-04-01", "2026-08-01"} {
		start, _ := time.Parse(time.DateOnly, d)
		ep := catalogue.Episode{ID: catalogue.EpisodeID(-len(b.Episodes) - 1), Child: -1, Start: start,
			Setting: catalogue.SettingChildrensHome, DistanceKm: 60, PlacedIn: manchester}
		if k < 2 {
			next, _ := time.Parse(time.DateOnly, []string{"2026-04-01", "2026-08-01"}[k])
			ep.End, ep.Reason = next, catalogue.ReasonChildRequest
		}
		b.Episodes = append(b.Episodes, ep)
	}
	if _, err := f.store.Import(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Council     string `json:"council"`
		LookedAfter *int   `json:"looked_after"`
		Indicators  []struct {
			Name        string   `json:"name"`
			Count       *int     `json:"count"`
			Denominator *int     `json:"denominator"`
			Share       *float64 `json:"share"`
			Suppressed  bool     `json:"suppressed"`
		} `json:"indicators"`
	}
	r := f.do("leedsOfficer", "GET", "/v1/stability", nil)
	f.want(r, 200)
	r.json(t, &sum)
	if sum.Council != string(leeds) || sum.LookedAfter == nil || *sum.LookedAfter != 7 || len(sum.Indicators) == 0 {
		t.Fatalf("Leeds %s", r.body)
	}
	for _, ind := range sum.Indicators {
		switch ind.Name {
		case "three_plus_year", "over_20_miles":
			// One child of seven: a count of 1 is suppressed.
			if !ind.Suppressed || ind.Count != nil || ind.Share != nil {
				t.Errorf("%s not suppressed: %+v", ind.Name, ind)
			}
		case "long_term_stable":
			if ind.Suppressed || ind.Count == nil || *ind.Count != 6 || *ind.Denominator != 7 {
				t.Errorf("long-term stability %+v", ind)
			}
		}
	}
	// Commissioners see aggregates of any council, and England; providers none.
	f.want(f.do("commissioner", "GET", "/v1/stability?council="+string(leeds), nil), 200)
	r = f.do("commissioner", "GET", "/v1/stability?council=", nil)
	f.want(r, 200)
	sum.Council = "-"
	r.json(t, &sum)
	if sum.Council != "" || sum.LookedAfter == nil || *sum.LookedAfter != 7 {
		t.Errorf("England %s", r.body)
	}
	f.want(f.do("provider", "GET", "/v1/stability", nil), 403)
}

// TestHistoryRoutesScopeAndInput: every history route without a token is 401, outside the
// caller's council 404, and bad input a 400 naming the field, writing nothing.
func TestHistoryRoutesScopeAndInput(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	review := placeAmy(t, f)
	amy := "/v1/children/" + id(f.amy.ID)
	rev := "/v1/move-reviews/" + catalogue.MoveReviewID(review.ID).String()
	move := map[string]any{"on": "2026-09-01", "reason": "CARPL", "next": map[string]any{"setting": "kinship"}}
	routes := []struct {
		method, path string
		body         any
	}{
		{"GET", amy + "/history", nil},
		{"POST", amy + "/episodes", map[string]any{"start": "2026-10-01", "setting": "kinship"}},
		{"POST", amy + "/moves", move},
		{"GET", "/v1/move-reviews", nil},
		{"GET", rev, nil},
		{"PUT", rev, map[string]any{"outcome": "satisfied", "version": review.Version}},
		{"GET", amy + "/check-ins", nil},
		{"PUT", amy + "/check-in-plan", map[string]any{"days": []int{7}, "version": 0}},
		{"GET", "/v1/stability", nil},
	}
	for _, rt := range routes {
		if r := f.do("", rt.method, rt.path, rt.body); r.status != 401 {
			t.Errorf("%s %s without a token: %d", rt.method, rt.path, r.status)
		}
		// The Leeds officer may not learn that Amy, of Manchester, exists.
		if rt.path == "/v1/move-reviews" || rt.path == "/v1/stability" {
			continue // lists and aggregates: nothing of Amy's in them for Leeds
		}
		who := "leedsOfficer"
		if rt.method == "PUT" && rt.path == rev {
			who = "leedsIro" // the review is the IRO's to record
		}
		if r := f.do(who, rt.method, rt.path, rt.body); r.status != 404 {
			t.Errorf("%s %s by another council's officer: %d %s", rt.method, rt.path, r.status, r.body)
		}
	}

	bad := []struct {
		who, method, path string
		body              any
		field             string
	}{
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-09-01"}, "reason"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-09-01", "reason": "BORED"}, "reason"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "01/09/2026", "reason": "CARPL"}, "on"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-05-01", "reason": "CARPL"}, "on"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-09-01", "reason": "CHILD", "next": map[string]any{"setting": "boat"}}, "next.setting"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-09-01", "reason": "CHILD", "next": map[string]any{"placement": 99999}}, "next.placement"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-09-01", "reason": "PLACE"}, "next"},
		{"officer", "POST", amy + "/moves", map[string]any{"on": "2026-09-01", "reason": "CARPL", "colour": "blue"}, "colour"},
		{"officer", "POST", amy + "/episodes", map[string]any{"setting": "kinship"}, "start"},
		{"leedsOfficer", "POST", "/v1/children/" + id(f.leo.ID) + "/episodes", map[string]any{"start": "2026-01-01", "setting": "kinship", "distance_km": -5}, "distance_km"},
		{"admin", "POST", "/v1/children/" + id(f.leo.ID) + "/episodes", map[string]any{"start": "2026-01-01"}, "setting"},
		{"officer", "GET", amy + "/history?on=2099-01-01", nil, "on"},
		{"officer", "GET", amy + "/history?since=2020-01-01", nil, "since"},
		{"officer", "GET", "/v1/move-reviews?status=maybe", nil, "status"},
		{"iro", "PUT", rev, map[string]any{"outcome": "great", "version": review.Version}, "outcome"},
		{"iro", "PUT", rev, map[string]any{"outcome": "satisfied"}, "version"},
		{"officer", "PUT", amy + "/check-in-plan", map[string]any{"days": []int{}, "version": 0}, "days"},
		{"officer", "PUT", amy + "/check-in-plan", map[string]any{"days": []int{14, 7}, "version": 0}, "days[1]"},
		{"officer", "GET", "/v1/stability?council=XYZ", nil, "council"},
		{"officer", "GET", "/v1/children/abc/history", nil, "id"},
	}
	for _, tc := range bad {
		t.Run(tc.method+" "+tc.path+" "+tc.field, func(t *testing.T) {
			r := f.do(tc.who, tc.method, tc.path, tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			wantField(t, r, tc.field)
		})
	}
	// Nothing above was written: Amy still has her two placements, Leo none, the review open.
	for _, c := range []struct {
		child catalogue.ChildID
		n     int
	}{{f.amy.ID, 2}, {f.leo.ID, 0}} {
		eps, err := f.store.History(context.Background(), catalogue.Everything, c.child)
		if err != nil || len(eps) != c.n {
			t.Errorf("child %d has %d episodes (%v), want %d", c.child, len(eps), err, c.n)
		}
	}
	if r, err := f.store.MoveReview(context.Background(), catalogue.Everything, catalogue.MoveReviewID(review.ID)); err != nil || r.Reviewed() {
		t.Errorf("review %+v, %v", r, err)
	}
}

// catalogueOnly hides every method of the store but api.Store's: it keeps no placement
// histories, check-ins or support plans.
type catalogueOnly struct{ api.Store }

func TestHistoryNotKept(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	h, err := api.New(api.Config{Store: catalogueOnly{f.store}, Matcher: f.engine, Now: f.store.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	r := f.do("officer", "GET", "/v1/children/"+id(f.amy.ID)+"/history", nil)
	f.want(r, 501)
	r.problem(t)
}

func TestHistoryOnPostgres(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sqltest.Postgres(t))
	review := placeAmy(t, f)
	f.want(f.do("officer", "GET", "/v1/children/"+id(f.amy.ID)+"/history", nil), 200)
	f.want(f.do("leedsOfficer", "GET", "/v1/move-reviews/"+catalogue.MoveReviewID(review.ID).String(), nil), 404)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/moves", map[string]any{"on": "2026-09-01"})
	f.want(r, 400)
	wantField(t, r, "reason")
}
