package catalogue

// Mental health and liberty in the needs model (issue 17, part 4).
//
// A child's mental health is recorded in three ways, each the least that matching needs:
//   - needs of their own kinds, graded like every need and met by skills (self_harm,
//     eating_disorder, mental_health; PDS riskSelfHarm and riskEatingDisorder);
//   - whether the child is open to Child and Adolescent Mental Health Services (CAMHS), which a
//     home must keep them in reach of and work with;
//   - the band of their latest Strengths and Difficulties Questionnaire (SDQ) total difficulties
//     score, never the score itself nor the answers.
//
// A deprivation of liberty order is a fact of its own: a child whose care plan confines them
// (constant supervision, locked doors, restraint) beyond what is normal for their age is
// deprived of their liberty, and for a child under 18 only the High Court can authorise it,
// under its inherent jurisdiction (Re T (A Child) [2021] UKSC 35; the Mental Capacity Act's
// safeguards do not apply under 18). The order names the home and its conditions, so only a home
// that records it can meet those conditions may be offered (scoring's deprivation_of_liberty
// constraint; the President of the Family Division's practice guidance on applications to
// deprive children of their liberty, 2019 and 2023).

// SDQBand is the band of a child's SDQ total difficulties score, in the four-band categorisation
// of the questionnaire's author for a parent or carer report (youthinmind, "Scoring the SDQ":
// close to average 0-13, slightly raised 14-16, high 17-19, very high 20-40). The DfE collects
// the carer's SDQ for every child looked after for a year or more aged 4 to 16 (SSDA903) and
// publishes it in three bands (normal 0-13, borderline 14-16, a cause for concern 17-40): high
// and very high together are the DfE's "cause for concern". Empty: not recorded.
type SDQBand string

const (
	SDQNotRecorded    SDQBand = ""
	SDQCloseToAverage SDQBand = "close_to_average" // total difficulties 0-13
	SDQSlightlyRaised SDQBand = "slightly_raised"  // 14-16
	SDQHigh           SDQBand = "high"             // 17-19
	SDQVeryHigh       SDQBand = "very_high"        // 20-40
)

// SDQBands lists every recorded SDQBand, lowest first.
var SDQBands = []SDQBand{SDQCloseToAverage, SDQSlightlyRaised, SDQHigh, SDQVeryHigh}

// Valid reports whether b is a known band or not recorded.
func (b SDQBand) Valid() bool { return b == SDQNotRecorded || oneOf(b, SDQBands) }

// Concern reports whether the band is one the DfE counts as a cause for concern (a total
// difficulties score of 17 or more).
func (b SDQBand) Concern() bool { return b == SDQHigh || b == SDQVeryHigh }

// SDQBandOf returns the band of a total difficulties score (0 to 40), and false for a score
// outside that range.
func SDQBandOf(score int) (SDQBand, bool) {
	switch {
	case score < 0 || score > 40:
		return SDQNotRecorded, false
	case score <= 13:
		return SDQCloseToAverage, true
	case score <= 16:
		return SDQSlightlyRaised, true
	case score <= 19:
		return SDQHigh, true
	}
	return SDQVeryHigh, true
}

// MentalHealthNeeds are the need kinds about a child's mental health: their detail is for the
// officer and the child's social worker; a provider reads only the skill a home needs, and a
// child never reads them as labels (words.go).
var MentalHealthNeeds = []NeedKind{NeedSelfHarm, NeedEatingDisorder, NeedMentalHealth}

// IsMentalHealth reports whether k is a mental health need.
func (k NeedKind) IsMentalHealth() bool { return oneOf(k, MentalHealthNeeds) }

// validateMentalHealth checks the fields of this file on a child.
func (c Child) validateMentalHealth(p problems) {
	if !c.SDQBand.Valid() {
		p.add("sdq_band", "must be one of %v, or empty when not recorded", SDQBands)
	}
	if c.CAMHS && c.Need(NeedMentalHealth) == 0 && c.Need(NeedSelfHarm) == 0 && c.Need(NeedEatingDisorder) == 0 {
		p.add("camhs", "is true, so needs must grade the mental health need CAMHS is working with (mental_health, self_harm or eating_disorder)")
	}
}
