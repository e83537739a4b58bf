package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// farInstants are where TestNoDateBombs sets the one clock: a decade behind the tests' epoch and
// a dozen years ahead, at hours where the day or the year is about to turn.
var farInstants = []time.Time{
	time.Date(2016, time.February, 29, 23, 30, 0, 0, time.UTC), // a leap day, half an hour to midnight
	time.Date(2038, time.December, 31, 23, 0, 0, 0, time.UTC),  // the last hour of a year, past 2038's 32-bit limit
}

// TestNoDateBombs runs every path that reads the clock (options and offers, the child's link and
// session, check-in schedules and links, history indicators, retention) with the clock years
// away from today, ahead and behind, and moves the clock on to see each expire or fall due when
// it should. Nothing may depend on the day the test runs. Later paths that read the clock join
// this test.
func TestNoDateBombs(t *testing.T) {
	t.Parallel()
	stores := []struct {
		backend string
		open    func(testing.TB, ...sqltest.Option) *sqlstore.Store
	}{{sqlstore.BackendSQLite, sqltest.SQLite}, {sqlstore.BackendPostgres, sqltest.Postgres}}
	for _, at := range farInstants {
		for _, st := range stores {
			t.Run(at.Format(time.DateOnly)+"/"+st.backend, func(t *testing.T) {
				t.Parallel()
				testFarFromToday(t, newOfferFixture(t, st.open(t, sqltest.At(at))))
			})
		}
	}
}

func testFarFromToday(t *testing.T, f *offerFixture) {
	clock := sqltest.Clock(t, f.store)
	ctx := context.Background()

	// Options, an offer and its link, which lasts the 7 days asked for; the session it
	// opens lasts 24 hours.
	o, link := f.makeOffer(f.amy.ID)
	page := fmt.Sprintf("/child/offers/%d", o.ID)
	kid := f.visitor("192.0.2.10")
	f.want(kid.do("POST", link, nil), 303)
	if r := kid.do("GET", page, nil); r.status != 200 || !strings.Contains(string(r.body), "Amy") {
		t.Fatalf("the child's page on %s: %d %s", f.store.Now(), r.status, r.body)
	}
	clock.Advance(23 * time.Hour)
	f.want(kid.do("GET", page, nil), 200)
	clock.Advance(2 * time.Hour)
	if r := kid.do("GET", page, nil); r.status != 401 || !strings.Contains(string(r.body), "Your time on this page has ended") {
		t.Errorf("a session 25 hours old: %d %s", r.status, r.body)
	}
	sendLink := func() string {
		t.Helper()
		r := f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/send", o.ID), map[string]any{"expires_in_days": 7})
		f.want(r, 201)
		var sent checkInLinkBody
		r.json(t, &sent)
		if d := sent.Link.ExpiresAt.Sub(f.store.Now()); d != 7*24*time.Hour {
			t.Errorf("a link for 7 days runs out in %v", d)
		}
		return strings.TrimPrefix(sent.Link.URL, "http://example.com")
	}
	fresh := sendLink()
	clock.Advance(7*24*time.Hour - time.Minute)
	f.want(f.visitor("192.0.2.11").do("POST", fresh, nil), 303)
	stale := sendLink()
	clock.Advance(7*24*time.Hour + time.Minute)
	f.want(f.visitor("192.0.2.12").do("GET", stale, nil), 404)

	// Check-ins: due a week after a move, not before; the check-in link opens.
	f.placeAmySince(3)
	if b := f.checkIns(); b.Schedule.Due {
		t.Errorf("a check-in is due 3 days after the move: %s", b.Schedule.Message)
	}
	clock.Advance(5 * 24 * time.Hour)
	if b := f.checkIns(); !b.Schedule.Due {
		t.Errorf("no check-in is due 8 days after the move: %s", b.Schedule.Message)
	}
	checkIn := f.checkInLink()
	visit := f.visitor("192.0.2.13")
	f.want(visit.do("POST", checkIn, nil), 303)
	f.want(visit.do("GET", "/child/check-in", nil), 200)

	// History: the move 8 days ago counts in the last 12 months, and not a year on.
	moves := func() int {
		t.Helper()
		r := f.do("officer", "GET", "/v1/children/"+id(f.amy.ID)+"/history", nil)
		f.want(r, 200)
		var h struct {
			Stability struct {
				Placements12m int `json:"placements_12m"`
			} `json:"stability"`
		}
		r.json(t, &h)
		return h.Stability.Placements12m
	}
	if n := moves(); n != 1 {
		t.Errorf("placements in 12 months, 8 days after the move: %d, want 1", n)
	}
	clock.Advance(366 * 24 * time.Hour)
	if n := moves(); n != 1 {
		t.Errorf("placements in 12 months a year on, still there: %d, want 1 (the placement goes on)", n)
	}

	// Retention: links that ran out more than 30 days ago are deleted, not those that
	// ran out since.
	keep := sqlstore.Retention{ClosedAfter: 2 * 365 * 24 * time.Hour, LinksAfter: 400 * 24 * time.Hour}
	res, err := f.store.Retain(ctx, keep)
	if err != nil || res.Links != 0 {
		t.Errorf("retention kept links for 400 days, a year on: deleted %d (%v), want none", res.Links, err)
	}
	keep.LinksAfter = 30 * 24 * time.Hour
	if res, err = f.store.Retain(ctx, keep); err != nil || res.Links == 0 {
		t.Errorf("retention of links past 30 days, a year on: deleted %d (%v), want some", res.Links, err)
	}
}
