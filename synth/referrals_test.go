package synth_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/synth"
)

func TestReferralHistories(t *testing.T) {
	t.Parallel()
	cfg := synth.Demo()
	b, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rs := synth.Referrals(b, cfg.Today, cfg.Seed)
	if !reflect.DeepEqual(rs, synth.Referrals(b, cfg.Today, cfg.Seed)) {
		t.Fatal("referral histories differ between two runs of one seed")
	}
	if len(rs) < 100 {
		t.Fatalf("%d referrals in the demo's year: too few for the report's figures", len(rs))
	}
	count := map[catalogue.ReferralStatus]int{}
	accepted, answered := 0, 0
	for i, r := range rs {
		r.Child, r.Placement = -r.Child, -r.Placement // the IDs a store gives batch keys -n
		if err := r.CheckPast(cfg.Today); err != nil {
			t.Fatalf("referral %d is not a valid past referral: %v", i, err)
		}
		if r.CreatedAt.Before(cfg.Today.Add(-365 * 24 * time.Hour)) {
			t.Fatalf("referral %d sent %s, before the year", i, r.CreatedAt)
		}
		count[r.Status]++
		if r.Response != nil {
			answered++
			if r.Response.Accepted {
				accepted++
			}
		}
	}
	for _, st := range []catalogue.ReferralStatus{catalogue.ReferralAccepted, catalogue.ReferralDeclined, catalogue.ReferralExpired, catalogue.ReferralWithdrawn} {
		if count[st] == 0 {
			t.Errorf("no %s referrals: %v", st, count)
		}
	}
	// Every move found one acceptance; the others are accepted at the assumed rates, so that
	// fewer than half of all answers are yes.
	if share := float64(accepted) / float64(answered); share < 0.3 || share > 0.6 {
		t.Errorf("%.2f of answers accepted, want between 0.3 and 0.6 (%v)", share, count)
	}
	if len(synth.FrameworkPrices(b)) == 0 {
		t.Error("no framework prices for the demo")
	}
}
