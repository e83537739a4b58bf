package matcher

import (
	"slices"
	"sync"

	"github.com/placematch/placematch/scoring"
)

// Options checks every placement within reach so that its account of rejections is complete;
// for a child with few suitable homes that is thousands of placements, most of them ruled out
// by one of the first, cheap constraints (age, sex, purpose, places). firstBroken settles those
// from the slot's metadata alone, exactly as Check would (the same constraint, first in the
// order of scoring.Constraints), without touching the placement; Check decides the rest
// (TestFirstBrokenAgreesWithCheck, TestOptionsFastPathChangesNothing).

// prefix is the position in scoring.Constraints of each constraint firstBroken can settle, in
// Check's order.
type prefix struct {
	inactive, vacancy, inadequate, age, sex, purpose, places, wheelchair, smoking int
}

// prefixPositions is computed once, when first needed: no work at init.
var prefixPositions = sync.OnceValue(func() prefix {
	at := func(c scoring.Constraint) int { return slices.Index(scoring.Constraints, c) }
	return prefix{
		inactive: at(scoring.ConstraintInactive), vacancy: at(scoring.ConstraintVacancy),
		inadequate: at(scoring.ConstraintOfstedInadequate), age: at(scoring.ConstraintAge),
		sex: at(scoring.ConstraintSex), purpose: at(scoring.ConstraintPurpose), places: at(scoring.ConstraintPlaces),
		wheelchair: at(scoring.ConstraintWheelchair), smoking: at(scoring.ConstraintSmoking),
	}
})

// firstBroken returns the position in scoring.Constraints of the first hard constraint the
// placement breaks, with settled true, when its metadata alone settles it: every constraint
// before that one surely holds and that one surely breaks. It returns settled false when Check
// must decide: nothing in the prefix it knows is broken, or something it cannot test exactly
// comes first.
//
// It is only for placements of a kind every child is assessed for, other than kinship (the
// care type and kinship connection constraints then hold): the slots of the kind indexes Options
// searches.
func (f *prefilter) firstBroken(m *slotMeta, at *prefix) (pos int, settled bool) {
	switch {
	case m.flags&metaInactive != 0:
		return at.inactive, true
	case f.places == 1 && (m.available == 0 || m.fromSec > f.daySec || m.fromSec == f.daySec && m.fromNsec > f.dayNsec):
		// One place is wanted: it is free by the day of the move if and only if the earliest
		// available place is (scoring's openVacancies counts those not after the day).
		return at.vacancy, true
	case int(m.available) < f.places:
		// Fewer places available at all than are wanted: fewer by the day of the move too.
		return at.vacancy, true
	case f.places > 1:
		// Enough places, but whether enough are free by the day needs each place's date.
		return 0, false
	case m.flags&metaInadequate != 0:
		if f.inadequateOK {
			return 0, false // the director may have overridden this one's rating: Check decides
		}
		return at.inadequate, true
	case !f.agesExact:
		return 0, false // an age the metadata's bytes cannot hold
	case f.minAge < m.minAge || f.maxAge > m.maxAge:
		return at.age, true
	case m.flags&metaExotic != 0:
		return 0, false
	case f.sexes&m.sexes != f.sexes:
		return at.sex, true
	case f.purposes&m.purposes != f.purposes:
		return at.purpose, true
	case int(m.room) < f.places:
		// (The sibling group constraint, between purpose and places, holds: one place is wanted.)
		return at.places, true
	case f.stepFree && m.flags&metaStepFree == 0:
		return at.wheelchair, true
	case f.noSmoking && m.flags&metaSmoking != 0:
		return at.smoking, true
	}
	return 0, false
}
