package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestNetworkExchangeAccess: family networks are imported and exported by administrators
// (every council's) and officers (their council's children's); every other caller is refused.
// An officer of another council is told Amy is no such child, by row and column, and nothing
// is written; an export shows each officer only their own council's children's networks, and
// never where a member lives.
func TestNetworkExchangeAccess(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	due := today.AddDate(0, 0, 10).Format("2006-01-02")
	file := func(child catalogue.ChildID) string {
		return "child,name,relationship,named_by,assessment_due,outcome,caring,latitude\n" +
			fmt.Sprintf("%d,Nan,grandparent,family_group_conference,%s,pending,special_guardianship_order,53.4\n", child, due)
	}
	importByEveryCaller(t, f, "family_network", file(f.amy.ID), "latitude")
	if r := f.do("leedsOfficer", "POST", "/v1/import/family_network?format=csv", file(f.leo.ID)); r.status != 201 {
		t.Fatalf("Leeds's officer imports Leo's family network: %d %s", r.status, r.body)
	}
	rows := map[string]int{"admin": 3, "officer": 2, "leedsOfficer": 1}
	for _, who := range callers {
		r := f.do(who, "GET", "/v1/export/family_network?format=csv", nil)
		n, ok := rows[who]
		if !ok {
			if r.status != 401 && r.status != 403 {
				t.Errorf("%s exports family networks: %d, want refused", who, r.status)
			}
			continue
		}
		body := string(r.body)
		if r.status != 200 || strings.Count(body, "\n") != n+1 || strings.Contains(body, "53.4") {
			t.Errorf("%s exports family networks: %d, %d lines, want %d members and no place:\n%s", who, r.status, strings.Count(body, "\n")-1, n, body)
		}
	}
	// A bad file is refused whole, every bad row named.
	bad := file(f.amy.ID) + fmt.Sprintf("%d,Grandad,grandparent,family,%s,not_passed,,\n", f.amy.ID, due)
	if r := f.do("officer", "POST", "/v1/import/family_network?format=csv", bad); r.status != 400 || !strings.Contains(string(r.body), `"row":3,"field":"outcome_on"`) {
		t.Fatalf("a bad file: %d %s", r.status, r.body)
	}
	if r := f.do("officer", "GET", "/v1/export/family_network?format=json", nil); r.status != 200 || strings.Count(string(r.body), `"child"`) != 2 {
		t.Fatalf("after the refused file, the officer's export: %d %s", r.status, r.body)
	}
}

// TestStayingPutExchange: an officer records Staying Put for their council's young people from
// a file, on each one's current placement, and exports it back; a file naming a child of
// another council (Leeds's officer) is refused by row and column; a child with no placement
// going on is named too, and nothing is written.
func TestStayingPutExchange(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	amy := fmt.Sprintf("/v1/children/%d", f.amy.ID)
	file := fmt.Sprintf("child,staying_put,agreed_on\n%d,agreed,2026-07-02\n", f.amy.ID)
	if r := f.do("officer", "POST", "/v1/import/staying_put?format=csv", file); r.status != 400 || !strings.Contains(string(r.body), `"row":2,"field":"child"`) {
		t.Fatalf("Amy with no placement going on: %d %s", r.status, r.body)
	}
	f.want(f.do("officer", "POST", amy+"/episodes", map[string]any{"start": "2026-07-01", "setting": "council_foster"}), 201)
	if r := f.do("leedsOfficer", "POST", "/v1/import/staying_put?format=csv", file); r.status != 400 || !strings.Contains(string(r.body), "no such child") {
		t.Fatalf("Leeds's officer records Amy's Staying Put: %d %s", r.status, r.body)
	}
	for _, who := range []string{"commissioner", "provider", "manager"} {
		if r := f.do(who, "POST", "/v1/import/staying_put?format=csv", file); r.status != 403 {
			t.Errorf("%s records Staying Put: %d, want 403", who, r.status)
		}
	}
	if r := f.do("officer", "POST", "/v1/import/staying_put?format=csv", file); r.status != 201 || !strings.Contains(string(r.body), `"staying_put":1`) {
		t.Fatalf("the officer records Amy's Staying Put: %d %s", r.status, r.body)
	}
	if r := f.do("officer", "GET", "/v1/export/staying_put?format=csv", nil); r.status != 200 || string(r.body) != file {
		t.Errorf("the officer's export: %d\n%s\nwant\n%s", r.status, r.body, file)
	}
	if r := f.do("leedsOfficer", "GET", "/v1/export/staying_put?format=csv", nil); r.status != 200 || strings.Count(string(r.body), "\n") != 1 {
		t.Errorf("Leeds's officer's export: %d\n%s", r.status, r.body)
	}
}
