package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// form posts a page's form as a browser does (url-encoded, with the session's CSRF field), as
// the officer signed in ("~officer").
func (f *fixture) form(path string, values url.Values) response {
	f.t.Helper()
	secret := f.sessions["officer"]
	values.Set("csrf", api.WorkspaceCSRF(secret))
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "placematch_session", Value: secret})
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// referAndAgree refers Amy to the fixture's home and has its provider accept, through the store.
func (f *fixture) referAndAgree() {
	f.t.Helper()
	if f.agree(catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin}), f.amy.ID, nil, []catalogue.PlacementID{f.place.ID}) != 1 {
		f.t.Fatal("the provider did not agree")
	}
}

// TestOfficerFormMistakes: each of the officer's forms answers a mistake with its own page
// again, an error summary linking to the control at fault (400, or 409 for a conflict), and
// writes nothing: no referral, no offer, no decision, no move.
func TestOfficerFormMistakes(t *testing.T) {
	t.Parallel()
	type state struct{ referrals, offers int }
	cases := []struct {
		name   string
		setup  func(f *fixture) string // returns the offer's ID, when the case makes one
		path   string                  // %s: Amy's ID, or the offer's
		values url.Values
		status int
		link   string // the error summary's link; "" for a summary without one
		says   string
		want   state // what is stored after
	}{
		{"refer to no home", nil, "/workspace/children/%s/referrals", url.Values{}, 400, "#placements", "must be chosen", state{0, 0}},
		{"refer to a home typed", nil, "/workspace/children/%s/referrals", url.Values{"placements": {"Okafor"}}, 400, "#placements", "must be homes of the options", state{0, 0}},
		{"refer to a home that is not one", nil, "/workspace/children/%s/referrals", url.Values{"placements": {"999999"}}, 400, "#placements", "no such placement", state{0, 0}},
		{"an offer before any home agrees", nil, "/workspace/children/%s/offers", url.Values{}, 409, "", "o provider has accepted", state{0, 0}},
		{"an offer of one home without a reason", func(f *fixture) string { f.referAndAgree(); return "" },
			"/workspace/children/%s/offers", url.Values{}, 400, "#one_choice_reason", "is required", state{1, 0}},
		{"a decision without a choice", offerFor, "/workspace/offers/%s/decision", url.Values{"version": {"1"}}, 400, "#decision", "must be chosen", state{1, 1}},
		{"a decision without the version", offerFor, "/workspace/offers/%s/decision", url.Values{"decision": {"declined"}}, 400, "", "reload the page", state{1, 1}},
		{"a decision on a stale version", offerFor, "/workspace/offers/%s/decision", url.Values{"version": {"7"}, "decision": {"declined"}, "reason": {"No."}}, 409, "", "", state{1, 1}},
		{"accepting a home not offered", offerFor, "/workspace/offers/%s/decision", url.Values{"version": {"1"}, "decision": {"999999"}}, 400, "#decision", "", state{1, 1}},
		{"a move before the decision", offerFor, "/workspace/offers/%s/placed", url.Values{"version": {"1"}, "on-day": {"1"}, "on-month": {"5"}, "on-year": {"2026"}}, 409, "", "only an accepted offer", state{1, 1}},
		{"a move on no real day", offerFor, "/workspace/offers/%s/placed", url.Values{"version": {"1"}, "on-day": {"31"}, "on-month": {"2"}, "on-year": {"2026"}}, 400, "#on-day", "must be a real date", state{1, 1}},
		{"a move in the future", offerFor, "/workspace/offers/%s/placed", url.Values{"version": {"1"}, "on-day": {"1"}, "on-month": {"1"}, "on-year": {"2099"}}, 400, "#on-day", "not in the future", state{1, 1}},
		{"a move for a reason not listed", offerFor, "/workspace/offers/%s/placed", url.Values{"version": {"1"}, "on-day": {"1"}, "on-month": {"1"}, "on-year": {"2099"}, "change-reason": {"BORED"}}, 400, "#on-day", "", state{1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := sqliteFixture(t)
			target := f.amy.ID.String()
			if c.setup != nil {
				if o := c.setup(f); o != "" {
					target = o
				}
			}
			r := f.form(fmt.Sprintf(c.path, target), c.values)
			body := string(r.body)
			if r.status != c.status || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("%d %s, want %d and a page: %.300s", r.status, r.header.Get("Content-Type"), c.status, body)
			}
			if !strings.Contains(body, `class="govuk-error-summary"`) {
				t.Errorf("no error summary")
			}
			if c.link != "" && !strings.Contains(body, `<a href="`+c.link+`">`) {
				t.Errorf("the error summary does not link to %s", c.link)
			}
			if !strings.Contains(body, c.says) {
				t.Errorf("the page does not say %q", c.says)
			}
			ctx := context.Background()
			rs, _ := f.store.ListReferrals(ctx, catalogue.Everything, catalogue.ReferralFilter{Child: f.amy.ID, Limit: 10})
			os, _ := f.store.ListOffers(ctx, catalogue.Everything, catalogue.OfferFilter{Child: f.amy.ID, Limit: 10})
			if got := (state{len(rs.Items), len(os.Items)}); got != c.want {
				t.Errorf("stored %+v, want %+v", got, c.want)
			}
			for _, o := range os.Items {
				if o.Status != catalogue.OfferProposed || o.Version != 1 {
					t.Errorf("the offer is %s at version %d: the mistake changed it", o.Status, o.Version)
				}
			}
		})
	}
}

// offerFor makes an offer to Amy of the fixture's home, agreed, as the officer's form would.
func offerFor(f *fixture) string {
	f.t.Helper()
	f.referAndAgree()
	r := f.form("/workspace/children/"+f.amy.ID.String()+"/offers", url.Values{"one_choice_reason": {"Only one home has a place."}})
	if r.status != http.StatusSeeOther {
		f.t.Fatalf("making the offer: %d %s", r.status, r.body)
	}
	return strings.TrimPrefix(r.header.Get("Location"), "/workspace/offers/")
}

// TestCaseFileStates: the referrals page tags each referral by its state: sent, read, agreed
// with the hold's end and the fee, declined with the reason, withdrawn with the officer's; only
// homes agreed now count towards the offer; another council's officer finds no such page.
func TestCaseFileStates(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin})
	now := f.store.Now()
	homes := []catalogue.Placement{f.place}
	for i, name := range []string{"Patel household", "Singh household", "Jones household", "Brown household"} {
		homes = append(homes, f.addHome(name, 53.46+float64(i)/100, -2.22, 1, nil))
	}
	rs := make([]catalogue.Referral, len(homes))
	for i, h := range homes {
		got, err := f.store.CreateReferrals(ctx, catalogue.Everything, []catalogue.Referral{{Child: f.amy.ID, Placement: h.ID, Deadline: now.Add(48 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		rs[i] = got[0]
	}
	answer := func(i int, a catalogue.ReferralResponse, hold time.Time) {
		if _, err := f.store.RespondReferral(ctx, catalogue.Everything, rs[i].ID, rs[i].Version, a, hold); err != nil {
			t.Fatal(err)
		}
	}
	answer(0, catalogue.ReferralResponse{Accepted: true, Impact: "Settles well.", WeeklyFee: 820}, now.Add(72*time.Hour))
	answer(1, catalogue.ReferralResponse{Decline: catalogue.DeclineNoCapacity}, time.Time{})
	if _, err := f.store.WithdrawReferral(ctx, catalogue.Everything, rs[2].ID, rs[2].Version, "The care plan changed."); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.MarkViewed(ctx, catalogue.Scope{Provider: homes[3].Provider}, rs[3].ID); err != nil {
		t.Fatal(err)
	}
	r := f.do("~officer", "GET", "/workspace/children/"+f.amy.ID.String()+"/referrals", nil)
	f.want(r, 200)
	body := string(r.body)
	for _, want := range []string{"Agreed", "£820 a week", "place held until", "Declined", "no capacity", "Withdrawn", "The care plan changed.", "Read, no answer yet",
		"Sent, not read yet", "answer by", "1 home has agreed", "Make an offer"} {
		if !strings.Contains(body, want) {
			t.Errorf("the referrals page does not say %q", want)
		}
	}
	if r := f.do("~leedsOfficer", "GET", "/workspace/children/"+f.amy.ID.String()+"/referrals", nil); r.status != 404 {
		t.Errorf("Leeds's officer: %d, want 404", r.status)
	}
}

// TestHistoryPageSections: a child's support plans show on their history page with each need
// and what answers it; check-ins are for their council's officers only, so an administrator's
// page leaves them out (as GET /v1/children/{id}/check-ins refuses them); another council's
// officer finds no such page.
func TestHistoryPageSections(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	plan := f.supportPlan()
	path := "/workspace/children/" + plan.Child.String() + "/history"
	cases := []struct {
		who       string
		status    int
		checkIns  bool
		wantPlans bool
	}{
		{"~officer", 200, true, true},
		{"~admin", 200, false, true},
		{"~leedsOfficer", 404, false, false},
		{"~manager", 403, false, false},
	}
	for _, c := range cases {
		r := f.do(c.who, "GET", path, nil)
		if r.status != c.status {
			t.Fatalf("%s: %d, want %d", c.who, r.status, c.status)
		}
		body := string(r.body)
		if got := strings.Contains(body, "<h2 class=\"govuk-heading-m\">Check-ins</h2>"); got != c.checkIns {
			t.Errorf("%s: check-ins shown %v, want %v", c.who, got, c.checkIns)
		}
		if got := strings.Contains(body, "For Patel household") && strings.Contains(body, "Trauma") && strings.Contains(body, "Not arranged yet"); got != c.wantPlans {
			t.Errorf("%s: support plan shown %v, want %v", c.who, got, c.wantPlans)
		}
	}
}

// TestRunPageRefreshes: a running run's page reloads itself (a meta refresh, and a button for
// those who turn it off) and says how far it is; a finished one does not reload.
func TestRunPageRefreshes(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	running, err := f.store.CreateMatchRun(ctx, catalogue.MatchRun{Council: manchester})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.RunProgress(ctx, running.ID, "search", 3, 12); err != nil {
		t.Fatal(err)
	}
	failed, err := f.store.CreateMatchRun(ctx, catalogue.MatchRun{Council: manchester})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.FailMatchRun(ctx, failed.ID, "the store went away"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		run     catalogue.MatchRunID
		refresh bool
		says    string
	}{
		{running.ID, true, "search, 3 of 12 (25%)"},
		{failed.ID, false, "The run failed: the store went away"},
	}
	for _, c := range cases {
		r := f.do("~officer", "GET", "/workspace/match-runs/"+c.run.String(), nil)
		f.want(r, 200)
		body := string(r.body)
		if got := strings.Contains(body, `http-equiv="refresh"`) && strings.Contains(body, "Refresh now"); got != c.refresh {
			t.Errorf("run %s: refreshes %v, want %v", c.run, got, c.refresh)
		}
		if !strings.Contains(body, c.says) {
			t.Errorf("run %s does not say %q", c.run, c.says)
		}
	}
	f.want(f.do("~leedsOfficer", "GET", "/workspace/match-runs/"+running.ID.String(), nil), 404)
}
