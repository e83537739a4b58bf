package matcher

import (
	"slices"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// Suitable lists every placement of the snapshot that passes every hard constraint for the
// request, by slot (its position in Placements()), ascending: the supply that can meet the
// child's need, all of it, where Options stops once it holds the best. It checks what a complete
// Options search checks: every placement of the kinds of care every child is assessed for within
// the policy's maximum distance of the child's home (of those kinds, every one when the home is
// not known), and the kinship carers assessed for one of the children, wherever they live. The
// batch's prefilter spares most of them Prepared.CheckAt.
func (s *Snapshot) Suitable(prep *scoring.Prepared) []int32 {
	f := newPrefilter(prep)
	var out []int32
	check := func(slot int32) {
		if f.passes(&s.meta[slot]) && !prep.CheckAt(&s.placements[slot], s.points[slot]).Rejected() {
			out = append(out, slot)
		}
	}
	kids := prep.Children()
	s.around(s.indexFor(f.kinds), kids[0].Home, prep.MaxDistanceKm(), func(slot int32, _ s1.ChordAngle) { check(slot) })
	for _, slot := range s.kinshipFor(kids) {
		check(slot)
	}
	slices.Sort(out)
	return out
}

// Obstacles counts, for each hard constraint (indexed as scoring.Constraints), the placements
// that it alone keeps from the request (Prepared.OnlyObstacleAt): relaxing that one rule would
// make each of them an option. It looks at every placement of every kind within km of the
// child's home (every one when the home is not known) and at the kinship carers assessed for one
// of the children; with km beyond the policy's maximum distance, it counts the homes that
// distance alone keeps away. The prefilter spares a full check to those that surely break two
// constraints or more.
func (s *Snapshot) Obstacles(prep *scoring.Prepared, km float64) [scoring.NConstraints]int32 {
	f := newPrefilter(prep)
	reach := s1.ChordAngleFromAngle(scoring.KmAngle(prep.MaxDistanceKm()))
	var out [scoring.NConstraints]int32
	count := func(slot int32, beyond bool) {
		broken := 0
		if beyond {
			broken = 1
		}
		if broken+f.breaks(&s.meta[slot], 2-broken) >= 2 {
			return
		}
		if c, ok := prep.OnlyObstacleAt(&s.placements[slot], s.points[slot]); ok {
			out[slices.Index(scoring.Constraints, c)]++
		}
	}
	kids := prep.Children()
	s.around(s.index, kids[0].Home, km, func(slot int32, d s1.ChordAngle) { count(slot, d > reach) })
	for _, slot := range s.kinshipFor(kids) {
		count(slot, false)
	}
	return out
}

// around calls fn for every placement of ix within km of home, with its distance as a chord
// angle; for every placement of ix, at distance 0, when the home is not known.
func (s *Snapshot) around(ix *cellIndex, home catalogue.Location, km float64, fn func(slot int32, d s1.ChordAngle)) {
	if home.IsZero() {
		for _, slot := range ix.slots {
			fn(slot, 0)
		}
		return
	}
	ix.within(pointOf(home), -1, km, fn)
}

// kinshipFor lists the kinship carers assessed for one of the children, each once.
func (s *Snapshot) kinshipFor(kids []catalogue.Child) []int32 {
	var out []int32
	for _, c := range kids {
		for _, slot := range s.kinship[c.ID] {
			if !slices.Contains(out, slot) {
				out = append(out, slot)
			}
		}
	}
	return out
}

// SuitableAdded is Suitable over the placements at slot from and after only: for a snapshot
// that is another's placements (the same, at the same slots) with more added after them (by ID,
// as a what-if adds them), the other's Suitable followed by this gives this one's.
func (s *Snapshot) SuitableAdded(prep *scoring.Prepared, from int) []int32 {
	f := newPrefilter(prep)
	kids := prep.Children()
	home := kids[0].Home
	reach := s1.ChordAngleFromAngle(scoring.KmAngle(prep.MaxDistanceKm()))
	var out []int32
	for slot := int32(from); slot < int32(len(s.placements)); slot++ {
		p := &s.placements[slot]
		if p.Kind == catalogue.Kinship {
			// As kinshipFor: a kinship carer assessed for one of the children, wherever they live.
			if !slices.ContainsFunc(kids, func(c catalogue.Child) bool { return slices.Contains(p.ConnectedTo, c.ID) }) {
				continue
			}
		} else if s.meta[slot].kind&f.kinds == 0 || (!home.IsZero() && s2.ChordAngleBetweenPoints(pointOf(home), s.points[slot]) > reach) {
			// As around over indexFor(f.kinds): the placements of the kinds, within the distance.
			continue
		}
		if f.passes(&s.meta[slot]) && !prep.CheckAt(p, s.points[slot]).Rejected() {
			out = append(out, slot)
		}
	}
	return out
}
