package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestLinkedSessions: the first sign-in by OpenID Connect records the identity on the account in
// the session's transaction (audited); later ones must bring the same identity; one identity
// links one account; a refused sign-in writes nothing.
func TestLinkedSessions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mk := func(name, email string) catalogue.Account {
			return must[catalogue.Account](t)(s.CreateAccount(ctx, catalogue.Account{Name: name, Email: email,
				Role: catalogue.RoleOfficer, Council: birmingham, PasswordHash: argon}))
		}
		a, b := mk("Priya Shah", "priya@birmingham.example.gov.uk"), mk("Tom Ng", "tom@birmingham.example.gov.uk")
		now := s.Now().UTC().Truncate(time.Microsecond)
		n := 0
		session := func(acc catalogue.AccountID) catalogue.Session {
			n++
			return catalogue.Session{Account: acc, Hash: hashOf("oidc-session-" + string(rune('a'+n))), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		}
		const iss = "https://login.example.gov.uk"
		steps := []struct {
			name             string
			acc              catalogue.AccountID
			issuer, subject  string
			err              error
			wantIss, wantSub string // a's link after the step
		}{
			{"first sign-in links", a.ID, iss, "sub-priya", nil, iss, "sub-priya"},
			{"the same identity again", a.ID, iss, "sub-priya", nil, iss, "sub-priya"},
			{"another subject is refused", a.ID, iss, "sub-mallory", catalogue.ErrForbidden, iss, "sub-priya"},
			{"another issuer is refused", a.ID, "https://other.example", "sub-priya", catalogue.ErrForbidden, iss, "sub-priya"},
			{"an identity already linked to another account", b.ID, iss, "sub-priya", catalogue.ErrConflict, iss, "sub-priya"},
			{"no subject", b.ID, iss, "", catalogue.ErrInvalid, iss, "sub-priya"},
			{"no such account", b.ID + 99, iss, "sub-x", catalogue.ErrNotFound, iss, "sub-priya"},
		}
		for _, st := range steps {
			se, err := s.CreateLinkedSession(ctx, session(st.acc), st.issuer, st.subject)
			if st.err != nil {
				wantErr(t, err, st.err)
				if se.ID != 0 {
					t.Errorf("%s: a refused sign-in made session %d", st.name, se.ID)
				}
			} else if err != nil || se.ID == 0 {
				t.Fatalf("%s: %+v %v", st.name, se, err)
			}
			got := must[catalogue.Account](t)(s.AccountByEmail(ctx, a.Email))
			if got.OIDCIssuer != st.wantIss || got.OIDCSubject != st.wantSub {
				t.Errorf("%s: a is linked to %q %q, want %q %q", st.name, got.OIDCIssuer, got.OIDCSubject, st.wantIss, st.wantSub)
			}
		}
		if got := must[catalogue.Account](t)(s.AccountByEmail(ctx, b.Email)); got.OIDCIssuer != "" || got.OIDCSubject != "" {
			t.Errorf("b linked to %q %q after refusals, want nothing", got.OIDCIssuer, got.OIDCSubject)
		}
		log := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "account:" + a.ID.String()}))
		var actions []string
		for _, e := range log.Items {
			actions = append(actions, e.Action)
		}
		want := []string{"create", "link-oidc", "sign-in", "sign-in"}
		if len(actions) != len(want) || actions[1] != want[1] || actions[3] != want[3] {
			t.Errorf("audit of a: %v, want %v", actions, want)
		}
	})
}
