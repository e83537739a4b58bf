package catalogue_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestSchoolYearAndKeyStage4(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dob, on string
		year    int
		ks4     bool
	}{
		{"2010-09-01", "2025-09-01", 10, true},  // the oldest of Year 10 in 2025/26
		{"2011-08-31", "2025-09-01", 10, true},  // the youngest of Year 10
		{"2011-09-01", "2025-09-01", 9, false},  // a day younger: Year 9
		{"2010-09-01", "2026-08-31", 10, true},  // the school year runs to 31 August
		{"2010-09-01", "2026-09-01", 11, true},  // Year 11
		{"2009-09-01", "2026-09-01", 12, false}, // past Key Stage 4
		{"2012-08-31", "2026-06-01", 9, false},  // Year 9, already 13
		{"2012-09-01", "2026-09-01", 9, false},  // Year 9
		{"2012-08-31", "2026-09-01", 10, true},  // Year 10 from the first day of the year
		{"2020-01-15", "2026-11-22", 2, false},
	} {
		dob, on := day(tc.dob), day(tc.on)
		if got := catalogue.SchoolYear(dob, on); got != tc.year {
			t.Errorf("SchoolYear(%s, %s) = %d, want %d", tc.dob, tc.on, got, tc.year)
		}
		if got := catalogue.KeyStage4(dob, on); got != tc.ks4 {
			t.Errorf("KeyStage4(%s, %s) = %v, want %v", tc.dob, tc.on, got, tc.ks4)
		}
	}
}

// TestSignOffsNeeded: each kind of sign-off, needed and not needed.
func TestSignOffsNeeded(t *testing.T) {
	t.Parallel()
	const (
		leeds    = catalogue.CouncilCode("E08000035")
		bradford = catalogue.CouncilCode("E08000032") // adjoins Leeds
		cornwall = catalogue.CouncilCode("E06000052") // far from Leeds
	)
	today := day("2026-11-22")
	leedsSchool := catalogue.Location{Lat: 53.80, Lng: -1.55}
	child := func(dob string, f ...func(*catalogue.Child)) catalogue.Child {
		c := catalogue.Child{ID: 1, Council: leeds, DateOfBirth: day(dob),
			School: &catalogue.School{Name: "Park School", Location: leedsSchool, KeepPlanned: true}}
		for _, fn := range f {
			fn(&c)
		}
		return c
	}
	home := func(f ...func(*catalogue.Placement)) catalogue.Placement {
		p := catalogue.Placement{ID: 7, Kind: catalogue.AgencyFoster, Council: leeds, Location: catalogue.Location{Lat: 53.79, Lng: -1.54},
			WeeklyCost: 900, Ofsted: catalogue.OfstedGood}
		for _, fn := range f {
			fn(&p)
		}
		return p
	}
	in := func(c catalogue.CouncilCode, at catalogue.Location) func(*catalogue.Placement) {
		return func(p *catalogue.Placement) { p.Council, p.Location = c, at }
	}
	bradfordHome := in(bradford, catalogue.Location{Lat: 53.79, Lng: -1.75}) // about 8 miles from the school
	cornwallHome := in(cornwall, catalogue.Location{Lat: 50.26, Lng: -5.05})
	farInLeeds := func(p *catalogue.Placement) { p.Location = catalogue.Location{Lat: 54.3, Lng: -1.55} } // about 35 miles
	year10 := "2011-12-01"                                                                                // 14, Year 10 in 2026/27
	year8 := "2013-12-01"
	pol := catalogue.DefaultPolicy()

	for _, tc := range []struct {
		name     string
		children []catalogue.Child
		home     catalogue.Placement
		policy   func(*catalogue.Policy)
		want     []catalogue.SignOffKind
	}{
		{name: "nothing reserved", children: []catalogue.Child{child(year8)}, home: home()},
		{name: "out of area, adjoining", children: []catalogue.Child{child(year8)}, home: home(bradfordHome),
			want: []catalogue.SignOffKind{catalogue.SignOffOutOfArea}},
		{name: "out of area, at a distance", children: []catalogue.Child{child(year8)}, home: home(cornwallHome),
			want: []catalogue.SignOffKind{catalogue.SignOffDistant}},
		{name: "Key Stage 4, too far from school", children: []catalogue.Child{child(year10)}, home: home(farInLeeds),
			want: []catalogue.SignOffKind{catalogue.SignOffKS4SchoolMove}},
		{name: "Key Stage 4, the plan is a new school", children: []catalogue.Child{child(year10, func(c *catalogue.Child) { c.School.KeepPlanned = false })},
			home: home(), want: []catalogue.SignOffKind{catalogue.SignOffKS4SchoolMove}},
		{name: "Key Stage 4, keeps the school", children: []catalogue.Child{child(year10)}, home: home(bradfordHome),
			want: []catalogue.SignOffKind{catalogue.SignOffOutOfArea}},
		{name: "Key Stage 4, no school", children: []catalogue.Child{child(year10, func(c *catalogue.Child) { c.School = nil })}, home: home(farInLeeds)},
		{name: "Year 8, too far from school", children: []catalogue.Child{child(year8)}, home: home(farInLeeds)},
		{name: "a brother in Key Stage 4", children: []catalogue.Child{child(year8), child(year10, func(c *catalogue.Child) { c.ID = 2 })},
			home: home(farInLeeds), want: []catalogue.SignOffKind{catalogue.SignOffKS4SchoolMove}},
		{name: "high cost", children: []catalogue.Child{child(year8)}, home: home(func(p *catalogue.Placement) { p.WeeklyCost = 10001 }),
			want: []catalogue.SignOffKind{catalogue.SignOffHighCost}},
		{name: "at the threshold", children: []catalogue.Child{child(year8)}, home: home(func(p *catalogue.Placement) { p.WeeklyCost = 10000 })},
		{name: "the council's own threshold", children: []catalogue.Child{child(year8)}, home: home(func(p *catalogue.Placement) { p.WeeklyCost = 5000 }),
			policy: func(p *catalogue.Policy) { p.SignOffWeeklyCost = 4500 }, want: []catalogue.SignOffKind{catalogue.SignOffHighCost}},
		{name: "children's home under 12", children: []catalogue.Child{child("2015-01-01")}, home: home(func(p *catalogue.Placement) { p.Kind = catalogue.ChildrensHome }),
			want: []catalogue.SignOffKind{catalogue.SignOffResidentialUnder12}},
		{name: "children's home at 12", children: []catalogue.Child{child("2014-11-22")}, home: home(func(p *catalogue.Placement) { p.Kind = catalogue.ChildrensHome })},
		{name: "foster home under 12", children: []catalogue.Child{child("2020-01-01")}, home: home()},
		{name: "inadequate", children: []catalogue.Child{child(year8)}, home: home(func(p *catalogue.Placement) { p.Ofsted = catalogue.OfstedInadequate }),
			want: []catalogue.SignOffKind{catalogue.SignOffInadequate}},
		{name: "requires improvement", children: []catalogue.Child{child(year8)}, home: home(func(p *catalogue.Placement) { p.Ofsted = catalogue.OfstedRequiresImprovement })},
		{name: "everything at once", children: []catalogue.Child{child(year10), child("2016-01-01", func(c *catalogue.Child) { c.ID = 3; c.School = nil })},
			home: home(cornwallHome, func(p *catalogue.Placement) {
				p.Kind, p.WeeklyCost, p.Ofsted = catalogue.ChildrensHome, 12000, catalogue.OfstedInadequate
			}),
			want: []catalogue.SignOffKind{catalogue.SignOffDistant, catalogue.SignOffKS4SchoolMove, catalogue.SignOffHighCost,
				catalogue.SignOffResidentialUnder12, catalogue.SignOffInadequate}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := pol
			if tc.policy != nil {
				tc.policy(&p)
			}
			needs := catalogue.SignOffsNeeded(catalogue.SignOffCase{Children: tc.children, Placement: tc.home, Policy: p, Today: today})
			var got []catalogue.SignOffKind
			for _, n := range needs {
				got = append(got, n.Kind)
				if n.Level != n.Kind.Level() || strings.TrimSpace(n.Why) == "" {
					t.Errorf("%s: level %s, why %q", n.Kind, n.Level, n.Why)
				}
				if strings.Contains(n.Why, "Amy") {
					t.Errorf("%s names the child: %q", n.Kind, n.Why)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("needed %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSignOffLevels(t *testing.T) {
	t.Parallel()
	want := map[catalogue.SignOffKind]catalogue.ManagerLevel{
		catalogue.SignOffOutOfArea: catalogue.LevelNominatedOfficer, catalogue.SignOffDistant: catalogue.LevelDirector,
		catalogue.SignOffKS4SchoolMove: catalogue.LevelNominatedOfficer, catalogue.SignOffHighCost: catalogue.LevelNominatedOfficer,
		catalogue.SignOffResidentialUnder12: catalogue.LevelDirector, catalogue.SignOffInadequate: catalogue.LevelDirector,
	}
	for _, k := range catalogue.SignOffKinds {
		if k.Level() != want[k] || k.Citation() == "" {
			t.Errorf("%s: level %s (want %s), citation %q", k, k.Level(), want[k], k.Citation())
		}
		for _, l := range catalogue.ManagerLevels {
			err := catalogue.CheckGiver(catalogue.RoleManager, l, k)
			if (err == nil) != l.AtLeast(k.Level()) {
				t.Errorf("%s given by %s: %v", k, l, err)
			}
			if err != nil && (!errors.Is(err, catalogue.ErrForbidden) || catalogue.FieldErrors(err)[0].Field != "kind") {
				t.Errorf("%s given by %s: %v, want forbidden naming kind", k, l, err)
			}
		}
		if err := catalogue.CheckGiver(catalogue.RoleAdmin, "", k); !errors.Is(err, catalogue.ErrForbidden) {
			t.Errorf("an admin gave %s: %v", k, err)
		}
	}
	if catalogue.ManagerLevel("chief").AtLeast(catalogue.LevelTeamManager) {
		t.Error("an unknown level counts")
	}
}

func TestManagerTokenAndPolicyThreshold(t *testing.T) {
	t.Parallel()
	tok := catalogue.Token{Role: catalogue.RoleManager, Council: "E08000035", Level: catalogue.LevelDirector, Hash: [32]byte{1}}
	if err := tok.Validate(); err != nil {
		t.Fatal(err)
	}
	if s := tok.Principal().Scope(); s.Council != "E08000035" {
		t.Errorf("a manager's scope is %+v, want their council", s)
	}
	for _, bad := range []catalogue.Token{
		{Role: catalogue.RoleManager, Council: "E08000035", Hash: [32]byte{1}},
		{Role: catalogue.RoleManager, Level: catalogue.LevelDirector, Hash: [32]byte{1}},
		{Role: catalogue.RoleOfficer, Council: "E08000035", Level: catalogue.LevelDirector, Hash: [32]byte{1}},
	} {
		if err := bad.Validate(); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	p := catalogue.DefaultPolicy()
	if p.SignOffWeeklyCost != catalogue.DefaultSignOffWeeklyCost {
		t.Errorf("default threshold %d", p.SignOffWeeklyCost)
	}
	for _, v := range []int{0, 299, 50001} {
		p.SignOffWeeklyCost = v
		fe := catalogue.FieldErrors(p.Validate())
		if len(fe) != 1 || fe[0].Field != "sign_off_weekly_cost" {
			t.Errorf("threshold %d: %v", v, fe)
		}
	}
	v := 4000
	if got := (catalogue.PolicyChange{SignOffWeeklyCost: &v}).Apply(catalogue.DefaultPolicy()); got.SignOffWeeklyCost != 4000 {
		t.Errorf("a change of the threshold gave %d", got.SignOffWeeklyCost)
	}
}
