package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
)

var shownLink = regexp.MustCompile(`<code id="link">https?://[^/]+(/c/pmc_[^<]+)</code>`)

// TestCheckInLinksFromRecord: the record of a child with no placement has no check-in forms and
// sending is a 409 page; once placed, the officer's record has them (a manager's has not). A
// link sent is shown once, not stored for the page (no-store), and opens the child's check-in;
// a fresh link stops one not yet opened; stopping every link ends them, with a banner on the
// record. Another council's officer finds no such child, a manager may not send, and a post
// without the form's CSRF token is refused.
func TestCheckInLinksFromRecord(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	record := "/workspace/children/" + id(f.amy.ID)
	session := func(who string) (*http.Cookie, string) {
		return &http.Cookie{Name: "placematch_session", Value: f.sessions[who]}, api.WorkspaceCSRF(f.sessions[who])
	}
	ck, csrf := session("officer")
	send := func(who string, withCSRF bool) response {
		c, token := session(who)
		if !withCSRF {
			token = ""
		}
		return f.browse(browserCall{method: "POST", path: record + "/check-in-links", cookie: c, csrf: token, form: url.Values{}, host: "example.com"})
	}
	if strings.Contains(string(f.browse(browserCall{method: "GET", path: record, cookie: ck}).body), "check-in-links") {
		t.Error("the record of a child in no placement offers check-in links")
	}
	if r := send("officer", true); r.status != 409 {
		t.Errorf("a check-in link for a child in no placement: %d, want 409", r.status)
	}

	f.placeAmySince(10)
	if !strings.Contains(string(f.browse(browserCall{method: "GET", path: record, cookie: ck}).body), `action="`+record+`/check-in-links"`) {
		t.Fatal("the officer's record of a placed child has no check-in form")
	}
	mck, _ := session("manager")
	if strings.Contains(string(f.browse(browserCall{method: "GET", path: record, cookie: mck}).body), "check-in-links") {
		t.Error("a manager's record offers check-in links")
	}
	for who, status := range map[string]int{"leedsOfficer": 404, "manager": 403} {
		if r := send(who, true); r.status != status {
			t.Errorf("%s sending: %d, want %d", who, r.status, status)
		}
	}
	if r := send("officer", false); r.status != 403 {
		t.Errorf("without the form's csrf token: %d, want 403", r.status)
	}

	linkOf := func(r response) string {
		t.Helper()
		m := shownLink.FindStringSubmatch(string(r.body))
		if r.status != 200 || m == nil || !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
			t.Fatalf("sending: %d, link shown %v, Cache-Control %q", r.status, m != nil, r.header.Get("Cache-Control"))
		}
		return m[1]
	}
	first := linkOf(send("officer", true))
	second := linkOf(send("officer", true))
	f.want(f.visitor("203.0.113.70").do("POST", first, nil), 404) // stopped by the fresh one
	kid := f.visitor("203.0.113.71")
	if r := kid.do("POST", second, nil); r.status != 303 || r.header.Get("Location") != "/child/check-in" {
		t.Fatalf("opening the link: %d %q", r.status, r.header.Get("Location"))
	}
	third := linkOf(send("officer", true))

	r := f.browse(browserCall{method: "POST", path: record + "/check-in-links/revoke", cookie: ck, csrf: csrf, form: url.Values{}})
	if r.status != 303 || r.header.Get("Location") != record+"?revoked=1" {
		t.Fatalf("stopping the links: %d %q", r.status, r.header.Get("Location"))
	}
	if page := f.browse(browserCall{method: "GET", path: record + "?revoked=1", cookie: ck}); !strings.Contains(string(page.body), "is stopped") {
		t.Error("the record does not say the links are stopped")
	}
	f.want(f.visitor("203.0.113.72").do("POST", third, nil), 404)
	if r := kid.do("GET", "/child/check-in", nil); r.status == 200 {
		t.Error("the session the link opened outlived stopping the links")
	}
}
