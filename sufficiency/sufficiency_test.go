package sufficiency

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/golden"
	"github.com/placematch/placematch/scoring"
)

// analyseFixture runs the analysis of the fixed catalogue, with a fixed computation time so that
// reports compare byte for byte.
func analyseFixture(t *testing.T) *Report {
	t.Helper()
	return analyseInput(t, fixture())
}

// analyseInput runs the analysis of an input, published as analyseFixture does.
func analyseInput(t *testing.T, in Input) *Report {
	t.Helper()
	a, err := run(context.Background(), &in, Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := a.publish(fixtureDay.Add(10 * time.Hour))
	r.Took = 0
	return r
}

// raw reads a count before suppression.
func raw(r *Report, code string, key string, m int) int {
	ar := r.index[code]
	b, _ := breakdownIndex(key)
	return int(r.tally.at(rowOf(ar, b), m))
}

// TestFixtureGaps: the gaps built into the fixed catalogue come out as built.
func TestFixtureGaps(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	check := func(code, key string, m, want int) {
		t.Helper()
		if got := raw(r, code, key, m); got != want {
			t.Errorf("%s %s metric %d = %d, want %d", code, key, m, got, want)
		}
	}
	c := string(cornwall)
	check(c, "all", mWaiting, 30)
	check(c, "all", mTwo, 12)
	check(c, "all", mNone, 18)
	check(c, "key_need:siblings_3_plus", mNone, 18)
	check(c, "all", mMatched, 12)
	check(c, "all", mWithin20, 12)
	check(c, "all", mBackup, 12)
	check(c, "all", mGroups, 6)
	check(c, "all", mGroupsUnplaced, 6)
	check(c, "all", mSibUnplaced, 18)
	check(c, "all", mOnly+constraintIndex(scoring.ConstraintSiblingGroup), 18)
	check(c, "all", mRuledOut+constraintIndex(scoring.ConstraintVacancy), 18)
	n := string(northumberland)
	check(n, "all", mWaiting, 16)
	check(n, "care_type:childrens_home", mOne, 10)
	check(n, "care_type:childrens_home", mMatched, 5)
	check(n, "care_type:childrens_home", mBackup, 0)
	check(n, "care_type:childrens_home", mOnly+constraintIndex(scoring.ConstraintCareType), 10)
	check(n, "age_band:0_4", mTwo, 6)
	check(n, "age_band:0_4", mBackup, 6)
	k := string(kent)
	check(k, "all", mWaiting, 42)
	check(k, "all", mTwo, 42)
	check(k, "all", mBackup, 42)
	check(k, "disability:disabled", mTwo, 6)
	check(k, "key_need:uasc", mMatched, 6)
	check(EnglandCode, "all", mWaiting, 94)

	// Published: Cornwall's figures are all 5 or more, and shown.
	cw, _ := r.Area(c)
	m := cw.All().Metrics
	if m.NoChoice.String() != "18" || m.NoChoicePct.String() != "60.0" || m.GroupsUnplaced.String() != "6" {
		t.Errorf("Cornwall published no choice %s (%s%%), groups unplaced %s", m.NoChoice, m.NoChoicePct, m.GroupsUnplaced)
	}
	// The two small North West councils are withheld, the region is not.
	for _, code := range []catalogue.CouncilCode{cumberland, cheshireEast} {
		ar, _ := r.Area(string(code))
		if w := ar.All().Metrics.Waiting; !w.Withheld() {
			t.Errorf("%s waiting %s, want withheld", code, w)
		}
	}
	nw, _ := r.Area("E12000002")
	if w := nw.All().Metrics.Waiting; w.String() != "6" {
		t.Errorf("North West waiting %s, want 6", w)
	}
	// Capacity: Cornwall's 12 carers, 28 places, all vacant.
	all := cw.Capacity[len(cw.Capacity)-1]
	if all.Placements != 12 || all.Approved != 28 || all.Vacant != 28 || all.NotAvailable != 0 {
		t.Errorf("Cornwall capacity %+v", all.Capacity)
	}
	// Supply that can meet the sibling groups: none.
	if row, ok := cw.Row("key_need:siblings_3_plus"); !ok || row.Metrics.SuitablePlaces != 0 {
		t.Errorf("places for Cornwall's sibling groups: %+v", row)
	}
}

// TestGolden: the report on the fixed catalogue, as text (England, Cornwall, one segment) and as
// CSV.
func TestGolden(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	for _, tc := range []struct {
		name string
		f    Filter
	}{
		{"england.txt", Filter{}},
		{"cornwall.txt", Filter{Council: cornwall}},
		{"north_east_childrens_home.txt", Filter{Region: "E12000001", Segment: "care_type:childrens_home"}},
	} {
		v, err := r.View(tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteText(&b, r, v); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "testdata/"+tc.name, b.Bytes())
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, r.Rows()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/report.csv", b.Bytes())
}

// siblingCarer is a foster carer approved for three brothers and sisters.
var siblingCarer = Profile{Kind: catalogue.CouncilFoster, Places: 3, SiblingGroups: true}

// TestWhatIfGain: two carers for sibling groups of three in Cornwall give each of the 18
// children two real choices; the joint match can place two of the six groups in them.
func TestWhatIfGain(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	c, err := r.WhatIf(context.Background(), Scenario{Additions: []Addition{{Council: cornwall, Count: 2, Profile: siblingCarer}}})
	if err != nil {
		t.Fatal(err)
	}
	code := string(cornwall)
	for _, x := range []struct {
		m            int
		before, want int
	}{
		{mTwo, 12, 30}, {mNone, 18, 0}, {mMatched, 12, 18}, {mUnmatched, 18, 12}, {mSibTogether, 0, 6},
		{mGroupsTogether, 0, 2}, {mGroupsUnplaced, 6, 4},
	} {
		if got := raw(r, code, "all", x.m); got != x.before {
			t.Errorf("metric %d before: %d, want %d", x.m, got, x.before)
		}
		if got := raw(c.After, code, "all", x.m); got != x.want {
			t.Errorf("metric %d after: %d, want %d", x.m, got, x.want)
		}
	}
	// The change is listed for Cornwall with its published figures.
	found := false
	for _, rc := range c.Changes {
		if rc.Area.Code != code || rc.Breakdown.Dimension != DimAll {
			continue
		}
		for _, f := range rc.Fields {
			if f.Key == "two_choices" {
				found = true
				if f.Before.String() != "12" || f.After.String() != "30" || f.Change.String() != "18" {
					t.Errorf("two choices change %s -> %s (%s)", f.Before, f.After, f.Change)
				}
			}
		}
	}
	if !found {
		t.Errorf("no change of two_choices listed for Cornwall: %+v", c.Changes)
	}
	if len(c.Added) != 1 || c.Added[0].Placements != 2 || c.Added[0].Places != 6 {
		t.Errorf("added %+v", c.Added)
	}
	// Kent is out of reach of Cornwall: nothing of Kent changes.
	for _, rc := range c.Changes {
		if rc.Area.Code == string(kent) {
			t.Errorf("Kent changed: %+v", rc)
		}
	}
}

// TestWhatIfEqualsFreshRun: the what-if's rerun, which keeps the evaluation of children out of
// reach of the new homes, publishes exactly what an analysis from scratch of the enlarged
// catalogue does.
func TestWhatIfEqualsFreshRun(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	s := Scenario{Additions: []Addition{
		{Council: cornwall, Count: 1, Profile: siblingCarer},
		{Council: northumberland, Count: 1, Profile: Profile{Kind: catalogue.ChildrensHome, Places: 3, MinAge: 12, MaxAge: 17}},
	}}
	c, err := r.WhatIf(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	in := fixture()
	extra, err := s.placements(&in, fixtureDay)
	if err != nil {
		t.Fatal(err)
	}
	in.Placements = append(in.Placements, extra...)
	fresh, err := Analyse(context.Background(), in, Config{})
	if err != nil {
		t.Fatal(err)
	}
	var x, y bytes.Buffer
	if err := WriteCSV(&x, c.After.Rows()); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&y, fresh.Rows()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(y.String(), x.String()); diff != "" {
		t.Errorf("what-if differs from a fresh analysis (-fresh +what-if):\n%s", diff)
	}
}

// TestPlanner: for carers of sibling groups of three, the planner sends the first two to
// Cornwall (each gives all 18 children one more choice) and then stops: nothing else is short of
// choices that such a carer could meet. The rerun agrees with its prediction.
func TestPlanner(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	p, err := r.Plan(context.Background(), PlanRequest{Profile: siblingCarer, Carers: 3, Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 2 || p.Stopped == "" {
		t.Fatalf("steps %+v, stopped %q", p.Steps, p.Stopped)
	}
	for i, st := range p.Steps {
		if st.Council.Code != string(cornwall) || st.gain != 18 || st.Gain.String() != "18" {
			t.Errorf("step %d: %s gains %d (%s)", i+1, st.Council.Name, st.gain, st.Gain)
		}
	}
	if p.Steps[0].reachTwo != 0 || p.Steps[1].reachTwo != 18 {
		t.Errorf("reach two: %d, %d", p.Steps[0].reachTwo, p.Steps[1].reachTwo)
	}
	if p.GapBefore.String() != "46" || p.GapAfter.String() != "10" {
		t.Errorf("gap %s -> %s, want 46 -> 10", p.GapBefore, p.GapAfter)
	}
	after := p.Comparison.After.England().All().Metrics.ChoiceGap
	if after.String() != p.GapAfter.String() {
		t.Errorf("rerun gap %s, planner predicted %s", after, p.GapAfter)
	}
	// A children's home in Northumberland gives its ten teenagers a second choice.
	p, err = r.Plan(context.Background(), PlanRequest{Profile: Profile{Kind: catalogue.ChildrensHome, MinAge: 12, MaxAge: 17}, Carers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 1 || p.Steps[0].Council.Code != string(northumberland) || p.Steps[0].gain != 10 || p.Steps[0].reachTwo != 10 {
		t.Errorf("children's home plan: %+v", p.Steps)
	}
}

func TestPlanRequestErrors(t *testing.T) {
	t.Parallel()
	r := analyseFixture(t)
	for _, req := range []PlanRequest{
		{Profile: siblingCarer, Carers: 0},
		{Profile: siblingCarer, Carers: MaxPlanSteps + 1},
		{Profile: Profile{Kind: catalogue.Kinship}, Carers: 1},
		{Profile: siblingCarer, Carers: 1, Within: []catalogue.CouncilCode{"X"}},
		{Profile: Profile{Places: 99}, Carers: 1},
	} {
		if _, err := r.Plan(context.Background(), req); err == nil || !strings.Contains(err.Error(), "must") {
			t.Errorf("%+v: err %v", req, err)
		}
	}
	if _, err := r.WhatIf(context.Background(), Scenario{}); err == nil {
		t.Error("an empty scenario was accepted")
	}
	if _, err := r.WhatIf(context.Background(), Scenario{Additions: []Addition{{Council: "E0", Profile: siblingCarer}}}); err == nil {
		t.Error("an unknown council was accepted")
	}
	if _, err := r.WhatIf(context.Background(), Scenario{Additions: []Addition{{Council: kent, Count: MaxAdditions + 1}}}); err == nil {
		t.Error("too many additions were accepted")
	}
}

// Every hard constraint has words of its own in the report, never its code.
func TestEveryConstraintLabelled(t *testing.T) {
	t.Parallel()
	seen := map[string]scoring.Constraint{}
	for _, c := range scoring.Constraints {
		l := ConstraintLabel(c)
		if l == string(c) || l == "" {
			t.Errorf("constraint %s has no label", c)
		}
		if o, dup := seen[l]; dup {
			t.Errorf("constraints %s and %s share the label %q", o, c, l)
		}
		seen[l] = c
	}
}
