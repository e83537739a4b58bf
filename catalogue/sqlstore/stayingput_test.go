package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestStayingPutMigration: migration 00025 turns a child's stored purpose staying_put into
// long_term and drops staying_put from a placement's approved purposes, marking its carers
// willing (long_term in its place when it was the only one), on both stores.
func TestStayingPutMigration(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Leeds Fostering")))
		child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))
		home := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(prov.ID, leeds, at(53.8, -1.55))))
		if err := sqlstore.MigrateDownTo(ctx, s, 24); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"UPDATE children SET purpose = 'staying_put' WHERE id = ?",
			"UPDATE placements SET approval = ? WHERE id = ?",
		} {
			args := []any{int64(child.ID)}
			if q[7] == 'p' {
				args = []any{`{"min_age":8,"max_age":17,"max_children":4,"purposes":["staying_put"],"sibling_groups":false}`, int64(home.ID)}
			}
			if err := sqlstore.ExecRaw(ctx, s, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got := must[catalogue.Child](t)(s.Child(ctx, everything, child.ID))
		if got.Purpose != catalogue.PurposeLongTerm {
			t.Errorf("purpose %q, want long_term", got.Purpose)
		}
		rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "placements AS up"))
		var approval struct{ Purposes []string }
		if err := json.Unmarshal(rows[0]["approval"], &approval); err != nil {
			t.Fatal(err)
		}
		if len(approval.Purposes) != 1 || approval.Purposes[0] != "long_term" {
			t.Errorf("purposes %v, want [long_term]", approval.Purposes)
		}
		// A children's home is not marked willing: Staying Put is with foster carers.
		if p := must[catalogue.Placement](t)(s.Placement(ctx, everything, home.ID)); p.StayingPut {
			t.Errorf("children's home marked willing to offer Staying Put")
		}
	})
}

// TestStayingPutOnPlacement: where a young person's current placement stands on Staying Put is
// stored with it, refused outside foster and kinship care (s23CZA), and counted in the stability
// summary: eligible fostered 16 and 17 year olds against their own carers' willingness, and
// those in children's homes for Staying Close.
func TestStayingPutOnPlacement(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		start := day(2025, time.March, 1)
		young := func(sp catalogue.StayingPut, setting catalogue.Setting) catalogue.Child {
			c := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))
			must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: c.ID, Start: start, Setting: setting, StayingPut: sp}))
			return c
		}
		willing := young(catalogue.StayingPutWilling, catalogue.SettingKinship)
		young(catalogue.StayingPutAgreed, catalogue.SettingAgencyFoster)
		young(catalogue.StayingPutNotWilling, catalogue.SettingCouncilFoster)
		young("", catalogue.SettingCouncilFoster)
		young("", catalogue.SettingChildrensHome)

		h := must[[]catalogue.Episode](t)(s.History(ctx, everything, willing.ID))
		if len(h) != 1 || h[0].StayingPut != catalogue.StayingPutWilling {
			t.Errorf("history %+v", h)
		}
		c := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))
		_, err := s.StartPlacement(ctx, everything, catalogue.Episode{Child: c.ID, Start: start,
			Setting: catalogue.SettingChildrensHome, StayingPut: catalogue.StayingPutWilling})
		wantField(t, err, "staying_put")

		// plainChild is born on 30 June 2010: 16 on 1 January 2027.
		sum := must[catalogue.StabilitySummary](t)(s.StabilitySummary(ctx, leeds, day(2027, time.January, 1)))
		got := [4]int{sum.StayingPutEligible, sum.StayingPutWilling, sum.StayingPutAgreed, sum.StayingCloseEligible}
		if want := [4]int{4, 2, 1, 1}; got != want {
			t.Errorf("eligible, willing, agreed, staying close = %v, want %v", got, want)
		}
		// At 18 they have left care: none is counted.
		if sum := must[catalogue.StabilitySummary](t)(s.StabilitySummary(ctx, leeds, day(2028, time.July, 1))); sum.StayingPutEligible != 0 || sum.StayingCloseEligible != 0 {
			t.Errorf("at 18: %+v", sum)
		}
	})
}
