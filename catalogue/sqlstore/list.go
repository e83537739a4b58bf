package sqlstore

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// fetchFunc reads up to n rows whose ID is greater than after, in ascending ID order.
type fetchFunc[R any] func(after int64, n int) ([]R, error)

// paginate reads one page of rows by ascending ID after the cursor. keep, when not nil, is a
// filter that runs in Go after SQL (the exact great-circle test of a Near filter); paginate then
// reads on until the page is full or the table is exhausted, so a filter never shortens a page
// that has more rows after it. It returns the rows and the cursor of the next page (0 when there
// is none).
func paginate[R any](limit int, after int64, id func(R) int64, fetch fetchFunc[R], keep func(R) bool) ([]R, int64, error) {
	limit = catalogue.ClampLimit(limit)
	want := limit + 1 // one more than the page says whether another page follows
	n := want
	if keep != nil {
		n = want + want/2 + 16 // a circle fills about 79% of its bounding box
	}
	var out []R
	for len(out) < want {
		rows, err := fetch(after, n)
		if err != nil {
			return nil, 0, err
		}
		for _, r := range rows {
			if keep == nil || keep(r) {
				out = append(out, r)
				if len(out) == want {
					break
				}
			}
		}
		if len(rows) < n {
			break
		}
		after = id(rows[len(rows)-1])
	}
	if len(out) <= limit {
		return out, 0, nil
	}
	out = out[:limit]
	return out, id(out[limit-1]), nil
}

// readRows reads one page of q's rows by ascending ID after the cursor (paginate, with no filter
// in Go), and the cursor of the next page; what names the rows in an error.
func readRows[R any](q *gorm.DB, limit int, after int64, id func(R) int64, what string) ([]R, int64, error) {
	return paginate(limit, after, id, func(after int64, n int) ([]R, error) {
		var rows []R
		err := afterID(q.Session(&gorm.Session{}), after, n).Find(&rows).Error
		return rows, dbError(err, what)
	}, nil)
}

// readPage reads one page of q's rows (readRows) and converts each with to.
func readPage[R, T any](q *gorm.DB, limit int, after int64, id func(R) int64, to func(R) (T, error), what string) (catalogue.Page[T], error) {
	rows, next, err := readRows(q, limit, after, id, what)
	if err != nil {
		return catalogue.Page[T]{}, err
	}
	page := catalogue.Page[T]{Items: make([]T, len(rows)), Next: next}
	for i, r := range rows {
		if page.Items[i], err = to(r); err != nil {
			return catalogue.Page[T]{}, err
		}
	}
	return page, nil
}

// afterID adds the cursor, the order and the limit of one read of a page.
func afterID(q *gorm.DB, after int64, n int) *gorm.DB {
	if after > 0 {
		q = q.Where("id > ?", after)
	}
	return q.Order("id").Limit(n)
}

// near is a checked Near filter with the bounding box of its circle.
type near struct {
	catalogue.Near
	minLat, maxLat float64
	minLng, maxLng float64
	allLng         bool // the circle reaches a pole or the antimeridian
}

// newNear checks a Near filter and computes the smallest latitude/longitude box that holds its
// circle.
func newNear(n *catalogue.Near) (*near, error) {
	if n == nil {
		return nil, nil
	}
	if err := n.Centre.Validate(); err != nil {
		return nil, fmt.Errorf("near.centre: %w", err)
	}
	if !(n.RadiusKm > 0 && n.RadiusKm <= 2000) {
		return nil, catalogue.Invalid("near.radius_km", "must be more than 0 and at most 2000")
	}
	const deg = 180 / math.Pi
	const margin = 1e-9                       // degrees, against rounding at the edge of the box
	d := n.RadiusKm / catalogue.EarthRadiusKm // angular radius
	b := &near{Near: *n}
	b.minLat = n.Centre.Lat - d*deg - margin
	b.maxLat = n.Centre.Lat + d*deg + margin
	s := math.Sin(d) / math.Cos(n.Centre.Lat/deg)
	if b.minLat <= -90 || b.maxLat >= 90 || s >= 1 {
		b.allLng = true
		return b, nil
	}
	dLng := math.Asin(s)*deg + margin
	b.minLng, b.maxLng = n.Centre.Lng-dLng, n.Centre.Lng+dLng
	b.allLng = b.minLng < -180 || b.maxLng > 180
	return b, nil
}

// where restricts a query to the box; lat and lng name the columns.
func (b *near) where(q *gorm.DB, lat, lng string) *gorm.DB {
	q = q.Where(lat+" BETWEEN ? AND ?", b.minLat, b.maxLat)
	if !b.allLng {
		q = q.Where(lng+" BETWEEN ? AND ?", b.minLng, b.maxLng)
	}
	return q
}

// contains is the exact test: within RadiusKm of the centre, as the crow flies.
func (b *near) contains(l catalogue.Location) bool {
	return catalogue.DistanceKm(b.Centre, l) <= b.RadiusKm
}

// oneOf returns a condition that col is one of ids, with a single parameter: a PostgreSQL array
// or a SQLite JSON array. A page of 5,000 IDs as an IN list would be 5,000 parameters, which the
// SQLite driver binds in time that grows with their square.
func (s *Store) oneOf(col string, ids []int64) (string, any) {
	b := make([]byte, 0, 8*len(ids)+2)
	open, close := byte('['), byte(']')
	if s.backend == BackendPostgres {
		open, close = '{', '}'
	}
	b = append(b, open)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	b = append(b, close)
	if s.backend == BackendPostgres {
		return col + " = ANY(CAST(? AS bigint[]))", string(b)
	}
	return col + " IN (SELECT value FROM json_each(?))", string(b)
}

// arrayQuoter escapes an element of a PostgreSQL array literal, inside double quotes.
var arrayQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// oneOfText is oneOf for text values.
func (s *Store) oneOfText(col string, vs []string) (string, any) {
	if s.backend == BackendPostgres {
		var b strings.Builder
		b.WriteByte('{')
		for i, v := range vs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('"')
			b.WriteString(arrayQuoter.Replace(v))
			b.WriteByte('"')
		}
		b.WriteByte('}')
		return col + " = ANY(CAST(? AS text[]))", b.String()
	}
	j, _ := json.Marshal(vs) // strings always encode
	return col + " IN (SELECT value FROM json_each(?))", string(j)
}
