package sufficiency

import (
	"math"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The fixed catalogue: five councils more than the 50-mile limit apart, so that each one's
// children can use only its own homes, each with a gap known by construction.
//
//   - Cornwall: 6 sibling groups of 3 (aged 5, 7 and 9) to live together, and no carer who can
//     take three brothers and sisters: 8 foster carers with 2 places and 4 with 3 places, none
//     approved for sibling groups (that approval alone keeps each group from the 4 with room).
//     12 children aged 5 to 9 waiting alone have every carer as a choice.
//   - Northumberland: 10 teenagers assessed for a children's home, and one home with 5 places:
//     one real choice each, and room for 5. 6 children aged 2 to 4 with 6 foster carers.
//   - Kent: 36 children who all have many choices (6 disabled wheelchair users, 6 Black, 6 of
//     mixed heritage) with 36 foster carers (10 with step-free access), and 6 unaccompanied
//     asylum-seeking young people of 16 and 17 with 4 supported accommodation settings.
//   - Cumberland and Cheshire East (North West): 3 children each, alike, with 6 carers each:
//     every figure of theirs is withheld, and the two protect each other within the region.
//
// Leaving care, with a gap known by construction: the young people in care aged 16 or 17 (all
// of them, not only those waiting) are Kent's 6 waiting and 14 placed, 7 in Cornwall, 5 in
// Northumberland, 3 in Cumberland and 2 in Cheshire East: 37 in England. Carers willing to offer
// Staying Put: 4 of Kent's (3 places each: 12 places, 8 short), 2 of Cornwall's 2-place carers
// (4 places, 3 short), 4 of Northumberland's foster carers (8 places, 3 to spare) and one of
// Cumberland's (2 places); 26 places in England, 11 short. Cumberland's and Cheshire East's
// young people are withheld, and protect each other; the North West's 5 are shown. Of them,
// fostered (Staying Put) with their own carers willing: Kent 14 with 7, Cornwall 6 with 6,
// Northumberland 5 with none, Cumberland 3 with 2, Cheshire East 2 with none (30 with 15 in
// England: a gap of 15); in children's homes (Staying Close): Kent 6, Cornwall 1.
const (
	cornwall       = catalogue.CouncilCode("E06000052")
	northumberland = catalogue.CouncilCode("E06000057")
	kent           = catalogue.CouncilCode("E10000016")
	cumberland     = catalogue.CouncilCode("E06000063")
	cheshireEast   = catalogue.CouncilCode("E06000049")
)

var fixtureDay = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

func centre(c catalogue.CouncilCode) catalogue.Location {
	co, _ := catalogue.CouncilByCode(c)
	return co.Centre
}

// near is a point km north and east of l.
func near(l catalogue.Location, northKm, eastKm float64) catalogue.Location {
	const kmPerDegree = catalogue.EarthRadiusKm * math.Pi / 180
	return catalogue.Location{Lat: l.Lat + northKm/kmPerDegree, Lng: l.Lng + eastKm/(kmPerDegree*math.Cos(l.Lat*math.Pi/180))}
}

type fixtureBuilder struct {
	in     Input
	nextC  catalogue.ChildID
	nextP  catalogue.PlacementID
	nextG  catalogue.SiblingGroupID
	nextV  catalogue.VacancyID
	prov   catalogue.ProviderID
	county catalogue.CouncilCode
}

func (b *fixtureBuilder) child(age int, mod func(*catalogue.Child)) catalogue.Child {
	b.nextC++
	n := int(b.nextC)
	c := catalogue.Child{
		ID: b.nextC, Council: b.county, FirstName: "Child", DateOfBirth: fixtureDay.AddDate(-age, -1-n%5, 0),
		Sex: []catalogue.Sex{catalogue.Female, catalogue.Male}[n%2], Ethnicity: "WBRI", Religion: catalogue.ReligionNone,
		FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder, CareType: catalogue.CareFamilyFoster,
		Purpose: catalogue.PurposeLongTerm, NeededBy: fixtureDay.AddDate(0, 0, 7),
		Home:       near(centre(b.county), float64(n%7)-3, float64(n%5)-2),
		Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
	}
	if mod != nil {
		mod(&c)
	}
	b.in.Children = append(b.in.Children, c)
	return c
}

func (b *fixtureBuilder) group(plan catalogue.SiblingPlan, ages ...int) {
	b.nextG++
	g := catalogue.SiblingGroup{ID: b.nextG, Council: b.county, Plan: plan}
	home := near(centre(b.county), float64(b.nextG%5)-2, float64(b.nextG%3)-1)
	for _, age := range ages {
		c := b.child(age, func(c *catalogue.Child) { c.SiblingGroup = g.ID; c.Home = home })
		g.Members = append(g.Members, c.ID)
	}
	b.in.Groups = append(b.in.Groups, g)
}

func (b *fixtureBuilder) placement(kind catalogue.PlacementKind, places, vacancies int, mod func(*catalogue.Placement)) {
	b.nextP++
	n := float64(b.nextP)
	p := catalogue.Placement{
		ID: b.nextP, Kind: kind, Provider: b.prov, Name: "Home", Council: b.county, AreaName: "Area",
		Location: near(centre(b.county), math.Mod(n*1.7, 8)-4, math.Mod(n*2.3, 8)-4),
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: places,
			Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm, catalogue.PurposeShortTerm, catalogue.PurposeEmergency}},
		Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}},
		Experience: 5, LongTerm: true, WeeklyCost: 650, Active: true,
	}
	if kind == catalogue.ChildrensHome {
		p.Household.Carers, p.Ofsted, p.WeeklyCost = nil, catalogue.OfstedGood, 4800
	}
	if kind == catalogue.SupportedAccommodation {
		p.Household.Carers, p.WeeklyCost, p.Approval.MinAge = nil, 1500, 16
	}
	if kind.MustRegister() {
		p.Registration, p.URN = catalogue.Registered, "SC900001"
	} else {
		p.Approval.From, p.Approval.Until = fixtureDay.AddDate(-1, 0, 1), fixtureDay.AddDate(0, 6, 0)
	}
	for range vacancies {
		b.nextV++
		p.Vacancies = append(p.Vacancies, catalogue.Vacancy{ID: b.nextV, Placement: p.ID, AvailableFrom: fixtureDay, Status: catalogue.VacancyAvailable})
	}
	for range places - vacancies {
		p.Household.Members = append(p.Household.Members, catalogue.Member{Age: 9, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild})
	}
	if mod != nil {
		mod(&p)
	}
	b.in.Placements = append(b.in.Placements, p)
}

func fixture() Input {
	b := &fixtureBuilder{prov: 1}
	b.in.Today = fixtureDay
	b.in.LoadedAt = fixtureDay.Add(9 * time.Hour)

	b.county = cornwall
	for range 6 {
		b.group(catalogue.PlanTogether, 5, 7, 9)
	}
	for i := range 12 {
		b.child(5+i%5, nil)
	}
	for i := range 8 {
		b.placement(catalogue.CouncilFoster, 2, 2, func(p *catalogue.Placement) { p.StayingPut = i < 2 })
	}
	for range 4 {
		b.placement(catalogue.CouncilFoster, 3, 3, nil)
	}

	b.county = northumberland
	for i := range 10 {
		b.child(14+i%2, func(c *catalogue.Child) { c.CareType = catalogue.CareChildrensHome })
	}
	for i := range 6 {
		b.child(2+i%3, nil)
	}
	b.placement(catalogue.ChildrensHome, 5, 5, func(p *catalogue.Placement) { p.Approval.MinAge = 12 })
	for i := range 6 {
		b.placement(catalogue.CouncilFoster, 2, 2, func(p *catalogue.Placement) { p.StayingPut = i < 4 })
	}

	b.county = kent
	for i := range 36 {
		age := []int{2, 7, 12}[i/12]
		b.child(age, func(c *catalogue.Child) {
			switch {
			case i >= 12 && i < 18:
				c.Needs = []catalogue.Need{{Kind: catalogue.NeedDisabilityHealth, Level: catalogue.LevelHigh}}
				c.Wheelchair = true
			case i >= 18 && i < 24:
				c.Ethnicity = "BAFR"
			case i >= 24 && i < 30:
				c.Ethnicity = "MWBC"
			}
		})
	}
	for i := range 6 {
		b.child(16+i%2, func(c *catalogue.Child) {
			c.CareType = catalogue.CareSupported
			c.Needs = []catalogue.Need{{Kind: catalogue.NeedUASC, Level: catalogue.LevelMedium}}
			c.Ethnicity = "BOTH"
			c.FirstLanguage = "ti"
		})
	}
	for i := range 36 {
		b.placement(catalogue.AgencyFoster, 3, 2, func(p *catalogue.Placement) {
			p.WeeklyCost = 820
			p.Household.WheelchairAccessible = i < 10
			p.StayingPut = i >= 32
		})
	}
	for range 4 {
		b.placement(catalogue.SupportedAccommodation, 4, 3, nil)
	}

	for _, c := range []catalogue.CouncilCode{cumberland, cheshireEast} {
		b.county = c
		for range 3 {
			b.child(12, nil)
		}
		for i := range 6 {
			b.placement(catalogue.CouncilFoster, 2, 2, func(p *catalogue.Placement) { p.StayingPut = c == cumberland && i == 0 })
		}
	}
	b.in.TurningEighteen = map[catalogue.CouncilCode]int{kent: 20, cornwall: 7, northumberland: 5, cumberland: 3, cheshireEast: 2}
	// Of them, by their current placement: fostered (and whose own carers are willing), and in
	// children's homes (Staying Close).
	b.in.Leaving = map[catalogue.CouncilCode]Leaving{
		kent:           {StayingPutEligible: 14, StayingPutWilling: 7, StayingClose: 6},
		cornwall:       {StayingPutEligible: 6, StayingPutWilling: 6, StayingClose: 1},
		northumberland: {StayingPutEligible: 5, StayingPutWilling: 0},
		cumberland:     {StayingPutEligible: 3, StayingPutWilling: 2},
		cheshireEast:   {StayingPutEligible: 2, StayingPutWilling: 0},
	}
	b.in.Unregistered = map[catalogue.CouncilCode]int{kent: 6, cornwall: 2}
	// Children cared for by kin outside care, by way: a family arrangement, a child arrangements
	// order, a special guardian.
	fa, cao, sgo := catalogue.CaringFamilyArrangement, catalogue.CaringChildArrangementsOrder, catalogue.CaringSpecialGuardianship
	b.in.KinCaring = []catalogue.KinCaringCount{
		{Council: kent, Caring: fa, Children: 9}, {Council: kent, Caring: cao, Children: 3}, {Council: kent, Caring: sgo, Children: 12},
		{Council: cornwall, Caring: sgo, Children: 6},
		{Council: northumberland, Caring: fa, Children: 2}, {Council: northumberland, Caring: sgo, Children: 7},
		{Council: cumberland, Caring: fa, Children: 5},
		{Council: cheshireEast, Caring: cao, Children: 1},
	}
	return b.in
}
