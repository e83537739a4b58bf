package sufficiency

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/placematch/placematch/internal/golden"
)

// TestGroupNouns: every group of the equity dimensions has a noun of its own that starts a
// sentence, not "Children" and its table label.
func TestGroupNouns(t *testing.T) {
	t.Parallel()
	for _, b := range Breakdowns() {
		if !containsDim(EquityDimensions, b.Dimension) {
			continue
		}
		n, ok := groupNouns[b.Key()]
		if !ok {
			t.Errorf("%s has no group noun", b.Key())
			continue
		}
		if strings.ToUpper(n[:1]) != n[:1] || !(strings.Contains(n, "children") || strings.HasPrefix(n, "Children") || strings.HasPrefix(n, "Young people")) {
			t.Errorf("%s: noun %q", b.Key(), n)
		}
	}
}

func containsDim(ds []Dimension, d Dimension) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// TestWilson: known intervals, and properties: the interval holds the share, stays within 0 to
// 100, and narrows as the group grows.
func TestWilson(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		k, n, low, high float64
	}{
		{0, 10, 0, 27.75},
		{10, 10, 72.25, 100},
		{81, 100, 72.2, 87.5},
		{5, 50, 4.35, 21.36},
	} {
		l, h, ok := wilson(tc.k, tc.n)
		if !ok || math.Abs(l-tc.low) > 0.05 || math.Abs(h-tc.high) > 0.05 {
			t.Errorf("wilson(%g, %g) = %.2f, %.2f, want %.2f, %.2f", tc.k, tc.n, l, h, tc.low, tc.high)
		}
	}
	if _, _, ok := wilson(0, 0); ok {
		t.Error("an interval of no children")
	}
	rng := rand.New(rand.NewPCG(24, 1))
	for range 1000 {
		n := float64(1 + rng.IntN(500))
		k := float64(rng.IntN(int(n) + 1))
		l, h, _ := wilson(k, n)
		p := 100 * k / n
		if l < 0 || h > 100 || l > p+1e-9 || h < p-1e-9 {
			t.Fatalf("wilson(%g, %g) = [%g, %g] does not hold %g", k, n, l, h, p)
		}
		l4, h4, _ := wilson(4*k, 4*n)
		if h4-l4 >= h-l {
			t.Fatalf("wilson(%g, %g) is no narrower than wilson(%g, %g)", 4*k, 4*n, k, n)
		}
	}
}

// TestFaresWorseBeyondChance: a group is flagged only when its gap reaches worseByPoints and
// all children's share lies outside its interval; a gap as large in a small group is within
// chance.
func TestFaresWorseBeyondChance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		k, n, all       float64
		flagged, chance bool
	}{
		{"large group, large gap", 600, 1000, 80, true, false},
		{"small group, large gap", 7, 10, 80, false, true},
		{"small gap", 78, 100, 80, false, false},
		{"better", 95, 100, 80, false, false},
	} {
		g := EquityGroup{}
		g.TwoChoicesLow, g.TwoChoicesHigh = interval(CountFigure(int(tc.k)), CountFigure(int(tc.n)))
		gap := valueFigure(100*tc.k/tc.n-tc.all, 1)
		big, real := worse(gap, valueFigure(tc.all, 1), g.TwoChoicesLow, g.TwoChoicesHigh)
		if real != tc.flagged || (big && !real) != tc.chance {
			t.Errorf("%s: fares worse %v, within chance %v", tc.name, real, big && !real)
		}
	}
}

// TestEquitySentences: the sentences of the fixture's England and Cornwall, as a commissioner
// reads them.
func TestEquitySentences(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	var b bytes.Buffer
	for _, code := range []string{EnglandCode, string(cornwall)} {
		e, ok := r.Equity(code)
		if !ok {
			t.Fatal(code)
		}
		b.WriteString(e.Area.Name + "\n")
		writeEquitySentences(&b, e)
	}
	golden.Check(t, "testdata/equity_sentences.txt", b.Bytes())
}
