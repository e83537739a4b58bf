package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// alert raises an alert about Amy: she is placed (moveReview leaves her in a placement) and says
// in a check-in that she does not feel safe. It returns the alert (Amy's open one, when she has
// one already).
func (f *fixture) alert() catalogue.Alert {
	f.t.Helper()
	ctx := context.Background()
	if page, err := f.store.Alerts(ctx, catalogue.Everything, catalogue.AlertFilter{Child: f.amy.ID}); err == nil && len(page.Items) > 0 {
		return page.Items[0] // a fixture shared by several routes
	}
	if st, err := f.store.CheckInStatus(ctx, catalogue.Everything, f.amy.ID, f.store.Now()); err != nil || st.Current == nil {
		f.moveReview()
	}
	if _, err := f.store.RecordCheckIn(ctx, catalogue.Scope{Council: manchester}, catalogue.CheckIn{Child: f.amy.ID, Safe: catalogue.AnswerNo}); err != nil {
		f.t.Fatal(err)
	}
	page, err := f.store.Alerts(ctx, catalogue.Everything, catalogue.AlertFilter{Child: f.amy.ID})
	if err != nil || len(page.Items) != 1 {
		f.t.Fatalf("alerts: %+v, %v", page, err)
	}
	return page.Items[0]
}

type alertBody struct {
	ID             int64  `json:"id"`
	Child          int64  `json:"child"`
	Owner          string `json:"owner"`
	OutOfHours     bool   `json:"out_of_hours"`
	State          string `json:"state"`
	Says           string `json:"says"`
	AcknowledgedBy string `json:"acknowledged_by"`
	Version        int    `json:"version"`
	Deadline       time.Time
}

// TestAlertRoutes: the officer of Amy's council lists her open alert, acknowledges it at the
// version read and closes it with what was done; a stale version is 409, closing without a
// note 400 naming note; a manager reads it but acknowledges nothing; Leeds never sees it. On
// both stores.
func TestAlertRoutes(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		a := f.alert()
		path := "/v1/alerts/" + a.ID.String()

		var list struct{ Items []alertBody }
		f.do("officer", "GET", "/v1/alerts", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].State != "raised" || list.Items[0].Says != "said they do not feel safe" {
			t.Fatalf("open alerts: %+v", list.Items)
		}
		f.do("leedsOfficer", "GET", "/v1/alerts", nil).json(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("Leeds lists %+v", list.Items)
		}
		f.want(f.do("leedsOfficer", "GET", path, nil), 404)
		f.want(f.do("manager", "GET", path, nil), 200)
		f.want(f.do("manager", "POST", path+"/acknowledge", map[string]any{"version": 1}), 403)
		r := f.do("officer", "GET", "/v1/alerts?state=ignored", nil)
		f.want(r, 400)
		wantField(t, r, "state")

		f.want(f.do("officer", "POST", path+"/acknowledge", map[string]any{"version": 9}), 409)
		r = f.do("officer", "POST", path+"/acknowledge", map[string]any{"version": 1})
		f.want(r, 200)
		var ack alertBody
		r.json(t, &ack)
		if ack.State != "acknowledged" || ack.AcknowledgedBy == "" || ack.Version != 2 {
			t.Errorf("acknowledged: %+v", ack)
		}
		r = f.do("officer", "POST", path+"/close", map[string]any{"version": 2})
		f.want(r, 400)
		wantField(t, r, "note")
		f.want(f.do("officer", "POST", path+"/close", map[string]any{"version": 2, "note": "Visited; safety plan agreed."}), 200)
		f.do("officer", "GET", "/v1/alerts", nil).json(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("open alerts after closing: %+v", list.Items)
		}
		f.do("officer", "GET", "/v1/alerts?state=all", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].State != "closed" {
			t.Errorf("all alerts: %+v", list.Items)
		}
	})
}
