package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestSiblingsOwnVoice (issue 20, item 2): a brother offered with his sister gets his own link to
// the same offer and his own say on it: his page is his (his name, his sister coming with him),
// what he says is kept apart from what she says, neither overwrites the other, and the officer
// reads each. A link for a child not offered with her is refused (400 naming child), and a
// new link for him leaves hers working.
func TestSiblingsOwnVoice(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	w := newPageWorld(t, f.store)
	ctx := context.Background()
	o, err := f.store.Offer(ctx, catalogue.Everything, w.offer.ID)
	if err != nil || len(o.Siblings) != 1 {
		t.Fatalf("the offer: %v %+v", err, o)
	}
	leon := o.Siblings[0]
	send := fmt.Sprintf("/v1/offers/%d/send", o.ID)
	f.want(f.do("officer", "POST", send, map[string]any{"child": int64(f.amy.ID)}), 400)
	leonLink := f.sendLink(t, o.ID, leon).Path

	// Mia's link, sent first, still opens; so does Leon's, each to their own page.
	mia, him := f.visitor("203.0.113.60"), f.visitor("203.0.113.61")
	f.want(mia.do("POST", w.link, nil), 303)
	f.want(him.do("POST", leonLink, nil), 303)
	path := fmt.Sprintf("/child/offers/%d", o.ID)
	miaPage, hisPage := mia.do("GET", path, nil), him.do("GET", path, nil)
	f.want(hisPage, 200)
	if !strings.Contains(string(hisPage.body), "Leon, here are homes you could live in") ||
		!strings.Contains(string(hisPage.body), "Your sister would live here with you.") {
		t.Errorf("Leon's page is not his:\n%s", hisPage.body)
	}
	if strings.Contains(string(hisPage.body), "Mia") {
		t.Error("Leon's page names his sister's record")
	}
	// His distances are his own: he has no school on record, so none is given.
	if strings.Contains(string(hisPage.body), "St Anne") {
		t.Error("Leon's page gives the distance from his sister's school")
	}

	f.want(mia.do("POST", path, url.Values{"csrf": {csrfOf(t, miaPage)}, "choice": {w.homes[0].ID.String()}, "words": {"The garden."}}), 303)
	f.want(him.do("POST", path, url.Values{"csrf": {csrfOf(t, hisPage)}, "choice": {w.homes[1].ID.String()}, "words": {"Karen likes films."}}), 303)
	// His form token does not work for her session, nor hers for his.
	f.want(him.do("POST", path, url.Values{"csrf": {csrfOf(t, miaPage)}, "choice": {"neither"}}), 403)

	var read struct {
		Say struct {
			Preference int64  `json:"preference"`
			Words      string `json:"in_own_words"`
		} `json:"child_say"`
		Siblings []struct {
			Child     int64  `json:"child"`
			FirstName string `json:"first_name"`
			Say       struct {
				Given      bool   `json:"given"`
				Preference int64  `json:"preference"`
				Words      string `json:"in_own_words"`
			} `json:"say"`
		} `json:"sibling_says"`
		Links []struct {
			Child int64 `json:"child"`
			Live  bool  `json:"live"`
		} `json:"links"`
	}
	r := f.do("officer", "GET", fmt.Sprintf("/v1/offers/%d", o.ID), nil)
	f.want(r, 200)
	r.json(t, &read)
	if read.Say.Preference != int64(w.homes[0].ID) || read.Say.Words != "The garden." {
		t.Errorf("Mia's say: %+v", read.Say)
	}
	if len(read.Siblings) != 1 || read.Siblings[0].Child != int64(leon) || read.Siblings[0].FirstName != "Leon" ||
		!read.Siblings[0].Say.Given || read.Siblings[0].Say.Preference != int64(w.homes[1].ID) || read.Siblings[0].Say.Words != "Karen likes films." {
		t.Errorf("Leon's say: %+v", read.Siblings)
	}
	whose := map[int64]int{}
	for _, l := range read.Links {
		whose[l.Child]++
	}
	if whose[int64(w.mia.ID)] != 1 || whose[int64(leon)] != 1 {
		t.Errorf("links by child: %v", whose)
	}
	// Each reads their own answer back.
	if page := him.do("GET", path, nil); !strings.Contains(string(page.body), "Karen likes films.") || strings.Contains(string(page.body), "The garden.") {
		t.Error("Leon's page does not show his own answer alone")
	}

	// The officer's page shows each say, and sends a brother his own link from it.
	page := f.do("~officer", "GET", fmt.Sprintf("/workspace/offers/%d", o.ID), nil)
	f.want(page, 200)
	body := strings.ReplaceAll(string(page.body), "&#39;", "'")
	for _, want := range []string{"Leon’s say", "Karen likes films.", "Send Leon their own link", `name="child" value="` + leon.String() + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the officer's page does not show %q", want)
		}
	}
	sentPage := f.form(fmt.Sprintf("/workspace/offers/%d/send", o.ID), url.Values{"child": {leon.String()}})
	f.want(sentPage, 200)
	if !strings.Contains(string(sentPage.body), "The offer is sent to Leon") {
		t.Errorf("the workspace did not send Leon his link:\n%s", sentPage.body)
	}
}

// sentLinkOf is a link the officer made, as the API answers it; Path is its path, /c/TOKEN.
type sentLinkOf struct {
	Path, Note string
	ForAdult   bool
}

// sendLink sends the offer through the API, for child (0: the offer's child), and returns the
// new link.
func (f *offerFixture) sendLink(t *testing.T, offer catalogue.OfferID, child catalogue.ChildID) sentLinkOf {
	t.Helper()
	body := map[string]any{}
	if child != 0 {
		body["child"] = int64(child)
	}
	var sent struct {
		Link struct {
			URL      string `json:"url"`
			Note     string `json:"note"`
			ForAdult bool   `json:"for_an_adult"`
		} `json:"link"`
	}
	r := f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/send", offer), body)
	f.want(r, 201)
	r.json(t, &sent)
	return sentLinkOf{Path: sent.Link.URL[strings.Index(sent.Link.URL, "/c/"):], Note: sent.Link.Note, ForAdult: sent.Link.ForAdult}
}
