package scoring

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestDefaultPolicyValid(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("default policy invalid: %v", err)
	}
	w := p.Weights
	if w.Sum() != 100 {
		t.Errorf("default weights sum to %g, want 100 (so each reads as a percentage)", w.Sum())
	}
	// Needs first: needs, siblings and school are the heaviest three.
	for _, f := range catalogue.Factors {
		switch f {
		case catalogue.FactorNeeds, catalogue.FactorSiblings, catalogue.FactorSchool:
		default:
			if w[f] >= w[catalogue.FactorSchool] {
				t.Errorf("%s weighs %g, not below school (%g)", f, w[f], w[catalogue.FactorSchool])
			}
		}
	}
	if s := w.Share(catalogue.FactorCost); s > 0.10 {
		t.Errorf("cost share %g above 10%%", s)
	}
	if !approx(p.MaxDistanceKm, 80.47, 0.01) {
		t.Errorf("max distance %g km, want 50 miles", p.MaxDistanceKm)
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(p *Policy)
		field string
		msg   string
	}{
		{"cost above the cap", func(p *Policy) { p.Weights[catalogue.FactorCost] = 95 * 0.15 / 0.85 },
			"weights.cost", "cost may carry at most 10% of the total weight; it carries 15%"},
		{"cost above a lowered cap", func(p *Policy) { p.CostCap = 0.04 },
			"weights.cost", "cost may carry at most 4% of the total weight; it carries 5%"},
		{"cap above the legal ceiling", func(p *Policy) { p.CostCap = 0.2 }, "cost_cap", "must be between 0 and 10%"},
		{"missing factor", func(p *Policy) { delete(p.Weights, catalogue.FactorSchool) },
			"weights.school", "is missing: every factor needs a weight (0 turns it off)"},
		{"negative weight", func(p *Policy) { p.Weights[catalogue.FactorIdentity] = -1 },
			"weights.identity", "must be a number from 0 to 1000"},
		{"NaN weight", func(p *Policy) { p.Weights[catalogue.FactorIdentity] = math.NaN() },
			"weights.identity", "must be a number from 0 to 1000"},
		{"unknown factor", func(p *Policy) { p.Weights["postcode"] = 1 }, "weights.postcode", "is not a factor"},
		{"infinite weight", func(p *Policy) { p.Weights[catalogue.FactorNeeds] = math.Inf(1) },
			"weights.needs", "must be a number from 0 to 1000"},
		{"weight above the bound", func(p *Policy) { p.Weights[catalogue.FactorNeeds] = 1000.5 },
			"weights.needs", "must be a number from 0 to 1000"},
		// Three finite weights whose sum overflows to infinity: every share became 0, so the
		// cost cap passed and every score in the council was 0 (issue 14, item 9).
		{"weights that sum to infinity", func(p *Policy) {
			p.Weights[catalogue.FactorNeeds], p.Weights[catalogue.FactorSchool], p.Weights[catalogue.FactorFamily] = 1e308, 1e308, 1e308
		}, "weights.needs", "must be a number from 0 to 1000"},
		{"all zero", func(p *Policy) {
			for f := range p.Weights {
				p.Weights[f] = 0
			}
		}, "weights", "must not all be 0"},
		{"bad council", func(p *Policy) { p.Council = "E99" }, "council", "must be empty"},
		{"margin too wide", func(p *Policy) { p.CostMargin = 0.5 }, "cost_margin", "must be between"},
		{"no maximum distance", func(p *Policy) { p.MaxDistanceKm = 0 }, "max_distance_km", "must be more than 0"},
		{"wish boost above max boost", func(p *Policy) { p.WishBoost = 2.5 }, "wish_boost", "must not be more than max_boost"},
		{"max boost too big", func(p *Policy) { p.MaxBoost = 10 }, "max_boost", "must be between 1"},
		{"negative buffer", func(p *Policy) { p.ZoneBufferKm = -1 }, "zone_buffer_km", "must be between"},
		{"cost range upside down", func(p *Policy) { p.CostHigh = 100 }, "cost_high", "must be more than cost_low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.edit(&p)
			err := p.Validate()
			found := false
			for _, fe := range catalogue.FieldErrors(err) {
				if fe.Field == tt.field && strings.HasPrefix(fe.Message, tt.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("Validate() = %v, want %s: %s", err, tt.field, tt.msg)
			}
		})
	}
}

func TestPolicyMerge(t *testing.T) {
	t.Parallel()
	national := DefaultPolicy()
	override := Policy{
		Version: 3, Council: leeds,
		Weights:       Weights{catalogue.FactorSchool: 20, catalogue.FactorCost: 0},
		MaxDistanceKm: 30,
	}
	got := national.Merge(override)
	if got.Version != 3 || got.Council != leeds {
		t.Errorf("version/council = %d/%s", got.Version, got.Council)
	}
	if got.Weights[catalogue.FactorSchool] != 20 || got.Weights[catalogue.FactorCost] != 0 {
		t.Errorf("overridden weights = %v", got.Weights)
	}
	if got.Weights[catalogue.FactorNeeds] != 20 {
		t.Errorf("inherited needs weight = %g", got.Weights[catalogue.FactorNeeds])
	}
	if got.MaxDistanceKm != 30 || got.CostMargin != national.CostMargin {
		t.Errorf("distance/margin = %g/%g", got.MaxDistanceKm, got.CostMargin)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("merged policy invalid: %v", err)
	}
	if national.Weights[catalogue.FactorSchool] != 14 {
		t.Error("Merge changed the national policy's weights")
	}
	// A merge can break the cap; Validate catches it.
	bad := national.Merge(Policy{Weights: Weights{catalogue.FactorCost: 40}})
	if bad.Validate() == nil {
		t.Error("merged policy with cost at 29% validated")
	}
}

func TestEffectiveWeights(t *testing.T) {
	t.Parallel()
	pol := DefaultPolicy()
	base := pol.EffectiveWeights(catalogue.Child{}, 0)
	for _, f := range catalogue.Factors {
		if !approx(base[f], pol.Weights[f]/100, 1e-12) {
			t.Errorf("no priorities: %s = %g, want %g", f, base[f], pol.Weights[f]/100)
		}
	}
	// Raising is relative to the rest: compare the ratio of a factor to needs (never boosted).
	ratio := func(w Weights, f catalogue.Factor) float64 { return w[f] / w[catalogue.FactorNeeds] }
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
			w := pol.EffectiveWeights(c, tt.moves)
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
		pol := DefaultPolicy()
		for _, f := range catalogue.Factors {
			pol.Weights[f] = rng.Float64() * 30
		}
		pol.CostCap = rng.Float64() * MaxCostCap
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
		w := pol.EffectiveWeights(c, moves)
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
	pol := DefaultPolicy()
	pol.Weights[catalogue.FactorCost] = 500
	w := pol.EffectiveWeights(catalogue.Child{}, 0)
	if !approx(w[catalogue.FactorCost], pol.CostCap, 1e-12) || !approx(w.Sum(), 1, 1e-12) {
		t.Errorf("cost %g, sum %g", w[catalogue.FactorCost], w.Sum())
	}
	for f := range pol.Weights {
		pol.Weights[f] = 0
	}
	pol.Weights[catalogue.FactorCost] = 1
	w = pol.EffectiveWeights(catalogue.Child{}, 0)
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
