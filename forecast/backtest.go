package forecast

import (
	"fmt"
	"math"
	"time"
)

// Backtest is both methods fitted on a history's early years and checked on the years held
// out after them.
type Backtest struct {
	Fitted []time.Time // the 31 Marches fitted on; the last is where both forecasts start
	Held   []time.Time // the 31 Marches held out
	Actual []Stock     // the stock counted on each held-out 31 March
	Model  []Year      // the stock-and-flow model's forecast of each
	CSDM   []Stock     // the Children's Services Demand Model's
	// MAPE is each method's mean absolute percentage error over the held-out years, by category
	// and then for all children (index NumCategories); NaN where no child of it was counted.
	ModelMAPE, CSDMMAPE [NumCategories + 1]float64
	// Covered counts the held-out figures (each category and all, each year, where any child
	// was counted) inside the model's 80% interval, out of Figures.
	Covered, Figures int
}

// RunBacktest holds out the last hold 31 Marches of the history, fits both methods on the ones
// before (at least two) and forecasts the held-out years from the last fitted one.
func RunBacktest(h History, hold int) (Backtest, error) {
	snaps := h.Snapshots()
	if hold < 1 || len(snaps) < hold+2 {
		return Backtest{}, fmt.Errorf("forecast: holding out %d years needs at least %d 31 Marches; the history has %d", hold, hold+2, len(snaps))
	}
	fit, held := snaps[:len(snaps)-hold], snaps[len(snaps)-hold:]
	bt := Backtest{Fitted: fit, Held: held}
	m, err := Fit(h, fit)
	if err != nil {
		return Backtest{}, err
	}
	origin := fit[len(fit)-1]
	start := h.StockOn(origin)
	bt.Model = m.Forecast(start, origin, hold)
	bt.CSDM = FitCSDM(h, fit[0], origin).Project(start, origin, held)
	for _, d := range held {
		bt.Actual = append(bt.Actual, h.StockOn(d))
	}
	for i := range NumCategories + 1 {
		var ours, theirs []float64
		var actual []float64
		for y := range held {
			a, f, c := figure(bt.Actual[y], i), figure(bt.Model[y].Point, i), figure(bt.CSDM[y], i)
			actual, ours, theirs = append(actual, a), append(ours, f), append(theirs, c)
			if a > 0 {
				iv := bt.Model[y].All
				if i < NumCategories {
					iv = bt.Model[y].ByCategory[i]
				}
				bt.Figures++
				if a >= iv.Low && a <= iv.High {
					bt.Covered++
				}
			}
		}
		bt.ModelMAPE[i], bt.CSDMMAPE[i] = mape(actual, ours), mape(actual, theirs)
	}
	return bt, nil
}

// figure is a stock's children of category i, or all of them when i is NumCategories.
func figure(s Stock, i int) float64 {
	if i == NumCategories {
		return s.Total()
	}
	return s.ByCategory()[i]
}

// mape is the mean absolute percentage error of the forecasts f of the actual figures a,
// leaving out figures of no child; NaN when every one is.
func mape(a, f []float64) float64 {
	sum, n := 0.0, 0
	for i := range a {
		if a[i] > 0 {
			sum += math.Abs(f[i]-a[i]) / a[i] * 100
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
