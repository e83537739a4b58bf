package scoring

import (
	"math"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
)

// Point returns the S2 point of a location.
func Point(l catalogue.Location) s2.Point {
	return s2.PointFromLatLng(s2.LatLngFromDegrees(l.Lat, l.Lng))
}

// distKm is catalogue.DistanceKm of two points already converted: the same kilometres.
func distKm(a, b s2.Point) float64 { return float64(a.Distance(b)) * catalogue.EarthRadiusKm }

// KmAngle turns a distance on the Earth's surface into an angle at its centre.
func KmAngle(km float64) s1.Angle { return s1.Angle(km / catalogue.EarthRadiusKm) }

func kmChord(km float64) s1.ChordAngle { return s1.ChordAngleFromAngle(KmAngle(km)) }

// zone is an exclusion zone prepared for fast tests: a cap that bounds everything the zone and
// its buffer reject (for circles the cap is exact), and for polygons a normalised loop and its
// edges.
type zone struct {
	member int // which child in the request the zone belongs to (0: the child)
	index  int // the zone's position in that child's list
	reason string
	bound  s2.Cap // rejects nothing outside it; for a circle, exactly what it rejects
	circle bool
	centre s2.Point
	radius float64 // km, circles only
	loop   *s2.Loop
	edges  []s2.Point    // polygon vertices in loop order; edges join neighbours, last to first
	buffer s1.ChordAngle // the buffer as a chord angle; 0: no buffer
	origin bool          // whether the loop contains s2.OriginPoint()
}

// bruteForceVertices: loops up to this size are tested edge by edge (no allocation); larger
// ones through S2's own index.
const bruteForceVertices = 64

// newZone prepares an exclusion zone with a buffer of bufferKm.
//
// A polygon is taken as the area its vertices enclose whichever way round they are listed (the
// loop is normalised so that it encloses the smaller side). Repeated vertices and a closing
// vertex equal to the first are dropped. A polygon that S2 finds invalid, or whose edges cross
// or pass through one vertex twice (a bow tie, a figure of eight), is replaced by its convex
// hull, which contains every point of the drawn shape: when the shape is unclear the child is
// kept further away, never closer. Fewer than three distinct vertices leave a line or a point,
// which is rejected within the buffer.
func newZone(z catalogue.ExclusionZone, bufferKm float64) zone {
	out := zone{reason: z.Reason}
	if bufferKm > 0 {
		out.buffer = kmChord(bufferKm)
	}
	if z.Shape != catalogue.ZonePolygon {
		out.circle = true
		out.centre = Point(z.Centre)
		out.radius = math.Max(z.RadiusKm, 0)
		out.bound = s2.CapFromCenterAngle(out.centre, KmAngle(out.radius+bufferKm))
		return out
	}
	pts := make([]s2.Point, 0, len(z.Vertices))
	for _, v := range z.Vertices {
		p := Point(v)
		if len(pts) > 0 && pts[len(pts)-1] == p {
			continue
		}
		pts = append(pts, p)
	}
	for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
		pts = pts[:len(pts)-1]
	}
	bound := s2.EmptyCap()
	for _, p := range pts {
		bound = bound.AddPoint(p)
	}
	if len(pts) >= 3 {
		l := s2.LoopFromPoints(pts)
		if l.Validate() != nil || selfIntersects(l) {
			q := s2.NewConvexHullQuery()
			for _, p := range pts {
				q.AddPoint(p)
			}
			l = q.ConvexHull()
		}
		if l.NumVertices() >= 3 && !l.IsEmpty() && !l.IsFull() {
			l.Normalize()
			out.loop = l
			out.origin = l.ContainsOrigin()
			pts = l.Vertices()
			bound = l.CapBound()
			// Build the loop's index now (large loops only), so that concurrent checks only read.
			l.ContainsPoint(pts[0])
		}
	}
	out.edges = pts
	out.bound = bound.Expanded(KmAngle(bufferKm))
	return out
}

// hit reports whether pt is inside the zone or within its buffer.
func (z *zone) hit(pt s2.Point) bool {
	if !z.bound.ContainsPoint(pt) {
		return false
	}
	if z.circle {
		return true
	}
	if z.inside(pt) {
		return true
	}
	n := len(z.edges)
	switch {
	case n == 0:
		return false
	case n == 1:
		return s2.ChordAngleBetweenPoints(pt, z.edges[0]) <= z.buffer
	}
	for i, a := range z.edges {
		b := z.edges[0]
		if i+1 < n {
			b = z.edges[i+1]
		}
		if s2.IsDistanceLess(pt, a, b, z.buffer) || a == pt {
			return true
		}
	}
	return false
}

// inside reports whether pt is inside the polygon's loop: for small loops by counting edge
// crossings from the origin point, as S2 does, without allocating.
func (z *zone) inside(pt s2.Point) bool {
	switch {
	case z.loop == nil:
		return false
	case len(z.edges) > bruteForceVertices:
		return z.loop.ContainsPoint(pt)
	}
	in := z.origin
	origin := s2.OriginPoint()
	n := len(z.edges)
	for i, a := range z.edges {
		b := z.edges[0]
		if i+1 < n {
			b = z.edges[i+1]
		}
		if crossing(origin, pt, a, b) {
			in = !in
		}
	}
	return in
}

// crossing is s2.EdgeOrVertexCrossing without its allocation (s2's EdgeCrosser escapes to the
// heap): whether edge AB crosses edge CD, with S2's rule for shared vertices, so that counting
// crossings tests containment. RobustSign never calls three distinct points collinear.
func crossing(a, b, c, d s2.Point) bool {
	if a == c || a == d || b == c || b == d {
		return s2.VertexCrossing(a, b, c, d)
	}
	if a == b || c == d {
		return false
	}
	acb := -s2.RobustSign(a, b, c)
	if bda := s2.RobustSign(a, b, d); bda != acb {
		return false
	}
	if cbd := -s2.RobustSign(c, d, b); cbd != acb {
		return false
	}
	return s2.RobustSign(c, d, a) == acb
}

// distanceKm is how far pt is from the zone: 0 inside it.
func (z *zone) distanceKm(pt s2.Point) float64 {
	if z.circle {
		return math.Max(distKm(pt, z.centre)-z.radius, 0)
	}
	if z.inside(pt) {
		return 0
	}
	best := math.Inf(1)
	n := len(z.edges)
	for i, a := range z.edges {
		b := z.edges[0]
		if i+1 < n {
			b = z.edges[i+1]
		}
		best = math.Min(best, float64(s2.DistanceFromSegment(pt, a, b))*catalogue.EarthRadiusKm)
	}
	return best
}

// selfIntersects reports whether two edges of the loop cross, or the loop passes through one
// vertex twice: s2.Loop.Validate does not check either yet.
func selfIntersects(l *s2.Loop) bool {
	seen := make(map[s2.Point]bool, l.NumVertices())
	for _, v := range l.Vertices() {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	idx := s2.NewShapeIndex()
	idx.Add(l)
	q := s2.NewCrossingEdgeQuery(idx)
	for i := range l.NumEdges() {
		e := l.Edge(i)
		if len(q.Crossings(e.V0, e.V1, l, s2.CrossingTypeInterior)) > 0 {
			return true
		}
	}
	return false
}
