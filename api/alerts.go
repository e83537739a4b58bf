package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Alerts: a child's check-in that says they do not feel safe, or whose answer fell sharply,
// raises an alert with an owner and a deadline (catalogue/alert.go). Officers of the child's
// council see the open ones, acknowledge that someone is acting, and close them with what was
// done; managers see them too, escalated ones first on their queue. The routes name the child
// by ID only.

func (s *server) alertRoutes() []route {
	return []route{
		{http.MethodGet, "/v1/alerts", caseReaders, s.listAlerts, routeDoc{summary: "Alerts raised by children's check-ins (officers and managers: their council's), open ones by default: who owns each, its deadline and state.",
			out: pageDTO[alertDTO]{}, query: params([]param{{"state", "string", "open (default: raised, escalated or acknowledged), raised, escalated, acknowledged, closed or all"}, {"child", "integer", "a child's ID"}}, pageParams)}},
		{http.MethodGet, "/v1/alerts/:id", caseReaders, s.getAlert, routeDoc{summary: "Read an alert (audited).", out: alertDTO{}}},
		{http.MethodPost, "/v1/alerts/:id/acknowledge", officersOnly, s.acknowledgeAlert, routeDoc{summary: "Say that someone is acting on a raised or escalated alert (the child's council's officers); send the version you read. Audited with who acknowledged it.",
			in: alertActionDTO{}, out: alertDTO{}}},
		{http.MethodPost, "/v1/alerts/:id/close", officersOnly, s.closeAlert, routeDoc{summary: "Close an acknowledged alert with what was done (note, required); send the version you read. Audited.",
			in: alertActionDTO{}, out: alertDTO{}}},
	}
}

// alertDTO is an alert: why it was raised, who owns it, by when, and what has been done.
type alertDTO struct {
	ID      int64            `json:"id"`
	Child   int64            `json:"child"`
	Council string           `json:"council"`
	CheckIn int64            `json:"check_in"`
	Reasons []alertReasonDTO `json:"reasons"`
	Says    string           `json:"says"`
	// Owner is who must act first: worker (the child's allocated social worker and team) or
	// emergency-duty (the council's emergency duty team, out of hours).
	Owner          string     `json:"owner"`
	OutOfHours     bool       `json:"out_of_hours"`
	RaisedAt       time.Time  `json:"raised_at"`
	Deadline       time.Time  `json:"deadline"`
	State          string     `json:"state"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy string     `json:"acknowledged_by,omitempty"`
	EscalatedAt    *time.Time `json:"escalated_at,omitempty"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	ClosedBy       string     `json:"closed_by,omitempty"`
	Note           string     `json:"note,omitempty"`
	Version        int        `json:"version"`
}

type alertReasonDTO struct {
	Question string `json:"question"`
	Kind     string `json:"kind"` // unsafe or dropped
}

// alertActionDTO is the body of acknowledging or closing an alert.
type alertActionDTO struct {
	Version int    `json:"version"`
	Note    string `json:"note,omitempty"`
}

// alertOwner names an alert's owner in a word: worker or the team's name.
func alertOwner(a catalogue.Alert) string {
	if a.Owner.Worker != 0 {
		return "worker"
	}
	return string(a.Owner.Team)
}

// actorName names who did something, for officers: the person's name, or their token.
func actorName(a catalogue.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	if a.Token != 0 {
		return "token " + a.Token.String()
	}
	return ""
}

func fromAlert(a catalogue.Alert) alertDTO {
	d := alertDTO{ID: int64(a.ID), Child: int64(a.Child), Council: string(a.Council), CheckIn: int64(a.CheckIn), Says: a.Says(),
		Owner: alertOwner(a), OutOfHours: a.OutOfHours, RaisedAt: a.RaisedAt, Deadline: a.Deadline, State: string(a.State),
		AcknowledgedAt: timePtr(a.AcknowledgedAt), EscalatedAt: timePtr(a.EscalatedAt), ClosedAt: timePtr(a.ClosedAt),
		Note: a.Note, Version: a.Version, Reasons: []alertReasonDTO{}}
	if !a.AcknowledgedAt.IsZero() {
		d.AcknowledgedBy = actorName(a.AcknowledgedBy)
	}
	if !a.ClosedAt.IsZero() {
		d.ClosedBy = actorName(a.ClosedBy)
	}
	for _, r := range a.Reasons {
		d.Reasons = append(d.Reasons, alertReasonDTO{Question: string(r.Question), Kind: string(r.Kind)})
	}
	return d
}

func (s *server) alertStore() (catalogue.AlertStore, error) {
	if s.alerts == nil {
		return nil, statusError(http.StatusNotImplemented, "alerts are not kept by this server")
	}
	return s.alerts, nil
}

// alertStates reads the state parameter: open by default.
func alertStates(q *query) []catalogue.AlertState {
	switch st := q.str("state"); st {
	case "", "open":
		return nil
	case "all":
		return catalogue.AlertStates
	default:
		if !catalogue.AlertState(st).Valid() {
			q.fail("state", "must be open, raised, escalated, acknowledged, closed or all")
		}
		return []catalogue.AlertState{catalogue.AlertState(st)}
	}
}

func (s *server) listAlerts(c *gin.Context) error {
	as, err := s.alertStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.AlertFilter{States: alertStates(q), Child: catalogue.ChildID(q.int("child", 1, 1<<62))}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.AlertID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := as.Alerts(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "alerts", p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromAlert))
	return nil
}

func (s *server) getAlert(c *gin.Context) error {
	as, id, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	a, err := as.Alert(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "alert:"+a.ID.String(), a.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromAlert(a))
	return nil
}

func (s *server) acknowledgeAlert(c *gin.Context) error { return s.actOnAlert(c, false) }

func (s *server) closeAlert(c *gin.Context) error { return s.actOnAlert(c, true) }

// alertTarget is the alert store and the alert the path names.
func (s *server) alertTarget(c *gin.Context) (catalogue.AlertStore, catalogue.AlertID, error) {
	as, err := s.alertStore()
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c)
	return as, catalogue.AlertID(id), err
}

// actOn acknowledges (closing false) or closes an alert in the caller's scope: the one call
// the JSON route and the workspace's form make.
func actOn(c *gin.Context, as catalogue.AlertStore, act catalogue.AlertAction, closing bool) (catalogue.Alert, error) {
	ctx, sc := c.Request.Context(), principal(c).Scope()
	if closing {
		return as.CloseAlert(ctx, sc, act)
	}
	return as.AcknowledgeAlert(ctx, sc, act)
}

// actOnAlert acknowledges (closing false) or closes an alert in the officer's scope.
func (s *server) actOnAlert(c *gin.Context, closing bool) error {
	as, id, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	var d alertActionDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	act := catalogue.AlertAction{Alert: id, Version: d.Version, Note: d.Note}
	if err := act.Validate(closing); err != nil {
		return err
	}
	a, err := actOn(c, as, act, closing)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromAlert(a))
	return nil
}
