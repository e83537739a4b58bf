package sufficiency

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestTablesAsCSV: every table of a council's view is a CSV whose rows all have the header's
// width and carry the view's figures as the page shows them (withheld as c); a table the view
// lacks is its header alone; a name that is not a table is refused naming table.
func TestTablesAsCSV(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	var council string
	for _, ar := range r.Areas {
		if ar.Area.Level == LevelCouncil && ar.All().Metrics.Waiting.Value() >= 5 {
			council = ar.Area.Code
			break
		}
	}
	if council == "" {
		t.Fatal("the fixture has no council with five children waiting")
	}
	v, err := r.View(Filter{Council: catalogue.CouncilCode(council)})
	if err != nil {
		t.Fatal(err)
	}
	england, err := r.View(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	read := func(view *View, table string) [][]string {
		t.Helper()
		var b bytes.Buffer
		if err := WriteTableCSV(&b, r, view, table); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		recs, err := csv.NewReader(&b).ReadAll() // fails on rows of another width
		if err != nil || len(recs) == 0 {
			t.Fatalf("%s: %v (%d lines)", table, err, len(recs))
		}
		return recs
	}
	for _, table := range Tables {
		recs := read(v, table)
		// The fixture's report has no forecast: its table is checked with one in api's
		// TestSufficiencyForecast.
		if table != "stability" && table != "referrals" && table != "forecast" && len(recs) < 2 {
			t.Errorf("%s: only a header for %s", table, v.Scope.Area.Name)
		}
	}
	if recs := read(england, "benchmark"); len(recs) != 1 {
		t.Errorf("England's view has no benchmark, yet the table has %d lines", len(recs))
	}
	// The equity table carries each group's figures as the view holds them.
	eq := read(v, "equity")
	col := map[string]int{}
	for i, h := range eq[0] {
		col[h] = i
	}
	n := 0
	for _, d := range v.Equity.Dimensions {
		for _, g := range d.Groups {
			for _, rec := range eq[1:] {
				if rec[col["breakdown"]] == g.Breakdown.Value && rec[col["dimension"]] == string(d.Dimension) {
					n++
					if rec[col["two_choices_pct"]] != g.TwoChoicesPct.String() || rec[col["waiting"]] != g.Waiting.String() {
						t.Errorf("equity %s: %v, want %s and %s", g.Breakdown.Key(), rec, g.Waiting, g.TwoChoicesPct)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Error("no group of the equity section in its table")
	}
	var b bytes.Buffer
	if err := WriteTableCSV(&b, r, v, "everything"); !isInvalidField(err, "table") {
		t.Errorf("a table that is not one: %v, want invalid table", err)
	}
	if strings.Contains(b.String(), ",") {
		t.Error("a refused table wrote something")
	}
}
