package api_test

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/placematch/placematch/internal/golden"
)

// TestCheckInUnsafeGolden: a child who says they do not feel safe is told, on the thank-you,
// who will see it and when (the fixture's clock is a Sunday morning: the emergency duty team
// before 10am, their social worker's team from 9am on Monday, as the alert was routed), to call
// 999 if in danger now, and about Childline and Help at Hand; the alert is on their officer's
// list. A child who says they feel safe is told none of it.
func TestCheckInUnsafeGolden(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.placeAmySince(10)
	kid := f.visitor("203.0.113.41")
	f.want(kid.do("POST", f.checkInLink(), nil), 303)
	clean := func(b []byte) []byte { return csrfValue.ReplaceAll(b, []byte(`name="csrf" value="CSRF"`)) }
	page := kid.do("GET", "/child/check-in", nil)
	token := csrfOf(t, page)

	f.want(kid.do("POST", "/child/check-in", url.Values{"csrf": {token}, "way": {"faces"}, "safe": {"yes"}}), 303)
	happy := kid.do("GET", "/child/check-in?saved=1", nil)
	f.want(happy, 200)
	if bytes.Contains(happy.body, []byte("Help at Hand")) || bytes.Contains(happy.body, []byte("emergency duty team")) {
		t.Errorf("a child who feels safe is told of an alert: %s", happy.body)
	}

	f.want(kid.do("POST", "/child/check-in", url.Values{"csrf": {token}, "way": {"faces"}, "safe": {"no"}}), 303)
	saved := kid.do("GET", "/child/check-in?saved=1", nil)
	f.want(saved, 200)
	golden.Check(t, "testdata/child-check-in-unsafe.golden.html", clean(saved.body))
	for _, want := range []string{"emergency duty team will see this before 10am", "from 9am", "If you are in danger now, call 999.", "0800 1111", "0800 528 0731"} {
		if !bytes.Contains(saved.body, []byte(want)) {
			t.Errorf("the thank-you does not say %q", want)
		}
	}
	var list struct{ Items []alertBody }
	f.do("officer", "GET", "/v1/alerts", nil).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Owner != "emergency-duty" || !list.Items[0].OutOfHours {
		t.Errorf("the officer's alerts: %+v", list.Items)
	}
}

// TestCheckInUnsafeInBrowser: a child says, keyboard only, that they do not feel safe; the
// thank-you says who will see it and when, to call 999, and gives Help at Hand's number; it is
// axe-core clean and does not scroll sideways at 320px.
func TestCheckInUnsafeInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	f := newOfferFixture(t, nil)
	f.placeAmySince(10)
	link := f.checkInLink()
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	do(t, ctx, "a small phone", chromedp.EmulateViewport(320, 640))
	throughDoor(t, ctx, srv.URL+link)
	tabTo(t, ctx, "input[name=safe]")
	do(t, ctx, "safe: no", chromedp.KeyEvent(" "))
	tabTo(t, ctx, "form.checkin button:not([name])")
	submitted(t, ctx)
	for _, want := range []string{"Who will see this, and when", "emergency duty team will see this before", "If you are in danger now, call 999.", "0800 1111", "0800 528 0731"} {
		if !eval[bool](t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, want)) {
			t.Errorf("the thank-you does not show %q", want)
		}
	}
	noOverflow(t, ctx, "the thank-you after saying unsafe, at 320px")
	accessible(t, ctx, "the thank-you after saying unsafe")
}
