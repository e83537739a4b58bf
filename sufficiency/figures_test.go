package sufficiency

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestPartitionsAddUp: on the fixed catalogue's and a realistic catalogue's tallies, every
// partition a row declares adds up, so that suppression protects each count against the
// relations it really has.
func TestPartitionsAddUp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		r    func(t *testing.T) *Report
	}{
		{"fixture", analyseFixture},
		{"far", func(t *testing.T) *Report { return analyseInput(t, farFixture()) }},
		{"synthetic", func(t *testing.T) *Report { _, r := analyseSynth(t); return r }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tl := tc.r(t).tally
			for row := range len(tl.v) / nCount {
				for _, p := range partitions {
					if groupMetric(p[0]) && row%nBreakdowns != 0 {
						continue
					}
					sum := int32(0)
					for _, m := range p[1:] {
						sum += tl.at(row, m)
					}
					if total := tl.at(row, p[0]); sum != total {
						t.Fatalf("row %d: partition %v: parts %d, total %d", row, p, sum, total)
					}
				}
			}
		})
	}
}

// TestOutsideAndBeyond20: the DfE's combined indicator counts exactly the children the joint
// match placed outside their council and more than 20 miles from home, worked out child by
// child from the outcomes; it is part of both indicators it combines, and its percentage is of
// the children placed.
func TestOutsideAndBeyond20(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"far", "synthetic"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var r *Report
			if name == "far" {
				r = analyseInput(t, farFixture())
			} else {
				_, r = analyseSynth(t)
			}
			want := map[catalogue.CouncilCode]int32{}
			total := int32(0)
			for _, o := range r.an.outcomes() {
				if o.primary == nil || o.child.Home.IsZero() {
					continue
				}
				if o.primary.Council != o.child.Council && catalogue.DistanceKm(o.child.Home, o.primary.Location) > miles20 {
					want[o.child.Council]++
					total++
				}
			}
			if total == 0 && name == "far" {
				t.Fatal("no child placed outside their council and over 20 miles: the test cannot fail")
			}
			tl := r.tally
			if got := tl.at(rowOf(0, 0), mOutBeyond); got != total {
				t.Errorf("England: %d placed outside and over 20 miles, want %d", got, total)
			}
			for ar, area := range tl.areas.list {
				row := rowOf(ar, 0)
				if area.Level == LevelCouncil {
					if got := tl.at(row, mOutBeyond); got != want[catalogue.CouncilCode(area.Code)] {
						t.Errorf("%s: %d, want %d", area.Name, got, want[catalogue.CouncilCode(area.Code)])
					}
				}
				both := tl.at(row, mOutBeyond)
				if both > tl.at(row, mOutside) || both > tl.at(row, mBeyond20) {
					t.Errorf("%s: %d outside and over 20 miles, more than outside (%d) or over 20 miles (%d)", area.Name, both, tl.at(row, mOutside), tl.at(row, mBeyond20))
				}
			}
			m := r.England().All().Metrics
			if !m.OutsideBeyond20.Withheld() && m.OutsideBeyond20.Value() != float64(total) {
				t.Errorf("England shows %s, want %d", m.OutsideBeyond20, total)
			}
			if got, want := m.OutsideBeyond20Pct, percent(m.OutsideBeyond20, m.Matched); got != want {
				t.Errorf("England: %s%%, want %s%% of placed", got, want)
			}
		})
	}
}

// TestCombinedIndicatorWithheldWithItsParts: a small combined count is withheld, and so is
// what would give it away (outside the council less outside within 20 miles, or over 20 miles
// less inside over 20 miles), audited exactly as the other counts are.
func TestCombinedIndicatorWithheldWithItsParts(t *testing.T) {
	t.Parallel()
	const leeds, bradford, kirklees = "E08000035", "E08000032", "E08000034"
	young := classOf(0, 0, needNone, 1, 0, 0)
	cases := []struct {
		name  string
		build func(t *tally)
	}{
		{"two children outside and far among many outside and near", func(t *tally) {
			t.addChildren(leeds, young, 2, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
			t.addChildren(leeds, young, 30, mTwo, mMatched, mWithin20, mOutside, mOutNear)
			t.addChildren(bradford, young, 40, mTwo, mMatched, mWithin20, mInside)
			t.addChildren(kirklees, young, 20, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
		}},
		{"three inside and far beside many outside and far", func(t *tally) {
			t.addChildren(leeds, young, 3, mTwo, mMatched, mBeyond20, mInside, mInBeyond)
			t.addChildren(leeds, young, 30, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
			t.addChildren(bradford, young, 25, mTwo, mMatched, mBeyond20, mOutside, mOutBeyond)
			t.addChildren(kirklees, young, 20, mTwo, mMatched, mWithin20, mInside)
		}},
	}
	for _, tc := range cases {
		tl := testTally()
		tc.build(tl)
		sup := tl.suppress()
		rs := tl.relations()
		auditOpen(t, tc.name, rs, sup)
		auditCertificates(t, tc.name, tl, rs, sup)
		auditDeterminedOnlyDfE(t, tc.name, tl, rs, sup)
		row := rowOf(tl.areas.byCode[leeds], 0)
		for _, m := range []int{mOutBeyond, mInBeyond} {
			if v := tl.at(row, m); v > 0 && v < minShown && !sup[row*nCount+m] {
				t.Errorf("%s: Leeds's %s (%d) is shown", tc.name, countWords[m], v)
			}
		}
	}
}

// farFixture is the fixed catalogue with Norfolk's children, whose nearest homes are over 20
// miles away: some in Suffolk (outside their council), some in Norfolk, and a few in Suffolk
// within 20 miles.
func farFixture() Input {
	const norfolk, suffolk = catalogue.CouncilCode("E10000020"), catalogue.CouncilCode("E10000029")
	b := &fixtureBuilder{in: fixture(), prov: 1, county: norfolk}
	b.nextC = catalogue.ChildID(len(b.in.Children))
	b.nextP = catalogue.PlacementID(len(b.in.Placements))
	b.nextG = catalogue.SiblingGroupID(len(b.in.Groups))
	for _, p := range b.in.Placements {
		b.nextV += catalogue.VacancyID(len(p.Vacancies))
	}
	home := centre(norfolk)
	for range 9 {
		b.child(7, func(c *catalogue.Child) { c.Home = home })
	}
	at := func(council catalogue.CouncilCode, northKm float64) func(*catalogue.Placement) {
		return func(p *catalogue.Placement) { p.Council, p.Location = council, near(home, northKm, 0) }
	}
	b.placement(catalogue.AgencyFoster, 2, 2, at(suffolk, -10))
	b.placement(catalogue.AgencyFoster, 2, 2, at(suffolk, -40))
	b.placement(catalogue.AgencyFoster, 2, 2, at(suffolk, -42))
	b.placement(catalogue.AgencyFoster, 2, 2, at(norfolk, 40))
	b.placement(catalogue.AgencyFoster, 2, 2, at(norfolk, 42))
	return b.in
}
