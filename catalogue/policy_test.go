package catalogue_test

import (
	"math"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestDefaultPolicyValid(t *testing.T) {
	t.Parallel()
	p := catalogue.DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("default policy invalid: %v", err)
	}
	w := p.Weights
	if w.Sum() != 100 {
		t.Errorf("default weights sum to %g, want 100 (so each reads as a percentage)", w.Sum())
	}
	// Needs first: needs, siblings and school are the heaviest three.
	for _, f := range catalogue.Factors {
		switch f {
		case catalogue.FactorNeeds, catalogue.FactorSiblings, catalogue.FactorSchool:
		default:
			if w[f] >= w[catalogue.FactorSchool] {
				t.Errorf("%s weighs %g, not below school (%g)", f, w[f], w[catalogue.FactorSchool])
			}
		}
	}
	if s := w.Share(catalogue.FactorCost); s > 0.10 {
		t.Errorf("cost share %g above 10%%", s)
	}
	if math.Abs(p.MaxDistanceKm-80.47) >= 0.01 {
		t.Errorf("max distance %g km, want 50 miles", p.MaxDistanceKm)
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(p *catalogue.Policy)
		field string
		msg   string
	}{
		{"cost above the cap", func(p *catalogue.Policy) { p.Weights[catalogue.FactorCost] = 95 * 0.15 / 0.85 },
			"weights.cost", "cost may carry at most 10% of the total weight; it carries 15%"},
		{"cost above a lowered cap", func(p *catalogue.Policy) { p.CostCap = 0.04 },
			"weights.cost", "cost may carry at most 4% of the total weight; it carries 5%"},
		{"cap above the legal ceiling", func(p *catalogue.Policy) { p.CostCap = 0.2 }, "cost_cap", "must be between 0 and 10%"},
		{"child link age above 16", func(p *catalogue.Policy) { p.ChildLinkAge = 17 }, "child_link_min_age", "must be between 1 and 16 years (0: the default, 8)"},
		{"negative child link age", func(p *catalogue.Policy) { p.ChildLinkAge = -1 }, "child_link_min_age", "must be between 1 and 16 years (0: the default, 8)"},
		{"a language that is not an id", func(p *catalogue.Policy) { p.ChildLanguages = []string{"en", "English"} }, "child_languages", `must be the ids of the child's pages' languages (like en, en-easy, ur), each once: "English" is not`},
		{"a language twice", func(p *catalogue.Policy) { p.ChildLanguages = []string{"en", "ur", "en"} }, "child_languages", `must be the ids of the child's pages' languages (like en, en-easy, ur), each once: "en" is not`},
		{"a default not offered", func(p *catalogue.Policy) { p.ChildLanguages, p.ChildLanguage = []string{"en", "ur"}, "en-easy" }, "child_language_default", "must be one of child_languages"},
		{"a default that is not an id", func(p *catalogue.Policy) { p.ChildLanguage = "Urdu" }, "child_language_default", "must be the id"},
		{"a settling period over 12 weeks", func(p *catalogue.Policy) { p.SettlingWeeks = 13 }, "settling_weeks", "must be from 0 to 12 weeks (0: no back-up is held after a move)"},
		{"a settling period below none", func(p *catalogue.Policy) { p.SettlingWeeks = -2 }, "settling_weeks", "must be from 0 to 12 weeks (0: no back-up is held after a move)"},
		{"missing factor", func(p *catalogue.Policy) { delete(p.Weights, catalogue.FactorSchool) },
			"weights.school", "is missing: every factor needs a weight (0 turns it off)"},
		{"negative weight", func(p *catalogue.Policy) { p.Weights[catalogue.FactorIdentity] = -1 },
			"weights.identity", "must be a number from 0 to 1000"},
		{"NaN weight", func(p *catalogue.Policy) { p.Weights[catalogue.FactorIdentity] = math.NaN() },
			"weights.identity", "must be a number from 0 to 1000"},
		{"unknown factor", func(p *catalogue.Policy) { p.Weights["postcode"] = 1 }, "weights.postcode", "is not a factor"},
		{"infinite weight", func(p *catalogue.Policy) { p.Weights[catalogue.FactorNeeds] = math.Inf(1) },
			"weights.needs", "must be a number from 0 to 1000"},
		{"weight above the bound", func(p *catalogue.Policy) { p.Weights[catalogue.FactorNeeds] = 1000.5 },
			"weights.needs", "must be a number from 0 to 1000"},
		// Three finite weights whose sum overflows to infinity: every share became 0, so the
		// cost cap passed and every score in the council was 0 (issue 14, item 9).
		{"weights that sum to infinity", func(p *catalogue.Policy) {
			p.Weights[catalogue.FactorNeeds], p.Weights[catalogue.FactorSchool], p.Weights[catalogue.FactorFamily] = 1e308, 1e308, 1e308
		}, "weights.needs", "must be a number from 0 to 1000"},
		{"all zero", func(p *catalogue.Policy) {
			for f := range p.Weights {
				p.Weights[f] = 0
			}
		}, "weights", "must not all be 0"},
		{"bad council", func(p *catalogue.Policy) { p.Council = "E99" }, "council", "must be empty"},
		{"margin too wide", func(p *catalogue.Policy) { p.CostMargin = 0.5 }, "cost_margin", "must be between"},
		{"no maximum distance", func(p *catalogue.Policy) { p.MaxDistanceKm = 0 }, "max_distance_km", "must be more than 0"},
		{"wish boost above max boost", func(p *catalogue.Policy) { p.WishBoost = 2.5 }, "wish_boost", "must not be more than max_boost"},
		{"max boost too big", func(p *catalogue.Policy) { p.MaxBoost = 10 }, "max_boost", "must be between 1"},
		{"negative buffer", func(p *catalogue.Policy) { p.ZoneBufferKm = -1 }, "zone_buffer_km", "must be between"},
		{"cost range upside down", func(p *catalogue.Policy) { p.CostHigh = 100 }, "cost_high", "must be more than cost_low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := catalogue.DefaultPolicy()
			tt.edit(&p)
			err := p.Validate()
			found := false
			for _, fe := range catalogue.FieldErrors(err) {
				if fe.Field == tt.field && strings.HasPrefix(fe.Message, tt.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("Validate() = %v, want %s: %s", err, tt.field, tt.msg)
			}
		})
	}
}

func TestPolicyMerge(t *testing.T) {
	t.Parallel()
	national := catalogue.DefaultPolicy()
	override := catalogue.Policy{
		Version: 3, Council: "E08000035", // Leeds
		Weights:       catalogue.Weights{catalogue.FactorSchool: 20, catalogue.FactorCost: 0},
		MaxDistanceKm: 30,
	}
	got := national.Merge(override)
	if got.Version != 3 || got.Council != "E08000035" {
		t.Errorf("version/council = %d/%s", got.Version, got.Council)
	}
	if got.Weights[catalogue.FactorSchool] != 20 || got.Weights[catalogue.FactorCost] != 0 {
		t.Errorf("overridden weights = %v", got.Weights)
	}
	if got.Weights[catalogue.FactorNeeds] != 20 {
		t.Errorf("inherited needs weight = %g", got.Weights[catalogue.FactorNeeds])
	}
	if got.MaxDistanceKm != 30 || got.CostMargin != national.CostMargin {
		t.Errorf("distance/margin = %g/%g", got.MaxDistanceKm, got.CostMargin)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("merged policy invalid: %v", err)
	}
	if national.Weights[catalogue.FactorSchool] != 14 {
		t.Error("Merge changed the national policy's weights")
	}
	// A merge can break the cap; Validate catches it.
	bad := national.Merge(catalogue.Policy{Weights: catalogue.Weights{catalogue.FactorCost: 40}})
	if bad.Validate() == nil {
		t.Error("merged policy with cost at 29% validated")
	}
}

// TestLinkAge: a child under 8 is not sent their own link unless a council's policy says
// otherwise (issue 20, item 3).
func TestLinkAge(t *testing.T) {
	t.Parallel()
	for set, want := range map[int]int{0: 8, 5: 5, 12: 12} {
		if got := (catalogue.Policy{ChildLinkAge: set}).LinkAge(); got != want {
			t.Errorf("ChildLinkAge %d: %d, want %d", set, got, want)
		}
	}
}

// TestSettlingWeeks: after a move the back-up is held 4 weeks unless a council's policy says
// otherwise; 0 given (stored as NoSettling) holds none, and a change outside 0 to 12 is refused
// naming settling_weeks (issue 20, item 7).
func TestSettlingWeeks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		given   *int // a change's settling_weeks; nil: none
		want    int
		refused bool
	}{
		{nil, 4, false}, {ptr(0), 0, false}, {ptr(1), 1, false}, {ptr(6), 6, false}, {ptr(12), 12, false},
		{ptr(13), 0, true}, {ptr(-1), 0, true},
	} {
		ch := catalogue.PolicyChange{Version: 1, Note: "settling", SettlingWeeks: tc.given}
		err := ch.Validate()
		if tc.refused {
			if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "settling_weeks" {
				t.Errorf("%v: error %v, want one naming settling_weeks", *tc.given, err)
			}
			continue
		}
		p := ch.Apply(catalogue.DefaultPolicy())
		if err != nil || p.Validate() != nil || p.Settling() != tc.want {
			t.Errorf("%v: %v, %v, settling %d, want %d", tc.given, err, p.Validate(), p.Settling(), tc.want)
		}
		// A council's own policy laid over the national one keeps its setting, none included.
		if got := catalogue.DefaultPolicy().Merge(p).Settling(); got != tc.want {
			t.Errorf("%v merged: %d, want %d", tc.given, got, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }
