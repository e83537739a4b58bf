package matcher

import (
	"context"
	"slices"
	"testing"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// TestScanAgreesWithAFullCheck: for every waiting child of a region, under the default policy
// and a tight one, Snapshot.Suitable lists exactly the placements that checking every placement
// of the snapshot passes, as many as a complete Options search passes; and Snapshot.Obstacles
// counts, constraint by constraint, what OnlyObstacle finds over every placement within the
// distance (and the kinship carers assessed for the children), without the index or the
// prefilter.
func TestScanAgreesWithAFullCheck(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	e := newTestEngine(t)
	snap := e.Snapshot()
	reqs := requests(w)
	if testing.Short() {
		reqs = reqs[:min(len(reqs), 60)]
	}
	tight := catalogue.DefaultPolicy()
	tight.MaxDistanceKm = 20
	short, obstacles := 0, 0
	for i, req := range reqs {
		for _, pol := range []catalogue.Policy{catalogue.DefaultPolicy(), tight} {
			prep, err := scoring.Prepare(req, pol)
			if err != nil {
				t.Fatal(err)
			}
			var want []int32
			for slot := range snap.placements {
				if !prep.Check(&snap.placements[slot]).Rejected() {
					want = append(want, int32(slot))
				}
			}
			got := snap.Suitable(prep)
			if !slices.Equal(got, want) {
				t.Fatalf("child %d, %.0f km: Suitable lists %d placements, a full check passes %d", req.Child.ID, pol.MaxDistanceKm, len(got), len(want))
			}
			res, err := e.Options(context.Background(), OptionsRequest{Request: req, Policy: pol})
			if err != nil {
				t.Fatal(err)
			}
			if res.Shortfall.Complete && res.Shortfall.Passed != len(got) {
				t.Fatalf("child %d, %.0f km: a complete Options search passed %d, Suitable %d", req.Child.ID, pol.MaxDistanceKm, res.Shortfall.Passed, len(got))
			}
			if len(got) < 2 {
				short++
			}
			if i%5 != 0 && len(got) >= 2 {
				continue // the obstacles of every child short of two, and of a fifth of the others
			}
			km := pol.MaxDistanceKm * 1.5
			if got, want := snap.Obstacles(prep, km), fullObstacles(snap, prep, km); got != want {
				t.Fatalf("child %d, within %.0f km: Obstacles counts %v, a full check %v", req.Child.ID, km, got, want)
			}
			obstacles++
		}
	}
	if short == 0 || obstacles < 50 {
		t.Fatalf("%d requests short of two choices, %d obstacle counts: the test checks too little", short, obstacles)
	}
	t.Logf("%d requests, %d short of two choices, %d obstacle counts", 2*len(reqs), short, obstacles)
}

// fullObstacles is what Obstacles counts, by checking every placement of the snapshot.
func fullObstacles(snap *Snapshot, prep *scoring.Prepared, km float64) [scoring.NConstraints]int32 {
	kids := prep.Children()
	home := scoring.Point(kids[0].Home)
	limit := s1.ChordAngleFromAngle(scoring.KmAngle(km))
	var out [scoring.NConstraints]int32
	for slot := range snap.placements {
		p := &snap.placements[slot]
		if p.Kind == catalogue.Kinship {
			if !slices.ContainsFunc(kids, func(c catalogue.Child) bool { return slices.Contains(p.ConnectedTo, c.ID) }) {
				continue
			}
		} else if s2.ChordAngleBetweenPoints(home, scoring.Point(p.Location)) > limit {
			continue
		}
		if c, ok := prep.OnlyObstacle(p); ok {
			out[slices.Index(scoring.Constraints, c)]++
		}
	}
	return out
}

// TestPrefilterCountsOnlyWhatCheckAllFinds: the prefilter never counts more broken constraints
// than CheckAll finds, distance apart (a scan for near misses adds it), so that a placement it
// says breaks two is never one a single rule keeps from the child.
func TestPrefilterCountsOnlyWhatCheckAllFinds(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	snap := newTestEngine(t).Snapshot()
	pairs, counted := 0, 0
	for i, req := range requests(w) {
		prep, err := scoring.Prepare(req, catalogue.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		f := newPrefilter(prep)
		for slot := range snap.placements {
			if slot%4 != i%4 {
				continue
			}
			pairs++
			broken := 0
			for _, r := range prep.CheckAll(&snap.placements[slot]) {
				if r.Constraint != scoring.ConstraintMaxDistance {
					broken++
				}
			}
			n := f.breaks(&snap.meta[slot], scoring.NConstraints)
			if n > broken {
				t.Fatalf("child %d, placement %d: the prefilter counts %d broken, CheckAll %d", req.Child.ID, snap.placements[slot].ID, n, broken)
			}
			if n >= 2 {
				counted++
			}
		}
	}
	if counted == 0 || counted == pairs {
		t.Fatalf("the prefilter counted two or more for %d of %d pairs: the test checks nothing", counted, pairs)
	}
	t.Logf("two or more counted for %d of %d pairs", counted, pairs)
}
