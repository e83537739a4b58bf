package catalogue_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
)

// TestCoarseIsS2: Coarse is the centre of the point's S2 cell of level 13, as S2 itself computes
// it, over points across the service's area and beyond it (every cube face).
func TestCoarseIsS2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		minLat, maxLat float64
		minLng, maxLng float64
		points         int
	}{
		{"Great Britain and Ireland", 49, 61, -11, 2.5, 5000},
		{"the whole sphere", -89.9, 89.9, -179.9, 179.9, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(23, uint64(tt.points)))
			for range tt.points {
				l := catalogue.Location{Lat: tt.minLat + rng.Float64()*(tt.maxLat-tt.minLat), Lng: tt.minLng + rng.Float64()*(tt.maxLng-tt.minLng)}
				want := s2.CellIDFromLatLng(s2.LatLngFromDegrees(l.Lat, l.Lng)).Parent(catalogue.CoarseLevel).LatLng()
				got := l.Coarse()
				if math.Abs(got.Lat-want.Lat.Degrees()) > 1e-9 || math.Abs(got.Lng-want.Lng.Degrees()) > 1e-9 {
					t.Fatalf("Coarse(%v) = %v, S2 says %v", l, got, want)
				}
			}
		})
	}
}

// TestCoarseProperties: over random points in Great Britain and Ireland, Coarse is idempotent
// (to the bit), moves a point at most about a kilometre (0.95 km: half a level-13 cell's
// diagonal), and points a few metres apart mostly share a centre (it does snap).
func TestCoarseProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(23, 13))
	shared := 0
	const n = 20000
	for range n {
		l := catalogue.Location{Lat: 49 + rng.Float64()*12, Lng: -11 + rng.Float64()*13.5}
		c := l.Coarse()
		if again := c.Coarse(); again != c {
			t.Fatalf("Coarse is not idempotent at %v: %v then %v", l, c, again)
		}
		if km := catalogue.DistanceKm(l, c); km > 0.95 {
			t.Fatalf("Coarse moved %v by %.3f km", l, km)
		}
		if (catalogue.Location{Lat: l.Lat + 0.00003, Lng: l.Lng}).Coarse() == c { // about 3 m north
			shared++
		}
	}
	if shared < n*9/10 {
		t.Errorf("only %d of %d points 3 m apart share a cell centre", shared, n)
	}
	if (catalogue.Location{}).Coarse() != (catalogue.Location{}) {
		t.Error("an unset location must stay unset")
	}
}

// TestCoarsened: a child's home and contacts, and a network member's home, are snapped; a
// contact centre, the school and exclusion zones keep their exact points; the caller's child is
// not changed.
func TestCoarsened(t *testing.T) {
	t.Parallel()
	exact := func(i int) catalogue.Location {
		return catalogue.Location{Lat: 53.80123 + float64(i)*0.01, Lng: -1.54321}
	}
	centre := exact(9)
	c := catalogue.Child{
		Home:           exact(0),
		School:         &catalogue.School{Name: "Park School", Location: exact(1)},
		Contacts:       []catalogue.Contact{{Name: "Mum", Location: exact(2)}, {Name: "Dad", Location: exact(3), Centre: &centre}},
		ExclusionZones: []catalogue.ExclusionZone{{Shape: catalogue.ZoneCircle, Centre: exact(4), RadiusKm: 2}},
	}
	got := c.Coarsened()
	for i := range 5 {
		if exact(i).Coarse() == exact(i) {
			t.Fatalf("fixture %d is a cell centre already: the test could not tell snapped from kept", i)
		}
	}
	checks := []struct {
		name      string
		got, want catalogue.Location
	}{
		{"home", got.Home, exact(0).Coarse()},
		{"contact 0", got.Contacts[0].Location, exact(2).Coarse()},
		{"contact 1", got.Contacts[1].Location, exact(3).Coarse()},
		{"contact centre", *got.Contacts[1].Centre, centre},
		{"school", got.School.Location, exact(1)},
		{"exclusion zone", got.ExclusionZones[0].Centre, exact(4)},
		{"caller's home", c.Home, exact(0)},
		{"caller's contact", c.Contacts[0].Location, exact(2)},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s: %v, want %v", ck.name, ck.got, ck.want)
		}
	}
	m := catalogue.NetworkMember{Location: exact(5)}
	if mc := m.Coarsened(); mc.Location != exact(5).Coarse() || mc.Location == m.Location {
		t.Errorf("network member at %v, want %v", mc.Location, exact(5).Coarse())
	}
	if (catalogue.NetworkMember{}).Coarsened().Location != (catalogue.Location{}) {
		t.Error("a member with no location must keep none")
	}
}
