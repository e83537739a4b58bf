package sufficiency

import (
	"math"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// grid indexes the placements of a snapshot (kinship carers apart: they are looked up by the
// children they are assessed for) in cells of gridStep degrees, one list per placement kind, so
// that a scan visits only the placements of the kinds a child can take that lie near them.
type grid struct {
	lat0, lng0 float64
	nlat, nlng int
	cells      [][]int32 // (cell*nKinds + kind) -> positions in the snapshot, ascending
	pts        []s2.Point
}

const (
	gridStep   = 0.25 // degrees
	kmPerDeg   = catalogue.EarthRadiusKm * math.Pi / 180
	nKinds     = 5
	allKinds   = 1<<nKinds - 1
	kinshipBit = 1 << 2 // catalogue.Kinship's position in catalogue.PlacementKinds
)

func kindIndex(k catalogue.PlacementKind) int {
	for i, x := range catalogue.PlacementKinds {
		if x == k {
			return i
		}
	}
	return -1
}

func newGrid(ps []catalogue.Placement) *grid {
	g := &grid{pts: make([]s2.Point, len(ps))}
	minLat, minLng, maxLat, maxLng := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range ps {
		l := ps[i].Location
		g.pts[i] = scoring.Point(l)
		minLat, maxLat = math.Min(minLat, l.Lat), math.Max(maxLat, l.Lat)
		minLng, maxLng = math.Min(minLng, l.Lng), math.Max(maxLng, l.Lng)
	}
	if len(ps) == 0 {
		minLat, minLng, maxLat, maxLng = 0, 0, 0, 0
	}
	g.lat0, g.lng0 = math.Floor(minLat/gridStep)*gridStep, math.Floor(minLng/gridStep)*gridStep
	g.nlat = int((maxLat-g.lat0)/gridStep) + 1
	g.nlng = int((maxLng-g.lng0)/gridStep) + 1
	g.cells = make([][]int32, g.nlat*g.nlng*nKinds)
	for i := range ps {
		k := kindIndex(ps[i].Kind)
		if k < 0 || ps[i].Kind == catalogue.Kinship {
			continue
		}
		c := g.cell(ps[i].Location)
		g.cells[c*nKinds+k] = append(g.cells[c*nKinds+k], int32(i))
	}
	return g
}

func (g *grid) cell(l catalogue.Location) int {
	r := min(max(int((l.Lat-g.lat0)/gridStep), 0), g.nlat-1)
	c := min(max(int((l.Lng-g.lng0)/gridStep), 0), g.nlng-1)
	return r*g.nlng + c
}

// within calls fn for every indexed placement of the kinds in mask (bit i: PlacementKinds[i])
// no further than km from centre (great-circle), with its distance as a chord angle. Order:
// cell by cell, ascending positions within a cell. A centre at the zero location (unknown)
// visits every placement.
func (g *grid) within(centre catalogue.Location, km float64, mask uint8, fn func(pos int32, d s1.ChordAngle)) {
	if len(g.pts) == 0 {
		return
	}
	r0, r1, c0, c1 := 0, g.nlat-1, 0, g.nlng-1
	limit := s1.InfChordAngle()
	var pt s2.Point
	if !centre.IsZero() {
		pt = scoring.Point(centre)
		limit = s1.ChordAngleFromAngle(scoring.KmAngle(km))
		dLat := km/kmPerDeg + 1e-9
		top := math.Min(89, math.Abs(centre.Lat)+dLat)
		dLng := math.Min(180, km/(kmPerDeg*math.Cos(top*math.Pi/180))+1e-9)
		r0 = max(int(math.Floor((centre.Lat-dLat-g.lat0)/gridStep)), 0)
		r1 = min(int(math.Floor((centre.Lat+dLat-g.lat0)/gridStep)), g.nlat-1)
		c0 = max(int(math.Floor((centre.Lng-dLng-g.lng0)/gridStep)), 0)
		c1 = min(int(math.Floor((centre.Lng+dLng-g.lng0)/gridStep)), g.nlng-1)
	}
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			base := (r*g.nlng + c) * nKinds
			for k := range nKinds {
				if mask&(1<<k) == 0 {
					continue
				}
				for _, pos := range g.cells[base+k] {
					if centre.IsZero() {
						fn(pos, 0)
						continue
					}
					if d := s2.ChordAngleBetweenPoints(pt, g.pts[pos]); d <= limit {
						fn(pos, d)
					}
				}
			}
		}
	}
}
