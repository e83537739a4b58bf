package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
)

// TestAdministratorSavesPolicy: the policy's form saves a council's weights and cost cap as
// PUT /v1/policy does; a weight that is not a number, cost carrying more than the cost cap, a
// cost cap over the most allowed, and no note are each the form again (400) with the error
// summary linking to the field, and no version saved.
func TestAdministratorSavesPolicy(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	var cur struct {
		Version int                `json:"version"`
		Weights map[string]float64 `json:"weights"`
	}
	policyPath := "/v1/policy?council=" + string(manchester)
	getJSON(t, f, policyPath, &cur)
	secret := f.sessions["admin"]
	form := func(edit func(url.Values)) url.Values {
		u := url.Values{"council": {string(manchester)}, "version": {fmt.Sprint(cur.Version)}, "cost_cap": {"10"}, "note": {"More weight on school."},
			"child_link_min_age": {"9"}, "working_day_start": {"08:30"}, "working_day_end": {"17:30"},
			"settling_weeks": {"6"}}
		for k, w := range cur.Weights {
			u.Set("weights."+k, fmt.Sprint(w))
		}
		u.Set("weights.school", fmt.Sprint(cur.Weights["school"]+1))
		if edit != nil {
			edit(u)
		}
		return u
	}
	post := func(u url.Values) response {
		return f.browse(browserCall{method: http.MethodPost, path: "/workspace/admin/policy", cookie: &http.Cookie{Name: "placematch_session", Value: secret},
			form: u, csrf: api.WorkspaceCSRF(secret)})
	}
	version := func() int {
		var now struct {
			Version int `json:"version"`
		}
		getJSON(t, f, policyPath, &now)
		return now.Version
	}
	for _, m := range []struct {
		name, field string
		edit        func(url.Values)
	}{
		{"a weight that is not a number", "weights.siblings", func(u url.Values) { u.Set("weights.siblings", "lots") }},
		{"cost over the cap", "weights.cost", func(u url.Values) { u.Set("weights.cost", "100") }},
		{"a cost cap over the most", "cost_cap", func(u url.Values) { u.Set("cost_cap", "50") }},
		{"no note", "note", func(u url.Values) { u.Set("note", " ") }},
		{"an age that is not a number", "child_link_min_age", func(u url.Values) { u.Set("child_link_min_age", "eight") }},
		{"an age over 16", "child_link_min_age", func(u url.Values) { u.Set("child_link_min_age", "20") }},
		{"weeks that are not a number", "settling_weeks", func(u url.Values) { u.Set("settling_weeks", "four") }},
		{"a settling period over 12 weeks", "settling_weeks", func(u url.Values) { u.Set("settling_weeks", "13") }},
		{"a time that is not one", "working_day_start", func(u url.Values) { u.Set("working_day_start", "9am") }},
		{"a day that ends before it starts", "working_day_end", func(u url.Values) { u.Set("working_day_end", "08:00") }},
	} {
		r := post(form(m.edit))
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, `href="#`+m.field+`"`) || !strings.Contains(body, `id="`+m.field+`-error"`) {
			t.Errorf("%s: %d, want 400 with the error summary linking to #%s: %.1500s", m.name, r.status, m.field, body)
		}
		if v := version(); v != cur.Version {
			t.Errorf("%s: version %d saved, want %d kept", m.name, v, cur.Version)
		}
	}
	r := post(form(nil))
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "saved=1") {
		t.Fatalf("a right policy: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	var after struct {
		Version  int                `json:"version"`
		Weights  map[string]float64 `json:"weights"`
		CostCap  float64            `json:"cost_cap"`
		LinkAge  int                `json:"child_link_min_age"`
		DayStart string             `json:"working_day_start"`
		DayEnd   string             `json:"working_day_end"`
		Settling int                `json:"settling_weeks"`
	}
	getJSON(t, f, policyPath, &after)
	if after.Version == cur.Version || after.Weights["school"] != cur.Weights["school"]+1 || after.CostCap != 0.1 ||
		after.LinkAge != 9 || after.DayStart != "08:30" || after.DayEnd != "17:30" || after.Settling != 6 {
		t.Errorf("after saving: %+v", after)
	}
	if page := f.do("~admin", "GET", "/workspace/admin/policy?saved=1&council="+string(manchester), nil); page.status != 200 || !strings.Contains(string(page.body), "saved as a new version") {
		t.Errorf("the policy page after saving: %d", page.status)
	}
}

// getJSON reads path as the administrator's token into v.
func getJSON(t *testing.T, f *fixture, path string, v any) {
	t.Helper()
	r := f.do("admin", "GET", path, nil)
	f.want(r, 200)
	r.json(t, v)
}
