package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// The database unreachable under a running service (issue 14): 503 with Retry-After, not 500.

// logLevels counts the log lines at each level and returns the request lines' statuses.
func logLevels(t *testing.T, logs string) (levels map[string]int, statuses []int) {
	t.Helper()
	levels = map[string]int{}
	for line := range strings.Lines(logs) {
		var l struct {
			Level  string `json:"level"`
			Msg    string `json:"msg"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		levels[l.Level]++
		if l.Msg == "request" {
			statuses = append(statuses, l.Status)
		}
	}
	return levels, statuses
}

// TestDatabaseDownIs503: with PostgreSQL stopped under a running service, /v1 answers 503
// problem+json with Retry-After (authentication included, for a token looked up before the
// stop and for one never seen), as do readiness, an idempotent POST and a child's link; no
// request is logged as an error; once PostgreSQL is back the same requests succeed.
func TestDatabaseDownIs503(t *testing.T) {
	t.Parallel()
	pg := sqltest.OwnCluster(t)
	f := &offerFixture{fixture: newFixture(t, pg.Store(t)), tt: t, logs: &syncBuffer{}}
	f.restart(0)
	f.want(f.do("officer", "GET", "/v1/children", nil), 200) // the officer's token is now cached

	pg.Stop(t)
	for _, c := range []struct{ who, method, path string }{
		{"officer", "GET", "/v1/children"},
		{"officer", "GET", "/v1/children/" + id(f.amy.ID)},
		{"commissioner", "GET", "/v1/me"}, // never looked up: authentication needs the database
		{"admin", "GET", "/v1/audit"},
		{"officer", "POST", "/v1/children/" + id(f.amy.ID) + "/offers"},
		{"", "GET", "/readyz"},
	} {
		r := f.do(c.who, c.method, c.path, nil)
		if r.status != http.StatusServiceUnavailable {
			t.Errorf("%s %s (%s) with the database down: %d, want 503: %s", c.method, c.path, c.who, r.status, r.body)
			continue
		}
		r.problem(t)
		if r.header.Get("Retry-After") == "" {
			t.Errorf("%s %s: 503 without Retry-After", c.method, c.path)
		}
	}
	if r := f.doWithKey("officer", "POST", "/v1/children", "down-1", map[string]any{}); r.status != http.StatusServiceUnavailable {
		t.Errorf("an idempotent POST with the database down: %d, want 503", r.status)
	}
	r := f.visitor("192.0.2.80").do("GET", "/c/pmc_SOMETHING", nil)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("a child's link with the database down: %d, want 503 with Retry-After", r.status)
	}
	wantChildHeaders(t, r)
	if levels, _ := logLevels(t, f.logs.String()); levels["ERROR"] > 0 {
		t.Errorf("the database being down was logged as a server error:\n%s", f.logs.String())
	}

	pg.Start(t)
	for _, who := range []string{"officer", "commissioner"} {
		f.want(f.do(who, "GET", "/v1/me", nil), 200)
	}
	f.want(f.do("officer", "GET", "/v1/children", nil), 200)
	f.want(f.do("", "GET", "/readyz", nil), 200)
}
