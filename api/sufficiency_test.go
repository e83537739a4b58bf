package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
)

// childFields are JSON keys that belong to a child's record (and to nothing else: "needs",
// "school" and "wishes" are also the scoring policy's factors): no response to a commissioner
// may carry one, at any depth.
var childFields = []string{"first_name", "date_of_birth", "case_ref", "home", "contacts", "exclusion_zones",
	"risks_to_others", "allergies", "living_companions", "legal_status", "needed_by", "communication",
	"first_language", "respiratory", "in_own_words", "child", "children", "sibling_group"}

// childKeys returns the child-level keys found anywhere in a JSON value.
func childKeys(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			for _, f := range childFields {
				if k == f {
					out = append(out, k)
				}
			}
			out = append(out, childKeys(val)...)
		}
	case []any:
		for _, val := range x {
			out = append(out, childKeys(val)...)
		}
	}
	return out
}

// TestCommissionerSeesAggregatesOnly walks every route of api.Routes() with a commissioner's
// token (and the dashboard with a commissioner's session): no response carries a child-level
// field or the name of a child of the fixture.
func TestCommissionerSeesAggregatesOnly(t *testing.T) {
	t.Parallel()
	var f *fixture
	bodies := matrix()
	check := func(what string, r response) {
		t.Helper()
		for _, name := range []string{f.amy.FirstName, f.leo.FirstName} {
			if bytes.Contains(r.body, []byte(name)) {
				t.Errorf("%s (%d) names the child %s", what, r.status, name)
			}
		}
		// The OpenAPI document describes every record's fields; it holds no record.
		if ct := r.header.Get("Content-Type"); strings.Contains(ct, "json") && what != "GET /openapi.json" {
			var v any
			if err := json.Unmarshal(r.body, &v); err != nil {
				t.Errorf("%s: %v", what, err)
				return
			}
			if keys := childKeys(v); len(keys) > 0 {
				t.Errorf("%s (%d) carries child-level fields %v", what, r.status, keys)
			}
		}
		if strings.Contains(r.header.Get("Content-Type"), "csv") {
			header, err := csv.NewReader(bytes.NewReader(r.body)).Read()
			if err != nil {
				t.Errorf("%s: %v", what, err)
			}
			for _, col := range header {
				for _, k := range childFields {
					if col == k {
						t.Errorf("%s: CSV has a %s column", what, k)
					}
				}
			}
		}
	}
	answered := 0
	for _, rt := range api.Routes() {
		f = sqliteFixture(t) // a fresh catalogue per route, as the access matrix has
		var body any
		if acc, ok := bodies[rt.Method+" "+rt.Path]; ok && acc.body != nil {
			body = acc.body(f, "commissioner")
		}
		if body == nil && (rt.Method == "POST" || rt.Method == "PUT") {
			body = map[string]any{}
		}
		r := f.do("commissioner", rt.Method, f.pathFor(rt.Path), body)
		if r.status < 300 {
			answered++
		}
		check(rt.Method+" "+rt.Path, r)
	}
	f = sqliteFixture(t)
	for _, q := range []string{"?council=E08000003", "?region=E12000002", "?segment=age_band:10_15", "?format=csv", "?council=E08000003&format=csv"} {
		r := f.do("commissioner", "GET", "/v1/sufficiency"+q, nil)
		f.want(r, 200)
		check("GET /v1/sufficiency"+q, r)
	}
	// Support for carers, with a plan made for a child of the fixture.
	f.supportPlan()
	for _, q := range []string{"", "?council=E08000003", "?region=E12000002"} {
		r := f.do("commissioner", "GET", "/v1/support-needs"+q, nil)
		f.want(r, 200)
		check("GET /v1/support-needs"+q, r)
	}
	cookie := f.dashboardSession(t, "commissioner")
	for _, q := range []string{"", "?council=E08000003", "?region=E12000002&segment=key_need:none"} {
		r := f.page(t, "GET", "/dashboard"+q, cookie, nil)
		if r.status != 200 || !bytes.Contains(r.body, []byte(`id="map"`)) {
			t.Fatalf("dashboard%s: %d %.300s", q, r.status, r.body)
		}
		check("GET /dashboard"+q, r)
	}
	if answered < 8 {
		t.Errorf("only %d routes answered the commissioner: the walk is not reaching the aggregates", answered)
	}
	// The check is not vacuous: an officer's read of a child's record is caught.
	var rec any
	f.do("officer", "GET", "/v1/children/"+f.amy.ID.String(), nil).json(t, &rec)
	if len(childKeys(rec)) < 5 {
		t.Errorf("the check finds only %v in a child's record", childKeys(rec))
	}
}

// dashboardSession signs in to the dashboard with a role's token and returns the cookie.
func (f *fixture) dashboardSession(t *testing.T, who string) *http.Cookie {
	t.Helper()
	r := f.page(t, "POST", "/dashboard/session", nil, url.Values{"token": {f.tokens[who]}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/dashboard" {
		t.Fatalf("sign in as %s: %d %s", who, r.status, r.body)
	}
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "placematch_dashboard" && ck.Value != "" {
			if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
				t.Errorf("the session cookie is not HttpOnly, SameSite=Strict, Path=/: %+v", ck)
			}
			return ck
		}
	}
	t.Fatalf("no session cookie: %v", r.header)
	return nil
}

// page sends a browser's request: a form body, a cookie, this site's Origin.
func (f *fixture) page(t *testing.T, method, path string, cookie *http.Cookie, form url.Values) response {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "null") // what a browser sends from a no-referrer page
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

type reportBody struct {
	Today      string    `json:"today"`
	FreshUntil time.Time `json:"fresh_until"`
	Scope      struct {
		Level, Code string
	} `json:"scope"`
	Areas []struct {
		Area    struct{ Code, Level string } `json:"area"`
		Metrics map[string]any               `json:"metrics"`
	} `json:"areas"`
	Benchmark *struct {
		Rows []struct {
			Key  string `json:"key"`
			Rank any    `json:"rank"`
		} `json:"rows"`
	} `json:"benchmark"`
	Equity *struct {
		Dimensions []struct{ Dimension string } `json:"dimensions"`
	} `json:"equity"`
}

// TestSufficiencyRoutes: the report as JSON and CSV with its freshness, its filters and their
// errors, the what-if and the planner.
func TestSufficiencyRoutes(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("commissioner", "GET", "/v1/sufficiency", nil)
	f.want(r, 200)
	var rep reportBody
	r.json(t, &rep)
	if rep.Scope.Level != "england" || len(rep.Areas) != 163 || rep.Benchmark != nil || rep.Equity == nil || len(rep.Equity.Dimensions) != 4 {
		t.Errorf("England: scope %+v, %d areas, benchmark %v", rep.Scope, len(rep.Areas), rep.Benchmark != nil)
	}
	// The report is a copy from the cache of aggregates: its age is said, and it is not stored
	// on the way (it sums children's records).
	if cc, age := r.header.Get("Cache-Control"), r.header.Get("Age"); cc != "no-store" || age != "0" || rep.FreshUntil.IsZero() {
		t.Errorf("Cache-Control %q, Age %q, fresh until %v", cc, age, rep.FreshUntil)
	}
	// Two children waiting in the whole fixture: every count of them is withheld.
	if w := rep.Areas[0].Metrics["waiting"]; w != "c" {
		t.Errorf("England's 2 children waiting shown as %v", w)
	}
	// Leaving care: Staying Put places are shown (the fixture has none); the young people turning
	// 18 need placement histories, which this service is not given (null: not applicable).
	if m := rep.Areas[0].Metrics; m["staying_put_places"] != float64(0) || m["staying_put_households"] != float64(0) ||
		m["turning_18"] != nil || m["staying_put_gap"] != nil {
		t.Errorf("England's Staying Put figures: places %v, households %v, young people %v, gap %v",
			m["staying_put_places"], m["staying_put_households"], m["turning_18"], m["staying_put_gap"])
	}
	r = f.do("admin", "GET", "/v1/sufficiency?council=E08000003", nil)
	f.want(r, 200)
	rep = reportBody{}
	r.json(t, &rep)
	if rep.Scope.Code != "E08000003" || rep.Benchmark == nil || len(rep.Areas) != 3 || rep.Areas[1].Area.Level != "region" {
		t.Errorf("Manchester: %+v", rep.Scope)
	}
	r = f.do("commissioner", "GET", "/v1/sufficiency?region=E12000002&format=csv", nil)
	f.want(r, 200)
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][0] != "level" || recs[1][1] != "E12000002" {
		t.Fatalf("CSV: %v %v", err, recs[:min(2, len(recs))])
	}
	if !slices.Contains(recs[0], "turning_18") || !slices.Contains(recs[0], "staying_put_places") || !slices.Contains(recs[0], "staying_put_gap") {
		t.Errorf("CSV columns %v lack the Staying Put figures", recs[0])
	}
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(r.header.Get("Content-Disposition"), "sufficiency.csv") {
		t.Errorf("CSV headers %v", r.header)
	}
	for q, field := range map[string]string{"?council=E0": "council", "?region=E08000003": "region", "?segment=age_band:99": "segment",
		"?format=xml": "format", "?councils=E08000003": "councils"} {
		r := f.do("commissioner", "GET", "/v1/sufficiency"+q, nil)
		f.want(r, 400)
		if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != field {
			t.Errorf("%s: problem %+v, want the field %s", q, p, field)
		}
	}
	f.want(f.do("provider", "GET", "/v1/sufficiency", nil), 403) // officers read it: TestOwnCouncilFiguresUnwithheld

	// What if a carer for brothers and sisters joined in Manchester? The supply that can meet
	// the children waiting grows (places are never withheld).
	r = f.do("commissioner", "POST", "/v1/sufficiency/what-if", map[string]any{"additions": []any{
		map[string]any{"council": "E08000003", "count": 2, "profile": map[string]any{"places": 3, "sibling_groups": true, "staying_put": true}}}})
	f.want(r, 200)
	var wi struct {
		Added []struct {
			Placements, Places int
		} `json:"added"`
		Changes []struct {
			Area   struct{ Code string } `json:"area"`
			Fields []struct {
				Key           string
				Before, After any
			} `json:"fields"`
		} `json:"changes"`
	}
	r.json(t, &wi)
	if len(wi.Added) != 1 || wi.Added[0].Placements != 2 || wi.Added[0].Places != 6 || len(wi.Changes) == 0 {
		t.Fatalf("what-if: %s", r.body)
	}
	grew, stay := false, false
	for _, ch := range wi.Changes {
		for _, fl := range ch.Fields {
			if ch.Area.Code == "E08000003" && fl.Key == "suitable_placements" && fl.Before.(float64) < fl.After.(float64) {
				grew = true
			}
			if ch.Area.Code == "E08000003" && fl.Key == "staying_put_places" && fl.After.(float64)-fl.Before.(float64) == 6 {
				stay = true
			}
		}
	}
	if !grew {
		t.Errorf("the suitable placements of Manchester's children did not grow: %s", r.body)
	}
	if !stay {
		t.Errorf("two carers of 3 places willing to offer Staying Put did not add 6 Staying Put places: %s", r.body)
	}
	r = f.do("commissioner", "POST", "/v1/sufficiency/what-if", map[string]any{"additions": []any{
		map[string]any{"council": "E0", "profile": map[string]any{"kind": "kinship", "places": 99, "pets": []string{"dragon"},
			"purposes": []string{"forever"}, "sexes": []string{"x"}}}}})
	f.want(r, 400)
	fields := map[string]bool{}
	for _, e := range r.problem(t).Errors {
		fields[e.Field] = true
	}
	// Every error names what the caller sent: the profile is flat (pets, not household.pets).
	for _, want := range []string{"additions[0].council", "additions[0].profile.kind", "additions[0].profile.places",
		"additions[0].profile.pets[0]", "additions[0].profile.purposes[0]", "additions[0].profile.sexes[0]"} {
		if !fields[want] {
			t.Errorf("what-if errors %v do not name %s", fields, want)
		}
	}
	r = f.do("admin", "POST", "/v1/sufficiency/plan", map[string]any{"profile": map[string]any{"places": 2}, "carers": 3, "verify": true})
	f.want(r, 200)
	var plan struct {
		Profile struct {
			Kind   string `json:"kind"`
			MaxAge int    `json:"max_age"`
		} `json:"profile"`
		Steps      []struct{ Step int } `json:"steps"`
		GapBefore  any                  `json:"gap_before"`
		Comparison *json.RawMessage     `json:"comparison"`
	}
	r.json(t, &plan)
	if plan.Profile.Kind != "council_foster" || plan.Profile.MaxAge != 17 || len(plan.Steps) == 0 || plan.Comparison == nil {
		t.Errorf("plan: %s", r.body)
	}
	f.want(f.do("commissioner", "POST", "/v1/sufficiency/plan", map[string]any{"carers": 0}), 400)
}

// TestDashboardSession: the sign-in form, the token exchanged for an HttpOnly SameSite=Strict
// cookie whose secret is refused as a bearer token, the dashboard behind it with a strict CSP,
// the refusals (another role, a wrong token, another site's form, sign-out without its token),
// sign-out revoking the session, and no token in the logs.
func TestDashboardSession(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	f := sqliteFixture(t)
	h, err := api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	r := f.page(t, "GET", "/dashboard", nil, nil)
	if r.status != 200 || !bytes.Contains(r.body, []byte(`action="/dashboard/session"`)) || !bytes.Contains(r.body, []byte(`type="password"`)) {
		t.Fatalf("sign-in page: %d %s", r.status, r.body)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script") {
		t.Errorf("CSP %q", csp)
	}
	cookie := f.dashboardSession(t, "commissioner")
	if strings.HasPrefix(cookie.Value, "pm_") || !strings.HasPrefix(cookie.Value, "pmd_") || cookie.Value == f.tokens["commissioner"] {
		t.Errorf("the cookie carries %q", cookie.Value[:4])
	}
	r = f.page(t, "GET", "/dashboard", cookie, nil)
	if r.status != 200 || bytes.Count(r.body, []byte(`class="council"`)) != 153 || !bytes.Contains(r.body, []byte(`<svg class="chart"`)) {
		t.Fatalf("dashboard: %d, %d councils on the map", r.status, bytes.Count(r.body, []byte(`class="council"`)))
	}
	for _, bad := range []string{"<script", "http://", "https://", "style="} {
		if bytes.Contains(r.body, []byte(bad)) {
			t.Errorf("the dashboard contains %q", bad)
		}
	}
	// The session's secret is not a bearer token.
	f.want(f.do(cookie.Value, "GET", "/v1/sufficiency", nil), 401)
	// A council's view, with its benchmark.
	r = f.page(t, "GET", "/dashboard?council=E08000003", cookie, nil)
	if !bytes.Contains(r.body, []byte(`id="benchmark"`)) {
		t.Error("a council's dashboard has no benchmark table")
	}
	// Refusals.
	for who, want := range map[string]int{"officer": 403, "provider": 403, "revoked": 401} {
		r := f.page(t, "POST", "/dashboard/session", nil, url.Values{"token": {f.tokens[who]}})
		if r.status != want || r.header.Get("Set-Cookie") != "" {
			t.Errorf("sign in as %s: %d (cookie %q), want %d", who, r.status, r.header.Get("Set-Cookie"), want)
		}
	}
	if r := f.page(t, "POST", "/dashboard/session", nil, url.Values{"token": {cookie.Value}}); r.status != 401 {
		t.Errorf("a session's own secret signed in: %d", r.status)
	}
	req := httptest.NewRequest("POST", "/dashboard/session", strings.NewReader(url.Values{"token": {f.tokens["commissioner"]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 403 || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("another site's form: %d", w.Code)
	}
	req.Header.Set("Origin", "null")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w = httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 403 || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("another site's form (Sec-Fetch-Site cross-site): %d", w.Code)
	}
	if r := f.page(t, "POST", "/dashboard/leave", cookie, url.Values{"csrf": {"forged"}}); r.status != 403 {
		t.Errorf("sign-out without its token: %d", r.status)
	}
	// Sign out: the session is revoked.
	page := f.page(t, "GET", "/dashboard", cookie, nil)
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindSubmatch(page.body)
	if m == nil {
		t.Fatal("no sign-out token on the dashboard")
	}
	if r := f.page(t, "POST", "/dashboard/leave", cookie, url.Values{"csrf": {string(m[1])}}); r.status != 303 {
		t.Fatalf("sign out: %d", r.status)
	}
	r = f.page(t, "GET", "/dashboard", cookie, nil)
	if !bytes.Contains(r.body, []byte("Your session has ended")) {
		t.Errorf("after signing out: %d %.200s", r.status, r.body)
	}
	for name, secret := range f.tokens {
		if bytes.Contains(logs.Bytes(), []byte(secret)) {
			t.Errorf("the %s token is in the logs", name)
		}
	}
	if bytes.Contains(logs.Bytes(), []byte(cookie.Value)) {
		t.Error("the session secret is in the logs")
	}
}
