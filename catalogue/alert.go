package catalogue

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Alerts: a child who says in a check-in that they do not feel safe, or whose answer falls
// sharply, is not left to be noticed. The check-in raises an alert in its own transaction, with
// an owner and a deadline (AlertRoute): in the council's working hours, the child's allocated
// social worker's team, by the end of the same working day; out of hours, the council's
// emergency duty team, within EmergencyDutyWithin. An officer of the council acknowledges it
// (someone is acting) and closes it with what was done; one not acknowledged by its deadline is
// escalated to the council's managers. Every change is audited; every notification about it
// names the alert by its number, never the child.
//
// The duty behind it: a council must safeguard and promote the welfare of a child it looks
// after (Children Act 1989 s22(3)(a)), and act on a child's concern that they are at risk of
// harm (s47; Working Together to Safeguard Children 2023). What the child
// says is a prompt to act, never a decision about the child.

// AlertID identifies an alert.
type AlertID int64

func (id AlertID) String() string { return strconv.FormatInt(int64(id), 10) }

// AlertState is where an alert is: raised -> acknowledged -> closed, or raised -> escalated
// (past its deadline unacknowledged) -> acknowledged -> closed.
type AlertState string

const (
	AlertRaised       AlertState = "raised"
	AlertAcknowledged AlertState = "acknowledged"
	AlertEscalated    AlertState = "escalated"
	AlertClosed       AlertState = "closed"
)

// AlertStates lists every AlertState.
var AlertStates = []AlertState{AlertRaised, AlertAcknowledged, AlertEscalated, AlertClosed}

// Valid reports whether s is a known value.
func (s AlertState) Valid() bool { return oneOf(s, AlertStates) }

// Open reports whether someone still has to act: raised, escalated or acknowledged.
func (s AlertState) Open() bool { return s != AlertClosed }

// TeamEmergencyDuty is a council's emergency duty team: its social workers on call out of hours
// (evenings, nights, weekends and bank holidays), told of an alert raised then. Its address is
// a notification address like any team's (PUT /v1/notification-addresses).
const TeamEmergencyDuty Team = "emergency-duty"

// TeamManagers is a council's team managers, told of an alert escalated to them.
const TeamManagers Team = "managers"

// AlertFlags are the check-in flags that raise an alert: feeling unsafe (FlagUnsafe: "no" or
// "not really" to "Do you feel safe?", whatever came before) and a sharp fall (FlagDropped:
// two steps or more below the answer before, on any question). A gradual fall (FlagFalling)
// or a fall to low (FlagFellLow) from "sort of" is flagged to the officer on the child's
// check-ins, a prompt to talk, and raises no alert.
var AlertFlags = []FlagKind{FlagUnsafe, FlagDropped}

// AlertReason is one reason a check-in raised an alert: a flag on a question.
type AlertReason struct {
	Question Question
	Kind     FlagKind
}

// AlertReasonsOf says why the check-in c (the latest, already among checkIns) raises an alert,
// from the trend of the child's check-ins about the same placement; none: it raises none. Only
// answers given in c count: a flag left from an earlier check-in was raised then. A question
// gives one reason: feeling unsafe, rather than a fall to it.
func AlertReasonsOf(c CheckIn, checkIns []CheckIn) []AlertReason {
	var out []AlertReason
	if a := c.Safe; a != NotAnswered && a <= AnswerNotReally {
		out = append(out, AlertReason{Question: QuestionSafe, Kind: FlagUnsafe})
	}
	for _, f := range TrendOf("", checkIns).Flags {
		unsafe := f.Question == QuestionSafe && len(out) > 0 && out[0].Kind == FlagUnsafe // one reason a question
		if f.Kind == FlagDropped && !unsafe && c.Answer(f.Question) == f.To && f.At.Equal(c.At) {
			out = append(out, AlertReason{Question: f.Question, Kind: FlagDropped})
		}
	}
	return out
}

// Alert is one alert raised by a child's check-in, and what has been done about it.
type Alert struct {
	ID      AlertID
	Child   ChildID
	Council CouncilCode
	CheckIn CheckInID
	Reasons []AlertReason
	// Owner is who must act first: the child's allocated social worker (their team's address)
	// in hours, the council's emergency duty team out of hours.
	Owner      Recipient
	OutOfHours bool
	RaisedAt   time.Time
	Deadline   time.Time // to be acknowledged by
	State      AlertState
	// Who acknowledged it and when; zero until then.
	AcknowledgedAt time.Time
	AcknowledgedBy Actor
	EscalatedAt    time.Time // zero unless it was escalated
	ClosedAt       time.Time
	ClosedBy       Actor
	Note           string // what was done, given when closed (and any note when acknowledged)
	Version        int
}

// Overdue reports whether the alert is past its deadline at now and nobody has acknowledged
// it.
func (a Alert) Overdue(now time.Time) bool { return a.State == AlertRaised && now.After(a.Deadline) }

// Says is the reasons in words for officers: "said they do not feel safe; their answer about
// feeling settled dropped sharply".
func (a Alert) Says() string {
	var parts []string
	for _, r := range a.Reasons {
		switch r.Kind {
		case FlagUnsafe:
			parts = append(parts, "said they do not feel safe")
		case FlagDropped:
			parts = append(parts, "their answer about "+r.Question.Topic()+" dropped sharply")
		}
	}
	return strings.Join(parts, "; ")
}

// MaxAlertNote bounds the note an officer writes on an alert.
const MaxAlertNote = 2000

// AlertAction is an officer acknowledging or closing an alert: at the version read, with a
// note (required to close: what was done).
type AlertAction struct {
	Alert   AlertID
	Version int
	Note    string
}

// Validate reports every bad field of the action; closing asks for a note.
func (a AlertAction) Validate(closing bool) error {
	p := newProblems()
	if a.Version <= 0 {
		p.add("version", "is required: the version of the alert you read")
	}
	checkText(p, "note", a.Note, MaxAlertNote)
	if closing && strings.TrimSpace(a.Note) == "" {
		p.add("note", "is required: say what was done, for the record")
	}
	return p.err()
}

// AlertFilter narrows the list of alerts.
type AlertFilter struct {
	States []AlertState // none: open ones (raised, escalated, acknowledged)
	Child  ChildID
	After  AlertID
	Limit  int
}

// Wants reports whether the filter keeps an alert in state s.
func (f AlertFilter) Wants(s AlertState) bool {
	if len(f.States) == 0 {
		return s.Open()
	}
	return slices.Contains(f.States, s)
}

// AlertStore keeps the alerts children's check-ins raise. RecordCheckIn (CheckInStore) raises
// them, in the check-in's transaction, with their notifications. Scope: an alert is its child's
// council's; an alert outside the scope is ErrNotFound.
type AlertStore interface {
	// Alerts returns a page of the alerts in scope by ascending ID. ErrInvalid naming state
	// when a state is not known.
	Alerts(ctx context.Context, s Scope, f AlertFilter) (Page[Alert], error)
	// Alert returns one alert in scope.
	Alert(ctx context.Context, s Scope, id AlertID) (Alert, error)
	// AcknowledgeAlert records, as the context's actor, that someone is acting on a raised or
	// escalated alert in scope, at a.Version, audited. ErrInvalid when the action is not
	// valid; ErrConflict when the version is stale or the alert is acknowledged or closed.
	AcknowledgeAlert(ctx context.Context, s Scope, a AlertAction) (Alert, error)
	// CloseAlert records, as the context's actor, what was done about an acknowledged alert in
	// scope, at a.Version, audited. ErrInvalid without a note; ErrConflict when the version is
	// stale or the alert is not acknowledged.
	CloseAlert(ctx context.Context, s Scope, a AlertAction) (Alert, error)
	// EscalateAlerts is the system's sweep, every scope together: each raised alert past its
	// deadline at the store's clock becomes escalated, audited, and its council's managers
	// (TeamManagers) are told. It returns the alerts it escalated.
	EscalateAlerts(ctx context.Context) ([]Alert, error)
}
