package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestSignOffRefusedThroughTheAPI: a manager who may give a sign-off refuses it with a reason
// (400 naming reason without one or with one too long; 403 naming kind below its level); the
// offer shows the refusal and its reason; giving the sign-off after it and accepting the home
// are refused (409, the decision naming sign_offs and the kind); the refusal is audited. Both
// stores.
func TestSignOffRefusedThroughTheAPI(t *testing.T) {
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
				ID      int64 `json:"id"`
				Version int   `json:"version"`
			}
			r.json(t, &o)
			offer := fmt.Sprintf("/v1/offers/%d", o.ID)
			const reason = "A home nearer her school meets her needs at half the cost."
			for _, tc := range []struct {
				who    string
				body   map[string]any
				status int
				field  string
			}{
				{"officer", map[string]any{"kind": "high_cost", "reason": reason}, 403, ""},
				{"teamManager", map[string]any{"kind": "high_cost", "reason": reason}, 403, "kind"},
				{"leedsManager", map[string]any{"kind": "high_cost", "reason": reason}, 404, ""},
				{"nominatedOfficer", map[string]any{"kind": "high_cost"}, 400, "reason"},
				{"nominatedOfficer", map[string]any{"kind": "high_cost", "reason": strings.Repeat("x", catalogue.MaxReasonLen+1)}, 400, "reason"},
				{"nominatedOfficer", map[string]any{"kind": "out_of_area", "reason": reason}, 400, "kind"},
				{"nominatedOfficer", map[string]any{"kind": "high_cost", "reason": reason, "placement": -1}, 400, "placement"},
			} {
				r = f.do(tc.who, "POST", offer+"/sign-off-refusals", tc.body)
				f.want(r, tc.status)
				if tc.field != "" {
					wantField(t, r, tc.field)
				}
			}
			r = f.do("nominatedOfficer", "POST", offer+"/sign-off-refusals", map[string]any{"kind": "high_cost", "reason": reason})
			f.want(r, 201)
			refuser := f.tokenID("nominatedOfficer")
			var seen struct {
				SignOffs struct {
					Needed []struct {
						Kind    string `json:"kind"`
						Given   bool   `json:"given"`
						Refused bool   `json:"refused"`
					} `json:"needed"`
					Refused []struct {
						Placement      int64  `json:"placement"`
						Kind           string `json:"kind"`
						Reason         string `json:"reason"`
						RefusedBy      int64  `json:"refused_by"`
						RefusedByLevel string `json:"refused_by_level"`
					} `json:"refused"`
				} `json:"sign_offs"`
			}
			r = f.do("officer", "GET", offer, nil)
			f.want(r, 200)
			r.json(t, &seen)
			so := seen.SignOffs
			if len(so.Needed) != 1 || !so.Needed[0].Refused || so.Needed[0].Given || len(so.Refused) != 1 || so.Refused[0].Reason != reason ||
				so.Refused[0].RefusedBy != refuser || so.Refused[0].RefusedByLevel != "nominated_officer" || so.Refused[0].Placement != int64(f.place.ID) {
				t.Fatalf("the offer shows %+v", so)
			}
			// Final: the director neither gives it nor refuses it again.
			for _, path := range []string{"/sign-offs", "/sign-off-refusals"} {
				r = f.do("manager", "POST", offer+path, map[string]any{"kind": "high_cost", "reason": reason})
				f.want(r, 409)
			}
			r = f.do("officer", "POST", offer+"/decision", map[string]any{"version": o.Version, "outcome": "accepted",
				"placement": int64(f.place.ID), "reason": "The team's choice."})
			f.want(r, 409)
			wantField(t, r, "sign_offs")
			if !strings.Contains(string(r.body), "high_cost") || !strings.Contains(string(r.body), "refused") {
				t.Fatalf("the decision's 409 does not name the refused kind: %s", r.body)
			}
			r = f.do("admin", "GET", fmt.Sprintf("/v1/audit?subject=offer:%d", o.ID), nil)
			f.want(r, 200)
			if !strings.Contains(string(r.body), `"refuse_sign_off:high_cost"`) {
				t.Fatalf("the refusal is not audited: %s", r.body)
			}
		})
	}
}
