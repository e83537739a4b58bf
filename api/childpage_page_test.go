package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestChildPageConfidential: a child whose placement an officer has marked confidential (issue
// 20, item 9) sees no area, no carer's name, no name of anyone in a household, no carers' own
// words and no distance from anyone, and is told why; their officer's preview shows the same.
// The decision names no area either.
func TestChildPageConfidential(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	w := newPageWorldWith(t, f.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
		func(c *catalogue.Child) { c.Confidential = true }, nil)
	_, _, page, js := w.open(f, "203.0.113.30")
	hidden := []string{"Chorlton", "Sale", "Stretford", "Ngozi", "Paul", "Karen", "Tobi", "Biscuit", "miles", "from Mum"}
	for what, body := range map[string]string{"page": string(page.body), "JSON": string(js.body)} {
		for _, h := range hidden {
			if strings.Contains(body, h) {
				t.Errorf("the confidential %s shows %q", what, h)
			}
		}
		for _, want := range []string{"To keep you safe, this page does not say where the homes are", "You would keep going to St Anne", "Two carers would look after you.",
			"The carers&#39; son, who is 14, lives here too.", "A girl aged 8 also lives here."} {
			if what == "JSON" {
				want = strings.ReplaceAll(want, "&#39;", "'")
			}
			if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&#39;", `\u0027`)) {
				t.Errorf("the confidential %s does not say %q", what, want)
			}
		}
	}
}

// TestChildPageOneChoice: an offer of one home (with the officer's reason) is worded for one:
// a home, would you like to live here, yes or no.
func TestChildPageOneChoice(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	w := newPageWorldWith(t, f.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), nil, func(o *catalogue.Offer) {
		o.Options = o.Options[:1]
		o.OneChoiceReason = "Only the Okoros could take Mia and Leon together."
	})
	kid, path, page, _ := w.open(f, "203.0.113.31")
	body := string(page.body)
	for _, want := range []string{"Mia, here is a home you could live in", "the people there would like to welcome you",
		"Would you like to live here?", "Yes, I would like to live here", "No, I would not like to live here", "I am not sure yet"} {
		if !strings.Contains(body, want) {
			t.Errorf("the one-choice page does not say %q", want)
		}
	}
	for _, not := range []string{"Choice 1", "Neither", "both", "homes you could", "Which home"} {
		if strings.Contains(body, not) {
			t.Errorf("the one-choice page says %q", not)
		}
	}
	bad := kid.do("POST", path, map[string][]string{"csrf": {csrfOf(t, page)}})
	f.want(bad, 400)
	if !strings.Contains(string(bad.body), "Say yes or no, or say you are not sure yet.") {
		t.Error("the one-choice page's mistake is not worded for one")
	}
}
