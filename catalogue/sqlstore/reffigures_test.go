package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestFrameworkPrices(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		fp := catalogue.FrameworkPrice{Council: leeds, Kind: catalogue.AgencyFoster, WeeklyPrice: 850, Note: "framework lot 1, 2026-27"}
		got := must[catalogue.FrameworkPrice](t)(s.SetFrameworkPrice(ctx, fp))
		if got.Version != 1 || got.WeeklyPrice != 850 || got.UpdatedAt.IsZero() {
			t.Fatalf("set %+v", got)
		}
		_, err := s.SetFrameworkPrice(ctx, fp)
		wantErr(t, err, catalogue.ErrConflict) // set already: a version is needed
		fp.Version, fp.WeeklyPrice = 1, 880
		got = must[catalogue.FrameworkPrice](t)(s.SetFrameworkPrice(ctx, fp))
		if got.Version != 2 || got.WeeklyPrice != 880 {
			t.Fatalf("changed %+v", got)
		}
		_, err = s.SetFrameworkPrice(ctx, fp) // version 1 is stale now
		wantErr(t, err, catalogue.ErrConflict)
		_, err = s.SetFrameworkPrice(ctx, catalogue.FrameworkPrice{Council: camden, Kind: catalogue.Kinship, WeeklyPrice: 400, Version: 4})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.SetFrameworkPrice(ctx, catalogue.FrameworkPrice{Council: camden, Kind: "castle", WeeklyPrice: 1})
		wantField(t, err, "weekly_price")
		wantField(t, err, "kind")
		must[catalogue.FrameworkPrice](t)(s.SetFrameworkPrice(ctx, catalogue.FrameworkPrice{Council: birmingham, Kind: catalogue.ChildrensHome, WeeklyPrice: 5200}))

		var keys []string
		for _, p := range must[[]catalogue.FrameworkPrice](t)(s.FrameworkPrices(ctx, "")) {
			keys = append(keys, string(p.Council)+" "+string(p.Kind))
		}
		diff(t, "all prices, by council then kind", keys, []string{"E08000025 childrens_home", "E08000035 agency_foster"})
		diff(t, "Leeds's", len(must[[]catalogue.FrameworkPrice](t)(s.FrameworkPrices(ctx, leeds))), 1)
		_, err = s.FrameworkPrices(ctx, "nowhere")
		wantField(t, err, "council")

		page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "framework_price:E08000035:agency_foster"}))
		if len(page.Items) != 2 {
			t.Fatalf("audit of the Leeds price: %d entries, want 2 (set twice)", len(page.Items))
		}
	})
}

func TestImportReferralsAndFacts(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		w := newWorld(t, s)
		now := sqltest.Epoch
		sent := now.Add(-30 * 24 * time.Hour)
		child := w.children[1] // fullChild: has needs
		past := []catalogue.Referral{
			{Child: child.ID, Placement: w.placements[0].ID, Status: catalogue.ReferralAccepted, Deadline: sent.Add(48 * time.Hour), CreatedAt: sent,
				Response: &catalogue.ReferralResponse{Accepted: true, Impact: "fits with the two boys there", WeeklyFee: 900, At: sent.Add(20 * time.Hour)}},
			{Child: child.ID, Placement: w.placements[1].ID, Status: catalogue.ReferralDeclined, Deadline: sent.Add(48 * time.Hour), CreatedAt: sent,
				Response: &catalogue.ReferralResponse{Decline: catalogue.DeclineNoCapacity, At: sent.Add(5 * time.Hour)}},
			{Child: w.children[2].ID, Placement: w.placements[2].ID, Status: catalogue.ReferralExpired, Deadline: sent.Add(48 * time.Hour), CreatedAt: sent,
				Reason: "no answer by the deadline"},
		}
		got := must[[]catalogue.Referral](t)(s.ImportReferrals(ctx, catalogue.Everything, past))
		if got[0].Council != birmingham || got[0].Provider != w.agency.ID || got[2].Council != leeds || got[0].ID <= 0 {
			t.Fatalf("imported %+v", got)
		}
		for _, tc := range []struct {
			name  string
			edit  func(r *catalogue.Referral)
			field string
		}{
			{"still waiting", func(r *catalogue.Referral) { r.Status = catalogue.ReferralSent }, "referrals[1].status"},
			{"in the future", func(r *catalogue.Referral) { r.CreatedAt = now.Add(time.Hour) }, "referrals[1].referral_date"},
			{"accepted without an acceptance", func(r *catalogue.Referral) { r.Response = nil }, "referrals[1].response"},
			{"no such home", func(r *catalogue.Referral) { r.Placement = 999 }, "referrals[1].placement"},
		} {
			good := past[2]
			good.Child, good.Placement = w.children[0].ID, w.placements[2].ID
			bad := past[0]
			bad.Child = w.children[0].ID
			tc.edit(&bad)
			_, err := s.ImportReferrals(ctx, catalogue.Everything, []catalogue.Referral{good, bad})
			wantField(t, err, tc.field)
		}
		// An officer imports only their council's children's referrals, and every bad one is
		// named: a child of another council is no such child to them, a home that does not
		// exist is named beside it.
		other := past[2] // Leeds's child
		other.Placement = 999
		_, err := s.ImportReferrals(ctx, catalogue.Scope{Council: birmingham}, []catalogue.Referral{past[1], other})
		var fields []string
		for _, fe := range catalogue.FieldErrors(err) {
			fields = append(fields, fmt.Sprintf("%d %s", fe.Row, fe.Field))
		}
		diff(t, "an officer's import of another council's child", fields, []string{"2 referrals[1].child", "2 referrals[1].placement"})
		// Nothing of the bad imports was written: all or nothing.
		facts := must[[]catalogue.ReferralFact](t)(s.ReferralFacts(ctx, time.Time{}))
		if len(facts) != 3 {
			t.Fatalf("%d facts, want the 3 imported", len(facts))
		}
		f := facts[0]
		if !f.Answered || !f.Accepted || f.WeeklyFee != 900 || f.Kind != catalogue.AgencyFoster || f.Council != birmingham ||
			!f.SentAt.Equal(sent) || len(f.Needs) == 0 {
			t.Fatalf("fact of the acceptance %+v", f)
		}
		if facts[1].Accepted || facts[1].Decline != catalogue.DeclineNoCapacity || facts[2].Answered {
			t.Fatalf("facts of the decline and the expiry %+v %+v", facts[1], facts[2])
		}
		if n := len(must[[]catalogue.ReferralFact](t)(s.ReferralFacts(ctx, sent.Add(time.Hour)))); n != 0 {
			t.Fatalf("%d facts sent after the imported ones, want 0", n)
		}
		// A past acceptance holds no place and never expires.
		if ex := must[[]catalogue.Referral](t)(s.ExpireReferrals(ctx)); len(ex) != 0 {
			t.Fatalf("the sweep expired %d past referrals", len(ex))
		}
	})
}
