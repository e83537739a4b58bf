package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestPlaceHidesAnotherCouncilsChild: a place held or filled for a child shows who only where
// the child is in scope (an administrator, the child's own council); another council's officer
// and the home's provider see the status alone, in every read of places (issue 14).
func TestPlaceHidesAnotherCouncilsChild(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		brumChild := w.children[0]
		home := w.placements[0] // the agency's
		filled := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: home.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyFilled, Child: brumChild.ID}))
		providerScope := catalogue.Scope{Provider: w.agency.ID}

		for _, tc := range []struct {
			name  string
			scope catalogue.Scope
			want  catalogue.ChildID
		}{
			{"administrator", everything, brumChild.ID},
			{"the child's council", officerBirmingham, brumChild.ID},
			{"another council", officerLeeds, 0},
			{"the home's provider", providerScope, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				check := func(how string, v catalogue.Vacancy) {
					t.Helper()
					if v.ID != filled.ID || v.Status != catalogue.VacancyFilled || v.Child != tc.want {
						t.Errorf("%s: place %d %s for child %d, want filled for %d", how, v.ID, v.Status, v.Child, tc.want)
					}
					if tc.want == 0 && v.Occupant != nil {
						t.Errorf("%s: what matching knows of the child is there: %+v", how, v.Occupant)
					}
				}
				check("Vacancy", must[catalogue.Vacancy](t)(s.Vacancy(ctx, tc.scope, filled.ID)))
				vs := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, tc.scope, catalogue.VacancyFilter{Placement: home.ID}))
				if len(vs.Items) != 1 {
					t.Fatalf("ListVacancies: %d places", len(vs.Items))
				}
				check("ListVacancies", vs.Items[0])
				p := must[catalogue.Placement](t)(s.Placement(ctx, tc.scope, home.ID))
				check("Placement", p.Vacancies[0])
				page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, tc.scope, catalogue.PlacementFilter{}))
				for _, p := range page.Items {
					if p.ID == home.ID {
						check("ListPlacements", p.Vacancies[0])
					}
				}
				if tc.scope.Provider != 0 || tc.scope == everything {
					// What a provider's change returns is in its scope too.
					p.Name = "Okafor home"
					p = must[catalogue.Placement](t)(s.UpdatePlacement(ctx, tc.scope, p))
					check("UpdatePlacement", p.Vacancies[0])
				}
			})
		}
		// Matching reads everything: the household rules still know who lives there.
		p := must[catalogue.Placement](t)(s.Placement(ctx, everything, home.ID))
		if p.Vacancies[0].Occupant == nil {
			t.Error("the administrator's read has no occupant")
		}
	})
}

// TestOfficerWritesOnlyTheirKinshipHomes: an officer's scope writes kinship homes connected to
// children of their council, and their places; any other home is not theirs to change (not
// found), and another council's child is "no such child", as a child that does not exist is.
func TestOfficerWritesOnlyTheirKinshipHomes(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		brumChild, leedsChild := w.children[0], w.children[2]
		kinship := func(connected ...catalogue.ChildID) catalogue.Placement {
			p := fullPlacement(w.council.ID, catalogue.Kinship, connected...)
			p.URN, p.Ofsted, p.Experience, p.Stability = "", "", 0, catalogue.StabilityRecord{}
			return p
		}

		// Birmingham's officer records a kinship home for a Birmingham child, and changes it.
		home := must[catalogue.Placement](t)(s.CreatePlacement(ctx, officerBirmingham, kinship(brumChild.ID)))
		home.WeeklyCost = 300
		home = must[catalogue.Placement](t)(s.UpdatePlacement(ctx, officerBirmingham, home))
		place := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, officerBirmingham, catalogue.Vacancy{
			Placement: home.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		place.Status = catalogue.VacancyWithdrawn
		place = must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, officerBirmingham, place))

		// Not a kinship home, or another council's child: refused.
		_, err := s.CreatePlacement(ctx, officerBirmingham, plainPlacement(w.council.ID, birmingham, at(52.4, -1.9)))
		wantField(t, err, "kind")
		_, err = s.CreatePlacement(ctx, officerBirmingham, kinship(leedsChild.ID))
		wantField(t, err, "connected_to[0]")
		_, err = s.CreatePlacement(ctx, officerBirmingham, kinship(brumChild.ID+1000))
		wantField(t, err, "connected_to[0]")
		moved := home
		moved.ConnectedTo = []catalogue.ChildID{brumChild.ID, leedsChild.ID}
		_, err = s.UpdatePlacement(ctx, officerBirmingham, moved)
		wantField(t, err, "connected_to[1]")

		// Leeds's officer may read the home, and may not change it or its places.
		must[catalogue.Placement](t)(s.Placement(ctx, officerLeeds, home.ID))
		theirs := home
		theirs.ConnectedTo = []catalogue.ChildID{leedsChild.ID}
		_, err = s.UpdatePlacement(ctx, officerLeeds, theirs)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.CreateVacancy(ctx, officerLeeds, catalogue.Vacancy{Placement: home.ID, AvailableFrom: day(2026, 1, 1),
			Status: catalogue.VacancyAvailable})
		wantErr(t, err, catalogue.ErrNotFound)
		place.Status = catalogue.VacancyAvailable
		_, err = s.UpdateVacancy(ctx, officerLeeds, place)
		wantErr(t, err, catalogue.ErrNotFound)

		// Nor may any officer change a home that is not kinship, or its places.
		agencyHome := w.placements[0]
		agencyHome.Name = "Renamed"
		_, err = s.UpdatePlacement(ctx, officerBirmingham, agencyHome)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.CreateVacancy(ctx, officerBirmingham, catalogue.Vacancy{Placement: agencyHome.ID,
			AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable})
		wantErr(t, err, catalogue.ErrNotFound)
		agencyPlace := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: agencyHome.ID,
			AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		agencyPlace.Status = catalogue.VacancyWithdrawn
		_, err = s.UpdateVacancy(ctx, officerBirmingham, agencyPlace)
		wantErr(t, err, catalogue.ErrNotFound)
		// Holding it for a child of their council is still theirs (an offer does it).
		agencyPlace.Status, agencyPlace.Child = catalogue.VacancyHeld, brumChild.ID
		must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, officerBirmingham, agencyPlace))

		// Nothing above changed the home.
		got := must[catalogue.Placement](t)(s.Placement(ctx, everything, home.ID))
		if got.Version != home.Version || len(got.ConnectedTo) != 1 || got.ConnectedTo[0] != brumChild.ID {
			t.Errorf("home after refused changes: version %d, connected to %v", got.Version, got.ConnectedTo)
		}
	})
}

// TestKinshipChildrenHiddenFromOtherCouncils: another council's officer reading a kinship home
// learns that it is one, never which children it is for (as with the child on a filled place);
// the children's council, administrators and matching see them all.
func TestKinshipChildrenHiddenFromOtherCouncils(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		brumChild := w.children[0]
		p := fullPlacement(w.council.ID, catalogue.Kinship, brumChild.ID)
		p.URN, p.Ofsted, p.Experience, p.Stability = "", "", 0, catalogue.StabilityRecord{}
		home := must[catalogue.Placement](t)(s.CreatePlacement(ctx, officerBirmingham, p))
		for _, tc := range []struct {
			name  string
			scope catalogue.Scope
			want  int
		}{{"administrator", everything, 1}, {"the child's council", officerBirmingham, 1}, {"another council", officerLeeds, 0}} {
			got := must[catalogue.Placement](t)(s.Placement(ctx, tc.scope, home.ID))
			if len(got.ConnectedTo) != tc.want || got.Kind != catalogue.Kinship {
				t.Errorf("%s reads a %s home connected to %v, want %d children", tc.name, got.Kind, got.ConnectedTo, tc.want)
			}
			page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, tc.scope, catalogue.PlacementFilter{Kind: catalogue.Kinship}))
			for _, q := range page.Items {
				if q.ID == home.ID && len(q.ConnectedTo) != tc.want {
					t.Errorf("%s lists the home connected to %v, want %d children", tc.name, q.ConnectedTo, tc.want)
				}
			}
		}
	})
}
