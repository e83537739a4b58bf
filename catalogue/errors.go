package catalogue

import (
	"errors"
	"fmt"
	"strings"
)

// Error categories. Stores and services wrap these with %w; the API maps each to one status.
var (
	// ErrNotFound: the record does not exist, or exists outside the caller's scope.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change would break a rule of the current state (a vacancy already
	// filled, a duplicate key, a stale version).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input is malformed; the error is usually a *ValidationError.
	ErrInvalid = errors.New("invalid")
	// ErrUnavailable: the database cannot be reached for the moment (it is down, restarting or
	// refusing connections, or the connection broke); the same request may work later.
	ErrUnavailable = errors.New("the database is unavailable")
)

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

// ValidationError collects every bad field of a record (or the first of a whole import's: see
// Issues). It matches ErrInvalid with errors.Is.
type ValidationError struct {
	Fields []FieldError
	// Total is how many problems were found when Fields lists only the first of them; 0 when
	// Fields is all of them.
	Total int
}

// Count is how many problems were found: Total, or the length of Fields.
func (e *ValidationError) Count() int { return max(e.Total, len(e.Fields)) }

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	msg := "invalid: " + strings.Join(msgs, "; ")
	if more := e.Count() - len(e.Fields); more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	return msg
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a validation error for one field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
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

func (p problems) err() error {
	if len(*p.list) == 0 {
		return nil
	}
	return &ValidationError{Fields: *p.list}
}

// FieldErrors returns the field errors inside err, or nil.
func FieldErrors(err error) []FieldError {
	var v *ValidationError
	if errors.As(err, &v) {
		return v.Fields
	}
	return nil
}
