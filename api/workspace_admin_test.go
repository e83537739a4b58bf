package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
)

var shownPassword = regexp.MustCompile(`<code id="secret"[^>]*>([A-Z2-7]{26})</code>`)

// TestAdministratorManagesAccounts: each mistake in a new account is the form again (400) with
// the error summary linking to the field, nothing written; a right one shows its generated
// password once, with which the person signs in; a reset shows another and the old one stops
// working; disabling ends the person's session and stops their sign-in; an administrator cannot
// disable their own account.
func TestAdministratorManagesAccounts(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	secret := f.sessions["admin"]
	cookie := &http.Cookie{Name: "placematch_session", Value: secret}
	post := func(path string, form url.Values) response {
		return f.browse(browserCall{method: http.MethodPost, path: path, cookie: cookie, form: form, csrf: api.WorkspaceCSRF(secret)})
	}
	count := func() int {
		all, err := f.store.ListAccounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	before := count()
	good := url.Values{"name": {"Nia Officer"}, "email": {"Nia.Officer@Manchester.example.gov.uk"}, "role": {"officer"}, "council": {string(manchester)},
		"level": {"director"}, "provider": {f.provider.ID.String()}} // the level and provider are not an officer's: ignored
	with := func(k, v string) url.Values {
		u := url.Values{}
		for key, vs := range good {
			u[key] = vs
		}
		u.Set(k, v)
		return u
	}
	for _, m := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no role", with("role", ""), "role"},
		{"an officer without a council", with("council", ""), "council"},
		{"a manager without a level", with("level", ""), "level"},
		{"a provider without one", with("provider", ""), "provider"},
		{"no name", with("name", " "), "name"},
		{"not an address", with("email", "nia"), "email"},
	} {
		if m.name == "a manager without a level" {
			m.form.Set("role", "manager")
		}
		if m.name == "a provider without one" {
			m.form.Set("role", "provider")
		}
		r := post("/workspace/admin/accounts", m.form)
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, `href="#`+m.field+`"`) || !strings.Contains(body, `id="`+m.field+`-error"`) {
			t.Errorf("%s: %d, want 400 with the error summary linking to #%s: %.1500s", m.name, r.status, m.field, body)
		}
		if n := count(); n != before {
			t.Errorf("%s: %d accounts, want %d (nothing written)", m.name, n, before)
		}
	}

	r := post("/workspace/admin/accounts", good)
	m := shownPassword.FindSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("adding an account: %d without the password shown: %s", r.status, r.body)
	}
	password := string(m[1])
	if r := post("/workspace/admin/accounts", good); r.status != 400 || !strings.Contains(string(r.body), "already exists") {
		t.Errorf("the same address again: %d", r.status)
	}
	nia, err := f.store.AccountByEmail(t.Context(), "nia.officer@manchester.example.gov.uk")
	if err != nil || nia.Council != manchester || nia.Level != "" || nia.Provider != 0 {
		t.Fatalf("the account made: %+v %v", nia, err)
	}

	signIn := func(pw string) (int, *http.Cookie) {
		r := f.browse(browserCall{method: http.MethodPost, path: "/sign-in", ip: "192.0.2.77", form: signInForm(nia.Email, pw)})
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == "placematch_session" && c.Value != "" {
				return r.status, c
			}
		}
		return r.status, nil
	}
	st, session := signIn(password)
	if st != http.StatusSeeOther || session == nil {
		t.Fatalf("signing in with the password shown: %d", st)
	}

	page := fmt.Sprintf("/workspace/admin/accounts/%d", nia.ID)
	r = post(page+"/password", url.Values{})
	m = shownPassword.FindSubmatch(r.body)
	if r.status != 200 || m == nil || string(m[1]) == password {
		t.Fatalf("resetting the password: %d, want a new one shown", r.status)
	}
	if st, _ := signIn(password); st != http.StatusUnauthorized {
		t.Errorf("the old password after a reset: %d, want 401", st)
	}
	if r := f.browse(browserCall{method: http.MethodGet, path: "/workspace", cookie: session}); r.status != http.StatusSeeOther {
		t.Errorf("the session begun before the reset: %d, want 303 to sign in", r.status)
	}
	st, session = signIn(string(m[1]))
	if st != http.StatusSeeOther {
		t.Fatalf("signing in with the new password: %d", st)
	}

	r = post(page+"/disable", url.Values{})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != page+"?disabled=1" {
		t.Fatalf("disabling: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := f.browse(browserCall{method: http.MethodGet, path: "/workspace", cookie: session}); r.status != http.StatusSeeOther {
		t.Errorf("a disabled account's session: %d, want 303 to sign in", r.status)
	}
	if st, _ := signIn(string(m[1])); st != http.StatusForbidden {
		t.Errorf("a disabled account signing in: %d, want 403", st)
	}
	if r := f.do("~admin", "GET", page+"?disabled=1", nil); !strings.Contains(string(r.body), "Disabled") || strings.Contains(string(r.body), "/disable\"") {
		t.Errorf("the disabled account's page: still offers to disable it, or does not say it is disabled")
	}

	// Not one's own account.
	own, err := f.store.AccountByEmail(t.Context(), adminEmail(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if r := post(fmt.Sprintf("/workspace/admin/accounts/%d/disable", own.ID), url.Values{}); r.status != 400 {
		t.Errorf("disabling one's own account: %d, want 400", r.status)
	}
}

// adminEmail is the address of the fixture's administrator's account.
func adminEmail(t *testing.T, f *fixture) string {
	t.Helper()
	all, err := f.store.ListAccounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.Role == "admin" {
			return a.Email
		}
	}
	t.Fatal("the fixture has no administrator's account")
	return ""
}
