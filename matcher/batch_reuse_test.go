package matcher

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/placematch/placematch/catalogue"
)

// TestMatchReusingSearchesEqualsMatchFromScratch: a match that keeps the searches no new
// placement could change (MatchRequest.Reuse) gives exactly the match searched afresh, over
// random additions: near children (whose searches must be redone), far from everyone (all
// kept), kinship carers for a child, homes for groups.
func TestMatchReusingSearchesEqualsMatchFromScratch(t *testing.T) {
	t.Parallel()
	w := westYorkshire()
	// A short distance, so that a placement added near one child is out of others' reach.
	pol := catalogue.DefaultPolicy()
	pol.MaxDistanceKm = 15
	base := match(t, w.engine(), MatchRequest{Children: w.requests, Policy: pol, KeepSearches: true})
	if base.Searches == nil {
		t.Fatal("the match kept no searches")
	}
	var last catalogue.PlacementID
	for _, p := range w.Placements {
		last = max(last, p.ID)
	}
	for _, tc := range []struct {
		name        string
		seed        uint64
		add         int
		far, kin    bool
		wantAllKept bool
	}{
		{name: "one near a child", seed: 1, add: 1},
		{name: "five near children", seed: 2, add: 5},
		{name: "twelve near children", seed: 3, add: 12},
		{name: "three near children", seed: 4, add: 3},
		{name: "far from everyone", seed: 5, add: 4, far: true, wantAllKept: true},
		{name: "a kinship carer", seed: 6, add: 1, kin: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(tc.seed, 7))
			extra := make([]catalogue.Placement, tc.add)
			for i := range extra {
				extra[i] = newPlacementNear(w, r, last+catalogue.PlacementID(i+1), tc.far, tc.kin)
			}
			e := NewEngineFrom(append(slices.Clip(w.Placements), extra...), Options{})
			fresh := match(t, e, MatchRequest{Children: w.requests, Policy: pol})
			reused := match(t, e, MatchRequest{Children: w.requests, Policy: pol, Reuse: base.Searches})
			switch {
			case tc.wantAllKept && reused.Reused != len(w.requests):
				t.Errorf("kept %d searches of %d, want all", reused.Reused, len(w.requests))
			case !tc.wantAllKept && (reused.Reused == 0 || reused.Reused == len(w.requests)):
				t.Errorf("kept %d searches of %d, want some searched again", reused.Reused, len(w.requests))
			}
			reused.Searches, reused.Reused = nil, 0
			sameMatch(t, fresh, reused)
		})
	}
}

// sameMatch fails unless two matches give the same answer (timings and the snapshot's time
// aside) and solved the same flow.
func sameMatch(t *testing.T, a, b MatchResult) {
	t.Helper()
	strip := func(r MatchResult) MatchResult {
		r.Timings, r.Snapshot = MatchTimings{}, time.Time{}
		return r
	}
	if d := cmp.Diff(strip(a), strip(b), cmpopts.IgnoreUnexported(MatchResult{})); d != "" {
		t.Fatalf("the matches differ (-first +second):\n%s", d)
	}
	var fa, fb bytes.Buffer
	if err := a.WriteDIMACS(&fa); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteDIMACS(&fb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fa.Bytes(), fb.Bytes()) {
		t.Fatal("the matches solved different flows")
	}
}

// newPlacementNear copies one of the world's foster carers or homes to a new placement with
// id: near a random child waiting (or far out at sea, or a kinship carer for that child).
func newPlacementNear(w batchWorld, r *rand.Rand, id catalogue.PlacementID, far, kin bool) catalogue.Placement {
	var p catalogue.Placement
	for {
		p = w.Placements[r.IntN(len(w.Placements))]
		if p.Kind != catalogue.Kinship && p.Active {
			break
		}
	}
	req := w.requests[r.IntN(len(w.requests))]
	p.ID = id
	p.Location = catalogue.Location{Lat: req.Child.Home.Lat + (r.Float64()-0.5)*0.1, Lng: req.Child.Home.Lng + (r.Float64()-0.5)*0.1}
	if far {
		p.Location = catalogue.Location{Lat: 50.0 + r.Float64()*0.2, Lng: -4.0 - r.Float64()*0.2}
	}
	if kin {
		p.Kind, p.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{req.Child.ID}
	}
	p.Vacancies = slices.Clone(p.Vacancies)
	for i := range p.Vacancies {
		p.Vacancies[i].Placement = id
		p.Vacancies[i].Status = catalogue.VacancyAvailable
	}
	if len(p.Vacancies) == 0 {
		p.Vacancies = []catalogue.Vacancy{{Placement: id, AvailableFrom: w.Today, Status: catalogue.VacancyAvailable}}
	}
	return p
}

// TestSuitableAddedCompletesSuitable: a snapshot's Suitable is, for every request, the
// Suitable of the snapshot without the placements added after it, then SuitableAdded.
func TestSuitableAddedCompletesSuitable(t *testing.T) {
	t.Parallel()
	w := westYorkshire()
	pol := catalogue.DefaultPolicy()
	pol.MaxDistanceKm = 15
	var last catalogue.PlacementID
	for _, p := range w.Placements {
		last = max(last, p.ID)
	}
	r := rand.New(rand.NewPCG(11, 7))
	var extra []catalogue.Placement
	for i := range 40 {
		extra = append(extra, newPlacementNear(w, r, last+catalogue.PlacementID(i+1), i%8 == 7, i%5 == 4))
	}
	before := w.engine().Snapshot()
	after := NewEngineFrom(append(slices.Clip(w.Placements), extra...), Options{}).Snapshot()
	added := 0
	for _, req := range w.requests {
		p0, err := before.Prepare(req, pol)
		if err != nil {
			t.Fatal(err)
		}
		p1, err := after.Prepare(req, pol)
		if err != nil {
			t.Fatal(err)
		}
		more := after.SuitableAdded(p1, before.Len())
		added += len(more)
		if got, want := append(before.Suitable(p0), more...), after.Suitable(p1); !slices.Equal(got, want) {
			t.Fatalf("child %d: Suitable before then SuitableAdded = %v, want %v", req.Child.ID, got, want)
		}
	}
	if added == 0 {
		t.Error("no request found a new placement suitable")
	}
}

// TestMatchBriefLeavesOutOnlyTheReasons: a brief match makes the same offers, counts and flow,
// without the reasons and shortfalls (which the full match does give here).
func TestMatchBriefLeavesOutOnlyTheReasons(t *testing.T) {
	t.Parallel()
	w := westYorkshire()
	pol := catalogue.DefaultPolicy()
	pol.MaxDistanceKm = 15
	full := match(t, w.engine(), MatchRequest{Children: w.requests, Policy: pol})
	brief := match(t, w.engine(), MatchRequest{Children: w.requests, Policy: pol, Brief: true})
	reasons := 0
	for i := range full.Children {
		if full.Children[i].Reason != "" {
			reasons++
		}
		if brief.Children[i].Reason != "" || brief.Children[i].Shortfall != nil {
			t.Fatalf("child %d: a brief match gave a reason or shortfall", brief.Children[i].Child)
		}
		full.Children[i].Reason, full.Children[i].Shortfall = "", nil
	}
	if reasons == 0 {
		t.Fatal("the full match gave no reasons: the test shows nothing")
	}
	sameMatch(t, full, brief)
}
