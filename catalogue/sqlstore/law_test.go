package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestLawRoundTrip: the law's facts about a home (registration, approval dates, a fostering
// limit exemption, a connected person's temporary approval) are kept and read back as written,
// on both stores, one by one and in a list, and changed by an update.
func TestLawRoundTrip(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleAdmin})
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Law Care")))
		child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))

		kin := fullPlacement(prov.ID, catalogue.Kinship, child.ID)
		kin.Approval.From, kin.Approval.Until = time.Time{}, time.Time{}
		kin.Approval.MaxChildren, kin.Approval.Exemption = 4, "LCC exemption 2026/14: the Okafor children"
		kin.TemporaryApproval = &catalogue.TemporaryApproval{From: day(2026, time.October, 1), Extended: true}
		home := plainPlacement(prov.ID, leeds, at(53.81, -1.52))
		home.Registration = catalogue.RegistrationSuspended

		for _, in := range []catalogue.Placement{kin, home} {
			got := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, in))
			want := in
			want.ID, want.Version, want.CreatedAt, want.UpdatedAt = got.ID, 1, got.CreatedAt, got.UpdatedAt
			want.ProfileReview.Author = 7
			diff(t, "created", got, want)
			read := must[catalogue.Placement](t)(s.Placement(ctx, everything, got.ID))
			diff(t, "read", read, want)

			read.Registration, read.TemporaryApproval = "", nil
			if read.Kind.MustRegister() {
				read.Registration = catalogue.Registered
			} else {
				read.Approval.From, read.Approval.Until = day(2026, time.November, 1), day(2027, time.November, 1)
			}
			upd := must[catalogue.Placement](t)(s.UpdatePlacement(ctx, everything, read))
			again := must[catalogue.Placement](t)(s.Placement(ctx, everything, got.ID))
			diff(t, "updated", again, upd)
			if again.TemporaryApproval != nil || (again.Kind.MustRegister() && again.Registration != catalogue.Registered) ||
				(!again.Kind.MustRegister() && !again.Approval.InDate(day(2027, time.January, 1))) {
				t.Errorf("update not kept: %+v", again)
			}
		}
		page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, everything, catalogue.PlacementFilter{Provider: prov.ID}))
		if len(page.Items) != 2 || page.Items[1].Registration != catalogue.Registered || page.Items[0].Approval.Exemption == "" {
			t.Errorf("listed: %+v", page.Items)
		}

		// Bad terms are refused, naming the field, and nothing is written.
		bad := home
		bad.Approval.MaxAge = 21
		if _, err := s.CreatePlacement(ctx, everything, bad); !hasField(err, "approval.max_age") {
			t.Errorf("a children's home for 21-year-olds: %v", err)
		}
	})
}

func hasField(err error, field string) bool {
	for _, f := range catalogue.FieldErrors(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
