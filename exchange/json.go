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

	"github.com/placematch/placematch/catalogue"
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

// jsonList is a list of records a JSON file may hold at its top level: take has each record,
// which it decodes (jsonRecord.decode) into the record type of the list.
type jsonList struct {
	name string
	take func(r *jsonRecord)
	n    int  // records read
	seen bool // the list was in the file
}

// jsonRecord is a record of a list as the stream reaches it.
type jsonRecord struct {
	pos   int // 1-based, in its list
	dec   *json.Decoder
	lc    *lineCounter
	start int64 // where the decoder was before the record
	read  bool
	fatal error // the stream cannot be read on
}

// decode decodes the record strictly into v, a pointer to a zero record, and reports its
// problems under the record's row, with prefix before field names (the list's name for
// secondary lists): not UTF-8, not an object, a field unknown or of the wrong type, a string
// that is not text. It is decoded straight from the stream; the record's bytes, which the
// stream keeps until the next record, are looked at again only to name what is wrong.
func (r *jsonRecord) decode(v any, s *rowSink, prefix, what string) bool {
	r.read = true
	err := r.dec.Decode(v)
	if isStreamError(err, r.lc) {
		r.fatal = err
		return false
	}
	// What the decoder decoded: from after the comma before the record to its end.
	raw := r.lc.between(r.start, r.dec.InputOffset())
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) > 0 && t[0] == ',' {
		raw = t[1:]
	}
	if !utf8.Valid(raw) { // the decoder turns such bytes into U+FFFD: refuse them first
		s.fail(prefix+badUTF8Path(raw), "must be valid UTF-8 text")
		return false
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		s.fail(strings.TrimSuffix(prefix, "."), "each %s must be a JSON object", what)
		return false
	}
	if err != nil {
		reportJSONError(s.rep, s.row, prefix, raw, v, err)
		s.mark(prefix)
		return false
	}
	if path, msg := badTextPath(raw); msg != "" {
		s.fail(prefix+path, "%s", msg)
		return false
	}
	return true
}

// isStreamError tells an error that stops the stream (malformed JSON, a file cut short, a
// failing reader) from one of a record that does not fit its type, after which the decoder
// reads on.
func isStreamError(err error, lc *lineCounter) bool {
	var syn *json.SyntaxError
	return err != nil && (errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || lc.err != nil)
}

// streamJSON reads the top-level object of a file and hands each record of its lists to its
// list's take, one at a time, so that a record is the most of the file ever in memory. It
// reports a problem with the file as a whole (not an object, a list that is not one, a key it
// does not know or a list given twice, more than opt.MaxRows records, malformed JSON with its
// line and column) and then returns false; a problem with a record is take's to report.
func streamJSON(in io.Reader, opt DecodeOptions, rep *report, lists ...*jsonList) bool {
	lc := &lineCounter{r: &limitedReader{r: in, n: opt.MaxBytes}, lastNL: -1}
	defer func() { lc.buf = nil }()
	dec := json.NewDecoder(lc)
	dec.DisallowUnknownFields()
	// problem reports a problem with the file as a whole, which makes its records' moot.
	problem := func(field, format string, args ...any) bool {
		rep.reset()
		rep.add(0, field, format, args...)
		return false
	}
	// failed reports why the file cannot be read on; start is where a record began, or -1 when
	// the error is not a record's.
	failed := func(err error, start int64) bool {
		var syn *json.SyntaxError
		switch {
		case errors.Is(err, ErrTooLarge):
			rep.tooLarge = true
		case errors.As(err, &syn):
			off := syn.Offset // a token's: from the start of the stream
			if start >= 0 {
				off, _ = lc.syntaxOffset(start)
			}
			line, col := lc.lineCol(off)
			return problem("", "line %d, column %d: malformed JSON: %v", line, col, syn)
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return problem("", "the JSON ends too soon")
		default:
			return problem("", "the file could not be read: %v", err)
		}
		return false
	}
	tok, err := dec.Token()
	switch {
	case errors.Is(err, io.EOF):
		return problem("", "the file is empty")
	case err != nil:
		return failed(err, -1)
	case tok == nil: // null: no lists
	case tok != json.Delim('{'):
		return problem("", "must be an object, not %s", tokenKind(tok))
	default:
		total := 0
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return failed(err, -1)
			}
			key, _ := tok.(string)
			i := slices.IndexFunc(lists, func(l *jsonList) bool { return strings.EqualFold(l.name, key) })
			if i < 0 {
				return problem(clip(key), "is not a known field (see docs/exchange.md)")
			}
			l := lists[i]
			if l.seen {
				return problem(l.name, "appears more than once: give each list once")
			}
			l.seen = true
			if tok, err = dec.Token(); err != nil {
				return failed(err, -1)
			}
			switch tok {
			case nil: // null: an empty list
				continue
			case json.Delim('['):
			default:
				return problem(l.name, "must be a list, not %s", tokenKind(tok))
			}
			for dec.More() {
				if total++; total > opt.MaxRows {
					return problem("", "the file has more than %d records: split it into smaller files", opt.MaxRows)
				}
				l.n++
				r := &jsonRecord{pos: l.n, dec: dec, lc: lc, start: dec.InputOffset()}
				l.take(r)
				if !r.read {
					var skip json.RawMessage
					if err := dec.Decode(&skip); isStreamError(err, lc) {
						r.fatal = err
					}
				}
				if r.fatal != nil {
					return failed(r.fatal, r.start)
				}
				lc.fold(dec.InputOffset())
			}
			if _, err := dec.Token(); err != nil { // ]
				return failed(err, -1)
			}
		}
		if _, err := dec.Token(); err != nil { // }
			return failed(err, -1)
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if errors.Is(err, ErrTooLarge) {
			return failed(err, -1)
		}
		line, col := lc.lineCol(dec.InputOffset())
		return problem("", "line %d, column %d: unexpected data after the top-level object", line, col)
	}
	return true
}

// tokenKind names the kind of JSON value a token starts.
func tokenKind(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "number"
}

// lineCounter keeps what it reads until fold says the reader of the stream is past it, and
// counts the lines it forgets, so that a position in a stream can be named by its line and
// column, and a record the decoder found malformed looked at again, without keeping the stream.
type lineCounter struct {
	r      io.Reader
	base   int64  // the offset of buf[from]
	lines  int    // newlines before base
	lastNL int64  // the offset of the last newline before base, -1 for none
	buf    []byte // buf[from:] is what was read from base on
	from   int
	err    error // the reader's, but for io.EOF
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		l.err = err
	}
	if l.from > 0 && l.from >= len(l.buf)/2 { // what is forgotten goes, now and then
		l.buf = append(l.buf[:0], l.buf[l.from:]...)
		l.from = 0
	}
	l.buf = append(l.buf, p[:n]...)
	return n, err
}

// kept is what was read from base on.
func (l *lineCounter) kept() []byte { return l.buf[l.from:] }

// between is what was read from one offset to another (not before the last fold).
func (l *lineCounter) between(from, to int64) []byte {
	k := l.kept()
	return k[min(max(from-l.base, 0), int64(len(k))):min(max(to-l.base, 0), int64(len(k)))]
}

// fold forgets what was read before off, counting its newlines.
func (l *lineCounter) fold(off int64) {
	k := min(max(off-l.base, 0), int64(len(l.kept())))
	done := l.kept()[:k]
	if n := bytes.Count(done, []byte("\n")); n > 0 {
		l.lines += n
		l.lastNL = l.base + int64(bytes.LastIndexByte(done, '\n'))
	}
	l.from += int(k)
	l.base += k
}

// lineCol turns a byte offset (not before the last fold) into a 1-based line and column.
func (l *lineCounter) lineCol(off int64) (int, int) {
	k := min(max(off-l.base, 0), int64(len(l.kept())))
	before := l.kept()[:k]
	line, last := l.lines+bytes.Count(before, []byte("\n")), l.lastNL
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		last = l.base + int64(i)
	}
	return line + 1, int(off - last)
}

// syntaxOffset finds where the value the decoder read from start (past a comma) is malformed:
// a Decoder's SyntaxError counts from no fixed point.
func (l *lineCounter) syntaxOffset(start int64) (int64, bool) {
	k := min(max(start-l.base, 0), int64(len(l.kept())))
	data := l.kept()[k:]
	skip := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	if skip < len(data) && data[skip] == ',' {
		skip++
	}
	var v json.RawMessage
	var syn *json.SyntaxError
	if err := json.Unmarshal(data[skip:], &v); errors.As(err, &syn) {
		return start + int64(skip) + syn.Offset, true
	}
	return 0, false
}

// badTextPath finds the first string of a JSON value (valid UTF-8) that is not text
// (catalogue.TextProblem), and says why; "" when every string is text.
func badTextPath(raw []byte) (path, msg string) {
	if !mayHoldBadText(raw) {
		return "", ""
	}
	path = walkJSON(raw, func(tok json.Token, _ bool, _, _ int64) bool {
		if s, ok := tok.(string); ok {
			msg = catalogue.TextProblem(s)
		}
		return msg != ""
	})
	return path, msg
}

// textSuspect marks the bytes mayHoldBadText looks at twice.
var textSuspect = [256]bool{'\\': true, 0x7f: true, 0xc2: true, 0xef: true}

// mayHoldBadText is a quick look at JSON that is valid UTF-8: a string can hold a control
// character only through an escape (\b, \f, \r, \u), or DEL or a C1 control written as it
// is, and U+FFFD only written so, escaped, or made by the decoder of an unpaired surrogate.
func mayHoldBadText(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if !textSuspect[raw[i]] {
			continue
		}
		switch c := raw[i]; {
		case c == '\\' && i+1 < len(raw):
			switch raw[i+1] {
			case 'b', 'f', 'r', 'u':
				return true
			}
			i++ // past the escaped character, which may be a backslash
		case c == 0x7f:
			return true
		case c == 0xc2 && i+1 < len(raw) && raw[i+1] >= 0x80 && raw[i+1] <= 0x9f:
			return true
		case c == 0xef && i+2 < len(raw) && raw[i+1] == 0xbf && raw[i+2] == 0xbd:
			return true
		}
	}
	return false
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
