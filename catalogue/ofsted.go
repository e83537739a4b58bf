package catalogue

// How Ofsted rates a home. Children's homes and fostering agencies are graded on the four
// points of the social care common inspection framework (OfstedGrade: outstanding, good,
// requires improvement to be good, inadequate). Supported accommodation is not: Ofsted
// registers the provider, not each setting, and inspects the provider under "Social care
// common inspection framework (SCCIF): supported accommodation" (published 29 February 2024,
// inspections from September 2024), whose judgement of the overall experiences and progress of
// children is one of three outcomes (SupportedOutcome). A supported setting carries its
// provider's outcome and never a grade; any other home never carries an outcome.

// SupportedOutcome is Ofsted's judgement of a supported accommodation provider on its
// three-outcome model. The values name Ofsted's three summary outcomes by their opening words;
// Words gives each in full. Source: Ofsted, "Social care common inspection framework (SCCIF):
// supported accommodation" and "Supported accommodation for looked-after children and care
// leavers aged 16 and 17: a report on the responses to the consultation on our inspection
// proposals" (both 29 February 2024), which confirmed the three outcomes model and its wording.
type SupportedOutcome string

const (
	OutcomeNone SupportedOutcome = "" // not yet inspected, or not supported accommodation
	// OutcomeStrong: "Consistently strong service delivery leads to typically positive
	// experiences and progress for children." Next inspection within about 3 years.
	OutcomeStrong SupportedOutcome = "consistently_strong"
	// OutcomeInconsistent: "Inconsistent quality of service delivery adversely affects some
	// children's experiences, and this may limit their progress." Next within about 18 months.
	OutcomeInconsistent SupportedOutcome = "inconsistent"
	// OutcomeSerious: "Serious or widespread weaknesses lead to significant concerns about the
	// experiences and progress of children." Next within about 6 months. The lowest outcome:
	// the service treats it as a children's home's inadequate (RatedInadequate), never proposed
	// unless the director overrides it for one child (SignOffInadequate).
	OutcomeSerious SupportedOutcome = "serious_weaknesses"
)

// SupportedOutcomes lists every SupportedOutcome given on inspection (not None), best first.
var SupportedOutcomes = []SupportedOutcome{OutcomeStrong, OutcomeInconsistent, OutcomeSerious}

// Valid reports whether o is a known value or none.
func (o SupportedOutcome) Valid() bool { return o == OutcomeNone || oneOf(o, SupportedOutcomes) }

// Words is Ofsted's summary of the outcome, as it publishes it (the first sentence of each).
func (o SupportedOutcome) Words() string {
	switch o {
	case OutcomeStrong:
		return "Consistently strong service delivery leads to typically positive experiences and progress for children."
	case OutcomeInconsistent:
		return "Inconsistent quality of service delivery adversely affects some children's experiences, and this may limit their progress."
	case OutcomeSerious:
		return "Serious or widespread weaknesses lead to significant concerns about the experiences and progress of children."
	}
	return ""
}

// RatedInadequate reports whether Ofsted's latest judgement of the home is its lowest: a
// children's home or agency graded inadequate, or a supported accommodation provider found to
// have serious or widespread weaknesses. Such a home is never proposed unless the director
// overrides the rating for one child (scoring's ofsted_inadequate; SignOffInadequate).
func (pl *Placement) RatedInadequate() bool {
	return pl.Ofsted == OfstedInadequate || pl.SupportedOutcome == OutcomeSerious
}

// validateOfsted reports a rating of the wrong model for the kind: supported accommodation is
// judged on the three outcomes, every other home on the four-point grade.
func (pl Placement) validateOfsted(p problems) {
	if !pl.Ofsted.Valid() {
		p.add("ofsted", "must be one of %v or empty", OfstedGrades)
	}
	if !pl.SupportedOutcome.Valid() {
		p.add("ofsted_outcome", "must be one of %v or empty", SupportedOutcomes)
	}
	switch {
	case pl.Kind == SupportedAccommodation && pl.Ofsted != OfstedNone:
		p.add("ofsted", "must be empty for supported accommodation: Ofsted judges its provider on three outcomes (ofsted_outcome), not the four-point grade")
	case pl.Kind != SupportedAccommodation && pl.SupportedOutcome != OutcomeNone:
		p.add("ofsted_outcome", "must be empty unless the placement is supported accommodation: other homes carry Ofsted's four-point grade (ofsted)")
	}
}
