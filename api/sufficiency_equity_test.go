package api

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/placematch/placematch/sufficiency"
)

// equityJSON names the JSON key of every field of the equity section the text report and the
// dashboard show: a field added to the sufficiency types without one fails
// TestEquityFieldsInJSON.
var equityJSON = map[string]map[string]string{
	"EquityGroup": {
		"Breakdown": "breakdown", "EquityOutcomes": "outcomes",
		"TwoChoicesGap": "gaps", "MatchedGap": "gaps", "Within20Gap": "gaps", "SiblingsTogetherGap": "gaps", "ScoreGap": "gaps",
		"TwoChoicesLow": "two_choices_interval", "TwoChoicesHigh": "two_choices_interval",
		"MatchedLow": "matched_interval", "MatchedHigh": "matched_interval",
		"FaresWorse": "fares_worse", "WithinChance": "within_chance", "Noun": "noun", "Text": "text",
		"Explanations": "explanations", "Decompositions": "decompositions",
	},
	"Decomposition": {
		"Outcome": "outcome", "Group": "group", "All": "all", "Gap": "gap", "Explained": "explained",
		"Unexplained": "unexplained", "Parts": "parts", "Text": "text",
	},
	"Part": {"Explanation": "explanation", "Label": "label", "Points": "points"},
}

// TestEquityFieldsInJSON: the JSON API carries every field of a group's equity, its intervals,
// whether its gap is beyond chance, its sentence and its decomposition.
func TestEquityFieldsInJSON(t *testing.T) {
	t.Parallel()
	for _, typ := range []reflect.Type{reflect.TypeFor[sufficiency.EquityGroup](), reflect.TypeFor[sufficiency.Decomposition](), reflect.TypeFor[sufficiency.Part]()} {
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && equityJSON[typ.Name()][f.Name] == "" {
				t.Errorf("%s.%s has no field in the JSON API (equityJSON)", typ.Name(), f.Name)
			}
		}
	}
	pct := sufficiency.CountFigure
	g := sufficiency.EquityGroup{Noun: "Children aged 0 to 4", FaresWorse: true, Text: "Children aged 0 to 4: ...",
		TwoChoicesLow: pct(60), TwoChoicesHigh: pct(70), MatchedLow: pct(80), MatchedHigh: pct(90),
		Decompositions: []sufficiency.Decomposition{{Outcome: sufficiency.OutcomeTwoChoices, Group: pct(68), All: pct(75), Gap: pct(7),
			Explained: pct(4), Unexplained: pct(3), Parts: []sufficiency.Part{{Explanation: "care_type", Label: "the kind of home they need",
				Points: sufficiency.WithheldFigure()}}, Text: "Of the 7 points fewer ..."}}}
	e := &sufficiency.Equity{Dimensions: []sufficiency.EquityDimension{{Dimension: sufficiency.DimAgeBand, Groups: []sufficiency.EquityGroup{g}}}}
	b, err := json.Marshal(fromEquity(e))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Dimensions []struct {
			Groups []map[string]any `json:"groups"`
		} `json:"dimensions"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	gj := got.Dimensions[0].Groups[0]
	for _, keys := range equityJSON["EquityGroup"] {
		if _, ok := gj[keys]; !ok {
			t.Errorf("the group's JSON lacks %q: %s", keys, b)
		}
	}
	want := map[string]any{"noun": "Children aged 0 to 4", "fares_worse": true, "within_chance": false, "text": "Children aged 0 to 4: ...",
		"two_choices_interval": map[string]any{"low": 60.0, "high": 70.0}, "matched_interval": map[string]any{"low": 80.0, "high": 90.0}}
	for k, v := range want {
		if !reflect.DeepEqual(gj[k], v) {
			t.Errorf("%s = %v, want %v", k, gj[k], v)
		}
	}
	ds, _ := gj["decompositions"].([]any)
	if len(ds) != 1 {
		t.Fatalf("decompositions %v", gj["decompositions"])
	}
	d := ds[0].(map[string]any)
	for k, v := range map[string]any{"outcome": "two_choices", "group": 68.0, "all": 75.0, "gap": 7.0, "explained": 4.0, "unexplained": 3.0, "text": "Of the 7 points fewer ..."} {
		if d[k] != v {
			t.Errorf("decomposition %s = %v, want %v", k, d[k], v)
		}
	}
	if p := d["parts"].([]any)[0].(map[string]any); p["explanation"] != "care_type" || p["points"] != "c" {
		t.Errorf("part %v", p)
	}
}
