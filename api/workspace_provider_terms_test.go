package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestProviderChangesTerms: the home's page changes its kind, approval and weekly cost as PUT
// /v1/placements/{id} would, and refuses what it would: a kind the provider does not own
// (kinship, the council's) is the page again naming the kind (403); a number that is none, an
// approval that cannot be (the oldest younger than the youngest) or a negative cost is the page
// again naming its control (400); a stale version is a conflict; another provider's home is not
// found; nothing is written by any of them. Then the change is saved with a banner.
func TestProviderChangesTerms(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	secret := f.sessions["provider"]
	post := func(path string, form url.Values) response {
		return f.browse(browserCall{method: http.MethodPost, path: path, cookie: &http.Cookie{Name: "placematch_session", Value: secret},
			form: form, csrf: api.WorkspaceCSRF(secret)})
	}
	cur, err := f.store.Placement(context.Background(), catalogue.Everything, f.place.ID)
	if err != nil {
		t.Fatal(err)
	}
	home := fmt.Sprintf("/workspace/homes/%d", f.place.ID)
	terms := func(change func(url.Values)) url.Values {
		v := url.Values{"version": {strconv.Itoa(cur.Version)}, "kind": {string(cur.Kind)}, "min_age": {strconv.Itoa(cur.Approval.MinAge)},
			"max_age": {strconv.Itoa(cur.Approval.MaxAge)}, "max_children": {strconv.Itoa(cur.Approval.MaxChildren)}, "cost": {strconv.Itoa(cur.WeeklyCost)}}
		change(v)
		return v
	}
	page := string(f.browse(browserCall{method: http.MethodGet, path: home, cookie: &http.Cookie{Name: "placematch_session", Value: secret}}).body)
	if !strings.Contains(page, `action="`+home+`/terms"`) {
		t.Fatal("the home's page has no form for its kind, approval and cost")
	}
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		status int
		link   string
	}{
		{"making it kinship", func(v url.Values) { v.Set("kind", string(catalogue.Kinship)) }, 403, "#kind"},
		{"an age that is no number", func(v url.Values) { v.Set("min_age", "ten") }, 400, "#min_age"},
		{"the oldest younger than the youngest", func(v url.Values) { v.Set("min_age", "12"); v.Set("max_age", "8") }, 400, ""},
		{"a negative cost", func(v url.Values) { v.Set("cost", "-5") }, 400, "#cost"},
		{"a stale version", func(v url.Values) { v.Set("version", strconv.Itoa(cur.Version+3)) }, 409, ""},
	} {
		r := post(home+"/terms", terms(tc.change))
		if r.status != tc.status || !strings.Contains(string(r.body), "govuk-error-summary") || (tc.link != "" && !strings.Contains(string(r.body), `href="`+tc.link+`"`)) {
			t.Errorf("%s: %d, want %d with the error summary linking to %q", tc.name, r.status, tc.status, tc.link)
		}
	}
	if r := post(fmt.Sprintf("/workspace/homes/%d/terms", f.other.ID), terms(func(url.Values) {})); r.status != 404 {
		t.Errorf("another provider's home: %d, want 404", r.status)
	}
	if after, _ := f.store.Placement(context.Background(), catalogue.Everything, f.place.ID); after.Version != cur.Version {
		t.Fatalf("refused forms changed the home: version %d, want %d", after.Version, cur.Version)
	}
	r := post(home+"/terms", terms(func(v url.Values) { v.Set("cost", "975"); v.Set("max_age", "17") }))
	if r.status != 303 || r.header.Get("Location") != home+"?saved=terms" {
		t.Fatalf("saving the terms: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	after, err := f.store.Placement(context.Background(), catalogue.Everything, f.place.ID)
	if err != nil || after.WeeklyCost != 975 || after.Approval.MaxAge != 17 || after.Kind != cur.Kind || after.Version == cur.Version {
		t.Fatalf("after saving: cost %d, max age %d, kind %s (%v)", after.WeeklyCost, after.Approval.MaxAge, after.Kind, err)
	}
}

// TestProviderAddsAHome: the provider's homes page links to the form to add a home; the form's
// mistakes are the form again with the error summary linking to each control at fault, nothing
// written: nothing typed (the name, the council, the purposes), a place that is no number, a
// family home without a carer, and a kinship home, which is the council's to record (403 naming
// the kind); then the home is added as POST /v1/placements adds it, for the provider, and its
// page says so. An administrator's homes page has no such link (they add homes through the API).
func TestProviderAddsAHome(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ck := &http.Cookie{Name: "placematch_session", Value: f.sessions["provider"]}
	csrf := api.WorkspaceCSRF(f.sessions["provider"])
	if list := string(f.browse(browserCall{method: http.MethodGet, path: "/workspace/homes", cookie: ck}).body); !strings.Contains(list, `href="/workspace/homes/new"`) {
		t.Fatal("the provider's homes page has no link to add a home")
	}
	if list := string(f.browse(browserCall{method: http.MethodGet, path: "/workspace/homes", cookie: &http.Cookie{Name: "placematch_session", Value: f.sessions["admin"]}}).body); strings.Contains(list, `href="/workspace/homes/new"`) {
		t.Error("an administrator's homes page links to the provider's form")
	}
	good := func(change func(url.Values)) url.Values {
		v := url.Values{"name": {"The Okafor household"}, "kind": {string(catalogue.AgencyFoster)}, "council": {string(manchester)},
			"area_name": {"Chorlton"}, "lat": {"53.44"}, "lng": {"-2.27"}, "min_age": {"5"}, "max_age": {"17"}, "max_children": {"2"},
			"purposes": {"short_term", "long_term"}, "carer": {"Ngozi"}, "cost": {"850"},
			"from-day": {"1"}, "from-month": {"3"}, "from-year": {"2025"}, "until-day": {"1"}, "until-month": {"3"}, "until-year": {"2099"}}
		change(v)
		return v
	}
	count := func() int {
		page, err := f.store.ListPlacements(context.Background(), catalogue.Everything, catalogue.PlacementFilter{Provider: f.provider.ID, Limit: catalogue.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	before := count()
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		links  []string
	}{
		{"nothing typed", url.Values{"kind": {string(catalogue.AgencyFoster)}, "min_age": {"0"}, "max_age": {"17"}, "max_children": {"1"}, "cost": {"0"}, "lat": {"53"}, "lng": {"-2"}},
			400, []string{"#name", "#council", "#purposes", "#carer"}},
		{"places that are no number", good(func(v url.Values) { v.Set("max_children", "two") }), 400, []string{"#max_children"}},
		{"a latitude that is no number", good(func(v url.Values) { v.Set("lat", "north") }), 400, []string{"#lat"}},
		{"a family home without a carer", good(func(v url.Values) { v.Del("carer") }), 400, []string{"#carer"}},
		{"an approval on no real day", good(func(v url.Values) { v.Set("from-day", "31"); v.Set("from-month", "2") }), 400, []string{"#from"}},
		{"a kinship home", good(func(v url.Values) { v.Set("kind", string(catalogue.Kinship)) }), 403, []string{"#kind"}},
	} {
		r := f.browse(browserCall{method: http.MethodPost, path: "/workspace/homes", cookie: ck, csrf: csrf, form: tc.form})
		for _, l := range tc.links {
			if r.status != tc.status || !strings.Contains(string(r.body), `href="`+l+`"`) {
				t.Errorf("%s: %d, want %d with the error summary linking to %s", tc.name, r.status, tc.status, l)
			}
		}
	}
	if n := count(); n != before {
		t.Fatalf("mistakes added %d homes", n-before)
	}
	r := f.browse(browserCall{method: http.MethodPost, path: "/workspace/homes", cookie: ck, csrf: csrf, form: good(func(url.Values) {})})
	if r.status != 303 || !strings.HasSuffix(r.header.Get("Location"), "?saved=added") {
		t.Fatalf("adding the home: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	page := f.browse(browserCall{method: http.MethodGet, path: r.header.Get("Location"), cookie: ck})
	if page.status != 200 || !strings.Contains(string(page.body), "The home is added.") || !strings.Contains(string(page.body), "The Okafor household") {
		t.Fatalf("the new home's page: %d", page.status)
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d homes added, want 1", n-before)
	}
}
