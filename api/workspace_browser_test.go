package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
)

// TestWorkspaceInBrowser is the officer's first journey in a real headless Chromium (skipped
// with a message without one, failed under CI=true; see browser_test.go), with the keyboard
// only: the front door sends them to sign in; they sign in, reach the worklist, find Amy by
// searching, open her record and her options, and sign out, after which the workspace sends
// them to sign in again. Every page is axe-core clean, shows keyboard focus and does not scroll
// sideways at 320px; the audit log names the officer for the reads of Amy's record.
func TestWorkspaceInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := sqliteFixture(t)
	const email, password = "olu.officer@manchester.example.gov.uk", "correct horse battery staple"
	acc, err := f.store.CreateAccount(context.Background(), catalogue.Account{Name: "Olu Officer", Email: email,
		Role: catalogue.RoleOfficer, Council: manchester, PasswordHash: passwd.Hash(password)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)

	check := func(what string) {
		t.Helper()
		noOverflow(t, ctx, what+" at 320px")
		accessible(t, ctx, what)
	}
	focusVisible := func(what string) {
		t.Helper()
		if ring := eval[string](t, ctx, `(s => s.outlineStyle + "|" + s.boxShadow)(getComputedStyle(document.activeElement))`); ring == "none|none" {
			t.Errorf("%s: keyboard focus is not visible (%s)", what, ring)
		}
	}
	typeIn := func(selector, text string) {
		t.Helper()
		tabTo(t, ctx, selector)
		focusVisible(selector)
		do(t, ctx, "type in "+selector, chromedp.KeyEvent(text))
	}
	h1 := func() string { return eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`) }

	do(t, ctx, "open the front door on a small screen", chromedp.EmulateViewport(320, 640),
		chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/sign-in" {
		t.Fatalf("the front door led to %s, want /sign-in", loc)
	}
	check("the sign-in page")
	if header := eval[string](t, ctx, `document.querySelector("header").innerText.trim()`); header != "placematch" {
		t.Errorf("the header says %q, want placematch alone (no GOV.UK branding)", header)
	}
	if eval[bool](t, ctx, `!!document.querySelector("svg.govuk-logo, .govuk-header__logotype, img[src*=crown]")`) {
		t.Error("the page shows GOV.UK's crown")
	}
	if font := eval[string](t, ctx, `getComputedStyle(document.querySelector("h1")).fontFamily`); !strings.HasPrefix(font, "system-ui") {
		t.Errorf("the page's font is %q, want the system font", font)
	}

	// A wrong password: the same page, with an error summary.
	typeIn("#email", email)
	typeIn("#password", "not the password")
	tabTo(t, ctx, "button[type=submit]")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector(".govuk-error-summary") && document.body.innerText.includes("not right")`) {
		t.Fatalf("a wrong password: no error summary")
	}
	check("the sign-in page with a mistake")

	// Sign in.
	do(t, ctx, "clear the form", chromedp.Evaluate[chromedp.Void](`document.querySelector("#email").value = ""; undefined`))
	typeIn("#email", email)
	typeIn("#password", password)
	tabTo(t, ctx, "button[type=submit]")
	submitted(t, ctx)
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/workspace" || h1() != "Olu Officer" {
		t.Fatalf("after signing in: %s, h1 %q", loc, h1())
	}
	check("the start page")

	// The worklist, then a search.
	tabTo(t, ctx, `main a[href="/workspace/children"]`)
	focusVisible("the worklist link")
	submitted(t, ctx)
	if h1() != "Children waiting" || !eval[bool](t, ctx, `document.body.innerText.includes("Amy")`) {
		t.Fatalf("the worklist: h1 %q without Amy", h1())
	}
	check("the worklist")
	typeIn("#q", "am")
	tabTo(t, ctx, `form[role=search] button`)
	submitted(t, ctx)
	if n := eval[int](t, ctx, `document.querySelectorAll("tbody tr").length`); n != 1 {
		t.Fatalf("searching for \"am\": %d rows, want Amy's only", n)
	}
	check("the worklist, searched")

	// Amy's record, then her options.
	amy := fmt.Sprintf(`a[href="/workspace/children/%d"]`, f.amy.ID)
	tabTo(t, ctx, amy)
	submitted(t, ctx)
	if h1() != "Amy" {
		t.Fatalf("the record: h1 %q", h1())
	}
	check("the child's record")
	tabTo(t, ctx, `a[href$="/options"]`)
	focusVisible("the options button")
	submitted(t, ctx)
	if h1() != "Amy’s options" {
		t.Fatalf("the options: h1 %q", h1())
	}
	for _, want := range []string{"Okafor household", "Weekly cost", "£820 a week", "Why: every factor", "What the rules ruled out", "Places on the map"} {
		if !eval[bool](t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, want)) {
			t.Errorf("the options page does not show %q", want)
		}
	}
	check("the child's options")

	// Sign out: the session is gone.
	tabTo(t, ctx, `.pm-sign-out button`)
	focusVisible("the sign-out button")
	submitted(t, ctx)
	if loc := eval[string](t, ctx, `location.pathname + location.search`); loc != "/sign-in?signed_out=1" {
		t.Fatalf("after signing out: %s", loc)
	}
	check("the sign-in page after signing out")
	do(t, ctx, "back to the worklist", chromedp.Navigate(srv.URL+"/workspace/children"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/sign-in" {
		t.Errorf("the worklist after signing out: at %s, want /sign-in", loc)
	}

	// The audit log names the person for every read of Amy's record.
	log, err := f.store.ListAudit(context.Background(), catalogue.AuditFilter{Subject: "child:" + f.amy.ID.String()})
	if err != nil {
		t.Fatal(err)
	}
	var reads int
	for _, e := range log.Items {
		if e.Action == "read" || e.Action == "options" {
			reads++
			if e.Account != acc.ID || e.Name != "Olu Officer" || e.Actor != acc.Token {
				t.Errorf("audit %s of Amy names account %d %q (token %d), want Olu Officer's", e.Action, e.Account, e.Name, e.Actor)
			}
		}
	}
	if reads != 2 {
		t.Errorf("%d reads of Amy's record audited, want 2 (the record and the options)", reads)
	}
}
