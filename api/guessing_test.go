package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Guessing at children's links and dashboard tokens (issue 14): limited per address, and never
// able to keep out someone with a valid secret from elsewhere.

// signIn posts a token to the dashboard's sign-in form from ip.
func (f *offerFixture) signIn(ip, token string) response {
	f.t.Helper()
	return f.visitor(ip).do("POST", "/dashboard/session", url.Values{"token": {token}})
}

// TestGuessingElsewhereLocksNobodyOut: 690 guesses at children's links from 138 addresses,
// and 690 at the dashboard's sign-in, spend the limits of those addresses and the total for
// failed attempts; a child with a valid link, and a commissioner with a valid token, still get
// in from another address. Guessing stays limited: an address that has used its tries is
// refused without its guess being looked up, and while the total is spent every wrong guess is
// refused.
func TestGuessingElsewhereLocksNobodyOut(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil) // the default limits: 10 a minute per address, in bursts of 5; 600 a minute in all
	_, link := f.makeOffer(f.amy.ID)
	statuses := map[int]int{}
	for a := range 138 {
		ip := fmt.Sprintf("198.51.100.%d", a+1)
		v := f.visitor(ip)
		for g := range 5 {
			statuses[v.do("GET", fmt.Sprintf("/c/pmc_GUESS%d_%d", a, g), nil).status]++
			statuses[f.signIn(ip, fmt.Sprintf("pm_GUESS%d_%d", a, g)).status]++
		}
	}
	if statuses[http.StatusTooManyRequests] == 0 {
		t.Fatalf("690 guesses at each door spent no limit: %v", statuses)
	}
	// A child and a commissioner, elsewhere, are not held up by the guessing.
	child := f.visitor("203.0.113.7")
	r := child.do("POST", link, nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("a valid link after guessing elsewhere: %d, want 303: %.200s", r.status, r.body)
	}
	f.want(child.do("GET", r.header.Get("Location"), nil), 200)
	if r := f.signIn("203.0.113.8", f.tokens["commissioner"]); r.status != http.StatusSeeOther {
		t.Fatalf("a valid dashboard sign-in after guessing elsewhere: %d, want 303: %.200s", r.status, r.body)
	}
	// Guessing is still limited: a new address's wrong guess while the total is spent, and
	// another guess from an address that has used its tries.
	for _, ip := range []string{"203.0.113.9", "198.51.100.1"} {
		r := f.visitor(ip).do("GET", "/c/pmc_GUESS_AGAIN", nil)
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Errorf("a guess at a link from %s: %d, want 429 with Retry-After", ip, r.status)
		}
		if r := f.signIn(ip, "pm_GUESS_AGAIN"); r.status != http.StatusTooManyRequests {
			t.Errorf("a guess at the dashboard from %s: %d, want 429", ip, r.status)
		}
	}
}

// TestOwnGuessesLimitedBeforeLookup: an address that has used its tries is refused before
// its token is looked up, even a valid one (a limit it spent itself); other addresses are not.
func TestOwnGuessesLimitedBeforeLookup(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	f.restart(4) // 4 a minute, in bursts of 2
	o, link := f.makeOffer(f.amy.ID)
	v := f.visitor("192.0.2.60")
	for range 2 {
		f.want(v.do("GET", "/c/pmc_GUESS", nil), http.StatusNotFound)
	}
	f.want(v.do("POST", link, nil), http.StatusTooManyRequests)
	// The link was not spent by the refused attempt: it opens from elsewhere.
	f.want(f.visitor("192.0.2.61").do("POST", link, nil), http.StatusSeeOther)
	// A valid link opened is not a failed attempt: opening one from a fresh address leaves its
	// tries untouched.
	link2 := f.resend(o.ID)
	w := f.visitor("192.0.2.62")
	f.want(w.do("POST", link2, nil), http.StatusSeeOther)
	// (Another browser at the address: one with the session is sent back to its page.)
	w = f.visitor("192.0.2.62")
	for range 2 {
		f.want(w.do("GET", "/c/pmc_GUESS", nil), http.StatusNotFound)
	}
	f.want(w.do("GET", "/c/pmc_GUESS", nil), http.StatusTooManyRequests)
}

// resend sends an offer again and returns the new link's path.
func (f *offerFixture) resend(offer int64) string {
	f.t.Helper()
	r := f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/send", offer), nil)
	f.want(r, 201)
	var sent struct {
		Link struct {
			URL string `json:"url"`
		} `json:"link"`
	}
	r.json(f.tt, &sent)
	u, err := url.Parse(sent.Link.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/c/pmc_") {
		f.t.Fatalf("link %q", sent.Link.URL)
	}
	return u.Path
}
