package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestProviderAnswersOnItsPage: the provider's inbox lists a referral without naming the child;
// the referral's page names the child and is audited; another provider gets a 404 page; and
// each mistake in the answer is the page again (400) with the error summary linking to the
// field at fault, nothing written, until a right answer records the acceptance, as the API does.
func TestProviderAnswersOnItsPage(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/referrals", map[string]any{"placements": []catalogue.PlacementID{f.place.ID}})
	f.want(r, 201)
	var made struct {
		Items []struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
	}
	r.json(t, &made)
	ref := made.Items[0]
	page := fmt.Sprintf("/workspace/referrals/%d", ref.ID)

	inbox := f.do("~provider", "GET", "/workspace/referrals", nil)
	if inbox.status != 200 || !strings.Contains(string(inbox.body), fmt.Sprintf("Referral %d", ref.ID)) || !strings.Contains(string(inbox.body), f.place.Name) {
		t.Fatalf("the inbox: %d without the referral to %s", inbox.status, f.place.Name)
	}
	if strings.Contains(string(inbox.body), f.amy.FirstName) {
		t.Errorf("the inbox names the child before the provider opens the referral")
	}
	if r := f.do("~otherProvider", "GET", page, nil); r.status != 404 || !strings.Contains(string(r.body), "<html") {
		t.Errorf("another provider's referral: %d, want a 404 page", r.status)
	}
	opened := f.do("~provider", "GET", page, nil)
	if opened.status != 200 || !strings.Contains(string(opened.body), "<h1 class=\"govuk-heading-l\">"+f.amy.FirstName+"</h1>") {
		t.Fatalf("the referral: %d without the child's first name", opened.status)
	}
	version := ref.Version + 1 // opening it marked it viewed
	secret := f.sessions["provider"]
	post := func(form url.Values) response {
		form.Set("version", fmt.Sprint(version))
		return f.browse(browserCall{method: http.MethodPost, path: page + "/response", cookie: &http.Cookie{Name: "placematch_session", Value: secret},
			form: form, csrf: api.WorkspaceCSRF(secret)})
	}
	status := func() (string, int) {
		var got struct {
			Status  string `json:"status"`
			Version int    `json:"version"`
		}
		f.do("officer", "GET", fmt.Sprintf("/v1/referrals/%d", ref.ID), nil).json(t, &got)
		return got.Status, got.Version
	}
	mistakes := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no answer", url.Values{}, "outcome"},
		{"accepting without an impact assessment", url.Values{"outcome": {"accepted"}, "weekly_fee": {"900"}}, "impact_assessment"},
		{"a fee that is not a number", url.Values{"outcome": {"accepted"}, "impact_assessment": {"Fine."}, "weekly_fee": {"nine hundred"}}, "weekly_fee"},
		{"a fee too high", url.Values{"outcome": {"accepted"}, "impact_assessment": {"Fine."}, "weekly_fee": {"50001"}}, "weekly_fee"},
		{"declining without a reason", url.Values{"outcome": {"declined"}}, "decline_reason"},
		{"declining for another reason without a note", url.Values{"outcome": {"declined"}, "decline_reason": {"other"}}, "note"},
		{"a reason that is not one", url.Values{"outcome": {"declined"}, "decline_reason": {"bored"}}, "decline_reason"},
	}
	for _, m := range mistakes {
		r := post(m.form)
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#`+m.field+`"`) ||
			!strings.Contains(body, `id="`+m.field+`-error"`) {
			t.Errorf("%s: %d, want 400 with the error summary linking to #%s: %.2000s", m.name, r.status, m.field, body)
		}
		if st, v := status(); st != "viewed" || v != version {
			t.Errorf("%s: the referral is %s at version %d, want viewed at %d (nothing written)", m.name, st, v, version)
		}
	}
	// the answer typed is kept on the page shown again
	if r := post(url.Values{"outcome": {"accepted"}, "weekly_fee": {"900"}}); !strings.Contains(string(r.body), `value="900"`) {
		t.Errorf("the page shown again lost the fee typed")
	}

	// Declining's fields, still sent when the person changed their mind, are not part of an acceptance.
	r = post(url.Values{"outcome": {"accepted"}, "impact_assessment": {"Amy would share with a girl of 12."}, "weekly_fee": {"£900"}, "decline_reason": {"location"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != page+"?answered=1" {
		t.Fatalf("a right answer: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
	}
	if st, _ := status(); st != "accepted" {
		t.Errorf("after accepting on the page: %s", st)
	}
	shown := f.do("~provider", "GET", page+"?answered=1", nil)
	for _, want := range []string{"Your answer is recorded", "Amy would share with a girl of 12.", "£900"} {
		if !strings.Contains(string(shown.body), want) {
			t.Errorf("the answered referral does not show %q", want)
		}
	}
	if strings.Contains(string(shown.body), `action="`+page+`/response"`) {
		t.Errorf("an answered referral still offers the form")
	}

	// Each opening of the referral is audited, naming the provider's account.
	log, err := f.store.ListAudit(context.Background(), catalogue.AuditFilter{Subject: fmt.Sprintf("referral:%d", ref.ID)})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range log.Items {
		if e.Action == "read" && e.Role == catalogue.RoleProvider {
			reads++
		}
	}
	if reads < 2 {
		t.Errorf("%d reads of the referral audited, want one per opening", reads)
	}
}
