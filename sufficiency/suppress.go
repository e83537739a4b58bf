package sufficiency

// Disclosure control, as the DfE does it for children looked after: a count of children from
// 1 to 4 is withheld (primary suppression: "c" in tables); 0 is shown. A total and its parts
// (a relation: children waiting are those with two choices, one and none; a region's children
// are its councils' children; a council's children are its age bands', ...) would let a withheld
// count be worked out by subtraction whenever exactly one figure of the relation is withheld,
// so a second figure is withheld too (secondary suppression). Withholding it can leave another
// relation with exactly one figure withheld, so this runs until none has: then no withheld
// figure equals a shown total less shown parts. The second figure is the smallest shown figure
// of the relation above zero, as the DfE does; of equal ones, the one that leaves the fewest
// other relations open. Percentages and averages are withheld with the
// counts they are made of.
//
// Figures of empty rows (no child waiting in that council and segment) are zeros everyone
// can infer, so they take no part: they are never withheld and cannot stand in for one. Nor is
// any zero withheld in place of another figure (see secondary).

// minShown is the smallest count of children shown.
const minShown = 5

// suppress withholds a tally's counts of children below 5, and protects them.
func (t *tally) suppress() []bool {
	sup := make([]bool, len(t.v))
	for i, x := range t.v {
		if x > 0 && x < minShown && t.at(i/nCount, mWaiting) > 0 {
			sup[i] = true
		}
	}
	t.protect(sup)
	return sup
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
	flat := make([]bool, len(v))
	covered := make([]bool, len(v))
	for x, n := range v {
		if n < 1 || n >= minShown || covered[x] {
			continue
		}
		ar, k := x/width, x%width
		var best axisMove
		bestCost := int64(-1)
		for _, mv := range areaMoves(t.areas, ar, func(a int) bool { return v[a*width+k] > 0 }, func(a int) int32 { return v[a*width+k] }) {
			cost := int64(0)
			ok := true
			for _, a := range mv.idx {
				c := a*width + k
				if v[c] < 1 {
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
	sup = make([][]bool, nAreas)
	for ar := range nAreas {
		sup[ar] = flat[ar*width : (ar+1)*width]
	}
	return names, sup
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
