package casework_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
)

// TestOfferBackup: on both stores, a child placed under an offer whose back-up's provider
// agreed to hold it while they settle is offered that back-up in one call, without a new
// search, as a new offer whose place is the one held; refused, with nothing changed, without a
// reason (400 naming reason), when the home no longer fits the child's hard constraints (409
// naming placement and the constraint), and once the settling period is over (the sweep has
// released the place: a vacancy again).
func TestOfferBackup(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		before func(t *testing.T, s *sqlstore.Store, backup catalogue.Placement)
		reason string
		kind   catalogue.Kind // 0: the offer is made
		field  string
		held   bool // the back-up's place is still held for the child after
	}{
		{"the back-up is offered", nil, "Her check-ins say she does not feel safe.", 0, "", true},
		{"no reason", nil, "  ", catalogue.KindInvalid, "reason", true},
		{"the home no longer fits", func(t *testing.T, s *sqlstore.Store, backup catalogue.Placement) {
			backup.Approval.MinAge, backup.Approval.MaxAge = 0, 5 // re-approved for young children only
			if _, err := s.UpdatePlacement(context.Background(), catalogue.Everything, backup); err != nil {
				t.Fatal(err)
			}
		}, "Not safe.", catalogue.KindConflict, "placement", true},
		{"the settling period is over", func(t *testing.T, s *sqlstore.Store, _ catalogue.Placement) {
			sqltest.Clock(t, s).Advance(29 * 24 * time.Hour)
		}, "Not safe.", catalogue.KindConflict, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := context.Background()
				svc, child, homes := placedWithBackup(t, s)
				backup := homes[2]
				holds, err := s.ListSettlingHolds(ctx, catalogue.Everything, catalogue.SettlingFilter{Child: child})
				if err != nil || len(holds.Items) != 1 {
					t.Fatalf("holds %+v, %v", holds.Items, err)
				}
				h, err := s.AnswerSettlingHold(ctx, catalogue.Scope{Provider: backup.Provider}, holds.Items[0].ID, holds.Items[0].Version,
					catalogue.SettlingAnswer{Agree: true, WeeklyRetainer: 90})
				if err != nil {
					t.Fatal(err)
				}
				if tc.before != nil {
					tc.before(t, s, backup)
				}
				o, got, err := svc.OfferBackup(ctx, catalogue.Scope{Council: leeds}, h.ID, h.Version, tc.reason)
				switch {
				case tc.kind == 0 && err != nil:
					t.Fatalf("offering the back-up: %v", err)
				case tc.kind != 0 && catalogue.KindOf(err) != tc.kind:
					t.Fatalf("error %v, want %s", err, tc.kind)
				case tc.field != "":
					if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != tc.field {
						t.Fatalf("error %v does not name %s", err, tc.field)
					}
				}
				if tc.field == "placement" && !strings.Contains(err.Error(), "age") {
					t.Errorf("the refusal %q does not say which constraint", err)
				}
				if tc.kind == 0 {
					if len(o.Options) != 1 || o.Options[0].Placement != backup.ID || o.Options[0].Role != catalogue.RoleChoice ||
						o.Options[0].Referral == 0 || o.OneChoiceReason != tc.reason || got.Status != catalogue.SettlingOffered || got.NewOffer != o.ID {
						t.Fatalf("offer %+v, hold %+v", o, got)
					}
				} else if got, _ := s.SettlingHold(ctx, catalogue.Everything, h.ID); got.NewOffer != 0 {
					t.Fatalf("a refused offer changed the hold: %+v", got)
				}
				p, err := s.Placement(ctx, catalogue.Everything, backup.ID)
				if err != nil {
					t.Fatal(err)
				}
				held := slices.ContainsFunc(p.Vacancies, func(v catalogue.Vacancy) bool {
					return v.Status == catalogue.VacancyHeld && v.Child == child
				})
				if held != tc.held {
					t.Errorf("the back-up's place held for the child: %v, want %v (%+v)", held, tc.held, p.Vacancies)
				}
			})
		})
	}
}

// placedWithBackup is a Leeds child offered three agreed homes (the third the back-up), placed
// in the first today: the move asked for the back-up to be held. The service's clock is the
// store's.
func placedWithBackup(t *testing.T, s *sqlstore.Store) (*casework.Service, catalogue.ChildID, []catalogue.Placement) {
	t.Helper()
	ctx := context.Background()
	now := s.Now
	day := catalogue.Day(now())
	engine, err := matcher.NewEngine(t.Context(), s, matcher.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := casework.New(casework.Config{Store: s, Matcher: engine, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds})
	if err != nil {
		t.Fatal(err)
	}
	child, err := s.CreateChild(ctx, catalogue.Everything, catalogue.Child{
		Council: leeds, FirstName: "Jade", DateOfBirth: day.AddDate(-13, -6, 0), Sex: catalogue.Female,
		Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
		CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day.AddDate(0, 0, 7),
		Home: catalogue.Location{Lat: 53.80, Lng: -1.55}, Companions: catalogue.CompanionsNoPreference,
		Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting, ParentsConsidered: considered(day),
	})
	if err != nil {
		t.Fatal(err)
	}
	var homes []catalogue.Placement
	var ids []catalogue.PlacementID
	for i, name := range []string{"First home", "Second home", "Back-up home"} {
		p := leedsHome(t, s, prov.ID, name, catalogue.Location{Lat: 53.80 + 0.01*float64(i+1), Lng: -1.55}, day)
		homes, ids = append(homes, p), append(ids, p.ID)
	}
	o := agreedOffer(t, svc, child.ID, ids)
	o, err = svc.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: ids[0], Reason: "An emergency: no time to ask."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkPlaced(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Arrival{On: day}); err != nil {
		t.Fatal(err)
	}
	return svc, child.ID, homes
}

// agreedOffer refers the child to the homes, has every provider accept, and makes the offer of
// them in that order (the first two the choices).
func agreedOffer(t *testing.T, svc *casework.Service, child catalogue.ChildID, homes []catalogue.PlacementID) catalogue.Offer {
	t.Helper()
	ctx := context.Background()
	rs, err := svc.Refer(ctx, catalogue.Everything, child, homes, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if _, err := svc.Respond(ctx, catalogue.Everything, r.ID, r.Version, catalogue.ReferralResponse{Accepted: true, Impact: "Settles well with the children here."}); err != nil {
			t.Fatal(err)
		}
	}
	o, _, err := svc.MakeOffer(ctx, catalogue.Everything, child, homes, "")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// leedsHome is a lawful Leeds council foster home of the provider for a long-term child, with
// one place from day.
func leedsHome(t *testing.T, s *sqlstore.Store, prov catalogue.ProviderID, name string, at catalogue.Location, day time.Time) catalogue.Placement {
	t.Helper()
	ctx := context.Background()
	p, err := s.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{
		Kind: catalogue.CouncilFoster, Provider: prov, Name: name, Council: leeds, AreaName: "Leeds", Location: at,
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 25, MaxChildren: 3, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
			From: day.AddDate(0, -6, 0), Until: day.AddDate(0, 6, 0)},
		Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}},
		WeeklyCost: 650, Active: true, LongTerm: true, Experience: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day, Status: catalogue.VacancyAvailable}); err != nil {
		t.Fatal(err)
	}
	return p
}
