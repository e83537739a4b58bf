package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestTemporaryApprovalWarns: the officer's view of a kinship home (GET /v1/placements/{id},
// and each home of the list) carries the deadline of the carers' temporary approval and, by
// the service's clock, warns from four weeks before it lapses, and once it has.
func TestTemporaryApprovalWarns(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("officer", "POST", "/v1/placements", f.kinshipBody(f.amy.ID)) // approved on the fixture's day
	f.want(r, 201)
	path := r.header.Get("Location")
	clock := sqltest.Clock(t, f.store)
	type view struct {
		TemporaryApproval struct {
			Deadline string `json:"deadline"`
			Lapsing  bool   `json:"lapsing"`
		} `json:"temporary_approval"`
		Warnings []string `json:"warnings"`
	}
	cases := []struct {
		days    int // after the approval
		lapsing bool
		warning string
	}{
		{0, false, ""},
		{83, false, ""}, // 29 days before the deadline
		{84, true, "lapses on 14 March 2027"},
		{111, true, "lapses on 14 March 2027"},
		{112, false, "lapsed on 14 March 2027"},
	}
	at := 0
	for _, tc := range cases {
		clock.Advance(time.Duration(tc.days-at) * 24 * time.Hour)
		at = tc.days
		var v view
		r := f.do("officer", "GET", path, nil)
		f.want(r, 200)
		r.json(t, &v)
		if v.TemporaryApproval.Deadline != "2027-03-14" || v.TemporaryApproval.Lapsing != tc.lapsing {
			t.Errorf("day %d: temporary approval %+v, want deadline 2027-03-14, lapsing %v", tc.days, v.TemporaryApproval, tc.lapsing)
		}
		got := strings.Join(v.Warnings, " ")
		if (tc.warning == "") != (got == "") || !strings.Contains(got, tc.warning) {
			t.Errorf("day %d: warnings %q, want %q", tc.days, got, tc.warning)
		}
	}
}

// TestRegistrationIsTheAdministrators: a children's home's Ofsted registration is the
// regulator's fact, recorded by an administrator: its provider may not lift a suspension (403
// naming registration, nothing written), an administrator may; a home not registered carries a
// warning.
func TestRegistrationIsTheAdministrators(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	body := map[string]any{
		"kind": "childrens_home", "provider": int64(f.provider.ID), "name": "Ashgrove House", "council": "E08000003",
		"area_name": "Stretford", "location": map[string]any{"lat": 53.44, "lng": -2.3}, "urn": "SC700002",
		"approval":     map[string]any{"min_age": 8, "max_age": 17, "max_children": 4, "purposes": []string{"long_term"}},
		"registration": "suspended", "weekly_cost": 4200,
	}
	r := f.do("admin", "POST", "/v1/placements", body)
	f.want(r, 201)
	path := r.header.Get("Location")
	home := f.read(path)
	if w, _ := home["warnings"].([]any); len(w) != 1 || !strings.Contains(w[0].(string), "Not registered with Ofsted") {
		t.Errorf("warnings of a suspended home: %v", home["warnings"])
	}
	home["registration"] = "registered"
	f.refused(f.do("provider", "PUT", path, home), 403, path, f.read(path), "registration")
	r = f.do("admin", "PUT", path, home)
	f.want(r, 200)
	if got := f.read(path); got["registration"] != "registered" || got["warnings"] != nil {
		t.Errorf("after the administrator's change: registration %v, warnings %v", got["registration"], got["warnings"])
	}
	// A home for adults is refused, naming the field.
	body["approval"] = map[string]any{"min_age": 8, "max_age": 21, "max_children": 4, "purposes": []string{"long_term"}}
	r = f.do("admin", "POST", "/v1/placements", body)
	f.want(r, 400)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "approval.max_age" {
		t.Errorf("a children's home for 21-year-olds: %+v", p)
	}
}
