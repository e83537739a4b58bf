package sufficiency

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/placematch/placematch/synth"
)

var (
	demoOnce   sync.Once
	demoReport *Report
	demoErr    error
)

// demoEngland is the report on the demo synthetic England (every council, about 1,000 children
// waiting), analysed once for the tests that read it.
func demoEngland(t testing.TB) *Report {
	t.Helper()
	if testing.Short() {
		t.Skip("analyses the synthetic England")
	}
	demoOnce.Do(func() {
		// PLACEMATCH_TEST_SCALE=1 runs the tests on this England at national scale, once by hand
		// (docs/sufficiency.md says when it was last run and what it found).
		cfg := synth.Demo()
		if f, err := strconv.ParseFloat(os.Getenv("PLACEMATCH_TEST_SCALE"), 64); err == nil && f > 0 {
			cfg = synth.Scaled(f)
		}
		b, err := synth.Generate(cfg)
		if err != nil {
			demoErr = err
			return
		}
		w := synth.Materialise(b, cfg.Today)
		in := Input{Today: w.Today, Children: w.Children, Groups: w.SiblingGroups, Placements: w.Placements, LoadedAt: w.Today,
			TurningEighteen: TurningEighteenFromHistories(w.Children, w.Episodes, w.Today),
			Leaving:         LeavingFromHistories(w.Children, w.Episodes, w.Today)}
		a, err := run(context.Background(), &in, Config{})
		if err != nil {
			demoErr = err
			return
		}
		demoReport = a.publish(in.Today)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoReport
}

// TestLargeGroupsShown: on the demo synthetic England, secondary suppression withholds a
// figure of a group of 50 or more children at England or region level only where no smaller
// figure could protect: some relation holding it has every other figure that could be withheld
// withheld already. The notes name each one; and every group's children waiting, and its share
// with two real choices where the group is 50 or more, stay shown (issue 24).
func TestLargeGroupsShown(t *testing.T) {
	t.Parallel()
	r := demoEngland(t)
	tl := r.tally
	rs := tl.relations()
	byCell := map[int32][]int{}
	for k := range rs.len() {
		for _, c := range rs.of(k) {
			byCell[c] = append(byCell[c], k)
		}
	}
	ex := tl.largeWithheld(r.sup)
	for _, c := range ex {
		needed := false
		for _, k := range byCell[int32(c)] {
			smaller := false
			for _, o := range rs.of(k) {
				if int(o) != c && !r.sup[o] && tl.v[o] > 0 && !tl.large(int(o)) {
					smaller = true
				}
			}
			if !smaller {
				needed = true
			}
		}
		if !needed {
			row := c / nCount
			t.Errorf("%s, %s: figure %d (%d) withheld though smaller figures could protect", tl.areas.list[row/nBreakdowns].Name,
				breakdowns[row%nBreakdowns].Label, c%nCount, tl.v[c])
		}
	}
	note, ok := tl.largeNote(r.sup)
	if len(ex) > 0 && (!ok || !slices.Contains(r.Notes, note) || !strings.Contains(note, strconv.Itoa(len(ex))+" are")) {
		t.Errorf("the notes do not name the %d exceptions: %q", len(ex), note)
	}
	checked := 0
	for _, a := range r.Areas {
		if a.Area.Level == LevelCouncil {
			continue
		}
		e, _ := r.Equity(a.Area.Code)
		for _, d := range e.Dimensions {
			for _, g := range d.Groups {
				if !g.Waiting.Shown() || g.Waiting.Value() < largeGroup {
					continue
				}
				checked++
				b, _ := breakdownIndex(g.Breakdown.Key())
				c := rowOf(r.index[a.Area.Code], b)*nCount + mTwo
				if !g.TwoChoicesPct.Shown() && r.sup[c] && !slices.Contains(ex, c) {
					t.Errorf("%s, children %s (%s): two choices withheld, not an exception", a.Area.Name, g.Breakdown.Label, g.Waiting)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no group of 50 or more in England or a region")
	}
	t.Logf("%d groups of 50 or more checked; %d figures withheld as exceptions", checked, len(ex))
}
