package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
)

// sheet builds a CSV file from a header and rows given as column -> cell; a column whose cell
// is missing from a row is left blank.
type sheet struct {
	header []string
	rows   []map[string]string
}

func (s sheet) String() string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(s.header)
	for _, r := range s.rows {
		rec := make([]string, len(s.header))
		for i, h := range s.header {
			rec[i] = r[h]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.String()
}

// with returns a copy of the sheet with extra columns and the cells of row i (0-based) changed.
func (s sheet) with(i int, cells map[string]string) sheet {
	out := sheet{header: slices.Clone(s.header)}
	for _, r := range s.rows {
		c := map[string]string{}
		for k, v := range r {
			c[k] = v
		}
		out.rows = append(out.rows, c)
	}
	for k, v := range cells {
		if !slices.Contains(out.header, k) {
			out.header = append(out.header, k)
		}
		out.rows[i][k] = v
	}
	return out
}

func (s sheet) without(col string) sheet {
	out := s.with(0, nil)
	out.header = slices.DeleteFunc(out.header, func(h string) bool { return h == col })
	return out
}

func childRow(id string) map[string]string {
	return map[string]string{
		"id": id, "council": "E08000003", "first_name": "Amy", "date_of_birth": "2014-03-09", "sex": "female",
		"ethnicity": "WBRI", "religion": "none", "first_language": "en", "legal_status": "care_order",
		"care_type": "family_foster", "purpose": "long_term", "neededBy": "2026-02-01",
		"home_lat": "53.48", "home_lng": "-2.24", "livingCompanions": "no_preference", "pets": "can",
	}
}

var childHeader = []string{"id", "council", "first_name", "date_of_birth", "sex", "ethnicity", "religion", "first_language",
	"legal_status", "care_type", "purpose", "neededBy", "home_lat", "home_lng", "livingCompanions", "pets"}

func childSheet(n int) sheet {
	s := sheet{header: childHeader}
	for i := range n {
		s.rows = append(s.rows, childRow(fmt.Sprintf("c%d", i+1)))
	}
	return s
}

func placementRow(id string) map[string]string {
	return map[string]string{
		"id": id, "placementType": "agency_foster", "provider": "4", "name": "The Bakers", "council": "E06000023",
		"area_name": "Bristol", "lat": "51.45", "lng": "-2.58", "min_age": "0", "max_age": "18", "max_children": "2",
		"purposes": "long_term", "totalWeeklyCost": "820", "carer1_first_name": "Jo",
		"approval_from": "2026-01-01", "approval_until": "2027-01-01",
	}
}

var placementHeader = []string{"id", "placementType", "provider", "name", "council", "area_name", "lat", "lng",
	"min_age", "max_age", "max_children", "purposes", "totalWeeklyCost", "carer1_first_name", "approval_from", "approval_until",
	"registration", "providerURN"}

func placementSheet(n int) sheet {
	s := sheet{header: placementHeader}
	for i := range n {
		s.rows = append(s.rows, placementRow(fmt.Sprintf("p%d", i+1)))
	}
	return s
}

// where is a problem's place: its row and field.
type where struct {
	Row   int
	Field string
}

func places(err error) []where {
	var out []where
	for _, fe := range catalogue.FieldErrors(err) {
		out = append(out, where{fe.Row, fe.Field})
	}
	return out
}

// badCase is a file Decode must reject, and where it must say the problems are.
type badCase struct {
	name string
	in   string
	f    Format
	k    Kind
	opt  DecodeOptions
	want []where
}

// badCases are the bad inputs; they also seed the fuzz corpus (go test -update writes it).
func badCases() []badCase {
	long := strings.Repeat("x", catalogue.MaxNameLen+1)
	return []badCase{
		// CSV, children
		{"empty file", "", CSV, Children, DecodeOptions{}, []where{{1, ""}}},
		{"header only", childSheet(0).String(), CSV, Children, DecodeOptions{}, []where{{2, ""}}},
		{"placements header in a children import", placementSheet(1).String(), CSV, Children, DecodeOptions{},
			[]where{{1, "placementType"}, {1, "provider"}, {1, "name"}, {1, "area_name"}, {1, "lat"}, {1, "lng"},
				{1, "min_age"}, {1, "max_age"}, {1, "max_children"}, {1, "purposes"}, {1, "totalWeeklyCost"}, {1, "carer1_first_name"},
				{1, "approval_from"}, {1, "approval_until"}, {1, "registration"}, {1, "providerURN"},
				{1, "first_name"}, {1, "date_of_birth"}, {1, "sex"}, {1, "ethnicity"}, {1, "religion"}, {1, "first_language"},
				{1, "legal_status"}, {1, "care_type"}, {1, "purpose"}, {1, "neededBy"}, {1, "home_lat"}, {1, "home_lng"},
				{1, "livingCompanions"}, {1, "pets"}}},
		{"unknown column", childSheet(1).with(0, map[string]string{"favourite_colour": "blue"}).String(), CSV, Children, DecodeOptions{}, []where{{1, "favourite_colour"}}},
		{"missing column", childSheet(1).without("sex").String(), CSV, Children, DecodeOptions{}, []where{{1, "sex"}}},
		{"repeated column", "id,ID\n1,2\n", CSV, Children, DecodeOptions{Council: "E08000003"},
			append([]where{{1, "id"}}, missing(childRequired)...)},
		{"column without a name", "id,,council\n", CSV, Children, DecodeOptions{},
			append([]where{{1, "column 2"}}, missing(childRequired)...)},
		{"duplicate ids", childSheet(3).with(2, map[string]string{"id": "c1"}).String(), CSV, Children, DecodeOptions{}, []where{{4, "id"}}},
		{"duplicate case references", childSheet(2).with(0, map[string]string{"childId": "A1"}).with(1, map[string]string{"childId": "A1"}).String(),
			CSV, Children, DecodeOptions{}, []where{{3, "childId"}}},
		{"bad enum", childSheet(2).with(1, map[string]string{"sex": "x", "pets": "sometimes"}).String(), CSV, Children, DecodeOptions{}, []where{{3, "sex"}, {3, "pets"}}},
		{"bad number", childSheet(1).with(0, map[string]string{"home_lat": "north"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "home_lat"}}},
		{"NaN is not a number", childSheet(1).with(0, map[string]string{"home_lng": "NaN"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "home_lng"}}},
		{"bad date", childSheet(1).with(0, map[string]string{"date_of_birth": "2014-02-30"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "date_of_birth"}}},
		{"date out of range", childSheet(1).with(0, map[string]string{"date_of_birth": "1900-01-01"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "date_of_birth"}}},
		{"coordinates out of range", childSheet(1).with(0, map[string]string{"home_lat": "40.7", "home_lng": "-74"}).String(), CSV, Children, DecodeOptions{},
			[]where{{2, "home_lat"}, {2, "home_lng"}}},
		{"required cell blank", childSheet(1).with(0, map[string]string{"first_name": "", "care_type": " "}).String(), CSV, Children, DecodeOptions{},
			[]where{{2, "first_name"}, {2, "care_type"}}},
		{"too many rows", childSheet(3).String(), CSV, Children, DecodeOptions{MaxRows: 2}, []where{{4, ""}}},
		{"too long a name", childSheet(1).with(0, map[string]string{"first_name": long}).String(), CSV, Children, DecodeOptions{}, []where{{2, "first_name"}}},
		{"too long a key", childSheet(1).with(0, map[string]string{"id": strings.Repeat("k", 65)}).String(), CSV, Children, DecodeOptions{}, []where{{2, "id"}}},
		{"too long a cell", childSheet(1).with(0, map[string]string{"wishes_in_own_words": strings.Repeat("w", maxCell+1)}).String(), CSV, Children, DecodeOptions{}, []where{{2, "wishes_in_own_words"}}},
		{"invalid UTF-8", childSheet(2).with(1, map[string]string{"first_name": "Am\xffy"}).String(), CSV, Children, DecodeOptions{}, []where{{3, "first_name"}}},
		{"invalid UTF-8 in the header", "id,na\xffme\n", CSV, Children, DecodeOptions{}, append([]where{{1, "column 2"}}, missing(slices.Concat([]string{"council"}, childRequired))...)},
		{"wrong number of cells", childSheet(2).String() + "c9,E08000003\n", CSV, Children, DecodeOptions{}, []where{{4, ""}}},
		{"malformed quotes", childSheet(1).String() + "c9,\"E08\"000003\n", CSV, Children, DecodeOptions{}, []where{{3, ""}}},
		{"every bad row", childSheet(4).with(0, map[string]string{"sex": "?"}).with(2, map[string]string{"religion": "?"}).with(3, map[string]string{"home_lat": "99"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "sex"}, {4, "religion"}, {5, "home_lat"}}},
		{"officer's council", childSheet(2).with(1, map[string]string{"council": "E10000016"}).String(), CSV, Children, DecodeOptions{Council: "E08000003"}, []where{{3, "council"}}},
		{"unknown council", childSheet(1).with(0, map[string]string{"council": "Atlantis"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "council"}}},
		{"blank council", childSheet(1).with(0, map[string]string{"council": ""}).String(), CSV, Children, DecodeOptions{}, []where{{2, "council"}}},
		{"sibling count disagrees", childSheet(3).with(0, map[string]string{"sibling_group": "g", "siblingCount": "2"}).with(1, map[string]string{"sibling_group": "g", "siblingCount": "1"}).with(2, map[string]string{"siblingCount": "1"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "siblingCount"}, {4, "siblingCount"}}},
		{"sibling plans disagree", childSheet(2).with(0, map[string]string{"sibling_group": "g", "sibling_plan": "together"}).with(1, map[string]string{"sibling_group": "g", "sibling_plan": "apart"}).String(),
			CSV, Children, DecodeOptions{}, []where{{3, "sibling_plan"}}},
		{"brothers and sisters of two councils", childSheet(2).with(0, map[string]string{"sibling_group": "g"}).with(1, map[string]string{"sibling_group": "g", "council": "E08000035"}).String(),
			CSV, Children, DecodeOptions{}, []where{{3, "council"}}},
		{"apart without a reason", childSheet(2).with(0, map[string]string{"sibling_group": "g", "sibling_plan": "apart"}).with(1, map[string]string{"sibling_group": "g"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "sibling_plan_reason"}}},
		{"plan without a group", childSheet(1).with(0, map[string]string{"sibling_plan": "together"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "sibling_group"}}},
		{"contact without a type", childSheet(1).with(0, map[string]string{"contact2_relationship": "mother", "contact2_lat": "53.4", "contact2_lng": "-2.2", "contact2_frequency": "weekly"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "contact2_type"}}},
		{"contact with a bad type", childSheet(1).with(0, map[string]string{"contact2_relationship": "mother", "contact2_lat": "53.4", "contact2_lng": "-2.2", "contact2_frequency": "weekly", "contact2_type": "unsafe"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "contact2_type"}}},
		{"a contact centre for direct contact", childSheet(1).with(0, map[string]string{"contact2_relationship": "mother", "contact2_lat": "53.4", "contact2_lng": "-2.2", "contact2_frequency": "weekly", "contact2_type": "direct", "contact2_centre_lat": "53.41", "contact2_centre_lng": "-2.21"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "contact2_centre"}}},
		{"contact far away", childSheet(1).with(0, map[string]string{"contact3_relationship": "mother", "contact3_lat": "48", "contact3_lng": "-2.2", "contact3_frequency": "weekly", "contact3_safe": "yes"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "contact3_lat"}}},
		{"zone too big", childSheet(1).with(0, map[string]string{"zone1_lat": "53.4", "zone1_lng": "-2.2", "zone1_radius_km": "500"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "zone1_radius_km"}}},
		{"polygon of two points", childSheet(1).with(0, map[string]string{"zone2_vertices": "53.4 -2.2;53.5 -2.1"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "zone2_vertices"}}},
		{"polygon point unreadable", childSheet(1).with(0, map[string]string{"zone1_vertices": "53.4 -2.2;north;53.5 -2.1"}).String(),
			CSV, Children, DecodeOptions{}, []where{{2, "zone1_vertices"}}},
		{"need without level", childSheet(1).with(0, map[string]string{"needs": "trauma;autism:9;flying:1"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "needs"}, {2, "needs"}, {2, "needs"}}},
		{"need twice", childSheet(1).with(0, map[string]string{"needs": "trauma:1;trauma:2"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "needs"}}},
		{"risk contradicts needs", childSheet(1).with(0, map[string]string{"needs": "missing:3", "riskMissing": "No known risk"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "riskMissing"}}},
		{"neededBy category without referralDate", childSheet(1).with(0, map[string]string{"neededBy": "Today"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "neededBy"}}},
		{"bad referralDate", childSheet(1).with(0, map[string]string{"neededBy": "Today", "referralDate": "soon"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "referralDate"}}},
		{"needed before birth", childSheet(1).with(0, map[string]string{"neededBy": "2013-01-01"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "neededBy"}}},
		{"risk not yes or no", childSheet(1).with(0, map[string]string{"riskToOthersFire": "maybe"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "riskToOthersFire"}}},
		{"bad list item", childSheet(1).with(0, map[string]string{"allergies": "dog;unicorn", "wishes": "stay_at_school;stay_at_school"}).String(), CSV, Children, DecodeOptions{}, []where{{2, "allergies"}, {2, "wishes"}}},

		// CSV, placements
		{"placement provider not an ID", placementSheet(2).with(1, map[string]string{"provider": "acme"}).String(), CSV, Placements, DecodeOptions{}, []where{{3, "provider"}}},
		{"placement provider zero", placementSheet(1).with(0, map[string]string{"provider": "0"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "provider"}}},
		{"Foster says not whose", placementSheet(1).with(0, map[string]string{"placementType": "Foster"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "placementType"}}},
		{"bad vacancies", placementSheet(1).with(0, map[string]string{"vacancies": "2026-01-01;tomorrow;2026-01-02:booked;2026-01-03:filled:x"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "vacancies"}, {2, "vacancies"}, {2, "vacancies"}}},
		{"filled vacancy without child", placementSheet(1).with(0, map[string]string{"vacancies": "2026-01-01:filled"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "vacancies"}}},
		{"more vacancies than places", placementSheet(1).with(0, map[string]string{"vacancies": "2026-01-01;2026-01-01;2026-01-01"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "vacancies"}}},
		{"kinship without connected children", placementSheet(1).with(0, map[string]string{"placementType": "kinship"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "connected_to"}}},
		{"connected child not an ID", placementSheet(1).with(0, map[string]string{"placementType": "kinship", "connected_to": "12;-3"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "connected_to"}}},
		{"member age", placementSheet(1).with(0, map[string]string{"member2_age": "old", "member2_sex": "male", "member2_role": "adult"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "member2_age"}}},
		{"placed child with a name", placementSheet(1).with(0, map[string]string{"member1_first_name": "Kim", "member1_age": "9", "member1_sex": "female", "member1_role": "placed_child"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "member1_first_name"}}},
		{"family placement without carers", placementSheet(1).with(0, map[string]string{"carer1_first_name": ""}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "carer1_first_name"}}},
		{"ages reversed", placementSheet(1).with(0, map[string]string{"min_age": "12", "max_age": "5"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "max_age"}}},
		{"huge number", placementSheet(1).with(0, map[string]string{"totalWeeklyCost": "99999999999999999999"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "totalWeeklyCost"}}},
		{"cost too high", placementSheet(1).with(0, map[string]string{"totalWeeklyCost": "60000"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "totalWeeklyCost"}}},
		{"cost missing", placementSheet(1).without("totalWeeklyCost").String(), CSV, Placements, DecodeOptions{}, []where{{1, "totalWeeklyCost"}}},
		{"no purposes", placementSheet(1).with(0, map[string]string{"purposes": ""}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "purposes"}}},
		{"duplicate placement ids", placementSheet(2).with(1, map[string]string{"id": "p1"}).String(), CSV, Placements, DecodeOptions{}, []where{{3, "id"}}},
		{"bad ofsted", placementSheet(1).with(0, map[string]string{"ofsted": "brilliant"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "ofsted"}}},
		{"bad language", placementSheet(1).with(0, map[string]string{"languages": "en;english"}).String(), CSV, Placements, DecodeOptions{}, []where{{2, "languages"}}},

		// JSON, children
		{"json empty", "  ", JSON, Children, DecodeOptions{}, []where{{0, ""}}},
		{"json not an object", "[]", JSON, Children, DecodeOptions{}, []where{{0, ""}}},
		{"json malformed", `{"children": [`, JSON, Children, DecodeOptions{}, []where{{0, ""}}},
		{"json syntax error", `{"children": [}`, JSON, Children, DecodeOptions{}, []where{{0, ""}}},
		{"json no children", `{"children": []}`, JSON, Children, DecodeOptions{}, []where{{0, "children"}}},
		{"json unknown top-level field", `{"people": []}`, JSON, Children, DecodeOptions{}, []where{{0, "people"}}},
		{"json trailing data", `{"children": []} {}`, JSON, Children, DecodeOptions{}, []where{{0, ""}}},
		{"json unknown field", jsonChildren(`"favourite": "blue"`), JSON, Children, DecodeOptions{}, []where{{1, "favourite"}}},
		{"json unknown nested field", jsonChildren(`"contacts": [{"relationship": "mother", "location": {"lat": 53.4, "lng": -2.2}, "frequency": "weekly", "safe": true},
			{"relationship": "father", "location": {"lat": 53.4, "lng": -2.2, "name": "x"}, "frequency": "weekly", "safe": true}]`), JSON, Children, DecodeOptions{}, []where{{1, "contacts[1].location.name"}}},
		{"json unknown field in a placement", jsonPlacements(`"household": {"carers": [{"first_name": "Jo", "age": 40}]}`, ``), JSON, Placements, DecodeOptions{}, []where{{1, "household.carers[0].age"}}},
		{"json record not an object", `{"children": [3]}`, JSON, Children, DecodeOptions{}, []where{{1, ""}}},
		{"json wrong type", jsonChildren(`"home": {"lat": "north", "lng": -2.2}`), JSON, Children, DecodeOptions{}, []where{{1, "home.lat"}}},
		{"json wrong type deep in a list", jsonChildren(`"contacts": [{"relationship": "mother", "location": {"lat": 53.4, "lng": -2.2}, "frequency": "weekly", "safe": true},
			{"relationship": "father", "location": {"lat": 53.4, "lng": "west"}, "frequency": "weekly", "safe": true}]`), JSON, Children, DecodeOptions{}, []where{{1, "contacts[1].location.lng"}}},
		{"json number out of range", jsonChildren(`"siblingCount": 1e99`), JSON, Children, DecodeOptions{}, []where{{1, "siblingCount"}}},
		{"json float for a whole number", jsonChildren(`"needs": [{"kind": "trauma", "level": 1.5}]`), JSON, Children, DecodeOptions{}, []where{{1, "needs[0].level"}}},
		{"json level out of range", jsonChildren(`"needs": [{"kind": "trauma", "level": 7}]`), JSON, Children, DecodeOptions{}, []where{{1, "needs[0].level"}}},
		{"json bad date", jsonChildren(`"neededBy": "01/02/2026"`), JSON, Children, DecodeOptions{}, []where{{1, "neededBy"}}},
		{"json coordinates out of range", jsonChildren(`"home": {"lat": 0, "lng": 5}`), JSON, Children, DecodeOptions{}, []where{{1, "home.lat"}, {1, "home.lng"}}},
		{"json home missing", jsonChildren(`"home": null`), JSON, Children, DecodeOptions{}, []where{{1, "home"}}},
		{"json missing group", jsonChildren(`"sibling_group": "g9"`), JSON, Children, DecodeOptions{}, []where{{1, "sibling_group"}}},
		{"json duplicate ids", `{"children": [` + childJSON(`"id": 5`) + `,` + childJSON(`"id": "5"`) + `]}`, JSON, Children, DecodeOptions{}, []where{{2, "id"}}},
		{"json key of a bad type", jsonChildren(`"id": true`), JSON, Children, DecodeOptions{}, []where{{1, "id"}}},
		{"json bad group", `{"children": [` + childJSON(`"sibling_group": "g1"`) + `], "sibling_groups": [{"id": "g1", "plan": "sometimes"}, {"id": "g1"}, {"plan": "apart"}]}`,
			JSON, Children, DecodeOptions{}, []where{{1, "sibling_groups.plan"}, {2, "sibling_groups.id"}, {3, "sibling_groups.id"}}},
		{"json invalid UTF-8", jsonChildren(`"contacts": [{"name": "M` + "\xff" + `um", "relationship": "mother", "location": {"lat": 53.4, "lng": -2.2}, "frequency": "weekly", "safe": true}]`),
			JSON, Children, DecodeOptions{}, []where{{1, "contacts[0].name"}}},
		{"json contact without a type", jsonChildren(`"contacts": [{"relationship": "mother", "location": {"lat": 53.4, "lng": -2.2}, "frequency": "weekly"}]`),
			JSON, Children, DecodeOptions{}, []where{{1, "contacts[0].type"}}},
		{"json circle without centre", jsonChildren(`"exclusion_zones": [{"shape": "circle", "radius_km": 2}]`), JSON, Children, DecodeOptions{}, []where{{1, "exclusion_zones[0].centre"}}},
		{"json bad list item", jsonChildren(`"allergies": ["dog", "unicorn"]`), JSON, Children, DecodeOptions{}, []where{{1, "allergies[1]"}}},
		{"json too many records", `{"children": [` + childJSON(``) + `,` + childJSON(``) + `]}`, JSON, Children, DecodeOptions{MaxRows: 1}, []where{{0, ""}}},
		{"json officer's council", jsonChildren(`"council": "E10000016"`), JSON, Children, DecodeOptions{Council: "E08000003"}, []where{{1, "council"}}},
		{"json every bad record", `{"children": [` + childJSON(`"sex": "?"`) + `,` + childJSON(``) + `,` + childJSON(`"bogus": 1`) + `]}`,
			JSON, Children, DecodeOptions{}, []where{{1, "sex"}, {3, "bogus"}}},

		// JSON, placements
		{"json provider key missing", jsonPlacements(`"provider": "acme"`, ``), JSON, Placements, DecodeOptions{}, []where{{1, "provider"}}},
		{"json provider of a bad type", jsonPlacements(`"provider": true`, ``), JSON, Placements, DecodeOptions{}, []where{{1, "provider"}}},
		{"json provider negative", jsonPlacements(`"provider": -4`, ``), JSON, Placements, DecodeOptions{}, []where{{1, "provider"}}},
		{"json provider numeric id", jsonPlacements(`"provider": 1`, `{"id": 1, "name": "Acme", "kind": "agency"}`), JSON, Placements, DecodeOptions{}, []where{{1, "providers.id"}}},
		{"json bad provider", jsonPlacements(`"provider": "p1"`, `{"id": "p1", "name": "", "kind": "council"}`), JSON, Placements, DecodeOptions{},
			[]where{{1, "providers.name"}, {1, "providers.council"}}},
		{"json approval missing", jsonPlacements(`"approval": null`, ``), JSON, Placements, DecodeOptions{}, []where{{1, "approval"}, {1, "approval.from"}, {1, "approval.until"}}},
		{"json vacancy bad", jsonPlacements(`"vacancies": [{"available_from": "2026-01-01", "status": "held"}, {"available_from": "2026-13-01"}]`, ``),
			JSON, Placements, DecodeOptions{}, []where{{1, "vacancies[0].child"}, {1, "vacancies[1].available_from"}}},
		{"json connected child negative", jsonPlacements(`"placementType": "kinship", "connected_to": [-1]`, ``), JSON, Placements, DecodeOptions{},
			[]where{{1, "connected_to[0]"}}},
		{"json cost missing", jsonPlacements(`"totalWeeklyCost": null`, ``), JSON, Placements, DecodeOptions{}, []where{{1, "totalWeeklyCost"}}},
		{"json no placements", `{"providers": []}`, JSON, Placements, DecodeOptions{}, []where{{0, "placements"}}},
	}
}

// TestDecodeTooLarge: a file over the limit is refused whole with a *TooLargeError, not a
// list of problems (the API answers it 413), as is one whose reader says it is too large; a
// file of exactly the limit is read.
func TestDecodeTooLarge(t *testing.T) {
	t.Parallel()
	csvFile, jsonFile := childSheet(50).String(), jsonChildren(``)
	for _, tc := range []struct {
		name string
		in   io.Reader
		f    Format
		max  int64
	}{
		{"csv", strings.NewReader(csvFile), CSV, 1000},
		{"json", strings.NewReader(jsonFile), JSON, 100},
		{"a reader with a limit of its own", io.MultiReader(strings.NewReader(csvFile[:500]), iotest.ErrReader(ErrTooLarge)), CSV, 0},
	} {
		b, err := Decode(tc.in, tc.f, Children, DecodeOptions{MaxBytes: tc.max})
		var tl *TooLargeError
		if !errors.As(err, &tl) || !errors.Is(err, ErrTooLarge) || errors.Is(err, catalogue.ErrInvalid) || b.Len() != 0 {
			t.Errorf("%s: %v (%T), %d records; want a *TooLargeError and nothing", tc.name, err, err, b.Len())
		}
	}
	for _, f := range []struct {
		in string
		f  Format
	}{{csvFile, CSV}, {jsonFile, JSON}} {
		if _, err := Decode(strings.NewReader(f.in), f.f, Children, DecodeOptions{MaxBytes: int64(len(f.in))}); err != nil {
			t.Errorf("%s of exactly the limit: %v", f.f, err)
		}
	}
}

func TestDecodeBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range badCases() {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Decode(strings.NewReader(tc.in), tc.f, tc.k, tc.opt)
			var ve *catalogue.Error
			if !errors.As(err, &ve) || !errors.Is(err, catalogue.ErrInvalid) {
				t.Fatalf("got %v (%T), want a *catalogue.Error", err, err)
			}
			if b.Len() != 0 {
				t.Errorf("a failed decode returned %d records", b.Len())
			}
			for _, fe := range ve.Fields {
				if fe.Message == "" {
					t.Errorf("%v has no message", fe)
				}
			}
			if d := gocmp.Diff(sortWhere(tc.want), sortWhere(places(err))); d != "" {
				t.Errorf("problems found (-want +got):\n%s\n%v", d, err)
			}
		})
	}
}

func missing(cols []string) []where {
	out := make([]where, len(cols))
	for i, c := range cols {
		out[i] = where{1, c}
	}
	return out
}

func sortWhere(ws []where) []where {
	ws = slices.Clone(ws)
	slices.SortFunc(ws, func(a, b where) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return strings.Compare(a.Field, b.Field)
	})
	return ws
}

// childJSON is a valid child record with extra (or overriding: later keys win) fields.
func childJSON(extra string) string {
	base := `"council": "E08000003", "first_name": "Amy", "date_of_birth": "2014-03-09", "sex": "female",
		"ethnicity": "WBRI", "religion": "none", "first_language": "en", "legal_status": "care_order",
		"care_type": "family_foster", "purpose": "long_term", "neededBy": "2026-02-01",
		"home": {"lat": 53.48, "lng": -2.24}, "livingCompanions": "no_preference", "pets": "can"`
	if extra != "" {
		base += ", " + extra
	}
	return "{" + base + "}"
}

func jsonChildren(extra string) string { return `{"children": [` + childJSON(extra) + `]}` }

func jsonPlacements(extra, providers string) string {
	base := `"placementType": "agency_foster", "provider": 4, "name": "The Bakers", "council": "E06000023",
		"area_name": "Bristol", "location": {"lat": 51.45, "lng": -2.58},
		"approval": {"min_age": 0, "max_age": 18, "max_children": 2, "purposes": ["long_term"], "from": "2026-01-01", "until": "2027-01-01"},
		"household": {"carers": [{"first_name": "Jo"}]}, "totalWeeklyCost": 820`
	if extra != "" {
		base += ", " + extra
	}
	return `{"placements": [{` + base + `}], "providers": [` + providers + `]}`
}

func TestDecodeGood(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		in    string
		f     Format
		k     Kind
		opt   DecodeOptions
		check func(t *testing.T, b catalogue.Batch)
	}{
		{"PDS categories", childSheet(1).with(0, map[string]string{
			"livingCompanions": "Only with other older children", "pets": "Yes - must", "sex": "F",
			"specificCommunicationRequirements": "None", "riskToOthersPhysical": "Risk Present", "riskToOthersFire": "No known risk",
			"riskSexualExploitation": "Risk Present", "riskMissing": "No known risk", "needs": "trauma:high",
			"communicationNeeds": "N", "culturalNeeds": "Required", "referralOfficerName": "A. Officer",
		}).String(), CSV, Children, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
			c := b.Children[0]
			if c.Companions != catalogue.CompanionsOnlyOlder || c.Pets != catalogue.PetsMust || c.Sex != catalogue.Female {
				t.Errorf("PDS categories read as %q, %q, %q", c.Companions, c.Pets, c.Sex)
			}
			if c.Communication != nil {
				t.Errorf("None read as %v", c.Communication)
			}
			if !slices.Equal(c.RisksToOthers, []catalogue.RiskToOthers{catalogue.RiskPhysical}) {
				t.Errorf("risks read as %v", c.RisksToOthers)
			}
			want := []catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelHigh}, {Kind: catalogue.NeedExploitationCSE, Level: catalogue.LevelMedium}}
			if !slices.Equal(c.Needs, want) {
				t.Errorf("needs read as %v, want %v", c.Needs, want)
			}
		}},
		{"PDS neededBy and UK dates", childSheet(3).
			with(0, map[string]string{"neededBy": "Today", "referralDate": "05/01/2026"}).
			with(1, map[string]string{"neededBy": "in less than 5 days", "referralDate": "2026-01-05"}).
			with(2, map[string]string{"neededBy": "In more than 5 days", "referralDate": "2026-01-05", "date_of_birth": "9/3/2014"}).String(),
			CSV, Children, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
				for i, want := range []time.Time{day(2026, 1, 5), day(2026, 1, 9), day(2026, 1, 11)} {
					if got := b.Children[i].NeededBy; !got.Equal(want) {
						t.Errorf("row %d: neededBy %v, want %v", i+2, got, want)
					}
				}
				if got := b.Children[2].DateOfBirth; !got.Equal(day(2014, 3, 9)) {
					t.Errorf("9/3/2014 read as %v", got)
				}
			}},
		{"header in any case, with a BOM, and council names", "\uFEFF" + strings.ToUpper(strings.Join(childHeader, ",")) + "\n" +
			"c1,manchester,Amy,2014-03-09,Female,wbri,None,EN,Care Order,Family foster,Long-term,2026-02-01,53.48,-2.24,No preference,Yes - can\n",
			CSV, Children, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
				c := b.Children[0]
				if c.Council != "E08000003" || c.Ethnicity != "WBRI" || c.FirstLanguage != "en" || c.LegalStatus != catalogue.LegalCareOrder ||
					c.CareType != catalogue.CareFamilyFoster || c.Purpose != catalogue.PurposeLongTerm || c.Pets != catalogue.PetsCan {
					t.Errorf("read as %+v", c)
				}
			}},
		{"officer's import fills the council", childSheet(2).without("council").
			with(0, map[string]string{"sibling_group": "g"}).with(1, map[string]string{"sibling_group": "g", "sibling_plan": "together_if_possible", "siblingCount": "1"}).String(),
			CSV, Children, DecodeOptions{Council: "E08000003"}, func(t *testing.T, b catalogue.Batch) {
				want := catalogue.SiblingGroup{ID: -1, Council: "E08000003", Plan: catalogue.PlanTogetherIfPossible}
				if d := gocmp.Diff([]catalogue.SiblingGroup{want}, b.SiblingGroups); d != "" {
					t.Error(d)
				}
				for _, c := range b.Children {
					if c.Council != "E08000003" || c.SiblingGroup != -1 || c.Status != catalogue.ChildWaiting {
						t.Errorf("child %d: council %q, group %d, status %q", c.ID, c.Council, c.SiblingGroup, c.Status)
					}
				}
			}},
		{"group plan defaults to together", childSheet(2).with(0, map[string]string{"sibling_group": "g"}).with(1, map[string]string{"sibling_group": "g"}).String(),
			CSV, Children, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
				if len(b.SiblingGroups) != 1 || b.SiblingGroups[0].Plan != catalogue.PlanTogether {
					t.Errorf("groups %+v", b.SiblingGroups)
				}
			}},
		{"rows without an id column are keyed in order", childSheet(3).without("id").String(), CSV, Children, DecodeOptions{},
			func(t *testing.T, b catalogue.Batch) {
				for i, c := range b.Children {
					if c.ID != catalogue.ChildID(-(i + 1)) {
						t.Errorf("child %d has key %d", i, c.ID)
					}
				}
			}},
		{"blank ids are allowed", childSheet(3).with(0, map[string]string{"id": ""}).with(2, map[string]string{"id": " "}).String(), CSV, Children, DecodeOptions{},
			func(t *testing.T, b catalogue.Batch) {
				if len(b.Children) != 3 {
					t.Errorf("%d children", len(b.Children))
				}
			}},
		{"contacts and zones with gaps", childSheet(1).with(0, map[string]string{
			"contact3_relationship": "mother", "contact3_lat": "53.4", "contact3_lng": "-2.2", "contact3_frequency": "weekly", "contact3_safe": "no",
			"zone2_vertices": "53.4,-2.2; 53.5,-2.1; 53.45,-2.3", "zone2_reason": "'=hotspot",
		}).String(), CSV, Children, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
			c := b.Children[0]
			if len(c.Contacts) != 1 || c.Contacts[0].Relationship != catalogue.RelMother || c.Contacts[0].Type != catalogue.ContactSupervised || !c.Contacts[0].MustNotKnow {
				t.Errorf("contacts %+v", c.Contacts)
			}
			if len(c.ExclusionZones) != 1 || c.ExclusionZones[0].Shape != catalogue.ZonePolygon || len(c.ExclusionZones[0].Vertices) != 3 ||
				c.ExclusionZones[0].Reason != "=hotspot" {
				t.Errorf("zones %+v", c.ExclusionZones)
			}
		}},
		{"placement defaults", placementSheet(1).String(), CSV, Placements, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
			p := b.Placements[0]
			if !p.Active || p.Provider != 4 || p.ID != -1 || len(p.Household.Carers) != 1 {
				t.Errorf("read as %+v", p)
			}
		}},
		{"PDS placement types", placementSheet(2).with(0, map[string]string{"placementType": "Residential", "carer1_first_name": "", "ofsted": "Requires improvement to be good",
			"max_age": "17", "approval_from": "", "approval_until": "", "registration": "registered", "providerURN": "SC1"}).
			with(1, map[string]string{"placementType": "Supported Accommodation", "carer1_first_name": "", "min_age": "16",
				"approval_from": "", "approval_until": "", "registration": "none"}).String(),
			CSV, Placements, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
				if b.Placements[0].Kind != catalogue.ChildrensHome || b.Placements[1].Kind != catalogue.SupportedAccommodation ||
					b.Placements[0].Ofsted != catalogue.OfstedRequiresImprovement {
					t.Errorf("read as %q, %q, %q", b.Placements[0].Kind, b.Placements[1].Kind, b.Placements[0].Ofsted)
				}
			}},
		{"json providers in the file", `{"placements": [` +
			strings.TrimSuffix(strings.TrimPrefix(jsonPlacements(`"placementType": "Foster", "provider": "mcr"`, ``), `{"placements": [`), `], "providers": []}`) + `,` +
			strings.TrimSuffix(strings.TrimPrefix(jsonPlacements(`"placementType": "Foster", "provider": "acme"`, ``), `{"placements": [`), `], "providers": []}`) + `,` +
			strings.TrimSuffix(strings.TrimPrefix(jsonPlacements(`"provider": 12`, ``), `{"placements": [`), `], "providers": []}`) +
			`], "providers": [{"id": "acme", "name": "Acme Fostering", "kind": "agency", "urn": "SC9"}, {"id": "mcr", "name": "Manchester Fostering", "kind": "council", "council": "Manchester"}]}`,
			JSON, Placements, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
				wantProv := []catalogue.Provider{
					{ID: -1, Name: "Acme Fostering", Kind: catalogue.ProviderAgency, URN: "SC9"},
					{ID: -2, Name: "Manchester Fostering", Kind: catalogue.ProviderCouncil, Council: "E08000003"},
				}
				if d := gocmp.Diff(wantProv, b.Providers); d != "" {
					t.Error(d)
				}
				got := [][2]any{}
				for _, p := range b.Placements {
					got = append(got, [2]any{p.Provider, p.Kind})
				}
				want := [][2]any{{catalogue.ProviderID(-2), catalogue.CouncilFoster}, {catalogue.ProviderID(-1), catalogue.AgencyFoster}, {catalogue.ProviderID(12), catalogue.AgencyFoster}}
				if d := gocmp.Diff(want, got); d != "" {
					t.Error(d)
				}
			}},
		{"json keys as numbers or strings", `{"children": [` + childJSON(`"id": 1, "sibling_group": 7, "childId": 123`) + `,` + childJSON(`"id": "2", "sibling_group": "7", "childId": "124"`) +
			`], "sibling_groups": [{"id": 7}]}`, JSON, Children, DecodeOptions{}, func(t *testing.T, b catalogue.Batch) {
			if len(b.SiblingGroups) != 1 || b.Children[0].SiblingGroup != -1 || b.Children[1].SiblingGroup != -1 ||
				b.Children[0].CaseRef != "123" || b.SiblingGroups[0].Council != "E08000003" {
				t.Errorf("read as %+v", b)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Decode(strings.NewReader(tc.in), tc.f, tc.k, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, b)
		})
	}
}

// TestDecodeStripsFormulaEscape checks that a text cell escaped by a spreadsheet-safe export
// comes back without its quote, and that a cell a person wrote with a leading quote before an
// ordinary character keeps it.
func TestDecodeStripsFormulaEscape(t *testing.T) {
	t.Parallel()
	in := childSheet(2).with(0, map[string]string{"first_name": "'=Amy", "childId": "'-7"}).
		with(1, map[string]string{"first_name": "'Amy"}).String()
	b, err := Decode(strings.NewReader(in), CSV, Children, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{b.Children[0].FirstName, b.Children[0].CaseRef, b.Children[1].FirstName}; !slices.Equal(got, []string{"=Amy", "-7", "'Amy"}) {
		t.Errorf("read as %q", got)
	}
}
