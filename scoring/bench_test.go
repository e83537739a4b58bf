package scoring

import (
	"math/rand/v2"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// benchHomes makes n foster homes scattered around Leeds (deterministic).
func benchHomes(n int) []catalogue.Placement {
	rng := rand.New(rand.NewPCG(11, 12))
	out := make([]catalogue.Placement, n)
	for i := range out {
		out[i] = fosterHome()
		out[i].ID = catalogue.PlacementID(1000 + i)
		out[i].Location = offset(leedsHome, rng.NormFloat64()*15, rng.NormFloat64()*15)
	}
	return out
}

// benchChild is Amy with two exclusion zones (a circle and a square) away from the
// homes used on the pass path, so that the zone test runs in full.
func benchChild() catalogue.Child {
	c := amy()
	far := offset(leedsHome, -30, -30)
	c.ExclusionZones = []catalogue.ExclusionZone{
		{Shape: catalogue.ZoneCircle, Centre: offset(leedsHome, 40, 0), RadiusKm: 2},
		{Shape: catalogue.ZonePolygon, Vertices: []catalogue.Location{offset(far, 0, 0), offset(far, 0, 3), offset(far, 3, 3), offset(far, 3, 0)}},
	}
	return c
}

var sinkRejection Rejection
var sinkResult Result
var sinkFloat float64

func BenchmarkCheck(b *testing.B) {
	p := prepare(b, Request{Child: benchChild()})
	b.Run("pass", func(b *testing.B) {
		pl := fosterHome()
		if r := p.Check(&pl); r.Rejected() {
			b.Fatalf("rejected: %s", r.Reason())
		}
		b.ReportAllocs()
		for b.Loop() {
			sinkRejection = p.Check(&pl)
		}
	})
	b.Run("reject_age", func(b *testing.B) {
		pl := fosterHome()
		pl.Approval.MaxAge = 10
		b.ReportAllocs()
		for b.Loop() {
			sinkRejection = p.Check(&pl)
		}
	})
	b.Run("reject_zone", func(b *testing.B) {
		pl := fosterHome()
		pl.Location = offset(leedsHome, -29, -29)
		if r := p.Check(&pl); r.Constraint != ConstraintExclusionZone {
			b.Fatalf("got %q", r.Constraint)
		}
		b.ReportAllocs()
		for b.Loop() {
			sinkRejection = p.Check(&pl)
		}
	})
	b.Run("mixed_1000", func(b *testing.B) {
		homes := benchHomes(1000)
		for i := range homes {
			switch i % 4 {
			case 0:
				homes[i].Approval.MaxAge = 10
			case 1:
				homes[i].Vacancies = nil
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			for i := range homes {
				sinkRejection = p.Check(&homes[i])
			}
		}
	})
}

func BenchmarkScore(b *testing.B) {
	p := prepare(b, Request{Child: benchChild(), SiblingsElsewhere: []catalogue.Location{offset(leedsHome, 2, 2)}})
	pl := fosterHome()
	b.Run("explained", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkResult = p.Score(&pl)
		}
	})
	b.Run("quick", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkFloat, _ = p.Quick(&pl)
		}
	})
}

func BenchmarkPrepare(b *testing.B) {
	req := Request{Child: benchChild(), Today: today}
	pol := catalogue.DefaultPolicy()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(req, pol); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCheckDoesNotAllocate holds the reject and pass paths to zero allocations.
func TestCheckDoesNotAllocate(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in short mode are not needed")
	}
	p := prepare(t, Request{Child: benchChild()})
	pass, reject, zone := fosterHome(), fosterHome(), fosterHome()
	reject.Approval.MaxAge = 10
	zone.Location = offset(leedsHome, -29, -29)
	for name, pl := range map[string]*catalogue.Placement{"pass": &pass, "reject": &reject, "zone": &zone} {
		if n := testing.AllocsPerRun(100, func() { sinkRejection = p.Check(pl) }); n != 0 {
			t.Errorf("Check (%s) allocates %.0f times", name, n)
		}
		if n := testing.AllocsPerRun(100, func() { sinkFloat, _ = p.Quick(pl) }); n != 0 {
			t.Errorf("Quick (%s) allocates %.0f times", name, n)
		}
	}
}
