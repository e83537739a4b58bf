package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// The crash tests run the real binary, kill it with SIGKILL in the middle of writing, and check
// the store holds exactly what it held before: a seed or an import is one transaction.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds placematch once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "placematch-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "placematch")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// seededExport is the children of a store seeded at a scale of 0.3, exported as JSON: made once
// per test run (beside the binary) for the tests that import a large file, which only read it.
var seededExport = sync.OnceValues(func() (string, error) {
	dir := filepath.Dir(binPath)
	env := append(testEnviron(), "PLACEMATCH_DB="+filepath.Join(dir, "seeded.db"), "DATABASE_URL=")
	cmd := exec.Command(binPath, "seed", "--scale", "0.3", "--tokens=false")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("seed: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "children.json")
	cmd = exec.Command(binPath, "export", "--kind", "children", "--format", "json", "-o", file)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("export: %v\n%s", err, out)
	}
	return file, nil
})

// seededStore copies the store seededExport made (0.3 of England) to path, for a test to change.
func seededStore(t *testing.T, path string) {
	t.Helper()
	seededChildren(t)
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(binPath), "seeded.db") + suffix)
		if suffix != "" && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMain stops the PostgreSQL cluster the tests started and removes the binary and the
// seeded store.
func TestMain(m *testing.M) {
	code := m.Run()
	sqltest.Stop()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// seededChildren is seededExport's file, failing the test if it could not be made.
func seededChildren(t *testing.T) string {
	t.Helper()
	binary(t)
	file, err := seededExport()
	if err != nil {
		t.Fatal(err)
	}
	return file
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// lockedBuffer is an io.Writer safe to read while the process writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// killMidway starts the binary and kills it with SIGKILL once its progress bar shows it is
// writing (past 20%); it reports whether the kill came before the command finished.
func killMidway(t *testing.T, env []string, args ...string) bool {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(testEnviron(), env...)
	var errOut lockedBuffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case err := <-exited:
			t.Logf("%v finished before it could be killed (%v): %s", args, err, errOut.String())
			return false
		case <-time.After(5 * time.Millisecond):
		}
		if progressPast(errOut.String(), 20) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %s", errOut.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Logf("the process ended by itself before the kill landed: %v", err)
		return false
	}
	return true
}

// progressPast reports whether the last progress figure printed is at least pct.
func progressPast(s string, pct int) bool {
	i := strings.LastIndex(s, "%")
	if i < 3 {
		return false
	}
	j := i - 1
	for j >= 0 && s[j] >= '0' && s[j] <= '9' {
		j--
	}
	n := 0
	for _, c := range s[j+1 : i] {
		n = n*10 + int(c-'0')
	}
	return i-j > 1 && n >= pct && n < 100
}

func counts(t *testing.T, dsn string) catalogue.Counts {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n.Tokens = 0
	return n
}

// TestKilledSeedWritesNothing: seed killed with SIGKILL while writing leaves the store empty,
// on both backends, and a second seed then succeeds.
func TestKilledSeedWritesNothing(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{sqlstore.BackendSQLite, sqlstore.BackendPostgres} {
		t.Run(backend, func(t *testing.T) {
			var dsn string
			var env []string
			if backend == sqlstore.BackendPostgres {
				dsn = sqltest.PostgresURL(t)
				env = []string{"DATABASE_URL=" + dsn}
			} else {
				dsn = filepath.Join(t.TempDir(), "p.db")
				env = []string{"PLACEMATCH_DB=" + dsn, "DATABASE_URL="}
			}
			killed := killMidway(t, env, "seed", "--scale", "0.3", "--tokens=false")
			if !killed {
				t.Skip("the seed finished before it could be killed")
			}
			if n := counts(t, dsn); n != (catalogue.Counts{}) {
				t.Fatalf("a killed seed left %+v", n)
			}
			cmd := exec.Command(binary(t), "seed", "--scale", "0.01", "--tokens=false")
			cmd.Env = append(testEnviron(), env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("seed after the crash: %v\n%s", err, out)
			}
			if n := counts(t, dsn); n.Children == 0 || n.Placements == 0 {
				t.Fatalf("after a second seed: %+v", n)
			}
		})
	}
}

// TestKilledImportWritesNothing: an import killed while writing leaves the catalogue exactly as
// it was.
func TestKilledImportWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := seededChildren(t)
	// Into a store that already holds a catalogue of its own.
	dst := filepath.Join(dir, "dst.db")
	denv := []string{"PLACEMATCH_DB=" + dst, "DATABASE_URL="}
	cmd := exec.Command(binary(t), "seed", "--scale", "0.01", "--seed", "9", "--tokens=false")
	cmd.Env = append(testEnviron(), denv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	before := counts(t, dst)
	if !killMidway(t, denv, "import", "--kind", "children", file) {
		t.Skip("the import finished before it could be killed")
	}
	if after := counts(t, dst); after != before {
		t.Fatalf("a killed import changed the catalogue: %+v, was %+v", after, before)
	}
	// The same import, left to finish, adds every child.
	cmd = exec.Command(binary(t), "import", "--kind", "children", file)
	cmd.Env = append(testEnviron(), denv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import after the crash: %v\n%s", err, out)
	}
	if after := counts(t, dst); after.Children <= before.Children {
		t.Fatalf("the import after the crash added nothing: %+v", after)
	}
}

// TestSigtermFinishesRequestsInFlight: SIGTERM stops the server from taking new requests but
// lets one in flight (a large import) finish and answer before the process exits cleanly.
func TestSigtermFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	body, err := os.ReadFile(seededChildren(t))
	if err != nil {
		t.Fatal(err)
	}

	senv := []string{"PLACEMATCH_DB=" + filepath.Join(dir, "serve.db"), "DATABASE_URL="}
	tok := exec.Command(binary(t), "token", "create", "--role", "admin")
	tok.Env = append(testEnviron(), senv...)
	secret, err := tok.Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	admin := strings.TrimSpace(string(secret))
	// The grace is long: the test is about finishing what is in flight, and a loaded machine under
	// the race detector imports 24,000 children slowly.
	srv := exec.Command(binary(t), "serve", "--addr", "127.0.0.1:0", "--demo=false", "--shutdown-grace", "10m", "--request-timeout", "10m")
	srv.Env = append(testEnviron(), senv...)
	var out, errOut lockedBuffer
	srv.Stdout, srv.Stderr = &out, &errOut
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	var url string
	for deadline := time.Now().Add(time.Minute); url == ""; {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	type result struct {
		code int
		body string
	}
	res := make(chan result, 1)
	// The body goes through a pipe: the first half before SIGTERM, the rest after, so the import
	// is in flight (its handler reading the body) when the signal comes, however loaded the
	// machine is.
	pr, pw := io.Pipe()
	go func() {
		req, _ := http.NewRequest("POST", url+"/v1/import/children?format=json", pr)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{0, err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, string(b)}
	}()
	half := len(body) / 2
	if _, err := pw.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the server reads the request's head and starts the import
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := pw.Write(body[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-res
	if r.code != 201 {
		t.Fatalf("the import in flight at SIGTERM: %d %s", r.code, r.body)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v: %s", err, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not exit after SIGTERM")
	}
	if !strings.Contains(errOut.String(), "shutting down") {
		t.Errorf("no shutdown logged: %s", errOut.String())
	}
}

// startBinary runs serve from the built binary on loopback and returns its URL.
func startBinary(t *testing.T, env []string, args ...string) (*exec.Cmd, string, chan error) {
	t.Helper()
	srv := exec.Command(binary(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--demo=false"}, args...)...)
	srv.Env = append(testEnviron(), env...)
	var out, errOut lockedBuffer
	srv.Stdout, srv.Stderr = &out, &errOut
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	t.Cleanup(func() { _ = srv.Process.Kill() })
	for deadline := time.Now().Add(time.Minute); ; {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			return srv, m[1], exited
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKilledMatchRunIsFailed: a server killed with SIGKILL in the middle of a match run leaves
// no results; restarted, it shows the run failed; the catalogue is as it was.
func TestKilledMatchRunIsFailed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := []string{"PLACEMATCH_DB=" + filepath.Join(dir, "run.db"), "DATABASE_URL="}
	seededStore(t, filepath.Join(dir, "run.db"))
	tok := exec.Command(binary(t), "token", "create", "--role", "admin")
	tok.Env = append(testEnviron(), env...)
	secret, err := tok.Output()
	if err != nil {
		t.Fatal(err)
	}
	admin := strings.TrimSpace(string(secret))
	before := counts(t, filepath.Join(dir, "run.db"))

	srv, url, exited := startBinary(t, env)
	code, body := post(t, url+"/v1/match-runs", admin, `{}`)
	if code != 202 {
		t.Fatalf("start a match run: %d %s", code, body)
	}
	var run struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	// Kill it while the run is under way.
	for deadline := time.Now().Add(time.Minute); ; {
		code, body := get(t, fmt.Sprintf("%s/v1/match-runs/%d", url, run.ID), admin)
		if code != 200 || json.Unmarshal(body, &run) != nil {
			t.Fatalf("read the run: %d %s", code, body)
		}
		if run.Status != "running" {
			t.Skipf("the run ended (%s) before it could be interrupted", run.Status)
		}
		if strings.Contains(string(body), `"progress"`) {
			break // under way: loading, searching, solving or saving
		}
		if time.Now().After(deadline) {
			t.Fatal("the run never got under way")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited

	_, url, _ = startBinary(t, env)
	code, body = get(t, fmt.Sprintf("%s/v1/match-runs/%d", url, run.ID), admin)
	if code != 200 || json.Unmarshal(body, &run) != nil || run.Status != "failed" {
		t.Fatalf("after the restart the run is %d %s", code, body)
	}
	code, body = get(t, fmt.Sprintf("%s/v1/match-runs/%d/results", url, run.ID), admin)
	var res struct{ Items []any }
	if code != 200 || json.Unmarshal(body, &res) != nil || len(res.Items) != 0 {
		t.Fatalf("an interrupted run has results: %d %s", code, body)
	}
	after := counts(t, filepath.Join(dir, "run.db"))
	if after != before {
		t.Errorf("the catalogue changed: %+v, was %+v", after, before)
	}
}
