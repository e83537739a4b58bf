package api

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's journey from the options to the move (issue 19, journey 1): referrals to the
// providers of homes chosen from the options, each provider's answer and deadline, the offer
// made from the homes that agreed, a preview of the child's own page, sending the link (shown
// once), the child's say, the decision with its reason and the sign-offs it needs, and the move.
// Each handler parses, makes the one call the JSON route makes (casework's, or the store's where
// the JSON route calls the store), and renders; a mistake in a form is the same page again with
// the error summary linking to the field (400 or 409, nothing written).

// referralTag is a referral's state as a tag.
func referralTag(r catalogue.Referral, now time.Time) tag {
	switch {
	case r.Agreed(now):
		return tag{"Agreed", "green"}
	case r.Status == catalogue.ReferralAccepted:
		return tag{"Hold ran out", "grey"}
	case r.Status == catalogue.ReferralDeclined:
		return tag{"Declined", "red"}
	case r.Status == catalogue.ReferralViewed:
		return tag{"Read, no answer yet", "blue"}
	case r.Status == catalogue.ReferralSent:
		return tag{"Sent, not read yet", "light-blue"}
	}
	return tag{capitalise(humanise(r.Status)), "grey"}
}

var offerColours = map[catalogue.OfferStatus]string{
	catalogue.OfferProposed: "grey", catalogue.OfferSent: "blue", catalogue.OfferViewed: "light-blue",
	catalogue.OfferAccepted: "green", catalogue.OfferDeclined: "red", catalogue.OfferPlaced: "green", catalogue.OfferWithdrawn: "grey",
}

func offerTag(s catalogue.OfferStatus) tag {
	c := offerColours[s]
	if c == "" {
		c = "grey"
	}
	return tag{capitalise(humanise(s)), c}
}

type referralRow struct {
	Home, Provider, Sent, Due, Answer string
	Tag                               tag
}

type offerRow struct {
	ID        catalogue.OfferID
	Made      string
	Tag       tag
	HomeCount int
}

type caseFileView struct {
	ID              catalogue.ChildID
	Name, CaseRef   string
	Referrals       []referralRow
	Offers          []offerRow
	Agreed          int
	MayOffer        bool
	OneChoiceReason string
	MaxReason       int
}

// caseFilePage answers GET /workspace/children/:id/referrals: the child's referrals with each
// provider's answer and deadline, and their offers.
func (s *server) caseFilePage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	sent := q.int("sent", 1, catalogue.MaxReferred)
	if err := q.err(); err != nil {
		return err
	}
	banner := ""
	if sent > 0 {
		banner = fmt.Sprintf("%d %s sent. Each provider answers by the deadline shown.", sent, plural(int(sent), "referral", "referrals"))
	}
	return s.renderCaseFile(c, catalogue.ChildID(id), http.StatusOK, nil, banner, "")
}

// renderCaseFile reads and renders the child's referrals and offers, with a form's mistakes.
func (s *server) renderCaseFile(c *gin.Context, id catalogue.ChildID, status int, errs []formError, banner, reason string) error {
	f, err := s.work.CaseFile(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return err
	}
	ch := f.Child
	if err := s.auditRead(c, "referrals", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	now := s.now()
	v := caseFileView{ID: ch.ID, Name: ch.FirstName, CaseRef: ch.CaseRef, Agreed: f.Agreed, OneChoiceReason: reason, MaxReason: catalogue.MaxReasonLen}
	open := false
	for _, r := range f.Referrals {
		home := f.Homes[r.Placement]
		row := referralRow{Home: home.Name, Provider: f.Providers[home.Provider].Name, Sent: longDate(r.CreatedAt), Tag: referralTag(r, now)}
		if row.Home == "" {
			row.Home = "Home " + r.Placement.String()
		}
		switch {
		case r.Status.Waiting():
			row.Due = "answer by " + whenText(r.Deadline)
		case r.Agreed(now):
			row.Due = "place held until " + whenText(r.HoldUntil)
		}
		if a := r.Response; a != nil {
			switch {
			case a.Accepted && a.WeeklyFee > 0:
				row.Answer = fmt.Sprintf("Accepted, £%s a week. %s", thousands(a.WeeklyFee), a.Impact)
			case a.Accepted:
				row.Answer = "Accepted. " + a.Impact
			default:
				row.Answer = "Declined: " + humanise(a.Decline) + ". " + a.Note
			}
		} else if r.Reason != "" {
			row.Answer = r.Reason
		}
		v.Referrals = append(v.Referrals, row)
	}
	for _, o := range f.Offers {
		open = open || o.Status.Open()
		v.Offers = append(v.Offers, offerRow{ID: o.ID, Made: longDate(o.CreatedAt), Tag: offerTag(o.Status), HomeCount: len(o.Choices())})
	}
	v.MayOffer = f.Agreed > 0 && !open && ch.Status != catalogue.ChildClosed
	return s.renderWorkspace(c, status, "officer_casefile", pageData{Title: ch.FirstName + "’s referrals and offers", Errors: errs, Banner: banner, Body: v})
}

// postedTo reads the ID in a form's path and the form posted.
func postedTo(c *gin.Context) (int64, url.Values, error) {
	id, err := pathID(c)
	if err != nil {
		return 0, nil, err
	}
	form, err := pageForm(c)
	return id, form, err
}

// pageForm reads a page's posted form, at most maxFormBytes.
func pageForm(c *gin.Context) (url.Values, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil {
		return nil, statusError(http.StatusBadRequest, "the form could not be read: go back and send it again")
	}
	return c.Request.PostForm, nil
}

// fieldIndex is a field's position in a list, as in placements[2].
var fieldIndex = regexp.MustCompile(`\[\d+\]`)

// formMistakes turns a mistake (400) or a conflict (409) into the error summary of the form it
// came from: each field at fault links to its control (anchor names the control of a field;
// "" for none). ok is false for any other error, which is the error page's.
func formMistakes(err error, anchor func(field string) string) (errs []formError, status int, ok bool) {
	p := problemFor(err)
	if p.Status != http.StatusBadRequest && p.Status != http.StatusConflict {
		return nil, 0, false
	}
	for _, e := range p.Errors {
		field := fieldIndex.ReplaceAllString(e.Field, "")
		errs = append(errs, formError{Field: anchor(field), Text: capitalise(fieldWords(field) + " " + e.Message)})
	}
	if len(errs) == 0 {
		errs = []formError{{Text: capitalise(p.Detail)}}
	}
	return errs, p.Status, true
}

// fieldWords names the API's fields as a person reads them.
func fieldWords(field string) string {
	if w, ok := map[string]string{
		"placements": "the homes", "placement": "the home", "reason": "the reason", "one_choice_reason": "the reason for one choice",
		"outcome": "the decision", "version": "the offer", "on": "the day they moved in", "note": "the account of the move",
		"sign_offs": "the sign-offs", "status": "the child’s record",
	}[field]; ok {
		return w
	}
	return humanise(field)
}

// whenText is a moment as a person reads it, to the minute.
func whenText(t time.Time) string { return t.Format("15:04 on 2 January 2006") }

// referPage answers POST /workspace/children/:id/referrals: the child referred to the providers
// of the homes ticked on the options page (casework.Refer, as POST /v1/children/{id}/referrals).
func (s *server) referPage(c *gin.Context) error {
	id, form, err := postedTo(c)
	if err != nil {
		return err
	}
	var homes []catalogue.PlacementID
	for _, v := range form["placements"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return s.optionsAgain(c, id, fieldError("placements", "must be homes of the options"))
		}
		homes = append(homes, catalogue.PlacementID(n))
	}
	if len(homes) == 0 {
		return s.optionsAgain(c, id, fieldError("placements", "must be chosen: tick at least one home to refer to"))
	}
	made, err := s.work.Refer(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id), homes, form.Get("emergency") == "yes")
	if err != nil {
		return s.optionsAgain(c, id, err)
	}
	s.touch(c.Request.Context(), homes...)
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/children/%d/referrals?sent=%d", id, len(made)))
	return nil
}

// optionsAgain shows the options page again with the referral form's mistakes.
func (s *server) optionsAgain(c *gin.Context, id int64, err error) error {
	errs, status, ok := formMistakes(err, func(string) string { return "placements" })
	if !ok {
		return err
	}
	return s.renderOptions(c, catalogue.ChildID(id), status, errs)
}

// makeOfferPage answers POST /workspace/children/:id/offers: an offer from the homes whose
// providers agreed (casework.MakeOffer, as POST /v1/children/{id}/offers without placements).
func (s *server) makeOfferPage(c *gin.Context) error {
	id, form, err := postedTo(c)
	if err != nil {
		return err
	}
	reason := form.Get("one_choice_reason")
	o, ch, err := s.work.MakeOffer(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id), nil, reason)
	if err != nil {
		errs, status, ok := formMistakes(err, func(string) string { return "one_choice_reason" })
		if !ok {
			return err
		}
		return s.renderCaseFile(c, catalogue.ChildID(id), status, errs, "", reason)
	}
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+o.ID.String())
	return nil
}

type offerHomeView struct {
	ID                                           int64
	Rank                                         int
	Role, Name, Kind, Area, Cost, HomeKm, Reason string
	Prefers, Withdrawn, Open                     bool
	WithdrawnReason                              string
}

type signOffView struct {
	Home, Kind, Level, Why, Citation string
	Given                            bool
	// Refused: a manager refused it, by their level and day (Refusal), with their reason; the
	// home cannot be accepted on this offer.
	Refused                bool
	Refusal, RefusalReason string
}

type offerPageView struct {
	ID       catalogue.OfferID
	Child    int64
	Name     string
	Version  int
	Tag      tag
	Summary  []keyValue
	Homes    []offerHomeView
	Say      []keyValue
	SayGiven bool
	// Siblings are the brothers and sisters moving with the child, each with their own say
	// through their own link (issue 20, item 2).
	Siblings                     []siblingSayView
	Links                        []keyValue
	SignOffs                     []signOffView
	Open, Accepted, Placed, Sent bool
	// Record: the offer is a decision record, with a page for the case file (caserecords.go).
	Record             bool
	DeclineReason      string
	Decision           []keyValue
	Form               decisionForm
	Move               placedForm
	ChangeReasons      []keyValue
	MaxReason, MaxNote int
	Settling           *settlingView // the back-up held while the child settles (workspace_settling.go)
}

// decisionForm is what the officer typed in the decision form, shown again with a mistake.
type decisionForm struct {
	Choice, Reason string
	// The withdrawals' forms (workspace_withdraw.go): the home chosen and the reason typed to
	// withdraw one home, and the reason typed to withdraw the offer.
	Home, HomeReason, WithdrawReason string
}

// placedForm is what the officer typed in the move's form.
type placedForm struct{ Day, Month, Year, Reason, Note string }

// offerPage answers GET /workspace/offers/:id: the offer as GET /v1/offers/{id} shows it
// (audited), with what can be done next.
func (s *server) offerPage(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	return s.renderOffer(c, id, http.StatusOK, nil, decisionForm{}, placedForm{})
}

// renderOffer reads the offer as GET /v1/offers/{id} does (audited) and renders it, with a
// form's mistakes and what was typed.
func (s *server) renderOffer(c *gin.Context, id catalogue.OfferID, status int, errs []formError, df decisionForm, pf placedForm) error {
	o, d, err := s.readOffer(c, id)
	if err != nil {
		return err
	}
	v := offerPageView{ID: o.ID, Child: d.Child, Name: d.ChildFirstName, Version: o.Version, Tag: offerTag(o.Status),
		Open: o.Status.Open(), Sent: o.Status.Sent(), Accepted: o.Status == catalogue.OfferAccepted, Placed: o.Status == catalogue.OfferPlaced,
		Form: df, Move: pf, MaxReason: catalogue.MaxReasonLen, MaxNote: catalogue.MaxWordsLen, Record: o.DecisionRecord()}
	v.Summary = []keyValue{{"Made", longDate(o.CreatedAt)}}
	if !o.SentAt.IsZero() {
		v.Summary = append(v.Summary, keyValue{"Sent to " + d.ChildFirstName, longDate(o.SentAt)})
	}
	if o.OneChoiceReason != "" {
		v.Summary = append(v.Summary, keyValue{"Why one choice", o.OneChoiceReason})
	}
	if o.WithdrawnReason != "" {
		v.Summary = append(v.Summary, keyValue{"Withdrawn because", o.WithdrawnReason})
	}
	names := map[int64]string{}
	for _, op := range d.Options {
		h := offerHomeView{ID: op.Placement.ID, Rank: op.Rank, Role: humanise(op.Role), Name: op.Placement.Name, Kind: humanise(op.Placement.Kind),
			Area: op.Placement.AreaName, Cost: "£" + thousands(op.WeeklyCost) + " a week", HomeKm: kmText(op.HomeKm),
			Prefers: op.ChildPrefers, Withdrawn: op.Withdrawn, WithdrawnReason: op.WithdrawnReason, Open: v.Open && !op.Withdrawn,
			Reason: d.ReasonNeededFor[strconv.FormatInt(op.Placement.ID, 10)]}
		if h.Name == "" {
			h.Name = "Home " + strconv.FormatInt(op.Placement.ID, 10)
		}
		names[h.ID] = h.Name
		v.Homes = append(v.Homes, h)
	}
	v.DeclineReason = d.ReasonNeededFor["declined"]
	v.SayGiven, v.Say = d.ChildSay.Given, sayRows(d.ChildSay, names)
	for _, sib := range d.SiblingSays {
		name := sib.FirstName
		if name == "" {
			name = "Child " + strconv.FormatInt(sib.Child, 10)
		}
		v.Siblings = append(v.Siblings, siblingSayView{ID: sib.Child, Name: name, Given: sib.Say.Given, Say: sayRows(sib.Say, names)})
	}
	for _, l := range d.Links {
		state := "can still be opened until " + whenText(l.ExpiresAt)
		switch {
		case l.OpenedAt != nil:
			state = "opened " + whenText(*l.OpenedAt)
		case l.RevokedAt != nil:
			state = "stopped " + whenText(*l.RevokedAt)
		case !l.Live:
			state = "ran out " + whenText(l.ExpiresAt)
		}
		v.Links = append(v.Links, keyValue{"Link made " + whenText(l.CreatedAt), state})
	}
	if d.SignOffs != nil {
		for _, n := range d.SignOffs.Needed {
			sv := signOffView{Home: names[n.Placement], Kind: capitalise(humanise(n.Kind)), Level: humanise(n.Level),
				Why: n.Why, Citation: n.Citation, Given: n.Given, Refused: n.Refused}
			for _, r := range d.SignOffs.Refused {
				if r.Placement == n.Placement && r.Kind == n.Kind {
					sv.Refusal = "Refused by " + catalogue.ManagerLevel(r.RefusedByLevel).Words() + " on " + longDate(r.At)
					sv.RefusalReason = r.Reason
				}
			}
			v.SignOffs = append(v.SignOffs, sv)
		}
	}
	if dec := d.Decision; dec != nil {
		what := "Declined every home"
		if dec.Outcome == "accepted" {
			what = "Accepted " + names[dec.Placement]
		}
		v.Decision = []keyValue{{"Decision", what}, {"Reason", dec.Reason}, {"Decided on", longDate(dec.At)}}
		if o.Status == catalogue.OfferPlaced && !o.PlacedAt.IsZero() {
			v.Decision = append(v.Decision, keyValue{"Moved in", longDate(o.PlacedAt)})
		}
	}
	if v.Accepted && pf == (placedForm{}) {
		t := s.today()
		v.Move = placedForm{Day: strconv.Itoa(t.Day()), Month: strconv.Itoa(int(t.Month())), Year: strconv.Itoa(t.Year())}
	}
	for _, r := range catalogue.ChangeReasons {
		v.ChangeReasons = append(v.ChangeReasons, keyValue{string(r), capitalise(r.Words())})
	}
	if v.Settling, err = s.settlingOn(c, o, d.ChildFirstName, names); err != nil {
		return err
	}
	return s.renderWorkspace(c, status, "officer_offer", pageData{Title: "Offer to " + d.ChildFirstName, Errors: errs, Body: v})
}

// previewPage answers GET /workspace/offers/:id/preview: the child's own page for the offer, as
// the child will see it once it is sent, built by the child's page's own view (childView) and
// marked as a preview. No link is made or used and no session started; the read is audited.
func (s *server) previewPage(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	o, err := s.store.Offer(ctx, principal(c).Scope(), id)
	if err != nil {
		return err
	}
	if !o.Status.Open() {
		return &httpError{status: http.StatusConflict, detail: "the offer is " + string(o.Status) + ": only an open offer is previewed"}
	}
	v, err := s.childView(ctx, catalogue.ChildSession{Council: o.Council, Offer: o.ID}, o)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "preview", "offer:"+o.ID.String(), o.Council); err != nil {
		return err
	}
	v.CanChoose, v.Preview = true, true
	s.renderPage(c, http.StatusOK, "offer.html", v)
	return nil
}

// sendOfferPage answers POST /workspace/offers/:id/send: a new private link for the child, as
// POST /v1/offers/{id}/send makes it, shown on this page once with its note; with child, the
// link of a brother or sister offered with the child, for their own say.
func (s *server) sendOfferPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.OfferID(n)
	var whose catalogue.ChildID
	if v := form.Get("child"); v != "" {
		k, err := strconv.ParseInt(v, 10, 64)
		if err != nil || k <= 0 {
			return fieldError("child", "must be the ID of a brother or sister offered with the child")
		}
		whose = catalogue.ChildID(k)
	}
	base, err := s.linkBase(c)
	if err != nil {
		return err
	}
	token, hash := catalogue.NewSecret(linkPrefix)
	o, link, err := s.store.SendOffer(c.Request.Context(), principal(c).Scope(), id,
		catalogue.ChildLink{Hash: hash, ExpiresAt: s.now().Add(defaultLinkDays * 24 * time.Hour), Child: whose})
	if err != nil {
		errs, status, ok := formMistakes(err, func(string) string { return "" })
		if !ok {
			return err
		}
		return s.renderOffer(c, id, status, errs, decisionForm{}, placedForm{})
	}
	ch, err := s.store.Child(c.Request.Context(), principal(c).Scope(), link.Child)
	if err != nil {
		return err
	}
	sent := sentLink(base, token, link)
	if young, from, err := s.tooYoungForLink(c.Request.Context(), ch); err != nil {
		return err
	} else if young {
		sent.Note, sent.ForAdult = youngLinkNote(from), true
	}
	secretResponse(c)
	return s.renderWorkspace(c, http.StatusOK, "officer_sent", pageData{Title: "The offer is sent to " + ch.FirstName, Body: struct {
		Offer           catalogue.OfferID
		Name, URL, Note string
		Expires         string
	}{o.ID, ch.FirstName, sent.URL, sent.Note, whenText(sent.ExpiresAt)}})
}

// decidePage answers POST /workspace/offers/:id/decision: accept one home or decline them all,
// with the reason, as POST /v1/offers/{id}/decision (casework.DecideOffer).
func (s *server) decidePage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.OfferID(n)
	df := decisionForm{Choice: form.Get("decision"), Reason: form.Get("reason")}
	again := func(err error) error {
		errs, status, ok := formMistakes(err, func(f string) string {
			if f == "reason" {
				return "reason"
			}
			if f == "version" {
				return ""
			}
			return "decision"
		})
		if !ok {
			return err
		}
		return s.renderOffer(c, id, status, errs, df, placedForm{})
	}
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and decide again"))
	}
	d := catalogue.Decision{Reason: strings.TrimSpace(df.Reason)}
	switch df.Choice {
	case "":
		return again(fieldError("outcome", "must be chosen: accept one home or decline them all"))
	case "declined":
	default:
		n, err := strconv.ParseInt(df.Choice, 10, 64)
		if err != nil || n <= 0 {
			return again(fieldError("placement", "must be one of the offer's homes"))
		}
		d.Accepted, d.Placement = true, catalogue.PlacementID(n)
	}
	ctx := c.Request.Context()
	o, err := s.work.DecideOffer(ctx, principal(c).Scope(), id, version, d)
	if err != nil {
		return again(err)
	}
	s.touchOptions(ctx, o)
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+o.ID.String())
	return nil
}

// placedPage answers POST /workspace/offers/:id/placed: the child moved into the home accepted,
// as POST /v1/offers/{id}/placed records it (the store's MarkPlaced).
func (s *server) placedPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.OfferID(n)
	pf := placedForm{Day: strings.TrimSpace(form.Get("on-day")), Month: strings.TrimSpace(form.Get("on-month")), Year: strings.TrimSpace(form.Get("on-year")),
		Reason: form.Get("change-reason"), Note: form.Get("note")}
	again := func(err error) error {
		errs, status, ok := formMistakes(err, func(f string) string {
			return map[string]string{"on": "on-day", "reason": "change-reason", "note": "note"}[f]
		})
		if !ok {
			return err
		}
		return s.renderOffer(c, id, status, errs, decisionForm{}, pf)
	}
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and send the form again"))
	}
	day, derr := strconv.Atoi(pf.Day)
	month, merr := strconv.Atoi(pf.Month)
	year, yerr := strconv.Atoi(pf.Year)
	on := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if derr != nil || merr != nil || yerr != nil || on.Day() != day || on.Month() != time.Month(month) {
		return again(fieldError("on", "must be a real date"))
	}
	a, err := s.arrival(on, pf.Reason, pf.Note)
	if err != nil {
		return again(err)
	}
	o, err := s.store.MarkPlaced(c.Request.Context(), principal(c).Scope(), id, version, a)
	if err != nil {
		return again(err)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+o.ID.String())
	return nil
}

// siblingSayView is a brother's or sister's own say on the offer page.
type siblingSayView struct {
	ID    int64
	Name  string
	Given bool
	Say   []keyValue
}

// sayRows is what a child said, as the officer reads it; nothing before they have said anything.
func sayRows(say childSayDTO, names map[int64]string) []keyValue {
	if !say.Given {
		return nil
	}
	choice := "Not sure yet"
	switch {
	case say.Neither:
		choice = "Neither home"
	case say.Preference != 0:
		choice = names[say.Preference]
	}
	out := []keyValue{{"Would like", choice}, {"In their own words", say.InOwnWords}, {"Said on", longDate(*say.At)}}
	if say.AdvocateRequested {
		out = append(out, keyValue{"Advocate", "Asked for an advocate"})
	}
	if w := helperWords[catalogue.Helper(say.GoneThroughWith)]; w != "" {
		out = append(out, keyValue{"Gone through with", w})
	}
	return out
}
