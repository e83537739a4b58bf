package sufficiency

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

// The tables of a view, each as its own CSV, as a commissioner downloads them: the areas and
// breakdowns (WriteCSV), the equity section, the benchmark, capacity, stability and the
// referral figures (WriteReferralCSV). Figures are printed as the DfE prints them (c withheld,
// z not applicable), text escaped against spreadsheet formulas.

// Tables are the names of the tables WriteTableCSV writes, in the order a page shows them.
var Tables = []string{"areas", "equity", "benchmark", "capacity", "stability", "referrals", "forecast"}

// WriteTableCSV writes one table of a view as CSV. A table the view does not have (a benchmark
// outside a council's view) is its header alone; a name not in Tables is invalid input naming
// table.
func WriteTableCSV(w io.Writer, r *Report, v *View, table string) error {
	switch table {
	case "", "areas":
		return WriteCSV(w, v.Rows())
	case "referrals":
		return WriteReferralCSV(w, r, []*AreaReport{v.Scope})
	}
	cw := csv.NewWriter(w)
	write := func(cells ...string) {
		for i, c := range cells {
			cells[i] = exchange.EscapeCell(c)
		}
		_ = cw.Write(cells)
	}
	scope := v.Scope.Area
	switch table {
	case "equity":
		write("area_code", "area_name", "dimension", "breakdown", "breakdown_label", "waiting", "two_choices_pct", "two_choices_low", "two_choices_high",
			"two_choices_gap", "matched_pct", "matched_low", "matched_high", "matched_gap", "within_20_pct", "siblings_together_pct", "average_score",
			"fares_worse", "within_chance", "outcome_decomposed", "gap_points", "explained_points", "unexplained_points", "text")
		if e := v.Equity; e != nil {
			for _, d := range e.Dimensions {
				for _, g := range d.Groups {
					row := []string{scope.Code, scope.Name, string(d.Dimension), g.Breakdown.Value, g.Breakdown.Label, g.Waiting.String(),
						g.TwoChoicesPct.String(), g.TwoChoicesLow.String(), g.TwoChoicesHigh.String(), g.TwoChoicesGap.String(),
						g.MatchedPct.String(), g.MatchedLow.String(), g.MatchedHigh.String(), g.MatchedGap.String(),
						g.Within20Pct.String(), g.SiblingsTogetherPct.String(), g.AverageScore.String(),
						strconv.FormatBool(g.FaresWorse), strconv.FormatBool(g.WithinChance)}
					if len(g.Decompositions) == 0 {
						write(append(row, "", "", "", "", g.Text)...)
						continue
					}
					for _, dc := range g.Decompositions { // one line per outcome decomposed
						write(append(append([]string(nil), row...), dc.Outcome, dc.Gap.String(), dc.Explained.String(), dc.Unexplained.String(), dc.Text)...)
					}
				}
			}
		}
	case "benchmark":
		write("council_code", "council_name", "figure", "label", "council", "region", "england", "rank", "of", "better")
		if b := v.Benchmark; b != nil {
			for _, row := range b.Rows {
				write(b.Council.Code, b.Council.Name, row.Key, row.Label, row.Council.String(), row.Region.String(), row.England.String(),
					row.Rank.String(), strconv.Itoa(row.Of), row.Better)
			}
		}
	case "capacity":
		write("area_code", "area_name", "kind", "placements", "approved", "filled", "held", "vacant", "not_available")
		for _, c := range v.Scope.Capacity {
			write(scope.Code, scope.Name, c.Kind, strconv.Itoa(c.Placements), strconv.Itoa(c.Approved), strconv.Itoa(c.Filled),
				strconv.Itoa(c.Held), strconv.Itoa(c.Vacant), strconv.Itoa(c.NotAvailable))
		}
	case "stability":
		write("area_code", "area_name", "indicator", "label", "children", "of", "pct")
		for _, s := range v.Scope.Stability {
			write(scope.Code, scope.Name, s.Name, s.Label, s.Count.String(), s.Denominator.String(), s.Percent.String())
		}
	case "forecast":
		write("area_code", "area_name", "year_end", "category", "expected", "low_80", "high_80", "places_now", "shortfall")
		blank := func(n int) string {
			if n < 0 {
				return ""
			}
			return strconv.Itoa(n)
		}
		for _, f := range ForecastRows(v.Scope) {
			write(scope.Code, scope.Name, f.On.Format(time.DateOnly), f.Category, strconv.Itoa(f.Expected), strconv.Itoa(f.Low),
				strconv.Itoa(f.High), blank(f.Places), blank(f.Shortfall))
		}
	default:
		return fmt.Errorf("sufficiency: %w", catalogue.Invalid("table", "must be one of %v", Tables))
	}
	cw.Flush()
	return cw.Error()
}
