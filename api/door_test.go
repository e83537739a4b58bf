package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
)

// Messaging apps and mail scanners fetch a link before the child does. A link's GET and HEAD
// show its door and use nothing up, however often and by whom; only the door's button (a POST
// from this site) opens the page, once.
func TestLinkPreviewsLeaveTheLinkWorking(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	o, link := f.makeOffer(f.amy.ID)

	bots := []struct{ method, agent string }{
		{"GET", "WhatsApp/2.23.20.0 A"},
		{"HEAD", "facebookexternalhit/1.1"},
		{"GET", "Mozilla/5.0 (compatible; Microsoft Office/16.0; Safe Links)"},
		{"GET", "Slackbot-LinkExpanding 1.0"},
		{"HEAD", "curl/8.5.0"},
	}
	for i, b := range bots {
		r := f.visitor(fmt.Sprintf("198.51.100.%d", i+1)).do(b.method, link, nil, "User-Agent", b.agent)
		if r.status != http.StatusOK || r.header.Get("Set-Cookie") != "" {
			t.Fatalf("%s by %q: %d, cookie %q", b.method, b.agent, r.status, r.header.Get("Set-Cookie"))
		}
		wantChildHeaders(t, r)
		if b.method == "GET" && (!bytes.Contains(r.body, []byte("Open my page")) || bytes.Contains(r.body, []byte("Amy"))) {
			t.Errorf("the door shows %s", r.body)
		}
		if r.header.Get("X-Robots-Tag") != "noindex, nofollow" {
			t.Errorf("the door may be indexed: %q", r.header.Get("X-Robots-Tag"))
		}
	}

	// A page elsewhere cannot press the button for the child: refused, nothing used up.
	kid := f.visitor("203.0.113.40")
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		r := kid.do("POST", link, nil, h...)
		f.want(r, http.StatusForbidden)
		if r.header.Get("Set-Cookie") != "" {
			t.Errorf("a cross-site post with %s opened a session", h[0])
		}
	}

	// The child presses the button: their page, once.
	r := kid.do("POST", link, nil, "Sec-Fetch-Site", "same-origin", "Origin", "http://example.com")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != fmt.Sprintf("/child/offers/%d", o.ID) {
		t.Fatalf("the button: %d %q %s", r.status, r.header.Get("Location"), r.body)
	}
	// Afterwards the door, like the button, says the link no longer works to anyone else.
	for _, method := range []string{"GET", "POST"} {
		r := f.visitor("203.0.113.41").do(method, link, nil)
		f.want(r, http.StatusNotFound)
		if !bytes.Contains(r.body, []byte("This link does not work any more")) {
			t.Errorf("%s after opening: %s", method, r.body)
		}
	}
}
