package scoring

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestOnlyObstacle: the one constraint a home breaks is named; none, or two or more, are not;
// and it agrees with CheckAll over many variations of one home.
func TestOnlyObstacle(t *testing.T) {
	p := prepare(t, Request{Child: amy()})
	cases := []struct {
		name string
		mod  func(*catalogue.Placement)
		want Constraint
		ok   bool
	}{
		{"passes", func(*catalogue.Placement) {}, "", false},
		{"age only", func(pl *catalogue.Placement) { pl.Approval.MaxAge = 10 }, ConstraintAge, true},
		{"distance only", func(pl *catalogue.Placement) { pl.Location = offset(leedsHome, miKm(80), 0) }, ConstraintMaxDistance, true},
		{"age and distance", func(pl *catalogue.Placement) {
			pl.Approval.MaxAge = 10
			pl.Location = offset(leedsHome, miKm(80), 0)
		}, "", false},
		{"inactive only", func(pl *catalogue.Placement) { pl.Active = false }, ConstraintInactive, true},
	}
	for _, tc := range cases {
		pl := fosterHome()
		tc.mod(&pl)
		got, ok := p.OnlyObstacle(&pl)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: OnlyObstacle = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	// Every combination of five independent breaks: OnlyObstacle agrees with CheckAll.
	breaks := []func(*catalogue.Placement){
		func(pl *catalogue.Placement) { pl.Approval.MaxAge = 10 },
		func(pl *catalogue.Placement) { pl.Location = offset(leedsHome, miKm(80), 0) },
		func(pl *catalogue.Placement) { pl.Active = false },
		func(pl *catalogue.Placement) { pl.Approval.Purposes = []catalogue.Purpose{catalogue.PurposeRespite} },
		func(pl *catalogue.Placement) { pl.Kind = catalogue.ChildrensHome },
	}
	for mask := range 1 << len(breaks) {
		pl := fosterHome()
		for i, b := range breaks {
			if mask&(1<<i) != 0 {
				b(&pl)
			}
		}
		all := p.CheckAll(&pl)
		got, ok := p.OnlyObstacle(&pl)
		if ok != (len(all) == 1) || (ok && got != all[0].Constraint) {
			t.Errorf("mask %05b: OnlyObstacle = %q, %v; CheckAll = %v", mask, got, ok, all)
		}
	}
	pl := fosterHome()
	pl.Approval.MaxAge = 10
	if n := testing.AllocsPerRun(100, func() { p.OnlyObstacle(&pl) }); n != 0 {
		t.Errorf("OnlyObstacle allocates %.0f times", n)
	}
}

// TestCheckAt: with the placement's point given, Check and OnlyObstacle answer as without it.
func TestCheckAt(t *testing.T) {
	t.Parallel()
	p := prepare(t, Request{Child: amy()})
	for _, mod := range []func(*catalogue.Placement){
		func(*catalogue.Placement) {},
		func(pl *catalogue.Placement) { pl.Location = offset(leedsHome, miKm(80), 0) },
		func(pl *catalogue.Placement) { pl.Approval.MaxAge = 10 },
		func(pl *catalogue.Placement) { pl.Approval.MaxAge = 10; pl.Location = offset(leedsHome, miKm(80), 0) },
	} {
		pl := fosterHome()
		mod(&pl)
		pt := Point(pl.Location)
		if a, b := p.Check(&pl), p.CheckAt(&pl, pt); a.Constraint != b.Constraint || a.Reason() != b.Reason() {
			t.Errorf("Check %q, CheckAt %q", a.Constraint, b.Constraint)
		}
		c1, ok1 := p.OnlyObstacle(&pl)
		c2, ok2 := p.OnlyObstacleAt(&pl, pt)
		if c1 != c2 || ok1 != ok2 {
			t.Errorf("OnlyObstacle %q %v, OnlyObstacleAt %q %v", c1, ok1, c2, ok2)
		}
	}
}
