package sufficiency

import (
	"slices"
	"strings"
	"testing"
	"time"

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

// TestReferralToPlacement: on hand-built facts, the days from each child's first referral in the
// year to their move into a home, per area, median and 90th percentile with the children; a
// move after the report's day, a child not moved and a referral before the year do not count;
// a small count is withheld with its median and percentile, and a council's own staff see it.
func TestReferralToPlacement(t *testing.T) {
	t.Parallel()
	sent := refDay.AddDate(0, -3, 0).Add(14 * time.Hour)
	var facts []catalogue.ReferralFact
	add := func(child catalogue.ChildID, council catalogue.CouncilCode, at time.Time, moved time.Time) {
		facts = append(facts, catalogue.ReferralFact{Referral: catalogue.ReferralID(len(facts) + 1), Child: child, Council: council,
			Provider: 1, Placement: 1, Kind: catalogue.AgencyFoster, SentAt: at, Status: catalogue.ReferralExpired, MovedIn: moved})
	}
	day0 := catalogue.Day(sent)
	for c := range catalogue.ChildID(5) {
		// A second referral, three days on, belongs to the same search.
		add(c+1, refLeeds, sent.AddDate(0, 0, 3), day0.AddDate(0, 0, 10))
		add(c+1, refLeeds, sent, day0.AddDate(0, 0, 10))
	}
	for i, days := range []int{20, 30, 40, 50} {
		add(catalogue.ChildID(6+i), refLeeds, sent, day0.AddDate(0, 0, days))
	}
	add(10, refLeeds, sent, refDay.AddDate(0, 0, 1)) // moves after the report's day
	for c := range catalogue.ChildID(4) {
		add(11+c, refLeeds, sent, time.Time{}) // not moved
	}
	add(20, refLeeds, refDay.AddDate(0, 0, -400), refDay.AddDate(0, 0, -390)) // before the year
	add(30, refBradford, sent, day0.AddDate(0, 0, 7))
	add(31, refBradford, sent, day0.AddDate(0, 0, 9))
	const wakefield = catalogue.CouncilCode("E08000036")
	for c := range catalogue.ChildID(6) {
		add(40+c, wakefield, sent, day0.AddDate(0, 0, 5))
	}

	ix := newAreaIndex()
	leeds, bradford := ix.byCode[string(refLeeds)], ix.byCode[string(refBradford)]
	figs, _ := publishReferrals(ix, refDay, facts, nil, nil)
	tp := figs[leeds].ToPlacement
	if tp.Children.String() != "9" || tp.MedianDays.String() != "10" || tp.P90Days.String() != "50" {
		t.Errorf("Leeds: %s children, median %s, 90th percentile %s; want 9, 10, 50", tp.Children, tp.MedianDays, tp.P90Days)
	}
	if want := "Of the 9 children referred in the year who have since moved into a home, half waited 10 days or less"; !slices.ContainsFunc(figs[leeds].Sentences, func(s string) bool { return strings.HasPrefix(s, want) }) {
		t.Errorf("Leeds's sentences lack %q: %q", want, figs[leeds].Sentences)
	}
	if b := figs[bradford].ToPlacement; !b.Children.Withheld() || !b.MedianDays.Withheld() || !b.P90Days.Withheld() {
		t.Errorf("Bradford's 2 children moved are shown: %s, %s, %s", b.Children, b.MedianDays, b.P90Days)
	}
	if w := figs[ix.byCode[string(wakefield)]].ToPlacement; !w.Children.Withheld() {
		t.Errorf("Wakefield's %s children moved are shown: with Yorkshire's and Leeds's they give Bradford's away", w.Children)
	}
	known := make([]bool, len(ix.list))
	known[bradford] = true
	own, _ := publishReferrals(ix, refDay, facts, nil, known)
	if b := own[bradford].ToPlacement; b.Children.String() != "2" || b.MedianDays.String() != "7" || b.P90Days.String() != "9" {
		t.Errorf("Bradford's own staff see %s, %s, %s; want 2, 7, 9", b.Children, b.MedianDays, b.P90Days)
	}
}

// TestFinancialYear: a day's financial year runs from 1 April to 31 March.
func TestFinancialYear(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), "2026-27"},
		{time.Date(2027, 3, 31, 23, 0, 0, 0, time.UTC), "2026-27"},
		{time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), "2027-28"},
		{time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), "2025-26"},
		{time.Date(2099, 6, 1, 0, 0, 0, 0, time.UTC), "2099-00"},
		{time.Date(2009, 4, 1, 0, 0, 0, 0, time.UTC), "2009-10"},
	} {
		if got := FinancialYear(tc.day); got != tc.want {
			t.Errorf("FinancialYear(%s) = %s, want %s", tc.day.Format(time.DateOnly), got, tc.want)
		}
	}
}

// TestPricesWithTheirYear: every money figure says its price basis, the financial year of the
// report's day (not of the day it was computed): the notes, the text report, each CSV row; and
// the framework prices the fees were set against are listed with their notes.
func TestPricesWithTheirYear(t *testing.T) {
	t.Parallel()
	in := fixture()
	in.Referrals = handReferrals()
	in.FrameworkPrices = []catalogue.FrameworkPrice{
		{Council: refLeeds, Kind: catalogue.AgencyFoster, WeeklyPrice: 900, Note: "White Rose framework, lot 1"},
		{Council: refBradford, Kind: catalogue.ChildrensHome, WeeklyPrice: 5200},
		{Council: cornwall, Kind: catalogue.AgencyFoster, WeeklyPrice: 950, Note: "Peninsula framework"},
	}
	a, err := run(t.Context(), &in, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Computed in the next financial year: the figures are still for 2 November 2026.
	r := a.publish(time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC))
	if got := r.PriceYear(); got != "2026-27" {
		t.Fatalf("price year %s, want 2026-27 (the report's day's)", got)
	}
	if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.HasPrefix(n, "Money is in 2026-27 prices") }) {
		t.Errorf("no note of the price basis: %q", r.Notes)
	}
	v, err := r.View(Filter{Council: refLeeds})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := WriteText(&text, r, v); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026-27 prices)", "Framework prices (money in 2026-27 prices)",
		"Leeds, agency foster carer: £900 a week (White Rose framework, lot 1)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("Leeds's text report lacks %q", want)
		}
	}
	if strings.Contains(text.String(), "Peninsula") || strings.Contains(text.String(), "2027-28") {
		t.Error("Leeds's text report lists another region's price, or the year it was computed")
	}
	yorks, _ := r.Area(refYorks)
	if got := r.FrameworkPrices(yorks.Area); len(got) != 2 || got[0].Council != refBradford || got[1].Council != refLeeds {
		t.Errorf("Yorkshire's framework prices %+v, want Bradford's then Leeds's", got)
	}
	if got := len(r.FrameworkPrices(r.England().Area)); got != 3 {
		t.Errorf("England's framework prices: %d, want 3", got)
	}
	var csv strings.Builder
	if err := WriteCSV(&csv, r.Rows()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if !strings.HasSuffix(lines[0], ",price_year") {
		t.Errorf("the CSV header does not end in price_year: %s", lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.HasSuffix(l, ",2026-27") {
			t.Fatalf("a CSV row without its price year: %s", l)
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
