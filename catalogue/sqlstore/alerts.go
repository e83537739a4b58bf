package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Alerts (catalogue/alert.go, migration 00036): raised by RecordCheckIn in the check-in's
// transaction, acknowledged and closed by an officer, escalated by the sweep.

const (
	actionAlertRaise       = "alert_raise"
	actionAlertAcknowledge = "alert_acknowledge"
	actionAlertClose       = "alert_close"
	actionAlertEscalate    = "alert_escalate"
)

type alertRow struct {
	ID               int64 `gorm:"primaryKey"`
	ChildID          int64
	CheckInID        int64
	Reasons          string // "safe:unsafe,settled:dropped"
	OwnerTeam        string
	OwnerWorker      int64
	OutOfHours       bool
	RaisedAt         time.Time
	Deadline         time.Time
	State            string
	AcknowledgedAt   *time.Time
	AcknowledgedBy   int64
	AcknowledgedName string
	AcknowledgedRole string
	EscalatedAt      *time.Time
	ClosedAt         *time.Time
	ClosedBy         int64
	ClosedName       string
	ClosedRole       string
	Note             string
	Version          int
}

func (alertRow) TableName() string { return "alerts" }

func alertSubject(id catalogue.AlertID) string { return "alert:" + id.String() }

func encodeReasons(rs []catalogue.AlertReason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r.Question) + ":" + string(r.Kind)
	}
	return strings.Join(parts, ",")
}

func decodeReasons(s string) []catalogue.AlertReason {
	var out []catalogue.AlertReason
	for part := range strings.SplitSeq(s, ",") {
		if q, k, ok := strings.Cut(part, ":"); ok {
			out = append(out, catalogue.AlertReason{Question: catalogue.Question(q), Kind: catalogue.FlagKind(k)})
		}
	}
	return out
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func toAlert(r alertRow, council string) catalogue.Alert {
	c := catalogue.CouncilCode(council)
	a := catalogue.Alert{
		ID: catalogue.AlertID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: c, CheckIn: catalogue.CheckInID(r.CheckInID),
		Reasons: decodeReasons(r.Reasons), OutOfHours: r.OutOfHours, RaisedAt: r.RaisedAt.UTC(), Deadline: r.Deadline.UTC(),
		State: catalogue.AlertState(r.State), AcknowledgedAt: timeOf(r.AcknowledgedAt), EscalatedAt: timeOf(r.EscalatedAt),
		ClosedAt: timeOf(r.ClosedAt), Note: r.Note, Version: r.Version,
		AcknowledgedBy: catalogue.Actor{Token: catalogue.TokenID(r.AcknowledgedBy), Name: r.AcknowledgedName, Role: catalogue.Role(r.AcknowledgedRole)},
		ClosedBy:       catalogue.Actor{Token: catalogue.TokenID(r.ClosedBy), Name: r.ClosedName, Role: catalogue.Role(r.ClosedRole)},
	}
	if r.OwnerWorker > 0 {
		a.Owner = catalogue.WorkerRecipient(c, catalogue.ChildID(r.OwnerWorker))
	} else {
		a.Owner = catalogue.TeamRecipient(c, catalogue.Team(r.OwnerTeam))
	}
	return a
}

// raiseAlert raises the alert check-in c calls for, if any, in the check-in's transaction tx:
// its owner and deadline from the council's working hours (its policy) at the store's clock,
// its notifications queued and the raising audited. checkIns are the child's check-ins about
// the same placement, c among them.
func (s *Store) raiseAlert(ctx context.Context, tx *gorm.DB, ch childInfo, c catalogue.CheckIn, checkIns []catalogue.CheckIn) error {
	reasons := catalogue.AlertReasonsOf(c, checkIns)
	if len(reasons) == 0 {
		return nil
	}
	council := catalogue.CouncilCode(ch.Council)
	pol, err := readPolicy(tx, council)
	if err != nil {
		return err
	}
	route := pol.Policy.WorkingHours().Route(c.At)
	row := alertRow{ChildID: ch.ID, CheckInID: int64(c.ID), Reasons: encodeReasons(reasons), OutOfHours: route.OutOfHours,
		RaisedAt: c.At, Deadline: route.Deadline.UTC(), State: string(catalogue.AlertRaised), Version: 1}
	worker := catalogue.WorkerRecipient(council, catalogue.ChildID(ch.ID))
	if route.OutOfHours {
		row.OwnerTeam = string(catalogue.TeamEmergencyDuty)
	} else {
		row.OwnerWorker = ch.ID
	}
	if err := tx.Create(&row).Error; err != nil {
		return dbError(err, "raise an alert")
	}
	a := toAlert(row, ch.Council)
	link := "/v1/alerts/" + a.ID.String()
	ns := []catalogue.Notification{catalogue.NewNotification(catalogue.NotifyAlertRaised, a.Owner, row.ID, link)}
	if route.OutOfHours {
		// The social worker's team sees it too, when they are next at work.
		ns = append(ns, catalogue.NewNotification(catalogue.NotifyAlertRaised, worker, row.ID, link))
	}
	if err := s.enqueue(ctx, tx, ns...); err != nil {
		return err
	}
	// The alert is the system's, raised by what the child said: audited under the child's
	// record and the alert's.
	sys := catalogue.WithActor(ctx, catalogue.Actor{Reason: "raised by the child's check-in " + c.ID.String(), Request: catalogue.ActorFrom(ctx).Request})
	if err := s.audit(sys, tx, actionAlertRaise, childSubject(catalogue.ChildID(ch.ID)), council); err != nil {
		return err
	}
	return s.audit(sys, tx, actionAlertRaise, alertSubject(a.ID), council)
}

// Alerts returns a page of the alerts in scope.
func (s *Store) Alerts(ctx context.Context, sc catalogue.Scope, f catalogue.AlertFilter) (catalogue.Page[catalogue.Alert], error) {
	states := make([]string, 0, len(catalogue.AlertStates))
	for _, st := range f.States {
		if !st.Valid() {
			return catalogue.Page[catalogue.Alert]{}, catalogue.Invalid("state", "must be one of %v", catalogue.AlertStates)
		}
	}
	for _, st := range catalogue.AlertStates {
		if f.Wants(st) {
			states = append(states, string(st))
		}
	}
	db := s.db.WithContext(ctx)
	q := childScope(db, sc).Where("state IN ?", states)
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r alertRow) int64 { return r.ID }, "list alerts")
	if err != nil {
		return catalogue.Page[catalogue.Alert]{}, err
	}
	councils, err := s.councilsOf(db, childIDs(rows, func(r alertRow) int64 { return r.ChildID }))
	if err != nil {
		return catalogue.Page[catalogue.Alert]{}, err
	}
	page := catalogue.Page[catalogue.Alert]{Items: make([]catalogue.Alert, len(rows)), Next: next}
	for i, r := range rows {
		page.Items[i] = toAlert(r, councils[r.ChildID])
	}
	return page, nil
}

// readAlert reads one alert in scope through db, locked for update when lock is set.
func readAlert(db *gorm.DB, sc catalogue.Scope, id catalogue.AlertID, lock bool) (alertRow, childInfo, error) {
	what := "alert " + id.String()
	q := childScope(db, sc)
	if lock {
		q = forUpdate(q)
	}
	var r alertRow
	if err := q.Where("id = ?", int64(id)).Take(&r).Error; err != nil {
		return alertRow{}, childInfo{}, dbError(err, what)
	}
	ch, err := readChild(db, catalogue.Everything, catalogue.ChildID(r.ChildID), false)
	return r, ch, err
}

// Alert returns one alert in scope.
func (s *Store) Alert(ctx context.Context, sc catalogue.Scope, id catalogue.AlertID) (catalogue.Alert, error) {
	r, ch, err := readAlert(s.db.WithContext(ctx), sc, id, false)
	if err != nil {
		return catalogue.Alert{}, err
	}
	return toAlert(r, ch.Council), nil
}

// AcknowledgeAlert records that the context's actor is acting on a raised or escalated alert.
func (s *Store) AcknowledgeAlert(ctx context.Context, sc catalogue.Scope, a catalogue.AlertAction) (catalogue.Alert, error) {
	return s.actOnAlert(ctx, sc, a, false)
}

// CloseAlert records what was done about an acknowledged alert.
func (s *Store) CloseAlert(ctx context.Context, sc catalogue.Scope, a catalogue.AlertAction) (catalogue.Alert, error) {
	return s.actOnAlert(ctx, sc, a, true)
}

// actOnAlert acknowledges (closing false) or closes an alert in scope at the version read, with
// a conditional update, audited.
func (s *Store) actOnAlert(ctx context.Context, sc catalogue.Scope, a catalogue.AlertAction, closing bool) (catalogue.Alert, error) {
	what := "alert " + a.Alert.String()
	if err := a.Validate(closing); err != nil {
		return catalogue.Alert{}, validation(what, err)
	}
	var out catalogue.Alert
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		cur, ch, err := readAlert(tx, sc, a.Alert, true)
		if err != nil {
			return err
		}
		from := []string{string(catalogue.AlertRaised), string(catalogue.AlertEscalated)}
		if closing {
			from = []string{string(catalogue.AlertAcknowledged)}
		}
		switch {
		case cur.Version != a.Version:
			return conflict("%s: version %d is stale, the stored version is %d", what, a.Version, cur.Version)
		case !closing && cur.State == string(catalogue.AlertAcknowledged):
			return conflict("%s: already acknowledged by %s", what, cmpName(cur.AcknowledgedName))
		case closing && cur.State == string(catalogue.AlertRaised), closing && cur.State == string(catalogue.AlertEscalated):
			return conflict("%s: acknowledge it before closing it", what)
		case cur.State == string(catalogue.AlertClosed):
			return conflict("%s: already closed", what)
		}
		t, actor := s.now(), catalogue.ActorFrom(ctx)
		cols := []string{"state", "version", "note"}
		if a.Note != "" || closing {
			cur.Note = a.Note
		}
		if closing {
			cur.State, cur.ClosedAt, cur.ClosedBy, cur.ClosedName, cur.ClosedRole = string(catalogue.AlertClosed), &t, int64(actor.Token), actor.Name, string(actor.Role)
			cols = append(cols, "closed_at", "closed_by", "closed_name", "closed_role")
		} else {
			cur.State, cur.AcknowledgedAt, cur.AcknowledgedBy, cur.AcknowledgedName, cur.AcknowledgedRole = string(catalogue.AlertAcknowledged), &t, int64(actor.Token), actor.Name, string(actor.Role)
			cols = append(cols, "acknowledged_at", "acknowledged_by", "acknowledged_name", "acknowledged_role")
		}
		cur.Version++
		res := tx.Model(&alertRow{}).Where("id = ? AND version = ? AND state IN ?", cur.ID, a.Version, from).Select(cols).Updates(&cur)
		if res.Error != nil {
			return dbError(res.Error, "record "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else meanwhile", what)
		}
		out = toAlert(cur, ch.Council)
		action := actionAlertAcknowledge
		if closing {
			action = actionAlertClose
		}
		if err := s.audit(ctx, tx, action, alertSubject(out.ID), out.Council); err != nil {
			return err
		}
		return s.audit(ctx, tx, action, childSubject(out.Child), out.Council)
	})
	if err != nil {
		return catalogue.Alert{}, err
	}
	return out, nil
}

func cmpName(name string) string {
	if name == "" {
		return "someone else"
	}
	return name
}

// EscalateAlerts escalates every raised alert past its deadline at the store's clock to its
// council's managers, each with a conditional update (of two sweeps at once, one escalates it),
// its notification and audit rows, all in one transaction.
func (s *Store) EscalateAlerts(ctx context.Context) ([]catalogue.Alert, error) {
	var out []catalogue.Alert
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t := s.now()
		var rows []alertRow
		if err := tx.Where("state = ? AND deadline < ?", string(catalogue.AlertRaised), t).Order("id").Find(&rows).Error; err != nil {
			return dbError(err, "read overdue alerts")
		}
		councils, err := s.councilsOf(tx, childIDs(rows, func(r alertRow) int64 { return r.ChildID }))
		if err != nil {
			return err
		}
		sys := catalogue.WithActor(ctx, catalogue.Actor{Reason: "not acknowledged by its deadline"})
		for _, r := range rows {
			r.State, r.EscalatedAt, r.Version = string(catalogue.AlertEscalated), &t, r.Version+1
			res := tx.Model(&alertRow{}).Where("id = ? AND state = ?", r.ID, string(catalogue.AlertRaised)).
				Select("state", "escalated_at", "version").Updates(&r)
			if res.Error != nil {
				return dbError(res.Error, fmt.Sprintf("escalate alert %d", r.ID))
			}
			if res.RowsAffected != 1 {
				continue
			}
			a := toAlert(r, councils[r.ChildID])
			n := catalogue.NewNotification(catalogue.NotifyAlertEscalated, catalogue.TeamRecipient(a.Council, catalogue.TeamManagers), r.ID, "/v1/alerts/"+a.ID.String())
			if err := s.enqueue(ctx, tx, n); err != nil {
				return err
			}
			if err := s.audit(sys, tx, actionAlertEscalate, alertSubject(a.ID), a.Council); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

var _ catalogue.AlertStore = (*Store)(nil)
