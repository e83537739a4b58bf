package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/placematch/placematch/sufficiency"
)

// TestOwnCouncilFiguresUnwithheld: Manchester's officer and manager see Manchester's figures in
// full (the fixture's few children would be withheld as "c" in the published report), with
// own_area saying so; a national commissioner sees the published report; Leeds's officer
// sees Leeds's own figures and Manchester's withheld.
func TestOwnCouncilFiguresUnwithheld(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	read := func(who, council string) (own string, scope map[string]json.RawMessage) {
		t.Helper()
		own, _, scope = ownView(t, f, who, council)
		return own, scope
	}
	withheld := func(m map[string]json.RawMessage) []string {
		var out []string
		for k, v := range m {
			if string(v) == `"c"` {
				out = append(out, k)
			}
		}
		return out
	}
	own, pub := read("commissioner", string(manchester))
	if own != "" {
		t.Errorf("a national commissioner's report is for %q, want the published one", own)
	}
	if len(withheld(pub)) == 0 {
		t.Fatalf("the published figures of Manchester withhold nothing; the fixture should have small counts: %v", pub)
	}
	for _, who := range []string{"officer", "manager"} {
		own, m := read(who, string(manchester))
		if own != string(manchester) {
			t.Errorf("%s: own_area %q, want %s", who, own, manchester)
		}
		if w := withheld(m); len(w) > 0 {
			t.Errorf("%s sees their own council's %v withheld", who, w)
		}
		if string(m["waiting"]) == `"c"` || string(m["waiting"]) == "null" {
			t.Errorf("%s: children waiting %s", who, m["waiting"])
		}
	}
	if _, m := read("leedsOfficer", string(manchester)); len(withheld(m)) == 0 {
		t.Error("Leeds's officer sees Manchester's small counts")
	}
	// What-if and the planner stay the commissioner's.
	f.want(f.do("officer", "POST", "/v1/sufficiency/what-if", map[string]any{}), 403)
}

// TestRegionCommissioner: an administrator makes a token for the North West's commissioner (a
// regional care co-operative's); they see the region's and its councils' figures in full and
// Yorkshire's withheld. A region with a council, a region for an officer and a region that is not
// one are refused naming region.
func TestRegionCommissioner(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	const northWest = "E12000002"
	r := f.do("admin", "POST", "/v1/tokens", map[string]any{"label": "North West commissioning", "role": "commissioner", "region": northWest})
	f.want(r, 201)
	var tok struct{ Token, Region string }
	r.json(t, &tok)
	if tok.Region != northWest {
		t.Errorf("the token's region is %q", tok.Region)
	}
	f.tokens["northWest"] = tok.Token
	var me struct{ Region string }
	f.do("northWest", "GET", "/v1/me", nil).json(t, &me)
	if me.Region != northWest {
		t.Errorf("/v1/me says region %q", me.Region)
	}
	awaitOwnView(t, f, "northWest", string(manchester), northWest) // a token made after the report: prepared in the background
	for _, q := range []string{"?region=" + northWest, "?council=" + string(manchester)} {
		r := f.do("northWest", "GET", "/v1/sufficiency"+q, nil)
		f.want(r, 200)
		var rep struct {
			OwnArea string `json:"own_area"`
			Areas   []struct {
				Area    struct{ Code string }
				Metrics map[string]json.RawMessage
			}
		}
		r.json(t, &rep)
		if rep.OwnArea != northWest {
			t.Errorf("%s: own_area %q", q, rep.OwnArea)
		}
		for k, v := range rep.Areas[0].Metrics {
			if string(v) == `"c"` {
				t.Errorf("%s: %s of %s withheld from the region's commissioner", q, k, rep.Areas[0].Area.Code)
			}
		}
	}
	r = f.do("northWest", "GET", "/v1/sufficiency?council="+string(leeds), nil)
	f.want(r, 200)
	if !strings.Contains(string(r.body), `"waiting":"c"`) {
		t.Error("the North West's commissioner sees Leeds's small counts")
	}
	for _, body := range []map[string]any{
		{"label": "x", "role": "commissioner", "region": northWest, "council": string(manchester)},
		{"label": "x", "role": "officer", "region": northWest, "council": string(manchester)},
		{"label": "x", "role": "commissioner", "region": "E12000010"},
	} {
		r := f.do("admin", "POST", "/v1/tokens", body)
		f.want(r, 400)
		if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != "region" {
			t.Errorf("%v: %+v, want the field region", body, p)
		}
	}
}

// TestSufficiencyTablesAsCSV: each table of the report downloads as its own CSV, named for it;
// table is refused without format=csv and when it is not a table, naming table.
func TestSufficiencyTablesAsCSV(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	for _, table := range sufficiency.Tables {
		r := f.do("commissioner", "GET", "/v1/sufficiency?format=csv&council="+string(manchester)+"&table="+table, nil)
		f.want(r, 200)
		recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Errorf("%s: %v", table, err)
			continue
		}
		if cd := r.header.Get("Content-Disposition"); table != "areas" && !strings.Contains(cd, "sufficiency-"+table+".csv") {
			t.Errorf("%s: Content-Disposition %q", table, cd)
		}
	}
	for q, field := range map[string]string{"?table=equity": "table", "?format=csv&table=everything": "table"} {
		r := f.do("commissioner", "GET", "/v1/sufficiency"+q, nil)
		f.want(r, 400)
		if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != field {
			t.Errorf("%s: %+v, want the field %s", q, p, field)
		}
	}
}
