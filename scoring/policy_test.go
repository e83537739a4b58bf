package scoring

import (
	"math/rand/v2"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestEffectiveWeights(t *testing.T) {
	t.Parallel()
	pol := catalogue.DefaultPolicy()
	base := EffectiveWeights(pol, catalogue.Child{}, 0)
	for _, f := range catalogue.Factors {
		if !approx(base[f], pol.Weights[f]/100, 1e-12) {
			t.Errorf("no priorities: %s = %g, want %g", f, base[f], pol.Weights[f]/100)
		}
	}
	// Raising is relative to the rest: compare the ratio of a factor to needs (never boosted).
	ratio := func(w catalogue.Weights, f catalogue.Factor) float64 { return w[f] / w[catalogue.FactorNeeds] }
	tests := []struct {
		name   string
		wishes []catalogue.Wish
		moves  int
		factor catalogue.Factor
		mult   float64
	}{
		{"first priority x1.5", []catalogue.Wish{catalogue.WishStayAtSchool}, 0, catalogue.FactorSchool, 1.5},
		{"second priority x1.25", []catalogue.Wish{catalogue.WishHavePet, catalogue.WishLiveWithSiblings}, 0, catalogue.FactorSiblings, 1.25},
		{"religion and language compound within the cap", []catalogue.Wish{catalogue.WishMyReligion, catalogue.WishMyLanguage}, 0, catalogue.FactorIdentity, 1.875},
		{"three on one factor stop at max boost", []catalogue.Wish{catalogue.WishHavePet, catalogue.WishTown, catalogue.WishCountry}, 0, catalogue.FactorWishes, 2},
		{"three moves raise stability x1.5", nil, 3, catalogue.FactorStability, 1.5},
		{"two moves raise stability x1.25", nil, 2, catalogue.FactorStability, 1.25},
		{"one move leaves stability", nil, 1, catalogue.FactorStability, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := catalogue.Child{Wishes: catalogue.Wishes{Priorities: tt.wishes}}
			w := EffectiveWeights(pol, c, tt.moves)
			if got := ratio(w, tt.factor) / ratio(base, tt.factor); !approx(got, tt.mult, 1e-9) {
				t.Errorf("%s raised x%g, want x%g", tt.factor, got, tt.mult)
			}
			if !approx(w.Sum(), 1, 1e-12) {
				t.Errorf("weights sum to %g", w.Sum())
			}
		})
	}
}

// TestEffectiveWeightsBounds: for random valid policies and children, every multiplier stays
// within MaxBoost, weights sum to 1 and cost never exceeds its cap.
func TestEffectiveWeightsBounds(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		pol := catalogue.DefaultPolicy()
		for _, f := range catalogue.Factors {
			pol.Weights[f] = rng.Float64() * 30
		}
		pol.CostCap = rng.Float64() * catalogue.MaxCostCap
		pol.Weights[catalogue.FactorCost] = 0
		rest := pol.Weights.Sum()
		if rest == 0 {
			continue
		}
		// cost share exactly at or below the cap: c/(rest+c) <= cap.
		pol.Weights[catalogue.FactorCost] = rng.Float64() * pol.CostCap * rest / (1 - pol.CostCap)
		pol.MaxBoost = 1 + rng.Float64()*2
		pol.WishBoost = 1 + rng.Float64()*(pol.MaxBoost-1)
		if err := pol.Validate(); err != nil {
			t.Fatalf("case %d: generated policy invalid: %v", i, err)
		}
		var c catalogue.Child
		for _, w := range rng.Perm(len(catalogue.WishesAll))[:rng.IntN(5)] {
			c.Wishes.Priorities = append(c.Wishes.Priorities, catalogue.WishesAll[w])
		}
		moves := rng.IntN(6)
		base := pol.Weights
		w := EffectiveWeights(pol, c, moves)
		if !approx(w.Sum(), 1, 1e-9) {
			t.Fatalf("case %d: sum %g", i, w.Sum())
		}
		if w[catalogue.FactorCost] > pol.CostCap+1e-12 {
			t.Fatalf("case %d: cost %g above cap %g", i, w[catalogue.FactorCost], pol.CostCap)
		}
		// No factor grows by more than MaxBoost relative to any other.
		for _, f := range catalogue.Factors {
			for _, g := range catalogue.Factors {
				if base[f] == 0 || base[g] == 0 {
					continue
				}
				rel := (w[f] / w[g]) / (base[f] / base[g])
				if rel > pol.MaxBoost+1e-9 || rel < 1/pol.MaxBoost-1e-9 {
					t.Fatalf("case %d: %s against %s moved x%g, beyond max boost %g", i, f, g, rel, pol.MaxBoost)
				}
			}
		}
	}
}

// TestEffectiveWeightsCutCost: a policy that breaks the cap (Validate refuses it) still never
// lets cost carry more than the cap.
func TestEffectiveWeightsCutCost(t *testing.T) {
	t.Parallel()
	pol := catalogue.DefaultPolicy()
	pol.Weights[catalogue.FactorCost] = 500
	w := EffectiveWeights(pol, catalogue.Child{}, 0)
	if !approx(w[catalogue.FactorCost], pol.CostCap, 1e-12) || !approx(w.Sum(), 1, 1e-12) {
		t.Errorf("cost %g, sum %g", w[catalogue.FactorCost], w.Sum())
	}
	for f := range pol.Weights {
		pol.Weights[f] = 0
	}
	pol.Weights[catalogue.FactorCost] = 1
	w = EffectiveWeights(pol, catalogue.Child{}, 0)
	if !approx(w[catalogue.FactorCost], pol.CostCap, 1e-12) || !approx(w.Sum(), 1, 1e-12) {
		t.Errorf("cost only: cost %g, sum %g", w[catalogue.FactorCost], w.Sum())
	}
}

func TestFactorIndex(t *testing.T) {
	t.Parallel()
	if len(catalogue.Factors) != nFactors {
		t.Fatalf("catalogue has %d factors, scoring %d", len(catalogue.Factors), nFactors)
	}
	for i, f := range catalogue.Factors {
		if factorIndex(f) != i {
			t.Errorf("factorIndex(%s) = %d, want %d", f, factorIndex(f), i)
		}
	}
}
