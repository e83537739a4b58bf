package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

type signOffsBody struct {
	Needed []struct {
		Placement int64  `json:"placement"`
		Kind      string `json:"kind"`
		Level     string `json:"level"`
		Why       string `json:"why"`
		Given     bool   `json:"given"`
	} `json:"needed"`
	Given []struct {
		Kind         string `json:"kind"`
		GivenBy      int64  `json:"given_by"`
		GivenByLevel string `json:"given_by_level"`
		Reason       string `json:"reason"`
	} `json:"given"`
}

// setPlace changes the fixture's home through the API, as an administrator (so the matcher's
// snapshot follows).
func (f *fixture) setPlace(field string, value any) {
	f.t.Helper()
	b := f.read("/v1/placements/" + f.place.ID.String())
	delete(b, "vacancies")
	b[field] = value
	if r := f.do("admin", "PUT", "/v1/placements/"+f.place.ID.String(), b); r.status != 200 {
		f.t.Fatalf("PUT placement %s: %d %s", field, r.status, r.body)
	}
}

func (f *fixture) tokenID(who string) int64 {
	f.t.Helper()
	var me struct {
		Token int64 `json:"token"`
	}
	r := f.do(who, "GET", "/v1/me", nil)
	if err := json.Unmarshal(r.body, &me); err != nil || r.status != 200 {
		f.t.Fatalf("me as %s: %d %s", who, r.status, r.body)
	}
	return me.Token
}

// TestSignOffRequiredRecordedAudited: an offer of a home over the council's weekly cost
// threshold says it needs a nominated officer's sign-off and why; accepting it is refused (409
// naming sign_offs) until a manager of that level or above gives it, once, with a reason; the
// sign-off is shown with who gave it, and audited; then the offer is accepted. Both stores.
func TestSignOffRequiredRecordedAudited(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			var f *fixture
			if backend == "sqlite" {
				f = sqliteFixture(t)
			} else {
				f = newFixture(t, sqltest.Postgres(t))
			}
			f.setPlace("weekly_cost", 12000)
			r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/offers", map[string]any{"placements": []int64{int64(f.place.ID)}})
			f.want(r, 201)
			var o struct {
				ID       int64        `json:"id"`
				Version  int          `json:"version"`
				SignOffs signOffsBody `json:"sign_offs"`
			}
			r.json(t, &o)
			if len(o.SignOffs.Needed) != 1 || o.SignOffs.Needed[0].Kind != "high_cost" || o.SignOffs.Needed[0].Level != "nominated_officer" ||
				o.SignOffs.Needed[0].Given || !strings.Contains(o.SignOffs.Needed[0].Why, "£12000 a week") || o.SignOffs.Needed[0].Placement != int64(f.place.ID) {
				t.Fatalf("sign-offs needed: %+v", o.SignOffs)
			}
			offer := fmt.Sprintf("/v1/offers/%d", o.ID)
			accept := map[string]any{"version": o.Version, "outcome": "accepted", "placement": int64(f.place.ID), "reason": "The team's choice."}
			r = f.do("officer", "POST", offer+"/decision", accept)
			f.want(r, 409)
			wantField(t, r, "sign_offs")

			body := map[string]any{"kind": "high_cost", "reason": "No other home near her school can meet her needs."}
			for who, status := range map[string]int{"officer": 403, "admin": 403, "teamManager": 403, "leedsManager": 404} {
				r = f.do(who, "POST", offer+"/sign-offs", body)
				f.want(r, status)
				if who == "teamManager" {
					wantField(t, r, "kind")
				}
			}
			r = f.do("nominatedOfficer", "POST", offer+"/sign-offs", map[string]any{"kind": "high_cost", "reason": "ok"})
			f.want(r, 400)
			wantField(t, r, "reason")
			r = f.do("nominatedOfficer", "POST", offer+"/sign-offs", map[string]any{"kind": "out_of_area", "reason": "No other home will do."})
			f.want(r, 400)
			wantField(t, r, "kind")
			r = f.do("nominatedOfficer", "POST", offer+"/sign-offs", body)
			f.want(r, 201)
			r = f.do("manager", "POST", offer+"/sign-offs", body)
			f.want(r, 409)

			var seen struct {
				SignOffs signOffsBody `json:"sign_offs"`
			}
			r = f.do("manager", "GET", offer, nil)
			f.want(r, 200)
			r.json(t, &seen)
			giver := f.tokenID("nominatedOfficer")
			if !seen.SignOffs.Needed[0].Given || len(seen.SignOffs.Given) != 1 || seen.SignOffs.Given[0].GivenBy != giver ||
				seen.SignOffs.Given[0].GivenByLevel != "nominated_officer" || seen.SignOffs.Given[0].Reason != body["reason"] {
				t.Fatalf("sign-offs after: %+v", seen.SignOffs)
			}
			var audit struct {
				Items []struct {
					Actor  int64  `json:"actor"`
					Role   string `json:"role"`
					Action string `json:"action"`
				} `json:"items"`
			}
			r = f.do("admin", "GET", fmt.Sprintf("/v1/audit?subject=offer:%d", o.ID), nil)
			f.want(r, 200)
			r.json(t, &audit)
			if !slices.ContainsFunc(audit.Items, func(e struct {
				Actor  int64  `json:"actor"`
				Role   string `json:"role"`
				Action string `json:"action"`
			}) bool {
				return e.Action == "sign_off:high_cost" && e.Actor == giver && e.Role == "manager"
			}) {
				t.Fatalf("no audit row of the sign-off: %s", r.body)
			}
			r = f.do("officer", "POST", offer+"/decision", accept)
			f.want(r, 200)
		})
	}
}

// TestInadequateOverriddenForOneChild: a home rated inadequate is never among a child's options
// (ofsted_inadequate), until the director overrides it for that child with a written reason;
// then that child's search considers it, and another child's still does not.
func TestInadequateOverriddenForOneChild(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	mia, err := f.store.CreateChild(t.Context(), catalogue.Everything, childIn(manchester, "Mia"))
	if err != nil {
		t.Fatal(err)
	}
	f.setPlace("ofsted", "inadequate")
	offered := func(child catalogue.ChildID) (bool, int) {
		t.Helper()
		var res struct {
			Options []struct {
				Placement struct {
					ID int64 `json:"id"`
				} `json:"placement"`
			} `json:"options"`
			Shortfall struct {
				Rejected []struct {
					Constraint string `json:"constraint"`
					Count      int    `json:"count"`
				} `json:"rejected"`
			} `json:"shortfall"`
		}
		r := f.do("officer", "POST", "/v1/children/"+id(child)+"/options", nil)
		f.want(r, 200)
		r.json(t, &res)
		in := slices.ContainsFunc(res.Options, func(o struct {
			Placement struct {
				ID int64 `json:"id"`
			} `json:"placement"`
		}) bool {
			return o.Placement.ID == int64(f.place.ID)
		})
		n := 0
		for _, rj := range res.Shortfall.Rejected {
			if rj.Constraint == "ofsted_inadequate" {
				n = rj.Count
			}
		}
		return in, n
	}
	if in, n := offered(f.amy.ID); in || n != 1 {
		t.Fatalf("before the override: offered %v, ruled out as inadequate %d", in, n)
	}
	override := map[string]any{"placement": int64(f.place.ID), "reason": "The only registered home able to keep her safe."}
	path := "/v1/children/" + id(f.amy.ID) + "/inadequate-overrides"
	r := f.do("nominatedOfficer", "POST", path, override)
	f.want(r, 403)
	wantField(t, r, "kind")
	r = f.do("manager", "POST", path, map[string]any{"placement": int64(f.place.ID)})
	f.want(r, 400)
	wantField(t, r, "reason")
	r = f.do("manager", "POST", path, override)
	f.want(r, 201)
	r = f.do("manager", "POST", path, override)
	f.want(r, 409)
	if in, n := offered(f.amy.ID); !in || n != 0 {
		t.Fatalf("after the override, Amy: offered %v, ruled out as inadequate %d", in, n)
	}
	if in, n := offered(mia.ID); in || n != 1 {
		t.Fatalf("after Amy's override, Mia: offered %v, ruled out as inadequate %d", in, n)
	}
	r = f.do("officer", "GET", path, nil)
	f.want(r, 200)
	if !strings.Contains(string(r.body), override["reason"].(string)) {
		t.Fatalf("overrides: %s", r.body)
	}
}
