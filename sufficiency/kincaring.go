package sufficiency

import (
	"context"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// Children cared for by kin outside care (issue 18, the Family Rights Group's ask): many
// children live with grandparents, aunts, older brothers and sisters or friends of the family
// without the council looking after them, by an arrangement the family made, under a child
// arrangements order (Children Act 1989 s8) or with a special guardian (s14A). They are a
// large part of the family-based care a council has, and none of it shows in the supply of
// foster and kinship carers. The report counts them per council, region and England, in
// each way and in all (area rows only), from the family networks the councils record
// (catalogue.FamilyStore.KinCaring): a child is counted once, in their own council.
//
// The counts are of children, so each is withheld from 1 to 4 and protected along the areas
// (suppressAlongAreas), and then by the DfE's rule over both ways the table adds up (a
// region is its councils; all ways are each way), so that no withheld count is a shown total
// less shown parts.

// KinCaringSource reads the children cared for by kin outside care (the store satisfies it:
// catalogue.FamilyStore.KinCaring).
type KinCaringSource interface {
	KinCaring(ctx context.Context) ([]catalogue.KinCaringCount, error)
}

// kinWidth is the width of the kin caring table: each way in the order of catalogue.Carings,
// then all of them.
var kinWidth = len(catalogue.Carings) + 1

// kinCaringTable sums each council's children cared for by kin outside care into its areas:
// cell ar*kinWidth+k is way k of area ar (the last column: every way).
func kinCaringTable(ix *areaIndex, counts []catalogue.KinCaringCount) []int32 {
	v := make([]int32, len(ix.list)*kinWidth)
	for _, c := range counts {
		k := slices.Index(catalogue.Carings, c.Caring)
		areas, ok := ix.of(c.Council)
		if k < 0 || !ok {
			continue
		}
		for _, ar := range areas {
			v[ar*kinWidth+k] += int32(c.Children)
			v[ar*kinWidth+kinWidth-1] += int32(c.Children)
		}
	}
	return v
}

// suppressKinCaring withholds the table's counts from 1 to 4 and protects them. Each way's
// small counts are protected along the areas (suppressAlongAreas: a balanced change of the
// areas, every figure of which is withheld); the same change made to the areas' counts of all
// ways keeps every relation of the table (an area's ways add up to all of them; England's and
// a region's figures to their parts'), so those are withheld too, and a small count of all
// ways is one of a small way's. Where no change fits (a way's only children in England are a
// council's few), the DfE's rule withholds more until no relation has one figure withheld.
//
// Figures of areas the reader knows (nil: none) are shown and protect nothing.
func suppressKinCaring(ix *areaIndex, v []int32, known []bool) []bool {
	var knownCells []bool
	if known != nil {
		knownCells = knownAlongAreas(ix, v, kinWidth, known)
	}
	isKnown := func(i int) bool { return knownCells != nil && knownCells[i] }
	ways := kinWidth - 1
	w := make([]int32, len(ix.list)*ways)
	for ar := range ix.list {
		copy(w[ar*ways:(ar+1)*ways], v[ar*kinWidth:ar*kinWidth+ways])
	}
	byWay := suppressAlongAreas(ix, w, ways, known)
	sup := make([]bool, len(v))
	for ar := range ix.list {
		for k := range ways {
			if byWay[ar*ways+k] {
				sup[ar*kinWidth+k], sup[ar*kinWidth+ways] = true, true
			}
		}
		if all := v[ar*kinWidth+ways]; all > 0 && all < minShown && !isKnown(ar*kinWidth+ways) {
			sup[ar*kinWidth+ways] = true
		}
	}
	secondaryDfE(v, sup, func(i int) bool { return !isKnown(i) }, kinRelations(ix, v))
	return sup
}

// kinRelations are the relations of the kin caring table: each area's ways add up to all of
// them, and England's and each region's figures to their parts'. Relations with a total of 0
// are left out (all their figures are 0, shown).
func kinRelations(ix *areaIndex, v []int32) *relations {
	rs := newRelations()
	var parts []int32
	for ar := range ix.list {
		all := int32(ar*kinWidth + kinWidth - 1)
		if v[all] == 0 {
			continue
		}
		parts = parts[:0]
		for k := range kinWidth - 1 {
			parts = append(parts, int32(ar*kinWidth+k))
		}
		rs.add(all, parts)
		kids, ok := ix.parts(ar)
		if !ok {
			continue
		}
		for k := range kinWidth {
			if v[ar*kinWidth+k] == 0 {
				continue
			}
			parts = parts[:0]
			for _, kid := range kids {
				parts = append(parts, int32(kid*kinWidth+k))
			}
			rs.add(int32(ar*kinWidth+k), parts)
		}
	}
	return rs
}

// publishKinCaring sets the area rows' counts of children cared for by kin outside care,
// when the report was given them.
func publishKinCaring(ix *areaIndex, counts []catalogue.KinCaringCount, areas []AreaReport, known []bool) {
	if counts == nil {
		return
	}
	v := kinCaringTable(ix, counts)
	sup := suppressKinCaring(ix, v, known)
	for ar := range areas {
		m := &areas[ar].Rows[0].Metrics
		m.KinCaringBy = make([]Figure, kinWidth-1)
		for k := range kinWidth - 1 {
			m.KinCaringBy[k] = countFigure(v[ar*kinWidth+k], sup[ar*kinWidth+k])
		}
		m.KinCaring = countFigure(v[ar*kinWidth+kinWidth-1], sup[ar*kinWidth+kinWidth-1])
	}
}

// kinCaringFields are the Fields of the children cared for by kin outside care: all of them,
// then each way (not applicable when the report was not given them).
func (m *Metrics) kinCaringFields() []Field {
	fs := []Field{{"kin_caring", "children cared for by family or friends outside care", m.KinCaring}}
	for k, c := range catalogue.Carings {
		var f Figure
		if k < len(m.KinCaringBy) {
			f = m.KinCaringBy[k]
		}
		fs = append(fs, Field{"kin_caring_" + string(c), "children " + c.ReportWords(), f})
	}
	return fs
}

// writeKinCaring writes an area's children cared for by kin outside care, when the report was
// given them, through p (a tabwriter's printf).
func writeKinCaring(p func(format string, args ...any), m *Metrics) {
	if m.KinCaringBy == nil {
		return
	}
	p("\nChildren cared for by family or friends outside care\t%s\t\n", m.KinCaring)
	for k, c := range catalogue.Carings {
		p("  %s\t%s\t\n", c.ReportWords(), m.KinCaringBy[k])
	}
}
