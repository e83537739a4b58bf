package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestHomesAndEpisodesOf: what the request builder reads of many children at once is what the
// store says of each one: EpisodesOf gives each child's history as History does (a child with
// none left out), in one query, and HomesOf where each child filling a place lives (a child
// filling none left out), on both stores.
func TestHomesAndEpisodesOf(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		a, b, none := w.children[0], w.children[1], w.children[2]
		placed(t, s, a.ID, w.placements[0].ID)
		placed(t, s, b.ID, w.placements[1].ID)
		got := must[map[catalogue.ChildID][]catalogue.Episode](t)(s.EpisodesOf(ctx, []catalogue.ChildID{a.ID, b.ID, none.ID}))
		if _, ok := got[none.ID]; ok || len(got) != 2 {
			t.Errorf("EpisodesOf gave %d children's histories, want the two who have one", len(got))
		}
		for _, c := range []catalogue.Child{a, b} {
			diff(t, "EpisodesOf against History", got[c.ID], must[[]catalogue.Episode](t)(s.History(ctx, everything, c.ID)))
		}
		one := must[map[catalogue.ChildID][]catalogue.Episode](t)(s.EpisodesOf(ctx, []catalogue.ChildID{a.ID}))
		diff(t, "EpisodesOf of one child", one[a.ID], got[a.ID])

		home := w.placements[2]
		v := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: home.ID,
			AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyFilled, Child: a.ID}))
		homes := must[map[catalogue.ChildID]catalogue.Location](t)(s.HomesOf(ctx, []catalogue.ChildID{a.ID, b.ID}))
		if len(homes) != 1 || homes[a.ID] != home.Location {
			t.Errorf("HomesOf = %v, want child %d at %v (place %d) and nobody else", homes, a.ID, home.Location, v.ID)
		}
		if empty := must[map[catalogue.ChildID]catalogue.Location](t)(s.HomesOf(ctx, nil)); len(empty) != 0 {
			t.Errorf("HomesOf of nobody = %v", empty)
		}
	})
}
