package exchange

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Format is a file format: CSV or JSON.
type Format string

const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// Kind is what a file holds: children (with their sibling groups), placements (with their
// vacancies and, in JSON, the providers they name) or past referrals (referrals.go).
type Kind string

const (
	Children   Kind = "children"
	Placements Kind = "placements"
	Referrals  Kind = "referrals"
	// Network is the family networks of stored children (network.go).
	Network Kind = "family_network"
	// StayingPut is where young people's current placements stand on Staying Put (stayingput.go).
	StayingPut Kind = "staying_put"
)

// ParseFormat reads a format name ("csv" or "json", in any case).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, JSON:
		return f, nil
	}
	return "", catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}

// ParseKind reads a kind name ("children", "placements" or "referrals", in any case).
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case Children, Placements, Referrals, Network, StayingPut:
		return k, nil
	}
	return "", catalogue.Invalid("kind", "must be %q, %q, %q, %q or %q", Children, Placements, Referrals, Network, StayingPut)
}

// Limits applied when DecodeOptions leaves them zero.
const (
	DefaultMaxRows  = 100_000
	DefaultMaxBytes = 256 << 20 // 256 MiB
)

// maxCell bounds any one CSV cell or JSON string, whatever field it is: the catalogue's own
// limits are far smaller, and this keeps a hostile file from holding much memory per row.
const maxCell = 64 << 10

// maxKeyLen bounds a file-local key (id, sibling_group, a provider's id).
const maxKeyLen = 64

// DecodeOptions bounds and scopes an import.
type DecodeOptions struct {
	// Council, when set, is the only council a children file may hold (an officer's import):
	// every child and sibling group must be of it, and a blank council is taken to be it. It has
	// no effect on placements, which are shared across councils.
	Council catalogue.CouncilCode
	// MaxRows is the most records a file may hold (CSV data lines; JSON records of every list),
	// DefaultMaxRows when zero.
	MaxRows int
	// MaxBytes is the largest file accepted, DefaultMaxBytes when zero.
	MaxBytes int64
	// Now is the import's time, for referrals: one sent or answered after it is refused in the
	// file. Zero: the store checks at its own clock (Decoded.Locate names the row).
	Now time.Time
}

func (o DecodeOptions) withDefaults() DecodeOptions {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return o
}

// Decode reads a whole file of kind k in format f and returns a batch ready for Store.Import.
// The file is read as a stream, a record at a time: a bad file costs memory for the keys its
// records give (to find repeats), not for its records, its size or its problems.
//
// Every record is checked (the format's own rules, then the record's Validate) before Decode
// returns. When anything is wrong, the error is an invalid-input *catalogue.Error listing the first
// catalogue.MaxIssues problems, by row, and counting them all (Total): FieldError.Row is the
// 1-based line in a CSV file (the header is line 1) or the 1-based position of the record in its
// JSON list, and FieldError.Field is the field's name as the file spells it. File-level problems
// (empty file, malformed JSON) have Row 0 or the line where they were found, and an empty Field.
// A file larger than opt.MaxBytes gives a *TooLargeError (errors.Is ErrTooLarge), and so does a
// reader that fails with ErrTooLarge. On error the batch is empty.
//
// In the batch, records are keyed by negative batch-local IDs in file order: the n-th child (or
// placement, sibling group, provider) of the file has ID -n.
func Decode(r io.Reader, f Format, k Kind, opt DecodeOptions) (catalogue.Batch, error) {
	return decode(r, f, k, opt, newReport())
}

func decode(r io.Reader, f Format, k Kind, opt DecodeOptions, rep *report) (catalogue.Batch, error) {
	opt = opt.withDefaults()
	if opt.Council != "" && !opt.Council.Valid() {
		return catalogue.Batch{}, catalogue.Invalid("council", "must be the ONS code of an English upper-tier council")
	}
	var b catalogue.Batch
	switch {
	case f == CSV && k == Children:
		b = decodeChildrenCSV(r, opt, rep)
	case f == CSV && k == Placements:
		b = decodePlacementsCSV(r, opt, rep)
	case f == JSON && k == Children:
		b = decodeChildrenJSON(r, opt, rep)
	case f == JSON && k == Placements:
		b = decodePlacementsJSON(r, opt, rep)
	case k == Referrals || k == Network || k == StayingPut:
		return catalogue.Batch{}, catalogue.Invalid("kind", "%s are no batch: read them with DecodeFile", k)
	default:
		return catalogue.Batch{}, catalogue.Invalid("format", "unsupported format %q or kind %q", f, k)
	}
	if rep.tooLarge {
		return catalogue.Batch{}, &TooLargeError{Limit: opt.MaxBytes}
	}
	if err := rep.err(); err != nil {
		return catalogue.Batch{}, err
	}
	return b, nil
}

// ErrTooLarge is the error of a file larger than the limit (DecodeOptions.MaxBytes). A reader
// given to Decode may fail with it too, when it knows a limit of its own.
var ErrTooLarge = errors.New("exchange: the file is too large")

// TooLargeError is the error of a file larger than Limit bytes; errors.Is(err, ErrTooLarge).
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("exchange: the file is larger than %d bytes: split it into smaller files", e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// report collects the problems found in a file, by row (see catalogue.Issues), and whether it
// was too large to read.
type report struct {
	issues   *catalogue.Issues
	tooLarge bool
	notKept  []NotKept // fields of the standard the file gave that are not kept (notkept.go)
}

func newReport() *report { return &report{issues: catalogue.NewIssues(byRow)} }

func byRow(a, b catalogue.FieldError) int { return a.Row - b.Row }

func (r *report) add(row int, field, format string, args ...any) {
	r.issues.Add(catalogue.FieldError{Row: row, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *report) empty() bool { return r.issues.Len() == 0 }

// reset forgets the problems found so far, for a file-level problem that makes them moot.
func (r *report) reset() { r.issues = catalogue.NewIssues(byRow) }

// err returns the problems as one invalid-input *catalogue.Error, ordered by row (stably, so the
// order of fields within a row is the order they were found), without repeats.
func (r *report) err() error { return r.issues.Err() }

// limitedReader reads at most n bytes and then fails with ErrTooLarge, unlike io.LimitReader,
// which would make a truncated file look complete.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// One byte more tells a file of exactly the limit from a larger one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
