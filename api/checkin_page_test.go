package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

// placeAmySince starts Amy's current placement, in the fixture's home, days ago (by the
// store's clock): with the default plan a check-in falls due a week after the move.
func (f *offerFixture) placeAmySince(days int) {
	f.t.Helper()
	start := catalogue.Day(f.store.Now()).AddDate(0, 0, -days)
	if _, err := f.store.StartPlacement(context.Background(), catalogue.Everything,
		catalogue.Episode{Child: f.amy.ID, Start: start, Placement: f.place.ID}); err != nil {
		f.t.Fatal(err)
	}
}

type checkInLinkBody struct {
	Link struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
		Note      string    `json:"note"`
	} `json:"link"`
	Links []struct {
		ID   int64 `json:"id"`
		Live bool  `json:"live"`
	} `json:"check_in_links"`
}

// checkInLink has Amy's officer send her a check-in link; it returns the link's path.
func (f *offerFixture) checkInLink() string {
	f.t.Helper()
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/check-in-links", map[string]any{"expires_in_days": 7})
	f.want(r, 201)
	var b checkInLinkBody
	r.json(f.tt, &b)
	u, err := url.Parse(b.Link.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/c/pmc_") {
		f.t.Fatalf("link %q", b.Link.URL)
	}
	return u.Path
}

type checkInsBody struct {
	Schedule struct {
		Due     bool   `json:"due"`
		Message string `json:"message"`
	} `json:"schedule"`
	CheckIns []struct {
		Settled   string `json:"settled"`
		Safe      string `json:"safe"`
		GettingOn string `json:"getting_on"`
		Seeing    string `json:"seeing"`
		WouldHelp string `json:"would_help"`
		Way       string `json:"way"`
		Advocate  bool   `json:"advocate_requested"`
	} `json:"check_ins"`
	AdvocateRequests []struct {
		Message string `json:"message"`
	} `json:"advocate_requests"`
	Links []struct {
		Live     bool       `json:"live"`
		OpenedAt *time.Time `json:"opened_at"`
	} `json:"links"`
}

func (f *offerFixture) checkIns() checkInsBody {
	f.t.Helper()
	r := f.do("officer", "GET", "/v1/children/"+id(f.amy.ID)+"/check-ins", nil)
	f.want(r, 200)
	var b checkInsBody
	r.json(f.tt, &b)
	return b
}

// TestCheckInLinkRoutes: the child's council's officers make and revoke check-in links; nobody
// else can (401 without a token, 403 for other roles, 404 outside the council); bad bodies name
// their field; the token is shown once, never replayed for an Idempotency-Key, never logged;
// the officer's view says a check-in is due and lists the links.
func TestCheckInLinkRoutes(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	path := "/v1/children/" + id(f.amy.ID) + "/check-in-links"
	for _, method := range []string{"POST", "DELETE"} {
		r := f.do("", method, path, nil)
		f.want(r, 401)
		r.problem(t)
		for _, who := range []string{"admin", "commissioner", "provider"} {
			f.want(f.do(who, method, path, nil), 403)
		}
		r = f.do("leedsOfficer", method, path, nil)
		f.want(r, 404)
		r.problem(t)
		r = f.do("officer", method, "/v1/children/0/check-in-links", nil)
		f.want(r, 400)
		wantField(t, r, "id")
	}
	// Nothing to check in about before Amy has a placement.
	r := f.do("officer", "POST", path, nil)
	f.want(r, 409)
	r.problem(t)
	f.placeAmySince(10)
	if b := f.checkIns(); !b.Schedule.Due || !strings.Contains(b.Schedule.Message, "Invite Amy to check in") ||
		!strings.Contains(b.Schedule.Message, path) || len(b.Links) != 0 {
		t.Errorf("before any link, the officer's view: %+v", b)
	}
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]any{"expires_in_days": 31}, "expires_in_days"},
		{map[string]any{"expires_in_days": -1}, "expires_in_days"},
		{map[string]any{"expires_in_days": "soon"}, "expires_in_days"},
		{map[string]any{"expires": 3}, "expires"},
	} {
		r := f.do("officer", "POST", path, c.body)
		f.want(r, 400)
		wantField(t, r, c.field)
	}
	if b := f.checkIns(); len(b.Links) != 0 {
		t.Fatalf("refused requests made %d links", len(b.Links))
	}

	// Made: shown once, with a note, not to be cached.
	r = f.do("officer", "POST", path, nil)
	f.want(r, 201)
	var made checkInLinkBody
	r.json(t, &made)
	if !strings.HasPrefix(made.Link.URL, "http://example.com/c/pmc_") || len(made.Links) != 1 || !made.Links[0].Live ||
		!strings.Contains(made.Link.Note, "cannot be shown again") || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("made %+v (Cache-Control %q)", made, r.header.Get("Cache-Control"))
	}
	if d := made.Link.ExpiresAt.Sub(f.store.Now()); d < 13*24*time.Hour || d > 14*24*time.Hour+time.Minute {
		t.Errorf("the link runs out in %v, want 14 days", d)
	}
	b := f.checkIns()
	if len(b.Links) != 1 || !b.Links[0].Live || !strings.Contains(b.Schedule.Message, "has not been opened yet") {
		t.Errorf("after a link, the officer's view: %+v", b)
	}
	// A retry with an Idempotency-Key makes a new link rather than replaying the secret.
	var urls []string
	for range 2 {
		r := f.doWithKey("officer", "POST", path, "check-in-once", map[string]any{"expires_in_days": 3})
		f.want(r, 201)
		if r.header.Get("Idempotency-Replayed") != "" {
			t.Error("a check-in link was replayed")
		}
		var again checkInLinkBody
		r.json(t, &again)
		urls = append(urls, again.Link.URL)
	}
	if urls[0] == urls[1] {
		t.Errorf("a retry replayed the link: %v", urls)
	}
	// Only the newest opens; revoking stops it.
	kid := f.visitor("203.0.113.30")
	for _, old := range []string{made.Link.URL, urls[0]} {
		u, _ := url.Parse(old)
		f.want(kid.do("GET", u.Path, nil), 404)
	}
	f.want(f.do("officer", "DELETE", path, nil), 204)
	u, _ := url.Parse(urls[1])
	f.want(kid.do("GET", u.Path, nil), 404)
	for _, l := range f.checkIns().Links {
		if l.Live {
			t.Error("a check-in link is live after revoking")
		}
	}
	if logs := f.logs.String(); strings.Contains(logs, "pmc_") || strings.Contains(logs, "pms_") {
		t.Errorf("a token reached the logs:\n%s", logs)
	}
	// A child who left care has nothing to check in about.
	if _, err := f.store.MoveChild(context.Background(), catalogue.Everything, catalogue.Move{Child: f.amy.ID,
		On: catalogue.Day(f.store.Now()), Reason: catalogue.ReasonCarePlan}); err != nil {
		t.Fatal(err)
	}
	f.want(f.do("officer", "POST", path, nil), 409)
	if b := f.checkIns(); b.Schedule.Due || !strings.Contains(b.Schedule.Message, "no current placement") {
		t.Errorf("after leaving care, the schedule: %+v", b.Schedule)
	}
}

// TestCheckInPage: the child opens their check-in link, answers some questions with faces,
// skips one, says what would help and asks for an advocate; mistakes are shown and nothing is
// saved; the answers are recorded as the child's own, and the officer sees them.
func TestCheckInPage(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.placeAmySince(10)
	link := f.checkInLink()
	kid := f.visitor("203.0.113.31")
	r := kid.do("POST", link, nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/child/check-in" {
		t.Fatalf("opening the link: %d %q", r.status, r.header.Get("Location"))
	}
	wantChildHeaders(t, r)
	if ck := kid.cookies["placematch_child"]; ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", ck)
	}
	// Opened once: another device gets the kind message; the child is sent back to the page.
	f.want(f.visitor("203.0.113.32").do("POST", link, nil), 404)
	if r := kid.do("POST", link, nil); r.status != 303 || r.header.Get("Location") != "/child/check-in" {
		t.Errorf("reopening with the session: %d %q", r.status, r.header.Get("Location"))
	}
	if b := f.checkIns(); len(b.Links) != 1 || b.Links[0].OpenedAt == nil || b.Links[0].Live {
		t.Errorf("the officer does not see the link opened: %+v", b.Links)
	}

	page := kid.do("GET", "/child/check-in", nil)
	f.want(page, 200)
	wantChildHeaders(t, page)
	html := string(page.body)
	for _, want := range []string{`<html lang="en-GB">`, "Amy, how are things?", "It is time for your check-in",
		"This is your voice", "no computer decides anything",
		"<legend>Do you feel settled where you live now?</legend>", "<legend>Do you feel safe?</legend>",
		"<legend>Are you getting on with the people you live with?</legend>", "<legend>Are you seeing the people who matter to you?</legend>",
		`<input type="radio" id="safe-no" name="safe" value="no">`, `<label for="safe-skip">I&#39;d rather not say</label>`,
		`<svg class="face"`, `aria-hidden="true"`, `for="would_help"`, `id="advocate"`, "I'd rather not answer today",
		"0800 1111", `<link rel="stylesheet" href="/child/style.css">`} {
		if !strings.Contains(html, want) {
			t.Errorf("the check-in page lacks %s", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "style=") {
		t.Error("the page has a script or an inline style")
	}
	noPlaceGiven(t, "the check-in page", page.body, append(f.homes, f.place))
	for _, leak := range []string{"Okafor", "Grace", "Manchester", "Oakfield"} {
		if strings.Contains(html, leak) {
			t.Errorf("the check-in page shows %q", leak)
		}
	}
	// Words instead of faces.
	words := kid.do("GET", "/child/check-in?way=words", nil)
	if !bytes.Contains(words.body, []byte(`name="way" value="words"`)) || bytes.Contains(words.body, []byte("<svg")) {
		t.Error("the words page still shows faces")
	}

	// A form without its token, or from another site, is refused.
	token := csrfOf(t, page)
	answers := url.Values{"csrf": {token}, "way": {"faces"}, "settled": {"mostly"}, "safe": {"yes"}, "getting_on": {""},
		"seeing": {"not_really"}, "would_help": {"Seeing my nan more\r\nand my dog"}, "advocate": {"yes"}}
	noToken := url.Values{"settled": {"yes"}}
	f.want(kid.do("POST", "/child/check-in", noToken), 403)
	f.want(kid.do("POST", "/child/check-in", answers, "Sec-Fetch-Site", "cross-site"), 403)
	// Mistakes: an answer that is not one, and too many words. Shown next to their fields, kept
	// in the form, and nothing saved.
	bad := url.Values{"csrf": {token}, "settled": {"mostly"}, "safe": {"maybe"}, "would_help": {strings.Repeat("a", 1001)}}
	r = kid.do("POST", "/child/check-in", bad)
	f.want(r, 400)
	for _, want := range []string{`href="#safe-no"`, `id="safe-error"`, `aria-describedby="safe-hint safe-error"`,
		`href="#would_help"`, `id="would_help-error"`, `aria-describedby="would_help-hint would_help-error"`, `aria-invalid="true"`,
		`id="settled-mostly" name="settled" value="mostly" checked`, "You have written 1001"} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("the page with mistakes lacks %s", want)
		}
	}
	if n := len(f.checkIns().CheckIns); n != 0 {
		t.Fatalf("a form with mistakes saved %d check-ins", n)
	}

	// Saved: 303 to the thank-you, which says what the child told us and what happens next.
	r = kid.do("POST", "/child/check-in", answers)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/child/check-in?saved=1" {
		t.Fatalf("saving: %d %s", r.status, r.body)
	}
	thanks := kid.do("GET", "/child/check-in?saved=1", nil)
	f.want(thanks, 200)
	for _, want := range []string{"Thank you, Amy", "We have saved your answers", "<dd>Mostly</dd>", "<dd>Yes</dd>", "<dd>Not really</dd>",
		"Seeing my nan more\nand my dog", "You asked to talk to an advocate", "Nothing is decided just because of them"} {
		if !bytes.Contains(thanks.body, []byte(want)) {
			t.Errorf("the thank-you lacks %q", want)
		}
	}
	if bytes.Contains(thanks.body, []byte("getting on with the people")) {
		t.Error("the thank-you shows the question the child skipped")
	}
	b := f.checkIns()
	if len(b.CheckIns) != 1 {
		t.Fatalf("%d check-ins, want 1", len(b.CheckIns))
	}
	got := b.CheckIns[0]
	if got.Settled != "mostly" || got.Safe != "yes" || got.GettingOn != "" || got.Seeing != "not_really" ||
		got.WouldHelp != "Seeing my nan more\nand my dog" || got.Way != "faces" || !got.Advocate {
		t.Errorf("recorded %+v", got)
	}
	if len(b.AdvocateRequests) != 1 || !strings.Contains(b.AdvocateRequests[0].Message, "Amy asked to talk to an advocate") {
		t.Errorf("advocate requests %+v", b.AdvocateRequests)
	}
	if b.Schedule.Due {
		t.Errorf("a check-in is still due after the child checked in: %s", b.Schedule.Message)
	}
	// Recorded as the child's own action, and the child's reads are audited.
	var audit struct {
		Items []struct {
			Action string `json:"action"`
			Actor  int64  `json:"actor"`
			Reason string `json:"reason"`
		} `json:"items"`
	}
	r = f.do("admin", "GET", "/v1/audit?subject=child:"+id(f.amy.ID)+"&limit=500", nil)
	f.want(r, 200)
	r.json(t, &audit)
	seen := map[string]bool{}
	for _, e := range audit.Items {
		seen[e.Action] = true
		if e.Action == "check_in" && (e.Actor != 0 || !strings.Contains(e.Reason, "the child, through their private check-in page")) {
			t.Errorf("the check-in is not audited as the child's own: %+v", e)
		}
	}
	for _, a := range []string{"send_check_in_link", "child_open_link", "child_view", "check_in", "read_check_ins"} {
		if !seen[a] {
			t.Errorf("the child's audit has no %q", a)
		}
	}

	// With words: the way is kept. "I'd rather not" saves nothing, and neither does nothing.
	r = kid.do("POST", "/child/check-in", url.Values{"csrf": {token}, "way": {"words"}, "safe": {"sort_of"}})
	f.want(r, 303)
	if b := f.checkIns(); len(b.CheckIns) != 2 || b.CheckIns[1].Way != "words" || b.CheckIns[1].Safe != "sort_of" || b.CheckIns[1].Advocate {
		t.Errorf("the check-in in words: %+v", b.CheckIns)
	}
	for _, form := range []url.Values{
		{"csrf": {token}, "settled": {"no"}, "would_help": {"nothing"}, "rather_not": {"yes"}},
		{"csrf": {token}, "settled": {""}, "safe": {""}},
	} {
		r = kid.do("POST", "/child/check-in", form)
		f.want(r, 200)
		if !bytes.Contains(r.body, []byte("Nothing has been saved")) {
			t.Errorf("not the page for nothing saved: %s", r.body)
		}
	}
	if n := len(f.checkIns().CheckIns); n != 2 {
		t.Errorf("%d check-ins after saying no, want 2", n)
	}
	// "I'd rather not", but with an advocate asked for: only the request is kept.
	r = kid.do("POST", "/child/check-in", url.Values{"csrf": {token}, "settled": {"no"}, "advocate": {"yes"}, "rather_not": {"yes"}})
	f.want(r, 303)
	if b := f.checkIns(); len(b.CheckIns) != 3 || b.CheckIns[2].Settled != "" || !b.CheckIns[2].Advocate || b.CheckIns[2].Way != "" {
		t.Errorf("rather not, with an advocate: %+v", b.CheckIns)
	}

	// Leaving locks the page.
	r = kid.do("POST", "/child/leave", url.Values{"csrf": {token}})
	f.want(r, 200)
	f.want(kid.do("GET", "/child/check-in", nil), 401)
	f.want(kid.do("POST", "/child/check-in", answers), 401)
	if logs := f.logs.String(); strings.Contains(logs, "pmc_") || strings.Contains(logs, "pms_") || strings.Contains(logs, "Seeing my nan") {
		t.Errorf("a secret or the child's words reached the logs:\n%s", logs)
	}
}

// TestCheckInAndOfferSessionsKeepApart: a check-in session never reads or writes an offer, an
// offer's session never reads or writes a check-in, and a session without a placement to check
// in about gets a kind page.
func TestCheckInAndOfferSessionsKeepApart(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.placeAmySince(10)
	offer, offerLink := f.makeOffer(f.amy.ID)
	checkInLink := f.checkInLink()
	offerKid, checkKid := f.visitor("198.51.100.20"), f.visitor("198.51.100.21")
	f.want(offerKid.do("POST", offerLink, nil), 303)
	f.want(checkKid.do("POST", checkInLink, nil), 303)

	offerPage := offerKid.do("GET", fmt.Sprintf("/child/offers/%d", offer.ID), nil)
	f.want(offerPage, 200)
	checkPage := checkKid.do("GET", "/child/check-in", nil)
	f.want(checkPage, 200)

	// The check-in session cannot see or change the offer.
	for _, p := range []string{"/child/offers/%d", "/child/offers/%d/json"} {
		r := checkKid.do("GET", fmt.Sprintf(p, offer.ID), nil)
		f.want(r, 404)
		if bytes.Contains(r.body, []byte("Choice")) {
			t.Errorf("the check-in session reads the offer at %s", p)
		}
	}
	r := checkKid.do("POST", fmt.Sprintf("/child/offers/%d", offer.ID), url.Values{"csrf": {csrfOf(t, checkPage)}, "choice": {"neither"}})
	f.want(r, 404)
	if f.offer("officer", offer.ID).ChildSay.Given {
		t.Error("a check-in session gave the child's say on the offer")
	}
	// The offer's session cannot see or write a check-in, even with its own form token.
	r = offerKid.do("GET", "/child/check-in", nil)
	f.want(r, 404)
	if bytes.Contains(r.body, []byte("how are things")) {
		t.Error("the offer's session reads the check-in page")
	}
	r = offerKid.do("POST", "/child/check-in", url.Values{"csrf": {csrfOf(t, offerPage)}, "safe": {"no"}})
	f.want(r, 404)
	// Nor can one session's form token be used by the other's page.
	r = checkKid.do("POST", "/child/check-in", url.Values{"csrf": {csrfOf(t, offerPage)}, "safe": {"no"}})
	f.want(r, 403)
	if n := len(f.checkIns().CheckIns); n != 0 {
		t.Fatalf("%d check-ins from the wrong session", n)
	}
	// Revoking the offer's links ends only the offer's session.
	f.want(f.do("officer", "DELETE", fmt.Sprintf("/v1/offers/%d/links", offer.ID), nil), 204)
	f.want(offerKid.do("GET", fmt.Sprintf("/child/offers/%d", offer.ID), nil), 401)
	f.want(checkKid.do("GET", "/child/check-in", nil), 200)

	// Amy leaves care: her check-in page says there is nothing to check in about, kindly.
	if _, err := f.store.MoveChild(context.Background(), catalogue.Everything, catalogue.Move{Child: f.amy.ID,
		On: catalogue.Day(f.store.Now()), Reason: catalogue.ReasonCarePlan}); err != nil {
		t.Fatal(err)
	}
	r = checkKid.do("GET", "/child/check-in", nil)
	f.want(r, 404)
	wantChildHeaders(t, r)
	if !bytes.Contains(r.body, []byte("There is no check-in for you just now")) || bytes.Contains(r.body, []byte("<form")) {
		t.Errorf("the page after leaving care: %s", r.body)
	}
}

// TestCheckInLinksAreRateLimited: opening check-in links shares the limit of every child's link.
func TestCheckInLinksAreRateLimited(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.restart(4) // 4 a minute, in bursts of 2
	f.placeAmySince(10)
	link := f.checkInLink()
	v := f.visitor("192.0.2.60")
	f.want(v.do("GET", "/c/pmc_GUESS1", nil), 404)
	f.want(v.do("GET", "/c/pmc_GUESS2", nil), 404)
	r := v.do("POST", link, nil)
	f.want(r, 429)
	if r.header.Get("Retry-After") == "" || len(v.cookies) != 0 {
		t.Errorf("429 without Retry-After, or with a session: %v %v", r.header, v.cookies)
	}
	// The link was not used up by the refused attempt: from another address it opens.
	f.want(f.visitor("192.0.2.61").do("POST", link, nil), 303)
}

// TestCheckInPageGolden renders the check-in page: as the child first sees it, with a mistake,
// and the thank-you after saving. The form token is replaced (it is random).
func TestCheckInPageGolden(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.placeAmySince(10)
	kid := f.visitor("203.0.113.40")
	f.want(kid.do("POST", f.checkInLink(), nil), 303)
	clean := func(b []byte) []byte { return csrfValue.ReplaceAll(b, []byte(`name="csrf" value="CSRF"`)) }
	page := kid.do("GET", "/child/check-in", nil)
	f.want(page, 200)
	golden.Check(t, "testdata/child-check-in.golden.html", clean(page.body))
	token := csrfOf(t, page)
	bad := kid.do("POST", "/child/check-in", url.Values{"csrf": {token}, "way": {"faces"}, "settled": {"sort_of"}, "safe": {"very"},
		"would_help": {strings.Repeat("ab ", 400)}})
	f.want(bad, 400)
	golden.Check(t, "testdata/child-check-in-mistakes.golden.html", clean(bad.body))
	f.want(kid.do("POST", "/child/check-in", url.Values{"csrf": {token}, "way": {"faces"}, "settled": {"sort_of"}, "safe": {"yes"},
		"seeing": {"no"}, "would_help": {"Seeing my brother at weekends."}, "advocate": {"yes"}}), 303)
	saved := kid.do("GET", "/child/check-in?saved=1", nil)
	f.want(saved, 200)
	golden.Check(t, "testdata/child-check-in-saved.golden.html", clean(saved.body))
}
