package api_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestRefuseSignOffPage: from the sign-off's form a manager refuses it; a reason missing or
// too long is the form again (400, the error summary linking to the refusal's reason, nothing
// written), another council's manager finds no such offer, a post without the form's CSRF token
// is refused; with a reason the refusal is recorded as the JSON route records it, the queue
// says so and no longer lists it, the form is a 409 page, and the officer's offer page shows
// the refusal and its reason, and refuses to accept the home (409 naming the sign-off).
func TestRefuseSignOffPage(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.changePlace(func(p *catalogue.Placement) { p.WeeklyCost = 12000 })
	offer := f.pathFor("/v1/offers/:id") // an offer of the fixture's home for Amy
	offerID := strings.Split(offer, "/")[3]
	as := func(who string) (*http.Cookie, string) {
		secret := f.sessions[who]
		return &http.Cookie{Name: "placematch_session", Value: secret}, api.WorkspaceCSRF(secret)
	}
	ck, csrf := as("manager")
	queue := f.browse(browserCall{method: "GET", path: "/workspace/sign-offs", cookie: ck})
	m := signOffLink.FindStringSubmatch(string(queue.body))
	if m == nil {
		t.Fatalf("the queue has no link to sign off: %d", queue.status)
	}
	link := html.UnescapeString(m[1])
	form := f.browse(browserCall{method: "GET", path: link, cookie: ck})
	if form.status != 200 || !strings.Contains(string(form.body), `action="/workspace/offers/`+offerID+`/sign-off-refusals"`) {
		t.Fatalf("the form has no refusal: %d", form.status)
	}
	u, _ := url.Parse(link)
	post := "/workspace/offers/" + offerID + "/sign-off-refusals"
	fields := func(reason string) url.Values {
		return url.Values{"placement": {u.Query().Get("placement")}, "kind": {u.Query().Get("kind")}, "refusal": {reason}}
	}
	refused := func() []catalogue.SignOffRefusal {
		t.Helper()
		id, _ := strconv.ParseInt(offerID, 10, 64)
		rs, err := f.store.SignOffRefusals(context.Background(), catalogue.Everything, catalogue.OfferID(id))
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	const reason = "A home nearer her school meets her needs at half the cost."
	for _, tc := range []struct {
		name   string
		reason string
	}{{"missing", ""}, {"too short", "no"}, {"too long", strings.Repeat("x", catalogue.MaxReasonLen+1)}} {
		r := f.browse(browserCall{method: "POST", path: post, cookie: ck, csrf: csrf, form: fields(tc.reason)})
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#refusal"`) ||
			!strings.Contains(body, `id="refusal-error"`) || strings.Contains(body, `id="reason-error"`) {
			t.Errorf("a reason %s: %d without the error summary linking to the refusal's reason", tc.name, r.status)
		}
	}
	lk, lcsrf := as("leedsManager")
	if r := f.browse(browserCall{method: "POST", path: post, cookie: lk, csrf: lcsrf, form: fields(reason)}); r.status != 404 {
		t.Errorf("another council's manager: %d, want 404", r.status)
	}
	if r := f.browse(browserCall{method: "POST", path: post, cookie: ck, form: fields(reason)}); r.status != 403 {
		t.Errorf("without the form's csrf token: %d, want 403", r.status)
	}
	if rs := refused(); len(rs) != 0 {
		t.Fatalf("refused posts wrote %d refusals", len(rs))
	}

	ok := f.browse(browserCall{method: "POST", path: post, cookie: ck, csrf: csrf, form: fields(reason)})
	if ok.status != 303 || ok.header.Get("Location") != "/workspace/sign-offs?refused=1" {
		t.Fatalf("refusing: %d to %q: %s", ok.status, ok.header.Get("Location"), ok.body)
	}
	if rs := refused(); len(rs) != 1 || rs[0].Reason != reason || rs[0].ByRole != catalogue.RoleManager {
		t.Fatalf("refusals %+v", rs)
	}
	after := f.browse(browserCall{method: "GET", path: "/workspace/sign-offs?refused=1", cookie: ck})
	if !strings.Contains(string(after.body), "Refused.") || !strings.Contains(string(after.body), "Nothing is waiting") {
		t.Errorf("the queue after refusing does not say so, or still lists it")
	}
	if again := f.browse(browserCall{method: "GET", path: link, cookie: ck}); again.status != 409 {
		t.Errorf("the form of a sign-off refused: %d, want 409", again.status)
	}

	ok2, ocsrf := as("officer")
	page := f.browse(browserCall{method: "GET", path: "/workspace/offers/" + offerID, cookie: ok2})
	if page.status != 200 || !strings.Contains(string(page.body), "Refused</strong>") || !strings.Contains(string(page.body), html.EscapeString(reason)) {
		t.Fatalf("the officer's offer page does not show the refusal and its reason: %d", page.status)
	}
	version := regexp.MustCompile(`name="version" value="([0-9]+)"`).FindStringSubmatch(string(page.body))
	if version == nil {
		t.Fatal("the offer page has no decision form's version")
	}
	dec := f.browse(browserCall{method: "POST", path: "/workspace/offers/" + offerID + "/decision", cookie: ok2, csrf: ocsrf,
		form: url.Values{"version": {version[1]}, "decision": {u.Query().Get("placement")}, "reason": {"The team's choice, for the record."}}})
	if dec.status != 409 || !strings.Contains(string(dec.body), "high_cost") {
		t.Errorf("accepting the refused home from the page: %d, want 409 naming high_cost", dec.status)
	}
}
