package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/catalogue"
)

// officerInBrowser signs a new officer of Manchester in (signIn) and returns the browser, the
// server and the account.
func officerInBrowser(t *testing.T, f *fixture, email string) (context.Context, *httptest.Server, catalogue.Account) {
	t.Helper()
	j := signIn(t, f, catalogue.Account{Name: "Olu Officer", Email: email, Role: catalogue.RoleOfficer, Council: manchester})
	return j.ctx, j.srv, j.account
}

// checkPage checks the page is axe-core clean and does not scroll sideways at 320px.
func checkPage(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	noOverflow(t, ctx, what+" at 320px")
	accessible(t, ctx, what)
}

// press moves the keyboard's focus to the link or button and presses Enter, and waits for the
// page it leads to.
func press(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	tabTo(t, ctx, selector)
	submitted(t, ctx)
}

// pageSays fails unless the page's text holds each of want.
func pageSays(t *testing.T, ctx context.Context, what string, want ...string) {
	t.Helper()
	text := eval[string](t, ctx, `document.body.innerText`)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q", what, w)
		}
	}
}

// TestOfficerOfferInBrowser is the officer's journey from the options to the move, keyboard
// only (Tab, Space, Enter), as the demo officer would click it: they tick the home on Amy's
// options and refer her; the provider accepts (through the store, as its answer would); the
// officer makes the offer (first forgetting the reason Amy has one choice: the error summary
// links to the field and nothing is written), previews Amy's page (no link made or used),
// sends it and is shown the link once; Amy gives her say through the link; the officer records
// the decision (first without choosing: the error summary) and the move. Every page is
// axe-core clean and does not scroll sideways at 320px; the preview is audited by name.
func TestOfficerOfferInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx, srv, acc := officerInBrowser(t, f, "olu.offers@manchester.example.gov.uk")
	bg := context.Background()
	h1 := func() string { return eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`) }

	// Amy's record, then her options: tick the home and refer her.
	do(t, ctx, "open Amy's record", chromedp.Navigate(fmt.Sprintf("%s/workspace/children/%d", srv.URL, f.amy.ID)), chromedp.WaitVisible(chromedp.CSS("h1")))
	press(t, ctx, `a[href$="/options"]`)
	if h1() != "Amy’s options" {
		t.Fatalf("the options: h1 %q", h1())
	}
	press(t, ctx, `form[action$="/referrals"] button`) // nothing ticked: a mistake
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#placements"]')`) {
		t.Fatal("referring without a home: no error summary linking to the homes")
	}
	checkPage(t, ctx, "the options with a mistake")
	tabTo(t, ctx, "#placements")
	do(t, ctx, "tick the home", chromedp.KeyEvent(" "))
	press(t, ctx, `form[action$="/referrals"] button`)
	if h1() != "Amy’s referrals and offers" {
		t.Fatalf("after referring: h1 %q", h1())
	}
	pageSays(t, ctx, "the referrals", "1 referral sent", "Okafor household", "Brightwater Fostering", "Sent, not read yet", "answer by")
	checkPage(t, ctx, "the referrals, sent")

	// The provider accepts; the officer reloads the page and makes the offer.
	rs, err := f.store.ListReferrals(bg, catalogue.Everything, catalogue.ReferralFilter{Child: f.amy.ID, Limit: 10})
	if err != nil || len(rs.Items) != 1 {
		t.Fatalf("referrals: %v %v", rs.Items, err)
	}
	if _, err := f.store.RespondReferral(bg, catalogue.Everything, rs.Items[0].ID, rs.Items[0].Version, catalogue.ReferralResponse{Accepted: true,
		WeeklyFee: 820, Impact: "Amy would be the only child at home."}, f.store.Now().Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("h1")))
	pageSays(t, ctx, "the referrals, answered", "Agreed", "£820 a week", "place held until", "Make an offer")
	press(t, ctx, `form[action$="/offers"] button`) // no reason for one choice: a mistake
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#one_choice_reason"]') && !!document.querySelector("#one_choice_reason-error")`) {
		t.Fatal("an offer of one home without a reason: no error summary linking to the reason")
	}
	checkPage(t, ctx, "the referrals with a mistake")
	if n, _ := f.store.ListOffers(bg, catalogue.Everything, catalogue.OfferFilter{Child: f.amy.ID}); len(n.Items) != 0 {
		t.Fatalf("a refused offer wrote %d offers", len(n.Items))
	}
	tabTo(t, ctx, "#one_choice_reason")
	do(t, ctx, "type the reason", chromedp.KeyEvent("Only one home has a place near Amy's school."))
	press(t, ctx, `form[action$="/offers"] button`)
	if h1() != "Offer to Amy" {
		t.Fatalf("after making the offer: h1 %q", h1())
	}
	pageSays(t, ctx, "the offer", "Proposed", "Okafor household", "Amy has not said anything yet", "Preview Amy’s page")
	checkPage(t, ctx, "the offer, proposed")
	offer := strings.TrimPrefix(eval[string](t, ctx, `location.pathname`), "/workspace/offers/")

	// The preview: Amy's own page, marked, with nothing used up.
	press(t, ctx, `a[href$="/preview"]`)
	if h1() != "Amy, here is a home you could live in" { // one home, worded for one (issue 20)
		t.Fatalf("the preview: h1 %q", h1())
	}
	pageSays(t, ctx, "the preview", "Preview for the placement team", "Would you like to live here?", "Yes, I would like to live here")
	if eval[bool](t, ctx, `!!document.querySelector("form[action^='/child/']")`) {
		t.Error("the preview has a form that would send")
	}
	checkPage(t, ctx, "the preview")
	var id int64
	fmt.Sscan(offer, &id)
	if links, err := f.store.OfferLinks(bg, catalogue.Everything, catalogue.OfferID(id)); err != nil || len(links) != 0 {
		t.Errorf("the preview made links: %v %v", links, err)
	}
	press(t, ctx, `a[href="/workspace/offers/`+offer+`"]`)

	// Send: the link is shown once, with its note.
	press(t, ctx, `form[action$="/send"] button`)
	link := eval[string](t, ctx, `(document.querySelector("#link") || document.body).textContent`)
	if !strings.HasPrefix(link, srv.URL+"/c/pmc_") {
		t.Fatalf("the link shown is %q", link)
	}
	pageSays(t, ctx, "the sent page", "The offer is sent to Amy", "It opens once")
	checkPage(t, ctx, "the offer sent")

	// Amy opens her link and says what she would like.
	throughDoor(t, ctx, link)
	tabTo(t, ctx, fmt.Sprintf("#choice-%d", f.place.ID))
	do(t, ctx, "choose the home", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "#words")
	do(t, ctx, "Amy's words", chromedp.KeyEvent("I want to stay at my school."))
	tabTo(t, ctx, "form.say button")
	submitted(t, ctx)

	// The officer's offer page: Amy's say, then the decision and the move.
	do(t, ctx, "back to the offer", chromedp.Navigate(srv.URL+"/workspace/offers/"+offer), chromedp.WaitVisible(chromedp.CSS("h1")))
	pageSays(t, ctx, "the offer, answered", "Sent", "I want to stay at my school.", "Amy’s choice", "opened")
	press(t, ctx, `form[action$="/decision"] button`) // nothing chosen: a mistake
	if !eval[bool](t, ctx, `!!document.querySelector('.govuk-error-summary a[href="#decision"]')`) {
		t.Fatal("a decision without a choice: no error summary linking to it")
	}
	checkPage(t, ctx, "the offer with a mistake")
	tabTo(t, ctx, "#decision")
	do(t, ctx, "choose the home", chromedp.KeyEvent(" "))
	press(t, ctx, `form[action$="/decision"] button`)
	pageSays(t, ctx, "the offer, accepted", "Accepted", "Accepted Okafor household", "has moved in")
	checkPage(t, ctx, "the offer, accepted")
	press(t, ctx, `form[action$="/placed"] button`)
	if !eval[bool](t, ctx, `!!document.querySelector(".govuk-panel")`) {
		t.Fatalf("after the move: no panel: %s", eval[string](t, ctx, `document.body.innerText`))
	}
	pageSays(t, ctx, "the offer, placed", "Placed", "Amy has moved in", "Moved in")
	checkPage(t, ctx, "the offer, placed")
	if ch, err := f.store.Child(bg, catalogue.Everything, f.amy.ID); err != nil || ch.Status != catalogue.ChildPlaced {
		t.Errorf("Amy after the move: %s %v", ch.Status, err)
	}

	// The preview is audited, naming the officer.
	log, err := f.store.ListAudit(bg, catalogue.AuditFilter{Subject: "offer:" + offer})
	if err != nil {
		t.Fatal(err)
	}
	previews := 0
	for _, e := range log.Items {
		if e.Action == "preview" {
			previews++
			if e.Account != acc.ID || e.Name != "Olu Officer" {
				t.Errorf("the preview's audit names account %d %q", e.Account, e.Name)
			}
		}
	}
	if previews != 1 {
		t.Errorf("%d previews audited, want 1", previews)
	}
}

// TestOfficerHistoryInBrowser: from Amy's record, keyboard only, the officer opens her
// placements and check-ins: the move that was not the care plan and its review waiting, the
// check-ins' trend, the flag where her answer worsened, and her words. The page is axe-core
// clean and does not scroll sideways at 320px; the reads are audited as the API's are.
func TestOfficerHistoryInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	placeAmy(t, f)
	amyChecksIn(t, f)
	bg := context.Background()
	ctx, srv, _ := officerInBrowser(t, f, "olu.history@manchester.example.gov.uk")
	do(t, ctx, "open Amy's record", chromedp.Navigate(fmt.Sprintf("%s/workspace/children/%d", srv.URL, f.amy.ID)), chromedp.WaitVisible(chromedp.CSS("h1")))
	press(t, ctx, `a[href$="/history"]`)
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`); h1 != "Amy’s placements and check-ins" {
		t.Fatalf("the history: h1 %q", h1)
	}
	pageSays(t, ctx, "the history", "asked for the placement to end", "1 June 2026", "Waiting for the independent reviewing officer",
		"talk with Amy", "Seeing my nan", "yes → not really", "Flag", "Moves in the last 12 months")
	checkPage(t, ctx, "the history")
	log, err := f.store.ListAudit(bg, catalogue.AuditFilter{Subject: "child:" + f.amy.ID.String()})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log.Items {
		seen[e.Action] = true
	}
	for _, a := range []string{"read_history", "read_check_ins", "read_support_plans"} {
		if !seen[a] {
			t.Errorf("the history page's reads: no %s audited (%v)", a, seen)
		}
	}
}

// TestOfficerRunInBrowser: the officer starts a match run from the service navigation, keyboard
// only; its page follows the run (refreshing itself) to the results, which name Amy and the home
// proposed; they refer every child to the run's homes, the provider accepts (through the store),
// and they make offers from the run, each linked to its offer. Every page is axe-core clean and
// does not scroll sideways at 320px.
func TestOfficerRunInBrowser(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx, _, _ := officerInBrowser(t, f, "olu.runs@manchester.example.gov.uk")
	bg := context.Background()
	do(t, ctx, "open the menu on a small screen", chromedp.EmulateViewport(1024, 768))
	press(t, ctx, `a.govuk-service-navigation__link[href="/workspace/match-runs"]`)
	do(t, ctx, "back to a small screen", chromedp.EmulateViewport(320, 640))
	checkPage(t, ctx, "the match runs page")
	press(t, ctx, `form[action="/workspace/match-runs"] button`)
	if !strings.HasPrefix(eval[string](t, ctx, `location.pathname`), "/workspace/match-runs/") {
		t.Fatalf("starting a run led to %s", eval[string](t, ctx, `location.pathname`))
	}
	waitFor(t, ctx, `document.body.innerText.includes("Succeeded")`) // the page refreshes itself
	pageSays(t, ctx, "the run's results", "Amy", "Okafor household", "Offered one home", "Refer every child to their homes")
	checkPage(t, ctx, "the run's results")
	run := eval[string](t, ctx, `location.pathname`)

	press(t, ctx, `form[action$="/referrals"] button`)
	pageSays(t, ctx, "the run's referrals", "Amy", "Referred to Okafor household")
	checkPage(t, ctx, "the run's referrals")
	rs, err := f.store.ListReferrals(bg, catalogue.Everything, catalogue.ReferralFilter{Child: f.amy.ID, Limit: 10})
	if err != nil || len(rs.Items) != 1 {
		t.Fatalf("referrals from the run: %v %v", rs.Items, err)
	}
	if _, err := f.store.RespondReferral(bg, catalogue.Everything, rs.Items[0].ID, rs.Items[0].Version,
		catalogue.ReferralResponse{Accepted: true, Impact: "Settles well.", WeeklyFee: 820}, f.store.Now().Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	press(t, ctx, `a.govuk-back-link`)
	if loc := eval[string](t, ctx, `location.pathname`); loc != run {
		t.Fatalf("back led to %s, want %s", loc, run)
	}
	press(t, ctx, `form[action$="/offers"] button`)
	if eval[string](t, ctx, `document.body.innerText`); !eval[bool](t, ctx, `!!document.querySelector('a[href^="/workspace/offers/"]')`) {
		t.Fatalf("offers from the run: no offer linked: %s", eval[string](t, ctx, `document.querySelector("main").innerText`))
	}
	checkPage(t, ctx, "the run's offers")
	press(t, ctx, `a[href^="/workspace/offers/"]`)
	pageSays(t, ctx, "the offer from the run", "Offer to Amy", "Okafor household")
}
