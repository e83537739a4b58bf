package forecast

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Model is the stock-and-flow model fitted on a history's yearly flows: for each cell, where its
// children are a year later (a cell, or out of care), and how many children enter each cell in
// a year.
type Model struct {
	// Fitted are the years fitted on, each the flows between two consecutive 31 Marches.
	Fitted []Flows
	// Move[a][b] is the share of the children in cell a on a 31 March who are in cell b a year
	// later, pooled over the fitted years; 1 minus a row's sum is the share who left care or
	// aged out.
	Move [NumCells][NumCells]float64
	// Entries is the mean yearly number of children entering each cell (counted on the 31 March
	// after they came in).
	Entries Stock
	// years are each fitted year's own shares (a row with no child that year takes the pooled
	// row) and entries, which the simulation draws from.
	years []yearRates
}

type yearRates struct {
	move    [NumCells][NumCells]float64
	entries Stock
}

// ErrTooShort is returned when a history has too few 31 Marches to fit on.
var ErrTooShort = errors.New("forecast: the history needs at least two 31 Marches to fit on")

// Fit fits the stock-and-flow model on the flows of every consecutive pair of the given
// 31 Marches.
func Fit(h History, snapshots []time.Time) (Model, error) {
	if len(snapshots) < 2 {
		return Model{}, ErrTooShort
	}
	var m Model
	for i := 1; i < len(snapshots); i++ {
		m.Fitted = append(m.Fitted, h.FlowsBetween(snapshots[i-1], snapshots[i]))
	}
	var start Stock
	for i := range m.Fitted {
		f := &m.Fitted[i]
		s := f.Start()
		for a := range NumCells {
			start[a] += s[a]
			for b := range NumCells {
				m.Move[a][b] += f.Stay[a][b]
			}
			m.Entries[a] += f.Entered[a] / float64(len(m.Fitted))
		}
	}
	for a := range NumCells {
		for b := range NumCells {
			if start[a] > 0 {
				m.Move[a][b] /= start[a]
			}
		}
	}
	// A cell nobody was in on any fitted 31 March has no evidence of where its children go: they
	// are taken to stay in its category, a year's worth of them (one in the band's length in
	// years) ageing into the next band, or out of care at 18.
	for a := range NumCells {
		if start[a] == 0 {
			m.Move[a] = ageingOnly(Cell(a))
		}
	}
	for i := range m.Fitted {
		f := &m.Fitted[i]
		s := f.Start()
		y := yearRates{entries: f.Entered}
		for a := range NumCells {
			if s[a] == 0 {
				y.move[a] = m.Move[a]
				continue
			}
			for b := range NumCells {
				y.move[a][b] = f.Stay[a][b] / s[a]
			}
		}
		m.years = append(m.years, y)
	}
	return m, nil
}

// ageingOnly is the row of a cell whose children only age.
func ageingOnly(a Cell) [NumCells]float64 {
	var row [NumCells]float64
	b := a.Band()
	up := 1 / float64(bands[b].max-bands[b].min+1)
	row[a] = 1 - up
	if b+1 < NumBands {
		row[CellOf(b+1, a.Category())] = up
	}
	return row
}

// step is one year of the model from stock s, as expected.
func step(move *[NumCells][NumCells]float64, entries Stock, s Stock) Stock {
	var out Stock
	for a := range NumCells {
		if s[a] == 0 {
			continue
		}
		for b := range NumCells {
			out[b] += s[a] * move[a][b]
		}
	}
	for b := range NumCells {
		out[b] += entries[b]
	}
	return out
}

// Interval is the central 80% of the simulated forecasts: the 10th and 90th percentiles.
type Interval struct{ Low, High float64 }

// Year is the forecast for one 31 March.
type Year struct {
	On    time.Time
	Point Stock // expected children by cell
	// ByCategory are the intervals of each category's children (all bands), and All the
	// interval of every child.
	ByCategory [NumCategories]Interval
	All        Interval
}

// Draws is how many simulated futures the interval is drawn from.
const Draws = 400

// seed fixes the simulation: the same history gives the same interval.
const seed = 21

// Forecast projects the stock on a 31 March (start, counted from the history) the given
// number of years ahead.
func (m Model) Forecast(start Stock, on time.Time, years int) []Year {
	out := make([]Year, years)
	s := start
	for i := range years {
		s = step(&m.Move, m.Entries, s)
		out[i] = Year{On: YearEnd(on.Year() + i + 1), Point: s}
	}
	// The simulation: each draw starts from the stock as counted and, each year, draws a fitted
	// year whole, then every child's cell a year on and the entries as counts.
	rng := rand.New(rand.NewPCG(seed, uint64(len(m.years))))
	cats := make([][NumCategories][]float64, years)
	all := make([][]float64, years)
	for range Draws {
		var cur Stock
		for a := range NumCells {
			cur[a] = math.Round(start[a])
		}
		for i := range years {
			y := &m.years[rng.IntN(len(m.years))]
			var next Stock
			for a := range NumCells {
				multinomial(rng, cur[a], &y.move[a], &next)
			}
			for b := range NumCells {
				next[b] += poisson(rng, y.entries[b])
			}
			cur = next
			byCat := cur.ByCategory()
			for c := range NumCategories {
				cats[i][c] = append(cats[i][c], byCat[c])
			}
			all[i] = append(all[i], cur.Total())
		}
	}
	for i := range years {
		for c := range NumCategories {
			out[i].ByCategory[c] = interval(cats[i][c])
		}
		out[i].All = interval(all[i])
	}
	return out
}

func interval(xs []float64) Interval {
	slices.Sort(xs)
	at := func(q float64) float64 { return xs[int(math.Round(q*float64(len(xs)-1)))] }
	return Interval{Low: at(0.1), High: at(0.9)}
}

// multinomial sends n children to the cells with the shares p (the rest leave), adding them to
// out: one binomial draw per cell, of those not yet sent.
func multinomial(rng *rand.Rand, n float64, p *[NumCells]float64, out *Stock) {
	left := 1.0
	for b := range NumCells {
		if n <= 0 || left <= 0 {
			return
		}
		if p[b] <= 0 {
			continue
		}
		k := binomial(rng, n, min(1, p[b]/left))
		out[b] += k
		n -= k
		left -= p[b]
	}
}

// binomial draws from Binomial(n, p): child by child when few, else from the normal
// approximation, rounded and kept within 0..n.
func binomial(rng *rand.Rand, n, p float64) float64 {
	if n*p*(1-p) < 25 {
		k := 0.0
		for range int(n) {
			if rng.Float64() < p {
				k++
			}
		}
		return k
	}
	x := math.Round(n*p + rng.NormFloat64()*math.Sqrt(n*p*(1-p)))
	return min(n, max(0, x))
}

// poisson draws from Poisson(lambda): by multiplying uniforms when small, else from the normal
// approximation, rounded and kept at 0 or over.
func poisson(rng *rand.Rand, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		l, k, p := math.Exp(-lambda), 0.0, 1.0
		for {
			p *= rng.Float64()
			if p <= l {
				return k
			}
			k++
		}
	}
	return max(0, math.Round(lambda+rng.NormFloat64()*math.Sqrt(lambda)))
}
