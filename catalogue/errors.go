package catalogue

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is what sort of failure an Error is. The API answers each kind with one status (its
// table is api/problem.go's kinds); a caller that branches on the failure asks errors.Is with
// the kind's sentinel (ErrNotFound, ErrConflict, ...) or KindOf.
type Kind uint8

// The kinds of Error.
const (
	// KindInternal (the zero Kind) is a failure of the service itself: a fault it cannot name
	// for the caller. Its message is for the log; the caller is told only that it happened.
	KindInternal Kind = iota
	// KindNotFound: the record does not exist, or exists outside the caller's scope (the two
	// are never told apart).
	KindNotFound
	// KindConflict: the change would break a rule of the current state (a place already
	// filled, a duplicate key, a stale version); read again and decide again.
	KindConflict
	// KindInvalid: the input is malformed; Fields names each field at fault.
	KindInvalid
	// KindForbidden: the caller's role may not do this, or may not set these fields (Fields
	// names them), on a record they may see.
	KindForbidden
	// KindUnavailable: the database cannot be reached for the moment (it is down, restarting
	// or refusing connections, or the connection broke); the same request may work later.
	KindUnavailable
)

var kindNames = [...]string{
	KindInternal:    "internal error",
	KindNotFound:    "not found",
	KindConflict:    "conflict",
	KindInvalid:     "invalid",
	KindForbidden:   "forbidden",
	KindUnavailable: "unavailable",
}

// String names the kind in words ("not found").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind %d", uint8(k))
}

// Error is a failure the service can name: its Kind, a message a person may read, and the
// fields at fault. Stores and services return it (wrapped with %w where they add context for
// the log); the API renders it once, by its Kind, showing Msg (or Fields), never Error().
type Error struct {
	Kind Kind
	// Msg is what an officer or an administrator may read of the failure ("offer 12 is
	// accepted: it has been decided or withdrawn"): it names records by their IDs and never
	// holds personal data. Empty: where the failure is shown, its kind's own fixed sentence
	// (or its Fields) stands instead. An internal error's message is never shown.
	Msg string
	// Fields names each field at fault: of a body, a query or an import's rows.
	Fields []FieldError
	// Total is how many problems were found when Fields lists only the first of them (an
	// import lists at most MaxIssues); 0 when Fields is all of them.
	Total int
}

// Error-kind sentinels: errors.Is(err, ErrNotFound) holds for every Error of kind
// KindNotFound in err's chain, and so on (see Error.Is). Each is an Error with no message
// and no fields; wrap one with %w to add context for the log.
var (
	// ErrNotFound: the record does not exist, or exists outside the caller's scope.
	ErrNotFound error = &Error{Kind: KindNotFound}
	// ErrConflict: the change would break a rule of the current state (a vacancy already
	// filled, a duplicate key, a stale version).
	ErrConflict error = &Error{Kind: KindConflict}
	// ErrInvalid: the input is malformed; the Error's Fields name what is wrong.
	ErrInvalid error = &Error{Kind: KindInvalid}
	// ErrForbidden: the caller may not do this.
	ErrForbidden error = &Error{Kind: KindForbidden}
	// ErrUnavailable: the database cannot be reached for the moment; the same request may
	// work later.
	ErrUnavailable error = &Error{Kind: KindUnavailable}
)

// Errorf returns an Error of the kind whose message, for people, is the formatted text.
func Errorf(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Error is the message, the kind and the fields, for logs and tests: "offer 12 is accepted:
// conflict", "invalid: age: must be 0 to 25". Shown to nobody else.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Msg != "" {
		b.WriteString(e.Msg)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Error())
	}
	if more := e.Count() - len(e.Fields); more > 0 && len(e.Fields) > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's kind: an Error of the same Kind with no
// message and no fields (ErrNotFound, ErrConflict, ...). So errors.Is(err, ErrConflict) holds
// for every conflict, whatever its message, and an Error with a message (ErrNotApprover)
// matches only itself.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Msg == "" && t.Fields == nil && t.Total == 0
}

// Count is how many problems were found: Total, or the length of Fields.
func (e *Error) Count() int { return max(e.Total, len(e.Fields)) }

// KindOf is the Kind of the first Error in err's chain: KindInternal when there is none.
func KindOf(err error) Kind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return KindInternal
}

// FieldError says what is wrong with one field. Field is a JSON-style path
// ("contacts[2].location.lat"); Row is the 1-based line of an import, or 0.
type FieldError struct {
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Row, e.Field, e.Message)
	}
	return e.Field + ": " + e.Message
}

// Invalid returns an invalid-input Error naming one field.
func Invalid(field, format string, args ...any) error {
	return &Error{Kind: KindInvalid, Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// InvalidFields returns an invalid-input Error naming every field at fault.
func InvalidFields(fields []FieldError) error {
	return &Error{Kind: KindInvalid, Fields: fields}
}

// problems accumulates field errors under a path prefix.
type problems struct {
	prefix string
	list   *[]FieldError
}

func newProblems() problems {
	return problems{list: new([]FieldError)}
}

func (p problems) add(field, format string, args ...any) {
	*p.list = append(*p.list, FieldError{Field: p.path(field), Message: fmt.Sprintf(format, args...)})
}

func (p problems) path(field string) string {
	switch {
	case p.prefix == "":
		return field
	case field == "":
		return p.prefix
	case strings.HasPrefix(field, "["):
		return p.prefix + field
	}
	return p.prefix + "." + field
}

// under returns a view that prefixes every field with name.
func (p problems) under(name string) problems {
	return problems{prefix: p.path(name), list: p.list}
}

// at returns a view for element i of the list called name.
func (p problems) at(name string, i int) problems {
	return p.under(fmt.Sprintf("%s[%d]", name, i))
}

// err is the problems as one invalid-input Error, or nil when there are none.
func (p problems) err() error {
	if len(*p.list) == 0 {
		return nil
	}
	return InvalidFields(*p.list)
}

// FieldErrors returns the fields at fault named by the first Error in err's chain, or nil.
func FieldErrors(err error) []FieldError {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Fields
	}
	return nil
}
