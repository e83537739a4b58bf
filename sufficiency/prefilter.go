package sufficiency

import (
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// meta is a compact copy of what the cheapest hard constraints read of a placement, so that a
// scan can count the constraints a placement surely breaks without calling scoring's Check for
// it. The rules mirror scoring.Prepared's (vacancy, care type is the grid's kind filter, Ofsted,
// age, sex, purpose, sibling group, places) and TestPrefilterAgreesWithCheck holds them to it:
// cheapBreaks never counts a constraint Check would not find broken.
type meta struct {
	open      []int32 // days (since 1970) the available places open, ascending
	minAge    int16
	maxAge    int16
	sexes     uint8 // bits of catalogue.Sexes approved; all when the approval names none
	purposes  uint8 // bits of catalogue.Purposes approved
	room      int16 // approval number less the children already living there
	siblings  bool
	kind      uint8 // bit of the placement's kind
	inadequat bool
}

func newMeta(p *catalogue.Placement) meta {
	m := meta{minAge: int16(p.Approval.MinAge), maxAge: int16(p.Approval.MaxAge), siblings: p.Approval.SiblingGroups,
		inadequat: p.Ofsted == catalogue.OfstedInadequate}
	if k := kindIndex(p.Kind); k >= 0 {
		m.kind = 1 << k
	}
	for _, v := range p.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			m.open = append(m.open, dayNumber(v.AvailableFrom))
		}
	}
	slices.Sort(m.open)
	if len(p.Approval.Sexes) == 0 {
		m.sexes = 0xff
	}
	for _, s := range p.Approval.Sexes {
		m.sexes |= bitOf(s, catalogue.Sexes)
	}
	for _, pu := range p.Approval.Purposes {
		m.purposes |= bitOf(pu, catalogue.Purposes)
	}
	placed := 0
	for _, hm := range p.Household.Members {
		if hm.Role == catalogue.MemberPlacedChild {
			placed++
		}
	}
	m.room = int16(p.Approval.MaxChildren - placed)
	return m
}

// bitOf is v's bit in the vocabulary all; a value outside it gets a bit nothing approves.
func bitOf[T comparable](v T, all []T) uint8 {
	if i := slices.Index(all, v); i >= 0 && i < 7 {
		return 1 << i
	}
	return 0x80
}

// dayNumber is the number of days from 1970-01-01 to t's date (rounded down).
func dayNumber(t time.Time) int32 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return int32(d)
}

// want is what a request asks of a placement, in meta's terms.
type want struct {
	day            int32
	places         int
	minAge, maxAge int
	sexes          uint8 // bits of the children's sexes
	purposes       uint8 // bits of their purposes
	kinds          uint8 // bits of the kinds every child's care type accepts
}

func wantOf(prep *scoring.Prepared) want {
	w := want{day: dayNumber(prep.Day()), places: prep.Places(), minAge: 1 << 30, maxAge: -1}
	w.kinds = 0xff
	for _, c := range prep.Children() {
		age := c.AgeOn(prep.Day())
		w.minAge, w.maxAge = min(w.minAge, age), max(w.maxAge, age)
		w.sexes |= bitOf(c.Sex, catalogue.Sexes)
		w.purposes |= bitOf(c.Purpose, catalogue.Purposes)
		k := uint8(0)
		for i, kind := range catalogue.PlacementKinds {
			if c.CareType.Accepts(kind) {
				k |= 1 << i
			}
		}
		w.kinds &= k
	}
	return w
}

// cheapBreaks counts the cheap constraints the placement surely breaks for the request,
// stopping at limit.
func (m *meta) cheapBreaks(w *want, limit int) int {
	n := 0
	if len(m.open) < w.places || m.open[w.places-1] > w.day {
		n++
	}
	if m.kind&w.kinds == 0 {
		n++
	}
	if n >= limit {
		return n
	}
	if m.inadequat {
		n++
	}
	if int(m.minAge) > w.minAge || int(m.maxAge) < w.maxAge {
		n++
	}
	if n >= limit {
		return n
	}
	if w.sexes&^m.sexes != 0 {
		n++
	}
	if w.purposes&^m.purposes != 0 {
		n++
	}
	if n >= limit {
		return n
	}
	if w.places > 1 && !m.siblings {
		n++
	}
	if int(m.room) < w.places {
		n++
	}
	return n
}
