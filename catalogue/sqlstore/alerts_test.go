package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// A Tuesday morning in November (GMT: London time is UTC).
var tuesdayMorning = time.Date(2026, time.November, 24, 10, 30, 0, 0, time.UTC)

// TestAlerts: a child who says they do not feel safe, in the council's working hours, raises an
// alert in the check-in's transaction, owned by their social worker (notified) with a deadline
// at the end of the working day; the alert is their council's only; past the deadline
// unacknowledged, the sweep escalates it to the council's managers, once; an officer
// acknowledges and closes it, at the version read, with what was done; every step is audited.
// On both stores.
func TestAlerts(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := sqltest.Clock(t, s)
		w := newWorld(t, s)
		child := w.children[0]
		must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: child.ID, Start: day(2026, 9, 1), Placement: w.placements[0].ID}))

		must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, Safe: catalogue.AnswerYes, Settled: catalogue.AnswerMostly}))
		if got := must[catalogue.Page[catalogue.Alert]](t)(s.Alerts(ctx, everything, catalogue.AlertFilter{})); len(got.Items) != 0 {
			t.Fatalf("a happy check-in raised %+v", got.Items)
		}

		clock.Advance(time.Hour)
		ci := must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, Safe: catalogue.AnswerNo, Settled: catalogue.AnswerMostly}))
		alerts := must[catalogue.Page[catalogue.Alert]](t)(s.Alerts(ctx, officerBirmingham, catalogue.AlertFilter{}))
		if len(alerts.Items) != 1 {
			t.Fatalf("alerts after an unsafe check-in: %+v", alerts.Items)
		}
		a := alerts.Items[0]
		want := catalogue.Alert{ID: a.ID, Child: child.ID, Council: birmingham, CheckIn: ci.ID,
			Reasons: []catalogue.AlertReason{{Question: catalogue.QuestionSafe, Kind: catalogue.FlagUnsafe}},
			Owner:   catalogue.WorkerRecipient(birmingham, child.ID), RaisedAt: ci.At,
			Deadline: time.Date(2026, time.November, 24, 17, 0, 0, 0, time.UTC), State: catalogue.AlertRaised, Version: 1}
		diff(t, "alert", a, want)
		if got := listAll(t, s, everything, catalogue.NotificationFilter{Kind: catalogue.NotifyAlertRaised}); len(got) != 1 || got[0].To != want.Owner {
			t.Errorf("notifications of the alert: %+v", got)
		}
		// Another council sees none of it.
		if got := must[catalogue.Page[catalogue.Alert]](t)(s.Alerts(ctx, officerLeeds, catalogue.AlertFilter{})); len(got.Items) != 0 {
			t.Errorf("Leeds sees %+v", got.Items)
		}
		_, err := s.Alert(ctx, officerLeeds, a.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.AcknowledgeAlert(ctx, officerLeeds, catalogue.AlertAction{Alert: a.ID, Version: 1})
		wantErr(t, err, catalogue.ErrNotFound)

		// 16:59: not yet overdue. 17:01: escalated, once.
		clock.Set(time.Date(2026, time.November, 24, 16, 59, 0, 0, time.UTC))
		if got := must[[]catalogue.Alert](t)(s.EscalateAlerts(ctx)); len(got) != 0 {
			t.Errorf("escalated before the deadline: %+v", got)
		}
		clock.Set(time.Date(2026, time.November, 24, 17, 1, 0, 0, time.UTC))
		esc := must[[]catalogue.Alert](t)(s.EscalateAlerts(ctx))
		if len(esc) != 1 || esc[0].State != catalogue.AlertEscalated || esc[0].EscalatedAt.IsZero() || esc[0].Version != 2 {
			t.Fatalf("escalated: %+v", esc)
		}
		if got := must[[]catalogue.Alert](t)(s.EscalateAlerts(ctx)); len(got) != 0 {
			t.Errorf("escalated twice: %+v", got)
		}
		if got := listAll(t, s, everything, catalogue.NotificationFilter{Kind: catalogue.NotifyAlertEscalated}); len(got) != 1 ||
			got[0].To != catalogue.TeamRecipient(birmingham, catalogue.TeamManagers) {
			t.Errorf("notifications of the escalation: %+v", got)
		}

		// The officer acknowledges it, at the version read, then closes it with what was done.
		officer := catalogue.WithActor(ctx, catalogue.Actor{Token: 7, Name: "Sam Patel", Role: catalogue.RoleOfficer})
		_, err = s.AcknowledgeAlert(officer, officerBirmingham, catalogue.AlertAction{Alert: a.ID, Version: 1})
		wantErr(t, err, catalogue.ErrConflict)
		_, err = s.CloseAlert(officer, officerBirmingham, catalogue.AlertAction{Alert: a.ID, Version: 2, Note: "too soon"})
		wantErr(t, err, catalogue.ErrConflict)
		ack := must[catalogue.Alert](t)(s.AcknowledgeAlert(officer, officerBirmingham, catalogue.AlertAction{Alert: a.ID, Version: 2}))
		if ack.State != catalogue.AlertAcknowledged || ack.AcknowledgedBy.Name != "Sam Patel" || !ack.AcknowledgedAt.Equal(clock.Now()) {
			t.Errorf("acknowledged: %+v", ack)
		}
		_, err = s.AcknowledgeAlert(officer, officerBirmingham, catalogue.AlertAction{Alert: a.ID, Version: 3})
		wantErr(t, err, catalogue.ErrConflict)
		_, err = s.CloseAlert(officer, officerBirmingham, catalogue.AlertAction{Alert: a.ID, Version: 3})
		wantField(t, err, "note")
		closed := must[catalogue.Alert](t)(s.CloseAlert(officer, officerBirmingham, catalogue.AlertAction{Alert: a.ID, Version: 3, Note: "Visited the same evening; safety plan agreed."}))
		if closed.State != catalogue.AlertClosed || closed.ClosedBy.Role != catalogue.RoleOfficer || closed.Note == "" {
			t.Errorf("closed: %+v", closed)
		}
		if got := must[catalogue.Page[catalogue.Alert]](t)(s.Alerts(ctx, officerBirmingham, catalogue.AlertFilter{})); len(got.Items) != 0 {
			t.Errorf("open alerts after closing: %+v", got.Items)
		}
		if got := must[catalogue.Page[catalogue.Alert]](t)(s.Alerts(ctx, officerBirmingham, catalogue.AlertFilter{States: []catalogue.AlertState{catalogue.AlertClosed}})); len(got.Items) != 1 {
			t.Errorf("closed alerts: %+v", got.Items)
		}
		_, err = s.Alerts(ctx, officerBirmingham, catalogue.AlertFilter{States: []catalogue.AlertState{"ignored"}})
		wantField(t, err, "state")
		log := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "alert:" + a.ID.String()}))
		var actions []string
		for _, e := range log.Items {
			actions = append(actions, e.Action)
		}
		diff(t, "the alert's audit", actions, []string{"alert_raise", "alert_escalate", "alert_acknowledge", "alert_close"})
	}, sqltest.At(tuesdayMorning))
}

// TestAlertOutOfHours: on a Saturday, a sharp fall raises an alert for the council's emergency
// duty team, due within the hour; the social worker's team is told too.
func TestAlertOutOfHours(t *testing.T) {
	t.Parallel()
	saturday := time.Date(2026, time.November, 28, 20, 0, 0, 0, time.UTC)
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		child := w.children[0]
		must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: child.ID, Start: day(2026, 9, 1), Placement: w.placements[0].ID}))
		must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, Settled: catalogue.AnswerYes}))
		sqltest.Clock(t, s).Advance(time.Minute)
		must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, Settled: catalogue.AnswerNotReally}))
		alerts := must[catalogue.Page[catalogue.Alert]](t)(s.Alerts(ctx, officerBirmingham, catalogue.AlertFilter{}))
		if len(alerts.Items) != 1 {
			t.Fatalf("alerts: %+v", alerts.Items)
		}
		a := alerts.Items[0]
		if !a.OutOfHours || a.Owner != catalogue.TeamRecipient(birmingham, catalogue.TeamEmergencyDuty) ||
			!a.Deadline.Equal(a.RaisedAt.Add(catalogue.EmergencyDutyWithin)) ||
			len(a.Reasons) != 1 || a.Reasons[0] != (catalogue.AlertReason{Question: catalogue.QuestionSettled, Kind: catalogue.FlagDropped}) {
			t.Errorf("out of hours: %+v", a)
		}
		got := listAll(t, s, everything, catalogue.NotificationFilter{Kind: catalogue.NotifyAlertRaised})
		if len(got) != 2 || got[0].To != a.Owner || got[1].To != catalogue.WorkerRecipient(birmingham, child.ID) {
			t.Errorf("notifications: %+v", got)
		}
	}, sqltest.At(saturday))
}
