package catalogue_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

func TestTeamOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want catalogue.Team
	}{
		{"North West CLA", "north-west-cla"},
		{"  Fostering  ", "fostering"},
		{"Children in Care (Team 2)!", "children-in-care-team-2"},
		{"placements", "placements"},
		{"---", ""},
		{"Équipe", "quipe"},
		{"A very long team name that goes on and on beyond forty letters", "a-very-long-team-name-that-goes-on-and-o"},
	} {
		if got := catalogue.TeamOf(tc.in); got != tc.want || (got != "" && !got.Valid()) {
			t.Errorf("TeamOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReferralNotificationsTable(t *testing.T) {
	t.Parallel()
	r := catalogue.Referral{ID: 9, Child: 4, Council: "E08000025", Provider: 3}
	prov, team := catalogue.ProviderRecipient(3), catalogue.TeamRecipient("E08000025", "north-west-cla")
	worker, placements := catalogue.WorkerRecipient("E08000025", 4), catalogue.TeamRecipient("E08000025", catalogue.TeamPlacements)
	for _, tc := range []struct {
		kind catalogue.NotificationKind
		told catalogue.ReferralTold
		want []catalogue.Recipient
	}{
		{catalogue.NotifyReferralSent, catalogue.ReferralTold{Team: "north-west-cla", Worker: true}, []catalogue.Recipient{prov}},
		{catalogue.NotifyDeadlineNear, catalogue.ReferralTold{Worker: true}, []catalogue.Recipient{prov}},
		{catalogue.NotifyReferralWithdrawn, catalogue.ReferralTold{}, []catalogue.Recipient{prov}},
		{catalogue.NotifyReferralResponse, catalogue.ReferralTold{Team: "north-west-cla", Worker: true}, []catalogue.Recipient{team, worker}},
		{catalogue.NotifyReferralResponse, catalogue.ReferralTold{}, []catalogue.Recipient{placements}},
		{catalogue.NotifyReferralExpired, catalogue.ReferralTold{Team: "north-west-cla", Worker: true}, []catalogue.Recipient{prov, team, worker}},
		{catalogue.NotifyOfferSent, catalogue.ReferralTold{}, nil},
	} {
		ns := catalogue.ReferralNotifications(tc.kind, r, tc.told)
		var got []catalogue.Recipient
		for _, n := range ns {
			if err := n.Validate(); err != nil || n.Link != "/v1/referrals/9" || n.Kind != tc.kind {
				t.Errorf("%s: notification %+v: %v", tc.kind, n, err)
			}
			got = append(got, n.To)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s with %+v told %v, want %v", tc.kind, tc.told, got, tc.want)
		}
	}
}

func TestRecipientKinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		r     catalogue.Recipient
		field string // "" when valid
	}{
		{catalogue.WorkerRecipient("E08000025", 4), ""},
		{catalogue.Recipient{Worker: 4}, "council"},
		{catalogue.Recipient{Council: "E08000025", Team: "placements", Worker: 4}, "team"},
		{catalogue.Recipient{Provider: 2, Worker: 4}, "provider"},
		{catalogue.Recipient{Council: "E08000025", Worker: -1}, "worker"},
	} {
		fe := catalogue.FieldErrors(tc.r.Validate())
		if (tc.field == "") != (len(fe) == 0) || (tc.field != "" && fe[0].Field != tc.field) {
			t.Errorf("%+v: errors %v, want %q", tc.r, fe, tc.field)
		}
	}
	a := catalogue.NotificationAddress{To: catalogue.WorkerRecipient("E08000025", 4), Email: "jo@example.gov.uk"}
	if fe := catalogue.FieldErrors(a.Validate()); len(fe) != 1 || fe[0].Field != "worker" {
		t.Errorf("an address for a worker: %v, want refused naming worker", fe)
	}
}

// TestAddWorkingDays: n working days after a day is a weekday, n weekdays on, and never more than
// n + 2 days per 5 (a property over many days).
func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	sunday := time.Date(2026, time.November, 22, 9, 0, 0, 0, time.UTC)
	if got, want := catalogue.AddWorkingDays(sunday, 5), time.Date(2026, time.November, 27, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("5 working days after Sunday 22 November: %s, want Friday 27", got)
	}
	friday := time.Date(2026, time.November, 27, 0, 0, 0, 0, time.UTC)
	if got, want := catalogue.AddWorkingDays(friday, 1), time.Date(2026, time.November, 30, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("1 working day after a Friday: %s, want Monday", got)
	}
	rng := rand.New(rand.NewPCG(13, 2010))
	for range 2000 {
		day := sunday.AddDate(0, 0, rng.IntN(3000)-1500)
		n := rng.IntN(20)
		got := catalogue.AddWorkingDays(day, n)
		weekdays := 0
		for d := catalogue.Day(day).AddDate(0, 0, 1); !d.After(got); d = d.AddDate(0, 0, 1) {
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				weekdays++
			}
		}
		span := int(got.Sub(catalogue.Day(day)).Hours() / 24)
		if weekdays != n || (n > 0 && (got.Weekday() == time.Saturday || got.Weekday() == time.Sunday)) || span > n+2*(n/5+1) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s: %d weekdays", day.Format(time.DateOnly), n, got.Format(time.DateOnly), weekdays)
		}
	}
}

// TestNoticesFor: the area authority only out of area, the school only for a child at school,
// the IRO, GP and health body always, for each child moving; due before the start, or five
// working days after it in an emergency.
func TestNoticesFor(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)
	pupil := catalogue.Child{ID: 1, Council: "E08000025", School: &catalogue.School{}}
	baby := catalogue.Child{ID: 2, Council: "E08000025"}
	for _, tc := range []struct {
		name      string
		children  []catalogue.Child
		home      catalogue.CouncilCode
		emergency bool
		want      []catalogue.NoticeTo
	}{
		{"in area, at school", []catalogue.Child{pupil}, "E08000025", false,
			[]catalogue.NoticeTo{catalogue.NoticeIRO, catalogue.NoticeSchool, catalogue.NoticeGP, catalogue.NoticeHealth}},
		{"out of area, two children", []catalogue.Child{pupil, baby}, "E08000035", true,
			[]catalogue.NoticeTo{catalogue.NoticeAreaAuthority, catalogue.NoticeIRO, catalogue.NoticeSchool, catalogue.NoticeGP, catalogue.NoticeHealth,
				catalogue.NoticeAreaAuthority, catalogue.NoticeIRO, catalogue.NoticeGP, catalogue.NoticeHealth}},
	} {
		ns := catalogue.NoticesFor(catalogue.NoticeCase{Children: tc.children, Placement: catalogue.Placement{ID: 5, Council: tc.home},
			Emergency: tc.emergency, Start: start})
		var got []catalogue.NoticeTo
		for _, n := range ns {
			got = append(got, n.To)
			want := start
			if tc.emergency {
				want = catalogue.AddWorkingDays(start, catalogue.EmergencyNoticeDays)
			}
			if !n.DueBy.Equal(want) || n.Status != catalogue.NoticePending || n.To.Citation() == "" {
				t.Errorf("%s: %+v", tc.name, n)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
