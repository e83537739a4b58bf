package scoring

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestAnchors(t *testing.T) {
	t.Parallel()
	c := amy()
	c.Contacts = append(c.Contacts, c.Contacts[0]) // a repeat is listed once
	p := prepare(t, Request{Child: c})
	got := p.Anchors()
	if len(got) != 4 {
		t.Fatalf("anchors %v, want home, school, Mum and Nan (the unsafe contact is not an anchor)", got)
	}
	if got[0] != c.Home || got[1] != c.School.Location || got[2] != c.Contacts[0].Location || got[3] != c.Contacts[1].Location {
		t.Errorf("anchors %v", got)
	}
	c.School.KeepPlanned = false
	if n := len(prepare(t, Request{Child: c}).Anchors()); n != 3 {
		t.Errorf("%d anchors when the school is not kept, want 3", n)
	}
}

// TestRaisingAWeightNeverLowersTheBest: of a set of placements, the one best on a factor never
// falls in quality order when that factor's weight is raised (the matcher's property, held here
// for the weights and their normalisation). The cost margin in Rank can still let a cheaper
// option overtake when the leader's lead shrinks into the margin: that is the cost rule.
func TestRaisingAWeightNeverLowersTheBest(t *testing.T) {
	t.Parallel()
	rngReq, homes := amy(), benchHomes(60)
	for i := range homes {
		homes[i].Skills = homes[i].Skills[:i%3]
		homes[i].Experience = i % 15
		homes[i].WeeklyCost = 500 + 37*i
		homes[i].Household.Pets = homes[i].Household.Pets[:i%2]
	}
	for _, f := range []string{"school", "family", "needs", "stability", "wishes", "home_area"} {
		t.Run(f, func(t *testing.T) {
			raised := catalogue.DefaultPolicy()
			raised.Weights[factorOfName(f)] *= 1.8
			p0 := prepare(t, Request{Child: rngReq})
			p1, err := Prepare(Request{Child: rngReq, Today: today}, raised)
			if err != nil {
				t.Fatal(err)
			}
			best, bestScore := -1, -1.0
			for i := range homes {
				s := p0.Score(&homes[i]).Factors[factorIndex(factorOfName(f))].Score
				if s > bestScore {
					best, bestScore = i, s
				}
			}
			rank := func(p *Prepared) int {
				_, qb := p.Quick(&homes[best])
				r := 0
				for i := range homes {
					if _, q := p.Quick(&homes[i]); q > qb {
						r++
					}
				}
				return r
			}
			r0, r1 := rank(p0), rank(p1)
			t.Logf("best on %s: home %d, rank %d then %d", f, best, r0, r1)
			if r1 > r0 {
				t.Errorf("best on %s fell from %d to %d when its weight rose", f, r0, r1)
			}
		})
	}
}

func factorOfName(s string) catalogue.Factor { return catalogue.Factor(s) }

// TestQualityBound: no placement at least km from home scores above QualityBound(km), unless
// it is a kinship carer connected to the child; and the bound does not rise with distance.
func TestQualityBound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 16))
	tight := 0
	for i := range 3000 {
		req, pl := randomPair(rng)
		p, err := Prepare(req, catalogue.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if pl.Kind == catalogue.Kinship && slices.Contains(pl.ConnectedTo, req.Child.ID) {
			continue
		}
		d := p.HomeKm(&pl)
		_, q := p.Quick(&pl)
		for _, frac := range []float64{0, 0.5, 0.9, 1} {
			km := d * frac
			if b := p.QualityBound(km); q > b {
				t.Fatalf("case %d: quality %.6f at %.2f km above the bound %.6f for %.2f km", i, q, d, b, km)
			} else if frac == 1 && b-q < 0.1 {
				tight++
			}
		}
		if p.QualityBound(d+10) > p.QualityBound(d)+1e-12 {
			t.Fatalf("case %d: bound rises with distance", i)
		}
	}
	if tight < 100 {
		t.Errorf("the bound is within 0.1 of the score in only %d of 3000 cases: too loose to prune", tight)
	}
	noHome := amy()
	noHome.Home = catalogue.Location{}
	if p := prepare(t, Request{Child: noHome}); p.HomeKm(new(catalogue.Placement)) != -1 {
		t.Error("HomeKm without a home should be -1")
	}
}

// TestQualityBoundAt: no placement scores above QualityBoundAt at its own point and traits
// (kinship carers connected to the child aside), the needs bound from the skill bits is the
// needs factor itself and the stability bound is above the stability factor, the bound is
// never above QualityBound at the placement's distance from home, and it is tighter than that
// often enough to be worth its cost. QuickAt at the placement's point gives Quick's scores
// exactly.
func TestQualityBoundAt(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 18))
	tighter, close := 0, 0
	for i := range 5000 {
		req, pl := randomPair(rng)
		if i%4 == 0 {
			pl.Council = req.Child.Council // inside the council's area, a quarter of the time
		}
		p, err := Prepare(req, catalogue.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		pt := Point(pl.Location)
		total, q := p.Quick(&pl)
		if t2, q2 := p.QuickAt(&pl, pt); t2 != total || q2 != q {
			t.Fatalf("case %d: QuickAt (%v, %v), Quick (%v, %v)", i, t2, q2, total, q)
		}
		if pl.Kind == catalogue.Kinship && slices.Contains(pl.ConnectedTo, req.Child.ID) {
			continue
		}
		tr := TraitsOf(&pl)
		tr.Inside = pl.Council == req.Child.Council
		f := p.scores(&pl, nil)
		if nb := p.needsBound(tr.Skills); nb != f[idxNeeds] {
			t.Fatalf("case %d: needs from the skill bits %v, the factor %v", i, nb, f[idxNeeds])
		}
		if f[idxStability] > tr.Stability {
			t.Fatalf("case %d: stability %v above its bound %v", i, f[idxStability], tr.Stability)
		}
		b := p.QualityBoundAt(pt, tr)
		if q > b {
			t.Fatalf("case %d: quality %.9f above the bound at its point %.9f", i, q, b)
		}
		d := p.HomeKm(&pl)
		if d < 0 {
			d = 0
		}
		if ring := p.QualityBound(d); b > ring+1e-6 { // chords are a hair shorter than arcs
			t.Fatalf("case %d: the bound at the point %.9f is above the bound by distance %.9f", i, b, ring)
		} else if b < ring-0.01 {
			tighter++
		}
		if b-q < 0.1 {
			close++
		}
	}
	t.Logf("of 5000: %d a point tighter than the bound by distance, %d within 0.1 of the score", tighter, close)
	if tighter < 500 {
		t.Errorf("the bound at the point is tighter than by distance in only %d of 5000 cases", tighter)
	}
}

func TestChildren(t *testing.T) {
	t.Parallel()
	p := prepare(t, Request{Child: amy(), Group: []catalogue.Child{brother(), amy()}})
	got := p.Children()
	if len(got) != 2 || got[0].ID != 101 || got[1].ID != 102 {
		t.Fatalf("Children() = %v", got)
	}
	got[0].FirstName = "changed"
	if p.Children()[0].FirstName != "Amy" {
		t.Error("Children() shares its slice")
	}
}
