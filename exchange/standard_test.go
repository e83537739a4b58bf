package exchange

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// standardFields reads the fields of the Placements Data Standard v2, by entity.
func standardFields(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("../catalogue/data/placements-standard-v2.json")
	if err != nil {
		t.Fatal(err)
	}
	var std struct {
		Entities []struct {
			Name   string `json:"name"`
			Fields []struct {
				Name string `json:"name"`
			} `json:"fields"`
		} `json:"entities"`
	}
	if err := json.Unmarshal(raw, &std); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range std.Entities {
		for _, f := range e.Fields {
			out[e.Name] = append(out[e.Name], f.Name)
		}
	}
	if len(out) != 6 {
		t.Fatalf("the standard has %d entities, want 6: %v", len(out), out)
	}
	return out
}

// TestEveryStandardFieldIsKeptOrSaidNotKept: each field of the standard that a children or a
// placements file may carry is either a column the file keeps (and export writes), or one the
// import reads and reports as not kept, with why; never both, never neither. A field added to
// the standard, or a column dropped from export, fails here.
func TestEveryStandardFieldIsKeptOrSaidNotKept(t *testing.T) {
	t.Parallel()
	std := standardFields(t)
	kinds := []struct {
		kind     Kind
		entities []string
		kept     []string
		notKept  map[string]string
	}{
		{Children, []string{"PlacementAvailability", "PlacementRequirements", "PlacementRecommendation", "Risks", "QualityAssurance"}, childColumns, childNotKept},
		{Placements, []string{"ActualPlacement", "QualityAssurance"}, placementColumns, placementNotKept},
	}
	for _, k := range kinds {
		var fields []string
		for _, e := range k.entities {
			fields = append(fields, std[e]...)
		}
		for _, f := range fields {
			kept, why := slices.Contains(k.kept, f), k.notKept[f]
			switch {
			case f == "childId" && k.kind == Children:
				if !kept {
					t.Errorf("%s: childId is not kept", k.kind)
				}
			case kept && why != "":
				t.Errorf("%s: %s is both kept and said not kept", k.kind, f)
			case !kept && why == "":
				t.Errorf("%s: %s is neither kept nor said not kept: it would be dropped silently", k.kind, f)
			}
		}
		for f := range k.notKept {
			if !slices.Contains(fields, f) {
				t.Errorf("%s: %s is said not kept but is no field of the standard", k.kind, f)
			}
		}
	}
}

// TestImportEveryStandardField imports a children file that gives every field of the standard,
// through the embedded store, exports it and reads every field back: each kept field must come
// back with its value, and the import must name every field it did not keep.
func TestImportEveryStandardField(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("uses the embedded SQLite store")
	}
	std := standardFields(t)
	// The standard's fields, each with the value a council's file gives and the value export
	// writes back ("" for a field not kept).
	given := map[string][2]string{
		"childId":                           {"PDS-0001", "PDS-0001"},
		"neededBy":                          {"in less than 5 days", "2026-03-06"},
		"siblingCount":                      {"1", "1"},
		"preferredLocation":                 {"near her school in Leeds", ""},
		"communicationNeeds":                {"Y", "Y"},
		"specificCommunicationRequirements": {"BSL", "bsl"},
		"homeAdaptation":                    {"Yes", ""},
		"culturalNeeds":                     {"Required", ""},
		"livingCompanions":                  {"Only with other older children", "only_older"},
		"pets":                              {"Yes - can", "can"},
		"additionalSupport":                 {"therapeutic support", ""},
		"deprivationOfLiberty":              {"true", "true"},
		"fosterCareSuitability":             {"Preferred", ""},
		"residentialCareSuitability":        {"Suitable but not preferred", ""},
		"supportedAccommodationSuitability": {"Unsuitable", ""},
		"riskSelfHarm":                      {"Risk Present", "true"},
		"riskSexualExploitation":            {"Risk Present", "true"},
		"riskCriminalExploitation":          {"Risk Present", "true"},
		"riskDrugAlcohol":                   {"Risk Present", "true"},
		"riskEatingDisorder":                {"Risk Present", "true"},
		"riskMissing":                       {"Risk Present", "true"},
		"riskOther":                         {"says she will run to her uncle's", ""},
		"riskToOthersPhysical":              {"Risk Present", "true"},
		"riskToOthersSexual":                {"No known risk", "false"},
		"riskToOthersFire":                  {"Risk Present", "true"},
		"riskToOthersAnimals":               {"Risk Present", "true"},
		"riskToOthersCriminal":              {"Risk Present", "true"},
		"riskToOthersOther":                 {"damages property when upset", ""},
		"referralOfficerName":               {"J. Officer", ""},
		"referralDate":                      {"2026-03-02", ""},
		"placementOfficerName":              {"P. Officer", ""},
		"placementDate":                     {"2026-03-09", ""},
		"costOfficerName":                   {"C. Officer", ""},
		"costDate":                          {"2026-03-10", ""},
	}
	var stdChild []string
	for _, e := range []string{"PlacementAvailability", "PlacementRequirements", "PlacementRecommendation", "Risks", "QualityAssurance"} {
		stdChild = append(stdChild, std[e]...)
	}
	for _, f := range stdChild {
		if _, ok := given[f]; !ok {
			t.Fatalf("the test gives no value for the standard's field %s", f)
		}
	}
	own := [][2]string{
		{"council", "E08000035"}, {"first_name", "Maya"}, {"date_of_birth", "2011-05-04"}, {"sex", "F"},
		{"ethnicity", "WBRI"}, {"religion", "none"}, {"first_language", "en"}, {"legal_status", "care_order"},
		{"care_type", "family_foster"}, {"purpose", "long_term"}, {"home_lat", "53.8"}, {"home_lng", "-1.55"},
		{"sibling_group", "g1"}, {"id", "c1"},
	}
	header := slices.Clone(stdChild)
	row := make([]string, 0, len(header)+len(own))
	for _, f := range stdChild {
		row = append(row, given[f][0])
	}
	for _, o := range own {
		header = append(header, o[0])
		row = append(row, o[1])
	}
	// Her brother, in the same sibling group, with only what the file requires.
	brotherCells := map[string]string{"childId": "PDS-0002", "neededBy": "2026-03-06", "siblingCount": "1",
		"livingCompanions": "No preference", "pets": "No", "id": "c2", "first_name": "Leo", "sex": "M"}
	brother := make([]string, len(header))
	for i, h := range header {
		if v, ok := brotherCells[h]; ok {
			brother[i] = v
		} else if !slices.Contains(stdChild, h) {
			brother[i] = row[i]
		}
	}
	var file bytes.Buffer
	w := csv.NewWriter(&file)
	_ = w.WriteAll([][]string{header, row, brother})

	d, err := DecodeFile(bytes.NewReader(file.Bytes()), CSV, Children, DecodeOptions{})
	if err != nil {
		t.Fatalf("DecodeFile: %v", err)
	}
	var notKept []string
	for _, n := range d.NotKept {
		if n.Reason == "" {
			t.Errorf("%s is not kept, with no reason given", n.Field)
		}
		notKept = append(notKept, n.Field)
	}
	for _, f := range stdChild {
		if said := slices.Contains(notKept, f); said != (given[f][1] == "") {
			t.Errorf("%s: said not kept %v, but export writes %q for it", f, said, given[f][1])
		}
	}

	s := openStore(t, "standard.db")
	if _, err := s.Import(t.Context(), d.Batch); err != nil {
		t.Fatalf("Import: %v", err)
	}
	cs, err := s.ListChildren(t.Context(), catalogue.Everything, catalogue.ChildFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	gs, err := s.ListSiblingGroups(t.Context(), catalogue.Everything, catalogue.GroupFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var children bytes.Buffer
	if err := EncodeChildren(&children, CSV, cs.Items, gs.Items); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(children.Bytes())).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("export has %d lines (%v):\n%s", len(recs), err, children.String())
	}
	back := map[string]string{}
	for i, h := range recs[0] {
		back[h] = recs[1][i]
	}
	for _, f := range stdChild {
		if want := given[f][1]; want != "" && back[f] != want {
			t.Errorf("%s: gave %q, read back %q, want %q", f, given[f][0], back[f], want)
		}
	}
	// The risks to the child and to others read as needs are graded in the needs column too.
	for _, n := range []catalogue.NeedKind{catalogue.NeedSelfHarm, catalogue.NeedEatingDisorder, catalogue.NeedCriminalExploitingOthers} {
		if !strings.Contains(back["needs"], string(n)+":2") {
			t.Errorf("needs %q lacks %s at medium level", back["needs"], n)
		}
	}
}

// TestIssue17FieldsErrors: bad values of the new fields are reported under the file's names.
func TestIssue17FieldsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cells map[string]string
		field string
	}{
		{"communication needs N with BSL", map[string]string{"communicationNeeds": "N", "specificCommunicationRequirements": "BSL"}, "communicationNeeds"},
		{"communication needs neither", map[string]string{"communicationNeeds": "maybe"}, "communicationNeeds"},
		{"an unknown SDQ band", map[string]string{"sdq_band": "cause for concern"}, "sdq_band"},
		{"CAMHS with no mental health need", map[string]string{"camhs": "true"}, "camhs"},
		{"a self-harm risk that contradicts the needs", map[string]string{"riskSelfHarm": "No known risk", "needs": "self_harm:3"}, "riskSelfHarm"},
		{"a risk to others not in the standard's words", map[string]string{"riskToOthersCriminal": "sometimes"}, "riskToOthersCriminal"},
		{"an order that is not yes or no", map[string]string{"deprivationOfLiberty": "pending"}, "deprivationOfLiberty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode(strings.NewReader(childSheet(1).with(0, tt.cells).String()), CSV, Children, DecodeOptions{})
			var fields []string
			for _, fe := range catalogue.FieldErrors(err) {
				fields = append(fields, fe.Field)
			}
			if !slices.Equal(fields, []string{tt.field}) {
				t.Errorf("problems name %v, want [%s] (%v)", fields, tt.field, err)
			}
		})
	}
	// And the JSON file reads the same fields by the same names.
	in := `{"children": [` + childJSON(`"riskEatingDisorder": "Risk Present", "deprivationOfLiberty": true, "sdq_band": "normal"`) + `]}`
	b, err := Decode(strings.NewReader(in), JSON, Children, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := b.Children[0]
	if c.Need(catalogue.NeedEatingDisorder) != catalogue.LevelMedium || !c.DeprivationOfLiberty || c.SDQBand != catalogue.SDQCloseToAverage {
		t.Errorf("JSON child read as eating disorder %d, order %v, band %q", c.Need(catalogue.NeedEatingDisorder), c.DeprivationOfLiberty, c.SDQBand)
	}
}
