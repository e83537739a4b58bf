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
	errs, status, ok := formMistakes(err, func(string) string { return "settling-reason" })
	if !ok || s.settling == nil {
		return err
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
	o, h, err := s.work.OfferBackup(c.Request.Context(), principal(c).Scope(), id, version, reason)
	if err != nil {
		return s.settlingAgain(c, id, err)
	}
	s.touch(c.Request.Context(), h.Placement)
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
	st, err := s.settlingStore()
	if err != nil {
		return err
	}
	h, err := st.ReleaseSettlingHold(c.Request.Context(), principal(c).Scope(), id, version, strings.TrimSpace(reason))
	if err != nil {
		return s.settlingAgain(c, id, err)
	}
	s.touch(c.Request.Context(), h.Placement)
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+h.Offer.String())
	return nil
}
