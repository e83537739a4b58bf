package api

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// redactContact takes out of a home's own words, before a child reads them, anything that could
// find or reach the home: phone numbers, e-mail addresses and handles, web addresses, postcodes
// in any spacing, grid references, coordinates, what3words and plus codes, and street addresses
// (a house number, a flat, a street named by a capitalised word and a street word such as Lane,
// Road or Square). Each is replaced by "…"; the rest of the words are left as they were written.
//
// Patterns cannot catch every slip, and this is the second guard, not the first: a home's words
// reach a child only once an officer or administrator other than their author has approved them
// (catalogue.ProfileReview). The rule is gazetteer-free, so it errs towards taking out a place
// name now and then ("Primrose Hill") rather than leaving a street in.
//
// The patterns run on a folded shadow of the text, so that look-alike characters do not hide a
// detail: compatibility forms (full-width, mathematical, circled digits), non-breaking and other
// spaces, invisible format characters and combining marks, digits of other scripts, dashes, and
// Cyrillic and Greek capitals that look Latin. What the shadow matches is cut from the original.
func redactContact(s string) string {
	for range 4 { // a cut never makes a new match, but check: take out until nothing is left
		spans := contactSpans(s)
		if len(spans) == 0 {
			return s
		}
		s = cutSpans(s, spans)
	}
	return s
}

// redaction is what replaces a detail.
const redaction = "…"

// shadow is a folded copy of a text with, for each of its bytes, the span of the original rune
// it came from; digits is the same copy with the letters that stand in for figures in a number
// read as figures ("O161" as "0161"), for phone numbers only (a postcode has letters).
type shadow struct {
	text, digits string
	start, end   []int
}

// foldText folds s rune by rune (see redactContact) into its shadow.
func foldText(s string) shadow {
	var b strings.Builder
	var sh shadow
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		f := foldRune(r)
		b.WriteString(f)
		for range len(f) {
			sh.start = append(sh.start, i)
			sh.end = append(sh.end, i+n)
		}
		i += n
	}
	sh.text = b.String()
	sh.digits = digitLikes().ReplaceAllStringFunc(sh.text, func(tok string) string { // O161 → 0161
		if !strings.ContainsAny(tok, "0123456789") {
			return tok
		}
		return strings.NewReplacer("O", "0", "o", "0", "I", "1", "l", "1").Replace(tok)
	})
	return sh
}

// digitLikes are runs of digits and letters that stand in for them.
var digitLikes = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b[0-9OoIl]+\b`) })

// lookAlikes are Cyrillic and Greek letters that look like Latin ones.
var lookAlikes = map[rune]rune{
	'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'І': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'О': 'O', 'Р': 'P',
	'Ѕ': 'S', 'Т': 'T', 'Х': 'X', 'У': 'Y', 'а': 'a', 'с': 'c', 'е': 'e', 'о': 'o', 'р': 'p', 'х': 'x', 'у': 'y',
	'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'l', 'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H',
	'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'ο': 'o', 'ν': 'v',
	'。': '.', '｡': '.', '‧': '.', '∙': '.', '·': '.',
}

// foldRune is one rune of the shadow.
func foldRune(r rune) string {
	switch {
	case r < utf8.RuneSelf:
		return string(r)
	case r == '…': // the redaction itself: kept, so that a cut never joins what it separates
		return string(r)
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r):
		return "" // zero-width spaces and joiners, soft hyphens, direction marks, combining marks
	case unicode.IsSpace(r), unicode.Is(unicode.Zs, r):
		return " "
	case unicode.Is(unicode.Pd, r), r == '−', r == '‐':
		return "-"
	case unicode.Is(unicode.Nd, r):
		return string(rune('0' + digitValue(r)))
	}
	if l, ok := lookAlikes[r]; ok {
		return string(l)
	}
	f := norm.NFKC.String(string(r))
	var b strings.Builder
	for _, c := range f {
		switch {
		case unicode.Is(unicode.Mn, c):
		case unicode.Is(unicode.Nd, c):
			b.WriteRune(rune('0' + digitValue(c)))
		case unicode.IsSpace(c):
			b.WriteByte(' ')
		default:
			if l, ok := lookAlikes[c]; ok {
				c = l
			}
			b.WriteRune(c)
		}
	}
	return b.String()
}

// digitValue is the value of a decimal digit of any script: Unicode keeps each script's digits
// in runs of ten from zero.
func digitValue(r rune) int {
	zero := r
	for zero > 0 && unicode.Is(unicode.Nd, zero-1) && r-zero < 60 {
		zero--
	}
	return int(r-zero) % 10
}

// span is a byte range of the original text.
type span struct{ from, to int }

// contactSpans finds every detail in s, as spans of s, sorted and merged.
func contactSpans(s string) []span {
	sh := foldText(s)
	var found []span
	add := func(a, b int) { // a shadow range
		if a < b {
			found = append(found, span{sh.start[a], sh.end[b-1]})
		}
	}
	for _, re := range plainRules() {
		for _, m := range re.FindAllStringSubmatchIndex(sh.text, -1) {
			a, b := m[0], m[1]
			if len(m) >= 4 && m[2] >= 0 { // the detail is the first group
				a, b = m[2], m[3]
			}
			add(a, b)
		}
	}
	for _, m := range phoneRule().FindAllStringIndex(sh.digits, -1) {
		if a, b, ok := phoneSpan(sh.digits, m[0], m[1]); ok {
			add(a, b)
		}
	}
	for _, m := range streetWordsIn(sh.text) {
		if a, ok := streetStart(sh.text, m.from, m.to); ok {
			add(a, m.to)
		}
	}
	slices.SortFunc(found, func(x, y span) int { return x.from - y.from })
	var out []span
	for _, sp := range found {
		if n := len(out); n > 0 && sp.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, sp.to)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// cutSpans replaces each span of s by the redaction.
func cutSpans(s string, spans []span) string {
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.from])
		b.WriteString(redaction)
		last = sp.to
	}
	b.WriteString(s[last:])
	return b.String()
}

// Top-level domains that a bare web or e-mail address ends with.
const tlds = `(?:com|co\.uk|org\.uk|me\.uk|ltd\.uk|gov\.uk|nhs\.uk|ac\.uk|sch\.uk|uk|org|net|info|biz|io|me|co|app|online|site|xyz|family|email|tv|ly|eu|ie)`

// Spelled-out and bracketed "at" and "dot", as people write addresses to hide them from robots.
const (
	spelledAt  = `(?:\s*@\s*|\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+)`
	spelledDot = `(?:\s*[\(\[\{<]\s*(?:dot|\.)\s*[\)\]\}>]\s*|\s+dot\s+)`
)

// plainRules are the details a regular expression finds on its own (compiled when first used,
// not at init: some thirty expressions a command that redacts nothing should not pay for). A
// rule with a group cuts only the group.
var plainRules = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		// E-mail addresses: plain, and with the @ and dots spelled out or bracketed.
		regexp.MustCompile(`[\w.%+\-]+\s*@\s*[\w\-]+(?:\s*\.\s*[\w\-]+)*`),
		regexp.MustCompile(`(?i)[\w.%+\-]+` + spelledAt + `[\w\-]+(?:(?:\.|` + spelledDot + `)[\w\-]+)*(?:\.|` + spelledDot + `)` + tlds + `\b`),
		regexp.MustCompile(`(?i)[\w.%+\-]+\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*[\w\-]+`),
		// Handles: @name, and a platform followed by a name.
		regexp.MustCompile(`@[\w.\-]*\w[\w.\-]*\w`),
		regexp.MustCompile(`(?i)\b(?:facebook|fb|instagram|insta|ig|tiktok|snapchat|snap|twitter|whatsapp|telegram|signal|youtube|discord|threads|bluesky)\s*(?::|@|\s-\s)\s*@?[\w.\-]+`),
		// Web addresses: a scheme, www, or a name with a known top-level domain.
		regexp.MustCompile(`(?i)\b(?:https?|ftp)\s*:\s*/\s*/\s*\S+`),
		regexp.MustCompile(`(?i)\bwww\s*(?:\.|` + spelledDot + `)\s*\S+`),
		regexp.MustCompile(`(?i)\b[\w\-]+(?:\.[\w\-]+)*\.` + tlds + `\b(?:/\S*)?`),
		regexp.MustCompile(`(?i)\b[\w\-]+(?:(?:\s*\.\s*|` + spelledDot + `)[\w\-]+)*(?:\s+\.\s*|` + spelledDot + `)` + tlds + `\b`),
		// Postcodes, in any case and any spacing after the first figure, even run into other words:
		// one or two letters and a figure (so that "at 7.30am" stays), a figure or letter, then a
		// figure and two letters (the inward code), not followed by a letter.
		regexp.MustCompile(`(?i)([A-Z]{1,2}[0-9][\s.\-]{0,2}(?:[A-Z0-9][\s.\-]{0,2})?[0-9][\s.\-]{0,2}[A-Z][\s.\-]{0,2}[A-Z])(?:[^A-Za-z]|$)`),
		// Ordnance Survey grid references: two capitals and an even number of figures (lower case
		// only with six or more, so that "to 1500" stays), and bare eastings and northings.
		regexp.MustCompile(`\b[HJNOST][A-HJ-Z]\s?(?:\d{2}\s?\d{2}|\d{3}\s?\d{3}|\d{4}\s?\d{4}|\d{5}\s?\d{5})\b`),
		regexp.MustCompile(`\b[hjnost][a-hj-z]\s?(?:\d{3}\s?\d{3}|\d{4}\s?\d{4}|\d{5}\s?\d{5})\b`),
		regexp.MustCompile(`\b\d{6}\s*[,/]\s*\d{6,7}\b`),
		// Coordinates: pairs of decimal degrees (to three places, or fewer with N and E), one to
		// four places or more (but not the year of a date, "12.05.2012"), degrees with minutes or a hemisphere ("53°26'N", but not "25°C"),
		// and numbers after lat or long.
		regexp.MustCompile(`[-+]?\d{1,3}\.\d{3,}\s*°?\s*[NSns]?\s*[,;/]?\s*[-+]?\d{1,3}\.\d{3,}\s*°?\s*[EWew]?\b`),
		regexp.MustCompile(`\d{1,3}(?:\.\d+)?\s*°?\s*[NSns]\s*[,;/]?\s*\d{1,3}(?:\.\d+)?\s*°?\s*[EWew]\b`),
		regexp.MustCompile(`(?:^|[^\d.])([-+]?\d{1,3}\.\d{4,})`),
		regexp.MustCompile(`\d{1,3}\s*[°º]\s*\d{1,2}(?:\.\d+)?\s*['′’]?(?:\s*\d{1,2}(?:\.\d+)?\s*(?:"|″|”|'')?)?\s*[NSEWnsew]?\b`),
		regexp.MustCompile(`\d{1,3}\s*[°º]\s*[NSEWnsew]\b`),
		regexp.MustCompile(`(?i)\b(?:lat|latitude|lng|longitude)\s*[:=]?\s*[-+]?\d{1,3}(?:\.\d+)?`),
		regexp.MustCompile(`(?i)\b(?:lon|long)\s*(?:[:=]\s*[-+]?\d{1,3}(?:\.\d+)?|[-+]?\d{1,3}\.\d+)`),
		// what3words (///filled.count.soap) and plus codes (9C5W+XX).
		regexp.MustCompile(`(?:/{2,3}\s*)?\b\p{L}{2,}\.\p{L}{2,}\.\p{L}{2,}\b`),
		regexp.MustCompile(`(?i)\b[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,3}\b`),
		// Phone numbers spelled in words: seven or more numbers in a row.
		regexp.MustCompile(`(?i)\b(?:(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|\d)[\s,\-]+){6,}(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|\d)\b`),
		// Flats and boxes: Flat 3, Apartment 12b, PO Box 42, house number 7.
		regexp.MustCompile(`(?i)\b(?:flat|apartment|apt|unit|p\.?\s?o\.?\s?box|house\s+number|door\s+number)\s*(?:no\.?\s*)?#?\d+[a-z]?\b`),
	}
})

// phoneRule finds candidate phone numbers: seven or more figures with spaces, dashes, dots or
// brackets between them, perhaps after a +.
var phoneRule = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:\+\s*)?(?:\(\s*)?\d(?:[\s\-.()]{0,3}\d){6,}\)?`) })

// notPhone are figures that are not a phone number: two years joined by a dash
// ("2015-2020"), two times ("10.30-12.30") and a date ("12.05.2019").
var notPhone = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:(?:19|20)\d\d\s*-\s*(?:19|20)\d\d|\d{1,2}[.:]\d\d\s*-\s*\d{1,2}[.:]\d\d|\d{1,2}[.\-]\d{1,2}[.\-](?:19|20)?\d\d)$`)
})

// phoneSpan checks a candidate phone number, trimmed of trailing separators.
func phoneSpan(text string, a, b int) (int, int, bool) {
	for b > a && strings.ContainsRune(" -.(", rune(text[b-1])) {
		b--
	}
	if notPhone().MatchString(text[a:b]) {
		return 0, 0, false
	}
	return a, b, true
}

// streetWords are the words that end a street's name, and the names of houses and farms (a
// home's name can be looked up); streetShort are their abbreviations, which may end in a dot.
var (
	streetWords = []string{"Lane", "Road", "Street", "Close", "Square", "Avenue", "Drive", "Way", "Court", "Gardens",
		"Place", "Crescent", "Terrace", "Row", "Hill", "Green", "Walk", "Mews", "Grove", "View", "Rise", "Vale", "Parade",
		"Boulevard", "Croft", "Wharf", "House", "Cottage", "Farm", "Lodge", "Manor", "Barn"}
	streetShort = []string{"Rd", "St", "Ave", "Ln", "Cres", "Sq", "Terr", "Gdns", "Cl", "Ct"}
)

// plainStreetWords are street words unlikely to mean anything else in lower case after a house
// number: "12 mill lane", but not "a 10 minute walk" or "5 minutes down the road".
var plainStreetWords = map[string]bool{"lane": true, "road": true, "rd": true, "street": true, "avenue": true,
	"ave": true, "crescent": true, "terrace": true, "mews": true, "grove": true}

// streetSet holds streetWords and streetShort in lower case, the short ones marked true.
var streetSet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range streetWords {
		m[strings.ToLower(w)] = false
	}
	for _, w := range streetShort {
		m[strings.ToLower(w)] = true
	}
	return m
})

// streetWordsIn finds the street words of text, in any case, as whole words or capitalised and
// run into the word before ("MillLane"), an abbreviation with its dot: streetStart decides
// whether each ends an address. (A scan of the words rather than a regular expression, which
// would try each of the words at every position.)
func streetWordsIn(text string) []span {
	var out []span
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		from := i
		last := -1 // the start of the word's last capitalised part after a small letter
		prevLower := false
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) {
				break
			}
			if unicode.IsUpper(r) && prevLower {
				last = i
			}
			prevLower = unicode.IsLower(r)
			i += n
		}
		a := from
		short, ok := streetSet()[strings.ToLower(text[from:i])]
		if !ok && last > 0 {
			a = last
			short, ok = streetSet()[strings.ToLower(text[last:i])]
		}
		if !ok {
			continue
		}
		b := i
		if short && b < len(text) && text[b] == '.' {
			b++
		}
		out = append(out, span{a, b})
	}
	return out
}

// notNames are capitalised words that do not name a street: "No Way", "Our Green".
var notNames = sync.OnceValue(func() map[string]bool {
	return wordSet(`a an no our my your their his her its this that these those every each any some all we i
	you they he she it in on at by to of for from and or but if so then when where what which who why how go let's
	lets me us them very it's i'm we're there's here's that's what's`)
})

// stopWords, between a house number and a street word, mean it is not an address ("5 minutes
// down the road").
var stopWords = sync.OnceValue(func() map[string]bool {
	return wordSet(`the a an up down along across over under past round around near on in at to from of and
	or our my your their minute minutes min mins mile miles hour hours walk walking drive driving ride bus short long
	quick few couple times dogs cats is are was were`)
})

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// livesOn are the cues that the lower-case words after them are where someone lives.
var livesOn = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:\b(?:live|lives|lived|living|based|located|stay|staying|moved|find us)\s+(?:on|at|in|off|to)|\baddress(?:\s+is)?\s*:?)\s+(?:the\s+)?$`)
})

// word is one word of a street's name.
var word = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[\p{L}\d][\p{L}\d'’\-]*\.?$`) })

// streetStart decides whether the street word at text[a:b] ends an address, and where the
// address starts: the capitalised words before a capitalised street word ("Mill Lane", "St
// John's Road"), or any words after a house number ("12 mill lane") or after "we live on", with
// a house number, a flat or a range ("12-14", "3a,") before them taken too.
func streetStart(text string, a, b int) (int, bool) {
	sw := strings.TrimSuffix(text[a:b], ".")
	capital := unicode.IsUpper(firstRune(sw))
	if prev, _ := utf8.DecodeLastRuneInString(text[:a]); unicode.IsLetter(prev) || unicode.IsDigit(prev) {
		// Run into the word before: a name only in camel case ("MillLane", not "Broadway").
		if !capital || !unicode.IsLower(prev) {
			return 0, false
		}
		from := a
		for from > 0 {
			r, n := utf8.DecodeLastRuneInString(text[:from])
			if !unicode.IsLetter(r) && r != '\'' && r != '’' {
				break
			}
			from -= n
		}
		if !isNameWord(text[from:a]) {
			return 0, false
		}
		return withNumber(text, from), true
	}
	// The words before it, nearest first, up to three.
	var starts []int
	var words []string
	pos := a
	for len(words) < 3 {
		before := strings.TrimRight(text[:pos], " ")
		if len(before) == len(text[:pos]) || strings.HasSuffix(before, "\n") {
			break // words of a name are separated by spaces
		}
		off := window(before, 64)
		loc := word().FindStringIndex(before[off:])
		if loc == nil {
			break
		}
		starts = append(starts, off+loc[0])
		words = append(words, before[off+loc[0]:])
		pos = off + loc[0]
	}
	// A capitalised street word after capitalised words.
	n := 0
	for n < len(words) && isNameWord(words[n]) {
		n++
	}
	if capital && n > 0 {
		return withNumber(text, starts[n-1]), true
	}
	// Lower case: a house number, then words that could be a street's name.
	if !plainStreetWords[strings.ToLower(sw)] {
		return 0, false
	}
	for i, w := range words {
		if stopWords()[strings.ToLower(strings.TrimSuffix(w, "."))] {
			break
		}
		if i > 0 && isNumber(w) {
			return withNumber(text, starts[i]), true
		}
		if i == 0 && isNumber(w) {
			return 0, false // "12 lane": a number of lanes
		}
		if livesOn().MatchString(text[window(text[:starts[i]], 64):starts[i]]) {
			return withNumber(text, starts[i]), true
		}
	}
	return 0, false
}

// isNameWord reports whether w could be a word of a street's name: capitalised, and not a word
// that only starts a sentence.
func isNameWord(w string) bool {
	w = strings.TrimSuffix(w, ".")
	r := firstRune(w)
	return unicode.IsUpper(r) && !notNames()[strings.ToLower(w)]
}

var houseNumberWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+[A-Za-z]?(?:-\d+[A-Za-z]?)?,?$`) })

func isNumber(w string) bool { return houseNumberWord().MatchString(w) }

// houseNumber is a house number, flat or range just before a street's name.
var houseNumber = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?\s*,?\s*)?(?:no\.?\s*|number\s+)?\b\d+[a-z]?(?:\s*-\s*\d+[a-z]?)?\s*,?\s+$`)
})

// withNumber moves the start of an address back over a house number before it.
func withNumber(text string, start int) int {
	off := window(text[:start], 48)
	if loc := houseNumber().FindStringIndex(text[off:start]); loc != nil {
		return off + loc[0]
	}
	return start
}

// window is where the last n bytes or so of s start, at a rune's start: the patterns that look
// back from a street word look no further, so that a long text is not read again for each.
func window(s string, n int) int {
	i := max(0, len(s)-n)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
