package api_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
)

// TestSufficiencyPage: a council's commissioner signed in starts at their council: the headline
// figures, the map of its region's councils framed on it (each council filled, withheld figures
// said in words in the table beside it, with the key), the CSV of the same view, which the
// session downloads; England and a region are a link away; a bad region is a 400 page naming it.
func TestSufficiencyPage(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	const email, password = "cat.commissioner@manchester.example.gov.uk", "correct horse battery staple"
	if _, err := f.store.CreateAccount(context.Background(), catalogue.Account{Name: "Cat Commissioner", Email: email, Role: catalogue.RoleCommissioner,
		Council: manchester, PasswordHash: passwd.Hash(password)}); err != nil {
		t.Fatal(err)
	}
	ck := sessionCookie(t, f.browse(browserCall{method: "POST", path: "/sign-in", form: signInForm(email, password)}))
	get := func(path string) response {
		t.Helper()
		return f.browse(browserCall{method: "GET", path: path, cookie: ck})
	}
	page := get("/workspace/sufficiency")
	body := string(page.body)
	if page.status != 200 || !strings.Contains(body, `<h1 class="govuk-heading-l">Manchester</h1>`) {
		t.Fatalf("the page: %d, not Manchester's", page.status)
	}
	for _, want := range []string{`role="img" aria-labelledby="gap-map-title gap-map-desc"`, "Short of two real choices, by council", "withheld (small numbers)",
		`data-council="E08000003"`, `data-council="E08000001"`, `href="/v1/sufficiency?council=E08000003&amp;format=csv"`, `href="?england=true"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(body, `data-council="E10000016"`) { // Kent
		t.Error("a council's map draws a council far outside its frame")
	}
	// Every council of the North West is in the table, with a figure or "withheld" in words.
	mc, _ := catalogue.CouncilByCode(manchester)
	want := 0
	for _, c := range catalogue.Councils() {
		if c.RegionCode == mc.RegionCode {
			want++
		}
	}
	if n := len(regexp.MustCompile(`data-label="Council"`).FindAllString(body, -1)); n != want {
		t.Errorf("%d councils in the map's table, want the North West's %d", n, want)
	}
	csv := get("/v1/sufficiency?council=E08000003&format=csv")
	if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
		t.Errorf("the CSV link: %d %s", csv.status, csv.header.Get("Content-Type"))
	}
	if e := get("/workspace/sufficiency?england=true"); e.status != 200 || !strings.Contains(string(e.body), `<h1 class="govuk-heading-l">England</h1>`) {
		t.Errorf("England: %d", e.status)
	}
	// What-if and the planner as forms: a mistake is the form again, naming the field.
	secret := ck.Value
	post := func(path string, form url.Values) response {
		t.Helper()
		return f.browse(browserCall{method: "POST", path: path, cookie: ck, csrf: api.WorkspaceCSRF(secret), form: form})
	}
	forms := []struct {
		name, path string
		form       url.Values
		status     int
		want       string
	}{
		{"a what-if", "/workspace/sufficiency/what-if", url.Values{"council": {"E08000003"}, "count": {"2"}, "kind": {"council_foster"}, "places": {"2"}}, 200, "Added: 2 council foster in Manchester: 4 places"},
		{"a what-if of no council", "/workspace/sufficiency/what-if", url.Values{"council": {""}, "count": {"2"}, "kind": {"council_foster"}, "places": {"2"}}, 400, `href="#council"`},
		{"a what-if of too many", "/workspace/sufficiency/what-if", url.Values{"council": {"E08000003"}, "count": {"500"}, "kind": {"council_foster"}, "places": {"1"}}, 400, `href="#count"`},
		{"a what-if of no kind", "/workspace/sufficiency/what-if", url.Values{"council": {"E08000003"}, "count": {"1"}, "places": {"1"}}, 400, `href="#kind"`},
		{"a plan", "/workspace/sufficiency/plan", url.Values{"carers": {"2"}, "kind": {"agency_foster"}, "places": {"1"}}, 200, "Children short of two real choices:"},
		{"a plan of ages backwards", "/workspace/sufficiency/plan", url.Values{"carers": {"2"}, "kind": {"agency_foster"}, "places": {"1"}, "min_age": {"15"}, "max_age": {"3"}}, 400, "govuk-error-summary"},
		{"a plan of no carers", "/workspace/sufficiency/plan", url.Values{"carers": {"0"}, "kind": {"agency_foster"}, "places": {"1"}}, 400, `href="#carers"`},
	}
	for _, tt := range forms {
		r := post(tt.path, tt.form)
		if r.status != tt.status || !strings.Contains(string(r.body), tt.want) {
			t.Errorf("%s: %d without %q, want %d", tt.name, r.status, tt.want, tt.status)
		}
	}
	if r := f.browse(browserCall{method: "POST", path: "/workspace/sufficiency/plan", cookie: ck, form: url.Values{"carers": {"2"}}}); r.status != 403 {
		t.Errorf("a plan without the form's csrf token: %d, want 403", r.status)
	}

	bad := get("/workspace/sufficiency?region=E99")
	if bad.status != 400 || !strings.Contains(string(bad.body), "region") || bad.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("a bad region: %d %s", bad.status, bad.header.Get("Content-Type"))
	}
}

// TestSufficiencyInBrowser is the commissioner's journey with the keyboard only: sign in, open
// the sufficiency page from the start page, go to England from the table; each page axe-core
// clean and without sideways scrolling at 320px.
func TestSufficiencyInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	j := signIn(t, f, catalogue.Account{Name: "Cat Commissioner", Email: "cat.commissioner@manchester.example.gov.uk", Role: catalogue.RoleCommissioner,
		Council: manchester})
	ctx := j.ctx
	j.press(`main a[href="/workspace/sufficiency"]`)
	if j.h1() != "Manchester" || !j.shows("Where need outstrips supply") {
		t.Fatalf("the sufficiency page: h1 %q", j.h1())
	}
	j.check("the sufficiency page of a council")
	j.press(`main a[href="?england=true"]`)
	if j.h1() != "England" {
		t.Fatalf("England: h1 %q", j.h1())
	}
	j.check("the sufficiency page of England")

	j.press(`main a[href="/workspace/sufficiency/what-if"]`)
	j.check("the what-if form")
	j.press(`main button[type=submit]`) // Manchester, council foster carers, one with one place
	if !j.shows("What changes") || !j.shows("Added: 1 council foster in Manchester") {
		t.Fatalf("the what-if: h1 %q without its answer", j.h1())
	}
	j.check("the what-if's answer")
	j.press(`main a.govuk-back-link`)
	j.press(`main a[href="/workspace/sufficiency/plan"]`)
	do(t, ctx, "clear the carers", chromedp.Evaluate[chromedp.Void](`document.querySelector("#carers").value = ""; undefined`))
	j.typeIn("#carers", "x")
	j.press(`main button[type=submit]`)
	if !eval[bool](t, ctx, `!!document.querySelector(".govuk-error-summary a[href='#carers']")`) {
		t.Fatal("the planner with no number: no error summary linking to the field")
	}
	j.check("the planner with a mistake")
	do(t, ctx, "clear the carers", chromedp.Evaluate[chromedp.Void](`document.querySelector("#carers").value = ""; undefined`))
	j.typeIn("#carers", "3")
	j.press(`main button[type=submit]`)
	if !j.shows("Children short of two real choices:") {
		t.Fatalf("the plan: h1 %q without its answer", j.h1())
	}
	j.check("the plan")
}
