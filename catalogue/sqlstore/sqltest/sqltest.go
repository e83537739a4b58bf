// Package sqltest gives tests a fresh, migrated catalogue store on each backend: a SQLite file
// in the test's temporary directory, or a PostgreSQL database cloned from a migrated template.
//
// PostgreSQL needs no Docker: the first test that asks for it starts one throwaway cluster for
// the whole test process from the server binaries installed on the machine (Debian's
// postgresql-NN package: /usr/lib/postgresql/NN/bin, or pg_config --bindir), in a temporary
// directory, listening only on a Unix socket there. initdb and postgres refuse to run as root,
// so under root they run as the postgres user. The template database is migrated once; each test
// gets CREATE DATABASE ... TEMPLATE (tens of milliseconds) and its database is dropped when the
// test ends.
//
// The cluster stops when the test binary exits: packages should call Main from TestMain, which
// stops it cleanly and removes its directory; without Main the server is still stopped by the
// kernel (a parent-death signal), only its directory is left in the temporary directory.
//
// Set PLACEMATCH_TEST_DATABASE_URL to a postgres:// URL to use an existing server instead (its
// user must be allowed to create databases). When neither is available, PostgreSQL tests are
// skipped with a message, or fail when CI=true.
package sqltest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
)

// TestMark is what a test that uses PostgreSQL logs, so that CI can count them (.ci/run).
const TestMark = "placematch-test: PostgreSQL"

// EnvDatabaseURL names an existing PostgreSQL server to create test databases in.
const EnvDatabaseURL = "PLACEMATCH_TEST_DATABASE_URL"

// setupTimeout bounds starting the cluster and migrating the template.
const setupTimeout = 2 * time.Minute

// The one cluster of the test process, started on first use. A package-level variable is the
// point: every test of the binary shares one server.
var (
	shared     server
	sharedOnce sync.Once
	dbCounter  atomic.Int64
)

// server is where test databases are created: a throwaway cluster or an existing server.
type server struct {
	err     error    // why PostgreSQL is unavailable
	missing bool     // the server binaries are not installed (skip unless CI)
	c       *cluster // nil with an existing server
	url     func(db string) string
	admin   *adminConn
	tmpl    string // the migrated template database
}

func getServer() *server {
	sharedOnce.Do(func() { shared = startServer() })
	return &shared
}

func startServer() server {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	var s server
	if u := os.Getenv(EnvDatabaseURL); u != "" {
		url, err := existingServer(u)
		if err != nil {
			return server{err: err}
		}
		s.url = url
		s.tmpl = fmt.Sprintf("placematch_tmpl_%d_%d", os.Getpid(), rand.Uint32())
	} else {
		c, err := startCluster(ctx)
		if err != nil {
			return server{err: err, missing: isMissing(err)}
		}
		s.c, s.url, s.tmpl = c, c.url, "placematch_template"
	}
	admin, err := openAdmin(ctx, s.url("postgres"))
	if err != nil {
		s.stop()
		return server{err: err}
	}
	s.admin = admin
	if err := s.migrateTemplate(ctx); err != nil {
		s.stop()
		return server{err: err}
	}
	return s
}

// migrateTemplate creates the template database and migrates it with the store's own
// migrations.
func (s *server) migrateTemplate(ctx context.Context) error {
	if err := s.admin.exec(ctx, "CREATE DATABASE "+quoteIdent(s.tmpl)); err != nil {
		return fmt.Errorf("create template database: %w", err)
	}
	st, err := sqlstore.Open(ctx, s.url(s.tmpl), sqlstore.Options{MaxOpenConns: 1})
	if err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	return st.Close()
}

// stop drops what this process created and stops the cluster it started.
func (s *server) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.admin != nil {
		if s.c == nil && s.tmpl != "" {
			_ = s.admin.exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(s.tmpl)+" WITH (FORCE)")
		}
		s.admin.close()
		s.admin = nil
	}
	if s.c != nil {
		s.c.stop()
		s.c = nil
	}
}

// Main runs the tests of a package and then stops the PostgreSQL cluster, if one was started.
// Call it from TestMain:
//
//	func TestMain(m *testing.M) { sqltest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the cluster started by this process, if any, and removes the SQLite template.
// Main calls it; tests need not.
func Stop() {
	sqliteOnce.Do(func() { sqliteErr = fmt.Errorf("sqltest: stopped") })
	if sqliteDir != "" {
		os.RemoveAll(sqliteDir)
	}
	sharedOnce.Do(func() { shared = server{err: fmt.Errorf("sqltest: stopped")} })
	shared.stop()
}

// need returns the server, or skips (fails when CI=true) when PostgreSQL is not available.
func need(t testing.TB) *server {
	t.Helper()
	s := getServer()
	if s.err == nil {
		t.Log(TestMark) // counted by .ci/run
		return s
	}
	if os.Getenv("CI") == "true" || !s.missing {
		t.Fatalf("sqltest: PostgreSQL is not available: %v", s.err)
	}
	t.Skipf("sqltest: skipping PostgreSQL test: %v (install postgresql, or set %s; with CI=true this fails)", s.err, EnvDatabaseURL)
	return nil
}

// cloning serialises CREATE DATABASE ... TEMPLATE: PostgreSQL refuses to copy a template that
// another session is copying at the same moment ("source database is being accessed by other
// users"), and parallel tests would otherwise fail at random.
var cloning sync.Mutex

// clone creates database name as a copy of the migrated template. Another process sharing an
// existing server may be copying it too: that is retried for a while.
func (s *server) clone(ctx context.Context, name string) error {
	cloning.Lock()
	defer cloning.Unlock()
	for {
		err := s.admin.exec(ctx, "CREATE DATABASE "+quoteIdent(name)+" TEMPLATE "+quoteIdent(s.tmpl))
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// PostgresURL creates a fresh, migrated PostgreSQL database for the test and returns its
// postgres:// URL (for end-to-end tests of a binary). The database is dropped when the test
// ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	s := need(t)
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), dbCounter.Add(1))
	if s.c == nil {
		name = fmt.Sprintf("%s_%d", name, rand.Uint32())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.clone(ctx, name); err != nil {
		t.Fatalf("sqltest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.admin.exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("sqltest: drop database: %v", err)
		}
	})
	return s.url(name)
}

// Epoch is where every test store's clock starts unless the test says otherwise: a fixed
// instant, so that no test depends on the day it runs.
var Epoch = time.Date(2026, time.November, 22, 9, 0, 0, 0, time.UTC)

// Option changes a test store.
type Option func(*options)

type options struct{ clock *catalogue.ManualClock }

// At starts the store's clock at t rather than Epoch.
func At(t time.Time) Option { return func(o *options) { o.clock = catalogue.NewManualClock(t) } }

// WithClock gives the store the test's own clock (to share it with the service under test).
func WithClock(c *catalogue.ManualClock) Option { return func(o *options) { o.clock = c } }

func newOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if o.clock == nil {
		o.clock = catalogue.NewManualClock(Epoch)
	}
	return o
}

// clocks remembers the clock of each store this package made, for Clock.
var clocks sync.Map // *sqlstore.Store -> *catalogue.ManualClock

// Clock is the clock of a store made by this package: the test moves it to see links and
// sessions expire, retention periods pass and check-ins fall due, without sleeping.
func Clock(t testing.TB, st *sqlstore.Store) *catalogue.ManualClock {
	t.Helper()
	c, ok := clocks.Load(st)
	if !ok {
		t.Fatalf("sqltest: the store was not made by sqltest")
	}
	return c.(*catalogue.ManualClock)
}

func remember(t testing.TB, st *sqlstore.Store, c *catalogue.ManualClock) {
	clocks.Store(st, c)
	t.Cleanup(func() { clocks.Delete(st) })
}

// Postgres returns a store on a fresh, migrated PostgreSQL database, closed and dropped when
// the test ends. Its clock starts at Epoch (see At and Clock).
func Postgres(t testing.TB, opts ...Option) *sqlstore.Store {
	t.Helper()
	o := newOptions(opts)
	url := PostgresURL(t)
	st, err := sqlstore.Open(context.Background(), url, sqlstore.Options{SkipMigrate: true, Now: o.clock.Clock()})
	if err != nil {
		t.Fatalf("sqltest: open PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { st.Close() }) // runs before the drop registered by PostgresURL
	remember(t, st, o.clock)
	return st
}

// SQLite returns a store on a fresh SQLite file in the test's temporary directory, closed when
// the test ends: a copy of a file migrated once per test process, which is much faster than
// migrating each. Its clock starts at Epoch (see At and Clock).
func SQLite(t testing.TB, opts ...Option) *sqlstore.Store {
	t.Helper()
	tmpl, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("sqltest: migrate the SQLite template: %v", err)
	}
	return SQLiteCopy(t, tmpl, opts...)
}

// SQLiteCopy returns a store on a copy of the SQLite file at path (closed, so that the whole
// database is in the one file), in the test's temporary directory, closed when the test ends.
// Tests that build the same records again and again build them once and copy the file.
func SQLiteCopy(t testing.TB, path string, opts ...Option) *sqlstore.Store {
	t.Helper()
	o := newOptions(opts)
	dst := filepath.Join(t.TempDir(), "placematch.db")
	if err := copyFile(dst, path); err != nil {
		t.Fatalf("sqltest: copy the SQLite database: %v", err)
	}
	// Whatever the write-ahead log still holds (closing the last connection normally
	// checkpoints it into the file and removes it).
	if _, err := os.Stat(path + "-wal"); err == nil {
		if err := copyFile(dst+"-wal", path+"-wal"); err != nil {
			t.Fatalf("sqltest: copy the SQLite database's log: %v", err)
		}
	}
	st, err := sqlstore.Open(context.Background(), dst, sqlstore.Options{SkipMigrate: true, Now: o.clock.Clock()})
	if err != nil {
		t.Fatalf("sqltest: open SQLite store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	remember(t, st, o.clock)
	return st
}

// The migrated SQLite file every SQLite store of the test process is copied from.
var (
	sqliteOnce sync.Once
	sqliteTmpl string
	sqliteErr  error
	sqliteDir  string
)

func sqliteTemplate() (string, error) {
	sqliteOnce.Do(func() {
		sqliteDir, sqliteErr = os.MkdirTemp("", "placematch-sqlite-")
		if sqliteErr != nil {
			return
		}
		sqliteTmpl = filepath.Join(sqliteDir, "template.db")
		var st *sqlstore.Store
		if st, sqliteErr = sqlstore.Open(context.Background(), sqliteTmpl, sqlstore.Options{}); sqliteErr == nil {
			sqliteErr = st.Close() // the last connection checkpoints the write-ahead log into the file
		}
	})
	return sqliteTmpl, sqliteErr
}

// copyFile copies the file at src to dst, which it creates.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Each runs fn as the subtests "sqlite" and "postgres", one after the other, each with a fresh
// store (and a clock of its own, made from opts). Tests run in parallel with each other by
// calling t.Parallel first.
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store), opts ...Option) {
	t.Helper()
	t.Run(sqlstore.BackendSQLite, func(t *testing.T) { fn(t, SQLite(t, opts...)) })
	t.Run(sqlstore.BackendPostgres, func(t *testing.T) { fn(t, Postgres(t, opts...)) })
}

// BinDir returns the folder of the PostgreSQL client and server programs (pg_dump, psql and
// the rest), skipping the test like Postgres does when there is none.
func BinDir(t testing.TB) string {
	t.Helper()
	need(t)
	dir, err := findBinDir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("sqltest: %v", err)
		}
		t.Skipf("sqltest: %v", err)
	}
	return dir
}
