package oidcauth

import (
	"cmp"
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/placematch/placematch/catalogue"
)

// Why a sign-in is refused. Each is a forbidden Error whose message a person may read;
// Exchange and Finish wrap one with the cause, for the log.
var (
	// ErrPending: the value the browser carried back is missing, altered, signed by another
	// key or too old: the sign-in was not begun here, or took too long.
	ErrPending error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "this sign-in was not started here or took too long: please sign in again"}
	// ErrState: the provider sent the browser back with a state other than the one the sign-in
	// began with (a forged or crossed callback).
	ErrState error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "this sign-in does not match the one you started: please sign in again"}
	// ErrProvider: the identity provider did not sign the person in (they cancelled, or it
	// refused the code).
	ErrProvider error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "your organisation's sign-in service did not sign you in: please try again"}
	// ErrToken: the ID token is missing, or its signature, issuer or audience is wrong.
	ErrToken error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "your organisation's sign-in service sent an identity placematch cannot trust"}
	// ErrExpired: the ID token has expired by the service's clock.
	ErrExpired error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "your sign-in has expired: please sign in again"}
	// ErrNonce: the ID token was not issued for this sign-in (a replayed token).
	ErrNonce error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "your organisation's sign-in service sent an identity for another sign-in: please sign in again"}
	// ErrUnverifiedEmail: the provider does not say the e-mail address is verified.
	ErrUnverifiedEmail error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "your organisation's sign-in service has not verified your e-mail address"}
	// ErrDomain: the e-mail address is missing or outside the domains this provider may
	// speak for.
	ErrDomain error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "your e-mail address is not one this sign-in service may vouch for"}
)

// Identity is a person as the identity provider vouches for them, after every check.
type Identity struct {
	Issuer, Subject string // who they are, for good: recorded on the account (see Match)
	Email           string // in lower case, in an allowed domain
	EmailVerified   bool   // always true in an Identity Exchange returns
	Name            string // as the provider gives it; may be empty
}

// Provider is one identity provider, discovered: it makes the URL a browser is sent to and
// turns the code it comes back with into a verified Identity.
type Provider struct {
	cfg      Config
	oauth    oauth2.Config
	oidc     *oidc.Provider
	verifier *oidc.IDTokenVerifier
	client   *http.Client
	now      catalogue.Clock
	key      []byte // signs pending sign-ins

	callbackPath string // the pending sign-in's cookie goes only here
	secureCookie bool   // the callback is https
}

// New discovers the provider at cfg.Issuer (its discovery document must name the same
// issuer) and returns it, checking ID tokens' expiry by now. client makes every request to the
// provider; nil: one with a 10-second timeout.
func New(ctx context.Context, cfg Config, now catalogue.Clock, client *http.Client) (*Provider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	op, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidcauth: discovering %s: %w", cfg.Issuer, err)
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	now = now.OrWall()
	key, err := hkdf.Key(sha256.New, []byte(cfg.ClientSecret), nil, "placematch oidc pending sign-in", 32)
	if err != nil {
		return nil, fmt.Errorf("oidcauth: deriving the signing key: %w", err)
	}
	callback, err := url.Parse(cfg.RedirectURL) // Validate parsed it
	if err != nil {
		return nil, err
	}
	return &Provider{
		cfg: cfg,
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: op.Endpoint(), Scopes: scopes,
		},
		oidc:     op,
		verifier: op.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: now}),
		client:   client,
		now:      now,
		key:      key,

		callbackPath: cmp.Or(callback.Path, "/"),
		secureCookie: callback.Scheme == "https",
	}, nil
}

// AuthURL is where to send the browser to sign in: the provider's authorisation endpoint with
// state, the nonce the ID token must carry, and the PKCE challenge (S256) of verifier.
func (p *Provider) AuthURL(state, nonce, verifier string) string {
	return p.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// Exchange turns the code the browser came back with into an Identity: it redeems the code
// with the PKCE verifier, checks the ID token's signature, issuer, audience and expiry (by the
// injected clock) and its nonce, takes the e-mail address from the token or, when the token
// has none, from the provider's userinfo endpoint for the same subject, and refuses an
// address the provider has not verified or outside the allowed domains. Its errors wrap
// ErrProvider, ErrToken, ErrExpired, ErrNonce, ErrUnverifiedEmail or ErrDomain.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (Identity, error) {
	ctx = oidc.ClientContext(ctx, p.client)
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: redeeming the code: %w", ErrProvider, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, fmt.Errorf("%w: the token response has no ID token", ErrToken)
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if _, expired := errors.AsType[*oidc.TokenExpiredError](err); expired {
		return Identity{}, fmt.Errorf("%w: %w", ErrExpired, err)
	} else if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return Identity{}, fmt.Errorf("%w: the ID token's nonce is not this sign-in's", ErrNonce)
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		return Identity{}, fmt.Errorf("%w: reading the ID token's claims: %w", ErrToken, err)
	}
	if c.Email == "" {
		if c, err = p.userInfo(ctx, tok, idt.Subject); err != nil {
			return Identity{}, err
		}
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: strings.ToLower(c.Email),
		EmailVerified: bool(c.EmailVerified), Name: c.Name}
	if !id.EmailVerified {
		return Identity{}, fmt.Errorf("%w: email_verified is not true", ErrUnverifiedEmail)
	}
	if !p.allowed(id.Email) {
		return Identity{}, fmt.Errorf("%w: the address's domain is not in %s", ErrDomain, EnvAllowedDomains)
	}
	return id, nil
}

// claims are the ID token's (or userinfo's) claims placematch reads beyond the subject.
type claims struct {
	Email         string    `json:"email"`
	EmailVerified claimBool `json:"email_verified"`
	Name          string    `json:"name"`
}

// claimBool is a boolean claim that some providers send as the string "true".
type claimBool bool

func (b *claimBool) UnmarshalJSON(data []byte) error {
	*b = claimBool(string(data) == "true" || string(data) == `"true"`)
	return nil
}

// userInfo reads the claims from the provider's userinfo endpoint, which must speak of the
// ID token's subject (OpenID Connect Core 1.0, section 5.3.2).
func (p *Provider) userInfo(ctx context.Context, tok *oauth2.Token, subject string) (claims, error) {
	ui, err := p.oidc.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return claims{}, fmt.Errorf("%w: asking the userinfo endpoint: %w", ErrToken, err)
	}
	if ui.Subject != subject {
		return claims{}, fmt.Errorf("%w: userinfo speaks of another subject", ErrToken)
	}
	var c claims
	if err := ui.Claims(&c); err != nil {
		return claims{}, fmt.Errorf("%w: reading userinfo's claims: %w", ErrToken, err)
	}
	return c, nil
}

// allowed reports whether email, in lower case, is in one of the allowed domains (exactly:
// a subdomain is another domain).
func (p *Provider) allowed(email string) bool {
	at := strings.LastIndexByte(email, '@')
	return at > 0 && slices.Contains(p.cfg.AllowedDomains, email[at+1:])
}
