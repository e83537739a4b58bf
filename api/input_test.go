package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// The tests of this file attack the service's inputs (issue 14): text with control characters,
// reasons cut in the middle of a character, import files too large or too wrong.

// doWith is f.do with extra request headers.
func (f *fixture) doWith(who, method, path string, header map[string]string, body string) response {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// auditReasons returns the reasons of the audit entries about subject, oldest first.
func auditReasons(t *testing.T, st *sqlstore.Store, subject string) []string {
	t.Helper()
	page, err := st.ListAudit(t.Context(), catalogue.AuditFilter{Subject: subject, Limit: catalogue.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Reason)
	}
	return out
}

// TestReasonCutAtACharacter: X-Reason is kept to 200 bytes, cut before a character that would
// cross the limit, so a reason in any language is accepted (it was cut mid-character and the
// audit log refused it with a 400), on reads and on changes, on both stores.
func TestReasonCutAtACharacter(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		// 199 bytes of ASCII, then "é" (2 bytes) across the limit, then more.
		reason := strings.Repeat("r", 199) + "é review by Siân Jones"
		want := strings.Repeat("r", 199)
		subject := "child:" + id(f.amy.ID)

		r := f.doWith("officer", "GET", "/v1/children/"+id(f.amy.ID), map[string]string{"X-Reason": reason}, "")
		f.want(r, 200)
		// A whole reason within the limit keeps every character.
		welsh := "Adolygiad gan Siân — " + strings.Repeat("ŵ", 80) // 2 bytes each: 185 bytes in all
		f.want(f.doWith("officer", "GET", "/v1/children/"+id(f.amy.ID), map[string]string{"X-Reason": welsh}, ""), 200)
		// A change records the reason in the same transaction as the record.
		body := toJSON(t, f.amy)
		body["version"] = f.amy.Version
		body["first_name"] = "Amelia"
		r = f.doWith("officer", "PUT", "/v1/children/"+id(f.amy.ID), map[string]string{"X-Reason": reason}, mustJSON(t, body))
		f.want(r, 200)

		got := auditReasons(t, st, subject)
		if len(got) < 3 {
			t.Fatalf("audit reasons %q, want at least 3", got)
		}
		got = got[len(got)-3:]
		for i, w := range []string{want, welsh, want} {
			if got[i] != w {
				t.Errorf("audit entry %d: reason %q (%d bytes), want %q", i, got[i], len(got[i]), w)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPolicyWeightsBounded: weights are finite numbers from 0 to scoring.MaxWeight. Three
// weights of 1e308 summed to infinity, every share became 0, the cost cap passed and every score
// in the council was 0 (issue 14, item 9). Refused on both stores, nothing saved.
func TestPolicyWeightsBounded(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		var before struct{ Version int }
		f.do("admin", "GET", "/v1/policy", nil).json(t, &before)
		for _, weights := range []string{
			`{"needs":1e308,"school":1e308,"family":1e308}`,
			`{"needs":1000.5}`,
		} {
			r := f.do("admin", "PUT", "/v1/policy", `{"weights":`+weights+`,"note":"attack"}`)
			f.want(r, 400)
			wantField(t, r, "weights.needs")
		}
		// The bound itself is allowed.
		f.want(f.do("admin", "PUT", "/v1/policy", `{"weights":{"needs":1000},"note":"needs above all"}`), 200)
		var after struct{ Version int }
		f.do("admin", "GET", "/v1/policy", nil).json(t, &after)
		if after.Version != before.Version+1 {
			t.Errorf("policy version %d after one good change from %d", after.Version, before.Version)
		}
	})
}
