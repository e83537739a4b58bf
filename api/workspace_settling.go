package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's view of a back-up held while a child settles (issue 20, item 7), on the page of
// the offer the child moved under: the home, until when, any retainer (the council's, not the
// child's placement cost), and the forms to offer it to the child or to end the hold.

// settlingView is the hold shown on the placed offer's page; nil when the move asked for none.
type settlingView struct {
	ID       catalogue.SettlingHoldID
	Version  int
	Home     string
	Tag      tag
	Rows     []keyValue
	Agreed   bool // the provider holds it: it can be offered, or released
	Live     bool // asked or agreed: it can be released
	NewOffer catalogue.OfferID
	Reason   string // what was typed, when a form is shown again
}

var settlingTags = map[catalogue.SettlingStatus]tag{
	catalogue.SettlingRequested: {"Asked of the provider", "blue"},
	catalogue.SettlingAgreed:    {"Held", "green"},
	catalogue.SettlingDeclined:  {"Declined by the provider", "grey"},
	catalogue.SettlingReleased:  {"Released", "grey"},
	catalogue.SettlingOffered:   {"Offered to the child", "purple"},
}

// settlingOn returns the view of the hold the placed offer's move asked for, read in the
// officer's scope (audited as GET /v1/settling-holds/{id}), or nil.
func (s *server) settlingOn(c *gin.Context, o catalogue.Offer, name string, homes map[int64]string) (*settlingView, error) {
	if s.settling == nil || o.Status != catalogue.OfferPlaced {
		return nil, nil
	}
	sc := principal(c).Scope()
	page, err := s.settling.ListSettlingHolds(c.Request.Context(), sc, catalogue.SettlingFilter{Child: o.Child, Limit: catalogue.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, h := range page.Items {
		if h.Offer != o.ID {
			continue
		}
		if err := s.auditRead(c, "read", "settling:"+h.ID.String(), h.Council); err != nil {
			return nil, err
		}
		home := homes[int64(h.Placement)]
		if home == "" {
			home = "Home " + h.Placement.String()
		}
		v := &settlingView{ID: h.ID, Version: h.Version, Home: home, Tag: settlingTags[h.Status], Agreed: h.Status == catalogue.SettlingAgreed,
			Live: h.Status.Live(), NewOffer: h.NewOffer}
		v.Rows = []keyValue{{"Back-up home", home}, {"Held until", longDate(h.Ends) + " (" + strconv.Itoa(h.Weeks) + " weeks after the move)"}}
		if h.Status == catalogue.SettlingAgreed || h.Status == catalogue.SettlingOffered {
			retainer := "None"
			if h.WeeklyRetainer > 0 {
				retainer = "£" + thousands(h.WeeklyRetainer) + " a week, paid by the council for holding the place (not " + name + "’s placement cost)"
			}
			v.Rows = append(v.Rows, keyValue{"Retainer", retainer})
		}
		if h.Note != "" {
			v.Rows = append(v.Rows, keyValue{"The provider’s note", h.Note})
		}
		if h.ReleaseReason != "" {
			v.Rows = append(v.Rows, keyValue{"Ended because", h.ReleaseReason})
		}
		return v, nil
	}
	return nil, nil
}

// settlingPosted reads a settling form: the hold, its version and the reason typed.
func settlingPosted(c *gin.Context) (catalogue.SettlingHoldID, int, string, error) {
	n, form, err := postedTo(c)
	if err != nil {
		return 0, 0, "", err
	}
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return 0, 0, "", fieldError("version", "was not sent: reload the page and send the form again")
	}
	return catalogue.SettlingHoldID(n), version, form.Get("reason"), nil
}

// settlingAgain shows the placed offer's page again with a settling form's mistakes.
func (s *server) settlingAgain(c *gin.Context, id catalogue.SettlingHoldID, err error) error {
	provider := principal(c).Role == catalogue.RoleProvider // shown its own page of the hold
	anchor := "settling-reason"
	if provider {
		anchor = "reason"
	}
	errs, status, ok := formMistakes(err, func(string) string { return anchor })
	if !ok || s.settling == nil {
		return err
	}
	if provider {
		return s.renderHold(c, id, status, errs, holdForm{})
	}
	h, herr := s.settling.SettlingHold(c.Request.Context(), principal(c).Scope(), id)
	if herr != nil {
		return err
	}
	return s.renderOffer(c, h.Offer, status, errs, decisionForm{}, placedForm{})
}

// offerBackupPage answers POST /workspace/settling-holds/:id/offer: the held back-up offered to
// the child, as POST /v1/settling-holds/{id}/offer; 303 to the new offer.
func (s *server) offerBackupPage(c *gin.Context) error {
	id, version, reason, err := settlingPosted(c)
	if err != nil {
		return err
	}
	o, _, err := s.offerHold(c, id, version, reason)
	if err != nil {
		return s.settlingAgain(c, id, err)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+o.ID.String())
	return nil
}

// releaseBackupPage answers POST /workspace/settling-holds/:id/release: the hold ended early, as
// POST /v1/settling-holds/{id}/release; 303 to the offer the child moved under.
func (s *server) releaseBackupPage(c *gin.Context) error {
	id, version, reason, err := settlingPosted(c)
	if err != nil {
		return err
	}
	h, err := s.releaseHold(c, id, version, strings.TrimSpace(reason))
	if err != nil {
		return s.settlingAgain(c, id, err)
	}
	to := "/workspace/offers/" + h.Offer.String()
	if principal(c).Role == catalogue.RoleProvider {
		to = "/workspace/settling-holds/" + h.ID.String()
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// The back-up's provider's side: its holds listed in its referral inbox, and a page to agree
// (with any weekly retainer) or decline, or to withdraw a hold it agreed to.

// holdRow is one hold in the provider's inbox.
type holdRow struct {
	ID         catalogue.SettlingHoldID
	Home, Ends string
	Tag        tag
}

// providerHolds lists the holds of the provider's homes, asked first, for its inbox.
func (s *server) providerHolds(c *gin.Context) ([]holdRow, error) {
	if s.settling == nil {
		return nil, nil
	}
	page, err := s.settling.ListSettlingHolds(c.Request.Context(), principal(c).Scope(), catalogue.SettlingFilter{Limit: catalogue.MaxLimit})
	if err != nil {
		return nil, err
	}
	var asked, rest []holdRow
	for _, h := range page.Items {
		row := holdRow{ID: h.ID, Home: s.homeName(c, h.Placement), Ends: longDate(h.Ends), Tag: settlingTags[h.Status]}
		if h.Status == catalogue.SettlingRequested {
			row.Tag = tag{"To answer", "blue"}
			asked = append(asked, row)
		} else {
			rest = append(rest, row)
		}
	}
	return append(asked, rest...), nil
}

// homeName names a home for its own provider's pages.
func (s *server) homeName(c *gin.Context, id catalogue.PlacementID) string {
	if p, err := s.store.Placement(c.Request.Context(), principal(c).Scope(), id); err == nil && p.Name != "" {
		return p.Name
	}
	return "Home " + id.String()
}

// holdForm is the provider's answer as typed.
type holdForm struct{ Outcome, Retainer, Note, Reason string }

type holdPageView struct {
	ID       catalogue.SettlingHoldID
	Version  int
	Tag      tag
	Rows     []keyValue
	Asked    bool // waiting for the provider's answer
	Agreed   bool // held: the provider may withdraw
	Form     holdForm
	MaxNote  int
	Children int
}

// holdPage answers GET /workspace/settling-holds/:id: the hold as the back-up's provider sees
// it (audited as GET /v1/settling-holds/{id}), with its answer's form.
func (s *server) holdPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return s.renderHold(c, catalogue.SettlingHoldID(id), http.StatusOK, nil, holdForm{})
}

func (s *server) renderHold(c *gin.Context, id catalogue.SettlingHoldID, status int, errs []formError, form holdForm) error {
	h, err := s.readHold(c, id)
	if err != nil {
		return err
	}
	n := len(h.Moving())
	v := holdPageView{ID: h.ID, Version: h.Version, Tag: settlingTags[h.Status], Asked: h.Status == catalogue.SettlingRequested,
		Agreed: h.Status == catalogue.SettlingAgreed, Form: form, MaxNote: catalogue.MaxReasonLen, Children: n}
	places := "1 place"
	if n > 1 {
		places = strconv.Itoa(n) + " places (brothers and sisters who moved together)"
	}
	v.Rows = []keyValue{{"Home", s.homeName(c, h.Placement)}, {"Places to hold", places},
		{"Until", longDate(h.Ends) + " (" + strconv.Itoa(h.Weeks) + " weeks after the move)"}}
	if h.Status == catalogue.SettlingAgreed || h.Status == catalogue.SettlingOffered {
		retainer := "None"
		if h.WeeklyRetainer > 0 {
			retainer = "£" + thousands(h.WeeklyRetainer) + " a week, paid by the council"
		}
		v.Rows = append(v.Rows, keyValue{"Retainer", retainer})
	}
	if h.ReleaseReason != "" {
		v.Rows = append(v.Rows, keyValue{"Ended because", h.ReleaseReason})
	}
	return s.renderWorkspace(c, status, "provider_settling", pageData{Title: "Hold a back-up place", Errors: errs, Body: v})
}

// answerHoldPage answers POST /workspace/settling-holds/:id/answer: the provider's answer, as
// POST /v1/settling-holds/{id}/answer; 303 to the hold, or the page again naming the mistake.
func (s *server) answerHoldPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.SettlingHoldID(n)
	hf := holdForm{Outcome: form.Get("outcome"), Retainer: strings.TrimSpace(form.Get("weekly_retainer")), Note: form.Get("note")}
	again := func(err error) error {
		errs, status, ok := formMistakes(err, func(f string) string {
			return map[string]string{"agree": "outcome", "weekly_retainer": "weekly_retainer", "note": "note"}[f]
		})
		if !ok {
			return err
		}
		return s.renderHold(c, id, status, errs, hf)
	}
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and send the form again"))
	}
	if hf.Outcome != "agree" && hf.Outcome != "decline" {
		return again(fieldError("agree", "is required: say whether you will hold the place"))
	}
	a := catalogue.SettlingAnswer{Agree: hf.Outcome == "agree", Note: hf.Note}
	if hf.Retainer != "" {
		if a.WeeklyRetainer, err = strconv.Atoi(strings.TrimPrefix(hf.Retainer, "£")); err != nil {
			return again(fieldError("weekly_retainer", "must be a whole number of pounds a week, like 120"))
		}
	}
	h, err := s.answerHold(c, id, version, a)
	if err != nil {
		return again(err)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/settling-holds/"+h.ID.String())
	return nil
}
