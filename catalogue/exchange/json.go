package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonKey is a file-local key: a JSON string or whole number, kept as a string. Export writes
// stored IDs as numbers.
type jsonKey string

func (k *jsonKey) UnmarshalJSON(b []byte) error {
	s, err := stringOrInt(b)
	if err != nil {
		return &json.UnmarshalTypeError{Value: valueKind(b), Type: reflect.TypeFor[jsonKey]()}
	}
	*k = jsonKey(s)
	return nil
}

func (k jsonKey) MarshalJSON() ([]byte, error) {
	if n, err := strconv.ParseInt(string(k), 10, 64); err == nil && strconv.FormatInt(n, 10) == string(k) {
		return []byte(k), nil
	}
	return json.Marshal(string(k))
}

// jsonText is a string that a council's system may write as a number (PDS childId is an
// integer); it is always written back as a string.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	s, err := stringOrInt(b)
	if err != nil {
		return &json.UnmarshalTypeError{Value: valueKind(b), Type: reflect.TypeFor[jsonText]()}
	}
	*t = jsonText(s)
	return nil
}

func stringOrInt(b []byte) (string, error) {
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(n, 10), nil
}

func valueKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '"':
		return "string"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	case b[0] == 'n':
		return "null"
	}
	return "number " + string(b)
}

// readJSON reads the whole file within the size limit. It first decodes the file strictly into
// fast (a struct of lists of typed records), which is all a good file needs; when that fails it
// decodes the top-level object into slow (a struct of lists of json.RawMessage), so that each
// record can then be decoded on its own and every bad one reported. It returns whether fast
// holds the file, and false for ok after reporting a file-level problem.
func readJSON(in io.Reader, opt DecodeOptions, rep *report, fast, slow any) (fastOK, ok bool) {
	data, err := io.ReadAll(&limitedReader{r: in, n: opt.MaxBytes})
	switch {
	case errors.Is(err, errTooLarge):
		rep.add(0, "", "the file is larger than %d bytes", opt.MaxBytes)
		return false, false
	case err != nil:
		rep.add(0, "", "the file could not be read: %v", err)
		return false, false
	case len(bytes.TrimSpace(data)) == 0:
		rep.add(0, "", "the file is empty")
		return false, false
	}
	if utf8.Valid(data) && decodeStrict(data, fast) == nil {
		return true, true
	}
	if err := decodeStrict(data, slow); err != nil {
		var trailing trailingError
		if errors.As(err, &trailing) {
			line, col := lineCol(data, int64(trailing))
			rep.add(0, "", "line %d, column %d: unexpected data after the top-level object", line, col)
		} else {
			reportJSONError(rep, 0, "", data, slow, err)
		}
		return false, false
	}
	return false, true
}

// trailingError is the offset of data after the top-level value.
type trailingError int64

func (e trailingError) Error() string { return fmt.Sprintf("unexpected data at offset %d", int64(e)) }

// decodeStrict decodes one JSON value, refusing unknown fields and anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return trailingError(dec.InputOffset())
	}
	return nil
}

// noNil reports whether no record of a list decoded from JSON was null.
func noNil[T any](list []*T) bool { return !slices.Contains(list, nil) }

// decodeRecord decodes one record strictly into v. Problems are reported under the record's
// row, with prefix before field names (the list name for secondary lists).
func decodeRecord(raw json.RawMessage, v any, s *rowSink, prefix, what string) bool {
	if !utf8.Valid(raw) {
		s.fail(prefix+badUTF8Path(raw), "must be valid UTF-8 text")
		return false
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		s.fail(strings.TrimSuffix(prefix, "."), "each %s must be a JSON object", what)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		reportJSONError(s.rep, s.row, prefix, raw, v, err)
		s.mark(prefix)
		return false
	}
	return true
}

// reportJSONError turns a decoding error into a field error.
func reportJSONError(rep *report, row int, prefix string, data []byte, v any, err error) {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		rep.add(row, strings.TrimSuffix(prefix, "."), "line %d, column %d: malformed JSON: %v", line, col, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if p := pathAtOffset(data, typ.Offset); p != "" && stripIndexes(p) == field {
			field = p // the same path with the list positions the decoder leaves out
		}
		rep.add(row, prefix+field, "%s, not %s", typeMsg(typ.Type), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		rep.add(row, strings.TrimSuffix(prefix, "."), "the JSON ends too soon")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := unknownKeyPath(data, reflect.TypeOf(v))
		if name == "" { // not found again: name the key as the decoder did
			var uerr error
			if name, uerr = strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field ")); uerr != nil {
				name = strings.TrimPrefix(err.Error(), "json: unknown field ")
			}
		}
		rep.add(row, prefix+clip(name), "is not a known field (see docs/exchange.md)")
	default:
		rep.add(row, strings.TrimSuffix(prefix, "."), "malformed JSON: %v", err)
	}
}

func typeMsg(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[jsonKey](), reflect.TypeFor[jsonText]():
		return "must be a string or a whole number"
	case reflect.TypeFor[jsonProviderRef]():
		return "must be a stored provider's ID (a whole number) or the id of a provider in the file (a string)"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be a whole number in range"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Slice, reflect.Array:
		return "must be a list"
	}
	return "must be an object"
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// badUTF8Path finds the path of the first string in a JSON value that is not valid UTF-8.
func badUTF8Path(raw []byte) string {
	return walkJSON(raw, func(tok json.Token, _ bool, start, end int64) bool {
		_, isString := tok.(string)
		return isString && !utf8.Valid(raw[start:end])
	})
}

// pathAtOffset finds the path of the value that ends at or after a byte offset: the value a
// decoding error's offset points at.
func pathAtOffset(raw []byte, off int64) string {
	return walkJSON(raw, func(_ json.Token, key bool, _, end int64) bool { return !key && end >= off })
}

// walkJSON visits the tokens of a JSON value with their byte range (separators before them
// included) and whether each is an object key, and returns the path ("contacts[1].name") of
// the first one stop accepts, or "".
func walkJSON(raw []byte, stop func(tok json.Token, key bool, start, end int64) bool) string {
	type frame struct {
		array bool
		idx   int
		key   string
		atKey bool // an object expecting a key
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			switch {
			case f.array:
				fmt.Fprintf(&b, "[%d]", f.idx)
			case b.Len() > 0:
				b.WriteString("." + f.key)
			default:
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	// valueDone moves the innermost frame past a value.
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].idx++
			} else {
				stack[n-1].atKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	prev := dec.InputOffset()
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		cur := dec.InputOffset()
		start := prev
		prev = cur
		n := len(stack)
		isKey := false
		if s, ok := tok.(string); ok && n > 0 && !stack[n-1].array && stack[n-1].atKey {
			isKey = true
			stack[n-1].key, stack[n-1].atKey = clip(s), false
		}
		closing := tok == json.Delim('}') || tok == json.Delim(']')
		if !closing && stop(tok, isKey, start, cur) {
			return path()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{atKey: true})
		case json.Delim('['):
			stack = append(stack, frame{array: true})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			if !isKey {
				valueDone()
			}
		}
	}
}

// unknownKeyPath finds the path of the first key in a JSON value that the Go type it is
// decoded into has no field for, matching names as encoding/json does (without regard to case).
func unknownKeyPath(raw []byte, root reflect.Type) string {
	deref := func(t reflect.Type) reflect.Type {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		return t
	}
	type frame struct {
		t     reflect.Type // the struct or slice the value decodes into; nil when unknown
		array bool
		idx   int
		key   string
		atKey bool
		next  reflect.Type // the type of the value after key
	}
	var stack []frame
	inner := func() reflect.Type {
		if len(stack) == 0 {
			return deref(root)
		}
		f := stack[len(stack)-1]
		if f.array {
			if f.t != nil && (f.t.Kind() == reflect.Slice || f.t.Kind() == reflect.Array) {
				return deref(f.t.Elem())
			}
			return nil
		}
		return f.next
	}
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			switch {
			case f.array:
				fmt.Fprintf(&b, "[%d]", f.idx)
			case b.Len() > 0:
				b.WriteString("." + f.key)
			default:
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].idx++
			} else {
				stack[n-1].atKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{t: inner(), atKey: true})
			case '[':
				stack = append(stack, frame{t: inner(), array: true})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			n := len(stack)
			if n == 0 || stack[n-1].array || !stack[n-1].atKey {
				valueDone()
				continue
			}
			f := &stack[n-1]
			f.key, f.atKey, f.next = clip(t), false, nil
			if f.t != nil && f.t.Kind() == reflect.Struct {
				ft, ok := jsonField(f.t, t)
				if !ok {
					return path()
				}
				f.next = deref(ft)
			}
		default:
			valueDone()
		}
	}
}

// jsonField returns the type of the field of struct t that JSON key name decodes into.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f.Type, true
		}
	}
	return nil, false
}

// stripIndexes removes list positions from a path: "contacts[1].name" becomes "contacts.name".
func stripIndexes(p string) string {
	var b strings.Builder
	skip := false
	for _, r := range p {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeJSON writes v indented, without escaping <, > and &.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("exchange: write JSON: %w", err)
	}
	return nil
}
