package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/sufficiency"
)

// TestSufficiencyReferralFigures: GET /v1/sufficiency carries the scope's referral figures,
// small counts withheld as every other count is, and England's by provider.
func TestSufficiencyReferralFigures(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	type rate struct {
		Key       string `json:"key"`
		Referrals any    `json:"referrals"`
		Declined  any    `json:"declined"`
	}
	type body struct {
		PriceYear string `json:"price_year"`
		Referrals *struct {
			All       rate   `json:"all"`
			ByKind    []rate `json:"by_kind"`
			ByNeed    []rate `json:"by_need"`
			Children  any    `json:"children_referred"`
			Providers []rate `json:"providers"`
			Sentences []string
			// The framework prices of the scope's councils, with their notes.
			FrameworkPrices []struct {
				Council string `json:"council"`
				Note    string `json:"note"`
			} `json:"framework_prices"`
			// The time from referral to placement: Amy has not moved.
			ToPlacement *struct {
				Children   any `json:"children_moved"`
				MedianDays any `json:"median_days"`
			} `json:"referral_to_placement"`
		} `json:"referrals"`
	}
	sent := today.AddDate(0, 0, -30).Format("2006-01-02")
	var file strings.Builder
	file.WriteString("child,placement,referralDate,status,outcome,answered_at,decline_reason\n")
	for range 6 {
		fmt.Fprintf(&file, "%d,%d,%s,declined,declined,%s,no_capacity\n", f.amy.ID, f.place.ID, sent, sent)
	}
	if r := f.do("admin", "POST", "/v1/import/referrals?format=csv", file.String()); r.status != 201 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	r := f.do("commissioner", "GET", "/v1/sufficiency?council=E08000003", nil)
	f.want(r, 200)
	var b body
	r.json(t, &b)
	got := b.Referrals
	if got == nil || got.All.Referrals != float64(6) || got.All.Declined != float64(6) || got.Children != "c" {
		t.Fatalf("Manchester after six declines of one child: %+v", got)
	}
	if want := sufficiency.FinancialYear(today); b.PriceYear != want {
		t.Errorf("price_year %q, want %q: the financial year of the report's day", b.PriceYear, want)
	}
	if got.FrameworkPrices == nil {
		t.Error("no framework_prices list (an empty list when none is set)")
	}
	if tp := got.ToPlacement; tp == nil || tp.Children != float64(0) || tp.MedianDays != nil {
		t.Errorf("Manchester's time from referral to placement, no child moved: %+v", tp)
	}
	if len(got.ByKind) == 0 || len(got.ByNeed) == 0 || len(got.Providers) != 0 {
		t.Errorf("Manchester's breakdowns: %d kinds, %d needs, %d providers (England's only)", len(got.ByKind), len(got.ByNeed), len(got.Providers))
	}
	r = f.do("commissioner", "GET", "/v1/sufficiency", nil)
	f.want(r, 200)
	b = body{}
	r.json(t, &b)
	if len(b.Referrals.Providers) == 0 {
		t.Errorf("England's referral figures have no providers: %+v", b.Referrals)
	}
}
