package sufficiency

import (
	"slices"
)

// Protection. Withholding a figure protects it only if it cannot be worked out from what is
// shown, through any combination of the relations between figures, not only by one subtraction.
// A withheld figure x is safe when some change to the withheld figures alone, +1 or -1 on x,
// keeps every relation true and every figure a whole number of at least 0: then two tables agree
// with everything published and differ in x. protect finds such a change for each figure
// withheld below 5 and withholds every figure it touches, so that every withheld figure is
// covered by one.
//
// Every relation runs along one axis of the table: a row's metrics (children waiting are those
// with two choices, one and none), the areas of the hierarchy (a region is its councils), or an
// area's breakdowns (all children are each dimension's groups; an age band is its segments). So
// a change that is the product of one balanced change on each axis keeps them all: for example
// +1 on a council and -1 on another of its region, times +1 on a segment and -1 on its
// neighbour with another key need (and +1, -1 on the two key needs), times +1 on "one choice"
// and -1 on "none". protect tries the products of the balanced changes of each axis that touch
// x (kept local: see areaMoves), keeps those that can be applied one way or the other (the cells they lower are at least 1,
// and those they raise are not zeros by definition, such as brothers and sisters among children
// placed alone) within rows with a child waiting, and takes the one that withholds the least
// (the sum of the figures newly withheld), reusing figures already withheld where it can.
//
// Nor may a change for a breakdown's figure touch an area's row of all children: the headline
// figures are not given up for a small count in a segment. Where no such change fits (a
// council's only child of a kind that no other council of its region has), or the cheapest
// would withhold figures of hundreds of children (tooDear), the figure is protected by the
// DfE's rule alone: secondaryDfE withholds, in every
// relation left with exactly one figure withheld, another (the smallest above zero), until none
// is left so. The report's notes count those figures.

// expensive is the cost (figures newly withheld, summed) above which protect also tries the
// slower search that picks breakdowns for every figure of the metric change.
const expensive = 50

// secondPassMetrics bounds the metric changes the slower search tries (the smallest first).
const secondPassMetrics = 4

// tooDear is the cost above which a certified change is not worth it: protecting a few children
// by withholding a region's or England's figures of hundreds. The DfE's rule, which withholds
// the next smallest figure, protects such a count instead.
const tooDear = 1000

// areaWeight makes figures higher up the hierarchy costlier to withhold: England's are read
// most.
var areaWeight = map[Level]int64{LevelEngland: 4, LevelRegion: 2, LevelCouncil: 1}

// weight is how much withholding a figure of metric m costs, per child: children waiting, the
// denominator of every share, is worth keeping most.
func weight(m int) int64 {
	if m == mWaiting {
		return 5
	}
	return 1
}

// structuralZero reports whether figure m of breakdown b is zero by definition: brothers and
// sisters to live together are never counted among children placed alone, nor under the key
// needs that come after sibling groups (disabled, complex, none).
func structuralZero(b, m int) bool {
	if m < mSibWaiting || m > mSibUnplaced {
		return false
	}
	switch bd := breakdowns[b]; bd.Dimension {
	case DimSiblings:
		return bd.Value == "alone"
	case DimKeyNeed:
		return bd.Value == "disability" || bd.Value == "complex" || bd.Value == "none"
	case DimSegment:
		_, _, need := segmentParts(b)
		v := breakdowns[need].Value
		return v == "disability" || v == "complex" || v == "none"
	}
	return false
}

// axisMove is a balanced change along one axis: indices and their signs (+1 or -1).
type axisMove struct {
	idx  []int
	sign []int8
}

func (m axisMove) with(i int, s int8) axisMove {
	return axisMove{idx: append(slices.Clip(m.idx), i), sign: append(slices.Clip(m.sign), s)}
}

// metricMoves lists the balanced changes of a row's metrics that put +1 on m, smallest first.
var metricMoves = buildMetricMoves()

func buildMetricMoves() [nCount][]axisMove {
	var out [nCount][]axisMove
	for m := range nCount {
		out[m] = searchMetricMoves(m)
	}
	return out
}

// searchMetricMoves finds, by depth-first search over the partitions, every balanced change of at
// most six metrics that puts +1 on m, the smallest first.
func searchMetricMoves(m int) []axisMove {
	s := metricSearch{seen: map[string]bool{}}
	s.extend(map[int]int8{m: 1})
	slices.SortStableFunc(s.found, func(a, b axisMove) int { return len(a.idx) - len(b.idx) })
	return s.found
}

// metricSearch is searchMetricMoves' state: the changes found, each once.
type metricSearch struct {
	found []axisMove
	seen  map[string]bool
}

// maxMetricSupport bounds the metrics one change of a row's metrics touches.
const maxMetricSupport = 6

// imbalance is how far the change cur leaves partition p from adding up: its parts' changes
// less its total's.
func imbalance(cur map[int]int8, p []int) int {
	s := -int(cur[p[0]])
	for _, q := range p[1:] {
		s += int(cur[q])
	}
	return s
}

// extend balances the first partition cur leaves unbalanced with one more metric (a part moving
// against the imbalance, or the total with it), and so on, recording cur once every partition
// adds up.
func (s *metricSearch) extend(cur map[int]int8) {
	var open []int
	for _, p := range partitions {
		if imbalance(cur, p) != 0 {
			open = p
			break
		}
	}
	if open == nil {
		s.record(cur)
		return
	}
	if len(cur) >= maxMetricSupport {
		return
	}
	b := imbalance(cur, open)
	for k, q := range open {
		if _, ok := cur[q]; ok {
			continue
		}
		sign := int8(-b)
		if k == 0 {
			sign = int8(b)
		}
		if sign != 1 && sign != -1 {
			continue
		}
		cur[q] = sign
		s.extend(cur)
		delete(cur, q)
	}
}

// record keeps the balanced change cur, unless it was found before.
func (s *metricSearch) record(cur map[int]int8) {
	idx := make([]int, 0, len(cur))
	for k, sign := range cur {
		if sign != 0 {
			idx = append(idx, k)
		}
	}
	slices.Sort(idx)
	key := ""
	mv := axisMove{}
	for _, k := range idx {
		mv.idx, mv.sign = append(mv.idx, k), append(mv.sign, cur[k])
		key += string(rune('A'+k)) + string(rune('0'+cur[k]+1))
	}
	if !s.seen[key] {
		s.seen[key] = true
		s.found = append(s.found, mv)
	}
}

// protect withholds, beside sup (the counts withheld below 5), what keeps each of them safe.
func (t *tally) protect(sup []bool) {
	covered := make([]bool, len(sup))
	for x, s := range sup {
		if !s || covered[x] {
			continue
		}
		change, ok := t.cheapestChange(x, sup)
		if !ok {
			t.local = append(t.local, x)
			continue
		}
		t.certificates = append(t.certificates, change)
		for _, a := range change[0].idx {
			for _, bi := range change[1].idx {
				for _, mi := range change[2].idx {
					c := rowOf(a, bi)*nCount + mi
					sup[c], covered[c] = true, true
				}
			}
		}
	}
}

// cheapestChange finds the change (areas, breakdowns, metrics) that protects the withheld
// figure x at the least cost, if one costs at most tooDear: first sideways along the breakdowns
// (leaving all children as they are), chosen for the figure itself; then through all children
// too; when nothing cheap fits, with breakdowns chosen for every figure of each metric change.
func (t *tally) cheapestChange(x int, sup []bool) ([3]axisMove, bool) {
	row, m := x/nCount, x%nCount
	ar, b := row/nBreakdowns, row%nBreakdowns
	s := changeSearch{t: t, sup: sup, b: b, cost: -1}
	one := axisMove{idx: []int{m}, sign: []int8{1}}
	areas := t.areaMoves(ar, b, m)
	for _, up := range []bool{false, true} {
		if up && s.found() && s.cost <= expensive {
			break
		}
		for _, am := range areas {
			bds := t.breakdownMoves(am, b, one, up)
			for _, mm := range metricMoves[m] {
				for _, bm := range bds {
					s.try(am, bm, mm)
				}
			}
		}
	}
	if !s.found() || s.cost > expensive {
		for _, am := range areas {
			for _, mm := range metricMoves[m][:min(len(metricMoves[m]), secondPassMetrics)] {
				for _, bm := range t.breakdownMoves(am, b, mm, true) {
					s.try(am, bm, mm)
				}
			}
		}
	}
	return s.best, s.found() && s.cost <= tooDear
}

// changeSearch keeps the cheapest change found for a figure of breakdown b.
type changeSearch struct {
	t    *tally
	sup  []bool
	b    int
	best [3]axisMove
	cost int64 // best's: the figures it newly withholds, weighed; -1 while none is found
}

func (s *changeSearch) found() bool { return s.cost >= 0 }

// try keeps the change am x bm x mm when it is feasible and cheaper than the best so far. It
// may be applied either way round, so it is feasible when the cells it lowers are at least 1
// (one way, or the other) and the cells it raises can be raised (not a zero by definition),
// within rows with a child waiting; and a breakdown's small count never costs an area's
// headline figures (its row of all children).
func (s *changeSearch) try(am, bm, mm axisMove) {
	t := s.t
	lowUp, lowDown := true, true // feasible applied as is; applied negated
	cost := int64(0)
	for i, a := range am.idx {
		for j, bi := range bm.idx {
			r := rowOf(a, bi)
			if t.at(r, mWaiting) == 0 || (bi == 0 && s.b != 0) {
				return
			}
			for k, mi := range mm.idx {
				c := r*nCount + mi
				if t.knownCell(c) {
					return // the reader knows it: it cannot hide a change
				}
				v := t.v[c]
				if v < 1 {
					if structuralZero(bi, mi) {
						return
					}
					if am.sign[i]*bm.sign[j]*mm.sign[k] < 0 {
						lowUp = false
					} else {
						lowDown = false
					}
					if !lowUp && !lowDown {
						return
					}
				}
				if !s.sup[c] {
					if t.large(c) {
						return // a large group's figure: the DfE's rule finds a smaller one
					}
					cost += int64(v) * weight(mi) * areaWeight[t.areas.list[a].Level]
					if (s.found() && cost >= s.cost) || cost > tooDear {
						return
					}
				}
			}
		}
	}
	if !s.found() || cost < s.cost {
		s.best, s.cost = [3]axisMove{am, bm, mm}, cost
	}
}

// positive reports whether the cell (area, breakdown, metric) is at least 1 in a row with a
// child waiting.
func (t *tally) positive(a, b, m int) bool {
	r := rowOf(a, b)
	return t.at(r, mWaiting) > 0 && t.at(r, m) > 0
}

// areaMoves lists the balanced changes of the areas that put +1 on ar, kept local so that
// protecting a council's small count never withholds its region's or England's figures: a
// council against another of its region; a region against another region (each with one of its
// councils); England down through a region and one of its councils. Only areas whose figure is
// at least 1 (pos) are used.
func (t *tally) areaMoves(ar, b, m int) []axisMove {
	return areaMoves(t.areas, ar, func(a int) bool { return t.positive(a, b, m) && !t.knownCell(rowOf(a, b)*nCount+m) },
		func(a int) int32 { return t.at(rowOf(a, b), m) })
}

// Partners are tried smallest figure first, so that the cheapest changes come first.
func areaMoves(ix *areaIndex, ar int, pos func(a int) bool, value func(a int) int32) []axisMove {
	var out []axisMove
	start := axisMove{idx: []int{ar}, sign: []int8{1}}
	smallest := func(as []int) []int {
		var keep []int
		for _, a := range as {
			if a != ar && pos(a) {
				keep = append(keep, a)
			}
		}
		slices.SortStableFunc(keep, func(x, y int) int { return int(value(x) - value(y)) })
		return keep[:min(len(keep), areaPartners)]
	}
	var regions []int
	for r := range ix.list {
		if ix.list[r].Level == LevelRegion {
			regions = append(regions, r)
		}
	}
	switch ix.list[ar].Level {
	case LevelCouncil:
		// Another council of the region: the region's figures and England's do not move.
		for _, c := range smallest(ix.councils[ix.regionOf[ar]]) {
			out = append(out, start.with(c, -1))
		}
	case LevelRegion:
		// Another region, each with one of its councils: England's figures do not move.
		for _, c := range smallest(ix.councils[ar]) {
			for _, r2 := range smallest(regions) {
				for _, c2 := range smallest(ix.councils[r2]) {
					out = append(out, start.with(c, 1).with(r2, -1).with(c2, -1))
				}
			}
		}
	default:
		for _, r := range smallest(regions) {
			for _, c := range smallest(ix.councils[r]) {
				out = append(out, start.with(r, 1).with(c, 1))
			}
		}
	}
	return capMoves(out)
}

// areaPartners bounds the partner areas tried at each step of an area change.
const areaPartners = 3

// maxMoves bounds the changes tried along one axis.
const maxMoves = 64

// capMoves keeps the search bounded: the first maxMoves changes.
func capMoves(ms []axisMove) []axisMove {
	return ms[:min(len(ms), maxMoves)]
}

// breakdownMoves lists the balanced changes of the breakdowns that put +1 on b, using only
// breakdowns that the change could lower, with the area change am and the metric change mm,
// without taking a figure below 0: applied so as to lower x, the cells whose product of signs
// is +1 go down, so they must be at least 1. Sibling groups are counted in the all-children row
// alone, which no breakdown relation touches.
//
// The changes sideways (they leave all children as they are) come first, at most maxMoves of
// them; withUp adds, after them, those through all children (for the row of all children, the
// only ones), and, for a segment, neighbours unlike it in two dimensions as well as in one.
func (t *tally) breakdownMoves(am axisMove, b int, mm axisMove, withUp bool) []axisMove {
	if groupMetric(mm.idx[0]) {
		return []axisMove{{idx: []int{b}, sign: []int8{1}}}
	}
	s := breakdownSearch{t: t, am: am, mm: mm, b: b, memo: make([]int8, 2*nBreakdowns)}
	var out []axisMove
	switch d := dimOfBreakdown[b]; d {
	case DimAll:
		if !withUp {
			return nil
		}
		return s.throughAll()
	case DimDisability, DimEthnicity, DimSiblings:
		out = s.acrossGroups(d)
	case DimAgeBand, DimCareType, DimKeyNeed:
		out = s.acrossMarginal(d)
	case DimSegment:
		out = s.acrossSegments(withUp)
	}
	out = capMoves(out)
	if withUp {
		out = append(out, capMoves(s.throughAll())...)
	}
	return out
}

// breakdownSearch is one search of breakdownMoves: the changes of the breakdowns that put +1
// on b, for the area change am and the metric change mm.
type breakdownSearch struct {
	t      *tally
	am, mm axisMove
	b      int
	memo   []int8 // canTake's answers, by breakdown: 0 not known, 1 yes, 2 no (sign -1 in the second half)
}

// start is the change's +1 on b.
func (s *breakdownSearch) start() axisMove { return axisMove{idx: []int{s.b}, sign: []int8{1}} }

// plus and minus report whether breakdown bi can take +1 (or -1) in the change.
func (s *breakdownSearch) plus(bi int) bool  { return s.canTake(bi, 1) }
func (s *breakdownSearch) minus(bi int) bool { return s.canTake(bi, -1) }

// canTake reports whether breakdown bi can have sign sb in the change: every row of it the
// area change touches has a child waiting, and every cell of it the change lowers (where the
// product of the three signs is +1) is at least 1. The answers are kept.
func (s *breakdownSearch) canTake(bi int, sb int8) bool {
	k := bi
	if sb < 0 {
		k += nBreakdowns
	}
	if s.memo[k] == 0 {
		s.memo[k] = 2
		if s.lowerable(bi, sb) {
			s.memo[k] = 1
		}
	}
	return s.memo[k] == 1
}

func (s *breakdownSearch) lowerable(bi int, sb int8) bool {
	for i, a := range s.am.idx {
		r := rowOf(a, bi)
		if s.t.at(r, mWaiting) == 0 {
			return false
		}
		for k, mi := range s.mm.idx {
			if s.am.sign[i]*sb*s.mm.sign[k] > 0 && s.t.at(r, mi) < 1 {
				return false
			}
		}
	}
	return true
}

// least is the smallest figure of breakdown bi over the change's areas and metrics.
func (s *breakdownSearch) least(bi int) int32 {
	v := int32(1 << 30)
	for _, a := range s.am.idx {
		for _, m := range s.mm.idx {
			v = min(v, s.t.at(rowOf(a, bi), m))
		}
	}
	return v
}

// throughAll lists the changes through all children that include b: +1 on all, on a segment
// and its three marginals, and on one group of each other dimension (b itself in its own, else
// the smallest that can take it), at most maxMoves of them.
func (s *breakdownSearch) throughAll() []axisMove {
	var picks []int
	for _, dd := range []Dimension{DimDisability, DimEthnicity, DimSiblings} {
		pick := -1
		if dimOfBreakdown[s.b] == dd {
			pick = s.b
		} else {
			for g, end := span(dd)[0], span(dd)[1]; g < end; g++ {
				if s.plus(g) && (pick < 0 || s.least(g) < s.least(pick)) {
					pick = g
				}
			}
		}
		if pick < 0 {
			return nil
		}
		picks = append(picks, pick)
	}
	var out []axisMove
	for seg := segmentBase; seg < segmentBase+nSegments; seg++ {
		age, care, need := segmentParts(seg)
		if d := dimOfBreakdown[s.b]; (d == DimSegment && seg != s.b) || (d == DimAgeBand && age != s.b) ||
			(d == DimCareType && care != s.b) || (d == DimKeyNeed && need != s.b) || !s.plus(seg) {
			continue
		}
		mv := axisMove{idx: []int{0, seg, age, care, need}, sign: []int8{1, 1, 1, 1, 1}}
		for _, g := range picks {
			mv = mv.with(g, 1)
		}
		out = append(out, mv)
		if len(out) == maxMoves {
			break
		}
	}
	return out
}

// acrossGroups lists, for b a group of a dimension without segments (disability, ethnicity,
// sibling group), +1 on b and -1 on another group of it.
func (s *breakdownSearch) acrossGroups(d Dimension) []axisMove {
	var out []axisMove
	for g, end := span(d)[0], span(d)[1]; g < end; g++ {
		if g != s.b && s.minus(g) {
			out = append(out, s.start().with(g, -1))
		}
	}
	return out
}

// acrossMarginal lists, for b a marginal of the segments (an age band, care type or key need),
// +1 on b and a segment seg in it, -1 on another group g of the dimension and a segment in g
// that is like seg in the other dimensions, or in all but one (whose two marginals then move
// too: +1 on seg's, -1 on the other's); the smallest changes first.
func (s *breakdownSearch) acrossMarginal(d Dimension) []axisMove {
	own := slices.Index([]Dimension{DimAgeBand, DimCareType, DimKeyNeed}, d) // the coordinate of a segment in d
	var out []axisMove
	for seg := segmentBase; seg < segmentBase+nSegments; seg++ {
		age, care, need := segmentParts(seg)
		coords := [3]int{age, care, need}
		if coords[own] != s.b || !s.plus(seg) {
			continue
		}
		for g, end := span(d)[0], span(d)[1]; g < end; g++ {
			if g == s.b || !s.minus(g) {
				continue
			}
			c2 := coords
			c2[own] = g
			// The neighbour like seg in the other dimensions, then those unlike it in one.
			if s2 := segIndex(c2); s.minus(s2) {
				out = append(out, s.start().with(seg, 1).with(g, -1).with(s2, -1))
			}
			for other := range 3 {
				if other == own {
					continue
				}
				sp := [3][2]int{spanAge, spanCare, spanNeed}[other]
				for h := sp[0]; h < sp[1]; h++ {
					if h == coords[other] {
						continue
					}
					c3 := c2
					c3[other] = h
					if s2 := segIndex(c3); s.minus(s2) && s.plus(coords[other]) && s.minus(h) {
						out = append(out, s.start().with(seg, 1).with(g, -1).with(s2, -1).with(coords[other], 1).with(h, -1))
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y axisMove) int { return len(x.idx) - len(y.idx) })
	return out
}

// acrossSegments lists, for b a segment, +1 on b and -1 on a neighbour unlike it in one
// dimension (or, twoApart, in two), whose groups in those dimensions then move too; the
// smallest changes first.
func (s *breakdownSearch) acrossSegments(twoApart bool) []axisMove {
	age, care, need := segmentParts(s.b)
	limit := 1
	if twoApart {
		limit = 2
	}
	var out []axisMove
	for s2 := segmentBase; s2 < segmentBase+nSegments; s2++ {
		if s2 == s.b {
			continue
		}
		age2, care2, need2 := segmentParts(s2)
		if btoi(age != age2)+btoi(care != care2)+btoi(need != need2) > limit || !s.minus(s2) {
			continue
		}
		idx := make([]int, 0, 8)
		sign := make([]int8, 0, 8)
		idx, sign = append(idx, s.b, s2), append(sign, 1, -1)
		for _, pair := range [3][2]int{{age, age2}, {care, care2}, {need, need2}} {
			if pair[0] != pair[1] {
				idx, sign = append(idx, pair[0], pair[1]), append(sign, 1, -1)
			}
		}
		out = append(out, axisMove{idx: idx, sign: sign})
	}
	slices.SortStableFunc(out, func(x, y axisMove) int { return len(x.idx) - len(y.idx) })
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// segIndex is the breakdown index of the segment of an age band, care type and key need
// (breakdown indices).
func segIndex(c [3]int) int {
	return segmentBase + ((c[0]-spanAge[0])*len(careTypes)+(c[1]-spanCare[0]))*len(keyNeeds) + (c[2] - spanNeed[0])
}
