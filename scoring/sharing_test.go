package scoring

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestOwnCarers: a council's own foster carers reach another council's children only through
// a sharing agreement in force on the day of the move, and the option's reason then names it.
func TestOwnCarers(t *testing.T) {
	t.Parallel()
	pool := catalogue.SharingAgreement{ID: 1, Name: "West Yorkshire foster carer pool", Kind: catalogue.SharingRegionalPool,
		Members: []catalogue.CouncilCode{leeds, bradford}, Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster},
		From: today.AddDate(0, -1, 0), To: today.AddDate(0, 1, 0)}
	oneWay := catalogue.SharingAgreement{ID: 2, Name: "Bradford to Leeds", Kind: catalogue.SharingCouncilToCouncil, OneWay: true,
		Members: []catalogue.CouncilCode{bradford, leeds}, Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster}, From: today}
	backwards := oneWay
	backwards.Members = []catalogue.CouncilCode{leeds, bradford} // Leeds's carers to Bradford only
	bothWays := backwards
	bothWays.OneWay = false
	later := pool
	later.From = today.AddDate(0, 0, 1)
	ended := pool
	ended.To = today.AddDate(0, 0, -1)
	elsewhere := pool
	elsewhere.Members = []catalogue.CouncilCode{bradford, northYorks}

	for _, tt := range []struct {
		name   string
		kind   catalogue.PlacementKind
		owner  catalogue.CouncilCode
		agreed []catalogue.SharingAgreement
		day    time.Time // needed by; zero: today
		passes bool
		shared string // the sentence the home-area reason ends with
	}{
		{name: "the child's council's own carers", kind: catalogue.CouncilFoster, owner: leeds, passes: true},
		{name: "another council's, no agreement", kind: catalogue.CouncilFoster, owner: bradford},
		{name: "another council's, not known who owns them: the council they live in", kind: catalogue.CouncilFoster, owner: ""},
		{name: "an agency's carers belong to no council", kind: catalogue.AgencyFoster, owner: "", passes: true},
		{name: "in a regional pool with the child's council", kind: catalogue.CouncilFoster, owner: bradford,
			agreed: []catalogue.SharingAgreement{pool}, passes: true, shared: "Shared with Bradford through the West Yorkshire foster carer pool."},
		{name: "a pool the child's council is not in", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{elsewhere}},
		{name: "one way, to the child's council", kind: catalogue.CouncilFoster, owner: bradford,
			agreed: []catalogue.SharingAgreement{oneWay}, passes: true, shared: `Shared with Bradford through the sharing agreement "Bradford to Leeds".`},
		{name: "one way, the other way", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{backwards}},
		{name: "both ways", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{bothWays}, passes: true,
			shared: "Shared with Bradford through"},
		{name: "not yet in force today", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{later}},
		{name: "in force by the day of the move", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{later},
			day: today.AddDate(0, 0, 7), passes: true, shared: "Shared with Bradford"},
		{name: "ended before the day", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{ended}},
		{name: "ended by the day of the move", kind: catalogue.CouncilFoster, owner: bradford, agreed: []catalogue.SharingAgreement{pool},
			day: today.AddDate(0, 2, 0)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := amy()
			c.NeededBy = tt.day
			pl := fosterHome()
			pl.Kind, pl.Owner = tt.kind, tt.owner
			if tt.owner == "" && tt.kind == catalogue.CouncilFoster {
				pl.Council = bradford
			}
			for i := range pl.Vacancies {
				pl.Vacancies[i].AvailableFrom = today
			}
			p := prepare(t, Request{Child: c, Today: today, Sharing: catalogue.NewSharing(tt.agreed)})
			r := p.Check(&pl)
			if r.Rejected() == tt.passes {
				t.Fatalf("Check = %q (%s), passes %v", r.Constraint, r.Reason(), tt.passes)
			}
			if !tt.passes {
				if r.Constraint != ConstraintOwnCarers || !strings.Contains(r.Reason(), "no sharing agreement") {
					t.Fatalf("Check = %q (%s), want %q", r.Constraint, r.Reason(), ConstraintOwnCarers)
				}
				return
			}
			home := p.Score(&pl).Factors[idxHomeArea].Reason
			if tt.shared == "" && strings.Contains(home, "Shared") {
				t.Errorf("home-area reason %q names an agreement", home)
			}
			if !strings.Contains(home, tt.shared) {
				t.Errorf("home-area reason %q, want it to say %q", home, tt.shared)
			}
			if got := p.SharedThrough(&pl) != nil; got != (tt.shared != "") {
				t.Errorf("SharedThrough = %v", got)
			}
		})
	}
}
