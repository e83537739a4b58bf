package api_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChildPagesRightToLeftInBrowser (issue 20, item 10): the offer (two choices side by side)
// and the check-in in en-XB, the pseudo-locale written right to left, at 320px in a real
// browser: <html dir="rtl">, the layout mirrored (the check-in's voice box has its rule on the
// right, the error and quote rules too, by child.css's logical sides), nothing overflowing on
// either side, and axe-core clean.
func TestChildPagesRightToLeftInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := newOfferFixture(t, nil)
	f.withLanguages("en", "en-XB")
	w := newPageWorld(t, f.store)
	f.placeAmySince(10)
	checkIn := f.checkInLink()
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	do(t, ctx, "320px", chromedp.EmulateViewport(320, 640, chromedp.EmulateScale(2)))

	open := func(link string) {
		do(t, ctx, "open the link in en-XB", chromedp.Navigate(srv.URL+link+"?lang=en-XB"), chromedp.WaitVisible(chromedp.CSS("h1")))
		if got := eval[string](t, ctx, `document.documentElement.dir + " " + document.documentElement.lang`); got != "rtl en-XB" {
			t.Fatalf("the door is %q, not rtl en-XB", got)
		}
		tabTo(t, ctx, "form button")
		submitted(t, ctx)
	}
	bothSides := func(what string) {
		t.Helper()
		got := eval[[]string](t, ctx, `(() => {
		  const out = [], d = document.documentElement;
		  if (d.scrollWidth > d.clientWidth) out.push("page " + d.scrollWidth + " > " + d.clientWidth);
		  for (const el of document.querySelectorAll("body *")) {
		    if (el.ownerSVGElement || getComputedStyle(el).position === "absolute") continue;
		    const r = el.getBoundingClientRect();
		    if (r.right > d.clientWidth + 0.5 || r.left < -0.5) out.push(el.tagName + "." + el.className + " from " + r.left.toFixed(0) + " to " + r.right.toFixed(0));
		  }
		  return out.slice(0, 5);
		})()`)
		if len(got) > 0 {
			t.Errorf("%s: overflows: %v", what, got)
		}
	}

	open(w.link)
	if got := eval[string](t, ctx, `document.documentElement.dir`); got != "rtl" {
		t.Fatalf("the offer is %q, not rtl", got)
	}
	// The first choice is on the right of the second when they sit side by side.
	if got := eval[bool](t, ctx, `(() => { const c = document.querySelectorAll(".choice"); return c[0].getBoundingClientRect().left > c[1].getBoundingClientRect().left })()`); !got {
		t.Errorf("the two choices are not mirrored: the first is not on the right")
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector("blockquote")).borderRightWidth`); got != "4px" {
		t.Errorf("the carers' words' rule is not on the right: border-right %q", got)
	}
	accessible(t, ctx, "the offer in en-XB")
	bothSides("the offer in en-XB at 320px")

	do(t, ctx, "leave", chromedp.Navigate(fmt.Sprintf("%s/child/offers/%d", srv.URL, w.offer.ID)), chromedp.WaitVisible(chromedp.CSS("h1")))
	open(checkIn)
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector(".voice")).borderRightWidth`); got != "5px" {
		t.Errorf("the voice box's rule is not on the right: border-right %q", got)
	}
	accessible(t, ctx, "the check-in in en-XB")
	bothSides("the check-in in en-XB at 320px")
}
