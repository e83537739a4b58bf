package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestUnregisteredLiving: the stability summary counts, by the child's council, the children
// living in a children's home or supported accommodation Ofsted has not registered: one an
// import flags with a place filled for a child of the batch, one by a placement going on in a
// suspended home; not a child in a registered home, not one whose placement there ended, not
// a closed child's record.
func TestUnregisteredLiving(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Homes")))
		home := func(reg catalogue.Registration, urn string) catalogue.Placement {
			p := plainPlacement(prov.ID, leeds, at(53.8, -1.55))
			p.Registration, p.URN = reg, urn
			return p
		}
		// An import of a child already living in an unregistered home: accepted, and flagged.
		batchChild := plainChild(leeds, at(53.8, -1.55))
		batchChild.ID, batchChild.Status = -1, catalogue.ChildPlaced
		flagged := home(catalogue.RegistrationNone, "")
		flagged.ID = -1
		flagged.Vacancies = []catalogue.Vacancy{{AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyFilled, Child: -1}}
		res := must[catalogue.BatchResult](t)(s.Import(ctx, catalogue.Batch{Children: []catalogue.Child{batchChild}, Placements: []catalogue.Placement{flagged}}))
		if len(res.Flags) != 1 || !strings.Contains(res.Flags[0].Message, "1 children in care live here") {
			t.Fatalf("the import's flags: %+v", res.Flags)
		}
		suspended := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, home(catalogue.RegistrationSuspended, "SC700001")))
		registered := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, home(catalogue.Registered, "SC700002")))
		child := func(council catalogue.CouncilCode) catalogue.ChildID {
			return must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(council, at(53.8, -1.55)))).ID
		}
		start := func(c catalogue.ChildID, p catalogue.PlacementID) {
			must[catalogue.Episode](t)(s.StartPlacement(officerCtx(3), everything, catalogue.Episode{Child: c, Start: day(2026, 6, 1), Placement: p}))
		}
		start(child(leeds), suspended.ID)       // counted
		start(child(birmingham), registered.ID) // registered: not counted
		moved := child(birmingham)
		start(moved, suspended.ID)
		must[catalogue.MoveResult](t)(s.MoveChild(officerCtx(3), everything, catalogue.Move{Child: moved, On: day(2026, 8, 1),
			Reason: catalogue.ReasonCarePlan, Next: &catalogue.Episode{Placement: registered.ID}})) // moved on: not counted
		for _, tc := range []struct {
			council catalogue.CouncilCode
			want    int
		}{{leeds, 2}, {birmingham, 0}, {"", 2}} {
			sum := must[catalogue.StabilitySummary](t)(s.StabilitySummary(ctx, tc.council, day(2026, 11, 22)))
			if sum.Unregistered != tc.want {
				t.Errorf("council %q: %d children in unregistered settings, want %d", tc.council, sum.Unregistered, tc.want)
			}
		}
	})
}
