package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestReferralExchangeAccess: past referrals are imported and exported by administrators
// (every council's) and officers (their council's children's); every other caller is refused.
// An officer of another council is told Amy is no such child, by row and column, and nothing
// is written; an export shows each officer only their own council's referrals and never the
// providers' words.
func TestReferralExchangeAccess(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	sent := today.AddDate(0, 0, -20).Format("2006-01-02")
	answered := today.AddDate(0, 0, -19).Format("2006-01-02")
	file := func(child catalogue.ChildID) string {
		return "child,placement,referralDate,status,outcome,answered_at,decline_reason,note\n" +
			fmt.Sprintf("%d,%d,%s,declined,declined,%s,other,\"=the home is full, and Amy's needs...\"\n", child, f.place.ID, sent, answered)
	}
	importByEveryCaller(t, f, "referrals", file(f.amy.ID), "note")
	// Leeds's officer imports Leo's.
	if r := f.do("leedsOfficer", "POST", "/v1/import/referrals?format=csv", file(f.leo.ID)); r.status != 201 {
		t.Fatalf("Leeds's officer imports Leo's referral: %d %s", r.status, r.body)
	}
	rows := map[string]int{"admin": 3, "officer": 2, "leedsOfficer": 1}
	for _, who := range callers {
		r := f.do(who, "GET", "/v1/export/referrals?format=csv", nil)
		n, ok := rows[who]
		if !ok {
			if r.status != 401 && r.status != 403 {
				t.Errorf("%s exports referrals: %d, want refused", who, r.status)
			}
			continue
		}
		body := string(r.body)
		if r.status != 200 || strings.Count(body, "\n") != n+1 {
			t.Errorf("%s exports referrals: %d, %d lines, want %d referrals:\n%s", who, r.status, strings.Count(body, "\n")-1, n, body)
		}
		if strings.Contains(body, "full") || strings.Contains(body, "Amy") {
			t.Errorf("%s's export carries the provider's words:\n%s", who, body)
		}
	}
	// A bad file is refused whole, every bad row named.
	bad := file(f.amy.ID) + fmt.Sprintf("%d,%d,%s,sent,,,,\n", f.amy.ID, f.place.ID, sent) + fmt.Sprintf("%d,999999,%s,expired,,,,\n", f.amy.ID, sent)
	r := f.do("officer", "POST", "/v1/import/referrals?format=csv", bad)
	if r.status != 400 || !strings.Contains(string(r.body), `"row":3,"field":"status"`) {
		t.Fatalf("a bad file: %d %s", r.status, r.body)
	}
	r = f.do("officer", "POST", "/v1/import/referrals?format=csv", file(f.amy.ID)+fmt.Sprintf("%d,999999,%s,expired,,,,\n", f.amy.ID, sent))
	if r.status != 400 || !strings.Contains(string(r.body), `"row":3,"field":"placement"`) {
		t.Fatalf("a file naming no such home: %d %s", r.status, r.body)
	}
	if r := f.do("officer", "GET", "/v1/export/referrals?format=json", nil); r.status != 200 || strings.Count(string(r.body), `"child"`) != 2 {
		t.Fatalf("after the refused files, the officer's export: %d %s", r.status, r.body)
	}
}

// importByEveryCaller imports a file naming Amy as every caller: administrators and Amy's
// council's officer write its one record (and are told the one column not kept), Leeds's
// officer is told Amy is no such child at row 2, every other caller is refused.
func importByEveryCaller(t *testing.T, f *fixture, kind, file, notKept string) {
	t.Helper()
	want := map[string]int{"": 401, "admin": 201, "officer": 201, "leedsOfficer": 400, "commissioner": 403,
		"provider": 403, "otherProvider": 403, "manager": 403, "leedsManager": 403,
		"iro": 403, "leedsIro": 403, "advocate": 403, "leedsAdvocate": 403}
	for _, who := range callers {
		r := f.do(who, "POST", "/v1/import/"+kind+"?format=csv", file)
		if r.status != want[who] {
			t.Fatalf("%s imports Amy's %s: %d, want %d: %s", who, kind, r.status, want[who], r.body)
		}
		switch r.status {
		case 201:
			var res map[string]any
			var nk struct {
				NotKept []struct{ Field string } `json:"not_kept"`
			}
			if json.Unmarshal(r.body, &res) != nil || json.Unmarshal(r.body, &nk) != nil || res["kind"] != kind || res[kind] != 1.0 ||
				len(nk.NotKept) != 1 || nk.NotKept[0].Field != notKept {
				t.Fatalf("%s: import result %s", who, r.body)
			}
		case 400:
			var p struct {
				Errors []catalogue.FieldError `json:"errors"`
			}
			if err := json.Unmarshal(r.body, &p); err != nil || len(p.Errors) != 1 || p.Errors[0].Row != 2 ||
				p.Errors[0].Field != "child" || p.Errors[0].Message != "no such child" {
				t.Fatalf("%s: refusal %s, want row 2 child no such child", who, r.body)
			}
		}
	}
}
