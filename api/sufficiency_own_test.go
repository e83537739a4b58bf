package api_test

import (
	"encoding/json"
	"testing"
)

// TestOwnCouncilFiguresUnwithheld: Manchester's officer and manager see Manchester's figures in
// full (the fixture's few children would be withheld as "c" in the published report), with
// own_council saying so; a national commissioner sees the published report; Leeds's officer
// sees Leeds's own figures and Manchester's withheld.
func TestOwnCouncilFiguresUnwithheld(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	type scopeRow struct {
		Area    struct{ Code string }
		Metrics map[string]json.RawMessage
	}
	read := func(who, council string) (own string, scope map[string]json.RawMessage) {
		t.Helper()
		r := f.do(who, "GET", "/v1/sufficiency?council="+council, nil)
		f.want(r, 200)
		var rep struct {
			OwnCouncil string `json:"own_council"`
			Areas      []scopeRow
		}
		r.json(t, &rep)
		if len(rep.Areas) == 0 || rep.Areas[0].Area.Code != council {
			t.Fatalf("%s: no row for %s: %.300s", who, council, r.body)
		}
		return rep.OwnCouncil, rep.Areas[0].Metrics
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
			t.Errorf("%s: own_council %q, want %s", who, own, manchester)
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
