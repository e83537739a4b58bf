package sqltest_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

func TestEachGivesFreshStores(t *testing.T) {
	t.Parallel()
	var backends []string
	for range 2 {
		sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
			backends = append(backends, s.Backend())
			ctx := context.Background()
			c := must(s.Counts(ctx))
			if c != (catalogue.Counts{}) {
				t.Errorf("a fresh store holds %+v", c)
			}
			if _, err := s.CreateProvider(ctx, catalogue.Provider{Name: "P", Kind: catalogue.ProviderAgency}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if strings.Join(backends, " ") != "sqlite postgres sqlite postgres" {
		t.Errorf("Each ran %v", backends)
	}
}

func TestPostgresDatabasesAreDropped(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("uses a database", func(t *testing.T) {
		u := must(url.Parse(sqltest.PostgresURL(t)))
		name = strings.TrimPrefix(u.Path, "/")
	})
	if name == "" {
		t.Skip("PostgreSQL was skipped")
	}
	db := must(sql.Open("pgx", sqltest.PostgresURL(t)))
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s of a finished test still exists", name)
	}
}

// TestServerDiesWithProcess runs a test process that starts the cluster and exits without Main
// (as a killed test binary would): its server must not outlive it.
func TestServerDiesWithProcess(t *testing.T) {
	t.Parallel()
	if os.Getenv(sqltest.EnvDatabaseURL) != "" {
		t.Skip("uses an existing server")
	}
	if os.Getenv("SQLTEST_CHILD") == "1" {
		u := must(url.Parse(sqltest.PostgresURL(t)))
		dir := u.Query().Get("host")
		pid := must(os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")))
		line, _, _ := strings.Cut(string(pid), "\n")
		os.Stdout.WriteString("DIR=" + dir + "\nPID=" + line + "\n")
		os.Exit(0) // no cleanup, no Stop
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerDiesWithProcess$")
	cmd.Env = append(os.Environ(), "SQLTEST_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var dir string
	var pid int
	for sc := bufio.NewScanner(strings.NewReader(string(out))); sc.Scan(); {
		if d, ok := strings.CutPrefix(sc.Text(), "DIR="); ok {
			dir = d
		}
		if p, ok := strings.CutPrefix(sc.Text(), "PID="); ok {
			pid, _ = strconv.Atoi(p)
		}
	}
	if pid == 0 {
		t.Skipf("the child did not start PostgreSQL:\n%s", out)
	}
	defer os.RemoveAll(dir)
	deadline := time.Now().Add(15 * time.Second) // measures a duration
	for running(pid) {
		if time.Now().After(deadline) { // measures a duration
			t.Fatalf("postgres %d outlived its test process", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// running reports whether a process exists and is not a zombie waiting to be reaped.
func running(pid int) bool {
	if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !os.IsNotExist(err)
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
