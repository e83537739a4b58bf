package exchange

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/placematch/placematch/catalogue"
)

// rowSink records the problems of one record. bad remembers the fields already reported, so
// that the record's Validate, run afterwards, does not report them a second time.
type rowSink struct {
	row int
	rep *report
	bad map[string]bool
}

func newSink(row int, rep *report) *rowSink { return &rowSink{row: row, rep: rep} }

// fail reports a problem with a field (named as the file spells it).
func (s *rowSink) fail(field, format string, args ...any) {
	s.rep.add(s.row, field, format, args...)
	if s.bad == nil {
		s.bad = make(map[string]bool, 2)
	}
	s.bad[field] = true
	if base, ok := listOf(field); ok {
		s.bad[base] = true
	}
}

// listOf returns the list a list item's field belongs to: "allergies" for "allergies[1]".
// Fields inside an item ("contacts[0].name") are not list items.
func listOf(field string) (string, bool) {
	i := strings.LastIndexByte(field, '[')
	if i <= 0 || !strings.HasSuffix(field, "]") {
		return "", false
	}
	return field[:i], true
}

// mark records a field as reported without a message of its own (a problem elsewhere explains it).
func (s *rowSink) mark(field string) {
	if s.bad == nil {
		s.bad = make(map[string]bool, 2)
	}
	s.bad[field] = true
}

// reported tells whether a field, or the list it is an element of, was already reported.
func (s *rowSink) reported(field string) bool {
	if s.bad == nil {
		return false
	}
	if s.bad[field] {
		return true
	}
	base, ok := listOf(field)
	return ok && s.bad[base]
}

// validated reports the errors of a record's Validate under the file's field names, skipping
// those already reported.
func (s *rowSink) validated(err error, name func(path string) string) {
	for _, fe := range catalogue.FieldErrors(err) {
		f := name(fe.Field)
		if !s.reported(f) {
			s.rep.add(s.row, f, "%s", fe.Message)
		}
	}
}

// Typed readers shared by both formats: v is the value as read (a CSV cell, a JSON string),
// field the name to report it under. A blank value is the zero value, or "is required".

func getEnum[T ~string](s *rowSink, field, v string, all []T, aliases map[string]T, required bool) T {
	if strings.TrimSpace(v) == "" {
		if required {
			s.fail(field, "is required")
		}
		return ""
	}
	t, ok := enum(v, all, aliases)
	if !ok {
		s.fail(field, "%q %s", clip(v), unknownMsg(v, all))
	}
	return t
}

// getList reads list items; item names the field of the i-th item.
func getList[T ~string](s *rowSink, item func(i int) string, vs []string, all []T, aliases map[string]T) []T {
	if len(vs) == 0 {
		return nil
	}
	out := make([]T, 0, len(vs))
	for i, v := range vs {
		t, ok := enum(v, all, aliases)
		if !ok {
			s.fail(item(i), "%q %s", clip(v), unknownMsg(v, all))
			continue
		}
		out = append(out, t)
	}
	return out
}

func getDate(s *rowSink, field, v string, required, ukToo bool) time.Time {
	if strings.TrimSpace(v) == "" {
		if required {
			s.fail(field, "is required")
		}
		return time.Time{}
	}
	t, ok := parseDate(v, ukToo)
	if !ok {
		s.fail(field, "%q %s", clip(v), dateMsg)
	}
	return t
}

func getCouncil(s *rowSink, field, v string, names map[string]catalogue.CouncilCode) catalogue.CouncilCode {
	if strings.TrimSpace(v) == "" {
		return "" // the caller decides whether a blank council is allowed
	}
	c, ok := parseCouncil(v, names)
	if !ok {
		s.fail(field, "%q %s", clip(v), councilMsg)
	}
	return c
}

// clip shortens a value quoted in a message, so a huge or hostile cell does not flood a report.
func clip(v string) string {
	const max = 40
	if !utf8.ValidString(v) {
		return strings.ToValidUTF8(v[:min(len(v), max)], "\uFFFD")
	}
	if utf8.RuneCountInString(v) <= max {
		return v
	}
	r := []rune(v)
	return string(r[:max]) + "..."
}

// seg is one step of a catalogue field path: contacts[2] is {"contacts", 2}, lat is {"lat", -1}.
type seg struct {
	name string
	idx  int
}

// splitPath splits a catalogue path such as "contacts[2].location.lat".
func splitPath(p string) []seg {
	parts := strings.Split(p, ".")
	out := make([]seg, len(parts))
	for i, part := range parts {
		out[i] = seg{name: part, idx: -1}
		if j := strings.IndexByte(part, '['); j >= 0 && strings.HasSuffix(part, "]") {
			if n, err := strconv.Atoi(part[j+1 : len(part)-1]); err == nil {
				out[i] = seg{name: part[:j], idx: n}
			}
		}
	}
	return out
}

// renameFirst returns a path translator that renames the first step of a path and keeps the
// rest: catalogue and JSON names agree except for the PDS terms.
func renameFirst(names map[string]string, prefix string) func(string) string {
	return func(p string) string {
		head, rest := p, ""
		if i := strings.IndexAny(p, ".["); i >= 0 {
			head, rest = p[:i], p[i:]
		}
		if n, ok := names[head]; ok {
			head = n
		}
		return prefix + head + rest
	}
}
