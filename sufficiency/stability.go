package sufficiency

import (
	"context"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Indicator is one official stability indicator of a council's children, from their placement
// histories: a count out of a denominator (DfE SSDA903: 3 or more placements in the year,
// long-term stability, placed over 20 miles from home, outside the council; the Children's
// Commissioner's Stability Index). Counts and denominators are children, so both are suppressed
// below 5; regions and England sum their councils.
type Indicator struct {
	Name        string // a stable identifier: three_plus_year, long_term_stable, ...
	Label       string // in plain words
	Count       int
	Denominator int
}

// HistoryFigures is what one council's placement histories give the report on a day: the
// official stability indicators, and the young people in care (or coming into care) aged 16 or
// 17, who turn 18 within two years (catalogue.StabilitySummary.TurningEighteen).
type HistoryFigures struct {
	Indicators      []Indicator
	TurningEighteen int
	// Unregistered counts the council's children living in settings not registered with
	// Ofsted (catalogue.StabilitySummary.Unregistered).
	Unregistered int
	// Leaving are the young people of 16 and 17 by their current placement: fostered (who may
	// stay put with their own carers), whose own carers are willing, and in children's homes
	// (Staying Close).
	Leaving Leaving
}

// Leaving counts one council's young people aged 16 or 17 by their current placement
// (catalogue.LeavingOn): StayingPutEligible are fostered, and so may stay on with their own
// carers after 18 (Children Act 1989 s23CZA); StayingPutWilling those of them whose own carers
// are willing or have agreed the arrangement; StayingClose those living in a children's home,
// for whom Staying Close is support to live near it after 18 (the DfE's Staying Close
// programme, after the Children and Social Work Act 2017 pilots; a duty is proposed in the
// Children's Wellbeing and Schools Bill, not yet law).
type Leaving struct {
	StayingPutEligible, StayingPutWilling, StayingClose int
}

func leavingOf(sum catalogue.StabilitySummary) Leaving {
	return Leaving{StayingPutEligible: sum.StayingPutEligible, StayingPutWilling: sum.StayingPutWilling, StayingClose: sum.StayingCloseEligible}
}

// StabilitySource gives what one council's placement histories say on a day
// (StabilityFromStore adapts the history store). Without one the analysis runs without the
// stability indicators and the young people turning 18, and the report says so.
type StabilitySource interface {
	HistoryFigures(ctx context.Context, council catalogue.CouncilCode, on time.Time) (HistoryFigures, error)
}

// StabilityFunc adapts a function to StabilitySource.
type StabilityFunc func(ctx context.Context, council catalogue.CouncilCode, on time.Time) (HistoryFigures, error)

// HistoryFigures calls f.
func (f StabilityFunc) HistoryFigures(ctx context.Context, council catalogue.CouncilCode, on time.Time) (HistoryFigures, error) {
	return f(ctx, council, on)
}

// StabilitySummaries is the store of placement histories as the stability indicators need it:
// catalogue.HistoryStore's StabilitySummary (the store satisfies it).
type StabilitySummaries interface {
	StabilitySummary(ctx context.Context, council catalogue.CouncilCode, on time.Time) (catalogue.StabilitySummary, error)
}

// StabilityFromStore is the StabilitySource of a store of placement histories: each council's
// indicators and young people turning 18 as the store sums them from its children's histories.
func StabilityFromStore(s StabilitySummaries) StabilitySource {
	return StabilityFunc(func(ctx context.Context, council catalogue.CouncilCode, on time.Time) (HistoryFigures, error) {
		sum, err := s.StabilitySummary(ctx, council, on)
		if err != nil {
			return HistoryFigures{}, err
		}
		return HistoryFigures{Indicators: fromIndicators(sum.Indicators()), TurningEighteen: sum.TurningEighteen, Unregistered: sum.Unregistered,
			Leaving: leavingOf(sum)}, nil
	})
}

// StabilityFromHistories computes every council's indicators on a day from children's
// placement histories held in memory (a synthetic England's, for instance).
func StabilityFromHistories(children []catalogue.Child, episodes []catalogue.Episode, on time.Time) map[catalogue.CouncilCode][]Indicator {
	out := map[catalogue.CouncilCode][]Indicator{}
	for code, sum := range summaries(children, episodes, on) {
		out[code] = fromIndicators(sum.Indicators())
	}
	return out
}

// TurningEighteenFromHistories counts every council's young people in care or coming into care
// aged 16 or 17 on a day, from children held in memory with their placement histories.
func TurningEighteenFromHistories(children []catalogue.Child, episodes []catalogue.Episode, on time.Time) map[catalogue.CouncilCode]int {
	out := map[catalogue.CouncilCode]int{}
	for code, sum := range summaries(children, episodes, on) {
		out[code] = sum.TurningEighteen
	}
	return out
}

// LeavingFromHistories counts every council's young people of 16 and 17 by their current
// placement on a day (Leaving), from children held in memory with their placement histories.
func LeavingFromHistories(children []catalogue.Child, episodes []catalogue.Episode, on time.Time) map[catalogue.CouncilCode]Leaving {
	out := map[catalogue.CouncilCode]Leaving{}
	for code, sum := range summaries(children, episodes, on) {
		out[code] = leavingOf(sum)
	}
	return out
}

// summaries sums each council's children's histories on a day.
func summaries(children []catalogue.Child, episodes []catalogue.Episode, on time.Time) map[catalogue.CouncilCode]catalogue.StabilitySummary {
	byChild := map[catalogue.ChildID][]catalogue.Episode{}
	for _, e := range episodes {
		byChild[e.Child] = append(byChild[e.Child], e)
	}
	byCouncil := map[catalogue.CouncilCode][]catalogue.ChildHistory{}
	for _, c := range children {
		byCouncil[c.Council] = append(byCouncil[c.Council], catalogue.ChildHistory{Child: c.ID, Council: c.Council,
			DateOfBirth: c.DateOfBirth, Status: c.Status, Episodes: byChild[c.ID]})
	}
	out := make(map[catalogue.CouncilCode]catalogue.StabilitySummary, len(byCouncil))
	for code, hs := range byCouncil {
		out[code] = catalogue.SummariseStability(code, hs, on)
	}
	return out
}

func fromIndicators(is []catalogue.Indicator) []Indicator {
	out := make([]Indicator, len(is))
	for i, x := range is {
		out[i] = Indicator{Name: x.Name, Label: x.Label, Count: x.Count, Denominator: x.Denominator}
	}
	return out
}
