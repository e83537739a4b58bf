package api_test

import (
	"fmt"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestAlertsInBrowser is the officer's journey with an alert, keyboard only: the worklist shows
// Amy's alert; the officer opens it, acknowledges it, tries to close it without saying what was
// done (the error summary), then closes it with a note. Every page is axe-core clean and does
// not scroll sideways at 320px.
func TestAlertsInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	a := f.alert()
	j := signIn(t, f, catalogue.Account{Name: "Sam Patel", Email: "sam.patel@manchester.example.gov.uk", Role: catalogue.RoleOfficer, Council: manchester})
	j.press(`.govuk-service-navigation a[href="/workspace/children"]`)
	if !j.shows("1 open alert") || !j.shows("said they do not feel safe") {
		t.Fatalf("the worklist: h1 %q without Amy's alert", j.h1())
	}
	j.check("the worklist with an alert")

	j.press(fmt.Sprintf(`main a[href="/workspace/alerts/%d"]`, a.ID))
	if j.h1() != "Amy said they do not feel safe" || !j.shows("The emergency duty team") {
		t.Fatalf("the alert: h1 %q", j.h1())
	}
	j.check("an alert")
	j.press(`main button[type=submit]`)
	if !j.shows("Acknowledged: you are recorded") || !j.shows("Sam Patel") {
		t.Fatalf("after acknowledging: h1 %q", j.h1())
	}
	j.check("an acknowledged alert")
	j.press(`main button[type=submit]`)
	if !eval[bool](t, j.ctx, `!!document.querySelector(".govuk-error-summary a[href='#note']")`) {
		t.Fatal("closing without a note: no error summary linking to the note")
	}
	j.check("closing an alert with a mistake")
	j.typeIn("#note", "Spoke with Amy and her carers; safety plan agreed.")
	j.press(`main button[type=submit]`)
	if !j.shows("Closed, with what was done.") || !j.shows("safety plan agreed") {
		t.Fatalf("after closing: h1 %q", j.h1())
	}
	j.check("a closed alert")
}
