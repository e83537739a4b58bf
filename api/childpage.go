package api

import (
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The words of the child's offer page that are about the whole offer rather than one home (issue
// 20, item 8): how long the home is for, whether they would keep their school, what happens
// next and how to disagree, the decision with who made it and how to ask for a review; and the
// titles that tell the homes apart. A confidential placement (item 9, catalogue.Child.Confidential)
// names no area and no one in a household.

// stayWords says how long the home would be for, from the child's placement purpose and legal
// status: a child on an interim care order or remanded lives there until the court decides.
func stayWords(ch catalogue.Child) string {
	switch {
	case ch.Purpose == catalogue.PurposeRemand || ch.LegalStatus == catalogue.LegalRemand:
		return "You would live here until the court makes its decision about you. Your social worker or youth justice worker will tell you what happens after that."
	case ch.Purpose == catalogue.PurposeRespite:
		return "This is a short break: you would stay for a few nights at a time, then go back to where you live now."
	case ch.LegalStatus == catalogue.LegalInterimCareOrder && ch.Purpose != catalogue.PurposeLongTerm:
		return "You would live here until the court decides what is best for you. Your social worker will tell you about the court and what it decides."
	case ch.Purpose == catalogue.PurposeEmergency:
		return "This would be a safe place to live for now, for a few days or weeks, while your social worker plans where you will live next."
	case ch.Purpose == catalogue.PurposeShortTerm:
		return "This would be your home for a while, for some weeks or months, until the plan for where you will live longer is made. Your social worker will talk to you about the plan."
	case ch.Purpose == catalogue.PurposeLongTerm:
		return "This would be your home for a long time, while you grow up, if it goes well for you."
	}
	return "Your social worker will tell you how long you would live here."
}

// schoolWords says plainly whether the child would keep their school, from the plan
// (catalogue.School.KeepPlanned); how far each home is from it is under "How far it is". Empty for
// a child not at school.
func schoolWords(ch catalogue.Child) string {
	switch {
	case ch.School == nil:
		return ""
	case !ch.School.KeepPlanned:
		return "You would move to a new school. Your social worker will talk to you about which one, and help you say goodbye to " + ch.School.Name + "."
	}
	return "You would keep going to " + ch.School.Name + ", your school."
}

// nextWords says what happens next while the child can still choose: a visit, who decides and
// by when, and how to disagree.
func nextWords(ch catalogue.Child, now time.Time) []string {
	when := "soon"
	if nb := catalogue.Day(ch.NeededBy); nb.After(catalogue.Day(now)) {
		when = "by " + nb.Format("2 January")
	}
	return []string{
		"Your social worker will talk to you about what you said. If you would like to visit a home, or meet the people there, before anything is decided, ask them.",
		"The placement team at your council decides where you will live, with your social worker, " + when + ". They will listen to what you said, and if they decide something different they must tell you why.",
		disagreeWords,
	}
}

// disagreeWords is how a child disagrees with a decision: their independent reviewing officer
// (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 45), an
// advocate (Children Act 1989 s26A) and the council's complaints procedure (s26(3)).
const disagreeWords = "If you do not agree, you can tell your independent reviewing officer (IRO), the person who checks your care plan is right for you, and ask them to look at it again. An advocate can help you say so. You can also make a complaint to your council: your social worker or advocate must help you, and you will not get into trouble for it."

// decisionWords says what was decided, by whom and when, and how to ask for a review. title is
// the chosen home as the page names it; area is empty on a confidential page.
func decisionWords(d catalogue.Decision, title, area string) (said, review string) {
	on := d.At.Format("2 January")
	switch {
	case d.Accepted && area != "":
		said = fmt.Sprintf("The placement team at your council decided on %s that you will live at %s, in %s. Your social worker will talk to you about why, and about what happens next.", on, lowerFirst(title), area)
	case d.Accepted:
		said = fmt.Sprintf("The placement team at your council decided on %s that you will live at %s. Your social worker will talk to you about why, where it is, and what happens next.", on, lowerFirst(title))
	default:
		said = fmt.Sprintf("The placement team at your council decided on %s not to go ahead with these homes. Your social worker will talk to you about what happens next, and listen to what you said.", on)
	}
	return said, "If you do not agree with this decision, you can ask for it to be looked at again: tell your independent reviewing officer (IRO), ask for an advocate to help you, or make a complaint to your council. Your social worker must tell you how, and you will not get into trouble for it."
}

// distinctTitles gives every choice a title of its own: a children's home is never called by its
// real name (it can be looked up) and no two choices share a title. A title that two share takes
// the area; then the number of young people it is for; then its place in the list.
func distinctTitles(homes []catalogue.Placement, confidential bool) []string {
	titles := make([]string, len(homes))
	for i, p := range homes {
		titles[i] = homeTitle(p, confidential)
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
			return "in " + homes[i].AreaName
		})
	}
	widen(func(i int) string {
		if n := homes[i].Approval.MaxChildren; n > 0 && !homes[i].Kind.IsFamily() {
			if n == 1 {
				return "for one young person"
			}
			return "for up to " + numberWord(n) + " young people"
		}
		return ""
	})
	order := []string{"first", "second", "third", "fourth"}
	widen(func(i int) string {
		if i < len(order) {
			return "(the " + order[i] + " one)"
		}
		return fmt.Sprintf("(number %d)", i+1)
	})
	return titles
}

// confidentialWords tell a child whose placement is confidential why their page names no place
// and no carer.
const confidentialWords = "To keep you safe, this page does not say where the homes are or the names of the people who live there. Your social worker will tell you, and can answer your questions."

// anonymousCarers says who would look after a child on a confidential page: how many carers,
// never their names.
func anonymousCarers(p catalogue.Placement) string {
	n := len(p.Household.Carers)
	switch {
	case !p.Kind.IsFamily():
		return "Staff look after you."
	case n <= 1:
		return "A foster carer would look after you."
	}
	return capitalise(numberWord(n)) + " carers would look after you."
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
