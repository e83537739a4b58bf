package catalogue

import "slices"

// MaxIssues is how many problems a report of many records (an import) lists; the others are
// counted.
const MaxIssues = 100

// Issues collects the problems of many records in bounded memory, so that a file of a million
// bad rows costs no more to report than one of a hundred: it keeps the first MaxIssues in the
// order cmp gives (problems that compare equal in the order they were added) and counts them all.
// A problem equal to the one before it in that order is a repeat, and is neither kept nor
// counted. The zero value orders nothing: give cmp with NewIssues.
type Issues struct {
	cmp   func(a, b FieldError) int
	list  []FieldError
	total int
}

// NewIssues returns an empty collection ordered by cmp.
func NewIssues(cmp func(a, b FieldError) int) *Issues {
	return &Issues{cmp: cmp}
}

// Add records a problem.
func (is *Issues) Add(fe FieldError) {
	if n := len(is.list); n > 0 && is.list[n-1] == fe {
		return
	}
	is.list = append(is.list, fe)
	is.total++
	if len(is.list) >= 4*MaxIssues {
		is.trim()
	}
}

// trim orders the problems and keeps the first MaxIssues.
func (is *Issues) trim() {
	slices.SortStableFunc(is.list, is.cmp)
	n := len(is.list)
	is.list = slices.Compact(is.list)
	is.total -= n - len(is.list)
	if len(is.list) > MaxIssues {
		clear(is.list[MaxIssues:]) // let the messages dropped go
		is.list = is.list[:MaxIssues]
	}
}

// Len is how many problems were found.
func (is *Issues) Len() int { return is.total }

// Err returns the problems as one invalid-input *Error (the first MaxIssues, in order, with
// the total), or nil when there are none.
func (is *Issues) Err() error {
	if is.total == 0 {
		return nil
	}
	is.trim()
	e := &Error{Kind: KindInvalid, Fields: slices.Clone(is.list)}
	if is.total > len(e.Fields) {
		e.Total = is.total
	}
	return e
}
