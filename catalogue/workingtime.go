package catalogue

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London on a machine without a zoneinfo database
)

// Working time: when a council's social workers are at work, and so who sees an alert about a
// child first. A child's allocated social worker's team works the council's working hours
// (Policy.WorkingHours: 09:00 to 17:00 by default) on working days (Monday to Friday, except the
// bank holidays of England and Wales, listed in data/bank_holidays_england_wales.csv from
// gov.uk); outside them, the council's emergency duty team (TeamEmergencyDuty) answers for it.
// Every time is read in Europe/London, so the clocks going forward or back move nothing.

//go:embed data/bank_holidays_england_wales.csv
var bankHolidaysCSV string

// London is the time zone of England's working day, loaded when first asked for (not at init).
var London = sync.OnceValue(mustLoadLondon)

func mustLoadLondon() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("catalogue: Europe/London: " + err.Error()) // time/tzdata is embedded: never
	}
	return l
}

// holidays are the listed days (as Day gives them) and the years the list covers, parsed when
// first asked for.
var holidays = sync.OnceValues(func() (map[time.Time]string, map[int]bool) { return parseBankHolidays(bankHolidaysCSV) })

func parseBankHolidays(s string) (map[time.Time]string, map[int]bool) {
	days, years := map[time.Time]string{}, map[int]bool{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || line == "date,title" {
			continue
		}
		date, title, ok := strings.Cut(line, ",")
		d, err := time.Parse(time.DateOnly, date)
		if !ok || err != nil {
			panic(fmt.Sprintf("catalogue: bank holidays line %d: %q", i+1, line))
		}
		days[d], years[d.Year()] = title, true
	}
	return days, years
}

// BankHoliday returns the name of the bank holiday in England and Wales on day's date (as
// Day reads it), or "".
func BankHoliday(day time.Time) string {
	days, _ := holidays()
	return days[Day(day)]
}

// BankHolidaysKnown reports whether the repository lists the bank holidays of year.
func BankHolidaysKnown(year int) bool {
	_, years := holidays()
	return years[year]
}

// WorkingDay reports whether the London date of t is a working day: Monday to Friday and not a
// bank holiday of England and Wales.
func WorkingDay(t time.Time) bool {
	l := t.In(London())
	if wd := l.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return BankHoliday(l) == ""
}

// WorkingHours is a council's working day, in minutes after midnight, London time: from Start
// (inclusive) to End (exclusive).
type WorkingHours struct {
	Start, End int
}

// DefaultWorkingHours is 09:00 to 17:00, unless a council's policy says otherwise.
var DefaultWorkingHours = WorkingHours{Start: 9 * 60, End: 17 * 60}

// EmergencyDutyWithin is how soon the emergency duty team is asked to acknowledge an alert
// raised out of hours: an hour (an assumption of placematch's, to be set with each council).
const EmergencyDutyWithin = time.Hour

// Validate reports every bad field of the hours, under working_day_start and working_day_end.
func (w WorkingHours) Validate() error {
	p := newProblems()
	w.check(p)
	return p.err()
}

func (w WorkingHours) check(p problems) {
	if w.Start < 0 || w.Start >= 24*60 {
		p.add("working_day_start", "must be a time of day from 00:00 to 23:59")
	}
	switch {
	case w.End <= 0 || w.End > 24*60:
		p.add("working_day_end", "must be a time of day from 00:01 to 24:00")
	case w.End <= w.Start:
		p.add("working_day_end", "must be later than working_day_start")
	}
}

// ClockTime writes minutes after midnight as HH:MM.
func ClockTime(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// ParseClockTime reads HH:MM (00:00 to 24:00) as minutes after midnight.
func ParseClockTime(s string) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, false
	}
	return h*60 + m, true
}

// at is the London time minutes after midnight on day's London date.
func at(day time.Time, minutes int) time.Time {
	y, m, d := day.In(London()).Date()
	return time.Date(y, m, d, minutes/60, minutes%60, 0, 0, London())
}

// InHours reports whether t falls in the working hours of a working day.
func (w WorkingHours) InHours(t time.Time) bool {
	return WorkingDay(t) && !t.Before(at(t, w.Start)) && t.Before(at(t, w.End))
}

// NextStart is when the next working day's hours begin after t (t itself when it is that
// moment).
func (w WorkingHours) NextStart(t time.Time) time.Time {
	for day := t; ; {
		s := at(day, w.Start)
		if WorkingDay(day) && !s.Before(t) {
			return s
		}
		l := day.In(London())
		day = time.Date(l.Year(), l.Month(), l.Day()+1, 12, 0, 0, 0, London())
	}
}

// AlertRoute is who first answers for an alert raised at a moment, and by when.
type AlertRoute struct {
	// OutOfHours: raised outside the working hours of a working day, so the council's
	// emergency duty team answers for it; otherwise the child's social worker's team.
	OutOfHours bool
	// Deadline is when it must be acknowledged: the end of the same working day in hours; in
	// the emergency duty team's hands, EmergencyDutyWithin after it was raised.
	Deadline time.Time
	// TeamSees is when the child's social worker's team is next at work: now, in hours.
	TeamSees time.Time
}

// Route says who answers for an alert raised at t, and by when: "the same working day" in the
// council's hours, the emergency duty team out of hours.
func (w WorkingHours) Route(t time.Time) AlertRoute {
	if w.InHours(t) {
		return AlertRoute{Deadline: at(t, w.End), TeamSees: t}
	}
	return AlertRoute{OutOfHours: true, Deadline: t.Add(EmergencyDutyWithin), TeamSees: w.NextStart(t)}
}
