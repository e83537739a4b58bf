package scoring

import (
	"math"
	"slices"

	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
)

// Children returns the children to be placed: the child first, then any brothers and sisters
// moving with them. The slice is a copy.
func (p *Prepared) Children() []catalogue.Child { return slices.Clone(p.kids) }

// HomeKm is the distance from the child's home to the placement as the crow flies, or -1 when
// the child's home is not recorded.
func (p *Prepared) HomeKm(pl *catalogue.Placement) float64 {
	if !p.hasHome {
		return -1
	}
	return distKm(p.home, Point(pl.Location))
}

// QualityBound is an upper bound on the Quality (the score without cost) of any placement at
// least km from the child's home, other than kinship carers connected to the child (the only
// placements that score on kinship; a search should consider those wherever they live). It lets
// a search that widens in rings around home stop once the options it holds beat everything
// further out by more than the cost margin.
//
// Each factor is bounded separately: the distance factors by the triangle inequality (a place
// km from home is at least km minus the home's distance from a school or a relative away from
// them), the others by the best any placement could do. The bound is loose but never too low.
func (p *Prepared) QualityBound(km float64) float64 {
	km = math.Max(km, 0)
	c := p.child()
	// least returns the least distance from a point dHome km from home to any place km from home.
	least := func(dHome float64) float64 { return math.Max(km-dHome, 0) }
	var ub [nFactors]float64

	ub[idxSchool] = Neutral
	if c.School != nil && c.School.KeepPlanned {
		ub[idxSchool] = ramp(least(p.homeDist(p.school)), schoolFullKm, schoolNoneKm)
	}

	switch {
	case p.places > 1:
		ub[idxSiblings] = 1
	case len(p.siblings) > 0:
		sum := 0.0
		for _, sp := range p.siblings {
			sum += ramp(least(p.homeDist(sp)), siblingFullKm, siblingNoneKm)
		}
		ub[idxSiblings] = splitSiblingMax * sum / float64(len(p.siblings))
	default:
		ub[idxSiblings] = Neutral
	}

	ub[idxFamily] = Neutral // unsafe contacts only lower it
	if p.safeFreq > 0 {
		sum := 0.0
		for _, ct := range p.contacts {
			if ct.safe {
				sum += ct.perMonth * ramp(least(p.homeDist(ct.pt)), contactFullKm, contactNoneKm)
			}
		}
		ub[idxFamily] = sum / p.safeFreq
	}

	ub[idxNeeds] = 1
	ub[idxIdentity] = 1
	ub[idxHomeArea] = 0.4 + 0.6*Neutral
	if p.hasHome {
		ub[idxHomeArea] = 0.4 + 0.6*ramp(km, homeFullKm, homeNoneKm)
	}
	ub[idxKinship] = 0

	if ws := c.Wishes.Priorities; len(ws) == 0 {
		ub[idxWishes] = Neutral
	} else {
		total, met := 0.0, 0.0
		for i, w := range ws {
			weight := 1 / float64(i+1)
			total += weight
			possible := true
			switch w {
			case catalogue.WishStayAtSchool:
				possible = c.School != nil && least(p.homeDist(p.school)) <= schoolKeepKm
			case catalogue.WishLiveWithSiblings:
				possible = p.places > 1
			case catalogue.WishNearFamily:
				possible = false
				for _, ct := range p.contacts {
					if ct.safe && least(p.homeDist(ct.pt)) <= nearFamilyKm {
						possible = true
					}
				}
			}
			if possible {
				met += weight
			}
		}
		ub[idxWishes] = met / total
	}
	ub[idxStability] = 1

	sum := 0.0
	for i := range ub {
		if i != idxCost {
			sum += p.w[i] * ub[i]
		}
	}
	rest := 1 - p.w[idxCost]
	if rest <= 1e-12 {
		return 1
	}
	// A hair above the exact bound, so that rounding never puts a real score over it.
	return math.Min(sum/rest+1e-9, 1)
}

// homeDist is the distance from the child's home to pt; with no home recorded it is infinite,
// which makes every bound that uses it the loosest.
func (p *Prepared) homeDist(pt s2.Point) float64 {
	if !p.hasHome {
		return math.Inf(1)
	}
	return distKm(p.home, pt)
}
