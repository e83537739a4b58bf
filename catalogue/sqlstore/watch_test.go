package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/synth"
)

type notice struct {
	ids []catalogue.PlacementID
	all bool
}

// TestWatchPlacements: on PostgreSQL every committed change to a placement or its places is
// announced with the placement's ID; a rolled-back one is not; an import of many is "reload
// everything". The embedded store has nothing to watch.
func TestWatchPlacements(t *testing.T) {
	t.Parallel()
	if err := sqltest.SQLite(t).WatchPlacements(context.Background(), func([]catalogue.PlacementID, bool) {
		t.Error("the embedded store announced a change")
	}); err != nil {
		t.Fatal(err)
	}

	s := sqltest.Postgres(t)
	w := newWorld(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan notice, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.WatchPlacements(ctx, func(ids []catalogue.PlacementID, all bool) { got <- notice{ids, all} })
	}()
	next := func(what string) notice {
		t.Helper()
		select {
		case n := <-got:
			return n
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no notice", what)
		}
		return notice{}
	}
	// The listener is up once a change made now is announced.
	p := w.placements[1]
	deadline := s.Now().Add(10 * time.Second) // measures a duration
	for {
		must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		select {
		case n := <-got:
			if n.all || !slices.Contains(n.ids, p.ID) {
				t.Fatalf("a new place of %d announced as %+v", p.ID, n)
			}
		case <-time.After(300 * time.Millisecond):
			if s.Now().After(deadline) { // measures a duration
				t.Fatal("no notice of a new place")
			}
			continue
		}
		break
	}
	drain(got)

	// A change to the placement itself.
	pl := must[catalogue.Placement](t)(s.Placement(ctx, everything, p.ID))
	pl.WeeklyCost++
	must[catalogue.Placement](t)(s.UpdatePlacement(ctx, everything, pl))
	if n := next("update"); n.all || !slices.Equal(n.ids, []catalogue.PlacementID{p.ID}) {
		t.Errorf("update announced as %+v", n)
	}

	// A failed write announces nothing: this vacancy breaks the approval and is refused.
	_, err := s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyHeld, Child: 999999})
	if err == nil {
		t.Fatal("a vacancy held for a child who does not exist was stored")
	}
	select {
	case n := <-got:
		t.Errorf("a refused write was announced: %+v", n)
	case <-time.After(200 * time.Millisecond):
	}

	// An import of many placements: reload everything.
	cfg := synth.Scaled(0.02)
	b, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Placements) <= 500 {
		t.Fatalf("only %d placements: too few to test the bulk notice", len(b.Placements))
	}
	if _, err := s.Import(ctx, b); err != nil {
		t.Fatal(err)
	}
	sawAll := false
	for !sawAll {
		sawAll = next("import").all
	}
	cancel()
	<-done
}

func drain(ch chan notice) {
	for {
		select {
		case <-ch:
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

// TestWatchRecoversAfterRestarts: PostgreSQL restarted three times under a watch; after each,
// the watch connects again and asks for a full reload within a second of the server being
// back, however many restarts came before, and changes made after are announced again.
func TestWatchRecoversAfterRestarts(t *testing.T) {
	t.Parallel()
	pg := sqltest.OwnCluster(t)
	s := pg.Store(t)
	w := newWorld(t, s)
	p := w.placements[1]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan notice, 64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.WatchPlacements(ctx, func(ids []catalogue.PlacementID, all bool) { got <- notice{ids, all} })
	}()
	// announced makes changes until one is announced: the listener is up.
	announced := func(what string) {
		t.Helper()
		sw := catalogue.StartStopwatch()
		for {
			pl := must[catalogue.Placement](t)(s.Placement(ctx, everything, p.ID))
			pl.WeeklyCost++
			must[catalogue.Placement](t)(s.UpdatePlacement(ctx, everything, pl))
			select {
			case n := <-got:
				if !n.all && slices.Contains(n.ids, p.ID) {
					drain(got)
					return
				}
				continue
			case <-time.After(300 * time.Millisecond):
			}
			if sw.Elapsed() > 10*time.Second {
				t.Fatalf("%s: no notice of a new place", what)
			}
		}
	}
	announced("at start")
	for i := range 3 {
		pg.Stop(t)
		// Down for a while, as in a real restart: long enough for the watch's retries to back off.
		time.Sleep(time.Duration(i+1) * 700 * time.Millisecond)
		pg.Start(t)
		back := catalogue.StartStopwatch()
		select {
		case n := <-got:
			if !n.all {
				t.Fatalf("restart %d: first notice %+v, want a full reload", i+1, n)
			}
			if d := back.Elapsed(); d >= time.Second {
				t.Errorf("restart %d: the watch resynchronised %v after the server was back, want under a second", i+1, d.Round(time.Millisecond))
			} else {
				t.Logf("restart %d: resynchronised %v after the server was back", i+1, d.Round(time.Millisecond))
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("restart %d: no full reload within 20 s of the server being back", i+1)
		}
		announced(fmt.Sprintf("after restart %d", i+1))
	}
	cancel()
	<-done
}
