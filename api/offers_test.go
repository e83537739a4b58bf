package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/scoring"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// offerFixture is the API fixture with three more homes near Amy, a clock that runs (links and
// sessions expire in real time, as the store sees it), and every log line kept.
type offerFixture struct {
	*fixture
	tt    *testing.T
	logs  *syncBuffer
	homes []catalogue.Placement
}

// newOfferFixture is the fixture with three more homes, on store, or on the embedded store
// (from sqliteFixture's copy) when store is nil.
func newOfferFixture(t *testing.T, store *sqlstore.Store) *offerFixture {
	t.Helper()
	var base *fixture
	if store == nil {
		base = sqliteFixture(t)
	} else {
		base = newFixture(t, store)
	}
	f := &offerFixture{fixture: base, tt: t, logs: &syncBuffer{}}
	f.homes = append(f.homes,
		f.addHome("Patel household", 53.47, -2.26, 1, func(p *catalogue.Placement) {
			p.AreaName = "Fallowfield"
			p.Household.Carers = []catalogue.Carer{{FirstName: "Priya"}, {FirstName: "Dev"}}
			p.Household.Members = []catalogue.Member{{FirstName: "Asha", Age: 12, Sex: catalogue.Female, Role: catalogue.MemberCarersChild}}
			p.Household.Pets = []catalogue.Animal{catalogue.AnimalDog}
			p.Skills = []catalogue.Skill{catalogue.SkillTraumaInformed}
			p.Profile = "We love baking and walks in the park. Post can go to 12 Oak Road, M14 5AB."
		}),
		f.addHome("Jones household", 53.49, -2.22, 1, func(p *catalogue.Placement) {
			p.AreaName = "Levenshulme"
			p.Household.Carers = []catalogue.Carer{{FirstName: "Sam"}}
			p.Household.Members = []catalogue.Member{{Age: 9, Sex: catalogue.Male, Role: catalogue.MemberPlacedChild}}
			p.Household.Pets = []catalogue.Animal{catalogue.AnimalCat}
			p.Skills = []catalogue.Skill{catalogue.SkillTraumaInformed, catalogue.SkillLearning}
			p.Profile = "I have fostered for ten years and I am a good listener."
		}),
		f.addHome("Smith household", 53.52, -2.30, 1, func(p *catalogue.Placement) {
			p.AreaName = "Prestwich"
			p.Household.Carers = []catalogue.Carer{{FirstName: "Jo"}}
		}),
	)
	f.restart(0)
	return f
}

// restart builds the handler again, with the limit on link attempts given (0: the default).
func (f *offerFixture) restart(linkAttempts int) {
	f.t.Helper()
	log := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := api.New(api.Config{Store: f.store, Matcher: f.engine, Logger: log, Now: f.store.Now,
		Settings: api.Settings{LinkAttemptsPerMinute: linkAttempts, AllowedHosts: []string{"example.com"}, RequestTimeout: testRequestTimeout}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.h = h
}

type offerBody struct {
	ID             int64  `json:"id"`
	Child          int64  `json:"child"`
	ChildFirstName string `json:"child_first_name"`
	Status         string `json:"status"`
	Version        int    `json:"version"`
	Options        []struct {
		Rank      int    `json:"rank"`
		Role      string `json:"role"`
		Withdrawn bool   `json:"withdrawn"`
		Placement struct {
			ID       int64  `json:"id"`
			Name     string `json:"name"`
			AreaName string `json:"area_name"`
		} `json:"placement"`
		Score   float64 `json:"score"`
		Factors []struct {
			Factor string `json:"factor"`
			Reason string `json:"reason"`
		} `json:"factors"`
		ChildPrefers bool `json:"child_prefers"`
	} `json:"options"`
	ChildSay struct {
		Given             bool   `json:"given"`
		Preference        int64  `json:"preference"`
		Neither           bool   `json:"neither"`
		InOwnWords        string `json:"in_own_words"`
		AdvocateRequested bool   `json:"advocate_requested"`
	} `json:"child_say"`
	ReasonNeededFor map[string]string `json:"reason_needed_for"`
	Decision        *struct {
		Outcome   string  `json:"outcome"`
		Placement int64   `json:"placement"`
		Reason    string  `json:"reason"`
		Filled    []int64 `json:"filled_vacancies"`
	} `json:"decision"`
	Links []struct {
		Live bool `json:"live"`
	} `json:"links"`
}

func (o offerBody) roles() (choices, backups []int64) {
	for _, op := range o.Options {
		switch {
		case op.Withdrawn:
		case op.Role == "choice":
			choices = append(choices, op.Placement.ID)
		default:
			backups = append(backups, op.Placement.ID)
		}
	}
	return choices, backups
}

func (f *offerFixture) offer(who string, id int64) offerBody {
	f.t.Helper()
	r := f.do(who, "GET", "/v1/offers/"+strconv.FormatInt(id, 10), nil)
	f.want(r, 200)
	var o offerBody
	r.json(f.tt, &o)
	return o
}

// makeOffer offers Amy her options and sends them; it returns the offer and the link.
func (f *offerFixture) makeOffer(child catalogue.ChildID) (offerBody, string) {
	f.t.Helper()
	r := f.do("officer", "POST", "/v1/children/"+id(child)+"/offers", nil)
	f.want(r, 201)
	var o offerBody
	r.json(f.tt, &o)
	r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/send", o.ID), map[string]any{"expires_in_days": 7})
	f.want(r, 201)
	var sent struct {
		Link struct {
			URL string `json:"url"`
		} `json:"link"`
		Offer offerBody `json:"offer"`
	}
	r.json(f.tt, &sent)
	u, err := url.Parse(sent.Link.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/c/pmc_") {
		f.t.Fatalf("link %q", sent.Link.URL)
	}
	return sent.Offer, u.Path
}

// visitor is a browser without a browser: it keeps cookies and comes from one address.
type visitor struct {
	t       *testing.T
	h       func() http.Handler
	ip      string
	cookies map[string]*http.Cookie
}

func (f *offerFixture) visitor(ip string) *visitor {
	return &visitor{t: f.tt, h: func() http.Handler { return f.h }, ip: ip, cookies: map[string]*http.Cookie{}}
}

func (v *visitor) do(method, path string, form url.Values, headers ...string) response {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = v.ip + ":50000"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for _, c := range v.cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	v.h().ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(v.cookies, c.Name)
		} else {
			v.cookies[c.Name] = c
		}
	}
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, r response) string {
	t.Helper()
	m := csrfField.FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("no form token in the page: %s", r.body)
	}
	return string(m[1])
}

// wantChildHeaders checks the headers every response to a child carries.
func wantChildHeaders(t *testing.T, r response) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

// noPlaceGiven checks a response to a child has no address, postcode, coordinates or
// location-like field.
func noPlaceGiven(t *testing.T, what string, body []byte, homes []catalogue.Placement) {
	t.Helper()
	s := string(body)
	for _, bad := range []string{"Oak Road", "M14 5AB", "M14", `"lat"`, `"lng"`, "latitude", "longitude", "location", "address", "postcode"} {
		if strings.Contains(strings.ToLower(s), strings.ToLower(bad)) {
			t.Errorf("%s contains %q", what, bad)
		}
	}
	for _, h := range homes {
		for _, x := range []float64{h.Location.Lat, h.Location.Lng} {
			for _, prec := range []int{1, 2, 3, 4} {
				if n := strconv.FormatFloat(x, 'f', prec, 64); strings.Contains(s, n) {
					t.Errorf("%s contains the coordinate %s of %s", what, n, h.Name)
				}
			}
		}
	}
	if regexp.MustCompile(`-?\d{1,2}\.\d{3,}`).MatchString(s) {
		t.Errorf("%s contains something like a coordinate: %s", what, regexp.MustCompile(`-?\d{1,2}\.\d{3,}`).FindString(s))
	}
}

func TestOfferAndChildPage(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	o, link := f.makeOffer(f.amy.ID)
	choices, backups := o.roles()
	if o.Status != "sent" || len(choices) != 2 || len(backups) != 1 || o.ChildFirstName != "Amy" {
		t.Fatalf("offer %+v", o)
	}
	for _, op := range o.Options {
		if len(op.Factors) != len(catalogue.Factors) || op.Factors[0].Reason == "" || op.Placement.Name == "" {
			t.Errorf("option without its reasons: %+v", op)
		}
	}
	// Scoped: Leeds cannot see it, and the list is the council's.
	f.want(f.do("leedsOfficer", "GET", fmt.Sprintf("/v1/offers/%d", o.ID), nil), 404)
	var list struct{ Items []offerBody }
	r := f.do("leedsOfficer", "GET", "/v1/offers", nil)
	f.want(r, 200)
	r.json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("Leeds lists %d offers of Manchester", len(list.Items))
	}
	r = f.do("officer", "GET", "/v1/offers?status=sent", nil)
	f.want(r, 200)
	r.json(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != o.ID {
		t.Errorf("Manchester's sent offers: %+v", list.Items)
	}

	// The child opens the link: a session cookie and a 303 to an address without the token.
	kid := f.visitor("203.0.113.7")
	r = kid.do("POST", link, nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("opening the link: %d %s", r.status, r.body)
	}
	wantChildHeaders(t, r)
	loc := r.header.Get("Location")
	if loc != fmt.Sprintf("/child/offers/%d", o.ID) || strings.Contains(loc, "pmc_") {
		t.Fatalf("redirected to %q", loc)
	}
	ck := kid.cookies["placematch_child"]
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge <= 0 {
		t.Fatalf("session cookie %+v", ck)
	}
	if strings.Contains(ck.Value, strings.TrimPrefix(link, "/c/")) {
		t.Error("the cookie carries the link's token")
	}
	// The link opens once: a second device gets the kind message.
	other := f.visitor("203.0.113.8")
	r = other.do("POST", link, nil)
	f.want(r, 404)
	wantChildHeaders(t, r)
	if !bytes.Contains(r.body, []byte("This link does not work any more")) || bytes.Contains(r.body, []byte("Amy")) {
		t.Errorf("second opening: %s", r.body)
	}
	// The child, with their cookie, is sent back to their page.
	r = kid.do("POST", link, nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != loc {
		t.Errorf("reopening with the session: %d %q", r.status, r.header.Get("Location"))
	}

	page := kid.do("GET", loc, nil)
	f.want(page, 200)
	wantChildHeaders(t, page)
	if ct := page.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	html := string(page.body)
	for _, want := range []string{`<html lang="en-GB">`, "Amy, here are homes you could live in", "Choice 1", "Choice 2",
		"Tell us what you think", `for="words"`, `<link rel="stylesheet" href="/child/style.css">`} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "style=") {
		t.Error("the page has a script or an inline style")
	}
	noPlaceGiven(t, "the child's page", page.body, append(f.homes, f.place))
	js := kid.do("GET", loc+"/json", nil)
	f.want(js, 200)
	wantChildHeaders(t, js)
	noPlaceGiven(t, "the child's JSON", js.body, append(f.homes, f.place))
	var view struct {
		FirstName string `json:"first_name"`
		Choices   []struct {
			Value string `json:"value"`
			Title string `json:"title"`
			Area  string `json:"area"`
		} `json:"choices"`
	}
	js.json(t, &view)
	if view.FirstName != "Amy" || len(view.Choices) != 2 || view.Choices[0].Value != strconv.FormatInt(choices[0], 10) {
		t.Fatalf("child's view %+v", view)
	}
	if f.offer("officer", o.ID).Status != "viewed" {
		t.Error("the offer is not viewed after the child opened it")
	}

	// A form without its token is refused, and so is one from another site.
	r = kid.do("POST", loc, url.Values{"choice": {view.Choices[1].Value}})
	f.want(r, 403)
	token := csrfOf(t, page)
	r = kid.do("POST", loc, url.Values{"csrf": {token}, "choice": {view.Choices[1].Value}}, "Sec-Fetch-Site", "cross-site")
	f.want(r, 403)
	// Mistakes are shown next to the field, nothing is saved.
	r = kid.do("POST", loc, url.Values{"csrf": {token}, "words": {strings.Repeat("a", 2001)}})
	f.want(r, 400)
	for _, want := range []string{`href="#choice-` + view.Choices[0].Value + `"`, `id="choice-error"`, `id="words-error"`, `aria-describedby="words-hint words-error"`, `aria-invalid="true"`} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("the page with mistakes lacks %s", want)
		}
	}
	if f.offer("officer", o.ID).ChildSay.Given {
		t.Error("a form with mistakes was saved")
	}
	r = kid.do("POST", loc, url.Values{"csrf": {token}, "choice": {"999999"}})
	f.want(r, 400)

	// The child picks choice 2, asks for an advocate, and says what matters.
	r = kid.do("POST", loc, url.Values{"csrf": {token}, "choice": {view.Choices[1].Value}, "words": {"I want to keep my dog\r\nand my school"}, "advocate": {"yes"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != loc+"?saved=1" {
		t.Fatalf("saving: %d %s", r.status, r.body)
	}
	page = kid.do("GET", loc+"?saved=1", nil)
	if !bytes.Contains(page.body, []byte("Thank you, we have saved your answer")) || !bytes.Contains(page.body, []byte("You chose this home")) ||
		!bytes.Contains(page.body, []byte(`value="`+view.Choices[1].Value+`" checked`)) || !bytes.Contains(page.body, []byte(`name="advocate" value="yes" aria-describedby="advocate-hint" checked`)) {
		t.Errorf("the page after saving does not show the answer: %s", page.body)
	}
	got := f.offer("officer", o.ID)
	if got.Status != "preference_given" || got.ChildSay.Preference != choices[1] || !got.ChildSay.AdvocateRequested ||
		got.ChildSay.InOwnWords != "I want to keep my dog\nand my school" {
		t.Fatalf("officer sees %+v", got.ChildSay)
	}
	if why := got.ReasonNeededFor[strconv.FormatInt(choices[0], 10)]; !strings.Contains(why, "not the home the child preferred") {
		t.Errorf("accepting the top choice should need a reason now: %q", why)
	}

	// The officer decides: the top choice against the child's preference needs a reason.
	dec := map[string]any{"version": got.Version, "outcome": "accepted", "placement": choices[0]}
	r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), dec)
	f.want(r, 400)
	wantField(t, r, "reason")
	dec["reason"] = "Choice 2 cannot keep Amy at her school."
	r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), dec)
	f.want(r, 200)
	var decided offerBody
	r.json(t, &decided)
	if decided.Status != "accepted" || decided.Decision == nil || decided.Decision.Reason != dec["reason"] || len(decided.Decision.Filled) != 1 {
		t.Fatalf("decided %+v", decided)
	}
	// The place is filled and the matcher knows it at once.
	if _, in := f.engine.Snapshot().Placement(catalogue.PlacementID(choices[0])); in {
		t.Error("the matcher still offers the home just filled")
	}
	// The same decision again is a conflict and changes nothing.
	dec["version"] = decided.Version
	f.want(f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), dec), 409)

	// The child sees the decision and can no longer change their answer.
	page = kid.do("GET", loc, nil)
	if !bytes.Contains(page.body, []byte("The placement team at your council decided on")) || bytes.Contains(page.body, []byte(`name="choice"`)) {
		t.Errorf("the page after the decision: %s", page.body)
	}
	r = kid.do("POST", loc, url.Values{"csrf": {token}, "choice": {"neither"}})
	f.want(r, 400)
	if f.offer("officer", o.ID).ChildSay.Neither {
		t.Error("the child's say changed after the decision")
	}

	r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/placed", o.ID), map[string]any{"version": decided.Version})
	f.want(r, 200)
	if f.offer("officer", o.ID).Status != "placed" {
		t.Error("not placed")
	}

	// Every read and change is audited, the child's own views included.
	var audit struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	r = f.do("admin", "GET", fmt.Sprintf("/v1/audit?subject=offer:%d&limit=500", o.ID), nil)
	f.want(r, 200)
	r.json(t, &audit)
	seen := map[string]bool{}
	for _, e := range audit.Items {
		seen[e.Action] = true
	}
	for _, a := range []string{"create", "send", "read", "child_open_link", "child_view", "child_say", "decide", "placed"} {
		if !seen[a] {
			t.Errorf("the audit log of the offer has no %q", a)
		}
	}

	// Leaving locks the page.
	r = kid.do("POST", "/child/leave", url.Values{"csrf": {token}})
	f.want(r, 200)
	if !bytes.Contains(r.body, []byte("You have left your page")) {
		t.Errorf("leaving: %s", r.body)
	}
	f.want(kid.do("GET", loc, nil), 401)

	// No token ever reached the logs.
	logs := f.logs.String()
	if strings.Contains(logs, "pmc_") || strings.Contains(logs, "pms_") || strings.Contains(logs, strings.TrimPrefix(link, "/c/")) {
		t.Errorf("a token reached the logs:\n%s", logs)
	}
	if !strings.Contains(logs, `"route":"/c/:token"`) {
		t.Errorf("the logs lack the link's route template:\n%s", logs)
	}
}

// TestChildSessionSeesOnlyTheirOffer: one child's session cannot read another child's offer.
func TestChildSessionSeesOnlyTheirOffer(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	ben, err := f.store.CreateChild(context.Background(), catalogue.Everything, childIn(manchester, "Ben"))
	if err != nil {
		t.Fatal(err)
	}
	amyOffer, amyLink := f.makeOffer(f.amy.ID)
	benOffer, benLink := f.makeOffer(ben.ID)
	amy, benV := f.visitor("198.51.100.1"), f.visitor("198.51.100.2")
	f.want(amy.do("POST", amyLink, nil), 303)
	f.want(benV.do("POST", benLink, nil), 303)
	for _, path := range []string{"/child/offers/%d", "/child/offers/%d/json"} {
		r := benV.do("GET", fmt.Sprintf(path, amyOffer.ID), nil)
		f.want(r, 404)
		if bytes.Contains(r.body, []byte("Amy")) {
			t.Errorf("Ben's session reads Amy's offer at %s", path)
		}
		f.want(benV.do("GET", fmt.Sprintf(path, benOffer.ID), nil), 200)
	}
	r := benV.do("GET", fmt.Sprintf("/child/offers/%d", benOffer.ID), nil)
	token := csrfOf(t, r)
	r = benV.do("POST", fmt.Sprintf("/child/offers/%d", amyOffer.ID), url.Values{"csrf": {token}, "choice": {"neither"}})
	f.want(r, 404)
	if f.offer("officer", amyOffer.ID).ChildSay.Given {
		t.Error("Ben's session changed Amy's say")
	}
	// Without a session, or with a forged cookie, nothing is shown.
	stranger := f.visitor("198.51.100.3")
	f.want(stranger.do("GET", fmt.Sprintf("/child/offers/%d", amyOffer.ID), nil), 401)
	stranger.cookies["placematch_child"] = &http.Cookie{Name: "placematch_child", Value: "pms_FORGEDFORGEDFORGEDFORGED12"}
	r = stranger.do("GET", fmt.Sprintf("/child/offers/%d", amyOffer.ID), nil)
	f.want(r, 401)
	if bytes.Contains(r.body, []byte("Amy")) {
		t.Error("a forged cookie shows Amy's page")
	}
}

// TestExpiredAndRevokedLinks: a link that no longer works shows a kind message and nothing else.
func TestExpiredAndRevokedLinks(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	o, link := f.makeOffer(f.amy.ID)
	f.want(f.do("leedsOfficer", "DELETE", fmt.Sprintf("/v1/offers/%d/links", o.ID), nil), 404)
	f.want(f.do("officer", "DELETE", fmt.Sprintf("/v1/offers/%d/links", o.ID), nil), 204)
	kind := func(r response) {
		t.Helper()
		f.want(r, 404)
		wantChildHeaders(t, r)
		body := string(r.body)
		if !strings.Contains(body, "This link does not work any more") || !strings.Contains(body, "Ask your social worker") {
			t.Errorf("not the kind message: %s", body)
		}
		for _, leak := range []string{"Amy", "Choice", "household", "<form", "<script"} {
			if strings.Contains(body, leak) {
				t.Errorf("the kind message shows %q", leak)
			}
		}
	}
	kind(f.visitor("192.0.2.1").do("POST", link, nil))
	for _, l := range f.offer("officer", o.ID).Links {
		if l.Live {
			t.Error("a link is live after revoking")
		}
	}

	// Expired: a link that runs out before it is opened.
	token, hash := catalogue.NewSecret("pmc_")
	if _, _, err := f.store.SendOffer(context.Background(), catalogue.Everything, catalogue.OfferID(o.ID),
		catalogue.ChildLink{Hash: hash, ExpiresAt: f.store.Now().Add(200 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	sqltest.Clock(t, f.store).Advance(300 * time.Millisecond)
	kind(f.visitor("192.0.2.2").do("GET", "/c/"+token, nil))
	// Unknown and malformed tokens get the same message.
	kind(f.visitor("192.0.2.3").do("GET", "/c/pmc_NOTATOKENNOTATOKENNOTATOKEN", nil))
	kind(f.visitor("192.0.2.3").do("GET", "/c/"+strings.Repeat("x", 300), nil))

	// Withdrawing an offer ends the child's session too: the page shows the kind message.
	f.want(f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/withdraw", o.ID), map[string]any{"version": f.offer("officer", o.ID).Version, "reason": "Plans changed."}), 200)
	o2, link2 := f.makeOffer(f.amy.ID)
	kid := f.visitor("192.0.2.4")
	f.want(kid.do("POST", link2, nil), 303)
	f.want(kid.do("GET", fmt.Sprintf("/child/offers/%d", o2.ID), nil), 200)
	f.want(f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/withdraw", o2.ID), map[string]any{"version": f.offer("officer", o2.ID).Version, "reason": "Plans changed again."}), 200)
	r := kid.do("GET", fmt.Sprintf("/child/offers/%d", o2.ID), nil)
	f.want(r, 401)
	if !bytes.Contains(r.body, []byte("Your time on this page has ended")) || bytes.Contains(r.body, []byte("Amy")) {
		t.Errorf("the page of a withdrawn offer: %s", r.body)
	}
}

// TestLinkAttemptsAreRateLimited: attempts to open links are limited per address, and a spoofed
// X-Forwarded-For does not get round it (no proxy is trusted).
func TestLinkAttemptsAreRateLimited(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.restart(4) // 4 a minute, in bursts of 2
	v := f.visitor("192.0.2.50")
	statuses := []int{}
	for i := range 4 {
		r := v.do("GET", "/c/pmc_GUESS"+strconv.Itoa(i), nil, "X-Forwarded-For", fmt.Sprintf("10.0.0.%d", i))
		statuses = append(statuses, r.status)
		if r.status == http.StatusTooManyRequests {
			wantChildHeaders(t, r)
			if r.header.Get("Retry-After") == "" || !bytes.Contains(r.body, []byte("Please wait a minute")) {
				t.Errorf("429 without Retry-After or its kind message: %s", r.body)
			}
		}
	}
	if fmt.Sprint(statuses) != "[404 404 429 429]" {
		t.Errorf("statuses %v, want two tries then 429", statuses)
	}
	// Another address is not held up.
	f.want(f.visitor("192.0.2.51").do("GET", "/c/pmc_GUESS", nil), 404)
}

func TestOfferInputAndReplacement(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	path := "/v1/children/" + id(f.amy.ID) + "/offers"
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]any{"placements": []int64{-1}}, "placements[0]"},
		{map[string]any{"placements": []int64{999999}}, "placements[0]"},
		{map[string]any{"placements": []int64{int64(f.homes[0].ID), int64(f.homes[0].ID)}}, "placements[1]"},
		{map[string]any{"placements": []int64{1, 2, 3, 4, 5, 6}}, "placements"},
		{map[string]any{"placements": "one"}, "placements"},
		{map[string]any{"choices": []int64{1}}, "choices"},
	} {
		r := f.do("officer", "POST", path, c.body)
		f.want(r, 400)
		wantField(t, r, c.field)
	}
	// A home that breaks a hard constraint is refused, saying which.
	tooYoung := f.addHome("Baby household", 53.48, -2.25, 1, func(p *catalogue.Placement) { p.Approval.MaxAge = 4 })
	r := f.do("officer", "POST", path, map[string]any{"placements": []int64{int64(tooYoung.ID)}})
	f.want(r, 400)
	wantField(t, r, "placements[0]")
	if p := r.problem(t); !strings.Contains(p.Detail, "age") {
		t.Errorf("refusal does not say why: %s", p.Detail)
	}
	f.want(f.do("leedsOfficer", "POST", path, nil), 404)
	var n struct{ Items []any }
	r = f.do("officer", "GET", "/v1/offers", nil)
	r.json(t, &n)
	if len(n.Items) != 0 {
		t.Fatalf("refused requests stored %d offers", len(n.Items))
	}

	// The officer names the homes: the first two are choices, in the officer's order.
	named := []int64{int64(f.homes[2].ID), int64(f.homes[1].ID), int64(f.homes[0].ID)}
	r = f.do("officer", "POST", path, map[string]any{"placements": named})
	f.want(r, 201)
	var o offerBody
	r.json(t, &o)
	choices, backups := o.roles()
	if fmt.Sprint(choices) != fmt.Sprint(named[:2]) || fmt.Sprint(backups) != fmt.Sprint(named[2:]) {
		t.Fatalf("choices %v, back-ups %v; want %v then %v", choices, backups, named[:2], named[2:])
	}
	f.want(f.do("officer", "POST", path, nil), 409) // one open offer per child

	// Bad decisions name their field.
	dpath := fmt.Sprintf("/v1/offers/%d/decision", o.ID)
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"outcome": "accepted", "placement": named[0]}, "version"},
		{map[string]any{"version": o.Version, "outcome": "maybe"}, "outcome"},
		{map[string]any{"version": o.Version, "outcome": "accepted", "placement": 123456, "reason": "x"}, "placement"},
		{map[string]any{"version": o.Version, "outcome": "declined"}, "reason"},
		{map[string]any{"version": o.Version, "outcome": "accepted", "placement": named[0], "reason": strings.Repeat("x", 2001)}, "reason"},
	} {
		r := f.do("officer", "POST", dpath, c.body)
		f.want(r, 400)
		wantField(t, r, c.field)
	}

	// Choice 1 falls through: the back-up becomes a choice and another home whose provider
	// agreed (the fixture's own) joins as back-up.
	f.agree(catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin}), f.amy.ID, nil, []catalogue.PlacementID{f.place.ID})
	wpath := fmt.Sprintf("/v1/offers/%d/options/%d/withdraw", o.ID, named[0])
	f.want(f.do("officer", "POST", wpath, map[string]any{"version": o.Version}), 400)
	r = f.do("officer", "POST", wpath, map[string]any{"version": o.Version, "reason": "The carers have had to say no."})
	f.want(r, 200)
	r.json(t, &o)
	choices, backups = o.roles()
	if fmt.Sprint(choices) != fmt.Sprint(named[1:]) || len(backups) != 1 {
		t.Fatalf("after the choice fell through: choices %v, back-ups %v", choices, backups)
	}
	for _, have := range named {
		if backups[0] == have {
			t.Errorf("the new back-up %d was already in the offer", backups[0])
		}
	}
	f.want(f.do("officer", "POST", wpath, map[string]any{"version": o.Version, "reason": "again"}), 400)

	// Withdrawing the offer needs a reason; then the child can have a new one.
	r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/withdraw", o.ID), map[string]any{"version": o.Version})
	f.want(r, 400)
	wantField(t, r, "reason")
	f.want(f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/withdraw", o.ID), map[string]any{"version": o.Version, "reason": "Amy is going home."}), 200)
	f.want(f.do("officer", "POST", path, nil), 201)
}

// TestOfficersAcceptTheLastPlaceAtOnce: many officers accept the same last place at once over
// HTTP, each for their own child: it is filled exactly once, on both backends.
func TestOfficersAcceptTheLastPlaceAtOnce(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		const officers = 16
		f := newOfferFixture(t, st)
		ctx := context.Background()
		last := f.homes[0].ID
		var offers []offerBody
		for i := range officers {
			c, err := st.CreateChild(ctx, catalogue.Everything, childIn(manchester, "Child"+strconv.Itoa(i)))
			if err != nil {
				t.Fatal(err)
			}
			offers = append(offers, f.storedOffer(c.ID, last))
		}
		statuses := make([]int, officers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, o := range offers {
			wg.Go(func() {
				<-start
				body, _ := json.Marshal(map[string]any{"version": o.Version, "outcome": "accepted", "placement": last,
					"reason": "The child was not asked: an emergency."})
				req := httptest.NewRequest("POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
				w := httptest.NewRecorder()
				f.h.ServeHTTP(w, req)
				statuses[i] = w.Code
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, code := range statuses {
			switch code {
			case 200:
				won++
			case 409:
			default:
				t.Errorf("officer %d: status %d", i, code)
			}
		}
		if won != 1 {
			t.Fatalf("%d officers got the last place, want 1 (statuses %v)", won, statuses)
		}
		p, err := st.Placement(ctx, catalogue.Everything, last)
		if err != nil {
			t.Fatal(err)
		}
		filled := 0
		for _, v := range p.Vacancies {
			if v.Status == catalogue.VacancyFilled {
				filled++
			}
		}
		if filled != 1 {
			t.Errorf("%d places filled, want 1", filled)
		}
	})
}

// TestChildCookieOverTLS: over TLS the session cookie is Secure, with the __Host- prefix, and
// the page asks browsers to keep to HTTPS.
func TestChildCookieOverTLS(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	_, link := f.makeOffer(f.amy.ID)
	req := httptest.NewRequest("POST", "https://placematch.example"+link, nil)
	req.RemoteAddr = "203.0.113.9:40000"
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	c := cookies[0]
	if c.Name != "__Host-placematch_child" || !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie over TLS: %+v", c)
	}
	if hsts := w.Header().Get("Strict-Transport-Security"); hsts == "" {
		t.Error("no Strict-Transport-Security over TLS")
	}
	req = httptest.NewRequest("GET", "https://placematch.example"+w.Header().Get("Location"), nil)
	req.AddCookie(c)
	w = httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Amy, here are homes") {
		t.Errorf("the page over TLS: %d", w.Code)
	}
}

// TestSecretsAreNeverReplayed: a response that carries a secret shown once (a child's link, an
// API token) is not kept for Idempotency-Key retries, which would store the secret in clear: a
// retry acts again and gets a new secret.
func TestSecretsAreNeverReplayed(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/offers", nil)
	f.want(r, 201)
	var o offerBody
	r.json(t, &o)
	var urls []string
	for range 2 {
		r := f.doWithKey("officer", "POST", fmt.Sprintf("/v1/offers/%d/send", o.ID), "send-once", map[string]any{})
		f.want(r, 201)
		if r.header.Get("Idempotency-Replayed") != "" || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("the link's response: replayed %q, Cache-Control %q", r.header.Get("Idempotency-Replayed"), r.header.Get("Cache-Control"))
		}
		var sent struct {
			Link struct {
				URL string `json:"url"`
			} `json:"link"`
		}
		r.json(t, &sent)
		urls = append(urls, sent.Link.URL)
	}
	if urls[0] == urls[1] || urls[0] == "" {
		t.Errorf("a retry replayed the link: %v", urls)
	}
	var secrets []string
	for range 2 {
		r := f.doWithKey("admin", "POST", "/v1/tokens", "token-once", map[string]any{"role": "commissioner", "label": "x"})
		f.want(r, 201)
		var tok struct {
			Token string `json:"token"`
		}
		r.json(t, &tok)
		secrets = append(secrets, tok.Token)
	}
	if secrets[0] == secrets[1] || secrets[0] == "" {
		t.Errorf("a retry replayed the token: %v", secrets)
	}
	// Other POSTs are still replayed.
	body := map[string]any{"version": f.offer("officer", o.ID).Version, "reason": "Plans changed."}
	first := f.doWithKey("officer", "POST", fmt.Sprintf("/v1/offers/%d/withdraw", o.ID), "withdraw-once", body)
	again := f.doWithKey("officer", "POST", fmt.Sprintf("/v1/offers/%d/withdraw", o.ID), "withdraw-once", body)
	if first.status != 200 || again.status != 200 || again.header.Get("Idempotency-Replayed") != "true" {
		t.Errorf("withdraw with a key: %d then %d (replayed %q): %s", first.status, again.status, again.header.Get("Idempotency-Replayed"), again.body)
	}
}

// TestAcceptKeepsTheHouseholdRules: a home with two places, offered to two children; once one
// is accepted there, the other, who must be the only child in a home, cannot be accepted there
// (409 naming the placement, in plain words, nothing changed), and their options no longer
// offer it. On both backends.
func TestAcceptKeepsTheHouseholdRules(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newOfferFixture(t, st)
		ctx := context.Background()
		shared := f.addHome("Shared household", 53.475, -2.245, 2, nil)
		ben := childIn(manchester, "Ben")
		solo := childIn(manchester, "Sol")
		solo.Companions = catalogue.CompanionsSolo
		// offerEach makes an offer of home to each child, new in the store.
		offerEach := func(home catalogue.PlacementID, children ...catalogue.Child) []offerBody {
			var out []offerBody
			for _, c := range children {
				c, err := st.CreateChild(ctx, catalogue.Everything, c)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, f.storedOffer(c.ID, home))
			}
			return out
		}
		offers := offerEach(shared.ID, ben, solo)
		accept := func(o offerBody) response {
			return f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), map[string]any{"version": o.Version,
				"outcome": "accepted", "placement": shared.ID, "reason": "The child was not asked: an emergency."})
		}
		f.want(accept(offers[0]), 200)
		r := accept(offers[1])
		f.want(r, 409)
		wantField(t, r, "placement")
		if p := r.problem(t); !strings.Contains(p.Detail, "Sol needs to be the only child in the home; one other child lives here.") {
			t.Errorf("the refusal does not say why in plain words: %s", p.Detail)
		}
		p, err := st.Placement(ctx, catalogue.Everything, shared.ID)
		if err != nil {
			t.Fatal(err)
		}
		free := p.OpenVacancies(today.AddDate(0, 0, 30))
		if free != 1 {
			t.Errorf("after the refusal %d places are free, want 1", free)
		}
		var o offerBody
		r = f.do("officer", "GET", fmt.Sprintf("/v1/offers/%d", offers[1].ID), nil)
		f.want(r, 200)
		r.json(t, &o)
		if o.Status == string(catalogue.OfferAccepted) || o.Version != offers[1].Version {
			t.Errorf("the refused offer changed: %+v", o)
		}
		// The search sees Ben there now, and says so.
		var opts struct {
			Options []struct {
				Placement struct{ ID int64 }
			}
			Shortfall struct {
				Rejected []struct{ Constraint, Example string }
			}
		}
		r = f.do("officer", "POST", fmt.Sprintf("/v1/children/%d/options", o.Child), nil)
		f.want(r, 200)
		r.json(t, &opts)
		for _, op := range opts.Options {
			if op.Placement.ID == int64(shared.ID) {
				t.Errorf("the shared household is still offered to a child who must live alone")
			}
		}
		found := false
		for _, rj := range opts.Shortfall.Rejected {
			found = found || rj.Constraint == string(scoring.ConstraintCompanions)
		}
		if !found {
			t.Errorf("the shortfall does not count the home Ben lives in now: %+v", opts.Shortfall.Rejected)
		}

		// Two officers accept the same two-place home at the same moment, for a child and for one
		// who must live alone: the check runs in the accepting transaction, so one wins and the
		// other is refused, whichever comes first.
		for round := range 5 {
			home := f.addHome("Race household "+strconv.Itoa(round), 53.476, -2.246, 2, nil)
			race := offerEach(home.ID, childIn(manchester, "Ann"), solo)
			codes := make([]int, len(race))
			var wg sync.WaitGroup
			for i, o := range race {
				wg.Go(func() {
					body, _ := json.Marshal(map[string]any{"version": o.Version, "outcome": "accepted", "placement": home.ID,
						"reason": "The child was not asked: an emergency."})
					req := httptest.NewRequest("POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
					w := httptest.NewRecorder()
					f.h.ServeHTTP(w, req)
					codes[i] = w.Code
				})
			}
			wg.Wait()
			if slices.Sort(codes); fmt.Sprint(codes) != "[200 409]" {
				t.Fatalf("round %d: statuses %v, want one 200 and one 409", round, codes)
			}
		}
	})
}

// TestWithdrawReasonNamed: a reason too long to keep is 400 naming reason, the field the caller
// sent, not the stored field it becomes (found by scripts/attack).
func TestWithdrawReasonNamed(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	o, _ := f.makeOffer(f.amy.ID)
	long := strings.Repeat("x", catalogue.MaxReasonLen+1)
	for _, path := range []string{fmt.Sprintf("/v1/offers/%d/withdraw", o.ID),
		fmt.Sprintf("/v1/offers/%d/options/%d/withdraw", o.ID, o.Options[0].Placement.ID)} {
		r := f.do("officer", "POST", path, map[string]any{"version": o.Version, "reason": long})
		f.want(r, 400)
		wantField(t, r, "reason")
	}
}
