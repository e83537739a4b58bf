package exchange

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Family networks (issue 18): the people a child's family names, each with their viability
// assessment and its outcome, and whether they already care for the child outside care
// (catalogue.NetworkMember). The Placements Data Standard has no terms for them, so the fields
// have placematch's own names, as the API's. A file names stored children by their placematch
// IDs, as a referrals file does; a member's placement is made by placing the child with them
// (the API), not by a file, and is not exchanged.
//
// Only what placing the child needs leaves the service: how the family names the person, who
// they are to the child, the assessment's dates, outcome and reason, and how they care for the
// child. Where they live is kept as no more than an area and is never shown, so it is neither
// written nor read.

// networkColumns are the columns of a family network CSV file, in the order export writes them.
var networkColumns = []string{
	"id", "child", "name", "relationship", "named_by", "assessment_due", "outcome", "outcome_on", "outcome_reason", "caring",
}

var networkRequired = []string{"child", "name", "relationship", "named_by", "assessment_due", "outcome"}

// networkNotKept are the columns a family network file may carry that are read and not kept.
var networkNotKept = map[string]string{
	"location":  "where a member of the family lives is kept as no more than an area by the officer who records it, never from a file",
	"latitude":  "where a member of the family lives is kept as no more than an area by the officer who records it, never from a file",
	"longitude": "where a member of the family lives is kept as no more than an area by the officer who records it, never from a file",
	"placement": "a member's kinship placement is made by placing the child with them, not by a file",
}

// networkValues is one member as a file gives it, as text.
type networkValues struct {
	key, child, name, relationship, namedBy, assessmentDue, outcome, outcomeOn, outcomeReason, caring string
}

// networkRec is one member read from a file, with where it is.
type networkRec struct {
	sink *rowSink
	m    catalogue.NetworkMember
}

// networkAssembler checks the members of a file in order: keys unique, each member valid.
type networkAssembler struct {
	rep  *report
	keys map[string]int
	kept []networkRec
}

func newNetworkAssembler(rep *report) *networkAssembler {
	return &networkAssembler{rep: rep, keys: map[string]int{}}
}

func (a *networkAssembler) add(rec networkRec, key string, broken bool) {
	if !broken {
		if key != "" {
			if first, dup := a.keys[key]; dup {
				rec.sink.fail("id", "%q is the id of another member (record at %d)", clip(key), first)
			} else {
				a.keys[strings.Clone(key)] = rec.sink.row
			}
		}
		rec.sink.validated(rec.m.Validate(), networkName)
	}
	switch {
	case a.rep.empty():
		a.kept = append(a.kept, rec)
	case a.kept != nil:
		a.kept = nil // nothing will be written
	}
}

// networkName maps a catalogue path of a member to the file's name: the same.
func networkName(p string) string { return splitPath(p)[0].name }

// readNetworkMember reads one member's values.
func readNetworkMember(s *rowSink, v networkValues) (networkRec, string) {
	key := strings.TrimSpace(v.key)
	if key != "" {
		if msg := checkKey(key); msg != "" {
			s.fail("id", "%s", msg)
		}
	}
	var m catalogue.NetworkMember
	m.Child = catalogue.ChildID(readID(s, "child", v.child, "child", true))
	m.Name = strings.TrimSpace(v.name)
	if m.Name == "" {
		s.fail("name", "is required: how the family names them")
	}
	m.Relationship = getEnum(s, "relationship", v.relationship, catalogue.Relationships, nil, true)
	m.NamedBy = getEnum(s, "named_by", v.namedBy, catalogue.NamedByAll, nil, true)
	m.AssessmentDue = getDate(s, "assessment_due", v.assessmentDue, true, true)
	m.Outcome = getEnum(s, "outcome", v.outcome, catalogue.Viabilities, nil, true)
	m.OutcomeOn = getDate(s, "outcome_on", v.outcomeOn, false, true)
	m.OutcomeReason = strings.TrimSpace(v.outcomeReason)
	m.Caring = getEnum(s, "caring", v.caring, catalogue.Carings, nil, false)
	return networkRec{sink: s, m: m}, key
}

// finish returns the members read, with where each was, or nothing when the file has a problem.
func (a *networkAssembler) finish() ([]catalogue.NetworkMember, []networkRec) {
	if !a.rep.empty() {
		return nil, nil
	}
	out := make([]catalogue.NetworkMember, len(a.kept))
	for i, rec := range a.kept {
		out[i] = rec.m
	}
	return out, a.kept
}

func decodeNetworkCSV(in io.Reader, opt DecodeOptions, rep *report) *networkAssembler {
	a := newNetworkAssembler(rep)
	readCSV(in, opt, rep, newColumns(Network, networkColumns, networkNotKept, networkRequired), func(r *csvRow) {
		rec, key := readNetworkMember(r.rowSink, networkValues{
			key: r.cell("id"), child: r.cell("child"), name: r.cell("name"), relationship: r.cell("relationship"),
			namedBy: r.cell("named_by"), assessmentDue: r.cell("assessment_due"), outcome: r.cell("outcome"),
			outcomeOn: r.cell("outcome_on"), outcomeReason: r.cell("outcome_reason"), caring: r.cell("caring"),
		})
		a.add(rec, key, false)
	})
	return a
}

// jsonNetworkMember is a member in JSON: the same names as the CSV columns.
type jsonNetworkMember struct {
	ID            *jsonKey `json:"id,omitempty"`
	Child         int64    `json:"child"`
	Name          string   `json:"name"`
	Relationship  string   `json:"relationship"`
	NamedBy       string   `json:"named_by"`
	AssessmentDue string   `json:"assessment_due"`
	Outcome       string   `json:"outcome"`
	OutcomeOn     string   `json:"outcome_on,omitempty"`
	OutcomeReason string   `json:"outcome_reason,omitempty"`
	Caring        string   `json:"caring,omitempty"`
}

type jsonNetworkFile struct {
	Network []jsonNetworkMember `json:"family_network"`
}

func decodeNetworkJSON(in io.Reader, opt DecodeOptions, rep *report) *networkAssembler {
	a := newNetworkAssembler(rep)
	list := &jsonList{name: "family_network", take: func(r *jsonRecord) {
		s := newSink(r.pos, rep)
		var jm jsonNetworkMember
		if !r.decode(&jm, s, "", "family network member") {
			a.add(networkRec{sink: s}, "", true)
			return
		}
		v := networkValues{name: jm.Name, relationship: jm.Relationship, namedBy: jm.NamedBy, assessmentDue: jm.AssessmentDue,
			outcome: jm.Outcome, outcomeOn: jm.OutcomeOn, outcomeReason: jm.OutcomeReason, caring: jm.Caring}
		if jm.ID != nil {
			v.key = string(*jm.ID)
		}
		if jm.Child != 0 {
			v.child = strconv.FormatInt(jm.Child, 10)
		}
		rec, key := readNetworkMember(s, v)
		a.add(rec, key, false)
	}}
	if !streamJSON(in, opt, rep, list) {
		return a
	}
	if list.n == 0 {
		rep.reset()
		rep.add(0, "family_network", "the file has no family network members")
	}
	return a
}

// decodeNetwork reads a family network file of format f.
func decodeNetwork(in io.Reader, f Format, opt DecodeOptions, rep *report) ([]catalogue.NetworkMember, []networkRec) {
	var a *networkAssembler
	switch f {
	case CSV:
		a = decodeNetworkCSV(in, opt, rep)
	case JSON:
		a = decodeNetworkJSON(in, opt, rep)
	default:
		rep.add(0, "format", "must be %q or %q", CSV, JSON)
		return nil, nil
	}
	if rep.tooLarge {
		return nil, nil
	}
	return a.finish()
}

// networkValuesOf writes a member's values as text, as export writes them.
func networkValuesOf(m catalogue.NetworkMember) networkValues {
	v := networkValues{child: m.Child.String(), name: m.Name, relationship: string(m.Relationship), namedBy: string(m.NamedBy),
		assessmentDue: formatDate(m.AssessmentDue), outcome: string(m.Outcome), outcomeReason: m.OutcomeReason, caring: string(m.Caring)}
	if m.ID != 0 {
		v.key = m.ID.String()
	}
	if !m.OutcomeOn.IsZero() {
		v.outcomeOn = formatDate(m.OutcomeOn)
	}
	return v
}

// EncodeNetwork writes family network members in format f, in ID order (see the note on what
// leaves the service). Text cells are escaped against spreadsheet formulas, as every export's.
func EncodeNetwork(w io.Writer, f Format, ms []catalogue.NetworkMember) error {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b catalogue.NetworkMember) int { return cmp.Compare(a.ID, b.ID) })
	switch f {
	case CSV:
		return writeCSV(w, networkColumns, func(emit func([]string) error) error {
			for _, m := range ms {
				v := networkValuesOf(m)
				if err := emit([]string{v.key, v.child, escapeCell(v.name), v.relationship, v.namedBy, v.assessmentDue, v.outcome, v.outcomeOn,
					escapeCell(v.outcomeReason), v.caring}); err != nil {
					return err
				}
			}
			return nil
		})
	case JSON:
		out := jsonNetworkFile{Network: make([]jsonNetworkMember, len(ms))}
		for i, m := range ms {
			v := networkValuesOf(m)
			jm := jsonNetworkMember{Child: int64(m.Child), Name: v.name, Relationship: v.relationship, NamedBy: v.namedBy,
				AssessmentDue: v.assessmentDue, Outcome: v.outcome, OutcomeOn: v.outcomeOn, OutcomeReason: v.outcomeReason, Caring: v.caring}
			if v.key != "" {
				id := jsonKey(v.key)
				jm.ID = &id
			}
			out.Network[i] = jm
		}
		return writeJSON(w, out)
	}
	return catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}
