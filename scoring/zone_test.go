package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
)

// A planar reference for small zones: positions in km east and north of a centre.
type xy struct{ x, y float64 }

func toXY(centre, l catalogue.Location) xy {
	return xy{
		x: (l.Lng - centre.Lng) * kmPerDegree * math.Cos(centre.Lat*math.Pi/180),
		y: (l.Lat - centre.Lat) * kmPerDegree,
	}
}

func planarInside(poly []xy, p xy) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

func planarBoundaryKm(poly []xy, p xy) float64 {
	best := math.Inf(1)
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		dx, dy := b.x-a.x, b.y-a.y
		t := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			t = math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
		}
		best = math.Min(best, math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy))
	}
	return best
}

// starPolygon makes a random simple polygon: vertices at increasing angles around the centre,
// each at a random radius, listed anticlockwise or (reversed) clockwise.
func starPolygon(rng *rand.Rand, centre catalogue.Location, n int, clockwise bool) []catalogue.Location {
	angles := make([]float64, n)
	for i := range angles {
		angles[i] = rng.Float64() * 2 * math.Pi
	}
	slices.Sort(angles)
	vs := make([]catalogue.Location, 0, n)
	for _, a := range angles {
		r := 0.3 + rng.Float64()*4.7
		vs = append(vs, offset(centre, r*math.Sin(a), r*math.Cos(a)))
	}
	if clockwise {
		slices.Reverse(vs)
	}
	return vs
}

// TestZoneAgainstPlanar compares polygon zones, drawn either way round, with a flat-earth
// reference on random points: inside, or within the buffer of the boundary, is rejected.
// Points within 30 m of a decision edge are skipped (the flat approximation is not that exact).
func TestZoneAgainstPlanar(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	const bufferKm, slack = 1.0, 0.03
	checked := 0
	for trial := range 300 {
		centre := catalogue.Location{Lat: 50.5 + rng.Float64()*4.5, Lng: -3 + rng.Float64()*3}
		n := 3 + rng.IntN(60)
		vs := starPolygon(rng, centre, n, trial%2 == 1)
		z := newZone(catalogue.ExclusionZone{Shape: catalogue.ZonePolygon, Vertices: vs}, bufferKm)
		poly := make([]xy, len(vs))
		for i, v := range vs {
			poly[i] = toXY(centre, v)
		}
		for range 200 {
			l := offset(centre, (rng.Float64()-0.5)*16, (rng.Float64()-0.5)*16)
			p := toXY(centre, l)
			d := planarBoundaryKm(poly, p)
			if d < slack || math.Abs(d-bufferKm) < slack {
				continue
			}
			inside := planarInside(poly, p)
			want := inside || d < bufferKm
			pt := Point(l)
			if got := z.hit(pt); got != want {
				t.Fatalf("trial %d (%d vertices, clockwise %v): point %v hit %v, want %v (inside %v, %.3f km from the boundary)",
					trial, n, trial%2 == 1, l, got, want, inside, d)
			}
			if gotKm := z.distanceKm(pt); inside && gotKm != 0 || !inside && math.Abs(gotKm-d) > 0.01*d+slack {
				t.Fatalf("trial %d: distance %.3f km, planar %.3f (inside %v)", trial, gotKm, d, inside)
			}
			checked++
		}
	}
	if checked < 30000 {
		t.Errorf("only %d points checked", checked)
	}
}

func TestZoneCircle(t *testing.T) {
	t.Parallel()
	centre := offset(leedsHome, 10, 10)
	z := newZone(catalogue.ExclusionZone{Shape: catalogue.ZoneCircle, Centre: centre, RadiusKm: 2}, 1)
	for _, tt := range []struct {
		km   float64
		want bool
	}{{0, true}, {1.99, true}, {2.5, true}, {2.99, true}, {3.01, false}, {50, false}} {
		l := offset(centre, tt.km, 0)
		if got := z.hit(Point(l)); got != tt.want {
			t.Errorf("%.2f km from the centre: hit %v, want %v", tt.km, got, tt.want)
		}
		if d := z.distanceKm(Point(l)); !approx(d, math.Max(tt.km-2, 0), testToleranceKm) {
			t.Errorf("%.2f km from the centre: distance %.3f", tt.km, d)
		}
	}
}

// TestZoneOddShapes: shapes S2 cannot take as drawn are handled conservatively.
func TestZoneOddShapes(t *testing.T) {
	t.Parallel()
	c := offset(leedsHome, 20, 0)
	at := func(n, e float64) catalogue.Location { return offset(c, n, e) }
	tests := []struct {
		name   string
		vs     []catalogue.Location
		buffer float64
		hits   []catalogue.Location
		misses []catalogue.Location
	}{
		{"closed ring (last vertex repeats the first)",
			[]catalogue.Location{at(-1, -1), at(-1, 1), at(1, 1), at(1, -1), at(-1, -1)}, 0,
			[]catalogue.Location{c}, []catalogue.Location{at(0, 1.5)}},
		{"repeated vertices",
			[]catalogue.Location{at(-1, -1), at(-1, -1), at(-1, 1), at(1, 1), at(1, 1), at(1, -1)}, 0,
			[]catalogue.Location{c}, []catalogue.Location{at(0, 1.5)}},
		{"bow tie becomes its convex hull",
			[]catalogue.Location{at(-1, -1), at(1, 1), at(-1, 1), at(1, -1)}, 0,
			[]catalogue.Location{c, at(0, 0.9), at(0.9, 0)}, []catalogue.Location{at(0, 1.5)}},
		{"a point is rejected within the buffer",
			[]catalogue.Location{c, c, c}, 1,
			[]catalogue.Location{c, at(0.9, 0)}, []catalogue.Location{at(1.1, 0)}},
		{"a line is rejected within the buffer",
			[]catalogue.Location{at(0, -2), at(0, 2), at(0, -2)}, 1,
			[]catalogue.Location{c, at(0.9, 1.5)}, []catalogue.Location{at(1.1, 0), at(0, 3.1)}},
		{"a vertex is rejected even without a buffer",
			[]catalogue.Location{at(-1, -1), at(-1, 1), at(1, 1)}, 0,
			[]catalogue.Location{at(1, 1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := newZone(catalogue.ExclusionZone{Shape: catalogue.ZonePolygon, Vertices: tt.vs}, tt.buffer)
			for _, l := range tt.hits {
				if !z.hit(Point(l)) {
					t.Errorf("%v not rejected", l)
				}
			}
			for _, l := range tt.misses {
				if z.hit(Point(l)) {
					t.Errorf("%v rejected", l)
				}
			}
		})
	}
}

// FuzzZone: any polygon, however drawn, prepares without panicking, rejects its own vertices
// (they are within the buffer), and agrees between hit and distanceKm.
func FuzzZone(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10}, uint8(10))
	f.Add([]byte{0, 0, 10, 10, 0, 10, 10, 0}, uint8(5))
	f.Add([]byte{1, 1, 1, 1, 1, 1}, uint8(0))
	f.Add([]byte{0, 0, 200, 0, 0, 0}, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, buf uint8) {
		if len(data) < 6 || len(data) > 400 {
			return
		}
		centre := offset(leedsHome, 30, 30)
		var vs []catalogue.Location
		for i := 0; i+1 < len(data); i += 2 {
			vs = append(vs, offset(centre, float64(int8(data[i]))/10, float64(int8(data[i+1]))/10))
		}
		bufferKm := float64(buf%50) / 10
		z := newZone(catalogue.ExclusionZone{Shape: catalogue.ZonePolygon, Vertices: vs}, bufferKm)
		for _, v := range vs {
			if bufferKm > 0 && !z.hit(Point(v)) {
				t.Fatalf("vertex %v of its own zone not rejected (buffer %g km)", v, bufferKm)
			}
		}
		for i := range 20 {
			l := offset(centre, float64(i%5)-2, float64(i/5)-2)
			pt := Point(l)
			d := z.distanceKm(pt)
			// A point clearly beyond the buffer is not hit; one clearly inside it is.
			if d > bufferKm+0.01 && z.hit(pt) {
				t.Fatalf("point %.3f km away hit with a %g km buffer", d, bufferKm)
			}
			if d < bufferKm-0.01 && !z.hit(pt) {
				t.Fatalf("point %.3f km away missed with a %g km buffer", d, bufferKm)
			}
		}
	})
}

// TestCheckConcurrent: one Prepared used from many goroutines (the matcher scores concurrently),
// with a polygon large enough for S2 to use its index, gives the same answers as one goroutine.
func TestCheckConcurrent(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	c := amy()
	c.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZonePolygon, Vertices: starPolygon(rng, offset(leedsHome, 5, 5), 200, false)}}
	p := prepare(t, Request{Child: c})
	homes := make([]catalogue.Placement, 500)
	want := make([]Constraint, len(homes))
	for i := range homes {
		homes[i] = fosterHome()
		homes[i].Location = offset(leedsHome, rng.NormFloat64()*8, rng.NormFloat64()*8)
	}
	fresh := prepare(t, Request{Child: c})
	for i := range homes {
		want[i] = fresh.Check(&homes[i]).Constraint
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range homes {
				i := (k + g*61) % len(homes)
				if got := p.Check(&homes[i]).Constraint; got != want[i] {
					errs <- string(got) + " != " + string(want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	n := 0
	for _, w := range want {
		if w == ConstraintExclusionZone {
			n++
		}
	}
	if n == 0 || n == len(homes) {
		t.Errorf("%d of %d homes in the zone: the test does not exercise both sides", n, len(homes))
	}
}

// TestCrossingMatchesS2: the allocation-free crossing test agrees with s2.EdgeOrVertexCrossing,
// on random edges and on edges that share vertices.
func TestCrossingMatchesS2(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 14))
	pts := make([]catalogue.Location, 12)
	for i := range pts {
		pts[i] = offset(leedsHome, rng.NormFloat64()*3, rng.NormFloat64()*3)
	}
	for range 20000 {
		a, b, c, d := Point(pts[rng.IntN(12)]), Point(pts[rng.IntN(12)]), Point(pts[rng.IntN(12)]), Point(pts[rng.IntN(12)])
		if got, want := crossing(a, b, c, d), s2.EdgeOrVertexCrossing(a, b, c, d); got != want {
			t.Fatalf("crossing(%v, %v, %v, %v) = %v, s2 says %v", a, b, c, d, got, want)
		}
	}
}

// TestOneDistance: the matcher's distance between points it has converted is catalogue's
// DistanceKm to the last bit, so that options, runs, the report and the API say the same
// kilometres.
func TestOneDistance(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 14))
	for range 10000 {
		a := catalogue.Location{Lat: 49 + 12*r.Float64(), Lng: -11 + 13.5*r.Float64()}
		b := catalogue.Location{Lat: a.Lat + r.NormFloat64(), Lng: a.Lng + r.NormFloat64()}
		if got, want := distKm(Point(a), Point(b)), catalogue.DistanceKm(a, b); got != want {
			t.Fatalf("%v to %v: the matcher says %v km, catalogue %v", a, b, got, want)
		}
	}
	if d := catalogue.DistanceKm(catalogue.Location{Lat: 51.5074, Lng: -0.1278}, catalogue.Location{Lat: 53.4808, Lng: -2.2426}); math.Abs(d-262.5) > 1 {
		t.Errorf("London to Manchester: %.1f km, want about 262.5", d)
	}
}
