package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestLinkLive: the read the API makes before redeeming a link says whether it still works:
// true for a live link, false for an unknown, opened, revoked or expired one.
func TestLinkLive(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: w.child.ID, Options: w.options()}))
		live := func(secret string) bool {
			t.Helper()
			ok, err := s.LinkLive(ctx, hashOf(secret))
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		send := func(secret string) {
			t.Helper()
			if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf(secret), ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			if !live(secret) {
				t.Fatalf("a link just sent is not live")
			}
		}
		if live("unknown") {
			t.Error("an unknown link is live")
		}
		send("opened")
		must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("opened"), catalogue.ChildSession{Hash: hashOf("s1"), ExpiresAt: s.Now().Add(time.Hour)}))
		if live("opened") {
			t.Error("an opened link is live")
		}
		send("revoked")
		if err := s.RevokeLinks(ctx, officerBirmingham, o.ID); err != nil {
			t.Fatal(err)
		}
		if live("revoked") {
			t.Error("a revoked link is live")
		}
		send("expires")
		sqltest.Clock(t, s).Advance(time.Hour + time.Second)
		if live("expires") {
			t.Error("an expired link is live")
		}
	})
}

// BenchmarkGuessAtLink: what a wrong guess at a link costs the store, as the read the API now
// makes first and as the redeeming transaction it made before.
func BenchmarkGuessAtLink(b *testing.B) {
	for _, backend := range []string{sqlstore.BackendSQLite, sqlstore.BackendPostgres} {
		b.Run(backend, func(b *testing.B) {
			s := sqltest.SQLite(b)
			if backend == sqlstore.BackendPostgres {
				s = sqltest.Postgres(b)
			}
			ctx := context.Background()
			b.Run("LinkLive", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.LinkLive(ctx, hashOf("guess")); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("RedeemLink", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.RedeemLink(ctx, hashOf("guess"), catalogue.ChildSession{Hash: hashOf("s"), ExpiresAt: s.Now().Add(time.Hour)}); err == nil {
						b.Fatal("a guess opened a link")
					}
				}
			})
		})
	}
}
