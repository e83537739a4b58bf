package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
)

// TestOfficerOffersHeldBackupInBrowser: Zara moved, and her back-up's provider agreed to hold a
// place while she settles. Keyboard only, the officer opens the offer she moved under: the
// back-up held, until when, and the retainer the council pays (not her placement cost). Her
// check-ins go badly: the officer offers her the back-up, first forgetting why (the error
// summary links to the field; nothing is written), then with the reason; the new offer's page
// names the home, and the hold says it was offered. Every page is axe-core clean and does not
// scroll sideways at 320px.
func TestOfficerOffersHeldBackupInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	h := f.settlingHold(true)
	bg := context.Background()
	ctx, srv, _ := officerInBrowser(t, f, "olu.settling@manchester.example.gov.uk")
	h1 := func() string { return eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`) }

	do(t, ctx, "open the offer Zara moved under", chromedp.Navigate(fmt.Sprintf("%s/workspace/offers/%d", srv.URL, h.Offer)), chromedp.WaitVisible(chromedp.CSS("h1")))
	pageSays(t, ctx, "the placed offer", "Zara has moved in", "Back-up held while Zara settles", "Held", "Byrne household",
		"Held until", h.Ends.Format("2 January 2006"), "£75 a week, paid by the council for holding the place (not Zara’s placement cost)")
	checkPage(t, ctx, "the placed offer with its back-up held")

	press(t, ctx, `button[formaction$="/offer"]`) // no reason: a mistake
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#settling-reason"]') && !!document.querySelector("#settling-reason-error")`) {
		t.Fatalf("offering the back-up without a reason: no error summary linking to it: %s", eval[string](t, ctx, `document.body.innerText`))
	}
	checkPage(t, ctx, "the placed offer with a mistake")
	if got, err := f.store.SettlingHold(bg, catalogue.Everything, h.ID); err != nil || got.Status != catalogue.SettlingAgreed {
		t.Fatalf("a refused offer changed the hold: %+v %v", got, err)
	}

	tabTo(t, ctx, "#settling-reason")
	do(t, ctx, "type why", chromedp.KeyEvent("Her check-ins say she does not feel safe."))
	press(t, ctx, `button[formaction$="/offer"]`)
	if h1() != "Offer to Zara" {
		t.Fatalf("after offering the back-up: h1 %q", h1())
	}
	pageSays(t, ctx, "the new offer", "Proposed", "Byrne household", "Her check-ins say she does not feel safe.")
	checkPage(t, ctx, "the offer of the back-up")
	got, err := f.store.SettlingHold(bg, catalogue.Everything, h.ID)
	if err != nil || got.Status != catalogue.SettlingOffered || fmt.Sprintf("/workspace/offers/%d", got.NewOffer) != eval[string](t, ctx, `location.pathname`) {
		t.Fatalf("the hold after the offer: %+v %v", got, err)
	}

	do(t, ctx, "back to the offer Zara moved under", chromedp.Navigate(fmt.Sprintf("%s/workspace/offers/%d", srv.URL, h.Offer)), chromedp.WaitVisible(chromedp.CSS("h1")))
	pageSays(t, ctx, "the placed offer, back-up offered", "Offered to the child", "The offer of the back-up to Zara")
	if eval[bool](t, ctx, `!!document.querySelector('button[formaction$="/offer"]')`) {
		t.Error("the back-up can be offered twice")
	}
}
