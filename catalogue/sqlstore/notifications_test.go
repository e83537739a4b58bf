package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// listAll is every notification in scope.
func listAll(t *testing.T, s *sqlstore.Store, sc catalogue.Scope, f catalogue.NotificationFilter) []catalogue.Notification {
	t.Helper()
	ns, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Notification], error) {
		f.After = after
		return s.ListNotifications(context.Background(), sc, f)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// TestOfferEventsFillTheOutbox: sending an offer and withdrawing it each tell the council's
// placement team, in the offer's transaction; a fresh link for an offer already sent does not;
// each caller sees only the notifications of its scope, and none holds the child's data.
func TestOfferEventsFillTheOutbox(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options(), PolicyVersion: 1}))
		if got := listAll(t, s, everything, catalogue.NotificationFilter{}); len(got) != 0 {
			t.Fatalf("a proposed offer made %d notifications", len(got))
		}
		for i := range 2 { // the second send is a fresh link, not a new event
			if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf(fmt.Sprint("n-", i)), ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		o = must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID))
		if _, err := s.WithdrawOffer(ctx, officerBirmingham, o.ID, o.Version, "The plan changed."); err != nil {
			t.Fatal(err)
		}
		got := listAll(t, s, everything, catalogue.NotificationFilter{})
		team := catalogue.TeamRecipient(birmingham, catalogue.TeamPlacements)
		link := "/v1/offers/" + o.ID.String()
		if len(got) != 2 || got[0].Kind != catalogue.NotifyOfferSent || got[1].Kind != catalogue.NotifyOfferWithdrawn {
			t.Fatalf("notifications %+v, want offer_sent then offer_withdrawn", got)
		}
		for _, n := range got {
			if n.To != team || n.Link != link || n.Status != catalogue.NotificationPending || n.Attempts != 0 ||
				!n.CreatedAt.Equal(s.Now()) || !n.NextAttemptAt.Equal(s.Now()) || !n.SentAt.IsZero() {
				t.Errorf("notification %+v", n)
			}
			if !strings.Contains(n.Text, "Offer "+o.ID.String()) || strings.Contains(n.Text+n.Subject, w.child.FirstName) {
				t.Errorf("notification's words %q", n.Text)
			}
		}
		for _, c := range []struct {
			name  string
			scope catalogue.Scope
			want  int
		}{
			{"the council's officers", officerBirmingham, 2},
			{"another council's", officerLeeds, 0},
			{"a provider", catalogue.Scope{Provider: w.homes[0].Provider}, 0},
			{"a commissioner", commissioner, 0},
		} {
			if n := len(listAll(t, s, c.scope, catalogue.NotificationFilter{})); n != c.want {
				t.Errorf("%s see %d notifications, want %d", c.name, n, c.want)
			}
		}
		if n := len(listAll(t, s, everything, catalogue.NotificationFilter{Kind: catalogue.NotifyOfferWithdrawn})); n != 1 {
			t.Errorf("kind filter: %d", n)
		}
		if n := len(listAll(t, s, everything, catalogue.NotificationFilter{Status: catalogue.NotificationSent})); n != 0 {
			t.Errorf("status filter: %d", n)
		}
		_, err := s.ListNotifications(ctx, everything, catalogue.NotificationFilter{Status: "lost"})
		wantField(t, err, "status")
		_, err = s.ListNotifications(ctx, everything, catalogue.NotificationFilter{Kind: "gossip"})
		wantField(t, err, "kind")
	})
}

// TestEnqueueRollsBackWithItsTransaction: the hook writes notifications in the caller's
// transaction: committed with it, gone when it rolls back, and all or none.
func TestEnqueueRollsBackWithItsTransaction(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Told")))
		sent := catalogue.NewNotification(catalogue.NotifyReferralSent, catalogue.ProviderRecipient(prov.ID), 41, "/v1/referrals/41")
		if err := sqlstore.EnqueueThen(ctx, s, nil, sent); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("the event failed")
		if err := sqlstore.EnqueueThen(ctx, s, boom, sent, sent); !errors.Is(err, boom) {
			t.Fatalf("rolled back: %v", err)
		}
		bad := sent
		bad.Link = "/v1/referrals/41?child=Sam"
		err := sqlstore.EnqueueThen(ctx, s, nil, sent, bad)
		wantField(t, err, "link")
		err = s.Notify(ctx, sent, catalogue.Notification{Kind: "gossip"})
		wantField(t, err, "kind")
		got := listAll(t, s, everything, catalogue.NotificationFilter{})
		if len(got) != 1 || got[0].To != catalogue.ProviderRecipient(prov.ID) || got[0].Kind != catalogue.NotifyReferralSent {
			t.Fatalf("after one commit and three failures: %+v", got)
		}
		if n := len(listAll(t, s, catalogue.Scope{Provider: prov.ID}, catalogue.NotificationFilter{})); n != 1 {
			t.Errorf("the provider sees %d of its notifications", n)
		}
		if err := s.Notify(ctx, sent); err != nil {
			t.Fatal(err)
		}
		if n := len(listAll(t, s, everything, catalogue.NotificationFilter{})); n != 2 {
			t.Errorf("after Notify: %d", n)
		}
	})
}

// TestNotificationAddresses: an administrator sets, replaces and removes the address of a
// provider and of a council team, audited; a malformed address, team or provider is refused
// naming the field.
func TestNotificationAddresses(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Addressed")))
		team := catalogue.TeamRecipient(birmingham, catalogue.TeamPlacements)
		set := func(to catalogue.Recipient, email string) error {
			_, err := s.SetNotificationAddress(ctx, catalogue.NotificationAddress{To: to, Email: email})
			return err
		}
		for _, c := range []struct {
			to    catalogue.Recipient
			email string
			field string
		}{
			{team, "", "email"},
			{team, "Placements <team@example.gov.uk>", "email"},
			{team, "team@localhost", "email"},
			{team, "team@example.gov.uk\r\nBcc: x@example.org", "email"},
			{catalogue.TeamRecipient(birmingham, "Placements!"), "team@example.gov.uk", "team"},
			{catalogue.TeamRecipient("E99", catalogue.TeamPlacements), "team@example.gov.uk", "council"},
			{catalogue.ProviderRecipient(prov.ID + 1000), "x@example.org", "provider"},
			{catalogue.Recipient{Provider: prov.ID, Council: birmingham, Team: "placements"}, "x@example.org", "provider"},
		} {
			wantField(t, set(c.to, c.email), c.field)
		}
		for _, e := range []struct {
			to    catalogue.Recipient
			email string
		}{{team, "old@example.gov.uk"}, {team, "placements@birmingham.example.gov.uk"}, {catalogue.ProviderRecipient(prov.ID), "referrals@agency.example.org"}} {
			if err := set(e.to, e.email); err != nil {
				t.Fatal(err)
			}
		}
		got := must[[]catalogue.NotificationAddress](t)(s.ListNotificationAddresses(ctx))
		if len(got) != 2 || got[0].To != catalogue.ProviderRecipient(prov.ID) || got[0].Email != "referrals@agency.example.org" ||
			got[1].To != team || got[1].Email != "placements@birmingham.example.gov.uk" || !got[1].UpdatedAt.Equal(s.Now()) {
			t.Fatalf("addresses %+v", got)
		}
		if err := s.RemoveNotificationAddress(ctx, catalogue.ProviderRecipient(prov.ID)); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.RemoveNotificationAddress(ctx, catalogue.ProviderRecipient(prov.ID)), catalogue.ErrNotFound)
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "notification-address:team:E08000025/placements"}))
		if len(audit.Items) != 2 || audit.Items[0].Actor != 3 || audit.Items[0].Council != birmingham {
			t.Errorf("the team's address's audit: %+v", audit.Items)
		}
		audit = must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "notification-address:provider:" + prov.ID.String()}))
		if len(audit.Items) != 2 || audit.Items[1].Action != "delete" {
			t.Errorf("the provider's address's audit: %+v", audit.Items)
		}
	})
}

// TestClaimsAreExclusive: workers claiming at once each get different notifications, every
// notification is claimed once, a claim lapses after its lease (and only then), and only the
// claim that holds a notification may finish it.
func TestClaimsAreExclusive(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := sqltest.Clock(t, s)
		const total, workers = 30, 6
		ns := make([]catalogue.Notification, total)
		for i := range ns {
			ns[i] = catalogue.NewNotification(catalogue.NotifyDeadlineNear, catalogue.TeamRecipient(leeds, "fostering"), int64(i+1), fmt.Sprint("/v1/referrals/", i+1))
		}
		if err := s.Notify(ctx, ns...); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetNotificationAddress(ctx, catalogue.NotificationAddress{To: catalogue.TeamRecipient(leeds, "fostering"), Email: "fostering@leeds.example.gov.uk"}); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		claimedBy := map[catalogue.NotificationID]string{}
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				claim := fmt.Sprint("worker-", w)
				for {
					ds, err := s.ClaimNotifications(ctx, claim, 2, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(ds) == 0 {
						return
					}
					mu.Lock()
					for _, d := range ds {
						if prev, ok := claimedBy[d.ID]; ok {
							t.Errorf("notification %d claimed by %s and %s", d.ID, prev, claim)
						}
						claimedBy[d.ID] = claim
						if d.Claim != claim || d.Attempts != 1 || d.Email != "fostering@leeds.example.gov.uk" {
							t.Errorf("claimed %+v", d)
						}
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(claimedBy) != total {
			t.Fatalf("%d of %d notifications claimed", len(claimedBy), total)
		}
		// Claimed and not finished: nothing is due until the lease lapses.
		if ds := must[[]catalogue.Delivery](t)(s.ClaimNotifications(ctx, "late", total, time.Minute)); len(ds) != 0 {
			t.Fatalf("claimed again within the lease: %d", len(ds))
		}
		for id, claim := range claimedBy {
			if id == 1 {
				wantErr(t, s.FinishDelivery(ctx, catalogue.DeliveryOutcome{ID: id, Claim: "someone-else", Sent: true}), catalogue.ErrConflict)
				continue
			}
			if err := s.FinishDelivery(ctx, catalogue.DeliveryOutcome{ID: id, Claim: claim, Sent: true}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(time.Minute)
		ds := must[[]catalogue.Delivery](t)(s.ClaimNotifications(ctx, "after-the-lease", total, time.Minute))
		if len(ds) != 1 || ds[0].ID != 1 || ds[0].Attempts != 2 {
			t.Fatalf("after the lease lapsed: %+v", ds)
		}
		wantErr(t, s.FinishDelivery(ctx, catalogue.DeliveryOutcome{ID: 1, Claim: claimedBy[1], Sent: true}), catalogue.ErrConflict)
		if err := s.FinishDelivery(ctx, catalogue.DeliveryOutcome{ID: 1, Claim: "after-the-lease", Error: "451 try later", RetryAt: s.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		pending := listAll(t, s, everything, catalogue.NotificationFilter{Status: catalogue.NotificationPending})
		if len(pending) != 1 || pending[0].LastError != "451 try later" || !pending[0].NextAttemptAt.Equal(s.Now().Add(time.Hour)) {
			t.Fatalf("retrying: %+v", pending)
		}
		if sent := listAll(t, s, everything, catalogue.NotificationFilter{Status: catalogue.NotificationSent}); len(sent) != total-1 || !sent[0].SentAt.Equal(s.Now().Add(-time.Minute)) {
			t.Fatalf("%d sent", len(sent))
		}
	})
}
