package exchange

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Referrals: a council's past referrals of children to the providers of homes, and the
// providers' answers, for the commissioners' referral figures (catalogue.ReferralHistoryStore).
//
// The Placements Data Standard names the referral's date (referralDate), when the placement was
// needed (neededBy) and the brothers and sisters placed with the child (siblingCount); it has
// no terms for a provider's answer, so the answer has placematch's own names, as the API's: outcome
// (accepted or declined), answered_at, weekly_fee, decline_reason. A file names stored
// children and homes by their placematch IDs, as a placements file names children.
//
// What leaves the service: codes, counts and times, never free text. The provider's impact
// assessment and a decline's note are about the child and the children already living in the
// home (DESIGN.md section 9: special category data, the least each user needs), and the
// commissioners' figures need none of it, so an export writes neither and an import keeps
// neither: an acceptance read from a file is recorded as assessed (catalogue.ImportedImpact),
// a decline for another reason as noted (catalogue.ImportedNote).

// referralColumns are the columns of a referrals CSV file, in the order export writes them.
var referralColumns = []string{
	"id", "child", "siblings", "siblingCount", "placement", "neededBy", "referralDate", "deadline",
	"status", "outcome", "answered_at", "weekly_fee", "decline_reason", "hold_until",
}

var referralRequired = []string{"child", "placement", "referralDate", "status"}

// referralNotKept are the columns a referrals file may carry that are read and not kept.
var referralNotKept = map[string]string{
	"referralOfficerName": "officers are recorded in the audit log by their tokens, not by name",
	"impact_assessment":   "the provider's impact assessment is about the child and the children already there: it stays where it was written, and the acceptance is recorded as assessed",
	"note":                "a provider's note is free text about the child: it stays where it was written; the decline's reason code is kept",
	"reason":              "why a referral was withdrawn or expired is free text: the status is kept",
}

// Response values of a referral file.
const (
	responseAccepted = "accepted"
	responseDeclined = "declined"
)

// referralValues is one referral as a file gives it, before it is read: CSV cells, or JSON
// values written as text.
type referralValues struct {
	key, child, siblingCount, placement, neededBy, referralDate, deadline string
	status, response, answeredAt, weeklyFee, declineReason, holdUntil     string
	siblings                                                              []string
}

// referralRec is one referral read from a file, with where it is.
type referralRec struct {
	sink *rowSink
	key  string
	r    catalogue.Referral
	name func(path string) string
}

// referralAssembler checks the referrals of a file in order: keys unique, one accepted referral
// of a child to a home, each referral a past one (catalogue.Referral.CheckPast at now).
type referralAssembler struct {
	rep      *report
	now      time.Time
	keys     map[string]int
	accepted map[[2]catalogue.ChildID]int // child, home -> the row of its acceptance
	kept     []referralRec
}

func newReferralAssembler(rep *report, now time.Time) *referralAssembler {
	if now.IsZero() {
		// Not checked here: the store checks at its own clock (and Decoded.Locate names the row).
		now = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return &referralAssembler{rep: rep, now: now, keys: map[string]int{}, accepted: map[[2]catalogue.ChildID]int{}}
}

func (a *referralAssembler) add(rec referralRec, broken bool) {
	if !broken {
		if rec.key != "" {
			if first, dup := a.keys[rec.key]; dup {
				rec.sink.fail("id", "%q is the id of another referral (record at %d)", clip(rec.key), first)
			} else {
				a.keys[strings.Clone(rec.key)] = rec.sink.row
			}
		}
		r := rec.r
		if r.Status == catalogue.ReferralAccepted && r.Child > 0 && r.Placement > 0 {
			k := [2]catalogue.ChildID{r.Child, catalogue.ChildID(r.Placement)}
			if first, dup := a.accepted[k]; dup {
				rec.sink.fail(rec.name("placement"), "child %d was accepted by this home in another record (at %d): a child has one accepted referral to a home", r.Child, first)
			} else {
				a.accepted[k] = rec.sink.row
			}
		}
		rec.sink.validated(r.CheckPast(a.now), rec.name)
	}
	switch {
	case a.rep.empty():
		a.kept = append(a.kept, rec)
	case a.kept != nil:
		a.kept = nil // nothing will be written
	}
}

// readReferral reads one referral's values; name maps catalogue paths to the file's names.
func readReferral(s *rowSink, v referralValues, name func(string) string) referralRec {
	rec := referralRec{sink: s, key: strings.TrimSpace(v.key), name: name}
	if rec.key != "" {
		if msg := checkKey(rec.key); msg != "" {
			s.fail("id", "%s", msg)
		}
	}
	var r catalogue.Referral
	r.Child = catalogue.ChildID(readID(s, "child", v.child, "child", true))
	r.Placement = catalogue.PlacementID(readID(s, "placement", v.placement, "placement", true))
	for i, item := range v.siblings {
		id, ok := parseID(item)
		if !ok {
			s.fail(name(fmt.Sprintf("siblings[%d]", i)), "%q must be the ID of a stored child", clip(item))
			continue
		}
		r.Siblings = append(r.Siblings, catalogue.ChildID(id))
	}
	if strings.TrimSpace(v.siblingCount) != "" {
		n, msg := parseInt(v.siblingCount, 0, catalogue.MaxReferred*10)
		switch {
		case msg != "":
			s.fail("siblingCount", "%q %s", clip(v.siblingCount), msg)
		case n != len(v.siblings):
			s.fail("siblingCount", "is %d, but siblings names %d brothers and sisters", n, len(v.siblings))
		}
	}
	r.CreatedAt = getTime(s, "referralDate", v.referralDate, true)
	r.Emergency = neededBy(s, v.neededBy, r.CreatedAt)
	r.Status = getEnum(s, "status", v.status, catalogue.ReferralStatuses, nil, true)
	r.Deadline = getTime(s, "deadline", v.deadline, false)
	switch {
	case !r.Deadline.IsZero():
	case r.CreatedAt.IsZero():
		s.mark("deadline") // the referral's date is what is wrong
	default:
		r.Deadline = r.CreatedAt.Add(catalogue.ResponseWindow(r.Emergency))
	}
	r.HoldUntil = getTime(s, "hold_until", v.holdUntil, false)
	switch resp := norm(v.response); resp {
	case "":
		for _, f := range [][2]string{{"answered_at", v.answeredAt}, {"weekly_fee", v.weeklyFee}, {"decline_reason", v.declineReason}} {
			if strings.TrimSpace(f[1]) != "" {
				s.fail(f[0], "must be empty when there is no outcome (not answered)")
			}
		}
	case responseAccepted, responseDeclined:
		a := &catalogue.ReferralResponse{Accepted: resp == responseAccepted, At: getTime(s, "answered_at", v.answeredAt, true)}
		if strings.TrimSpace(v.weeklyFee) != "" {
			fee, msg := parseInt(v.weeklyFee, 0, catalogue.MaxWeeklyFee)
			if msg != "" {
				s.fail("weekly_fee", "%q %s", clip(v.weeklyFee), msg)
			}
			a.WeeklyFee = fee
		}
		a.Decline = getEnum(s, "decline_reason", v.declineReason, catalogue.DeclineReasons, nil, false)
		if a.Accepted {
			a.Impact = catalogue.ImportedImpact
		} else if a.Decline == catalogue.DeclineOther {
			a.Note = catalogue.ImportedNote
		}
		r.Response = a
	default:
		s.fail("outcome", "%q must be accepted, declined or empty (not answered)", clip(v.response))
		s.mark("answered_at")
	}
	rec.r = r
	return rec
}

// readID reads a stored record's ID.
func readID(s *rowSink, field, v, what string, required bool) int64 {
	if strings.TrimSpace(v) == "" {
		if required {
			s.fail(field, "is required: the ID of a stored %s", what)
		}
		return 0
	}
	id, ok := parseID(v)
	if !ok {
		s.fail(field, "%q must be the ID of a stored %s", clip(v), what)
	}
	return id
}

// timeMsg says how a time is written.
const timeMsg = "must be a date (YYYY-MM-DD) or a date and time (2026-01-05T09:30:00Z)"

// getTime reads an instant: RFC 3339, or a date (midnight UTC; DD/MM/YYYY too).
func getTime(s *rowSink, field, v string, required bool) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			s.fail(field, "is required")
		}
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		if t.Year() < 1900 || t.Year() > 9999 {
			s.fail(field, "%q %s", clip(v), timeMsg)
			return time.Time{}
		}
		return t.UTC()
	}
	t, ok := parseDate(v, true)
	if !ok {
		s.fail(field, "%q %s", clip(v), timeMsg)
	}
	return t
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// neededBy reads PDS neededBy for a referral: Today is an emergency (the provider had
// catalogue.ResponseWindow(true) to answer), the other categories are not. A date is read
// against referralDate: the same day is Today.
func neededBy(s *rowSink, v string, sent time.Time) bool {
	switch norm(v) {
	case "":
		return false
	case "today":
		return true
	case "in_less_than_5_days", "in_more_than_5_days":
		return false
	}
	d, ok := parseDate(v, true)
	if !ok {
		s.fail("neededBy", "%q must be Today, in less than 5 days, in more than 5 days, or a date", clip(v))
		return false
	}
	return !sent.IsZero() && formatDate(d) == formatDate(sent.UTC())
}

// referralName maps a catalogue path of a referral to the file's name; siblings is the name
// of the siblings' list item (CSV: the one cell; JSON: the item).
func referralName(siblings func(i int) string) func(string) string {
	return func(p string) string {
		s := splitPath(p)
		switch s[0].name {
		case "siblings":
			return siblings(max(s[0].idx, 0))
		case "referral_date":
			return "referralDate"
		case "response":
			if len(s) == 1 {
				return "outcome"
			}
			switch s[1].name {
			case "at":
				return "answered_at"
			case "weekly_fee", "decline_reason":
				return s[1].name
			case "note":
				return "decline_reason"
			}
			return "outcome"
		}
		return s[0].name
	}
}

// finish returns the referrals read, with where each was, or nothing when the file has a
// problem.
func (a *referralAssembler) finish() ([]catalogue.Referral, []referralRec) {
	if !a.rep.empty() {
		return nil, nil
	}
	out := make([]catalogue.Referral, len(a.kept))
	for i, rec := range a.kept {
		out[i] = rec.r
	}
	return out, a.kept
}

// Locate names, in an error of Store.ImportReferrals about the referrals of this file
// (referrals[i].field), or of Store.ImportNetwork about its members (network[i].field), the row and the field as the file has them, so that a problem found
// only by the store (a child out of scope, a home that does not exist, a referral in the
// future at the store's clock) is reported like one found in the file. Other errors are
// returned as they are.
func (d Decoded) Locate(err error) error {
	e, ok := errors.AsType[*catalogue.Error](err)
	switch {
	case !ok || len(e.Fields) == 0:
		return err
	case len(d.network) > 0:
		return relocate(e, "network[", len(d.network), func(n int, path string) (int, string) { return d.network[n].sink.row, networkName(path) })
	case len(d.stayingPut) > 0:
		return relocate(e, "staying_put[", len(d.stayingPut), func(n int, path string) (int, string) { return d.stayingPut[n].row, stayingPutName(path) })
	case len(d.referrals) > 0:
		return relocate(e, "referrals[", len(d.referrals), func(n int, path string) (int, string) {
			return d.referrals[n].sink.row, d.referrals[n].name(path)
		})
	}
	return err
}

// relocate names, in a store's error about the n records of a file (prefix i].field), the row
// and the field of each as the file has them (at).
func relocate(e *catalogue.Error, prefix string, n int, at func(i int, path string) (int, string)) error {
	out := &catalogue.Error{Kind: e.Kind, Msg: e.Msg, Total: e.Total, Fields: make([]catalogue.FieldError, len(e.Fields))}
	for i, fe := range e.Fields {
		out.Fields[i] = fe
		rest, ok := strings.CutPrefix(fe.Field, prefix)
		if !ok {
			continue
		}
		idx, path, ok := strings.Cut(rest, "].")
		k, err := strconv.Atoi(idx)
		if !ok || err != nil || k < 0 || k >= n {
			continue
		}
		out.Fields[i].Row, out.Fields[i].Field = at(k, path)
	}
	slices.SortStableFunc(out.Fields, byRow)
	return out
}

// EncodeReferrals writes referrals in format f, in ID order: codes, counts and times only (see
// the package's note on what leaves the service).
func EncodeReferrals(w io.Writer, f Format, referrals []catalogue.Referral) error {
	referrals = slices.Clone(referrals)
	slices.SortStableFunc(referrals, func(a, b catalogue.Referral) int { return cmp.Compare(a.ID, b.ID) })
	switch f {
	case CSV:
		return writeCSV(w, referralColumns, func(emit func([]string) error) error {
			for _, r := range referrals {
				v := referralValuesOf(r)
				if err := emit([]string{v.key, v.child, strings.Join(v.siblings, ";"), v.siblingCount, v.placement, v.neededBy,
					v.referralDate, v.deadline, v.status, v.response, v.answeredAt, v.weeklyFee, v.declineReason, v.holdUntil}); err != nil {
					return err
				}
			}
			return nil
		})
	case JSON:
		out := jsonReferralFile{Referrals: make([]jsonReferral, len(referrals))}
		for i, r := range referrals {
			out.Referrals[i] = referralToJSON(r)
		}
		return writeJSON(w, out)
	}
	return catalogue.Invalid("format", "must be %q or %q", CSV, JSON)
}

// referralValuesOf writes a referral's values as text, as export writes them.
func referralValuesOf(r catalogue.Referral) referralValues {
	v := referralValues{
		child: r.Child.String(), siblingCount: strconv.Itoa(len(r.Siblings)),
		placement: r.Placement.String(), referralDate: formatTime(r.CreatedAt), deadline: formatTime(r.Deadline),
		status: string(r.Status), holdUntil: formatTime(r.HoldUntil),
	}
	if r.ID != 0 {
		v.key = r.ID.String()
	}
	for _, c := range r.Siblings {
		v.siblings = append(v.siblings, c.String())
	}
	if r.Emergency {
		v.neededBy = "Today"
	}
	if a := r.Response; a != nil {
		v.response, v.answeredAt, v.declineReason = responseDeclined, formatTime(a.At), string(a.Decline)
		if a.Accepted {
			v.response = responseAccepted
		}
		if a.WeeklyFee != 0 {
			v.weeklyFee = strconv.Itoa(a.WeeklyFee)
		}
	}
	return v
}
