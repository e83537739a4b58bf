package catalogue

import (
	"cmp"
	"slices"
	"time"
)

// Stability is one child's placement stability on a day, computed from their history by
// StabilityOf. The indicators follow the DfE's SSDA903 statistics and the Children's
// Commissioner's Stability Index:
//
//   - A placement is a stay with one carer: episodes joined by a change of status only (PLACE,
//     the same carer and care plan) are one placement. A move is a placement that begins on
//     the day the one before it ended; coming into care is not a move.
//   - The 12 months to a day D run from the day after D a year earlier to D itself (the year to
//     31 March 2025 is 1 April 2024 to 31 March 2025); the two years likewise. A placement
//     counts in a period when it was going on on any day of it: one that ended on the first
//     day counts (the child moved that day), one that ended the day before does not.
//   - Long-term stability (DfE): of children under 16 who have been looked after continuously
//     for at least 2.5 years, those who have lived in the same placement for at least 2 years,
//     or who are placed for adoption and whose adoptive and previous placements together have
//     lasted 2 years. "2.5 years" before 31 August is 28 February (29 in a leap year): a date
//     that does not exist in the earlier month is its last day.
//   - Distance from home and the council area are those of the placement the child is in.
type Stability struct {
	On          time.Time
	InCare      bool      // looked after on the day: a placement was going on
	Since       time.Time // the current placement began (zero when not in care)
	InCareSince time.Time // the current period of care began: no gap since
	// Placements12m counts the placements the child had in the 12 months to the day; Moves12m
	// the moves among them (Placements12m-1 for a child in care the whole year).
	Placements12m int
	Moves12m      int
	// UnplannedMoves12m counts the moves in the 12 months that were not part of the care plan.
	UnplannedMoves12m int
	// SchoolMoves12m counts the placements begun in the 12 months that meant a change of school.
	SchoolMoves12m int
	Placements24m  int
	Moves24m       int
	// LongTermEligible: under 16 and looked after continuously for 2.5 years or more.
	LongTermEligible bool
	// LongTermStable: eligible, and in the same placement for 2 years or more (or placed for
	// adoption after a placement that, with it, has lasted 2 years).
	LongTermStable bool
	DistanceKm     float64     // of the current placement from home; UnknownDistance when not known
	PlacedIn       CouncilCode // council area of the current placement; empty when not known
	Outside        bool        // placed outside the child's own council's area (when known)
}

// ThreePlusYear reports whether the child had three or more placements in the 12 months (the
// DfE's measure of short-term instability).
func (s Stability) ThreePlusYear() bool { return s.InCare && s.Placements12m >= 3 }

// ThreePlusTwoYears reports whether the child had three or more placements in two years.
func (s Stability) ThreePlusTwoYears() bool { return s.InCare && s.Placements24m >= 3 }

// FourPlusMovesTwoYears reports whether the child moved four or more times in two years (the
// Children's Commissioner's "4+ moves over two years").
func (s Stability) FourPlusMovesTwoYears() bool { return s.InCare && s.Moves24m >= 4 }

// Over20Miles reports whether the current placement is known to be more than 20 miles from home.
func (s Stability) Over20Miles() bool {
	return s.InCare && s.DistanceKm != UnknownDistance && s.DistanceKm > 20*MilesToKm
}

// spell is one placement: consecutive episodes with the same carer.
type spell struct {
	start, end    time.Time // end zero: going on on the day
	reason        ChangeReason
	move          bool // began on the day the one before it ended
	setting       Setting
	last          int // index of its last episode (in the sorted, truncated list)
	changedSchool bool
}

// StabilityOf computes a child's stability on day on from their episodes (in any order).
// dob is the child's date of birth and council their council. Episodes that begin after on are
// ignored, and one that ends after on is taken to be going on, so the result is what was known
// on the day.
func StabilityOf(dob time.Time, council CouncilCode, episodes []Episode, on time.Time) Stability {
	on = Day(on)
	st := Stability{On: on, DistanceKm: UnknownDistance}
	eps := make([]Episode, 0, len(episodes))
	for _, e := range episodes {
		if e.Start.After(on) {
			continue
		}
		if !e.End.IsZero() && e.End.After(on) {
			e.End, e.Reason = time.Time{}, ""
		}
		eps = append(eps, e)
	}
	slices.SortStableFunc(eps, func(a, b Episode) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	spells := make([]spell, 0, len(eps))
	for i, e := range eps {
		if n := len(spells); n > 0 {
			prev := &spells[n-1]
			if prev.reason.SameCarer() && !prev.end.IsZero() && prev.end.Equal(e.Start) {
				prev.end, prev.reason, prev.last, prev.setting = e.End, e.Reason, i, e.Setting
				prev.changedSchool = prev.changedSchool || e.ChangedSchool
				continue
			}
		}
		sp := spell{start: e.Start, end: e.End, reason: e.Reason, setting: e.Setting, last: i, changedSchool: e.ChangedSchool}
		if n := len(spells); n > 0 && !spells[n-1].end.IsZero() && spells[n-1].end.Equal(e.Start) {
			sp.move = true
		}
		spells = append(spells, sp)
	}

	year := yearsBefore(on, 1).AddDate(0, 0, 1)
	twoYears := yearsBefore(on, 2).AddDate(0, 0, 1)
	for i, sp := range spells {
		going := sp.end.IsZero()
		if going || !sp.end.Before(year) {
			st.Placements12m++
		}
		if going || !sp.end.Before(twoYears) {
			st.Placements24m++
		}
		if sp.move && !sp.start.Before(year) {
			st.Moves12m++
			if !spells[i-1].reason.Planned() {
				st.UnplannedMoves12m++
			}
		}
		if sp.move && !sp.start.Before(twoYears) {
			st.Moves24m++
		}
	}
	for _, e := range eps {
		if e.ChangedSchool && !e.Start.Before(year) {
			st.SchoolMoves12m++
		}
	}

	cur := len(spells) - 1
	if cur < 0 || !spells[cur].end.IsZero() {
		// Not in care on the day: only the counts of the periods are kept.
		return st
	}
	st.InCare = true
	sp := spells[cur]
	st.Since = sp.start
	first := cur
	for first > 0 && spells[first].move {
		first--
	}
	st.InCareSince = spells[first].start
	last := eps[sp.last]
	st.DistanceKm, st.PlacedIn = last.DistanceKm, last.PlacedIn
	st.Outside = last.PlacedIn != "" && last.PlacedIn != council

	if AgeOn(dob, on) < 16 && !st.InCareSince.After(monthsBefore(on, 30)) {
		st.LongTermEligible = true
		twoYearsAgo := yearsBefore(on, 2)
		switch {
		case !sp.start.After(twoYearsAgo):
			st.LongTermStable = true
		case sp.setting == SettingAdoption && sp.move && !spells[cur-1].start.After(twoYearsAgo):
			st.LongTermStable = true
		}
	}
	return st
}

// monthsBefore is the same day n months before d, or the last day of that month when it is
// shorter: 30 months before 31 August 2026 is 29 February 2024, before 31 August 2025 it is
// 28 February 2023.
func monthsBefore(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// yearsBefore is the same day n years before d (28 February for 29 February in a common year).
func yearsBefore(d time.Time, n int) time.Time { return monthsBefore(d, 12*n) }

// StabilitySummary sums the stability of a set of children (a council's, or England's) on one
// day. Counts are of children looked after on the day unless said otherwise.
type StabilitySummary struct {
	Council CouncilCode // empty: every council
	On      time.Time
	// LookedAfter counts the children in care on the day: the denominator of the shares below
	// except where said otherwise.
	LookedAfter           int
	ThreePlusYear         int // three or more placements in the 12 months
	ThreePlusTwoYears     int // three or more placements in two years
	FourPlusMovesTwoYears int // four or more moves in two years
	Moved12m              int // moved at least once in the 12 months
	Moves12m              int // moves in the 12 months, all children together
	UnplannedMoves12m     int // of them, not part of the care plan
	SchoolMove12m         int // changed school on a move in the 12 months
	LongTermEligible      int // under 16, looked after 2.5 years or more
	LongTermStable        int // of them, in the same placement 2 years or more
	DistanceKnown         int // whose placement's distance from home is known
	Over20Miles           int // of them, more than 20 miles from home
	AreaKnown             int // whose placement's council area is known
	OutsideCouncil        int // of them, outside their own council's area
	// TurningEighteen counts the young people aged 16 or 17 on the day who are in care (a
	// placement going on) or coming into care (looking for a home, with no placement going on):
	// all turn 18 within two years, when they leave care or stay put with their foster carers.
	// Unlike the counts above it includes children looking for a home who have no placement yet
	// (counted by AddChild, which knows their status).
	TurningEighteen int
	// Of them, by their current placement (LeavingOn): StayingPutEligible counts those fostered
	// (who may stay on with their own carers after 18: Children Act 1989 s23CZA),
	// StayingPutWilling those of them whose own carers are willing or have agreed the arrangement,
	// StayingPutAgreed those whose arrangement is agreed, and StayingCloseEligible those living
	// in a children's home (Staying Close: the DfE's programme; a duty is proposed, not law).
	StayingPutEligible, StayingPutWilling, StayingPutAgreed, StayingCloseEligible int
	// Unregistered counts the children of the council living on the day in a setting that must
	// be registered with Ofsted and is not (a children's home or supported accommodation with no
	// registration, a suspended or cancelled one, or no URN: Care Standards Act 2000 s11;
	// Supported Accommodation (England) Regulations 2023): by their current placement, or a
	// place held or filled for them, as an import records a child living in a setting it flags
	// (LawFlags). Set by the store; AddChild leaves it.
	Unregistered int
}

// Add counts one child's stability.
func (s *StabilitySummary) Add(st Stability) {
	if !st.InCare {
		return
	}
	s.LookedAfter++
	count := countIf
	count(&s.ThreePlusYear, st.ThreePlusYear())
	count(&s.ThreePlusTwoYears, st.ThreePlusTwoYears())
	count(&s.FourPlusMovesTwoYears, st.FourPlusMovesTwoYears())
	count(&s.Moved12m, st.Moves12m > 0)
	s.Moves12m += st.Moves12m
	s.UnplannedMoves12m += st.UnplannedMoves12m
	count(&s.SchoolMove12m, st.SchoolMoves12m > 0)
	count(&s.LongTermEligible, st.LongTermEligible)
	count(&s.LongTermStable, st.LongTermStable)
	count(&s.DistanceKnown, st.DistanceKm != UnknownDistance)
	count(&s.Over20Miles, st.Over20Miles())
	count(&s.AreaKnown, st.PlacedIn != "")
	count(&s.OutsideCouncil, st.Outside)
}

// AddChild counts one child on the summary's day: their stability, when they are looked after,
// and whether they are a young person in care, or coming into care, who turns 18 within two
// years.
func (s *StabilitySummary) AddChild(c ChildHistory) {
	st := StabilityOf(c.DateOfBirth, c.Council, c.Episodes, s.On)
	s.Add(st)
	if age := AgeOn(c.DateOfBirth, s.On); age >= StayingPutAge && age < 18 &&
		(st.InCare || c.Status == ChildWaiting || c.Status == ChildOffered) {
		s.TurningEighteen++
		l := LeavingOn(c.DateOfBirth, c.Episodes, s.On)
		countIf(&s.StayingPutEligible, l.StayingPutEligible)
		countIf(&s.StayingPutWilling, l.StayingPutEligible && l.StayingPut.Willing())
		countIf(&s.StayingPutAgreed, l.StayingPutEligible && l.StayingPut == StayingPutAgreed)
		countIf(&s.StayingCloseEligible, l.StayingCloseEligible)
	}
}

// countIf adds one to *n when yes.
func countIf(n *int, yes bool) {
	if yes {
		*n++
	}
}

// Indicator is one stability indicator: a count out of a denominator.
type Indicator struct {
	Name        string // a stable identifier: three_plus_year, long_term_stable, ...
	Label       string // in plain words
	Count       int
	Denominator int
}

// Share is Count over Denominator, or 0 when the denominator is 0.
func (i Indicator) Share() float64 {
	if i.Denominator == 0 {
		return 0
	}
	return float64(i.Count) / float64(i.Denominator)
}

// Indicators lists the summary as indicators, in a fixed order.
func (s StabilitySummary) Indicators() []Indicator {
	la := s.LookedAfter
	return []Indicator{
		{"three_plus_year", "3 or more placements in the 12 months", s.ThreePlusYear, la},
		{"three_plus_two_years", "3 or more placements in two years", s.ThreePlusTwoYears, la},
		{"four_plus_moves_two_years", "4 or more moves in two years", s.FourPlusMovesTwoYears, la},
		{"moved_year", "moved at least once in the 12 months", s.Moved12m, la},
		{"unplanned_moves_year", "moves in the 12 months that were not part of the care plan", s.UnplannedMoves12m, s.Moves12m},
		{"school_move_year", "changed school on a move in the 12 months", s.SchoolMove12m, la},
		{"long_term_stable", "under 16 and looked after 2.5 years or more: in the same placement for 2 years", s.LongTermStable, s.LongTermEligible},
		{"over_20_miles", "placed more than 20 miles from home", s.Over20Miles, s.DistanceKnown},
		{"outside_council", "placed outside their council's area", s.OutsideCouncil, s.AreaKnown},
	}
}

// ChildHistory is one child's record as stability needs it.
type ChildHistory struct {
	Child       ChildID
	Council     CouncilCode
	DateOfBirth time.Time
	// Status is where the child is in the search for a home: a child waiting or with an offer
	// out counts as coming into care even with no placement going on.
	Status   ChildStatus
	Episodes []Episode
}

// SummariseStability sums the stability of children on day on.
func SummariseStability(council CouncilCode, children []ChildHistory, on time.Time) StabilitySummary {
	s := StabilitySummary{Council: council, On: Day(on)}
	for _, c := range children {
		s.AddChild(c)
	}
	return s
}
