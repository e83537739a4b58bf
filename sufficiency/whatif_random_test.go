package sufficiency

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/synth"
)

// spread is a small synthetic England in three places far apart (Tyneside, Cornwall and
// Plymouth, Portsmouth and Southampton), so that a what-if in one leaves the others' children
// out of reach, and its report analysed once.
var spread = sync.OnceValues(func() (*analysis, error) {
	cfg := synth.National()
	cfg.Councils = []catalogue.CouncilCode{"E08000021", "E08000037", "E06000052", "E06000026", "E06000044", "E06000045"}
	b, err := synth.Generate(cfg)
	if err != nil {
		return nil, err
	}
	w := synth.Materialise(b, cfg.Today)
	in := Input{Today: w.Today, Children: w.Children, Groups: w.SiblingGroups, Placements: w.Placements, LoadedAt: w.Today,
		TurningEighteen: TurningEighteenFromHistories(w.Children, w.Episodes, w.Today),
		Stability:       StabilityFromHistories(w.Children, w.Episodes, w.Today)}
	return run(context.Background(), &in, Config{})
})

// TestWhatIfEqualsFreshRunRandom: over random scenarios (councils, counts, kinds, ages, sibling
// approval, places, a point in the council or its centre), the what-if, which keeps the
// evaluations and the joint match's searches of children out of reach of the new homes,
// publishes every figure of the report, after suppression, exactly as an analysis from scratch
// of the enlarged catalogue does; and the scenarios do keep some searches.
func TestWhatIfEqualsFreshRunRandom(t *testing.T) {
	t.Parallel()
	base, err := spread()
	if err != nil {
		t.Fatal(err)
	}
	councils := []catalogue.CouncilCode{"E08000021", "E08000037", "E06000052", "E06000026", "E06000044", "E06000045"}
	kinds := []catalogue.PlacementKind{catalogue.CouncilFoster, catalogue.AgencyFoster, catalogue.ChildrensHome, catalogue.SupportedAccommodation}
	reused := 0
	var mu sync.Mutex
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 21))
			var s Scenario
			for range 1 + r.IntN(3) {
				c := councils[r.IntN(len(councils))]
				a := Addition{Council: c, Count: 1 + r.IntN(4), Profile: Profile{Kind: kinds[r.IntN(len(kinds))]}}
				if a.Profile.Kind.IsFamily() {
					a.Profile.Places, a.Profile.SiblingGroups = 1+r.IntN(3), r.IntN(2) == 0
				}
				if a.Profile.Kind == catalogue.ChildrensHome && r.IntN(2) == 0 {
					a.Profile.MinAge, a.Profile.MaxAge = 12, 17
				}
				if r.IntN(2) == 0 {
					centre := mustCouncil(t, c).Centre
					a.Location = catalogue.Location{Lat: centre.Lat + (r.Float64()-0.5)*0.2, Lng: centre.Lng + (r.Float64()-0.5)*0.2}
				}
				s.Additions = append(s.Additions, a)
			}
			extra, err := s.placements(base.in, base.day)
			if err != nil {
				t.Fatal(err)
			}
			after, err := base.with(context.Background(), extra)
			if err != nil {
				t.Fatal(err)
			}
			in := *base.in
			in.Placements = append(append([]catalogue.Placement(nil), base.in.Placements...), extra...)
			fresh, err := run(context.Background(), &in, Config{})
			if err != nil {
				t.Fatal(err)
			}
			var x, y bytes.Buffer
			if err := WriteCSV(&x, after.publish(in.Today).Rows()); err != nil {
				t.Fatal(err)
			}
			if err := WriteCSV(&y, fresh.publish(in.Today).Rows()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(y.String(), x.String()); diff != "" {
				t.Errorf("%+v: the what-if differs from a fresh analysis (-fresh +what-if):\n%s", s, diff)
			}
			t.Logf("%d of %d match units kept their search", after.reused, len(after.matched))
			mu.Lock()
			reused += after.reused
			mu.Unlock()
		})
	}
	if reused == 0 {
		t.Error("no scenario kept a search of the joint match")
	}
}

func mustCouncil(t *testing.T, c catalogue.CouncilCode) catalogue.Council {
	t.Helper()
	x, ok := catalogue.CouncilByCode(c)
	if !ok {
		t.Fatalf("no council %s", c)
	}
	return x
}
