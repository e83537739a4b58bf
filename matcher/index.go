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
	outerChord := s1.ChordAngleFromAngle(scoring.KmAngle(outer))
	innerChord := s1.NegativeChordAngle
	if inner >= 0 {
		innerChord = s1.ChordAngleFromAngle(scoring.KmAngle(inner))
	}
	capRegion := s2.CapFromCenterChordAngle(centre, outerChord)
	var innerCap s2.Cap
	if inner > 0 {
		innerCap = s2.CapFromCenterChordAngle(centre, innerChord)
	}
	for _, c := range ix.covering(capRegion, outer) {
		// A ring after the first need not visit the cells wholly inside the disc before it.
		if inner > 0 && innerCap.ContainsCell(s2.CellFromCellID(c)) {
			continue
		}
		lo, hi := c.RangeMin(), c.RangeMax()
		i, _ := slices.BinarySearch(ix.cells, lo)
		for ; i < len(ix.cells) && ix.cells[i] <= hi; i++ {
			d := s2.ChordAngleBetweenPoints(centre, ix.points[i])
			if d <= outerChord && d > innerChord {
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
func (ix *cellIndex) covering(c s2.Cap, km float64) []s2.CellID {
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
