package synth

import (
	"flag"
	"math"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

var tune = flag.Bool("tune", false, "search the parameters of the model of moves against the calibration figures (slow)")

// historyTargets are the figures the model of moves is calibrated to, with their weights in
// the search: DfE 2024 (3+ placements in the year, long-term stability, 68% with one placement
// in the year; about 33,000 children come into care a year, of whom some 22,000 are still
// looked after at its end) and the Children's Commissioner (3+ placements over two years; over 3,000 of
// about 82,000 children with 4+ moves over two years).
var historyTargets = []struct {
	name   string
	share  float64
	weight float64
}{
	{"three_plus_year", 0.10, 1},
	{"three_plus_two_years", 0.23, 1.5},
	{"four_plus_moves_two_years", 0.039, 1},
	{"long_term_stable", 0.70, 1},
	{"moved_year", 0.32, 0.2},
	{"entered_year", 0.27, 0.5},
}

func historyShares(b catalogue.Batch, cfg Config) map[string]float64 {
	var s catalogue.StabilitySummary
	entered, yearAgo := 0, cfg.Today.AddDate(-1, 0, 0)
	for _, h := range histories(b) {
		st := catalogue.StabilityOf(h.DateOfBirth, h.Council, h.Episodes, cfg.Today)
		s.Add(st)
		if st.InCare && st.InCareSince.After(yearAgo) {
			entered++
		}
	}
	out := map[string]float64{"entered_year": float64(entered) / float64(max(1, s.LookedAfter))}
	for _, ind := range s.Indicators() {
		out[ind.Name] = ind.Share()
	}
	return out
}

// TestTuneHistory searches the parameters of the model of moves, one at a time, for the
// smallest weighted squared relative error against historyTargets, on a quarter of England.
// It prints the parameters found; defaultMoveModel holds them.
func TestTuneHistory(t *testing.T) {
	t.Parallel()
	if !*tune {
		t.Skip("run with -tune to search the model of moves")
	}
	cfg := Scaled(0.25)
	loss := func(m moveModel) (float64, map[string]float64) {
		c := cfg
		c.moves = &m
		b, err := Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		got := historyShares(b, c)
		l := 0.0
		for _, tg := range historyTargets {
			e := (got[tg.name] - tg.share) / tg.share
			l += tg.weight * e * e
		}
		return l, got
	}
	m := defaultMoveModel()
	params := []*float64{&m.Emergency, &m.ShortTerm, &m.ShortYears, &m.RecentCare, &m.FirstYear, &m.SecondYear,
		&m.Rates[0], &m.Rates[1], &m.Rates[2], &m.Weights[1], &m.Weights[2], &m.Permanence, &m.LongStay, &m.PriorCare}
	names := []string{"Emergency", "ShortTerm", "ShortYears", "RecentCare", "FirstYear", "SecondYear", "Rates[0]", "Rates[1]", "Rates[2]",
		"Weights[1]", "Weights[2]", "Permanence", "LongStay", "PriorCare"}
	best, got := loss(m)
	t.Logf("start: loss %.4f %v", best, got)
	for step := 0.3; step > 0.02; step /= 2 {
		for improved := true; improved; {
			improved = false
			for i, p := range params {
				for _, f := range []float64{1 + step, 1 / (1 + step)} {
					old := *p
					*p = old * f
					if (names[i] == "Emergency" || names[i] == "ShortTerm" || names[i] == "PriorCare") && *p > 0.95 {
						*p = old
						continue
					}
					if l, g := loss(m); l < best {
						best, got, improved = l, g, true
						t.Logf("step %.3f %s %.4g -> %.4g: loss %.4f", step, names[i], old, *p, l)
						break
					}
					*p = old
				}
			}
		}
	}
	t.Logf("found: %+v\nloss %.4f %v", m, best, got)
	if math.IsNaN(best) {
		t.Fatal("loss is not a number")
	}
}
