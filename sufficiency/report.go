package sufficiency

import (
	"context"
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// Report is a sufficiency report: every area's figures, suppressed, with the day they are for
// and when they were computed.
type Report struct {
	Today      time.Time     // the day the figures are for
	DataAsOf   time.Time     // when the catalogue was read
	ComputedAt time.Time     // when the report was computed
	Took       time.Duration // how long computing it took
	Matcher    string        // the joint match the outcomes come from
	Notes      []string      // how to read the figures
	// StabilityRecorded says whether placement histories gave the official stability indicators.
	StabilityRecorded bool
	// Areas are England, the nine regions (by code) and the 153 councils (by code).
	Areas []AreaReport
	// Providers are England's referral figures by provider, most referrals first, when the
	// report was given referrals.
	Providers []ReferralRate
	// Reader is the area (a council, or a region) whose staff this report is for, its own
	// figures unwithheld (see For and ForRegion); empty for the published report.
	Reader string

	readers  *readerCache // the readers' reports of the published one
	an       *analysis
	tally    *tally
	forecast bool // AddForecast was given a demand forecast
	// people are the children waiting, as the equity decompositions read them.
	people []person
	decomp *decompCache
	sup    []bool
	index  map[string]int
}

// AreaReport is one area's figures.
type AreaReport struct {
	Area Area
	// Rows are the area's breakdowns that have a child waiting, in the order of Breakdowns();
	// the first is always all children (DimAll), even when none is waiting.
	Rows []Row
	// Capacity is the Ofsted-style count of places by kind of placement (in the order of
	// catalogue.PlacementKinds), then all kinds together.
	Capacity []KindCapacity
	// Stability lists the official stability indicators, when placement histories are recorded.
	Stability []IndicatorFigure
	// Referrals are the area's referral figures, when the report was given referrals (nil
	// otherwise); see referrals.go.
	Referrals *ReferralFigures
	// Forecast is the area's forecast need against its supply, when the report was given a
	// demand forecast (nil otherwise); see forecast.go.
	Forecast *ForecastFigures
}

// All is the row of every child waiting in the area.
func (a *AreaReport) All() *Row { return &a.Rows[0] }

// Row finds the area's row of a breakdown; false when no child of it is waiting.
func (a *AreaReport) Row(key string) (*Row, bool) {
	for i := range a.Rows {
		if a.Rows[i].Breakdown.Key() == key {
			return &a.Rows[i], true
		}
	}
	return nil, false
}

// KindCapacity is the capacity of one kind of placement ("all" for every kind).
type KindCapacity struct {
	Kind string
	Capacity
}

// IndicatorFigure is a stability indicator as published.
type IndicatorFigure struct {
	Name, Label        string
	Count, Denominator Figure
	Percent            Figure
}

// Row is one area and breakdown's figures.
type Row struct {
	Area      Area
	Breakdown Breakdown
	Metrics   Metrics
	// PriceYear is the financial year whose prices the row's money figures are in (the
	// report's day's: see FinancialYear).
	PriceYear string
}

// Metrics are the figures of one row. Counts are of children unless said otherwise; every
// count of children is withheld from 1 to 4, and with it the percentages and averages made of
// it. Percentages are of children waiting unless said otherwise.
type Metrics struct {
	Waiting    Figure // looking for a home: waiting, or with an offer out
	TwoChoices Figure // with two real choices or more: placements passing every hard constraint
	OneChoice  Figure
	NoChoice   Figure
	ShortOfTwo Figure // one or none
	// ChoiceGap is the choices missing for every child to have two: two for each child with
	// none, one for each with one. The recruitment planner closes it.
	ChoiceGap Figure
	// Percentages of children waiting. ShortOfTwoPct is the gap the dashboard maps.
	TwoChoicesPct, OneChoicePct, NoChoicePct, ShortOfTwoPct Figure

	Matched                                 Figure // given a primary placement by the joint match
	WithBackup                              Figure // given a back-up as well
	Unmatched                               Figure // given none
	MatchedPct, WithBackupPct, UnmatchedPct Figure

	Within20    Figure // matched within 20 miles of home (as the crow flies)
	Beyond20    Figure // matched beyond 20 miles
	HomeUnknown Figure // matched, with no home location recorded
	Beyond20Pct Figure // of matched children whose home is known

	InsideCouncil  Figure // matched inside their own council's area
	OutsideCouncil Figure
	OutsidePct     Figure // of matched children
	// OutsideBeyond20 is the DfE's combined indicator: matched outside their council and over
	// 20 miles from home (children looked after statistics: "placed outside the LA boundary and
	// more than 20 miles from home"); part of both OutsideCouncil and Beyond20.
	OutsideBeyond20    Figure
	OutsideBeyond20Pct Figure // of matched children

	SiblingsWaiting                       Figure // children waiting with brothers and sisters to live together
	SiblingsTogether                      Figure // their whole group matched to one home
	SiblingsApart                         Figure // their group matched, but not all in one home
	SiblingsUnplaced                      Figure // none of their group matched
	SiblingsTogetherPct, SiblingsApartPct Figure // of children waiting with brothers and sisters

	// Sibling groups (area rows only: not applicable in breakdowns).
	Groups, GroupsTogether, GroupsApart, GroupsUnplaced Figure
	GroupsApartPct                                      Figure // of groups

	AverageScore      Figure // of matched children's primary placements, 0..1
	AverageWeeklyCost Figure // pounds, of matched children's primary placements
	TotalWeeklyCost   Figure // pounds

	// Supply that can meet the row's children: placements (anywhere) that pass every hard
	// constraint for at least one of them, and their available places. Not suppressed.
	SuitablePlacements int
	SuitablePlaces     int
	// MeanSuitable is the mean number of suitable placements a child of the row has: the depth of
	// their choice (two real choices is its floor).
	MeanSuitable Figure

	// Leaving care (area rows only: not applicable in breakdowns). TurningEighteen counts the
	// area's young people in care (or coming into care) aged 16 or 17 on the day, all of them and
	// not only those waiting: they turn 18 within two years. StayingPutHouseholds are the active
	// foster and kinship households in the area willing to offer Staying Put (to stay on after 18,
	// up to 21), and StayingPutPlaces their approved places, filled or free (not suppressed).
	// StayingPutEligible counts those of the young people who are fostered (council, agency or
	// kinship foster carers, by their current placement): they may stay on with their own carers
	// after 18, up to 21 (Children Act 1989 s23CZA). StayingPutGap counts those of them whose own
	// carers are not willing, or have not said (recorded on the current placement): Staying Put
	// is with the young person's own carers, so other carers' places do not close it.
	// StayingClose counts the young people living in children's homes, for whom Staying Close is
	// support to live near the home after 18. Young people are counted in their own council,
	// places where the homes are; withheld from 1 to 4. Without placement histories the young
	// people and the gap are not applicable.
	TurningEighteen, StayingPutHouseholds, StayingPutPlaces Figure
	StayingPutEligible, StayingPutGap, StayingClose         Figure
	// Unregistered (area rows only) counts the council's children living in a children's home
	// or supported accommodation not registered with Ofsted (Care Standards Act 2000 s11): never
	// offered here, but a child may already live in one, and the council must act. Counted in
	// the child's own council, from their current placement and the places held or filled for
	// them; withheld from 1 to 4.
	Unregistered Figure
	// KinCaring (area rows only) counts the council's children cared for by kin outside care
	// (kincaring.go), and KinCaringBy each way, in the order of catalogue.Carings; withheld from
	// 1 to 4; not applicable (and KinCaringBy nil) when the report was not given them.
	KinCaring   Figure
	KinCaringBy []Figure

	// Own and external foster supply (area rows only; see OwnSupply): vacant places with the
	// council's own foster carers, with other councils' carers shared with it by an agreement
	// in force on the day, and with agencies' carers in the area.
	OwnFosterPlaces, SharedInFosterPlaces, AgencyFosterPlaces Figure

	// Obstacles: for children short of two real choices, each hard constraint that ruled out
	// placements for them, and that alone kept a placement from them (see Obstacle).
	Obstacles []Obstacle
}

// Obstacle is one hard constraint's part in children's want of choices.
type Obstacle struct {
	Constraint scoring.Constraint
	Label      string
	// RuledOut counts children short of two choices for whom the constraint ruled out at least
	// one placement (the first constraint each placement broke; distance and kinship carers
	// assessed for others are left out: they rule out homes for every child).
	RuledOut Figure
	// Only counts children short of two choices for whom the constraint was the only one a
	// placement broke, within one and a half times the policy's distance: relaxing it alone
	// would have given them that option.
	Only    Figure
	OnlyPct Figure // of children short of two choices
}

// ConstraintLabel says what a hard constraint means for sufficiency, in plain words.
func ConstraintLabel(c scoring.Constraint) string {
	switch c {
	case scoring.ConstraintInactive:
		return "closed or suspended"
	case scoring.ConstraintVacancy:
		return "no place free in time, or too few for the whole group"
	case scoring.ConstraintCareType:
		return "not the kind of care assessed"
	case scoring.ConstraintKinshipConnection:
		return "kinship carers assessed for other children"
	case scoring.ConstraintOfstedInadequate:
		return "rated inadequate by Ofsted"
	case scoring.ConstraintAge:
		return "outside the ages approved"
	case scoring.ConstraintSex:
		return "approved for girls or boys only"
	case scoring.ConstraintPurpose:
		return "not approved for the kind of placement needed"
	case scoring.ConstraintSiblingGroup:
		return "not approved for brothers and sisters together"
	case scoring.ConstraintPlaces:
		return "approval number would be exceeded"
	case scoring.ConstraintWheelchair:
		return "no step-free access"
	case scoring.ConstraintSmoking:
		return "someone smokes (child under 5 or with a respiratory condition)"
	case scoring.ConstraintPets:
		return "pets: one needed, or none allowed"
	case scoring.ConstraintAllergies:
		return "an animal the child is allergic to"
	case scoring.ConstraintCompanions:
		return "who else lives there (solo, older or younger only)"
	case scoring.ConstraintHouseholdSafety:
		return "household safety (risks to younger children or animals, fire setting)"
	case scoring.ConstraintMaxDistance:
		return "further from home than the policy allows"
	case scoring.ConstraintExclusionZone:
		return "in or near an exclusion zone"
	case scoring.ConstraintOwnCarers:
		return "another council's own carers, no sharing agreement"
	case scoring.ConstraintDeprivationOfLiberty:
		return "cannot meet a deprivation of liberty order's conditions"
	case scoring.ConstraintSupportedUnder16:
		return "supported accommodation for a child under 16"
	case scoring.ConstraintHomeOver17:
		return "a children's home for a young person of 18 or over"
	case scoring.ConstraintUnregistered:
		return "not registered with Ofsted"
	case scoring.ConstraintFosteringLimit:
		return "more than three foster children, not all brothers and sisters"
	case scoring.ConstraintApprovalDates:
		return "the carers' approval not in date on the day of the move"
	case scoring.ConstraintTemporaryApproval:
		return "a connected person's temporary approval runs out before the move"
	}
	return string(c)
}

// publish builds the report from an analysis.
func (a *analysis) publish(computedAt time.Time) *Report {
	a.progress(StageReport, 0, 1)
	r := a.publishFor(computedAt, nil)
	a.progress(StageReport, 1, 1)
	return r
}

// publishFor builds the report as a reader who knows the figures of the areas marked in known
// sees it (nil: the published report, for anyone).
func (a *analysis) publishFor(computedAt time.Time, known []bool) *Report {
	t := a.tallyAll()
	t.knowing(known)
	sup := t.suppress()
	stabNames, stabSup := t.suppressStability()
	turnSup := t.suppressTurning()
	unregSup := t.suppressUnregistered()
	spSup, gapSup, closeSup := t.suppressLeaving()
	r := &Report{
		Today: a.day, DataAsOf: a.in.LoadedAt, ComputedAt: computedAt, Took: a.took, Matcher: a.matcher,
		StabilityRecorded: a.in.Stability != nil,
		an:                a, tally: t, sup: sup, index: map[string]int{}, readers: &readerCache{}, people: a.people(),
		decomp: &decompCache{m: map[[2]int][]Decomposition{}},
	}
	var refs []ReferralFigures
	if a.in.Referrals != nil {
		refs, r.Providers = publishReferrals(a.areas, a.day, a.in.Referrals, a.in.FrameworkPrices, known)
	}
	for ar, area := range a.areas.list {
		out := AreaReport{Area: area}
		if refs != nil {
			out.Referrals = &refs[ar]
		}
		for b := range nBreakdowns {
			row := rowOf(ar, b)
			if b != 0 && t.at(row, mWaiting) == 0 {
				continue
			}
			out.Rows = append(out.Rows, Row{Area: area, Breakdown: breakdowns[b], Metrics: t.metrics(row, sup), PriceYear: FinancialYear(a.day)})
		}
		m := &out.Rows[0].Metrics
		m.StayingPutHouseholds, m.StayingPutPlaces = CountFigure(t.spHomes[ar]), CountFigure(t.spPlaces[ar])
		own := t.own[ar]
		m.OwnFosterPlaces, m.SharedInFosterPlaces, m.AgencyFosterPlaces = CountFigure(own.Owned), CountFigure(own.SharedIn), CountFigure(own.Agency)
		if a.in.TurningEighteen != nil {
			m.TurningEighteen = countFigure(t.turning[ar], turnSup[ar])
		}
		if a.in.Leaving != nil {
			// The gap is the fostered young people whose own carers are not (yet) willing to let
			// them stay put: Staying Put is with their own carers (s23CZA), so other carers'
			// places do not close it.
			m.StayingPutEligible = countFigure(t.spEligible[ar], spSup[ar])
			m.StayingPutGap = countFigure(t.spEligible[ar]-t.spWilling[ar], gapSup[ar])
			m.StayingClose = countFigure(t.stayClose[ar], closeSup[ar])
		}
		if a.in.Unregistered != nil {
			m.Unregistered = countFigure(t.unregistered[ar], unregSup[ar])
		}
		var all Capacity
		for k, kind := range catalogue.PlacementKinds {
			out.Capacity = append(out.Capacity, KindCapacity{Kind: string(kind), Capacity: t.capacity[ar][k]})
			all.add(t.capacity[ar][k])
		}
		out.Capacity = append(out.Capacity, KindCapacity{Kind: "all", Capacity: all})
		for k, name := range stabNames {
			ind := Indicator{Name: name}
			for _, x := range t.stab[ar] {
				if x.Name == name {
					ind = x
				}
			}
			if ind.Label == "" {
				for _, inds := range t.stab {
					for _, x := range inds {
						if x.Name == name && ind.Label == "" {
							ind.Label = x.Label
						}
					}
				}
			}
			count := countFigure(int32(ind.Count), stabSup[ar][2*k])
			den := countFigure(int32(ind.Denominator), stabSup[ar][2*k+1])
			out.Stability = append(out.Stability, IndicatorFigure{Name: name, Label: ind.Label, Count: count, Denominator: den, Percent: percent(count, den)})
		}
		r.index[area.Code] = len(r.Areas)
		r.Areas = append(r.Areas, out)
	}
	publishKinCaring(a.areas, a.in.KinCaring, r.Areas, known)
	r.Notes = a.notes()
	if n := len(t.local); n > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d of the withheld counts have no certified protection nearby (no other council of their region has children like theirs): they are protected by the DfE's rule, that no shown total less shown parts gives them away. Every other withheld figure cannot be worked out by any combination of the figures shown.", n))
	}
	if note, ok := t.largeNote(sup); ok {
		r.Notes = append(r.Notes, note)
	}
	return r
}

func (a *analysis) notes() []string {
	notes := []string{
		fmt.Sprintf("Figures for %s. Children waiting are those looking for a home (waiting, or with an offer out).", a.day.Format("2 January 2006")),
		"Real choices are placements that pass every hard constraint for the child (and the brothers and sisters to live with them), as an officer asking for the child's options sees them.",
		"Placed, within 20 miles, inside the council and siblings together come from a joint match of every child waiting against the free places: " + a.matcher + ".",
		"Counts of children from 1 to 4 are withheld (c), and so is a second figure wherever a total and its parts would give a withheld count away; percentages and averages made of a withheld count are withheld with it. z: not applicable.",
		"Distances are as the crow flies. Places (supply and capacity) are not suppressed.",
		fmt.Sprintf("Money is in %s prices, the financial year of the report's day: the homes' weekly costs as the catalogue holds them on the day; fees and framework prices as providers and councils set them (each framework price with its note).", FinancialYear(a.day)),
	}
	if a.in.Stability == nil {
		notes = append(notes, "Stability indicators (3 or more placements in the year, long-term stability) need placement histories, which this report was not given.")
	}
	if a.in.Referrals != nil {
		notes = append(notes, "Referrals: those sent in the year to the day of the report, counted in the child's council; a referral counts under each of the child's needs. Not answered: expired or withdrawn before the provider answered. Real choices among past referrals count only the homes whose provider agreed. Fees are set against the child's council's framework price for the kind of home, where an administrator has set one.")
	}
	if a.in.Unregistered != nil {
		notes = append(notes, "Children in unregistered settings: the council's children living on the day in a children's home or supported accommodation that Ofsted has not registered (or has suspended or cancelled), by their current placement or a place held or filled for them; such a setting is never offered, and the council must act.")
	}
	if a.in.KinCaring != nil {
		notes = append(notes, "Children cared for by family or friends outside care: children the council's records show living with a relative or friend who is not their foster carer, by agreement within the family, under a child arrangements order or with a special guardian, counted once each (a court's order before a family's agreement) in their own council.")
	}
	if a.in.TurningEighteen == nil {
		notes = append(notes, "Staying Put: young people turning 18 are counted from placement histories, which this report was not given; the Staying Put places are shown.")
	} else {
		notes = append(notes, "Staying Put: young people turning 18 are all the young people aged 16 or 17 on the day who are in care or coming into care, not only those waiting, counted in their own council; those fostered may stay on with their own foster or kinship carers after 18, up to 21 (Children Act 1989 s23CZA). The gap is the fostered young people whose own carers are not willing, or have not said, by their current placement: other carers' places do not close it. Staying Put places are the places of foster and kinship carers in the area willing to offer it, filled or free, for young people moving now. Staying Close: the young people aged 16 or 17 living in a children's home, who may have support to live near it after 18 (the DfE's Staying Close programme; a duty is proposed, not yet law).")
	}
	return notes
}

// metrics publishes one row.
func (t *tally) metrics(row int, sup []bool) Metrics {
	f := func(m int) Figure { return countFigure(t.at(row, m), sup[row*nCount+m]) }
	m := Metrics{
		Waiting: f(mWaiting), TwoChoices: f(mTwo), OneChoice: f(mOne), NoChoice: f(mNone),
		Matched: f(mMatched), WithBackup: f(mBackup), Unmatched: f(mUnmatched),
		Within20: f(mWithin20), Beyond20: f(mBeyond20), HomeUnknown: f(mHomeUnknown),
		InsideCouncil: f(mInside), OutsideCouncil: f(mOutside), OutsideBeyond20: f(mOutBeyond),
		SiblingsWaiting: f(mSibWaiting), SiblingsTogether: f(mSibTogether), SiblingsApart: f(mSibApart), SiblingsUnplaced: f(mSibUnplaced),
		SuitablePlacements: t.homes[row], SuitablePlaces: t.places[row],
	}
	switch {
	case m.OneChoice.Shown() && m.NoChoice.Shown():
		m.ShortOfTwo = sumFigures(m.OneChoice, m.NoChoice)
	case m.Waiting.Shown() && m.TwoChoices.Shown():
		m.ShortOfTwo = difference(m.Waiting, m.TwoChoices)
	default:
		m.ShortOfTwo = withheldFigure()
	}
	m.ChoiceGap = sumFigures(m.NoChoice, m.NoChoice, m.OneChoice)
	m.TwoChoicesPct, m.OneChoicePct, m.NoChoicePct = percent(m.TwoChoices, m.Waiting), percent(m.OneChoice, m.Waiting), percent(m.NoChoice, m.Waiting)
	m.ShortOfTwoPct = percent(m.ShortOfTwo, m.Waiting)
	m.MatchedPct, m.WithBackupPct, m.UnmatchedPct = percent(m.Matched, m.Waiting), percent(m.WithBackup, m.Waiting), percent(m.Unmatched, m.Waiting)
	known := m.Matched
	if m.HomeUnknown.Withheld() || m.HomeUnknown.Value() > 0 {
		known = sumFigures(m.Within20, m.Beyond20)
	}
	m.Beyond20Pct = percent(m.Beyond20, known)
	m.OutsidePct = percent(m.OutsideCouncil, m.Matched)
	m.OutsideBeyond20Pct = percent(m.OutsideBeyond20, m.Matched)
	m.SiblingsTogetherPct, m.SiblingsApartPct = percent(m.SiblingsTogether, m.SiblingsWaiting), percent(m.SiblingsApart, m.SiblingsWaiting)
	if row%nBreakdowns == 0 {
		m.Groups, m.GroupsTogether, m.GroupsApart, m.GroupsUnplaced = f(mGroups), f(mGroupsTogether), f(mGroupsApart), f(mGroupsUnplaced)
		m.GroupsApartPct = percent(m.GroupsApart, m.Groups)
	}
	m.AverageScore = ratio(t.score[row], m.Matched, 3)
	m.AverageWeeklyCost = ratio(float64(t.cost[row]), m.Matched, 0)
	switch {
	case m.Matched.Withheld():
		m.TotalWeeklyCost = withheldFigure()
	case m.Matched.Value() > 0:
		m.TotalWeeklyCost = valueFigure(float64(t.cost[row]), 0)
	}
	m.MeanSuitable = ratio(float64(t.nsuit[row]), m.Waiting, 1)
	for i, c := range scoring.Constraints {
		ruled, only := t.at(row, mRuledOut+i), t.at(row, mOnly+i)
		if ruled == 0 && only == 0 {
			continue
		}
		o := Obstacle{Constraint: c, Label: ConstraintLabel(c), Only: f(mOnly + i), OnlyPct: Figure{}}
		if ruledOutCounted(i) {
			o.RuledOut = f(mRuledOut + i)
		}
		o.OnlyPct = percent(o.Only, m.ShortOfTwo)
		m.Obstacles = append(m.Obstacles, o)
	}
	return m
}

// Area finds an area's report by its code (E92000001 for England, a region's or a council's).
func (r *Report) Area(code string) (*AreaReport, bool) {
	i, ok := r.index[code]
	if !ok {
		return nil, false
	}
	return &r.Areas[i], true
}

// England is the report for England.
func (r *Report) England() *AreaReport { return &r.Areas[0] }

// Analyse computes a report from an input.
func Analyse(ctx context.Context, in Input, cfg Config) (*Report, error) {
	a, err := run(ctx, &in, cfg)
	if err != nil {
		return nil, err
	}
	return a.publish(a.cfg.Now.OrWall()()), nil
}
