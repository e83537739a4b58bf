package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Bulk inserts on PostgreSQL by columns: each column of a chunk of rows travels as one array
// literal, and one INSERT ... SELECT FROM unnest(...) writes the chunk. For the hundreds of
// thousands of rows of a national history this is several times faster than multi-row VALUES
// statements, whose cost on the server grows with their parameters. IDs are taken from the
// table's sequence first, so no reliance is placed on the order of RETURNING.

// column is one column of rows of type R: its name, the PostgreSQL type of its values and how
// to write a row's value as an array element.
type column[R any] struct {
	name, typ string
	put       func(b *strings.Builder, r *R)
}

// unnestRows is how many rows one statement writes.
const unnestRows = 20000

// allocIDs takes n new IDs from table's identity sequence, as one block: the table is locked
// against other writers until the transaction ends (they would take IDs from the sequence
// while the block is being set aside), which a bulk import may do.
func allocIDs(tx *gorm.DB, table string, n int) ([]int64, error) {
	if err := tx.Exec("LOCK TABLE " + table + " IN EXCLUSIVE MODE").Error; err != nil {
		return nil, err
	}
	var first int64
	err := tx.Raw("SELECT nextval(pg_get_serial_sequence(?, 'id'))", table).Scan(&first).Error
	if err != nil {
		return nil, err
	}
	if n > 1 {
		if err := tx.Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), ?)", table, first+int64(n)-1).Error; err != nil {
			return nil, err
		}
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	return ids, nil
}

// unnestInsert writes rows, whose IDs are already set, into table by columns, reporting each
// statement's rows to progress.
func unnestInsert[R any](tx *gorm.DB, table string, cols []column[R], rows []R, progress func(int)) error {
	names := make([]string, len(cols))
	casts := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		casts[i] = "CAST(? AS " + c.typ + "[])"
	}
	sql := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")"
	builders := make([]strings.Builder, len(cols))
	args := make([]any, len(cols))
	for chunk := range chunks(rows, unnestRows) {
		for i := range builders {
			b := &builders[i]
			b.Reset()
			b.Grow(16 * len(chunk))
			b.WriteByte('{')
			for j := range chunk {
				if j > 0 {
					b.WriteByte(',')
				}
				cols[i].put(b, &chunk[j])
			}
			b.WriteByte('}')
			args[i] = b.String()
		}
		if err := tx.Exec(sql, args...).Error; err != nil {
			return err
		}
		progress(len(chunk))
	}
	return nil
}

// bulkInsert writes new rows and fills in their IDs: by columns on PostgreSQL, with multi-row
// INSERTs of about params parameters on SQLite. id points to a row's ID.
func bulkInsert[R any](s *Store, tx *gorm.DB, table string, cols []column[R], rows []R, id func(*R) *int64, params int, progress func(int)) error {
	if len(rows) == 0 {
		return nil
	}
	if s.backend != BackendPostgres {
		return insertRows(tx, params, rows, progress)
	}
	ids, err := allocIDs(tx, table, len(rows))
	if err != nil {
		return err
	}
	for i := range rows {
		*id(&rows[i]) = ids[i]
	}
	return unnestInsert(tx, table, cols, rows, progress)
}

// Array element writers.

func putInt(b *strings.Builder, v int64) { b.WriteString(strconv.FormatInt(v, 10)) }

func putIntOrNull(b *strings.Builder, v *int64) {
	if v == nil {
		b.WriteString("NULL")
		return
	}
	putInt(b, *v)
}

func putText(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(arrayQuoter.Replace(s))
	b.WriteByte('"')
}

func putDate(b *strings.Builder, t time.Time) { b.WriteString(t.Format(time.DateOnly)) }

func putDateOrNull(b *strings.Builder, t *time.Time) {
	if t == nil {
		b.WriteString("NULL")
		return
	}
	putDate(b, *t)
}

func putTime(b *strings.Builder, t time.Time) {
	b.WriteByte('"')
	b.WriteString(t.UTC().Format(time.RFC3339Nano))
	b.WriteByte('"')
}

func putTimeOrNull(b *strings.Builder, t *time.Time) {
	if t == nil {
		b.WriteString("NULL")
		return
	}
	putTime(b, *t)
}

func putBool(b *strings.Builder, v bool) {
	if v {
		b.WriteString("true")
	} else {
		b.WriteString("false")
	}
}

func putFloat(b *strings.Builder, f float64) { b.WriteString(strconv.FormatFloat(f, 'g', -1, 64)) }

var episodeColumns = []column[episodeRow]{
	{"id", "bigint", func(b *strings.Builder, r *episodeRow) { putInt(b, r.ID) }},
	{"child_id", "bigint", func(b *strings.Builder, r *episodeRow) { putInt(b, r.ChildID) }},
	{"start_date", "date", func(b *strings.Builder, r *episodeRow) { putDate(b, r.StartDate) }},
	{"end_date", "date", func(b *strings.Builder, r *episodeRow) { putDateOrNull(b, r.EndDate) }},
	{"reason", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.Reason) }},
	{"setting", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.Setting) }},
	{"placement_id", "bigint", func(b *strings.Builder, r *episodeRow) { putIntOrNull(b, r.PlacementID) }},
	{"provider_id", "bigint", func(b *strings.Builder, r *episodeRow) { putIntOrNull(b, r.ProviderID) }},
	{"placed_in", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.PlacedIn) }},
	{"distance_km", "double precision", func(b *strings.Builder, r *episodeRow) { putFloat(b, r.DistanceKm) }},
	{"changed_school", "boolean", func(b *strings.Builder, r *episodeRow) { putBool(b, r.ChangedSchool) }},
	{"staying_put", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.StayingPut) }},
	{"rne", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.Rne) }},
	{"legal_code", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.LegalCode) }},
	{"need_category", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.NeedCategory) }},
	{"place_code", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.PlaceCode) }},
	{"provider_code", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.ProviderCode) }},
	{"ceased", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.Ceased) }},
	{"home_district", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.HomeDistrict) }},
	{"placed_district", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.PlacedDistrict) }},
	{"urn", "text", func(b *strings.Builder, r *episodeRow) { putText(b, r.Urn) }},
	{"reason_given", "boolean", func(b *strings.Builder, r *episodeRow) { putBool(b, r.ReasonGiven) }},
	{"created_at", "timestamptz", func(b *strings.Builder, r *episodeRow) { putTime(b, r.CreatedAt) }},
	{"updated_at", "timestamptz", func(b *strings.Builder, r *episodeRow) { putTime(b, r.UpdatedAt) }},
}

var moveReviewColumns = []column[moveReviewRow]{
	{"id", "bigint", func(b *strings.Builder, r *moveReviewRow) { putInt(b, r.ID) }},
	{"child_id", "bigint", func(b *strings.Builder, r *moveReviewRow) { putInt(b, r.ChildID) }},
	{"episode_id", "bigint", func(b *strings.Builder, r *moveReviewRow) { putInt(b, r.EpisodeID) }},
	{"next_episode_id", "bigint", func(b *strings.Builder, r *moveReviewRow) { putIntOrNull(b, r.NextEpisodeID) }},
	{"reason", "text", func(b *strings.Builder, r *moveReviewRow) { putText(b, r.Reason) }},
	{"moved_on", "date", func(b *strings.Builder, r *moveReviewRow) { putDate(b, r.MovedOn) }},
	{"note", "text", func(b *strings.Builder, r *moveReviewRow) { putText(b, r.Note) }},
	{"reviewed_at", "timestamptz", func(b *strings.Builder, r *moveReviewRow) { putTimeOrNull(b, r.ReviewedAt) }},
	{"reviewed_by", "bigint", func(b *strings.Builder, r *moveReviewRow) { putInt(b, r.ReviewedBy) }},
	{"outcome", "text", func(b *strings.Builder, r *moveReviewRow) { putText(b, r.Outcome) }},
	{"child_spoken_to", "boolean", func(b *strings.Builder, r *moveReviewRow) { putBool(b, r.ChildSpokenTo) }},
	{"findings", "text", func(b *strings.Builder, r *moveReviewRow) { putText(b, r.Findings) }},
	{"version", "integer", func(b *strings.Builder, r *moveReviewRow) { putInt(b, int64(r.Version)) }},
	{"created_at", "timestamptz", func(b *strings.Builder, r *moveReviewRow) { putTime(b, r.CreatedAt) }},
	{"updated_at", "timestamptz", func(b *strings.Builder, r *moveReviewRow) { putTime(b, r.UpdatedAt) }},
}

var checkInColumns = []column[checkInRow]{
	{"id", "bigint", func(b *strings.Builder, r *checkInRow) { putInt(b, r.ID) }},
	{"child_id", "bigint", func(b *strings.Builder, r *checkInRow) { putInt(b, r.ChildID) }},
	{"episode_id", "bigint", func(b *strings.Builder, r *checkInRow) { putInt(b, r.EpisodeID) }},
	{"at", "timestamptz", func(b *strings.Builder, r *checkInRow) { putTime(b, r.At) }},
	{"settled", "smallint", func(b *strings.Builder, r *checkInRow) { putInt(b, int64(r.Settled)) }},
	{"safe", "smallint", func(b *strings.Builder, r *checkInRow) { putInt(b, int64(r.Safe)) }},
	{"getting_on", "smallint", func(b *strings.Builder, r *checkInRow) { putInt(b, int64(r.GettingOn)) }},
	{"seeing", "smallint", func(b *strings.Builder, r *checkInRow) { putInt(b, int64(r.Seeing)) }},
	{"would_help", "text", func(b *strings.Builder, r *checkInRow) { putText(b, r.WouldHelp) }},
	{"way", "text", func(b *strings.Builder, r *checkInRow) { putText(b, r.Way) }},
	{"advocate_requested", "boolean", func(b *strings.Builder, r *checkInRow) { putBool(b, r.AdvocateRequested) }},
}
