package ssda903

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/placematch/placematch/catalogue"
)

// File is one file of a return: its name says whether it is the Header or the Episodes file
// ("header" or "episodes" in it, in any case) and, by its first four-digit number, the year it
// is of ("2019-episodes.csv"): a later year's row replaces an earlier one's.
type File struct {
	Name string
	R    io.Reader
}

// Options scopes and bounds a decode.
type Options struct {
	// Council is the council whose return it is (required): the files do not say.
	Council catalogue.CouncilCode
	// Districts locates postcode districts (ReadDistricts); nil: every home is at the council's
	// centre.
	Districts Districts
	// TrimOverlaps ends an episode on the day the child's next one begins, when it ends after
	// (counted in the report), instead of refusing the return.
	TrimOverlaps bool
	// MaxRows bounds the rows of each file, DefaultMaxRows when zero.
	MaxRows int
}

// DefaultMaxRows bounds the rows of one file: England's largest council has some 6,000 children
// looked after in a year.
const DefaultMaxRows = 200_000

// The columns of the two files, as the DfE spells them.
var (
	headerColumns  = []string{"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"}
	headerRequired = []string{"CHILD", "SEX", "DOB", "ETHNIC"}
	// dropped are the Header columns the return carries and placematch does not need: a pupil's
	// number, and whether the child is a mother and her child's date of birth.
	dropped         = []string{"UPN", "MOTHER", "MC_DOB"}
	episodeColumns  = []string{"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}
	episodeRequired = []string{"CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"}
)

// kind is which file of the return a file is.
type kind string

const (
	headerFile   kind = "Header"
	episodesFile kind = "Episodes"
)

func kindOf(name string) (kind, bool) {
	low := strings.ToLower(name)
	switch {
	case strings.Contains(low, "header"):
		return headerFile, true
	case strings.Contains(low, "episode"):
		return episodesFile, true
	}
	return "", false
}

var yearIn = regexp.MustCompile(`(19|20)[0-9]{2}`)

// yearOf is the year a file's name gives, 0 when none.
func yearOf(name string) int {
	y, _ := strconv.Atoi(yearIn.FindString(name))
	return y
}

// place is where a row is: its file and 1-based line (the header is line 1).
type place struct {
	file string
	row  int
}

func (p place) String() string { return fmt.Sprintf("%s line %d", p.file, p.row) }

// problems collects the problems of a return, by file, row and column (FieldError.Field is
// "FILE:COLUMN").
type problems struct{ issues *catalogue.Issues }

func newProblems() problems {
	return problems{catalogue.NewIssues(func(a, b catalogue.FieldError) int {
		fa, _, _ := strings.Cut(a.Field, ":")
		fb, _, _ := strings.Cut(b.Field, ":")
		if c := strings.Compare(fa, fb); c != 0 {
			return c
		}
		return a.Row - b.Row
	})}
}

func (p problems) add(at place, column, format string, args ...any) {
	field := at.file
	if column != "" {
		field += ":" + column
	}
	p.issues.Add(catalogue.FieldError{Row: at.row, Field: field, Message: fmt.Sprintf(format, args...)})
}

// row is one data line of a file, its cells by column.
type row struct {
	at    place
	cells map[string]string
}

func (r row) cell(col string) string { return strings.TrimSpace(r.cells[col]) }

// readFile reads a return's file and hands each data line to each. It reports a missing,
// unknown or repeated column, a malformed line and a file with no rows.
func readFile(f File, k kind, opt Options, p problems, each func(row)) {
	known, required := headerColumns, headerRequired
	if k == episodesFile {
		known, required = episodeColumns, episodeRequired
	}
	maxRows := opt.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	readCSV(f, p, func(header []string) bool {
		seen := map[string]bool{}
		ok := true
		for i, h := range header {
			h = strings.ToUpper(h)
			header[i] = h
			switch {
			case !slices.Contains(known, h):
				name := h
				if name == "" || !utf8.ValidString(name) || len(name) > 40 {
					name = fmt.Sprintf("column %d", i+1)
				}
				p.add(place{f.Name, 1}, name, "is not a column of the SSDA903 %s file: the first line must be the header (%s)", k, strings.Join(known, ","))
				ok = false
			case seen[h]:
				p.add(place{f.Name, 1}, h, "appears more than once in the header")
				ok = false
			}
			seen[h] = true
		}
		for _, c := range required {
			if !seen[c] {
				p.add(place{f.Name, 1}, c, "column is missing from the header")
				ok = false
			}
		}
		return ok
	}, maxRows, each)
}

// readCSV reads a CSV file: its header, which checkHeader checks (and may rename in place),
// then each data line, its cells keyed by the header's names. It reports a malformed line, a
// line of the wrong length, a cell that is not text and a file with no rows.
func readCSV(f File, p problems, checkHeader func(header []string) bool, maxRows int, each func(row)) {
	cr := csv.NewReader(f.R)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		p.add(place{f.Name, 1}, "", "the file is empty: the first line must be the header")
		return
	case err != nil:
		p.add(place{f.Name, 1}, "", "malformed CSV: %v", err)
		return
	}
	header = slices.Clone(header)
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		header[i] = strings.TrimSpace(h)
	}
	if !checkHeader(header) {
		return
	}
	rows := 0
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.add(place{f.Name, pe.Line}, "", "malformed CSV at column %d: %v", pe.Column, pe.Err)
			return
		}
		if err != nil {
			p.add(place{f.Name, 0}, "", "the file could not be read: %v", err)
			return
		}
		line, _ := cr.FieldPos(0)
		rows++
		at := place{f.Name, line}
		if rows > maxRows {
			p.add(at, "", "the file has more than %d rows", maxRows)
			return
		}
		if len(cells) != len(header) {
			p.add(at, "", "has %d cells but the header has %d columns", len(cells), len(header))
			continue
		}
		r := row{at: at, cells: make(map[string]string, len(cells))}
		good := true
		for i, c := range cells {
			msg := catalogue.TextProblem(c)
			if msg == "" && len(c) > maxCell {
				msg = fmt.Sprintf("must be at most %d bytes", maxCell)
			}
			if msg != "" {
				p.add(at, header[i], "%s", msg)
				good = false
			}
			if header[i] != "" {
				r.cells[header[i]] = c
			}
		}
		if good {
			each(r)
		}
	}
	if rows == 0 {
		p.add(place{f.Name, 2}, "", "the file has a header but no rows")
	}
}

// maxCell bounds a cell: the return's longest value is a few characters.
const maxCell = 200

// parseDate reads a date as the return writes it (DD/MM/YYYY), or as YYYY-MM-DD.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2/1/2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateLayout is how the return writes dates.
const dateLayout = "02/01/2006"
