package exchange

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Format is a file format: CSV or JSON.
type Format string

const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// Kind is what a file holds: children (with their sibling groups) or placements (with their
// vacancies and, in JSON, the providers they name).
type Kind string

const (
	Children   Kind = "children"
	Placements Kind = "placements"
)

// ParseFormat reads a format name ("csv" or "json", in any case).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, JSON:
		return f, nil
	}
	return "", catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}

// ParseKind reads a kind name ("children" or "placements", in any case).
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case Children, Placements:
		return k, nil
	}
	return "", catalogue.Invalid("kind", "must be %q or %q", Children, Placements)
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
//
// Every record is checked (the format's own rules, then the record's Validate) before Decode
// returns. When anything is wrong, the error is a *catalogue.ValidationError listing every bad
// record: FieldError.Row is the 1-based line in a CSV file (the header is line 1) or the 1-based
// position of the record in its JSON list, and FieldError.Field is the field's name as the file
// spells it. File-level problems (empty file, malformed JSON) have Row 0 or the line where they
// were found, and an empty Field. On error the batch is empty.
//
// In the batch, records are keyed by negative batch-local IDs in file order: the n-th child (or
// placement, sibling group, provider) of the file has ID -n.
func Decode(r io.Reader, f Format, k Kind, opt DecodeOptions) (catalogue.Batch, error) {
	opt = opt.withDefaults()
	if opt.Council != "" && !opt.Council.Valid() {
		return catalogue.Batch{}, catalogue.Invalid("council", "must be the ONS code of an English upper-tier council")
	}
	var (
		b   catalogue.Batch
		rep = &report{}
	)
	switch {
	case f == CSV && k == Children:
		b = decodeChildrenCSV(r, opt, rep)
	case f == CSV && k == Placements:
		b = decodePlacementsCSV(r, opt, rep)
	case f == JSON && k == Children:
		b = decodeChildrenJSON(r, opt, rep)
	case f == JSON && k == Placements:
		b = decodePlacementsJSON(r, opt, rep)
	default:
		return catalogue.Batch{}, catalogue.Invalid("format", "unsupported format %q or kind %q", f, k)
	}
	if err := rep.err(); err != nil {
		return catalogue.Batch{}, err
	}
	return b, nil
}

// report collects every problem found in a file.
type report struct {
	list []catalogue.FieldError
}

func (r *report) add(row int, field, format string, args ...any) {
	r.list = append(r.list, catalogue.FieldError{Row: row, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *report) empty() bool { return len(r.list) == 0 }

// err returns the problems as one *catalogue.ValidationError, ordered by row (stably, so the
// order of fields within a row is the order they were found), without repeats.
func (r *report) err() error {
	if len(r.list) == 0 {
		return nil
	}
	slices.SortStableFunc(r.list, func(a, b catalogue.FieldError) int { return a.Row - b.Row })
	r.list = slices.Compact(r.list)
	return &catalogue.ValidationError{Fields: r.list}
}

// errTooLarge is returned by a limitedReader past its limit.
var errTooLarge = errors.New("file too large")

// limitedReader reads at most n bytes and then fails with errTooLarge, unlike io.LimitReader,
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
			return 0, errTooLarge
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
