package api_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
)

// TestProviderInBrowser is the provider's journey in headless Chromium, with the keyboard only:
// sign in, open the referral inbox from the start page, open the referral, send an acceptance
// without an impact assessment (the error summary), then with one and a fee (the banner), and
// look at the homes and one home's places and words for children. Every page is axe-core
// clean and does not scroll sideways at 320px.
func TestProviderInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/referrals", map[string]any{"placements": []catalogue.PlacementID{f.place.ID}})
	f.want(r, 201)
	j := signIn(t, f, catalogue.Account{Name: "Pat Provider", Email: "pat.provider@agency.example.org", Role: catalogue.RoleProvider, Provider: f.provider.ID})
	ctx := j.ctx

	check := func(what string) {
		t.Helper()
		noOverflow(t, ctx, what+" at 320px")
		accessible(t, ctx, what)
	}
	typeIn := func(selector, text string) {
		t.Helper()
		tabTo(t, ctx, selector)
		do(t, ctx, "type in "+selector, chromedp.KeyEvent(text))
	}
	h1 := func() string { return eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`) }
	says := func(text string) bool {
		return eval[bool](t, ctx, fmt.Sprintf(`document.querySelector("main").innerText.includes(%q)`, text))
	}

	check("the provider's start page")

	tabTo(t, ctx, `main a[href="/workspace/referrals"]`)
	submitted(t, ctx)
	if h1() != "Referrals" || !says(f.place.Name) {
		t.Fatalf("the inbox: h1 %q, without the referral to %s", h1(), f.place.Name)
	}
	check("the referral inbox")

	tabTo(t, ctx, `main a[href^="/workspace/referrals/"]`)
	submitted(t, ctx)
	if h1() != f.amy.FirstName || !says("Answer by") {
		t.Fatalf("the referral: h1 %q", h1())
	}
	check("the referral")

	// Accept without an impact assessment: the error summary, linking to the field.
	tabTo(t, ctx, "#outcome")
	do(t, ctx, "accept", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "form button[type=submit]")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#impact_assessment"]')`) {
		t.Fatalf("accepting without an impact assessment: no error summary linking to it")
	}
	check("the referral with a mistake")

	// The error summary's link takes the keyboard to the field; the answer goes in.
	if !eval[bool](t, ctx, `document.querySelector("#outcome").checked`) {
		t.Errorf("the page shown again forgot the answer chosen")
	}
	typeIn("#impact_assessment", "Amy would share the home with a girl of 12, who is settled.")
	typeIn("#weekly_fee", "950")
	tabTo(t, ctx, "form button[type=submit]")
	submitted(t, ctx)
	if !says("Your answer is recorded") || !says("£950") {
		t.Fatalf("after answering: no banner or no fee shown")
	}
	check("the answered referral")

	// The homes, and one home.
	tabTo(t, ctx, `a[href="/workspace/homes"]`)
	submitted(t, ctx)
	if h1() != "Your homes" || !says(f.place.Name) {
		t.Fatalf("the homes: h1 %q", h1())
	}
	check("the homes")
	tabTo(t, ctx, fmt.Sprintf(`main a[href="/workspace/homes/%d"]`, f.place.ID))
	submitted(t, ctx)
	if h1() != f.place.Name || !says("Places") || !says("The words shown to children") {
		t.Fatalf("the home: h1 %q", h1())
	}
	check("a home")

	// New words for children: saved, and waiting for a placement officer's approval.
	tabTo(t, ctx, "#words")
	do(t, ctx, "clear the words", chromedp.Evaluate[chromedp.Void](`document.querySelector("#words").value = ""`))
	typeIn("#words", "We live by the park with our dog, Biscuit.")
	tabTo(t, ctx, `form[action$="/words"] button[type=submit]`)
	submitted(t, ctx)
	if !says("The words are saved") || !says("Words waiting for approval") {
		t.Fatalf("after saving the words: no banner, or not waiting for approval")
	}
	check("a home with its words saved")

	// A place opened on a day that does not exist: the error summary; then on a real day.
	typeIn("#from-day", "31")
	typeIn("#from-month", "2")
	typeIn("#from-year", "2027")
	tabTo(t, ctx, `form[action$="/places"] button[type=submit]`)
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#from-day"]')`) {
		t.Fatalf("31 February: no error summary linking to the day")
	}
	check("a home with a mistake in a new place")
	do(t, ctx, "correct the day", chromedp.Evaluate[chromedp.Void](`document.querySelector("#from-day").value = ""`))
	typeIn("#from-day", "14")
	tabTo(t, ctx, `form[action$="/places"] button[type=submit]`)
	submitted(t, ctx)
	if !says("The place is saved") || !says("14 February 2027") {
		t.Fatalf("after opening a place: no banner, or the place is not listed")
	}
	// Withdraw it: its button goes from "Withdraw" to "Offer this place again".
	tabTo(t, ctx, `form[action^="/workspace/places/"] button`)
	before := eval[int](t, ctx, `document.querySelectorAll('input[name=status][value=available]').length`)
	submitted(t, ctx)
	if after := eval[int](t, ctx, `document.querySelectorAll('input[name=status][value=available]').length`); after != before+1 {
		t.Fatalf("after withdrawing a place: %d places to offer again, want %d", after, before+1)
	}
	check("a home with a place withdrawn")
}
