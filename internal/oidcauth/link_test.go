package oidcauth_test

import (
	"errors"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
)

// TestMatch: an identity signs in only as the account with its address; the first sign-in
// records its issuer and subject, and later ones must bring the same.
func TestMatch(t *testing.T) {
	t.Parallel()
	alice := oidcauth.Identity{Issuer: "https://login.example.gov.uk", Subject: "u-1", Email: "alice@example.gov.uk", EmailVerified: true}
	linked := oidcauth.Link{Issuer: alice.Issuer, Subject: alice.Subject}
	cases := []struct {
		name  string
		email string
		link  oidcauth.Link
		id    oidcauth.Identity
		want  oidcauth.Link
		err   error
	}{
		{"first sign-in records the link", "alice@example.gov.uk", oidcauth.Link{}, alice, linked, nil},
		{"address in another case", "Alice@Example.gov.uk", oidcauth.Link{}, alice, linked, nil},
		{"later sign-in with the same link", "alice@example.gov.uk", linked, alice, linked, nil},
		{"another subject at the same provider", "alice@example.gov.uk", oidcauth.Link{Issuer: alice.Issuer, Subject: "u-2"}, alice, oidcauth.Link{}, oidcauth.ErrLinked},
		{"the same subject at another provider", "alice@example.gov.uk", oidcauth.Link{Issuer: "https://other.example.org", Subject: "u-1"}, alice, oidcauth.Link{}, oidcauth.ErrLinked},
		{"another address", "bob@example.gov.uk", oidcauth.Link{}, alice, oidcauth.Link{}, catalogue.ErrNotFound},
		{"no address", "", oidcauth.Link{}, oidcauth.Identity{Issuer: alice.Issuer, Subject: "u-1"}, oidcauth.Link{}, catalogue.ErrNotFound},
		{"no subject", "alice@example.gov.uk", oidcauth.Link{}, oidcauth.Identity{Issuer: alice.Issuer, Email: alice.Email}, oidcauth.Link{}, oidcauth.ErrLinked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := oidcauth.Match(tc.email, tc.link, tc.id)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("link = %+v, want %+v", got, tc.want)
			}
		})
	}
}
