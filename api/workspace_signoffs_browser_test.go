package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
)

// journey drives one person's pages in the browser with the keyboard only: the browser, the
// server it signed in to, and the account signed in.
type journey struct {
	t       *testing.T
	ctx     context.Context
	srv     *httptest.Server
	account catalogue.Account
}

// check: nothing scrolls sideways at 320px, and axe-core finds nothing.
func (j journey) check(what string) {
	j.t.Helper()
	noOverflow(j.t, j.ctx, what+" at 320px")
	accessible(j.t, j.ctx, what)
}

// press tabs to what selector names and presses Enter on it, waiting for the next page.
func (j journey) press(selector string) {
	j.t.Helper()
	tabTo(j.t, j.ctx, selector)
	if ring := eval[string](j.t, j.ctx, `(s => s.outlineStyle + "|" + s.boxShadow)(getComputedStyle(document.activeElement))`); ring == "none|none" {
		j.t.Errorf("%s: keyboard focus is not visible", selector)
	}
	submitted(j.t, j.ctx)
}

// typeIn tabs to a field and types in it.
func (j journey) typeIn(selector, text string) {
	j.t.Helper()
	tabTo(j.t, j.ctx, selector)
	do(j.t, j.ctx, "type in "+selector, chromedp.KeyEvent(text))
}

// signIn makes the account, serves the fixture's store on a test server of its own (children's
// links name its host, as --allowed-hosts would allow) and signs in at 320px wide, with the
// keyboard only: the start page. Every browser journey of the workspace starts here.
func signIn(t *testing.T, f *fixture, a catalogue.Account) journey {
	t.Helper()
	const password = "correct horse battery staple"
	a.PasswordHash = passwd.Hash(password)
	acc, err := f.store.CreateAccount(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	h, err := api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Matching: matching{f.runs},
		Settings: api.Settings{AllowedHosts: []string{srv.Listener.Addr().String()}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	j := journey{t: t, ctx: browser(t), srv: srv, account: acc}
	do(t, j.ctx, "open the sign-in page on a small screen", chromedp.EmulateViewport(320, 640),
		chromedp.Navigate(srv.URL+"/sign-in"), chromedp.WaitVisible(chromedp.CSS("h1")))
	j.typeIn("#email", a.Email)
	j.typeIn("#password", password)
	j.press("button[type=submit]")
	if loc := eval[string](t, j.ctx, `location.pathname`); loc != "/workspace" || j.h1() != a.Name {
		t.Fatalf("after signing in: at %s, h1 %q", loc, j.h1())
	}
	return j
}

func (j journey) h1() string {
	return eval[string](j.t, j.ctx, `document.querySelector("h1").textContent.trim()`)
}

func (j journey) shows(text string) bool {
	return eval[bool](j.t, j.ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, text))
}

// TestSignOffsInBrowser is the manager's journey with the keyboard only: sign in, open the
// sign-offs waiting from the start page, open the one for Amy's high-cost home, give too short a
// reason (the error summary), then a reason: back at the queue with a banner and nothing left
// waiting; then who looked at Amy's record, which names the manager. Every page is axe-core clean and does not scroll sideways at 320px.
func TestSignOffsInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.changePlace(func(p *catalogue.Placement) { p.WeeklyCost = 12000 })
	f.pathFor("/v1/offers/:id") // an offer of the fixture's home for Amy
	j := signIn(t, f, catalogue.Account{Name: "Mo Manager", Email: "mo.manager@manchester.example.gov.uk", Role: catalogue.RoleManager,
		Level: catalogue.LevelNominatedOfficer, Council: manchester})
	ctx := j.ctx
	j.press(`main a[href="/workspace/sign-offs"]`)
	if j.h1() != "Sign-offs waiting" || !j.shows("Amy") || !j.shows("A weekly cost above the council's threshold") {
		t.Fatalf("the queue: h1 %q without Amy's high-cost home", j.h1())
	}
	j.check("the sign-offs waiting")

	j.press(`main a[href^="/workspace/offers/"]`)
	if j.h1() != "A weekly cost above the council's threshold" || !j.shows("a nominated officer or above") {
		t.Fatalf("the sign-off form: h1 %q", j.h1())
	}
	j.check("the sign-off form")
	j.typeIn("#reason", "ok")
	j.press(`main button[type=submit]`)
	if !eval[bool](t, ctx, `!!document.querySelector(".govuk-error-summary a[href='#reason']")`) {
		t.Fatal("too short a reason: no error summary linking to the reason")
	}
	j.check("the sign-off form with a mistake")

	do(t, ctx, "clear the reason", chromedp.Evaluate[chromedp.Void](`document.querySelector("#reason").value = ""; undefined`))
	j.typeIn("#reason", "No other home near her school can meet her needs.")
	j.press(`main button[type=submit]`)
	if j.h1() != "Sign-offs waiting" || !j.shows("Signed off.") || !j.shows("Nothing is waiting") {
		t.Fatalf("after signing off: h1 %q", j.h1())
	}
	j.check("the sign-offs waiting, after signing off")

	// Who looked at Amy's record: the manager's own reads and sign-off, by name.
	j.press(`.govuk-service-navigation a[href="/workspace/children"]`)
	j.press(fmt.Sprintf(`main a[href="/workspace/children/%d"]`, f.amy.ID))
	j.press(fmt.Sprintf(`main a[href="/workspace/children/%d/audit"]`, f.amy.ID))
	if j.h1() != "Who looked at Amy’s record" || !j.shows("Mo Manager") || !j.shows("read") {
		t.Fatalf("the audit trail: h1 %q without the manager", j.h1())
	}
	j.check("the audit trail of a child's record")
}
