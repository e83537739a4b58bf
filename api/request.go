package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// decodeJSON reads a JSON body strictly: one value, no unknown fields, every string text (see
// checkText). Errors name the field.
func decodeJSON(c *gin.Context, dst any) error {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return statusError(http.StatusUnsupportedMediaType, "the body must be application/json")
		}
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return fieldError("body", "must hold exactly one JSON object")
	}
	return checkText(dst)
}

// jsonError turns a decoding error into a 400 naming the field, or a 413.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.Is(err, io.EOF):
		return fieldError("body", "is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fieldError("body", "ends before the JSON object does")
	case errors.As(err, &syn):
		return fieldError("body", "is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return fieldError(field, "must be %s, not %s", jsonTypeName(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" {
			return fieldError("body", "has a field with an empty name")
		}
		return fieldError(name, "is not a known field")
	}
	return fieldError("body", "could not be read as JSON")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int64", "int32", "uint", "uint64", "float64", "float32":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}

// pathID parses the :id path parameter as a positive integer.
func pathID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fieldError("id", "must be a positive whole number")
	}
	return id, nil
}

// checkUpdate holds a PUT's body to its path: the body's id, when sent, must be the path's, and
// the version read is required, so a newer change is not overwritten.
func checkUpdate(pathID, bodyID int64, version int) error {
	if bodyID != 0 && bodyID != pathID {
		return fieldError("id", "must match the ID in the path, or be left out")
	}
	if version == 0 {
		return fieldError("version", "is required: send the version you read, so a newer change is not overwritten")
	}
	return nil
}

// query reads query parameters, refusing any that the route does not know.
type query struct {
	c    *gin.Context
	errs []catalogue.FieldError
}

// keyQuery keeps on the gin context the names of the query parameters the route accepts, as its
// entry of the route table documents them.
const keyQuery = "query_names"

// withQuery tells the handlers (through newQuery) which query parameters their route accepts.
func withQuery(names []string) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(keyQuery, names)
		c.Next()
	}
}

// newQuery reads the request's query, refusing parameters its route does not document.
func newQuery(c *gin.Context) *query {
	q := &query{c: c}
	known := c.GetStringSlice(keyQuery)
	for _, name := range slices.Sorted(maps.Keys(c.Request.URL.Query())) {
		switch {
		case name == "":
			q.fail("query", "has a parameter with no name")
		case !slices.Contains(known, name):
			q.fail(name, "is not a known query parameter (known: %s)", strings.Join(known, ", "))
		}
	}
	return q
}

func (q *query) fail(field, format string, args ...any) {
	q.errs = append(q.errs, catalogue.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (q *query) str(name string) string { return q.c.Query(name) }

func (q *query) int(name string, lo, hi int64) int64 {
	v := q.c.Query(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		q.fail(name, "must be a whole number from %d to %d", lo, hi)
		return 0
	}
	return n
}

func (q *query) float(name string, lo, hi float64) (float64, bool) {
	v := q.c.Query(name)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= lo && f <= hi) {
		q.fail(name, "must be a number from %g to %g", lo, hi)
		return 0, false
	}
	return f, true
}

func (q *query) bool(name string) bool {
	switch q.c.Query(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	q.fail(name, "must be true or false")
	return false
}

// enum checks a value against the allowed ones (empty is allowed and means "any").
func enum[T ~string](q *query, name string, valid func(T) bool) T {
	v := T(q.c.Query(name))
	if v != "" && !valid(v) {
		q.fail(name, "is not a known value")
	}
	return v
}

// near reads near=LAT,LNG and within_km=KM.
func (q *query) near() *catalogue.Near {
	v := q.c.Query("near")
	km, hasKm := q.float("within_km", 0.1, 500)
	if v == "" {
		if hasKm {
			q.fail("near", "is required with within_km (near=LAT,LNG)")
		}
		return nil
	}
	lat, lng, ok := strings.Cut(v, ",")
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	ln, err2 := strconv.ParseFloat(strings.TrimSpace(lng), 64)
	if !ok || err1 != nil || err2 != nil {
		q.fail("near", "must be LAT,LNG in decimal degrees")
		return nil
	}
	loc := catalogue.Location{Lat: la, Lng: ln}
	if err := loc.Validate(); err != nil {
		q.fail("near", "must be a point in Great Britain or Ireland")
		return nil
	}
	if !hasKm {
		km = 10
	}
	return &catalogue.Near{Centre: loc, RadiusKm: km}
}

// page reads limit and cursor.
func (q *query) page() (limit int, after int64) {
	limit = int(q.int("limit", 1, 500))
	if c := q.c.Query("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		n, err2 := strconv.ParseInt(string(b), 10, 64)
		if err != nil || err2 != nil || n <= 0 {
			q.fail("cursor", "is not a cursor this API returned")
		}
		after = n
	}
	return limit, after
}

func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return catalogue.InvalidFields(q.errs)
}

func cursor(next int64) string {
	if next == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(next, 10)))
}

func pageOf[T, D any](p catalogue.Page[T], conv func(T) D) pageDTO[D] {
	out := pageDTO[D]{Items: make([]D, len(p.Items)), NextCursor: cursor(p.Next)}
	for i, v := range p.Items {
		out.Items[i] = conv(v)
	}
	return out
}

func isNotFound(err error) bool { return errors.Is(err, catalogue.ErrNotFound) }
