package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestAccountAdministration: an administrator disables an account (its sessions end, it starts
// no more) and resets a password (its sessions end, the new hash is kept), each audited; an
// account that does not exist is not found, and a hash that is not one is refused.
func TestAccountAdministration(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mk := func(email string) catalogue.Account {
			return must[catalogue.Account](t)(s.CreateAccount(ctx, catalogue.Account{Name: "Someone", Email: email,
				Role: catalogue.RoleOfficer, Council: birmingham, PasswordHash: argon}))
		}
		now := s.Now().UTC().Truncate(time.Microsecond)
		n := 0
		signIn := func(a catalogue.Account) (catalogue.Session, error) {
			n++
			return s.CreateSession(ctx, catalogue.Session{Account: a.ID, Hash: hashOf("admin-test-" + string(rune('a'+n))),
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
		}
		live := func(se catalogue.Session) bool {
			_, _, err := s.SessionByHash(ctx, se.Hash)
			return err == nil
		}

		a, b := mk("a@birmingham.example.gov.uk"), mk("b@birmingham.example.gov.uk")
		sa := must[catalogue.Session](t)(signIn(a))
		sb := must[catalogue.Session](t)(signIn(b))

		got := must[catalogue.Account](t)(s.DisableAccount(ctx, a.ID))
		if !got.Disabled() || live(sa) || !live(sb) {
			t.Errorf("after disabling a: disabled %t, a's session live %t, b's live %t; want true, false, true", got.Disabled(), live(sa), live(sb))
		}
		_, err := signIn(a)
		wantErr(t, err, catalogue.ErrForbidden)
		again := must[catalogue.Account](t)(s.DisableAccount(ctx, a.ID))
		if !again.DisabledAt.Equal(got.DisabledAt) {
			t.Errorf("disabling twice moved the time: %v then %v", got.DisabledAt, again.DisabledAt)
		}
		if read := must[catalogue.Account](t)(s.Account(ctx, a.ID)); !read.Disabled() {
			t.Errorf("a read back is not disabled")
		}

		const other = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYWx0$b3RoZXJoYXNob3RoZXJoYXNob3RoZXJoYXNob3RoZXI"
		reset := must[catalogue.Account](t)(s.SetPassword(ctx, b.ID, other))
		if reset.PasswordHash != other || live(sb) {
			t.Errorf("after a reset: hash %q, b's session live %t", reset.PasswordHash, live(sb))
		}
		if read := must[catalogue.Account](t)(s.AccountByEmail(ctx, b.Email)); read.PasswordHash != other || read.Disabled() {
			t.Errorf("b read back: %+v", read)
		}

		for _, c := range []struct {
			name string
			err  error
			run  func() error
		}{
			{"disable nobody", catalogue.ErrNotFound, func() error { _, err := s.DisableAccount(ctx, b.ID+99); return err }},
			{"reset nobody", catalogue.ErrNotFound, func() error { _, err := s.SetPassword(ctx, b.ID+99, other); return err }},
			{"a plain password", catalogue.ErrInvalid, func() error { _, err := s.SetPassword(ctx, b.ID, "hunter2hunter2"); return err }},
			{"read nobody", catalogue.ErrNotFound, func() error { _, err := s.Account(ctx, b.ID+99); return err }},
		} {
			wantErr(t, c.run(), c.err)
		}

		for acc, want := range map[catalogue.AccountID][]string{a.ID: {"create", "sign-in", "disable"}, b.ID: {"create", "sign-in", "reset-password"}} {
			log := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "account:" + acc.String()}))
			var got []string
			for _, e := range log.Items {
				got = append(got, e.Action)
			}
			if len(got) != len(want) || got[2] != want[2] {
				t.Errorf("account %d's audit: %v, want %v", acc, got, want)
			}
		}
	})
}
