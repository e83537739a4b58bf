package api

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Text is checked once per way in, so that no field can escape (catalogue.TextProblem says
// what is refused and why): every string of a decoded JSON body (decodeJSON), every query
// parameter's name and value (plainQuery), X-Reason (reasonHeader), and every cell of an import
// (exchange). The child's own words on their pages are cleaned instead (childText).

// maxTextErrors bounds the fields one refusal names.
const maxTextErrors = 20

// checkText walks a decoded request body and refuses any string in it that is not fit to keep,
// naming its JSON path ("contacts[2].name"; a map's key as "weights.needs"). A map key that is
// not text is named by its map.
func checkText(v any) error {
	var errs []catalogue.FieldError
	walkText(reflect.ValueOf(v), "", func(path, msg string) bool {
		if path == "" {
			path = "body"
		}
		errs = append(errs, catalogue.FieldError{Field: path, Message: msg})
		return len(errs) < maxTextErrors
	})
	if len(errs) == 0 {
		return nil
	}
	return catalogue.InvalidFields(errs)
}

// walkText calls bad for each string under v that catalogue.TextProblem refuses, until bad
// returns false; it returns false when stopped.
func walkText(v reflect.Value, path string, bad func(path, msg string) bool) bool {
	switch v.Kind() {
	case reflect.String:
		if msg := catalogue.TextProblem(v.String()); msg != "" {
			return bad(path, msg)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return walkText(v.Elem(), path, bad)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return true // []byte is not text in JSON (base64)
		}
		for i := range v.Len() {
			if !walkText(v.Index(i), fmt.Sprintf("%s[%d]", path, i), bad) {
				return false
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		if v.Type().Key().Kind() == reflect.String { // in order, so the answer is the same each time
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		}
		for _, k := range keys {
			if k.Kind() == reflect.String {
				if msg := catalogue.TextProblem(k.String()); msg != "" {
					if !bad(path, "has a key that is not text: "+msg) {
						return false
					}
					continue
				}
			}
			if !walkText(v.MapIndex(k), joinPath(path, fmt.Sprint(k.Interface())), bad) {
				return false
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "-" {
				continue
			}
			p := path
			if !f.Anonymous || tag != "" {
				name := tag
				if name == "" {
					name = f.Name
				}
				p = joinPath(path, name)
			}
			if !walkText(v.Field(i), p, bad) {
				return false
			}
		}
	}
	return true
}

// plainQuery refuses a query parameter whose name or value is not text, on every route, naming
// it, before any handler reads it (a NUL in /v1/audit?subject= was a 500 on PostgreSQL).
func (s *server) plainQuery(c *gin.Context) {
	if c.Request.URL.RawQuery == "" {
		c.Next()
		return
	}
	var errs []catalogue.FieldError
	q := c.Request.URL.Query()
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if msg := catalogue.TextProblem(name); msg != "" {
			errs = append(errs, catalogue.FieldError{Field: "query", Message: "has a parameter whose name is not text: " + msg})
			continue
		}
		for _, v := range q[name] {
			if msg := catalogue.TextProblem(v); msg != "" {
				errs = append(errs, catalogue.FieldError{Field: name, Message: msg})
				break
			}
		}
	}
	if len(errs) > 0 {
		s.writeProblem(c, catalogue.InvalidFields(errs[:min(len(errs), maxTextErrors)]))
		return
	}
	c.Next()
}

// childText is what a child typed in a box of their page, ready to keep: Windows and old Mac
// line ends become newlines, other control characters are taken out, and spaces at either end
// are trimmed. A child cannot see a control character (it comes in with pasted text), so could
// not remove it if asked; taking it out loses nothing they meant and keeps their answer, which
// a refusal (or a 500, before) would lose. Bytes that are not UTF-8 are left for the page's
// own check, which asks the child kindly to write again.
func childText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if catalogue.TextProblem(s) == "" {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(s[0]) // not UTF-8: kept for the page's check
		case r == '\r':
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < ' ' || (r >= 0x7f && r <= 0x9f):
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return strings.TrimSpace(b.String())
}
