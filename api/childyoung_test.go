package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestYoungChildPage (issue 20, item 3): a child under the council's age for their own link (8
// by default) is not sent one: the link's note says to go through the page with them, the page
// says so to the grown-up and asks who went through it, refuses an answer without it (400,
// naming the field, nothing saved), and records it with the child's answer, which the officer
// reads. A council's policy moves the age; a child of the age is sent their own link as before.
func TestYoungChildPage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		age      int // on the fixture's today
		linkAge  int // the council's policy; 0: the default
		forAdult bool
	}{
		{"six", 6, 0, true},
		{"seven and a half", 7, 0, true},
		{"eight", 8, 0, false},
		{"nine, where the council says ten", 9, 10, true},
		{"six, where the council says five", 6, 5, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newOfferFixture(t, nil)
			if tt.linkAge > 0 {
				pv, err := f.store.Policy(context.Background(), manchester)
				if err != nil {
					t.Fatal(err)
				}
				r := f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(manchester), "version": pv.Policy.Version,
					"child_link_min_age": tt.linkAge, "note": "Our children's pages are read with children under ten."})
				f.want(r, 200)
			}
			dob := today.AddDate(-tt.age, -6, 0)
			w := newPageWorldOf(t, f.store, "Ava", dob)
			// The send's note: the officer reads it from the API (the page world sent the offer
			// already; sending again makes a new link).
			o, err := f.store.Offer(context.Background(), catalogue.Everything, w.offer.ID)
			if err != nil {
				t.Fatal(err)
			}
			sent := f.sendLink(t, o.ID, 0)
			if sent.ForAdult != tt.forAdult || strings.Contains(sent.Note, "do not send this link to the child") != tt.forAdult {
				t.Errorf("the link: for an adult %v, note %q; want for an adult %v", sent.ForAdult, sent.Note, tt.forAdult)
			}
			link := sent.Path
			kid := f.visitor("203.0.113.50")
			f.want(kid.do("POST", link, nil), 303)
			path := fmt.Sprintf("/child/offers/%d", o.ID)
			page := kid.do("GET", path, nil)
			f.want(page, 200)
			body := string(page.body)
			if got := strings.Contains(body, "Who went through this page with Ava?"); got != tt.forAdult {
				t.Fatalf("the page asks who went through it: %v, want %v", got, tt.forAdult)
			}
			if got := strings.Contains(body, "For the grown-up: Ava is under"); got != tt.forAdult {
				t.Errorf("the page speaks to the grown-up: %v, want %v", got, tt.forAdult)
			}
			token := csrfOf(t, page)
			answer := url.Values{"csrf": {token}, "choice": {w.homes[0].ID.String()}, "words": {"I like the dog."}}
			if tt.forAdult {
				bad := kid.do("POST", path, answer)
				f.want(bad, 400)
				if !strings.Contains(string(bad.body), `href="#with-social_worker">Say who went through this page with Ava.`) {
					t.Errorf("the mistake is not linked to the question:\n%s", bad.body)
				}
				if o2, _ := f.store.Offer(context.Background(), catalogue.Everything, o.ID); !o2.Say.At.IsZero() {
					t.Error("an answer without who went through it was saved")
				}
				answer.Set("with", "carer")
			}
			f.want(kid.do("POST", path, answer), 303)
			var read struct {
				Say struct {
					With  string `json:"gone_through_with"`
					Words string `json:"in_own_words"`
				} `json:"child_say"`
			}
			r := f.do("officer", "GET", fmt.Sprintf("/v1/offers/%d", o.ID), nil)
			f.want(r, 200)
			r.json(t, &read)
			want := ""
			if tt.forAdult {
				want = "carer"
			}
			if read.Say.With != want || read.Say.Words != "I like the dog." {
				t.Errorf("the officer reads %+v, want gone through with %q", read.Say, want)
			}
		})
	}
}
