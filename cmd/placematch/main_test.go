package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// syncBuffer collects a command's output while the command runs.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testNow is the instant every test's service starts its clock at (PLACEMATCH_NOW), unless the
// test gives its own: no test depends on the day it runs.
const testNow = "2026-11-22T09:00:00Z"

func envFunc(vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok || k != envClock {
			return v
		}
		return testNow
	}
}

// testEnviron is the environment of a placematch started as a process by a test: this one's,
// with the clock set to testNow.
func testEnviron() []string { return append(os.Environ(), envClock+"="+testNow) }

var (
	urlLine   = regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	tokenLine = regexp.MustCompile(`(?m)^\s+(admin|officer|commissioner|provider|manager:\w+)\s+(pm_\S+)`)
	// accountLine is a demo account as serve prints it: its address, password and role.
	accountLine = regexp.MustCompile(`(?m)^\s+(\S+@demo\.placematch\.example)\s+(\S+)\s+\((\w+):`)
)

// startServe runs `serve` on :0 and waits for the URL and demo tokens on its output.
// Its logs are checked when the test ends: JSON lines with route templates, never a token.
func startServe(t *testing.T, vars map[string]string, args ...string) (url string, tokens map[string]string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), envFunc(vars), strings.NewReader(""), &out, &errOut)
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited early: %v\nstdout: %s\nstderr: %s", err, out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start\nstdout: %s\nstderr: %s", out.String(), errOut.String())
		}
	}
	time.Sleep(50 * time.Millisecond) // the tokens are printed just after the URL
	tokens = map[string]string{}
	for _, m := range tokenLine.FindAllStringSubmatch(out.String(), -1) {
		tokens[m[1]] = m[2]
	}
	// The demo's accounts, as "account:ROLE" -> "EMAIL PASSWORD"; "account add" when serve says
	// how to make one instead.
	for _, m := range accountLine.FindAllStringSubmatch(out.String(), -1) {
		tokens["account:"+m[3]] = m[1] + " " + m[2]
	}
	if strings.Contains(out.String(), "/sign-in; make an account with 'placematch account add") {
		tokens["account add"] = "said"
	}
	// stop is idempotent: a test that stops the server itself must not make its cleanup wait
	// 30 s for an exit it has already seen.
	stop = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return context.DeadlineExceeded
		}
	})
	t.Cleanup(func() {
		_ = stop()
		checkLogs(t, errOut.String())
	})
	return url, tokens, stop
}

// checkLogs: every log line is JSON; request lines carry a request id, a route template, the
// status, the duration and the role; nothing carries a token, a raw /v1 path with an ID, or a
// child's name as the demo names children.
func checkLogs(t *testing.T, logs string) {
	t.Helper()
	requests := 0
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if line == "" || !strings.HasPrefix(line, "{") {
			continue // the seeding progress bar
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a log line is not JSON: %q", line)
			continue
		}
		if strings.Contains(line, "pm_") {
			t.Errorf("a token reached the logs: %s", line)
		}
		if rec["msg"] != "request" {
			continue
		}
		requests++
		route, _ := rec["route"].(string)
		for _, k := range []string{"request_id", "route", "status", "duration_ms", "method"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("request log without %s: %s", k, line)
			}
		}
		if regexp.MustCompile(`/[0-9]+`).MatchString(route) {
			t.Errorf("a raw path reached the logs: %s", line)
		}
		if strings.HasPrefix(route, "/v1/") && route != "/v1/children" && rec["status"] != float64(401) {
			if _, ok := rec["role"]; !ok {
				t.Errorf("an authenticated request logged without its role: %s", line)
			}
		}
	}
	if requests == 0 {
		t.Errorf("no request was logged:\n%s", logs)
	}
}

func post(t *testing.T, url, token, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func get(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// checkService exercises a running service the way the README's "done when" does.
func checkService(t *testing.T, url string, tokens map[string]string) {
	t.Helper()
	for _, role := range []string{"admin", "officer", "commissioner", "provider", "manager:team_manager", "manager:nominated_officer", "manager:director"} {
		if tokens[role] == "" {
			t.Fatalf("no demo token printed for %s", role)
		}
	}
	if code, _ := get(t, url+"/healthz", ""); code != 200 {
		t.Fatalf("/healthz: %d", code)
	}
	if code, _ := get(t, url+"/readyz", ""); code != 200 {
		t.Fatalf("/readyz: %d", code)
	}
	if code, _ := get(t, url+"/v1/children", ""); code != 401 {
		t.Errorf("/v1/children without a token: %d, want 401", code)
	}
	var me struct{ Council string }
	code, body := get(t, url+"/v1/me", tokens["officer"])
	if code != 200 {
		t.Fatalf("/v1/me: %d %s", code, body)
	}
	if err := json.Unmarshal(body, &me); err != nil || me.Council == "" {
		t.Fatalf("/v1/me: %s", body)
	}
	code, body = get(t, url+"/v1/children?limit=100", tokens["officer"])
	if code != 200 {
		t.Fatalf("officer lists children: %d %s", code, body)
	}
	var page struct {
		Items []struct {
			ID      int64  `json:"id"`
			Council string `json:"council"`
			Status  string `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatal("the officer's council has no children in the demo")
	}
	for _, c := range page.Items {
		if c.Council != me.Council {
			t.Fatalf("officer of %s sees a child of %s", me.Council, c.Council)
		}
	}
	// Options for the officer's waiting children: each answers with options or a shortfall.
	asked := 0
	for _, c := range page.Items {
		if c.Status != "waiting" || asked == 3 {
			continue
		}
		asked++
		code, body := post(t, fmt.Sprintf("%s/v1/children/%d/options", url, c.ID), tokens["officer"], "{}")
		var res struct {
			Options   []struct{ Rank int } `json:"options"`
			Shortfall struct {
				FewerThanTwo bool `json:"fewer_than_two"`
				Rejected     []struct{ Constraint string }
			} `json:"shortfall"`
		}
		if code != 200 || json.Unmarshal(body, &res) != nil {
			t.Fatalf("options for child %d: %d %s", c.ID, code, body)
		}
		if len(res.Options) < 2 && (!res.Shortfall.FewerThanTwo || len(res.Shortfall.Rejected) == 0) {
			t.Errorf("child %d has %d options and no explained shortfall: %s", c.ID, len(res.Options), body)
		}
	}
	if asked == 0 {
		t.Error("the officer's council has no waiting children in the demo")
	}
	// Idempotency keys are on: a retried POST is answered from the first.
	for i := range 2 {
		req, _ := http.NewRequest("POST", url+"/v1/sibling-groups", strings.NewReader(fmt.Sprintf(`{"council":%q,"plan":"together"}`, me.Council)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens["officer"])
		req.Header.Set("Idempotency-Key", "e2e-group-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 || (i == 1) != (resp.Header.Get("Idempotency-Replayed") == "true") {
			t.Errorf("idempotent POST %d: %d, replayed %q", i, resp.StatusCode, resp.Header.Get("Idempotency-Replayed"))
		}
	}
	var waiting []int64
	for _, c := range page.Items {
		if c.Status == "waiting" {
			waiting = append(waiting, c.ID)
		}
	}
	checkOffer(t, url, tokens, waiting)
	var placed []int64
	for _, c := range page.Items {
		if c.Status == "placed" {
			placed = append(placed, c.ID)
		}
	}
	checkCheckIn(t, url, tokens, placed)
	if code, body := get(t, url+"/metrics", tokens["commissioner"]); code != 200 || !strings.Contains(string(body), "placematch_snapshot_placements") {
		t.Errorf("/metrics for the commissioner: %d", code)
	}
	if code, _ := get(t, url+"/v1/placements?has_vacancy=true&limit=5", tokens["provider"]); code != 200 {
		t.Errorf("provider lists placements: %d", code)
	}
	if code, _ := get(t, url+"/v1/children", tokens["commissioner"]); code != 403 {
		t.Errorf("commissioner lists children: %d, want 403", code)
	}
	// serve fits the demand forecast on the store's histories with each report.
	// The first report is worked out in the background: until it is ready the answer is 503
	// with Retry-After, which a slow machine under -race may see for a while.
	code, body = get(t, url+"/v1/sufficiency", tokens["commissioner"])
	for deadline := time.Now().Add(5 * time.Minute); code == 503 && time.Now().Before(deadline); { // measures a duration
		time.Sleep(200 * time.Millisecond)
		code, body = get(t, url+"/v1/sufficiency", tokens["commissioner"])
	}
	if code != 200 || !strings.Contains(string(body), `"fresh_until"`) ||
		!strings.Contains(string(body), `"forecast":[{"year_end":`) {
		t.Errorf("the sufficiency report for the commissioner, with its forecast: %d %.200s", code, body)
	}
	if code, body := get(t, url+"/v1/support-needs", tokens["commissioner"]); code != 200 || !strings.Contains(string(body), `"withheld_below"`) {
		t.Errorf("support needs for the commissioner: %d %.200s", code, body)
	}
	if code, body := get(t, url+"/dashboard", ""); code != 200 || !strings.Contains(string(body), `action="/dashboard/session"`) {
		t.Errorf("the dashboard's sign-in page: %d", code)
	}
}

// TestSufficiencyCommand: placematch sufficiency prints the report, writes every row as CSV,
// runs a what-if and the planner, and draws its progress on stderr.
func TestSufficiencyCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "s.db")}
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--scale", "0.02", "--tokens=false"}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	csvFile := filepath.Join(dir, "sufficiency.csv")
	var out, errOut syncBuffer
	args := []string{"sufficiency", "--today", "2026-11-22", "--council", "E08000003", "--csv", csvFile,
		"--add", "E08000003=2", "--siblings", "--places", "3", "--plan", "2"}
	if err := run(ctx, args, envFunc(vars), nil, &out, &errOut); err != nil {
		t.Fatalf("sufficiency: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"Sufficiency report: Manchester", "Benchmark", "Equity", "wrote ", "What if:", "Recruitment plan:", "Notes"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report does not say %q:\n%.3000s", want, out.String())
		}
	}
	if n := countLines(t, csvFile); n < 164 {
		t.Errorf("the CSV has %d lines, want a row for every area at least", n)
	}
	if !strings.Contains(errOut.String(), "options and supply") || !strings.Contains(errOut.String(), "100%") {
		t.Errorf("no progress bar on stderr: %.500s", errOut.String())
	}
	for _, bad := range [][]string{{"sufficiency", "--council", "E0"}, {"sufficiency", "--add", "E08000003"}, {"sufficiency", "--today", "tomorrow"}} {
		if err := run(ctx, bad, envFunc(vars), nil, io.Discard, io.Discard); exitCode(err) != 2 {
			t.Errorf("%v: exit %d (%v), want 2", bad, exitCode(err), err)
		}
	}
}

func TestServeEmbeddedSeedsDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "placematch.db")}
	url, tokens, stop := startServe(t, vars, "--demo-scale", "0.02")
	checkService(t, url, tokens)
	checkDemoAccounts(t, url, tokens)
	if err := stop(); err != nil {
		t.Fatalf("serve did not shut down cleanly: %v", err)
	}
	// A second start finds the store seeded and does not seed again; it says how to make an
	// account.
	url, tokens2, _ := startServe(t, vars)
	if tokens2["account add"] == "" {
		t.Errorf("second start did not say how to make an account")
	}
	delete(tokens2, "account add")
	if len(tokens2) != 0 {
		t.Errorf("second start printed new demo tokens or accounts: %v", tokens2)
	}
	if code, _ := get(t, url+"/v1/me", tokens["admin"]); code != 200 {
		t.Errorf("token from the first start refused after restart: %d", code)
	}
}

func TestSeedThenServeOnPostgres(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"DATABASE_URL": sqltest.PostgresURL(t)}
	var out, errOut syncBuffer
	if err := run(context.Background(), []string{"seed", "--scale", "0.01", "--seed", "7"}, envFunc(vars), nil, &out, &errOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	tokens := map[string]string{}
	for _, m := range tokenLine.FindAllStringSubmatch(out.String(), -1) {
		tokens[m[1]] = m[2]
	}
	url, printed, _ := startServe(t, vars)
	if printed["account add"] == "" {
		t.Errorf("serve on PostgreSQL did not say how to make an account")
	}
	delete(printed, "account add")
	if len(printed) != 0 {
		t.Errorf("serve on PostgreSQL printed demo tokens or accounts; seed already did")
	}
	checkService(t, url, tokens)
	// Seeding twice is refused without --force.
	if err := run(context.Background(), []string{"seed", "--scale", "0.01"}, envFunc(vars), nil, io.Discard, io.Discard); err == nil {
		t.Error("a second seed into a full store was not refused")
	}
}

func TestTokenCreate(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(t.TempDir(), "p.db")}
	var out syncBuffer
	err := run(context.Background(), []string{"token", "create", "--role", "officer", "--council", "E08000003"}, envFunc(vars), nil, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimSpace(out.String())
	if !strings.HasPrefix(tok, "pm_") || len(tok) < 29 {
		t.Fatalf("token create printed %q", tok)
	}
	for _, bad := range [][]string{
		{"token", "create", "--role", "officer"},                       // no council
		{"token", "create", "--role", "king"},                          // no such role
		{"token", "create", "--role", "provider", "--provider", "999"}, // no such provider
	} {
		if err := run(context.Background(), bad, envFunc(vars), nil, io.Discard, io.Discard); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
}

func TestHelpListsEveryOption(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	if err := run(context.Background(), []string{"help"}, envFunc(nil), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "seed", "token", "import", "export", "DATABASE_URL", "-addr", "-db", "PORT"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not mention %s", want)
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, envFunc(nil), nil, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown command: exit %d, want 2", exitCode(err))
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "a.db")}
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--scale", "0.005", "--tokens=false"}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"placements", "children"} {
		file := filepath.Join(dir, kind+".csv")
		if err := run(ctx, []string{"export", "--kind", kind, "--format", "csv", "-o", file}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
			t.Fatalf("export %s: %v", kind, err)
		}
		lines := countLines(t, file)
		if lines < 2 {
			t.Fatalf("export %s wrote %d lines", kind, lines)
		}
	}
	// The demo's referral histories go out and, the declined ones, back in.
	refs := filepath.Join(dir, "referrals.csv")
	if err := run(ctx, []string{"export", "--kind", "referrals", "-o", refs}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("export referrals: %v", err)
	}
	data, err := os.ReadFile(refs)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	declined := []string{lines[0]}
	for _, l := range lines[1:] {
		if strings.Contains(l, ",declined,") {
			declined = append(declined, l)
		}
	}
	if len(declined) < 2 {
		t.Fatalf("the demo's referrals export has no declined referral:\n%s", data)
	}
	if err := os.WriteFile(refs, []byte(strings.Join(declined, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	if err := run(ctx, []string{"import", "--kind", "referrals", refs}, envFunc(vars), nil, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), fmt.Sprintf("imported %d referrals", len(declined)-1)) {
		t.Fatalf("import of the declined referrals: %v %s", err, out.String())
	}
	// A broken file is refused with every bad line and writes nothing.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("not,a,real,header\n1,2,3,4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var errOut syncBuffer
	if err := run(ctx, []string{"import", "--kind", "children", bad}, envFunc(vars), nil, io.Discard, &errOut); err == nil {
		t.Error("a bad import was accepted")
	}
}

func countLines(t *testing.T, name string) int {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		n++
	}
	return n
}

// TestOptionsFromTheEnvironment: every serve option has its variable, listed in --help; a bad
// value names the variable; a flag on the command line wins over the environment.
func TestOptionsFromTheEnvironment(t *testing.T) {
	t.Parallel()
	var help syncBuffer
	err := run(context.Background(), []string{"serve", "--help"}, envFunc(nil), nil, io.Discard, &help)
	if exitCode(err) != 2 {
		t.Fatalf("serve --help: %v", err)
	}
	for _, opt := range []string{"addr", "db", "demo", "demo-scale", "request-timeout", "max-body", "max-import", "shutdown-grace", "snapshot-refresh"} {
		if !strings.Contains(help.String(), "--"+opt+" ") || !strings.Contains(help.String(), "[env "+envName(opt)+"]") {
			t.Errorf("serve --help does not list --%s with %s", opt, envName(opt))
		}
	}
	err = run(context.Background(), []string{"serve"}, envFunc(map[string]string{"PLACEMATCH_REQUEST_TIMEOUT": "soon"}), nil, io.Discard, io.Discard)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "PLACEMATCH_REQUEST_TIMEOUT") {
		t.Errorf("a bad PLACEMATCH_REQUEST_TIMEOUT: %v", err)
	}
	// The flag wins: the environment's bad address is never used.
	dir := t.TempDir()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "p.db"), "PLACEMATCH_ADDR": "256.0.0.1:1", "PLACEMATCH_DEMO_SCALE": "0.005"}
	url, _, _ := startServe(t, vars)
	if code, _ := get(t, url+"/healthz", ""); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.db")); err != nil {
		t.Errorf("PLACEMATCH_DB was not used: %v", err)
	}
}

// TestTwoInstancesShareOnePostgres: two servers on one database; a placement whose places are
// withdrawn through one is no longer offered by the other within a second (LISTEN/NOTIFY).
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"DATABASE_URL": sqltest.PostgresURL(t), "PLACEMATCH_SNAPSHOT_REFRESH": "1h"}
	var out syncBuffer
	if err := run(context.Background(), []string{"seed", "--scale", "0.02", "--seed", "3"}, envFunc(vars), nil, &out, io.Discard); err != nil {
		t.Fatalf("seed: %v", err)
	}
	tokens := map[string]string{}
	for _, m := range tokenLine.FindAllStringSubmatch(out.String(), -1) {
		tokens[m[1]] = m[2]
	}
	admin := tokens["admin"]
	urlA, _, _ := startServe(t, vars)
	urlB, _, _ := startServe(t, vars)

	code, body := get(t, urlB+"/v1/children?status=waiting&limit=200", admin)
	if code != 200 {
		t.Fatalf("children: %d %s", code, body)
	}
	var kids struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(body, &kids)
	type opts struct {
		Options []struct {
			Placement struct {
				ID int64 `json:"id"`
			} `json:"placement"`
		} `json:"options"`
	}
	optionsOn := func(url string, child int64) []int64 {
		code, body := post(t, fmt.Sprintf("%s/v1/children/%d/options", url, child), admin, "{}")
		if code != 200 {
			t.Fatalf("options: %d %s", code, body)
		}
		var o opts
		json.Unmarshal(body, &o)
		var ids []int64
		for _, x := range o.Options {
			ids = append(ids, x.Placement.ID)
		}
		return ids
	}
	var child, placement int64
	for _, k := range kids.Items {
		if ids := optionsOn(urlB, k.ID); len(ids) > 0 {
			child, placement = k.ID, ids[0]
			break
		}
	}
	if child == 0 {
		t.Fatal("no waiting child has an option")
	}
	// Withdraw every available place of the top option through server A.
	code, body = get(t, fmt.Sprintf("%s/v1/placements/%d/vacancies?status=available", urlA, placement), admin)
	var vs struct {
		Items []struct {
			ID            int64  `json:"id"`
			Version       int    `json:"version"`
			AvailableFrom string `json:"available_from"`
		} `json:"items"`
	}
	if code != 200 || json.Unmarshal(body, &vs) != nil || len(vs.Items) == 0 {
		t.Fatalf("vacancies of %d: %d %s", placement, code, body)
	}
	for _, v := range vs.Items {
		req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/v1/vacancies/%d", urlA, v.ID),
			strings.NewReader(fmt.Sprintf(`{"available_from":%q,"status":"withdrawn","version":%d}`, v.AvailableFrom, v.Version)))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("withdraw vacancy %d: %v %v", v.ID, err, resp.Status)
		}
		resp.Body.Close()
	}
	withdrawn := time.Now()
	for {
		if !slices.Contains(optionsOn(urlB, child), placement) {
			t.Logf("server B stopped offering placement %d %s after it was withdrawn through server A", placement, time.Since(withdrawn).Round(time.Millisecond))
			break
		}
		if time.Since(withdrawn) > time.Second {
			t.Fatalf("server B still offers placement %d a second after its places were withdrawn through server A", placement)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
