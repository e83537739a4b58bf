package catalogue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
)

const manchester = catalogue.CouncilCode("E08000003")

// ep is an episode from start to end ("" for a current one) with the reason it ended.
func ep(start, end string, reason catalogue.ChangeReason) catalogue.Episode {
	e := catalogue.Episode{Child: 1, Council: manchester, Start: day(start), Reason: reason,
		Setting: catalogue.SettingCouncilFoster, DistanceKm: 5, PlacedIn: manchester}
	if end != "" {
		e.End = day(end)
	}
	return e
}

// chain builds consecutive episodes: dates are the start of the first, each move, and "" or
// the day the last one ended; reasons are why each but the current one ended.
func chain(dates []string, reasons ...catalogue.ChangeReason) []catalogue.Episode {
	var out []catalogue.Episode
	for i := 0; i+1 < len(dates); i++ {
		r := catalogue.ChangeReason("")
		if dates[i+1] != "" {
			r = catalogue.ReasonCarePlan
			if i < len(reasons) {
				r = reasons[i]
			}
		}
		out = append(out, ep(dates[i], dates[i+1], r))
	}
	return out
}

// stability is the part of a Stability the golden cases check.
type stability struct {
	InCare                 bool
	Since, InCareSince     string
	P12, M12, P24, M24     int
	Unplanned12, School12  int
	Eligible, Stable       bool
	ThreePlus, ThreePlus24 bool
	FourPlusMoves24        bool
}

func summary(s catalogue.Stability) stability {
	d := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return stability{
		InCare: s.InCare, Since: d(s.Since), InCareSince: d(s.InCareSince),
		P12: s.Placements12m, M12: s.Moves12m, P24: s.Placements24m, M24: s.Moves24m,
		Unplanned12: s.UnplannedMoves12m, School12: s.SchoolMoves12m,
		Eligible: s.LongTermEligible, Stable: s.LongTermStable,
		ThreePlus: s.ThreePlusYear(), ThreePlus24: s.ThreePlusTwoYears(), FourPlusMoves24: s.FourPlusMovesTwoYears(),
	}
}

// TestStabilityOf checks the indicators on hand-built histories, with the edges of the year,
// the two years, the 2.5-year and 2-year rules, and the age of 16.
func TestStabilityOf(t *testing.T) {
	t.Parallel()
	const on = "2026-11-01" // the 12 months are 2025-11-02..2026-11-01; two years from 2024-11-02
	young := day("2014-03-10")
	cases := []struct {
		name string
		dob  time.Time
		eps  []catalogue.Episode
		on   string
		want stability
	}{
		{
			name: "no history: not looked after",
			dob:  young, on: on,
			want: stability{},
		},
		{
			name: "one placement for years: stable",
			dob:  young, on: on,
			eps:  chain([]string{"2020-01-15", ""}),
			want: stability{InCare: true, Since: "2020-01-15", InCareSince: "2020-01-15", P12: 1, P24: 1, Eligible: true, Stable: true},
		},
		{
			name: "a placement that ended on the first day of the year counts",
			dob:  young, on: on,
			eps: chain([]string{"2025-01-01", "2025-11-02", "2026-03-01", ""},
				catalogue.ReasonCarerBehaviour, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2026-03-01", InCareSince: "2025-01-01", P12: 3, M12: 2, P24: 3, M24: 2,
				Unplanned12: 1, ThreePlus: true, ThreePlus24: true},
		},
		{
			name: "a placement that ended the day before the year does not",
			dob:  young, on: on,
			eps: chain([]string{"2025-01-01", "2025-11-01", "2026-03-01", ""},
				catalogue.ReasonCarerBehaviour, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2026-03-01", InCareSince: "2025-01-01", P12: 2, M12: 1, P24: 3, M24: 2,
				ThreePlus24: true},
		},
		{
			name: "the two years start the day after the same date two years before",
			dob:  young, on: on,
			eps: chain([]string{"2023-06-01", "2024-11-01", "2025-02-01", "2025-06-01", ""},
				catalogue.ReasonChildRequest, catalogue.ReasonCarerOther, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2025-06-01", InCareSince: "2023-06-01", P12: 1, P24: 3, M24: 2,
				Eligible: true, ThreePlus24: true},
		},
		{
			name: "four moves in two years",
			dob:  young, on: on,
			eps: chain([]string{"2024-11-02", "2025-01-10", "2025-06-01", "2025-12-24", "2026-05-05", ""},
				catalogue.ReasonCarerBehaviour, catalogue.ReasonAuthority, catalogue.ReasonChildRequest, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2026-05-05", InCareSince: "2024-11-02", P12: 3, M12: 2, P24: 5, M24: 4,
				Unplanned12: 1, ThreePlus: true, ThreePlus24: true, FourPlusMoves24: true},
		},
		{
			name: "coming into care within the year is not a move",
			dob:  young, on: on,
			eps:  chain([]string{"2026-02-01", "2026-02-20", ""}, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2026-02-20", InCareSince: "2026-02-01", P12: 2, M12: 1, P24: 2, M24: 1},
		},
		{
			name: "a change of status only keeps the same placement",
			dob:  young, on: on,
			eps:  chain([]string{"2024-01-01", "2026-01-10", ""}, catalogue.ReasonStatusOnly),
			want: stability{InCare: true, Since: "2024-01-01", InCareSince: "2024-01-01", P12: 1, P24: 1, Eligible: true, Stable: true},
		},
		{
			name: "looked after exactly 2.5 years, same placement 2 years to the day",
			dob:  young, on: on,
			eps: chain([]string{"2024-05-01", "2024-11-01", ""}, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2024-11-01", InCareSince: "2024-05-01", P12: 1, P24: 1,
				Eligible: true, Stable: true},
		},
		{
			name: "one day short of 2.5 years looked after: not eligible",
			dob:  young, on: on,
			eps:  chain([]string{"2024-05-02", ""}),
			want: stability{InCare: true, Since: "2024-05-02", InCareSince: "2024-05-02", P12: 1, P24: 1},
		},
		{
			name: "one day short of 2 years in the placement: eligible, not stable",
			dob:  young, on: on,
			eps: chain([]string{"2022-01-01", "2024-11-02", ""}, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2024-11-02", InCareSince: "2022-01-01", P12: 1, P24: 2, M24: 1,
				Eligible: true},
		},
		{
			name: "a gap in care restarts the 2.5 years",
			dob:  young, on: on,
			eps: []catalogue.Episode{
				ep("2019-01-01", "2025-01-01", catalogue.ReasonCarePlan),
				ep("2025-03-01", "", ""),
			},
			want: stability{InCare: true, Since: "2025-03-01", InCareSince: "2025-03-01", P12: 1, P24: 2},
		},
		{
			name: "16 on the day: not eligible",
			dob:  day("2010-11-01"), on: on,
			eps:  chain([]string{"2015-01-01", ""}),
			want: stability{InCare: true, Since: "2015-01-01", InCareSince: "2015-01-01", P12: 1, P24: 1},
		},
		{
			name: "16 tomorrow: eligible",
			dob:  day("2010-11-02"), on: on,
			eps:  chain([]string{"2015-01-01", ""}),
			want: stability{InCare: true, Since: "2015-01-01", InCareSince: "2015-01-01", P12: 1, P24: 1, Eligible: true, Stable: true},
		},
		{
			name: "placed for adoption after a long foster placement",
			dob:  young, on: on,
			eps: func() []catalogue.Episode {
				es := chain([]string{"2023-01-01", "2026-06-01", ""}, catalogue.ReasonCarePlan)
				es[1].Setting = catalogue.SettingAdoption
				return es
			}(),
			want: stability{InCare: true, Since: "2026-06-01", InCareSince: "2023-01-01", P12: 2, M12: 1, P24: 2, M24: 1,
				Eligible: true, Stable: true},
		},
		{
			name: "left care: counted in no period's denominator",
			dob:  young, on: on,
			eps:  chain([]string{"2025-01-01", "2026-06-01", "2026-09-01"}, catalogue.ReasonCarerOther, catalogue.ReasonCarePlan),
			want: stability{P12: 2, M12: 1, P24: 2, M24: 1, Unplanned12: 1},
		},
		{
			name: "as known on an earlier day: later episodes are ignored",
			dob:  young, on: "2025-12-31",
			eps: chain([]string{"2025-01-01", "2025-11-02", "2026-03-01", ""},
				catalogue.ReasonCarerBehaviour, catalogue.ReasonCarePlan),
			want: stability{InCare: true, Since: "2025-11-02", InCareSince: "2025-01-01", P12: 2, M12: 1, P24: 2, M24: 1,
				Unplanned12: 1},
		},
		{
			name: "the year to a leap day starts on 1 March",
			dob:  young, on: "2024-02-29",
			eps:  chain([]string{"2022-01-01", "2023-03-01", ""}, catalogue.ReasonAllegation),
			want: stability{InCare: true, Since: "2023-03-01", InCareSince: "2022-01-01", P12: 2, M12: 1, P24: 2, M24: 1, Unplanned12: 1},
		},
		{
			name: "the year to a leap day: a placement that ended on 28 February is before it",
			dob:  young, on: "2024-02-29",
			eps:  chain([]string{"2022-01-01", "2023-02-28", ""}, catalogue.ReasonAllegation),
			want: stability{InCare: true, Since: "2023-02-28", InCareSince: "2022-01-01", P12: 1, P24: 2, M24: 1},
		},
		{
			name: "2.5 years before 31 August is the end of February",
			dob:  young, on: "2026-08-31",
			eps:  chain([]string{"2024-02-29", ""}),
			want: stability{InCare: true, Since: "2024-02-29", InCareSince: "2024-02-29", P12: 1, P24: 1, Eligible: true, Stable: true},
		},
		{
			name: "2.5 years before 31 August, a day late",
			dob:  young, on: "2026-08-31",
			eps:  chain([]string{"2024-03-01", ""}),
			want: stability{InCare: true, Since: "2024-03-01", InCareSince: "2024-03-01", P12: 1, P24: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(catalogue.StabilityOf(tc.dob, manchester, tc.eps, day(tc.on)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("stability (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStabilitySchoolDistanceAndArea(t *testing.T) {
	t.Parallel()
	eps := chain([]string{"2025-01-01", "2026-01-10", "2026-05-01", ""}, catalogue.ReasonCarerBehaviour, catalogue.ReasonCarePlan)
	eps[1].ChangedSchool = true
	eps[2].ChangedSchool = true
	eps[2].DistanceKm, eps[2].PlacedIn = 40, "E08000035"
	// Given out of order: StabilityOf sorts.
	eps[0], eps[2] = eps[2], eps[0]
	st := catalogue.StabilityOf(day("2012-01-01"), manchester, eps, day("2026-11-01"))
	if st.SchoolMoves12m != 2 || !st.Over20Miles() || !st.Outside || st.PlacedIn != "E08000035" {
		t.Errorf("school moves %d, over 20 miles %v, outside %v (%s)", st.SchoolMoves12m, st.Over20Miles(), st.Outside, st.PlacedIn)
	}
	eps[0].DistanceKm = 32.18 // 19.996 miles
	if st := catalogue.StabilityOf(day("2012-01-01"), manchester, eps, day("2026-11-01")); st.Over20Miles() {
		t.Errorf("%.2f km counted as over 20 miles", st.DistanceKm)
	}
	eps[0].DistanceKm = catalogue.UnknownDistance
	if st := catalogue.StabilityOf(day("2012-01-01"), manchester, eps, day("2026-11-01")); st.Over20Miles() {
		t.Error("an unknown distance counted as over 20 miles")
	}
}

func TestSummariseStability(t *testing.T) {
	t.Parallel()
	on := day("2026-11-01")
	kids := []catalogue.ChildHistory{
		{Child: 1, Council: manchester, DateOfBirth: day("2014-01-01"), Episodes: chain([]string{"2020-01-01", ""})},
		{Child: 2, Council: manchester, DateOfBirth: day("2014-01-01"), Episodes: chain([]string{"2022-01-01", "2026-01-01", "2026-06-01", ""},
			catalogue.ReasonCarerBehaviour, catalogue.ReasonChildRequest)},
		{Child: 3, Council: manchester, DateOfBirth: day("2009-01-01"), Episodes: chain([]string{"2025-01-01", "2026-01-01"})},
		{Child: 4, Council: manchester, DateOfBirth: day("2012-01-01")},
	}
	kids[1].Episodes[2].DistanceKm, kids[1].Episodes[2].PlacedIn = 50, "E08000035"
	s := catalogue.SummariseStability(manchester, kids, on)
	want := catalogue.StabilitySummary{
		Council: manchester, On: on, LookedAfter: 2, ThreePlusYear: 1, ThreePlusTwoYears: 1, Moved12m: 1, Moves12m: 2,
		UnplannedMoves12m: 2, LongTermEligible: 2, LongTermStable: 1, DistanceKnown: 2, Over20Miles: 1, AreaKnown: 2,
		OutsideCouncil: 1,
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	got := map[string]float64{}
	for _, ind := range s.Indicators() {
		got[ind.Name] = ind.Share()
		if ind.Label == "" {
			t.Errorf("%s has no label", ind.Name)
		}
	}
	for name, share := range map[string]float64{"three_plus_year": 0.5, "long_term_stable": 0.5, "unplanned_moves_year": 1, "over_20_miles": 0.5} {
		if got[name] != share {
			t.Errorf("%s = %g, want %g", name, got[name], share)
		}
	}
}

// TestTurningEighteen: the young people aged 16 or 17 on the day, in care or coming into care,
// at every edge: 16 that day, 18 that day, left care, waiting with no placement yet, placed by
// status but with no placement going on.
func TestTurningEighteen(t *testing.T) {
	t.Parallel()
	on := day("2026-11-01")
	inCare := chain([]string{"2024-03-01", ""})
	left := chain([]string{"2024-03-01", "2026-10-01"})
	later := chain([]string{"2026-11-02", ""}) // begins the day after
	cases := []struct {
		name   string
		dob    string
		status catalogue.ChildStatus
		eps    []catalogue.Episode
		counts bool
	}{
		{"16 that day, in care", "2010-11-01", catalogue.ChildPlaced, inCare, true},
		{"15, 16 tomorrow", "2010-11-02", catalogue.ChildPlaced, inCare, false},
		{"17, 18 tomorrow", "2008-11-02", catalogue.ChildPlaced, inCare, true},
		{"18 that day", "2008-11-01", catalogue.ChildPlaced, inCare, false},
		{"17, left care", "2009-05-01", catalogue.ChildPlaced, left, false},
		{"16, waiting with no placement yet", "2010-05-01", catalogue.ChildWaiting, nil, true},
		{"17, an offer out, no placement yet", "2009-05-01", catalogue.ChildOffered, nil, true},
		{"16, waiting, in care already", "2010-05-01", catalogue.ChildWaiting, inCare, true},
		{"16, placed by status, no placement going on", "2010-05-01", catalogue.ChildPlaced, nil, false},
		{"16, closed, in care by the history", "2010-05-01", catalogue.ChildClosed, inCare, true},
		{"16, coming into care tomorrow", "2010-05-01", catalogue.ChildPlaced, later, false},
	}
	var all []catalogue.ChildHistory
	want := 0
	for i, tc := range cases {
		h := catalogue.ChildHistory{Child: catalogue.ChildID(i + 1), Council: manchester, DateOfBirth: day(tc.dob), Status: tc.status, Episodes: tc.eps}
		got := catalogue.SummariseStability(manchester, []catalogue.ChildHistory{h}, on).TurningEighteen
		if (got == 1) != tc.counts {
			t.Errorf("%s: counted %d", tc.name, got)
		}
		if tc.counts {
			want++
		}
		all = append(all, h)
	}
	if got := catalogue.SummariseStability(manchester, all, on).TurningEighteen; got != want {
		t.Errorf("all together: %d, want %d", got, want)
	}
}

func TestEpisodeValidate(t *testing.T) {
	t.Parallel()
	good := ep("2025-01-01", "2026-01-01", catalogue.ReasonCarePlan)
	if err := good.Validate(); err != nil {
		t.Fatalf("good episode: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(e *catalogue.Episode)
		field string
	}{
		{"ended without a reason", func(e *catalogue.Episode) { e.Reason = "" }, "reason"},
		{"a reason while it continues", func(e *catalogue.Episode) { e.End = time.Time{} }, "reason"},
		{"not an SSDA903 code", func(e *catalogue.Episode) { e.Reason = "BORED" }, "reason"},
		{"ends the day it starts", func(e *catalogue.Episode) { e.End = e.Start }, "end"},
		{"no start", func(e *catalogue.Episode) { e.Start = time.Time{} }, "start"},
		{"unknown setting", func(e *catalogue.Episode) { e.Setting = "boat" }, "setting"},
		{"negative distance", func(e *catalogue.Episode) { e.DistanceKm = -3 }, "distance_km"},
		{"bad area", func(e *catalogue.Episode) { e.PlacedIn = "Wales" }, "placed_in"},
		{"no child", func(e *catalogue.Episode) { e.Child = 0 }, "child"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := good
			tc.edit(&e)
			wantFields(t, e.Validate(), tc.field)
		})
	}
}

// wantFields checks err is a validation error naming exactly the fields given.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	var got []string
	for _, fe := range catalogue.FieldErrors(err) {
		got = append(got, fe.Field)
	}
	if strings.Join(got, ",") != strings.Join(fields, ",") {
		t.Errorf("fields at fault %v, want %v (%v)", got, fields, err)
	}
}

func TestMoveValidate(t *testing.T) {
	t.Parallel()
	next := catalogue.Episode{Setting: catalogue.SettingAgencyFoster, DistanceKm: 3}
	good := catalogue.Move{Child: 1, On: day("2026-10-01"), Reason: catalogue.ReasonCarerBehaviour, Next: &next}
	if err := good.Validate(); err != nil {
		t.Fatalf("good move: %v", err)
	}
	noReason := good
	noReason.Reason = ""
	wantFields(t, noReason.Validate(), "reason")
	bad := good
	bad.Reason = "carer fed up"
	wantFields(t, bad.Validate(), "reason")
	sameCarer := good
	sameCarer.Reason, sameCarer.Next = catalogue.ReasonStatusOnly, nil
	wantFields(t, sameCarer.Validate(), "next")
	leftCare := good
	leftCare.Reason, leftCare.Next = catalogue.ReasonCarePlan, nil
	if err := leftCare.Validate(); err != nil {
		t.Errorf("leaving care: %v", err)
	}
	wrongDay := next
	wrongDay.Start, wrongDay.Setting = day("2026-10-02"), "tent"
	m := good
	m.Next = &wrongDay
	wantFields(t, m.Validate(), "next.start", "next.setting")
}

func TestChangeReasons(t *testing.T) {
	t.Parallel()
	for _, r := range catalogue.ChangeReasons {
		if r.Words() == string(r) {
			t.Errorf("%s has no words", r)
		}
		if r.NeedsReview() != (r != catalogue.ReasonCarePlan && r != catalogue.ReasonStatusOnly) {
			t.Errorf("%s: NeedsReview %v", r, r.NeedsReview())
		}
	}
	if len(catalogue.ChangeReasons) != 12 {
		t.Errorf("%d SSDA903 reasons, want the 12 codes", len(catalogue.ChangeReasons))
	}
	if catalogue.ChangeReason("X").NeedsReview() {
		t.Error("an unknown reason needs review")
	}
}
