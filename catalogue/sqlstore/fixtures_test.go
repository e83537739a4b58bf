package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

const (
	birmingham catalogue.CouncilCode = "E08000025"
	leeds      catalogue.CouncilCode = "E08000035"
	camden     catalogue.CouncilCode = "E09000007"
)

var (
	officerBirmingham = catalogue.Scope{Council: birmingham}
	officerLeeds      = catalogue.Scope{Council: leeds}
	commissioner      = catalogue.Principal{Role: catalogue.RoleCommissioner}.Scope()
	everything        = catalogue.Everything
)

// equal compares as a reader would: an empty list is no list.
var equal = cmpopts.EquateEmpty()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func at(lat, lng float64) catalogue.Location { return catalogue.Location{Lat: lat, Lng: lng} }

// fullChild is a child with every field set, nested lists included.
func fullChild(council catalogue.CouncilCode, caseRef string, group catalogue.SiblingGroupID) catalogue.Child {
	return catalogue.Child{
		Council:       council,
		CaseRef:       caseRef,
		FirstName:     "Amara",
		DateOfBirth:   day(2013, time.March, 4),
		Sex:           catalogue.Female,
		Ethnicity:     "BAFR",
		Religion:      catalogue.ReligionChristian,
		FirstLanguage: "en",
		Communication: []catalogue.Communication{catalogue.CommESOL, catalogue.CommMakaton},
		LegalStatus:   catalogue.LegalCareOrder,
		Needs: []catalogue.Need{
			{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh},
			{Kind: catalogue.NeedLearning, Level: catalogue.LevelLow},
			{Kind: catalogue.NeedSelfHarm, Level: catalogue.LevelMedium},
			{Kind: catalogue.NeedCriminalExploitingOthers, Level: catalogue.LevelLow},
		},
		RisksToOthers: []catalogue.RiskToOthers{catalogue.RiskYounger},
		CareType:      catalogue.CareFamilyFoster,
		ParentsConsidered: &catalogue.ParentsConsidered{On: day(2025, time.December, 1), Why: catalogue.ParentsNotWelfare,
			Reason: "Her mother's home is where the harm happened; the court agreed."},
		Purpose:  catalogue.PurposeLongTerm,
		NeededBy: day(2026, time.December, 1),
		Home:     at(52.4862, -1.8904),
		School: &catalogue.School{
			Name: "Park Hill Primary", URN: "103245", Location: at(52.4801, -1.9011), KeepPlanned: true,
		},
		Contacts: []catalogue.Contact{
			{Name: "Mum", Relationship: catalogue.RelMother, Location: at(52.45, -1.93), Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect},
			{Name: "Nan", Relationship: catalogue.RelGrandparent, Location: at(52.51, -1.80), Frequency: catalogue.FreqMonthly, Type: catalogue.ContactSupervised, MustNotKnow: true},
		},
		SiblingGroup: group,
		ExclusionZones: []catalogue.ExclusionZone{
			{Shape: catalogue.ZoneCircle, Reason: "exploitation hotspot", Centre: at(52.47, -1.88), RadiusKm: 1.5},
			{Shape: catalogue.ZonePolygon, Reason: "named risk", Vertices: []catalogue.Location{
				at(52.40, -1.95), at(52.41, -1.90), at(52.38, -1.89), at(52.385, -1.96),
			}},
		},
		Companions:  catalogue.CompanionsOnlyOlder,
		Pets:        catalogue.PetsCan,
		Allergies:   []catalogue.Animal{catalogue.AnimalCat},
		Respiratory: true,
		Wheelchair:  true,
		Wishes: catalogue.Wishes{
			Priorities: []catalogue.Wish{catalogue.WishStayAtSchool, catalogue.WishLiveWithSiblings},
			InOwnWords: "I want to stay at my school and see my sister.",
		},
		Status:               catalogue.ChildWaiting,
		SDQBand:              catalogue.SDQHigh,
		CAMHS:                true,
		DeprivationOfLiberty: true,
		Confidential:         true,
	}
}

// plainChild is a child with only the required fields.
func plainChild(council catalogue.CouncilCode, home catalogue.Location) catalogue.Child {
	return catalogue.Child{
		Council: council, FirstName: "Sam", DateOfBirth: day(2010, time.June, 30), Sex: catalogue.Male,
		Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalSection20,
		CareType: catalogue.CareEither, Purpose: catalogue.PurposeShortTerm, NeededBy: day(2026, time.January, 5),
		Home: home, Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
	}
}

// fullPlacement is a family placement with every field set.
func fullPlacement(provider catalogue.ProviderID, kind catalogue.PlacementKind, connected ...catalogue.ChildID) catalogue.Placement {
	return catalogue.Placement{
		Kind:     kind,
		Provider: provider,
		Name:     "Okafor household",
		URN:      "SC123456",
		Council:  birmingham,
		AreaName: "Harborne",
		Location: at(52.4597, -1.9527),
		Approval: catalogue.Approval{
			MinAge: 5, MaxAge: 17, Sexes: []catalogue.Sex{catalogue.Female}, MaxChildren: 3,
			Purposes:      []catalogue.Purpose{catalogue.PurposeLongTerm, catalogue.PurposeShortTerm},
			SiblingGroups: true,
			From:          time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC),
			Until:         time.Date(2099, 6, 1, 0, 0, 0, 0, time.UTC),
		},
		Household: catalogue.Household{
			Carers: []catalogue.Carer{{FirstName: "Grace"}, {FirstName: "Tunde"}},
			Members: []catalogue.Member{
				{FirstName: "Ada", Age: 19, Sex: catalogue.Female, Role: catalogue.MemberCarersChild},
				{Age: 12, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild},
			},
			Pets:                 []catalogue.Animal{catalogue.AnimalDog},
			Smoking:              false,
			WheelchairAccessible: true,
		},
		Skills:      []catalogue.Skill{catalogue.SkillTraumaInformed, catalogue.SkillTherapeuticParenting, catalogue.SkillMentalHealth},
		Languages:   []string{"en", "yo"},
		Religion:    catalogue.ReligionChristian,
		Ethnicity:   catalogue.EthnicBlack,
		Experience:  11,
		Stability:   catalogue.StabilityRecord{EndedPlanned: 7, EndedUnplanned: 1},
		Ofsted:      catalogue.OfstedGood,
		StayingPut:  true,
		LongTerm:    true,
		WeeklyCost:  780,
		Profile:     "We live near the park with our dog, Biscuit.",
		Active:      true,
		ConnectedTo: connected,

		DoLConditions: true,
	}
}

// plainPlacement is a placement with the required fields, of the given kind and place.
func plainPlacement(provider catalogue.ProviderID, council catalogue.CouncilCode, loc catalogue.Location) catalogue.Placement {
	return catalogue.Placement{
		Kind: catalogue.ChildrensHome, Provider: provider, Name: "Hollybank House", Council: council, AreaName: "Town",
		URN: "SC654321", Registration: catalogue.Registered, Location: loc, Approval: catalogue.Approval{MinAge: 8, MaxAge: 17, MaxChildren: 4,
			Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm}},
		Active: true,
	}
}

func agency(name string) catalogue.Provider {
	return catalogue.Provider{Name: name, Kind: catalogue.ProviderAgency, URN: "SC000001"}
}

// must fails the test on an error.
func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// wantErr fails unless err matches target.
func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// wantField fails unless err is an ErrInvalid naming field.
func wantField(t testing.TB, err error, field string) {
	t.Helper()
	wantErr(t, err, catalogue.ErrInvalid)
	for _, f := range catalogue.FieldErrors(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name field %q", err, field)
}

// diff fails when got and want differ.
func diff(t testing.TB, what string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got, equal); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// world is a small catalogue: two providers, a sibling group, children in two councils,
// placements with places.
type world struct {
	agency, council catalogue.Provider
	group           catalogue.SiblingGroup
	children        []catalogue.Child // birmingham, birmingham (in group), leeds
	placements      []catalogue.Placement
}

func newWorld(t *testing.T, s *sqlstore.Store) world {
	t.Helper()
	ctx := context.Background()
	var w world
	w.agency = must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Horizon Fostering")))
	w.council = must[catalogue.Provider](t)(s.CreateProvider(ctx, catalogue.Provider{
		Name: "Birmingham Children's Trust", Kind: catalogue.ProviderCouncil, Council: birmingham}))
	w.group = must[catalogue.SiblingGroup](t)(s.CreateSiblingGroup(ctx, everything, catalogue.SiblingGroup{
		Council: birmingham, Plan: catalogue.PlanTogether}))
	for _, c := range []catalogue.Child{
		plainChild(birmingham, at(52.48, -1.89)),
		fullChild(birmingham, "B-1", w.group.ID),
		plainChild(leeds, at(53.80, -1.55)),
	} {
		w.children = append(w.children, must[catalogue.Child](t)(s.CreateChild(ctx, everything, c)))
	}
	for _, p := range []catalogue.Placement{
		fullPlacement(w.agency.ID, catalogue.AgencyFoster),
		plainPlacement(w.council.ID, birmingham, at(52.50, -1.85)),
		plainPlacement(w.agency.ID, leeds, at(53.79, -1.54)),
	} {
		w.placements = append(w.placements, must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, p)))
	}
	return w
}
