package api_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/placematch/placematch/catalogue"
)

// TestAdvocateInBrowser is the advocate's journey with the keyboard only: from the start page to
// what waits for them, Amy's request with what she shared, the form sent without a note (the
// error summary linking to it), then with one: back at the list with a banner and nothing
// waiting. Every page is axe-core clean and does not scroll sideways at 320px or at 400% zoom.
func TestAdvocateInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.advocacyRequest()
	j := signIn(t, f, catalogue.Account{Name: "Ade Advocate", Email: "ade.advocate@manchester.example.gov.uk", Role: catalogue.RoleAdvocate, Council: manchester})
	j.press(`main a[href="/workspace/requests"]`)
	if j.h1() != "What waits for you" || !j.shows("Help me see my brother.") {
		t.Fatalf("the advocate's list: h1 %q without Amy's request", j.h1())
	}
	j.check("the advocate's list")
	j.at400("the advocate's list")
	j.press(`main a[href^="/workspace/requests/"]`)
	if j.h1() != "Amy asked for an advocate" {
		t.Fatalf("the request: h1 %q", j.h1())
	}
	j.check("a request for an advocate")
	j.at400("a request for an advocate")
	j.press(`main form button[type=submit]`)
	if !eval[bool](t, j.ctx, `!!document.querySelector(".govuk-error-summary a[href='#note']")`) {
		t.Fatal("no note: no error summary linking to the note")
	}
	j.check("a request for an advocate with a mistake")
	j.typeIn("#note", "Phoned Amy; we meet on Thursday.")
	j.press(`main form button[type=submit]`)
	if j.h1() != "What waits for you" || !j.shows("Recorded.") || !j.shows("Nothing is waiting") {
		t.Fatalf("after recording contact: h1 %q", j.h1())
	}
	j.check("the advocate's list after recording contact")
}

// TestIROInBrowser is the IRO's review of Amy's unplanned move with the keyboard only, from the
// navigation: the review's page, a concern without findings (the error summary), then the
// findings: back at the list with nothing waiting. Axe-core clean, no sideways scrolling at
// 320px or at 400% zoom.
func TestIROInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	rv := f.moveReview()
	j := signIn(t, f, catalogue.Account{Name: "Ira Reviewer", Email: "ira.reviewer@manchester.example.gov.uk", Role: catalogue.RoleIRO, Council: manchester})
	j.press(`.govuk-service-navigation a[href="/workspace/requests"]`)
	j.check("the IRO's list")
	j.press(fmt.Sprintf(`main a[href="/workspace/move-reviews/%d"]`, rv.ID))
	if j.h1() != "The review of Amy’s move" {
		t.Fatalf("the review: h1 %q", j.h1())
	}
	j.check("a move review")
	j.at400("a move review")
	tabTo(t, j.ctx, "#outcome") // a group of radios takes one Tab; the arrow keys choose in it
	do(t, j.ctx, "choose concerns", chromedp.KeyEvent(kb.ArrowDown))
	if !eval[bool](t, j.ctx, `document.querySelector("#outcome-concerns_raised").checked`) {
		t.Fatal("the arrow key did not choose concerns")
	}
	tabTo(t, j.ctx, "#spoken_to")
	do(t, j.ctx, "say yes", chromedp.KeyEvent(" "))
	j.press(`main form button[type=submit]`)
	if !eval[bool](t, j.ctx, `!!document.querySelector(".govuk-error-summary a[href='#findings']")`) {
		t.Fatal("concerns without findings: no error summary linking to the findings")
	}
	j.check("a move review with a mistake")
	j.typeIn("#findings", "Amy was not told of the move until the day; raised with the team manager.")
	j.press(`main form button[type=submit]`)
	if j.h1() != "What waits for you" || !j.shows("No move is waiting for your review") {
		t.Fatalf("after the review: h1 %q", j.h1())
	}
}

// TestCheckInLinkInBrowser is the officer's check-in link with the keyboard only: from Amy's
// record (she is in a placement), send one (shown once), back to the record, stop every link
// (the record's banner). Axe-core clean, no sideways scrolling at 320px or at 400% zoom.
func TestCheckInLinkInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.moveReview() // leaves Amy in a placement
	j := signIn(t, f, catalogue.Account{Name: "Olu Officer", Email: "olu.officer@manchester.example.gov.uk", Role: catalogue.RoleOfficer, Council: manchester})
	j.press(`.govuk-service-navigation a[href="/workspace/children"]`)
	j.press(fmt.Sprintf(`main a[href="/workspace/children/%d"]`, f.amy.ID))
	j.at400("the child's record with check-ins")
	j.press(fmt.Sprintf(`main form[action="/workspace/children/%d/check-in-links"] button`, f.amy.ID))
	if j.h1() != "A check-in link for Amy" || !eval[bool](t, j.ctx, `/\/c\/pmc_/.test(document.querySelector("#link").textContent)`) {
		t.Fatalf("the link sent: h1 %q", j.h1())
	}
	j.check("the check-in link, shown once")
	j.press(fmt.Sprintf(`main a[href="/workspace/children/%d"]`, f.amy.ID))
	j.press(fmt.Sprintf(`main form[action="/workspace/children/%d/check-in-links/revoke"] button`, f.amy.ID))
	if !j.shows("is stopped") {
		t.Fatalf("after stopping the links: h1 %q without the banner", j.h1())
	}
	j.check("the child's record after stopping the links")
}

// TestProviderHomeFormsInBrowser: the provider's form to add a home and a home's page with its
// kind, approval and cost, reached with the keyboard from the homes page; the form sent empty
// shows the error summary. Axe-core clean, no sideways scrolling at 320px or at 400% zoom.
func TestProviderHomeFormsInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	j := signIn(t, f, catalogue.Account{Name: "Pat Provider", Email: "pat.homes@agency.example.org", Role: catalogue.RoleProvider, Provider: f.provider.ID})
	j.press(`.govuk-service-navigation a[href="/workspace/homes"]`)
	j.press(`main a[href="/workspace/homes/new"]`)
	if j.h1() != "Add a home" {
		t.Fatalf("the form: h1 %q", j.h1())
	}
	j.check("the form to add a home")
	j.at400("the form to add a home")
	j.press(`main form button[type=submit]`)
	if !eval[bool](t, j.ctx, `!!document.querySelector(".govuk-error-summary a[href='#cost']")`) {
		t.Fatal("the form sent empty: no error summary linking to the cost")
	}
	j.check("the form to add a home with mistakes")
	j.press(`main a.govuk-back-link`)
	j.press(fmt.Sprintf(`main a[href="/workspace/homes/%d"]`, f.place.ID))
	if !j.shows("Kind, approval and cost") {
		t.Fatalf("the home's page: h1 %q without its terms", j.h1())
	}
	j.check("a home with its kind, approval and cost")
	j.at400("a home with its kind, approval and cost")
}
