package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

type optionsBody struct {
	Child         int64   `json:"child"`
	Children      []int64 `json:"children"`
	PolicyVersion int     `json:"policy_version"`
	Together      *struct {
		Plan     string `json:"plan"`
		Searched bool   `json:"searched_together"`
		FellBack bool   `json:"fell_back"`
	} `json:"together"`
	Options []struct {
		Rank      int `json:"rank"`
		Placement struct {
			ID         int64  `json:"id"`
			Name       string `json:"name"`
			AreaName   string `json:"area_name"`
			FreePlaces int    `json:"free_places"`
		} `json:"placement"`
		Score   float64 `json:"score"`
		Quality float64 `json:"quality"`
		Factors []struct {
			Factor string  `json:"factor"`
			Weight float64 `json:"weight"`
			Score  float64 `json:"score"`
			Reason string  `json:"reason"`
		} `json:"factors"`
		WeeklyCost int      `json:"weekly_cost"`
		SchoolKm   *float64 `json:"school_km"`
		Contacts   []struct {
			Name string  `json:"name"`
			Km   float64 `json:"km"`
		} `json:"contacts"`
	} `json:"options"`
	Shortfall struct {
		Considered   int  `json:"considered"`
		Passed       int  `json:"passed"`
		FewerThanTwo bool `json:"fewer_than_two"`
		Complete     bool `json:"complete"`
		Rejected     []struct {
			Constraint string `json:"constraint"`
			Count      int    `json:"count"`
			Example    string `json:"example"`
		} `json:"rejected"`
	} `json:"shortfall"`
}

// addHome adds a foster household near Manchester with n available places.
func (f *fixture) addHome(name string, lat, lng float64, n int, mod func(*catalogue.Placement)) catalogue.Placement {
	f.t.Helper()
	ctx := context.Background()
	p := catalogue.Placement{
		Kind: catalogue.CouncilFoster, Provider: f.provider.ID, Name: name, Council: manchester, AreaName: "Manchester",
		Location: catalogue.Location{Lat: lat, Lng: lng},
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: 3, SiblingGroups: true,
			Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm, catalogue.PurposeShortTerm}, From: lawfulFrom, Until: lawfulUntil},
		Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}},
		WeeklyCost: 650, Active: true, LongTerm: true, Experience: 6,
	}
	if mod != nil {
		mod(&p)
	}
	p, err := f.store.CreatePlacement(ctx, catalogue.Everything, p)
	if err != nil {
		f.t.Fatal(err)
	}
	for range n {
		v, err := f.store.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: f.today, Status: catalogue.VacancyAvailable})
		if err != nil {
			f.t.Fatal(err)
		}
		p.Vacancies = append(p.Vacancies, v)
	}
	if err := f.engine.Touch(ctx, p.ID); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func TestOptionsForOneChild(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	near := f.addHome("Patel household", 53.47, -2.26, 1, func(p *catalogue.Placement) {
		p.Skills = []catalogue.Skill{catalogue.SkillTraumaInformed}
	})
	far := f.addHome("Jones household", 53.70, -2.10, 1, nil)
	smoky := f.addHome("Smith household", 53.46, -2.25, 1, func(p *catalogue.Placement) {
		p.Household.Pets = []catalogue.Animal{catalogue.AnimalDog}
		p.Approval.MaxAge = 5 // Amy is 13: outside the approval
	})

	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil)
	f.want(r, 200)
	var b optionsBody
	r.json(t, &b)
	if b.Child != int64(f.amy.ID) || b.PolicyVersion != 1 {
		t.Errorf("child %d, policy %d", b.Child, b.PolicyVersion)
	}
	if len(b.Options) != 3 {
		t.Fatalf("%d options, want 3 (the fixture's household, %s and %s): %s", len(b.Options), near.Name, far.Name, r.body)
	}
	seen := map[int64]bool{}
	for i, o := range b.Options {
		if o.Rank != i+1 {
			t.Errorf("option %d has rank %d", i, o.Rank)
		}
		if seen[o.Placement.ID] {
			t.Errorf("placement %d offered twice", o.Placement.ID)
		}
		seen[o.Placement.ID] = true
		if o.Placement.ID == int64(smoky.ID) {
			t.Errorf("%s is approved up to age 5 and was offered to a 13-year-old", smoky.Name)
		}
		if len(o.Factors) != len(catalogue.Factors) {
			t.Errorf("option %d: %d factors, want %d", o.Rank, len(o.Factors), len(catalogue.Factors))
		}
		sum := 0.0
		for _, fs := range o.Factors {
			sum += fs.Weight
			if fs.Reason == "" || fs.Score < 0 || fs.Score > 1 {
				t.Errorf("option %d factor %s: score %v reason %q", o.Rank, fs.Factor, fs.Score, fs.Reason)
			}
			if fs.Factor == "cost" && fs.Weight > 0.1+1e-9 {
				t.Errorf("cost weighs %v, above the cap", fs.Weight)
			}
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("option %d: weights sum to %v", o.Rank, sum)
		}
		if o.SchoolKm == nil {
			t.Errorf("option %d: no distance to Amy's school", o.Rank)
		}
		if o.Placement.FreePlaces < 1 {
			t.Errorf("option %d: %d free places", o.Rank, o.Placement.FreePlaces)
		}
		if i > 0 && o.Quality > b.Options[i-1].Quality+0.02 {
			t.Errorf("option %d (quality %v) ranked below one of quality %v beyond the margin", o.Rank, o.Quality, b.Options[i-1].Quality)
		}
	}
	if b.Options[0].Placement.ID != int64(near.ID) {
		t.Errorf("best option is %s; want %s, near school and trained for Amy's trauma", b.Options[0].Placement.Name, near.Name)
	}
	if b.Shortfall.FewerThanTwo || b.Shortfall.Passed != 3 || !b.Shortfall.Complete {
		t.Errorf("shortfall %+v", b.Shortfall)
	}
	var ageRejected bool
	for _, rj := range b.Shortfall.Rejected {
		if rj.Constraint == "age" && rj.Count == 1 && rj.Example != "" {
			ageRejected = true
		}
	}
	if !ageRejected {
		t.Errorf("the age approval's rejection is not counted: %+v", b.Shortfall.Rejected)
	}

	// The read is audited.
	entries, err := f.store.ListAudit(context.Background(), catalogue.AuditFilter{Subject: "child:" + id(f.amy.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var audited bool
	for _, e := range entries.Items {
		audited = audited || e.Action == "options"
	}
	if !audited {
		t.Error("the options search is not in the audit log")
	}

	// A limit, and its bounds.
	r = f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", map[string]any{"limit": 1})
	f.want(r, 200)
	r.json(t, &b)
	if len(b.Options) != 1 {
		t.Errorf("limit 1: %d options", len(b.Options))
	}
	r = f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", map[string]any{"limit": 99})
	f.want(r, 400)
	wantField(t, r, "limit")
	r = f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", map[string]any{"limt": 2})
	f.want(r, 400)

	// Scope: another council's officer cannot learn Amy exists; other roles may not search.
	f.want(f.do("leedsOfficer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil), 404)
	f.want(f.do("commissioner", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil), 403)
	f.want(f.do("provider", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil), 403)
	f.want(f.do("admin", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil), 200)
	f.want(f.do("admin", "POST", "/v1/children/999999/options", nil), 404)
}

// TestOptionsFollowTheCatalogue: a place withdrawn through the API is no longer offered, at once.
func TestOptionsFollowTheCatalogue(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	near := f.addHome("Patel household", 53.47, -2.26, 1, nil)
	path := "/v1/children/" + id(f.amy.ID) + "/options"
	var b optionsBody
	f.do("officer", "POST", path, nil).json(t, &b)
	if len(b.Options) != 2 {
		t.Fatalf("%d options before, want 2", len(b.Options))
	}
	v := near.Vacancies[0]
	r := f.do("provider", "PUT", "/v1/vacancies/"+v.ID.String(),
		map[string]any{"available_from": "2026-11-22", "status": "withdrawn", "version": v.Version})
	f.want(r, 200)
	f.do("officer", "POST", path, nil).json(t, &b)
	if len(b.Options) != 1 || b.Options[0].Placement.ID == int64(near.ID) {
		t.Fatalf("after the place was withdrawn: %+v", b.Options)
	}
	if !b.Shortfall.FewerThanTwo {
		t.Error("one option, but the shortfall does not say fewer than two")
	}
	// A new placement with a place is offered at once.
	r = f.do("provider", "POST", "/v1/placements/"+near.ID.String()+"/vacancies", map[string]any{"available_from": "2026-11-22"})
	f.want(r, 201)
	f.do("officer", "POST", path, nil).json(t, &b)
	if len(b.Options) != 2 {
		t.Fatalf("after a place was opened again: %d options", len(b.Options))
	}
}

// TestOptionsExplainAShortfall: a child no placement can take gets no options and an account.
func TestOptionsExplainAShortfall(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	c := childIn(manchester, "Kai")
	c.CareType = catalogue.CareChildrensHome
	c.Wheelchair = true
	kai, err := f.store.CreateChild(ctx, catalogue.Everything, c)
	if err != nil {
		t.Fatal(err)
	}
	r := f.do("officer", "POST", "/v1/children/"+id(kai.ID)+"/options", nil)
	f.want(r, 200)
	var b optionsBody
	r.json(t, &b)
	// The fixture's one home is a foster home: ruled out by the care type without being checked.
	if len(b.Options) != 0 || !b.Shortfall.FewerThanTwo || !b.Shortfall.Complete || b.Shortfall.Passed != 0 {
		t.Fatalf("options %d, shortfall %+v", len(b.Options), b.Shortfall)
	}
	if len(b.Shortfall.Rejected) == 0 || b.Shortfall.Rejected[0].Constraint != "care_type" || b.Shortfall.Rejected[0].Count != 1 ||
		!strings.Contains(b.Shortfall.Rejected[0].Example, "children's home") {
		t.Errorf("rejections %+v, want care_type first, with its reason", b.Shortfall.Rejected)
	}
}

// TestOptionsForSiblingsTogether: brothers and sisters planned together are offered only
// households with room for all of them.
func TestOptionsForSiblingsTogether(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	ben := childIn(manchester, "Ben")
	ben.SiblingGroup = f.group.ID
	ben.Sex = catalogue.Male
	ben.DateOfBirth = ben.DateOfBirth.AddDate(2, 0, 0)
	benRec, err := f.store.CreateChild(ctx, catalogue.Everything, ben)
	if err != nil {
		t.Fatal(err)
	}
	big := f.addHome("Big household", 53.47, -2.26, 2, nil)
	one := f.addHome("One-place household", 53.47, -2.25, 1, nil)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil)
	f.want(r, 200)
	var b optionsBody
	r.json(t, &b)
	if len(b.Children) != 2 || b.Children[1] != int64(benRec.ID) || b.Together == nil || !b.Together.Searched {
		t.Fatalf("children %v together %+v", b.Children, b.Together)
	}
	if len(b.Options) == 0 {
		t.Fatalf("no options: %s", r.body)
	}
	for _, o := range b.Options {
		if o.Placement.ID == int64(one.ID) {
			t.Errorf("%s has one place and was offered to two children", one.Name)
		}
		if o.Placement.FreePlaces < 2 {
			t.Errorf("option %s has %d free places for 2 children", o.Placement.Name, o.Placement.FreePlaces)
		}
	}
	if b.Options[0].Placement.ID != int64(big.ID) {
		t.Errorf("best option %s, want %s", b.Options[0].Placement.Name, big.Name)
	}
	var places bool
	for _, rj := range b.Shortfall.Rejected {
		places = places || rj.Constraint == "vacancy"
	}
	if !places {
		t.Errorf("the one-place household's rejection is not counted: %+v", b.Shortfall.Rejected)
	}
}

func TestPolicyVersions(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	var p struct {
		Version int                `json:"version"`
		Council string             `json:"council"`
		Weights map[string]float64 `json:"weights"`
		Shares  map[string]float64 `json:"shares_percent"`
		Note    string             `json:"note"`
	}
	r := f.do("officer", "GET", "/v1/policy", nil)
	f.want(r, 200)
	r.json(t, &p)
	if p.Version != 1 || p.Weights["needs"] != 20 || p.Shares["cost"] != 5 {
		t.Fatalf("default policy %+v", p)
	}
	// Only admins change it; cost may not carry more than the cap; a note is required.
	f.want(f.do("officer", "PUT", "/v1/policy", map[string]any{"weights": map[string]float64{"cost": 6}, "note": "x", "version": 1}), 403)
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"weights": map[string]float64{"cost": 40}, "note": "cheaper", "version": 1})
	f.want(r, 400)
	wantField(t, r, "weights.cost")
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"weights": map[string]float64{"money": 1}, "note": "x", "version": 1})
	f.want(r, 400)
	wantField(t, r, "weights.money")
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"weights": map[string]float64{"school": 20}, "version": 1})
	f.want(r, 400)
	wantField(t, r, "note")
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"council": "E99999999", "note": "x", "version": 1})
	f.want(r, 400)
	wantField(t, r, "council")

	// Manchester puts more weight on school; the national policy is unchanged.
	r = f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(manchester), "version": 1,
		"weights": map[string]float64{"school": 20}, "note": "Manchester's corporate parenting board asked for school first"})
	f.want(r, 200)
	r.json(t, &p)
	if p.Version != 2 || p.Council != string(manchester) || p.Weights["school"] != 20 || p.Weights["needs"] != 20 {
		t.Fatalf("saved %+v", p)
	}
	f.do("admin", "GET", "/v1/policy", nil).json(t, &p)
	if p.Version != 1 {
		t.Errorf("national policy is version %d, want 1", p.Version)
	}
	f.do("admin", "GET", "/v1/policy?council="+string(manchester), nil).json(t, &p)
	if p.Version != 2 {
		t.Errorf("Manchester's policy is version %d, want 2", p.Version)
	}
	f.do("admin", "GET", "/v1/policy?council="+string(leeds), nil).json(t, &p)
	if p.Version != 1 {
		t.Errorf("Leeds falls back to the national policy; got version %d", p.Version)
	}
	// Manchester's children are scored by it.
	var b optionsBody
	f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil).json(t, &b)
	if b.PolicyVersion != 2 {
		t.Errorf("Amy's options scored by policy %d, want 2", b.PolicyVersion)
	}
	// Every version is kept.
	f.want(f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(manchester), "version": 2,
		"weights": map[string]float64{"school": 18}, "note": "a little less"}), 200)
	var hist struct {
		Items []struct {
			Version int    `json:"version"`
			Note    string `json:"note"`
		} `json:"items"`
	}
	r = f.do("commissioner", "GET", "/v1/policy/versions?council="+string(manchester), nil)
	f.want(r, 200)
	r.json(t, &hist)
	if len(hist.Items) != 2 || hist.Items[0].Version != 3 || hist.Items[1].Version != 2 ||
		!strings.Contains(hist.Items[1].Note, "school first") {
		t.Errorf("history %+v", hist.Items)
	}
	f.do("admin", "GET", "/v1/policy?version=2", nil).json(t, &p)
	if p.Weights["school"] != 20 {
		t.Errorf("version 2 reads back with school %v", p.Weights["school"])
	}
	f.want(f.do("admin", "GET", "/v1/policy?version=99", nil), 404)
	r = f.do("admin", "GET", "/v1/policy?version=x", nil)
	f.want(r, 400)
	wantField(t, r, "version")
}

// TestOptionsGolden keeps the whole options response for a hand-built case: ranks, factors
// with their weights, scores and sentences, distances and the shortfall.
func TestOptionsGolden(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.addHome("Patel household", 53.47, -2.26, 1, func(p *catalogue.Placement) {
		p.Skills = []catalogue.Skill{catalogue.SkillTraumaInformed}
		p.Household.Pets = []catalogue.Animal{catalogue.AnimalCat}
	})
	f.addHome("Jones household", 53.70, -2.10, 1, nil)
	f.addHome("Small household", 53.46, -2.25, 1, func(p *catalogue.Placement) { p.Approval.MaxAge = 5 })
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil)
	f.want(r, 200)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, r.body, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	golden.Check(t, "testdata/options_amy.json.golden", pretty.Bytes())
}

// TestOptionsWeighAChildsMoves: a child who has moved three times in the last 12 months has
// stability weighed more in their options, and the reason says why.
func TestOptionsWeighAChildsMoves(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.addHome("Patel household", 53.47, -2.26, 1, nil)
	stability := func() (float64, string) {
		var b optionsBody
		r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil)
		f.want(r, 200)
		r.json(t, &b)
		for _, fs := range b.Options[0].Factors {
			if fs.Factor == "stability" {
				return fs.Weight, fs.Reason
			}
		}
		t.Fatal("no stability factor")
		return 0, ""
	}
	w0, _ := stability()
	ctx := context.Background()
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	if _, err := f.store.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: f.amy.ID, Start: day(1, 5), Setting: catalogue.SettingKinship}); err != nil {
		t.Fatal(err)
	}
	for _, on := range []time.Time{day(3, 1), day(6, 1), day(9, 1)} {
		if _, err := f.store.MoveChild(ctx, catalogue.Everything, catalogue.Move{Child: f.amy.ID, On: on,
			Reason: catalogue.ReasonCarerOther, Next: &catalogue.Episode{Setting: catalogue.SettingKinship}}); err != nil {
			t.Fatal(err)
		}
	}
	w1, reason := stability()
	if !(w1 > w0) {
		t.Errorf("after three moves stability weighs %v, before %v", w1, w0)
	}
	if !strings.Contains(reason, "moved three times") {
		t.Errorf("the stability reason does not say why it weighs more: %q", reason)
	}
}
