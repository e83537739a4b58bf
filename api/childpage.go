package api

import (
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// The words of the child's offer page that are about the whole offer rather than one home (issue
// 20, item 8): how long the home is for, whether they would keep their school, what happens
// next and how to disagree, the decision with who made it and how to ask for a review; and the
// titles that tell the homes apart. A confidential placement (item 9, catalogue.Child.Confidential)
// names no area and no one in a household.

// stayWords says how long the home would be for, from the child's placement purpose and legal
// status: a child on an interim care order or remanded lives there until the court decides.
func stayWords(l *childlang.Printer, ch catalogue.Child) string {
	switch {
	case ch.Purpose == catalogue.PurposeRemand || ch.LegalStatus == catalogue.LegalRemand:
		return l.Text("stay.remand")
	case ch.Purpose == catalogue.PurposeRespite:
		return l.Text("stay.respite")
	case ch.LegalStatus == catalogue.LegalInterimCareOrder && ch.Purpose != catalogue.PurposeLongTerm:
		return l.Text("stay.interim_care_order")
	case ch.Purpose == catalogue.PurposeEmergency:
		return l.Text("stay.emergency")
	case ch.Purpose == catalogue.PurposeShortTerm:
		return l.Text("stay.short_term")
	case ch.Purpose == catalogue.PurposeLongTerm:
		return l.Text("stay.long_term")
	}
	return l.Text("stay.unknown")
}

// schoolWords says plainly whether the child would keep their school, from the plan
// (catalogue.School.KeepPlanned); how far each home is from it is under "How far it is". Empty for
// a child not at school.
func schoolWords(l *childlang.Printer, ch catalogue.Child) string {
	switch {
	case ch.School == nil:
		return ""
	case !ch.School.KeepPlanned:
		return l.Text("school.new", "school", ch.School.Name)
	}
	return l.Text("school.keep", "school", ch.School.Name)
}

// nextWords says what happens next while the child can still choose: a visit, who decides and
// by when, and how to disagree: their independent reviewing officer (Care Planning, Placement
// and Case Review (England) Regulations 2010, regulation 45), an advocate (Children Act 1989
// s26A) and the council's complaints procedure (s26(3)).
func nextWords(l *childlang.Printer, ch catalogue.Child, now time.Time) []string {
	when := l.Text("next.when_soon")
	if nb := catalogue.Day(ch.NeededBy); nb.After(catalogue.Day(now)) {
		when = l.Text("next.when_by", "date", dayMonth(l, nb))
	}
	return []string{l.Text("next.visit"), l.Text("next.decides", "when", when), l.Text("next.disagree")}
}

// decisionWords says what was decided, by whom and when, and how to ask for a review. title is
// the chosen home as the page names it; area is empty on a confidential page.
func decisionWords(l *childlang.Printer, d catalogue.Decision, title, area string) (said, review string) {
	on := dayMonth(l, d.At)
	switch {
	case d.Accepted && area != "":
		said = l.Text("decision.accepted_area", "on", on, "home", lowerFirst(l, title), "area", area)
	case d.Accepted:
		said = l.Text("decision.accepted", "on", on, "home", lowerFirst(l, title))
	default:
		said = l.Text("decision.declined", "on", on)
	}
	return said, l.Text("decision.review")
}

// distinctTitles gives every choice a title of its own: a children's home is never called by its
// real name (it can be looked up) and no two choices share a title. A title that two share takes
// the area; then the number of young people it is for; then its place in the list.
func distinctTitles(l *childlang.Printer, homes []catalogue.Placement, confidential bool) []string {
	titles := make([]string, len(homes))
	for i, p := range homes {
		titles[i] = homeTitle(l, p, confidential)
	}
	widen := func(more func(i int) string) {
		count := map[string]int{}
		for _, t := range titles {
			count[t]++
		}
		for i, t := range titles {
			if count[t] > 1 {
				if m := more(i); m != "" {
					titles[i] = t + " " + m
				}
			}
		}
	}
	if !confidential {
		widen(func(i int) string {
			if homes[i].AreaName == "" {
				return ""
			}
			return l.Text("title.in_area", "area", homes[i].AreaName)
		})
	}
	widen(func(i int) string {
		if n := homes[i].Approval.MaxChildren; n > 0 && !homes[i].Kind.IsFamily() {
			return l.Text("title.for_young_people", "count", n, "number", numberWord(l, n))
		}
		return ""
	})
	widen(func(i int) string {
		if i < 4 {
			return l.Text(fmt.Sprintf("title.nth.%d", i+1))
		}
		return l.Text("title.number", "number", i+1)
	})
	return titles
}

// anonymousCarers says who would look after a child on a confidential page: how many carers,
// never their names.
func anonymousCarers(l *childlang.Printer, p catalogue.Placement) string {
	n := len(p.Household.Carers)
	switch {
	case !p.Kind.IsFamily():
		return l.Text("household.anonymous.staff")
	case n <= 1:
		return l.Text("household.anonymous.one")
	}
	return l.Text("household.anonymous.many", "number", capitalise(numberWord(l, n)))
}

// ownDistances is an option as a brother or sister sees it on their own page: the distances
// from their own school and the people in their own contact plan (the option's are the child's),
// worked out from where the home is, which never leaves the server.
func ownDistances(ch catalogue.Child, op catalogue.Option, p catalogue.Placement) catalogue.Option {
	op.SchoolKm = -1
	if ch.School != nil {
		op.SchoolKm = catalogue.DistanceKm(ch.School.Location, p.Location)
	}
	op.ContactKm = make([]float64, len(ch.Contacts))
	for i, k := range ch.Contacts {
		op.ContactKm[i] = -1
		if at, ok := k.MeetsAt(); ok {
			op.ContactKm[i] = catalogue.DistanceKm(at, p.Location)
		}
	}
	return op
}
