package scoring

import (
	"math/rand/v2"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestKinNeverRewardedForBeingCheap: on random children and kinship homes, what family and
// friends carers are paid never moves their score, their quality or their place in the ranking
// against other homes: a family is never chosen, or pressed towards special guardianship,
// because it costs the council less (issue 18). The control, a foster home, does move with its
// cost, so that the test can fail.
func TestKinNeverRewardedForBeingCheap(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(18, 4))
	for i := range 500 {
		req, pl := randomPair(rng)
		p, err := Prepare(req, catalogue.DefaultPolicy())
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		other := pl
		other.ID, other.Kind, other.ConnectedTo, other.WeeklyCost = pl.ID+1, catalogue.CouncilFoster, nil, 650
		kin := pl
		kin.Kind, kin.TemporaryApproval = catalogue.Kinship, nil
		rank := func(cost int) (Result, []catalogue.PlacementID) {
			k := kin
			k.WeeklyCost = cost
			r := p.Score(&k)
			rs := []Ranked{{Placement: k.ID, Result: r}, {Placement: other.ID, Result: p.Score(&other)}}
			Rank(rs, p.pol)
			return r, []catalogue.PlacementID{rs[0].Placement, rs[1].Placement}
		}
		cheap, cheapOrder := rank(150)
		dear, dearOrder := rank(1500)
		if cheap.Total != dear.Total || cheap.Quality != dear.Quality || cheapOrder[0] != dearOrder[0] {
			t.Fatalf("case %d: kin at £150 score %.4f (order %v), at £1,500 %.4f (order %v)", i, cheap.Total, cheapOrder, dear.Total, dearOrder)
		}
		f1, f2 := other, other
		f1.WeeklyCost, f2.WeeklyCost = 150, 1500
		if p.Score(&f1).Total <= p.Score(&f2).Total && p.w[idxCost] > 0 {
			t.Fatalf("case %d: the control, a foster home, does not score higher when cheaper", i)
		}
	}
}
