package matcher

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
)

func randomEnglandPoints(r *rand.Rand, n int) []s2.Point {
	pts := make([]s2.Point, n)
	for i := range pts {
		pts[i] = s2.PointFromLatLng(s2.LatLngFromDegrees(50+r.Float64()*5.5, -5.5+r.Float64()*7.2))
	}
	return pts
}

// TestCellIndexMatchesBruteForce: every point the index returns is within the ring, and every
// point within the ring is returned exactly once.
func TestCellIndexMatchesBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	pts := randomEnglandPoints(r, 5000)
	// Duplicated points (a home with two places, two homes in one building) must all be found.
	pts = append(pts, pts[0], pts[0], pts[17])
	ix := newCellIndex(pts)
	for q := 0; q < 200; q++ {
		centre := randomEnglandPoints(r, 1)[0]
		if q == 0 {
			centre = pts[0]
		}
		inner := -1.0
		if q%3 == 1 {
			inner = r.Float64() * 30
		}
		outer := inner + 1 + r.Float64()*120
		var got []int32
		ix.within(centre, inner, outer, func(slot int32, ca s1.ChordAngle) {
			km := angleToKm(ca.Angle())
			d := angleToKm(centre.Distance(pts[slot]))
			if diff := d - km; diff > 1e-6 || diff < -1e-6 {
				t.Fatalf("distance %g reported as %g", d, km)
			}
			got = append(got, slot)
		})
		var want []int32
		for i, p := range pts {
			d := angleToKm(centre.Distance(p))
			if d <= outer && d > inner {
				want = append(want, int32(i))
			}
		}
		slices.Sort(got)
		// Points within a hair of the boundary may fall either side of the chord comparison.
		if !slices.Equal(got, want) && !nearBoundary(centre, pts, got, want, inner, outer) {
			t.Fatalf("query %d (inner %.1f outer %.1f): got %d points, want %d", q, inner, outer, len(got), len(want))
		}
		if q == 0 && len(got) < 3 {
			t.Fatalf("the three points at the centre were not all returned: %v", got)
		}
	}
}

// nearBoundary reports whether every point on which got and want differ lies within a hair of
// the ring's edges, where the chord comparison and the angle may round differently.
func nearBoundary(centre s2.Point, pts []s2.Point, got, want []int32, inner, outer float64) bool {
	count := map[int32]int{}
	for _, g := range got {
		count[g]++
	}
	for _, w := range want {
		count[w]--
	}
	for slot, n := range count {
		if n == 0 {
			continue
		}
		d := angleToKm(centre.Distance(pts[slot]))
		if math.Abs(d-outer) > 1e-6 && math.Abs(d-inner) > 1e-6 {
			return false
		}
	}
	return true
}

func TestCellIndexEmpty(t *testing.T) {
	t.Parallel()
	ix := newCellIndex(nil)
	ix.within(s2.PointFromLatLng(s2.LatLngFromDegrees(53, -2)), -1, 100, func(int32, s1.ChordAngle) {
		t.Fatal("an empty index returned a point")
	})
}

func BenchmarkCellIndexWithin(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	ix := newCellIndex(randomEnglandPoints(r, 100_000))
	centres := randomEnglandPoints(r, 256)
	for _, km := range []float64{5, 20, 80} {
		b.Run(fmtKm(km), func(b *testing.B) {
			b.ReportAllocs()
			i, n := 0, 0
			for b.Loop() {
				ix.within(centres[i%len(centres)], -1, km, func(int32, s1.ChordAngle) { n++ })
				i++
			}
			b.ReportMetric(float64(n)/float64(i), "points/op")
		})
	}
}

func fmtKm(km float64) string {
	return string(rune('0'+int(km)/10%10)) + string(rune('0'+int(km)%10)) + "km"
}

// TestIndexForKinds: the index of a set of kinds returns, in the same order, exactly the points
// of the whole index whose kind is in the set.
func TestIndexForKinds(t *testing.T) {
	t.Parallel()
	w := westYorkshire()
	snap := w.engine().Snapshot()
	centre := snap.index.points[len(snap.index.points)/2]
	for _, kinds := range []uint8{allBits, kindBit(catalogue.CouncilFoster) | kindBit(catalogue.AgencyFoster),
		kindBit(catalogue.ChildrensHome), kindBit(catalogue.SupportedAccommodation), kindBit(catalogue.Kinship)} {
		var want, got []int32
		snap.index.within(centre, 3, 60, func(slot int32, _ s1.ChordAngle) {
			if snap.meta[slot].kind&kinds != 0 {
				want = append(want, slot)
			}
		})
		ix := snap.indexFor(kinds)
		ix.within(centre, 3, 60, func(slot int32, _ s1.ChordAngle) { got = append(got, slot) })
		if !slices.Equal(got, want) {
			t.Errorf("kinds %08b: %d points, want %d in the whole index's order", kinds, len(got), len(want))
		}
		if snap.indexFor(kinds) != ix {
			t.Errorf("kinds %08b: the index is made again", kinds)
		}
	}
}
