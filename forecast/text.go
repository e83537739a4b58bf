package forecast

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteHistory writes the stock on each 31 March by category, and each year's flows.
func WriteHistory(w io.Writer, h History) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "children looked after on 31 March\t%s\tall\t\n", categoryHeads())
	for _, d := range h.Snapshots() {
		s := h.StockOn(d)
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t\n", d.Format(time.DateOnly), counts(s.ByCategory()), s.Total())
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "flows over the year to\tstart\tentered\tleft care\taged out (18)\tmoved category\taged up a band\tend\t\n")
	snaps := h.Snapshots()
	for i := 1; i < len(snaps); i++ {
		f := h.FlowsBetween(snaps[i-1], snaps[i])
		s := f.Summary()
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t\n", snaps[i].Format(time.DateOnly), s.Start, s.Entered, s.Left, s.AgedOut, s.Moved, s.AgedUp, s.End)
	}
	return tw.Flush()
}

// WriteForecast writes the forecast of each category and of all children, each year's
// expected number with its 80% interval.
func WriteForecast(w io.Writer, start Stock, origin time.Time, years []Year) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "category\t%s", origin.Format(time.DateOnly))
	for _, y := range years {
		fmt.Fprintf(tw, "\t%s (80%% interval)", y.On.Format(time.DateOnly))
	}
	fmt.Fprintln(tw, "\t")
	byCat := start.ByCategory()
	for i := range NumCategories + 1 {
		name, now := "all", start.Total()
		if i < NumCategories {
			name, now = Category(i).String(), byCat[i]
		}
		fmt.Fprintf(tw, "%s\t%.0f", name, now)
		for _, y := range years {
			iv := y.All
			if i < NumCategories {
				iv = y.ByCategory[i]
			}
			fmt.Fprintf(tw, "\t%.0f (%.0f to %.0f)", figure(y.Point, i), iv.Low, iv.High)
		}
		fmt.Fprintln(tw, "\t")
	}
	return tw.Flush()
}

// WriteBacktest writes a backtest: each held-out year's counts against both forecasts, then
// each method's mean absolute percentage error by category.
func WriteBacktest(w io.Writer, bt Backtest) error {
	fmt.Fprintf(w, "backtest: fitted on the 31 Marches %s to %s, held out %s to %s\n",
		bt.Fitted[0].Format(time.DateOnly), bt.Fitted[len(bt.Fitted)-1].Format(time.DateOnly),
		bt.Held[0].Format(time.DateOnly), bt.Held[len(bt.Held)-1].Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "31 March\tcategory\tcounted\tstock and flow (80%% interval)\tCSDM method\t\n")
	for y, d := range bt.Held {
		for i := range NumCategories + 1 {
			name := "all"
			iv := bt.Model[y].All
			if i < NumCategories {
				name, iv = Category(i).String(), bt.Model[y].ByCategory[i]
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f (%.0f to %.0f)\t%.0f\t\n", d.Format(time.DateOnly), name,
				figure(bt.Actual[y], i), figure(bt.Model[y].Point, i), iv.Low, iv.High, figure(bt.CSDM[y], i))
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "mean absolute %% error\t%s\tall\t\n", categoryHeads())
	fmt.Fprintf(tw, "stock and flow\t%s\t\n", percents(bt.ModelMAPE))
	fmt.Fprintf(tw, "CSDM method\t%s\t\n", percents(bt.CSDMMAPE))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "counted figures inside the stock-and-flow model's 80%% interval: %d of %d\n", bt.Covered, bt.Figures)
	return err
}

func categoryHeads() string {
	names := make([]string, NumCategories)
	for i, c := range Categories {
		names[i] = c.String()
	}
	return strings.Join(names, "\t")
}

func counts(xs [NumCategories]float64) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(out, "\t")
}

func percents(xs [NumCategories + 1]float64) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		if math.IsNaN(x) {
			out[i] = "-"
		} else {
			out[i] = fmt.Sprintf("%.1f", x)
		}
	}
	return strings.Join(out, "\t")
}
