package sufficiency

import (
	"encoding/csv"
	"io"

	"github.com/placematch/placematch/exchange"
)

// csvLead are the columns that say what a CSV row is; the figures follow (Metrics.Fields).
var csvLead = []string{"level", "area_code", "area_name", "region_code", "dimension", "breakdown", "breakdown_label"}

// WriteCSV writes rows as CSV: one line per row, figures as the DfE prints them (c withheld,
// z not applicable), the money figures' price basis last (price_year: "2026-27"), text cells escaped against spreadsheet formulas as the catalogue's exports
// are (exchange.EscapeCell).
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	var empty Metrics
	header := append([]string(nil), csvLead...)
	for _, f := range empty.Fields() {
		header = append(header, f.Key)
	}
	header = append(header, "price_year") // the money columns' price basis: the financial year of the report's day
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, 0, len(header))
	for i := range rows {
		r := &rows[i]
		rec = rec[:0]
		for _, s := range []string{string(r.Area.Level), r.Area.Code, r.Area.Name, r.Area.Region, string(r.Breakdown.Dimension),
			r.Breakdown.Value, r.Breakdown.Label} {
			rec = append(rec, exchange.EscapeCell(s))
		}
		for _, f := range r.Metrics.Fields() {
			rec = append(rec, f.String())
		}
		rec = append(rec, r.PriceYear)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Rows returns every row of the report: each area's, all children first, then its breakdowns.
func (r *Report) Rows() []Row {
	var out []Row
	for i := range r.Areas {
		out = append(out, r.Areas[i].Rows...)
	}
	return out
}

// Rows returns the view's rows: its areas, then its breakdowns.
func (v *View) Rows() []Row {
	return append(append([]Row(nil), v.Areas...), v.Breakdowns...)
}
