// Package oidcauth signs people in with a council's own identity provider by OpenID Connect:
// the authorisation code flow with PKCE (S256) and a nonce, the ID token checked for its
// signature, issuer, audience and expiry by the service's one clock, and the e-mail address
// accepted only when the provider says it is verified and its domain is one the council allows.
//
// It proves who a person is and nothing more: the identity provider never grants a role. The
// caller signs the identity in as the placematch account whose e-mail address matches (made by
// an administrator with its role and scope), recording the identity's issuer and subject on the
// first sign-in and requiring them after (Match). What the browser carries between leaving for
// the provider and coming back (state, nonce, PKCE verifier) is a short-lived value signed
// with HMAC that this package makes (Begin) and checks (Finish); the caller sets it as a cookie.
// See docs/oidc.md.
package oidcauth
