package synth

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestMentalHealthCalibration holds the national synthetic England to the rates of
// mentalhealth.go: SDQ bands as the DfE reports them, mental health needs near the ONS's 45% of
// 5-17s, deprivation of liberty orders near the Nuffield FJO's share, and a supply of homes that
// can meet an order's conditions and carers with the new skills.
func TestMentalHealthCalibration(t *testing.T) {
	t.Parallel()
	b := national(t)
	var sdqEligible, recorded, concern, school, mh, camhs, camhsOK, dol, dolOK, eating, older, exploiting int
	for _, c := range b.Children {
		age := c.AgeOn(DefaultToday())
		if age >= 4 && age <= 16 {
			sdqEligible++
			if c.SDQBand != catalogue.SDQNotRecorded {
				recorded++
				if c.SDQBand.Concern() {
					concern++
				}
			}
		}
		if age >= 5 && age <= 17 {
			school++
			if c.Need(catalogue.NeedMentalHealth) > 0 {
				mh++
			}
		}
		if c.CAMHS {
			camhs++
			if c.Need(catalogue.NeedMentalHealth)+c.Need(catalogue.NeedSelfHarm)+c.Need(catalogue.NeedEatingDisorder) > 0 {
				camhsOK++
			}
		}
		if c.DeprivationOfLiberty {
			dol++
			if age >= 12 && c.CareType == catalogue.CareChildrensHome {
				dolOK++
			}
		}
		if age >= 11 {
			older++
			if c.Need(catalogue.NeedEatingDisorder) > 0 {
				eating++
			}
		}
		if c.Need(catalogue.NeedCriminalExploitingOthers) > 0 {
			exploiting++
		}
	}
	var homes, dolHomes, mhSkill, family int
	for _, p := range b.Placements {
		if p.Kind == catalogue.ChildrensHome {
			homes++
			if p.DoLConditions {
				dolHomes++
			}
		} else if p.DoLConditions {
			t.Errorf("placement %d (%s) records it can meet a DoL order: only children's homes do here", p.ID, p.Kind)
		}
		if p.Kind.IsFamily() {
			family++
			if hasSkill(p.Skills, catalogue.SkillMentalHealth) {
				mhSkill++
			}
		}
	}
	checkShares(t, []share{
		{"SDQ recorded for children 4-16", frac(recorded, sdqEligible), sdqRecorded, 0.02},
		{"SDQ a cause for concern (17+)", frac(concern, recorded), (sdqHigh + sdqVeryHigh) / 100, 0.02},
		{"mental health need, 5-17", frac(mh, school), 0.45, 0.1},
		{"DoL orders among all children", frac(dol, len(b.Children)), 0.01, 0.005},
		{"eating disorder, 11 and over", frac(eating, older), 0.02, 0.015},
		{"homes that can meet a DoL order", frac(dolHomes, homes), 0.15, 0.08},
		{"family homes trained in mental health", frac(mhSkill, family), 0.15, 0.1},
	})
	if camhs == 0 || camhsOK != camhs {
		t.Errorf("%d children open to CAMHS, %d of them with a mental health need: want some, all", camhs, camhsOK)
	}
	if dol == 0 || dolOK != dol {
		t.Errorf("%d children under DoL orders, %d of them 12 or over and assessed for a children's home: want some, all", dol, dolOK)
	}
	if exploiting == 0 {
		t.Error("no child at risk of drawing others into crime")
	}
}
