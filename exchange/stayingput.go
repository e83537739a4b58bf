package exchange

import (
	"cmp"
	"io"
	"slices"
	"strconv"

	"github.com/placematch/placematch/catalogue"
)

// Staying Put (issue 18): where a fostered young person's current placement stands on staying
// on with their own carers after 18 (Children Act 1989 s23CZA): the carers willing or not, or
// the arrangement agreed, and the day it was agreed (catalogue.StayingPutChange). A file names
// stored children by their placematch IDs; each record is made on the child's placement going
// on, at its current version, so a file is a statement of where things stand, not a history.
// The Placements Data Standard has no terms for it, so the fields have the API's names.

// stayingPutColumns are the columns of a Staying Put CSV file, in the order export writes them.
var stayingPutColumns = []string{"child", "staying_put", "agreed_on"}

var stayingPutRequired = []string{"child", "staying_put"}

// stayingPutName maps a catalogue path of a Staying Put change to the file's name.
func stayingPutName(p string) string {
	if n := splitPath(p)[0].name; n != "version" {
		return n
	}
	return "child"
}

// stayingPutAssembler checks the records of a file in order: one per child, each valid.
type stayingPutAssembler struct {
	rep      *report
	children map[catalogue.ChildID]int
	kept     []catalogue.StayingPutChange
	rows     []*rowSink
}

// add reads one record's values: child, staying_put, agreed_on as text.
func (a *stayingPutAssembler) add(s *rowSink, child, stayingPut, agreedOn string, broken bool) {
	var c catalogue.StayingPutChange
	if !broken {
		c.Child = catalogue.ChildID(readID(s, "child", child, "child", true))
		if first, dup := a.children[c.Child]; dup && c.Child != 0 {
			s.fail("child", "is in another record (at %d): a young person's Staying Put is recorded once", first)
		} else if c.Child != 0 {
			a.children[c.Child] = s.row
		}
		c.StayingPut = getEnum(s, "staying_put", stayingPut, catalogue.StayingPuts, nil, true)
		c.AgreedOn = getDate(s, "agreed_on", agreedOn, false, true)
		if s.reported("staying_put") {
			s.mark("agreed_on") // whether a day is wanted depends on what is recorded
		}
		check := c
		check.Version = 1 // the store takes the current placement's
		s.validated(check.Validate(), stayingPutName)
	}
	switch {
	case a.rep.empty():
		a.kept, a.rows = append(a.kept, c), append(a.rows, s)
	case a.kept != nil:
		a.kept, a.rows = nil, nil // nothing will be written
	}
}

// jsonStayingPut is a record in JSON: the same names as the CSV columns.
type jsonStayingPut struct {
	Child      int64  `json:"child"`
	StayingPut string `json:"staying_put"`
	AgreedOn   string `json:"agreed_on,omitempty"`
}

type jsonStayingPutFile struct {
	StayingPut []jsonStayingPut `json:"staying_put"`
}

// decodeStayingPut reads a Staying Put file of format f.
func decodeStayingPut(in io.Reader, f Format, opt DecodeOptions, rep *report) ([]catalogue.StayingPutChange, []*rowSink) {
	a := &stayingPutAssembler{rep: rep, children: map[catalogue.ChildID]int{}}
	switch f {
	case CSV:
		readCSV(in, opt, rep, newColumns(StayingPut, stayingPutColumns, nil, stayingPutRequired), func(r *csvRow) {
			a.add(r.rowSink, r.cell("child"), r.cell("staying_put"), r.cell("agreed_on"), false)
		})
	case JSON:
		list := &jsonList{name: "staying_put", take: func(r *jsonRecord) {
			s := newSink(r.pos, rep)
			var js jsonStayingPut
			if !r.decode(&js, s, "", "Staying Put record") {
				a.add(s, "", "", "", true)
				return
			}
			child := ""
			if js.Child != 0 {
				child = strconv.FormatInt(js.Child, 10)
			}
			a.add(s, child, js.StayingPut, js.AgreedOn, false)
		}}
		if streamJSON(in, opt, rep, list) && list.n == 0 {
			rep.reset()
			rep.add(0, "staying_put", "the file has no Staying Put records")
		}
	default:
		rep.add(0, "format", "must be %q or %q", CSV, JSON)
	}
	if rep.tooLarge || !rep.empty() {
		return nil, nil
	}
	return a.kept, a.rows
}

// StayingPutOf is the Staying Put of each young person whose current placement records it,
// from episodes (the store's), as EncodeStayingPut writes it: by child.
func StayingPutOf(episodes []catalogue.Episode) []catalogue.StayingPutChange {
	current := map[catalogue.ChildID]catalogue.Episode{}
	for _, e := range episodes {
		if c, ok := current[e.Child]; !ok || e.Start.After(c.Start) || (e.Start.Equal(c.Start) && e.ID > c.ID) {
			current[e.Child] = e
		}
	}
	var out []catalogue.StayingPutChange
	for _, e := range current {
		if e.End.IsZero() && e.StayingPut != catalogue.StayingPutUnrecorded {
			out = append(out, catalogue.StayingPutChange{Child: e.Child, StayingPut: e.StayingPut, AgreedOn: e.StayingPutAgreedOn})
		}
	}
	slices.SortFunc(out, func(a, b catalogue.StayingPutChange) int { return cmp.Compare(a.Child, b.Child) })
	return out
}

// EncodeStayingPut writes Staying Put records in format f, by child.
func EncodeStayingPut(w io.Writer, f Format, cs []catalogue.StayingPutChange) error {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b catalogue.StayingPutChange) int { return cmp.Compare(a.Child, b.Child) })
	agreed := func(c catalogue.StayingPutChange) string {
		if c.AgreedOn.IsZero() {
			return ""
		}
		return formatDate(c.AgreedOn)
	}
	switch f {
	case CSV:
		return writeCSV(w, stayingPutColumns, func(emit func([]string) error) error {
			for _, c := range cs {
				if err := emit([]string{c.Child.String(), string(c.StayingPut), agreed(c)}); err != nil {
					return err
				}
			}
			return nil
		})
	case JSON:
		out := jsonStayingPutFile{StayingPut: make([]jsonStayingPut, len(cs))}
		for i, c := range cs {
			out.StayingPut[i] = jsonStayingPut{Child: int64(c.Child), StayingPut: string(c.StayingPut), AgreedOn: agreed(c)}
		}
		return writeJSON(w, out)
	}
	return catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}
