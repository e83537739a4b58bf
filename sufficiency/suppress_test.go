package sufficiency

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// testTally is an empty tally to fill by hand.
func testTally() *tally {
	ix := newAreaIndex()
	rows := len(ix.list) * nBreakdowns
	return &tally{areas: ix, v: make([]int32, rows*nCount)}
}

// addChildren counts n children of a council in one class with the given outcomes, as
// countChild would.
func (t *tally) addChildren(council string, cls class, n int32, metrics ...int) {
	areas, _ := t.areas.of(catalogue.CouncilCode(council))
	for _, ar := range areas {
		for _, b := range cls {
			for _, m := range append([]int{mWaiting}, metrics...) {
				t.add(rowOf(ar, b), m, n)
			}
		}
	}
}

func classOf(age, care, need, dis, eth, sib int) class {
	return class{0, dimBase[DimAgeBand] + age, dimBase[DimCareType] + care, dimBase[DimKeyNeed] + need,
		dimBase[DimDisability] + dis, dimBase[DimEthnicity] + eth, dimBase[DimSiblings] + sib,
		segmentBase + (age*len(careTypes)+care)*len(keyNeeds) + need}
}

// TestProtectRules: hand-built tables, audited exactly.
func TestProtectRules(t *testing.T) {
	t.Parallel()
	const (
		leeds, bradford, kirklees = "E08000035", "E08000032", "E08000034"
		newcastle                 = "E08000021"
	)
	young := classOf(0, 0, needNone, 1, 0, 0)
	teen := classOf(2, 0, needNone, 1, 0, 0)
	cases := []struct {
		name  string
		build func(t *tally)
		shown map[string]int // areas whose children waiting must be shown, with the figure
	}{
		{"a small council beside a big one", func(t *tally) {
			t.addChildren(leeds, young, 3, mTwo, mMatched, mWithin20, mInside)
			t.addChildren(bradford, young, 40, mTwo, mMatched, mWithin20, mInside)
		}, map[string]int{"E12000003": 43, EnglandCode: 43}},
		{"small cells of two kinds in one council", func(t *tally) {
			t.addChildren(leeds, young, 20, mTwo, mMatched, mWithin20, mInside)
			t.addChildren(leeds, teen, 2, mNone, mUnmatched)
			t.addChildren(bradford, young, 30, mTwo, mMatched, mWithin20, mInside)
			t.addChildren(bradford, teen, 9, mNone, mUnmatched)
			t.addChildren(kirklees, young, 12, mOne, mMatched, mBeyond20, mOutside, mOutBeyond)
		}, map[string]int{"E12000003": 73, EnglandCode: 73}},
		{"a small council alone in its region", func(t *tally) {
			t.addChildren(newcastle, teen, 4, mOne, mMatched, mWithin20, mInside)
			t.addChildren(leeds, teen, 25, mOne, mMatched, mWithin20, mInside)
			t.addChildren(bradford, teen, 30, mTwo, mMatched, mWithin20, mInside)
		}, map[string]int{EnglandCode: 59}},
		// The DfE's combined indicator (outside the council and over 20 miles) is part of both
		// figures it combines: a small one, or a small count of children inside and over 20
		// miles, is withheld with what would give it away.
		{"two children outside and far among many outside and near", func(t *tally) {
			t.addChildren(leeds, young, 2, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
			t.addChildren(leeds, young, 30, mTwo, mMatched, mWithin20, mOutside, mOutNear)
			t.addChildren(bradford, young, 40, mTwo, mMatched, mWithin20, mInside)
			t.addChildren(kirklees, young, 20, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
		}, nil},
		{"three inside and far beside many outside and far", func(t *tally) {
			t.addChildren(leeds, young, 3, mTwo, mMatched, mBeyond20, mInside, mInBeyond)
			t.addChildren(leeds, young, 30, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
			t.addChildren(bradford, young, 25, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
			t.addChildren(kirklees, young, 20, mTwo, mMatched, mWithin20, mInside)
		}, nil},
	}
	for _, tc := range cases {
		tl := testTally()
		tc.build(tl)
		sup := tl.suppress()
		rs := tl.relations()
		auditOpen(t, tc.name, rs, sup)
		auditCertificates(t, tc.name, tl, rs, sup)
		auditDeterminedOnlyDfE(t, tc.name, tl, rs, sup)
		for i, s := range sup {
			v := tl.v[i]
			row := i / nCount
			if s && v == 0 && structuralZero(row%nBreakdowns, i%nCount) {
				t.Errorf("%s: a zero by definition is withheld", tc.name)
			}
			if !s && v > 0 && v < minShown {
				t.Errorf("%s: a count of %d is shown", tc.name, v)
			}
		}
		for code, want := range tc.shown {
			c := rowOf(tl.areas.byCode[code], 0)*nCount + mWaiting
			if sup[c] || tl.v[c] != int32(want) {
				t.Errorf("%s: %s waiting %d (withheld %v), want %d shown", tc.name, code, tl.v[c], sup[c], want)
			}
		}
	}
}

// auditOpen fails when a relation has exactly one figure withheld: it could be worked out by
// subtraction.
func auditOpen(t *testing.T, name string, rs *relations, sup []bool) {
	t.Helper()
	for r := range rs.len() {
		n := 0
		for _, c := range rs.of(r) {
			if sup[c] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("%s: relation %v has exactly one figure withheld", name, rs.of(r))
			return
		}
	}
}

// The audit: with the withheld figures as unknowns, each relation is a linear equation; a
// figure is determined exactly when its unit vector lies in the span of the equations, which
// reduced row echelon form shows. The equations fall into independent components (withheld
// figures linked by relations), solved one by one.

// determinedCells lists the withheld cells the shown figures and the relations determine.
func determinedCells(v []int32, rs *relations, sup []bool) []int32 {
	parent := map[int32]int32{}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for i, s := range sup {
		if s {
			parent[int32(i)] = int32(i)
		}
	}
	var touched []int
	for r := range rs.len() {
		first := int32(-1)
		for _, c := range rs.of(r) {
			if !sup[c] {
				continue
			}
			if first < 0 {
				first = c
				touched = append(touched, r)
				continue
			}
			if a, b := find(first), find(c); a != b {
				parent[a] = b
			}
		}
	}
	comps := map[int32][]int{} // root -> relations
	for _, r := range touched {
		for _, c := range rs.of(r) {
			if sup[c] {
				root := find(c)
				comps[root] = append(comps[root], r)
				break
			}
		}
	}
	var determined []int32
	for _, rels := range comps {
		col := map[int32]int{}
		var unknown []int32
		for _, r := range rels {
			for _, c := range rs.of(r) {
				if _, ok := col[c]; sup[c] && !ok {
					col[c] = len(unknown)
					unknown = append(unknown, c)
				}
			}
		}
		rows := make([][]float64, len(rels))
		for k, r := range rels {
			rows[k] = make([]float64, len(unknown))
			for j, c := range rs.of(r) {
				if !sup[c] {
					continue
				}
				if j == 0 {
					rows[k][col[c]] -= 1
				} else {
					rows[k][col[c]] += 1
				}
			}
		}
		for _, c := range determinedColumns(rows, len(unknown)) {
			determined = append(determined, unknown[c])
		}
	}
	return determined
}

// auditDeterminedOnlyDfE fails when a withheld figure can be worked out by combining relations,
// unless the DfE's rule alone protects it (it has no certificate): those are counted in the
// report's notes.
func auditDeterminedOnlyDfE(t *testing.T, name string, tl *tally, rs *relations, sup []bool) {
	t.Helper()
	dfe := map[int32]bool{}
	for _, c := range tl.dfe {
		dfe[int32(c)] = true
	}
	for _, c := range determinedCells(tl.v, rs, sup) {
		if !dfe[c] {
			t.Errorf("%s: withheld cell %d (value %d), which has a certificate, can be worked out", name, c, tl.v[c])
		}
	}
}

// determinedColumns brings rows to reduced row echelon form and returns the columns whose
// unknown the rows fix: a pivot with nothing else in its row.
func determinedColumns(rows [][]float64, n int) []int {
	pivotRow := 0
	pivots := map[int]int{}
	for c := 0; c < n && pivotRow < len(rows); c++ {
		best := -1
		for r := pivotRow; r < len(rows); r++ {
			if math.Abs(rows[r][c]) > 1e-9 && (best < 0 || math.Abs(rows[r][c]) > math.Abs(rows[best][c])) {
				best = r
			}
		}
		if best < 0 {
			continue
		}
		rows[pivotRow], rows[best] = rows[best], rows[pivotRow]
		p := rows[pivotRow][c]
		for j := range rows[pivotRow] {
			rows[pivotRow][j] /= p
		}
		for r := range rows {
			if r == pivotRow || math.Abs(rows[r][c]) < 1e-12 {
				continue
			}
			f := rows[r][c]
			for j := range rows[r] {
				rows[r][j] -= f * rows[pivotRow][j]
			}
		}
		pivots[c] = pivotRow
		pivotRow++
	}
	var out []int
	for c, r := range pivots {
		alone := true
		for j, x := range rows[r] {
			if j != c && math.Abs(x) > 1e-9 {
				alone = false
				break
			}
		}
		if alone {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// auditCertificates checks protect's certificates against the relations, independently of how
// protect found them: each change keeps every relation it touches, lies within the withheld
// figures, can be applied one way or the other without taking a figure below 0 or raising a zero
// by definition, and every withheld figure is moved by one. That proves no withheld figure can
// be worked out from the shown ones, by any combination of relations.
func auditCertificates(t *testing.T, name string, tl *tally, rs *relations, sup []bool) {
	t.Helper()
	if len(tl.local) > 0 {
		t.Logf("%s: %d figures protected by the DfE rule alone (%d withheld under it)", name, len(tl.local), len(tl.dfe))
	}
	if err := checkCertificates(tl, rs, sup); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

func checkCertificates(tl *tally, rs *relations, sup []bool) error {
	relsOf := map[int32][]int{}
	for r := range rs.len() {
		for _, c := range rs.of(r) {
			relsOf[c] = append(relsOf[c], r)
		}
	}
	moved := make([]bool, len(sup))
	for n, mv := range tl.certificates {
		delta := map[int32]int{}
		for i, a := range mv[0].idx {
			for j, b := range mv[1].idx {
				for k, m := range mv[2].idx {
					c := int32(rowOf(a, b)*nCount + m)
					delta[c] += int(mv[0].sign[i]) * int(mv[1].sign[j]) * int(mv[2].sign[k])
				}
			}
		}
		up, down := true, true
		for c, d := range delta {
			if d == 0 {
				continue
			}
			if !sup[c] {
				return fmt.Errorf("certificate %d moves cell %d, which is shown", n, c)
			}
			moved[c] = true
			v := int(tl.v[c])
			if v+d < 0 || (v == 0 && d > 0 && structuralZero(int(c)/nCount%nBreakdowns, int(c)%nCount)) {
				up = false
			}
			if v-d < 0 || (v == 0 && d < 0 && structuralZero(int(c)/nCount%nBreakdowns, int(c)%nCount)) {
				down = false
			}
			for _, r := range relsOf[c] {
				cs := rs.of(r)
				s := -delta[cs[0]]
				for _, p := range cs[1:] {
					s += delta[p]
				}
				if s != 0 {
					return fmt.Errorf("certificate %d breaks relation %v", n, cs)
				}
			}
		}
		if !up && !down {
			return fmt.Errorf("certificate %d cannot be applied either way without a figure below 0", n)
		}
	}
	dfe := map[int]bool{}
	for _, c := range tl.dfe {
		dfe[c] = true
	}
	for c, s := range sup {
		if s && !moved[c] && !dfe[c] {
			return fmt.Errorf("withheld cell %d (value %d) is moved by no certificate, nor withheld by the DfE rule", c, tl.v[c])
		}
	}
	return nil
}

// TestCertificateCheckCatchesBadCertificates: the check fails on a change that breaks a
// relation, one that moves a shown figure, and a withheld figure no change moves.
func TestCertificateCheckCatchesBadCertificates(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	rs := r.tally.relations()
	if err := checkCertificates(r.tally, rs, r.sup); err != nil {
		t.Fatalf("the real certificates fail: %v", err)
	}
	good := r.tally.certificates
	defer func() { r.tally.certificates = good }()
	flip := func(mv [3]axisMove) [3]axisMove {
		out := mv
		out[2].sign = slices.Clone(mv[2].sign)
		out[2].sign[len(out[2].sign)-1] *= -1
		return out
	}
	for i, mv := range good {
		if len(mv[2].idx) > 1 {
			r.tally.certificates = append(slices.Clone(good[:i]), append([][3]axisMove{flip(mv)}, good[i+1:]...)...)
			break
		}
	}
	if err := checkCertificates(r.tally, rs, r.sup); err == nil {
		t.Error("a certificate with a sign flipped passed")
	}
	sup := slices.Clone(r.sup)
	r.tally.certificates = good
	for c := range sup {
		if sup[c] {
			sup[c] = false // shown, yet a certificate moves it
			break
		}
	}
	if err := checkCertificates(r.tally, rs, sup); err == nil {
		t.Error("a certificate moving a shown figure passed")
	}
	r.tally.certificates = good[1:]
	if err := checkCertificates(r.tally, rs, r.sup); err == nil {
		t.Error("withheld figures moved by no certificate passed")
	}
}

// TestSuppressionOfFixture: on the fixed catalogue's report no relation is left with one figure
// withheld, and no withheld figure can be worked out from the shown ones by any combination of
// relations.
func TestSuppressionOfFixture(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	rs := r.tally.relations()
	auditOpen(t, "fixture", rs, r.sup)
	auditCertificates(t, "fixture", r.tally, rs, r.sup)
	auditDeterminedOnlyDfE(t, "fixture", r.tally, rs, r.sup)
	withheld := 0
	for i, s := range r.sup {
		if s {
			withheld++
			if v := r.tally.v[i]; v == 0 && structuralZero((i/nCount)%nBreakdowns, i%nCount) {
				t.Errorf("a zero by definition is withheld (cell %d)", i)
			}
		}
		if v := r.tally.v[i]; v > 0 && v < minShown && r.tally.at(i/nCount, mWaiting) > 0 && !s {
			t.Errorf("cell %d = %d is shown", i, v)
		}
	}
	if withheld == 0 {
		t.Error("nothing was withheld: the fixture's small councils should be")
	}
}
