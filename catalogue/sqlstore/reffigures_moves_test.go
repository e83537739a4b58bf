package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestReferralFactsCarryTheMove: each referral's fact carries the day the child next moved into
// a home (the first placement starting on or after the day it was sent), and none for a child
// whose only placement began before the referral.
func TestReferralFactsCarryTheMove(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		w := newWorld(t, s)
		sent := catalogue.Day(sqltest.Epoch).AddDate(0, 0, -30).Add(15 * time.Hour)
		moved, mover, stayer := catalogue.Day(sent).AddDate(0, 0, 12), w.children[1], w.children[2]
		declined := func(child catalogue.ChildID, home catalogue.PlacementID, at time.Time) catalogue.Referral {
			return catalogue.Referral{Child: child, Placement: home, Status: catalogue.ReferralDeclined, Deadline: at.Add(48 * time.Hour), CreatedAt: at,
				Response: &catalogue.ReferralResponse{Decline: catalogue.DeclineNoCapacity, At: at.Add(time.Hour)}}
		}
		must[[]catalogue.Referral](t)(s.ImportReferrals(ctx, catalogue.Everything, []catalogue.Referral{
			declined(mover.ID, w.placements[0].ID, sent),
			declined(mover.ID, w.placements[1].ID, sent.AddDate(0, 0, 5)),
			declined(stayer.ID, w.placements[2].ID, sent),
		}))
		must[catalogue.Episode](t)(s.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: mover.ID, Start: moved, Placement: w.placements[2].ID}))
		must[catalogue.Episode](t)(s.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: stayer.ID, Start: catalogue.Day(sent).AddDate(0, 0, -20), Placement: w.placements[0].ID}))
		for _, since := range []time.Time{{}, sent.Add(-time.Hour)} {
			facts := must[[]catalogue.ReferralFact](t)(s.ReferralFacts(ctx, since))
			if len(facts) != 3 {
				t.Fatalf("since %v: %d facts, want 3", since, len(facts))
			}
			for _, f := range facts {
				want := time.Time{}
				if f.Child == mover.ID {
					want = moved
				}
				if !f.MovedIn.Equal(want) {
					t.Errorf("since %v: referral %d of child %d: moved in %v, want %v", since, f.Referral, f.Child, f.MovedIn, want)
				}
			}
		}
	})
}
