package sqlstore_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestNotAcceptingConnectionsIsUnavailable: a database that refuses connections for a while
// (ALTER DATABASE ... ALLOW_CONNECTIONS false, as in maintenance; PostgreSQL answers 55000 as the
// connection is made) is unavailable, so the API answers 503 with Retry-After, not 500 (found by
// scripts/attack's outage probe); once it accepts connections again, the store works.
func TestNotAcceptingConnectionsIsUnavailable(t *testing.T) {
	t.Parallel()
	dsn := sqltest.PostgresURL(t)
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{SkipMigrate: true, Now: catalogue.FixedClock(sqltest.Epoch)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin := func(sqls ...string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, q := range sqls {
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	ident := pgx.Identifier{name}.Sanitize()
	admin("ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+name+"' AND pid <> pg_backend_pid()")
	_, err = st.Counts(ctx)
	if !errors.Is(err, catalogue.ErrUnavailable) {
		t.Errorf("a database not accepting connections: %v, want ErrUnavailable", err)
	}
	admin("ALTER DATABASE " + ident + " ALLOW_CONNECTIONS true")
	if _, err := st.Counts(ctx); err != nil {
		t.Errorf("accepting connections again: %v", err)
	}
}
