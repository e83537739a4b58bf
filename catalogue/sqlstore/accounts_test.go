package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// argon is a well-formed argon2id PHC string: the store keeps the hash it is given.
const argon = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

func TestAccounts(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		officer := catalogue.Account{Name: "Priya Shah", Email: "priya.shah@birmingham.example.gov.uk", Role: catalogue.RoleOfficer,
			Council: birmingham, PasswordHash: argon}
		a := must[catalogue.Account](t)(s.CreateAccount(ctx, officer))
		if a.ID == 0 || a.Token == 0 || !a.CreatedAt.Equal(s.Now().UTC().Truncate(time.Microsecond)) {
			t.Fatalf("created %+v: want an ID, a token of its own and the store's time", a)
		}
		got := must[catalogue.Account](t)(s.AccountByEmail(ctx, "  Priya.Shah@Birmingham.example.gov.uk "))
		if got.ID != a.ID || got.Token != a.Token || got.PasswordHash != argon || got.Council != birmingham || got.Name != "Priya Shah" {
			t.Errorf("by e-mail: %+v, want %+v", got, a)
		}
		_, err := s.AccountByEmail(ctx, "nobody@example.org")
		wantErr(t, err, catalogue.ErrNotFound)

		// The same address in another case is the same address.
		dup := officer
		dup.Email = "PRIYA.SHAH@birmingham.example.gov.uk"
		_, err = s.CreateAccount(ctx, dup)
		wantErr(t, err, catalogue.ErrConflict)

		bad := []struct {
			name  string
			edit  func(*catalogue.Account)
			field string
		}{
			{"officer without a council", func(a *catalogue.Account) { a.Council = "" }, "council"},
			{"no name", func(a *catalogue.Account) { a.Name = " " }, "name"},
			{"not an address", func(a *catalogue.Account) { a.Email = "priya" }, "email"},
			{"a plain password", func(a *catalogue.Account) { a.PasswordHash = "secret123456" }, "password"},
			{"manager without a level", func(a *catalogue.Account) { a.Role = catalogue.RoleManager }, "level"},
			{"provider that does not exist", func(a *catalogue.Account) {
				a.Role, a.Council, a.Provider = catalogue.RoleProvider, "", 999999
			}, "provider"},
		}
		for _, c := range bad {
			b := officer
			b.Email = "other@example.org"
			c.edit(&b)
			_, err := s.CreateAccount(ctx, b)
			wantErr(t, err, catalogue.ErrInvalid)
			if fe := catalogue.FieldErrors(err); len(fe) == 0 || fe[0].Field != c.field {
				t.Errorf("%s: fields %v, want %s", c.name, fe, c.field)
			}
		}
		if all := must[[]catalogue.Account](t)(s.ListAccounts(ctx)); len(all) != 1 {
			t.Errorf("%d accounts after refused ones, want 1", len(all))
		}

		// A region's commissioner: the region is kept on the account and its token.
		regional := must[catalogue.Account](t)(s.CreateAccount(ctx, catalogue.Account{Name: "Sam Okoro", Email: "sam.okoro@nw.example.gov.uk",
			Role: catalogue.RoleCommissioner, Region: "E12000002", PasswordHash: argon}))
		if got := must[catalogue.Account](t)(s.Account(ctx, regional.ID)); got.Region != "E12000002" || got.Principal().Region != "E12000002" {
			t.Errorf("the regional commissioner's account reads back as %+v", got)
		}
		for _, c := range []struct {
			name string
			a    catalogue.Account
		}{
			{"a region and a council", catalogue.Account{Role: catalogue.RoleCommissioner, Region: "E12000002", Council: birmingham}},
			{"an officer with a region", catalogue.Account{Role: catalogue.RoleOfficer, Region: "E12000002", Council: birmingham}},
			{"not a region", catalogue.Account{Role: catalogue.RoleCommissioner, Region: "E12000010"}},
		} {
			b := c.a
			b.Name, b.Email, b.PasswordHash = "X", "x@example.org", argon
			_, err := s.CreateAccount(ctx, b)
			if fe := catalogue.FieldErrors(err); len(fe) == 0 || fe[0].Field != "region" {
				t.Errorf("%s: %v, want the field region", c.name, err)
			}
		}

		// Sessions: only the hash is kept; touching restarts the idle time; deleting ends it.
		as := catalogue.WithActor(ctx, catalogue.Actor{Token: a.Token, Account: a.ID, Name: a.Name, Role: a.Role})
		now := s.Now().UTC().Truncate(time.Microsecond)
		hash := hashOf("session-of-priya")
		se := must[catalogue.Session](t)(s.CreateSession(as, catalogue.Session{Account: a.ID, Hash: hash, CreatedAt: now, LastSeenAt: now,
			ExpiresAt: now.Add(12 * time.Hour)}))
		_, err = s.CreateSession(as, catalogue.Session{Account: a.ID + 99, Hash: hashOf("x"), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
		wantErr(t, err, catalogue.ErrNotFound)
		gs, ga, err := s.SessionByHash(ctx, hash)
		if err != nil || gs.ID != se.ID || ga.ID != a.ID || !gs.Live(now.Add(29*time.Minute), 30*time.Minute) || gs.Live(now.Add(31*time.Minute), 30*time.Minute) {
			t.Fatalf("session by hash: %+v %+v %v", gs, ga, err)
		}
		if err := s.TouchSession(ctx, se.ID, now.Add(20*time.Minute)); err != nil {
			t.Fatal(err)
		}
		gs, _, _ = s.SessionByHash(ctx, hash)
		if !gs.Live(now.Add(45*time.Minute), 30*time.Minute) || gs.Live(now.Add(12*time.Hour), time.Hour*24) {
			t.Errorf("after a touch at +20m: %+v; want live at +45m, never past its absolute expiry", gs)
		}
		if err := s.DeleteSession(as, se.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SessionByHash(ctx, hash)
		wantErr(t, err, catalogue.ErrNotFound)
		wantErr(t, s.TouchSession(ctx, se.ID, now), catalogue.ErrNotFound)
		if err := s.DeleteSession(as, se.ID); err != nil {
			t.Errorf("deleting an ended session: %v", err)
		}

		// The audit log names the person: sign-in and sign-out with their account and name.
		log := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "account:" + a.ID.String()}))
		var actions []string
		for _, e := range log.Items {
			actions = append(actions, e.Action)
			if e.Action != "create" && (e.Account != a.ID || e.Name != "Priya Shah" || e.Actor != a.Token) {
				t.Errorf("audit %s names %d %q (token %d), want the account and its name", e.Action, e.Account, e.Name, e.Actor)
			}
		}
		if len(actions) != 3 || actions[0] != "create" || actions[1] != "sign-in" || actions[2] != "sign-out" {
			t.Errorf("audit actions %v, want create, sign-in, sign-out", actions)
		}
		must[any](t)(nil, s.AppendAudit(as, catalogue.AuditEntry{Action: "read", Subject: "child:1"}))
		read := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:1"}))
		if len(read.Items) != 1 || read.Items[0].Account != a.ID || read.Items[0].Name != "Priya Shah" {
			t.Errorf("a read's audit: %+v, want the account named", read.Items)
		}
	})
}
