package sufficiency

import "github.com/placematch/placematch/scoring"

// Field is one named figure of a row.
type Field struct {
	Key   string // stable, snake_case: two_choices_pct
	Label string
	Figure
}

// Fields lists a row's figures in a fixed order, obstacles last (two per hard constraint, in the
// order of scoring.Constraints): the columns of the CSV export and of a what-if's changes.
func (m *Metrics) Fields() []Field {
	places := func(n int) Figure { return CountFigure(n) }
	fs := []Field{
		{"waiting", "children waiting", m.Waiting},
		{"two_choices", "with two real choices or more", m.TwoChoices},
		{"one_choice", "with one real choice", m.OneChoice},
		{"no_choice", "with no real choice", m.NoChoice},
		{"short_of_two", "short of two real choices", m.ShortOfTwo},
		{"choice_gap", "real choices missing for every child to have two", m.ChoiceGap},
		{"two_choices_pct", "with two real choices (%)", m.TwoChoicesPct},
		{"one_choice_pct", "with one real choice (%)", m.OneChoicePct},
		{"no_choice_pct", "with no real choice (%)", m.NoChoicePct},
		{"short_of_two_pct", "short of two real choices (%)", m.ShortOfTwoPct},
		{"mean_suitable", "suitable placements per child", m.MeanSuitable},
		{"matched", "placed by the joint match", m.Matched},
		{"with_backup", "placed with a back-up", m.WithBackup},
		{"unmatched", "not placed", m.Unmatched},
		{"matched_pct", "placed (%)", m.MatchedPct},
		{"with_backup_pct", "placed with a back-up (%)", m.WithBackupPct},
		{"unmatched_pct", "not placed (%)", m.UnmatchedPct},
		{"within_20_miles", "placed within 20 miles of home", m.Within20},
		{"beyond_20_miles", "placed over 20 miles from home", m.Beyond20},
		{"home_unknown", "placed, home not recorded", m.HomeUnknown},
		{"beyond_20_pct", "placed over 20 miles from home (% of placed)", m.Beyond20Pct},
		{"inside_council", "placed inside their council", m.InsideCouncil},
		{"outside_council", "placed outside their council", m.OutsideCouncil},
		{"outside_pct", "placed outside their council (% of placed)", m.OutsidePct},
		{"outside_beyond_20_miles", "placed outside their council and over 20 miles from home (the DfE's indicator)", m.OutsideBeyond20},
		{"outside_beyond_20_pct", "placed outside their council and over 20 miles from home (% of placed)", m.OutsideBeyond20Pct},
		{"siblings_waiting", "children waiting with brothers and sisters to live together", m.SiblingsWaiting},
		{"siblings_together", "kept together", m.SiblingsTogether},
		{"siblings_apart", "placed apart", m.SiblingsApart},
		{"siblings_unplaced", "brothers and sisters not placed", m.SiblingsUnplaced},
		{"siblings_together_pct", "kept together (%)", m.SiblingsTogetherPct},
		{"siblings_apart_pct", "placed apart (%)", m.SiblingsApartPct},
		{"groups", "sibling groups waiting to live together", m.Groups},
		{"groups_together", "sibling groups kept together", m.GroupsTogether},
		{"groups_apart", "sibling groups placed apart", m.GroupsApart},
		{"groups_unplaced", "sibling groups not placed", m.GroupsUnplaced},
		{"groups_apart_pct", "sibling groups placed apart (%)", m.GroupsApartPct},
		{"average_score", "average match score (0 to 1)", m.AverageScore},
		{"average_weekly_cost", "average weekly cost (£)", m.AverageWeeklyCost},
		{"total_weekly_cost", "total weekly cost (£)", m.TotalWeeklyCost},
		{"suitable_placements", "placements suitable for a child waiting", places(m.SuitablePlacements)},
		{"suitable_places", "their available places", places(m.SuitablePlaces)},
		{"turning_18", "young people in care aged 16 or 17 (turning 18 within two years)", m.TurningEighteen},
		{"staying_put_households", "foster and kinship households willing to offer Staying Put", m.StayingPutHouseholds},
		{"staying_put_places", "Staying Put places (filled or free)", m.StayingPutPlaces},
		{"staying_put_eligible", "fostered young people aged 16 or 17, who may stay on with their own carers after 18", m.StayingPutEligible},
		{"staying_put_gap", "of them, those whose own carers are not willing to let them stay put, or have not said", m.StayingPutGap},
		{"staying_close", "young people aged 16 or 17 in children's homes (Staying Close)", m.StayingClose},
		{"in_unregistered_settings", "children living in settings not registered with Ofsted", m.Unregistered},
	}
	fs = append(fs, m.kinCaringFields()...)
	fs = append(fs, []Field{
		{"own_foster_places", "vacant places with the council's own foster carers", m.OwnFosterPlaces},
		{"shared_in_foster_places", "vacant places with other councils' own carers shared with it by an agreement", m.SharedInFosterPlaces},
		{"agency_foster_places", "vacant places with agency foster carers in the area", m.AgencyFosterPlaces},
	}...)
	for _, c := range scoring.Constraints {
		o := m.obstacle(c)
		fs = append(fs,
			Field{"ruled_out_" + string(c), "short of two choices: " + ConstraintLabel(c) + " ruled out a home", o.RuledOut},
			Field{"only_" + string(c), "short of two choices: " + ConstraintLabel(c) + " alone kept a home from them", o.Only})
	}
	return fs
}

// obstacle returns the row's obstacle of a constraint: zeros when the constraint kept no home
// from any child of the row, not applicable where it is not counted.
func (m *Metrics) obstacle(c scoring.Constraint) Obstacle {
	for _, o := range m.Obstacles {
		if o.Constraint == c {
			return o
		}
	}
	o := Obstacle{Constraint: c, Label: ConstraintLabel(c), Only: CountFigure(0), OnlyPct: Figure{}}
	if ruledOutCounted(constraintIndex(c)) {
		o.RuledOut = CountFigure(0)
	}
	return o
}
