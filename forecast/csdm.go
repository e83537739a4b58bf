package forecast

import (
	"time"

	"github.com/placematch/placematch/catalogue"
)

// CSDM is the Children's Services Demand Model's method, reimplemented from its published
// description (Social Finance and data-to-insight, the "csdm" model funded by the DfE): the
// children in care are a population by age bin and placement category that changes day by day
//
//   - by transitions between categories within a bin, and out of care, each at a constant daily
//     rate: the transitions seen in a reference period over the days children spent in the
//     cell in it;
//   - by entrants into each cell, a constant number a day: those seen in the reference period
//     over its length in days;
//   - by ageing: a fixed share of each bin, one over its length in days, moves into the next
//     bin each day (out of care from the last, at 18).
//
// A projection starts from the stock on a day and applies the three day by day. The model
// gives a single path, no interval.
type CSDM struct {
	From, To time.Time // the reference period
	// Rate[a][b] is the daily rate of transitions from cell a to cell b (same bin, another
	// category); Exit[a] out of care.
	Rate [NumCells][NumCells]float64
	Exit Stock
	// Entrants are the children entering each cell a day.
	Entrants Stock
	// Days are the days children spent in each cell in the reference period.
	Days Stock
}

// FitCSDM fits the model on the reference period [from, to).
func FitCSDM(h History, from, to time.Time) CSDM {
	m := CSDM{From: from, To: to}
	var moves [NumCells][NumCells]float64
	var exits, entrants Stock
	for i := range h.Children {
		c := &h.Children[i]
		for j, s := range c.Spells {
			end := s.End
			if end.IsZero() || end.After(h.Through) {
				end = h.Through.AddDate(0, 0, 1)
			}
			m.addDays(c, s.Category, maxTime(s.Start, from), minTime(end, to))
			// An entrant: a spell that begins a period of care, inside the period.
			first := j == 0 || !c.Spells[j-1].End.Equal(s.Start)
			if first && !s.Start.Before(from) && s.Start.Before(to) {
				if b, ok := BandOf(catalogue.AgeOn(c.Born, s.Start)); ok {
					entrants[CellOf(b, s.Category)]++
				}
			}
			// A transition: the spell ends inside the period, while the child is under 18.
			if s.End.IsZero() || s.End.Before(from) || !s.End.Before(to) || s.End.After(h.Through) {
				continue
			}
			last := s.End.AddDate(0, 0, -1)
			b, ok := BandOf(catalogue.AgeOn(c.Born, last))
			if !ok || catalogue.AgeOn(c.Born, s.End) >= 18 {
				continue
			}
			a := CellOf(b, s.Category)
			if j+1 < len(c.Spells) && c.Spells[j+1].Start.Equal(s.End) {
				moves[a][CellOf(b, c.Spells[j+1].Category)]++
			} else {
				exits[a]++
			}
		}
	}
	days := to.Sub(from).Hours() / 24
	for a := range NumCells {
		if days > 0 {
			m.Entrants[a] = entrants[a] / days
		}
		if m.Days[a] == 0 {
			continue
		}
		m.Exit[a] = exits[a] / m.Days[a]
		for b := range NumCells {
			if b != a {
				m.Rate[a][b] = moves[a][b] / m.Days[a]
			}
		}
	}
	return m
}

// addDays adds the days of [from, to) a child spent in a category to the cells of the bins
// they were in, splitting the stretch at the birthdays that move them into another bin.
func (m *CSDM) addDays(c *Child, cat Category, from, to time.Time) {
	for from.Before(to) {
		age := catalogue.AgeOn(c.Born, from)
		b, ok := BandOf(age)
		if !ok {
			return
		}
		next := c.Born.AddDate(bands[b].max+1, 0, 0) // the birthday leaving the bin
		if next.After(to) {
			next = to
		}
		m.Days[CellOf(b, cat)] += next.Sub(from).Hours() / 24
		from = next
	}
}

// Project starts from the stock on day start and returns the stock on each of the days on (in
// order, after start), moving a day at a time.
func (m CSDM) Project(stock Stock, start time.Time, on []time.Time) []Stock {
	var ageing [NumBands]float64
	for b, x := range bands {
		ageing[b] = 1 / (float64(x.max-x.min+1) * 365.25)
	}
	out := make([]Stock, 0, len(on))
	day, s := start, stock
	for _, target := range on {
		for day.Before(target) {
			var next Stock
			for a := range NumCells {
				n := s[a]
				cell := Cell(a)
				stay := n
				for b := range NumCells {
					if r := m.Rate[a][b]; r > 0 {
						next[b] += n * r
						stay -= n * r
					}
				}
				stay -= n * m.Exit[a]
				aged := n * ageing[cell.Band()]
				stay -= aged
				if cell.Band()+1 < NumBands {
					next[CellOf(cell.Band()+1, cell.Category())] += aged
				}
				next[a] += max(0, stay)
				next[a] += m.Entrants[a]
			}
			s = next
			day = day.AddDate(0, 0, 1)
		}
		out = append(out, s)
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
