package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestKinCaringOutsideCare: on both stores, a network member recorded as caring for the child
// outside care is kept and read back, a value outside the vocabulary is refused naming caring,
// and the arrangement ends when they become the child's kinship placement (care).
func TestKinCaringOutsideCare(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleOfficer})
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Leeds Fostering")))
		child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))
		nan := catalogue.NetworkMember{Child: child.ID, Name: "Nan", Relationship: catalogue.RelGrandparent,
			NamedBy: catalogue.NamedByFamily, AssessmentDue: day(2026, time.January, 20), Outcome: catalogue.ViabilityPending,
			Caring: catalogue.CaringSpecialGuardianship}
		bad := nan
		bad.Caring = "adopted"
		_, err := s.AddNetworkMember(ctx, officerLeeds, bad)
		wantField(t, err, "caring")

		m := must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, officerLeeds, nan))
		list := must[[]catalogue.NetworkMember](t)(s.FamilyNetwork(ctx, officerLeeds, child.ID))
		if len(list) != 1 || list[0].Caring != catalogue.CaringSpecialGuardianship {
			t.Fatalf("network %+v", list)
		}
		m.Caring = catalogue.CaringFamilyArrangement
		m = must[catalogue.NetworkMember](t)(s.UpdateNetworkMember(ctx, officerLeeds, m))
		if got := must[catalogue.NetworkMember](t)(s.NetworkMember(ctx, officerLeeds, m.ID)); got.Caring != catalogue.CaringFamilyArrangement {
			t.Errorf("updated caring reads back %q", got.Caring)
		}

		m.Outcome, m.OutcomeOn = catalogue.ViabilityPassed, day(2026, time.January, 2)
		m = must[catalogue.NetworkMember](t)(s.UpdateNetworkMember(ctx, officerLeeds, m))
		pl := catalogue.KinshipHome(m, []catalogue.Child{child}, catalogue.ConnectedHome{Provider: prov.ID, Location: at(53.81, -1.52),
			AreaName: "Armley", Council: leeds}, day(2026, time.January, 2))
		placed, _, err := s.PlaceWithConnectedPerson(ctx, officerLeeds, m.ID, m.Version, pl)
		if err != nil {
			t.Fatal(err)
		}
		if placed.Caring != catalogue.CaringNone || placed.Placement == 0 {
			t.Errorf("placed %+v: the arrangement outside care goes on", placed)
		}
		placed.Caring = catalogue.CaringChildArrangementsOrder
		_, err = s.UpdateNetworkMember(ctx, officerLeeds, placed)
		wantField(t, err, "caring")
	})
}
