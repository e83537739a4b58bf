package sufficiency

import (
	"fmt"
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
	// FaresWorse: the group's share with two real choices, or placed, is at least
	// worseByPoints below that of all children.
	FaresWorse bool
	// Explanations, when the group fares worse: the supply it can use, and the hard constraints
	// that stand alone between its children and a home more often than for all children.
	Explanations []Explanation
}

// Explanation is one reason a group fares worse.
type Explanation struct {
	Kind       string // "supply" or "constraint"
	Constraint string // for a constraint
	Group, All Figure // the group's figure and all children's (suitable placements per child; or the share of children short of two choices the constraint alone kept a home from)
	Text       string
}

// worseByPoints is the gap in percentage points from which a group is said to fare worse.
const worseByPoints = 5.0

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
			ed.Groups = append(ed.Groups, equityGroup(&row, all))
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
	g.FaresWorse = (g.TwoChoicesGap.Shown() && g.TwoChoicesGap.Value() <= -worseByPoints) ||
		(g.MatchedGap.Shown() && g.MatchedGap.Value() <= -worseByPoints)
	if g.FaresWorse {
		g.Explanations = explain(row, all)
	}
	return g
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

// findingPoints is the gap in percentage points a finding needs to call a group worse or better.
const findingPoints = 2.0

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
// or going unplaced in the joint match: a group fares worse when its share with two real
// choices is findingPoints lower than all children's, or its share unplaced findingPoints
// higher; better when the reverse; otherwise about the same.
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
			f.Text = fmt.Sprintf("No child %s is waiting here.", b.Label)
			out = append(out, f)
			continue
		}
		m := row.Metrics
		f.TwoChoicesPct, f.UnmatchedPct = m.TwoChoicesPct, m.UnmatchedPct
		two, un := difference(m.TwoChoicesPct, all.TwoChoicesPct), difference(m.UnmatchedPct, all.UnmatchedPct)
		switch {
		case !two.Shown() || !un.Shown():
			f.Verdict = VerdictWithheld
			f.Text = fmt.Sprintf("Children %s: the figures are withheld (small numbers).", b.Label)
		case two.Value() <= -findingPoints || un.Value() >= findingPoints:
			f.Verdict = VerdictWorse
		case two.Value() >= findingPoints && un.Value() <= -findingPoints:
			f.Verdict = VerdictBetter
		default:
			f.Verdict = VerdictSame
		}
		if f.Text == "" {
			f.Text = fmt.Sprintf("Children %s: %s%% have two real choices (all children %s%%) and %s%% are unplaced (all children %s%%): %s.",
				b.Label, m.TwoChoicesPct, all.TwoChoicesPct, m.UnmatchedPct, all.UnmatchedPct, f.Verdict)
		}
		out = append(out, f)
	}
	return out, true
}
