package api

import (
	"math"
	"strconv"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// Plain words for the child's page, written for a reader of about 8 to 17: short sentences,
// everyday words, distances in miles and never more exact than a child needs. Nothing here ever
// names an address or a location: the only place words are the placement's area name. The
// words themselves are in the child's language's catalogue (pages/messages, childlang.go).

// milesWords says how far something is, as a child can picture it and never more exactly than
// that: under a mile; to the nearest mile up to 20 (9.7 and 12.3 miles are not both "about 10");
// then to the nearest five up to 30, and to the nearest ten past it.
func milesWords(l *childlang.Printer, km float64) string {
	mi := km / catalogue.MilesToKm
	n := 0
	switch {
	case !(mi >= 0):
		return ""
	case mi < 1:
		return l.Text("miles.under_one")
	case mi < 1.5:
		n = 1
	case mi < 20.5:
		n = int(math.Round(mi))
	case mi < 30:
		n = int(math.Round(mi/5) * 5)
	default:
		n = int(math.Round(mi/10) * 10)
	}
	return l.Text("miles.about", "count", n)
}

// joinAnd joins words the way people say them: "Grace", "Grace and Tom", "Grace, Tom and Sam".
func joinAnd(l *childlang.Printer, words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	rest := words[0]
	for _, w := range words[1 : len(words)-1] {
		rest = l.Text("list.comma", "rest", rest, "next", w)
	}
	return l.Text("list.and", "rest", rest, "last", words[len(words)-1])
}

// possessiveOf is whose something is: "Grace's", "James'".
func possessiveOf(l *childlang.Printer, s string) string {
	if s != "" && s[len(s)-1] == 's' {
		return l.Text("possessive.s", "name", s)
	}
	return l.Text("possessive.name", "name", s)
}

func numberWord(l *childlang.Printer, n int) string {
	if n >= 0 && n <= 10 {
		return l.Text("number." + strconv.Itoa(n))
	}
	return strconv.Itoa(n)
}

// homeTitle is what the child calls a home: the carers' first names for a family, or what kind
// of place it is. A children's home's own name is not used: it can be looked up. A confidential
// page names no carer (distinctTitles tells such homes apart).
func homeTitle(l *childlang.Printer, p catalogue.Placement, confidential bool) string {
	var names []string
	for _, c := range p.Household.Carers {
		names = append(names, c.FirstName)
	}
	switch {
	case p.Kind.IsFamily() && len(names) > 0 && !confidential:
		return l.Text("home.named", "owners", possessiveOf(l, joinAnd(l, names)))
	case p.Kind == catalogue.ChildrensHome:
		return l.Text("home.childrens_home")
	case p.Kind == catalogue.SupportedAccommodation:
		return l.Text("home.supported")
	}
	return l.Text("home.family")
}

// kindWords says what sort of home it is.
func kindWords(l *childlang.Printer, k catalogue.PlacementKind) string {
	return l.Text("sentence.full", "words", capitalise(l.Text("placement_kind."+string(k))))
}

func childWord(l *childlang.Printer, sex catalogue.Sex) string {
	return l.Text("household.child_of." + sexKey(sex))
}

// sexKey is the part of a message's key that a person's sex chooses.
func sexKey(sex catalogue.Sex) string {
	switch sex {
	case catalogue.Female:
		return "female"
	case catalogue.Male:
		return "male"
	}
	return "other"
}

// whoLivesThere says who the child would live with: the carers, their children, other children
// (by age and sex only) and other adults. On a confidential page (named false) nobody is named.
func whoLivesThere(l *childlang.Printer, p catalogue.Placement, named bool) []string {
	var carers []string
	for _, c := range p.Household.Carers {
		carers = append(carers, c.FirstName)
	}
	var out []string
	switch {
	case !named:
		out = append(out, anonymousCarers(l, p))
	case p.Kind.IsFamily() && len(carers) > 0:
		out = append(out, l.Text("household.look_after", "names", joinAnd(l, carers)))
	case len(carers) > 0:
		out = append(out, l.Text("household.staff_named", "names", joinAnd(l, carers)))
	default:
		out = append(out, l.Text("household.staff"))
	}
	their := l.Text("household.their")
	if len(carers) == 1 && p.Kind.IsFamily() {
		their = possessiveOf(l, carers[0])
	}
	others := 0
	for _, m := range p.Household.Members {
		switch m.Role {
		case catalogue.MemberCarersChild:
			name := m.FirstName
			if name == "" || !named {
				out = append(out, l.Text("household.carers_child", "who", l.Text("household.carers_child_of."+sexKey(m.Sex)), "age", m.Age))
				if m.Age < 18 {
					others++
				}
				continue
			}
			rel := l.Text("household.relation." + sexKey(m.Sex))
			if m.Age >= 18 {
				out = append(out, l.Text("household.grown_up_child", "name", name, "their", their, "relation", rel))
				continue
			}
			out = append(out, l.Text("household.named_child", "name", name, "their", their, "relation", rel, "age", m.Age))
			others++
		case catalogue.MemberPlacedChild:
			out = append(out, l.Text("household.placed_child", "child", capitalise(childWord(l, m.Sex)), "age", m.Age))
			others++
		case catalogue.MemberAdult:
			if m.FirstName != "" && named {
				out = append(out, l.Text("household.adult_named", "name", m.FirstName))
			} else {
				out = append(out, l.Text("household.adult"))
			}
		}
	}
	if others == 0 {
		out = append(out, l.Text("household.no_children"))
	}
	return out
}

// afterEighteenWords tells a young person of 16 or over whether they could stay on in a home
// after they turn 18. A young person of 16 or over in (or offered) a children's home is told
// about Staying Close: support to live near the home after 18 and keep in touch with the staff
// (the DfE's Staying Close programme; a duty is proposed, not yet law, so the words say "can
// ask").
func afterEighteenWords(l *childlang.Printer, p *catalogue.Placement) string {
	if p.OffersStayingPut() {
		return l.Text("after_18.staying_put")
	}
	if p.Kind == catalogue.ChildrensHome {
		return l.Text("after_18.staying_close")
	}
	return l.Text("after_18.no_staying_put")
}

// livingNowAfterEighteenWords tells a young person of 16 or 17 what may happen where they live
// now when they turn 18, from their current placement (catalogue.LeavingOn): Staying Put with
// their foster or kinship carers (Children Act 1989 s23CZA), as far as their carers have said,
// or Staying Close for a children's home. Empty for anyone else.
func livingNowAfterEighteenWords(l *childlang.Printer, lv catalogue.Leaving) string {
	switch {
	case lv.StayingCloseEligible:
		return l.Text("after_18.now.staying_close")
	case !lv.StayingPutEligible:
		return ""
	case lv.StayingPut == catalogue.StayingPutAgreed:
		return l.Text("after_18.now.agreed")
	case lv.StayingPut == catalogue.StayingPutWilling:
		return l.Text("after_18.now.willing")
	}
	return l.Text("after_18.now.might")
}

// petsWords says what pets live in the home.
func petsWords(l *childlang.Printer, pets []catalogue.Animal) string {
	var names []string
	for _, a := range pets {
		names = append(names, l.Text("animal."+string(a)))
	}
	switch len(names) {
	case 0:
		return l.Text("pets.none")
	case 1:
		return l.Text("pets.one", "pet", names[0])
	}
	return l.Text("pets.many", "pets", joinAnd(l, names))
}

func goodAt(l *childlang.Printer, p catalogue.Placement) []string {
	var out []string
	for _, s := range catalogue.Skills { // a fixed order
		for _, have := range p.Skills {
			if have == s {
				out = append(out, l.Text("sentence.full", "words", capitalise(l.Text("skill."+string(s)))))
			}
		}
	}
	if p.Experience >= 1 {
		out = append(out, l.Text("good_at.experience", "count", p.Experience))
	}
	return out
}

func languagesWords(l *childlang.Printer, codes []string) string {
	var names []string
	for _, c := range codes {
		if _, ok := catalogue.LanguageName(c); ok {
			names = append(names, l.Text("language."+c))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return l.Text("good_at.languages", "languages", joinAnd(l, names))
}

// personWords is how the page names someone in the child's contact plan: as the child names
// them, or by who they are.
func personWords(l *childlang.Printer, k catalogue.Contact) string {
	if k.Name != "" {
		return k.Name
	}
	return l.Text("relationship." + string(k.Relationship))
}

// siblingsWords names brothers and sisters by who they are to the child ("Your brother and your
// two sisters"), never by name: the page shows nothing of another child's record.
func siblingsWords(l *childlang.Printer, moving []catalogue.Child) string {
	count := map[string]int{}
	for _, m := range moving {
		count[sexKey(m.Sex)]++
	}
	var parts []string
	for _, k := range []string{"male", "female", "other"} {
		if n := count[k]; n > 0 {
			parts = append(parts, l.Text("siblings."+k, "count", n, "number", numberWord(l, n)))
		}
	}
	return capitalise(joinAnd(l, parts))
}
