package catalogue

import "time"

// StayingPut is where a young person's current foster placement stands on Staying Put: staying
// on with the same foster carers after 18, up to 21. It is a duty of the young person's council,
// not a search for a new home: Children Act 1989 s23CZA (inserted by the Children and Families
// Act 2014 s98) requires the council to monitor a Staying Put arrangement, and to advise, assist
// and support the former relevant child and the carers to keep it going, where the young person
// was placed with local authority foster parents immediately before 18 and both wish it. So it is
// recorded on the young person's current placement (Episode.StayingPut), never as a Purpose.
type StayingPut string

const (
	// StayingPutUnrecorded: nothing recorded yet (the carers have not been asked).
	StayingPutUnrecorded StayingPut = ""
	// StayingPutWilling: the carers are willing to let the young person stay on after 18.
	StayingPutWilling StayingPut = "willing"
	// StayingPutNotWilling: the carers are not willing; the young person moves on at 18.
	StayingPutNotWilling StayingPut = "not_willing"
	// StayingPutAgreed: the arrangement is agreed between the young person, the carers and the
	// council (s23CZA(1)(b): both wish it).
	StayingPutAgreed StayingPut = "agreed"
)

// StayingPuts lists every recorded StayingPut (the unrecorded empty value aside).
var StayingPuts = []StayingPut{StayingPutWilling, StayingPutNotWilling, StayingPutAgreed}

// Valid reports whether s is a known value or unrecorded.
func (s StayingPut) Valid() bool { return s == StayingPutUnrecorded || oneOf(s, StayingPuts) }

// Willing reports whether the carers are willing: willing or agreed.
func (s StayingPut) Willing() bool { return s == StayingPutWilling || s == StayingPutAgreed }

// Fostering reports whether a young person living in setting s is fostered: with council or
// agency foster carers, or kinship carers approved as foster carers (connected persons). Only
// they can stay put (s23CZA: placed with a local authority foster parent immediately before 18).
func (s Setting) Fostering() bool {
	return s == SettingCouncilFoster || s == SettingAgencyFoster || s == SettingKinship
}

// StayingCloseAge is the age from which a young person living in a children's home is looked at
// for Staying Close, as StayingPutAge is for those fostered.
const StayingCloseAge = StayingPutAge

// Leaving is where a young person aged 16 or 17 on a day stands on leaving care, from their
// current placement: eligible for Staying Put (fostered), with their carers' willingness, or for
// Staying Close (living in a children's home).
type Leaving struct {
	StayingPutEligible bool       // fostered, aged 16 or 17
	StayingPut         StayingPut // the carers' willingness, recorded on the current placement
	// StayingCloseEligible: living in a children's home, aged 16 or 17. Staying Close is support
	// to live near the children's home after 18 (the Children and Social Work Act 2017 pilots and
	// the DfE's Staying Close programme; a duty is proposed in the Children's Wellbeing and
	// Schools Bill, not yet law).
	StayingCloseEligible bool
}

// LeavingOn says where a young person born on dob stands on leaving care on day on, from their
// placement history: zero when they are not 16 or 17 or have no placement going on.
func LeavingOn(dob time.Time, episodes []Episode, on time.Time) Leaving {
	if age := AgeOn(dob, on); age < StayingPutAge || age >= 18 {
		return Leaving{}
	}
	cur, ok := currentEpisode(episodes, on)
	if !ok {
		return Leaving{}
	}
	switch {
	case cur.Setting.Fostering():
		return Leaving{StayingPutEligible: true, StayingPut: cur.StayingPut}
	case cur.Setting == SettingChildrensHome:
		return Leaving{StayingCloseEligible: true}
	}
	return Leaving{}
}

// currentEpisode is the episode going on on day on: begun on or before it and not ended by it.
func currentEpisode(episodes []Episode, on time.Time) (Episode, bool) {
	d := Day(on)
	for i := len(episodes) - 1; i >= 0; i-- {
		e := episodes[i]
		if !Day(e.Start).After(d) && (e.End.IsZero() || Day(e.End).After(d)) {
			return e, true
		}
	}
	return Episode{}, false
}
