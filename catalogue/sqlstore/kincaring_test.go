package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestKinCaringCounts: on both stores, the children cared for by kin outside care are counted
// per council and way, each child once in the way a court settled most firmly (a child with a
// grandparent by family arrangement and an aunt as special guardian counts as a special
// guardian's), members who do not care are not counted, and a child whose carer becomes their
// kinship placement leaves the count.
func TestKinCaringCounts(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleOfficer})
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Leeds Fostering")))
		if got := must[[]catalogue.KinCaringCount](t)(s.KinCaring(ctx)); len(got) != 0 {
			t.Fatalf("an empty store counts %+v", got)
		}
		add := func(sc catalogue.Scope, child catalogue.ChildID, name string, c catalogue.Caring) catalogue.NetworkMember {
			t.Helper()
			return must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, sc, catalogue.NetworkMember{Child: child, Name: name,
				Relationship: catalogue.RelGrandparent, NamedBy: catalogue.NamedByFamily, AssessmentDue: day(2026, time.January, 20),
				Outcome: catalogue.ViabilityPending, Caring: c}))
		}
		child := func(council catalogue.CouncilCode) catalogue.Child {
			return must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(council, at(53.8, -1.5))))
		}
		a, b, c, d := child(leeds), child(leeds), child(leeds), child(birmingham)
		add(officerLeeds, a.ID, "Nan", catalogue.CaringFamilyArrangement)
		add(officerLeeds, a.ID, "Auntie Grace", catalogue.CaringSpecialGuardianship)
		add(officerLeeds, a.ID, "Uncle Tom", catalogue.CaringNone)
		add(officerLeeds, b.ID, "Grandad", catalogue.CaringFamilyArrangement)
		passing := add(officerLeeds, c.ID, "Aunt May", catalogue.CaringChildArrangementsOrder)
		add(officerBirmingham, d.ID, "Nana", catalogue.CaringChildArrangementsOrder)
		add(officerLeeds, child(leeds).ID, "Cousin Jo", catalogue.CaringNone)

		want := []catalogue.KinCaringCount{
			{Council: birmingham, Caring: catalogue.CaringChildArrangementsOrder, Children: 1},
			{Council: leeds, Caring: catalogue.CaringFamilyArrangement, Children: 1},
			{Council: leeds, Caring: catalogue.CaringChildArrangementsOrder, Children: 1},
			{Council: leeds, Caring: catalogue.CaringSpecialGuardianship, Children: 1},
		}
		if diff := cmp.Diff(want, must[[]catalogue.KinCaringCount](t)(s.KinCaring(ctx))); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}

		// Aunt May passes her assessment and the child goes to her: care, not an arrangement
		// outside it.
		passing.Caring, passing.Outcome, passing.OutcomeOn = catalogue.CaringNone, catalogue.ViabilityPassed, day(2026, time.January, 2)
		passing = must[catalogue.NetworkMember](t)(s.UpdateNetworkMember(ctx, officerLeeds, passing))
		pl := catalogue.KinshipHome(passing, []catalogue.Child{c}, catalogue.ConnectedHome{Provider: prov.ID, Location: at(53.81, -1.52),
			AreaName: "Armley", Council: leeds}, day(2026, time.January, 2))
		if _, _, err := s.PlaceWithConnectedPerson(ctx, officerLeeds, passing.ID, passing.Version, pl); err != nil {
			t.Fatal(err)
		}
		want = append(want[:2], want[3])
		if diff := cmp.Diff(want, must[[]catalogue.KinCaringCount](t)(s.KinCaring(ctx))); diff != "" {
			t.Errorf("counts after the kinship placement (-want +got):\n%s", diff)
		}
	})
}
