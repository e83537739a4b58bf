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

// TestProviderHoldsBackupInBrowser: the back-up's provider, keyboard only, finds the hold in its
// referral inbox, opens it, asks a retainer in words (the error summary links to the field;
// nothing is written), then agrees to hold the place for £90 a week; the page says it is held.
// Every page is axe-core clean and does not scroll sideways at 320px.
func TestProviderHoldsBackupInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	h := f.settlingHold(false)
	j := signIn(t, f, catalogue.Account{Name: "Pat Provider", Email: "pat.settling@agency.example.org",
		Role: catalogue.RoleProvider, Provider: f.provider.ID})
	j.press(`main a[href="/workspace/referrals"]`)
	pageSays(t, j.ctx, "the inbox", "Back-up places to hold", "Byrne household", "To answer")
	j.check("the inbox with a hold")
	j.press(fmt.Sprintf(`main a[href="/workspace/settling-holds/%d"]`, h.ID))
	pageSays(t, j.ctx, "the hold", "Hold a back-up place", "Byrne household", "1 place", h.Ends.Format("2 January 2006"))
	j.check("the hold")

	tabTo(t, j.ctx, "#outcome")
	do(t, j.ctx, "choose to hold it", chromedp.KeyEvent(" "))
	j.typeIn("#weekly_retainer", "ninety")
	j.press(`form[action$="/answer"] button`)
	if !eval[bool](t, j.ctx, `!!document.querySelector('.govuk-error-summary a[href="#weekly_retainer"]') && !!document.querySelector("#weekly_retainer-error")`) {
		t.Fatalf("a retainer in words: no error summary linking to it: %s", eval[string](t, j.ctx, `document.body.innerText`))
	}
	j.check("the hold with a mistake")
	if got, err := f.store.SettlingHold(context.Background(), catalogue.Everything, h.ID); err != nil || got.Status != catalogue.SettlingRequested {
		t.Fatalf("a refused answer changed the hold: %+v %v", got, err)
	}
	j.typeIn("#weekly_retainer", "90") // the field's text is selected as the focus reaches it
	j.press(`form[action$="/answer"] button`)
	pageSays(t, j.ctx, "the hold, agreed", "Held", "£90 a week, paid by the council", "Stop holding the place")
	j.check("the hold, agreed")
	if got, err := f.store.SettlingHold(context.Background(), catalogue.Everything, h.ID); err != nil || got.Status != catalogue.SettlingAgreed || got.WeeklyRetainer != 90 {
		t.Fatalf("the hold after agreeing: %+v %v", got, err)
	}
}
