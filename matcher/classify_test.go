package matcher

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// TestFirstBrokenAgreesWithCheck: whenever firstBroken settles a placement, Check rejects it
// under the same constraint, for every waiting child of a region against the placements of a
// kind they are assessed for, and against the same placements made awkward at random (a place
// free an hour after the day of the move or exactly on it, closed homes, ages outside a byte,
// approvals outside the vocabulary, homes over or far under their approval). It must also settle
// something under each constraint it knows, or it saves nothing.
func TestFirstBrokenAgreesWithCheck(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	snap := newTestEngine(t).Snapshot()
	at := prefixPositions()
	rng := rand.New(rand.NewPCG(22, 5))
	reqs := testRequests(w)
	settled := map[scoring.Constraint]int{}
	pairs, awkward := 0, 0
	for i, req := range reqs {
		prep, err := scoring.Prepare(req, catalogue.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		f := newPrefilter(prep)
		kinds, _ := acceptedKinds(prep.Children())
		for slot := range snap.placements {
			if slot%3 != i%3 {
				continue
			}
			p := snap.placements[slot]
			if !slices.Contains(kinds, kindPos(p.Kind)) {
				continue
			}
			cases := []catalogue.Placement{p}
			if slot%5 == i%5 {
				cases = append(cases, awkwardly(rng, p, prep.Day()))
			}
			for k := range cases {
				q := &cases[k]
				m := newSlotMeta(q)
				pos, ok := f.firstBroken(&m, &at)
				pairs++
				if k > 0 {
					awkward++
				}
				if !ok {
					continue
				}
				r := prep.Check(q)
				if !r.Rejected() || r.Index() != pos {
					t.Fatalf("child %d, placement %d (case %d): firstBroken settles %s, Check finds %q", req.Child.ID, q.ID, k, scoring.Constraints[pos], r.Constraint)
				}
				settled[r.Constraint]++
			}
		}
	}
	for _, c := range []scoring.Constraint{scoring.ConstraintInactive, scoring.ConstraintVacancy, scoring.ConstraintOfstedInadequate,
		scoring.ConstraintAge, scoring.ConstraintSex, scoring.ConstraintPurpose, scoring.ConstraintPlaces} {
		if settled[c] == 0 {
			t.Errorf("firstBroken never settled %s in %d pairs (%d awkward): the test checks too little", c, pairs, awkward)
		}
	}
	t.Logf("%d pairs (%d awkward), settled %v", pairs, awkward, settled)
}

// awkwardly returns a copy of p with one thing about it made awkward for the metadata.
func awkwardly(rng *rand.Rand, p catalogue.Placement, day time.Time) catalogue.Placement {
	p.Vacancies = slices.Clone(p.Vacancies)
	p.Approval.Sexes = slices.Clone(p.Approval.Sexes)
	p.Approval.Purposes = slices.Clone(p.Approval.Purposes)
	switch rng.IntN(8) {
	case 0:
		for i := range p.Vacancies {
			p.Vacancies[i].AvailableFrom = day.Add(time.Duration(rng.IntN(3)-1) * time.Hour)
		}
	case 1:
		for i := range p.Vacancies {
			p.Vacancies[i].AvailableFrom = day.Add(time.Duration(rng.IntN(3)-1) * time.Nanosecond)
		}
	case 2:
		p.Active = false
	case 3:
		p.Approval.MinAge, p.Approval.MaxAge = -1-rng.IntN(3), 300+rng.IntN(3)
	case 4:
		p.Approval.MinAge = 256 + rng.IntN(50)
	case 5:
		p.Approval.Sexes = append(p.Approval.Sexes, "unknown")
	case 6:
		p.Approval.Purposes = append(p.Approval.Purposes, "holiday")
	case 7:
		p.Approval.MaxChildren = []int{-5, 0, 200}[rng.IntN(3)]
	}
	return p
}

// TestOptionsFastPathChangesNothing: Options answers exactly as it does when every placement
// within reach is given to Check (the options, the shortfall's counts and examples, whether it
// is complete), for every waiting child of a region under the policies of testPolicies.
func TestOptionsFastPathChangesNothing(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	fast := newTestEngine(t)
	slow := newTestEngine(t)
	slow.checkEvery = true
	reqs := testRequests(w)
	policies := testPolicies()
	complete := 0
	for _, name := range []string{"default", "20 km", "wide margin"} {
		pol := policies[name]
		for i, req := range reqs {
			or := OptionsRequest{Request: req, Policy: pol, Limit: 1 + i%8}
			got, err := fast.Options(context.Background(), or)
			if err != nil {
				t.Fatal(err)
			}
			want, err := slow.Options(context.Background(), or)
			if err != nil {
				t.Fatal(err)
			}
			got.Snapshot, want.Snapshot = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("child %d, %.0f km, limit %d: with the fast path %+v\nwithout it %+v", req.Child.ID, pol.MaxDistanceKm, or.Limit, got.Shortfall, want.Shortfall)
			}
			if got.Shortfall.Complete {
				complete++
			}
		}
	}
	if complete == 0 {
		t.Fatal("no search was complete: the test compares no full account")
	}
	t.Logf("%d requests, %d complete", 3*len(reqs), complete)
}

// TestTopQualities: the running k-th best quality, added one at a time from a start, is the
// k-th of all of them sorted, whatever the order and however many ties.
func TestTopQualities(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(22, 2))
	for range 500 {
		n := 1 + rng.IntN(60)
		k := 1 + rng.IntN(min(n, MaxOptions))
		start := make([]candidate, rng.IntN(n+1))
		var qs []float64
		for i := range start {
			start[i].quality = float64(rng.IntN(12)) / 11 // ties are common
			qs = append(qs, start[i].quality)
		}
		top := newTopQualities(start, k)
		for len(qs) < n {
			q := float64(rng.IntN(12)) / 11
			top.add(q)
			qs = append(qs, q)
			if len(qs) < k {
				continue
			}
			sorted := slices.Sorted(slices.Values(qs))
			slices.Reverse(sorted)
			if got := top.kth(); got != sorted[k-1] || top.held != len(qs) {
				t.Fatalf("k=%d of %v: %v (held %d), want %v", k, qs, got, top.held, sorted[k-1])
			}
		}
	}
}

// TestPendingHeap: the heap gives placements best bound first, ties by slot, as sorting them
// would, for random bounds with many ties.
func TestPendingHeap(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(22, 3))
	for range 300 {
		ps := make([]pending, rng.IntN(80))
		for i := range ps {
			ps[i] = pending{slot: int32(rng.IntN(50)), bound: float64(rng.IntN(6)) / 5}
		}
		want := slices.Clone(ps)
		slices.SortStableFunc(want, func(a, b pending) int {
			if a.bound != b.bound {
				if a.bound > b.bound {
					return -1
				}
				return 1
			}
			return int(a.slot - b.slot)
		})
		h := pendingHeap(ps)
		h.init()
		var got []pending
		for len(h) > 0 {
			got = append(got, h.pop())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("the heap gives %v, sorting %v", got, want)
		}
	}
}

// TestIdentityKeyHoldsAllTheFactorReads: placements with the same identity key have the same
// identity factor, for every waiting child of a region (so Options may score it once a key).
func TestIdentityKeyHoldsAllTheFactorReads(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	snap := newTestEngine(t).Snapshot()
	if n := len(snap.identityRep); n < 2 || n >= snap.Len() {
		t.Fatalf("%d identity keys for %d placements: the test checks too little", n, snap.Len())
	}
	for i, req := range requests(w) {
		prep, err := scoring.Prepare(req, catalogue.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		for slot := range snap.placements {
			if slot%7 != i%7 {
				continue
			}
			id := snap.identity[slot]
			if got, want := prep.Identity(&snap.placements[snap.identityRep[id]]), prep.Identity(&snap.placements[slot]); got != want {
				t.Fatalf("child %d, placement %d: identity %v, its key's %v", req.Child.ID, snap.placements[slot].ID, want, got)
			}
		}
	}
	t.Logf("%d identity keys for %d placements", len(snap.identityRep), snap.Len())
}
