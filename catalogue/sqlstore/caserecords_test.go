package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// declined makes an offer of w's homes to w.child and declines it: a decision record.
func declined(t *testing.T, s *sqlstore.Store, w offerWorld) catalogue.Offer {
	t.Helper()
	ctx := officer(context.Background(), 3)
	o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
	return must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version,
		catalogue.Decision{Accepted: false, Reason: "the child's plan is now to return home"}))
}

// TestMarkFiled: only a decision record is filed; the reference is checked and named; outside
// the council it is not found; filing is once (a second filing returns the first and writes
// nothing) and audited; the list of decision records not yet filed loses it when filed.
func TestMarkFiled(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 3)
		w := newOfferWorld(t, s, 1)
		other := newOfferWorld(t, s, 1) // a second child, whose offer stays open
		open := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: other.child.ID, Options: other.options()}))
		o := declined(t, s, w)
		unfiled := must[catalogue.Page[catalogue.Offer]](t)(s.UnfiledDecisions(ctx, officerBirmingham, catalogue.UnfiledFilter{}))
		if ids := offerIDs(unfiled.Items); !slices.Equal(ids, []catalogue.OfferID{o.ID}) {
			t.Fatalf("unfiled before filing: %v, want [%d]", ids, o.ID)
		}
		for _, tc := range []struct {
			name      string
			scope     catalogue.Scope
			offer     catalogue.OfferID
			reference string
			want      error
			field     string
		}{
			{"no reference", officerBirmingham, o.ID, "  ", catalogue.ErrInvalid, "reference"},
			{"two lines", officerBirmingham, o.ID, "A\nB", catalogue.ErrInvalid, "reference"},
			{"too long", officerBirmingham, o.ID, strings.Repeat("x", catalogue.MaxFilingReference+1), catalogue.ErrInvalid, "reference"},
			{"another council", catalogue.Scope{Council: leeds}, o.ID, "CASE-1", catalogue.ErrNotFound, ""},
			{"a provider", catalogue.Scope{Provider: 1}, o.ID, "CASE-1", catalogue.ErrNotFound, ""},
			{"no such offer", officerBirmingham, o.ID + 100, "CASE-1", catalogue.ErrNotFound, ""},
			{"still open", officerBirmingham, open.ID, "CASE-1", catalogue.ErrConflict, ""},
		} {
			_, filed, err := s.MarkFiled(ctx, tc.scope, tc.offer, tc.reference)
			if filed {
				t.Errorf("%s: filed", tc.name)
			}
			wantErr(t, err, tc.want)
			if tc.field != "" {
				wantField(t, err, tc.field)
			}
		}
		f, filed, err := s.MarkFiled(ctx, officerBirmingham, o.ID, " CASE-1/DOC-7 ")
		if err != nil || !filed {
			t.Fatalf("filing: %v %v", filed, err)
		}
		want := catalogue.Filing{Offer: o.ID, Child: w.child.ID, Council: birmingham, Reference: "CASE-1/DOC-7", By: 3,
			ByRole: catalogue.RoleOfficer, At: s.Now().UTC()}
		diff(t, "filing", f, want)
		again, filed, err := s.MarkFiled(officer(context.Background(), 4), everything, o.ID, "ANOTHER")
		if err != nil || filed {
			t.Fatalf("filing again: %v %v", filed, err)
		}
		diff(t, "filing again", again, want)
		got := must[map[catalogue.OfferID]catalogue.Filing](t)(s.Filings(ctx, officerBirmingham, []catalogue.OfferID{o.ID, open.ID}))
		diff(t, "filings", got, map[catalogue.OfferID]catalogue.Filing{o.ID: want})
		if got := must[map[catalogue.OfferID]catalogue.Filing](t)(s.Filings(ctx, catalogue.Scope{Council: leeds}, []catalogue.OfferID{o.ID})); len(got) != 0 {
			t.Errorf("Leeds reads Birmingham's filing: %v", got)
		}
		if unfiled := must[catalogue.Page[catalogue.Offer]](t)(s.UnfiledDecisions(ctx, everything, catalogue.UnfiledFilter{})); len(unfiled.Items) != 0 {
			t.Errorf("unfiled after filing: %v", offerIDs(unfiled.Items))
		}
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "offer:" + o.ID.String()}))
		n := 0
		for _, e := range audit.Items {
			if e.Action == "file case record" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d audit rows of the filing, want 1", n)
		}
		names := must[map[catalogue.TokenID]string](t)(s.Signatories(ctx, []catalogue.TokenID{0, 999}))
		if len(names) != 0 {
			t.Errorf("signatories of no tokens: %v", names)
		}
	})
}

func offerIDs(os []catalogue.Offer) []catalogue.OfferID {
	var out []catalogue.OfferID
	for _, o := range os {
		out = append(out, o.ID)
	}
	return out
}

// TestRetentionKeepsUnfiledDecisions: a closed child past their time whose decision record is
// not yet filed is kept whole, and the run names the offer and the regulation; filed, the child
// goes with the offer, its sign-offs and its filing. Notifications and workspace sessions are
// deleted after their own periods, and kept when the period is 0.
func TestRetentionKeepsUnfiledDecisions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newOfferWorld(t, s, 1)
		o := declined(t, s, w)
		c := must[catalogue.Child](t)(s.Child(ctx, everything, w.child.ID))
		c.Status = catalogue.ChildClosed
		must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c))
		longAgo := s.Now().AddDate(-3, 0, 0)
		if err := sqlstore.ExecRaw(ctx, s, "UPDATE children SET updated_at = ? WHERE id = ?", longAgo, int64(c.ID)); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.ExecRaw(ctx, s, `INSERT INTO notifications (kind, council, team, subject, body, link, status, attempts,
			created_at, next_attempt_at, sent_at, claimed_until) VALUES ('offer_sent', ?, 'placements', 's', 'b', 'l', 'sent', 1, ?, ?, ?, ?)`,
			string(birmingham), longAgo, longAgo, longAgo, longAgo); err != nil {
			t.Fatal(err)
		}
		day := 24 * time.Hour
		policy := sqlstore.Retention{ClosedAfter: 365 * day, LinksAfter: 30 * day}
		for _, run := range []struct {
			name     string
			file     bool
			policy   sqlstore.Retention
			children int64
			kept     []catalogue.OfferID
			notes    int64
		}{
			{"unfiled, notifications kept", false, policy, 0, []catalogue.OfferID{o.ID}, 0},
			{"unfiled, notifications after 90 days", false, func() sqlstore.Retention { p := policy; p.NotificationsAfter = 90 * day; return p }(), 0, []catalogue.OfferID{o.ID}, 1},
			{"filed", true, policy, 1, nil, 0},
		} {
			if run.file {
				if _, _, err := s.MarkFiled(officer(ctx, 3), officerBirmingham, o.ID, "CASE-9"); err != nil {
					t.Fatal(err)
				}
			}
			res := must[sqlstore.RetentionResult](t)(s.Retain(ctx, run.policy))
			if res.Children != run.children || !slices.Equal(res.KeptUnfiled, run.kept) || res.Notifications != run.notes {
				t.Errorf("%s: %+v", run.name, res)
			}
			if wantKept := int64(len(run.kept)); res.KeptUnfiledChildren != wantKept {
				t.Errorf("%s: kept %d children for their case record, want %d", run.name, res.KeptUnfiledChildren, wantKept)
			}
			_, err := s.Offer(ctx, everything, o.ID)
			if run.file {
				wantErr(t, err, catalogue.ErrNotFound)
			} else if err != nil {
				t.Errorf("%s: the unfiled decision record went: %v", run.name, err)
			}
		}
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "retention"}))
		if len(audit.Items) != 3 || !strings.Contains(audit.Items[0].Reason, "decision records "+o.ID.String()+" are not yet filed") ||
			!strings.Contains(audit.Items[0].Reason, "regulation 50") || strings.Contains(audit.Items[0].Reason, w.child.FirstName) {
			t.Errorf("audit %+v", audit.Items)
		}
		if rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "case_record_filings")); len(rows) != 0 {
			t.Errorf("the filing outlived its child: %d rows", len(rows))
		}
	})
}
