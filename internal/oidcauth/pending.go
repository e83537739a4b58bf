package oidcauth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// CookieName is the cookie the caller keeps a pending sign-in in, and PendingLifetime how
// long it lasts: the cookie should be HttpOnly, Secure (over https), SameSite=Lax (the
// provider sends the browser back by a top-level GET from another site), scoped to the
// callback's path, with this Max-Age, and cleared once the callback has read it.
const (
	CookieName      = "placematch_oidc"
	PendingLifetime = 10 * time.Minute
)

// Pending is a sign-in begun and not yet finished: the state the provider must send back,
// the nonce the ID token must carry and the PKCE verifier, until Expires. The browser carries
// it, sealed, between leaving for the provider and coming back; none of it is in a URL but
// state (and the challenge derived from the verifier).
type Pending struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"`
	Expires  time.Time `json:"e"`
}

// NewPending is a sign-in begun now: fresh random state and nonce, and a PKCE verifier.
func (p *Provider) NewPending() Pending {
	return Pending{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(),
		Expires: p.now().Add(PendingLifetime).Truncate(time.Second)}
}

// Seal is pending as a cookie value: its JSON and an HMAC-SHA256 of it, each in unpadded
// base64url, joined by a dot. The key is derived from the client secret, so every instance
// of the service reads what another sealed.
func (p *Provider) Seal(pending Pending) string {
	body, _ := json.Marshal(pending) // strings and a time: cannot fail
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(p.mac(payload))
}

// strictB64 decodes what Seal encodes and refuses any other spelling of the same bytes.
var strictB64 = base64.RawURLEncoding.Strict()

// Open checks a cookie value Seal made, with this provider's key, and that it has not expired
// by the service's clock. Anything else wraps ErrPending.
func (p *Provider) Open(value string) (Pending, error) {
	payload, sig, ok := strings.Cut(value, ".")
	if !ok {
		return Pending{}, fmt.Errorf("%w: no signature", ErrPending)
	}
	// Strict: the last character of a base64 string has bits no byte uses, and a value with them
	// changed must not open (a non-strict decoder gives the same bytes, and the MAC would pass).
	got, err := strictB64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, p.mac(payload)) {
		return Pending{}, fmt.Errorf("%w: bad signature", ErrPending)
	}
	body, err := strictB64.DecodeString(payload)
	if err != nil {
		return Pending{}, fmt.Errorf("%w: %w", ErrPending, err)
	}
	var pending Pending
	if err := json.Unmarshal(body, &pending); err != nil {
		return Pending{}, fmt.Errorf("%w: %w", ErrPending, err)
	}
	if !p.now().Before(pending.Expires) {
		return Pending{}, fmt.Errorf("%w: expired at %s", ErrPending, pending.Expires.Format(time.RFC3339))
	}
	return pending, nil
}

func (p *Provider) mac(payload string) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte("placematch-oidc-pending\x00" + payload))
	return m.Sum(nil)
}

// Cookie is the cookie that carries value (Seal's) from Begin to the callback: HttpOnly,
// Secure when the callback is https, SameSite=Lax (the provider sends the browser back by a
// top-level GET from another site, which Strict would strip it from), sent only to the
// callback's path, for PendingLifetime. An empty value is the cookie that clears it, to set
// once the callback has read it.
func (p *Provider) Cookie(value string) *http.Cookie {
	c := &http.Cookie{Name: CookieName, Value: value, Path: p.callbackPath, MaxAge: int(PendingLifetime / time.Second),
		HttpOnly: true, Secure: p.secureCookie, SameSite: http.SameSiteLaxMode}
	if value == "" {
		c.MaxAge = -1
	}
	return c
}

// Begin starts a sign-in: the URL to redirect the browser to, and the value of the cookie
// (CookieName) to set on the same response.
func (p *Provider) Begin() (authURL, cookie string) {
	pending := p.NewPending()
	return p.AuthURL(pending.State, pending.Nonce, pending.Verifier), p.Seal(pending)
}

// Finish ends a sign-in on the callback: cookie is the value Begin made (as the browser sent
// it back) and callback the callback's query. It opens the cookie, checks the state against
// it, and exchanges the code (see Exchange). Errors wrap ErrPending, ErrState, ErrProvider or
// one of Exchange's.
func (p *Provider) Finish(ctx context.Context, cookie string, callback url.Values) (Identity, error) {
	pending, err := p.Open(cookie)
	if err != nil {
		return Identity{}, err
	}
	state := callback.Get("state")
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(pending.State)) != 1 {
		return Identity{}, fmt.Errorf("%w: the callback's state is not the cookie's", ErrState)
	}
	if e := callback.Get("error"); e != "" {
		return Identity{}, fmt.Errorf("%w: the provider answered %q", ErrProvider, e)
	}
	code := callback.Get("code")
	if code == "" {
		return Identity{}, fmt.Errorf("%w: the callback has no code", ErrProvider)
	}
	return p.Exchange(ctx, code, pending.Verifier, pending.Nonce)
}
