package scoring

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

// explainText renders a check and a score the way an officer would read them.
func explainText(p *Prepared, pl *catalogue.Placement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s)\n", pl.Name, pl.Kind, pl.AreaName)
	if rs := p.CheckAll(pl); len(rs) > 0 {
		for _, r := range rs {
			fmt.Fprintf(&b, "  rejected %-18s %s\n", r.Constraint, r.Reason())
		}
		return b.String()
	}
	r := p.Score(pl)
	fmt.Fprintf(&b, "  total %.3f, quality %.3f, £%d a week, school %.1f km, contacts %s\n",
		r.Total, r.Quality, r.WeeklyCost, r.SchoolKm, kms(r.ContactKm))
	for _, f := range r.Factors {
		fmt.Fprintf(&b, "  %-9s weight %.3f score %.3f  %s\n", f.Factor, f.Weight, f.Score, f.Reason)
	}
	return b.String()
}

func kms(ds []float64) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%.1f km", d)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Hand-built children for the golden files.

// zain is 16, arrived alone from Eritrea, speaks Tigrinya and is learning English, is Christian,
// goes to college (no school kept), and sees a friend from his journey weekly.
func zain() catalogue.Child {
	return catalogue.Child{
		ID: 201, Council: bradford, FirstName: "Zain", Sex: catalogue.Male,
		DateOfBirth: time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC),
		Ethnicity:   "BAFR", Religion: catalogue.ReligionChristian, FirstLanguage: "ti",
		Communication: []catalogue.Communication{catalogue.CommESOL},
		LegalStatus:   catalogue.LegalSection20,
		Needs: []catalogue.Need{
			{Kind: catalogue.NeedUASC, Level: catalogue.LevelHigh},
			{Kind: catalogue.NeedTrauma, Level: catalogue.LevelMedium},
		},
		CareType: catalogue.CareSupported, Purpose: catalogue.PurposeLongTerm,
		NeededBy: today, Home: offset(leedsHome, 1, miKm(-8)),
		Contacts: []catalogue.Contact{
			{Name: "Yonas", Relationship: catalogue.RelFriend, Location: offset(leedsHome, 0, miKm(-7)), Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect},
		},
		Companions: catalogue.CompanionsWithOthers, Pets: catalogue.PetsCan,
		Wishes: catalogue.Wishes{Priorities: []catalogue.Wish{catalogue.WishMyLanguage, catalogue.WishMyReligion, catalogue.WishTown}},
	}
}

func supported() catalogue.Placement {
	return catalogue.Placement{
		ID: 701, Kind: catalogue.SupportedAccommodation, Provider: 11, Name: "Canal Street Flats",
		URN: "SC100701", Registration: catalogue.Registered,
		Council: bradford, AreaName: "Bradford centre", Location: offset(leedsHome, 0.5, miKm(-9)),
		Approval: catalogue.Approval{MinAge: 16, MaxAge: 18, MaxChildren: 6,
			Purposes: []catalogue.Purpose{catalogue.PurposeShortTerm, catalogue.PurposeLongTerm}},
		Household: catalogue.Household{Members: []catalogue.Member{
			{Age: 17, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild},
		}},
		Skills:     []catalogue.Skill{catalogue.SkillUASC, catalogue.SkillTraumaInformed},
		Languages:  []string{"en", "ar", "ti"},
		Experience: 4, Stability: catalogue.StabilityRecord{EndedPlanned: 12, EndedUnplanned: 2},
		Ofsted: catalogue.OfstedGood, WeeklyCost: 1400, Active: true,
		Vacancies: []catalogue.Vacancy{{ID: 9, Placement: 701, AvailableFrom: today.AddDate(0, 0, -7), Status: catalogue.VacancyAvailable}},
	}
}

// poppy is 4, has asthma, and her nan is assessed as her kinship carer in North Yorkshire; her
// brother, 12, lives with foster carers in Leeds.
func poppy() catalogue.Child {
	return catalogue.Child{
		ID: 301, Council: leeds, FirstName: "Poppy", Sex: catalogue.Female,
		DateOfBirth: time.Date(2022, 6, 15, 0, 0, 0, 0, time.UTC),
		Ethnicity:   "MWBC", Religion: catalogue.ReligionNone, FirstLanguage: "en",
		LegalStatus: catalogue.LegalInterimCareOrder,
		CareType:    catalogue.CareKinship, Purpose: catalogue.PurposeShortTerm,
		NeededBy: today.AddDate(0, 0, 3), Home: offset(leedsHome, -2, 3), Respiratory: true,
		Contacts: []catalogue.Contact{
			{Name: "Mummy", Relationship: catalogue.RelMother, Location: offset(leedsHome, -2, 4), Frequency: catalogue.FreqFortnightly, Type: catalogue.ContactDirect},
		},
		Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan,
	}
}

func nansHouse() catalogue.Placement {
	return catalogue.Placement{
		ID: 801, Kind: catalogue.Kinship, Provider: 1, Name: "Mrs Carter (Poppy's nan)",
		Council: northYorks, AreaName: "Wetherby outskirts", Location: offset(leedsHome, 18, 10),
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: 1,
			Purposes: []catalogue.Purpose{catalogue.PurposeShortTerm, catalogue.PurposeLongTerm}},
		Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Jean"}}, Pets: []catalogue.Animal{catalogue.AnimalCat}},
		Languages:  []string{"en"},
		Ethnicity:  catalogue.EthnicWhite,
		Experience: 0, WeeklyCost: 280, Active: true, LongTerm: true,
		ConnectedTo:       []catalogue.ChildID{301},
		TemporaryApproval: &catalogue.TemporaryApproval{From: today.AddDate(0, 0, -20)},
		Vacancies:         []catalogue.Vacancy{{ID: 10, Placement: 801, AvailableFrom: today, Status: catalogue.VacancyAvailable}},
	}
}

// kai is 16 on the day of the move, in Leeds, assessed for foster care or a children's home,
// with a long-term plan; Sam and Jo would let him stay on after 18, Grace and Sam would not, and
// the children's home cannot.
func kai() (catalogue.Child, []catalogue.Placement) {
	c := amy()
	c.ID, c.FirstName, c.Sex = 104, "Kai", catalogue.Male
	c.DateOfBirth = time.Date(2010, 9, 1, 0, 0, 0, 0, time.UTC)
	c.CareType = catalogue.CareEither
	c.School = nil
	c.Wishes.Priorities = []catalogue.Wish{catalogue.WishHavePet}
	willing := fosterHome()
	willing.ID, willing.Name, willing.AreaName = 503, "Marsh household", "Headingley"
	willing.Household.Carers = []catalogue.Carer{{FirstName: "Sam"}, {FirstName: "Jo"}}
	willing.StayingPut = true
	willing.Approval.MaxAge = 17
	unwilling := fosterHome()
	unwilling.Approval.MaxAge = 17
	return c, []catalogue.Placement{willing, unwilling, childrensHome()}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	kaiChild, kaiHomes := kai()
	amyEither := amy()
	amyEither.CareType = catalogue.CareEither
	groupHome := fosterHome()
	groupHome.ID, groupHome.Name, groupHome.AreaName = 502, "Hussain household", "Chapel Allerton"
	groupHome.Approval.MaxChildren, groupHome.Household.Members = 4, nil
	groupHome.Vacancies = append(groupHome.Vacancies, catalogue.Vacancy{ID: 4, Placement: 502, AvailableFrom: today, Status: catalogue.VacancyAvailable})
	ben := brother()
	cara := brother()
	cara.ID, cara.FirstName, cara.Sex = 103, "Cara", catalogue.Female

	tests := []struct {
		name  string
		req   Request
		homes []catalogue.Placement
	}{
		{"amy", Request{Child: amy(), Moves12m: 3}, []catalogue.Placement{fosterHome(), childrensHome()}},
		{"amy_either", Request{Child: amyEither}, []catalogue.Placement{childrensHome()}},
		{"siblings_together", Request{Child: amy(), Group: []catalogue.Child{amy(), ben, cara}, GroupPlan: catalogue.PlanTogether},
			[]catalogue.Placement{groupHome, fosterHome()}},
		{"zain", Request{Child: zain()}, []catalogue.Placement{supported()}},
		{"kai", Request{Child: kaiChild}, kaiHomes},
		{"poppy", Request{Child: poppy(), SiblingsElsewhere: []catalogue.Location{offset(leedsHome, 1, 1)}, GroupPlan: catalogue.PlanApart},
			[]catalogue.Placement{nansHouse(), fosterHome()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := prepare(t, tt.req)
			var b strings.Builder
			c := tt.req.Child
			fmt.Fprintf(&b, "%s, %d, needs %v, wishes %v, moves in 12 months %d\n\n", c.FirstName, c.AgeOn(p.Day()), c.Needs, c.Wishes.Priorities, tt.req.Moves12m)
			for i := range tt.homes {
				b.WriteString(explainText(p, &tt.homes[i]))
				b.WriteString("\n")
			}
			golden.Check(t, "testdata/"+tt.name+".golden", b.String())
		})
	}
}

// TestGoldenRejections: every hard constraint's reason, as an officer reads it in a shortfall.
func TestGoldenRejections(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for _, tt := range rejectionCases() {
		p := prepare(t, tt.req)
		r := p.Check(&tt.pl)
		fmt.Fprintf(&b, "%-18s %s\n", r.Constraint, r.Reason())
	}
	golden.Check(t, "testdata/rejections.golden", b.String())
}

type rejectionCase struct {
	req Request
	pl  catalogue.Placement
}

// rejectionCases builds one rejected pair per constraint, in the order of Constraints.
func rejectionCases() []rejectionCase {
	base := func(fc func(c *catalogue.Child), fp func(pl *catalogue.Placement)) rejectionCase {
		c, pl := amy(), fosterHome()
		fc(&c)
		fp(&pl)
		return rejectionCase{req: Request{Child: c, Today: today}, pl: pl}
	}
	none := func(*catalogue.Child) {}
	keep := func(*catalogue.Placement) {}
	group := base(none, func(pl *catalogue.Placement) { pl.Approval.SiblingGroups = false })
	group.req.Group = []catalogue.Child{group.req.Child, brother()}
	return []rejectionCase{
		base(none, func(pl *catalogue.Placement) { pl.Active = false }),
		base(none, func(pl *catalogue.Placement) { pl.Vacancies = nil }),
		base(func(c *catalogue.Child) { c.CareType = catalogue.CareChildrensHome }, keep),
		base(func(c *catalogue.Child) { c.CareType = catalogue.CareKinship }, func(pl *catalogue.Placement) {
			pl.Kind, pl.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{9}
		}),
		base(none, func(pl *catalogue.Placement) { pl.Ofsted = catalogue.OfstedInadequate }),
		base(none, func(pl *catalogue.Placement) { pl.Approval.MaxAge = 10 }),
		base(none, func(pl *catalogue.Placement) { pl.Approval.Sexes = []catalogue.Sex{catalogue.Male} }),
		base(none, func(pl *catalogue.Placement) { pl.Approval.Purposes = []catalogue.Purpose{catalogue.PurposeRespite} }),
		group,
		base(none, func(pl *catalogue.Placement) {
			pl.Approval.MaxChildren = 1
			pl.Household.Members = append(pl.Household.Members, catalogue.Member{Age: 12, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild})
		}),
		base(func(c *catalogue.Child) { c.Wheelchair = true }, keep),
		base(func(c *catalogue.Child) { c.Respiratory = true }, func(pl *catalogue.Placement) { pl.Household.Smoking = true }),
		base(func(c *catalogue.Child) { c.Pets = catalogue.PetsCannot }, keep),
		base(func(c *catalogue.Child) { c.Allergies = []catalogue.Animal{catalogue.AnimalDog} }, keep),
		base(func(c *catalogue.Child) { c.Companions = catalogue.CompanionsSolo }, keep),
		base(func(c *catalogue.Child) { c.RisksToOthers = []catalogue.RiskToOthers{catalogue.RiskAnimals} }, keep),
		base(none, func(pl *catalogue.Placement) { pl.Location = offset(leedsHome, 0, miKm(72)) }),
		base(func(c *catalogue.Child) {
			c.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZoneCircle, Centre: offset(leedsHome, miKm(3), 1.5), RadiusKm: 1.2}}
		}, keep),
		base(none, func(pl *catalogue.Placement) { pl.Kind, pl.Owner = catalogue.CouncilFoster, bradford }),
		base(func(c *catalogue.Child) { c.DeprivationOfLiberty = true }, keep),
		base(func(c *catalogue.Child) { c.CareType = catalogue.CareSupported }, registered(catalogue.SupportedAccommodation)),
		base(func(c *catalogue.Child) {
			c.CareType, c.DateOfBirth = catalogue.CareChildrensHome, time.Date(2008, 1, 10, 0, 0, 0, 0, time.UTC)
		}, registered(catalogue.ChildrensHome)),
		base(func(c *catalogue.Child) { c.CareType = catalogue.CareChildrensHome }, func(pl *catalogue.Placement) {
			registered(catalogue.ChildrensHome)(pl)
			pl.Registration = catalogue.RegistrationSuspended
		}),
		base(none, func(pl *catalogue.Placement) {
			pl.Approval.MaxChildren = 4
			pl.Household.Members = append(pl.Household.Members, catalogue.Member{Age: 12, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild},
				catalogue.Member{Age: 9, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild}, catalogue.Member{Age: 7, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild})
		}),
		base(none, func(pl *catalogue.Placement) { pl.Approval.Until = today.AddDate(0, 0, -1) }),
		base(func(c *catalogue.Child) { c.CareType = catalogue.CareKinship }, func(pl *catalogue.Placement) {
			pl.Kind, pl.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{101}
			pl.Approval.From, pl.Approval.Until = time.Time{}, time.Time{}
			pl.TemporaryApproval = &catalogue.TemporaryApproval{From: today.AddDate(0, 0, -120)}
		}),
	}
}

// registered makes a foster home a registered home of kind k for Amy's ages, as it might have
// been stored before the law's validation.
func registered(k catalogue.PlacementKind) func(pl *catalogue.Placement) {
	return func(pl *catalogue.Placement) {
		pl.Kind, pl.URN, pl.Registration = k, "SC100501", catalogue.Registered
		pl.Approval.From, pl.Approval.Until, pl.Approval.MaxAge = time.Time{}, time.Time{}, 25
		pl.Household.Members = nil
	}
}

func TestRejectionCasesCoverEveryConstraint(t *testing.T) {
	t.Parallel()
	cases := rejectionCases()
	if len(cases) != len(Constraints) {
		t.Fatalf("%d cases for %d constraints", len(cases), len(Constraints))
	}
	for i, tt := range cases {
		p := prepare(t, tt.req)
		if got := p.Check(&tt.pl).Constraint; got != Constraints[i] {
			t.Errorf("case %d rejected by %q, want %q", i, got, Constraints[i])
		}
	}
}
