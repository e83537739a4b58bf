package api

import (
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// What a child is told after a check-in that raised an alert (issue 20, item 4): truthfully,
// who will see what they said and when, from the same route the alert was given (its owner and
// deadline, catalogue.WorkingHours.Route), and where to get help now. The numbers are the
// services' own: 999 for the emergency services; Childline (NSPCC), free, on 0800 1111 (on every
// check-in page); the Children's Commissioner for England's Help at Hand service on 0800 528
// 0731.

// alertHelp is what the thank-you page says when the check-in raised an alert.
type alertHelp struct {
	Why       string   // why someone will look at it now
	WhoWhen   []string // who will see it, and when
	Danger    string   // call 999
	Helplines []helpline
}

type helpline struct {
	Name, Number, Tel, About string
}

// childHelplines are the helplines a child who raised an alert is told about, besides 999 and
// Childline (0800 1111), which every check-in page gives.
var childHelplines = []helpline{
	{Name: "Help at Hand", Number: "0800 528 0731", Tel: "08005280731",
		About: "Help at Hand is run by the Children's Commissioner for England. They help children in care who feel they are not being listened to, or who are worried about where they live."},
}

// clockWords says a London time as a child reads it: "5pm", "4:30pm", "9am".
func clockWords(t time.Time) string {
	l := t.In(catalogue.London())
	if l.Minute() == 0 {
		return strings.ToLower(l.Format("3PM"))
	}
	return strings.ToLower(l.Format("3:04PM"))
}

// weekdayWords names a London day as a child reads it: "Monday 30 November".
func weekdayWords(t time.Time) string { return t.In(catalogue.London()).Format("Monday 2 January") }

// alertHelpFor is what the child is told about alert a (raised by their check-in at a.RaisedAt),
// with the council's working hours wh: who sees it and when, as the alert was routed.
func alertHelpFor(a catalogue.Alert, wh catalogue.WorkingHours) *alertHelp {
	h := &alertHelp{Why: "Because one of your answers changed a lot since last time, we have asked someone to look at your answers straight away.",
		Danger: "If you are in danger now, call 999.", Helplines: childHelplines}
	for _, r := range a.Reasons {
		if r.Kind == catalogue.FlagUnsafe {
			h.Why = "Because you said you do not feel safe, we have asked someone to look at your answers straight away."
		}
	}
	if !a.OutOfHours {
		h.WhoWhen = []string{"Your social worker and their team will see this today, before " + clockWords(a.Deadline) + ". Someone from the team will talk with you about it."}
		return h
	}
	route := wh.Route(a.RaisedAt)
	team := "on " + weekdayWords(route.TeamSees) + " from " + clockWords(route.TeamSees)
	if catalogue.Day(route.TeamSees.In(catalogue.London())) == catalogue.Day(a.RaisedAt.In(catalogue.London())) {
		team = "today from " + clockWords(route.TeamSees)
	}
	h.WhoWhen = []string{
		"It is outside office hours now, so the emergency duty team will see this before " + clockWords(a.Deadline) + ". They are social workers who work in the evenings, at night, at weekends and on bank holidays.",
		"Your social worker and their team will see it too, " + team + ".",
	}
	return h
}
