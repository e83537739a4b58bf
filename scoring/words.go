package scoring

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Plain-words helpers for the sentences social workers read aloud: British English, miles, the
// child's first name and pronouns.

// pronouns of a child, from their recorded sex.
type pronouns struct{ subj, obj, poss string }

func pronounsOf(s catalogue.Sex) pronouns {
	switch s {
	case catalogue.Female:
		return pronouns{"she", "her", "her"}
	case catalogue.Male:
		return pronouns{"he", "him", "his"}
	}
	return pronouns{"they", "them", "their"}
}

// name is how sentences call the child: their first name, or "the child" when none is recorded.
func name(c *catalogue.Child) string {
	if c.FirstName == "" {
		return "the child"
	}
	return c.FirstName
}

// possessive adds the possessive ending: "Amy's", "James's" (Guardian style).
func possessive(s string) string {
	if s == "the child" {
		return "the child's"
	}
	return s + "'s"
}

// capital upper-cases the first letter of a sentence.
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// number writes small whole numbers as words (style guides spell out one to ten).
func number(n int) string {
	switch n {
	case 0:
		return "no"
	case 1:
		return "one"
	case 2:
		return "two"
	case 3:
		return "three"
	case 4:
		return "four"
	case 5:
		return "five"
	case 6:
		return "six"
	case 7:
		return "seven"
	case 8:
		return "eight"
	case 9:
		return "nine"
	case 10:
		return "ten"
	}
	return strconv.Itoa(n)
}

// plural writes "one place", "three places".
func plural(n int, one, many string) string {
	if n == 1 {
		return "one " + one
	}
	return number(n) + " " + many
}

// miles writes a distance given in km as miles with one decimal: "4.2 miles", "1 mile".
func miles(km float64) string {
	m := math.Round(km/catalogue.MilesToKm*10) / 10
	if m == 0 {
		return "less than 0.1 miles"
	}
	if m == 1 {
		return "1 mile"
	}
	return strconv.FormatFloat(m, 'f', 1, 64) + " miles"
}

// roundMiles writes a limit given in km as whole miles when it is close to whole: "50 miles".
func roundMiles(km float64) string {
	m := km / catalogue.MilesToKm
	if r := math.Round(m); math.Abs(m-r) < 0.05 {
		if r == 1 {
			return "1 mile"
		}
		return strconv.FormatFloat(r, 'f', 0, 64) + " miles"
	}
	return miles(km)
}

// dateWords writes a date the British way: "3 March 2027".
func dateWords(d interface{ Format(string) string }) string { return d.Format("2 January 2006") }

func careWords(c catalogue.CareType) string {
	switch c {
	case catalogue.CareFamilyFoster:
		return "family foster care"
	case catalogue.CareKinship:
		return "kinship care with family or friends"
	case catalogue.CareChildrensHome:
		return "a children's home"
	case catalogue.CareSupported:
		return "supported accommodation"
	case catalogue.CareParentAndChild:
		return "a parent and child placement"
	case catalogue.CareEither:
		return "foster care or a children's home"
	}
	return "care of a kind not recorded"
}

func purposeWords(p catalogue.Purpose) string {
	switch p {
	case catalogue.PurposeEmergency:
		return "emergency care"
	case catalogue.PurposeShortTerm:
		return "short-term care"
	case catalogue.PurposeLongTerm:
		return "a long-term home"
	case catalogue.PurposeRespite:
		return "respite care"
	case catalogue.PurposeRemand:
		return "remand"
	}
	return "care of a purpose not recorded"
}

func needWords(k catalogue.NeedKind) string {
	switch k {
	case catalogue.NeedEmotionalBehavioural:
		return "emotional and behavioural needs"
	case catalogue.NeedTrauma:
		return "recovery from trauma"
	case catalogue.NeedDisabilityHealth:
		return "disability and health needs"
	case catalogue.NeedAutism:
		return "autism"
	case catalogue.NeedLearning:
		return "learning needs"
	case catalogue.NeedExploitationCSE:
		return "risk of sexual exploitation"
	case catalogue.NeedExploitationCCE:
		return "risk of criminal exploitation"
	case catalogue.NeedMissing:
		return "risk of going missing"
	case catalogue.NeedSubstanceUse:
		return "substance use"
	case catalogue.NeedUASC:
		return "needs as a young person seeking asylum alone"
	case catalogue.NeedParentAndChild:
		return "needs as a young parent"
	case catalogue.NeedRemand:
		return "needs while on remand"
	// Officers read these; a child never does (their page names the carers' skills in
	// catalogue/words.go's child register, which names no diagnosis).
	case catalogue.NeedSelfHarm:
		return "risk of self-harm"
	case catalogue.NeedEatingDisorder:
		return "eating disorder"
	case catalogue.NeedMentalHealth:
		return "mental health needs"
	case catalogue.NeedCriminalExploitingOthers:
		return "risk of drawing others into crime"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

func levelWords(l catalogue.NeedLevel) string {
	switch l {
	case catalogue.LevelLow:
		return "low"
	case catalogue.LevelMedium:
		return "medium"
	case catalogue.LevelHigh:
		return "high"
	}
	return "level not recorded"
}

// languageWords names a language from its ISO 639 code.
func languageWords(code string) string {
	if n, ok := catalogue.LanguageName(code); ok {
		return n
	}
	return fmt.Sprintf("the language with code %q", code)
}

func religionWords(r catalogue.Religion) string {
	switch r {
	case catalogue.ReligionChristian:
		return "Christian"
	case catalogue.ReligionMuslim:
		return "Muslim"
	case catalogue.ReligionHindu:
		return "Hindu"
	case catalogue.ReligionSikh:
		return "Sikh"
	case catalogue.ReligionJewish:
		return "Jewish"
	case catalogue.ReligionBuddhist:
		return "Buddhist"
	}
	return string(r)
}

func ethnicWords(g catalogue.EthnicGroup) string {
	switch g {
	case catalogue.EthnicWhite:
		return "White"
	case catalogue.EthnicMixed:
		return "Mixed"
	case catalogue.EthnicAsian:
		return "Asian"
	case catalogue.EthnicBlack:
		return "Black"
	case catalogue.EthnicOther:
		return "other"
	}
	return "unknown"
}

func frequencyWords(f catalogue.Frequency) string {
	switch f {
	case catalogue.FreqDaily:
		return "daily"
	case catalogue.FreqWeekly:
		return "weekly"
	case catalogue.FreqFortnightly:
		return "fortnightly"
	case catalogue.FreqMonthly:
		return "monthly"
	}
	return "less often than monthly"
}

func wishWords(w catalogue.Wish, p pronouns) string {
	switch w {
	case catalogue.WishStayAtSchool:
		return "staying at " + p.poss + " school"
	case catalogue.WishLiveWithSiblings:
		return "living with " + p.poss + " brothers and sisters"
	case catalogue.WishNearFamily:
		return "being near " + p.poss + " family"
	case catalogue.WishHavePet:
		return "having a pet"
	case catalogue.WishMyReligion:
		return p.poss + " religion"
	case catalogue.WishMyLanguage:
		return p.poss + " language"
	case catalogue.WishTown:
		return "living in a town"
	case catalogue.WishCountry:
		return "living in the country"
	}
	return string(w)
}
