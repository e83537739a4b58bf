// Package sqlstore keeps the catalogue (catalogue.Store) in a SQL database through GORM: in
// PostgreSQL in production, chosen by a postgres:// or postgresql:// DSN, and otherwise in an
// embedded, pure-Go SQLite file (github.com/glebarez/sqlite), so that the service runs on a fresh
// machine with no setup.
//
// # Schema and migrations
//
// The schema is written by hand, once per dialect, in versioned SQL files embedded in the binary
// (migrations/postgres and migrations/sqlite), and applied by github.com/pressly/goose/v3 used as
// a library. Goose was chosen over a home-made runner because it already does what a runner must
// do and is easy to get wrong: a version table (goose_db_version), one transaction per migration,
// refusal of out-of-order or missing versions, and, on PostgreSQL, an advisory session lock so
// that several instances starting together against one database migrate it exactly once. GORM's
// AutoMigrate is never used: the indexes, partial unique indexes, check constraints and triggers
// the store relies on are stated in the SQL files, where they can be reviewed.
//
// # Rows
//
// Each table has an unexported row struct and a pair of named converters (toChild, fromChild,
// ...). Fields that are filtered on are real, indexed columns; nested lists (needs, contacts,
// exclusion zones, household, approval terms, skills, ...) are JSON documents (jsonb on
// PostgreSQL) with their own small document types, so that renaming a field of a domain type
// never silently changes what is stored.
//
// # Rules kept in every query
//
//   - Every query carries the caller's context; every write runs in one transaction (inTx)
//     together with its audit row.
//   - The catalogue.Scope is applied inside the SQL: a record out of scope is ErrNotFound.
//   - Updates are optimistic: UPDATE ... WHERE id = ? AND version = ?, checked by rows affected.
//   - A place is promised or given by a conditional UPDATE (... AND status = 'available'), with
//     a partial unique index (a child fills at most one place) as the backstop, so one vacancy
//     is never given to two children however many requests race for it.
//   - Accepting an offer fills its home's places with the same conditional update, in the
//     transaction that changes the offer (itself a conditional update on its version) and writes
//     the audit rows: of any number of acceptances racing for a last place, one wins. The
//     support plans of the children moving are written in that transaction too, from their
//     needs and the home's skills as they are then: an accept that fails leaves none.
//   - A child's link token and session secret are stored only as SHA-256 hashes; a link opens
//     once (a conditional update on redeemed_at, and a unique index on the session's link). A
//     link and its session are for one purpose, an offer or the child's check-ins (a check
//     constraint ties the purpose to the offer), and the session can act on nothing else.
//   - Errors are *catalogue.Error of a kind (matching catalogue.ErrNotFound, ErrConflict,
//     ErrInvalid, ErrForbidden or ErrUnavailable with errors.Is) and never carry the values of a
//     child's record: a conflict's message, which callers are shown, names records by their IDs;
//     the SQL logger logs only slow query templates, never parameters.
package sqlstore
