package catalogue_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// validChild is a child every test starts from; each case breaks one thing.
func validChild() catalogue.Child {
	return catalogue.Child{
		Council: "E08000003", FirstName: "Amy", DateOfBirth: day("2013-05-02"), Sex: catalogue.Female,
		Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
		Needs:    []catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh}},
		CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day("2026-12-01"),
		Home:     catalogue.Location{Lat: 53.48, Lng: -2.24},
		School:   &catalogue.School{Name: "Oakfield Primary", Location: catalogue.Location{Lat: 53.47, Lng: -2.25}, KeepPlanned: true},
		Contacts: []catalogue.Contact{{Name: "Mum", Relationship: catalogue.RelMother, Location: catalogue.Location{Lat: 53.5, Lng: -2.2}, Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect}},
		ExclusionZones: []catalogue.ExclusionZone{
			{Shape: catalogue.ZoneCircle, Centre: catalogue.Location{Lat: 53.49, Lng: -2.23}, RadiusKm: 2},
			{Shape: catalogue.ZonePolygon, Vertices: []catalogue.Location{{Lat: 53.4, Lng: -2.3}, {Lat: 53.41, Lng: -2.3}, {Lat: 53.41, Lng: -2.29}}},
		},
		Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan,
		Wishes: catalogue.Wishes{Priorities: []catalogue.Wish{catalogue.WishStayAtSchool}, InOwnWords: "I want to stay at my school."},
		Status: catalogue.ChildWaiting,
	}
}

func TestChildValidate(t *testing.T) {
	t.Parallel()
	if err := validChild().Validate(); err != nil {
		t.Fatalf("valid child refused: %v", err)
	}
	cases := []struct {
		name   string
		break_ func(c *catalogue.Child)
		fields []string
	}{
		{"unknown council", func(c *catalogue.Child) { c.Council = "W06000001" }, []string{"council"}},
		{"no first name", func(c *catalogue.Child) { c.FirstName = "" }, []string{"first_name"}},
		{"long first name", func(c *catalogue.Child) { c.FirstName = strings.Repeat("a", 51) }, []string{"first_name"}},
		{"bad utf-8", func(c *catalogue.Child) { c.FirstName = "\xff" }, []string{"first_name"}},
		{"no date of birth", func(c *catalogue.Child) { c.DateOfBirth = time.Time{} }, []string{"date_of_birth"}},
		{"ancient date of birth", func(c *catalogue.Child) { c.DateOfBirth = day("1900-01-01") }, []string{"date_of_birth"}},
		{"sex", func(c *catalogue.Child) { c.Sex = "x" }, []string{"sex"}},
		{"ethnicity", func(c *catalogue.Child) { c.Ethnicity = "WHITE" }, []string{"ethnicity"}},
		{"language", func(c *catalogue.Child) { c.FirstLanguage = "English" }, []string{"first_language"}},
		{"duplicate communication", func(c *catalogue.Child) {
			c.Communication = []catalogue.Communication{catalogue.CommBSL, catalogue.CommBSL}
		}, []string{"communication[1]"}},
		{"need level", func(c *catalogue.Child) { c.Needs[0].Level = 4 }, []string{"needs[0].level"}},
		{"need kind repeated", func(c *catalogue.Child) { c.Needs = append(c.Needs, c.Needs[0]) }, []string{"needs[1].kind"}},
		{"needed before birth", func(c *catalogue.Child) { c.NeededBy = day("2010-01-01") }, []string{"needed_by"}},
		{"home off the map", func(c *catalogue.Child) { c.Home = catalogue.Location{Lat: 40, Lng: math.NaN()} }, []string{"home.lat", "home.lng"}},
		{"school without name", func(c *catalogue.Child) { c.School.Name = "" }, []string{"school.name"}},
		{"school location", func(c *catalogue.Child) { c.School.Location.Lat = 91 }, []string{"school.location.lat"}},
		{"contact frequency", func(c *catalogue.Child) { c.Contacts[0].Frequency = "yearly" }, []string{"contacts[0].frequency"}},
		{"zone radius", func(c *catalogue.Child) { c.ExclusionZones[0].RadiusKm = 0 }, []string{"exclusion_zones[0].radius_km"}},
		{"polygon too small", func(c *catalogue.Child) { c.ExclusionZones[1].Vertices = c.ExclusionZones[1].Vertices[:2] }, []string{"exclusion_zones[1].vertices"}},
		{"zone shape", func(c *catalogue.Child) { c.ExclusionZones[0].Shape = "square" }, []string{"exclusion_zones[0].shape"}},
		{"companions", func(c *catalogue.Child) { c.Companions = "" }, []string{"living_companions"}},
		{"must have pets but allergic to all", func(c *catalogue.Child) {
			c.Pets = catalogue.PetsMust
			c.Allergies = slices.Clone(catalogue.Animals)
		}, []string{"pets"}},
		{"wish", func(c *catalogue.Child) { c.Wishes.Priorities = []catalogue.Wish{"a pony"} }, []string{"wishes.priorities[0]"}},
		{"words", func(c *catalogue.Child) { c.Wishes.InOwnWords = strings.Repeat("x", catalogue.MaxWordsLen+1) }, []string{"wishes.in_own_words"}},
		{"status", func(c *catalogue.Child) { c.Status = "lost" }, []string{"status"}},
		{"two at once", func(c *catalogue.Child) { c.Sex, c.Purpose = "", "" }, []string{"sex", "purpose"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validChild()
			tc.break_(&c)
			err := c.Validate()
			if !errors.Is(err, catalogue.ErrInvalid) {
				t.Fatalf("Validate() = %v, want ErrInvalid", err)
			}
			var got []string
			for _, f := range catalogue.FieldErrors(err) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
}

func validPlacement() catalogue.Placement {
	return catalogue.Placement{
		Kind: catalogue.AgencyFoster, Provider: 3, Name: "Okafor household", Council: "E08000003", AreaName: "Manchester",
		Location: catalogue.Location{Lat: 53.45, Lng: -2.2},
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: 2, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
			From: day("2020-03-01"), Until: day("2099-03-01")},
		Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Grace"}},
			Members: []catalogue.Member{{Age: 9, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild}}},
		Skills: []catalogue.Skill{catalogue.SkillTraumaInformed}, Languages: []string{"en", "yo"}, WeeklyCost: 820, Active: true,
	}
}

func TestPlacementValidate(t *testing.T) {
	t.Parallel()
	if err := validPlacement().Validate(); err != nil {
		t.Fatalf("valid placement refused: %v", err)
	}
	cases := []struct {
		name   string
		break_ func(p *catalogue.Placement)
		fields []string
	}{
		{"kind", func(p *catalogue.Placement) { p.Kind = "hotel" }, []string{"kind"}},
		{"provider", func(p *catalogue.Placement) { p.Provider = 0 }, []string{"provider"}},
		{"age range", func(p *catalogue.Placement) { p.Approval.MinAge, p.Approval.MaxAge = 10, 5 }, []string{"approval.max_age"}},
		{"no purposes", func(p *catalogue.Placement) { p.Approval.Purposes = nil }, []string{"approval.purposes"}},
		{"too many placed", func(p *catalogue.Placement) { p.Approval.MaxChildren = 0 }, []string{"approval.max_children"}},
		{"family without carers", func(p *catalogue.Placement) { p.Household.Carers = nil }, []string{"household.carers"}},
		{"placed child named", func(p *catalogue.Placement) { p.Household.Members[0].FirstName = "Sam" }, []string{"household.members[0].first_name"}},
		{"kinship without connection", func(p *catalogue.Placement) { p.Kind = catalogue.Kinship }, []string{"connected_to"}},
		{"connection on foster", func(p *catalogue.Placement) { p.ConnectedTo = []catalogue.ChildID{4} }, []string{"connected_to"}},
		{"language", func(p *catalogue.Placement) { p.Languages[1] = "Yoruba" }, []string{"languages[1]"}},
		{"cost", func(p *catalogue.Placement) { p.WeeklyCost = -1 }, []string{"weekly_cost"}},
		{"ofsted", func(p *catalogue.Placement) { p.Ofsted = "fine" }, []string{"ofsted"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := validPlacement()
			tc.break_(&p)
			wantFields(t, p.Validate(), tc.fields...)
		})
	}
}

func TestVacancyAndTokenValidate(t *testing.T) {
	t.Parallel()
	v := catalogue.Vacancy{Placement: 1, AvailableFrom: day("2026-11-01"), Status: catalogue.VacancyFilled}
	if got := catalogue.FieldErrors(v.Validate()); len(got) != 1 || got[0].Field != "child" {
		t.Errorf("filled vacancy without a child: %v", got)
	}
	v.Status, v.Child = catalogue.VacancyAvailable, 7
	if got := catalogue.FieldErrors(v.Validate()); len(got) != 1 || got[0].Field != "child" {
		t.Errorf("available vacancy with a child: %v", got)
	}
	_, hash := catalogue.NewSecret("pm_")
	tok := catalogue.Token{Role: catalogue.RoleOfficer, Hash: hash}
	if got := catalogue.FieldErrors(tok.Validate()); len(got) != 1 || got[0].Field != "council" {
		t.Errorf("officer without council: %v", got)
	}
	tok = catalogue.Token{Role: catalogue.RoleAdmin, Provider: 4, Hash: hash}
	if got := catalogue.FieldErrors(tok.Validate()); len(got) != 1 || got[0].Field != "provider" {
		t.Errorf("admin with provider: %v", got)
	}
}

func TestSecretsAreRandomAndHashed(t *testing.T) {
	t.Parallel()
	a, ha := catalogue.NewSecret("pm_")
	b, hb := catalogue.NewSecret("pm_")
	if a == b || ha == hb {
		t.Fatal("two secrets are equal")
	}
	if !strings.HasPrefix(a, "pm_") || len(a) < 3+26 {
		t.Errorf("secret %q lacks prefix or entropy", a)
	}
	if catalogue.HashSecret(a) != ha {
		t.Error("HashSecret does not reproduce the stored hash")
	}
}

func TestCouncils(t *testing.T) {
	t.Parallel()
	cs := catalogue.Councils()
	if len(cs) != 153 {
		t.Fatalf("%d councils, want 153", len(cs))
	}
	pop := 0
	for _, c := range cs {
		pop += c.Population
		if err := c.Centre.Validate(); err != nil {
			t.Errorf("%s centre: %v", c.Code, err)
		}
	}
	if pop < 55_000_000 || pop > 58_000_000 {
		t.Errorf("population of England %d, want about 56.5 million", pop)
	}
	kent, ok := catalogue.CouncilByCode("E10000016")
	if !ok || kent.Name != "Kent" || kent.Region != "South East" {
		t.Errorf("Kent = %+v", kent)
	}
	if len(catalogue.Regions()) != 9 {
		t.Errorf("%d regions, want 9", len(catalogue.Regions()))
	}
}

func TestAgeOn(t *testing.T) {
	t.Parallel()
	dob := day("2010-03-15")
	for _, tc := range []struct {
		on   string
		want int
	}{{"2026-03-14", 15}, {"2026-03-15", 16}, {"2026-12-31", 16}, {"2010-03-15", 0}} {
		if got := catalogue.AgeOn(dob, day(tc.on)); got != tc.want {
			t.Errorf("AgeOn(%s) = %d, want %d", tc.on, got, tc.want)
		}
	}
}

func TestPrincipalScope(t *testing.T) {
	t.Parallel()
	if s := (catalogue.Principal{Role: catalogue.RoleOfficer, Council: "E08000003"}).Scope(); s.Council != "E08000003" || s.Provider != 0 {
		t.Errorf("officer scope %+v", s)
	}
	if s := (catalogue.Principal{Role: catalogue.RoleCommissioner}).Scope(); s == catalogue.Everything {
		t.Error("a commissioner must not get the unrestricted scope")
	}
	if s := (catalogue.Principal{Role: "intruder"}).Scope(); s == catalogue.Everything {
		t.Error("an unknown role must not get the unrestricted scope")
	}
}

// TestChildSessionPurpose: a session is for its offer or for its child's check-ins, never both,
// and a session with no purpose is for nothing.
func TestChildSessionPurpose(t *testing.T) {
	t.Parallel()
	offer := catalogue.ChildSession{Purpose: catalogue.LinkOffer, Offer: 4, Child: 9}
	checkIn := catalogue.ChildSession{Purpose: catalogue.LinkCheckIn, Child: 9}
	if !offer.ForOffer(4) || offer.ForOffer(5) || offer.ForCheckIn() {
		t.Errorf("an offer's session: ForOffer(4) %v, ForOffer(5) %v, ForCheckIn %v", offer.ForOffer(4), offer.ForOffer(5), offer.ForCheckIn())
	}
	if !checkIn.ForCheckIn() || checkIn.ForOffer(0) || checkIn.ForOffer(4) {
		t.Error("a check-in's session passes for an offer's")
	}
	forged := catalogue.ChildSession{Offer: 4, Child: 9}
	if forged.ForOffer(4) || forged.ForCheckIn() {
		t.Error("a session without a purpose is for something")
	}
	for _, p := range catalogue.LinkPurposes {
		if !p.Valid() {
			t.Errorf("%q is not valid", p)
		}
	}
	if catalogue.LinkPurpose("both").Valid() {
		t.Error(`"both" is a purpose`)
	}
}
