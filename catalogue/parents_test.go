package catalogue_test

import (
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestParentsFirst: a child with no placement going on is not searched for until the officer
// records that placement with a parent was considered and why not (Children Act 1989
// s22C(2)-(4)); a child already placed, and moving, is.
func TestParentsFirst(t *testing.T) {
	t.Parallel()
	on := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	considered := &catalogue.ParentsConsidered{On: on.AddDate(0, 0, -3), Why: catalogue.ParentsNotPracticable,
		Reason: "Her father lives abroad and cannot be reached."}
	current := catalogue.Episode{Start: on.AddDate(-1, 0, 0), Setting: catalogue.SettingCouncilFoster}
	ended := catalogue.Episode{Start: on.AddDate(-2, 0, 0), End: on.AddDate(-1, 0, 0), Setting: catalogue.SettingCouncilFoster}
	starts := catalogue.Episode{Start: on.AddDate(0, 0, 1), Setting: catalogue.SettingCouncilFoster}
	withParents := catalogue.Episode{Start: on.AddDate(0, -2, 0), Setting: catalogue.SettingWithParents}
	for _, tc := range []struct {
		name       string
		considered *catalogue.ParentsConsidered
		status     catalogue.ChildStatus
		episodes   []catalogue.Episode
		refused    bool
	}{
		{"new to care, not recorded", nil, catalogue.ChildWaiting, nil, true},
		{"new to care, recorded", considered, catalogue.ChildWaiting, nil, false},
		{"placed before, not now", nil, catalogue.ChildWaiting, []catalogue.Episode{ended}, true},
		{"a placement begins tomorrow", nil, catalogue.ChildWaiting, []catalogue.Episode{starts}, true},
		{"placed and moving", nil, catalogue.ChildWaiting, []catalogue.Episode{ended, current}, false},
		{"placed with parents and moving", nil, catalogue.ChildWaiting, []catalogue.Episode{withParents}, false},
		{"placed through placematch", nil, catalogue.ChildPlaced, nil, false},
		{"offered, not recorded", nil, catalogue.ChildOffered, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := validChild()
			c.ParentsConsidered, c.Status = tc.considered, tc.status
			err := catalogue.ParentsFirst(c, tc.episodes, on)
			if tc.refused {
				wantFields(t, err, "parents_considered")
			} else {
				wantFields(t, err)
			}
		})
	}
}

// TestParentsConsideredValidate: the record names the day, the limb of s22C(4) and the reason.
func TestParentsConsideredValidate(t *testing.T) {
	t.Parallel()
	good := catalogue.ParentsConsidered{On: time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC), Why: catalogue.ParentsNotWelfare, Reason: "Risk of harm at home."}
	for _, tc := range []struct {
		name  string
		edit  func(*catalogue.ParentsConsidered)
		field string
	}{
		{"good", func(*catalogue.ParentsConsidered) {}, ""},
		{"no day", func(p *catalogue.ParentsConsidered) { p.On = time.Time{} }, "parents_considered.on"},
		{"unknown limb", func(p *catalogue.ParentsConsidered) { p.Why = "too_costly" }, "parents_considered.why"},
		{"no reason", func(p *catalogue.ParentsConsidered) { p.Reason = "" }, "parents_considered.reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pc := good
			tc.edit(&pc)
			c := validChild()
			c.ParentsConsidered = &pc
			if tc.field == "" {
				wantFields(t, c.Validate())
			} else {
				wantFields(t, c.Validate(), tc.field)
			}
		})
	}
}
