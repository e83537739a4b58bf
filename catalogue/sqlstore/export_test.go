package sqlstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Hooks for the tests of package sqlstore_test, which need to reach past the Store interface.

// ExecRaw runs a statement directly, as a careless or malicious client of the database might.
func ExecRaw(ctx context.Context, s *Store, query string, args ...any) error {
	return s.db.WithContext(ctx).Exec(query, args...).Error
}

// MigrateDownTo rolls the store's migrations back to version (the ones after it are undone).
func MigrateDownTo(ctx context.Context, s *Store, version int64) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}

// RedoMigration undoes the one migration version and applies it again, leaving the others as
// they are.
func RedoMigration(ctx context.Context, s *Store, version int64) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	if _, err := p.ApplyVersion(ctx, version, false); err != nil {
		return err
	}
	_, err = p.ApplyVersion(ctx, version, true)
	return err
}

// SetSlowQuery changes the threshold above which query templates are logged.
func SetSlowQuery(s *Store, d time.Duration) {
	s.db.Logger.(*queryLogger).slow = d
}

// DumpTable returns every row of a table, each column's value as the bytes the driver gives
// (or its text form), for tests that look for secrets stored in clear.
func DumpTable(ctx context.Context, s *Store, table string) ([]map[string][]byte, error) {
	_, rows, err := scanRows(s.db.WithContext(ctx).Raw("SELECT * FROM " + table))
	if err != nil {
		return nil, err
	}
	var out []map[string][]byte
	for _, r := range rows {
		m := map[string][]byte{}
		for c, v := range r {
			switch v := v.(type) {
			case []byte:
				m[c] = v
			case string:
				m[c] = []byte(v)
			default:
				m[c] = []byte(fmt.Sprint(v))
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// EnqueueThen writes notifications through the store's transactional hook (enqueue) in one
// transaction, then returns after: a non-nil after rolls the transaction back.
func EnqueueThen(ctx context.Context, s *Store, after error, ns ...catalogue.Notification) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		if err := s.enqueue(ctx, tx, ns...); err != nil {
			return err
		}
		return after
	})
}

// Columns returns every table of the schema (goose's own aside) with its columns, on either
// backend.
func Columns(ctx context.Context, s *Store) (map[string][]string, error) {
	db := s.db.WithContext(ctx)
	out := map[string][]string{}
	if db.Dialector.Name() == "postgres" {
		var rows []struct{ TableName, ColumnName string }
		if err := db.Raw(`SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.TableName] = append(out[r.TableName], r.ColumnName)
		}
	} else {
		var tables []string
		if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(&tables).Error; err != nil {
			return nil, err
		}
		for _, t := range tables {
			var cols []struct{ Name string }
			if err := db.Raw("SELECT name FROM pragma_table_info(?)", t).Scan(&cols).Error; err != nil {
				return nil, err
			}
			for _, c := range cols {
				out[t] = append(out[t], c.Name)
			}
		}
	}
	delete(out, "goose_db_version")
	return out, nil
}
