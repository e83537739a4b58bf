package scoring

import (
	"math"

	"github.com/placematch/placematch/catalogue"
)

// wishFactor is the factor a child's stated priority raises. Wishes no other factor covers (a
// pet, a town or the country) raise the wishes factor itself.
func wishFactor(w catalogue.Wish) catalogue.Factor {
	switch w {
	case catalogue.WishStayAtSchool:
		return catalogue.FactorSchool
	case catalogue.WishLiveWithSiblings:
		return catalogue.FactorSiblings
	case catalogue.WishNearFamily:
		return catalogue.FactorFamily
	case catalogue.WishMyReligion, catalogue.WishMyLanguage:
		return catalogue.FactorIdentity
	}
	return catalogue.FactorWishes
}

// EffectiveWeights returns the weights p gives one child, normalised to sum to 1.
//
// The child's priorities raise what matters to them: the factor behind the first priority is
// multiplied by WishBoost (1.5 by default), the second by 1+(WishBoost-1)/2, the third by
// 1+(WishBoost-1)/3 and so on; a child who moved twice in the last 12 months has stability
// multiplied by 1+(MaxBoost-1)/4, three or more times by 1+(MaxBoost-1)/2. Multipliers compound
// when two priorities name the same factor, but no factor's multiplier exceeds MaxBoost. After
// normalisation cost never carries more than CostCap: boosts only raise other factors, and if
// the policy itself puts cost above the cap (Validate refuses that) cost is cut to the cap.
//
// EffectiveWeights assumes a valid policy; with a zero total it returns equal weights.
func EffectiveWeights(p catalogue.Policy, c catalogue.Child, moves12m int) catalogue.Weights {
	var w [nFactors]float64
	effective(p, c, moves12m, &w)
	out := make(catalogue.Weights, nFactors)
	for i, f := range catalogue.Factors {
		out[f] = w[i]
	}
	return out
}

// movesBoost is what moving moves12m times in the last 12 months multiplies the stability
// weight by: 1+(MaxBoost-1)/4 for two moves, 1+(MaxBoost-1)/2 for three or more, 1 otherwise.
// No priority of a child's raises stability, so this is its whole multiplier.
func movesBoost(p catalogue.Policy, moves12m int) float64 {
	maxBoost := math.Max(p.MaxBoost, 1)
	switch {
	case moves12m >= 3:
		return 1 + (maxBoost-1)/2
	case moves12m == 2:
		return 1 + (maxBoost-1)/4
	}
	return 1
}

// effective fills w (indexed as catalogue.Factors) with the normalised effective weights.
func effective(p catalogue.Policy, c catalogue.Child, moves12m int, w *[nFactors]float64) {
	var mult [nFactors]float64
	for i := range mult {
		mult[i] = 1
	}
	maxBoost := math.Max(p.MaxBoost, 1)
	raise := func(f catalogue.Factor, by float64) {
		i := factorIndex(f)
		mult[i] = math.Min(mult[i]*by, maxBoost)
	}
	wb := math.Max(p.WishBoost, 1)
	for i, wish := range c.Wishes.Priorities {
		raise(wishFactor(wish), 1+(wb-1)/float64(i+1))
	}
	if b := movesBoost(p, moves12m); b > 1 {
		raise(catalogue.FactorStability, b)
	}
	sum := 0.0
	for i, f := range catalogue.Factors {
		v := p.Weights[f]
		if !(v >= 0) || math.IsInf(v, 0) {
			v = 0
		}
		w[i] = v * mult[i]
		sum += w[i]
	}
	if !(sum > 0) {
		for i := range w {
			w[i] = 1.0 / nFactors
		}
		sum = 1
	}
	for i := range w {
		w[i] /= sum
	}
	costCap := math.Min(math.Max(p.CostCap, 0), catalogue.MaxCostCap)
	if c := w[idxCost]; c > costCap {
		rest := 1 - c
		for i := range w {
			switch {
			case i == idxCost:
				w[i] = costCap
			case rest > 1e-12:
				w[i] *= (1 - costCap) / rest
			default: // only cost had weight: share the rest equally
				w[i] = (1 - costCap) / (nFactors - 1)
			}
		}
	}
}
