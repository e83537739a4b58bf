package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/placematch/placematch/catalogue"
)

// Migration 00026 (issue 23): people's locations no finer than matching needs. Rows written
// before it keep a child's home, their contacts' homes and their family network's homes to
// about a metre; it snaps each to the centre of its S2 cell of level 13 (catalogue.Location.
// Coarse), the rule every write has applied since (fromChild, fromNetworkMember). SQL has no
// S2, so the migration is a Go step of the migration runner (goose), the same for both
// backends, in the migration's transaction; there is no SQL file of that number. It is
// idempotent (a cell's centre is its own centre) and touches only rows that change. Down does
// nothing: the precision given up is not kept anywhere, by design.
//
// Version and updated_at are left alone: the record says the same, to a kilometre, and an
// officer's edit in flight does not conflict with it.
const coarsenVersion = 26

// coarsenMigration is migration 00026 for the backend.
func coarsenMigration(backend string) *goose.Migration {
	return goose.NewGoMigration(coarsenVersion, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		return coarsenPeople(ctx, tx, backend == BackendPostgres)
	}}, nil)
}

// coarsenPeople snaps the stored locations of children, their contacts and their family
// networks.
func coarsenPeople(ctx context.Context, tx *sql.Tx, postgres bool) error {
	arg := func(n int) string {
		if postgres {
			return fmt.Sprintf("$%d", n)
		}
		return "?"
	}
	contactsArg := arg(3)
	if postgres {
		contactsArg += "::text::jsonb"
	}

	type child struct {
		id       int64
		home     catalogue.Location
		contacts string
	}
	var children []child
	err := query(ctx, tx, "SELECT id, home_lat, home_lng, contacts FROM children", func(rows *sql.Rows) error {
		var c child
		if err := rows.Scan(&c.id, &c.home.Lat, &c.home.Lng, &c.contacts); err != nil {
			return err
		}
		children = append(children, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("coarsen children: %w", err)
	}
	update := "UPDATE children SET home_lat = " + arg(1) + ", home_lng = " + arg(2) + ", contacts = " + contactsArg + " WHERE id = " + arg(4)
	for _, c := range children {
		contacts, changed, err := coarseContacts(c.contacts)
		if err != nil {
			return fmt.Errorf("coarsen child %d: %w", c.id, err)
		}
		home := c.home.Coarse()
		if home == c.home && !changed {
			continue
		}
		if _, err := tx.ExecContext(ctx, update, home.Lat, home.Lng, contacts, c.id); err != nil {
			return fmt.Errorf("coarsen child %d: %w", c.id, err)
		}
	}

	type member struct {
		id    int64
		where catalogue.Location
	}
	var members []member
	err = query(ctx, tx, "SELECT id, lat, lng FROM family_network", func(rows *sql.Rows) error {
		var m member
		if err := rows.Scan(&m.id, &m.where.Lat, &m.where.Lng); err != nil {
			return err
		}
		members = append(members, m)
		return nil
	})
	if err != nil {
		return fmt.Errorf("coarsen family network: %w", err)
	}
	update = "UPDATE family_network SET lat = " + arg(1) + ", lng = " + arg(2) + " WHERE id = " + arg(3)
	for _, m := range members {
		if where := m.where.Coarse(); where != m.where {
			if _, err := tx.ExecContext(ctx, update, where.Lat, where.Lng, m.id); err != nil {
				return fmt.Errorf("coarsen family network member %d: %w", m.id, err)
			}
		}
	}
	return nil
}

// query runs a query and calls scan for each row, reading them all before the caller writes
// (one connection cannot read and write at once).
func query(ctx context.Context, tx *sql.Tx, q string, scan func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// coarseContacts snaps the location of each contact of a stored contact plan (a contactDoc
// list), leaving every other key as it is (a contact centre, an organisation's place, stays
// exact). changed is false when nothing moved.
func coarseContacts(doc string) (out string, changed bool, err error) {
	var contacts []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &contacts); err != nil {
		return "", false, fmt.Errorf("contacts: %w", err)
	}
	for _, c := range contacts {
		raw, ok := c["location"]
		if !ok {
			continue
		}
		var loc locationDoc
		if err := json.Unmarshal(raw, &loc); err != nil {
			return "", false, fmt.Errorf("contacts: location: %w", err)
		}
		coarse := fromLocation(loc.location().Coarse())
		if coarse == loc {
			continue
		}
		if c["location"], err = json.Marshal(coarse); err != nil {
			return "", false, err
		}
		changed = true
	}
	if !changed {
		return doc, false, nil
	}
	b, err := json.Marshal(contacts)
	return string(b), true, err
}
