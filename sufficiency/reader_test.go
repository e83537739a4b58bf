package sufficiency

import (
	"errors"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// auditReader checks the report a council's staff see against what they know: every figure of
// their council is shown as it is, however small; every other count from 1 to 4 is withheld;
// no relation is left with one figure withheld once the council's figures are known (its
// region less its own would give another council's away); the certificates hold, none of them
// through the council's figures; and no withheld figure can be worked out by any combination of
// relations, except those the DfE's rule alone protects, as in the published report. The tables
// that add up only along the areas are audited the same way.
//
// dense runs the exact audit by linear algebra too (seconds on a synthetic England).
func auditReader(t *testing.T, name string, r *Report, area string, dense bool) {
	t.Helper()
	var own *Report
	var err error
	if a, _ := r.Area(area); a != nil && a.Area.Level == LevelRegion {
		own, err = r.ForRegion(catalogue.RegionCode(area))
	} else {
		own, err = r.For(catalogue.CouncilCode(area))
	}
	if err != nil {
		t.Fatal(err)
	}
	if own.Reader != area || r.Reader != "" {
		t.Fatalf("%s: the reader's report is for %q and the published one for %q", name, own.Reader, r.Reader)
	}
	tl, sup := own.tally, own.sup
	x := own.index[area]
	known := map[int]bool{x: true}
	if tl.areas.list[x].Level == LevelRegion {
		for _, c := range tl.areas.councils[x] {
			known[c] = true
		}
	}
	// ownOnly reports whether area a's figure in column k of a table of width per area is the
	// reader's own: a holds known areas and its figure is theirs (every other part is a 0,
	// which is shown).
	ownOnly := func(v []int32, width, a, k int) bool {
		var sum int32
		parts, _ := tl.areas.parts(a)
		for _, p := range parts {
			if known[p] {
				sum += v[p*width+k]
				continue
			}
			if sub, ok := tl.areas.parts(p); ok { // a region of England with known councils
				for _, c := range sub {
					if known[c] {
						sum += v[c*width+k]
					}
				}
			}
		}
		return sum > 0 && sum == v[a*width+k]
	}
	for c, s := range sup {
		a, k := c/nCount/nBreakdowns, c%(nCount*nBreakdowns)
		v := tl.v[c]
		switch {
		case known[a] && s:
			t.Errorf("%s: the reader's own figure %d (value %d) is withheld from them", name, c, v)
		case !known[a] && v > 0 && v < minShown && tl.at(c/nCount, mWaiting) > 0 && !s && !ownOnly(tl.v, nCount*nBreakdowns, a, k):
			t.Errorf("%s: another area's small count %d (value %d) is shown", name, c, v)
		}
	}
	ar := &own.Areas[x]
	for _, row := range ar.Rows {
		if row.Metrics.Waiting.Withheld() || row.Metrics.TwoChoicesPct.Withheld() || row.Metrics.AverageWeeklyCost.Withheld() {
			t.Errorf("%s: the council's own row %s shows a c", name, row.Breakdown.Key())
		}
	}
	rs := tl.relations()
	auditOpen(t, name, rs, sup)
	auditCertificates(t, name, tl, rs, sup)
	if dense && !testing.Short() && !raceEnabled {
		auditDeterminedOnlyDfE(t, name, tl, rs, sup)
	}
	for _, tab := range []struct {
		name string
		v    []int32
		sup  []bool
	}{
		{"turning 18", tl.turning, tl.suppressTurning()},
		{"unregistered", tl.unregistered, tl.suppressUnregistered()},
	} {
		for a, s := range tab.sup {
			if known[a] && s {
				t.Errorf("%s: %s: the reader's own count is withheld", name, tab.name)
			}
			if !known[a] && tab.v[a] > 0 && tab.v[a] < minShown && !s && !ownOnly(tab.v, 1, a, 0) {
				t.Errorf("%s: %s: area %d's small count %d is shown", name, tab.name, a, tab.v[a])
			}
		}
		auditOpen(t, name+": "+tab.name, areaRelations(tl.areas, 1), tab.sup)
	}
}

// TestOwnCouncilUnwithheld: each council's staff (and a region's commissioner) see their own
// figures in full and nothing that gives away another's, on the fixture (every council with
// children waiting, every region) and on a synthetic England (the councils with the most figures
// withheld, and a region).
func TestOwnCouncilUnwithheld(t *testing.T) {
	t.Parallel()
	t.Run("fixture", func(t *testing.T) {
		t.Parallel()
		r := analyseFixture(t)
		n := 0
		for _, ar := range r.Areas {
			waiting := ar.All().Metrics.Waiting.Value() > 0 || ar.All().Metrics.Waiting.Withheld()
			if ar.Area.Level == LevelRegion || ar.Area.Level == LevelCouncil && waiting {
				auditReader(t, ar.Area.Name, r, ar.Area.Code, true)
				n++
			}
		}
		if n == 0 {
			t.Fatal("the fixture has no council with children waiting")
		}
	})
	t.Run("synthetic", func(t *testing.T) {
		t.Parallel()
		_, r := analyseSynth(t)
		type council struct {
			code     string
			withheld int
		}
		var cs []council
		for i, ar := range r.Areas {
			if ar.Area.Level != LevelCouncil {
				continue
			}
			n := 0
			for b := range nBreakdowns {
				for m := range nCount {
					if r.sup[rowOf(i, b)*nCount+m] {
						n++
					}
				}
			}
			cs = append(cs, council{ar.Area.Code, n})
		}
		slices.SortFunc(cs, func(a, b council) int { return b.withheld - a.withheld })
		if len(cs) < 3 || cs[0].withheld == 0 {
			t.Fatal("no council of the synthetic England has a figure withheld")
		}
		for i, c := range cs[:3] {
			auditReader(t, c.code, r, c.code, i == 0)
		}
		auditReader(t, "North West", r, "E12000002", false)
	})
}

// TestReaderReportIsCached: asking twice gives the same report; a region or nonsense is refused
// naming council; the published report is unchanged by a reader's.
func TestReaderReportIsCached(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	var council string
	for _, ar := range r.Areas {
		if ar.Area.Level == LevelCouncil {
			council = ar.Area.Code
			break
		}
	}
	before := slices.Clone(r.sup)
	a, err := r.For(catalogue.CouncilCode(council))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.For(catalogue.CouncilCode(council))
	if a != b {
		t.Error("the reader's report was worked out twice")
	}
	if !slices.Equal(before, r.sup) {
		t.Error("a reader's report changed the published one")
	}
	if same, _ := r.For(""); same != r {
		t.Error("no council should be the published report")
	}
	for _, bad := range []string{"E12000002", "E92000001", "nonsense"} {
		if _, err := r.For(catalogue.CouncilCode(bad)); !isInvalidField(err, "council") {
			t.Errorf("For(%q): %v, want invalid council", bad, err)
		}
	}
}

// isInvalidField reports whether err is invalid input naming field.
func isInvalidField(err error, field string) bool {
	var e *catalogue.Error
	if !errors.As(err, &e) || e.Kind != catalogue.KindInvalid {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
