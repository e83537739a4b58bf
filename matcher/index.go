package matcher

import (
	"slices"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// angleToKm converts an angle at the centre of the Earth to a great-circle distance.
func angleToKm(a s1.Angle) float64 { return a.Radians() * catalogue.EarthRadiusKm }

// cellIndex is a point index over placement locations. golang/geo has no point index of its
// own, so this keeps the leaf cell ID of every point sorted and answers "which points lie within
// r of c" by covering the cap with a few cells and binary-searching each cell's range of leaf
// IDs, then checking the exact distance.
type cellIndex struct {
	cells  []s2.CellID // sorted leaf cells
	slots  []int32     // slots[i] is the caller's index of the point in cells[i]
	points []s2.Point  // points[i] is the point in cells[i], kept in cell order so scans are sequential
}

// newCellIndex indexes points; the caller's index of each point is its position in the slice.
func newCellIndex(points []s2.Point) *cellIndex {
	type pair struct {
		cell s2.CellID
		slot int32
	}
	pairs := make([]pair, len(points))
	for i, p := range points {
		pairs[i] = pair{s2.CellFromPoint(p).ID(), int32(i)}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.cell != b.cell {
			if a.cell < b.cell {
				return -1
			}
			return 1
		}
		return int(a.slot - b.slot)
	})
	ix := &cellIndex{
		cells:  make([]s2.CellID, len(pairs)),
		slots:  make([]int32, len(pairs)),
		points: make([]s2.Point, len(pairs)),
	}
	for i, p := range pairs {
		ix.cells[i], ix.slots[i], ix.points[i] = p.cell, p.slot, points[p.slot]
	}
	return ix
}

// within calls fn for every point whose distance from centre is more than inner and at most
// outer (both in km), with the distance as a chord angle (angleToKm(d.Angle()) converts it: the
// conversion costs an arcsine, so it is left to callers that need it). Use inner < 0 to include
// the centre itself. Points come in cell order, not distance order.
func (ix *cellIndex) within(centre s2.Point, inner, outer float64, fn func(slot int32, d s1.ChordAngle)) {
	if len(ix.cells) == 0 || outer < 0 {
		return
	}
	r := newRing(centre, inner, outer)
	ix.inRing(&r, fn)
}

// ring is the cells covering the points more than inner and at most outer km from a centre,
// computed once for searching several indexes.
type ring struct {
	centre                 s2.Point
	innerChord, outerChord s1.ChordAngle
	cells                  []s2.CellID
}

// newRing covers the ring: the cap of radius outer, less the cells wholly inside the disc of
// radius inner (a ring after the first need not visit those again).
func newRing(centre s2.Point, inner, outer float64) ring {
	r := ring{centre: centre, outerChord: s1.ChordAngleFromAngle(scoring.KmAngle(outer)), innerChord: s1.NegativeChordAngle}
	if outer < 0 {
		return r
	}
	if inner >= 0 {
		r.innerChord = s1.ChordAngleFromAngle(scoring.KmAngle(inner))
	}
	// The inner disc shrunk by a millimetre, so that rounding never drops a cell with a point
	// just outside it.
	var innerCap s2.Cap
	if inner > 0 {
		innerCap = s2.CapFromCenterAngle(centre, scoring.KmAngle(max(inner-1e-6, 0)))
	}
	for _, c := range covering(s2.CapFromCenterChordAngle(centre, r.outerChord), outer) {
		if inner > 0 && innerCap.ContainsCell(s2.CellFromCellID(c)) {
			continue
		}
		r.cells = append(r.cells, c)
	}
	return r
}

// inRing calls fn for every point of the index in the ring, as within does.
func (ix *cellIndex) inRing(r *ring, fn func(slot int32, d s1.ChordAngle)) {
	if len(ix.cells) == 0 {
		return
	}
	for _, c := range r.cells {
		lo, hi := c.RangeMin(), c.RangeMax()
		i, _ := slices.BinarySearch(ix.cells, lo)
		for ; i < len(ix.cells) && ix.cells[i] <= hi; i++ {
			d := s2.ChordAngleBetweenPoints(r.centre, ix.points[i])
			if d <= r.outerChord && d > r.innerChord {
				fn(ix.slots[i], d)
			}
		}
	}
}

// covering returns cells covering the cap. For small caps the four-cell bound is cheapest; for
// larger ones it wastes too much area, so each of its cells is split twice, keeping the children
// that meet the cap: at most 64 cells, about five times the cap's area at worst, for a few
// dozen cap-cell tests. (s2.RegionCoverer finds tighter coverings, but its priority queue costs
// more than the extra points it saves here: measured with BenchmarkCellIndexWithin.)
func covering(c s2.Cap, km float64) []s2.CellID {
	cells := c.CellUnionBound()
	if km <= smallCapKm {
		return cells
	}
	for range 2 {
		next := make([]s2.CellID, 0, 4*len(cells))
		for _, id := range cells {
			if id.IsLeaf() {
				next = append(next, id)
				continue
			}
			for _, ch := range id.Children() {
				if c.IntersectsCell(s2.CellFromCellID(ch)) {
					next = append(next, ch)
				}
			}
		}
		cells = next
	}
	return cells
}

// smallCapKm is the radius up to which Cap.CellUnionBound is used (measured with
// BenchmarkCellIndexWithin).
const smallCapKm = 8

// len is the number of points indexed.
func (ix *cellIndex) len() int { return len(ix.cells) }
