package casework_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
)

// considered is a record that placement with a parent was considered on day and set aside.
func considered(day time.Time) *catalogue.ParentsConsidered {
	return &catalogue.ParentsConsidered{On: day.AddDate(0, 0, -2), Why: catalogue.ParentsNotWelfare,
		Reason: "The court found a return home not safe."}
}

// serviceOn is the use cases over s with a matcher, on the day today.
func serviceOn(t *testing.T, s *sqlstore.Store, today time.Time) *casework.Service {
	t.Helper()
	now := func() time.Time { return today }
	engine, err := matcher.NewEngine(t.Context(), s, matcher.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := casework.New(casework.Config{Store: s, Matcher: engine, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestParentsConsideredFirst: on both stores, a child new to care is not searched for or
// referred until placement with a parent has been considered and set aside (Children Act 1989
// s22C(2)-(4)), the error naming parents_considered; with the record, or already placed and
// moving, the same child is.
func TestParentsConsideredFirst(t *testing.T) {
	t.Parallel()
	today := sqltest.Epoch
	day := catalogue.Day(today)
	for _, tc := range []struct {
		name     string
		recorded bool
		placed   bool // a placement going on: moving
		refused  bool
	}{
		{"new to care, not recorded", false, false, true},
		{"new to care, recorded", true, false, false},
		{"placed and moving, not recorded", false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := context.Background()
				prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds})
				if err != nil {
					t.Fatal(err)
				}
				c := catalogue.Child{
					Council: leeds, FirstName: "Ruby", DateOfBirth: today.AddDate(-9, -2, 0), Sex: catalogue.Female,
					Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
					CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day.AddDate(0, 0, 7),
					Home: catalogue.Location{Lat: 53.80, Lng: -1.55}, Companions: catalogue.CompanionsNoPreference,
					Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
				}
				if tc.recorded {
					c.ParentsConsidered = considered(day)
				}
				child, err := s.CreateChild(ctx, catalogue.Everything, c)
				if err != nil {
					t.Fatal(err)
				}
				if tc.placed {
					if _, err := s.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: child.ID, Start: day.AddDate(-1, 0, 0),
						Reason: catalogue.ReasonCarePlan, Setting: catalogue.SettingCouncilFoster, DistanceKm: catalogue.UnknownDistance}); err != nil {
						t.Fatal(err)
					}
				}
				home, err := s.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{
					Kind: catalogue.CouncilFoster, Provider: prov.ID, Name: "Home", Council: leeds, AreaName: "Leeds",
					Location: catalogue.Location{Lat: 53.81, Lng: -1.55},
					Approval: catalogue.Approval{MinAge: 0, MaxAge: 18, MaxChildren: 2, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
						From: day.AddDate(0, -6, 0), Until: day.AddDate(0, 6, 0)},
					Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}}, WeeklyCost: 500, Active: true,
				})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: home.ID, AvailableFrom: day, Status: catalogue.VacancyAvailable}); err != nil {
					t.Fatal(err)
				}
				svc := serviceOn(t, s, today)
				_, searchErr := svc.Options(ctx, catalogue.Everything, child.ID, 5)
				_, referErr := svc.Refer(ctx, catalogue.Everything, child.ID, []catalogue.PlacementID{home.ID}, false)
				for what, err := range map[string]error{"search": searchErr, "referral": referErr} {
					if !tc.refused {
						if err != nil {
							t.Errorf("%s refused: %v", what, err)
						}
						continue
					}
					var ce *catalogue.Error
					if !errors.As(err, &ce) || ce.Kind != catalogue.KindInvalid || len(ce.Fields) != 1 || ce.Fields[0].Field != "parents_considered" {
						t.Errorf("%s: got %v, want invalid parents_considered", what, err)
					}
				}
			})
		})
	}
}
