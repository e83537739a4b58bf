package sufficiency

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestKinCaring: the fixed catalogue's children cared for by kin outside care come out per
// council, region and England, by way and in all, as built (fixture.go), with counts from 1 to
// 4 withheld and enough beside them that no shown total less shown parts gives one away; on
// the areas' rows only, in the CSV export, and in words a family would recognise in the text.
func TestKinCaring(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	cases := []struct {
		code string
		want [4]string // family arrangement, child arrangements order, special guardian, all
	}{
		// Kent's 3 by an order is withheld, and with it its 24 in all: 9 + 12 + 3 would give it away.
		{string(kent), [4]string{"9", "c", "12", "c"}},
		{string(cornwall), [4]string{"0", "0", "6", "6"}},
		{string(northumberland), [4]string{"c", "0", "7", "c"}},
		// Cumberland's 5 protects Cheshire East's 1 in all ways (another council of its region).
		{string(cumberland), [4]string{"c", "0", "0", "c"}},
		{string(cheshireEast), [4]string{"0", "c", "0", "c"}},
		{"E12000003", [4]string{"0", "0", "0", "0"}},   // Yorkshire and The Humber: none
		{EnglandCode, [4]string{"16", "c", "25", "c"}}, // England's 4 by an order is small itself
	}
	for _, tc := range cases {
		ar, ok := r.Area(tc.code)
		if !ok {
			t.Fatalf("no area %s", tc.code)
		}
		m := ar.All().Metrics
		if len(m.KinCaringBy) != 3 {
			t.Fatalf("%s: %d ways", ar.Area.Name, len(m.KinCaringBy))
		}
		got := [4]string{m.KinCaringBy[0].String(), m.KinCaringBy[1].String(), m.KinCaringBy[2].String(), m.KinCaring.String()}
		if got != tc.want {
			t.Errorf("%s: by family arrangement, order, special guardian and all %v, want %v", ar.Area.Name, got, tc.want)
		}
		for _, row := range ar.Rows[1:] {
			if row.Metrics.KinCaring.Shown() || row.Metrics.KinCaring.Withheld() || row.Metrics.KinCaringBy != nil {
				t.Errorf("%s %s: kin caring figures in a breakdown", ar.Area.Name, row.Breakdown.Key())
			}
		}
	}
	ix := newAreaIndex()
	in := fixture()
	v := kinCaringTable(ix, in.KinCaring)
	sup := make([]bool, len(v))
	for ar := range r.Areas {
		m := r.Areas[ar].All().Metrics
		for k := range kinWidth - 1 {
			sup[ar*kinWidth+k] = m.KinCaringBy[k].Withheld()
		}
		sup[ar*kinWidth+kinWidth-1] = m.KinCaring.Withheld()
	}
	auditOpen(t, "the fixture", kinRelations(ix, v), sup)

	var b bytes.Buffer
	if err := WriteCSV(&b, r.Rows()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	keys := []string{"kin_caring_family_arrangement", "kin_caring_child_arrangements_order", "kin_caring_special_guardianship_order", "kin_caring"}
	seen := 0
	for _, rec := range recs[1:] {
		if rec[col["area_code"]] != string(kent) {
			continue
		}
		var got [4]string
		for i, k := range keys {
			got[i] = rec[col[k]]
		}
		want := [4]string{"9", "c", "12", "c"}
		if rec[col["dimension"]] != string(DimAll) {
			want = [4]string{"z", "z", "z", "z"}
		}
		if got != want {
			t.Errorf("CSV, Kent %s: %v, want %v", rec[col["breakdown"]], got, want)
		}
		seen++
	}
	if seen < 2 {
		t.Errorf("CSV: %d rows of Kent", seen)
	}

	view, err := r.View(Filter{Council: kent})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := WriteText(&text, r, view); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cared for by family or friends outside care", "with no court order", "a child arrangements order", "special guardian"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report does not say %q", want)
		}
	}
}

// TestKinCaringWithoutSource: a report not given the children cared for by kin says nothing
// of them: not applicable, not zero.
func TestKinCaringWithoutSource(t *testing.T) {
	t.Parallel()
	in := fixture()
	in.KinCaring = nil
	r := analyseInput(t, in)
	m := r.England().All().Metrics
	if m.KinCaring.Shown() || m.KinCaring.Withheld() || m.KinCaringBy != nil {
		t.Errorf("England's kin caring %s %v without a source", m.KinCaring, m.KinCaringBy)
	}
	for _, f := range m.Fields() {
		if strings.HasPrefix(f.Key, "kin_caring") && f.String() != SymbolNotApplicable {
			t.Errorf("%s is %s without a source", f.Key, f)
		}
	}
}

// TestKinCaringSuppressionProtects: on many random tables of children per council and way
// (many small, many councils with none), every count from 1 to 4 is withheld, no zero is, the
// ways add up to all of them and the councils to their region and England, no relation of the
// table has exactly one figure withheld (the DfE's rule), and, by exact linear algebra over the
// relations, no withheld count can be worked out from the shown ones.
func TestKinCaringSuppressionProtects(t *testing.T) {
	t.Parallel()
	ix := newAreaIndex()
	rng := rand.New(rand.NewPCG(18, 31))
	for n := range 200 {
		zero, small := rng.Float64()*0.7, rng.Float64()*0.6
		var counts []catalogue.KinCaringCount
		for _, a := range ix.list {
			if a.Level != LevelCouncil {
				continue
			}
			for _, c := range catalogue.Carings {
				var k int
				switch x := rng.Float64(); {
				case x < zero:
					continue
				case x < zero+small*(1-zero):
					k = 1 + rng.IntN(4)
				default:
					k = 5 + rng.IntN(60)
				}
				counts = append(counts, catalogue.KinCaringCount{Council: catalogue.CouncilCode(a.Code), Caring: c, Children: k})
			}
		}
		name := fmt.Sprintf("random %d", n)
		v := kinCaringTable(ix, counts)
		sup := suppressKinCaring(ix, v, nil)
		for x, s := range sup {
			switch {
			case v[x] > 0 && v[x] < minShown && !s:
				t.Fatalf("%s: %s's %d (column %d) is shown", name, ix.list[x/kinWidth].Name, v[x], x%kinWidth)
			case v[x] == 0 && s:
				t.Fatalf("%s: %s's zero (column %d) is withheld", name, ix.list[x/kinWidth].Name, x%kinWidth)
			}
		}
		for ar := range ix.list {
			sum := int32(0)
			for k := range kinWidth - 1 {
				sum += v[ar*kinWidth+k]
			}
			if sum != v[ar*kinWidth+kinWidth-1] {
				t.Fatalf("%s: %s's ways add up to %d, not %d", name, ix.list[ar].Name, sum, v[ar*kinWidth+kinWidth-1])
			}
		}
		auditOpen(t, name, kinRelations(ix, v), sup)
		if d := determinedCells(v, kinRelations(ix, v), sup); len(d) > 0 {
			t.Errorf("%s: withheld counts can be worked out: %v (first: %s column %d, %d)", name, d, ix.list[d[0]/int32(kinWidth)].Name, d[0]%int32(kinWidth), v[d[0]])
		}
	}
}

// kinCounts is a KinCaringSource of fixed counts.
type kinCounts []catalogue.KinCaringCount

func (k kinCounts) KinCaring(context.Context) ([]catalogue.KinCaringCount, error) { return k, nil }
