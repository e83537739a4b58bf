package sqlstore

import (
	"context"
	"time"
)

// Hooks for the tests of package sqlstore_test, which need to reach past the Store interface.

// ExecRaw runs a statement directly, as a careless or malicious client of the database might.
func ExecRaw(ctx context.Context, s *Store, query string, args ...any) error {
	return s.db.WithContext(ctx).Exec(query, args...).Error
}

// SetSlowQuery changes the threshold above which query templates are logged.
func SetSlowQuery(s *Store, d time.Duration) {
	s.db.Logger.(*queryLogger).slow = d
}
