package api_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
)

// at400 reloads the page the journey is on (a GET page) as 400% zoom of a 1024px window shows
// it, checks that nothing scrolls sideways, and comes back to 320px.
func (j journey) at400(what string) {
	j.t.Helper()
	href := eval[string](j.t, j.ctx, `location.href`)
	do(j.t, j.ctx, what+" at 400% zoom", chromedp.EmulateViewport(256, 400, chromedp.EmulateScale(1)),
		chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("h1")))
	noOverflow(j.t, j.ctx, what+" at 400% zoom of 1024px")
	do(j.t, j.ctx, "back to 320px", chromedp.EmulateViewport(320, 640), chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("h1")))
}

// TestRefuseSignOffInBrowser is the manager's refusal with the keyboard only: from the
// sign-offs waiting to the form of Amy's high-cost home, Refuse with no reason (the error
// summary linking to the refusal's reason), then with one: back at the queue with a banner and
// nothing waiting; the offer's page shows the refusal and its reason. Every page is axe-core
// clean and does not scroll sideways at 320px or at 400% zoom.
func TestRefuseSignOffInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.changePlace(func(p *catalogue.Placement) { p.WeeklyCost = 12000 })
	offer := f.pathFor("/v1/offers/:id") // an offer of the fixture's home for Amy
	j := signIn(t, f, catalogue.Account{Name: "Ruth Refuser", Email: "ruth.refuser@manchester.example.gov.uk", Role: catalogue.RoleManager,
		Level: catalogue.LevelNominatedOfficer, Council: manchester})
	j.press(`main a[href="/workspace/sign-offs"]`)
	j.press(`main a[href^="/workspace/offers/"]`)
	if j.h1() != "A weekly cost above the council's threshold" || !j.shows("Or refuse it") {
		t.Fatalf("the sign-off form: h1 %q without the refusal", j.h1())
	}
	j.at400("the sign-off form")

	j.press(`main form[action$="/sign-off-refusals"] button[type=submit]`)
	if !eval[bool](t, j.ctx, `!!document.querySelector(".govuk-error-summary a[href='#refusal']") && !document.querySelector("#reason-error")`) {
		t.Fatal("a refusal without a reason: no error summary linking to the refusal's reason")
	}
	j.check("the sign-off form with a refusal's mistake")

	const reason = "A home nearer her school meets her needs at half the cost."
	j.typeIn("#refusal", reason)
	j.press(`main form[action$="/sign-off-refusals"] button[type=submit]`)
	if j.h1() != "Sign-offs waiting" || !j.shows("Refused.") || !j.shows("Nothing is waiting") {
		t.Fatalf("after refusing: h1 %q", j.h1())
	}
	j.check("the sign-offs waiting, after refusing")
	j.at400("the sign-offs waiting")

	href := eval[string](t, j.ctx, `location.origin`) + "/workspace" + offer[len("/v1"):]
	do(t, j.ctx, "the offer's page", chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("h1")))
	if !j.shows("Refused") || !j.shows(reason) || !j.shows("Refused by a nominated officer") {
		t.Fatalf("the offer's page does not show the refusal: h1 %q", j.h1())
	}
	j.check(fmt.Sprintf("the offer's page with a refusal (%s)", offer))
	j.at400("the offer's page with a refusal")
}

// TestOverrideInBrowser is the director's override with the keyboard only: from Amy's record
// to the overrides page, the form sent without a home (the error summary linking to the
// homes), then with the inadequate home and a reason: the override is listed with its reason.
// Every page is axe-core clean and does not scroll sideways at 320px or at 400% zoom.
func TestOverrideInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.changePlace(func(p *catalogue.Placement) { p.Ofsted = catalogue.OfstedInadequate })
	j := signIn(t, f, catalogue.Account{Name: "Dee Director", Email: "dee.director@manchester.example.gov.uk", Role: catalogue.RoleManager,
		Level: catalogue.LevelDirector, Council: manchester})
	j.press(`.govuk-service-navigation a[href="/workspace/children"]`)
	j.press(fmt.Sprintf(`main a[href="/workspace/children/%d"]`, f.amy.ID))
	j.press(fmt.Sprintf(`main a[href="/workspace/children/%d/inadequate-overrides"]`, f.amy.ID))
	if j.h1() != "Inadequate ratings overridden for Amy" || !j.shows("No rating has been overridden") {
		t.Fatalf("the overrides page: h1 %q", j.h1())
	}
	j.check("the overrides page")
	j.at400("the overrides page")

	const reason = "The only registered home able to keep her safe; the alternative is unregistered."
	j.typeIn("#reason", reason)
	j.press(`main form button[type=submit]`)
	if !eval[bool](t, j.ctx, `!!document.querySelector(".govuk-error-summary a[href='#placement']")`) {
		t.Fatal("an override without a home: no error summary linking to the homes")
	}
	j.check("the overrides page with a mistake")
	tabTo(t, j.ctx, "#placement")
	do(t, j.ctx, "choose the home", chromedp.KeyEvent(" "))
	j.press(`main form button[type=submit]`)
	if !j.shows("Overridden.") || !j.shows(reason) || !j.shows("the director of children") {
		t.Fatalf("after the override: h1 %q without it", j.h1())
	}
	j.check("the overrides page after an override")
}
