package exchange

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/placematch/placematch/catalogue"
)

// columns describes the header a CSV file of one kind may have.
type columns struct {
	known    map[string]string // folded name -> the column's name as we spell it
	ignored  map[string]string // folded name -> PDS column recognised but not kept (placematch collects only what matching needs)
	reasons  map[string]string // the column as we spell it -> why it is not kept (notkept.go)
	required []string          // columns the header must have
	kind     Kind
}

// newColumns describes a header: names are the columns read, notKept the PDS columns
// recognised and not kept, with why (a column may be both: read, then not kept).
func newColumns(k Kind, names []string, notKept map[string]string, required []string) *columns {
	c := &columns{known: map[string]string{}, ignored: map[string]string{}, reasons: notKept, required: required, kind: k}
	for _, n := range names {
		c.known[strings.ToLower(n)] = n
	}
	for n := range notKept {
		if _, read := c.known[strings.ToLower(n)]; !read {
			c.ignored[strings.ToLower(n)] = n
		}
	}
	return c
}

// groupNames returns the columns of a repeated group: prefix1_field ... prefixN_field.
func groupNames(prefix string, n int, fields ...string) []string {
	out := make([]string, 0, n*len(fields))
	for i := 1; i <= n; i++ {
		for _, f := range fields {
			out = append(out, fmt.Sprintf("%s%d_%s", prefix, i, f))
		}
	}
	return out
}

// csvRow is one data line of a CSV file.
type csvRow struct {
	*rowSink
	cells []string
	pos   map[string]int // column name -> position
}

// has reports whether the file has the column.
func (r *csvRow) has(col string) bool { _, ok := r.pos[col]; return ok }

// cell returns the cell of a column with its formula escape removed, or "" when the file has
// no such column.
func (r *csvRow) cell(col string) string {
	i, ok := r.pos[col]
	if !ok {
		return ""
	}
	return unescapeCell(r.cells[i])
}

// blank reports whether the cell of a column is empty or spaces.
func (r *csvRow) blank(col string) bool { return strings.TrimSpace(r.cell(col)) == "" }

// readCSV reads the header and then hands each data line to row. It stops at a malformed line,
// at the size limit or at the row limit, having reported why.
func readCSV(in io.Reader, opt DecodeOptions, rep *report, cols *columns, row func(r *csvRow)) {
	lr := &limitedReader{r: in, n: opt.MaxBytes}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		rep.add(1, "", "the file is empty: the first line must be a header naming the columns")
		return
	case err != nil:
		readFailed(rep, err, 1)
		return
	}
	header = slices.Clone(header) // the reader reuses its slice
	pos, ok := readHeader(header, cols, rep)
	if !ok {
		return
	}
	rows, last := 0, 1
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos is only defined for a record read without error.
			readFailed(rep, err, last+1)
			return
		}
		line, _ := cr.FieldPos(0)
		last = line
		rows++
		if rows > opt.MaxRows {
			rep.add(line, "", "the file has more than %d rows: split it into smaller files", opt.MaxRows)
			return
		}
		r := &csvRow{rowSink: newSink(line, rep), cells: cells, pos: pos}
		if len(cells) != len(header) {
			r.fail("", "has %d cells but the header has %d columns", len(cells), len(header))
			continue
		}
		if !checkCells(r, header) {
			continue
		}
		row(r)
	}
	if rows == 0 {
		rep.add(2, "", "the file has a header but no rows")
	}
}

// checkCells rejects cells that are not text (catalogue.TextProblem: not UTF-8, or holding a
// control character but tab and newline) or too long, before any is parsed.
func checkCells(r *csvRow, header []string) bool {
	ok := true
	for i, c := range r.cells {
		if len(c) > maxCell {
			r.fail(header[i], "must be at most %d bytes", maxCell)
			ok = false
		} else if msg := catalogue.TextProblem(c); msg != "" {
			r.fail(header[i], "%s", msg)
			ok = false
		}
	}
	return ok
}

func readFailed(rep *report, err error, line int) {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, ErrTooLarge):
		rep.tooLarge = true
	case errors.As(err, &pe):
		rep.add(pe.Line, "", "malformed CSV at column %d: %v", pe.Column, pe.Err)
	default:
		rep.add(line, "", "the file could not be read: %v", err)
	}
}

// readHeader maps each column to its position, reporting unknown, repeated and missing columns.
// Column names are matched without regard to case; a byte-order mark is ignored.
func readHeader(header []string, cols *columns, rep *report) (map[string]int, bool) {
	pos := make(map[string]int, len(header))
	ok := true
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.TrimSpace(h)
		header[i] = h
		low := strings.ToLower(h)
		name, known := cols.known[low]
		switch {
		case h == "":
			rep.add(1, fmt.Sprintf("column %d", i+1), "has no name")
			ok = false
		case !utf8.ValidString(h):
			rep.add(1, fmt.Sprintf("column %d", i+1), "must be valid UTF-8 text")
			ok = false
		case known:
			if _, dup := pos[name]; dup {
				rep.add(1, name, "appears more than once in the header")
				ok = false
			}
			pos[name] = i
			header[i] = name
			if why, ok := cols.reasons[name]; ok {
				rep.noteNotKept(name, why) // read, then not kept
			}
		case cols.ignored[low] != "":
			// A PDS column placematch does not keep: the import says so.
			rep.noteNotKept(cols.ignored[low], cols.reasons[cols.ignored[low]])
		default:
			rep.add(1, clip(h), "is not a column of a %s file (see docs/exchange.md)", cols.kind)
			ok = false
		}
	}
	for _, c := range cols.required {
		if _, has := pos[c]; !has {
			rep.add(1, c, "column is missing from the header")
			ok = false
		}
	}
	// header now holds our spelling of every column, so cell problems name the column as we
	// document it (matching is without regard to case).
	return pos, ok
}

// writeCSV writes a header and rows. Text cells are escaped by the caller with escapeCell.
func writeCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("exchange: write header: %w", err)
	}
	if err := rows(func(rec []string) error {
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("exchange: write row: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("exchange: write: %w", err)
	}
	return nil
}
