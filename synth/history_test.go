package synth

import (
	"math"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// histories groups a batch's episodes by child, as the stability functions want them.
func histories(b catalogue.Batch) []catalogue.ChildHistory {
	at := make(map[catalogue.ChildID]int, len(b.Children))
	out := make([]catalogue.ChildHistory, len(b.Children))
	for i, c := range b.Children {
		at[c.ID] = i
		out[i] = catalogue.ChildHistory{Child: c.ID, Council: c.Council, DateOfBirth: c.DateOfBirth}
	}
	for _, e := range b.Episodes {
		i := at[e.Child]
		out[i].Episodes = append(out[i].Episodes, e)
	}
	return out
}

// TestHistoryCalibration checks the seeded demo (and England at full scale) reproduces the
// published stability figures within 2 percentage points: 3+ placements in the year 10% and
// long-term stability 70% (DfE 2024), 3+ placements over two years 23%, over 3,000 children of
// about 82,000 with 4+ moves over two years (Children's Commissioner), 22% of children placed
// more than 20 miles from home (DfE 2024).
func TestHistoryCalibration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  Config
		b    func() catalogue.Batch
	}{
		{"demo", Demo(), func() catalogue.Batch {
			b, err := Generate(Demo())
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"national", National(), func() catalogue.Batch { return national(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b()
			s := catalogue.SummariseStability("", histories(b), tc.cfg.Today)
			got := map[string]catalogue.Indicator{}
			for _, ind := range s.Indicators() {
				got[ind.Name] = ind
				t.Logf("%-26s %6d / %6d = %5.1f%%", ind.Name, ind.Count, ind.Denominator, 100*ind.Share())
			}
			checkShares(t, []share{
				{"3+ placements in the year", got["three_plus_year"].Share(), 0.10, 0.02},
				{"3+ placements over two years", got["three_plus_two_years"].Share(), 0.23, 0.02},
				{"4+ moves over two years", got["four_plus_moves_two_years"].Share(), 3200.0 / NationalChildren, 0.02},
				{"long-term stability", got["long_term_stable"].Share(), 0.70, 0.02},
				{"over 20 miles from home", got["over_20_miles"].Share(), 0.22, 0.02},
			})
			// "Over 3,000 children": the count, scaled to England.
			if n := float64(got["four_plus_moves_two_years"].Count) * NationalChildren / float64(len(b.Children)); n < 3000 {
				t.Errorf("4+ moves over two years: %.0f children at national scale, want over 3,000", n)
			}
			if s.LookedAfter < len(b.Children)*9/10 {
				t.Errorf("%d of %d children looked after", s.LookedAfter, len(b.Children))
			}
		})
	}
}

// TestHistoriesValid checks every history would be accepted by the store: valid episodes in
// order without overlaps, at most one current and last, placed children in a placement since
// their needed-by date, reviews of unplanned moves and check-ins about current placements.
func TestHistoriesValid(t *testing.T) {
	t.Parallel()
	b, err := Generate(Scaled(0.05))
	if err != nil {
		t.Fatal(err)
	}
	byChild := map[catalogue.ChildID][]catalogue.Episode{}
	index := map[catalogue.EpisodeID]catalogue.Episode{}
	for i, e := range b.Episodes {
		if e.ID != catalogue.EpisodeID(-i-1) {
			t.Fatalf("episodes[%d] has key %d", i, e.ID)
		}
		check := e
		check.Child, check.Placement, check.Provider = 1, max(0, check.Placement), max(0, check.Provider)
		if err := check.Validate(); err != nil {
			t.Errorf("episodes[%d]: %v", i, err)
		}
		byChild[e.Child] = append(byChild[e.Child], e)
		index[e.ID] = e
	}
	provider := map[catalogue.ProviderID]bool{}
	for _, p := range b.Providers {
		provider[p.ID] = true
	}
	placements, waitingNew, linked := 0, 0, 0
	for _, c := range b.Children {
		eps := byChild[c.ID]
		slices.SortFunc(eps, func(a, b catalogue.Episode) int { return a.Start.Compare(b.Start) })
		for i, e := range eps {
			if e.Council != c.Council || e.Start.Before(c.DateOfBirth) {
				t.Errorf("child %d episode %d: council %s, start %s before birth %s", c.ID, e.ID, e.Council, e.Start, c.DateOfBirth)
			}
			if e.Provider != 0 && !provider[e.Provider] {
				t.Errorf("episode %d names provider key %d, not in the batch", e.ID, e.Provider)
			}
			if e.Placement != 0 {
				linked++
			}
			if i+1 < len(eps) && (e.End.IsZero() || eps[i+1].Start.Before(e.End)) {
				t.Errorf("child %d: episode %d (%s to %s) overlaps the next", c.ID, e.ID, e.Start, e.End)
			}
			if e.Start.After(DefaultToday()) || e.End.After(DefaultToday()) {
				t.Errorf("episode %d is in the future", e.ID)
			}
		}
		switch {
		case c.Status == catalogue.ChildPlaced:
			placements++
			if len(eps) == 0 || !eps[len(eps)-1].Current() {
				t.Errorf("placed child %d has no current placement", c.ID)
			} else if cur := eps[len(eps)-1]; !c.NeededBy.Equal(cur.Start) && !(len(eps) > 1 && eps[len(eps)-2].Reason == catalogue.ReasonStatusOnly) {
				t.Errorf("placed child %d needed by %s, current placement since %s", c.ID, c.NeededBy, cur.Start)
			}
		case len(eps) == 0:
			waitingNew++
		}
	}
	if placements == 0 || waitingNew == 0 || linked == 0 {
		t.Errorf("%d placed children, %d waiting to come into care, %d episodes in catalogue placements", placements, waitingNew, linked)
	}
	reviewed := 0
	for i, r := range b.MoveReviews {
		e, ok := index[r.Episode]
		if !ok || e.End.IsZero() || !e.Reason.NeedsReview() {
			t.Errorf("move_reviews[%d] names episode %d (%+v)", i, r.Episode, e)
			continue
		}
		check := r
		check.Child, check.Episode, check.Next, check.Reason, check.MovedOn = 1, 1, 0, e.Reason, e.End
		if err := check.Validate(); err != nil {
			t.Errorf("move_reviews[%d]: %v", i, err)
		}
		if r.Reviewed() {
			reviewed++
			if r.ReviewedAt.Before(e.End) || r.ReviewedAt.After(DefaultToday()) {
				t.Errorf("move_reviews[%d] reviewed on %s for a move on %s", i, r.ReviewedAt, e.End)
			}
		}
	}
	if frac(reviewed, len(b.MoveReviews)) < 0.6 || reviewed == len(b.MoveReviews) {
		t.Errorf("%d of %d reviews made: want most, not all", reviewed, len(b.MoveReviews))
	}
	for i, c := range b.CheckIns {
		e, ok := index[c.Episode]
		check := c
		check.Child = 1
		if err := check.Validate(); err != nil || !ok || !e.Current() || c.At.Before(e.Start) {
			t.Errorf("check_ins[%d] (%v) about episode %+v", i, err, e)
		}
	}
	if len(b.CheckIns) == 0 || len(b.MoveReviews) == 0 {
		t.Errorf("%d check-ins and %d reviews", len(b.CheckIns), len(b.MoveReviews))
	}
}

// TestHistoryReasonsAndSettings checks the shape of the histories beyond the calibration: most
// moves follow the care plan, placements in children's homes are farther from home than
// foster placements, and a school move comes with a distant placement more often.
func TestHistoryReasonsAndSettings(t *testing.T) {
	t.Parallel()
	b := national(t)
	reasons := map[catalogue.ChangeReason]int{}
	ended := 0
	var homeKm, fosterKm []float64
	var farSchool, far, nearSchool, nearMoves int
	for _, e := range b.Episodes {
		if !e.End.IsZero() {
			reasons[e.Reason]++
			ended++
		}
		if e.DistanceKm == catalogue.UnknownDistance {
			continue
		}
		switch e.Setting {
		case catalogue.SettingChildrensHome:
			homeKm = append(homeKm, e.DistanceKm)
		case catalogue.SettingCouncilFoster:
			fosterKm = append(fosterKm, e.DistanceKm)
		}
		if e.DistanceKm > twentyMilesKm {
			far++
			if e.ChangedSchool {
				farSchool++
			}
		} else {
			nearMoves++
			if e.ChangedSchool {
				nearSchool++
			}
		}
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / math.Max(1, float64(len(xs)))
	}
	if share := frac(reasons[catalogue.ReasonCarePlan], ended); share < 0.5 || share > 0.8 {
		t.Errorf("%.0f%% of placements ended for the care plan", 100*share)
	}
	for _, r := range catalogue.ChangeReasons {
		if reasons[r] == 0 {
			t.Errorf("no placement ended for %s", r)
		}
	}
	if h, f := mean(homeKm)/catalogue.MilesToKm, mean(fosterKm)/catalogue.MilesToKm; h < 2*f || h < 20 {
		t.Errorf("children's homes average %.1f miles from home, council foster homes %.1f", h, f)
	}
	if frac(farSchool, far) < 3*frac(nearSchool, nearMoves) {
		t.Errorf("school changes: %d of %d distant placements, %d of %d near ones", farSchool, far, nearSchool, nearMoves)
	}
}
