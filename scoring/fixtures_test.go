package scoring

import (
	"math"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Fixtures: hand-built children and placements around Leeds. Distances are set with offset, so
// a test can say "3 miles north of home" and mean it.

const (
	leeds           catalogue.CouncilCode = "E08000035"
	bradford        catalogue.CouncilCode = "E08000032"
	northYorks      catalogue.CouncilCode = "E06000065"
	kmPerDegree                           = catalogue.EarthRadiusKm * math.Pi / 180
	testToleranceKm                       = 0.01
)

var (
	today     = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	leedsHome = catalogue.Location{Lat: 53.8008, Lng: -1.5491}
)

// offset returns the point north and east of l by the given distances (km), on a local flat
// approximation good to a fraction of a percent over tens of kilometres.
func offset(l catalogue.Location, northKm, eastKm float64) catalogue.Location {
	lat := l.Lat + northKm/kmPerDegree
	lng := l.Lng + eastKm/(kmPerDegree*math.Cos(l.Lat*math.Pi/180))
	return catalogue.Location{Lat: lat, Lng: lng}
}

func miKm(mi float64) float64 { return mi * catalogue.MilesToKm }

// amy is 13, lives in Leeds, keeps her school 2 miles north of home, sees her mother weekly and
// her nan monthly, must not see her father unsupervised, and has high autism and medium trauma
// needs.
func amy() catalogue.Child {
	return catalogue.Child{
		ID:            101,
		Council:       leeds,
		FirstName:     "Amy",
		DateOfBirth:   time.Date(2013, 5, 10, 0, 0, 0, 0, time.UTC),
		Sex:           catalogue.Female,
		Ethnicity:     "WBRI",
		Religion:      catalogue.ReligionNone,
		FirstLanguage: "en",
		LegalStatus:   catalogue.LegalCareOrder,
		Needs: []catalogue.Need{
			{Kind: catalogue.NeedAutism, Level: catalogue.LevelHigh},
			{Kind: catalogue.NeedTrauma, Level: catalogue.LevelMedium},
		},
		CareType: catalogue.CareFamilyFoster,
		Purpose:  catalogue.PurposeLongTerm,
		NeededBy: today.AddDate(0, 0, 14),
		Home:     leedsHome,
		School: &catalogue.School{
			Name: "Oakfield Academy", Location: offset(leedsHome, miKm(2), 0), KeepPlanned: true,
		},
		Contacts: []catalogue.Contact{
			{Name: "Mum", Relationship: catalogue.RelMother, Location: offset(leedsHome, 0, miKm(1)), Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect},
			{Name: "Nan", Relationship: catalogue.RelGrandparent, Location: offset(leedsHome, 0, miKm(-9)), Frequency: catalogue.FreqMonthly, Type: catalogue.ContactDirect},
			{Name: "Dad", Relationship: catalogue.RelFather, Location: offset(leedsHome, miKm(-2), 0), Frequency: catalogue.FreqLess, Type: catalogue.ContactSupervised, MustNotKnow: true},
		},
		Companions: catalogue.CompanionsNoPreference,
		Pets:       catalogue.PetsCan,
		Wishes: catalogue.Wishes{
			Priorities: []catalogue.Wish{catalogue.WishStayAtSchool, catalogue.WishHavePet},
		},
		Status: catalogue.ChildWaiting,
	}
}

// fosterHome is an agency foster home in Leeds, 3 miles north of Amy's home (1 mile past her
// school), approved for girls and boys 5 to 15, with a dog, autism and therapeutic training and
// two places free.
func fosterHome() catalogue.Placement {
	return catalogue.Placement{
		ID:       501,
		Kind:     catalogue.AgencyFoster,
		Provider: 7,
		Name:     "Okafor household",
		Council:  leeds,
		AreaName: "Roundhay",
		Location: offset(leedsHome, miKm(3), 0),
		Approval: catalogue.Approval{
			MinAge: 5, MaxAge: 15, MaxChildren: 3,
			Purposes:      []catalogue.Purpose{catalogue.PurposeShortTerm, catalogue.PurposeLongTerm},
			SiblingGroups: true,
			From:          today.AddDate(0, -6, 0),
			Until:         today.AddDate(0, 6, 0),
		},
		Household: catalogue.Household{
			Carers:               []catalogue.Carer{{FirstName: "Grace"}, {FirstName: "Sam"}},
			Members:              []catalogue.Member{{FirstName: "Tobi", Age: 15, Sex: catalogue.Male, Role: catalogue.MemberCarersChild}},
			Pets:                 []catalogue.Animal{catalogue.AnimalDog},
			WheelchairAccessible: false,
		},
		Skills:     []catalogue.Skill{catalogue.SkillAutism, catalogue.SkillTherapeuticParenting},
		Languages:  []string{"en"},
		Religion:   catalogue.ReligionChristian,
		Ethnicity:  catalogue.EthnicBlack,
		Experience: 12,
		Stability:  catalogue.StabilityRecord{EndedPlanned: 7, EndedUnplanned: 1},
		LongTerm:   true,
		WeeklyCost: 820,
		Active:     true,
		Vacancies: []catalogue.Vacancy{
			{ID: 1, Placement: 501, AvailableFrom: today.AddDate(0, 0, -30), Status: catalogue.VacancyAvailable},
			{ID: 2, Placement: 501, AvailableFrom: today.AddDate(0, 0, -30), Status: catalogue.VacancyAvailable},
		},
	}
}

// childrensHome is a private children's home in Bradford, 9 miles west of Amy's home.
func childrensHome() catalogue.Placement {
	return catalogue.Placement{
		ID:       601,
		Kind:     catalogue.ChildrensHome,
		Provider: 9,
		Name:     "Hollybank House",
		URN:      "SC100601", Registration: catalogue.Registered,
		Council:  bradford,
		AreaName: "Shipley",
		Location: offset(leedsHome, 0, miKm(-9)),
		Approval: catalogue.Approval{
			MinAge: 10, MaxAge: 17, MaxChildren: 4,
			Purposes: []catalogue.Purpose{catalogue.PurposeEmergency, catalogue.PurposeShortTerm, catalogue.PurposeLongTerm},
		},
		Household: catalogue.Household{
			Members: []catalogue.Member{
				{Age: 15, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild},
				{Age: 16, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild},
			},
			WheelchairAccessible: true,
		},
		Skills:     []catalogue.Skill{catalogue.SkillTraumaInformed, catalogue.SkillExploitation, catalogue.SkillBehaviour},
		Experience: 6,
		Stability:  catalogue.StabilityRecord{EndedPlanned: 9, EndedUnplanned: 5},
		Ofsted:     catalogue.OfstedGood,
		WeeklyCost: 5200,
		Active:     true,
		Vacancies: []catalogue.Vacancy{
			{ID: 3, Placement: 601, AvailableFrom: today.AddDate(0, 0, -3), Status: catalogue.VacancyAvailable},
		},
	}
}

func prepare(t testing.TB, req Request) *Prepared {
	t.Helper()
	if req.Today.IsZero() {
		req.Today = today
	}
	p, err := Prepare(req, catalogue.DefaultPolicy())
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	return p
}

func approx(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
