package sufficiency

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// table builds the children of a hand-made standardisation: per cell (its key), the group's
// children and how many of them had the outcome, and the other children and theirs.
func table(cs ...[5]int) []stratum {
	var out []stratum
	for _, c := range cs {
		key, gn, gk, on, ok := uint32(c[0]), c[1], c[2], c[3], c[4]
		for i := range gn {
			out = append(out, stratum{keys: []uint32{key, 0}, inGroup: true, hit: i < gk})
		}
		for i := range on {
			out = append(out, stratum{keys: []uint32{key, 0}, hit: i < ok})
		}
	}
	return out
}

// oneFactor gives a standardisation's children as decompose reads them: ss for every
// explanation (one level and the rest), and for everyone.
func oneFactor(ss []stratum) func(int) ([]stratum, int) {
	return func(e int) ([]stratum, int) {
		if e < 0 {
			return ss, 1
		}
		return ss, 2
	}
}

// explainedOf is the points of the gap the cells account for, and the rest.
func explainedOf(ss []stratum) (gap, explained, unexplained float64) {
	all, group := shares(ss)
	like, _ := likeThem(cells(ss, 2, nil))
	explained, unexplained = split(all, like, group)
	return all - group, explained, unexplained
}

// TestStandardisationByHand: gaps whose answers can be worked out by hand.
func TestStandardisationByHand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                        string
		cells                       [][5]int
		gap, explained, unexplained float64
	}{
		// Group 10 (5 had it) in cell 1; others 10 (5) in cell 1 and 20 (18) in cell 2. All: 28
		// of 40 = 70%; the group 50%; children like them (cell 1): 10 of 20 = 50%.
		{"entirely mix", [][5]int{{1, 10, 5, 10, 5}, {2, 0, 0, 20, 18}}, 20, 20, 0},
		// Same mix, 20 points lower in every cell: group 10 in each cell (2 and 6 hit), others
		// 10 in each (6 and 10 hit). All: 24 of 40 = 60%; the group 8 of 20 = 40%; like them:
		// half of 8/20 and half of 16/20 = 60%.
		{"within every cell", [][5]int{{1, 10, 2, 10, 6}, {2, 10, 6, 10, 10}}, 20, 0, 20},
		// Group 10 (3) and 10 (7), others 30 (17) and 30 (29): cell 1 20 of 40 = 50%, cell 2 36 of
		// 40 = 90%; all 70%, the group 50%; its mix is all children's, so like them: 70%.
		{"same mix, worse in cells", [][5]int{{1, 10, 3, 30, 17}, {2, 10, 7, 30, 29}}, 20, 0, 20},
		// The group 15 in cell 1 (6 hit), 5 in cell 2 (4 hit); others 25 in cell 1 (14 hit), 35 in
		// cell 2 (32 hit). Cell 1: 20 of 40 = 50%; cell 2: 36 of 40 = 90%; all 56 of 80 = 70%;
		// the group 10 of 20 = 50%; like them (15*50 + 5*90)/20 = 60%: 10 points mix, 10 not.
		{"a mixture", [][5]int{{1, 15, 6, 25, 14}, {2, 5, 4, 35, 32}}, 20, 10, 10},
	} {
		gap, ex, un := explainedOf(table(tc.cells...))
		if math.Abs(gap-tc.gap) > 1e-9 || math.Abs(ex-tc.explained) > 1e-9 || math.Abs(un-tc.unexplained) > 1e-9 {
			t.Errorf("%s: gap %.2f = explained %.2f + unexplained %.2f, want %g = %g + %g", tc.name, gap, ex, un, tc.gap, tc.explained, tc.unexplained)
		}
	}
}

// TestCellsPoolSparse: a cell of fewer than minCell children is pooled with the rest, one level
// up; a blocked cell too; a cell without the group's children weighs nothing; the last level
// is always one cell.
func TestCellsPoolSparse(t *testing.T) {
	t.Parallel()
	// Cell 1: 12 children (2 of the group); cell 2: 4 (1); cell 3: 6 (1); cell 4: 20 (none).
	ss := table([5]int{1, 2, 1, 10, 5}, [5]int{2, 1, 1, 3, 0}, [5]int{3, 1, 0, 5, 5}, [5]int{4, 0, 0, 20, 20})
	got := cells(ss, 2, nil)
	want := []cell{{group: 2, all: 12, allHit: 6}, {group: 2, all: 10, allHit: 6}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cells = %+v, want %+v", got, want)
	}
	got = cells(ss, 2, func(l int, k uint32) bool { return k == 1 })
	want = []cell{{group: 4, all: 22, allHit: 12}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cells with 1 blocked = %+v, want %+v", got, want)
	}
	// A blocked cell without the group's children is pooled too: the pool holds every blocked
	// row.
	got = cells(ss, 2, func(l int, k uint32) bool { return l == 0 && k == 4 })
	want = []cell{{group: 2, all: 12, allHit: 6}, {group: 2, all: 30, allHit: 26}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cells with 4 blocked = %+v, want %+v", got, want)
	}
}

// TestDecompositionProperties: on random tables, explained and unexplained add up to the gap,
// in the raw shares and in the published figures; the group's own mix as all children's leaves
// nothing explained by mix; a group that fares no worse is not decomposed.
func TestDecompositionProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(24, 2))
	for range 500 {
		var cs [][5]int
		for k := range 1 + rng.IntN(6) {
			gn, on := rng.IntN(30), rng.IntN(60)
			cs = append(cs, [5]int{k, gn, rng.IntN(gn + 1), on, rng.IntN(on + 1)})
		}
		ss := table(cs...)
		gap, ex, un := explainedOf(ss)
		if math.Abs(ex+un-gap) > 1e-9 {
			t.Fatalf("%v: explained %g + unexplained %g != gap %g", cs, ex, un, gap)
		}
		all, group := shares(ss)
		gapFig := difference(valueFigure(group, 1), valueFigure(all, 1))
		d := decompose(OutcomeTwoChoices, valueFigure(group, 1), valueFigure(all, 1), gapFig, []int{0},
			oneFactor(ss), func(int, int, uint32) bool { return false })
		if d.Explained.Shown() && math.Abs(d.Explained.Value()+d.Unexplained.Value()-d.Gap.Value()) > 1e-9 {
			t.Fatalf("%v: published %s + %s != %s", cs, d.Explained, d.Unexplained, d.Gap)
		}
	}
	// The group's children are a fixed share of every cell: all children's mix is theirs.
	for range 200 {
		var cs [][5]int
		for k := range 1 + rng.IntN(5) {
			n := 1 + rng.IntN(20)
			cs = append(cs, [5]int{k, n, rng.IntN(n + 1), 2 * n, rng.IntN(2*n + 1)})
		}
		_, ex, _ := explainedOf(table(cs...))
		if math.Abs(ex) > 1e-9 {
			t.Fatalf("%v: the same mix explains %g points", cs, ex)
		}
	}
}

// TestOnlyFlaggedGroupsDecomposed: in every area of the fixture, every group that fares
// worse has a decomposition of each outcome on which it does, with its sentence; no other group
// has one.
func TestOnlyFlaggedGroupsDecomposed(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	flagged := 0
	for _, a := range r.Areas {
		e, _ := r.Equity(a.Area.Code)
		for _, d := range e.Dimensions {
			for _, g := range d.Groups {
				if !g.FaresWorse {
					if len(g.Decompositions) > 0 {
						t.Errorf("%s, %s: decomposed, though it does not fare worse", a.Area.Name, g.Noun)
					}
					continue
				}
				flagged++
				if len(g.Decompositions) == 0 {
					t.Errorf("%s, %s: fares worse, not decomposed", a.Area.Name, g.Noun)
				}
				for _, x := range g.Decompositions {
					if !strings.Contains(g.Text, x.Text) || !strings.Contains(x.Text, "points") {
						t.Errorf("%s, %s: the sentence %q is not the group's", a.Area.Name, g.Noun, x.Text)
					}
				}
			}
		}
	}
	if flagged == 0 {
		t.Fatal("no group fares worse in the fixture")
	}
}

// TestDecompositionRevealsNoWithheldFigure: a decomposition holds no cell's figure (its fields
// are the group's and all children's published shares and points of the gap), and rows of the
// report whose figure is withheld enter it only pooled, as their sum the shown figures give
// already: no rate of a suppressed cell can be worked out from it.
func TestDecompositionRevealsNoWithheldFigure(t *testing.T) {
	t.Parallel()
	for _, typ := range []reflect.Type{reflect.TypeFor[Decomposition](), reflect.TypeFor[Part]()} {
		for i := range typ.NumField() {
			f := typ.Field(i)
			switch f.Name {
			case "Outcome", "Group", "All", "Gap", "Explained", "Unexplained", "Parts", "Text", "Explanation", "Label", "Points":
			default:
				t.Errorf("%s.%s: a decomposition carries only points of the gap and the published shares", typ.Name(), f.Name)
			}
		}
	}
	// Withheld rows are pooled: moving children's outcomes between two withheld cells, their
	// sum kept, changes nothing a decomposition says, on random tables.
	rng := rand.New(rand.NewPCG(24, 3))
	for range 300 {
		var cs [][5]int
		for k := range 3 + rng.IntN(4) {
			gn, on := rng.IntN(20), 1+rng.IntN(40)
			cs = append(cs, [5]int{k, gn, rng.IntN(gn + 1), on, rng.IntN(on + 1)})
		}
		moved := append([][5]int(nil), cs...)
		// Cells 0 and 1 are withheld: one of the others' outcomes moves from one to the other.
		switch {
		case moved[0][4] > 0 && moved[1][4] < moved[1][3]:
			moved[0][4]--
			moved[1][4]++
		case moved[1][4] > 0 && moved[0][4] < moved[0][3]:
			moved[1][4]--
			moved[0][4]++
		default:
			continue
		}
		withheld := func(_, l int, k uint32) bool { return l == 0 && k <= 1 }
		say := func(c [][5]int) Decomposition {
			ss := table(c...)
			all, group := shares(ss)
			gap := difference(valueFigure(group, 1), valueFigure(all, 1))
			return decompose(OutcomeTwoChoices, valueFigure(group, 1), valueFigure(all, 1), gap, []int{0},
				oneFactor(ss), withheld)
		}
		a, b := say(cs), say(moved)
		if !reflect.DeepEqual(a.Parts, b.Parts) || a.Explained != b.Explained {
			t.Fatalf("%v -> %v: a withheld cell's rate changes the decomposition: %+v, %+v", cs, moved, a.Parts, b.Parts)
		}
	}
}

// TestDecompositionSentences: the words for each kind of finding.
func TestDecompositionSentences(t *testing.T) {
	t.Parallel()
	parts := []Part{{Label: "the kind of home they need", Points: valueFigure(3, 1)}, {Label: "where they live", Points: valueFigure(1.1, 1)}}
	for _, tc := range []struct {
		explained float64
		want      string
	}{
		{4.1, "Of the 6.7 points fewer with two real choices, the kind of home they need and where they live together account for 4.1 (one at a time: the kind of home they need 3.0, where they live 1.1); 2.6 points are not explained by them, and are worth looking into."},
		{0, "Of the 6.7 points fewer with two real choices, none is accounted for by the kind of home they need or where they live (one at a time: the kind of home they need 3.0, where they live 1.1): all 6.7 points are left unexplained, and are worth looking into."},
		{-1.2, "Of the 6.7 points fewer with two real choices, none is accounted for by the kind of home they need or where they live: children like them fare 1.2 points better than all children (one at a time: the kind of home they need 3.0, where they live 1.1), so 7.9 points are not explained by them, and are worth looking into."},
		{6.7, "Of the 6.7 points fewer with two real choices, the kind of home they need and where they live together account for all of them (6.7 points; one at a time: the kind of home they need 3.0, where they live 1.1): children like them fare as they do."},
	} {
		d := Decomposition{Outcome: OutcomeTwoChoices, Gap: valueFigure(6.7, 1), Explained: valueFigure(tc.explained, 1),
			Unexplained: valueFigure(6.7-tc.explained, 1), Parts: parts}
		if got := d.sentence(); got != tc.want {
			t.Errorf("explained %g:\n got %s\nwant %s", tc.explained, got, tc.want)
		}
	}
}
