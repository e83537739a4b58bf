package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The hot reads: what every options request reads of a child (the record, the placement
// history, the sibling group and its members, the inadequate-rating overrides). GORM scans a
// row by reflection, field by field through its schema, and that was most of the store's share of
// a request (issue 22); these read the same rows through database/sql with explicit column lists
// into the same row structs, and convert them with the same functions, so that they return what
// the GORM reads returned. A column added to one of these tables is added to its list here:
// store_test.go reads back a child with every field set, homes_test.go compares EpisodesOf with
// History (which GORM reads), and signoffs_test.go the overrides given.
//
// They are not prepared statements: SQLite's driver (glebarez/go-sqlite) compiles the SQL again
// at every execution even of a *sql.Stmt (its stmt.query calls prepareV2), so preparing measured
// no different; pgx caches its statements already.

// hotQuery is one statement in both dialects: written with ? placeholders, numbered ($1, $2...)
// for PostgreSQL once, when the package is initialised.
type hotQuery struct{ sqlite, postgres string }

func newHotQuery(q string) hotQuery {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return hotQuery{sqlite: q, postgres: b.String()}
}

// query runs q on the store's connections.
func (s *Store) query(ctx context.Context, q hotQuery, args ...any) (*sql.Rows, error) {
	text := q.sqlite
	if s.backend == BackendPostgres {
		text = q.postgres
	}
	return s.sqlDB.QueryContext(ctx, text, args...)
}

const childColumns = `id, council, case_ref, first_name, date_of_birth, sex, ethnicity, religion, first_language,
communication, legal_status, needs, risks_to_others, care_type, purpose, needed_by, home_lat, home_lng, school,
contacts, sibling_group_id, exclusion_zones, companions, pets, allergies, respiratory, wheelchair, wishes, status,
version, created_at, updated_at, sdq_band, camhs, deprivation_of_liberty, kin_not_first_reason,
parents_considered_on, parents_not, parents_reason, confidential`

var (
	qChild        = newHotQuery(`SELECT ` + childColumns + ` FROM children WHERE id = ?`)
	qChildCouncil = newHotQuery(`SELECT ` + childColumns + ` FROM children WHERE id = ? AND council = ?`)
)

// scanChild scans a row of childColumns.
func scanChild(rows *sql.Rows) (childRow, error) {
	var r childRow
	err := rows.Scan(&r.ID, &r.Council, &r.CaseRef, &r.FirstName, scanTime(&r.DateOfBirth), &r.Sex, &r.Ethnicity, &r.Religion,
		&r.FirstLanguage, &r.Communication, &r.LegalStatus, &r.Needs, &r.RisksToOthers, &r.CareType, &r.Purpose,
		scanTime(&r.NeededBy), &r.HomeLat, &r.HomeLng, &r.School, &r.Contacts, &r.SiblingGroupID, &r.ExclusionZones,
		&r.Companions, &r.Pets, &r.Allergies, &r.Respiratory, &r.Wheelchair, &r.Wishes, &r.Status, &r.Version,
		scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt), &r.SDQBand, &r.CAMHS, &r.DeprivationOfLiberty, &r.KinNotFirstReason,
		scanNullTime(&r.ParentsConsideredOn), &r.ParentsNot, &r.ParentsReason, &r.Confidential)
	return r, err
}

// readChild reads one child in scope: catalogue.ErrNotFound when there is none (or it is outside
// the scope).
func (s *Store) readChild(ctx context.Context, sc catalogue.Scope, id catalogue.ChildID) (childRow, error) {
	what := "child " + id.String()
	var rows *sql.Rows
	var err error
	switch {
	case sc.Provider != 0: // no child is in a provider's scope (councilScope)
		return childRow{}, notFound("%s", what)
	case sc.Council != "":
		rows, err = s.query(ctx, qChildCouncil, int64(id), string(sc.Council))
	default:
		rows, err = s.query(ctx, qChild, int64(id))
	}
	if err != nil {
		return childRow{}, dbError(err, what)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return childRow{}, dbError(err, what)
		}
		return childRow{}, notFound("%s", what)
	}
	r, err := scanChild(rows)
	if err != nil {
		return childRow{}, dbError(err, what)
	}
	return r, dbError(rows.Close(), what)
}

const episodeReadColumns = `e.id, e.child_id, e.start_date, e.end_date, e.reason, e.setting, e.placement_id, e.provider_id,
e.placed_in, e.distance_km, e.changed_school, e.staying_put, e.staying_put_agreed_on, e.version, e.rne, e.legal_code,
e.need_category, e.place_code, e.provider_code, e.ceased, e.home_district, e.placed_district, e.urn, e.reason_given,
e.created_at, e.updated_at, c.council`

const episodesFrom = ` FROM placement_episodes AS e JOIN children AS c ON c.id = e.child_id WHERE `
const episodesOrder = ` ORDER BY e.child_id, e.start_date, e.id`

var (
	qEpisodesOne = newHotQuery(`SELECT ` + episodeReadColumns + episodesFrom + `e.child_id = ?` + episodesOrder)
	// The many-children forms take the IDs as one array (oneOf's forms).
	qEpisodesMany = hotQuery{
		sqlite:   `SELECT ` + episodeReadColumns + episodesFrom + `e.child_id IN (SELECT value FROM json_each(?))` + episodesOrder,
		postgres: `SELECT ` + episodeReadColumns + episodesFrom + `e.child_id = ANY(CAST($1 AS bigint[]))` + episodesOrder,
	}
)

// readEpisodes reads the episodes of the children, with each child's council, in EpisodesOf's
// order.
func (s *Store) readEpisodes(ctx context.Context, children []catalogue.ChildID, each func(episodeRow, string)) error {
	var rows *sql.Rows
	var err error
	if len(children) == 1 {
		rows, err = s.query(ctx, qEpisodesOne, int64(children[0]))
	} else {
		_, ids := s.oneOf("", int64s(children))
		rows, err = s.query(ctx, qEpisodesMany, ids)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r episodeRow
		var council string
		err := rows.Scan(&r.ID, &r.ChildID, scanTime(&r.StartDate), scanNullTime(&r.EndDate), &r.Reason, &r.Setting,
			&r.PlacementID, &r.ProviderID, &r.PlacedIn, &r.DistanceKm, &r.ChangedSchool, &r.StayingPut,
			scanNullTime(&r.StayingPutAgreedOn), &r.Version, &r.Rne, &r.LegalCode, &r.NeedCategory, &r.PlaceCode,
			&r.ProviderCode, &r.Ceased, &r.HomeDistrict, &r.PlacedDistrict, &r.Urn, &r.ReasonGiven,
			scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt), &council)
		if err != nil {
			return err
		}
		each(r, council)
	}
	return rows.Err()
}

// The group and its members in one statement: one row a member (one, with a NULL member, for a
// group without any), in the members' ID order; no row at all is no group in scope.
const groupWithMembers = `SELECT g.id, g.council, g.plan, g.reason, g.version, g.created_at, g.updated_at, c.id
FROM sibling_groups AS g LEFT JOIN children AS c ON c.sibling_group_id = g.id WHERE g.id = ?`

var (
	qGroup        = newHotQuery(groupWithMembers + ` ORDER BY c.id`)
	qGroupCouncil = newHotQuery(groupWithMembers + ` AND g.council = ? ORDER BY c.id`)
)

// readGroup reads one sibling group in scope with its members, in ID order.
func (s *Store) readGroup(ctx context.Context, sc catalogue.Scope, id catalogue.SiblingGroupID) (catalogue.SiblingGroup, error) {
	what := "sibling group " + id.String()
	var rows *sql.Rows
	var err error
	switch {
	case sc.Provider != 0:
		return catalogue.SiblingGroup{}, notFound("%s", what)
	case sc.Council != "":
		rows, err = s.query(ctx, qGroupCouncil, int64(id), string(sc.Council))
	default:
		rows, err = s.query(ctx, qGroup, int64(id))
	}
	if err != nil {
		return catalogue.SiblingGroup{}, dbError(err, what)
	}
	defer rows.Close()
	var r groupRow
	var members []catalogue.ChildID
	found := false
	for rows.Next() {
		var member sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Council, &r.Plan, &r.Reason, &r.Version, scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt), &member); err != nil {
			return catalogue.SiblingGroup{}, dbError(err, what)
		}
		found = true
		if member.Valid {
			members = append(members, catalogue.ChildID(member.Int64))
		}
	}
	if err := rows.Err(); err != nil {
		return catalogue.SiblingGroup{}, dbError(err, what)
	}
	if !found {
		return catalogue.SiblingGroup{}, notFound("%s", what)
	}
	return toGroup(r, members), nil
}

// The overrides of a child in scope, with the child's row found or not in the same statement: a
// child without overrides is one row of NULLs on the right of the join, no row at all is no child.
const overridesOf = `SELECT o.id, o.child_id, o.placement_id, o.council, o.reason, o.given_by, o.given_level, o.given_at
FROM children AS c LEFT JOIN inadequate_overrides AS o ON o.child_id = c.id WHERE c.id = ?`

var (
	qOverrides        = newHotQuery(overridesOf + ` ORDER BY o.id`)
	qOverridesCouncil = newHotQuery(overridesOf + ` AND c.council = ? ORDER BY o.id`)
)

// readOverrides reads the overrides of a child in scope, in ID order: catalogue.ErrNotFound when
// there is no such child in scope.
func (s *Store) readOverrides(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.InadequateOverride, error) {
	what := "child " + child.String()
	var rows *sql.Rows
	var err error
	switch {
	case sc.Provider != 0:
		return nil, notFound("%s", what)
	case sc.Council != "":
		rows, err = s.query(ctx, qOverridesCouncil, int64(child), string(sc.Council))
	default:
		rows, err = s.query(ctx, qOverrides, int64(child))
	}
	if err != nil {
		return nil, dbError(err, what)
	}
	defer rows.Close()
	found := false
	out := []catalogue.InadequateOverride{}
	for rows.Next() {
		found = true
		var id, childID, placement, by sql.NullInt64
		var council, reason, level sql.NullString
		var at time.Time
		if err := rows.Scan(&id, &childID, &placement, &council, &reason, &by, &level, scanTimeOrZero(&at)); err != nil {
			return nil, dbError(err, "read overrides")
		}
		if !id.Valid {
			continue
		}
		out = append(out, overrideRow{ID: id.Int64, ChildID: childID.Int64, PlacementID: placement.Int64, Council: council.String,
			Reason: reason.String, GivenBy: by.Int64, GivenLevel: level.String, GivenAt: at}.override())
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "read overrides")
	}
	if !found {
		return nil, notFound("child %d", int64(child))
	}
	return out, nil
}

// timeScan scans a date or timestamp column into a time.Time: PostgreSQL's driver gives a
// time.Time; SQLite's gives one for the columns declared DATE or TIMESTAMP, and the text as
// written otherwise, which is parsed as GORM parses it.
type timeScan struct {
	t    *time.Time
	null **time.Time // for a nullable column: nil when NULL
	zero bool        // NULL leaves t zero (the right side of an outer join)
}

func scanTime(t *time.Time) timeScan       { return timeScan{t: t} }
func scanTimeOrZero(t *time.Time) timeScan { return timeScan{t: t, zero: true} }
func scanNullTime(p **time.Time) timeScan  { return timeScan{null: p} }

// set keeps a time read.
func (ts timeScan) set(t time.Time) {
	if ts.null != nil {
		*ts.null = &t
		return
	}
	*ts.t = t
}

// Scan reads a time, a NULL or the text of one (database/sql.Scanner).
func (ts timeScan) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		if ts.null != nil {
			*ts.null = nil
			return nil
		}
		if ts.zero {
			*ts.t = time.Time{}
			return nil
		}
		return fmt.Errorf("a NULL where a time is required")
	case time.Time:
		ts.set(v)
		return nil
	case string:
		return ts.parse(v)
	case []byte:
		return ts.parse(string(v))
	}
	return fmt.Errorf("cannot read %T as a time", src)
}

// timeLayouts are the forms SQLite's driver writes times in, and dates as GORM writes them.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04",
	"2006-01-02", time.RFC3339Nano,
}

func (ts timeScan) parse(s string) error {
	s = strings.TrimSuffix(s, "Z")
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			ts.set(t)
			return nil
		}
	}
	return fmt.Errorf("cannot read %q as a time", s)
}
