package exchange

import (
	"time"

	"github.com/placematch/placematch/catalogue"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fixtureChildren is a small fixed set of stored children and sibling groups that between them
// set every field, including text a spreadsheet would read as a formula.
func fixtureChildren() ([]catalogue.Child, []catalogue.SiblingGroup) {
	stamp := day(2026, 1, 2)
	groups := []catalogue.SiblingGroup{
		{ID: 7, Council: "E08000003", Plan: catalogue.PlanTogether, Version: 2, CreatedAt: stamp, UpdatedAt: stamp, Members: []catalogue.ChildID{11, 12}},
		{ID: 9, Council: "E10000016", Plan: catalogue.PlanApart, Reason: "-assessed: the older boy harmed his sister; contact supervised", Version: 1},
	}
	children := []catalogue.Child{
		{
			ID: 11, Council: "E08000003", CaseRef: "MCR-0042", FirstName: "=HYPERLINK(\"http://x\")",
			DateOfBirth: day(2014, 3, 9), Sex: catalogue.Female, Ethnicity: "MWBC", Religion: catalogue.ReligionChristian,
			FirstLanguage: "en", Communication: []catalogue.Communication{catalogue.CommBSL, catalogue.CommMakaton},
			LegalStatus:   catalogue.LegalCareOrder,
			Needs:         []catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh}, {Kind: catalogue.NeedAutism, Level: catalogue.LevelLow}},
			RisksToOthers: []catalogue.RiskToOthers{catalogue.RiskPhysical, catalogue.RiskYounger},
			CareType:      catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day(2026, 2, 1),
			Home:   catalogue.Location{Lat: 53.4808, Lng: -2.2426},
			School: &catalogue.School{Name: "St Anne's, Ancoats", URN: "105500", Location: catalogue.Location{Lat: 53.4831, Lng: -2.2254}, KeepPlanned: true},
			Contacts: []catalogue.Contact{
				{Name: "Mum", Relationship: catalogue.RelMother, Location: catalogue.Location{Lat: 53.47, Lng: -2.25}, Frequency: catalogue.FreqWeekly, Type: catalogue.ContactSupervised, MustNotKnow: true},
				{Name: "+Nan; \"Gran\"", Relationship: catalogue.RelGrandparent, Location: catalogue.Location{Lat: 53.5, Lng: -2.3}, Frequency: catalogue.FreqFortnightly, Type: catalogue.ContactDirect},
			},
			SiblingGroup: 7,
			ExclusionZones: []catalogue.ExclusionZone{
				{Shape: catalogue.ZoneCircle, Reason: "@risk address", Centre: catalogue.Location{Lat: 53.49, Lng: -2.21}, RadiusKm: 1.5},
				{Shape: catalogue.ZonePolygon, Reason: "city centre hotspot", Vertices: []catalogue.Location{{Lat: 53.47, Lng: -2.25}, {Lat: 53.48, Lng: -2.23}, {Lat: 53.475, Lng: -2.22}}},
			},
			Companions: catalogue.CompanionsOnlyOlder, Pets: catalogue.PetsCan, Allergies: []catalogue.Animal{catalogue.AnimalCat},
			Respiratory: true, Wheelchair: false,
			Wishes: catalogue.Wishes{Priorities: []catalogue.Wish{catalogue.WishLiveWithSiblings, catalogue.WishStayAtSchool},
				InOwnWords: "I want to stay with my brother,\nand keep going to St Anne's"},
			Status: catalogue.ChildWaiting, Version: 3, CreatedAt: stamp, UpdatedAt: stamp,
		},
		{
			ID: 12, Council: "E08000003", CaseRef: "MCR-0043", FirstName: "Tom",
			DateOfBirth: day(2016, 11, 30), Sex: catalogue.Male, Ethnicity: "MWBC", Religion: catalogue.ReligionNone,
			FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
			CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day(2026, 2, 1),
			Home:         catalogue.Location{Lat: 53.4808, Lng: -2.2426},
			SiblingGroup: 7,
			Companions:   catalogue.CompanionsNoPreference, Pets: catalogue.PetsMust,
			Status: catalogue.ChildWaiting,
		},
		{
			ID: 20, Council: "E10000016", CaseRef: "'=KENT-1", FirstName: "Amira",
			DateOfBirth: day(2009, 6, 1), Sex: catalogue.Female, Ethnicity: "AOTH", Religion: catalogue.ReligionMuslim,
			FirstLanguage: "ar", Communication: []catalogue.Communication{catalogue.CommESOL},
			LegalStatus: catalogue.LegalSection20,
			Needs: []catalogue.Need{{Kind: catalogue.NeedUASC, Level: catalogue.LevelMedium}, {Kind: catalogue.NeedExploitationCSE, Level: catalogue.LevelHigh},
				{Kind: catalogue.NeedSelfHarm, Level: catalogue.LevelHigh}, {Kind: catalogue.NeedCriminalExploitingOthers, Level: catalogue.LevelLow}},
			SDQBand: catalogue.SDQVeryHigh, CAMHS: true, DeprivationOfLiberty: true, Confidential: true,
			CareType: catalogue.CareSupported, Purpose: catalogue.PurposeLongTerm, NeededBy: day(2026, 1, 15),
			Home:         catalogue.Location{Lat: 51.2787, Lng: 1.0803},
			SiblingGroup: 9,
			Companions:   catalogue.CompanionsSolo, Pets: catalogue.PetsCannot,
			Allergies: []catalogue.Animal{catalogue.AnimalDog, catalogue.AnimalCat, catalogue.AnimalOther},
			Wishes:    catalogue.Wishes{Priorities: []catalogue.Wish{catalogue.WishMyReligion, catalogue.WishMyLanguage, catalogue.WishTown}},
			Status:    catalogue.ChildOffered,
		},
		{
			ID: 21, Council: "E10000016", FirstName: "Jay",
			DateOfBirth: day(2011, 1, 20), Sex: catalogue.Male, Ethnicity: "WBRI", Religion: catalogue.ReligionOther,
			FirstLanguage: "en", LegalStatus: catalogue.LegalRemand,
			Needs:         []catalogue.Need{{Kind: catalogue.NeedRemand, Level: catalogue.LevelHigh}, {Kind: catalogue.NeedMissing, Level: catalogue.LevelMedium}},
			RisksToOthers: []catalogue.RiskToOthers{catalogue.RiskSexual, catalogue.RiskFire, catalogue.RiskAnimals},
			CareType:      catalogue.CareChildrensHome, Purpose: catalogue.PurposeRemand, NeededBy: day(2026, 1, 10),
			Home:         catalogue.Location{Lat: 51.3, Lng: 0.5},
			SiblingGroup: 9,
			Contacts: []catalogue.Contact{
				{Name: "", Relationship: catalogue.RelFriend, Location: catalogue.Location{Lat: 51.31, Lng: 0.52}, Frequency: catalogue.FreqLess, Type: catalogue.ContactDirect},
			},
			Companions: catalogue.CompanionsSolo, Pets: catalogue.PetsCannot, Wheelchair: true,
			Wishes: catalogue.Wishes{InOwnWords: "\tleave me alone"},
			Status: catalogue.ChildPlaced,
		},
		{
			ID: 30, Council: "E08000035", CaseRef: "LDS 7", FirstName: "Zoë",
			DateOfBirth: day(2023, 12, 31), Sex: catalogue.Female, Ethnicity: "BAFR", Religion: catalogue.ReligionChristian,
			FirstLanguage: "yo", LegalStatus: catalogue.LegalEPO,
			CareType: catalogue.CareEither, Purpose: catalogue.PurposeEmergency, NeededBy: day(2026, 1, 3),
			Home:       catalogue.Location{Lat: 53.8008, Lng: -1.5491},
			Companions: catalogue.CompanionsWithOthers, Pets: catalogue.PetsCan,
			Status: catalogue.ChildClosed,
		},
	}
	return children, groups
}

// fixturePlacements is a small fixed set of stored placements that between them set every field.
func fixturePlacements() []catalogue.Placement {
	stamp := day(2026, 1, 2)
	return []catalogue.Placement{
		{
			ID: 101, Kind: catalogue.CouncilFoster, Provider: 3, Name: "Okafor household", URN: "SC000001",
			Council: "E08000003", AreaName: "Didsbury", Location: catalogue.Location{Lat: 53.4167, Lng: -2.2312},
			Approval: catalogue.Approval{MinAge: 0, MaxAge: 11, MaxChildren: 3,
				Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm, catalogue.PurposeShortTerm}, SiblingGroups: true,
				From: day(2025, 9, 1), Until: day(2026, 9, 1), Exemption: "MCC/EX/2025/4"},
			Household: catalogue.Household{
				Carers: []catalogue.Carer{{FirstName: "Ngozi"}, {FirstName: "=Chidi"}},
				Members: []catalogue.Member{
					{FirstName: "Ada", Age: 17, Sex: catalogue.Female, Role: catalogue.MemberCarersChild},
					{Age: 6, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild},
				},
				Pets: []catalogue.Animal{catalogue.AnimalDog}, Smoking: false, WheelchairAccessible: true,
			},
			Skills:    []catalogue.Skill{catalogue.SkillTherapeuticParenting, catalogue.SkillAutism},
			Languages: []string{"en", "yo"}, Religion: catalogue.ReligionChristian, Ethnicity: catalogue.EthnicBlack,
			Experience: 12, Stability: catalogue.StabilityRecord{EndedPlanned: 9, EndedUnplanned: 1},
			StayingPut: true, LongTerm: true, WeeklyCost: 650,
			Profile: "-We live near a big park.\nWe have a dog called Biscuit.", Active: true, DoLConditions: true,
			Vacancies: []catalogue.Vacancy{
				{ID: 1001, Placement: 101, AvailableFrom: day(2026, 1, 5), Status: catalogue.VacancyAvailable, Version: 1, CreatedAt: stamp},
				{ID: 1002, Placement: 101, AvailableFrom: day(2026, 1, 6), Status: catalogue.VacancyHeld, Child: 11},
			},
			Version: 4, CreatedAt: stamp, UpdatedAt: stamp,
		},
		{
			ID: 102, Kind: catalogue.ChildrensHome, Provider: 5, Name: "Hollybank House", URN: "SC123456", Registration: catalogue.Registered,
			Council: "E10000016", AreaName: "@Canterbury", Location: catalogue.Location{Lat: 51.28, Lng: 1.08},
			Approval: catalogue.Approval{MinAge: 12, MaxAge: 17, Sexes: []catalogue.Sex{catalogue.Male, catalogue.Female}, MaxChildren: 4,
				Purposes: []catalogue.Purpose{catalogue.PurposeEmergency, catalogue.PurposeRemand}},
			Household: catalogue.Household{
				Carers: []catalogue.Carer{{FirstName: "Sam"}},
				Members: []catalogue.Member{
					{Age: 15, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild},
					{FirstName: "Night staff", Age: 40, Sex: catalogue.Female, Role: catalogue.MemberAdult},
				},
				Smoking: true,
			},
			Skills:     []catalogue.Skill{catalogue.SkillExploitation, catalogue.SkillRemand, catalogue.SkillSubstanceUse},
			Experience: 5, Ofsted: catalogue.OfstedRequiresImprovement, WeeklyCost: 5200, Active: false,
			Vacancies: []catalogue.Vacancy{
				{ID: 2002, AvailableFrom: day(2026, 3, 1), Status: catalogue.VacancyWithdrawn},
				{ID: 2001, AvailableFrom: day(2026, 2, 1), Status: catalogue.VacancyFilled, Child: 21},
			},
		},
		{
			ID: 103, Kind: catalogue.Kinship, Provider: 3, Name: "Nan Rose", Council: "E08000003", AreaName: "Wythenshawe",
			Location:  catalogue.Location{Lat: 53.38, Lng: -2.26},
			Approval:  catalogue.Approval{MinAge: 5, MaxAge: 12, MaxChildren: 2, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm}, SiblingGroups: true},
			Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Rose"}}, Pets: []catalogue.Animal{catalogue.AnimalCat, catalogue.AnimalOther}},
			Languages: []string{"en"}, Religion: catalogue.ReligionNone, Ethnicity: catalogue.EthnicMixed,
			WeeklyCost: 0, Active: true, ConnectedTo: []catalogue.ChildID{11, 12},
			TemporaryApproval: &catalogue.TemporaryApproval{From: day(2025, 12, 1), Extended: true},
		},
		{
			ID: 104, Kind: catalogue.SupportedAccommodation, Provider: 8, Name: "Riverside Flats", URN: "2773001", Registration: catalogue.RegistrationSuspended,
			Council: "E08000035", AreaName: "Leeds", Location: catalogue.Location{Lat: 53.79, Lng: -1.54},
			Approval:  catalogue.Approval{MinAge: 16, MaxAge: 18, MaxChildren: 6, Purposes: []catalogue.Purpose{catalogue.PurposeShortTerm, catalogue.PurposeLongTerm}},
			Skills:    []catalogue.Skill{catalogue.SkillUASC},
			Languages: []string{"ar", "ps", "ti"}, SupportedOutcome: catalogue.OutcomeInconsistent, WeeklyCost: 1450, Active: true,
			Vacancies: []catalogue.Vacancy{{ID: 4001, AvailableFrom: day(2026, 1, 20), Status: catalogue.VacancyAvailable}},
		},
		{
			ID: 105, Kind: catalogue.AgencyFoster, Provider: 6, Name: "The Bakers", Council: "E06000023", AreaName: "Bristol",
			Location: catalogue.Location{Lat: 51.45, Lng: -2.58},
			Approval: catalogue.Approval{MinAge: 0, MaxAge: 18, Sexes: []catalogue.Sex{catalogue.Female}, MaxChildren: 1,
				Purposes: []catalogue.Purpose{catalogue.PurposeRespite}, From: day(2026, 1, 1), Until: day(2027, 1, 1)},
			Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Jo"}, {FirstName: "Sam"}, {FirstName: "Alex"}}},
			Skills:    []catalogue.Skill{catalogue.SkillParentAndChild, catalogue.SkillDisability, catalogue.SkillLearning, catalogue.SkillBehaviour, catalogue.SkillTraumaInformed},
			Ofsted:    catalogue.OfstedGood, Experience: 1, WeeklyCost: 820, Active: true,
			Stability: catalogue.StabilityRecord{EndedUnplanned: 2},
			Profile:   "",
		},
	}
}
