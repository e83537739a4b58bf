package scoring

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestAnchors(t *testing.T) {
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
	rngReq, homes := amy(), benchHomes(60)
	for i := range homes {
		homes[i].Skills = homes[i].Skills[:i%3]
		homes[i].Experience = i % 15
		homes[i].WeeklyCost = 500 + 37*i
		homes[i].Household.Pets = homes[i].Household.Pets[:i%2]
	}
	for _, f := range []string{"school", "family", "needs", "stability", "wishes", "home_area"} {
		t.Run(f, func(t *testing.T) {
			raised := DefaultPolicy()
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
