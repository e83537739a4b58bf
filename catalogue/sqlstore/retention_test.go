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

// TestRetention: a child's record closed long ago goes, with its offers, links and sessions;
// one closed recently, one still waiting and one who still fills a place stay; expired links
// go; a dry run counts and deletes nothing; the run is in the audit log.
func TestRetention(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 2)
		old := w.child
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: old.ID, Options: w.options()}))
		token := "pmc_" + strings.Repeat("R", 26)
		if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.OfferLink{Hash: hashOf(token), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RedeemLink(ctx, hashOf(token), catalogue.ChildSession{Hash: hashOf("sess"), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		must[catalogue.Offer](t)(s.WithdrawOffer(ctx, officerBirmingham, o.ID, must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID)).Version, "the child's plan changed"))
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
		// Two of them were closed three years ago.
		longAgo := time.Now().AddDate(-3, 0, 0)
		for _, id := range []catalogue.ChildID{old.ID, filling.ID} {
			if err := sqlstore.ExecRaw(ctx, s, "UPDATE children SET updated_at = ? WHERE id = ?", longAgo, int64(id)); err != nil {
				t.Fatal(err)
			}
		}
		policy := sqlstore.Retention{ClosedAfter: 365 * 24 * time.Hour, LinksAfter: 30 * 24 * time.Hour}

		dry := policy
		dry.DryRun = true
		res := must[sqlstore.RetentionResult](t)(s.Retain(ctx, dry))
		if res.Children != 1 || res.Offers != 1 || res.Links != 1 || res.Sessions != 1 || res.KeptFillingPlace != 1 {
			t.Fatalf("dry run %+v", res)
		}
		must[catalogue.Child](t)(s.Child(ctx, everything, old.ID)) // still there

		res = must[sqlstore.RetentionResult](t)(s.Retain(ctx, policy))
		if res.Children != 1 || res.Offers != 1 || res.Links != 1 || res.Sessions != 1 || res.KeptFillingPlace != 1 {
			t.Fatalf("retention %+v", res)
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
