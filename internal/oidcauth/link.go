package oidcauth

import (
	"fmt"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Link is the identity an account has signed in with: the issuer and subject recorded on its
// first sign-in by OpenID Connect; the zero Link when it has never signed in so.
type Link struct {
	Issuer, Subject string
}

// ErrLinked: the account matched by e-mail address is linked to another identity (the address
// has passed to someone else at the provider, or an identity claims an address not its own).
var ErrLinked error = &catalogue.Error{Kind: catalogue.KindForbidden, Msg: "this account is linked to another sign-in: ask your administrator"}

// Match decides whether id may sign in as the account with address email that has recorded
// link. The identity provider proves who a person is, never what they may do: an identity
// signs in only as an account an administrator made, with its role and scope, whose address
// is the identity's (in any case). On the account's first sign-in by OpenID Connect (link is
// zero), Match returns the link to record, in the same transaction as the session; after
// that the identity's issuer and subject must be the recorded ones. A mismatch of address
// wraps catalogue.ErrNotFound (no such account), of link ErrLinked.
func Match(email string, link Link, id Identity) (Link, error) {
	if id.Email == "" || !strings.EqualFold(email, id.Email) {
		return Link{}, fmt.Errorf("no account has this identity's address: %w", catalogue.ErrNotFound)
	}
	got := Link{Issuer: id.Issuer, Subject: id.Subject}
	if got.Issuer == "" || got.Subject == "" {
		return Link{}, fmt.Errorf("%w: the identity has no issuer or subject", ErrLinked)
	}
	if link != (Link{}) && link != got {
		return Link{}, fmt.Errorf("%w: recorded issuer or subject differs", ErrLinked)
	}
	return got, nil
}
