package api

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Plain words for the child's page, written for a reader of about 8 to 17: short sentences,
// everyday words, distances in miles and never more exact than a child needs. Nothing here ever
// names an address or a location: the only place words are the placement's area name.

// milesWords says how far something is, as a child can picture it and never more exactly than
// that: under a mile; to the nearest mile up to 20 (9.7 and 12.3 miles are not both "about 10");
// then to the nearest five up to 30, and to the nearest ten past it.
func milesWords(km float64) string {
	mi := km / catalogue.MilesToKm
	switch {
	case !(mi >= 0):
		return ""
	case mi < 1:
		return "less than a mile"
	case mi < 1.5:
		return "about 1 mile"
	case mi < 20.5:
		return fmt.Sprintf("about %d miles", int(math.Round(mi)))
	case mi < 30:
		return fmt.Sprintf("about %d miles", int(math.Round(mi/5)*5))
	}
	return fmt.Sprintf("about %d miles", int(math.Round(mi/10)*10))
}

// joinAnd joins words the way people say them: "Grace", "Grace and Tom", "Grace, Tom and Sam".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func possessiveOf(s string) string {
	if strings.HasSuffix(s, "s") {
		return s + "'"
	}
	return s + "'s"
}

func numberWord(n int) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// homeTitle is what the child calls a home: the carers' first names for a family, or what kind
// of place it is. A children's home's own name is not used: it can be looked up. A confidential
// page names no carer (distinctTitles tells such homes apart).
func homeTitle(p catalogue.Placement, confidential bool) string {
	var names []string
	for _, c := range p.Household.Carers {
		names = append(names, c.FirstName)
	}
	switch {
	case p.Kind.IsFamily() && len(names) > 0 && !confidential:
		return possessiveOf(joinAnd(names)) + " home"
	case p.Kind == catalogue.ChildrensHome:
		return "A children's home"
	case p.Kind == catalogue.SupportedAccommodation:
		return "A place of your own, with support"
	}
	return "A family home"
}

// kindWords says what sort of home it is.
func kindWords(k catalogue.PlacementKind) string { return capitalise(k.Words().Child) + "." }

func childWord(sex catalogue.Sex) string {
	switch sex {
	case catalogue.Female:
		return "a girl"
	case catalogue.Male:
		return "a boy"
	}
	return "a child"
}

// whoLivesThere says who the child would live with: the carers, their children, other children
// (by age and sex only) and other adults. On a confidential page (named false) nobody is named.
func whoLivesThere(p catalogue.Placement, named bool) []string {
	var carers []string
	for _, c := range p.Household.Carers {
		carers = append(carers, c.FirstName)
	}
	var out []string
	switch {
	case !named:
		out = append(out, anonymousCarers(p))
	case p.Kind.IsFamily() && len(carers) == 1:
		out = append(out, carers[0]+" would look after you.")
	case p.Kind.IsFamily() && len(carers) > 1:
		out = append(out, joinAnd(carers)+" would look after you.")
	case len(carers) > 0:
		out = append(out, "Staff look after you. You would get to know "+joinAnd(carers)+".")
	default:
		out = append(out, "Staff look after you.")
	}
	their := "their"
	if len(carers) == 1 && p.Kind.IsFamily() {
		their = possessiveOf(carers[0])
	}
	others := 0
	for _, m := range p.Household.Members {
		switch m.Role {
		case catalogue.MemberCarersChild:
			rel := "child"
			switch m.Sex {
			case catalogue.Female:
				rel = "daughter"
			case catalogue.Male:
				rel = "son"
			}
			name := m.FirstName
			if name == "" || !named {
				name = "The carers' " + rel
				out = append(out, fmt.Sprintf("%s, who is %d, lives here too.", name, m.Age))
				if m.Age < 18 {
					others++
				}
				continue
			}
			if m.Age >= 18 {
				out = append(out, fmt.Sprintf("%s, %s grown-up %s, lives here too.", name, their, rel))
				continue
			}
			out = append(out, fmt.Sprintf("%s, %s %s, is %d.", name, their, rel, m.Age))
			others++
		case catalogue.MemberPlacedChild:
			out = append(out, fmt.Sprintf("%s aged %d also lives here.", capitalise(childWord(m.Sex)), m.Age))
			others++
		case catalogue.MemberAdult:
			if m.FirstName != "" && named {
				out = append(out, m.FirstName+", another grown-up, lives here too.")
			} else {
				out = append(out, "Another grown-up lives here too.")
			}
		}
	}
	if others == 0 {
		out = append(out, "No other children live here right now.")
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// afterEighteenWords tells a young person of 16 or over whether they could stay on in a home
// after they turn 18.
func afterEighteenWords(p *catalogue.Placement) string {
	if p.OffersStayingPut() {
		return "You could stay here after you turn 18, until you are 21, if you want to (this is called Staying Put)."
	}
	if p.Kind == catalogue.ChildrensHome {
		return stayingCloseWords
	}
	return "This home does not offer Staying Put: you would move on at 18, with help to find your next home."
}

// stayingCloseWords tells a young person of 16 or over in (or offered) a children's home about
// Staying Close: support to live near the home after 18 and keep in touch with the staff (the
// DfE's Staying Close programme; a duty is proposed, not yet law, so the words say "can ask").
const stayingCloseWords = "You would move on from this home at 18, but you can ask for help to live nearby and keep in touch with the people who know you here (this is called Staying Close)."

// livingNowAfterEighteenWords tells a young person of 16 or 17 what may happen where they live
// now when they turn 18, from their current placement (catalogue.LeavingOn): Staying Put with
// their foster or kinship carers (Children Act 1989 s23CZA), as far as their carers have said,
// or Staying Close for a children's home. Empty for anyone else.
func livingNowAfterEighteenWords(l catalogue.Leaving) string {
	switch {
	case l.StayingCloseEligible:
		return "When you turn 18 you would move on from your home, but you can ask for help to live nearby and keep in touch with the people who know you there (this is called Staying Close). Your social worker or personal adviser can tell you more."
	case !l.StayingPutEligible:
		return ""
	case l.StayingPut == catalogue.StayingPutAgreed:
		return "You, your carers and your council have agreed that you can stay with your carers after you turn 18, until you are 21 (this is called Staying Put)."
	case l.StayingPut == catalogue.StayingPutWilling:
		return "Your carers would like you to be able to stay with them after you turn 18, until you are 21, if you want to (this is called Staying Put). Your social worker will talk to you about it."
	}
	return "You might be able to stay with your carers after you turn 18, until you are 21 (this is called Staying Put). Your social worker will talk to you and your carers about it."
}

// petsWords says what pets live in the home.
func petsWords(pets []catalogue.Animal) string {
	var names []string
	for _, a := range pets {
		names = append(names, a.Words().Child)
	}
	switch len(names) {
	case 0:
		return "There are no pets."
	case 1:
		return "There is " + names[0] + "."
	}
	return "There are pets: " + joinAnd(names) + "."
}

func goodAt(p catalogue.Placement) []string {
	var out []string
	for _, s := range catalogue.Skills { // a fixed order
		for _, have := range p.Skills {
			if have == s {
				out = append(out, capitalise(s.Words().Child)+".")
			}
		}
	}
	switch {
	case p.Experience == 1:
		out = append(out, "They have looked after children for 1 year.")
	case p.Experience > 1:
		out = append(out, fmt.Sprintf("They have looked after children for %d years.", p.Experience))
	}
	return out
}

func languagesWords(codes []string) string {
	var names []string
	for _, c := range codes {
		if n, ok := catalogue.LanguageName(c); ok {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "At home they speak " + joinAnd(names) + "."
}

// personWords is how the page names someone in the child's contact plan: as the child names
// them, or by who they are.
func personWords(k catalogue.Contact) string {
	if k.Name != "" {
		return k.Name
	}
	return k.Relationship.Words("").Child
}

// siblingsWords names brothers and sisters by who they are to the child ("Your brother and your
// two sisters"), never by name: the page shows nothing of another child's record.
func siblingsWords(moving []catalogue.Child) string {
	brothers, sisters, others := 0, 0, 0
	for _, m := range moving {
		switch m.Sex {
		case catalogue.Male:
			brothers++
		case catalogue.Female:
			sisters++
		default:
			others++
		}
	}
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "your "+one)
		case n > 1:
			parts = append(parts, "your "+numberWord(n)+" "+many)
		}
	}
	add(brothers, "brother", "brothers")
	add(sisters, "sister", "sisters")
	add(others, "brother or sister", "brothers and sisters")
	return capitalise(joinAnd(parts))
}
