package sufficiency

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Equity compares the outcomes of groups of children in one area with those of all its
// children waiting.
type Equity struct {
	Area       Area
	All        EquityOutcomes
	Dimensions []EquityDimension
}

// EquityDimension is one way of grouping children: age band, disability, ethnicity or
// sibling-group size.
type EquityDimension struct {
	Dimension Dimension
	Groups    []EquityGroup
}

// EquityOutcomes are the outcomes equity compares.
type EquityOutcomes struct {
	Waiting             Figure
	TwoChoicesPct       Figure // with two real choices
	MatchedPct          Figure // placed by the joint match
	Within20Pct         Figure // of those placed (home known), within 20 miles
	SiblingsTogetherPct Figure // of those waiting with brothers and sisters, kept together
	AverageScore        Figure
	MeanSuitable        Figure // suitable placements per child
}

// EquityGroup is one group's outcomes, the gap to all children (in percentage points, or in
// score), and, when the group fares worse, what explains it.
type EquityGroup struct {
	Breakdown Breakdown
	EquityOutcomes
	TwoChoicesGap, MatchedGap, Within20Gap, SiblingsTogetherGap, ScoreGap Figure
	// TwoChoicesLow and TwoChoicesHigh bound the 95% Wilson interval of the group's share with
	// two real choices; MatchedLow and MatchedHigh, of its share placed (not applicable when
	// the counts are withheld).
	TwoChoicesLow, TwoChoicesHigh, MatchedLow, MatchedHigh Figure
	// FaresWorse: the group's share with two real choices, or placed, is at least
	// worseByPoints below that of all children, and all children's share lies outside the
	// group's 95% interval. WithinChance: a gap of worseByPoints or more that chance alone could
	// give (all children's share inside the interval); the group is not said to fare worse.
	FaresWorse, WithinChance bool
	// Noun names the group in a sentence ("Disabled children"); Text says how it fares, as a
	// commissioner would write it.
	Noun, Text string
	// Explanations, when the group fares worse: the supply it can use, and the hard constraints
	// that stand alone between its children and a home more often than for all children.
	Explanations []Explanation
	// Decompositions, when the group fares worse: for each outcome on which it does (two real
	// choices, placed), how much of the gap what sets its children apart accounts for, and what
	// is left unexplained (decompose.go). Text ends with their sentences.
	Decompositions []Decomposition
}

// Explanation is one reason a group fares worse.
type Explanation struct {
	Kind       string // "supply" or "constraint"
	Constraint string // for a constraint
	Group, All Figure // the group's figure and all children's (suitable placements per child; or the share of children short of two choices the constraint alone kept a home from)
	Text       string
}

// worseByPoints is the gap in percentage points from which a group is said to fare worse, the
// same on every dimension (docs/sufficiency.md).
const worseByPoints = 5.0

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// wilson is the 95% Wilson score interval of a share of k out of n, in percent; ok is false
// when n is 0. Unlike the normal approximation it stays within 0 to 100 and holds for the
// groups of tens of children a council has (Wilson 1927; Brown, Cai and DasGupta 2001).
func wilson(k, n float64) (low, high float64, ok bool) {
	if n <= 0 {
		return 0, 0, false
	}
	p, z2 := k/n, z95*z95
	d := 1 + z2/n
	centre := (p + z2/(2*n)) / d
	half := z95 / d * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return 100 * max(0, centre-half), 100 * min(1, centre+half), true
}

// interval is the Wilson interval of a share of shown counts, as figures of one decimal place.
func interval(k, n Figure) (low, high Figure) {
	if !k.Shown() || !n.Shown() {
		return Figure{}, Figure{}
	}
	l, h, ok := wilson(k.Value(), n.Value())
	if !ok {
		return Figure{}, Figure{}
	}
	return valueFigure(l, 1), valueFigure(h, 1)
}

// worse reports whether a gap is at least worseByPoints down (big), and whether all children's
// share all lies outside the group's interval [low, high] too (beyondChance).
func worse(gap, all, low, high Figure) (big, beyondChance bool) {
	big = gap.Shown() && gap.Value() <= -worseByPoints
	beyondChance = big && low.Shown() && all.Shown() && (all.Value() > high.Value() || all.Value() < low.Value())
	return big, beyondChance
}

// groupNouns name each group of the equity dimensions in a sentence, by its breakdown's key:
// the label reads after "children" in a table ("children aged 0 to 4"); the noun starts a
// sentence ("Disabled children: ...").
var groupNouns = map[string]string{
	"age_band:0_4":            "Children aged 0 to 4",
	"age_band:5_9":            "Children aged 5 to 9",
	"age_band:10_15":          "Children aged 10 to 15",
	"age_band:16_plus":        "Young people aged 16 and over",
	"disability:disabled":     "Disabled children",
	"disability:not_disabled": "Children who are not disabled",
	"ethnicity:white":         "White children",
	"ethnicity:mixed":         "Children of mixed or multiple ethnic groups",
	"ethnicity:asian":         "Asian or Asian British children",
	"ethnicity:black":         "Black, Black British, Caribbean or African children",
	"ethnicity:other":         "Children of another ethnic group",
	"ethnicity:unknown":       "Children whose ethnicity was refused or not obtained",
	"sibling_group:alone":     "Children not waiting with brothers and sisters to live together",
	"sibling_group:2":         "Children in a sibling group of 2 to live together",
	"sibling_group:3":         "Children in a sibling group of 3 to live together",
	"sibling_group:4_plus":    "Children in a sibling group of 4 or more to live together",
}

// GroupNoun names a group of children at the start of a sentence: "Disabled children".
func GroupNoun(b Breakdown) string {
	if n, ok := groupNouns[b.Key()]; ok {
		return n
	}
	if b.Dimension == DimAll {
		return "All children waiting"
	}
	return "Children " + b.Label
}

// Equity returns the equity analysis of an area (its code), or false when there is none.
func (r *Report) Equity(code string) (*Equity, bool) {
	ar, ok := r.Area(code)
	if !ok {
		return nil, false
	}
	all := ar.All()
	e := &Equity{Area: ar.Area, All: outcomesOf(&all.Metrics)}
	for _, d := range EquityDimensions {
		ed := EquityDimension{Dimension: d}
		for _, row := range ar.Rows {
			if row.Breakdown.Dimension != d {
				continue
			}
			g := equityGroup(&row, all)
			if g.FaresWorse {
				g.Decompositions = r.cachedDecompositions(r.index[code], mustIndex(row.Breakdown.Key()), &g, &e.All)
				for _, x := range g.Decompositions {
					g.Text += " " + x.Text
				}
			}
			ed.Groups = append(ed.Groups, g)
		}
		e.Dimensions = append(e.Dimensions, ed)
	}
	return e, true
}

func outcomesOf(m *Metrics) EquityOutcomes {
	within := Figure{}
	if m.Beyond20Pct.Shown() {
		within = valueFigure(100-m.Beyond20Pct.Value(), 1)
	} else if m.Beyond20Pct.Withheld() {
		within = withheldFigure()
	}
	return EquityOutcomes{Waiting: m.Waiting, TwoChoicesPct: m.TwoChoicesPct, MatchedPct: m.MatchedPct, Within20Pct: within,
		SiblingsTogetherPct: m.SiblingsTogetherPct, AverageScore: m.AverageScore, MeanSuitable: m.MeanSuitable}
}

func equityGroup(row *Row, all *Row) EquityGroup {
	g := EquityGroup{Breakdown: row.Breakdown, EquityOutcomes: outcomesOf(&row.Metrics)}
	a := outcomesOf(&all.Metrics)
	g.TwoChoicesGap = difference(g.TwoChoicesPct, a.TwoChoicesPct)
	g.MatchedGap = difference(g.MatchedPct, a.MatchedPct)
	g.Within20Gap = difference(g.Within20Pct, a.Within20Pct)
	g.SiblingsTogetherGap = difference(g.SiblingsTogetherPct, a.SiblingsTogetherPct)
	g.ScoreGap = difference(g.AverageScore, a.AverageScore)
	m := &row.Metrics
	g.TwoChoicesLow, g.TwoChoicesHigh = interval(m.TwoChoices, m.Waiting)
	g.MatchedLow, g.MatchedHigh = interval(m.Matched, m.Waiting)
	bigTwo, realTwo := worse(g.TwoChoicesGap, a.TwoChoicesPct, g.TwoChoicesLow, g.TwoChoicesHigh)
	bigMatched, realMatched := worse(g.MatchedGap, a.MatchedPct, g.MatchedLow, g.MatchedHigh)
	g.FaresWorse = realTwo || realMatched
	g.WithinChance = !g.FaresWorse && (bigTwo || bigMatched)
	if g.FaresWorse {
		g.Explanations = explain(row, all)
	}
	g.Noun = GroupNoun(g.Breakdown)
	g.Text = equitySentence(&g, &a)
	return g
}

// equitySentence says how a group fares, as a commissioner would write it: "Disabled children:
// 71.7% had two real choices, against 76.1% of all children."
func equitySentence(g *EquityGroup, a *EquityOutcomes) string {
	if !g.TwoChoicesPct.Shown() || !a.TwoChoicesPct.Shown() {
		return g.Noun + ": the figures are withheld (small numbers)."
	}
	s := fmt.Sprintf("%s: %s%% had two real choices, against %s%% of all children", g.Noun, g.TwoChoicesPct, a.TwoChoicesPct)
	if g.MatchedPct.Shown() && a.MatchedPct.Shown() {
		s += fmt.Sprintf("; %s%% were placed by the joint match, against %s%%", g.MatchedPct, a.MatchedPct)
	}
	switch {
	case g.FaresWorse:
		s += ". They fare worse: the gap is larger than chance would give"
	case g.WithinChance && g.TwoChoicesGap.Shown() && g.TwoChoicesGap.Value() <= -worseByPoints:
		s += fmt.Sprintf(". The gap is within what chance would give for %s children (95%% interval %s%% to %s%% with two real choices)", g.Waiting, g.TwoChoicesLow, g.TwoChoicesHigh)
	case g.WithinChance:
		s += fmt.Sprintf(". The gap is within what chance would give for %s children (95%% interval %s%% to %s%% placed)", g.Waiting, g.MatchedLow, g.MatchedHigh)
	}
	return s + "."
}

// explain lists what sets a group that fares worse apart: fewer suitable placements per child
// than all children have, and the hard constraints that alone kept a home from a larger share
// of its children short of two choices (at least worseByPoints more), the largest excess first.
func explain(row *Row, all *Row) []Explanation {
	var out []Explanation
	g, a := row.Metrics.MeanSuitable, all.Metrics.MeanSuitable
	if g.Shown() && a.Shown() && g.Value() < a.Value() {
		out = append(out, Explanation{Kind: "supply", Group: g, All: a,
			Text: fmt.Sprintf("Fewer homes can take them: %s suitable placements per child, against %s for all children.", g, a)})
	}
	type excess struct {
		e Explanation
		d float64
	}
	var cs []excess
	for _, o := range row.Metrics.Obstacles {
		if !o.OnlyPct.Shown() {
			continue
		}
		allPct := Figure{state: figureShown}
		for _, ao := range all.Metrics.Obstacles {
			if ao.Constraint == o.Constraint {
				allPct = ao.OnlyPct
			}
		}
		if !allPct.Shown() {
			continue
		}
		d := o.OnlyPct.Value() - allPct.Value()
		if d < worseByPoints {
			continue
		}
		cs = append(cs, excess{Explanation{Kind: "constraint", Constraint: string(o.Constraint), Group: o.OnlyPct, All: allPct,
			Text: fmt.Sprintf("%s alone kept a home from %s%% of those short of two choices, against %s%% of all children short of them.",
				capitalise(o.Label), o.OnlyPct, allPct)}, d})
	}
	slices.SortStableFunc(cs, func(x, y excess) int {
		switch {
		case x.d > y.d:
			return -1
		case x.d < y.d:
			return 1
		}
		return 0
	})
	for i, c := range cs {
		if i == 3 {
			break
		}
		out = append(out, c.e)
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Finding says whether one group the research warns about waits longer in this catalogue.
type Finding struct {
	Claim     string // the research's claim about the group
	Breakdown Breakdown
	// TwoChoicesPct and UnmatchedPct of the group, and of all children.
	TwoChoicesPct, AllTwoChoicesPct Figure
	UnmatchedPct, AllUnmatchedPct   Figure
	Verdict                         string // VerdictWorse, VerdictSame, VerdictBetter or VerdictWithheld
	Text                            string
}

// Verdicts of a Finding.
const (
	VerdictWorse    = "fares worse"
	VerdictSame     = "about the same"
	VerdictBetter   = "fares better"
	VerdictWithheld = "withheld"
)

// better reports whether a group's gap is at least worseByPoints up, and all children's share
// lies below the group's interval (from low): beyond what chance would give.
func better(gap, all, low Figure) bool {
	return gap.Shown() && gap.Value() >= worseByPoints && low.Shown() && all.Shown() && all.Value() < low.Value()
}

// researchGroups are the groups the research says wait longest for a home: teenagers, disabled
// children, Black and mixed-heritage children and large sibling groups.
var researchGroups = []struct{ key, claim string }{
	{"age_band:10_15", "Teenagers wait longest"},
	{"age_band:16_plus", "Teenagers wait longest"},
	{"disability:disabled", "Disabled children wait longest"},
	{"ethnicity:black", "Black children wait longest"},
	{"ethnicity:mixed", "Mixed-heritage children wait longest"},
	{"sibling_group:3", "Large sibling groups wait longest"},
	{"sibling_group:4_plus", "Large sibling groups wait longest"},
}

// Research checks, for an area, whether this catalogue repeats the research finding that
// teenagers, disabled children, Black and mixed-heritage children and large sibling groups wait
// longest. Time waited is not recorded, so waiting longer is read as having fewer real choices
// or going unplaced in the joint match: a group fares worse as the equity analysis flags it (a
// share with two real choices, or placed, worseByPoints below all children's and beyond what
// chance would give); better when both shares are worseByPoints above all children's, beyond
// chance; otherwise about the same. One threshold serves every dimension and both analyses.
func (r *Report) Research(code string) ([]Finding, bool) {
	ar, ok := r.Area(code)
	if !ok {
		return nil, false
	}
	all := ar.All().Metrics
	var out []Finding
	for _, rg := range researchGroups {
		b, _ := ParseBreakdown(rg.key)
		f := Finding{Claim: rg.claim, Breakdown: b, AllTwoChoicesPct: all.TwoChoicesPct, AllUnmatchedPct: all.UnmatchedPct}
		row, ok := ar.Row(rg.key)
		if !ok {
			f.Verdict = VerdictSame
			f.Text = GroupNoun(b) + ": none is waiting here."
			out = append(out, f)
			continue
		}
		m := row.Metrics
		f.TwoChoicesPct, f.UnmatchedPct = m.TwoChoicesPct, m.UnmatchedPct
		g := equityGroup(row, ar.All())
		switch {
		case !g.TwoChoicesGap.Shown() || !g.MatchedGap.Shown():
			f.Verdict = VerdictWithheld
			f.Text = g.Noun + ": the figures are withheld (small numbers)."
		case g.FaresWorse:
			f.Verdict = VerdictWorse
		case better(g.TwoChoicesGap, all.TwoChoicesPct, g.TwoChoicesLow) && better(g.MatchedGap, all.MatchedPct, g.MatchedLow):
			f.Verdict = VerdictBetter
		default:
			f.Verdict = VerdictSame
		}
		if f.Text == "" {
			f.Text = fmt.Sprintf("%s: %s%% have two real choices, against %s%% of all children, and %s%% are not placed, against %s%%: %s.",
				GroupNoun(b), m.TwoChoicesPct, all.TwoChoicesPct, m.UnmatchedPct, all.UnmatchedPct, f.Verdict)
		}
		out = append(out, f)
	}
	return out, true
}
