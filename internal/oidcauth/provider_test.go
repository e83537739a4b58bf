package oidcauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
)

// TestSignIn drives the whole authorisation code flow against a real OpenID provider: a good
// sign-in yields the identity, and each way a sign-in can be wrong is refused with its own
// error, of kind forbidden, whose message a person may read.
func TestSignIn(t *testing.T) {
	t.Parallel()
	issuer := startProvider(t)

	// flow is what happens after the browser comes back: cookie is what Begin sealed, back
	// the callback's query.
	type flow struct {
		p       *oidcauth.Provider
		clock   *catalogue.ManualClock
		pending oidcauth.Pending
		cookie  string
		back    url.Values
	}
	finish := func(ctx context.Context, f flow) (oidcauth.Identity, error) {
		return f.p.Finish(ctx, f.cookie, f.back)
	}
	cases := []struct {
		name   string
		posing bool // the browser signs in for otherClient, and placematch redeems the code as it
		user   string
		finish func(context.Context, flow) (oidcauth.Identity, error)
		want   oidcauth.Identity
		err    error
		detail string // in the error, for the log
	}{
		{name: "a verified address in an allowed domain signs in", user: "alice",
			want: oidcauth.Identity{Issuer: issuer, Subject: "u-alice", Email: "alice@council.example.gov.uk", EmailVerified: true, Name: "Alice Example"}},
		{name: "wrong nonce", user: "alice", err: oidcauth.ErrNonce,
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				return f.p.Exchange(ctx, f.back.Get("code"), f.pending.Verifier, "a nonce of another sign-in")
			}},
		{name: "wrong PKCE verifier", user: "alice", err: oidcauth.ErrProvider,
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				return f.p.Exchange(ctx, f.back.Get("code"), "a-verifier-of-another-sign-in-that-is-long-enough-0123456789", f.pending.Nonce)
			}},
		{name: "wrong audience", posing: true, user: "alice", err: oidcauth.ErrToken, detail: "audience"},
		{name: "ID token expired by the service's clock", user: "alice", err: oidcauth.ErrExpired,
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				f.clock.Advance(time.Hour + time.Minute) // the example provider's tokens last an hour
				return f.p.Exchange(ctx, f.back.Get("code"), f.pending.Verifier, f.pending.Nonce)
			}},
		{name: "cookie older than its lifetime", user: "alice", err: oidcauth.ErrPending, detail: "expired",
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				f.clock.Advance(oidcauth.PendingLifetime)
				return f.p.Finish(ctx, f.cookie, f.back)
			}},
		{name: "tampered state cookie", user: "alice", err: oidcauth.ErrPending, detail: "signature",
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				forged := f.pending
				forged.Expires = forged.Expires.Add(24 * time.Hour)
				payload, _, _ := strings.Cut(f.p.Seal(forged), ".")
				_, sig, _ := strings.Cut(f.cookie, ".")
				return f.p.Finish(ctx, payload+"."+sig, f.back)
			}},
		{name: "no cookie", user: "alice", err: oidcauth.ErrPending,
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) { return f.p.Finish(ctx, "", f.back) }},
		{name: "state not the cookie's", user: "alice", err: oidcauth.ErrState,
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				f.back.Set("state", "a state of another sign-in")
				return f.p.Finish(ctx, f.cookie, f.back)
			}},
		{name: "the provider answers with an error", user: "alice", err: oidcauth.ErrProvider, detail: "access_denied",
			finish: func(ctx context.Context, f flow) (oidcauth.Identity, error) {
				return f.p.Finish(ctx, f.cookie, url.Values{"state": {f.back.Get("state")}, "error": {"access_denied"}})
			}},
		{name: "unverified address", user: "bob", err: oidcauth.ErrUnverifiedEmail},
		{name: "address in a domain not allowed", user: "carol", err: oidcauth.ErrDomain},
		{name: "a subdomain is another domain", user: "dan", err: oidcauth.ErrDomain},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			clock := providerClock(t, issuer)
			var hc *http.Client
			if tc.posing {
				hc = &http.Client{Transport: posingAs{otherClient, http.DefaultTransport}}
			}
			p, err := oidcauth.New(ctx, config(issuer, clientID), clock.Clock(), hc)
			if err != nil {
				t.Fatal(err)
			}
			f := flow{p: p, clock: clock, pending: p.NewPending()}
			f.cookie = p.Seal(f.pending)
			authURL := p.AuthURL(f.pending.State, f.pending.Nonce, f.pending.Verifier)
			if tc.posing {
				authURL = strings.Replace(authURL, "client_id="+clientID, "client_id="+otherClient, 1)
			}
			f.back = signIn(t, issuer, authURL, tc.user)
			end := tc.finish
			if end == nil {
				end = finish
			}
			got, err := end(ctx, f)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("sign-in refused: %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("identity (-want +got):\n%s", diff)
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("got %v, want %v", err, tc.err)
			}
			if catalogue.KindOf(err) != catalogue.KindForbidden || !strings.Contains(err.Error(), tc.detail) {
				t.Errorf("got %v (%s), want forbidden saying %q", err, catalogue.KindOf(err), tc.detail)
			}
			if got != (oidcauth.Identity{}) {
				t.Errorf("a refused sign-in returned an identity: %+v", got)
			}
		})
	}
}

// TestBeginSendsNothingSecretInTheURL: the URL Begin makes carries the state, the nonce and
// the PKCE challenge (S256), never the verifier; the cookie carries the verifier.
func TestBeginSendsNothingSecretInTheURL(t *testing.T) {
	t.Parallel()
	issuer := startProvider(t)
	clock := providerClock(t, issuer)
	p, err := oidcauth.New(t.Context(), config(issuer, clientID), clock.Clock(), nil)
	if err != nil {
		t.Fatal(err)
	}
	authURL, cookie := p.Begin()
	pending, err := p.Open(cookie)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for param, want := range map[string]string{"state": pending.State, "nonce": pending.Nonce,
		"code_challenge_method": "S256", "client_id": clientID, "redirect_uri": redirectURL, "response_type": "code"} {
		if q.Get(param) != want {
			t.Errorf("%s = %q, want %q", param, q.Get(param), want)
		}
	}
	if q.Get("code_challenge") == "" || strings.Contains(authURL, pending.Verifier) {
		t.Errorf("the URL must carry the challenge, never the verifier: %s", authURL)
	}
	if !strings.HasPrefix(authURL, issuer+"/") {
		t.Errorf("the URL is not the provider's: %s", authURL)
	}
	c := p.Cookie(cookie)
	if c.Name != oidcauth.CookieName || c.Value != cookie || c.Path != "/signin/oidc/callback" || !c.HttpOnly ||
		c.SameSite != http.SameSiteLaxMode || c.MaxAge != 600 || c.Secure {
		t.Errorf("the pending sign-in's cookie: %+v", c)
	}
	if gone := p.Cookie(""); gone.MaxAge >= 0 || gone.Path != c.Path {
		t.Errorf("the cookie that clears it: %+v", gone)
	}
	https := config(issuer, clientID)
	https.RedirectURL = "https://placematch.example.gov.uk/signin/oidc/callback"
	if ph, err := oidcauth.New(t.Context(), https, clock.Clock(), nil); err != nil || !ph.Cookie("x").Secure {
		t.Errorf("behind an https callback the cookie must be Secure (%v)", err)
	}
	// and the flow Begin starts finishes
	if id, err := p.Finish(t.Context(), cookie, signIn(t, issuer, authURL, "alice")); err != nil || id.Subject != "u-alice" {
		t.Errorf("Finish after Begin: %+v, %v", id, err)
	}
}

// TestNewRefusesAnotherIssuer: discovery must name the configured issuer exactly.
func TestNewRefusesAnotherIssuer(t *testing.T) {
	t.Parallel()
	issuer := startProvider(t)
	other := strings.Replace(issuer, "127.0.0.1", "localhost", 1)
	if _, err := oidcauth.New(t.Context(), config(other, clientID), catalogue.FixedClock(time.Time{}), nil); err == nil || !strings.Contains(err.Error(), "issuer") {
		t.Errorf("a provider discovered under another issuer: %v", err)
	}
}
