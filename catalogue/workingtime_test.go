package catalogue_test

import (
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// london is a London wall-clock time, as the tests below write them.
func london(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, catalogue.London())
	if err != nil {
		panic(err)
	}
	return t
}

func TestBankHolidaysListed(t *testing.T) {
	t.Parallel()
	for y := 2025; y <= 2028; y++ {
		if !catalogue.BankHolidaysKnown(y) {
			t.Errorf("the bank holidays of %d are not listed", y)
		}
		n := 0
		for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			if name := catalogue.BankHoliday(d); name != "" {
				n++
				// Bank holidays in England and Wales fall on weekdays: a holiday on a weekend
				// has a substitute day.
				if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
					t.Errorf("%s (%s) falls on a %s", d.Format(time.DateOnly), name, wd)
				}
			}
		}
		if n != 8 {
			t.Errorf("%d: %d bank holidays listed, England and Wales have 8 a year", y, n)
		}
	}
	if catalogue.BankHolidaysKnown(2029) {
		t.Error("2029 is listed: update this test's years")
	}
}

func TestRoute(t *testing.T) {
	t.Parallel()
	wh := catalogue.DefaultWorkingHours
	tests := []struct {
		name       string
		at         string
		outOfHours bool
		deadline   string // London time
		teamSees   string
	}{
		{"a Tuesday morning", "2027-06-08 10:30", false, "2027-06-08 17:00", "2027-06-08 10:30"},
		{"the first minute", "2027-06-08 09:00", false, "2027-06-08 17:00", "2027-06-08 09:00"},
		{"16:59", "2027-06-08 16:59", false, "2027-06-08 17:00", "2027-06-08 16:59"},
		{"17:00 is out of hours", "2027-06-08 17:00", true, "2027-06-08 18:00", "2027-06-09 09:00"},
		{"17:01", "2027-06-08 17:01", true, "2027-06-08 18:01", "2027-06-09 09:00"},
		{"08:59", "2027-06-08 08:59", true, "2027-06-08 09:59", "2027-06-08 09:00"},
		{"Friday evening waits for Monday", "2027-06-11 19:00", true, "2027-06-11 20:00", "2027-06-14 09:00"},
		{"a Saturday afternoon", "2027-06-12 14:00", true, "2027-06-12 15:00", "2027-06-14 09:00"},
		{"a Sunday", "2027-06-13 11:00", true, "2027-06-13 12:00", "2027-06-14 09:00"},
		{"Good Friday", "2027-03-26 11:00", true, "2027-03-26 12:00", "2027-03-30 09:00"},
		{"Easter Monday", "2027-03-29 11:00", true, "2027-03-29 12:00", "2027-03-30 09:00"},
		{"the Thursday before Easter, after hours", "2027-03-25 18:00", true, "2027-03-25 19:00", "2027-03-30 09:00"},
		{"Christmas substitute days", "2027-12-24 17:30", true, "2027-12-24 18:30", "2027-12-29 09:00"},
		{"New Year substitute day", "2028-01-03 10:00", true, "2028-01-03 11:00", "2028-01-04 09:00"},
		{"Boxing Day substitute", "2026-12-28 10:00", true, "2026-12-28 11:00", "2026-12-29 09:00"},
		// The clocks go forward at 01:00 GMT on 28 March 2027 and back at 02:00 BST on 31
		// October 2027: working hours stay 09:00 to 17:00 London time.
		{"the Monday after the clocks go forward", "2027-03-30 16:59", false, "2027-03-30 17:00", "2027-03-30 16:59"},
		{"the night the clocks go back", "2027-10-31 01:30", true, "2027-10-31 01:30", "2027-11-01 09:00"},
		{"the Friday before the clocks go back", "2027-10-29 16:30", false, "2027-10-29 17:00", "2027-10-29 16:30"},
		{"the Monday after the clocks go back", "2027-11-01 08:59", true, "2027-11-01 09:59", "2027-11-01 09:00"},
		{"summer time, morning", "2027-07-01 09:00", false, "2027-07-01 17:00", "2027-07-01 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			at := london(tt.at)
			r := wh.Route(at.UTC()) // the clock gives UTC; the route reads London time
			if r.OutOfHours != tt.outOfHours {
				t.Errorf("OutOfHours = %v, want %v", r.OutOfHours, tt.outOfHours)
			}
			want := london(tt.deadline)
			if tt.name == "the night the clocks go back" {
				// 01:30 happens twice that night: the first (BST) plus an hour is the second
				// (GMT), which is what the wall clock shows.
				want = at.Add(time.Hour)
			}
			if !r.Deadline.Equal(want) {
				t.Errorf("Deadline = %s, want %s", r.Deadline.In(catalogue.London()), want)
			}
			if got := r.TeamSees; !got.Equal(london(tt.teamSees)) {
				t.Errorf("TeamSees = %s, want %s", got.In(catalogue.London()), tt.teamSees)
			}
			if !r.Deadline.After(at) {
				t.Errorf("the deadline %s is not after the alert %s", r.Deadline, at)
			}
		})
	}
}

func TestRouteOwnHours(t *testing.T) {
	t.Parallel()
	wh := catalogue.WorkingHours{Start: 8*60 + 30, End: 18 * 60}
	for _, tt := range []struct {
		at         string
		outOfHours bool
	}{{"2027-06-08 08:29", true}, {"2027-06-08 08:30", false}, {"2027-06-08 17:30", false}, {"2027-06-08 18:00", true}} {
		if r := wh.Route(london(tt.at)); r.OutOfHours != tt.outOfHours {
			t.Errorf("%s: OutOfHours = %v, want %v", tt.at, r.OutOfHours, tt.outOfHours)
		}
	}
}

func TestWorkingHoursValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		wh    catalogue.WorkingHours
		field string
	}{
		{catalogue.DefaultWorkingHours, ""},
		{catalogue.WorkingHours{Start: 0, End: 24 * 60}, ""},
		{catalogue.WorkingHours{Start: 17 * 60, End: 9 * 60}, "working_day_end"},
		{catalogue.WorkingHours{Start: -1, End: 9 * 60}, "working_day_start"},
		{catalogue.WorkingHours{Start: 9 * 60, End: 25 * 60}, "working_day_end"},
	} {
		err := tt.wh.Validate()
		fe := catalogue.FieldErrors(err)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%+v: %v", tt.wh, err)
		case tt.field != "" && (len(fe) != 1 || fe[0].Field != tt.field):
			t.Errorf("%+v: %v, want one problem with %s", tt.wh, err, tt.field)
		}
	}
}

func TestClockTime(t *testing.T) {
	t.Parallel()
	for m := 0; m <= 24*60; m += 7 {
		got, ok := catalogue.ParseClockTime(catalogue.ClockTime(m))
		if !ok || got != m {
			t.Fatalf("ParseClockTime(ClockTime(%d)) = %d, %v", m, got, ok)
		}
	}
	for _, bad := range []string{"", "9:00", "09:60", "24:01", "ab:cd", "09-00", "-1:00", "09:00 "} {
		if _, ok := catalogue.ParseClockTime(bad); ok {
			t.Errorf("ParseClockTime(%q) accepted", bad)
		}
	}
}

func TestPolicyWorkingHours(t *testing.T) {
	t.Parallel()
	if got := (catalogue.Policy{}).WorkingHours(); got != catalogue.DefaultWorkingHours {
		t.Errorf("a policy saved before working hours: %+v", got)
	}
	p := catalogue.DefaultPolicy()
	start := 8 * 60
	p = catalogue.PolicyChange{WorkingDayStart: &start}.Apply(p)
	if got := p.WorkingHours(); got != (catalogue.WorkingHours{Start: 8 * 60, End: 17 * 60}) {
		t.Errorf("after a change of start: %+v", got)
	}
	end := 7 * 60
	p = catalogue.PolicyChange{WorkingDayEnd: &end}.Apply(p)
	if fe := catalogue.FieldErrors(p.Validate()); len(fe) != 1 || fe[0].Field != "working_day_end" {
		t.Errorf("an end before the start: %v", fe)
	}
}
