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
	// least returns the least distance from a point dHome km from home to any place km from home.
	least := func(pt s2.Point) float64 { return math.Max(km-p.homeDist(pt), 0) }
	return p.qualityBound(least, km, true)
}

// QualityBoundAt is an upper bound on the Quality of any placement at pt, inside the child's
// council's area or not as inside says, other than kinship carers connected to the child: the
// bound of QualityBound with the distance factors (school, brothers and sisters, family, home,
// the wishes to stay at school or be near family) taken at pt itself and the home area's
// council part known, the other factors at the best any placement could do. It is never above
// QualityBound at pt's distance from home, and is much closer to the real scores of placements
// away from the child's school and family. It costs a few chords, against the whole score:
// each distance is taken as the chord between the points, which is never longer than the arc
// (by a few metres in a million at 80 km), so the bound only ever errs upwards.
func (p *Prepared) QualityBoundAt(pt s2.Point, inside bool) float64 {
	dist := func(q s2.Point) float64 { return chordKm(q, pt) }
	km := math.Inf(1)
	if p.hasHome {
		km = chordKm(p.home, pt)
	}
	return p.qualityBound(dist, km, inside)
}

// chordKm is the straight-line distance between two points on the Earth's surface, through
// it: never more than the great-circle distance, and within a few parts in a million of it
// for the distances matching deals in.
func chordKm(a, b s2.Point) float64 { return a.Sub(b.Vector).Norm() * EarthRadiusKm }

// qualityBound bounds the Quality of a placement whose distance from each of the child's
// anchors is at least dist(anchor), km from home (used only with a home recorded), inside the
// council's area at best as inside says.
func (p *Prepared) qualityBound(dist func(s2.Point) float64, km float64, inside bool) float64 {
	c := p.child()
	var ub [nFactors]float64

	ub[idxSchool] = Neutral
	if c.School != nil && c.School.KeepPlanned {
		ub[idxSchool] = ramp(dist(p.school), schoolFullKm, schoolNoneKm)
	}

	switch {
	case p.places > 1:
		ub[idxSiblings] = 1
	case len(p.siblings) > 0:
		sum := 0.0
		for _, sp := range p.siblings {
			sum += ramp(dist(sp), siblingFullKm, siblingNoneKm)
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
				sum += ct.perMonth * ramp(dist(ct.pt), contactFullKm, contactNoneKm)
			}
		}
		ub[idxFamily] = sum / p.safeFreq
	}

	ub[idxNeeds] = 1
	ub[idxIdentity] = 1
	council := 0.0
	if inside {
		council = 0.4
	}
	ub[idxHomeArea] = council + 0.6*Neutral
	if p.hasHome {
		ub[idxHomeArea] = council + 0.6*ramp(km, homeFullKm, homeNoneKm)
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
				possible = c.School != nil && dist(p.school) <= schoolKeepKm
			case catalogue.WishLiveWithSiblings:
				possible = p.places > 1
			case catalogue.WishNearFamily:
				possible = false
				for _, ct := range p.contacts {
					if ct.safe && dist(ct.pt) <= nearFamilyKm {
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
