package api_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/placematch/placematch/catalogue"
)

// TestChildPagesInBrowser (issue 20, items 8, 9, 11): a confidential child's page offering one
// home, and the privacy notice it links to, in a real browser: worded for one home, nothing of
// where it is or who lives there, axe-core clean, reached and left by keyboard only, and no
// horizontal scrolling at 320px or at 400% zoom.
func TestChildPagesInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := newOfferFixture(t, nil)
	w := newPageWorldWith(t, f.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
		func(c *catalogue.Child) { c.Confidential = true }, func(o *catalogue.Offer) {
			o.Options = o.Options[:1]
			o.OneChoiceReason = "Only the Okoros could take Mia and Leon together."
		})
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	do(t, ctx, "320px", chromedp.EmulateViewport(320, 640, chromedp.EmulateScale(2)))
	throughDoor(t, ctx, srv.URL+w.link)
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Mia, here is a home you could live in" {
		t.Errorf("h1 %q", got)
	}
	text := eval[string](t, ctx, `document.body.innerText`)
	for _, want := range []string{"To keep you safe, this page does not say where the homes are", "Would you like to live here?",
		"How long for", "What happens next", "independent reviewing officer", "You would keep going to St Anne's Primary"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	for _, not := range []string{"Chorlton", "Ngozi", "Paul", "Tobi", "Choice 1", "miles"} {
		if strings.Contains(text, not) {
			t.Errorf("the confidential one-choice page says %q", not)
		}
	}
	accessible(t, ctx, "the confidential one-choice page")
	noOverflow(t, ctx, "the confidential one-choice page at 320px")

	// To the privacy notice by keyboard only.
	tabTo(t, ctx, `a[href="/child/privacy"]`)
	submitted(t, ctx)
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "How we use what you tell us" {
		t.Fatalf("the link led to %q", got)
	}
	accessible(t, ctx, "the privacy notice")
	for _, vp := range []struct {
		w, h  int64
		scale float64
		what  string
	}{{320, 640, 2, "320px wide"}, {256, 400, 1, "400% zoom of 1024px"}} {
		do(t, ctx, vp.what, chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(vp.scale)),
			chromedp.Navigate(srv.URL+"/child/privacy"), chromedp.WaitVisible(chromedp.CSS("h1")))
		noOverflow(t, ctx, "the privacy notice at "+vp.what)
	}
	do(t, ctx, "back", chromedp.Navigate(fmt.Sprintf("%s/child/offers/%d", srv.URL, w.offer.ID)), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); !strings.HasPrefix(got, "Mia") {
		t.Errorf("the session did not survive reading the notice: h1 %q", got)
	}
}

// TestYoungChildPageInBrowser (issue 20, item 3): the page of a child of 6, gone through by a
// grown-up: told so at the top, the question of who went through it answered and sent by
// keyboard only, a mistake linked to the question, axe-core clean, no horizontal scrolling at
// 320px.
func TestYoungChildPageInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := newOfferFixture(t, nil)
	w := newPageWorldOf(t, f.store, "Ava", today.AddDate(-6, -6, 0))
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	do(t, ctx, "320px", chromedp.EmulateViewport(320, 640, chromedp.EmulateScale(2)))
	throughDoor(t, ctx, srv.URL+w.link)
	if !eval[bool](t, ctx, `document.body.innerText.includes("For the grown-up: Ava is under 8")`) {
		t.Error("the page does not speak to the grown-up")
	}
	accessible(t, ctx, "a young child's page")
	noOverflow(t, ctx, "a young child's page at 320px")

	// Choose, but say nothing of who went through it: the mistake, linked to the question.
	tabTo(t, ctx, "input[name=choice]")
	do(t, ctx, "choice 1", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "form.say button")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector('.error-summary a[href="#with-social_worker"]') && !!document.getElementById("with-error")`) {
		t.Fatal("no mistake linked to who went through the page")
	}
	accessible(t, ctx, "a young child's page with a mistake")
	tabTo(t, ctx, "input[name=with]")
	do(t, ctx, "the social worker", chromedp.KeyEvent(" "))
	do(t, ctx, "the carer", chromedp.KeyEvent(kb.ArrowDown))
	tabTo(t, ctx, "form.say button")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `document.body.innerText.includes("Thank you, we have saved your answer")`) {
		t.Fatal("no thanks after sending")
	}
	if got := eval[string](t, ctx, `document.querySelector("input[name=with]:checked").value`); got != "carer" {
		t.Errorf("gone through with %q, want carer", got)
	}
}

// TestSiblingPageInBrowser (issue 20, item 2): a brother's own page, from his own link: his name,
// his sister coming with him, axe-core clean, his answer sent by keyboard only, no horizontal
// scrolling at 320px.
func TestSiblingPageInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := newOfferFixture(t, nil)
	w := newPageWorld(t, f.store)
	o, err := f.store.Offer(t.Context(), catalogue.Everything, w.offer.ID)
	if err != nil {
		t.Fatal(err)
	}
	leon := f.sendLink(t, o.ID, o.Siblings[0])
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	do(t, ctx, "320px", chromedp.EmulateViewport(320, 640, chromedp.EmulateScale(2)))
	throughDoor(t, ctx, srv.URL+leon.Path)
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Leon, here are homes you could live in" {
		t.Errorf("h1 %q", got)
	}
	if !eval[bool](t, ctx, `document.body.innerText.includes("Your sister would live here with you.")`) {
		t.Error("Leon's page does not say his sister comes with him")
	}
	accessible(t, ctx, "a brother's own page")
	noOverflow(t, ctx, "a brother's own page at 320px")
	tabTo(t, ctx, "input[name=choice]")
	do(t, ctx, "choice 1", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "form.say button")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `document.body.innerText.includes("Thank you, we have saved your answer")`) {
		t.Fatal("no thanks after sending")
	}
	o, err = f.store.Offer(t.Context(), catalogue.Everything, w.offer.ID)
	if err != nil || o.SiblingSays[o.Siblings[0]].Preference != w.homes[0].ID || !o.Say.At.IsZero() {
		t.Errorf("Leon's answer: %v %+v; Mia's %+v", err, o.SiblingSays, o.Say)
	}
}
