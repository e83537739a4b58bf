package catalogue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

func checkIn(at string, settled, safe, gettingOn, seeing catalogue.Answer) catalogue.CheckIn {
	return catalogue.CheckIn{Child: 1, At: day(at).Add(15 * time.Hour), Settled: settled, Safe: safe, GettingOn: gettingOn, Seeing: seeing}
}

func TestCheckInValidate(t *testing.T) {
	t.Parallel()
	c := catalogue.CheckIn{Child: 1, Safe: catalogue.AnswerYes}
	if err := c.Validate(); err != nil {
		t.Errorf("one answer is enough: %v", err)
	}
	words := catalogue.CheckIn{Child: 1, WouldHelp: "seeing my nan more"}
	if err := words.Validate(); err != nil {
		t.Errorf("own words alone are enough: %v", err)
	}
	if err := (catalogue.CheckIn{Child: 1, AdvocateRequested: true}).Validate(); err != nil {
		t.Errorf("asking for an advocate alone is enough: %v", err)
	}
	wantFields(t, catalogue.CheckIn{Child: 1}.Validate(), "answers")
	wantFields(t, catalogue.CheckIn{Child: 1, Way: catalogue.WayFaces}.Validate(), "answers")
	wantFields(t, catalogue.CheckIn{Child: 1, Settled: 6}.Validate(), "settled")
	wantFields(t, catalogue.CheckIn{Child: 1, Safe: 3, Way: "emoji"}.Validate(), "way")
	wantFields(t, catalogue.CheckIn{Child: 1, WouldHelp: strings.Repeat("x", 1001)}.Validate(), "would_help")
	for _, a := range catalogue.Answers {
		got, ok := catalogue.ParseAnswer(a.Word())
		if !ok || got != a || a.Face() == "" || a.Words() == "" {
			t.Errorf("answer %d: word %q parses to %d (%v), face %q", a, a.Word(), got, ok, a.Face())
		}
	}
	if _, ok := catalogue.ParseAnswer("great"); ok {
		t.Error("an unknown word parsed")
	}
	for _, q := range catalogue.Questions {
		if !strings.HasSuffix(q.Text(), "?") || q.Topic() == string(q) {
			t.Errorf("question %s: %q, %q", q, q.Text(), q.Topic())
		}
	}
}

func TestCheckInPlanValidate(t *testing.T) {
	t.Parallel()
	good := catalogue.DefaultCheckInPlan(1, manchester)
	if err := good.Validate(); err != nil {
		t.Fatalf("default plan: %v", err)
	}
	for _, tc := range []struct {
		name  string
		plan  catalogue.CheckInPlan
		field string
	}{
		{"no days", catalogue.CheckInPlan{Child: 1}, "days"},
		{"not ascending", catalogue.CheckInPlan{Child: 1, Days: []int{14, 7}}, "days[1]"},
		{"day 0", catalogue.CheckInPlan{Child: 1, Days: []int{0}}, "days[0]"},
		{"too often", catalogue.CheckInPlan{Child: 1, Days: []int{7}, ThenEvery: 2}, "then_every_days"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantFields(t, tc.plan.Validate(), tc.field) })
	}
}

func TestCheckInSchedule(t *testing.T) {
	t.Parallel()
	plan := catalogue.CheckInPlan{Child: 1, Days: []int{7, 28}, ThenEvery: 91}
	since := day("2026-09-01") // due 09-08, 09-29, then 12-29, 2027-03-30, ...
	cases := []struct {
		name     string
		on       string
		done     []string
		due      bool
		dueSince string
		next     string
	}{
		{"before the first", "2026-09-05", nil, false, "", "2026-09-08"},
		{"on the first day", "2026-09-08", nil, true, "2026-09-08", "2026-09-29"},
		{"done on time", "2026-09-10", []string{"2026-09-09"}, false, "", "2026-09-29"},
		{"done two days early counts", "2026-09-10", []string{"2026-09-06"}, false, "", "2026-09-29"},
		{"done three days early does not", "2026-09-10", []string{"2026-09-05"}, true, "2026-09-08", "2026-09-29"},
		{"missed two: invited once, for the latest", "2026-10-20", nil, true, "2026-09-29", "2026-12-29"},
		{"then every 91 days", "2027-01-02", []string{"2026-09-30"}, true, "2026-12-29", "2027-03-30"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var done []catalogue.CheckIn
			for _, d := range tc.done {
				done = append(done, checkIn(d, catalogue.AnswerYes, 0, 0, 0))
			}
			s := plan.Schedule(since, done, day(tc.on))
			dueSince, next := "", ""
			if !s.DueSince.IsZero() {
				dueSince = s.DueSince.Format(time.DateOnly)
			}
			if !s.Next.IsZero() {
				next = s.Next.Format(time.DateOnly)
			}
			if s.Due != tc.due || dueSince != tc.dueSince || next != tc.next {
				t.Errorf("due %v since %q next %q, want %v since %q next %q", s.Due, dueSince, next, tc.due, tc.dueSince, tc.next)
			}
		})
	}
	// No repeat: nothing after the last day.
	once := catalogue.CheckInPlan{Child: 1, Days: []int{7}}
	if s := once.Schedule(since, []catalogue.CheckIn{checkIn("2026-09-08", 1, 0, 0, 0)}, day("2027-06-01")); s.Due || !s.Next.IsZero() {
		t.Errorf("a one-off plan: %+v", s)
	}
}

func TestTrendOf(t *testing.T) {
	t.Parallel()
	const (
		no, notReally, sortOf, mostly, yes = catalogue.AnswerNo, catalogue.AnswerNotReally, catalogue.AnswerSortOf,
			catalogue.AnswerMostly, catalogue.AnswerYes
	)
	cases := []struct {
		name  string
		cs    []catalogue.CheckIn
		flags map[catalogue.Question]catalogue.FlagKind
	}{
		{"all well", []catalogue.CheckIn{
			checkIn("2026-09-08", mostly, yes, mostly, sortOf),
			checkIn("2026-09-29", yes, yes, mostly, mostly),
		}, nil},
		{"one step down is not flagged", []catalogue.CheckIn{
			checkIn("2026-09-08", yes, yes, mostly, mostly),
			checkIn("2026-09-29", mostly, mostly, sortOf, mostly),
		}, nil},
		{"dropped two steps", []catalogue.CheckIn{
			checkIn("2026-09-08", yes, yes, mostly, mostly),
			checkIn("2026-09-29", sortOf, yes, mostly, mostly),
		}, map[catalogue.Question]catalogue.FlagKind{catalogue.QuestionSettled: catalogue.FlagDropped}},
		{"fell low by one step", []catalogue.CheckIn{
			checkIn("2026-09-08", yes, yes, sortOf, mostly),
			checkIn("2026-09-29", yes, yes, notReally, mostly),
		}, map[catalogue.Question]catalogue.FlagKind{catalogue.QuestionGettingOn: catalogue.FlagFellLow}},
		{"falling three times", []catalogue.CheckIn{
			checkIn("2026-09-08", yes, yes, yes, yes),
			checkIn("2026-09-29", yes, yes, yes, mostly),
			checkIn("2026-12-29", yes, yes, yes, sortOf),
		}, map[catalogue.Question]catalogue.FlagKind{catalogue.QuestionSeeing: catalogue.FlagFalling}},
		{"unsafe from the start", []catalogue.CheckIn{
			checkIn("2026-09-08", sortOf, notReally, 0, 0),
		}, map[catalogue.Question]catalogue.FlagKind{catalogue.QuestionSafe: catalogue.FlagUnsafe}},
		{"recovered: no longer flagged", []catalogue.CheckIn{
			checkIn("2026-09-08", yes, yes, yes, yes),
			checkIn("2026-09-29", no, yes, yes, yes),
			checkIn("2026-12-29", mostly, yes, yes, yes),
		}, nil},
		{"skipped answers are not judged", []catalogue.CheckIn{
			checkIn("2026-09-08", yes, yes, yes, yes),
			checkIn("2026-09-29", 0, 0, 0, 0),
			checkIn("2026-12-29", mostly, 0, yes, yes),
		}, nil},
		{"out of order", []catalogue.CheckIn{
			checkIn("2026-09-29", notReally, yes, yes, yes),
			checkIn("2026-09-08", yes, yes, yes, yes),
		}, map[catalogue.Question]catalogue.FlagKind{catalogue.QuestionSettled: catalogue.FlagDropped}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := catalogue.TrendOf("Amy", tc.cs)
			if len(tr.Questions) != len(catalogue.Questions) {
				t.Fatalf("%d question trends", len(tr.Questions))
			}
			got := map[catalogue.Question]catalogue.FlagKind{}
			for _, f := range tr.Flags {
				got[f.Question] = f.Kind
				if !strings.Contains(f.Message, "Amy") || !strings.Contains(f.Message, "talk") && !strings.Contains(f.Message, "Talk") {
					t.Errorf("message %q does not prompt to talk with Amy", f.Message)
				}
			}
			if len(got) != len(tc.flags) {
				t.Errorf("flags %v, want %v", got, tc.flags)
			}
			for q, k := range tc.flags {
				if got[q] != k {
					t.Errorf("%s flagged %q, want %q", q, got[q], k)
				}
			}
		})
	}
	tr := catalogue.TrendOf("Amy", []catalogue.CheckIn{
		checkIn("2026-09-08", yes, yes, yes, yes), checkIn("2026-09-29", notReally, yes, yes, yes)})
	f := tr.Flags[0]
	if f.From != yes || f.To != notReally || f.Message != `Amy's answer about feeling settled dropped from "Yes" to "Not really" on 29 September 2026. A prompt to talk with Amy about it.` {
		t.Errorf("flag %+v", f)
	}
	if got := tr.Questions[0].Latest(); got != notReally {
		t.Errorf("latest %d", got)
	}
}
