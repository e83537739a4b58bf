package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/net/html"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
)

// withLanguages builds the handler again offering children the languages ids.
func (f *offerFixture) withLanguages(ids ...string) {
	f.t.Helper()
	if err := f.withSettings(func(s *api.Settings) { s.ChildLanguages = ids }); err != nil {
		f.t.Fatal(err)
	}
}

// withSettings builds the handler again with the settings changed by change.
func (f *offerFixture) withSettings(change func(*api.Settings)) error {
	set := api.Settings{AllowedHosts: []string{"example.com"}, RequestTimeout: testRequestTimeout}
	change(&set)
	h, err := api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Settings: set})
	if err == nil {
		f.h = h
	}
	return err
}

// testTranslation writes, in a new directory, a council's translation made from English by
// change (given the file's messages), and returns the directory. Its id is ur, written right
// to left; each message is English with "[ur] " before it, which is only a test's stand-in for
// a translation.
func testTranslation(t *testing.T, change func(msgs map[string]any)) string {
	t.Helper()
	b, err := api.EnglishMessages()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	msgs := doc["messages"].(map[string]any)
	for k, v := range msgs {
		if s, ok := v.(string); ok {
			msgs[k] = "[ur] " + s
		}
	}
	if change != nil {
		change(msgs)
	}
	doc["id"], doc["lang"], doc["dir"], doc["name"] = "ur", "ur", "rtl", "اردو"
	doc["reviewed_by"], doc["reviewed_on"] = "A test, not a translation", "2026-12-01"
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ur.json"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestChildLanguageChosen: a page is in the child's choice on this device, else their first
// language when the service has it, else the service's default; a right-to-left language sets
// dir and lang on <html>; the choice is a link that works without script and keeps nothing in
// the URL; a language the service does not offer changes nothing. Easy read is a choice too.
func TestChildLanguageChosen(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	dir := testTranslation(t, nil)
	if err := f.withSettings(func(s *api.Settings) { s.ChildLanguagesDir, s.ChildLanguageDefault = dir, "en-easy" }); err != nil {
		t.Fatal(err)
	}
	lang := func(r response) string {
		m := regexp.MustCompile(`<html[^>]*>`).Find(r.body)
		return string(m)
	}
	for _, tt := range []struct {
		first, choose, want string
	}{
		{"ur", "", `<html lang="ur" dir="rtl">`},
		{"ur", "en", `<html lang="en-GB">`},
		{"pl", "", `<html lang="en-GB">`},             // no Polish here: the default, easy read
		{"ur", "en-XA", `<html lang="ur" dir="rtl">`}, // not offered: nothing changes
		{"en", "ur", `<html lang="ur" dir="rtl">`},
	} {
		w := newPageWorldWith(t, f.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
			func(c *catalogue.Child) { c.FirstLanguage = tt.first }, nil)
		kid := f.visitor("203.0.113.80")
		f.want(kid.do("POST", w.link, nil), 303)
		path := fmt.Sprintf("/child/offers/%d", w.offer.ID)
		if tt.choose != "" {
			r := kid.do("GET", "/child/language?to="+tt.choose, nil)
			f.want(r, 303)
			if got := r.header.Get("Location"); got != path {
				t.Errorf("choosing %s goes to %q, not back to the page %q", tt.choose, got, path)
			}
		}
		page := kid.do("GET", path, nil)
		f.want(page, 200)
		if got := lang(page); got != tt.want {
			t.Errorf("first language %s, chose %q: %s, want %s", tt.first, tt.choose, got, tt.want)
		}
		if tt.first == "pl" && !bytes.Contains(page.body, []byte("Read about the homes.")) {
			t.Errorf("the service's default, easy read, is not used")
		}
		// A link to each of the three languages but the page's own, which is marked.
		if n := bytes.Count(page.body, []byte(`href="/child/language?to=`)); n != 2 || !bytes.Contains(page.body, []byte(`aria-current="true"`)) {
			t.Errorf("the page has %d language links, want 2 and its own marked", n)
		}
	}
	golden.Check(t, "testdata/child-offer.en-easy.golden.html", func() []byte {
		w := newPageWorld(t, f.store)
		kid := f.visitor("203.0.113.81")
		f.want(kid.do("POST", w.link, nil), 303)
		f.want(kid.do("GET", "/child/language?to=en-easy", nil), 303)
		return csrfValue.ReplaceAll(kid.do("GET", fmt.Sprintf("/child/offers/%d", w.offer.ID), nil).body, []byte(`name="csrf" value="CSRF"`))
	}())
}

// TestChildLanguageRefused: a council's translation that is not right stops the service
// starting, saying which file, which key and what is wrong.
func TestChildLanguageRefused(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	for _, tt := range []struct {
		name   string
		change func(map[string]any)
		want   string
	}{
		{"missing", func(m map[string]any) { delete(m, "offer.title") }, "ur.json: offer.title: missing"},
		{"placeholder", func(m map[string]any) { m["checkin.heading"] = "[ur] how are things?" }, "ur.json: checkin.heading: placeholders none, but English has {name}"},
		{"HTML", func(m map[string]any) { m["offer.title"] = "<b>[ur]</b>" }, "ur.json: offer.title: HTML is not allowed"},
	} {
		dir := testTranslation(t, tt.change)
		err := f.withSettings(func(s *api.Settings) { s.ChildLanguagesDir = dir })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if err := f.withSettings(func(s *api.Settings) { s.ChildLanguages = []string{"en", "pl"} }); err == nil || !strings.Contains(err.Error(), `"pl" is not a language the service has`) {
		t.Errorf("a language the service has not got is enabled: %v", err)
	}
}

// page is one child's page as a test saw it.
type seenPage struct {
	what string
	body []byte
}

// notPseudo lists what a child reads on page that is not pseudo-localised: every text node
// (the title's too) and every attribute a child reads or hears (title, aria-label, placeholder,
// alt, a button's value) that, once the data of the page (names of people and places, a
// helpline's own name, the carers' own words in a blockquote, what the child wrote in a
// textarea, a web address) is taken out, still has a plain letter A to Z. Numbers are not letters. The names
// of languages on the language links are each in its own language (their lang attribute says
// which), so they are not the page's to translate.
func notPseudo(t *testing.T, body []byte, data []string) []string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	plain := func(s string) bool {
		for _, d := range data {
			s = strings.ReplaceAll(s, d, "")
		}
		for _, r := range s {
			if r < unicode.MaxASCII && unicode.IsLetter(r) {
				return true
			}
		}
		return false
	}
	pageLang := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch {
			case n.Data == "html":
				pageLang = attr["lang"]
			case n.Data == "style" || n.Data == "svg" || n.Data == "blockquote" || n.Data == "textarea":
				return
			case attr["lang"] != "" && attr["lang"] != pageLang:
				return
			}
			for _, k := range []string{"title", "aria-label", "placeholder", "alt"} {
				if v, ok := attr[k]; ok && plain(v) {
					bad = append(bad, fmt.Sprintf("<%s %s=%q>", n.Data, k, v))
				}
			}
			if t := attr["type"]; (n.Data == "input" && (t == "submit" || t == "button" || t == "reset")) && plain(attr["value"]) {
				bad = append(bad, fmt.Sprintf("<input value=%q>", attr["value"]))
			}
		}
		if n.Type == html.TextNode && plain(n.Data) {
			bad = append(bad, strings.TrimSpace(n.Data))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return bad
}

// TestChildPagesPseudoLocalised renders every child page, in every state, in the pseudo-locale
// en-XA (every message accented, lengthened and bracketed, made from English): the door, the
// offer with two choices and brothers and sisters (one moving, one not), with mistakes, saved
// and decided, one choice, confidential, a young child's page for the grown-up, the check-in with
// mistakes and the thank-you with an alert, "I'd rather not", the privacy notice and a kind page.
// A plain letter anywhere a child reads is text that did not come from a catalogue.
func TestChildPagesPseudoLocalised(t *testing.T) {
	t.Parallel()
	data := []string{"Mia", "Ava", "Amy", "Ngozi", "Paul", "Karen", "Dan", "Tobi", "Chorlton", "Sale", "Stretford",
		"St Anne's Primary", "St Anne&#39;s Primary", "Mum", "Nan", "Help at Hand", "ico.org.uk"}
	pick := func(kid *visitor) {
		kid.do("GET", "/child/language?to=en-XA", nil)
	}
	var pages []seenPage
	see := func(what string, r response) { pages = append(pages, seenPage{what, r.body}) }

	// The door, the offer (two choices, siblings), its mistakes, saved and decided.
	f := newOfferFixture(t, nil)
	f.withLanguages("en", "en-easy", "en-XA")
	w := newPageWorld(t, f.store)
	kid := f.visitor("203.0.113.70")
	pick(kid)
	see("the door", kid.do("GET", w.link, nil))
	f.want(kid.do("POST", w.link, nil), 303)
	path := fmt.Sprintf("/child/offers/%d", w.offer.ID)
	page := kid.do("GET", path, nil)
	f.want(page, 200)
	see("the offer", page)
	token := csrfOf(t, page)
	bad := kid.do("POST", path, url.Values{"csrf": {token}, "words": {strings.Repeat("ab ", 700)}})
	f.want(bad, 400)
	see("the offer's mistakes", bad)
	f.want(kid.do("POST", path, url.Values{"csrf": {token}, "choice": {w.homes[1].ID.String()}}), 303)
	see("the offer saved", kid.do("GET", path+"?saved=1", nil))
	w.decideSecond(t)
	see("the decision", kid.do("GET", path, nil))
	bad = kid.do("POST", path+"/look-again", url.Values{"csrf": {token}, "why": {strings.Repeat("a", 5000)}})
	see("the look-again mistake", bad)
	see("the privacy notice", kid.do("GET", "/child/privacy", nil))
	see("a kind page", kid.do("GET", "/child/offers/0", nil))
	left := kid.do("POST", "/child/leave", url.Values{"csrf": {token}})
	f.want(left, 200)
	see("the page left", left)
	// The choice of language ends with the session.
	if ended := kid.do("GET", path, nil); !bytes.Contains(ended.body, []byte(`<html lang="en-GB">`)) {
		t.Errorf("after leaving, the page is still in the language chosen: %.200s", ended.body)
	}

	// One choice, confidential.
	f2 := newOfferFixture(t, nil)
	f2.withLanguages("en", "en-XA")
	w2 := newPageWorldWith(t, f2.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
		func(c *catalogue.Child) { c.Confidential = true }, func(o *catalogue.Offer) { o.Options = o.Options[:1] })
	kid2 := f2.visitor("203.0.113.71")
	pick(kid2)
	f2.want(kid2.do("POST", w2.link, nil), 303)
	see("one confidential choice", kid2.do("GET", fmt.Sprintf("/child/offers/%d", w2.offer.ID), nil))

	// A young child's page, for the grown-up, with its mistake.
	f3 := newOfferFixture(t, nil)
	f3.withLanguages("en", "en-XA")
	w3 := newPageWorldOf(t, f3.store, "Ava", today.AddDate(-6, -6, 0))
	kid3 := f3.visitor("203.0.113.72")
	pick(kid3)
	f3.want(kid3.do("POST", w3.link, nil), 303)
	path3 := fmt.Sprintf("/child/offers/%d", w3.offer.ID)
	young := kid3.do("GET", path3, nil)
	see("a young child's page", young)
	see("a young child's page's mistake", kid3.do("POST", path3, url.Values{"csrf": {csrfOf(t, young)}, "choice": {"unsure"}}))

	// The check-in, its mistakes, the thank-you with an alert, and "I'd rather not".
	f4 := newOfferFixture(t, nil)
	f4.withLanguages("en", "en-XA")
	f4.placeAmySince(10)
	kid4 := f4.visitor("203.0.113.73")
	pick(kid4)
	f4.want(kid4.do("POST", f4.checkInLink(), nil), 303)
	ci := kid4.do("GET", "/child/check-in", nil)
	see("the check-in", ci)
	see("the check-in in words", kid4.do("GET", "/child/check-in?way=words", nil))
	token4 := csrfOf(t, ci)
	see("the check-in's mistakes", kid4.do("POST", "/child/check-in", url.Values{"csrf": {token4}, "safe": {"very"}, "would_help": {strings.Repeat("ab ", 400)}}))
	f4.want(kid4.do("POST", "/child/check-in", url.Values{"csrf": {token4}, "way": {"faces"}, "safe": {"no"}, "advocate": {"yes"}}), 303)
	thanks := kid4.do("GET", "/child/check-in?saved=1", nil)
	see("the thank-you with an alert", thanks)
	see("I'd rather not", kid4.do("POST", "/child/check-in", url.Values{"csrf": {token4}, "rather_not": {"yes"}}))

	for _, p := range pages {
		if !bytes.Contains(p.body, []byte(`<html lang="en-XA">`)) {
			t.Errorf("%s is not in en-XA: %.300s", p.what, p.body)
			continue
		}
		for _, b := range notPseudo(t, p.body, data) {
			t.Errorf("%s: not from a catalogue: %q", p.what, b)
		}
	}
	golden.Check(t, "testdata/child-offer.en-XA.golden.html", csrfValue.ReplaceAll(pages[1].body, []byte(`name="csrf" value="CSRF"`)))
	golden.Check(t, "testdata/child-check-in-unsafe.en-XA.golden.html", csrfValue.ReplaceAll(thanks.body, []byte(`name="csrf" value="CSRF"`)))
}

// TestNotPseudoFails: the check finds what is not pseudo-localised, so the test above can fail.
func TestNotPseudoFails(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		want int
	}{
		{`<html lang="en-XA"><title>⟦Ýóúŕ⟧</title><p>⟦Ĥéééļļó⟧, Mia</p></html>`, 0},
		{`<html lang="en-XA"><title>Your page</title></html>`, 1},
		{`<html lang="en-XA"><p>⟦Ĥéééļļó⟧ there</p></html>`, 1},
		{`<html lang="en-XA"><nav aria-label="Language"></nav></html>`, 1},
		{`<html lang="en-XA"><input type="submit" value="Send"></html>`, 1},
		{`<html lang="en-XA"><a lang="pl">Polski</a><blockquote>Our words</blockquote><p>12 · 0800 1111</p></html>`, 0},
	} {
		if got := notPseudo(t, []byte(tt.body), []string{"Mia"}); len(got) != tt.want {
			t.Errorf("%s: %q, want %d", tt.body, got, tt.want)
		}
	}
}

// TestChildLanguagePolicy: a council's policy says which languages its children may choose and
// its default (child_languages, child_language_default); a language the service does not have
// is refused, naming the field; a child's first language or choice the council does not offer
// is not used.
func TestChildLanguagePolicy(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	if err := f.withSettings(func(s *api.Settings) { s.ChildLanguagesDir = testTranslation(t, nil) }); err != nil {
		t.Fatal(err)
	}
	put := func(body map[string]any) response {
		pv, err := f.store.Policy(context.Background(), manchester)
		if err != nil {
			t.Fatal(err)
		}
		body["council"], body["version"], body["note"] = string(manchester), pv.Policy.Version, "Our children's languages."
		return f.do("admin", "PUT", "/v1/policy", body)
	}
	for _, tt := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"child_languages": []string{"en", "pl"}}, "child_languages"},
		{map[string]any{"child_language_default": "pl"}, "child_language_default"},
		{map[string]any{"child_languages": []string{"en", "ur"}, "child_language_default": "en-easy"}, "child_language_default"},
	} {
		r := put(tt.body)
		f.want(r, 400)
		if !bytes.Contains(r.body, []byte(`"`+tt.field+`"`)) {
			t.Errorf("%v: the refusal does not name %s: %s", tt.body, tt.field, r.body)
		}
	}
	f.want(put(map[string]any{"child_languages": []string{"en", "en-easy"}, "child_language_default": "en-easy"}), 200)
	w := newPageWorldWith(t, f.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
		func(c *catalogue.Child) { c.FirstLanguage = "ur" }, nil)
	kid := f.visitor("203.0.113.82")
	f.want(kid.do("POST", w.link, nil), 303)
	f.want(kid.do("GET", "/child/language?to=ur", nil), 303)
	page := kid.do("GET", fmt.Sprintf("/child/offers/%d", w.offer.ID), nil)
	f.want(page, 200)
	if !bytes.Contains(page.body, []byte(`<html lang="en-GB">`)) || !bytes.Contains(page.body, []byte("Read about the homes.")) {
		t.Errorf("the council's default, easy read, is not used for a child whose language it does not offer: %.400s", page.body)
	}
	if bytes.Contains(page.body, []byte("to=ur")) || !bytes.Contains(page.body, []byte(`href="/child/language?to=en"`)) {
		t.Errorf("the page does not offer exactly the council's languages")
	}
}

// TestChildLanguagePreview: the officer's preview of a child's page is in the child's language
// (their first language here), as the child will first see it, with no language links.
func TestChildLanguagePreview(t *testing.T) {
	t.Parallel()
	f := newOfferFixture(t, nil)
	if err := f.withSettings(func(s *api.Settings) { s.ChildLanguagesDir = testTranslation(t, nil) }); err != nil {
		t.Fatal(err)
	}
	w := newPageWorldWith(t, f.store, "Mia", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
		func(c *catalogue.Child) { c.FirstLanguage = "ur" }, nil)
	r := f.do("officer", "GET", fmt.Sprintf("/workspace/offers/%d/preview", w.offer.ID), nil)
	f.want(r, 200)
	if !bytes.Contains(r.body, []byte(`<html lang="ur" dir="rtl">`)) || !bytes.Contains(r.body, []byte("[ur] ")) {
		t.Errorf("the preview is not in the child's language: %.300s", r.body)
	}
	if bytes.Contains(r.body, []byte("/child/language")) {
		t.Errorf("the preview offers the child's language links")
	}
}
