package casework_test

import (
	"context"
	"math"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestDistancesFromCoarseLocations: on both stores, the distances an officer sees in a child's
// options and the child's page shows from their offer (from home, to each person in the contact
// plan) are measured from the coarse points the store keeps (issue 23), not from the exact
// points the officer typed; the distance to the school, which keeps its exact point, is exact.
func TestDistancesFromCoarseLocations(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		today := sqltest.Epoch
		day := catalogue.Day(today)
		home := catalogue.Location{Lat: 53.80417, Lng: -1.55593}
		mum := catalogue.Location{Lat: 53.83311, Lng: -1.50877}
		school := catalogue.Location{Lat: 53.81234, Lng: -1.56789}
		for _, l := range []catalogue.Location{home, mum} {
			if km := catalogue.DistanceKm(l, l.Coarse()); km < 0.1 {
				t.Fatalf("fixture %v is %.3f km from its cell's centre: too close to tell exact from coarse", l, km)
			}
		}
		prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds})
		if err != nil {
			t.Fatal(err)
		}
		child, err := s.CreateChild(ctx, catalogue.Everything, catalogue.Child{
			Council: leeds, FirstName: "Jade", DateOfBirth: today.AddDate(-13, -6, 0), Sex: catalogue.Female,
			Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
			CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day.AddDate(0, 0, 7),
			Home: home, School: &catalogue.School{Name: "Park School", Location: school},
			Contacts: []catalogue.Contact{{Name: "Mum", Relationship: catalogue.RelMother, Location: mum,
				Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect}},
			Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
			ParentsConsidered: considered(day),
		})
		if err != nil {
			t.Fatal(err)
		}
		places := map[catalogue.PlacementID]catalogue.Location{}
		var ids []catalogue.PlacementID
		for i, at := range []catalogue.Location{{Lat: 53.8211, Lng: -1.5987}, {Lat: 53.7765, Lng: -1.5123}} {
			p := leedsHome(t, s, prov.ID, []string{"North", "South"}[i], at, day)
			places[p.ID], ids = at, append(ids, p.ID)
		}
		svc := serviceOn(t, s, today)

		// check compares the distances shown for one home with those from the coarse points,
		// and makes sure the exact points would have given others.
		check := func(what string, pid catalogue.PlacementID, homeKm, schoolKm float64, contactKm []float64) {
			t.Helper()
			at := places[pid]
			distances := []struct {
				name        string
				got         float64
				want, exact float64
			}{
				{"home", homeKm, catalogue.DistanceKm(home.Coarse(), at), catalogue.DistanceKm(home, at)},
				{"mum", contactKm[0], catalogue.DistanceKm(mum.Coarse(), at), catalogue.DistanceKm(mum, at)},
			}
			for _, d := range distances {
				if math.Abs(d.got-d.want) > 0.001 || math.Abs(d.got-d.exact) < 0.01 {
					t.Errorf("%s, home %d: %s %.3f km, want %.3f from the coarse point (exact: %.3f)", what, pid, d.name, d.got, d.want, d.exact)
				}
			}
			if want := catalogue.DistanceKm(school, at); math.Abs(schoolKm-want) > 0.01 {
				t.Errorf("%s, home %d: school %.3f km, want %.3f (exact)", what, pid, schoolKm, want)
			}
		}

		opts, err := svc.Options(ctx, catalogue.Everything, child.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(opts.Options) != 2 {
			t.Fatalf("%d options, want both homes", len(opts.Options))
		}
		for _, o := range opts.Options {
			check("options", o.Placement.ID, o.HomeKm, o.SchoolKm, o.ContactKm)
		}

		offer := agreedOffer(t, svc, child.ID, ids)
		for _, o := range offer.Options {
			check("offer", o.Placement, o.HomeKm, o.SchoolKm, o.ContactKm)
		}
	})
}
