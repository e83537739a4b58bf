package catalogue

import "math"

// Location is a point in WGS84 degrees. Homes (placements) and schools keep exact points;
// people's locations (a child's home, their contacts, their family network) are kept no finer
// than Coarse. None is ever shown to a child.
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

// CoarseLevel is the S2 cell level people's locations are snapped to: level 13, cells of about
// 1 km across (0.6 to 1.3 km in Great Britain), whose centres are at most 0.95 km from any point
// in them.
const CoarseLevel = 13

// Coarse is the location snapped to the centre of its S2 cell of level CoarseLevel
// (github.com/golang/geo/s2: s2.CellIDFromLatLng(l).Parent(CoarseLevel).LatLng(), computed here
// with the standard library only, and tested against S2). It is the one precision rule for
// people: a child's home and the homes of their parents, grandparents and other contacts (third
// parties) and of their family network are an address in all but name at a metre, and matching
// needs no more than a kilometre (DESIGN.md section 9; UK GDPR article 5(1)(c), data
// minimisation, and article 25, data protection by design and by default). Homes whose
// providers consent to it and schools, which are public, keep their exact points; so do
// exclusion zones, which keep a child away and must not shrink. Coarse is idempotent: a cell's
// centre is its own centre.
func (l Location) Coarse() Location {
	if l.IsZero() {
		return l // unset stays unset
	}
	x, y, z := unitVector(l)
	face, u, v := faceUV(x, y, z)
	const shift = maxCellLevel - CoarseLevel
	i, j := stToIJ(uvToST(u))>>shift, stToIJ(uvToST(v))>>shift
	// The centre of cell (i, j) of the level, in the face's (s, t) coordinates.
	const cells = 1 << CoarseLevel
	s, t := (float64(i)+0.5)/cells, (float64(j)+0.5)/cells
	x, y, z = faceUVToXYZ(face, stToUV(s), stToUV(t))
	const degree = 180 / math.Pi
	return Location{Lat: math.Atan2(z, math.Sqrt(x*x+y*y)) * degree, Lng: math.Atan2(y, x) * degree}
}

// Coarsened is the child with people's locations snapped by Location.Coarse: their home and each
// contact's (a contact centre, an organisation's place, keeps its exact point). The contacts are
// copied: c is unchanged. The store applies it on every write of a child.
func (c Child) Coarsened() Child {
	c.Home = c.Home.Coarse()
	if c.Contacts != nil {
		cs := make([]Contact, len(c.Contacts))
		for i, ct := range c.Contacts {
			ct.Location = ct.Location.Coarse()
			cs[i] = ct
		}
		c.Contacts = cs
	}
	return c
}

// Coarsened is the network member with where they live snapped by Location.Coarse. The store
// applies it on every write of a member.
func (m NetworkMember) Coarsened() NetworkMember {
	m.Location = m.Location.Coarse()
	return m
}

// The arithmetic of S2 cells (github.com/golang/geo/s2, its quadratic projection) that Coarse
// needs: the cube face and (u, v) of a point, (u, v) to (s, t) and back, and (s, t) to the
// leaf cell coordinates (i, j) of level 30.
const maxCellLevel = 30

func faceUV(x, y, z float64) (face int, u, v float64) {
	ax, ay, az := math.Abs(x), math.Abs(y), math.Abs(z)
	switch {
	case ax > ay && ax > az:
		face = 0
	case ay > az:
		face = 1
	default:
		face = 2
	}
	if [3]float64{x, y, z}[face] < 0 {
		face += 3
	}
	switch face {
	case 0:
		u, v = y/x, z/x
	case 1:
		u, v = -x/y, z/y
	case 2:
		u, v = -x/z, -y/z
	case 3:
		u, v = z/x, y/x
	case 4:
		u, v = z/y, -x/y
	default:
		u, v = -y/z, -x/z
	}
	return face, u, v
}

func faceUVToXYZ(face int, u, v float64) (x, y, z float64) {
	switch face {
	case 0:
		return 1, u, v
	case 1:
		return -u, 1, v
	case 2:
		return -u, -v, 1
	case 3:
		return -1, -v, -u
	case 4:
		return v, -1, -u
	default:
		return v, u, -1
	}
}

func uvToST(u float64) float64 {
	if u >= 0 {
		return 0.5 * math.Sqrt(1+3*u)
	}
	return 1 - 0.5*math.Sqrt(1-3*u)
}

func stToUV(s float64) float64 {
	if s >= 0.5 {
		return (4*s*s - 1) / 3
	}
	return (1 - 4*(1-s)*(1-s)) / 3
}

func stToIJ(s float64) int {
	const size = 1 << maxCellLevel
	return max(0, min(size-1, int(math.Floor(size*s))))
}
