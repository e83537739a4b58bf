package catalogue_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestSDQBandOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score int
		want  catalogue.SDQBand
		ok    bool
	}{
		{-1, "", false}, {0, catalogue.SDQCloseToAverage, true}, {13, catalogue.SDQCloseToAverage, true},
		{14, catalogue.SDQSlightlyRaised, true}, {16, catalogue.SDQSlightlyRaised, true},
		{17, catalogue.SDQHigh, true}, {19, catalogue.SDQHigh, true},
		{20, catalogue.SDQVeryHigh, true}, {40, catalogue.SDQVeryHigh, true}, {41, "", false},
	}
	for _, tt := range tests {
		got, ok := catalogue.SDQBandOf(tt.score)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SDQBandOf(%d) = %q, %v; want %q, %v", tt.score, got, ok, tt.want, tt.ok)
		}
		if ok && got.Concern() != (tt.score >= 17) {
			t.Errorf("band %q of %d: Concern() = %v", got, tt.score, got.Concern())
		}
	}
}

func TestMentalHealthValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(c *catalogue.Child)
		field string // "" when valid
	}{
		{"none recorded", func(*catalogue.Child) {}, ""},
		{"a band", func(c *catalogue.Child) { c.SDQBand = catalogue.SDQVeryHigh }, ""},
		{"an unknown band", func(c *catalogue.Child) { c.SDQBand = "borderline" }, "sdq_band"},
		{"CAMHS with a mental health need", func(c *catalogue.Child) {
			c.CAMHS = true
			c.Needs = append(c.Needs, catalogue.Need{Kind: catalogue.NeedEatingDisorder, Level: catalogue.LevelHigh})
		}, ""},
		{"CAMHS without one", func(c *catalogue.Child) { c.CAMHS = true }, "camhs"},
		{"a deprivation of liberty order", func(c *catalogue.Child) { c.DeprivationOfLiberty = true }, ""},
		{"criminal exploitation of others", func(c *catalogue.Child) {
			c.Needs = append(c.Needs, catalogue.Need{Kind: catalogue.NeedCriminalExploitingOthers, Level: catalogue.LevelMedium})
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validChild()
			tt.edit(&c)
			err := c.Validate()
			var fields []string
			for _, fe := range catalogue.FieldErrors(err) {
				fields = append(fields, fe.Field)
			}
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.field != "" && !reflect.DeepEqual(fields, []string{tt.field}):
				t.Fatalf("Validate names %v, want [%s]", fields, tt.field)
			}
		})
	}
}

// TestMentalHealthSupport: a mental health need no one in the home is trained for becomes
// training and, from medium level, therapeutic support; criminal exploitation of others is
// training alone.
func TestMentalHealthSupport(t *testing.T) {
	t.Parallel()
	needs := []catalogue.Need{
		{Kind: catalogue.NeedSelfHarm, Level: catalogue.LevelHigh},
		{Kind: catalogue.NeedEatingDisorder, Level: catalogue.LevelMedium},
		{Kind: catalogue.NeedMentalHealth, Level: catalogue.LevelLow},
		{Kind: catalogue.NeedCriminalExploitingOthers, Level: catalogue.LevelHigh},
	}
	want := []catalogue.SupportItem{
		{Need: catalogue.NeedSelfHarm, Level: catalogue.LevelHigh, Training: catalogue.SkillMentalHealth, Therapeutic: true},
		{Need: catalogue.NeedEatingDisorder, Level: catalogue.LevelMedium, Training: catalogue.SkillEatingDisorders, Therapeutic: true},
		{Need: catalogue.NeedMentalHealth, Level: catalogue.LevelLow, Training: catalogue.SkillMentalHealth},
		{Need: catalogue.NeedCriminalExploitingOthers, Level: catalogue.LevelHigh, Training: catalogue.SkillExploitation},
	}
	if got := catalogue.SupportFor(needs, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("SupportFor with no skills\n got %+v\nwant %+v", got, want)
	}
	// Carers trained in children's mental health cover self-harm and mental health fully and an
	// eating disorder in part; exploitation training covers the risk to others.
	skills := []catalogue.Skill{catalogue.SkillMentalHealth, catalogue.SkillExploitation}
	if got := catalogue.SupportFor(needs, skills); got != nil {
		t.Errorf("SupportFor with mental health and exploitation training = %+v, want none", got)
	}
	if cov, _ := catalogue.Coverage(catalogue.NeedEatingDisorder, skills); cov != 0.75 {
		t.Errorf("coverage of an eating disorder by mental health training = %v, want 0.75", cov)
	}
	if len(catalogue.NeedKinds) > catalogue.MaxSupportItems {
		t.Errorf("a plan may hold %d items but there are %d kinds of need", catalogue.MaxSupportItems, len(catalogue.NeedKinds))
	}
}

// TestSkillWordsNameNoDiagnosis: what a child reads about a home's skills never names a mental
// health diagnosis (DESIGN.md section 9).
func TestSkillWordsNameNoDiagnosis(t *testing.T) {
	t.Parallel()
	for _, s := range catalogue.Skills {
		w := s.Words().Child
		for _, label := range []string{"self-harm", "self harm", "eating disorder", "anorexia", "bulimia", "mental", "CAMHS", "disorder", "crime", "criminal"} {
			if containsFold(w, label) {
				t.Errorf("a child reads %q about %s, which names %q", w, s, label)
			}
		}
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
