package sufficiency

import (
	"fmt"
	"slices"
	"strings"
)

// Disclosure control, as the DfE does it for children looked after: a count of children from
// 1 to 4 is withheld (primary suppression: "c" in tables); 0 is shown. A total and its parts
// (a relation: children waiting are those with two choices, one and none; a region's children
// are its councils' children; a council's children are its age bands', ...) would let a withheld
// count be worked out by subtraction if it were the only figure of the relation withheld, so
// other figures are withheld too (secondary suppression).
//
// Leaving no relation with exactly one figure withheld (the DfE's rule) is not always enough:
// relations combine, and an exact audit of a realistic report suppressed that way found hundreds
// of withheld figures that several relations together give away. So protect (protect.go) first
// looks, for each figure withheld below 5, for a certified change: a change of withheld figures
// alone that keeps every relation and takes the figure up or down by 1, so that no combination
// of relations can pin it. Such changes are kept local (a council's partner is another council
// of its region), so that protecting a council's small count never withholds its region's or
// England's totals. Where none fits, the DfE's rule protects the figure (secondaryDfE), and the
// report's notes say how many figures that is. Percentages and averages are withheld with the
// counts they are made of.
//
// Figures of empty rows (no child waiting in that council and segment) are zeros everyone can
// infer: they are never withheld and no change touches them.

// minShown is the smallest count of children shown.
const minShown = 5

// suppress withholds a tally's counts of children below 5, and protects them. Figures of areas
// the reader knows (t.known) are neither withheld nor used to protect another: the reader could
// take them away from a total.
func (t *tally) suppress() []bool {
	sup := make([]bool, len(t.v))
	for i, x := range t.v {
		if x > 0 && x < minShown && t.at(i/nCount, mWaiting) > 0 && !t.knownCell(i) {
			sup[i] = true
		}
	}
	t.protect(sup)
	if len(t.local) > 0 {
		before := slices.Clone(sup)
		secondaryDfEAvoiding(t.v, sup, func(i int) bool { return t.at(i/nCount, mWaiting) > 0 && !t.knownCell(i) }, t.large, t.relations())
		t.dfe = append([]int(nil), t.local...)
		for i := range sup {
			if sup[i] && !before[i] {
				t.dfe = append(t.dfe, i)
			}
		}
	}
	return sup
}

// relations holds each relation's cells (indices into a table), its total first, compactly.
type relations struct {
	start []int32 // relation r's cells are cell[start[r]:start[r+1]]
	cell  []int32
}

func newRelations() *relations { return &relations{start: []int32{0}} }

// add records total = sum of parts. Parts equal to total and empty relations are kept: they
// are harmless and keep the rule simple.
func (rs *relations) add(total int32, parts []int32) {
	if len(parts) == 0 {
		return
	}
	rs.cell = append(rs.cell, total)
	rs.cell = append(rs.cell, parts...)
	rs.start = append(rs.start, int32(len(rs.cell)))
}

func (rs *relations) len() int { return len(rs.start) - 1 }

func (rs *relations) of(r int) []int32 { return rs.cell[rs.start[r]:rs.start[r+1]] }

// tableRelations lists the relations of a tally's counts: each row's partitions, the
// hierarchy of areas (England is its regions, a region its councils), and each area's
// breakdowns (all children are each dimension's groups; an age band, care type or key need
// is its segments).
func (t *tally) relations() *relations {
	rs := newRelations()
	nAreas := len(t.areas.list)
	live := func(row int) bool { return t.at(row, mWaiting) > 0 }
	cell := func(row, m int) int32 { return int32(row*nCount + m) }
	var parts []int32
	// Partitions within rows.
	for row := range nAreas * nBreakdowns {
		if !live(row) {
			continue
		}
		for _, p := range partitions {
			if groupMetric(p[0]) && row%nBreakdowns != 0 {
				continue
			}
			if t.at(row, p[0]) == 0 {
				continue
			}
			parts = parts[:0]
			for _, m := range p[1:] {
				parts = append(parts, cell(row, m))
			}
			rs.add(cell(row, p[0]), parts)
		}
	}
	// Areas: England = its regions, a region = its councils.
	for b := range nBreakdowns {
		for m := range nCount {
			if groupMetric(m) && b != 0 {
				continue
			}
			for ar := range t.areas.list {
				kids, ok := t.areas.parts(ar)
				if !ok {
					continue
				}
				total := rowOf(ar, b)
				if t.at(total, m) == 0 {
					continue
				}
				parts = parts[:0]
				for _, k := range kids {
					if row := rowOf(k, b); live(row) {
						parts = append(parts, cell(row, m))
					}
				}
				rs.add(cell(total, m), parts)
			}
		}
	}
	// Breakdowns within each area.
	for ar := range nAreas {
		all := rowOf(ar, 0)
		if !live(all) {
			continue
		}
		for m := range nCount {
			if groupMetric(m) || t.at(all, m) == 0 {
				continue
			}
			for _, d := range Dimensions {
				parts = parts[:0]
				for b := dimBase[d]; b < dimEnd(d); b++ {
					if row := rowOf(ar, b); live(row) {
						parts = append(parts, cell(row, m))
					}
				}
				rs.add(cell(all, m), parts)
			}
			// An age band, care type or key need is the segments within it.
			for _, d := range []Dimension{DimAgeBand, DimCareType, DimKeyNeed} {
				for b := dimBase[d]; b < dimEnd(d); b++ {
					total := rowOf(ar, b)
					if !live(total) || t.at(total, m) == 0 {
						continue
					}
					parts = parts[:0]
					for s := segmentBase; s < segmentBase+nSegments; s++ {
						age, care, need := segmentParts(s)
						if (d == DimAgeBand && age == b) || (d == DimCareType && care == b) || (d == DimKeyNeed && need == b) {
							if row := rowOf(ar, s); live(row) {
								parts = append(parts, cell(row, m))
							}
						}
					}
					rs.add(cell(total, m), parts)
				}
			}
		}
	}
	return rs
}

// largeGroup is the number of children waiting from which a group's figures at England or
// region level are never withheld to protect another figure, while a smaller figure can protect
// it instead (issue 24: Black children, 106 of them, were withheld at England level).
const largeGroup = 50

// large reports whether a figure is one secondary suppression leaves shown where it can: a figure
// of 5 or more (not itself small) of a group of at least largeGroup children waiting, in England
// or a region.
func (t *tally) large(c int) bool {
	row := c / nCount
	return t.v[c] >= minShown && t.at(row, mWaiting) >= largeGroup && t.areas.list[row/nBreakdowns].Level != LevelCouncil
}

// largeWithheld lists the large figures withheld: the exceptions, where nothing smaller could
// protect a small count (primary suppression never withholds a figure of 5 or more).
func (t *tally) largeWithheld(sup []bool) []int {
	var out []int
	for c, s := range sup {
		if s && t.large(c) {
			out = append(out, c)
		}
	}
	return out
}

// secondaryDfE withholds, beside sup, what the DfE's rule asks: while a relation has exactly one
// figure withheld, another of its figures (the smallest shown above zero; of equal ones, the one
// that leaves the fewest other relations open), so that no withheld figure is a shown total less
// shown parts. live marks the cells that may be withheld.
func secondaryDfE(v []int32, sup []bool, live func(i int) bool, rs *relations) {
	secondaryDfEAvoiding(v, sup, live, func(int) bool { return false }, rs)
}

// secondaryDfEAvoiding is secondaryDfE choosing, in each relation, among the figures avoid does
// not mark first (the minimum-loss choice: the smallest complementary figure that protects),
// and among those it marks only when the relation has no other.
func secondaryDfEAvoiding(v []int32, sup []bool, live, avoid func(i int) bool, rs *relations) {
	n := rs.len()
	count := make([]int32, len(v)+1)
	for _, c := range rs.cell {
		count[c+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	next := append([]int32(nil), count...)
	cellRels := make([]int32, len(rs.cell))
	for r := range n {
		for _, c := range rs.of(r) {
			cellRels[next[c]] = int32(r)
			next[c]++
		}
	}
	relsOf := func(c int32) []int32 { return cellRels[count[c]:count[c+1]] }
	withheld := make([]int32, n)
	var queue []int32
	for r := range n {
		for _, c := range rs.of(r) {
			if sup[c] {
				withheld[r]++
			}
		}
		if withheld[r] == 1 {
			queue = append(queue, int32(r))
		}
	}
	for len(queue) > 0 {
		r := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if withheld[r] != 1 {
			continue
		}
		best, bestScore, bestAvoided := int32(-1), 0, false
		for _, c := range rs.of(int(r)) {
			if sup[c] || !live(int(c)) || v[c] == 0 {
				continue
			}
			avoided := avoid(int(c))
			score := 0
			for _, r2 := range relsOf(c) {
				switch {
				case r2 == r:
				case withheld[r2] == 0:
					score++
				case withheld[r2] == 1:
					score--
				}
			}
			if best < 0 || (bestAvoided && !avoided) ||
				(avoided == bestAvoided && (v[c] < v[best] || (v[c] == v[best] && score < bestScore))) {
				best, bestScore, bestAvoided = c, score, avoided
			}
		}
		if best < 0 {
			continue // cannot happen: a relation's total is above zero and live
		}
		sup[best] = true
		for _, r2 := range relsOf(best) {
			withheld[r2]++
			if withheld[r2] == 1 {
				queue = append(queue, r2)
			}
		}
	}
}

// dimEnd is one past the last breakdown index of a dimension.
func dimEnd(d Dimension) int {
	if d == DimSegment {
		return segmentBase + nSegments
	}
	return dimBase[d] + len(dimValues[d])
}

// suppressStability withholds stability counts and denominators below 5 and protects them
// along the only axis they add up on, the areas: cell 2k of an area is indicator k's count, 2k+1
// its denominator.
func (t *tally) suppressStability() (names []string, sup [][]bool) {
	for _, inds := range t.stab {
		for _, ind := range inds {
			if !containsString(names, ind.Name) {
				names = append(names, ind.Name)
			}
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	nAreas := len(t.areas.list)
	width := len(names) * 2
	v := make([]int32, nAreas*width)
	for ar, inds := range t.stab {
		for _, ind := range inds {
			k := indexString(names, ind.Name)
			v[ar*width+2*k] = int32(ind.Count)
			v[ar*width+2*k+1] = int32(ind.Denominator)
		}
	}
	flat := suppressAlongAreas(t.areas, v, width, t.knownAreas)
	sup = make([][]bool, nAreas)
	for ar := range nAreas {
		sup[ar] = flat[ar*width : (ar+1)*width]
	}
	return names, sup
}

// suppressTurning withholds the counts of young people turning 18 below 5 and protects them
// along the areas, the only axis they add up on (they are no part of any other figure: the
// young people of a council are all its young people in care aged 16 or 17, not only those
// waiting). The Staying Put gap is withheld with them (publish); Staying Put places are not
// personal data.
func (t *tally) suppressTurning() []bool {
	return suppressAlongAreas(t.areas, t.turning, 1, t.knownAreas)
}

// suppressLeaving withholds the counts of fostered young people of 16 and 17 (Staying Put), of
// the Staying Put gap (those of them whose own carers are not willing) and of young people in
// children's homes (Staying Close) from 1 to 4, each protected along the areas. The gap is
// withheld too where the young people it is taken from are, or where those whose carers are
// willing (the young people less the gap) would be: shown together, either would give it away.
func (t *tally) suppressLeaving() (eligible, gap, close []bool) {
	eligible = suppressAlongAreas(t.areas, t.spEligible, 1, t.knownAreas)
	without := make([]int32, len(t.spEligible))
	for i := range without {
		without[i] = t.spEligible[i] - t.spWilling[i]
	}
	gap = suppressAlongAreas(t.areas, without, 1, t.knownAreas)
	willing := suppressAlongAreas(t.areas, t.spWilling, 1, t.knownAreas)
	for i := range gap {
		gap[i] = gap[i] || eligible[i] || willing[i]
	}
	return eligible, gap, suppressAlongAreas(t.areas, t.stayClose, 1, t.knownAreas)
}

// suppressUnregistered withholds the counts of children living in unregistered settings below
// 5 and protects them along the areas, as the young people turning 18 are: they are children
// of a council, and no part of any other figure.
func (t *tally) suppressUnregistered() []bool {
	return suppressAlongAreas(t.areas, t.unregistered, 1, t.knownAreas)
}

// suppressAlongAreas withholds the counts of children from 1 to 4 of a table whose only
// relations run along the areas (England is its regions, a region its councils): cell
// ar*width+k is column k of area ar, and each column is its own table. Each small count is
// protected by the cheapest balanced change of the areas that moves it (areaMoves: another
// council of its region, another region with one of its councils, or England through a region
// and a council), every figure of which is withheld too, so that two tables agree with every
// shown figure and differ in it. When no change fits, the count's area has no other of its
// kind above zero: then its total is the count itself, small, and protected in turn.
//
// known marks the areas whose figures the reader knows (nil: none, the published table): they
// are shown whatever their size and no change moves them; a council whose only partners are
// known is moved with its region against another region and one of its councils; and whatever
// is left with one figure withheld in a relation is closed by the DfE's rule.
func suppressAlongAreas(ix *areaIndex, v []int32, width int, known []bool) []bool {
	var knownCells []bool
	if known != nil {
		knownCells = knownAlongAreas(ix, v, width, known)
	}
	isKnownCell := func(c int) bool { return knownCells != nil && knownCells[c] }
	flat := make([]bool, len(v))
	covered := make([]bool, len(v))
	for x, n := range v {
		if n < 1 || n >= minShown || covered[x] || isKnownCell(x) {
			continue
		}
		ar, k := x/width, x%width
		isKnown := func(a int) bool { return isKnownCell(a*width + k) }
		pos := func(a int) bool { return v[a*width+k] > 0 && !isKnown(a) }
		value := func(a int) int32 { return v[a*width+k] }
		moves := areaMoves(ix, ar, pos, value)
		if known != nil && ix.list[ar].Level == LevelCouncil {
			moves = append(moves, councilThroughRegions(ix, ar, pos, value)...)
		}
		var best axisMove
		bestCost := int64(-1)
		for _, mv := range moves {
			cost := int64(0)
			ok := true
			for _, a := range mv.idx {
				c := a*width + k
				if v[c] < 1 || isKnown(a) {
					ok = false
					break
				}
				if !flat[c] && !(v[c] < minShown) {
					cost += int64(v[c])
				}
			}
			if ok && (bestCost < 0 || cost < bestCost) {
				best, bestCost = mv, cost
			}
		}
		for _, a := range best.idx {
			flat[a*width+k], covered[a*width+k] = true, true
		}
		flat[x], covered[x] = true, true
	}
	if known != nil {
		secondaryDfE(v, flat, func(c int) bool { return !isKnownCell(c) }, areaRelations(ix, width))
	}
	return flat
}

// knownAlongAreas marks the figures of a table along the areas (cell ar*width+k) that a reader
// who knows the areas marked in areas knows: those areas' own, and a region's or England's
// whose every part the reader knows or is shown as 0 (a region where only the reader's council
// has such children: its figure is the council's).
func knownAlongAreas(ix *areaIndex, v []int32, width int, areas []bool) []bool {
	known := make([]bool, len(v))
	for a, k := range areas {
		if k {
			for i := range width {
				known[a*width+i] = true
			}
		}
	}
	// Regions before England: England's parts are the regions.
	for _, level := range []Level{LevelRegion, LevelEngland} {
		for a := range ix.list {
			if ix.list[a].Level != level || areas[a] {
				continue
			}
			kids, _ := ix.parts(a)
			for i := range width {
				all := true
				for _, kid := range kids {
					c := kid*width + i
					if !known[c] && v[c] != 0 {
						all = false
						break
					}
				}
				known[a*width+i] = all && v[a*width+i] != 0
			}
		}
	}
	return known
}

// councilThroughRegions lists the balanced changes that move a council with its region against
// another region and one of that region's councils: England's figures do not move. A reader who
// knows the other councils of a region needs them.
func councilThroughRegions(ix *areaIndex, ar int, pos func(a int) bool, value func(a int) int32) []axisMove {
	region := ix.regionOf[ar]
	if !pos(region) {
		return nil
	}
	var out []axisMove
	start := axisMove{idx: []int{ar, region}, sign: []int8{1, 1}}
	for _, mv := range areaMoves(ix, region, pos, value) {
		// areaMoves from a region: +1 on one of its councils, -1 on another region and one of
		// its councils; keep the other region's part.
		var idx []int
		var sign []int8
		for i, a := range mv.idx {
			if mv.sign[i] < 0 {
				idx, sign = append(idx, a), append(sign, -1)
			}
		}
		out = append(out, axisMove{idx: append(slices.Clone(start.idx), idx...), sign: append(slices.Clone(start.sign), sign...)})
	}
	return capMoves(out)
}

// areaRelations lists the relations of a table along the areas (cell ar*width+k): for each
// column, England is its regions and a region its councils.
func areaRelations(ix *areaIndex, width int) *relations {
	rs := newRelations()
	var parts []int32
	for ar := range ix.list {
		kids, ok := ix.parts(ar)
		if !ok {
			continue
		}
		for k := range width {
			parts = parts[:0]
			for _, c := range kids {
				parts = append(parts, int32(c*width+k))
			}
			rs.add(int32(ar*width+k), parts)
		}
	}
	return rs
}

func containsString(xs []string, s string) bool { return indexString(xs, s) >= 0 }

func indexString(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// countWords name a row's counts in the notes.
var countWords = [mRuledOut]string{
	mWaiting: "children waiting", mTwo: "with two real choices", mOne: "with one", mNone: "with none",
	mMatched: "placed", mBackup: "placed with a back-up", mUnmatched: "not placed",
	mWithin20: "placed within 20 miles", mBeyond20: "placed over 20 miles away", mHomeUnknown: "placed, home not recorded",
	mInside: "placed inside their council", mOutside: "placed outside it",
	mOutBeyond: "placed outside their council and over 20 miles away", mOutNear: "placed outside their council, not over 20 miles away",
	mInBeyond:   "placed inside their council, over 20 miles away",
	mSibWaiting: "waiting with brothers and sisters", mSibTogether: "kept together", mSibApart: "placed apart",
	mSibUnplaced: "brothers and sisters not placed", mGroups: "sibling groups", mGroupsTogether: "sibling groups together",
	mGroupsApart: "sibling groups apart", mGroupsUnplaced: "sibling groups not placed",
}

// maxNamed bounds the exceptions the note names one by one.
const maxNamed = 10

// largeNote names the figures of groups of largeGroup or more withheld at England or region
// level (none: no note): each was the only figure that could protect a small count beside it.
func (t *tally) largeNote(sup []bool) (string, bool) {
	ex := t.largeWithheld(sup)
	if len(ex) == 0 {
		return "", false
	}
	var names []string
	for _, c := range ex[:min(len(ex), maxNamed)] {
		row, m := c/nCount, c%nCount
		what := "short of two choices, by constraint"
		if m < mRuledOut {
			what = countWords[m]
		}
		names = append(names, fmt.Sprintf("%s, children %s: %s", t.areas.list[row/nBreakdowns].Name, breakdowns[row%nBreakdowns].Label, what))
	}
	more := ""
	if len(ex) > maxNamed {
		more = fmt.Sprintf(" and %d more", len(ex)-maxNamed)
	}
	return fmt.Sprintf("Figures of groups of %d children or more in England or a region are withheld only to protect a small count where no smaller figure can; %d are: %s%s.",
		largeGroup, len(ex), strings.Join(names, "; "), more), true
}
