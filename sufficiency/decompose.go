package sufficiency

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/placematch/placematch/catalogue"
)

// Decomposition explains one outcome's gap of a group that fares worse (issue 24): how many of
// the points the group falls short of all children are accounted for by what sets its children
// apart (the kind of home they need, their brothers and sisters to live with, their needs and
// where they live), each alone and all together, and how many are left unexplained.
//
// The method is direct standardisation with the group's own mix as the standard: all children's
// share in each cell (children needing the same kind of home, ...) is weighted by how many of
// the group's children are in it, giving the share children like them have. The points between
// all children's share and that are accounted for by the mix; the points between it and the
// group's own share are not. Standardising the group's rates to all children's mix instead needs
// the group's rate in every cell all children are in, which does not exist where the group has
// no child (no child of 0 to 4 is assessed for supported accommodation); the group's own cells
// always hold children of all children. See docs/sufficiency.md.
//
// A decomposition holds no cell's figure: only points of the group's gap, to one decimal place.
type Decomposition struct {
	Outcome string // OutcomeTwoChoices or OutcomeMatched
	// Group and All are the shares (%) of the group and of all children; Gap the points the
	// group has fewer (positive).
	Group, All, Gap Figure
	// Explained is the points of the gap all the explanations together account for (negative
	// when children like them fare better than all children); Unexplained the rest, Gap -
	// Explained (negative when children like them fare worse than the group).
	Explained, Unexplained Figure
	// Parts are each explanation alone, in the order of Explanations.
	Parts []Part
	Text  string
}

// Part is one explanation's share of a gap, taken alone.
type Part struct {
	Explanation string // an Explanations key
	Label       string // in words: "the kind of home they need"
	// Points of the gap the explanation alone accounts for. The rows of the report it rests on
	// are shown ones, and one pooled cell of every withheld row (see cells).
	Points Figure
}

// The outcomes a decomposition explains.
const (
	OutcomeTwoChoices = "two_choices"
	OutcomeMatched    = "matched"
)

// Explanations are the candidate explanations of a gap, in order: the kind of home (care type
// assessed), brothers and sisters (the sibling-group size to live together), needs (the key
// need leaving brothers and sisters aside: remand, parent and child, unaccompanied, disabled,
// therapeutic or complex, none) and area (in England the region, in a region the council; in a
// council there is one, so it accounts for nothing).
var Explanations = []struct{ Key, Label string }{
	{"care_type", "the kind of home they need"},
	{"siblings", "their brothers and sisters"},
	{"needs", "their needs"},
	{"area", "where they live"},
}

// minCell is the fewest children (all children waiting) a cell of a standardisation keeps on
// its own; sparser cells are pooled (see standardise).
const minCell = 10

// stratum is one child as a standardisation reads it: its key at each level of collapse, from
// the finest (level 0) to one cell of everyone (the last level, key 0); whether it is in the
// group; and whether it had the outcome.
type stratum struct {
	keys    []uint32
	inGroup bool
	hit     bool
}

// cell is one cell of a standardisation: the group's children in it, and all children with
// their count having the outcome.
type cell struct {
	group, all, allHit int
}

// cells pools children into the cells of a standardisation, deterministically: at each level,
// from the finest, a key the group has a child in is kept as a cell when at least minCell
// children are in it and blocked(level, key) is false (blocked: the key is a row of the report
// whose figure is withheld); otherwise its children are pooled one level up (in the joint
// standardisation: the area is dropped first, then needs, then brothers and sisters, then the
// kind of home, leaving one cell of the rest). A key the group has no child in weighs nothing
// and is left out, unless it is blocked: a blocked key is always pooled, so that the pooled cell
// holds every withheld row of the level, whose sum the shown total less the shown rows gives
// already (the pooled rate shows no withheld figure). The last level is one cell.
func cells(ss []stratum, levels int, blocked func(level int, key uint32) bool) []cell {
	pending := make([]int, len(ss))
	for i := range pending {
		pending[i] = i
	}
	var out []cell
	for l := range levels {
		byKey := map[uint32]*cell{}
		for _, i := range pending {
			s := &ss[i]
			c := byKey[s.keys[l]]
			if c == nil {
				c = &cell{}
				byKey[s.keys[l]] = c
			}
			c.all++
			if s.hit {
				c.allHit++
			}
			if s.inGroup {
				c.group++
			}
		}
		keys := make([]uint32, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		pool := map[uint32]bool{}
		for _, k := range keys {
			c := byKey[k]
			isBlocked := blocked != nil && blocked(l, k)
			switch {
			case l == levels-1 || (c.group > 0 && c.all >= minCell && !isBlocked):
				if c.group > 0 {
					out = append(out, *c)
				}
			case c.group > 0 || isBlocked:
				pool[k] = true
			}
		}
		var next []int
		for _, i := range pending {
			if pool[ss[i].keys[l]] {
				next = append(next, i)
			}
		}
		pending = next
	}
	return out
}

// likeThem is all children's share (%) in the group's cells, weighted by the group's children:
// the share children like them have. ok is false when the group has no child.
func likeThem(cs []cell) (pct float64, ok bool) {
	var w, sum float64
	for _, c := range cs {
		if c.group == 0 || c.all == 0 {
			continue
		}
		w += float64(c.group)
		sum += float64(c.group) * float64(c.allHit) / float64(c.all)
	}
	if w == 0 {
		return 0, false
	}
	return 100 * sum / w, true
}

// split divides a gap: allPct is all children's share, like the share children like them have
// (likeThem), groupPct the group's. explained is allPct - like, unexplained like - groupPct:
// they add up to the gap, allPct - groupPct.
func split(allPct, like, groupPct float64) (explained, unexplained float64) {
	return allPct - like, like - groupPct
}

// outcomeWords name an outcome in a sentence.
var outcomeWords = map[string]string{
	OutcomeTwoChoices: "with two real choices",
	OutcomeMatched:    "placed by the joint match",
}

// decompose builds a group's decomposition of one outcome in an area: ss gives every child
// waiting in the area (inGroup for the group's) with its keys for an explanation (an index into
// Explanations; len(Explanations): the joint standardisation; -1: one cell) and the number of
// levels; used lists the explanations that apply to the group, in order; gap, group and all are
// the published figures; blocked says whether a cell is a row of the report whose figure is
// withheld.
func decompose(outcome string, group, all, gap Figure, used []int, ss func(explanation int) ([]stratum, int), blocked func(explanation, level int, key uint32) bool) Decomposition {
	d := Decomposition{Outcome: outcome, Group: group, All: all, Gap: valueFigure(-gap.Value(), 1)}
	everyone, _ := ss(-1)
	allRaw, groupRaw := shares(everyone)
	for _, e := range used {
		s, levels := ss(e)
		p := Part{Explanation: Explanations[e].Key, Label: Explanations[e].Label}
		block := func(l int, k uint32) bool { return blocked(e, l, k) }
		if like, ok := likeThem(cells(s, levels, block)); ok {
			ex, _ := split(allRaw, like, groupRaw)
			p.Points = valueFigure(ex, 1)
		}
		d.Parts = append(d.Parts, p)
	}
	s, levels := ss(len(Explanations))
	joint := func(l int, k uint32) bool { return blocked(len(Explanations), l, k) }
	if like, ok := likeThem(cells(s, levels, joint)); ok {
		ex, _ := split(allRaw, like, groupRaw)
		d.Explained = valueFigure(ex, 1)
		d.Unexplained = valueFigure(d.Gap.Value()-d.Explained.Value(), 1)
	}
	return d
}

// shares are all children's share with the outcome and the group's, in percent.
func shares(ss []stratum) (all, group float64) {
	var n, k, gn, gk int
	for _, s := range ss {
		n++
		if s.hit {
			k++
		}
		if s.inGroup {
			gn++
			if s.hit {
				gk++
			}
		}
	}
	if n > 0 {
		all = 100 * float64(k) / float64(n)
	}
	if gn > 0 {
		group = 100 * float64(gk) / float64(gn)
	}
	return all, group
}

// sentence says what a decomposition found, after the group's own sentence: "Of the 6.7 points
// fewer with two real choices, the kind of home they need, their brothers and sisters, their
// needs and where they live together account for 4.1 (...); 2.6 points are not explained by
// them, and are worth looking into."
func (d *Decomposition) sentence() string {
	w := outcomeWords[d.Outcome]
	var labels, parts []string
	for _, p := range d.Parts {
		labels = append(labels, p.Label)
		parts = append(parts, fmt.Sprintf("%s %s", p.Label, signedPoints(p.Points)))
	}
	these, either := listOf(labels, "and"), listOf(labels, "or")
	if !d.Explained.Shown() {
		return fmt.Sprintf("Of the %s points fewer %s, how much %s account for cannot be worked out.", d.Gap, w, these)
	}
	alone := "one at a time: " + strings.Join(parts, ", ")
	ex, un := d.Explained.Value(), d.Unexplained.Value()
	switch {
	case ex == 0:
		return fmt.Sprintf("Of the %s points fewer %s, none is accounted for by %s (%s): all %s points are left unexplained, and are worth looking into.",
			d.Gap, w, either, alone, d.Unexplained)
	case ex < 0:
		return fmt.Sprintf("Of the %s points fewer %s, none is accounted for by %s: children like them fare %s points better than all children (%s), so %s points are not explained by them, and are worth looking into.",
			d.Gap, w, either, valueFigure(-ex, 1), alone, d.Unexplained)
	case un <= 0:
		return fmt.Sprintf("Of the %s points fewer %s, %s together account for all of them (%s points; %s): children like them fare as they do.",
			d.Gap, w, these, d.Explained, alone)
	}
	return fmt.Sprintf("Of the %s points fewer %s, %s together account for %s (%s); %s points are not explained by them, and are worth looking into.",
		d.Gap, w, these, d.Explained, alone, d.Unexplained)
}

// listOf joins words as a sentence lists them: "a, b and c".
func listOf(ws []string, conj string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " " + conj + " " + ws[len(ws)-1]
}

// signedPoints prints points of a gap an explanation accounts for: "3.1", "-0.4", "c".
func signedPoints(f Figure) string {
	if f.Shown() && f.Value() == 0 {
		return "0.0"
	}
	return f.String()
}

// person is one child waiting as decompositions read it.
type person struct {
	areas           [3]int // England, region, council (area indices)
	cls             class
	care, sib, need uint8
	// needOther is the key need leaving disability aside too, for groups by disability.
	needOther       uint8
	two, matched    bool
	region, council uint16
}

// people lists every child waiting with a known council, in the order of the outcomes.
func (a *analysis) people() []person {
	outs := a.outcomes()
	out := make([]person, 0, len(outs))
	for i := range outs {
		o := &outs[i]
		areas, ok := a.areas.of(o.child.Council)
		if !ok {
			continue
		}
		out = append(out, person{areas: areas, cls: o.cls, care: uint8(o.cls[posCare] - dimBase[DimCareType]),
			sib: uint8(o.cls[posSiblings] - dimBase[DimSiblings]), need: uint8(keyNeed(o.child, 1)), needOther: uint8(otherNeed(o.child)),
			two: o.choices >= 2, matched: o.primary != nil, region: uint16(areas[1]), council: uint16(areas[2])})
	}
	return out
}

// otherNeed is a child's key need leaving brothers and sisters and disability aside: for groups
// by disability, whose needs would otherwise be the group itself.
func otherNeed(c *catalogue.Child) int {
	n := keyNeed(c, 1)
	if n == needDisability {
		if complex(c) {
			return needComplex
		}
		return needNone
	}
	return n
}

// explanationsFor lists the explanations that apply to a group of a dimension in an area of a
// level: all of them but the group's own (brothers and sisters, for a group by sibling-group
// size), which would explain the gap by the group itself, and the area in a council (one area,
// which can explain nothing).
func explanationsFor(d Dimension, level Level) []int {
	var out []int
	for e, x := range Explanations {
		if (d == DimSiblings && x.Key == "siblings") || (level == LevelCouncil && x.Key == "area") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// decompCache keeps each group's decompositions once worked out: a report is read by every
// request for a view of it, and does not change.
type decompCache struct {
	mu sync.Mutex
	m  map[[2]int][]Decomposition
}

// cachedDecompositions are decompositions(ar, b, ...), worked out once per report.
func (r *Report) cachedDecompositions(ar, b int, g *EquityGroup, all *EquityOutcomes) []Decomposition {
	if r.decomp == nil {
		return r.decompositions(ar, b, g, all)
	}
	r.decomp.mu.Lock()
	defer r.decomp.mu.Unlock()
	k := [2]int{ar, b}
	d, ok := r.decomp.m[k]
	if !ok {
		d = r.decompositions(ar, b, g, all)
		r.decomp.m[k] = d
	}
	return slices.Clone(d)
}

// decompositions explains each flagged outcome of a group (breakdown index b) in an area (its
// index ar), from the report's children.
func (r *Report) decompositions(ar, b int, g *EquityGroup, all *EquityOutcomes) []Decomposition {
	level := r.Areas[ar].Area.Level
	dim := breakdowns[b].Dimension
	used := explanationsFor(dim, level)
	var in []person
	for i := range r.people {
		p := &r.people[i]
		if slices.Contains(p.areas[:], ar) {
			in = append(in, *p)
		}
	}
	var out []Decomposition
	for _, oc := range []struct {
		name                    string
		gap, group, all, lo, hi Figure
		hit                     func(*person) bool
	}{
		{OutcomeTwoChoices, g.TwoChoicesGap, g.TwoChoicesPct, all.TwoChoicesPct, g.TwoChoicesLow, g.TwoChoicesHigh, func(p *person) bool { return p.two }},
		{OutcomeMatched, g.MatchedGap, g.MatchedPct, all.MatchedPct, g.MatchedLow, g.MatchedHigh, func(p *person) bool { return p.matched }},
	} {
		if _, real := worse(oc.gap, oc.all, oc.lo, oc.hi); !real {
			continue
		}
		strata := func(e int) ([]stratum, int) {
			ss := make([]stratum, len(in))
			for i := range in {
				p := &in[i]
				ss[i] = stratum{keys: p.keys(e, level, dim), inGroup: slices.Contains(p.cls[:], b), hit: oc.hit(p)}
			}
			return ss, len(ss[0].keys)
		}
		blocked := func(e, l int, k uint32) bool { return r.blocked(ar, level, e, l, k, oc.name) }
		d := decompose(oc.name, oc.group, oc.all, oc.gap, used, strata, blocked)
		d.Text = d.sentence()
		out = append(out, d)
	}
	return out
}

// areaKey is the cell of a child's area for an area of the level: in England its region, in a
// region its council; in a council, one cell.
func (p *person) areaKey(level Level) uint32 {
	switch level {
	case LevelEngland:
		return uint32(p.region)
	case LevelRegion:
		return uint32(p.council)
	}
	return 0
}

// keys are the child's keys at each level of an explanation's standardisation (e, in the order
// of Explanations; len(Explanations): all together; -1: one cell), for a group of dimension
// dim: its cell, then everyone. For a group by sibling-group size the joint cells leave
// brothers and sisters out; for one by disability, needs leave disability out.
func (p *person) keys(e int, level Level, dim Dimension) []uint32 {
	care, sib, need, area := uint32(p.care), uint32(p.sib), uint32(p.need), p.areaKey(level)
	if dim == DimSiblings {
		sib = 0
	}
	if dim == DimDisability {
		need = uint32(p.needOther)
	}
	switch e {
	case 0:
		return []uint32{care, 0}
	case 1:
		return []uint32{sib, 0}
	case 2:
		return []uint32{need, 0}
	case 3:
		return []uint32{area, 0}
	case len(Explanations):
		// The area is dropped first, then needs, then brothers and sisters, then the kind of
		// home; each key is unique within its level (area indices are below 256).
		return []uint32{care<<24 | sib<<16 | need<<8 | area, care<<24 | sib<<16 | need<<8, care<<24 | sib<<16, care << 24, 0}
	}
	return []uint32{0}
}

// blocked reports whether a cell of an explanation is a row of the report whose figure of the
// outcome is withheld in the area: the kind of home and brothers and sisters are breakdowns of
// the area, the area cells the rows of all children of its regions or councils. The joint
// standardisation's cells of the kind of home alone (its level 3) are those rows too.
func (r *Report) blocked(ar int, level Level, e, l int, k uint32, outcome string) bool {
	row := -1
	switch {
	case e == 0 && l == 0:
		row = rowOf(ar, dimBase[DimCareType]+int(k))
	case e == len(Explanations) && l == 3:
		row = rowOf(ar, dimBase[DimCareType]+int(k>>24))
	case e == 1 && l == 0:
		row = rowOf(ar, dimBase[DimSiblings]+int(k))
	case e == 3 && l == 0 && level != LevelCouncil:
		row = rowOf(int(k), 0)
	}
	if row < 0 {
		return false
	}
	m := mTwo
	if outcome == OutcomeMatched {
		m = mMatched
	}
	return r.sup[row*nCount+mWaiting] || r.sup[row*nCount+m]
}
