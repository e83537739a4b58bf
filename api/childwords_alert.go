package api

import (
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
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
// Childline (0800 1111), which every check-in page gives. A helpline's name is its own, in every
// language.
func childHelplines(l *childlang.Printer) []helpline {
	return []helpline{{Name: "Help at Hand", Number: "0800 528 0731", Tel: "08005280731", About: l.Text("helpline.help_at_hand")}}
}

// clockWords says a London time as a child reads it: "5pm", "4:30pm", "9am".
func clockWords(l *childlang.Printer, t time.Time) string {
	lt := t.In(catalogue.London())
	hour, half := lt.Hour()%12, "am"
	if hour == 0 {
		hour = 12
	}
	if lt.Hour() >= 12 {
		half = "pm"
	}
	if lt.Minute() == 0 {
		return l.Text("time."+half, "hour", hour)
	}
	return l.Text("time."+half+"_minutes", "hour", hour, "minutes", fmt.Sprintf("%02d", lt.Minute()))
}

// weekdayWords names a London day as a child reads it: "Monday 30 November".
func weekdayWords(l *childlang.Printer, t time.Time) string {
	return weekdayDayMonth(l, t.In(catalogue.London()))
}

// alertHelpFor is what the child is told about alert a (raised by their check-in at a.RaisedAt),
// with the council's working hours wh: who sees it and when, as the alert was routed.
func alertHelpFor(l *childlang.Printer, a catalogue.Alert, wh catalogue.WorkingHours) *alertHelp {
	h := &alertHelp{Why: l.Text("alert.why.changed"), Danger: l.Text("alert.danger", "number", "999"), Helplines: childHelplines(l)}
	for _, r := range a.Reasons {
		if r.Kind == catalogue.FlagUnsafe {
			h.Why = l.Text("alert.why.unsafe")
		}
	}
	if !a.OutOfHours {
		h.WhoWhen = []string{l.Text("alert.in_hours", "time", clockWords(l, a.Deadline))}
		return h
	}
	route := wh.Route(a.RaisedAt)
	team := l.Text("alert.team_when.day", "day", weekdayWords(l, route.TeamSees), "time", clockWords(l, route.TeamSees))
	if catalogue.Day(route.TeamSees.In(catalogue.London())) == catalogue.Day(a.RaisedAt.In(catalogue.London())) {
		team = l.Text("alert.team_when.today", "time", clockWords(l, route.TeamSees))
	}
	h.WhoWhen = []string{l.Text("alert.out_of_hours", "time", clockWords(l, a.Deadline)), l.Text("alert.team_too", "when", team)}
	return h
}
