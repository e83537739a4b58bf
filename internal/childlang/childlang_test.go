package childlang

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

const englishFile = `{"id": "en", "lang": "en-GB", "name": "English", "reviewed_by": "placematch", "reviewed_on": "2026-12-08",
 "messages": {"page.title": "Your page", "page.hello": "Hello, {name}",
  "page.years": {"one": "a year", "other": "{count} years"}}}`

func english(t testing.TB) *Catalogue {
	t.Helper()
	c, ps := Parse("en.json", []byte(englishFile))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	return c
}

// TestCheck: a translation is refused, with the file, the key and the problem, for each thing
// the brief names: a key missing or unknown, placeholders not English's, plural forms
// incomplete or foreign to the language, HTML, no reviewer, machine translation unreviewed.
func TestCheck(t *testing.T) {
	t.Parallel()
	head := `"id": "pl", "lang": "pl", "name": "Polski", "reviewed_by": "A. Nowak", "reviewed_on": "2026-12-01"`
	good := `"page.title": "Twoja strona", "page.hello": "Cześć, {name}", "page.years": {"one": "rok", "few": "{count} lata", "many": "{count} lat", "other": "{count} roku"}`
	tests := []struct {
		name, file string
		want       []string // each a problem's text, in order
	}{
		{"good", `{` + head + `, "messages": {` + good + `}}`, nil},
		{"missing key", `{` + head + `, "messages": {"page.title": "Twoja strona", "page.years": {"one": "rok", "few": "{count} lata", "many": "{count} lat", "other": "{count} roku"}}}`,
			[]string{"pl.json: page.hello: missing"}},
		{"unknown key", `{` + head + `, "messages": {` + good + `, "page.extra": "x"}}`,
			[]string{"pl.json: page.extra: unknown key: English has no such message"}},
		{"placeholder renamed", `{` + head + `, "messages": {"page.title": "Twoja strona", "page.hello": "Cześć, {imie}", "page.years": {"one": "rok", "few": "{count} lata", "many": "{count} lat", "other": "{count} roku"}}}`,
			[]string{"pl.json: page.hello: placeholders {imie}, but English has {name}"}},
		{"placeholder dropped", `{` + head + `, "messages": {"page.title": "Twoja strona", "page.hello": "Cześć", "page.years": {"one": "rok", "few": "{count} lata", "many": "{count} lat", "other": "{count} roku"}}}`,
			[]string{"pl.json: page.hello: placeholders none, but English has {name}"}},
		{"plural form missing", `{` + head + `, "messages": {"page.title": "Twoja strona", "page.hello": "Cześć, {name}", "page.years": {"one": "rok", "other": "{count} lat"}}}`,
			[]string{`pl.json: page.years: plural form "few" is missing: pl needs one, few, many, other`}},
		{"plural form foreign", `{` + head + `, "messages": {"page.title": "Twoja strona", "page.hello": "Cześć, {name}", "page.years": {"one": "rok", "two": "x", "few": "{count} lata", "many": "{count} lat", "other": "{count} roku"}}}`,
			[]string{`pl.json: page.years: plural form "two" is not one of one, few, many, other (the forms of pl)`}},
		{"not plural", `{` + head + `, "messages": {"page.title": "Twoja strona", "page.hello": "Cześć, {name}", "page.years": "{count} lat"}}`,
			[]string{"pl.json: page.years: English has plural forms (it counts {count}): give the forms of pl"}},
		{"HTML", `{` + head + `, "messages": {` + strings.Replace(good, "Twoja strona", "<b>Twoja</b> strona", 1) + `}}`,
			[]string{"pl.json: page.title: HTML is not allowed in a message (it has < or >)"}},
		{"entity", `{` + head + `, "messages": {` + strings.Replace(good, "Twoja strona", "Twoja&nbsp;strona", 1) + `}}`,
			[]string{"pl.json: page.title: HTML is not allowed in a message (it has an entity like &amp;): write the character itself"}},
		{"brace", `{` + head + `, "messages": {` + strings.Replace(good, "Twoja strona", "Twoja {strona", 1) + `}}`,
			[]string{"pl.json: page.title: an opening brace with no closing one"}},
		{"not reviewed", `{"id": "pl", "lang": "pl", "name": "Polski", "reviewed_on": "2026-12-01", "messages": {` + good + `}}`,
			[]string{"pl.json: reviewed_by is missing: who checked these words (a translator or interpreter who reads the language)"}},
		{"machine translated", `{"id": "pl", "lang": "pl", "name": "Polski", "machine_translated": true, "reviewed_on": "2026-12-01", "messages": {` + good + `}}`,
			[]string{"pl.json: machine translated and not reviewed: no unreviewed machine translation reaches a child; a person who reads the language checks it and signs reviewed_by and reviewed_on"}},
		{"machine translated, reviewed", `{"id": "pl", "lang": "pl", "name": "Polski", "machine_translated": true, "reviewed_by": "A. Nowak", "reviewed_on": "2026-12-01", "messages": {` + good + `}}`, nil},
		{"bad date", `{"id": "pl", "lang": "pl", "name": "Polski", "reviewed_by": "A. Nowak", "reviewed_on": "1 December", "messages": {` + good + `}}`,
			[]string{`pl.json: reviewed_on "1 December" is not a date (YYYY-MM-DD)`}},
		{"unknown field", `{` + head + `, "author": "x", "messages": {` + good + `}}`,
			[]string{`pl.json: not a catalogue: json: unknown field "author"`}},
		{"variant of another language", `{` + head + `, "parent": "en", "messages": {"page.title": "Twoja strona"}}`,
			[]string{`pl.json: parent "en": only a variant of English in English (like easy read) may leave words to English`}},
		{"variant of English", `{"id": "en-easy", "lang": "en-GB", "name": "Easy read", "parent": "en", "reviewed_by": "x", "reviewed_on": "2026-12-01", "messages": {"page.title": "Your own page"}}`, nil},
	}
	en := english(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ps := Load(en, "pl.json", []byte(tc.file))
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestForms: the plural forms a language needs, from CLDR.
func TestForms(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{
		"en": "one, other", "en-GB": "one, other", "pl": "one, few, many, other", "cy": "zero, one, two, few, many, other",
		"ar": "zero, one, two, few, many, other", "ur": "one, other", "zh": "other", "ro": "one, few, other",
	} {
		if got := formList(Forms(lang)); got != want {
			t.Errorf("%s: forms %s, want %s", lang, got, want)
		}
	}
}

// TestPrinter: placeholders by name, whatever their order; plural by count; a variant falls
// back to its parent; an unknown key shows as itself.
func TestPrinter(t *testing.T) {
	t.Parallel()
	en := english(t)
	easy, ps := Load(en, "en-easy.json", []byte(`{"id": "en-easy", "lang": "en-GB", "name": "Easy read", "parent": "en", "reviewed_by": "x", "reviewed_on": "2026-12-01", "messages": {"page.title": "Your own page"}}`))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	set := NewSet(en, easy, Pseudo(en, PseudoLTR, false))
	tests := []struct {
		id, key string
		args    []any
		want    string
	}{
		{"en", "page.hello", []any{"name", "Amy"}, "Hello, Amy"},
		{"en", "page.years", []any{"count", 1}, "a year"},
		{"en", "page.years", []any{"count", 0}, "0 years"},
		{"en", "page.years", []any{"count", 7}, "7 years"},
		{"en-easy", "page.title", nil, "Your own page"},
		{"en-easy", "page.hello", []any{"name", "Amy"}, "Hello, Amy"},
		{"fr", "page.title", nil, "Your page"},
		{"en", "page.none", nil, "{page.none}"},
		{"en", "page.hello", nil, "Hello, {name}"},
		{"en-XA", "page.hello", []any{"name", "Amy"}, "⟦Ĥééļļóó, Amy⟧"},
		{"en-XA", "page.years", []any{"count", 2}, "⟦2 ýééááŕš⟧"},
	}
	for _, tc := range tests {
		if got := set.Printer(tc.id).Text(tc.key, tc.args...); got != tc.want {
			t.Errorf("%s %s %v: %q, want %q", tc.id, tc.key, tc.args, got, tc.want)
		}
	}
}

// TestPseudoText: every ASCII letter is accented, so none is left; nothing else changes.
func TestPseudoText(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"The quick brown fox jumps over the lazy dog", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG", "0800 1111, 999!"} {
		got := PseudoText(s)
		for _, r := range got {
			if r < unicode.MaxASCII && unicode.IsLetter(r) {
				t.Errorf("%q: %q keeps the letter %q", s, got, r)
			}
		}
		if utf8Len := len([]rune(got)); utf8Len <= len(s) && strings.ContainsAny(s, "aeiouAEIOU") {
			t.Errorf("%q is not longer: %q", s, got)
		}
	}
	if got := PseudoText("0800 1111, 999!"); got != "0800 1111, 999!" {
		t.Errorf("numbers changed: %q", got)
	}
}

// FuzzParse: any bytes give a catalogue or problems, never a panic, and a catalogue parsed
// formats every message.
func FuzzParse(f *testing.F) {
	f.Add([]byte(englishFile))
	f.Add([]byte(`{"id": "pl", "messages": {"a.b": {"one": "{x", "other": "}"}}}`))
	f.Add([]byte(`{"id": "en", "lang": "en", "name": "x", "reviewed_by": "y", "reviewed_on": "2026-01-01", "messages": {"a.b": "{count}"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ps := Parse("fuzz.json", data)
		if c == nil {
			if len(ps) == 0 {
				t.Fatal("no catalogue and no problem")
			}
			return
		}
		p := NewSet(c).Printer(c.ID)
		for _, k := range c.Keys() {
			_ = p.Text(k, "count", 3, "name", "x")
		}
		for _, pr := range ps {
			if !strings.HasPrefix(pr.String(), "fuzz.json: ") {
				t.Errorf("a problem does not name the file: %s", pr)
			}
		}
	})
}
