package catalogue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// validHome is a registered children's home for 12 to 17.
func validHome() catalogue.Placement {
	p := validPlacement()
	p.Kind, p.URN, p.Registration = catalogue.ChildrensHome, "SC123456", catalogue.Registered
	p.Approval = catalogue.Approval{MinAge: 12, MaxAge: 17, MaxChildren: 4, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm}}
	p.Household.Carers = nil
	return p
}

// validKinship is a connected person's home on a temporary approval only.
func validKinship() catalogue.Placement {
	p := validPlacement()
	p.Kind, p.ConnectedTo = catalogue.Kinship, []catalogue.ChildID{4}
	p.Approval.From, p.Approval.Until = time.Time{}, time.Time{}
	p.TemporaryApproval = &catalogue.TemporaryApproval{From: day("2026-10-01")}
	return p
}

// TestPlacementValidateLaw: a home's terms that the law forbids are refused, each naming its
// field.
func TestPlacementValidateLaw(t *testing.T) {
	t.Parallel()
	for _, p := range []catalogue.Placement{validPlacement(), validHome(), validKinship()} {
		if err := p.Validate(); err != nil {
			t.Fatalf("valid %s refused: %v", p.Kind, err)
		}
	}
	cases := []struct {
		name   string
		base   func() catalogue.Placement
		break_ func(p *catalogue.Placement)
		fields []string
	}{
		{"foster approval undated", validPlacement, func(p *catalogue.Placement) { p.Approval.From, p.Approval.Until = time.Time{}, time.Time{} },
			[]string{"approval.from", "approval.until"}},
		{"foster approval backwards", validPlacement, func(p *catalogue.Placement) { p.Approval.Until = day("2019-01-01") }, []string{"approval.until"}},
		{"four foster children", validPlacement, func(p *catalogue.Placement) { p.Approval.MaxChildren = 4 }, []string{"approval.exemption"}},
		{"four with an exemption", validPlacement, func(p *catalogue.Placement) { p.Approval.MaxChildren, p.Approval.Exemption = 4, "EX-2026-14" }, nil},
		{"four brothers and sisters", validPlacement, func(p *catalogue.Placement) { p.Approval.MaxChildren, p.Approval.SiblingGroups = 4, true }, nil},
		{"fifty foster children", validPlacement, func(p *catalogue.Placement) { p.Approval.MaxChildren = 50 }, []string{"approval.exemption"}},
		{"registration on foster", validPlacement, func(p *catalogue.Placement) { p.Registration = catalogue.Registered }, []string{"registration"}},
		{"temporary on foster", validPlacement, func(p *catalogue.Placement) {
			p.TemporaryApproval = &catalogue.TemporaryApproval{From: day("2026-10-01")}
		},
			[]string{"temporary_approval"}},
		{"kinship unapproved", validKinship, func(p *catalogue.Placement) { p.TemporaryApproval = nil }, []string{"approval.from", "approval.until"}},
		{"kinship temporary undated", validKinship, func(p *catalogue.Placement) { p.TemporaryApproval.From = time.Time{} }, []string{"temporary_approval.from"}},
		{"kinship fully approved", validKinship, func(p *catalogue.Placement) {
			p.TemporaryApproval, p.Approval.From, p.Approval.Until = nil, day("2026-01-01"), day("2027-01-01")
		}, nil},
		{"home without registration", validHome, func(p *catalogue.Placement) { p.Registration = "" }, []string{"registration"}},
		{"home registered without URN", validHome, func(p *catalogue.Placement) { p.URN = "" }, []string{"urn"}},
		{"home unregistered", validHome, func(p *catalogue.Placement) { p.Registration, p.URN = catalogue.RegistrationNone, "" }, nil},
		{"home for adults", validHome, func(p *catalogue.Placement) { p.Approval.MaxAge = 21 }, []string{"approval.max_age"}},
		{"home with approval dates", validHome, func(p *catalogue.Placement) { p.Approval.From = day("2026-01-01") }, []string{"approval.from"}},
		{"supported accommodation for 14", validHome, func(p *catalogue.Placement) {
			p.Kind, p.Approval.MinAge, p.Approval.MaxAge = catalogue.SupportedAccommodation, 14, 17
		}, []string{"approval.min_age"}},
		{"supported accommodation for care leavers", validHome, func(p *catalogue.Placement) {
			p.Kind, p.Approval.MinAge, p.Approval.MaxAge = catalogue.SupportedAccommodation, 16, 21
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := tc.base()
			tc.break_(&p)
			wantFields(t, p.Validate(), tc.fields...)
		})
	}
}

// TestTemporaryApproval: 16 weeks from the day of approval, 24 when extended; a warning in the
// last four weeks; nothing before it starts or from the day it lapses.
func TestTemporaryApproval(t *testing.T) {
	t.Parallel()
	from := day("2026-10-01")
	cases := []struct {
		extended        bool
		day             string
		inDate, lapsing bool
	}{
		{false, "2026-09-30", false, false},
		{false, "2026-10-01", true, false},
		{false, "2026-12-23", true, false},  // 29 days before the deadline
		{false, "2026-12-24", true, true},   // 28 days before
		{false, "2027-01-20", true, true},   // the last day
		{false, "2027-01-21", false, false}, // 16 weeks on: lapsed
		{true, "2027-01-21", true, false},
		{true, "2027-03-17", true, true},
		{true, "2027-03-18", false, false}, // 24 weeks on
	}
	for _, tc := range cases {
		ta := catalogue.TemporaryApproval{From: from, Extended: tc.extended}
		d := day(tc.day).Add(15 * time.Hour) // any time of the day
		if got := ta.InDate(d); got != tc.inDate {
			t.Errorf("extended %v, %s: InDate = %v, want %v", tc.extended, tc.day, got, tc.inDate)
		}
		if got := ta.Lapsing(d); got != tc.lapsing {
			t.Errorf("extended %v, %s: Lapsing = %v, want %v", tc.extended, tc.day, got, tc.lapsing)
		}
	}
	if got, want := (catalogue.TemporaryApproval{From: from}).Deadline(), day("2027-01-21"); !got.Equal(want) {
		t.Errorf("Deadline = %v, want %v", got, want)
	}
}

// TestApprovedOn: each kind's standing on a day, by the law's rule for it.
func TestApprovedOn(t *testing.T) {
	t.Parallel()
	foster := validPlacement()
	foster.Approval.From, foster.Approval.Until = day("2026-01-01"), day("2026-12-31")
	kin := validKinship()
	fullKin := validKinship()
	fullKin.Approval.From, fullKin.Approval.Until = day("2027-01-10"), day("2028-01-10")
	home := validHome()
	cases := []struct {
		p    catalogue.Placement
		day  string
		want bool
	}{
		{foster, "2025-12-31", false},
		{foster, "2026-01-01", true},
		{foster, "2026-12-31", true},
		{foster, "2027-01-01", false},
		{kin, "2026-12-01", true},
		{kin, "2027-02-01", false},
		{fullKin, "2027-02-01", true}, // approved in full before the temporary approval lapsed
		{home, "1999-01-01", true},
	}
	for i, tc := range cases {
		if got := tc.p.ApprovedOn(day(tc.day)); got != tc.want {
			t.Errorf("%d: %s on %s: ApprovedOn = %v, want %v", i, tc.p.Kind, tc.day, got, tc.want)
		}
	}
	home.Registration = catalogue.RegistrationSuspended
	if home.IsRegistered() {
		t.Error("a suspended home counts as registered")
	}
}

// TestLawFlags: an import flags each setting not registered with Ofsted, more loudly when a
// child lives there, and nothing else.
func TestLawFlags(t *testing.T) {
	t.Parallel()
	lived := validHome()
	lived.Registration, lived.URN = catalogue.RegistrationNone, ""
	lived.Vacancies = []catalogue.Vacancy{{Status: catalogue.VacancyFilled, Child: 4}}
	empty := validHome()
	empty.Registration = catalogue.RegistrationCancelled
	empty.Household.Members = nil
	flags := catalogue.LawFlags([]catalogue.Placement{validPlacement(), validHome(), lived, empty, validKinship()})
	if len(flags) != 2 || flags[0].Field != "placements[2].registration" || flags[1].Field != "placements[3].registration" {
		t.Fatalf("flags = %v", flags)
	}
	if !strings.Contains(flags[0].Message, "2 children in care live here") || strings.Contains(flags[1].Message, "live here") {
		t.Errorf("messages: %q, %q", flags[0].Message, flags[1].Message)
	}
}
