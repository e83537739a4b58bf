package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/internal/golden"
)

// accept makes, at the store, an offer of one home to a child and accepts it.
func (f *fixture) accept(child catalogue.ChildID, home catalogue.PlacementID) catalogue.Offer {
	f.t.Helper()
	ctx := context.Background()
	o, err := f.store.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: child,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: home, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err == nil {
		o, err = f.store.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: home, Reason: "The offer was not sent: an emergency."})
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

// supportPlan accepts for Mia, of Manchester, a home whose carers are not trained for her
// trauma: her plan. (Amy is left free for offers of her own.)
func (f *fixture) supportPlan() catalogue.SupportPlan {
	f.t.Helper()
	home := f.addHome("Patel household", 53.47, -2.26, 1, nil)
	mia, err := f.store.CreateChild(context.Background(), catalogue.Everything, childIn(manchester, "Mia"))
	if err != nil {
		f.t.Fatal(err)
	}
	o := f.accept(mia.ID, home.ID)
	if len(o.Decision.SupportPlans) != 1 {
		f.t.Fatalf("accepting a home not trained for Mia's trauma made plans %v", o.Decision.SupportPlans)
	}
	p, err := f.store.SupportPlan(context.Background(), catalogue.Everything, o.Decision.SupportPlans[0])
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

type supportItemBody struct {
	Need        string `json:"need"`
	Level       int    `json:"level"`
	Training    string `json:"training"`
	Therapeutic bool   `json:"therapeutic_support"`
	Equipment   bool   `json:"equipment"`
	Support     string `json:"support"`
	Arranged    bool   `json:"arranged"`
	Note        string `json:"note"`
}

type supportPlanBody struct {
	ID        int64 `json:"id"`
	Child     int64 `json:"child"`
	Placement struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"placement"`
	Offer        int64             `json:"offer"`
	Status       string            `json:"status"`
	Items        []supportItemBody `json:"items"`
	ClosedReason string            `json:"closed_reason"`
	Version      int               `json:"version"`
}

// wantProblemFields fails unless the response is a 400 naming exactly these fields.
func wantProblemFields(t *testing.T, r response, fields ...string) {
	t.Helper()
	if r.status != 400 {
		t.Fatalf("status %d, want 400: %s", r.status, r.body)
	}
	var got []string
	for _, e := range r.problem(t).Errors {
		got = append(got, e.Field)
	}
	if strings.Join(got, ",") != strings.Join(fields, ",") {
		t.Errorf("fields at fault %v, want %v: %s", got, fields, r.body)
	}
}

// TestSupportPlansOverTheAPI: accepting a home not trained for the child's needs over the API
// makes a plan, which the officer's view of the offer names and shows beforehand; the child's
// council's officers read it and mark it arranged at the version read; others are refused.
func TestSupportPlansOverTheAPI(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	home := f.addHome("Patel household", 53.47, -2.26, 1, nil)
	amy := "/v1/children/" + id(f.amy.ID)
	r := f.do("officer", "POST", amy+"/offers", map[string]any{"placements": []int64{int64(home.ID), int64(f.place.ID)}})
	f.want(r, 201)
	var offer struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
		Options []struct {
			Placement struct {
				ID int64 `json:"id"`
			} `json:"placement"`
			SupportNeeded []supportItemBody `json:"support_needed"`
		} `json:"options"`
		Decision struct {
			SupportPlans []int64 `json:"support_plans"`
		} `json:"decision"`
	}
	r.json(t, &offer)
	// Before deciding, the officer sees what each home would need: the Okafors are trained in
	// trauma-informed care, the Patels in nothing.
	for _, op := range offer.Options {
		switch op.Placement.ID {
		case int64(home.ID):
			if len(op.SupportNeeded) != 1 || op.SupportNeeded[0].Need != "trauma" || op.SupportNeeded[0].Training != "trauma_informed" ||
				!op.SupportNeeded[0].Therapeutic {
				t.Errorf("the Patels would need %+v", op.SupportNeeded)
			}
		case int64(f.place.ID):
			if len(op.SupportNeeded) != 0 {
				t.Errorf("the Okafors, trained in trauma-informed care, would need %+v", op.SupportNeeded)
			}
		}
	}
	r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/decision", offer.ID),
		map[string]any{"version": offer.Version, "outcome": "accepted", "placement": int64(home.ID), "reason": "Emergency: no time to ask."})
	f.want(r, 200)
	r.json(t, &offer)
	if len(offer.Decision.SupportPlans) != 1 {
		t.Fatalf("decision: %s", r.body)
	}
	planID := offer.Decision.SupportPlans[0]

	r = f.do("officer", "GET", amy+"/support-plans", nil)
	f.want(r, 200)
	var list struct {
		Child   int64             `json:"child"`
		Council string            `json:"council"`
		Plans   []supportPlanBody `json:"plans"`
	}
	r.json(t, &list)
	if list.Child != int64(f.amy.ID) || list.Council != string(manchester) || len(list.Plans) != 1 {
		t.Fatalf("Amy's plans: %s", r.body)
	}
	p := list.Plans[0]
	wantItem := supportItemBody{Need: "trauma", Level: 2, Training: "trauma_informed", Therapeutic: true,
		Support: "Trauma-informed training for the carers, and therapeutic support for the child and the carers."}
	if p.ID != planID || p.Placement.ID != int64(home.ID) || p.Placement.Name != "Patel household" || p.Offer != offer.ID ||
		p.Status != "open" || p.Version != 1 || len(p.Items) != 1 || p.Items[0] != wantItem {
		t.Errorf("Amy's plan: %+v", p)
	}

	// Who may read it: Manchester's officers and administrators; 404 outside the council.
	plan := fmt.Sprintf("/v1/support-plans/%d", planID)
	f.want(f.do("", "GET", amy+"/support-plans", nil), 401)
	for _, who := range []string{"commissioner", "provider"} {
		f.want(f.do(who, "GET", amy+"/support-plans", nil), 403)
		f.want(f.do(who, "GET", plan, nil), 403)
	}
	f.want(f.do("leedsOfficer", "GET", amy+"/support-plans", nil), 404)
	f.want(f.do("leedsOfficer", "GET", plan, nil), 404)
	f.want(f.do("officer", "GET", "/v1/children/999999/support-plans", nil), 404)
	f.want(f.do("officer", "GET", "/v1/support-plans/999999", nil), 404)
	wantProblemFields(t, f.do("officer", "GET", "/v1/support-plans/x", nil), "id")
	wantProblemFields(t, f.do("officer", "GET", amy+"/support-plans?status=open", nil), "status")
	f.want(f.do("admin", "GET", plan, nil), 200)

	// Marking arranged: every mistake named.
	wantProblemFields(t, f.do("officer", "PUT", plan, map[string]any{}), "version", "items")
	wantProblemFields(t, f.do("officer", "PUT", plan, map[string]any{"version": 1, "items": []any{map[string]any{"need": "trauma"}}}),
		"items[0].arranged")
	wantProblemFields(t, f.do("officer", "PUT", plan, map[string]any{"version": 1, "items": []any{map[string]any{"need": "dragons", "arranged": true}}}),
		"items[0].need")
	wantProblemFields(t, f.do("officer", "PUT", plan, map[string]any{"version": 1, "items": []any{map[string]any{"need": "autism", "arranged": true}}}),
		"items[0].need")
	wantProblemFields(t, f.do("officer", "PUT", plan, map[string]any{"version": 1, "items": []any{
		map[string]any{"need": "trauma", "arranged": true, "note": strings.Repeat("x", catalogue.MaxNoteLen+1)}}}), "items[0].note")
	f.want(f.do("officer", "PUT", plan, map[string]any{"version": 1, "colour": "red"}), 400)
	arrange := map[string]any{"version": 2, "items": []any{map[string]any{"need": "trauma", "arranged": true, "note": "Course booked for 3 March."}}}
	f.want(f.do("officer", "PUT", plan, arrange), 409)
	f.want(f.do("leedsOfficer", "PUT", plan, arrange), 404)
	arrange["version"] = 1
	f.want(f.do("commissioner", "PUT", plan, arrange), 403)
	r = f.do("officer", "PUT", plan, arrange)
	f.want(r, 200)
	r.json(t, &p)
	if p.Status != "arranged" || p.Version != 2 || !p.Items[0].Arranged || p.Items[0].Note != "Course booked for 3 March." {
		t.Errorf("after arranging: %s", r.body)
	}
	r = f.do("officer", "PUT", plan, map[string]any{"version": 2, "close_reason": "Amy went home to her mum."})
	f.want(r, 200)
	r.json(t, &p)
	if p.Status != "closed" || p.ClosedReason != "Amy went home to her mum." {
		t.Errorf("after closing: %s", r.body)
	}
	f.want(f.do("officer", "PUT", plan, map[string]any{"version": 3, "items": []any{map[string]any{"need": "trauma", "arranged": false}}}), 409)

	// Every read and change is in the child's audit.
	var audit struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	f.do("admin", "GET", "/v1/audit?subject=child:"+id(f.amy.ID)+"&limit=500", nil).json(t, &audit)
	var actions []string
	for _, e := range audit.Items {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"create_support_plan", "read_support_plans", "update_support_plan", "close_support_plan"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("the audit of Amy has no %s: %v", want, actions)
		}
	}
}

// TestSupportNeedsAccess: commissioners and administrators see any area; officers their own
// council only (404 for another area); bad areas are named.
func TestSupportNeedsAccess(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.supportPlan()
	type view struct {
		Area struct {
			Level string `json:"level"`
			Code  string `json:"code"`
		} `json:"area"`
		Regions  []json.RawMessage `json:"regions"`
		Councils []json.RawMessage `json:"councils"`
	}
	get := func(who, q string) view {
		t.Helper()
		r := f.do(who, "GET", "/v1/support-needs"+q, nil)
		f.want(r, 200)
		var v view
		r.json(t, &v)
		return v
	}
	if v := get("commissioner", ""); v.Area.Level != "england" || len(v.Regions) != 9 || len(v.Councils) != len(catalogue.Councils()) {
		t.Errorf("England: %+v", v.Area)
	}
	if v := get("admin", "?region=E12000002"); v.Area.Code != "E12000002" || len(v.Councils) != 24 {
		t.Errorf("North West: %s, %d councils", v.Area.Code, len(v.Councils))
	}
	if v := get("officer", ""); v.Area.Code != string(manchester) || len(v.Councils) != 1 {
		t.Errorf("an officer's default: %+v", v.Area)
	}
	if v := get("officer", "?council="+string(manchester)); v.Area.Code != string(manchester) {
		t.Errorf("an officer's own council: %+v", v.Area)
	}
	for _, q := range []string{"?council=" + string(leeds), "?region=E12000002", "?council="} {
		f.want(f.do("officer", "GET", "/v1/support-needs"+q, nil), 404)
	}
	f.want(f.do("", "GET", "/v1/support-needs", nil), 401)
	f.want(f.do("provider", "GET", "/v1/support-needs", nil), 403)
	wantProblemFields(t, f.do("commissioner", "GET", "/v1/support-needs?council=E0", nil), "council")
	wantProblemFields(t, f.do("commissioner", "GET", "/v1/support-needs?region=E12000010", nil), "region")
	wantProblemFields(t, f.do("commissioner", "GET", "/v1/support-needs?council=E08000003&region=E12000002", nil), "region")
	wantProblemFields(t, f.do("commissioner", "GET", "/v1/support-needs?child=1", nil), "child")
}

// TestSupportNeedsGolden keeps the sums for a small fixed set of accepted homes in the North
// West and Leeds, with what is withheld: Bolton's two households (1 to 4) and, so that they
// cannot be worked out from the region's total, the next smallest figure of each column (the
// six Manchester households waiting for trauma-informed training, before Salford's six by code;
// Salford's six plans and households); Manchester's one household needing autism training, and
// the region's total of it, which is the same.
func TestSupportNeedsGolden(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	const (
		salford = catalogue.CouncilCode("E08000006")
		bolton  = catalogue.CouncilCode("E08000001")
	)
	ctx := context.Background()
	n := 0
	place := func(council catalogue.CouncilCode, homes, children int, needs ...catalogue.Need) []catalogue.SupportPlanID {
		var plans []catalogue.SupportPlanID
		for range homes {
			n++
			home := f.addHome(fmt.Sprintf("Home %d", n), 53.5, -2.3, children, func(p *catalogue.Placement) { p.Council = council })
			for range children {
				c := childIn(council, fmt.Sprintf("Child%d", n))
				c.Needs = needs
				c, err := f.store.CreateChild(ctx, catalogue.Everything, c)
				if err != nil {
					t.Fatal(err)
				}
				plans = append(plans, f.accept(c.ID, home.ID).Decision.SupportPlans...)
			}
		}
		return plans
	}
	trauma := func(l catalogue.NeedLevel) catalogue.Need {
		return catalogue.Need{Kind: catalogue.NeedTrauma, Level: l}
	}
	manc := place(manchester, 7, 1, trauma(catalogue.LevelMedium))
	place(manchester, 1, 2, catalogue.Need{Kind: catalogue.NeedAutism, Level: catalogue.LevelLow})
	place(salford, 6, 1, trauma(catalogue.LevelMedium))
	place(bolton, 2, 1, trauma(catalogue.LevelLow))
	place(leeds, 5, 1, catalogue.Need{Kind: catalogue.NeedDisabilityHealth, Level: catalogue.LevelMedium})
	// One Manchester household's training is arranged.
	if _, err := f.store.UpdateSupportPlan(ctx, catalogue.Everything, catalogue.SupportUpdate{Plan: manc[0], Version: 1,
		Items: []catalogue.SupportChange{{Need: catalogue.NeedTrauma, Arranged: true}}}); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, q := range []string{"?region=E12000002", "?council=" + string(leeds)} {
		r := f.do("commissioner", "GET", "/v1/support-needs"+q, nil)
		f.want(r, 200)
		bodies = append(bodies, indentJSON(t, r.body))
	}
	golden.Check(t, "testdata/support_needs.json.golden", []byte(strings.Join(bodies, "\n")))

	// England withholds the same figures as the region's view, and sums the same.
	var england, region struct {
		Total    map[string]any   `json:"total"`
		Councils []map[string]any `json:"councils"`
	}
	f.do("commissioner", "GET", "/v1/support-needs", nil).json(t, &england)
	f.do("commissioner", "GET", "/v1/support-needs?region=E12000002", nil).json(t, &region)
	row := func(rows []map[string]any, code catalogue.CouncilCode) string {
		for _, r := range rows {
			if r["area"].(map[string]any)["code"] == string(code) {
				b, _ := json.Marshal(r)
				return string(b)
			}
		}
		return ""
	}
	for _, c := range []catalogue.CouncilCode{manchester, salford, bolton} {
		if a, b := row(england.Councils, c), row(region.Councils, c); a != b || a == "" {
			t.Errorf("%s in England's view:\n%s\nin the region's:\n%s", c, a, b)
		}
	}
	if england.Total["plans"] != float64(22) || england.Total["households"] != float64(21) {
		t.Errorf("England's total: %v", england.Total)
	}
}

func indentJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestSupportNotKept(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	h, err := api.New(api.Config{Store: catalogueOnly{f.store}, Matcher: f.engine, Now: f.store.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	for _, p := range []string{"/v1/children/" + id(f.amy.ID) + "/support-plans", "/v1/support-needs"} {
		r := f.do("officer", "GET", p, nil)
		f.want(r, 501)
		r.problem(t)
	}
}

// TestSupportOnPostgres: the routes over the production store.
func TestSupportOnPostgres(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sqltest.Postgres(t))
	p := f.supportPlan()
	r := f.do("officer", "GET", fmt.Sprintf("/v1/children/%d/support-plans", p.Child), nil)
	f.want(r, 200)
	plan := fmt.Sprintf("/v1/support-plans/%d", p.ID)
	f.want(f.do("leedsOfficer", "GET", plan, nil), 404)
	f.want(f.do("officer", "PUT", plan, map[string]any{"version": 1, "items": []any{map[string]any{"need": "trauma", "arranged": true}}}), 200)
	r = f.do("commissioner", "GET", "/v1/support-needs?council="+string(manchester), nil)
	f.want(r, 200)
	var v struct {
		Total struct {
			Plans    any `json:"plans"`
			Training []struct {
				Arranged any `json:"households_arranged"`
			} `json:"training"`
		} `json:"total"`
	}
	r.json(t, &v)
	if v.Total.Plans != "c" || len(v.Total.Training) != 1 || v.Total.Training[0].Arranged != "c" {
		t.Errorf("one plan in Manchester, arranged: %s", r.body)
	}
}
