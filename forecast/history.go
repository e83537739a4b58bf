package forecast

import (
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Category is a placement category of the forecast: the settings grouped as commissioners plan
// supply for them.
type Category int

const (
	Foster      Category = iota // council and agency foster care (unconnected carers)
	Kinship                     // family and friends (connected person) foster care
	Residential                 // children's homes, secure children's homes, young offender institutions
	Supported                   // supported accommodation (16 and 17)
	Other                       // placed for adoption, with parents, hospital, residential school, ...
)

// NumCategories is the number of categories.
const NumCategories = 5

// Categories lists every Category.
var Categories = [NumCategories]Category{Foster, Kinship, Residential, Supported, Other}

func (c Category) String() string {
	switch c {
	case Foster:
		return "foster"
	case Kinship:
		return "kinship"
	case Residential:
		return "residential"
	case Supported:
		return "supported"
	}
	return "other"
}

// CategoryOf is the category of a setting.
func CategoryOf(s catalogue.Setting) Category {
	switch s {
	case catalogue.SettingCouncilFoster, catalogue.SettingAgencyFoster:
		return Foster
	case catalogue.SettingKinship:
		return Kinship
	case catalogue.SettingChildrensHome, catalogue.SettingSecure:
		return Residential
	case catalogue.SettingSupported:
		return Supported
	}
	return Other
}

// Band is an age band, the Children's Services Demand Model's: under 1, 1 to 4, 5 to 9, 10 to
// 15, 16 and 17. A child leaves the forecast at 18 (ageing out of care).
type Band int

// NumBands is the number of age bands.
const NumBands = 5

var bands = [NumBands]struct {
	name     string
	min, max int // ages in years, inclusive
}{{"under 1", 0, 0}, {"1 to 4", 1, 4}, {"5 to 9", 5, 9}, {"10 to 15", 10, 15}, {"16 to 17", 16, 17}}

func (b Band) String() string { return bands[b].name }

// BandOf is the band of an age in years; false at 18 or over (or below 0).
func BandOf(age int) (Band, bool) {
	for i, x := range bands {
		if age >= x.min && age <= x.max {
			return Band(i), true
		}
	}
	return 0, false
}

// NumCells is the number of cells: bands x categories.
const NumCells = NumBands * NumCategories

// Cell is a band and a category.
type Cell int

// CellOf is the cell of a band and category.
func CellOf(b Band, c Category) Cell { return Cell(int(b)*NumCategories + int(c)) }

// Band is the cell's age band.
func (c Cell) Band() Band { return Band(int(c) / NumCategories) }

// Category is the cell's category.
func (c Cell) Category() Category { return Category(int(c) % NumCategories) }

// Stock counts children by cell (fractions in a forecast).
type Stock [NumCells]float64

// Total is the stock of every cell.
func (s Stock) Total() float64 {
	t := 0.0
	for _, v := range s {
		t += v
	}
	return t
}

// ByCategory sums the stock over the bands of each category.
func (s Stock) ByCategory() [NumCategories]float64 {
	var out [NumCategories]float64
	for c, v := range s {
		out[Cell(c).Category()] += v
	}
	return out
}

// Spell is a stretch of time a child lived in one category: from Start up to End (the day it
// ended, when the next began; zero while it continues).
type Spell struct {
	Start, End time.Time
	Category   Category
}

// Child is one child's history as the forecast needs it: no name, only the council, the date of
// birth (for the age on each day) and the spells.
type Child struct {
	Council catalogue.CouncilCode
	Born    time.Time
	Spells  []Spell // in order, not overlapping
}

// History is the histories of many children, complete from From to Through: every child looked
// after on any day between them is in it.
type History struct {
	Children []Child
	From     time.Time // the first day the history is complete
	Through  time.Time // the last day it is known; open spells continue to it
}

// FromEpisodes builds a history from the catalogue's children and their episodes, complete
// from from to through. Consecutive episodes in the same category (a change of legal status,
// of placement within the category) make one spell. Children with no episode are left out.
func FromEpisodes(children []catalogue.Child, episodes map[catalogue.ChildID][]catalogue.Episode, from, through time.Time) History {
	h := History{From: catalogue.Day(from), Through: catalogue.Day(through)}
	for _, c := range children {
		eps := slices.Clone(episodes[c.ID])
		if len(eps) == 0 {
			continue
		}
		slices.SortFunc(eps, func(a, b catalogue.Episode) int { return a.Start.Compare(b.Start) })
		ch := Child{Council: c.Council, Born: c.DateOfBirth}
		for _, e := range eps {
			s := Spell{Start: catalogue.Day(e.Start), Category: CategoryOf(e.Setting)}
			if !e.End.IsZero() {
				s.End = catalogue.Day(e.End)
			}
			if n := len(ch.Spells); n > 0 {
				last := &ch.Spells[n-1]
				if !last.End.IsZero() && last.End.After(s.Start) {
					last.End = s.Start // overlapping episodes: the later one wins
				}
				if last.End.Equal(s.Start) && last.Category == s.Category {
					last.End = s.End
					continue
				}
			}
			ch.Spells = append(ch.Spells, s)
		}
		h.Children = append(h.Children, ch)
	}
	return h
}

// Of is the history of the children of the given councils.
func (h History) Of(councils ...catalogue.CouncilCode) History {
	out := History{From: h.From, Through: h.Through}
	for _, c := range h.Children {
		if slices.Contains(councils, c.Council) {
			out.Children = append(out.Children, c)
		}
	}
	return out
}

// Councils lists the councils of the history's children, in order.
func (h History) Councils() []catalogue.CouncilCode {
	var out []catalogue.CouncilCode
	for _, c := range h.Children {
		out = append(out, c.Council)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// spellOn is the spell the child is in on day d, and false when not looked after that day.
func (c *Child) spellOn(d time.Time) (Spell, bool) {
	for _, s := range c.Spells {
		if !d.Before(s.Start) && (s.End.IsZero() || d.Before(s.End)) {
			return s, true
		}
	}
	return Spell{}, false
}

// cellOn is the child's cell on day d; false when not looked after or 18 or over.
func (c *Child) cellOn(d time.Time) (Cell, bool) {
	s, ok := c.spellOn(d)
	if !ok {
		return 0, false
	}
	b, ok := BandOf(catalogue.AgeOn(c.Born, d))
	if !ok {
		return 0, false
	}
	return CellOf(b, s.Category), true
}

// StockOn counts the children looked after on day d by cell.
func (h History) StockOn(d time.Time) Stock {
	var s Stock
	for i := range h.Children {
		if cell, ok := h.Children[i].cellOn(d); ok {
			s[cell]++
		}
	}
	return s
}

// YearEnd is 31 March of a year: the day the DfE counts children looked after.
func YearEnd(year int) time.Time { return time.Date(year, time.March, 31, 0, 0, 0, 0, time.UTC) }

// Snapshots lists every 31 March from From to Through.
func (h History) Snapshots() []time.Time {
	var out []time.Time
	for y := h.From.Year(); y <= h.Through.Year(); y++ {
		d := YearEnd(y)
		if !d.Before(h.From) && !d.After(h.Through) {
			out = append(out, d)
		}
	}
	return out
}

// Flows are the children's movements between two days, From and To, counted child by child:
// every child looked after (and under 18) on From is in exactly one of Stay (still looked
// after on To, in the cell of To), Left (not looked after on To, under 18) and AgedOut (18 or
// over on To); every child looked after on To is in Stay or Entered. So the stock on From is
// each row of Stay plus Left and AgedOut, and the stock on To each column of Stay plus Entered.
// Children who came in and left between the two days are in neither stock and in no flow.
type Flows struct {
	From, To time.Time
	Stay     [NumCells][NumCells]float64 // from the cell on From to the cell on To
	Entered  Stock                       // by cell on To
	Left     Stock                       // by cell on From
	AgedOut  Stock                       // by cell on From
}

// FlowsBetween counts the flows between two days.
func (h History) FlowsBetween(from, to time.Time) Flows {
	f := Flows{From: from, To: to}
	for i := range h.Children {
		c := &h.Children[i]
		a, inA := c.cellOn(from)
		b, inB := c.cellOn(to)
		switch {
		case inA && inB:
			f.Stay[a][b]++
		case inA && catalogue.AgeOn(c.Born, to) >= 18:
			f.AgedOut[a]++
		case inA:
			f.Left[a]++
		case inB:
			f.Entered[b]++
		}
	}
	return f
}

// Start is the stock on From.
func (f *Flows) Start() Stock {
	var s Stock
	for a := range NumCells {
		s[a] = f.Left[a] + f.AgedOut[a]
		for b := range NumCells {
			s[a] += f.Stay[a][b]
		}
	}
	return s
}

// End is the stock on To.
func (f *Flows) End() Stock {
	var s Stock
	for b := range NumCells {
		s[b] = f.Entered[b]
		for a := range NumCells {
			s[b] += f.Stay[a][b]
		}
	}
	return s
}

// Summary is the flows summed: entries, exits (left care before 18, aged out), moves between
// categories and children who aged into an older band.
type Summary struct {
	Start, End             float64
	Entered, Left, AgedOut float64
	Moved                  float64 // stayed in care, in another category
	AgedUp                 float64 // stayed in care, in an older band
}

// Summary sums the flows.
func (f *Flows) Summary() Summary {
	s := Summary{Start: f.Start().Total(), End: f.End().Total(), Entered: f.Entered.Total(), Left: f.Left.Total(), AgedOut: f.AgedOut.Total()}
	for a := range NumCells {
		for b := range NumCells {
			if Cell(a).Category() != Cell(b).Category() {
				s.Moved += f.Stay[a][b]
			}
			if Cell(b).Band() > Cell(a).Band() {
				s.AgedUp += f.Stay[a][b]
			}
		}
	}
	return s
}

// FromBatch builds a history from a batch of children and their episodes (a decoded SSDA903
// return), complete from from to through.
func FromBatch(b catalogue.Batch, from, through time.Time) History {
	eps := map[catalogue.ChildID][]catalogue.Episode{}
	for _, e := range b.Episodes {
		eps[e.Child] = append(eps[e.Child], e)
	}
	return FromEpisodes(b.Children, eps, from, through)
}
