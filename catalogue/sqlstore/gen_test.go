package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// sizes says how many records of each kind genBatch makes.
type sizes struct {
	providers, groups, children, placements, vacancies int
}

// national is about England's scale: 80,000 children, 60,000 placements with 15,000 places.
var national = sizes{providers: 6000, groups: 10000, children: 80000, placements: 60000, vacancies: 15000}

// genBatch makes a valid batch of new records, the same for the same seed. Records refer to
// each other by batch-local keys: every sibling group has two or three children of its
// council, every kinship placement is assessed for a child of the batch, and places never take
// a placement over its approval.
func genBatch(seed uint64, n sizes) catalogue.Batch {
	g := gen{rng: rand.New(rand.NewPCG(seed, 0x706c6163656d61)), councils: catalogue.Councils()}
	var b catalogue.Batch

	for i := range n.providers {
		p := catalogue.Provider{ID: catalogue.ProviderID(-1 - i), Name: fmt.Sprintf("Provider %d", i)}
		switch i % 4 {
		case 0:
			p.Kind, p.Council = catalogue.ProviderCouncil, g.council().Code
		case 1:
			p.Kind, p.URN = catalogue.ProviderAgency, fmt.Sprintf("SC%06d", i)
		case 2:
			p.Kind, p.URN = catalogue.ProviderPrivate, fmt.Sprintf("SC%06d", i)
		default:
			p.Kind = catalogue.ProviderVoluntary
		}
		b.Providers = append(b.Providers, p)
	}

	groupCouncil := make([]catalogue.CouncilCode, n.groups)
	for i := range n.groups {
		sg := catalogue.SiblingGroup{ID: catalogue.SiblingGroupID(-1 - i), Council: g.council().Code,
			Plan: pick(g.rng, catalogue.SiblingPlans)}
		if sg.Plan == catalogue.PlanApart {
			sg.Reason = "assessed as needing separate homes"
		}
		groupCouncil[i] = sg.Council
		b.SiblingGroups = append(b.SiblingGroups, sg)
	}

	group, inGroup := 0, 0
	for i := range n.children {
		if group >= n.groups {
			b.Children = append(b.Children, g.child(i, g.council()))
			continue
		}
		// The first children fill the groups, two or three to a group, in the group's council.
		council, _ := catalogue.CouncilByCode(groupCouncil[group]) // a code from Councils()
		c := g.child(i, council)
		c.SiblingGroup = catalogue.SiblingGroupID(-1 - group)
		b.Children = append(b.Children, c)
		if inGroup++; inGroup == 2+(group%3)/2 {
			group, inGroup = group+1, 0
		}
	}

	perPlace := 0.0
	if n.placements > 0 {
		perPlace = float64(n.vacancies) / float64(n.placements)
	}
	made := 0
	for i := range n.placements {
		p := g.placement(i, n.providers, n.children)
		room := p.Approval.MaxChildren
		for _, m := range p.Household.Members {
			if m.Role == catalogue.MemberPlacedChild {
				room--
			}
		}
		// Spread the places evenly: as many as the running target asks for, within the room.
		want := int(float64(i+1)*perPlace+0.5) - made
		for k := 0; k < min(want, room, 20); k++ {
			status := catalogue.VacancyAvailable
			if g.rng.IntN(10) == 0 {
				status = catalogue.VacancyWithdrawn
			}
			p.Vacancies = append(p.Vacancies, catalogue.Vacancy{
				AvailableFrom: day(2026, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28)), Status: status})
			made++
		}
		b.Placements = append(b.Placements, p)
	}
	return b
}

type gen struct {
	rng      *rand.Rand
	councils []catalogue.Council
}

func (g gen) council() catalogue.Council { return g.councils[g.rng.IntN(len(g.councils))] }

// near returns a point within about 10 km of loc.
func (g gen) near(loc catalogue.Location) catalogue.Location {
	return at(loc.Lat+0.18*(g.rng.Float64()-0.5), loc.Lng+0.28*(g.rng.Float64()-0.5))
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

var (
	ethnicities = []catalogue.Ethnicity{"WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "MOTH", "AIND", "APKN", "BAFR", "BCRB", "OOTH"}
	names       = []string{"Amara", "Sam", "Leo", "Maya", "Kai", "Zara", "Noah", "Ivy", "Omar", "Ella", "Jay", "Ruby"}
	languages   = []string{"en", "en", "en", "en", "pl", "ur", "ar", "ro", "so", "pa"}
)

func (g gen) child(i int, c catalogue.Council) catalogue.Child {
	home := g.near(c.Centre)
	ch := catalogue.Child{
		ID:            catalogue.ChildID(-1 - i),
		Council:       c.Code,
		CaseRef:       fmt.Sprintf("C%07d", i),
		FirstName:     pick(g.rng, names),
		DateOfBirth:   day(2008+g.rng.IntN(17), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28)),
		Sex:           pick(g.rng, catalogue.Sexes),
		Ethnicity:     pick(g.rng, ethnicities),
		Religion:      pick(g.rng, catalogue.Religions),
		FirstLanguage: pick(g.rng, languages),
		LegalStatus:   pick(g.rng, catalogue.LegalStatuses),
		CareType:      pick(g.rng, catalogue.CareTypes),
		Purpose:       pick(g.rng, catalogue.Purposes),
		NeededBy:      day(2026, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28)),
		Home:          home,
		Companions:    pick(g.rng, catalogue.CompanionsAll),
		Pets:          pick(g.rng, catalogue.PetsRules),
		Respiratory:   g.rng.IntN(12) == 0,
		Wheelchair:    g.rng.IntN(40) == 0,
		Status:        catalogue.ChildWaiting,
	}
	for _, k := range catalogue.NeedKinds {
		if g.rng.IntN(5) == 0 {
			ch.Needs = append(ch.Needs, catalogue.Need{Kind: k, Level: catalogue.NeedLevel(1 + g.rng.IntN(3))})
		}
	}
	if g.rng.IntN(4) != 0 {
		ch.School = &catalogue.School{Name: "School " + c.Name, Location: g.near(home), KeepPlanned: g.rng.IntN(2) == 0}
	}
	for k := range g.rng.IntN(3) {
		ch.Contacts = append(ch.Contacts, catalogue.Contact{Name: fmt.Sprintf("Contact %d", k),
			Relationship: pick(g.rng, catalogue.Relationships), Location: g.near(home),
			Frequency: pick(g.rng, catalogue.Frequencies), Type: pick(g.rng, catalogue.ContactTypes), MustNotKnow: g.rng.IntN(4) == 0})
	}
	if g.rng.IntN(10) == 0 {
		ch.ExclusionZones = []catalogue.ExclusionZone{{Shape: catalogue.ZoneCircle, Reason: "hotspot",
			Centre: g.near(home), RadiusKm: 1 + 3*g.rng.Float64()}}
	}
	if g.rng.IntN(3) == 0 {
		ch.Wishes = catalogue.Wishes{Priorities: []catalogue.Wish{pick(g.rng, catalogue.WishesAll)}, InOwnWords: "Near my friends."}
	}
	return ch
}

func (g gen) placement(i, providers, children int) catalogue.Placement {
	c := g.council()
	kinds := catalogue.PlacementKinds
	if children == 0 {
		kinds = []catalogue.PlacementKind{catalogue.CouncilFoster, catalogue.AgencyFoster, catalogue.ChildrensHome}
	}
	p := catalogue.Placement{
		ID:         catalogue.PlacementID(-1 - i),
		Kind:       pick(g.rng, kinds),
		Provider:   catalogue.ProviderID(-1 - g.rng.IntN(max(providers, 1))),
		Name:       fmt.Sprintf("Home %d", i),
		Council:    c.Code,
		AreaName:   c.Name,
		Location:   g.near(c.Centre),
		Experience: g.rng.IntN(30),
		Stability:  catalogue.StabilityRecord{EndedPlanned: g.rng.IntN(10), EndedUnplanned: g.rng.IntN(3)},
		WeeklyCost: 500 + g.rng.IntN(6000),
		Profile:    "A warm home with a garden.",
		Active:     g.rng.IntN(20) != 0,
		StayingPut: g.rng.IntN(3) == 0,
		LongTerm:   g.rng.IntN(2) == 0,
		Skills:     []catalogue.Skill{pick(g.rng, catalogue.Skills)},
		Languages:  []string{"en"},
	}
	minAge := g.rng.IntN(12)
	p.Approval = catalogue.Approval{MinAge: minAge, MaxAge: minAge + 6, MaxChildren: 1 + g.rng.IntN(4),
		Purposes: []catalogue.Purpose{pick(g.rng, catalogue.Purposes)}, SiblingGroups: g.rng.IntN(2) == 0}
	lawful(&p, i)
	if p.Kind.IsFamily() {
		p.Household.Carers = []catalogue.Carer{{FirstName: pick(g.rng, names)}}
		p.Religion = pick(g.rng, catalogue.Religions)
	} else {
		p.Ofsted = pick(g.rng, catalogue.OfstedGrades)
		if p.Kind == catalogue.SupportedAccommodation { // Ofsted's three outcomes, from the same draw
			p.SupportedOutcome = map[catalogue.OfstedGrade]catalogue.SupportedOutcome{catalogue.OfstedOutstanding: catalogue.OutcomeStrong,
				catalogue.OfstedGood: catalogue.OutcomeStrong, catalogue.OfstedRequiresImprovement: catalogue.OutcomeInconsistent,
				catalogue.OfstedInadequate: catalogue.OutcomeSerious}[p.Ofsted]
			p.Ofsted = ""
		}
	}
	if placed := g.rng.IntN(p.Approval.MaxChildren); placed > 0 {
		for range placed {
			p.Household.Members = append(p.Household.Members, catalogue.Member{Age: 5 + g.rng.IntN(12),
				Sex: pick(g.rng, catalogue.Sexes), Role: catalogue.MemberPlacedChild})
		}
	}
	if p.Kind == catalogue.Kinship {
		p.ConnectedTo = []catalogue.ChildID{catalogue.ChildID(-1 - g.rng.IntN(children))}
	}
	return p
}

// lawful gives a generated placement the law's facts (catalogue/law.go) without drawing from
// the random stream: homes registered, ages the kind may take, foster approvals in date, an
// exemption where the approval is beyond the usual fostering limit.
func lawful(p *catalogue.Placement, i int) {
	a := &p.Approval
	switch p.Kind {
	case catalogue.ChildrensHome, catalogue.SupportedAccommodation:
		p.Registration, p.URN = catalogue.Registered, fmt.Sprintf("SC%06d", 500000+i)
		if p.Kind == catalogue.ChildrensHome {
			a.MaxAge = min(a.MaxAge, catalogue.ChildrensHomeMaxAge)
		} else {
			a.MinAge, a.MaxAge = max(a.MinAge, catalogue.SupportedMinAge), max(a.MaxAge, catalogue.SupportedMinAge)
		}
	default:
		a.From, a.Until = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
		if a.MaxChildren > catalogue.UsualFosteringLimit && !a.SiblingGroups {
			a.Exemption = "EX-" + strconv.Itoa(i)
		}
	}
}
