package childlang

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// file is a catalogue as written:
//
//	{"id": "pl", "lang": "pl", "name": "Polski", "dir": "ltr",
//	 "reviewed_by": "A. Nowak, Example Council interpreting service", "reviewed_on": "2026-12-01",
//	 "messages": {"offer.title": "...", "miles.about": {"one": "...", "few": "...", "many": "...", "other": "..."}}}
type file struct {
	ID   string `json:"id"`   // what the page's language link and the child's session name it by
	Lang string `json:"lang"` // its BCP 47 tag, for <html lang>
	Name string `json:"name"` // its name in itself, for the language link: "Polski", "Easy read"
	Dir  string `json:"dir,omitempty"`
	// Parent, for a variant of a language in the same language (easy read English), is the
	// catalogue whose words stand for those the variant leaves out.
	Parent            string                     `json:"parent,omitempty"`
	ReviewedBy        string                     `json:"reviewed_by"`
	ReviewedOn        string                     `json:"reviewed_on"`
	MachineTranslated bool                       `json:"machine_translated,omitempty"`
	Messages          map[string]json.RawMessage `json:"messages"`
}

// Catalogue is one language's words for the child's pages.
type Catalogue struct {
	ID, Lang, Name string
	RTL            bool
	Parent         string
	ReviewedBy     string
	ReviewedOn     string
	msgs           map[string]Message
	broken         map[string]bool // keys whose message could not be read (a problem already)
}

// Keys are the catalogue's keys, in order.
func (c *Catalogue) Keys() []string { return slices.Sorted(maps.Keys(c.msgs)) }

// Problem is one thing wrong with a catalogue file.
type Problem struct {
	File, Key, What string
}

func (p Problem) String() string {
	if p.Key == "" {
		return p.File + ": " + p.What
	}
	return p.File + ": " + p.Key + ": " + p.What
}

var (
	idPattern  = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	keyPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)
)

// Parse reads a catalogue file, name naming it in problems. It checks the file on its own: the
// header, the keys, every message's form; Check compares it with English.
func Parse(name string, data []byte) (*Catalogue, []Problem) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, []Problem{{File: name, What: "not a catalogue: " + err.Error()}}
	}
	if dec.More() {
		return nil, []Problem{{File: name, What: "not a catalogue: more after the first JSON object"}}
	}
	var ps []Problem
	bad := func(key, format string, a ...any) {
		ps = append(ps, Problem{File: name, Key: key, What: fmt.Sprintf(format, a...)})
	}
	c := &Catalogue{ID: f.ID, Lang: f.Lang, Name: strings.TrimSpace(f.Name), Parent: f.Parent,
		ReviewedBy: strings.TrimSpace(f.ReviewedBy), ReviewedOn: f.ReviewedOn, msgs: map[string]Message{}, broken: map[string]bool{}}
	if !idPattern.MatchString(f.ID) {
		bad("", "id %q is not a language's id (like pl, en-easy)", f.ID)
	}
	if _, err := language.Parse(f.Lang); err != nil || f.Lang == "" {
		bad("", "lang %q is not a BCP 47 language tag (like pl, ur-PK)", f.Lang)
	}
	if c.Name == "" {
		bad("", "name is missing: the language's name in itself, shown on the language link")
	}
	switch f.Dir {
	case "", "ltr":
	case "rtl":
		c.RTL = true
	default:
		bad("", "dir %q is neither ltr nor rtl", f.Dir)
	}
	switch {
	case f.MachineTranslated && c.ReviewedBy == "":
		bad("", "machine translated and not reviewed: no unreviewed machine translation reaches a child; a person who reads the language checks it and signs reviewed_by and reviewed_on")
	case c.ReviewedBy == "":
		bad("", "reviewed_by is missing: who checked these words (a translator or interpreter who reads the language)")
	}
	if _, err := time.Parse(time.DateOnly, f.ReviewedOn); err != nil {
		bad("", "reviewed_on %q is not a date (YYYY-MM-DD)", f.ReviewedOn)
	}
	if len(f.Messages) == 0 {
		bad("", "no messages")
	}
	for _, key := range slices.Sorted(maps.Keys(f.Messages)) {
		if !keyPattern.MatchString(key) {
			bad(key, "not a key (dotted lower-case words, like offer.title)")
			continue
		}
		m, err := parseMessage(f.Lang, f.Messages[key])
		if err != nil {
			bad(key, "%v", err)
			c.broken[key] = true
			continue
		}
		c.msgs[key] = m
	}
	return c, ps
}

// parseMessage reads one message: a string, or an object of plural forms.
func parseMessage(lang string, raw json.RawMessage) (Message, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		segs, err := parseOne(s)
		return Message{text: segs}, err
	}
	var forms map[string]string
	if err := json.Unmarshal(raw, &forms); err != nil {
		return Message{}, fmt.Errorf("neither a text nor plural forms ({\"one\": ..., \"other\": ...})")
	}
	m := Message{plural: map[Form][]segment{}}
	want := Forms(lang)
	for k, v := range forms {
		if !slices.Contains(want, Form(k)) {
			return Message{}, fmt.Errorf("plural form %q is not one of %s (the forms of %s)", k, formList(want), lang)
		}
		segs, err := parseOne(v)
		if err != nil {
			return Message{}, fmt.Errorf("plural form %s: %w", k, err)
		}
		m.plural[Form(k)] = segs
	}
	for _, f := range want {
		if _, ok := m.plural[f]; !ok {
			return Message{}, fmt.Errorf("plural form %q is missing: %s needs %s", f, lang, formList(want))
		}
	}
	return m, nil
}

func formList(fs []Form) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// parseOne reads one text: not empty, no HTML, braces only around placeholders.
func parseOne(s string) ([]segment, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty")
	}
	if strings.ContainsAny(s, "<>") {
		return nil, fmt.Errorf("HTML is not allowed in a message (it has < or >)")
	}
	if strings.Contains(s, "&") && htmlEntity.MatchString(s) {
		return nil, fmt.Errorf("HTML is not allowed in a message (it has an entity like &amp;): write the character itself")
	}
	return parseText(s)
}

var htmlEntity = regexp.MustCompile(`&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);`)

// Check compares a translation with English: every key of English is there (unless the
// translation is a variant of English with a parent, which fills in), no other key is, each
// message has the same placeholders, and a plural message is plural in both.
func Check(english, c *Catalogue, name string) []Problem {
	var ps []Problem
	bad := func(key, format string, a ...any) {
		ps = append(ps, Problem{File: name, Key: key, What: fmt.Sprintf(format, a...)})
	}
	if c.Parent != "" {
		if base(c.Lang) != base(english.Lang) || c.Parent != english.ID {
			bad("", "parent %q: only a variant of English in English (like easy read) may leave words to English", c.Parent)
		}
	}
	for _, key := range english.Keys() {
		want := english.msgs[key]
		got, ok := c.msgs[key]
		if !ok {
			if c.Parent == "" && !c.broken[key] {
				bad(key, "missing")
			}
			continue
		}
		if (want.plural == nil) != (got.plural == nil) {
			if want.plural != nil {
				bad(key, "English has plural forms (it counts {count}): give the forms of %s", c.Lang)
			} else {
				bad(key, "English has no plural forms here: give one text")
			}
			continue
		}
		w, g := want.placeholders(), got.placeholders()
		if !maps.Equal(w, g) {
			bad(key, "placeholders %s, but English has %s", list(g), list(w))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(c.broken)) {
		if _, ok := english.msgs[key]; !ok {
			bad(key, "unknown key: English has no such message")
		}
	}
	for _, key := range c.Keys() {
		if _, ok := english.msgs[key]; !ok {
			bad(key, "unknown key: English has no such message")
		}
	}
	return ps
}

func base(lang string) string {
	t, err := language.Parse(lang)
	if err != nil {
		return lang
	}
	b, _ := t.Base()
	return b.String()
}

func list(set map[string]bool) string {
	if len(set) == 0 {
		return "none"
	}
	var s []string
	for _, n := range slices.Sorted(maps.Keys(set)) {
		s = append(s, "{"+n+"}")
	}
	return strings.Join(s, " ")
}

// Load parses and checks a translation against English in one step: a catalogue with no
// problems, or every problem (the file's own, then those against English).
func Load(english *Catalogue, name string, data []byte) (*Catalogue, []Problem) {
	c, ps := Parse(name, data)
	if c == nil {
		return nil, ps
	}
	ps = append(ps, Check(english, c, name)...)
	if len(ps) > 0 {
		return nil, ps
	}
	return c, nil
}
