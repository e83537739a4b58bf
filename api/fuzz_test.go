package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// The fuzz targets send arbitrary bodies and queries to the API and require a clean answer:
// never a 5xx, and every 4xx a problem+json that (for a 400) names the field at fault. Their
// seed corpora (f.Add below and testdata/fuzz) run as ordinary tests; to fuzz:
//
//	go test ./api -run '^$' -fuzz FuzzJSONBodies -fuzztime 1m

// checkClean fails unless r is a success or a well-formed problem.
func checkClean(t *testing.T, what string, r response) {
	t.Helper()
	if r.status >= 500 {
		t.Fatalf("%s: %d %s", what, r.status, r.body)
	}
	if r.status < 400 {
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: %d with Content-Type %q", what, r.status, ct)
	}
	var p api.Problem
	if err := json.Unmarshal(r.body, &p); err != nil || p.Status != r.status || p.Title == "" {
		t.Fatalf("%s: %d with a malformed problem %s", what, r.status, r.body)
	}
	if r.status == http.StatusBadRequest && (len(p.Errors) == 0 || p.Errors[0].Field == "") {
		t.Fatalf("%s: 400 naming no field: %s", what, r.body)
	}
}

// FuzzJSONBodies posts arbitrary JSON to every route that takes a body.
func FuzzJSONBodies(f *testing.F) {
	fx := sqliteFixture(f)
	// An offer whose home needs a sign-off, for the manager's routes.
	fx.changePlace(func(p *catalogue.Placement) { p.WeeklyCost = 12000 })
	o, err := fx.store.CreateOffer(context.Background(), catalogue.Everything, catalogue.Offer{Child: fx.amy.ID,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: fx.place.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err != nil {
		f.Fatal(err)
	}
	// A member of Amy's family network who passed their viability assessment.
	member, err := fx.store.AddNetworkMember(context.Background(), catalogue.Everything, catalogue.NetworkMember{Child: fx.amy.ID,
		Name: "Nan", Relationship: catalogue.RelGrandparent, NamedBy: catalogue.NamedAtFGC, AssessmentDue: fx.today.AddDate(0, 0, 14),
		Outcome: catalogue.ViabilityPassed, OutcomeOn: fx.today})
	if err != nil {
		f.Fatal(err)
	}
	routes := []struct{ method, path string }{
		{"POST", "/v1/children"},
		{"PUT", "/v1/children/" + id(fx.amy.ID)},
		{"POST", "/v1/children/" + id(fx.amy.ID) + "/options"},
		{"POST", "/v1/sibling-groups"},
		{"POST", "/v1/placements"},
		{"PUT", "/v1/placements/" + fx.place.ID.String()},
		{"POST", "/v1/placements/" + fx.place.ID.String() + "/vacancies"},
		{"PUT", "/v1/vacancies/" + fx.vacancy.ID.String()},
		{"POST", "/v1/providers"},
		{"PUT", "/v1/policy"},
		{"POST", "/v1/tokens"},
		{"POST", "/v1/sharing-agreements"},
		{"PUT", "/v1/framework-prices"},
		{"PUT", "/v1/sharing-agreements/" + fx.sharing().ID.String()},
		{"POST", "/v1/sharing-agreements/" + fx.sharing().ID.String() + "/end"},
		{"PUT", "/v1/support-plans/" + fx.supportPlan().ID.String()},
		{"PUT", "/v1/notification-addresses/providers/" + fx.provider.ID.String()},
		{"PUT", "/v1/notification-addresses/councils/" + string(manchester) + "/teams/placements"},
		{"POST", "/v1/offers/" + o.ID.String() + "/sign-offs"},
		{"POST", "/v1/offers/" + o.ID.String() + "/sign-off-refusals"},
		{"POST", "/v1/children/" + id(fx.amy.ID) + "/inadequate-overrides"},
		{"POST", "/v1/placement-notices/" + fx.placementNotice(catalogue.NoticeGP).ID.String() + "/sent"},
		{"POST", "/v1/children/" + id(fx.amy.ID) + "/family-network"},
		{"PUT", "/v1/family-network/" + member.ID.String()},
		{"POST", "/v1/family-network/" + member.ID.String() + "/placement"},
	}
	// Managers' routes are posted as Manchester's director, the others as an administrator.
	who := func(path string) string {
		if strings.HasSuffix(path, "/sign-offs") || strings.HasSuffix(path, "/sign-off-refusals") || strings.HasSuffix(path, "/inadequate-overrides") {
			return "manager"
		}
		return "admin"
	}
	seeds := []string{
		`{}`, `[]`, `null`, `""`, `{"limit": -1}`, `{"limit": 1e309}`,
		`{"council":"E08000003","first_name":"Zoë","date_of_birth":"2013-02-30","needs":[{"kind":"trauma","level":9}]}`,
		`{"home":{"lat":91,"lng":-181},"school":{"location":{"lat":"x"}}}`,
		`{"exclusion_zones":[{"shape":"polygon","vertices":[{"lat":53,"lng":-2}]}]}`,
		`{"weights":{"cost":1e308,"school":-1},"note":"x"}`,
		`{"available_from":"2026-13-01","status":"filled","child":-5}`,
		`{"role":"admin","expires_in":"-1h"}`,
		`{"kind":"council_to_council","members":["E08000003","E08000003","E99"],"one_way":"yes","kinds":["kinship"],"from":"2026-02-30","to":"1900-01-01"}`,
		`{"version":1,"on":"not a day"}`,
		`{"version":1,"approval":{"min_age":10,"max_age":2,"max_children":0}}`,
		"{\"first_name\":\"\xff\xfe\"}",
		`{"version":1,"items":[{"need":"trauma","arranged":"yes"},{"need":"trauma","arranged":true}],"close_reason":7}`,
		`{"email":"a@b.c\r\nBcc: x@example.org"}`, `{"email":["x@example.org"]}`, `{"email":"Name <x@example.org>"}`,
		`{"kind":"high_cost","reason":"No other home can meet her needs."}`,
		`{"name":"Nan","relationship":"grandparent","named_by":"family_group_conference","assessment_due":"2026-02-30","outcome":"passed"}`,
		`{"provider":-1,"location":{"lat":200},"area_name":"","version":"1"}`,
		`{"contacts":[{"relationship":"mother","location":{"lat":53,"lng":-2},"frequency":"weekly","type":"direct","centre":{"lat":53,"lng":-2}}]}`,
		`{"kind":"distant_out_of_area","placement":-1,"reason":"x"}`,
		`{"kind":"inadequate_override","placement":1e20,"reason":7}`,
		"{\"placement\":1,\"reason\":\"\u0000\u202e reason with controls\"}",
	}
	for i, s := range seeds {
		f.Add(i, s)
	}
	f.Fuzz(func(t *testing.T, route int, body string) {
		if route < 0 {
			route = -route
		}
		rt := routes[route%len(routes)]
		local := *fx
		local.t = t
		r := local.do(who(rt.path), rt.method, rt.path, body)
		checkClean(t, rt.method+" "+rt.path+" "+body, r)
	})
}

// FuzzQueries sends arbitrary query strings to every list route.
func FuzzQueries(f *testing.F) {
	fx := sqliteFixture(f)
	paths := []string{"/v1/children", "/v1/placements", "/v1/sibling-groups", "/v1/providers", "/v1/audit", "/v1/sharing-agreements",
		"/v1/placements/" + fx.place.ID.String() + "/vacancies", "/v1/policy", "/v1/policy/versions", "/v1/export/children", "/v1/support-needs", "/v1/notifications",
		"/v1/placement-notices", "/v1/children/" + id(fx.amy.ID) + "/placement-notices",
		"/v1/approval-watch"}
	for i, q := range []string{
		"limit=0", "limit=-3", "cursor=%00", "near=53.4,-2.2&within_km=1e9", "near=NaN,NaN&within_km=5",
		"near=53.4,-2.2,7", "within_km=5", "has_vacancy=1&active=0", "council=E08000003&council=E08000035",
		"status=waiting&sibling_group=99999999999999999999", "version=0", "format=xml", "kind=%E2%80%8F",
		"council=E08000003&region=E12000002", "region=E12000002%00",
		"status=failed&kind=offer_sent", "kind=referral_sent%00", "status=",
		"overdue=maybe", "status=sent&overdue=true", "status=overdue",
		"within_weeks=0", "within_weeks=25", "within_weeks=-1", "within_weeks=1e3", "within_weeks=4&council=nowhere",
	} {
		f.Add(i, q)
	}
	f.Fuzz(func(t *testing.T, which int, rawQuery string) {
		if which < 0 {
			which = -which
		}
		path := paths[which%len(paths)]
		if strings.ContainsAny(rawQuery, " #\n\r") {
			rawQuery = url.QueryEscape(rawQuery)
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path, req.URL.RawQuery = path, rawQuery
		req.Header.Set("Authorization", "Bearer "+fx.tokens["admin"])
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, req)
		checkClean(t, "GET "+path+"?"+rawQuery, response{status: w.Code, header: w.Header(), body: w.Body.Bytes()})
	})
}
