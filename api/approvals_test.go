package api_test

import (
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestApprovalWatchRoute: GET /v1/approval-watch lists an officer's kinship home as its
// temporary approval nears its deadline by the service's clock: not yet at 16 weeks less five,
// lapsing within four weeks (the default) and within a window asked, then lapsed (listed only
// while a child lives there: here none does, so it drops off). Another council's officer never
// sees it; a window outside 1 to 24 weeks is 400 naming within_weeks.
func TestApprovalWatchRoute(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("officer", "POST", "/v1/placements", f.kinshipBody(f.amy.ID)) // approved on the fixture's day: lapses 2027-03-14
	f.want(r, 201)
	var home struct {
		ID int64 `json:"id"`
	}
	r.json(t, &home)
	clock := sqltest.Clock(t, f.store)
	type watch struct {
		Today   string `json:"today"`
		Lapsing []struct {
			Placement struct {
				ID int64 `json:"id"`
			} `json:"placement"`
			Deadline string `json:"deadline"`
		} `json:"lapsing"`
		Lapsed []any `json:"lapsed"`
	}
	listed := func(who, query string) (bool, watch) {
		t.Helper()
		var w watch
		r := f.do(who, "GET", "/v1/approval-watch"+query, nil)
		f.want(r, 200)
		r.json(t, &w)
		for _, h := range w.Lapsing {
			if h.Placement.ID == home.ID {
				if h.Deadline != "2027-03-14" {
					t.Errorf("deadline %s, want 2027-03-14", h.Deadline)
				}
				return true, w
			}
		}
		return false, w
	}
	cases := []struct {
		days     int // after the approval
		query    string
		want     bool
		wantDate string
	}{
		{0, "", false, "2026-11-22"},
		{77, "", false, "2027-02-07"},                // five weeks before the deadline
		{77, "?within_weeks=5", true, "2027-02-07"},  // within the window asked
		{84, "", true, "2027-02-14"},                 // four weeks before: the default window
		{111, "?within_weeks=1", true, "2027-03-13"}, // the day before it lapses
		{112, "", false, "2027-03-14"},               // lapsed, and nobody lives there
	}
	at := 0
	for _, tc := range cases {
		clock.Advance(time.Duration(tc.days-at) * 24 * time.Hour)
		at = tc.days
		got, w := listed("officer", tc.query)
		if got != tc.want || w.Today != tc.wantDate {
			t.Errorf("day %d%s: listed %v on %s, want %v on %s", tc.days, tc.query, got, w.Today, tc.want, tc.wantDate)
		}
		if len(w.Lapsed) != 0 {
			t.Errorf("day %d: lapsed %v, want none (no child lives there)", tc.days, w.Lapsed)
		}
		if got, _ := listed("leedsOfficer", "?within_weeks=24"); got {
			t.Errorf("day %d: another council's officer sees the home", tc.days)
		}
	}
	for _, q := range []string{"?within_weeks=0", "?within_weeks=25", "?within_weeks=four"} {
		r := f.do("officer", "GET", "/v1/approval-watch"+q, nil)
		f.want(r, 400)
		if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "within_weeks" {
			t.Errorf("%s: %+v, want one error naming within_weeks", q, p)
		}
	}
}
