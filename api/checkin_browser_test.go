package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/placematch/placematch/catalogue"
)

// TestCheckInPageInBrowser runs the child's check-in in a real headless Chromium (skipped with a
// message without one, failed under CI=true; see browser_test.go): the link opens a token-free
// page; the child answers with the keyboard only, faces as radio buttons that the arrow keys
// move between, with visible focus; the thank-you follows; axe-core finds nothing; nothing
// overflows at 320px or at 200% and 400% zoom; words instead of faces, a mistake and "I'd rather
// not" work the same way.
func TestCheckInPageInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := newOfferFixture(t, nil)
	f.placeAmySince(10)
	link := f.checkInLink()
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	pageURL := srv.URL + "/child/check-in"

	// Open the link on a phone: the page comes without the token in its address.
	do(t, ctx, "a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile))
	throughDoor(t, ctx, srv.URL+link)
	if loc := eval[string](t, ctx, `location.href`); loc != pageURL || strings.Contains(loc, "pmc_") {
		t.Fatalf("the browser is at %q, want %q", loc, pageURL)
	}
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Amy, how are things?" {
		t.Errorf("h1 %q", got)
	}
	// Faces, drawn by the stylesheet the CSP allows, each with its words.
	if n := eval[int](t, ctx, `[...document.querySelectorAll("svg.face")].filter(s => s.getBoundingClientRect().width > 30).length`); n != 20 {
		t.Errorf("%d faces shown, want 20 (five answers to four questions)", n)
	}
	if b := eval[string](t, ctx, `getComputedStyle(document.querySelector(".answer label")).borderTopWidth`); b != "2px" {
		t.Errorf("the stylesheet did not apply (border %q)", b)
	}
	for _, want := range []string{"This is your voice", "no computer decides anything", "Not really", "I'd rather not say", "0800 1111"} {
		if !eval[bool](t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, want)) {
			t.Errorf("the page does not show %q", want)
		}
	}
	noPlaceGiven(t, "the check-in page in the browser", []byte(eval[string](t, ctx, `document.documentElement.outerHTML`)), append(f.homes, f.place))
	noOverflow(t, ctx, "phone")
	accessible(t, ctx, "the check-in page")

	// Keyboard only. Settled: Tab into the faces, Space picks "No", the arrow keys move to
	// "Mostly"; the focus ring shows on the face.
	tabTo(t, ctx, "input[name=settled]")
	if ring := eval[string](t, ctx, `(s => s.outlineStyle + " " + s.outlineWidth)(getComputedStyle(document.activeElement.nextElementSibling))`); ring != "solid 3px" {
		t.Errorf("keyboard focus is not visible on the face: outline %q", ring)
	}
	do(t, ctx, "settled: no", chromedp.KeyEvent(" "))
	for range 3 {
		do(t, ctx, "settled: next", chromedp.KeyEvent(kb.ArrowRight))
	}
	checked := func(name string) string {
		return eval[string](t, ctx, fmt.Sprintf(`(e => e ? e.value : "none")(document.querySelector("input[name=%s]:checked"))`, name))
	}
	if got := checked("settled"); got != "mostly" {
		t.Fatalf("settled is %q after the arrow keys, want mostly", got)
	}
	if mark := eval[string](t, ctx, `(s => s.boxShadow + " " + s.fontWeight)(getComputedStyle(document.querySelector("input[name=settled]:checked + label")))`); !strings.Contains(mark, "inset") || !strings.HasSuffix(mark, " 700") {
		t.Errorf("the chosen face is not marked by more than colour: %q", mark)
	}
	facesFit(t, ctx, "phone, with an answer chosen")
	// Safe: "Yes", four steps on. Getting on: left out. Seeing: "Not really".
	tabTo(t, ctx, "input[name=safe]")
	do(t, ctx, "safe: no", chromedp.KeyEvent(" "))
	for range 4 {
		do(t, ctx, "safe: next", chromedp.KeyEvent(kb.ArrowRight))
	}
	tabTo(t, ctx, "input[name=seeing]")
	do(t, ctx, "seeing: no", chromedp.KeyEvent(" "))
	do(t, ctx, "seeing: next", chromedp.KeyEvent(kb.ArrowRight))
	if got := [3]string{checked("safe"), checked("getting_on"), checked("seeing")}; got != [3]string{"yes", "none", "not_really"} {
		t.Fatalf("answers %v", got)
	}
	tabTo(t, ctx, "#would_help")
	do(t, ctx, "write", chromedp.KeyEvent("Seeing my nan more."))
	tabTo(t, ctx, "#advocate")
	do(t, ctx, "ask for an advocate", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "form.checkin button:not([name])")
	submitted(t, ctx)
	if loc := eval[string](t, ctx, `location.pathname + location.search`); loc != "/child/check-in?saved=1" {
		t.Errorf("after sending, at %q", loc)
	}
	for _, want := range []string{"Thank you, Amy", "We have saved your answers", "Mostly", "Seeing my nan more.", "You asked to talk to an advocate"} {
		if !eval[bool](t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, want)) {
			t.Errorf("the thank-you does not show %q", want)
		}
	}
	accessible(t, ctx, "the thank-you")
	st, err := f.store.CheckInStatus(context.Background(), catalogue.Everything, f.amy.ID, catalogue.Day(f.store.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.CheckIns) != 1 {
		t.Fatalf("%d check-ins stored, want 1", len(st.CheckIns))
	}
	if c := st.CheckIns[0]; c.Settled != catalogue.AnswerMostly || c.Safe != catalogue.AnswerYes || c.GettingOn != catalogue.NotAnswered ||
		c.Seeing != catalogue.AnswerNotReally || c.WouldHelp != "Seeing my nan more." || !c.AdvocateRequested || c.Way != catalogue.WayFaces {
		t.Errorf("stored %+v", c)
	}

	// Words instead of faces, found by the keyboard too; a mistake is shown next to its field
	// and in a summary that links to it.
	do(t, ctx, "check in again", chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.CSS("h1")))
	tabTo(t, ctx, `a[href="/child/check-in?way=words"]`)
	submitted(t, ctx)
	if eval[int](t, ctx, `document.querySelectorAll("svg.face").length`) != 0 || checked("settled") != "none" {
		t.Error("the words page shows faces, or an answer already chosen")
	}
	accessible(t, ctx, "the check-in in words")
	tabTo(t, ctx, "input[name=safe]")
	do(t, ctx, "safe: no", chromedp.KeyEvent(" "))
	do(t, ctx, "too many words", chromedp.Evaluate[chromedp.Void](`document.getElementById("would_help").value = "x".repeat(1001)`))
	tabTo(t, ctx, "form.checkin button:not([name])")
	submitted(t, ctx)
	if !eval[bool](t, ctx, `!!document.querySelector(".error-summary a[href='#would_help']") && document.getElementById("would_help").getAttribute("aria-describedby") === "would_help-hint would_help-error"`) {
		t.Error("the mistake is not linked to its field")
	}
	if checked("safe") != "no" || eval[int](t, ctx, `document.querySelectorAll("svg.face").length`) != 0 {
		t.Error("the answer or the way of answering was lost with the mistake")
	}
	accessible(t, ctx, "the check-in with a mistake")

	// Reflow: a 320px-wide screen, 200% zoom of a 1280px window and 400% of a 1024px one
	// scroll only vertically, with faces.
	for _, vp := range []struct {
		w, h  int64
		scale float64
		what  string
	}{{320, 640, 2, "320px wide"}, {640, 400, 2, "200% zoom of 1280x800"}, {256, 400, 1, "400% zoom of 1024px"}} {
		do(t, ctx, vp.what, chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(vp.scale)), chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.CSS("h1")))
		noOverflow(t, ctx, vp.what)
		facesFit(t, ctx, vp.what)
	}
	accessible(t, ctx, "the check-in at 400% zoom")

	// "I'd rather not", by keyboard: nothing is saved, and the page says that is fine.
	do(t, ctx, "phone again", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3)), chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.CSS("h1")))
	tabTo(t, ctx, "input[name=settled]")
	do(t, ctx, "settled: no", chromedp.KeyEvent(" "))
	tabTo(t, ctx, `button[name=rather_not]`)
	submitted(t, ctx)
	if !eval[bool](t, ctx, `document.body.innerText.includes("Nothing has been saved")`) {
		t.Error("no word that nothing was saved")
	}
	accessible(t, ctx, "nothing saved")
	if st, err := f.store.CheckInStatus(context.Background(), catalogue.Everything, f.amy.ID, catalogue.Day(f.store.Now())); err != nil || len(st.CheckIns) != 1 {
		t.Errorf("after I'd rather not: %d check-ins (%v), want 1", len(st.CheckIns), err)
	}

	// The link again, in a fresh profile: the kind message, and nothing else.
	fresh, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(fresh); err != nil {
		t.Fatal(err)
	}
	do(t, fresh, "reopen the link", chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := eval[string](t, fresh, `document.querySelector("h1").textContent`); got != "This link does not work any more" {
		t.Errorf("reopened link: %q", got)
	}
	if logs := f.logs.String(); strings.Contains(logs, strings.TrimPrefix(link, "/c/")) || strings.Contains(logs, "pms_") {
		t.Errorf("a secret reached the logs:\n%s", logs)
	}
}

// facesFit checks every answer's words fit in its face's box when chosen (in bold): no word is
// broken or spills out.
func facesFit(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	got := eval[[]string](t, ctx, `(() => {
	  const out = [], chosen = [...document.querySelectorAll("input[type=radio]:checked")];
	  for (const value of ["no", "not_really", "sort_of", "mostly", "yes"]) {
	    for (const e of document.querySelectorAll(".answer input[value=" + value + "]")) {
	      e.checked = true;
	      const l = e.nextElementSibling, s = l.querySelector("span");
	      const lines = Math.round(s.getBoundingClientRect().height / parseFloat(getComputedStyle(s).lineHeight));
	      if (lines > s.textContent.trim().split(/\s+/).length || s.scrollWidth > l.clientWidth) out.push(s.textContent + ": " + lines + " lines, " + s.scrollWidth + "px in " + l.clientWidth + "px");
	    }
	  }
	  document.querySelectorAll("input[type=radio]").forEach(e => e.checked = false);
	  chosen.forEach(e => e.checked = true);
	  return out.slice(0, 5);
	})()`)
	if len(got) > 0 {
		t.Errorf("%s: answers' words do not fit their faces: %v", what, got)
	}
}
