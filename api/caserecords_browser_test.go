package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
)

// TestCaseRecordInBrowser is the officer's journey to file a decision record, with the keyboard
// only: from the declined offer's page to its decision record, printed with nothing of the
// workspace around it, a reference left out (the error summary), then given: the page says
// where it was filed. Every page is axe-core clean and does not scroll sideways at 320px.
func TestCaseRecordInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	o := f.declinedOffer()
	j := signIn(t, f, catalogue.Account{Name: "Olu Officer", Email: "olu.officer@manchester.example.gov.uk", Role: catalogue.RoleOfficer,
		Council: manchester})
	ctx := j.ctx
	origin := eval[string](t, ctx, `location.origin`)
	do(t, ctx, "open the offer", chromedp.Navigate(fmt.Sprintf("%s/workspace/offers/%d", origin, o.ID)), chromedp.WaitVisible(chromedp.CSS("h1")))
	j.press(fmt.Sprintf(`main a[href="/workspace/offers/%d/case-record"]`, o.ID))
	if want := fmt.Sprintf("Decision record: offer %d", o.ID); j.h1() != want || !j.shows("Amy is to return home to her mother") {
		t.Fatalf("the decision record: h1 %q", j.h1())
	}
	j.check("the decision record")

	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	do(t, ctx, "print", media("print"))
	hidden := `[".govuk-header", ".govuk-service-navigation", ".govuk-back-link", ".pm-no-print"].every(s => !document.querySelector(s) || getComputedStyle(document.querySelector(s)).display === "none")`
	if !eval[bool](t, ctx, hidden) || !eval[bool](t, ctx, `getComputedStyle(document.querySelector("main h1")).display !== "none"`) {
		t.Error("printed, the record shows the workspace around it, or not itself")
	}
	do(t, ctx, "screen", media(""))

	j.press(`main button[type=submit]`)
	if !eval[bool](t, ctx, `!!document.querySelector(".govuk-error-summary a[href='#reference']")`) {
		t.Fatal("no reference: no error summary linking to it")
	}
	j.check("the decision record with a mistake")
	j.typeIn("#reference", "LCS-2026-0042")
	j.press(`main button[type=submit]`)
	if !j.shows("Marked as filed in the case record.") || !j.shows("Filed in the case record as LCS-2026-0042 by Olu Officer") {
		t.Fatalf("after filing: h1 %q", j.h1())
	}
	j.check("the decision record, filed")
}
