package synth

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

const kmPerDegree = 111.195 // along a meridian, on the mean Earth radius

// offset moves loc by distKm on a bearing (radians clockwise from north).
func offset(loc catalogue.Location, distKm, bearing float64) catalogue.Location {
	lat := loc.Lat + distKm*math.Cos(bearing)/kmPerDegree
	lng := loc.Lng + distKm*math.Sin(bearing)/(kmPerDegree*math.Cos(loc.Lat*math.Pi/180))
	return clampToBounds(catalogue.Location{Lat: lat, Lng: lng})
}

// clampToBounds keeps a point inside the box catalogue accepts (Great Britain and Ireland).
func clampToBounds(l catalogue.Location) catalogue.Location {
	l.Lat = math.Max(49.5, math.Min(60.5, l.Lat))
	l.Lng = math.Max(-10.5, math.Min(2.0, l.Lng))
	return l
}

// near returns a point at a random bearing between minKm and maxKm from loc.
func near(r *rand.Rand, loc catalogue.Location, minKm, maxKm float64) catalogue.Location {
	return offset(loc, uniform(r, minKm, maxKm), r.Float64()*2*math.Pi)
}

// flatKm is an equirectangular approximation of the distance, good to a fraction of a percent
// over the distances within England, and much cheaper than the great circle.
func flatKm(a, b catalogue.Location) float64 {
	dy := (b.Lat - a.Lat) * kmPerDegree
	dx := (b.Lng - a.Lng) * kmPerDegree * math.Cos((a.Lat+b.Lat)*math.Pi/360)
	return math.Hypot(dx, dy)
}

// radiusKm is the radius of a circle with the council's area.
func radiusKm(areaKm2 float64) float64 { return math.Sqrt(math.Max(areaKm2, 1) / math.Pi) }

// scatter places a point in the council's circle, denser near the centre: the distance from the
// centre is radius x u^0.8 (u uniform), so the density falls off slowly away from the centre.
func scatter(r *rand.Rand, p *councilPlan) catalogue.Location {
	return offset(p.c.Centre, p.radiusKm*math.Pow(r.Float64(), 0.8), r.Float64()*2*math.Pi)
}

// shortName is the council's name as people say it: "Bristol", "Hull", "Dorset".
func shortName(name string) string {
	switch name {
	case "City of Bristol":
		return "Bristol"
	case "Kingston upon Hull":
		return "Hull"
	case "Dorset Council":
		return "Dorset"
	case "County Durham":
		return "Durham"
	case "St. Helens":
		return "St Helens"
	}
	return name
}

// areaName is what a child is told about where a home is: the council, or for a large council
// a compass-qualified form ("north Kent"). Never an address.
func areaName(p *councilPlan, loc catalogue.Location) string {
	if p.areaNames[0] == "" {
		p.areaNames = areaNames(p)
	}
	if p.c.AreaKm2 < 900 || startsWithCompass(p.short) {
		return p.areaNames[0]
	}
	dy := (loc.Lat - p.c.Centre.Lat) * kmPerDegree
	dx := (loc.Lng - p.c.Centre.Lng) * kmPerDegree * math.Cos(p.c.Centre.Lat*math.Pi/180)
	if math.Hypot(dx, dy) < 0.35*p.radiusKm {
		return p.areaNames[1]
	}
	a := math.Atan2(dx, dy) // clockwise from north
	if a < 0 {
		a += 2 * math.Pi
	}
	return p.areaNames[2+int(math.Round(a/(math.Pi/4)))%8]
}

// areaNames lists a council's area names: plain, central, then north clockwise to north-west.
func areaNames(p *councilPlan) [10]string {
	name := p.short
	var out [10]string
	out[0], out[1] = name, "central "+name
	if name == "Durham" {
		out[0], out[1] = "County Durham", "County Durham"
	}
	for i, d := range [8]string{"north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"} {
		out[2+i] = d + " " + name
	}
	return out
}

func startsWithCompass(name string) bool {
	for _, w := range []string{"North ", "South ", "East ", "West ", "Central "} {
		if strings.HasPrefix(name, w) {
			return true
		}
	}
	return false
}

// councilAt returns the council whose circle best contains loc (nearest centre relative to
// radius): good enough to say which council a home near a boundary is in.
//
// It compares squared distances on the plane tangent at loc, in degrees of latitude, so the
// 153 comparisons need no square root or cosine each: it is called for every placement that
// lies outside its own council's circle, histories included.
func (w *world) councilAt(loc catalogue.Location) *councilPlan {
	best, bestD := &w.councils[0], math.Inf(1)
	cosLat := math.Cos(loc.Lat * math.Pi / 180)
	for i := range w.councils {
		p := &w.councils[i]
		if p.c.Population < 20000 {
			continue // the City of London and the Isles of Scilly are too small to hold strays
		}
		dy, dx := loc.Lat-p.c.Centre.Lat, (loc.Lng-p.c.Centre.Lng)*cosLat
		if d := (dx*dx + dy*dy) * p.invRadius2; d < bestD {
			best, bestD = p, d
		}
	}
	return best
}
