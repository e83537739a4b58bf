package matcher

import (
	"math"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// slotMeta is a compact copy of what the cheapest hard constraints read of a placement, kept
// by snapshot slot so that a batch search, and the scans of Suitable and Obstacles, can rule
// out most placements without touching the placement itself (a few hundred bytes and several
// slices away). Options does not use it: it checks every placement with
// scoring.Prepared.Check, so that its account of rejections is complete.
type slotMeta struct {
	firstDay  int32 // earliest available-from date among its available places, in days since 1970
	kind      uint8 // bit of the placement's kind (kindBit)
	minAge    uint8
	maxAge    uint8
	sexes     uint8 // bits of the sexes approved (sexBit); allBits when any
	purposes  uint8 // bits of the purposes approved (purposeBit)
	room      int8  // approved places less the children already placed there
	available uint8 // available places, whatever their date (at most 255)
	flags     uint8
	// fromSec, fromNsec: the earliest available-from instant among its available places (Unix
	// seconds and nanoseconds), so that whether one place is free by the day of the move is
	// settled exactly, as Check settles it (firstDay rounds to the day).
	fromSec  int64
	fromNsec int32
}

const (
	metaSiblings uint8 = 1 << iota // approved for brothers and sisters together
	metaInadequate
	metaSmoking
	metaPets
	metaStepFree
	metaInactive // closed or suspended (a snapshot holds none, but the classifier does not rely on it)
	metaExotic   // an approved sex or purpose outside the vocabulary: only Check decides
)

const allBits = 0xff

// otherBit stands for a value outside the vocabulary: no placement approves it.
const otherBit = 0x80

func kindBit(k catalogue.PlacementKind) uint8 {
	for i, x := range catalogue.PlacementKinds {
		if x == k {
			return 1 << i
		}
	}
	return otherBit
}

func sexBit(s catalogue.Sex) uint8 {
	for i, x := range catalogue.Sexes {
		if x == s {
			return 1 << i
		}
	}
	return otherBit
}

func purposeBit(p catalogue.Purpose) uint8 {
	for i, x := range catalogue.Purposes {
		if x == p {
			return 1 << i
		}
	}
	return otherBit
}

// dayNumber is the number of whole days from 1970-01-01 UTC to t, rounded down, so that
// t <= u implies dayNumber(t) <= dayNumber(u).
func dayNumber(t time.Time) int32 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return int32(d)
}

func clampU8(n int) uint8 { return uint8(min(max(n, 0), 255)) }

func newSlotMeta(p *catalogue.Placement) slotMeta {
	m := slotMeta{kind: kindBit(p.Kind), minAge: clampU8(p.Approval.MinAge), maxAge: clampU8(p.Approval.MaxAge)}
	m.sexes = allBits
	if len(p.Approval.Sexes) > 0 {
		m.sexes = 0
		for _, s := range p.Approval.Sexes {
			m.sexes |= sexBit(s) &^ otherBit
		}
	}
	for _, pu := range p.Approval.Purposes {
		m.purposes |= purposeBit(pu) &^ otherBit
	}
	placed := 0
	for _, hm := range p.Household.Members {
		if hm.Role == catalogue.MemberPlacedChild {
			placed++
		}
	}
	m.room = int8(min(max(p.Approval.MaxChildren-placed, -1), 127))
	m.firstDay = 1 << 30
	m.fromSec = math.MaxInt64
	n := 0
	for _, v := range p.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			n++
			m.firstDay = min(m.firstDay, dayNumber(v.AvailableFrom))
			if sec, ns := v.AvailableFrom.Unix(), int32(v.AvailableFrom.Nanosecond()); sec < m.fromSec || sec == m.fromSec && ns < m.fromNsec {
				m.fromSec, m.fromNsec = sec, ns
			}
		}
	}
	m.available = clampU8(n)
	if p.Approval.SiblingGroups {
		m.flags |= metaSiblings
	}
	if p.RatedInadequate() {
		m.flags |= metaInadequate
	}
	if p.Household.Smoking {
		m.flags |= metaSmoking
	}
	if len(p.Household.Pets) > 0 {
		m.flags |= metaPets
	}
	if p.Household.WheelchairAccessible {
		m.flags |= metaStepFree
	}
	if !p.Active {
		m.flags |= metaInactive
	}
	for _, s := range p.Approval.Sexes {
		if sexBit(s) == otherBit {
			m.flags |= metaExotic
		}
	}
	for _, pu := range p.Approval.Purposes {
		if purposeBit(pu) == otherBit {
			m.flags |= metaExotic
		}
	}
	return m
}

// prefilter holds what a request needs of every placement, in the form slotMeta holds it.
// breaks counts the hard constraints it finds a placement surely breaks, each a different one
// of scoring.Constraints that Prepared.Check would find broken too
// (TestPrefilterNeverRejectsWhatCheckAccepts, TestPrefilterCountsOnlyWhatCheckAllFinds).
type prefilter struct {
	day            int32
	places         int
	kinds          uint8
	minAge, maxAge uint8 // youngest and eldest child to be placed, on the day of the move
	sexes          uint8 // the children's sexes
	purposes       uint8 // the children's purposes
	noSmoking      bool
	stepFree       bool
	needPets       bool // a child must live with a pet
	noPets         bool // a child cannot live with animals, or may harm them
	inadequateOK   bool // the director overrode an inadequate rating for this child: Check decides
	// For firstBroken: the instant of the day of the move (Unix seconds and nanoseconds), and
	// whether every child's age fits the metadata's bytes unclamped (0 to 254).
	daySec    int64
	dayNsec   int32
	agesExact bool
}

func newPrefilter(prep *scoring.Prepared) prefilter {
	f := prefilter{day: dayNumber(prep.Day()), places: prep.Places(), kinds: allBits, minAge: 255,
		inadequateOK: prep.InadequateAllowed(), agesExact: true}
	f.daySec, f.dayNsec = prep.Day().Unix(), int32(prep.Day().Nanosecond())
	for _, c := range prep.Children() {
		var k uint8
		for _, kind := range catalogue.PlacementKinds {
			if c.CareType.Accepts(kind) {
				k |= kindBit(kind)
			}
		}
		f.kinds &= k
		years := c.AgeOn(prep.Day())
		f.agesExact = f.agesExact && years >= 0 && years < 255
		age := clampU8(years)
		f.minAge, f.maxAge = min(f.minAge, age), max(f.maxAge, age)
		f.sexes |= sexBit(c.Sex)
		f.purposes |= purposeBit(c.Purpose)
		f.noSmoking = f.noSmoking || c.Respiratory || c.AgeOn(prep.Day()) < 5
		f.stepFree = f.stepFree || c.Wheelchair
		f.needPets = f.needPets || c.Pets == catalogue.PetsMust
		f.noPets = f.noPets || c.Pets == catalogue.PetsCannot || c.HasRisk(catalogue.RiskAnimals)
	}
	return f
}

// passes reports whether the placement may pass every hard constraint: a necessary condition
// of Prepared.Check passing.
func (f *prefilter) passes(m *slotMeta) bool { return f.breaks(m, 1) == 0 }

// breaks counts the hard constraints the placement surely breaks, stopping at limit. Each case
// below tests one constraint (the child's pets rule and household safety's rule about animals
// count as one), in the order of scoring.Constraints; none tests the distance from home.
func (f *prefilter) breaks(m *slotMeta, limit int) int {
	n := 0
	enough := func(broken bool) bool {
		if broken {
			n++
		}
		return n >= limit
	}
	switch {
	case enough(m.firstDay > f.day || int(m.available) < f.places),
		enough(m.kind&f.kinds == 0),
		enough(m.flags&metaInadequate != 0 && !f.inadequateOK),
		enough(f.minAge < m.minAge || f.maxAge > m.maxAge),
		enough(f.sexes&m.sexes != f.sexes),
		enough(f.purposes&m.purposes != f.purposes),
		enough(f.places > 1 && m.flags&metaSiblings == 0),
		enough(int(m.room) < f.places),
		enough(f.stepFree && m.flags&metaStepFree == 0),
		enough(f.noSmoking && m.flags&metaSmoking != 0),
		enough(f.needPets && m.flags&metaPets == 0 || f.noPets && m.flags&metaPets != 0):
	}
	return n
}
