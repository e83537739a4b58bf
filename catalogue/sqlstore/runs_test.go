package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// runResults is a result for each of the world's children: the two Birmingham children as a
// group offered two households, the Leeds child one household.
func runResults(w world, run catalogue.MatchRunID) []catalogue.RunResult {
	b0, b1, l := w.children[0], w.children[1], w.children[2]
	offer := func(role string, p catalogue.Placement) catalogue.RunOffer {
		return catalogue.RunOffer{Role: role, Placement: p.ID, Score: 0.71, Quality: 0.7, WeeklyCost: 780, HomeKm: 3.5, SchoolKm: -1, Cost: 3000,
			Factors: []catalogue.FactorScore{{Factor: catalogue.FactorNeeds, Weight: 0.2, Score: 0.9, Reason: "Trained for trauma."}}}
	}
	group := []catalogue.ChildID{b0.ID, b1.ID}
	return []catalogue.RunResult{
		{Run: run, Child: b0.ID, Council: birmingham, NeededBy: day(2026, time.December, 1), SiblingGroup: w.group.ID, Group: group, Suitable: 4, Complete: false,
			Offers: []catalogue.RunOffer{offer("primary", w.placements[0]), offer("backup", w.placements[1])}},
		{Run: run, Child: b1.ID, Council: birmingham, NeededBy: day(2026, time.December, 1), SiblingGroup: w.group.ID, Group: group, Suitable: 4,
			Offers: []catalogue.RunOffer{offer("primary", w.placements[0]), offer("backup", w.placements[1])}},
		{Run: run, Child: l.ID, Council: leeds, NeededBy: day(2026, time.December, 8), Suitable: 1, Complete: true, Reason: "Only one placement can take this child.",
			Rejected: []catalogue.RunRejection{{Constraint: "age", Count: 3, Example: "Approved for ages 0 to 4."}},
			Offers:   []catalogue.RunOffer{offer("primary", w.placements[2])}},
	}
}

func TestMatchRuns(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin, Request: "req-7"})
		w := newWorld(t, s)

		run := must[catalogue.MatchRun](t)(s.CreateMatchRun(ctx, catalogue.MatchRun{Policy: 1, TopK: 8, RequestedBy: 3}))
		if run.ID == 0 || run.Status != catalogue.RunRunning || run.StartedAt.IsZero() || run.Heartbeat.IsZero() {
			t.Fatalf("created run %+v", run)
		}
		if err := s.RunProgress(ctx, run.ID, "search", 10, 30); err != nil {
			t.Fatal(err)
		}
		got := must[catalogue.MatchRun](t)(s.MatchRun(ctx, everything, run.ID))
		if got.Stage != "search" || got.Done != 10 || got.Total != 30 || got.Status != catalogue.RunRunning {
			t.Fatalf("progress not kept: %+v", got)
		}

		// Nothing is visible before the run completes.
		page := must[catalogue.Page[catalogue.RunResult]](t)(s.ListRunResults(ctx, everything, run.ID, catalogue.RunPageFilter{}))
		if len(page.Items) != 0 {
			t.Fatalf("a running run has %d results", len(page.Items))
		}

		results := runResults(w, run.ID)
		done := run
		done.Children, done.Offered, done.OfferedOne, done.Objective, done.LowerBound, done.Separated = 3, 2, 1, 123456, 123000, 4
		done.GroupsPlanned, done.GroupsTogether, done.Widened, done.Solves = 1, 1, 2, 5
		done.Timings = catalogue.RunTimings{Search: 1500 * time.Millisecond, Flow: 250 * time.Millisecond, Total: 2 * time.Second}
		if err := s.CompleteMatchRun(ctx, done, results); err != nil {
			t.Fatal(err)
		}
		got = must[catalogue.MatchRun](t)(s.MatchRun(ctx, everything, run.ID))
		want := done
		want.Status, want.FinishedAt, want.Heartbeat, want.Stage, want.Done, want.Total = catalogue.RunSucceeded, got.FinishedAt, got.Heartbeat, "", 0, 0
		diff(t, "completed run", got, want)
		if got.FinishedAt.IsZero() {
			t.Error("a completed run has no finish time")
		}
		page = must[catalogue.Page[catalogue.RunResult]](t)(s.ListRunResults(ctx, everything, run.ID, catalogue.RunPageFilter{}))
		diff(t, "results", page.Items, results)

		// A completed run cannot complete again, nor fail.
		wantErr(t, s.CompleteMatchRun(ctx, done, nil), catalogue.ErrConflict)
		wantErr(t, s.FailMatchRun(ctx, run.ID, "late"), catalogue.ErrConflict)
		wantErr(t, s.RunProgress(ctx, run.ID, "flow", 0, 0), catalogue.ErrConflict)

		// Every child matched is audited.
		for _, c := range w.children {
			audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:" + c.ID.String()}))
			found := false
			for _, e := range audit.Items {
				found = found || (e.Action == "match" && e.Actor == 3 && e.Request == "req-7" && e.Council == c.Council)
			}
			if !found {
				t.Errorf("child %d: no audit entry for the match", c.ID)
			}
		}

		t.Run("scope", func(t *testing.T) {
			// The run is England-wide: an officer sees it, with only their council's children.
			b := must[catalogue.MatchRun](t)(s.MatchRun(ctx, officerBirmingham, run.ID))
			if b.Children != 2 || b.Offered != 2 || b.OfferedOne != 0 || b.GroupsPlanned != 1 || b.GroupsTogether != 1 {
				t.Errorf("Birmingham's counts %+v, want its two children as one group offered two", b)
			}
			l := must[catalogue.MatchRun](t)(s.MatchRun(ctx, officerLeeds, run.ID))
			if l.Children != 1 || l.Offered != 0 || l.OfferedOne != 1 || l.GroupsPlanned != 0 {
				t.Errorf("Leeds's counts %+v, want one child offered one", l)
			}
			lp := must[catalogue.Page[catalogue.RunResult]](t)(s.ListRunResults(ctx, officerLeeds, run.ID, catalogue.RunPageFilter{}))
			if len(lp.Items) != 1 || lp.Items[0].Child != w.children[2].ID {
				t.Errorf("Leeds sees results %+v", lp.Items)
			}
			// Camden has no child in the run, a provider and a commissioner see no runs.
			for name, sc := range map[string]catalogue.Scope{"camden": {Council: camden}, "provider": {Provider: w.agency.ID}, "commissioner": commissioner} {
				_, err := s.MatchRun(ctx, sc, run.ID)
				if err == nil {
					t.Errorf("%s sees the run", name)
				}
				wantErr(t, err, catalogue.ErrNotFound)
				_, err = s.ListRunResults(ctx, sc, run.ID, catalogue.RunPageFilter{})
				wantErr(t, err, catalogue.ErrNotFound)
			}
			// A council's own run is its officers' only.
			own := must[catalogue.MatchRun](t)(s.CreateMatchRun(ctx, catalogue.MatchRun{Council: leeds}))
			must[catalogue.MatchRun](t)(s.MatchRun(ctx, officerLeeds, own.ID))
			_, err := s.MatchRun(ctx, officerBirmingham, own.ID)
			wantErr(t, err, catalogue.ErrNotFound)
		})

		t.Run("pages", func(t *testing.T) {
			var seen []catalogue.ChildID
			var after catalogue.ChildID
			for {
				p := must[catalogue.Page[catalogue.RunResult]](t)(s.ListRunResults(ctx, everything, run.ID, catalogue.RunPageFilter{After: after, Limit: 2}))
				for _, r := range p.Items {
					seen = append(seen, r.Child)
				}
				if p.Next == 0 {
					break
				}
				after = catalogue.ChildID(p.Next)
			}
			if len(seen) != 3 || seen[0] >= seen[1] || seen[1] >= seen[2] {
				t.Errorf("pages of two gave %v", seen)
			}
		})

		t.Run("preferences", func(t *testing.T) {
			b0, l := w.children[0], w.children[2]
			prefs := []catalogue.RunPreference{{Run: run.ID, Child: b0.ID, Council: birmingham, Ranked: []catalogue.PlacementID{w.placements[1].ID, w.placements[0].ID}, By: 3}}
			alloc := []catalogue.RunAllocation{
				{Run: run.ID, Child: b0.ID, Council: birmingham, Placement: w.placements[1].ID, Outcome: catalogue.AllocFirstChoice, Stated: true},
				{Run: run.ID, Child: l.ID, Council: leeds, Outcome: catalogue.AllocNone, Reason: "gone"},
			}
			if err := s.SetRunPreferences(ctx, officerBirmingham, run.ID, prefs, alloc); err != nil {
				t.Fatal(err)
			}
			gotPrefs := must[[]catalogue.RunPreference](t)(s.ListRunPreferences(ctx, run.ID))
			if len(gotPrefs) != 1 || gotPrefs[0].Child != b0.ID || len(gotPrefs[0].Ranked) != 2 || gotPrefs[0].At.IsZero() {
				t.Fatalf("preferences %+v", gotPrefs)
			}
			// An officer sees their council's allocations only.
			ba := must[catalogue.Page[catalogue.RunAllocation]](t)(s.ListRunAllocations(ctx, officerBirmingham, run.ID, catalogue.RunPageFilter{}))
			if len(ba.Items) != 1 || ba.Items[0].Placement != w.placements[1].ID || ba.Items[0].Outcome != catalogue.AllocFirstChoice {
				t.Fatalf("Birmingham's allocation %+v", ba.Items)
			}
			all := must[catalogue.Page[catalogue.RunAllocation]](t)(s.ListRunAllocations(ctx, everything, run.ID, catalogue.RunPageFilter{}))
			if len(all.Items) != 2 || all.Items[1].Placement != 0 {
				t.Fatalf("allocation %+v", all.Items)
			}
			// A second say replaces the first, and a new allocation the old one.
			prefs[0].Neither, prefs[0].Ranked = true, nil
			alloc = alloc[:1]
			alloc[0].Placement, alloc[0].Outcome = 0, catalogue.AllocDeclined
			if err := s.SetRunPreferences(ctx, officerBirmingham, run.ID, prefs, alloc); err != nil {
				t.Fatal(err)
			}
			gotPrefs = must[[]catalogue.RunPreference](t)(s.ListRunPreferences(ctx, run.ID))
			if len(gotPrefs) != 1 || !gotPrefs[0].Neither || len(gotPrefs[0].Ranked) != 0 {
				t.Fatalf("second say %+v", gotPrefs)
			}
			all = must[catalogue.Page[catalogue.RunAllocation]](t)(s.ListRunAllocations(ctx, everything, run.ID, catalogue.RunPageFilter{}))
			if len(all.Items) != 1 || all.Items[0].Outcome != catalogue.AllocDeclined {
				t.Fatalf("second allocation %+v", all.Items)
			}
			// Another council's child is refused, naming the field, and nothing changes.
			leedsPref := []catalogue.RunPreference{{Run: run.ID, Child: l.ID, Council: leeds, Neither: true}}
			wantField(t, s.SetRunPreferences(ctx, officerBirmingham, run.ID, leedsPref, nil), "preferences[0].child")
			all = must[catalogue.Page[catalogue.RunAllocation]](t)(s.ListRunAllocations(ctx, everything, run.ID, catalogue.RunPageFilter{}))
			if len(all.Items) != 1 {
				t.Fatalf("a refused say changed the allocation: %+v", all.Items)
			}
			audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:" + b0.ID.String()}))
			n := 0
			for _, e := range audit.Items {
				if e.Action == "preference" {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d audit entries for the child's preferences, want 2", n)
			}
		})
	})
}

// TestMatchRunsFailAndInterrupt: a failed run keeps no results; a run whose process stopped
// is marked failed at start-up, and a live one is left alone.
func TestMatchRunsFailAndInterrupt(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)

		failed := must[catalogue.MatchRun](t)(s.CreateMatchRun(ctx, catalogue.MatchRun{Council: birmingham}))
		if err := s.FailMatchRun(ctx, failed.ID, "the catalogue could not be read"); err != nil {
			t.Fatal(err)
		}
		got := must[catalogue.MatchRun](t)(s.MatchRun(ctx, everything, failed.ID))
		if got.Status != catalogue.RunFailed || got.Error != "the catalogue could not be read" || got.FinishedAt.IsZero() {
			t.Fatalf("failed run %+v", got)
		}
		wantErr(t, s.CompleteMatchRun(ctx, failed, runResults(w, failed.ID)), catalogue.ErrConflict)
		page := must[catalogue.Page[catalogue.RunResult]](t)(s.ListRunResults(ctx, everything, failed.ID, catalogue.RunPageFilter{}))
		if len(page.Items) != 0 {
			t.Fatalf("a failed run has %d results", len(page.Items))
		}

		// A result for a child who does not exist rolls the whole completion back.
		bad := must[catalogue.MatchRun](t)(s.CreateMatchRun(ctx, catalogue.MatchRun{}))
		results := runResults(w, bad.ID)
		results = append(results, catalogue.RunResult{Run: bad.ID, Child: 999999, Council: leeds, NeededBy: day(2026, time.December, 1)})
		if err := s.CompleteMatchRun(ctx, bad, results); err == nil {
			t.Fatal("a result for a child who does not exist was stored")
		}
		got = must[catalogue.MatchRun](t)(s.MatchRun(ctx, everything, bad.ID))
		page = must[catalogue.Page[catalogue.RunResult]](t)(s.ListRunResults(ctx, everything, bad.ID, catalogue.RunPageFilter{}))
		if got.Status != catalogue.RunRunning || len(page.Items) != 0 {
			t.Fatalf("after a failed completion: status %s, %d results; want running, none", got.Status, len(page.Items))
		}

		// Interrupted: the heartbeat is old. The run just created is live.
		// (The store keeps microseconds: leave a little time either side of the cutoff.)
		sqltest.Clock(t, s).Advance(5 * time.Millisecond)
		cutoff := s.Now()
		sqltest.Clock(t, s).Advance(5 * time.Millisecond)
		live := must[catalogue.MatchRun](t)(s.CreateMatchRun(ctx, catalogue.MatchRun{}))
		n := must[int](t)(s.FailInterruptedRuns(ctx, cutoff))
		if n != 1 {
			t.Fatalf("%d runs marked interrupted, want 1 (the one left running)", n)
		}
		got = must[catalogue.MatchRun](t)(s.MatchRun(ctx, everything, bad.ID))
		if got.Status != catalogue.RunFailed || got.Error == "" {
			t.Fatalf("interrupted run %+v", got)
		}
		if got := must[catalogue.MatchRun](t)(s.MatchRun(ctx, everything, live.ID)); got.Status != catalogue.RunRunning {
			t.Fatalf("a live run was marked %s", got.Status)
		}
		if n := must[int](t)(s.FailInterruptedRuns(ctx, cutoff)); n != 0 {
			t.Fatalf("second sweep failed %d runs", n)
		}

		// Bad input names the field.
		_, err := s.CreateMatchRun(ctx, catalogue.MatchRun{Council: "E99999999"})
		wantField(t, err, "council")
		_, err = s.CreateMatchRun(ctx, catalogue.MatchRun{Region: "E12000099"})
		wantField(t, err, "region")
		_, err = s.MatchRun(ctx, everything, 424242)
		wantErr(t, err, catalogue.ErrNotFound)
	})
}
