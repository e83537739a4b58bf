package childlang

import (
	"slices"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Form is a plural form, as CLDR names it.
type Form string

// The plural forms.
const (
	Zero  Form = "zero"
	One   Form = "one"
	Two   Form = "two"
	Few   Form = "few"
	Many  Form = "many"
	Other Form = "other"
)

var formNames = map[plural.Form]Form{plural.Zero: Zero, plural.One: One, plural.Two: Two, plural.Few: Few,
	plural.Many: Many, plural.Other: Other}

// formOf is the plural form of the whole number n in lang, by CLDR's cardinal rules
// (golang.org/x/text/feature/plural).
func formOf(lang string, n int) Form {
	tag, err := language.Parse(lang)
	if err != nil {
		return Other
	}
	if n < 0 {
		n = -n
	}
	return formNames[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
}

// Forms are the plural forms a message with a count must have in lang: those that whole numbers
// take (0 to 1000 covers every rule CLDR has for them), and "other" always.
func Forms(lang string) []Form {
	seen := map[Form]bool{Other: true}
	for n := range 1001 {
		seen[formOf(lang, n)] = true
	}
	order := []Form{Zero, One, Two, Few, Many, Other}
	return slices.DeleteFunc(order, func(f Form) bool { return !seen[f] })
}
