package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestRetention: a child's record closed long ago goes, with its offers, and its links and
// sessions for offers and for check-ins; one closed recently, one still waiting and one who
// still fills a place stay; expired links go, a check-in's too; a dry run counts and deletes nothing; the run is in the audit log.
func TestRetention(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 2)
		old := w.child
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: old.ID, Options: w.options()}))
		token := "pmc_" + strings.Repeat("R", 26)
		if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf(token), ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RedeemLink(ctx, hashOf(token), catalogue.ChildSession{Hash: hashOf("sess"), ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		must[catalogue.Offer](t)(s.WithdrawOffer(ctx, officerBirmingham, o.ID, must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID)).Version, "the child's plan changed"))
		// The old child also checked in through a link of their own.
		placed(t, s, old.ID, w.homes[1].ID)
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, old.ID, catalogue.ChildLink{Hash: hashOf("old-check-in"), ExpiresAt: soon(s)}))
		must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("old-check-in"), catalogue.ChildSession{Hash: hashOf("old-check-in-session"), ExpiresAt: soon(s)}))
		close := func(c catalogue.Child) catalogue.Child {
			c = must[catalogue.Child](t)(s.Child(ctx, everything, c.ID))
			c.Status = catalogue.ChildClosed
			return must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c))
		}
		close(old)
		recent := close(must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.4, -1.9)))))
		waiting := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.4, -1.9))))
		filling := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.4, -1.9))))
		v := w.places[w.homes[2].ID][0]
		v.Status, v.Child = catalogue.VacancyFilled, filling.ID
		must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, v))
		close(filling)
		// A check-in link of a child still in care, never opened, expired two months ago.
		placed(t, s, waiting.ID, w.homes[1].ID)
		must[catalogue.ChildLink](t)(s.SendCheckInLink(ctx, officerBirmingham, waiting.ID, catalogue.ChildLink{Hash: hashOf("lapsed"), ExpiresAt: soon(s)}))
		lapsed := hashOf("lapsed")
		if err := sqlstore.ExecRaw(ctx, s, "UPDATE offer_links SET expires_at = ? WHERE hash = ?", s.Now().AddDate(0, -2, 0), lapsed[:]); err != nil {
			t.Fatal(err)
		}
		// Two of them were closed three years ago.
		longAgo := s.Now().AddDate(-3, 0, 0)
		for _, id := range []catalogue.ChildID{old.ID, filling.ID} {
			if err := sqlstore.ExecRaw(ctx, s, "UPDATE children SET updated_at = ? WHERE id = ?", longAgo, int64(id)); err != nil {
				t.Fatal(err)
			}
		}
		policy := sqlstore.Retention{ClosedAfter: 365 * 24 * time.Hour, LinksAfter: 30 * 24 * time.Hour}
		// The offer withdrawn after it reached the child is a decision record: filed in the
		// council's case record, it may go (TestRetentionKeepsUnfiledDecisions without).
		must[catalogue.Filing](t)(func() (catalogue.Filing, error) {
			f, _, err := s.MarkFiled(ctx, officerBirmingham, o.ID, "CASE-1/DOC-7")
			return f, err
		}())

		dry := policy
		dry.DryRun = true
		res := must[sqlstore.RetentionResult](t)(s.Retain(ctx, dry))
		if res.Children != 1 || res.Offers != 1 || res.Links != 3 || res.Sessions != 2 || res.KeptFillingPlace != 1 {
			t.Fatalf("dry run %+v", res)
		}
		must[catalogue.Child](t)(s.Child(ctx, everything, old.ID)) // still there

		res = must[sqlstore.RetentionResult](t)(s.Retain(ctx, policy))
		if res.Children != 1 || res.Offers != 1 || res.Links != 3 || res.Sessions != 2 || res.KeptFillingPlace != 1 {
			t.Fatalf("retention %+v", res)
		}
		for _, table := range []string{"offer_links", "child_sessions"} {
			if rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, table)); len(rows) != 0 {
				t.Errorf("retention left %d rows in %s", len(rows), table)
			}
		}
		_, err := s.Child(ctx, everything, old.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.Offer(ctx, everything, o.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		for _, c := range []catalogue.Child{recent, waiting, filling} {
			must[catalogue.Child](t)(s.Child(ctx, everything, c.ID))
		}
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "retention"}))
		if len(audit.Items) != 1 || !strings.Contains(audit.Items[0].Reason, "deleted 1 children") {
			t.Errorf("audit %+v", audit.Items)
		}
		// A second run finds nothing more.
		res = must[sqlstore.RetentionResult](t)(s.Retain(ctx, policy))
		if res.Children+res.Offers+res.Links+res.Sessions != 0 {
			t.Errorf("second run %+v", res)
		}
	})
}
