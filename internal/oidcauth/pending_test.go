package oidcauth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
)

// TestPendingSeal: a sealed pending sign-in opens to itself until it expires, and not at all
// once any character of it is changed, or under another client secret's key.
func TestPendingSeal(t *testing.T) {
	t.Parallel()
	issuer := startProvider(t)
	start := time.Date(2030, 1, 31, 9, 0, 0, 0, time.UTC)
	clock := catalogue.NewManualClock(start)
	p, err := oidcauth.New(t.Context(), config(issuer, clientID), clock.Clock(), nil)
	if err != nil {
		t.Fatal(err)
	}
	otherCfg := config(issuer, clientID)
	otherCfg.ClientSecret = "another secret"
	other, err := oidcauth.New(t.Context(), otherCfg, clock.Clock(), nil)
	if err != nil {
		t.Fatal(err)
	}

	pending := p.NewPending()
	if pending.Expires != start.Add(oidcauth.PendingLifetime) {
		t.Errorf("expires %v, want %v", pending.Expires, start.Add(oidcauth.PendingLifetime))
	}
	seen := map[string]bool{}
	for range 50 { // fresh randomness each time
		n := p.NewPending()
		for _, v := range []string{n.State, n.Nonce, n.Verifier} {
			if len(v) < 26 || seen[v] {
				t.Fatalf("state, nonce and verifier must be long and fresh: %q", v)
			}
			seen[v] = true
		}
	}
	sealed := p.Seal(pending)
	if got, err := p.Open(sealed); err != nil || got != pending {
		t.Fatalf("Open(Seal(p)) = %+v, %v; want %+v", got, err, pending)
	}
	if _, err := other.Open(sealed); !errors.Is(err, oidcauth.ErrPending) {
		t.Errorf("opened under another secret's key: %v", err)
	}
	if _, err := other.Open(other.Seal(pending)); err != nil {
		t.Errorf("another instance with the same secret cannot open its own: %v", err)
	}
	for i := range len(sealed) {
		c := byte('A')
		if sealed[i] == 'A' {
			c = 'B'
		}
		tampered := sealed[:i] + string(c) + sealed[i+1:]
		if _, err := p.Open(tampered); !errors.Is(err, oidcauth.ErrPending) {
			t.Fatalf("character %d changed: opened (%v)", i, err)
		}
	}
	for _, v := range []string{"", ".", sealed + ".x", strings.ReplaceAll(sealed, ".", "")} {
		if _, err := p.Open(v); !errors.Is(err, oidcauth.ErrPending) {
			t.Errorf("Open(%q): %v", v, err)
		}
	}
	clock.Advance(oidcauth.PendingLifetime - time.Second)
	if _, err := p.Open(sealed); err != nil {
		t.Errorf("a second before it expires: %v", err)
	}
	clock.Advance(time.Second)
	if _, err := p.Open(sealed); !errors.Is(err, oidcauth.ErrPending) {
		t.Errorf("at its expiry: %v", err)
	}
}
