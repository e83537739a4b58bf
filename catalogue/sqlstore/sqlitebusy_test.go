package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/glebarez/go-sqlite" // the driver, for a second connection that holds the lock

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// openImpatientSQLite opens a migrated SQLite store whose statements wait only 1 ms for the
// write lock, so that any contention the store leaves to SQLite's busy handler shows at once.
func openImpatientSQLite(t *testing.T) (*sqlstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "placematch.db")
	st, err := sqlstore.Open(context.Background(), path+"?_pragma=busy_timeout(1)",
		sqlstore.Options{Now: catalogue.FixedClock(sqltest.Epoch)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// TestSQLiteWritersTakeTurns: 64 write transactions at once on the embedded store all commit,
// even when SQLite itself would give up on a lock after 1 ms: the store queues its transactions
// in the process rather than leaving them to poll for the file's lock (a 500 under load in CI,
// when one accept waited more than the busy timeout behind match runs).
func TestSQLiteWritersTakeTurns(t *testing.T) {
	t.Parallel()
	st, _ := openImpatientSQLite(t)
	ctx := context.Background()
	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = st.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.55)))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	page, err := st.ListChildren(ctx, everything, catalogue.ChildFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != n {
		t.Errorf("%d children stored, want %d", len(page.Items), n)
	}
}

// TestSQLiteBusyIsUnavailable: when another process holds the embedded file's write lock past
// the busy timeout, a write fails as unavailable (the API answers 503 with Retry-After, not 500)
// and writes nothing; once the lock is let go, the same write works.
func TestSQLiteBusyIsUnavailable(t *testing.T) {
	t.Parallel()
	st, path := openImpatientSQLite(t)
	ctx := context.Background()
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	child := plainChild(leeds, at(53.8, -1.55))
	if _, err := st.CreateChild(ctx, everything, child); !errors.Is(err, catalogue.ErrUnavailable) {
		t.Errorf("a write while another process holds the lock: %v, want ErrUnavailable", err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateChild(ctx, everything, child); err != nil {
		t.Errorf("the same write once the lock is let go: %v", err)
	}
	page, err := st.ListChildren(ctx, everything, catalogue.ChildFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Errorf("%d children stored, want 1 (the failed write left nothing)", len(page.Items))
	}
}
