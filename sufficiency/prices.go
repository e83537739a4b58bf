package sufficiency

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Prices with their year. Every money figure of a report (the weekly costs of the homes the
// joint match places children in, the fees accepted against the framework prices) is in the
// prices of the financial year of the report's day, April to March, as councils budget and the
// DfE and CIPFA publish unit costs: "2026-27 prices". The year comes from the report's day,
// never from the wall clock, so a report for a past day says that day's year. A framework price
// is as its council set it, with its note (which framework, lot and year it comes from).

// FinancialYear is the financial year (1 April to 31 March) of a day: "2026-27" for any day from
// 1 April 2026 to 31 March 2027.
func FinancialYear(day time.Time) string {
	y := day.Year()
	if day.Month() < time.April {
		y--
	}
	return fmt.Sprintf("%d-%02d", y, (y+1)%100)
}

// PriceYear is the financial year whose prices the report's money figures are in: its day's.
func (r *Report) PriceYear() string { return FinancialYear(r.Today) }

// PriceBasis says it in words: "2026-27 prices".
func (r *Report) PriceBasis() string { return r.PriceYear() + " prices" }

// FrameworkPrices lists the framework prices of the councils of an area (England: every
// council's) the report set fees against, by council then kind, each with its note; none when
// the report was given no referrals.
func (r *Report) FrameworkPrices(a Area) []catalogue.FrameworkPrice {
	if r.an == nil || r.an.in.Referrals == nil {
		return nil
	}
	var out []catalogue.FrameworkPrice
	for _, p := range r.an.in.FrameworkPrices {
		c, ok := catalogue.CouncilByCode(p.Council)
		if !ok {
			continue
		}
		if a.Level == LevelEngland || (a.Level == LevelRegion && string(c.RegionCode) == a.Code) || (a.Level == LevelCouncil && string(p.Council) == a.Code) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y catalogue.FrameworkPrice) int {
		return cmp.Or(cmp.Compare(x.Council, y.Council), cmp.Compare(x.Kind, y.Kind))
	})
	return out
}
