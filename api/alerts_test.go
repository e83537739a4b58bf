package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
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

// TestAlertPages: Amy's alert (raised on a Sunday: the emergency duty team's, due within the
// hour) is on the officer's worklist with its owner and an acknowledge button; past its
// deadline the sweep escalates it onto the manager's queue; the officer acknowledges it from
// the form, and closing it without saying what was done is the page again (400, the error
// summary linking to the note, nothing written); with a note it closes and leaves the
// worklist.
func TestAlertPages(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	a := f.alert()
	as := func(who string) (*http.Cookie, string) {
		secret := f.sessions[who]
		return &http.Cookie{Name: "placematch_session", Value: secret}, api.WorkspaceCSRF(secret)
	}
	officer, csrf := as("officer")
	manager, _ := as("manager")
	page := func(ck *http.Cookie, path string, want int) string {
		t.Helper()
		r := f.browse(browserCall{method: "GET", path: path, cookie: ck})
		if r.status != want {
			t.Fatalf("%s: %d, want %d: %s", path, r.status, want, r.body)
		}
		return string(r.body)
	}
	list := page(officer, "/workspace/children", 200)
	for _, want := range []string{"1 open alert", "said they do not feel safe", "The emergency duty team", "Acknowledge", "/workspace/alerts/" + a.ID.String()} {
		if !strings.Contains(list, want) {
			t.Errorf("the worklist does not show %q", want)
		}
	}
	if q := page(manager, "/workspace/sign-offs", 200); strings.Contains(q, "escalated to you") {
		t.Error("the manager's queue shows an alert before its deadline")
	}
	if strings.Contains(page(manager, "/workspace/alerts/"+a.ID.String(), 200), `action="/workspace/alerts/`) {
		t.Error("a manager is offered the officer's forms")
	}

	// An hour and a bit later, nobody has acknowledged it (the sessions are kept alive).
	clock := sqltest.Clock(t, f.store)
	for range 4 {
		clock.Advance(16 * time.Minute)
		page(officer, "/workspace", 200)
		page(manager, "/workspace", 200)
	}
	if _, err := f.store.EscalateAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	q := page(manager, "/workspace/sign-offs", 200)
	for _, want := range []string{"1 alert escalated to you", "Amy", "Escalated"} {
		if !strings.Contains(q, want) {
			t.Errorf("the manager's queue does not show %q", want)
		}
	}

	path := "/workspace/alerts/" + a.ID.String()
	r := f.browse(browserCall{method: "POST", path: path + "/acknowledge", cookie: officer, csrf: csrf, form: url.Values{"version": {"2"}}})
	if r.status != 303 {
		t.Fatalf("acknowledge: %d %s", r.status, r.body)
	}
	body := page(officer, path+"?done=acknowledged", 200)
	for _, want := range []string{"Acknowledged:", "Close the alert", `name="note"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the acknowledged alert does not show %q", want)
		}
	}
	r = f.browse(browserCall{method: "POST", path: path + "/close", cookie: officer, csrf: csrf, form: url.Values{"version": {"3"}, "note": {""}}})
	if r.status != 400 || !strings.Contains(string(r.body), `href="#note"`) {
		t.Errorf("closing without a note: %d without the error summary linking to the note", r.status)
	}
	if got, _ := f.store.Alert(ctx, catalogue.Everything, a.ID); got.State != catalogue.AlertAcknowledged {
		t.Errorf("a refused form changed the alert: %s", got.State)
	}
	r = f.browse(browserCall{method: "POST", path: path + "/close", cookie: officer, csrf: csrf, form: url.Values{"version": {"3"}, "note": {"Spoke with Amy and her carers; safety plan agreed."}}})
	if r.status != 303 {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	if list := page(officer, "/workspace/children", 200); strings.Contains(list, "open alert") {
		t.Error("a closed alert is still on the worklist")
	}
}
