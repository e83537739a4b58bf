package catalogue_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
)

func TestAlertReasonsOf(t *testing.T) {
	t.Parallel()
	day := func(n int) time.Time { return time.Date(2027, 6, n, 10, 0, 0, 0, time.UTC) }
	ci := func(id, n int, settled, safe catalogue.Answer) catalogue.CheckIn {
		return catalogue.CheckIn{ID: catalogue.CheckInID(id), Child: 1, At: day(n), Settled: settled, Safe: safe}
	}
	const (
		no, notReally, sortOf, mostly, yes, skip = catalogue.AnswerNo, catalogue.AnswerNotReally, catalogue.AnswerSortOf,
			catalogue.AnswerMostly, catalogue.AnswerYes, catalogue.NotAnswered
	)
	unsafe := catalogue.AlertReason{Question: catalogue.QuestionSafe, Kind: catalogue.FlagUnsafe}
	settledDropped := catalogue.AlertReason{Question: catalogue.QuestionSettled, Kind: catalogue.FlagDropped}
	tests := []struct {
		name   string
		before []catalogue.CheckIn
		latest catalogue.CheckIn
		want   []catalogue.AlertReason
	}{
		{"all well", nil, ci(1, 1, yes, yes), nil},
		{"unsafe at the first check-in", nil, ci(1, 1, skip, no), []catalogue.AlertReason{unsafe}},
		{"not really safe", nil, ci(1, 1, skip, notReally), []catalogue.AlertReason{unsafe}},
		{"sort of safe raises none", nil, ci(1, 1, skip, sortOf), nil},
		{"unsafe after safe: one reason, not two", []catalogue.CheckIn{ci(1, 1, yes, yes)}, ci(2, 2, yes, no), []catalogue.AlertReason{unsafe}},
		{"a sharp fall", []catalogue.CheckIn{ci(1, 1, yes, yes)}, ci(2, 2, sortOf, yes), []catalogue.AlertReason{settledDropped}},
		{"a fall of one step raises none", []catalogue.CheckIn{ci(1, 1, mostly, yes)}, ci(2, 2, sortOf, yes), nil},
		{"a fall to low from sort of raises none", []catalogue.CheckIn{ci(1, 1, sortOf, yes)}, ci(2, 2, notReally, yes), nil},
		{"both", []catalogue.CheckIn{ci(1, 1, yes, yes)}, ci(2, 2, notReally, notReally), []catalogue.AlertReason{unsafe, settledDropped}},
		{"an old fall is not raised again", []catalogue.CheckIn{ci(1, 1, yes, yes), ci(2, 2, sortOf, yes)}, ci(3, 3, skip, yes), nil},
		{"unsafe skipped now raises none", []catalogue.CheckIn{ci(1, 1, yes, no)}, ci(2, 2, yes, skip), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			all := append(append([]catalogue.CheckIn(nil), tt.before...), tt.latest)
			if d := cmp.Diff(tt.want, catalogue.AlertReasonsOf(tt.latest, all)); d != "" {
				t.Errorf("reasons (-want +got):\n%s", d)
			}
		})
	}
}

func TestAlertFilterWants(t *testing.T) {
	t.Parallel()
	open := catalogue.AlertFilter{}
	for _, s := range catalogue.AlertStates {
		if open.Wants(s) != (s != catalogue.AlertClosed) {
			t.Errorf("the default filter on %s: %v", s, open.Wants(s))
		}
	}
	esc := catalogue.AlertFilter{States: []catalogue.AlertState{catalogue.AlertEscalated}}
	if !esc.Wants(catalogue.AlertEscalated) || esc.Wants(catalogue.AlertRaised) {
		t.Error("a filter of escalated alerts")
	}
}

func TestAlertActionValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a       catalogue.AlertAction
		closing bool
		field   string
	}{
		{catalogue.AlertAction{Alert: 1, Version: 1}, false, ""},
		{catalogue.AlertAction{Alert: 1}, false, "version"},
		{catalogue.AlertAction{Alert: 1, Version: 2}, true, "note"},
		{catalogue.AlertAction{Alert: 1, Version: 2, Note: "Visited."}, true, ""},
	} {
		fe := catalogue.FieldErrors(tt.a.Validate(tt.closing))
		if (tt.field == "") != (len(fe) == 0) || (tt.field != "" && fe[0].Field != tt.field) {
			t.Errorf("%+v closing %v: %v, want %q", tt.a, tt.closing, fe, tt.field)
		}
	}
}

// TestCouncilRoles: independent reviewing officers and advocates hold one council, as officers
// and managers do; their scope is that council's.
func TestCouncilRoles(t *testing.T) {
	t.Parallel()
	for _, r := range []catalogue.Role{catalogue.RoleIRO, catalogue.RoleAdvocate} {
		tok := catalogue.Token{Role: r, Hash: [32]byte{1}}
		if fe := catalogue.FieldErrors(tok.Validate()); len(fe) != 1 || fe[0].Field != "council" {
			t.Errorf("%s without a council: %v", r, fe)
		}
		tok.Council = "E08000003"
		if err := tok.Validate(); err != nil {
			t.Errorf("%s of a council: %v", r, err)
		}
		if sc := tok.Principal().Scope(); sc != (catalogue.Scope{Council: "E08000003"}) {
			t.Errorf("%s's scope: %+v", r, sc)
		}
		if !r.Valid() || !r.CouncilRole() {
			t.Errorf("%s is not a council's role", r)
		}
	}
	if catalogue.RoleCommissioner.CouncilRole() || catalogue.RoleAdmin.CouncilRole() {
		t.Error("commissioners and administrators are not held to one council")
	}
}
