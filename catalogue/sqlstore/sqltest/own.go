package sqltest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue/sqlstore"
)

// Cluster is a PostgreSQL server of one test's own, which the test may stop and start again to
// see what the service does while its database is down or restarting, without disturbing the
// other tests, which share the process's cluster. It costs an initdb (a second or two): use it
// only for that.
type Cluster struct {
	mu sync.Mutex
	c  *cluster
}

// OwnCluster starts a PostgreSQL server for the test alone, with one database, migrated; the
// server is stopped and its directory removed when the test ends. Like Postgres, it skips the
// test when PostgreSQL is not installed (and fails when CI=true). With an existing server
// (PLACEMATCH_TEST_DATABASE_URL) there is nothing the test may stop: it is skipped.
func OwnCluster(t testing.TB) *Cluster {
	t.Helper()
	if os.Getenv(EnvDatabaseURL) != "" {
		t.Skipf("sqltest: a test that stops PostgreSQL needs a cluster of its own, not %s", EnvDatabaseURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	c, err := startCluster(ctx)
	if err != nil {
		if isMissing(err) && os.Getenv("CI") != "true" {
			t.Skipf("sqltest: skipping PostgreSQL test: %v (install postgresql; with CI=true this fails)", err)
		}
		t.Fatalf("sqltest: start a cluster of the test's own: %v", err)
	}
	t.Log(TestMark) // counted by .ci/run
	own := &Cluster{c: c}
	t.Cleanup(func() {
		own.mu.Lock()
		defer own.mu.Unlock()
		c.stop()
	})
	admin, err := openAdmin(ctx, c.url("postgres"))
	if err != nil {
		t.Fatalf("sqltest: %v", err)
	}
	defer admin.close()
	if err := admin.exec(ctx, "CREATE DATABASE placematch"); err != nil {
		t.Fatalf("sqltest: create database: %v", err)
	}
	st, err := sqlstore.Open(ctx, own.URL(), sqlstore.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatalf("sqltest: migrate: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return own
}

// URL is the postgres:// URL of the cluster's migrated database.
func (o *Cluster) URL() string { return o.c.url("placematch") }

// Store returns a store on the cluster's database, closed when the test ends. Its clock starts
// at Epoch (see At and Clock).
func (o *Cluster) Store(t testing.TB, opts ...Option) *sqlstore.Store {
	t.Helper()
	opt := newOptions(opts)
	st, err := sqlstore.Open(context.Background(), o.URL(), sqlstore.Options{SkipMigrate: true, Now: opt.clock.Clock()})
	if err != nil {
		t.Fatalf("sqltest: open the store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	remember(t, st, opt.clock)
	return st
}

// Stop shuts the server down (PostgreSQL's fast shutdown: sessions are ended, transactions
// rolled back) and returns when it has exited. Connecting fails until Start.
func (o *Cluster) Stop(t testing.TB) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.c.halt()
}

// Start starts the stopped server again on the same data and returns when it accepts
// connections.
func (o *Cluster) Start(t testing.TB) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := o.c.start(ctx); err != nil {
		t.Fatalf("sqltest: start the cluster again: %v", err)
	}
}
