package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
	"github.com/placematch/placematch/internal/oidcauth/oidctest"
	"github.com/placematch/placematch/internal/passwd"
)

// A real OpenID provider (zitadel's pkg/op with its example storage and login page, as
// internal/oidcauth's tests start it) that the service signs people in through, end to end.

const (
	oidcClient   = "placematch"
	oidcSecret   = "s3cret-for-tests"
	oidcPassword = "correct horse battery staple"
	oidcDomain   = "council.example.gov.uk"
)

// oidcPeople are the people at the provider, by user name.
var oidcPeople = oidctest.Users{
	"alice": {ID: "u-alice", Username: "alice", Password: oidcPassword, FirstName: "Alice", LastName: "Example",
		Email: "Alice@Council.Example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
	// another person at the provider who now holds Alice's address
	"alice2": {ID: "u-alice-2", Username: "alice2", Password: oidcPassword, FirstName: "Alice", LastName: "Other",
		Email: "alice@council.example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
	"nobody": {ID: "u-nobody", Username: "nobody", Password: oidcPassword, FirstName: "No", LastName: "Account",
		Email: "nobody@council.example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
}

// TestOIDCSignIn signs people in through a real OpenID provider as a browser does, from the
// sign-in page's button to a workspace session: the first sign-in records the identity on the
// account, the next is let in by it, another identity with the same address is refused, and an
// address with no account is refused; none of the refusals makes a session.
func TestOIDCSignIn(t *testing.T) {
	t.Parallel()
	f, _ := personFixture(t)
	ctx := context.Background()
	acct, err := f.store.CreateAccount(ctx, catalogue.Account{Name: "Alice Example", Email: "alice@council.example.gov.uk",
		Role: catalogue.RoleOfficer, Council: manchester, PasswordHash: passwd.Hash("an unused password of alice")})
	if err != nil {
		t.Fatal(err)
	}

	// the service, whose handler is made once the provider knows its callback
	var handler http.Handler
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(app.Close)
	callback := app.URL + "/signin/oidc/callback"

	issuer := oidctest.Start(t, oidcPeople, storage.WebClient(oidcClient, oidcSecret, callback))
	// the ID tokens are dated by the provider's clock: the sign-in's clock starts there
	at := oidctest.Now(t, issuer)
	prov, err := oidcauth.New(ctx, oidcauth.Config{Issuer: issuer, ClientID: oidcClient, ClientSecret: oidcSecret,
		RedirectURL: callback, AllowedDomains: []string{oidcDomain}}, catalogue.FixedClock(at), nil)
	if err != nil {
		t.Fatal(err)
	}
	handler, err = api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, OIDC: prov})
	if err != nil {
		t.Fatal(err)
	}

	// signIn is a browser that opens the sign-in page, follows its button to the provider,
	// signs in there as user and is sent back: the page it ends on.
	signIn := func(t *testing.T, user string) (int, string, string) {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar}
		page := getPage(t, browser, app.URL+"/sign-in")
		if !strings.Contains(page, `href="/signin/oidc"`) || !strings.Contains(page, "Sign in with your council's account") {
			t.Fatalf("the sign-in page has no button to sign in with the council's account")
		}
		resp, err := browser.Get(app.URL + "/signin/oidc")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/login/username" {
			t.Fatalf("not at the provider's login page: %d at %s", resp.StatusCode, resp.Request.URL)
		}
		form := url.Values{"username": {user}, "password": {oidcPassword}, "id": {resp.Request.URL.Query().Get("authRequestID")}}
		resp, err = browser.PostForm(issuer+"/login/username", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		u, _ := url.Parse(app.URL)
		session := ""
		for _, c := range jar.Cookies(u) {
			if c.Name == "placematch_session" {
				session = c.Value
			}
			if c.Name == oidcauth.CookieName {
				t.Errorf("the pending sign-in's cookie was not cleared")
			}
		}
		return resp.StatusCode, resp.Request.URL.Path + " " + string(b), session
	}

	steps := []struct {
		user       string
		status     int
		page, says string // where the browser ends, and what the page says
		session    bool
	}{
		{"alice", http.StatusOK, "/workspace", "Alice Example", true},
		{"alice", http.StatusOK, "/workspace", "Alice Example", true},
		{"alice2", http.StatusForbidden, "/signin/oidc/callback", "This account is linked to another sign-in: ask your administrator.", false},
		{"nobody", http.StatusForbidden, "/signin/oidc/callback", "There is no placematch account with your e-mail address", false},
	}
	for i, st := range steps {
		status, page, session := signIn(t, st.user)
		if status != st.status || !strings.HasPrefix(page, st.page+" ") || !strings.Contains(page, st.says) || (session != "") != st.session {
			t.Errorf("step %d (%s): %d at %.40q, session %t; want %d at %s saying %q, session %t", i, st.user, status, page, session != "", st.status, st.page, st.says, st.session)
		}
		if strings.Contains(page, "code=") || strings.Contains(page, "alice@") {
			t.Errorf("step %d (%s): the page repeats the callback's query or the address", i, st.user)
		}
	}
	got, err := f.store.AccountByEmail(ctx, acct.Email)
	if err != nil || got.OIDCIssuer != issuer || got.OIDCSubject != "u-alice" {
		t.Errorf("alice's account is linked to %q %q (%v), want the provider and u-alice", got.OIDCIssuer, got.OIDCSubject, err)
	}
	log, err := f.store.ListAudit(ctx, catalogue.AuditFilter{Subject: "account:" + acct.ID.String()})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log.Items {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "create,link-oidc,sign-in,sign-in" {
		t.Errorf("alice's audit: %v, want create, link-oidc and two sign-ins", actions)
	}
}

// TestOIDCNotConfigured: without an identity provider, the sign-in page has no button and its
// routes are not found.
func TestOIDCNotConfigured(t *testing.T) {
	t.Parallel()
	f, _ := personFixture(t)
	if r := f.browse(browserCall{method: http.MethodGet, path: "/sign-in"}); r.status != http.StatusOK || strings.Contains(string(r.body), "/signin/oidc") {
		t.Errorf("sign-in page: %d, with a button to an identity provider that is not configured", r.status)
	}
	for _, p := range []string{"/signin/oidc", "/signin/oidc/callback?code=x&state=y"} {
		if r := f.browse(browserCall{method: http.MethodGet, path: p}); r.status != http.StatusNotFound || !strings.Contains(string(r.body), "<html") {
			t.Errorf("%s: %d, want a 404 page: %.300s", p, r.status, r.body)
		}
	}
}

func getPage(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}
