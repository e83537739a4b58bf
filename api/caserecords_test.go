package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// declinedOffer is Amy's decision record: an offer of the fixture's home, declined with a
// reason, not yet filed. A fixture shared by several routes keeps one: Amy's offer already
// decided, or her open offer declined, or a new one.
func (f *fixture) declinedOffer() catalogue.Offer {
	f.t.Helper()
	ctx := context.Background()
	mine, err := f.store.ListOffers(ctx, catalogue.Everything, catalogue.OfferFilter{Child: f.amy.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	var o catalogue.Offer
	for _, x := range mine.Items {
		switch {
		case x.DecisionRecord():
			return x
		case x.Status.Open():
			o = x
		}
	}
	if o.ID == 0 {
		o, err = f.store.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: f.amy.ID,
			Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: f.place.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1,
				Factors: []catalogue.FactorScore{{Factor: catalogue.FactorSchool, Weight: 0.2, Score: 0.9, Reason: "Close to her school."}}}}})
	}
	if err == nil {
		o, err = f.store.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Decision{Reason: "Amy is to return home to her mother"})
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

type caseRecordBody struct {
	Offer          int64  `json:"offer"`
	Child          int64  `json:"child"`
	ChildFirstName string `json:"child_first_name"`
	Status         string `json:"status"`
	KeepUntil      string `json:"keep_until"`
	Regulation     string `json:"regulation"`
	Options        []struct {
		Home struct {
			Name string `json:"name"`
		} `json:"home"`
		Factors []struct {
			Reason string `json:"reason"`
		} `json:"factors"`
	} `json:"options"`
	Decision *struct {
		Outcome string `json:"outcome"`
		Reason  string `json:"reason"`
	} `json:"decision"`
	Filing *struct {
		Reference string `json:"reference"`
	} `json:"filing"`
}

// TestCaseRecord: a declined offer's record carries the options with their reasons, the
// decision and its reason, the day it may be destroyed (the 75th birthday) and the regulation;
// the read is audited; it is in the list of records not yet filed until an officer files it
// with a reference (400 naming reference without one), after which filing again changes
// nothing (200, the first reference) and the list is empty; an open offer has no record yet.
func TestCaseRecord(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	o := f.declinedOffer()
	path := fmt.Sprintf("/v1/offers/%d/case-record", o.ID)
	r := f.do("officer", "GET", path, nil)
	if r.status != 200 {
		t.Fatalf("GET: %d %s", r.status, r.body)
	}
	var rec caseRecordBody
	r.json(t, &rec)
	if rec.Status != "declined" || rec.Decision == nil || rec.Decision.Outcome != "declined" || rec.Decision.Reason != "Amy is to return home to her mother" ||
		len(rec.Options) != 1 || rec.Options[0].Home.Name != "Okafor household" || len(rec.Options[0].Factors) != 1 ||
		rec.Options[0].Factors[0].Reason != "Close to her school." || rec.Filing != nil {
		t.Errorf("record %s", r.body)
	}
	if want := f.amy.DateOfBirth.AddDate(75, 0, 0).Format(time.DateOnly); rec.KeepUntil != want {
		t.Errorf("keep until %s, want %s", rec.KeepUntil, want)
	}
	if !strings.Contains(rec.Regulation, "regulation 50") {
		t.Errorf("regulation %q", rec.Regulation)
	}
	audit, err := f.store.ListAudit(context.Background(), catalogue.AuditFilter{Subject: "child:" + f.amy.ID.String(), Limit: 500})
	if err != nil || !slices.ContainsFunc(audit.Items, func(e catalogue.AuditEntry) bool { return e.Action == "case record" }) {
		t.Errorf("the read is not audited (%v)", err)
	}
	unfiled := func() []int64 {
		var page struct {
			Items []struct {
				Offer int64 `json:"offer"`
			} `json:"items"`
		}
		f.do("manager", "GET", "/v1/case-records/unfiled", nil).json(t, &page)
		var out []int64
		for _, it := range page.Items {
			out = append(out, it.Offer)
		}
		return out
	}
	if got := unfiled(); !slices.Equal(got, []int64{int64(o.ID)}) {
		t.Errorf("unfiled %v, want [%d]", got, o.ID)
	}
	var leeds struct {
		Items []any `json:"items"`
	}
	f.do("leedsOfficer", "GET", "/v1/case-records/unfiled", nil).json(t, &leeds)
	if len(leeds.Items) != 0 {
		t.Errorf("Leeds sees Manchester's unfiled records: %v", leeds.Items)
	}
	for _, tc := range []struct {
		who, reference string
		status         int
	}{
		{"officer", "", 400},
		{"leedsOfficer", "CASE-1", 404},
		{"admin", "CASE-1", 403},
		{"provider", "CASE-1", 403},
		{"officer", "CASE-1/DOC-7", 200},
		{"manager", "ANOTHER", 200}, // already filed: nothing changes
	} {
		r := f.do(tc.who, "POST", path+"/filed", map[string]any{"reference": tc.reference})
		if r.status != tc.status {
			t.Errorf("%s filing %q: %d, want %d: %s", tc.who, tc.reference, r.status, tc.status, r.body)
		}
		if tc.status == 200 && strings.Contains(string(r.body), `"already_filed":true`) != (tc.who == "manager") {
			t.Errorf("%s filing: already_filed wrong: %s", tc.who, r.body)
		}
		if tc.status == 400 && !strings.Contains(string(r.body), `"reference"`) {
			t.Errorf("400 not naming reference: %s", r.body)
		}
	}
	f.do("officer", "GET", path, nil).json(t, &rec)
	if rec.Filing == nil || rec.Filing.Reference != "CASE-1/DOC-7" {
		t.Errorf("filing after two: %+v", rec.Filing)
	}
	if got := unfiled(); len(got) != 0 {
		t.Errorf("unfiled after filing: %v", got)
	}
	open, err := f.store.CreateOffer(context.Background(), catalogue.Everything, catalogue.Offer{Child: f.amy.ID,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: f.place.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := f.do("officer", "GET", fmt.Sprintf("/v1/offers/%d/case-record", open.ID), nil); r.status != 409 {
		t.Errorf("an open offer's record: %d %s", r.status, r.body)
	}
}

// TestCaseRecordPage: the printable page shows the record and the form to mark it filed; a
// form without a reference is the page again naming it (400); with one, 303 to the page, which
// then says where it was filed and has no form; the page's stylesheet hides the workspace
// around the record when printed.
func TestCaseRecordPage(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	o := f.declinedOffer()
	path := fmt.Sprintf("/workspace/offers/%d/case-record", o.ID)
	if offer := string(f.do("~officer", "GET", fmt.Sprintf("/workspace/offers/%d", o.ID), nil).body); !strings.Contains(offer, `href="`+path+`"`) {
		t.Error("the offer's page has no link to its decision record")
	}
	page := f.do("~officer", "GET", path, nil)
	body := string(page.body)
	if page.status != 200 {
		t.Fatalf("page: %d %s", page.status, body)
	}
	for _, want := range []string{"Decision record: offer", "Amy is to return home to her mother", "Close to her school.", "Okafor household",
		"75th birthday", `class="pm-no-print"`, `name="reference"`, "Not yet filed"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if r := f.form(path+"/filed", url.Values{"reference": {""}}); r.status != 400 || !strings.Contains(string(r.body), `href="#reference"`) {
		t.Errorf("no reference: %d", r.status)
	}
	r := f.form(path+"/filed", url.Values{"reference": {"LCS-99"}})
	if r.status != 303 || r.header.Get("Location") != path+"?filed=1" {
		t.Fatalf("filing: %d %s", r.status, r.header.Get("Location"))
	}
	after := string(f.do("~officer", "GET", path+"?filed=1", nil).body)
	if !strings.Contains(after, "Filed in the case record as LCS-99") || strings.Contains(after, `name="reference"`) {
		t.Errorf("after filing the page says: %s", after)
	}
	css := string(f.do("", "GET", "/assets/placematch.css", nil).body)
	if !strings.Contains(css, "@media print{.govuk-header,.govuk-service-navigation,.govuk-footer,.govuk-back-link,.govuk-skip-link,.pm-sign-out,.pm-no-print{display:none !important}}") {
		t.Error("the stylesheet does not hide the workspace when printed")
	}
}

// TestSubjectAccessRoute: the child's council's officer gets everything held about Amy in one
// export (her record among it, no hash of a link or session); Leeds does not find her.
func TestSubjectAccessRoute(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	o := f.declinedOffer()
	r := f.do("officer", "GET", "/v1/children/"+f.amy.ID.String()+"/subject-access", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var exp struct {
		Subject string `json:"subject"`
		Tables  []struct {
			Table string           `json:"table"`
			Why   string           `json:"why"`
			Rows  []map[string]any `json:"rows"`
		} `json:"tables"`
	}
	r.json(t, &exp)
	rows := map[string][]map[string]any{}
	for _, tb := range exp.Tables {
		rows[tb.Table] = tb.Rows
	}
	if exp.Subject != "child:"+f.amy.ID.String() || len(rows["children"]) != 1 || rows["children"][0]["first_name"] != f.amy.FirstName ||
		len(rows["offers"]) != 1 || fmt.Sprint(rows["offers"][0]["id"]) != o.ID.String() {
		t.Errorf("export %s", r.body)
	}
	b, _ := json.Marshal(exp)
	if strings.Contains(string(b), `"hash"`) {
		t.Error("a hash is exported")
	}
	if r := f.do("leedsOfficer", "GET", "/v1/children/"+f.amy.ID.String()+"/subject-access", nil); r.status != 404 {
		t.Errorf("Leeds: %d", r.status)
	}
}

// TestCaseRecordOfAMove: an accepted offer the child moved into from another placement, for a
// reason that was not the care plan, carries the independent reviewing officer's review of the
// move, by name, and names who decided.
func TestCaseRecordOfAMove(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin})
	before, err := f.store.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{Kind: catalogue.AgencyFoster, Provider: f.provider.ID,
		Name: "Adeyemi household", Council: manchester, AreaName: "Manchester", Location: catalogue.Location{Lat: 53.46, Lng: -2.21},
		Approval:  catalogue.Approval{MaxAge: 17, MaxChildren: 2, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm}, From: lawfulFrom, Until: lawfulUntil},
		Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Ade"}}}, Active: true})
	if err == nil {
		_, err = f.store.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: f.amy.ID, Start: f.today.AddDate(0, -6, 0), Placement: before.ID})
	}
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.store.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: f.amy.ID,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: f.place.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err == nil {
		o, err = f.store.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Decision{Accepted: true, Placement: f.place.ID, Reason: "An emergency move agreed with Amy by phone"})
	}
	if err == nil {
		o, err = f.store.MarkPlaced(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Arrival{Reason: catalogue.ReasonChildRequest})
	}
	if err != nil {
		t.Fatal(err)
	}
	reviews, err := f.store.ListMoveReviews(ctx, catalogue.Everything, catalogue.MoveReviewFilter{Child: f.amy.ID})
	if err != nil || len(reviews.Items) != 1 {
		t.Fatalf("reviews %v %v", reviews.Items, err)
	}
	rv := reviews.Items[0]
	if _, err := f.store.ReviewMove(ctx, catalogue.Everything, catalogue.ReviewDecision{Review: rv.ID, Outcome: catalogue.OutcomeSatisfied,
		ChildSpokenTo: true, Findings: "Amy asked to move; the new home keeps her school.", Version: rv.Version}); err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Status   string `json:"status"`
		Decision struct {
			Outcome string `json:"outcome"`
		} `json:"decision"`
		Reviews []struct {
			ID            int64  `json:"id"`
			ChildSpokenTo bool   `json:"child_spoken_to"`
			Findings      string `json:"findings"`
		} `json:"reviews"`
	}
	r := f.do("manager", "GET", fmt.Sprintf("/v1/offers/%d/case-record", o.ID), nil)
	r.json(t, &rec)
	if rec.Status != "placed" || rec.Decision.Outcome != "accepted" || len(rec.Reviews) != 1 || rec.Reviews[0].ID != int64(rv.ID) ||
		!rec.Reviews[0].ChildSpokenTo || rec.Reviews[0].Findings != "Amy asked to move; the new home keeps her school." {
		t.Errorf("record of the move: %s", r.body)
	}
}
