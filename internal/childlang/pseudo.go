package childlang

import (
	"maps"
	"strings"
	"unicode/utf8"
)

// The pseudo-locales are made from English, never written: every letter of every message is
// accented, every vowel doubled (about a third longer, as many languages are), and every
// message bracketed, so that a page shown in one has a plain letter only where something did not
// come from a catalogue (or is data: a name, a place). en-XA is written left to right, en-XB the
// same words right to left, to see the pages mirror.
const (
	PseudoLTR = "en-XA"
	PseudoRTL = "en-XB"
)

// The brackets around every pseudo-localised message.
const (
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

var accents = map[rune]string{
	'a': "á", 'b': "ƀ", 'c': "ç", 'd': "ð", 'e': "é", 'f': "ƒ", 'g': "ĝ", 'h': "ĥ", 'i': "í", 'j': "ĵ", 'k': "ķ",
	'l': "ļ", 'm': "ɱ", 'n': "ñ", 'o': "ó", 'p': "þ", 'q': "ǫ", 'r': "ŕ", 's': "š", 't': "ţ", 'u': "ú", 'v': "ṽ",
	'w': "ŵ", 'x': "ẋ", 'y': "ý", 'z': "ž",
	'A': "Á", 'B': "Ɓ", 'C': "Ç", 'D': "Ð", 'E': "É", 'F': "Ƒ", 'G': "Ĝ", 'H': "Ĥ", 'I': "Í", 'J': "Ĵ", 'K': "Ķ",
	'L': "Ļ", 'M': "Ṁ", 'N': "Ñ", 'O': "Ó", 'P': "Þ", 'Q': "Ǫ", 'R': "Ŕ", 'S': "Š", 'T': "Ţ", 'U': "Ú", 'V': "Ṽ",
	'W': "Ŵ", 'X': "Ẋ", 'Y': "Ý", 'Z': "Ž",
}

// PseudoText accents and lengthens text: "Open my page" is "Óþéé ɱý þáágéé".
func PseudoText(s string) string {
	var b strings.Builder
	for _, r := range s {
		a, ok := accents[r]
		if !ok {
			b.WriteRune(r)
			continue
		}
		b.WriteString(a)
		if strings.ContainsRune("aeiouAEIOU", r) {
			lower, _ := utf8.DecodeRuneInString(a)
			b.WriteString(strings.ToLower(string(lower)))
		}
	}
	return b.String()
}

// Pseudo makes the pseudo-locale id (PseudoLTR or PseudoRTL) from English.
func Pseudo(english *Catalogue, id string, rtl bool) *Catalogue {
	name := "Pseudo English"
	if rtl {
		name = "Pseudo English, right to left"
	}
	c := &Catalogue{ID: id, Lang: id, Name: PseudoOpen + PseudoText(name) + PseudoClose, RTL: rtl, ReviewedBy: "generated from English",
		ReviewedOn: english.ReviewedOn, msgs: make(map[string]Message, len(english.msgs))}
	for key, m := range english.msgs {
		if m.plural == nil {
			c.msgs[key] = Message{text: pseudoSegments(m.text)}
			continue
		}
		// English's forms, in a language whose forms are English's.
		p := Message{plural: map[Form][]segment{}}
		for f, segs := range maps.All(m.plural) {
			p.plural[f] = pseudoSegments(segs)
		}
		c.msgs[key] = p
	}
	return c
}

func pseudoSegments(segs []segment) []segment {
	out := make([]segment, 0, len(segs)+2)
	out = append(out, segment{text: PseudoOpen})
	for _, s := range segs {
		if s.name == "" {
			s.text = PseudoText(s.text)
		}
		out = append(out, s)
	}
	return append(out, segment{text: PseudoClose})
}
