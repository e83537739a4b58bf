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
	return p.qualityBound(least, km, anyTraits)
}

// Traits is what QualityBoundAt may know of a placement besides its point, cheap to keep for
// every placement of a catalogue: TraitsOf fills all but Inside, which depends on the child.
type Traits struct {
	Inside    bool    // the placement is inside the child's council's area
	Skills    uint64  // bit i set: the carers or staff hold catalogue.Skills[i] (SkillBits)
	Stability float64 // at least the stability factor for any child (StabilityBound)
	// IdentityShort is how far the identity factor for this child is known to fall short of 1
	// (1 less Prepared.Identity of the placement): like Inside it depends on the child, and
	// its zero value, nothing known, is the loosest.
	IdentityShort float64
}

// TraitsOf returns the traits of a placement that do not depend on the child.
func TraitsOf(pl *catalogue.Placement) Traits {
	t := Traits{Skills: SkillBits(pl.Skills), Stability: StabilityBound(pl)}
	if pl.Kind == catalogue.Kinship {
		t.Skills = math.MaxUint64 // never marked down for training (needsFactor)
	}
	return t
}

// SkillBits returns the set of skills as bits of catalogue.Skills (skills outside it meet no
// need, so they are left out).
func SkillBits(skills []catalogue.Skill) uint64 {
	var b uint64
	for _, s := range skills {
		if i := slices.Index(catalogue.Skills, s); i >= 0 && i < 64 {
			b |= 1 << i
		}
	}
	return b
}

// StabilityBound is at least the stability factor of the placement for any child: the most
// its record and experience can give, with the carers' commitment in full where they offer a
// long-term home or Staying Put (stabilityFactor's cases).
func StabilityBound(pl *catalogue.Placement) float64 {
	planned, unplanned := pl.Stability.EndedPlanned, pl.Stability.EndedUnplanned
	record := (float64(planned) + 2) / (float64(planned+unplanned) + 3)
	exp := experience(pl)
	s := 0.7*record + 0.3*exp
	if pl.LongTerm || pl.OffersStayingPut() {
		s = math.Max(s, 0.5*record+0.2*exp+0.3)
	}
	return math.Min(s+1e-12, 1)
}

// QualityBoundAt is an upper bound on the Quality of any placement at pt with the traits t,
// other than kinship carers connected to the child: the bound of QualityBound with the
// distance factors (school, brothers and sisters, family, home, the wishes to stay at school or
// be near family) taken at pt itself, the home area's council part, the needs factor (from the
// skills) and the stability factor bounded as t allows, the other factors at the best any
// placement could do. It is never above QualityBound at pt's distance from home, and is much
// closer to the real scores; it costs a few chords and a pass over the child's needs, against
// the whole score. Each distance is taken as the chord between the points, which is never
// longer than the arc (by a few metres in a million at 80 km), so the bound only ever errs
// upwards.
func (p *Prepared) QualityBoundAt(pt s2.Point, t Traits) float64 {
	dist := func(q s2.Point) float64 { return chordKm(q, pt) }
	km := math.Inf(1)
	if p.hasHome {
		km = chordKm(p.home, pt)
	}
	return p.qualityBound(dist, km, t)
}

// Identity is the identity factor of the placement for the child (what Score gives it, without
// the words): for a search to tighten QualityBoundAt (Traits.IdentityShort) at the cost of
// reading the placement's languages, faith and ethnicity.
func (p *Prepared) Identity(pl *catalogue.Placement) float64 { return p.identityFactor(pl, nil) }

// anyTraits are the loosest traits: any skill, the best stability, inside the council.
var anyTraits = Traits{Inside: true, Skills: math.MaxUint64, Stability: 1}

// needsBound is the needs factor of a placement holding the skills in bits: needsFactor's
// value itself, from the bits (catalogue.Coverage over catalogue.SkillsFor).
func (p *Prepared) needsBound(bits uint64) float64 {
	c := p.child()
	if len(c.Needs) == 0 || bits == math.MaxUint64 {
		return 1
	}
	total, met := 0.0, 0.0
	for _, n := range c.Needs {
		l := float64(n.Level)
		total += l
		cov := 0.0
		for rank, want := range catalogue.SkillsFor(n.Kind) {
			if i := slices.Index(catalogue.Skills, want); i >= 0 && i < 64 && bits&(1<<i) != 0 {
				if rank == 0 {
					cov = 1
					break
				}
				cov = 0.75
			}
		}
		met += l * cov
	}
	if !(total > 0) {
		return 1
	}
	return met / total
}

// chordKm is the straight-line distance between two points on the Earth's surface, through
// it: never more than the great-circle distance, and within a few parts in a million of it
// for the distances matching deals in.
func chordKm(a, b s2.Point) float64 { return a.Sub(b.Vector).Norm() * catalogue.EarthRadiusKm }

// qualityBound bounds the Quality of a placement whose distance from each of the child's
// anchors is at least dist(anchor), km from home (used only with a home recorded), with the
// traits t at best.
func (p *Prepared) qualityBound(dist func(s2.Point) float64, km float64, t Traits) float64 {
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

	ub[idxFamily] = Neutral // people who must not know where the child lives only lower it
	if p.safeFreq > 0 {
		sum := 0.0
		for _, ct := range p.contacts {
			if ct.scored {
				sum += ct.perMonth * ramp(dist(ct.pt), contactFullKm, contactNoneKm)
			}
		}
		ub[idxFamily] = sum / p.safeFreq
	}

	ub[idxNeeds] = p.needsBound(t.Skills)
	ub[idxIdentity] = 1 - min(max(t.IdentityShort, 0), 1)
	council := 0.0
	if t.Inside {
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
					if ct.scored && dist(ct.pt) <= nearFamilyKm {
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
	ub[idxStability] = math.Min(math.Max(t.Stability, 0), 1)

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
