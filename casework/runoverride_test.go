package casework_test

import (
	"context"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestRunCarriesOverrides: a joint match applies the director's override of a home's lowest
// Ofsted judgement as the options for one child do: the run may offer the home to the child it
// was overridden for, and never to another child waiting beside them. Both models: a foster
// home graded inadequate, and supported accommodation whose provider has serious or widespread
// weaknesses. Each child can have two homes only with the overridden one, so the test fails
// both ways: the home missing for the child, or offered to the other.
func TestRunCarriesOverrides(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		supports bool
	}{{"a foster home graded inadequate", false}, {"supported accommodation with serious weaknesses", true}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) { runOverride(t, s, tc.supports) })
		})
	}
}

func runOverride(t *testing.T, s *sqlstore.Store, supported bool) {
	ctx := context.Background()
	today := sqltest.Epoch
	day := catalogue.Day(today)
	prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds})
	if err != nil {
		t.Fatal(err)
	}
	child := func(name string) catalogue.Child {
		c := catalogue.Child{
			Council: leeds, FirstName: name, DateOfBirth: today.AddDate(-13, -6, 0), Sex: catalogue.Female,
			Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
			CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day.AddDate(0, 0, 7),
			Home: catalogue.Location{Lat: 53.80, Lng: -1.55}, Companions: catalogue.CompanionsNoPreference,
			Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting, ParentsConsidered: considered(day),
		}
		if supported {
			c.DateOfBirth, c.CareType, c.School = today.AddDate(-16, -6, 0), catalogue.CareSupported, nil
		}
		got, err := s.CreateChild(ctx, catalogue.Everything, c)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	jade, kim := child("Jade"), child("Kim")
	home := func(name string, north float64, places int, bad bool) catalogue.PlacementID {
		p := catalogue.Placement{
			Kind: catalogue.CouncilFoster, Provider: prov.ID, Name: name, Council: leeds, AreaName: "Leeds",
			Location: catalogue.Location{Lat: 53.80 + north, Lng: -1.55},
			Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: 3, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
				From: day.AddDate(0, -6, 0), Until: day.AddDate(0, 6, 0)},
			Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}},
			WeeklyCost: 650, Active: true, LongTerm: true, Experience: 5,
		}
		if bad {
			p.Ofsted = catalogue.OfstedInadequate
		}
		if supported {
			p.Kind, p.Registration, p.URN, p.Household.Carers, p.Ofsted = catalogue.SupportedAccommodation, catalogue.Registered, "2773100", nil, ""
			p.Approval.MinAge, p.Approval.From, p.Approval.Until = 16, time.Time{}, time.Time{}
			if bad {
				p.SupportedOutcome = catalogue.OutcomeSerious
			}
		}
		pl, err := s.CreatePlacement(ctx, catalogue.Everything, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for range places {
			if _, err := s.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: pl.ID, AvailableFrom: day, Status: catalogue.VacancyAvailable}); err != nil {
				t.Fatal(err)
			}
		}
		return pl.ID
	}
	bad, good := home("Overridden home", 0.01, 2, true), home("Good home", 0.02, 2, false)

	tok, err := s.CreateToken(ctx, catalogue.Token{Role: catalogue.RoleManager, Council: leeds, Level: catalogue.LevelDirector,
		Hash: sha256.Sum256([]byte("run-override-director"))})
	if err != nil {
		t.Fatal(err)
	}
	director := catalogue.WithActor(ctx, catalogue.Actor{Token: tok.ID, Role: catalogue.RoleManager})
	if _, err := s.OverrideInadequate(director, catalogue.Everything, jade.ID, bad, "The only home near her school; the alternative is unregistered."); err != nil {
		t.Fatal(err)
	}

	run, err := newService(t, s, s, today).Run(ctx, admin, casework.RunParams{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	offered := map[catalogue.ChildID][]catalogue.PlacementID{}
	for _, r := range collect(t, s, catalogue.Everything, run.ID) {
		for _, o := range r.Offers {
			offered[r.Child] = append(offered[r.Child], o.Placement)
		}
	}
	if got := offered[jade.ID]; !slices.Contains(got, bad) || !slices.Contains(got, good) {
		t.Errorf("Jade, for whom the director overrode it: offered %v, want the overridden home %d and the good one %d", got, bad, good)
	}
	if got := offered[kim.ID]; slices.Contains(got, bad) || !slices.Contains(got, good) {
		t.Errorf("Kim: offered %v, want the good home %d and never the overridden one %d", got, good, bad)
	}
}
