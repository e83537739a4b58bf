package oidcauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
	"github.com/placematch/placematch/internal/oidcauth/oidctest"
)

// A real OpenID provider for the tests: zitadel's OP (github.com/zitadel/oidc/v3 pkg/op) with
// its example in-memory storage and login page, on httptest, with the people and clients below.

const (
	clientID      = "placematch"
	clientSecret  = "s3cret-for-tests"
	otherClient   = "another-service" // another client of the provider
	redirectURL   = "http://localhost:8080/signin/oidc/callback"
	password      = "correct horse battery staple"
	allowedDomain = "council.example.gov.uk"
)

// people at the provider: user name to user.
var people = oidctest.Users{
	"alice": {ID: "u-alice", Username: "alice", Password: password, FirstName: "Alice", LastName: "Example",
		Email: "Alice@Council.Example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
	"bob": {ID: "u-bob", Username: "bob", Password: password, FirstName: "Bob", LastName: "Unverified",
		Email: "bob@council.example.gov.uk", EmailVerified: false, PreferredLanguage: language.English},
	"carol": {ID: "u-carol", Username: "carol", Password: password, FirstName: "Carol", LastName: "Elsewhere",
		Email: "carol@mail.example.com", EmailVerified: true, PreferredLanguage: language.English},
	"dan": {ID: "u-dan", Username: "dan", Password: password, FirstName: "Dan", LastName: "Subdomain",
		Email: "dan@evil.council.example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
}

// posingAs is an HTTP transport that presents another client's credentials (with the same
// secret) at the provider's token endpoint: placematch, mixed up with another client, is
// handed an ID token issued to that client.
type posingAs struct {
	client string
	next   http.RoundTripper
}

func (p posingAs) RoundTrip(r *http.Request) (*http.Response, error) {
	if _, _, ok := r.BasicAuth(); ok {
		r = r.Clone(r.Context())
		r.SetBasicAuth(url.QueryEscape(p.client), url.QueryEscape(clientSecret))
	}
	return p.next.RoundTrip(r)
}

// startProvider starts the OpenID provider with placematch and another client, and returns its
// issuer URL.
func startProvider(t *testing.T) string {
	t.Helper()
	return oidctest.Start(t, people, storage.WebClient(clientID, clientSecret, redirectURL),
		storage.WebClient(otherClient, clientSecret, redirectURL))
}

// providerClock is a clock set to the provider's own time (oidctest.Now), a second before it:
// the tests move the service's clock on from there, whatever today's date.
func providerClock(t *testing.T, issuer string) *catalogue.ManualClock {
	t.Helper()
	return catalogue.NewManualClock(oidctest.Now(t, issuer).Add(-time.Second)) // the header is rounded down to the second
}

// config is placematch's configuration for the provider at issuer.
func config(issuer, client string) oidcauth.Config {
	return oidcauth.Config{Issuer: issuer, ClientID: client, ClientSecret: clientSecret,
		RedirectURL: redirectURL, AllowedDomains: []string{allowedDomain}}
}

// signIn is a browser signing in: it follows authURL to the provider's login page, signs in
// there as user, and follows the provider's redirects until it is sent back to placematch's
// callback, whose query it returns.
func signIn(t *testing.T, issuer, authURL, user string) url.Values {
	t.Helper()
	browser := &http.Client{CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), redirectURL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/login/username" {
		t.Fatalf("the provider did not show its login page: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	form := url.Values{"username": {user}, "password": {password}, "id": {resp.Request.URL.Query().Get("authRequestID")}}
	resp, err = browser.PostForm(issuer+"/login/username", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), redirectURL) {
		t.Fatalf("the provider did not send the browser back: %d to %v (%v)", resp.StatusCode, back, err)
	}
	return back.Query()
}
