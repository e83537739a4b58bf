package matcher

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// daInstance is a random preference problem: households with a few places opening on a few
// days, children (or groups) with two offers each, scores and stated orders.
type daInstance struct {
	placements map[catalogue.PlacementID]catalogue.Placement
	claims     []Claim
}

func randomDA(r *rand.Rand, children, households int, groups bool) daInstance {
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	in := daInstance{placements: map[catalogue.PlacementID]catalogue.Placement{}}
	for h := 1; h <= households; h++ {
		id := catalogue.PlacementID(h)
		pl := catalogue.Placement{ID: id, Approval: catalogue.Approval{MaxChildren: 1 + r.IntN(4)}}
		for v := range 1 + r.IntN(3) {
			status := catalogue.VacancyAvailable
			if r.IntN(8) == 0 {
				status = catalogue.VacancyFilled
			}
			pl.Vacancies = append(pl.Vacancies, catalogue.Vacancy{ID: catalogue.VacancyID(h*10 + v), Placement: id,
				AvailableFrom: base.AddDate(0, 0, 10*r.IntN(3)), Status: status})
		}
		in.placements[id] = pl
	}
	for c := 1; c <= children; c++ {
		cl := Claim{Child: catalogue.ChildID(c), Day: base.AddDate(0, 0, 5+10*r.IntN(3))}
		if groups && r.IntN(4) == 0 {
			cl.Group = []catalogue.ChildID{catalogue.ChildID(c), catalogue.ChildID(1000 + c)}
		}
		perm := r.Perm(households)
		for _, h := range perm[:min(2, households)] {
			cl.Offers = append(cl.Offers, ClaimOffer{Placement: catalogue.PlacementID(h + 1), Score: float64(r.IntN(5)) / 4})
		}
		switch r.IntN(5) {
		case 0: // not stated: the offers' order
		case 1:
			cl.Ranked = []catalogue.PlacementID{cl.Offers[len(cl.Offers)-1].Placement}
		default:
			for _, o := range cl.Offers {
				cl.Ranked = append(cl.Ranked, o.Placement)
			}
			if r.IntN(2) == 0 {
				slices.Reverse(cl.Ranked)
			}
		}
		in.claims = append(in.claims, cl)
	}
	return in
}

func (in daInstance) lookup(id catalogue.PlacementID) (catalogue.Placement, bool) {
	p, ok := in.placements[id]
	return p, ok
}

// order is a claim's effective list.
func (c Claim) order() []catalogue.PlacementID {
	if c.Neither {
		return nil
	}
	if len(c.Ranked) > 0 {
		return c.Ranked
	}
	var out []catalogue.PlacementID
	for _, o := range c.Offers {
		out = append(out, o.Placement)
	}
	return out
}

func (c Claim) score(p catalogue.PlacementID) float64 {
	for _, o := range c.Offers {
		if o.Placement == p {
			return o.Score
		}
	}
	return -1
}

// fits reports, independently of the matcher's place model, whether a household can take
// these claims: each needs size places open by its day (the earliest days served first, as
// the places open earliest can serve anyone), and together no more than the approval's room.
func fits(pl catalogue.Placement, claims []Claim) bool {
	var open []time.Time
	for _, v := range pl.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			open = append(open, v.AvailableFrom)
		}
	}
	var days []time.Time
	for _, c := range claims {
		for range max(len(c.Group), 1) {
			days = append(days, c.Day)
		}
	}
	if len(days) > pl.Approval.MaxChildren {
		return false
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	for k, d := range days {
		n := 0
		for _, o := range open {
			if !o.After(d) {
				n++
			}
		}
		if n < k+1 {
			return false
		}
	}
	return true
}

// choice is the household's choice from a set of claims: greedily by priority (score, then
// child ID), each kept when it still fits.
func choice(pl catalogue.Placement, claims []Claim) []catalogue.ChildID {
	sorted := slices.Clone(claims)
	slices.SortFunc(sorted, func(a, b Claim) int {
		if sa, sb := a.score(pl.ID), b.score(pl.ID); sa != sb {
			if sa > sb {
				return -1
			}
			return 1
		}
		return int(a.Child - b.Child)
	})
	var kept []Claim
	var ids []catalogue.ChildID
	for _, c := range sorted {
		if fits(pl, append(slices.Clone(kept), c)) {
			kept = append(kept, c)
			ids = append(ids, c.Child)
		}
	}
	return ids
}

func checkAllocation(t *testing.T, in daInstance, res AllocateResult, wantStable bool) {
	t.Helper()
	holds := map[catalogue.PlacementID][]Claim{}
	matched := map[catalogue.ChildID]catalogue.PlacementID{}
	for i, a := range res.Allocations {
		c := in.claims[i]
		if a.Child != c.Child {
			t.Fatalf("allocation %d is for child %d, claim for %d", i, a.Child, c.Child)
		}
		if a.Placement != 0 {
			if !slices.Contains(c.order(), a.Placement) {
				t.Fatalf("child %d given %d, which they did not rank", c.Child, a.Placement)
			}
			holds[a.Placement] = append(holds[a.Placement], c)
			matched[c.Child] = a.Placement
		}
		switch {
		case a.Placement != 0 && a.Placement == c.order()[0] && a.Outcome != OutcomeFirstChoice,
			a.Placement != 0 && a.Placement != c.order()[0] && a.Outcome != OutcomeSecondChoice,
			a.Placement == 0 && a.Outcome != OutcomeNone && a.Outcome != OutcomeDeclined && a.Outcome != OutcomeNoOffers:
			t.Fatalf("child %d: placement %d, outcome %s", c.Child, a.Placement, a.Outcome)
		}
	}
	for id, cs := range holds {
		if !fits(in.placements[id], cs) {
			t.Fatalf("household %d given %d claims beyond its places", id, len(cs))
		}
	}
	if !wantStable {
		return
	}
	for _, c := range in.claims {
		for _, p := range c.order() {
			if p == matched[c.Child] {
				break // every household above the match has been checked
			}
			pl, ok := in.placements[p]
			if !ok {
				continue
			}
			if slices.Contains(choice(pl, append(slices.Clone(holds[p]), c)), c.Child) {
				t.Fatalf("blocking pair: child %d prefers household %d to %d, and it would take them (%v)",
					c.Child, p, matched[c.Child], holds[p])
			}
		}
	}
}

// TestAllocateIsStable: on random problems with children on their own, the outcome never
// promises a place twice and no child and household would both rather be together.
func TestAllocateIsStable(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	e := NewEngineFrom(nil, Options{})
	for n := range 300 {
		in := randomDA(r, 2+r.IntN(30), 1+r.IntN(12), false)
		res := e.Allocate(AllocateRequest{Claims: in.claims, Placement: in.lookup})
		t.Run(fmt.Sprint(n), func(t *testing.T) { checkAllocation(t, in, res, true) })
		if t.Failed() {
			return
		}
	}
}

// TestAllocateIsBestForChildren: on small problems, every child does at least as well as in
// any stable outcome (found by enumerating every outcome).
func TestAllocateIsBestForChildren(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 5))
	e := NewEngineFrom(nil, Options{})
	for n := range 150 {
		in := randomDA(r, 2+r.IntN(5), 1+r.IntN(4), false)
		res := e.Allocate(AllocateRequest{Claims: in.claims, Placement: in.lookup})
		rank := func(c Claim, p catalogue.PlacementID) int {
			if i := slices.Index(c.order(), p); i >= 0 && p != 0 {
				return i
			}
			return 99
		}
		got := map[catalogue.ChildID]catalogue.PlacementID{}
		for _, a := range res.Allocations {
			got[a.Child] = a.Placement
		}
		// Enumerate every outcome: each child gets one of their list or none.
		assign := make([]catalogue.PlacementID, len(in.claims))
		stable := 0
		var walk func(k int)
		walk = func(k int) {
			if k == len(in.claims) {
				holds := map[catalogue.PlacementID][]Claim{}
				for i, p := range assign {
					if p != 0 {
						holds[p] = append(holds[p], in.claims[i])
					}
				}
				for p, cs := range holds {
					if !fits(in.placements[p], cs) || len(choice(in.placements[p], cs)) != len(cs) {
						return
					}
				}
				for i, c := range in.claims {
					for _, p := range c.order() {
						if p == assign[i] {
							break
						}
						if slices.Contains(choice(in.placements[p], append(slices.Clone(holds[p]), c)), c.Child) {
							return
						}
					}
				}
				stable++
				for i, c := range in.claims {
					if rank(c, got[c.Child]) > rank(c, assign[i]) {
						t.Fatalf("problem %d: child %d gets %d, but a stable outcome gives them %d", n, c.Child, got[c.Child], assign[i])
					}
				}
				return
			}
			for _, p := range append([]catalogue.PlacementID{0}, in.claims[k].order()...) {
				assign[k] = p
				walk(k + 1)
			}
		}
		walk(0)
		if stable == 0 {
			t.Fatalf("problem %d: no stable outcome found; deferred acceptance's should be one", n)
		}
	}
}

// TestAllocateWithGroups: a group is held whole or not at all, and no place is promised twice.
func TestAllocateWithGroups(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 13))
	e := NewEngineFrom(nil, Options{})
	for range 300 {
		in := randomDA(r, 2+r.IntN(20), 1+r.IntN(8), true)
		res := e.Allocate(AllocateRequest{Claims: in.claims, Placement: in.lookup})
		checkAllocation(t, in, res, false)
	}
}

func TestAllocateOutcomes(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	one := func(id catalogue.PlacementID, status catalogue.VacancyStatus, child catalogue.ChildID) catalogue.Placement {
		return catalogue.Placement{ID: id, Approval: catalogue.Approval{MaxChildren: 3},
			Vacancies: []catalogue.Vacancy{{ID: catalogue.VacancyID(id), Placement: id, AvailableFrom: day, Status: status, Child: child}}}
	}
	in := daInstance{placements: map[catalogue.PlacementID]catalogue.Placement{
		1: one(1, catalogue.VacancyAvailable, 0),
		2: one(2, catalogue.VacancyHeld, 12), // held for child 12's offer: counts for them
		3: one(3, catalogue.VacancyFilled, 99),
	}}
	offers := func(ps ...catalogue.PlacementID) []ClaimOffer {
		var out []ClaimOffer
		for i, p := range ps {
			out = append(out, ClaimOffer{Placement: p, Score: 0.9 - 0.1*float64(i)})
		}
		return out
	}
	in.claims = []Claim{
		{Child: 10, Day: day, Offers: offers(1, 2), Ranked: []catalogue.PlacementID{1, 2}},
		{Child: 11, Day: day, Offers: []ClaimOffer{{Placement: 1, Score: 0.5}, {Placement: 3, Score: 0.9}}},
		{Child: 12, Day: day, Offers: offers(3, 2)},
		{Child: 13, Day: day, Offers: offers(1), Neither: true},
		{Child: 14, Day: day},
		{Child: 15, Day: day, Offers: offers(4)}, // gone from the catalogue
	}
	res := NewEngineFrom(nil, Options{}).Allocate(AllocateRequest{Claims: in.claims, Placement: in.lookup})
	want := map[catalogue.ChildID]struct {
		p catalogue.PlacementID
		o Outcome
	}{
		10: {1, OutcomeFirstChoice},  // 1 suits 10 (0.9) better than 11 (0.5)
		11: {0, OutcomeNone},         // 1 went to 10; 3 is filled
		12: {2, OutcomeSecondChoice}, // 3 is filled; 2 is held for them
		13: {0, OutcomeDeclined},
		14: {0, OutcomeNoOffers},
		15: {0, OutcomeNone},
	}
	for _, a := range res.Allocations {
		w := want[a.Child]
		if a.Placement != w.p || a.Outcome != w.o {
			t.Errorf("child %d: %d %s, want %d %s (%s)", a.Child, a.Placement, a.Outcome, w.p, w.o, a.Reason)
		}
		if a.Outcome != OutcomeFirstChoice && a.Reason == "" {
			t.Errorf("child %d: %s without a reason", a.Child, a.Outcome)
		}
	}
	if !res.Allocations[0].Stated || res.Allocations[1].Stated {
		t.Errorf("stated: %v %v, want true false", res.Allocations[0].Stated, res.Allocations[1].Stated)
	}
}
