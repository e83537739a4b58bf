package oidcauth_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
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
var people = map[string]*storage.User{
	"alice": {ID: "u-alice", Username: "alice", Password: password, FirstName: "Alice", LastName: "Example",
		Email: "Alice@Council.Example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
	"bob": {ID: "u-bob", Username: "bob", Password: password, FirstName: "Bob", LastName: "Unverified",
		Email: "bob@council.example.gov.uk", EmailVerified: false, PreferredLanguage: language.English},
	"carol": {ID: "u-carol", Username: "carol", Password: password, FirstName: "Carol", LastName: "Elsewhere",
		Email: "carol@mail.example.com", EmailVerified: true, PreferredLanguage: language.English},
	"dan": {ID: "u-dan", Username: "dan", Password: password, FirstName: "Dan", LastName: "Subdomain",
		Email: "dan@evil.council.example.gov.uk", EmailVerified: true, PreferredLanguage: language.English},
}

// userStore is the example storage's store of people.
type userStore map[string]*storage.User

func (u userStore) GetUserByUsername(name string) *storage.User { return u[name] }
func (u userStore) ExampleClientID() string                     { return "service" }
func (u userStore) GetUserByID(id string) *storage.User {
	for _, p := range u {
		if p.ID == id {
			return p
		}
	}
	return nil
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

// startProvider starts the OpenID provider and returns its issuer URL.
func startProvider(t *testing.T) string {
	t.Helper()
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	clients := map[string]*storage.Client{
		clientID:    storage.WebClient(clientID, clientSecret, redirectURL),
		otherClient: storage.WebClient(otherClient, clientSecret, redirectURL),
	}
	// the example provider logs every request through the default logger: quiet here
	handler = exampleop.SetupServer(srv.URL, storage.NewStorageWithClients(userStore(people), clients), slog.New(slog.DiscardHandler), false)
	return srv.URL
}

// providerClock is a clock set to the provider's own time, read from the Date header of its
// discovery document: the tokens it issues are dated by its clock, and the tests move the
// service's clock on from there, whatever today's date.
func providerClock(t *testing.T, issuer string) *catalogue.ManualClock {
	t.Helper()
	resp, err := http.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	at, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		t.Fatalf("the provider's Date header: %v", err)
	}
	return catalogue.NewManualClock(at.Add(-time.Second)) // the header is rounded down to the second
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
