package scoring

import (
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestMentalHealthNeedsMatchSkills: a child with the needs of issue 17 scores higher with carers
// who hold the skills that meet them, and the officer's reason names need and skill in words.
func TestMentalHealthNeedsMatchSkills(t *testing.T) {
	t.Parallel()
	tests := []struct {
		need   catalogue.NeedKind
		skill  catalogue.Skill
		reason string
	}{
		{catalogue.NeedSelfHarm, catalogue.SkillMentalHealth, "mental health support for Amy's risk of self-harm (high)"},
		{catalogue.NeedEatingDisorder, catalogue.SkillEatingDisorders, "eating disorder support for Amy's eating disorder (high)"},
		{catalogue.NeedMentalHealth, catalogue.SkillTherapeuticParenting, "related training in therapeutic parenting for her mental health needs (high)"},
		{catalogue.NeedCriminalExploitingOthers, catalogue.SkillExploitation, "keeping children safe from exploitation for Amy's risk of drawing others into crime (high)"},
	}
	for _, tt := range tests {
		t.Run(string(tt.need), func(t *testing.T) {
			t.Parallel()
			c := amy()
			c.Needs = append(c.Needs, catalogue.Need{Kind: tt.need, Level: catalogue.LevelHigh})
			p := prepare(t, Request{Child: c})
			without, with := fosterHome(), fosterHome()
			without.Skills, with.Skills = nil, []catalogue.Skill{tt.skill}
			sw, sn := p.Score(&with), p.Score(&without)
			i := factorIndex(catalogue.FactorNeeds)
			if sw.Factors[i].Score <= sn.Factors[i].Score {
				t.Errorf("needs score %.3f with %s, %.3f without", sw.Factors[i].Score, tt.skill, sn.Factors[i].Score)
			}
			if !strings.Contains(sw.Factors[i].Reason, tt.reason) {
				t.Errorf("reason %q lacks %q", sw.Factors[i].Reason, tt.reason)
			}
			if !containsNeed(sn.Support, tt.need) || containsNeed(sw.Support, tt.need) {
				t.Errorf("support without the skill %v, with it %v", sn.Support, sw.Support)
			}
		})
	}
}

func containsNeed(ks []catalogue.NeedKind, k catalogue.NeedKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
