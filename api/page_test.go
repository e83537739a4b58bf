package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/internal/golden"
)

// pageWorld is a hand-built offer: Mia, 11, with a school, her mum and nan in her contact plan
// (her dad's contact is not safe), a brother moving with her and a sister who is not; two
// choices and a back-up, with households, pets, skills and the carers' own words. An officer has
// approved the first choice's words for children (they name the carers' street and postcode,
// which the page takes out); nobody has approved the second's, which the page does not show.
type pageWorld struct {
	store   *sqlstore.Store
	mia     catalogue.Child
	offer   catalogue.Offer
	homes   []catalogue.Placement
	link    string // the link's path, /c/TOKEN
	council catalogue.CouncilCode
}

func newPageWorld(t *testing.T, st *sqlstore.Store) pageWorld {
	t.Helper()
	return newPageWorldOf(t, st, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC))
}

// newPageWorldOf is the page world for a child of another name and date of birth. The first
// choice's carers (Ngozi and Paul) would let a young person stay on after 18 (Staying Put), the
// second's (Karen) would not.
func newPageWorldOf(t *testing.T, st *sqlstore.Store, name string, dob time.Time) pageWorld {
	t.Helper()
	return newPageWorldWith(t, st, name, dob, nil, nil)
}

// newPageWorldWith is the page world with the child and the offer changed before they are
// stored (either may be nil).
func newPageWorldWith(t *testing.T, st *sqlstore.Store, name string, dob time.Time, child func(*catalogue.Child), offer func(*catalogue.Offer)) pageWorld {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w := pageWorld{store: st, council: manchester}
	prov, err := st.CreateProvider(ctx, catalogue.Provider{Name: "Northern Fostering", Kind: catalogue.ProviderAgency})
	must(err)
	group, err := st.CreateSiblingGroup(ctx, catalogue.Everything, catalogue.SiblingGroup{Council: manchester, Plan: catalogue.PlanTogetherIfPossible})
	must(err)
	mia := childIn(manchester, name)
	mia.DateOfBirth = dob
	mia.SiblingGroup = group.ID
	mia.School = &catalogue.School{Name: "St Anne's Primary", Location: catalogue.Location{Lat: 53.4631, Lng: -2.2913}, KeepPlanned: true}
	mia.Contacts = []catalogue.Contact{
		{Name: "Mum", Relationship: catalogue.RelMother, Location: catalogue.Location{Lat: 53.4521, Lng: -2.2711}, Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect},
		{Relationship: catalogue.RelFather, Location: catalogue.Location{Lat: 53.4811, Lng: -2.2411}, Frequency: catalogue.FreqMonthly, Type: catalogue.ContactSupervised, MustNotKnow: true},
		{Name: "Nan", Relationship: catalogue.RelGrandparent, Location: catalogue.Location{Lat: 53.5011, Lng: -2.3111}, Frequency: catalogue.FreqFortnightly, Type: catalogue.ContactDirect},
	}
	if child != nil {
		child(&mia)
	}
	w.mia, err = st.CreateChild(ctx, catalogue.Everything, mia)
	must(err)
	brother := childIn(manchester, "Leon")
	brother.Sex, brother.SiblingGroup = catalogue.Male, group.ID
	b, err := st.CreateChild(ctx, catalogue.Everything, brother)
	must(err)
	sister := childIn(manchester, "Kayla")
	sister.SiblingGroup, sister.Status = group.ID, catalogue.ChildPlaced
	_, err = st.CreateChild(ctx, catalogue.Everything, sister)
	must(err)

	homes := []catalogue.Placement{
		{Kind: catalogue.AgencyFoster, Name: "Okoro household", AreaName: "Chorlton", Location: catalogue.Location{Lat: 53.4423, Lng: -2.2771},
			Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Ngozi"}, {FirstName: "Paul"}},
				Members: []catalogue.Member{{FirstName: "Tobi", Age: 14, Sex: catalogue.Male, Role: catalogue.MemberCarersChild},
					{Age: 8, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild}},
				Pets: []catalogue.Animal{catalogue.AnimalDog, catalogue.AnimalCat}},
			Skills: []catalogue.Skill{catalogue.SkillTherapeuticParenting, catalogue.SkillLearning}, Languages: []string{"en", "yo"}, Experience: 9,
			StayingPut: true,
			Profile:    "Our house is busy and full of music. We have a big garden, a trampoline and a dog called Biscuit who loves everyone. We live at 4 Beech Grove, M21 9AB."},
		{Kind: catalogue.CouncilFoster, Name: "Walsh household", AreaName: "Sale", Location: catalogue.Location{Lat: 53.4251, Lng: -2.3231},
			Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Karen"}}},
			Skills:    []catalogue.Skill{catalogue.SkillTraumaInformed}, Experience: 1,
			Profile: "It is just me and I have lots of time for you. I like films, crafts and Sunday dinners."},
		{Kind: catalogue.ChildrensHome, Name: "Ashgrove House", AreaName: "Stretford", Location: catalogue.Location{Lat: 53.4461, Lng: -2.3091},
			Ofsted: catalogue.OfstedGood, Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Dan"}}}},
	}
	for i := range homes {
		h := &homes[i]
		h.Provider, h.Council, h.Active, h.WeeklyCost = prov.ID, manchester, true, 900
		h.Approval = catalogue.Approval{MinAge: 5, MaxAge: 17, MaxChildren: 4, SiblingGroups: true, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm}}
		if h.Kind.MustRegister() {
			h.Registration, h.URN = catalogue.Registered, "SC700001"
		} else {
			h.Approval.From, h.Approval.Until = lawfulFrom, lawfulUntil
		}
		p, err := st.CreatePlacement(ctx, catalogue.Everything, *h)
		must(err)
		for range 2 {
			_, err := st.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: today, Status: catalogue.VacancyAvailable})
			must(err)
		}
		w.homes = append(w.homes, p)
	}
	officer := catalogue.WithActor(ctx, catalogue.Actor{Token: 1, Role: catalogue.RoleOfficer})
	w.homes[0], err = st.ApproveProfile(officer, catalogue.Everything, w.homes[0].ID, catalogue.ProfileHash(w.homes[0].Profile))
	must(err)
	opt := func(rank int, role catalogue.OptionRole, p catalogue.Placement, school float64, contacts ...float64) catalogue.Option {
		return catalogue.Option{Rank: rank, Role: role, Placement: p.ID, Score: 0.9 - float64(rank)/10, Quality: 0.9 - float64(rank)/10,
			WeeklyCost: 900, HomeKm: 2, SchoolKm: school, ContactKm: contacts,
			Factors: []catalogue.FactorScore{{Factor: catalogue.FactorSchool, Weight: 0.2, Score: 1, Reason: "Close to school."}}}
	}
	o := catalogue.Offer{
		Child: w.mia.ID, Siblings: []catalogue.ChildID{b.ID}, PolicyVersion: 1,
		Options: []catalogue.Option{
			opt(1, catalogue.RoleChoice, w.homes[0], 2.6, 1.2, 4.1, 7.9),
			opt(2, catalogue.RoleChoice, w.homes[1], 11.3, 0.7, 12.2, 40),
			opt(3, catalogue.RoleBackup, w.homes[2], 3, 3, 3, 3),
		},
	}
	if offer != nil {
		offer(&o)
	}
	w.offer, err = st.CreateOffer(ctx, catalogue.Everything, o)
	must(err)
	token, hash := catalogue.NewSecret("pmc_")
	if _, _, err := st.SendOffer(ctx, catalogue.Everything, w.offer.ID, catalogue.ChildLink{Hash: hash, ExpiresAt: st.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	w.link = "/c/" + token
	return w
}

// open opens the world's link as the child does, from ip, and reads their page and its JSON.
func (w pageWorld) open(f *offerFixture, ip string) (kid *visitor, path string, page, js response) {
	f.tt.Helper()
	kid = f.visitor(ip)
	f.want(kid.do("POST", w.link, nil), 303)
	path = fmt.Sprintf("/child/offers/%d", w.offer.ID)
	page = kid.do("GET", path, nil)
	f.want(page, 200)
	js = kid.do("GET", path+"/json", nil)
	f.want(js, 200)
	return kid, path, page, js
}

// decideSecond has an officer decide the world's offer: the second choice, as Mia chose.
func (w pageWorld) decideSecond(t *testing.T) {
	t.Helper()
	ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleOfficer})
	o, err := w.store.Offer(ctx, catalogue.Everything, w.offer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: w.homes[1].ID, Reason: "Mia chose Karen."}); err != nil {
		t.Fatal(err)
	}
}

var csrfValue = regexp.MustCompile(`name="csrf" value="[^"]+"`)

// TestChildPageGolden renders the page of a hand-built offer: before and after the child says
// something, with a mistake, and after the decision. The form token is replaced (it is random).
func TestChildPageGolden(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	w := newPageWorld(t, f.store)
	kid := f.visitor("203.0.113.20")
	f.want(kid.do("POST", w.link, nil), 303)
	path := fmt.Sprintf("/child/offers/%d", w.offer.ID)
	clean := func(b []byte) []byte { return csrfValue.ReplaceAll(b, []byte(`name="csrf" value="CSRF"`)) }
	page := kid.do("GET", path, nil)
	f.want(page, 200)
	golden.Check(t, "testdata/child-offer.golden.html", clean(page.body))
	js := kid.do("GET", path+"/json", nil)
	f.want(js, 200)
	golden.Check(t, "testdata/child-offer.golden.json", append(bytes.TrimSpace(js.body), '\n'))
	noPlaceGiven(t, "the page", page.body, w.homes)
	noPlaceGiven(t, "the JSON", js.body, w.homes)
	for _, leak := range []string{"Okoro", "Walsh", "Ashgrove", "Beech Grove", "M21", "Leon", "Kayla", "dad",
		"Sunday dinners", "approved", "profile"} {
		if bytes.Contains(page.body, []byte(leak)) || bytes.Contains(js.body, []byte(leak)) {
			t.Errorf("the child's page shows %q", leak)
		}
	}
	// The approved words, without their address; not the words nobody approved.
	if !bytes.Contains(page.body, []byte("We have a big garden, a trampoline and a dog called Biscuit who loves everyone. We live at …, ….")) {
		t.Errorf("the child's page does not show the approved words of the first home")
	}

	token := csrfOf(t, page)
	bad := kid.do("POST", path, url.Values{"csrf": {token}, "words": {string(bytes.Repeat([]byte("ab "), 700))}})
	f.want(bad, 400)
	golden.Check(t, "testdata/child-offer-mistakes.golden.html", clean(bad.body))

	f.want(kid.do("POST", path, url.Values{"csrf": {token}, "choice": {w.homes[1].ID.String()}, "words": {"Seeing Mum every week."}}), 303)
	saved := kid.do("GET", path+"?saved=1", nil)
	golden.Check(t, "testdata/child-offer-saved.golden.html", clean(saved.body))

	w.decideSecond(t)
	decided := kid.do("GET", path, nil)
	golden.Check(t, "testdata/child-offer-decided.golden.html", clean(decided.body))
}

// TestChildPageStayingPut: a young person of 16 on the day of the move is told, for each choice,
// whether they could stay after they turn 18; a child of 12 is told nothing of it, though the
// first home offers Staying Put. Kai is 15 today and 16 on the day of the move, so he is told.
func TestChildPageStayingPut(t *testing.T) {
	t.Parallel()
	stay := "You could stay here after you turn 18, until you are 21, if you want to (this is called Staying Put)."
	move := "This home does not offer Staying Put: you would move on at 18, with help to find your next home."
	for _, tc := range []struct {
		name, golden string
		dob          time.Time
		told         bool
	}{
		{"Zara", "child-offer-16.golden.html", time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC), true},
		{"Leo", "child-offer-12.golden.html", time.Date(2014, 6, 1, 0, 0, 0, 0, time.UTC), false},
		// childIn's needed-by date is a week after today: Kai turns 16 in between.
		{"Kai", "", today.AddDate(-16, 0, 3), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newOfferFixture(t, nil)
			w := newPageWorldOf(t, f.store, tc.name, tc.dob)
			_, _, page, js := w.open(f, "203.0.113.21")
			var v struct {
				Choices []struct {
					After string `json:"after_you_turn_18"`
				} `json:"choices"`
			}
			if err := json.Unmarshal(js.body, &v); err != nil || len(v.Choices) != 2 {
				t.Fatalf("the JSON: %v %s", err, js.body)
			}
			body := string(page.body)
			if tc.told {
				if v.Choices[0].After != stay || v.Choices[1].After != move {
					t.Errorf("after 18: %q, %q", v.Choices[0].After, v.Choices[1].After)
				}
				if strings.Count(body, "After you turn 18") != 2 || !strings.Contains(body, stay) || !strings.Contains(body, move) {
					t.Errorf("the page does not tell each choice's Staying Put:\n%s", body)
				}
			} else {
				if v.Choices[0].After != "" || v.Choices[1].After != "" || strings.Contains(body, "Staying Put") || strings.Contains(body, "turn 18") {
					t.Errorf("a child of 12 is told of Staying Put: %q, %q", v.Choices[0].After, v.Choices[1].After)
				}
			}
			if tc.golden != "" {
				golden.Check(t, "testdata/"+tc.golden, csrfValue.ReplaceAll(page.body, []byte(`name="csrf" value="CSRF"`)))
			}
		})
	}
}
