package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// The officer's first pages: the worklist, a child's record and the child's options. Each
// makes one casework call (Worklist, Record, Options) and renders it; the options page shows
// the API's own explanation of the options (fromOptions), so no rule is worked out twice.

type tag struct{ Text, Colour string }

type worklistRow struct {
	ID                                    catalogue.ChildID
	Name, CaseRef, Age, NeededBy, Looking string
	Tags                                  []tag
}

// urgencyTags are a waiting child's tags: emergency, overdue or the days left, an offer out.
func urgencyTags(w casework.Waiting) []tag {
	var t []tag
	if w.Emergency {
		t = append(t, tag{"Emergency", "red"})
	}
	switch {
	case w.Overdue:
		t = append(t, tag{fmt.Sprintf("Overdue by %d %s", -w.DaysLeft, plural(-w.DaysLeft, "day", "days")), "orange"})
	case w.DaysLeft == 0:
		t = append(t, tag{"Needed today", "orange"})
	case w.DaysLeft == 1:
		t = append(t, tag{"1 day left", "yellow"})
	case w.DaysLeft <= 7:
		t = append(t, tag{fmt.Sprintf("%d days left", w.DaysLeft), "yellow"})
	}
	if w.Child.Status == catalogue.ChildOffered {
		t = append(t, tag{"Offer out", "blue"})
	}
	return t
}

// worklistPage answers GET /workspace/children.
func (s *server) worklistPage(c *gin.Context) error {
	q := newQuery(c)
	search := strings.TrimSpace(q.str("q"))
	if len(search) > 100 {
		q.fail("q", "must be at most 100 characters")
	}
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	list, err := s.work.Worklist(c.Request.Context(), p.Scope(), search)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "worklist", p.Council); err != nil {
		return err
	}
	alerts, err := s.alertViews(c.Request.Context(), p)
	if err != nil {
		return err
	}
	today := s.today()
	rows := make([]worklistRow, len(list))
	for i, w := range list {
		ch := w.Child
		rows[i] = worklistRow{ID: ch.ID, Name: ch.FirstName, CaseRef: ch.CaseRef, Age: fmt.Sprintf("aged %d", ch.AgeOn(today)),
			NeededBy: longDate(ch.NeededBy), Looking: humanise(ch.CareType) + ", " + humanise(ch.Purpose), Tags: urgencyTags(w)}
	}
	return s.renderWorkspace(c, http.StatusOK, "worklist", pageData{Title: "Children waiting", Body: struct {
		Search        string
		Rows          []worklistRow
		Alerts        []alertView // the council's open alerts, oldest first
		AlertsCaption string
	}{search, rows, alerts, strconv.Itoa(len(alerts)) + " " + plural(len(alerts), "open alert", "open alerts") + " from children's check-ins"}})
}

type keyValue struct{ Key, Value string }

type childView struct {
	ID                    catalogue.ChildID
	Name, CaseRef, School string
	Plan                  string
	MayMatch              bool
	MayAudit              bool // a manager or an administrator: who looked at the record
	MayOverride           bool // a manager: the overrides of inadequate ratings
	MayCheckIn            bool // an officer, of a child in a placement: send and stop check-in links
	Tags                  []tag
	Summary, Needs        []keyValue
	Siblings              []struct {
		ID           catalogue.ChildID
		Name, Status string
	}
	Contacts []struct {
		Who, How, Often string
		MustNotKnow     bool
	}
	History []struct{ From, To, Setting, Reason string }
}

var needLevels = map[catalogue.NeedLevel]string{catalogue.LevelLow: "low", catalogue.LevelMedium: "medium", catalogue.LevelHigh: "high"}

// childPage answers GET /workspace/children/:id: the child's record as their officer reads it.
func (s *server) childPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	revoked := q.bool("revoked")
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	r, err := s.work.Record(c.Request.Context(), p.Scope(), catalogue.ChildID(id))
	if err != nil {
		return err
	}
	ch := r.Child
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	today := s.today()
	v := childView{ID: ch.ID, Name: ch.FirstName, CaseRef: ch.CaseRef, MayMatch: slices.Contains(caseworkers, p.Role) && ch.Status != catalogue.ChildClosed,
		Tags: []tag{{humanise(ch.Status), "grey"}}, MayAudit: slices.Contains(auditReaders, p.Role),
		MayOverride: p.Role == catalogue.RoleManager}
	if ch.Purpose == catalogue.PurposeEmergency {
		v.Tags = append(v.Tags, tag{"Emergency", "red"})
	}
	v.Summary = []keyValue{
		{"Age", fmt.Sprintf("%d (born %s)", ch.AgeOn(today), longDate(ch.DateOfBirth))},
		{"Council", councilName(ch.Council)},
		{"Looking for", humanise(ch.CareType) + ", " + humanise(ch.Purpose)},
		{"Needed by", longDate(ch.NeededBy)},
		{"Legal status", humanise(ch.LegalStatus)},
	}
	if len(ch.Wishes.Priorities) > 0 {
		var w []string
		for _, x := range ch.Wishes.Priorities {
			w = append(w, humanise(x))
		}
		v.Summary = append(v.Summary, keyValue{"What matters to them", strings.Join(w, "; ")})
	}
	if ch.Wishes.InOwnWords != "" {
		v.Summary = append(v.Summary, keyValue{"In their own words", ch.Wishes.InOwnWords})
	}
	for _, n := range ch.Needs {
		v.Needs = append(v.Needs, keyValue{humanise(n.Kind), needLevels[n.Level]})
	}
	v.School = "Not at school."
	if sc := ch.School; sc != nil {
		v.School = sc.Name
		if sc.KeepPlanned {
			v.School += ": the care plan is to keep this school."
		}
	}
	for _, o := range r.Siblings {
		v.Siblings = append(v.Siblings, struct {
			ID           catalogue.ChildID
			Name, Status string
		}{o.ID, o.FirstName, humanise(o.Status)})
	}
	for _, k := range ch.Contacts {
		v.Contacts = append(v.Contacts, struct {
			Who, How, Often string
			MustNotKnow     bool
		}{k.Name + " (" + humanise(k.Relationship) + ")", humanise(k.Type), humanise(k.Frequency), k.MustNotKnow})
	}
	for _, e := range r.Episodes {
		to := "continuing"
		if !e.End.IsZero() {
			to = longDate(e.End)
		}
		v.History = append(v.History, struct{ From, To, Setting, Reason string }{longDate(e.Start), to, humanise(e.Setting), humanise(e.Reason)})
	}
	v.MayCheckIn = p.Role == catalogue.RoleOfficer && (ch.Status == catalogue.ChildPlaced ||
		slices.ContainsFunc(r.Episodes, func(e catalogue.Episode) bool { return e.End.IsZero() }))
	d := pageData{Title: ch.FirstName, Body: v}
	if revoked {
		d.Banner = "Every check-in link of " + ch.FirstName + "’s is stopped, and the sessions they opened are ended."
	}
	return s.renderWorkspace(c, http.StatusOK, "child", d)
}

type optionView struct {
	ID                                       int64
	Rank                                     int
	Name, Kind, Area, Cost, HomeKm, SchoolKm string
	Score, Quality                           string
	Support                                  string
	Contacts                                 []struct{ Who, Km string }
	Factors                                  []factorDTO
}

// optionsPage answers GET /workspace/children/:id/options: the child's options as the API
// explains them (POST /v1/children/{id}/options), as a page.
func (s *server) optionsPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return s.renderOptions(c, catalogue.ChildID(id), http.StatusOK, nil)
}

// renderOptions renders the child's options, with the referral form's mistakes.
func (s *server) renderOptions(c *gin.Context, id catalogue.ChildID, status int, errs []formError) error {
	opts, err := s.work.Options(c.Request.Context(), principal(c).Scope(), id, 0)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "options", "child:"+opts.Child.ID.String(), opts.Child.Council); err != nil {
		return err
	}
	d := fromOptions(opts)
	var views []optionView
	for _, o := range d.Options {
		ov := optionView{ID: o.Placement.ID, Rank: o.Rank, Name: o.Placement.Name, Kind: humanise(o.Placement.Kind), Area: o.Placement.AreaName,
			Cost: fmt.Sprintf("%d a week", o.WeeklyCost), HomeKm: kmText(o.HomeKm), SchoolKm: "no school",
			Score: fmt.Sprintf("%.2f", o.Score), Quality: fmt.Sprintf("%.2f", o.Quality), Support: humanise(strings.Join(o.Support, ", ")), Factors: o.Factors}
		if o.SchoolKm != nil {
			ov.SchoolKm = kmText(*o.SchoolKm)
		}
		for _, k := range o.Contacts {
			ov.Contacts = append(ov.Contacts, struct{ Who, Km string }{k.Name, kmText(k.Km)})
		}
		views = append(views, ov)
	}
	note := ""
	if d.Together != nil {
		note = d.Together.Note
	}
	return s.renderWorkspace(c, status, "options", pageData{Title: opts.Child.FirstName + "’s options", Errors: errs, Body: struct {
		ID                 catalogue.ChildID
		Name, Note         string
		Options            []optionView
		Considered, Passed int
		SearchedKm         float64
		FewerThanTwo       bool
		Rejected           []rejectedDTO
		MayRefer           bool
		Map                mapSection
	}{opts.Child.ID, opts.Child.FirstName, note, views, d.Shortfall.Considered, d.Shortfall.Passed, d.Shortfall.SearchedKm,
		d.Shortfall.FewerThanTwo, d.Shortfall.Rejected, len(views) > 0, optionsMap(opts)}})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
