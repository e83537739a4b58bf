package api

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestAlertHelpFor: what the child is told follows the alert's route, in hours and out, on the
// council's own hours: the same working day before the end of it, or the emergency duty team
// and the team's next working morning (after a bank holiday weekend, the Tuesday).
func TestAlertHelpFor(t *testing.T) {
	t.Parallel()
	unsafe := []catalogue.AlertReason{{Question: catalogue.QuestionSafe, Kind: catalogue.FlagUnsafe}}
	dropped := []catalogue.AlertReason{{Question: catalogue.QuestionSettled, Kind: catalogue.FlagDropped}}
	london := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, catalogue.London())
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name    string
		wh      catalogue.WorkingHours
		at      string
		reasons []catalogue.AlertReason
		want    []string
	}{
		{"a Tuesday morning", catalogue.DefaultWorkingHours, "2027-06-08 10:30", unsafe,
			[]string{"you said you do not feel safe", "their team will see this today, before 5pm"}},
		{"a council that closes at 17:30", catalogue.WorkingHours{Start: 9 * 60, End: 17*60 + 30}, "2027-06-08 17:10", dropped,
			[]string{"changed a lot since last time", "before 5:30pm"}},
		{"a weekday evening", catalogue.DefaultWorkingHours, "2027-06-08 21:15", unsafe,
			[]string{"emergency duty team will see this before 10:15pm", "see it too, on Wednesday 9 June from 9am"}},
		{"early morning", catalogue.DefaultWorkingHours, "2027-06-08 07:00", unsafe,
			[]string{"emergency duty team will see this before 8am", "see it too, today from 9am"}},
		{"a bank holiday weekend", catalogue.DefaultWorkingHours, "2027-08-28 14:00", unsafe,
			[]string{"before 3pm", "on Tuesday 31 August from 9am"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.wh.Route(london(tt.at))
			a := catalogue.Alert{RaisedAt: london(tt.at), Deadline: r.Deadline, OutOfHours: r.OutOfHours, Reasons: tt.reasons}
			h := alertHelpFor(english(), a, tt.wh)
			said := h.Why + " " + strings.Join(h.WhoWhen, " ")
			for _, w := range tt.want {
				if !strings.Contains(said, w) {
					t.Errorf("%q does not say %q", said, w)
				}
			}
			if h.Danger != "If you are in danger now, call 999." || len(h.Helplines) == 0 {
				t.Errorf("help: %+v", h)
			}
		})
	}
}
