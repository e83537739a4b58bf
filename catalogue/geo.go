package catalogue

import "math"

// Location is a point in WGS84 degrees. Exact locations of homes and families are kept for
// matching and never shown to a child.
type Location struct {
	Lat float64
	Lng float64
}

// The service covers Great Britain and Ireland: children may be placed outside England.
const (
	minLat, maxLat = 49.0, 61.0
	minLng, maxLng = -11.0, 2.5
)

// MilesToKm converts miles to kilometres: the one conversion every distance in words uses.
const MilesToKm = 1.609344

// EarthRadiusKm is the mean radius of the Earth (IUGG), the sphere every distance is measured on.
const EarthRadiusKm = 6371.0088

// DistanceKm is the great-circle ("as the crow flies") distance between two locations: the one
// distance of placematch. It is the arithmetic of S2 (github.com/golang/geo: the angle between
// the points' unit vectors, atan2 of their cross and dot products), which the matcher uses on
// points it has already converted, so that both give the same kilometres to the last bit.
func DistanceKm(a, b Location) float64 {
	ax, ay, az := unitVector(a)
	bx, by, bz := unitVector(b)
	cx, cy, cz := ay*bz-az*by, az*bx-ax*bz, ax*by-ay*bx
	return math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), ax*bx+ay*by+az*bz) * EarthRadiusKm
}

// unitVector is the point on the unit sphere of a location, as S2 makes it.
func unitVector(l Location) (x, y, z float64) {
	const degree = math.Pi / 180
	phi, theta := l.Lat*degree, l.Lng*degree
	cosphi := math.Cos(phi)
	return math.Cos(theta) * cosphi, math.Sin(theta) * cosphi, math.Sin(phi)
}

// IsZero reports whether the location is unset.
func (l Location) IsZero() bool { return l.Lat == 0 && l.Lng == 0 }

func (l Location) validate(p problems) {
	if !(l.Lat >= minLat && l.Lat <= maxLat) { // also catches NaN
		p.add("lat", "must be a latitude in Great Britain or Ireland, between %g and %g", minLat, maxLat)
	}
	if !(l.Lng >= minLng && l.Lng <= maxLng) {
		p.add("lng", "must be a longitude in Great Britain or Ireland, between %g and %g", minLng, maxLng)
	}
}

// Validate checks the location is a point in Great Britain or Ireland.
func (l Location) Validate() error {
	p := newProblems()
	l.validate(p)
	return p.err()
}

// ZoneShape is the shape of an exclusion zone.
type ZoneShape string

const (
	ZoneCircle  ZoneShape = "circle"
	ZonePolygon ZoneShape = "polygon"
)

// MaxZoneRadiusKm bounds a circular exclusion zone.
const MaxZoneRadiusKm = 100

// ExclusionZone is an area a child must not live in or near: an exploitation hotspot, the
// address of a named risk. It is a circle (Centre, RadiusKm) or a simple polygon (Vertices,
// at least three, in order, not closed).
type ExclusionZone struct {
	Shape    ZoneShape
	Reason   string
	Centre   Location
	RadiusKm float64
	Vertices []Location
}

func (z ExclusionZone) validate(p problems) {
	if len(z.Reason) > 200 {
		p.add("reason", "must be at most 200 characters")
	}
	switch z.Shape {
	case ZoneCircle:
		z.Centre.validate(p.under("centre"))
		if !(z.RadiusKm > 0 && z.RadiusKm <= MaxZoneRadiusKm) {
			p.add("radius_km", "must be more than 0 and at most %d", MaxZoneRadiusKm)
		}
		if len(z.Vertices) > 0 {
			p.add("vertices", "must be empty for a circle")
		}
	case ZonePolygon:
		if len(z.Vertices) < 3 || len(z.Vertices) > 500 {
			p.add("vertices", "must have between 3 and 500 points")
		}
		for i, v := range z.Vertices {
			v.validate(p.at("vertices", i))
		}
		if z.RadiusKm != 0 {
			p.add("radius_km", "must be 0 for a polygon")
		}
	default:
		p.add("shape", "must be %q or %q", ZoneCircle, ZonePolygon)
	}
}

// Validate checks the zone's shape and points.
func (z ExclusionZone) Validate() error {
	p := newProblems()
	z.validate(p)
	return p.err()
}
