package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Alerts in the workspace (issue 20, item 4): the officer's worklist shows the council's open
// alerts first, each with who owns it and by when, and a button to acknowledge it; the alert's
// page acknowledges and closes it with what was done (as POST /v1/alerts/{id}/acknowledge and
// /close). The manager's queue shows the alerts escalated to them. An alert says what the child
// said in outline ("said they do not feel safe"), never their own words.

// alertView is one alert as a row or a page shows it.
type alertView struct {
	ID            catalogue.AlertID
	Child         catalogue.ChildID
	Name, CaseRef string
	Says          string
	Owner         string // who must act first, in words
	Raised        string
	Deadline      string
	State         tag
	Version       int
	Acknowledged  string // "Sam Patel, 10:41 on 24 November 2026"; empty until then
	Escalated     string
	Closed        string
	Note          string
	// MayAcknowledge, MayClose: the person may act on it (an officer of the council) and it is
	// in a state to be acknowledged or closed.
	MayAcknowledge, MayClose bool
}

// alertTime is a moment as officers read it: London time, then the day.
func alertTime(t time.Time) string {
	return t.In(catalogue.London()).Format("15:04 on Monday 2 January 2006")
}

var alertTags = map[catalogue.AlertState]tag{
	catalogue.AlertRaised:       {"Raised", "red"},
	catalogue.AlertEscalated:    {"Escalated", "red"},
	catalogue.AlertAcknowledged: {"Acknowledged", "yellow"},
	catalogue.AlertClosed:       {"Closed", "grey"},
}

func (s *server) alertViewOf(a catalogue.Alert, child catalogue.Child, p catalogue.Principal) alertView {
	v := alertView{ID: a.ID, Child: a.Child, Name: child.FirstName, CaseRef: child.CaseRef, Says: a.Says(),
		Raised: alertTime(a.RaisedAt), Deadline: alertTime(a.Deadline), State: alertTags[a.State], Version: a.Version, Note: a.Note}
	v.Owner = "The child's social worker and their team (the same working day)"
	if a.OutOfHours {
		v.Owner = "The emergency duty team (raised out of hours; the social worker's team is told too)"
	}
	if a.State == catalogue.AlertRaised && s.now().After(a.Deadline) {
		v.State = tag{"Overdue", "red"}
	}
	if !a.AcknowledgedAt.IsZero() {
		v.Acknowledged = actorName(a.AcknowledgedBy) + ", " + alertTime(a.AcknowledgedAt)
	}
	if !a.EscalatedAt.IsZero() {
		v.Escalated = "To the council's managers, " + alertTime(a.EscalatedAt)
	}
	if !a.ClosedAt.IsZero() {
		v.Closed = actorName(a.ClosedBy) + ", " + alertTime(a.ClosedAt)
	}
	officer := p.Role == catalogue.RoleOfficer
	v.MayAcknowledge = officer && (a.State == catalogue.AlertRaised || a.State == catalogue.AlertEscalated)
	v.MayClose = officer && a.State == catalogue.AlertAcknowledged
	return v
}

// alertViews reads the alerts of the scope in the states asked for (none: open ones), oldest
// first, with their children's first names and case references; a store that keeps no alerts
// has none.
func (s *server) alertViews(ctx context.Context, p catalogue.Principal, states ...catalogue.AlertState) ([]alertView, error) {
	if s.alerts == nil {
		return nil, nil
	}
	var out []alertView
	f := catalogue.AlertFilter{States: states, Limit: catalogue.MaxLimit}
	for {
		page, err := s.alerts.Alerts(ctx, p.Scope(), f)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Items {
			ch, err := s.store.Child(ctx, p.Scope(), a.Child)
			if err != nil {
				return nil, err
			}
			out = append(out, s.alertViewOf(a, ch, p))
		}
		if page.Next == 0 {
			return out, nil
		}
		f.After = catalogue.AlertID(page.Next)
	}
}

// alertPage answers GET /workspace/alerts/:id: the alert, and the forms to acknowledge or close
// it.
func (s *server) alertPage(c *gin.Context) error {
	return s.renderAlert(c, http.StatusOK, "", nil)
}

func (s *server) renderAlert(c *gin.Context, status int, note string, errs []formError) error {
	as, id, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	ctx, p := c.Request.Context(), principal(c)
	a, err := as.Alert(ctx, p.Scope(), id)
	if err != nil {
		return err
	}
	ch, err := s.store.Child(ctx, p.Scope(), a.Child)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "alert:"+a.ID.String(), a.Council); err != nil {
		return err
	}
	d := pageData{Title: "Alert about " + ch.FirstName, Errors: errs, Body: struct {
		Alert   alertView
		Note    string
		MaxNote int
	}{s.alertViewOf(a, ch, p), note, catalogue.MaxAlertNote}}
	switch c.Query("done") {
	case "acknowledged":
		d.Banner = "Acknowledged: you are recorded as acting on this alert. Close it when you have done what is needed."
	case "closed":
		d.Banner = "Closed, with what was done."
	}
	return s.renderWorkspace(c, status, "alert", d)
}

// acknowledgeAlertPage answers POST /workspace/alerts/:id/acknowledge.
func (s *server) acknowledgeAlertPage(c *gin.Context) error { return s.actOnAlertPage(c, false) }

// closeAlertPage answers POST /workspace/alerts/:id/close: a missing note is the page again
// with the error summary, nothing written.
func (s *server) closeAlertPage(c *gin.Context) error { return s.actOnAlertPage(c, true) }

func (s *server) actOnAlertPage(c *gin.Context, closing bool) error {
	as, id, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	version, note := c.PostForm("version"), c.PostForm("note")
	act := catalogue.AlertAction{Alert: id, Note: note}
	if act.Version, err = strconv.Atoi(version); err != nil || act.Version <= 0 {
		return fieldError("version", "must be the version of the alert you read")
	}
	_, err = actOn(c, as, act, closing)
	if ce, ok := errors.AsType[*catalogue.Error](err); ok && ce.Kind == catalogue.KindInvalid && len(ce.Fields) > 0 && ce.Fields[0].Field == "note" {
		return s.renderAlert(c, http.StatusBadRequest, note, []formError{{Field: "note", Text: "Say what was done: " + ce.Fields[0].Message}})
	}
	if err != nil {
		return err
	}
	done := "acknowledged"
	if closing {
		done = "closed"
	}
	c.Redirect(http.StatusSeeOther, "/workspace/alerts/"+act.Alert.String()+"?done="+done)
	return nil
}
