package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The provider's pages (issue 19, journey 3): its referral inbox with deadlines, a referral's
// profile with the answer (accept with the impact assessment and the weekly fee, or decline
// with a reason), and its homes with their places and the words shown to children, and
// whether those are approved. Each page makes the API's own casework call: Inbox (over
// ListReferrals), OpenReferral (audited, and marks the referral viewed), Respond (through
// answerReferral, as POST /v1/referrals/{id}/response), Home; the homes list is the store's
// ListPlacements, as GET /v1/placements.

// providerPages: a provider, and an administrator (who sees every provider's).
var providerPages = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleProvider}

// declineReasons are the coded reasons for declining, as a provider reads them.
var declineReasons = []keyValue{
	{string(catalogue.DeclineNoCapacity), "No room: the home has no place for the child"},
	{string(catalogue.DeclineMatchingConcerns), "The children already living there: the match would not work for them or for the child"},
	{string(catalogue.DeclineCannotMeetNeeds), "The home cannot meet the child's needs"},
	{string(catalogue.DeclineLocation), "The location does not suit the child"},
	{string(catalogue.DeclineOther), "Another reason (say what in the note)"},
}

// answerLabels name the answer's fields at the start of a mistake's message.
var answerLabels = map[string]string{
	"outcome": "Your answer", "impact_assessment": "The impact assessment", "weekly_fee": "The weekly fee",
	"decline_reason": "The reason", "note": "The note", "version": "The referral",
}

// deadlineText is when a referral must be answered by, as a person reads it, and a tag of how
// long is left.
func deadlineText(deadline, now time.Time) (string, tag) {
	text := deadline.UTC().Format("15:04 UTC, 2 January 2006")
	switch left := deadline.Sub(now); {
	case left <= 0:
		return text, tag{"Past its deadline", "red"}
	case left < time.Hour:
		return text, tag{fmt.Sprintf("%d minutes left", int(left.Minutes())), "red"}
	case left < 24*time.Hour:
		h := int(left.Hours())
		return text, tag{fmt.Sprintf("%d %s left", h, plural(h, "hour", "hours")), "orange"}
	default:
		d := int(left.Hours() / 24)
		return text, tag{fmt.Sprintf("%d %s left", d, plural(d, "day", "days")), "yellow"}
	}
}

// inboxTag is a referral's status as a tag in the provider's words (new, opened, ...).
func inboxTag(st catalogue.ReferralStatus) tag {
	colour := map[catalogue.ReferralStatus]string{catalogue.ReferralSent: "blue", catalogue.ReferralViewed: "light-blue",
		catalogue.ReferralAccepted: "green", catalogue.ReferralDeclined: "grey", catalogue.ReferralExpired: "grey", catalogue.ReferralWithdrawn: "grey"}[st]
	text := map[catalogue.ReferralStatus]string{catalogue.ReferralSent: "New", catalogue.ReferralViewed: "Opened"}[st]
	if text == "" {
		text = strings.ToUpper(string(st[:1])) + string(st[1:])
	}
	return tag{text, colour}
}

type inboxRow struct {
	ID                 catalogue.ReferralID
	Home, Sent, Answer string
	Tags               []tag
}

// inboxPage answers GET /workspace/referrals.
func (s *server) inboxPage(c *gin.Context) error {
	p := principal(c)
	items, err := s.work.Inbox(c.Request.Context(), p.Scope())
	if err != nil {
		return err
	}
	now := s.now()
	var waiting, done []inboxRow
	for _, it := range items {
		r := it.Referral
		row := inboxRow{ID: r.ID, Home: it.Home, Sent: r.CreatedAt.UTC().Format("2 January 2006"), Tags: []tag{inboxTag(r.Status)}}
		if r.Emergency {
			row.Tags = append([]tag{{"Emergency", "red"}}, row.Tags...)
		}
		if r.Status.Waiting() {
			text, left := deadlineText(r.Deadline, now)
			row.Answer, row.Tags = text, append(row.Tags, left)
			waiting = append(waiting, row)
			continue
		}
		done = append(done, row)
	}
	holds, err := s.providerHolds(c) // back-ups asked to be held while a child settles (workspace_settling.go)
	if err != nil {
		return err
	}
	return s.renderWorkspace(c, http.StatusOK, "provider_inbox", pageData{Title: "Referrals", Body: struct {
		Waiting, Done []inboxRow
		Holds         []holdRow
	}{waiting, done, holds}})
}

// answerForm is the provider's answer as typed, kept when the page is shown again.
type answerForm struct {
	Outcome, Impact, Fee, Decline, Note string
}

type referralView struct {
	ID                         catalogue.ReferralID
	Version                    int
	Name, Deadline, Home       string
	Tags                       []tag
	Summary, Needs             []keyValue
	Waiting                    bool
	Answer                     []keyValue // the answer given
	Form                       answerForm
	Reasons                    []keyValue
	MaxImpact, MaxNote, MaxFee int
	Errs                       map[string]string // each field's mistake
}

// referralPage answers GET /workspace/referrals/:id: the child's referral profile and the
// answer's form (audited; opening it marks it viewed).
func (s *server) referralPage(c *gin.Context) error {
	q := newQuery(c)
	answered := q.bool("answered")
	if err := q.err(); err != nil {
		return err
	}
	banner := ""
	if answered {
		banner = "Your answer is recorded, and the child's placement officer is told."
	}
	return s.showReferral(c, http.StatusOK, answerForm{}, nil, banner)
}

// showReferral opens the referral and renders its page, with the answer typed and its
// mistakes when the answer was refused.
func (s *server) showReferral(c *gin.Context, status int, form answerForm, mistakes []formError, banner string) error {
	r, prof, err := s.openReferral(c)
	if err != nil {
		return err
	}
	v := referralView{ID: r.ID, Version: r.Version, Name: prof.FirstName, Tags: []tag{inboxTag(r.Status)},
		Waiting: r.Status.Waiting(), Form: form, Reasons: declineReasons,
		MaxImpact: catalogue.MaxWordsLen, MaxNote: catalogue.MaxReasonLen, MaxFee: catalogue.MaxWeeklyFee, Errs: map[string]string{}}
	for _, m := range mistakes {
		if _, ok := v.Errs[m.Field]; !ok {
			v.Errs[m.Field] = m.Text
		}
	}
	if r.Emergency {
		v.Tags = append([]tag{{"Emergency", "red"}}, v.Tags...)
	}
	if v.Waiting {
		text, left := deadlineText(r.Deadline, s.now())
		v.Deadline = text
		v.Tags = append(v.Tags, left)
	}
	siblings := "None moving with them."
	if len(prof.Siblings) > 0 {
		var ages []string
		for _, a := range prof.Siblings {
			ages = append(ages, strconv.Itoa(a))
		}
		siblings = fmt.Sprintf("%d moving with them, aged %s", len(prof.Siblings), strings.Join(ages, ", "))
	}
	yes := map[bool]string{true: "Yes", false: "No"}
	v.Summary = []keyValue{
		{"Age", strconv.Itoa(prof.Age)},
		{"Sex", humanise(prof.Sex)},
		{"Legal status", humanise(prof.LegalStatus)},
		{"Looking for", humanise(prof.CareType) + ", " + humanise(prof.Purpose)},
		{"Needed by", longDate(prof.NeededBy)},
		{"Brothers and sisters", siblings},
		{"Risks to others", joinHumanised(prof.Risks, "None recorded.")},
		{"Communication", joinHumanised(prof.Communication, "No needs recorded.")},
		{"Living with other children", humanise(prof.Companions)},
		{"Pets", humanise(prof.Pets)},
		{"Allergies", joinHumanised(prof.Allergies, "None recorded.")},
		{"A respiratory condition", yes[prof.Respiratory]},
		{"Needs wheelchair access", yes[prof.Wheelchair]},
	}
	for _, n := range prof.Needs {
		v.Needs = append(v.Needs, keyValue{humanise(n.Kind), needLevels[n.Level]})
	}
	if a := r.Response; a != nil {
		if a.Accepted {
			v.Answer = []keyValue{{"Answer", "Accepted"}, {"Impact assessment", a.Impact}, {"Weekly fee", fmt.Sprintf("£%d", a.WeeklyFee)}}
		} else {
			v.Answer = []keyValue{{"Answer", "Declined"}, {"Reason", humanise(a.Decline)}}
			if a.Note != "" {
				v.Answer = append(v.Answer, keyValue{"Note", a.Note})
			}
		}
	}
	return s.renderWorkspace(c, status, "provider_referral", pageData{Title: "Referral of " + prof.FirstName, Errors: mistakes, Banner: banner, Body: v})
}

// joinHumanised is a list of vocabulary values as words, or none when it is empty.
func joinHumanised[T ~string](xs []T, none string) string {
	if len(xs) == 0 {
		return none
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = humanise(x)
	}
	return strings.Join(out, "; ")
}

// answerReferralPage answers POST /workspace/referrals/:id/response: the provider's answer,
// as POST /v1/referrals/{id}/response records it; a mistake shows the page again with the
// error summary (400, nothing written).
func (s *server) answerReferralPage(c *gin.Context) error {
	id, err := referralID(c)
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return fieldError("form", "cannot be read")
	}
	pf := c.Request.PostForm
	form := answerForm{Outcome: pf.Get("outcome"), Impact: pf.Get("impact_assessment"), Fee: strings.TrimSpace(pf.Get("weekly_fee")),
		Decline: pf.Get("decline_reason"), Note: pf.Get("note")}
	version, verr := strconv.Atoi(pf.Get("version"))
	var mistakes []formError
	a := catalogue.ReferralResponse{Note: form.Note}
	switch form.Outcome {
	case "accepted": // the fields of declining, hidden by the radios, are not part of the answer
		a.Accepted, a.Impact = true, form.Impact
		if form.Fee != "" {
			fee, err := strconv.Atoi(strings.TrimPrefix(form.Fee, "£"))
			if err != nil {
				mistakes = append(mistakes, formError{"weekly_fee", "Enter the weekly fee as a whole number of pounds, like 950"})
			}
			a.WeeklyFee = fee
		}
	case "declined":
		a.Decline = catalogue.DeclineReason(form.Decline)
		if a.Decline == "" {
			mistakes = append(mistakes, formError{"decline_reason", "Choose why you are declining"})
		}
	default:
		mistakes = append(mistakes, formError{"outcome", "Choose whether you accept or decline the referral"})
	}
	if verr != nil || version < 1 { // a hidden field: only a page of another time lacks it
		mistakes = append(mistakes, formError{"version", "This page is out of date: open the referral again and answer"})
	}
	if len(mistakes) == 0 {
		_, err := s.answerReferral(c, id, version, a)
		if err == nil {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/referrals/%d?answered=1", id))
			return nil
		}
		fields := catalogue.FieldErrors(err)
		if len(fields) == 0 {
			return err
		}
		for _, f := range fields {
			text := f.Message
			if f.Field == "decline_reason" {
				text = "choose one of the reasons"
			}
			mistakes = append(mistakes, formError{f.Field, cmpOr(answerLabels[f.Field], "This") + " " + text})
		}
	}
	return s.showReferral(c, http.StatusBadRequest, form, mistakes, "")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type homeRow struct {
	ID                       catalogue.PlacementID
	Name, Kind, Area, Places string
	Tags                     []tag
}

// wordsTag says whether a home's words for children are approved.
func wordsTag(pl *catalogue.Placement) tag {
	switch {
	case pl.Profile == "":
		return tag{"No words for children", "grey"}
	case pl.ProfileApproved():
		return tag{"Words approved", "green"}
	}
	return tag{"Words waiting for approval", "yellow"}
}

// homesPage answers GET /workspace/homes: the provider's homes (GET /v1/placements's call).
func (s *server) homesPage(c *gin.Context) error {
	p := principal(c)
	page, err := s.store.ListPlacements(c.Request.Context(), p.Scope(), catalogue.PlacementFilter{Provider: p.Provider, Limit: catalogue.MaxLimit})
	if err != nil {
		return err
	}
	rows := make([]homeRow, len(page.Items))
	for i, pl := range page.Items {
		rows[i] = homeRow{ID: pl.ID, Name: pl.Name, Kind: humanise(pl.Kind), Area: pl.AreaName,
			Places: approvedFor(pl.Approval), Tags: []tag{wordsTag(&pl)}}
	}
	return s.renderWorkspace(c, http.StatusOK, "provider_homes", pageData{Title: "Your homes", Body: struct {
		Rows   []homeRow
		More   bool
		MayAdd bool // a provider adds its homes here (an administrator, through the API)
	}{rows, page.Next != 0, principal(c).Role == catalogue.RoleProvider}})
}

// homePage answers GET /workspace/homes/:id: a home, its places and its words for children.
func (s *server) homePage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	saved := q.str("saved")
	if err := q.err(); err != nil {
		return err
	}
	banner := map[string]string{
		"words": "The words are saved. A placement officer approves them before a child reads them.",
		"place": "The place is saved.",
		"terms": "The kind, approval and cost are saved.",
		"added": "The home is added. Open a place when a child could move in, and write its words for children.",
	}[saved]
	return s.renderHome(c, catalogue.PlacementID(id), http.StatusOK, nil, homeEdit{}, banner)
}

// homeEdit is what the provider typed on a home's page: its words for children, and the first
// day of a new place.
type homeEdit struct {
	Words            *string // nil: the words as stored
	Day, Month, Year string
	Terms            *homeTerms // nil: the kind, approval and cost as stored
}

// renderHome renders one of the provider's homes with what can be changed on it: its words for
// children and its places, with the mistakes of a form sent (status 400 or 409) and what was
// typed.
func (s *server) renderHome(c *gin.Context, id catalogue.PlacementID, status int, errs []formError, edit homeEdit, banner string) error {
	h, err := s.work.Home(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return err
	}
	pl := h.Placement
	type placeRow struct {
		ID                   catalogue.VacancyID
		Version              int
		From, Status, Action string // Action: the status a button changes the place to ("" for none)
		ActionLabel          string
	}
	var places []placeRow
	for _, v := range h.Places {
		row := placeRow{ID: v.ID, Version: v.Version, From: longDate(v.AvailableFrom), Status: humanise(v.Status)}
		switch v.Status { // held and filled places change through their offers
		case catalogue.VacancyAvailable:
			row.Action, row.ActionLabel = string(catalogue.VacancyWithdrawn), "Withdraw this place"
		case catalogue.VacancyWithdrawn:
			row.Action, row.ActionLabel = string(catalogue.VacancyAvailable), "Offer this place again"
		}
		places = append(places, row)
	}
	words := pl.Profile
	if edit.Words != nil {
		words = *edit.Words
	}
	terms := termsOf(pl)
	if edit.Terms != nil {
		terms = *edit.Terms
	}
	return s.renderWorkspace(c, status, "provider_home", pageData{Title: pl.Name, Errors: errs, Banner: banner, Body: struct {
		ID                  catalogue.PlacementID
		Version             int
		Name, Words, Stored string
		MaxWords            int
		Review              tag
		Summary             []keyValue
		Places              []placeRow
		Day, Month, Year    string
		Terms               homeTerms
		Kinds               []keyValue
	}{pl.ID, pl.Version, pl.Name, words, pl.Profile, catalogue.MaxWordsLen, wordsTag(&pl), []keyValue{
		{"Kind", humanise(pl.Kind)},
		{"Area children are told", pl.AreaName},
		{"Approved for", approvedFor(pl.Approval)},
		{"Weekly cost", fmt.Sprintf("£%d", pl.WeeklyCost)},
	}, places, edit.Day, edit.Month, edit.Year, terms, homeKinds}})
}

// homeWordsPage answers POST /workspace/homes/:id/words: the home's words for children, as
// PUT /v1/placements/{id} changes its profile; any change withdraws their approval, so a child
// reads none of them until a placement officer approves the new text.
func (s *server) homeWordsPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.PlacementID(n)
	words := strings.TrimSpace(strings.ReplaceAll(form.Get("words"), "\r\n", "\n"))
	again := func(err error) error {
		errs, status, ok := formMistakes(err, func(f string) string {
			return map[string]string{"profile": "words", "words": "words"}[f]
		})
		if !ok {
			return err
		}
		return s.renderHome(c, id, status, errs, homeEdit{Words: &words}, "")
	}
	return s.changeHome(c, id, form, again, "words", func(pl *catalogue.Placement) error { pl.Profile = words; return nil })
}

// changeHome changes a home from one of its page's forms: the home as read at the form's
// version, changed by change, written through changePlacement (the owners of each field, the
// store's validation and version); its places are not changed here. Then 303 to the home's page
// saying saved, or the page again with the mistake (again).
func (s *server) changeHome(c *gin.Context, id catalogue.PlacementID, form url.Values, again func(error) error, saved string,
	change func(*catalogue.Placement) error) error {
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and send the form again"))
	}
	ctx, p := c.Request.Context(), principal(c)
	cur, err := s.store.Placement(ctx, p.Scope(), id)
	if err != nil {
		return err
	}
	if version != cur.Version {
		return again(stale("placement", cur.ID.String(), version, cur.Version))
	}
	pl := cur
	pl.Vacancies = nil
	if err := change(&pl); err != nil {
		return again(err)
	}
	if _, err := s.changePlacement(ctx, p, cur, pl); err != nil {
		return again(err)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/homes/%d?saved=%s", id, saved))
	return nil
}

// homePlacesPage answers POST /workspace/homes/:id/places: a new place, free from the day given,
// as POST /v1/placements/{id}/vacancies opens one.
func (s *server) homePlacesPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.PlacementID(n)
	edit := homeEdit{Day: strings.TrimSpace(form.Get("from-day")), Month: strings.TrimSpace(form.Get("from-month")), Year: strings.TrimSpace(form.Get("from-year"))}
	again := func(err error) error {
		errs, status, ok := formMistakes(err, func(f string) string {
			return map[string]string{"available_from": "from-day"}[f]
		})
		if !ok {
			return err
		}
		return s.renderHome(c, id, status, errs, edit, "")
	}
	day, derr := strconv.Atoi(edit.Day)
	month, merr := strconv.Atoi(edit.Month)
	year, yerr := strconv.Atoi(edit.Year)
	from := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if derr != nil || merr != nil || yerr != nil || from.Day() != day || from.Month() != time.Month(month) {
		return again(fieldError("available_from", "must be a real date"))
	}
	v := catalogue.Vacancy{Placement: id, AvailableFrom: from, Status: catalogue.VacancyAvailable}
	if err := v.Validate(); err != nil {
		return again(err)
	}
	if _, err := s.openPlace(c.Request.Context(), principal(c), v); err != nil {
		return again(err)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/homes/%d?saved=place", id))
	return nil
}

// placeStatusPage answers POST /workspace/places/:id: a place withdrawn, or offered again, as
// PUT /v1/vacancies/{id} changes its status (a place held or filled changes through its offer).
func (s *server) placeStatusPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	ctx, p := c.Request.Context(), principal(c)
	cur, err := s.store.Vacancy(ctx, p.Scope(), catalogue.VacancyID(n))
	if err != nil {
		return err
	}
	again := func(err error) error {
		errs, status, ok := formMistakes(err, func(string) string { return "" })
		if !ok {
			return err
		}
		return s.renderHome(c, cur.Placement, status, errs, homeEdit{}, "")
	}
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and send the form again"))
	}
	v := cur
	v.Version, v.Status = version, catalogue.VacancyStatus(form.Get("status"))
	if v.Status != catalogue.VacancyAvailable && v.Status != catalogue.VacancyWithdrawn {
		return again(fieldError("status", "must be available or withdrawn"))
	}
	if _, err := s.changePlace(ctx, p, v); err != nil {
		return again(err)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/homes/%d?saved=place", cur.Placement))
	return nil
}

// approvedFor is a home's approval terms in words.
func approvedFor(a catalogue.Approval) string {
	return fmt.Sprintf("%d %s aged %d to %d", a.MaxChildren, plural(a.MaxChildren, "child", "children"), a.MinAge, a.MaxAge)
}
