package api

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// The manager's journey (issue 19, journey 2): the queue of sign-offs waiting in the council's
// open offers, with what each is for and why (casework.SignOffQueue), and signing one off with
// a reason from it (casework.GiveSignOff, the call POST /v1/offers/{id}/sign-offs makes: the
// store checks the manager's level, the offer and the home).

type signOffRow struct {
	Child                       catalogue.ChildID
	Name, CaseRef, Home, Area   string
	What, Why, Law, Who, Action string
}

func signOffRowOf(w casework.WaitingSignOff) signOffRow {
	k := w.Need.Kind
	q := url.Values{"placement": {w.Placement.ID.String()}, "kind": {string(k)}}
	r := signOffRow{Child: w.Child.ID, Name: w.Child.FirstName, CaseRef: w.Child.CaseRef, Home: w.Placement.Name, Area: w.Placement.AreaName,
		What: signOffWords[k], Why: w.Need.Why, Law: k.Citation(), Who: w.Need.Level.Words(),
		Action: fmt.Sprintf("/workspace/offers/%d/sign-off?%s", w.Offer.ID, q.Encode())}
	if r.What == "" {
		r.What = humanise(k)
	}
	if k == catalogue.SignOffInadequate {
		r.Action = "" // given by the director's override for the child (POST /v1/children/{id}/inadequate-overrides)
	}
	return r
}

// signOffWords say what each kind of sign-off is for.
var signOffWords = map[catalogue.SignOffKind]string{
	catalogue.SignOffOutOfArea:          "A home outside the council's area",
	catalogue.SignOffDistant:            "A home at a distance (not in an adjoining council's area)",
	catalogue.SignOffKS4SchoolMove:      "A move that would change school in Key Stage 4",
	catalogue.SignOffHighCost:           "A weekly cost above the council's threshold",
	catalogue.SignOffResidentialUnder12: "A children's home for a child under 12",
	catalogue.SignOffInadequate:         "A home rated inadequate by Ofsted",
}

// signOffQueuePage answers GET /workspace/sign-offs.
func (s *server) signOffQueuePage(c *gin.Context) error {
	q := newQuery(c)
	given, refused := q.bool("given"), q.bool("refused")
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	list, err := s.work.SignOffQueue(c.Request.Context(), p.Scope())
	if err != nil {
		return err
	}
	if err := s.auditList(c, "sign-off-queue", p.Council); err != nil {
		return err
	}
	rows := make([]signOffRow, len(list))
	for i, w := range list {
		rows[i] = signOffRowOf(w)
	}
	escalated, err := s.alertViews(c.Request.Context(), p, catalogue.AlertEscalated)
	if err != nil {
		return err
	}
	d := pageData{Title: "Sign-offs waiting", Body: struct {
		Rows          []signOffRow
		Alerts        []alertView // escalated: nobody acknowledged them by their deadline
		AlertsCaption string
	}{rows, escalated, strconv.Itoa(len(escalated)) + " " + plural(len(escalated), "alert", "alerts") + " escalated to you: not acknowledged by their deadline"}}
	switch {
	case given:
		d.Banner = "Signed off. The officer can go on with the offer."
	case refused:
		d.Banner = "Refused. The officer sees your reason on the offer, and cannot accept that home on it."
	}
	return s.renderWorkspace(c, http.StatusOK, "signoffs_queue", d)
}

type signOffForm struct {
	Offer     catalogue.OfferID
	Placement catalogue.PlacementID
	Kind      catalogue.SignOffKind
	Reason    string
	Refusal   string // the refusal's reason, when refusing
	Row       signOffRow
	MaxReason int
}

// signOffPage answers GET /workspace/offers/:id/sign-off: the form to sign off one waiting need.
func (s *server) signOffPage(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	placement := catalogue.PlacementID(q.int("placement", 1, math.MaxInt64))
	kind := catalogue.SignOffKind(q.str("kind"))
	if err := q.err(); err != nil {
		return err
	}
	return s.renderSignOff(c, http.StatusOK, signOffForm{Offer: id, Placement: placement, Kind: kind}, nil)
}

// giveSignOffPage answers POST /workspace/offers/:id/sign-offs: the form's sign-off, then the
// queue; a mistake is the form again with the error summary, nothing written.
func (s *server) giveSignOffPage(c *gin.Context) error {
	return s.answerSignOffPage(c, "reason", "Say why you sign this off: ", "given", func(f signOffForm) error {
		_, err := s.work.GiveSignOff(c.Request.Context(), principal(c).Scope(), f.Offer, f.Placement, f.Kind, f.Reason)
		return err
	})
}

// refuseSignOffPage answers POST /workspace/offers/:id/sign-off-refusals: the form's refusal
// (casework.RefuseSignOff, as POST /v1/offers/{id}/sign-off-refusals), then the queue; a
// mistake is the form again, the error summary naming the refusal's reason, nothing written.
func (s *server) refuseSignOffPage(c *gin.Context) error {
	return s.answerSignOffPage(c, "refusal", "Say why you refuse this: ", "refused", func(f signOffForm) error {
		_, err := s.work.RefuseSignOff(c.Request.Context(), principal(c).Scope(), f.Offer, f.Placement, f.Kind, f.Refusal)
		return err
	})
}

// answerSignOffPage reads a sign-off form whose reason is the control field, makes the call,
// and answers 303 to the queue saying done; an invalid reason is the form again (400) with the
// error summary linking to field, its message after say.
func (s *server) answerSignOffPage(c *gin.Context, field, say, done string, call func(signOffForm) error) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	f, err := signOffFormOf(c, id)
	if err != nil {
		return err
	}
	f.Reason, f.Refusal = c.PostForm("reason"), c.PostForm("refusal")
	err = call(f)
	if msg := reasonMistake(err); msg != "" {
		return s.renderSignOff(c, http.StatusBadRequest, f, []formError{{Field: field, Text: say + msg}})
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/sign-offs?"+done+"=1")
	return nil
}

// signOffFormOf reads the home and the kind a sign-off form posts.
func signOffFormOf(c *gin.Context, id catalogue.OfferID) (signOffForm, error) {
	f := signOffForm{Offer: id, Kind: catalogue.SignOffKind(c.PostForm("kind"))}
	pl, err := strconv.ParseInt(c.PostForm("placement"), 10, 64)
	if err != nil || pl <= 0 {
		return f, fieldError("placement", "must be a placement ID")
	}
	f.Placement = catalogue.PlacementID(pl)
	if !f.Kind.Valid() {
		return f, fieldError("kind", "must be one of %v", catalogue.SignOffKinds)
	}
	return f, nil
}

// reasonMistake is the message of err when it is an invalid reason, else "".
func reasonMistake(err error) string {
	var ce *catalogue.Error
	if errors.As(err, &ce) && ce.Kind == catalogue.KindInvalid && len(ce.Fields) > 0 && ce.Fields[0].Field == "reason" {
		return ce.Fields[0].Message
	}
	return ""
}

// renderSignOff renders the form for the waiting sign-off f names: a 409 page when it is not
// waiting (given meanwhile, or the offer closed).
func (s *server) renderSignOff(c *gin.Context, status int, f signOffForm, errs []formError) error {
	waiting, err := s.work.OfferWaitingSignOffs(c.Request.Context(), principal(c).Scope(), f.Offer)
	if err != nil {
		return err
	}
	for _, w := range waiting {
		if w.Placement.ID != f.Placement || w.Need.Kind != f.Kind || f.Kind == catalogue.SignOffInadequate {
			continue
		}
		if err := s.auditRead(c, "read", "child:"+w.Child.ID.String(), w.Child.Council); err != nil {
			return err
		}
		f.Row, f.MaxReason = signOffRowOf(w), catalogue.MaxReasonLen
		f.Reason, f.Refusal = strings.TrimSpace(f.Reason), strings.TrimSpace(f.Refusal)
		return s.renderWorkspace(c, status, "signoffs_give", pageData{Title: "Sign off: " + f.Row.What, Errors: errs, Body: f})
	}
	return statusError(http.StatusConflict, "this sign-off is not waiting: it has been given or refused, or the offer has been decided or withdrawn")
}
