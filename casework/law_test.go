package casework_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestTheLawIsNeverBroken: for each case issue 17 found unlawful, on both stores, the unlawful
// home is never proposed: not in the child's options (where its constraint counts it in the
// shortfall), not in a joint match's results, not in an offer naming it; and a lawful home
// beside it, the control, is proposed, so that the test can fail.
func TestTheLawIsNeverBroken(t *testing.T) {
	t.Parallel()
	today := sqltest.Epoch
	day := catalogue.Day(today)
	cases := []struct {
		name  string
		child func(c *catalogue.Child)
		home  func(p *catalogue.Placement) // the unlawful home, made from a lawful one of the child's kind
		want  string                       // the constraint that rules it out
	}{
		{"supported accommodation for a 14-year-old", func(c *catalogue.Child) {
			c.DateOfBirth, c.CareType = today.AddDate(-14, -2, 0), catalogue.CareSupported
		}, func(p *catalogue.Placement) {
			// Supported accommodation may be approved only from 16 (validation), so its age
			// terms rule the child out, and no lawful home of the kind exists to be the control.
			p.Kind, p.Registration, p.URN, p.Household.Carers = catalogue.SupportedAccommodation, catalogue.Registered, "SC100001", nil
			p.Approval.MinAge, p.Approval.MaxAge, p.Approval.From, p.Approval.Until = 16, 21, time.Time{}, time.Time{}
		}, "age"},
		{"a children's home for a 21-year-old", func(c *catalogue.Child) {
			c.DateOfBirth, c.CareType, c.School = today.AddDate(-21, -2, 0), catalogue.CareEither, nil
		}, func(p *catalogue.Placement) {
			p.Kind, p.Registration, p.URN = catalogue.ChildrensHome, catalogue.Registered, "SC100002"
			p.Approval.MaxAge, p.Approval.From, p.Approval.Until, p.Household.Carers = 17, time.Time{}, time.Time{}, nil
		}, "age"},
		{"a children's home with no Ofsted registration", func(c *catalogue.Child) { c.CareType = catalogue.CareEither },
			func(p *catalogue.Placement) {
				p.Kind, p.Registration, p.URN = catalogue.ChildrensHome, catalogue.RegistrationNone, ""
				p.Approval.MaxAge, p.Approval.From, p.Approval.Until, p.Household.Carers = 17, time.Time{}, time.Time{}, nil
			}, "unregistered"},
		{"a children's home whose registration is suspended", func(c *catalogue.Child) { c.CareType = catalogue.CareEither },
			func(p *catalogue.Placement) {
				p.Kind, p.Registration, p.URN = catalogue.ChildrensHome, catalogue.RegistrationSuspended, "SC100003"
				p.Approval.MaxAge, p.Approval.From, p.Approval.Until, p.Household.Carers = 17, time.Time{}, time.Time{}, nil
			}, "unregistered"},
		{"a fourth foster child", nil, func(p *catalogue.Placement) {
			p.Approval.MaxChildren, p.Approval.SiblingGroups = 6, true // lawful terms: beyond three for brothers and sisters
			for range 3 {
				p.Household.Members = append(p.Household.Members, catalogue.Member{Age: 9, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild})
			}
		}, "fostering_limit"},
		{"foster carers whose approval lapsed", nil, func(p *catalogue.Placement) {
			p.Approval.From, p.Approval.Until = day.AddDate(-1, 0, -2), day.AddDate(0, 0, -1)
		}, "approval_dates"},
		{"a connected person whose temporary approval lapsed", func(c *catalogue.Child) { c.CareType = catalogue.CareKinship },
			func(p *catalogue.Placement) {
				p.Kind, p.Approval.From, p.Approval.Until = catalogue.Kinship, time.Time{}, time.Time{}
				p.TemporaryApproval = &catalogue.TemporaryApproval{From: day.AddDate(0, 0, -7*16)}
			}, "temporary_approval"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				lawTable(t, s, today, tc.child, tc.home, tc.want)
			})
		})
	}
}

func lawTable(t *testing.T, s *sqlstore.Store, today time.Time, childMod func(*catalogue.Child), homeMod func(*catalogue.Placement), want string) {
	ctx := context.Background()
	day := catalogue.Day(today)
	prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds})
	if err != nil {
		t.Fatal(err)
	}
	c := catalogue.Child{
		Council: leeds, FirstName: "Jade", DateOfBirth: today.AddDate(-13, -6, 0), Sex: catalogue.Female,
		Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
		CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day.AddDate(0, 0, 7),
		Home: catalogue.Location{Lat: 53.80, Lng: -1.55}, Companions: catalogue.CompanionsNoPreference,
		Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting, ParentsConsidered: considered(day),
	}
	if childMod != nil {
		childMod(&c)
	}
	child, err := s.CreateChild(ctx, catalogue.Everything, c)
	if err != nil {
		t.Fatal(err)
	}
	lawful := func(name string, north float64) catalogue.Placement {
		return catalogue.Placement{
			Kind: catalogue.CouncilFoster, Provider: prov.ID, Name: name, Council: leeds, AreaName: "Leeds",
			Location: catalogue.Location{Lat: 53.80 + north, Lng: -1.55},
			Approval: catalogue.Approval{MinAge: 0, MaxAge: 25, MaxChildren: 3, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
				From: day.AddDate(0, -6, 0), Until: day.AddDate(0, 6, 0)},
			Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}},
			WeeklyCost: 650, Active: true, LongTerm: true, Experience: 5,
		}
	}
	bad := lawful("Unlawful home", 0.01)
	homeMod(&bad)
	if bad.Kind == catalogue.Kinship {
		bad.ConnectedTo = []catalogue.ChildID{child.ID}
	}
	homes := []catalogue.Placement{bad, lawful("Control home", 0.02), lawful("Second home", 0.03)}
	if c.CareType == catalogue.CareKinship { // the controls are kinship carers too, approved in full
		for i := 1; i < len(homes); i++ {
			homes[i].Kind, homes[i].ConnectedTo = catalogue.Kinship, []catalogue.ChildID{child.ID}
		}
	}
	var ids []catalogue.PlacementID
	for _, h := range homes {
		p, err := s.CreatePlacement(ctx, catalogue.Everything, h)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		if _, err := s.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day, Status: catalogue.VacancyAvailable}); err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		ids = append(ids, p.ID)
	}
	unlawful, control := ids[0], ids[1]
	if !c.CareType.Accepts(homes[1].Kind) {
		control = 0 // no lawful home of the kind the child needs can exist: nothing to propose
	}
	svc := serviceOn(t, s, today)

	// Options: the control, never the unlawful home, which the shortfall counts.
	opts, err := svc.Options(ctx, catalogue.Everything, child.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []catalogue.PlacementID
	for _, o := range opts.Options {
		got = append(got, o.Placement.ID)
	}
	if slices.Contains(got, unlawful) || (control != 0 && !slices.Contains(got, control)) {
		t.Errorf("options %v: want the control %d and never the unlawful %d", got, control, unlawful)
	}
	counted := false
	for _, r := range opts.Shortfall.Rejected {
		counted = counted || (r.Constraint == want && r.Count > 0)
	}
	if !counted {
		t.Errorf("the shortfall does not count %s: %+v", want, opts.Shortfall.Rejected)
	}

	// A joint match: the control, never the unlawful home.
	runs := newService(t, s, s, today)
	run, err := runs.Run(ctx, admin, casework.RunParams{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range collect(t, s, catalogue.Everything, run.ID) {
		var offered []catalogue.PlacementID
		for _, o := range r.Offers {
			offered = append(offered, o.Placement)
		}
		if slices.Contains(offered, unlawful) || (control != 0 && !slices.Contains(offered, control)) {
			t.Errorf("run offers %v: want the control %d and never the unlawful %d", offered, control, unlawful)
		}
	}

	// A referral to the unlawful home, and an offer naming it, are refused; nothing is written.
	if _, err := svc.Refer(ctx, catalogue.Everything, child.ID, []catalogue.PlacementID{unlawful}, false); err == nil {
		t.Error("the child was referred to the unlawful home")
	}
	if _, _, err := svc.MakeOffer(ctx, catalogue.Everything, child.ID, []catalogue.PlacementID{unlawful, control, ids[2]}, ""); err == nil {
		t.Error("an offer naming the unlawful home was made")
	}
	if control == 0 {
		return
	}
	// The lawful homes, referred and agreed, are offered.
	rs, err := svc.Refer(ctx, catalogue.Everything, child.ID, []catalogue.PlacementID{control, ids[2]}, false)
	if err != nil {
		t.Fatalf("referring the child to the lawful homes: %v", err)
	}
	for _, r := range rs {
		if _, err := svc.Respond(ctx, catalogue.Everything, r.ID, r.Version, catalogue.ReferralResponse{Accepted: true, Impact: "Settles well with the children here."}); err != nil {
			t.Fatalf("accepting referral %d: %v", r.ID, err)
		}
	}
	if _, _, err := svc.MakeOffer(ctx, catalogue.Everything, child.ID, []catalogue.PlacementID{control, ids[2]}, ""); err != nil {
		t.Errorf("an offer of the lawful homes: %v", err)
	}
}
