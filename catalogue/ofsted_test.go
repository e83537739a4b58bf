package catalogue_test

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// validSupported is a registered supported accommodation setting for 16 and 17 year olds.
func validSupported() catalogue.Placement {
	p := validHome()
	p.Kind, p.Approval.MinAge, p.Approval.MaxAge = catalogue.SupportedAccommodation, 16, 17
	return p
}

// TestPlacementValidateOfstedModel: supported accommodation carries Ofsted's three-outcome
// judgement of its provider and never the four-point grade; every other home the reverse. A
// rating of the wrong model is refused naming its field.
func TestPlacementValidateOfstedModel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		base   func() catalogue.Placement
		grade  catalogue.OfstedGrade
		out    catalogue.SupportedOutcome
		fields []string
	}{
		{"supported, not yet inspected", validSupported, "", "", nil},
		{"supported, strong", validSupported, "", catalogue.OutcomeStrong, nil},
		{"supported, serious weaknesses", validSupported, "", catalogue.OutcomeSerious, nil},
		{"supported with a grade", validSupported, catalogue.OfstedGood, "", []string{"ofsted"}},
		{"supported with an inadequate grade", validSupported, catalogue.OfstedInadequate, catalogue.OutcomeInconsistent, []string{"ofsted"}},
		{"supported, unknown outcome", validSupported, "", "outcome_4", []string{"ofsted_outcome"}},
		{"home with a grade", validHome, catalogue.OfstedGood, "", nil},
		{"home with an outcome", validHome, "", catalogue.OutcomeStrong, []string{"ofsted_outcome"}},
		{"foster home with an outcome", validPlacement, "", catalogue.OutcomeInconsistent, []string{"ofsted_outcome"}},
		{"home, unknown grade", validHome, "brilliant", "", []string{"ofsted"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := tc.base()
			p.Ofsted, p.SupportedOutcome = tc.grade, tc.out
			wantFields(t, p.Validate(), tc.fields...)
		})
	}
}

// TestRatedInadequate: the lowest judgement of either model is inadequate; nothing else is.
func TestRatedInadequate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		grade catalogue.OfstedGrade
		out   catalogue.SupportedOutcome
		want  bool
	}{
		{"", "", false},
		{catalogue.OfstedOutstanding, "", false},
		{catalogue.OfstedRequiresImprovement, "", false},
		{catalogue.OfstedInadequate, "", true},
		{"", catalogue.OutcomeStrong, false},
		{"", catalogue.OutcomeInconsistent, false},
		{"", catalogue.OutcomeSerious, true},
	}
	for _, tc := range cases {
		p := catalogue.Placement{Ofsted: tc.grade, SupportedOutcome: tc.out}
		if got := p.RatedInadequate(); got != tc.want {
			t.Errorf("grade %q, outcome %q: RatedInadequate %v, want %v", tc.grade, tc.out, got, tc.want)
		}
	}
	for _, o := range catalogue.SupportedOutcomes {
		if o.Words() == "" || !o.Valid() {
			t.Errorf("outcome %q: no words, or not valid", o)
		}
	}
}

// TestSignOffsNeededSupportedOutcome: a supported setting whose provider Ofsted found to have
// serious or widespread weaknesses needs the director's override, as an inadequate home does.
func TestSignOffsNeededSupportedOutcome(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		out  catalogue.SupportedOutcome
		want bool
	}{{catalogue.OutcomeSerious, true}, {catalogue.OutcomeInconsistent, false}, {"", false}} {
		pl := validSupported()
		pl.SupportedOutcome = tc.out
		c := catalogue.SignOffCase{Children: []catalogue.Child{{ID: 1}}, Placement: pl, Policy: catalogue.DefaultPolicy(), Today: day("2026-11-02")}
		got := false
		for _, n := range catalogue.SignOffsNeeded(c) {
			got = got || n.Kind == catalogue.SignOffInadequate
		}
		if got != tc.want {
			t.Errorf("outcome %q: inadequate_override needed %v, want %v", tc.out, got, tc.want)
		}
	}
}
