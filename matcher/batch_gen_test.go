package matcher

import (
	"math"
	"math/rand/v2"
	"slices"
)

// genSpec describes a generated batch problem: children and placements scattered over a unit
// square, each child or sibling group with candidate households within a radius, costing more
// with distance and with noise, and places opening on a few days.
type genSpec struct {
	children   int
	places     int
	groupShare float64 // of children in sibling groups planned together (sizes 2 to 4)
	radius     float64 // candidates within this distance
	maxCands   int     // nearest candidates kept per entity
	seed       uint64
}

func genProblem(s genSpec) *problem {
	r := rand.New(rand.NewPCG(s.seed, 0x6e7))
	type pt struct{ x, y float64 }
	p := &problem{places: map[int32]*place{}}
	locs := make([]pt, s.places)
	for k := range s.places {
		locs[k] = pt{r.Float64(), r.Float64()}
		pl := &place{}
		n := int32(1 + r.IntN(3))
		if r.Float64() < 0.2 && n > 1 {
			pl.levels = []level{{day: 0, count: 1}, {day: 14, count: n - 1}}
		} else {
			pl.levels = []level{{day: int32(r.IntN(2) * 7), count: n}}
		}
		pl.room = n
		if r.Float64() < 0.1 && n > 1 {
			pl.room = n - 1
		}
		p.places[int32(k)] = pl
	}
	groupKids := int(math.Round(float64(s.children) * s.groupShare))
	var sizes []int32
	for left := groupKids; left >= 2; {
		sz := int32(2 + r.IntN(3))
		if int(sz) > left || left-int(sz) == 1 {
			sz = int32(left)
			if sz > 4 {
				sz = 2
			}
		}
		sizes = append(sizes, sz)
		left -= int(sz)
	}
	for range s.children - groupKids {
		sizes = append(sizes, 1)
	}
	r.Shuffle(len(sizes), func(i, j int) { sizes[i], sizes[j] = sizes[j], sizes[i] })
	units := int64(0)
	for _, sz := range sizes {
		at := pt{r.Float64(), r.Float64()}
		e := entity{size: sz, day: []int32{0, 7, 30}[r.IntN(3)], bound: math.MaxInt64}
		type near struct {
			d    float64
			slot int32
		}
		var ns []near
		for k, l := range locs {
			d := math.Hypot(l.x-at.x, l.y-at.y)
			pl := p.places[int32(k)]
			j := pl.entry(e.day)
			if d > s.radius || j < 0 || !pl.fitsWith(nil, [2]int32{int32(j), sz}) {
				continue
			}
			if sz > 1 && r.Float64() < 0.3 { // not approved for brothers and sisters together
				continue
			}
			ns = append(ns, near{d, int32(k)})
		}
		slices.SortFunc(ns, func(a, b near) int {
			if a.d < b.d {
				return -1
			}
			if a.d > b.d {
				return 1
			}
			return int(a.slot - b.slot)
		})
		if len(ns) > s.maxCands {
			ns = ns[:s.maxCands]
		}
		for _, n := range ns {
			c := int32(n.d/s.radius*6000) + int32(r.IntN(4000))
			e.arcs = append(e.arcs, batchArc{slot: n.slot, cost: min(c, maxArcCost)})
		}
		slices.SortFunc(e.arcs, compareArcs)
		p.ents = append(p.ents, e)
		units += 2 * int64(sz)
	}
	p.penalty = penaltyFor(units)
	return p
}
