package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestOverridePage: the fixture's home rated inadequate is the one home Amy's search leaves out
// for its rating alone; the manager's page lists it in a form only the director may use (a
// nominated officer is told so and a post of theirs is refused); the director's mistakes (no
// home, no reason, a reason too long, a home not rated inadequate) are the page again (400,
// the error summary linking to the field, nothing written); with a home and a reason the
// override is recorded as the JSON route records it, listed on the page with its reason, and
// the home leaves the form. The child's record links to the page for managers only.
func TestOverridePage(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.changePlace(func(p *catalogue.Placement) { p.Ofsted = catalogue.OfstedInadequate })
	as := func(who string) (*http.Cookie, string) {
		secret := f.sessions[who]
		return &http.Cookie{Name: "placematch_session", Value: secret}, api.WorkspaceCSRF(secret)
	}
	path := "/workspace/children/" + id(f.amy.ID) + "/inadequate-overrides"
	ck, csrf := as("manager")
	record := f.browse(browserCall{method: "GET", path: "/workspace/children/" + id(f.amy.ID), cookie: ck})
	if !strings.Contains(string(record.body), `href="`+path+`"`) {
		t.Errorf("the child's record does not link a manager to the overrides")
	}
	ock, _ := as("officer")
	if r := f.browse(browserCall{method: "GET", path: "/workspace/children/" + id(f.amy.ID), cookie: ock}); strings.Contains(string(r.body), path) {
		t.Errorf("the child's record links an officer to the overrides")
	}

	page := f.browse(browserCall{method: "GET", path: path, cookie: ck})
	body := string(page.body)
	if page.status != 200 || !strings.Contains(body, `name="placement" type="radio" value="`+f.place.ID.String()+`"`) ||
		!strings.Contains(body, "No rating has been overridden") {
		t.Fatalf("the page: %d without the inadequate home in its form", page.status)
	}
	nck, ncsrf := as("nominatedOfficer")
	if r := f.browse(browserCall{method: "GET", path: path, cookie: nck}); r.status != 200 || strings.Contains(string(r.body), `<form method="post" action="`+path) ||
		!strings.Contains(string(r.body), "Only the director") {
		t.Errorf("a nominated officer's page: %d, with the form or without saying who may override", r.status)
	}
	const reason = "The only registered home able to keep her safe; the alternative is unregistered."
	home := f.place.ID.String()
	if r := f.browse(browserCall{method: "POST", path: path, cookie: nck, csrf: ncsrf, form: url.Values{"placement": {home}, "reason": {reason}}}); r.status != 403 {
		t.Errorf("a nominated officer's override: %d, want 403", r.status)
	}
	good := f.place
	good.ID, good.Vacancies, good.Ofsted, good.Version = 0, nil, catalogue.OfstedGood, 0
	other, err := f.store.CreatePlacement(context.Background(), catalogue.Everything, good)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no home", url.Values{"reason": {reason}}, "placement"},
		{"no reason", url.Values{"placement": {home}}, "reason"},
		{"a reason too long", url.Values{"placement": {home}, "reason": {strings.Repeat("x", catalogue.MaxReasonLen+1)}}, "reason"},
		{"a home not rated inadequate", url.Values{"placement": {other.ID.String()}, "reason": {reason}}, "placement"},
	} {
		r := f.browse(browserCall{method: "POST", path: path, cookie: ck, csrf: csrf, form: tc.form})
		if r.status != 400 || !strings.Contains(string(r.body), `href="#`+tc.field+`"`) || !strings.Contains(string(r.body), `id="`+tc.field+`-error"`) {
			t.Errorf("%s: %d without the error summary linking to %s", tc.name, r.status, tc.field)
		}
	}
	if r := f.browse(browserCall{method: "POST", path: path, cookie: ck, form: url.Values{"placement": {home}, "reason": {reason}}}); r.status != 403 {
		t.Errorf("without the form's csrf token: %d, want 403", r.status)
	}
	ovs, err := f.store.InadequateOverrides(context.Background(), catalogue.Everything, f.amy.ID)
	if err != nil || len(ovs) != 0 {
		t.Fatalf("refused posts wrote %d overrides (%v)", len(ovs), err)
	}

	ok := f.browse(browserCall{method: "POST", path: path, cookie: ck, csrf: csrf, form: url.Values{"placement": {home}, "reason": {reason}}})
	if ok.status != 303 || ok.header.Get("Location") != path+"?given=1" {
		t.Fatalf("overriding: %d to %q: %s", ok.status, ok.header.Get("Location"), ok.body)
	}
	ovs, err = f.store.InadequateOverrides(context.Background(), catalogue.Everything, f.amy.ID)
	if err != nil || len(ovs) != 1 || ovs[0].Placement != f.place.ID || ovs[0].Reason != reason || ovs[0].ByLevel != catalogue.LevelDirector {
		t.Fatalf("overrides %+v (%v)", ovs, err)
	}
	after := string(f.browse(browserCall{method: "GET", path: path + "?given=1", cookie: ck}).body)
	if !strings.Contains(after, "Overridden.") || !strings.Contains(after, "the director of children") ||
		strings.Contains(after, `name="placement" type="radio" value="`+home+`"`) {
		t.Errorf("the page after the override does not list it, or still offers the home")
	}
}
