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

// TestAdministratorSharesCarers: the form adds a council to council agreement as the API does;
// each mistake is the form again (400) with the error summary linking to the field, nothing
// written; the list shows the agreement in force, and its button ends it today.
func TestAdministratorSharesCarers(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	secret := f.sessions["admin"]
	post := func(path string, u url.Values) response {
		return f.browse(browserCall{method: http.MethodPost, path: path, cookie: &http.Cookie{Name: "placematch_session", Value: secret},
			form: u, csrf: api.WorkspaceCSRF(secret)})
	}
	day := f.today
	good := url.Values{"name": {"Manchester and Leeds"}, "owner": {string(manchester)}, "receiver": {string(leeds)},
		"from": {"1"}, "from-month": {"1"}, "from-year": {"2020"}, "note": {"Minute 12 of the regional board."}}
	with := func(k, v string) url.Values {
		u := url.Values{}
		for key, vs := range good {
			u[key] = vs
		}
		u.Set(k, v)
		return u
	}
	count := func() int {
		page, err := f.store.ListSharingAgreements(context.Background(), catalogue.SharingFilter{Limit: catalogue.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	before := count()
	for _, m := range []struct {
		name, field string
		form        url.Values
	}{
		{"no owner", "owner", with("owner", "")},
		{"no receiver", "receiver", with("receiver", "")},
		{"a date that is not one", "from", with("from-month", "13")},
		{"a year that is not one", "from", with("from-year", "twenty")},
		{"the same council twice", "owner", with("receiver", string(manchester))},
		{"no name", "name", with("name", "")},
	} {
		r := post("/workspace/admin/sharing", m.form)
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, `href="#`+m.field+`"`) || !strings.Contains(body, `id="`+m.field+`-error"`) {
			t.Errorf("%s: %d, want 400 with the error summary linking to #%s: %.1500s", m.name, r.status, m.field, body)
		}
		if n := count(); n != before {
			t.Errorf("%s: %d agreements, want %d (nothing written)", m.name, n, before)
		}
	}
	if r := post("/workspace/admin/sharing", good); r.status != http.StatusSeeOther || r.header.Get("Location") != "/workspace/admin/sharing?added=1" {
		t.Fatalf("a right agreement: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	page, err := f.store.ListSharingAgreements(context.Background(), catalogue.SharingFilter{InForce: day, Limit: catalogue.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var made catalogue.SharingAgreement
	for _, a := range page.Items {
		if a.Name == "Manchester and Leeds" {
			made = a
		}
	}
	if made.ID == 0 || made.Members[0] != manchester || made.Members[1] != leeds || made.OneWay {
		t.Fatalf("the agreement made: %+v", made)
	}
	list := f.do("~admin", "GET", "/workspace/admin/sharing?added=1", nil)
	if !strings.Contains(string(list.body), "Manchester and Leeds") || !strings.Contains(string(list.body), "/workspace/admin/sharing/"+made.ID.String()+"/end") {
		t.Fatalf("the list does not show the agreement with its button to end it")
	}
	r := post("/workspace/admin/sharing/"+made.ID.String()+"/end", url.Values{"version": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("ending it: %d: %s", r.status, r.body)
	}
	got, err := f.store.SharingAgreement(context.Background(), made.ID)
	if err != nil || !got.To.Equal(day) {
		t.Errorf("after ending it: last day %v (%v), want today %v", got.To, err, day)
	}
}
