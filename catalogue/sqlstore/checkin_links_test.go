package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// placed starts the child's current placement in home, so that they have something to check in
// about.
func placed(t *testing.T, s *sqlstore.Store, child catalogue.ChildID, home catalogue.PlacementID) {
	t.Helper()
	must[catalogue.Episode](t)(s.StartPlacement(officerCtx(3), everything, catalogue.Episode{Child: child, Start: day(2026, 6, 1), Placement: home}))
}

// soon is an hour from now on the store's clock.
func soon(s *sqlstore.Store) time.Time { return s.Now().Add(time.Hour) }

// TestCheckInLinks: a check-in link is for the child's council's officers to make, stored
// hashed, opened once (also under a race) for a session that is the child's, expires, is
// revoked, and is replaced by a fresher one; every change is audited.
func TestCheckInLinks(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		child := w.child

		// Nothing to check in about before a placement; nobody outside the council; no token
		// or an expiry in the past is refused.
		_, err := s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("early"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrConflict)
		placed(t, s, child.ID, w.homes[0].ID)
		_, err = s.SendCheckInLink(ctx, officerLeeds, child.ID, catalogue.ChildLink{Hash: hashOf("leeds"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.CheckInLinks(ctx, officerLeeds, child.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		wantErr(t, s.RevokeCheckInLinks(ctx, officerLeeds, child.ID), catalogue.ErrNotFound)
		_, err = s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{ExpiresAt: soon(s)})
		wantField(t, err, "hash")
		_, err = s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("old"), ExpiresAt: s.Now().Add(-time.Second)})
		wantField(t, err, "expires_at")

		token, sessSecret := "pmc_"+strings.Repeat("C", 26), "pms_"+strings.Repeat("D", 26)
		link := must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf(token), ExpiresAt: soon(s)}))
		if link.Purpose != catalogue.LinkCheckIn || link.Child != child.ID || link.Offer != 0 || link.CreatedBy != 7 || !link.Live(s.Now()) {
			t.Fatalf("link %+v", link)
		}

		// Eight tabs open the link at once: one session, the child's, for check-ins.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		sessions := make([]catalogue.ChildSession, 8)
		for i := range errs {
			wg.Go(func() {
				sessions[i], errs[i] = s.RedeemLink(context.Background(), hashOf(token),
					catalogue.ChildSession{Hash: hashOf(fmt.Sprint(sessSecret, i)), ExpiresAt: soon(s)})
			})
		}
		wg.Wait()
		var sess catalogue.ChildSession
		opened := 0
		for i, err := range errs {
			switch {
			case err == nil:
				opened++
				sess = sessions[i]
			case !errors.Is(err, catalogue.ErrNotFound):
				t.Errorf("opening the link: %v", err)
			}
		}
		if opened != 1 {
			t.Fatalf("the link opened %d times, want once", opened)
		}
		if !sess.ForCheckIn() || sess.ForOffer(sess.Offer) || sess.Child != child.ID || sess.Council != birmingham || sess.Link != link.ID {
			t.Errorf("session %+v", sess)
		}
		got := must[catalogue.ChildSession](t)(s.ChildSession(context.Background(), sess.Hash))
		if got.ID != sess.ID || got.Purpose != catalogue.LinkCheckIn || got.Child != child.ID || got.Council != birmingham || !got.Live(s.Now()) {
			t.Errorf("session read back %+v", got)
		}
		_, err = s.RedeemLink(context.Background(), hashOf(token), catalogue.ChildSession{Hash: hashOf("again"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrNotFound)

		// Only hashes are stored, marked as a check-in's, with no offer.
		for _, table := range []string{"offer_links", "child_sessions"} {
			rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(context.Background(), s, table))
			if len(rows) != 1 {
				t.Fatalf("%s has %d rows, want 1", table, len(rows))
			}
			for col, v := range rows[0] {
				if bytes.Contains(v, []byte(token)) || bytes.Contains(v, []byte(sessSecret)) {
					t.Errorf("%s.%s holds a secret in clear", table, col)
				}
			}
			if string(rows[0]["purpose"]) != "check_in" || rows[0]["offer_id"] != nil && string(rows[0]["offer_id"]) != "<nil>" {
				t.Errorf("%s row: purpose %q, offer_id %q", table, rows[0]["purpose"], rows[0]["offer_id"])
			}
			if want := hashOf(token); table == "offer_links" && !bytes.Equal(rows[0]["hash"], want[:]) {
				t.Errorf("offer_links.hash = %x, want the SHA-256 of the token", rows[0]["hash"])
			}
		}

		// A fresh link replaces one not yet opened, and both are listed (never their tokens).
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("second"), ExpiresAt: soon(s)}))
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("third"), ExpiresAt: soon(s)}))
		_, err = s.RedeemLink(context.Background(), hashOf("second"), catalogue.ChildSession{Hash: hashOf("s2"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrNotFound)
		links := must[[]catalogue.ChildLink](t)(s.CheckInLinks(ctx, officerBirmingham, child.ID))
		if len(links) != 3 || links[0].ID != link.ID || !links[2].Live(s.Now()) || links[1].Live(s.Now()) {
			t.Fatalf("links %+v", links)
		}

		// Revoking ends the links not yet opened and the sessions they opened.
		if err := s.RevokeCheckInLinks(ctx, officerBirmingham, child.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.RedeemLink(context.Background(), hashOf("third"), catalogue.ChildSession{Hash: hashOf("s3"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrNotFound)
		if got := must[catalogue.ChildSession](t)(s.ChildSession(context.Background(), sess.Hash)); got.Live(s.Now()) {
			t.Error("the session is live after revoking")
		}
		for _, l := range must[[]catalogue.ChildLink](t)(s.CheckInLinks(ctx, officerBirmingham, child.ID)) {
			if l.Live(s.Now()) {
				t.Errorf("link %d is live after revoking", l.ID)
			}
		}

		// Expiry: a link runs out before it is opened; a session runs out too.
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("brief"), ExpiresAt: s.Now().Add(300 * time.Millisecond)}))
		sqltest.Clock(t, s).Advance(400 * time.Millisecond)
		_, err = s.RedeemLink(context.Background(), hashOf("brief"), catalogue.ChildSession{Hash: hashOf("s4"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrNotFound)
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("brief2"), ExpiresAt: soon(s)}))
		short := must[catalogue.ChildSession](t)(s.RedeemLink(context.Background(), hashOf("brief2"),
			catalogue.ChildSession{Hash: hashOf("short"), ExpiresAt: s.Now().Add(300 * time.Millisecond)}))
		sqltest.Clock(t, s).Advance(400 * time.Millisecond)
		if got := must[catalogue.ChildSession](t)(s.ChildSession(context.Background(), short.Hash)); got.Live(s.Now()) {
			t.Error("the session is live after it expired")
		}

		// A child whose record is closed cannot open a check-in link.
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, child.ID, catalogue.ChildLink{Hash: hashOf("closed"), ExpiresAt: soon(s)}))
		if err := sqlstore.ExecRaw(context.Background(), s, "UPDATE children SET status = 'closed' WHERE id = ?", int64(child.ID)); err != nil {
			t.Fatal(err)
		}
		_, err = s.RedeemLink(context.Background(), hashOf("closed"), catalogue.ChildSession{Hash: hashOf("s5"), ExpiresAt: soon(s)})
		wantErr(t, err, catalogue.ErrNotFound)

		actions := auditActions(t, s, child.ID)
		for _, a := range []string{"send_check_in_link", "child_open_link", "revoke_check_in_links"} {
			if !slices.Contains(actions, a) {
				t.Errorf("the child's audit has no %q: %v", a, actions)
			}
		}
	})
}

// TestCheckInAndOfferSessionsAreApart: a check-in's session never acts on an offer, an offer's
// never passes for a check-in's, and revoking one kind leaves the other.
func TestCheckInAndOfferSessionsAreApart(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		placed(t, s, w.child.ID, w.homes[2].ID)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("offer"), ExpiresAt: soon(s)}); err != nil {
			t.Fatal(err)
		}
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, w.child.ID, catalogue.ChildLink{Hash: hashOf("check-in"), ExpiresAt: soon(s)}))
		offerSess := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("offer"), catalogue.ChildSession{Hash: hashOf("so"), ExpiresAt: soon(s)}))
		checkSess := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("check-in"), catalogue.ChildSession{Hash: hashOf("sc"), ExpiresAt: soon(s)}))
		if !offerSess.ForOffer(o.ID) || offerSess.ForCheckIn() || offerSess.Child != w.child.ID {
			t.Errorf("offer session %+v", offerSess)
		}
		if !checkSess.ForCheckIn() || checkSess.ForOffer(o.ID) {
			t.Errorf("check-in session %+v", checkSess)
		}

		// The check-in's session cannot give the child's say on the offer, even dressed up as
		// the offer's: the store checks the session row itself.
		_, err := s.RecordSay(ctx, checkSess, catalogue.ChildSay{Neither: true})
		wantErr(t, err, catalogue.ErrNotFound)
		forged := checkSess
		forged.Purpose, forged.Offer = catalogue.LinkOffer, o.ID
		_, err = s.RecordSay(ctx, forged, catalogue.ChildSay{Neither: true})
		wantErr(t, err, catalogue.ErrNotFound)
		if got := must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID)); !got.Say.At.IsZero() {
			t.Errorf("a check-in session changed the offer's say: %+v", got.Say)
		}
		must[catalogue.Offer](t)(s.RecordSay(ctx, offerSess, catalogue.ChildSay{Neither: true}))

		// Revoking the offer's links leaves the check-in's session, and the other way round.
		if err := s.RevokeLinks(ctx, officerBirmingham, o.ID); err != nil {
			t.Fatal(err)
		}
		if !must[catalogue.ChildSession](t)(s.ChildSession(ctx, checkSess.Hash)).Live(s.Now()) {
			t.Error("revoking the offer's links ended the check-in session")
		}
		if must[catalogue.ChildSession](t)(s.ChildSession(ctx, offerSess.Hash)).Live(s.Now()) {
			t.Error("the offer's session is live after revoking its links")
		}
		if links := must[[]catalogue.ChildLink](t)(s.OfferLinks(ctx, officerBirmingham, o.ID)); len(links) != 1 || links[0].Purpose != catalogue.LinkOffer {
			t.Errorf("the offer's links list %+v", links)
		}
		if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("offer2"), ExpiresAt: soon(s)}); err != nil {
			t.Fatal(err)
		}
		offer2 := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("offer2"), catalogue.ChildSession{Hash: hashOf("so2"), ExpiresAt: soon(s)}))
		if err := s.RevokeCheckInLinks(ctx, officerBirmingham, w.child.ID); err != nil {
			t.Fatal(err)
		}
		if !must[catalogue.ChildSession](t)(s.ChildSession(ctx, offer2.Hash)).Live(s.Now()) {
			t.Error("revoking the check-in links ended the offer's session")
		}
		if must[catalogue.ChildSession](t)(s.ChildSession(ctx, checkSess.Hash)).Live(s.Now()) {
			t.Error("the check-in session is live after revoking")
		}
		// The schema refuses a link that is both, or neither.
		err = sqlstore.ExecRaw(ctx, s, `INSERT INTO offer_links (purpose, offer_id, child_id, hash, created_at, expires_at)
			VALUES ('check_in', ?, ?, ?, ?, ?)`, int64(o.ID), int64(w.child.ID), []byte("x"), s.Now(), soon(s))
		if err == nil {
			t.Error("a check-in link with an offer was stored")
		}
		err = sqlstore.ExecRaw(ctx, s, `INSERT INTO offer_links (purpose, child_id, hash, created_at, expires_at)
			VALUES ('offer', ?, ?, ?, ?)`, int64(w.child.ID), []byte("y"), s.Now(), soon(s))
		if err == nil {
			t.Error("an offer link without an offer was stored")
		}
	})
}

// TestLinksMigration: migration 00009 keeps the offers' links and sessions that were there
// before it (each now naming its child), and undoing it keeps them too and drops the check-ins'.
func TestLinksMigration(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		placed(t, s, w.child.ID, w.homes[2].ID)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, w.child.ID, catalogue.ChildLink{Hash: hashOf("check-in"), ExpiresAt: soon(s)}))
		must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("check-in"), catalogue.ChildSession{Hash: hashOf("sc"), ExpiresAt: soon(s)}))

		if err := sqlstore.MigrateDownTo(ctx, s, 8); err != nil {
			t.Fatalf("undo 00009: %v", err)
		}
		for _, table := range []string{"offer_links", "child_sessions"} {
			if rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, table)); len(rows) != 0 {
				t.Errorf("undoing 00009 kept %d rows of check-ins in %s", len(rows), table)
			}
		}
		// Before 00009: a link and a session of the offer, as the code of then wrote them.
		at := s.Now().UTC()
		linkHash, sessHash := hashOf("before"), hashOf("before-session")
		if err := sqlstore.ExecRaw(ctx, s, `INSERT INTO offer_links (id, offer_id, hash, created_by, created_at, expires_at, redeemed_at)
			VALUES (500, ?, ?, 7, ?, ?, ?)`, int64(o.ID), linkHash[:], at, soon(s), at); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.ExecRaw(ctx, s, `INSERT INTO child_sessions (id, offer_id, link_id, hash, created_at, expires_at)
			VALUES (600, ?, 500, ?, ?, ?)`, int64(o.ID), sessHash[:], at, soon(s)); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("redo 00009: %v", err)
		}
		sess := must[catalogue.ChildSession](t)(s.ChildSession(ctx, hashOf("before-session")))
		if sess.ID != 600 || sess.Link != 500 || !sess.ForOffer(o.ID) || sess.Child != w.child.ID || sess.Council != birmingham {
			t.Errorf("the session from before 00009: %+v", sess)
		}
		links := must[[]catalogue.ChildLink](t)(s.OfferLinks(ctx, officerBirmingham, o.ID))
		if len(links) != 1 || links[0].ID != 500 || links[0].Purpose != catalogue.LinkOffer || links[0].Child != w.child.ID || links[0].CreatedBy != 7 {
			t.Errorf("the link from before 00009: %+v", links)
		}
		// The tables work as before: a new link for the same offer, and check-ins again.
		if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("after"), ExpiresAt: soon(s)}); err != nil {
			t.Fatal(err)
		}
		must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("after"), catalogue.ChildSession{Hash: hashOf("after-session"), ExpiresAt: soon(s)}))
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, w.child.ID, catalogue.ChildLink{Hash: hashOf("check-in-2"), ExpiresAt: soon(s)}))
		if _, err := s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: w.child.ID, AdvocateRequested: true}); err != nil {
			t.Fatal(err)
		}
	})
}
