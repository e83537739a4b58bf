package sufficiency

import (
	"bytes"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestStayingPutGap: the fixed catalogue's young people turning 18 and Staying Put places come
// out as built (fixture.go): per council, region and England, with the gap, the small counts of
// the North West withheld with their gaps, the region's shown; in the CSV export on the areas'
// rows only; and a what-if adding carers willing to offer Staying Put closes the gap by their
// places.
func TestStayingPutGap(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	cases := []struct {
		code                        string
		turning, homes, places, gap string
	}{
		{string(kent), "20", "4", "12", "8"},
		{string(cornwall), "7", "2", "4", "3"},
		{string(northumberland), "5", "4", "8", "-3"},
		{string(cumberland), "c", "1", "2", "c"},
		{string(cheshireEast), "c", "0", "0", "c"},
		{"E12000002", "5", "1", "2", "3"},   // the North West
		{"E12000008", "20", "4", "12", "8"}, // the South East
		{"E12000003", "0", "0", "0", "0"},   // Yorkshire and The Humber: none of either
		{EnglandCode, "37", "11", "26", "11"},
	}
	for _, tc := range cases {
		ar, ok := r.Area(tc.code)
		if !ok {
			t.Fatalf("no area %s", tc.code)
		}
		m := ar.All().Metrics
		got := [4]string{m.TurningEighteen.String(), m.StayingPutHouseholds.String(), m.StayingPutPlaces.String(), m.StayingPutGap.String()}
		if want := [4]string{tc.turning, tc.homes, tc.places, tc.gap}; got != want {
			t.Errorf("%s: young people, households, places, gap %v, want %v", ar.Area.Name, got, want)
		}
		for _, row := range ar.Rows[1:] {
			if f := row.Metrics.TurningEighteen; f.Shown() || f.Withheld() || row.Metrics.StayingPutPlaces.Shown() {
				t.Errorf("%s %s: leaving-care figures in a breakdown (%s)", ar.Area.Name, row.Breakdown.Key(), f)
			}
		}
	}
	// The raw counts behind the withheld ones.
	for code, want := range map[catalogue.CouncilCode]int32{cumberland: 3, cheshireEast: 2} {
		if got := r.tally.turning[r.index[string(code)]]; got != want {
			t.Errorf("%s: %d young people turning 18, want %d", code, got, want)
		}
	}

	// The CSV: the four columns, filled on an area's row of all children, z in its breakdowns.
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
	seen := 0
	for _, rec := range recs[1:] {
		if rec[col["area_code"]] != string(kent) {
			continue
		}
		got := [4]string{rec[col["turning_18"]], rec[col["staying_put_households"]], rec[col["staying_put_places"]], rec[col["staying_put_gap"]]}
		want := [4]string{"20", "4", "12", "8"}
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

	// What if Kent recruits 5 carers of two places willing to offer Staying Put.
	c, err := r.WhatIf(context.Background(), Scenario{Additions: []Addition{{Council: kent, Count: 5,
		Profile: Profile{Kind: catalogue.AgencyFoster, Places: 2, StayingPut: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := c.After.Area(string(kent))
	if m := after.All().Metrics; m.StayingPutPlaces.String() != "22" || m.StayingPutGap.String() != "-2" || m.TurningEighteen.String() != "20" {
		t.Errorf("after the what-if Kent has %s places, gap %s, %s young people", m.StayingPutPlaces, m.StayingPutGap, m.TurningEighteen)
	}
	found := false
	for _, rc := range c.Changes {
		if rc.Area.Code != string(kent) {
			continue
		}
		for _, f := range rc.Fields {
			if f.Key == "staying_put_gap" && f.Change.String() == "-10" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the what-if's changes do not show Kent's gap closing by 10: %+v", c.Changes)
	}
}

// areaRelations are the relations of one figure per area: England is its regions, a region
// its councils.
func areaRelations(ix *areaIndex) *relations {
	rs := newRelations()
	var regions []int32
	for ar, a := range ix.list {
		if a.Level == LevelRegion {
			regions = append(regions, int32(ar))
			var parts []int32
			for _, c := range ix.councils[ar] {
				parts = append(parts, int32(c))
			}
			rs.add(int32(ar), parts)
		}
	}
	rs.add(0, regions)
	return rs
}

// TestTurningSuppressionProtects: on many random tables of young people per council (many of
// them small, many councils with none), every count from 1 to 4 is withheld, no zero is, the
// totals add up, England's total is never withheld for another area's small count, and, by
// exact linear algebra over the relations, no withheld count can be worked out from the shown
// ones. Hand-built tables cover a small council alone in its region and a small England.
func TestTurningSuppressionProtects(t *testing.T) {
	t.Parallel()
	ix := newAreaIndex()
	rs := areaRelations(ix)
	fill := func(council func(i int) int32) []int32 {
		v := make([]int32, len(ix.list))
		for ar, a := range ix.list {
			if a.Level == LevelCouncil {
				v[ar] = council(ar)
				v[ix.regionOf[ar]] += v[ar]
				v[0] += v[ar]
			}
		}
		return v
	}
	newcastle := ix.byCode["E08000021"]
	tables := map[string][]int32{
		"a small council alone in its region": fill(func(i int) int32 {
			switch {
			case i == newcastle:
				return 3
			case ix.list[i].Region == "E12000001":
				return 0
			}
			return 40
		}),
		"a small England": fill(func(i int) int32 {
			if i == newcastle {
				return 3
			}
			return 0
		}),
		"two small councils, the rest none": fill(func(i int) int32 {
			if i == newcastle || i == ix.byCode[string(kent)] {
				return 2
			}
			return 0
		}),
	}
	rng := rand.New(rand.NewPCG(18, 21))
	for n := range 200 {
		zero, small := rng.Float64()*0.6, rng.Float64()*0.6
		tables["random "+string(rune('a'+n%26))+string(rune('a'+n/26))] = fill(func(int) int32 {
			switch x := rng.Float64(); {
			case x < zero:
				return 0
			case x < zero+small*(1-zero):
				return 1 + rng.Int32N(4)
			}
			return 5 + rng.Int32N(80)
		})
	}
	for name, v := range tables {
		sup := suppressAlongAreas(ix, v, 1)
		for ar, s := range sup {
			switch {
			case v[ar] > 0 && v[ar] < minShown && !s:
				t.Errorf("%s: %s's %d is shown", name, ix.list[ar].Name, v[ar])
			case v[ar] == 0 && s:
				t.Errorf("%s: %s's zero is withheld", name, ix.list[ar].Name)
			}
		}
		if v[0] >= minShown && sup[0] {
			t.Errorf("%s: England's %d is withheld", name, v[0])
		}
		auditOpen(t, name, rs, sup)
		if d := determinedCells(v, rs, sup); len(d) > 0 {
			t.Errorf("%s: withheld counts can be worked out: %v (first: %s, %d)", name, d, ix.list[d[0]].Name, v[d[0]])
		}
	}
}
