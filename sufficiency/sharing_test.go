package sufficiency

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestOwnCarersInTheReport: another council's own carers are supply for a council's children
// only through a sharing agreement, in the report as in options and runs; the own and external
// supply say whose carers the places are with.
func TestOwnCarersInTheReport(t *testing.T) {
	t.Parallel()
	const leeds, bradford = catalogue.CouncilCode("E08000035"), catalogue.CouncilCode("E08000032")
	pool := catalogue.SharingAgreement{ID: 1, Name: "West Yorkshire pool", Kind: catalogue.SharingRegionalPool,
		Members: []catalogue.CouncilCode{leeds, bradford}, Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster}, From: fixtureDay.AddDate(-1, 0, 0)}
	for _, tt := range []struct {
		name     string
		sharing  []catalogue.SharingAgreement
		suitable int // Leeds's children's suitable places
		sharedIn int // Leeds's places shared in
	}{
		{"no agreement", nil, 1, 0},
		{"a pool of Leeds and Bradford", []catalogue.SharingAgreement{pool}, 3, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := &fixtureBuilder{prov: 1}
			b.in.Today, b.in.LoadedAt, b.in.Sharing = fixtureDay, fixtureDay, tt.sharing
			b.county = leeds
			b.child(8, nil)
			b.placement(catalogue.AgencyFoster, 1, 1, nil)
			b.county = bradford
			b.placement(catalogue.CouncilFoster, 2, 2, func(p *catalogue.Placement) {
				p.Owner, p.Location = bradford, centre(leeds) // Bradford's own carers, living near the Leeds child
			})
			r, err := Analyse(context.Background(), b.in, Config{})
			if err != nil {
				t.Fatal(err)
			}
			l, _ := r.Area(string(leeds))
			br, _ := r.Area(string(bradford))
			m := l.All().Metrics
			for _, c := range []struct {
				what      string
				got, want int
			}{
				{"Leeds's suitable places", m.SuitablePlaces, tt.suitable},
				{"Leeds's own places", m.OwnFosterPlaces.Int(), 0},
				{"Leeds's places shared in", m.SharedInFosterPlaces.Int(), tt.sharedIn},
				{"Leeds's agency places", m.AgencyFosterPlaces.Int(), 1},
				{"Bradford's own places", br.All().Metrics.OwnFosterPlaces.Int(), 2},
			} {
				if c.got != c.want {
					t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
				}
			}
		})
	}
}
