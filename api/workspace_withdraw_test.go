package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestWithdrawFromOfferPage: the offer's page withdraws one home that fell through and then the
// offer, each with a reason, as the JSON routes do. Each mistake is the page again with the
// error summary linking to the control at fault and nothing changed: no home chosen, no reason,
// one too long, a stale version (409); another council's officer finds no such offer, and a post
// without the form's CSRF token is refused. Then the home is shown withdrawn with its reason,
// and the offer withdrawn with its reason and no forms left.
func TestWithdrawFromOfferPage(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/offers", nil)
	f.want(r, 201)
	var o offerBody
	r.json(t, &o)
	if len(o.Options) < 2 {
		t.Fatalf("the offer has %d homes", len(o.Options))
	}
	offer := "/workspace/offers/" + strconv.FormatInt(o.ID, 10)
	first := strconv.FormatInt(o.Options[0].Placement.ID, 10)
	v := strconv.Itoa(o.Version)
	const why = "The carers' own circumstances changed this week."
	long := strings.Repeat("x", catalogue.MaxReasonLen+1)
	for _, tc := range []struct {
		name, path string
		values     url.Values
		status     int
		link       string
	}{
		{"no home", "/options/withdraw", url.Values{"version": {v}, "home_reason": {why}}, 400, "#home"},
		{"a home without a reason", "/options/withdraw", url.Values{"version": {v}, "home": {first}}, 400, "#home_reason"},
		{"a home with too long a reason", "/options/withdraw", url.Values{"version": {v}, "home": {first}, "home_reason": {long}}, 400, "#home_reason"},
		{"a home not of the offer", "/options/withdraw", url.Values{"version": {v}, "home": {"999999"}, "home_reason": {why}}, 400, "#home"},
		{"a home on a stale version", "/options/withdraw", url.Values{"version": {"9"}, "home": {first}, "home_reason": {why}}, 409, ""},
		{"the offer without a reason", "/withdraw", url.Values{"version": {v}}, 400, "#withdraw_reason"},
		{"the offer with too long a reason", "/withdraw", url.Values{"version": {v}, "withdraw_reason": {long}}, 400, "#withdraw_reason"},
		{"the offer on a stale version", "/withdraw", url.Values{"version": {"9"}, "withdraw_reason": {why}}, 409, ""},
	} {
		r := f.form(offer+tc.path, tc.values)
		if r.status != tc.status || !strings.Contains(string(r.body), "govuk-error-summary") ||
			(tc.link != "" && !strings.Contains(string(r.body), `href="`+tc.link+`"`)) {
			t.Errorf("%s: %d, want %d with the error summary linking to %q", tc.name, r.status, tc.status, tc.link)
		}
	}
	secret := f.sessions["leedsOfficer"]
	if r := f.browse(browserCall{method: "POST", path: offer + "/withdraw", cookie: &http.Cookie{Name: "placematch_session", Value: secret},
		csrf: api.WorkspaceCSRF(secret), form: url.Values{"version": {v}, "withdraw_reason": {why}}}); r.status != 404 {
		t.Errorf("another council's officer: %d, want 404", r.status)
	}
	if r := f.browse(browserCall{method: "POST", path: offer + "/withdraw", cookie: &http.Cookie{Name: "placematch_session", Value: f.sessions["officer"]},
		form: url.Values{"version": {v}, "withdraw_reason": {why}}}); r.status != 403 {
		t.Errorf("without the form's csrf token: %d, want 403", r.status)
	}
	if got := f.offer("officer", o.ID); got.Version != o.Version || got.Status != o.Status {
		t.Fatalf("mistakes changed the offer: %s v%d", got.Status, got.Version)
	}

	if r := f.form(offer+"/options/withdraw", url.Values{"version": {v}, "home": {first}, "home_reason": {why}}); r.status != 303 || r.header.Get("Location") != offer {
		t.Fatalf("withdrawing a home: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	got := f.offer("officer", o.ID)
	withdrawn := false
	for _, op := range got.Options {
		withdrawn = withdrawn || (op.Placement.ID == o.Options[0].Placement.ID && op.Withdrawn)
	}
	if !withdrawn || got.Version == o.Version {
		t.Fatalf("the home is not withdrawn: %+v", got.Options)
	}
	page := f.browse(browserCall{method: "GET", path: offer, cookie: &http.Cookie{Name: "placematch_session", Value: f.sessions["officer"]}})
	if !strings.Contains(string(page.body), "carers&#39; own circumstances") {
		t.Errorf("the offer's page does not show why the home was withdrawn")
	}

	if r := f.form(offer+"/withdraw", url.Values{"version": {strconv.Itoa(got.Version)}, "withdraw_reason": {"Her plan changed: she returns home to her mother."}}); r.status != 303 {
		t.Fatalf("withdrawing the offer: %d %s", r.status, r.body)
	}
	if got := f.offer("officer", o.ID); got.Status != string(catalogue.OfferWithdrawn) {
		t.Fatalf("the offer is %s", got.Status)
	}
	page = f.browse(browserCall{method: "GET", path: offer, cookie: &http.Cookie{Name: "placematch_session", Value: f.sessions["officer"]}})
	if body := string(page.body); !strings.Contains(body, "she returns home to her mother") || strings.Contains(body, `action="`+offer+`/withdraw"`) {
		t.Errorf("the withdrawn offer's page does not say why, or still has the form")
	}
}
