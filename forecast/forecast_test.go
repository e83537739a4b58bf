package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const council = catalogue.CouncilCode("E10000017")

// steady is a council where a child comes into foster care on each 10th birthday (1 January)
// and leaves on their 16th: on every 31 March six children aged 10 to 15 are in foster care.
func steady() History {
	h := History{From: YearEnd(2015), Through: YearEnd(2020)}
	for born := 1995; born <= 2010; born++ {
		b := day(born, time.January, 1)
		h.Children = append(h.Children, Child{Council: council, Born: b,
			Spells: []Spell{{Start: b.AddDate(10, 0, 0), End: b.AddDate(16, 0, 0), Category: Foster}}})
	}
	return h
}

func TestSteadyStateStaysSteady(t *testing.T) {
	t.Parallel()
	h := steady()
	cell := CellOf(3, Foster) // 10 to 15
	for _, d := range h.Snapshots() {
		if got := h.StockOn(d); got[cell] != 6 || got.Total() != 6 {
			t.Fatalf("stock on %s: %v, want 6 aged 10 to 15 in foster care", d.Format(time.DateOnly), got)
		}
	}
	m, err := Fit(h, h.Snapshots())
	if err != nil {
		t.Fatal(err)
	}
	// By hand: each year one of the six leaves (at 16) and one enters: 5/6 stay, 1 enters.
	if got := m.Move[cell][cell]; math.Abs(got-5.0/6) > 1e-12 {
		t.Errorf("share staying = %v, want 5/6", got)
	}
	if got := m.Entries[cell]; got != 1 {
		t.Errorf("entries = %v, want 1 a year", got)
	}
	start := h.StockOn(YearEnd(2020))
	for _, y := range m.Forecast(start, YearEnd(2020), 3) {
		if math.Abs(y.Point[cell]-6) > 1e-9 || math.Abs(y.Point.Total()-6) > 1e-9 {
			t.Errorf("%s: forecast %v, want 6 (a steady state stays steady)", y.On.Format(time.DateOnly), y.Point)
		}
		if iv := y.ByCategory[Foster]; iv.Low > 6 || iv.High < 6 {
			t.Errorf("%s: interval %v leaves out the steady 6", y.On.Format(time.DateOnly), iv)
		}
	}
	bt, err := RunBacktest(h, 2)
	if err != nil {
		t.Fatal(err)
	}
	if bt.ModelMAPE[Foster] > 1e-9 || bt.ModelMAPE[NumCategories] > 1e-9 {
		t.Errorf("the stock-and-flow model's error on a steady history = %v, want 0", bt.ModelMAPE)
	}
	if !math.IsNaN(bt.ModelMAPE[Kinship]) {
		t.Errorf("error on a category with no child = %v, want NaN (not counted)", bt.ModelMAPE[Kinship])
	}
}

func TestPureAgeingMovesChildrenUpABand(t *testing.T) {
	t.Parallel()
	// Two children born on 1 January 2008, in foster care from 2015 and still: 9 on 31 March
	// 2017 (5 to 9), 10 on 31 March 2018 (10 to 15).
	h := History{From: YearEnd(2017), Through: YearEnd(2018)}
	for range 2 {
		h.Children = append(h.Children, Child{Council: council, Born: day(2008, time.January, 1),
			Spells: []Spell{{Start: day(2015, time.May, 1), Category: Foster}}})
	}
	f := h.FlowsBetween(YearEnd(2017), YearEnd(2018))
	from, to := CellOf(2, Foster), CellOf(3, Foster)
	if f.Stay[from][to] != 2 {
		t.Fatalf("Stay[5 to 9][10 to 15] = %v, want 2", f.Stay[from][to])
	}
	want := Summary{Start: 2, End: 2, AgedUp: 2}
	if got := f.Summary(); got != want {
		t.Errorf("summary = %+v, want %+v", got, want)
	}
	m, err := Fit(h, h.Snapshots())
	if err != nil {
		t.Fatal(err)
	}
	got := m.Forecast(h.StockOn(YearEnd(2017)), YearEnd(2017), 1)[0].Point
	if got[to] != 2 || got.Total() != 2 {
		t.Errorf("a year on: %v, want both in 10 to 15", got)
	}
}

func TestKnownEntryRate(t *testing.T) {
	t.Parallel()
	// Three two-year-olds come into kinship care on 1 June of every year from 2016 and stay.
	h := History{From: YearEnd(2017), Through: YearEnd(2020)}
	for y := 2016; y <= 2020; y++ {
		for range 3 {
			h.Children = append(h.Children, Child{Council: council, Born: day(y-2, time.February, 1),
				Spells: []Spell{{Start: day(y, time.June, 1), Category: Kinship}}})
		}
	}
	m, err := Fit(h, h.Snapshots())
	if err != nil {
		t.Fatal(err)
	}
	cell := CellOf(1, Kinship)
	if m.Entries[cell] != 3 || m.Entries.Total() != 3 {
		t.Errorf("entries = %v, want 3 a year, all aged 1 to 4 in kinship care", m.Entries)
	}
	// The CSDM method over the year from 31 March 2018: three entrants in 365 days.
	c := FitCSDM(h, YearEnd(2018), YearEnd(2019))
	if got, want := c.Entrants[cell], 3.0/365; math.Abs(got-want) > 1e-12 {
		t.Errorf("CSDM entrants a day = %v, want %v", got, want)
	}
	if c.Exit.Total() != 0 {
		t.Errorf("CSDM exits = %v, want none", c.Exit)
	}
}

func TestCSDMRatesByHand(t *testing.T) {
	t.Parallel()
	// One child aged 12 all year: foster care, then from 1 October a children's home, then home
	// on 1 January; the reference period is the year to 31 March 2019.
	h := History{From: YearEnd(2018), Through: YearEnd(2019), Children: []Child{{Council: council, Born: day(2006, time.May, 5),
		Spells: []Spell{
			{Start: day(2017, time.April, 1), End: day(2018, time.October, 1), Category: Foster},
			{Start: day(2018, time.October, 1), End: day(2019, time.January, 1), Category: Residential},
		}}}}
	c := FitCSDM(h, YearEnd(2018), YearEnd(2019))
	foster, home := CellOf(3, Foster), CellOf(3, Residential)
	fosterDays := day(2018, time.October, 1).Sub(YearEnd(2018)).Hours() / 24 // 184
	homeDays := 92.0
	if c.Days[foster] != fosterDays || c.Days[home] != homeDays {
		t.Fatalf("days = %v in foster care, %v in the home; want %v and %v", c.Days[foster], c.Days[home], fosterDays, homeDays)
	}
	if got := c.Rate[foster][home]; math.Abs(got-1/fosterDays) > 1e-15 {
		t.Errorf("foster to home rate = %v, want 1/%v", got, fosterDays)
	}
	if got := c.Exit[home]; math.Abs(got-1/homeDays) > 1e-15 {
		t.Errorf("exit rate from the home = %v, want 1/%v", got, homeDays)
	}
	// A day's projection of 100 children in foster care moves 100/184 of them to a home and ages
	// 100/(6 x 365.25) into the 16 to 17 band.
	var s Stock
	s[foster] = 100
	got := c.Project(s, YearEnd(2019), []time.Time{YearEnd(2019).AddDate(0, 0, 1)})[0]
	aged := 100 / (6 * 365.25)
	if math.Abs(got[home]-100/fosterDays) > 1e-9 || math.Abs(got[CellOf(4, Foster)]-aged) > 1e-9 ||
		math.Abs(got[foster]-(100-100/fosterDays-aged)) > 1e-9 {
		t.Errorf("a day on: %v", got)
	}
}

// randomHistory is a council of n children with random dates of birth and spells.
func randomHistory(rng *rand.Rand, n int) History {
	h := History{From: YearEnd(2015), Through: YearEnd(2021)}
	for range n {
		born := day(1998+rng.IntN(23), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		c := Child{Council: council, Born: born}
		at := day(2013+rng.IntN(8), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		for range 1 + rng.IntN(4) {
			s := Spell{Start: at, Category: Categories[rng.IntN(NumCategories)]}
			if rng.IntN(4) > 0 {
				s.End = at.AddDate(0, 0, 1+rng.IntN(900))
				at = s.End
				if rng.IntN(3) == 0 {
					at = at.AddDate(0, 0, 1+rng.IntN(400)) // out of care, then back
				}
			}
			c.Spells = append(c.Spells, s)
			if s.End.IsZero() {
				break
			}
		}
		h.Children = append(h.Children, c)
	}
	return h
}

// TestProperties: on random histories, the flows between any two 31 Marches balance with the
// stocks counted on them, and no forecast (either method's, or an interval) is ever negative.
func TestProperties(t *testing.T) {
	t.Parallel()
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 7))
		h := randomHistory(rng, 20+rng.IntN(300))
		snaps := h.Snapshots()
		for i := 1; i < len(snaps); i++ {
			f := h.FlowsBetween(snaps[i-1], snaps[i])
			if f.Start() != h.StockOn(snaps[i-1]) || f.End() != h.StockOn(snaps[i]) {
				t.Fatalf("seed %d, year to %s: flows do not balance with the stocks", seed, snaps[i].Format(time.DateOnly))
			}
		}
		m, err := Fit(h, snaps[:len(snaps)-2])
		if err != nil {
			t.Fatal(err)
		}
		for a := range NumCells {
			sum := 0.0
			for b := range NumCells {
				sum += m.Move[a][b]
			}
			if sum > 1+1e-9 {
				t.Fatalf("seed %d: shares from cell %d sum to %v > 1", seed, a, sum)
			}
		}
		origin := snaps[len(snaps)-3]
		start := h.StockOn(origin)
		csdm := FitCSDM(h, snaps[0], origin).Project(start, origin, snaps[len(snaps)-2:])
		for i, y := range m.Forecast(start, origin, 3) {
			stocks := []Stock{y.Point}
			if i < len(csdm) {
				stocks = append(stocks, csdm[i])
			}
			for _, s := range stocks {
				for _, v := range s {
					if v < 0 || math.IsNaN(v) {
						t.Fatalf("seed %d: a negative stock %v", seed, s)
					}
				}
			}
			for c, iv := range append(y.ByCategory[:], y.All) {
				if iv.Low < 0 || iv.High < iv.Low {
					t.Fatalf("seed %d: interval %d is %v", seed, c, iv)
				}
			}
		}
	}
}

func TestBacktestNeedsYears(t *testing.T) {
	t.Parallel()
	h := steady() // six 31 Marches
	for _, tc := range []struct {
		hold int
		ok   bool
	}{{0, false}, {1, true}, {4, true}, {5, false}} {
		_, err := RunBacktest(h, tc.hold)
		if (err == nil) != tc.ok {
			t.Errorf("hold %d: err = %v, want ok %v", tc.hold, err, tc.ok)
		}
	}
}

func TestFromEpisodesJoinsSpells(t *testing.T) {
	t.Parallel()
	kid := catalogue.Child{ID: 1, Council: council, DateOfBirth: day(2010, time.March, 3)}
	eps := map[catalogue.ChildID][]catalogue.Episode{1: {
		{Start: day(2018, time.May, 1), End: day(2019, time.May, 1), Setting: catalogue.SettingAgencyFoster},
		{Start: day(2019, time.May, 1), End: day(2020, time.May, 1), Setting: catalogue.SettingCouncilFoster}, // same category
		{Start: day(2020, time.May, 1), Setting: catalogue.SettingChildrensHome},
	}}
	h := FromEpisodes([]catalogue.Child{kid, {ID: 2, Council: council}}, eps, YearEnd(2018), YearEnd(2021))
	want := []Spell{{Start: day(2018, time.May, 1), End: day(2020, time.May, 1), Category: Foster}, {Start: day(2020, time.May, 1), Category: Residential}}
	if len(h.Children) != 1 || len(h.Children[0].Spells) != 2 || h.Children[0].Spells[0] != want[0] || h.Children[0].Spells[1] != want[1] {
		t.Errorf("history = %+v, want one child with spells %+v", h.Children, want)
	}
}

// TestCSDMAgesTheSteadyCouncilTwice: on the steady council, where every child leaves care at
// 16, the CSDM method's even ageing moves a sixth of the 10 to 15 year olds a year into the 16
// to 17 band besides the sixth who leave. By hand, the cell follows dS/dt = 1/365 - S x 2/2190
// from 6: after a year 3 + 3e^(-1/3) = 5.15, where the stock-and-flow model keeps the 6.
func TestCSDMAgesTheSteadyCouncilTwice(t *testing.T) {
	t.Parallel()
	h := steady()
	c := FitCSDM(h, YearEnd(2016), YearEnd(2019))
	cell := CellOf(3, Foster)
	got := c.Project(h.StockOn(YearEnd(2019)), YearEnd(2019), []time.Time{YearEnd(2020)})[0]
	if want := 3 + 3*math.Exp(-1.0/3); math.Abs(got[cell]-want) > 0.05 {
		t.Errorf("CSDM a year on: %.3f aged 10 to 15, want %.3f", got[cell], want)
	}
}
