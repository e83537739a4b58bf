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

var signOffLink = regexp.MustCompile(`href="(/workspace/offers/[0-9]+/sign-off\?[^"]+)"`)

// TestSignOffPages: the manager's queue lists a high-cost home of Amy's offer waiting for a
// sign-off, with what it is for and why; the form refuses a reason too short (400, the error
// summary linking to the field, nothing written), a manager of another council finds no such
// offer, and a reason signs it off as the JSON route does, by the manager, after which the
// queue is empty and the form is a 409 page.
func TestSignOffPages(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.changePlace(func(p *catalogue.Placement) { p.WeeklyCost = 12000 })
	f.pathFor("/v1/offers/:id") // an offer of the fixture's home for Amy
	as := func(who string) (*http.Cookie, string) {
		secret := f.sessions[who]
		return &http.Cookie{Name: "placematch_session", Value: secret}, api.WorkspaceCSRF(secret)
	}
	ck, csrf := as("manager")

	queue := f.browse(browserCall{method: "GET", path: "/workspace/sign-offs", cookie: ck})
	if queue.status != 200 {
		t.Fatalf("the queue: %d %s", queue.status, queue.body)
	}
	for _, want := range []string{"Amy", "A weekly cost above the council&#39;s threshold", "a nominated officer"} {
		if !strings.Contains(string(queue.body), want) {
			t.Errorf("the queue does not show %q", want)
		}
	}
	m := signOffLink.FindStringSubmatch(string(queue.body))
	if m == nil {
		t.Fatal("the queue has no link to sign off")
	}
	link := html.UnescapeString(m[1])
	if strings.Contains(link, "Amy") {
		t.Errorf("the link %s names the child", link)
	}
	form := f.browse(browserCall{method: "GET", path: link, cookie: ck})
	if form.status != 200 || !strings.Contains(string(form.body), `name="csrf"`) {
		t.Fatalf("the form: %d", form.status)
	}
	u, _ := url.Parse(link)
	post := strings.TrimSuffix(u.Path, "/sign-off") + "/sign-offs"
	fields := func(reason string) url.Values {
		return url.Values{"placement": {u.Query().Get("placement")}, "kind": {u.Query().Get("kind")}, "reason": {reason}}
	}
	given := func() int {
		t.Helper()
		id, _ := strconv.ParseInt(strings.Split(post, "/")[3], 10, 64)
		so, err := f.store.SignOffs(context.Background(), catalogue.Everything, catalogue.OfferID(id))
		if err != nil {
			t.Fatal(err)
		}
		return len(so)
	}

	short := f.browse(browserCall{method: "POST", path: post, cookie: ck, csrf: csrf, form: fields("ok")})
	if short.status != 400 || !strings.Contains(string(short.body), `govuk-error-summary`) || !strings.Contains(string(short.body), `href="#reason"`) {
		t.Errorf("a short reason: %d without the error summary linking to the reason", short.status)
	}
	if n := given(); n != 0 {
		t.Fatalf("a refused form wrote %d sign-offs", n)
	}
	lk, lcsrf := as("leedsManager")
	if r := f.browse(browserCall{method: "POST", path: post, cookie: lk, csrf: lcsrf, form: fields("No other home can meet her needs.")}); r.status != 404 {
		t.Errorf("another council's manager: %d, want 404", r.status)
	}
	if r := f.browse(browserCall{method: "POST", path: post, cookie: ck, form: fields("No other home can meet her needs.")}); r.status != 403 {
		t.Errorf("without the form's csrf token: %d, want 403", r.status)
	}
	if n := given(); n != 0 {
		t.Fatalf("refused posts wrote %d sign-offs", n)
	}

	ok := f.browse(browserCall{method: "POST", path: post, cookie: ck, csrf: csrf, form: fields("No other home can meet her needs.")})
	if ok.status != 303 || ok.header.Get("Location") != "/workspace/sign-offs?given=1" {
		t.Fatalf("signing off: %d to %q: %s", ok.status, ok.header.Get("Location"), ok.body)
	}
	if n := given(); n != 1 {
		t.Errorf("%d sign-offs given, want 1", n)
	}
	after := f.browse(browserCall{method: "GET", path: "/workspace/sign-offs?given=1", cookie: ck})
	if !strings.Contains(string(after.body), "Signed off.") || !strings.Contains(string(after.body), "Nothing is waiting") {
		t.Errorf("the queue after signing off does not say so, or still lists it")
	}
	if again := f.browse(browserCall{method: "GET", path: link, cookie: ck}); again.status != 409 {
		t.Errorf("the form of a sign-off given: %d, want 409", again.status)
	}
}
