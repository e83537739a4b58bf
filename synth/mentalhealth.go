package synth

import (
	"math/rand/v2"

	"github.com/placematch/placematch/catalogue"
)

// Mental health, criminal exploitation of others and deprivation of liberty in the synthetic
// England (issue 17). They are drawn from a stream of their own, after the rest of a council's
// children and supply, so that adding them left every other draw (and the calibration that rests
// on it) as it was.
const streamMentalHealth = 5

// Rates. Each names its source; where no published figure fits, it says it is our assumption.
const (
	// SDQ: the DfE collects a carer's SDQ for children aged 4 to 16 looked after for a year or
	// more, and has one for about three in four of them (DfE, "Children looked after in England
	// including adoptions", 2023-24: SDQ submitted for 77%).
	sdqRecorded = 0.77
	// Of those, the DfE reports about half "normal" (0-13), 13% "borderline" (14-16) and 38% a
	// "cause for concern" (17-40) (the same release, 2023-24). How the 38% splits between the
	// author's "high" (17-19) and "very high" (20-40) bands the DfE does not publish: 16 and 22
	// is our assumption, very high the larger as scores in care run high.
	sdqCloseToAverage, sdqSlightlyRaised, sdqHigh, sdqVeryHigh = 49.0, 13.0, 16.0, 22.0
	// Mental health: 45% of looked-after children aged 5-17 had a diagnosable mental disorder
	// (ONS, Meltzer et al. 2003, "The mental health of young people looked after by local
	// authorities in England"). We give a mental_health need to those with a high or very high
	// SDQ and, otherwise, at the rate that leaves about 45% of 5-17s with one, and CAMHS
	// involvement to about half of those with a need (our assumption: CAMHS thresholds and
	// waiting lists leave many without a service; the Children's Commissioner's annual reports on
	// children's mental health services find most referred children wait or are not accepted).
	mentalHealthOtherwise = 0.2
	camhsWithNeed         = 0.5
	// Self-harm: NHS England, "Mental Health of Children and Young People in England, 2023":
	// about one in five 11-16-year-olds with a probable mental disorder had self-harmed or tried
	// to; we give self_harm to 20% of 11-17s with a mental health need, girls twice as often as
	// boys (the same survey finds the rate much higher in girls). Our reading of the survey.
	selfHarmGirls, selfHarmBoys = 0.27, 0.13
	// Eating disorders: the same survey found eating disorders in 2.6% of 11-16-year-olds and
	// 12.5% of 17-19-year-olds, four times as often in girls; we use 2.6% (11-16) and 6% (17,
	// our interpolation) of girls and a quarter of that of boys.
	eatingYoung, eatingOlder = 0.026, 0.06
	// Drawing others into crime: our assumption, a quarter of children with a criminal
	// exploitation need of high level, and 1% of other boys aged 13 and over.
	exploitingOthersExploited, exploitingOthersBoys = 0.25, 0.01
	// Deprivation of liberty: about 1,280 applications to deprive children of their liberty were
	// made in England and Wales in the year to June 2024 (Nuffield Family Justice Observatory,
	// national DoL court monitoring), about 1.5% of children looked after, almost all 12-17 and
	// living in children's homes, registered or not. We give an order to 12% of those aged 12
	// and over whose assessed care is a children's home (our assumption, which lands near 1% of
	// all children looked after: the rest of the applications are for children in unregistered
	// settings, which are not supply here).
	dolChildren = 0.12
	// A home records it can meet an order's conditions: our assumption, a third of therapeutic
	// homes (chosen by their staff's mental health skill) and a tenth of the others; no foster
	// household or supported setting here records it, though some foster carers in fact care
	// for children under orders.
	dolTherapeutic, dolOtherHomes = 0.33, 0.10
	// Skills: our assumptions, informed by The Fostering Network's "State of the Nation's Foster
	// Care" (2021), where carers most often asked for more training in children's mental health.
	mentalHealthFoster, mentalHealthHomes, mentalHealthSupported = 0.12, 0.45, 0.15
	eatingFoster, eatingHomes                                    = 0.01, 0.05
)

// mentalHealthNeeds adds the needs, SDQ band, CAMHS involvement and orders of this file to the
// children of the council generated from index from on.
func (g *gen) mentalHealthNeeds(r *rand.Rand, from int) {
	kids := g.out.batch.Children[from:]
	for i := range kids {
		c := &kids[i]
		age := c.AgeOn(g.today)
		var add []catalogue.Need
		level := func(low, med, high float64) catalogue.NeedLevel {
			return []catalogue.NeedLevel{catalogue.LevelLow, catalogue.LevelMedium, catalogue.LevelHigh}[choose(r, low, med, high)]
		}
		if age >= 4 && age <= 16 && chance(r, sdqRecorded) {
			c.SDQBand = catalogue.SDQBands[choose(r, sdqCloseToAverage, sdqSlightlyRaised, sdqHigh, sdqVeryHigh)]
		}
		if age >= 5 {
			switch {
			case c.SDQBand == catalogue.SDQVeryHigh:
				add = append(add, catalogue.Need{Kind: catalogue.NeedMentalHealth, Level: level(10, 40, 50)})
			case c.SDQBand == catalogue.SDQHigh:
				add = append(add, catalogue.Need{Kind: catalogue.NeedMentalHealth, Level: level(30, 50, 20)})
			case chance(r, mentalHealthOtherwise):
				add = append(add, catalogue.Need{Kind: catalogue.NeedMentalHealth, Level: level(50, 35, 15)})
			}
		}
		girl := c.Sex == catalogue.Female
		if len(add) > 0 && age >= 11 {
			if p := map[bool]float64{true: selfHarmGirls, false: selfHarmBoys}[girl]; chance(r, p) {
				add = append(add, catalogue.Need{Kind: catalogue.NeedSelfHarm, Level: level(25, 45, 30)})
			}
		}
		if age >= 11 {
			p := eatingYoung
			if age >= 17 {
				p = eatingOlder
			}
			if !girl {
				p /= 4
			}
			if chance(r, p) {
				add = append(add, catalogue.Need{Kind: catalogue.NeedEatingDisorder, Level: level(20, 45, 35)})
			}
		}
		if age >= 13 {
			p := 0.0
			if c.Need(catalogue.NeedExploitationCCE) == catalogue.LevelHigh {
				p = exploitingOthersExploited
			} else if !girl {
				p = exploitingOthersBoys
			}
			if chance(r, p) {
				add = append(add, catalogue.Need{Kind: catalogue.NeedCriminalExploitingOthers, Level: level(30, 45, 25)})
			}
		}
		if len(add) > 0 {
			c.Needs = keep(&g.slabs.needs, append(append(g.scratch.needs[:0], c.Needs...), add...))
		}
		if c.Need(catalogue.NeedMentalHealth)+c.Need(catalogue.NeedSelfHarm)+c.Need(catalogue.NeedEatingDisorder) > 0 {
			c.CAMHS = chance(r, camhsWithNeed)
		}
		if age >= 12 && c.CareType == catalogue.CareChildrensHome {
			c.DeprivationOfLiberty = chance(r, dolChildren)
		}
	}
}

// mentalHealthSupply adds the skills of this file, and a record that a home can meet a
// deprivation of liberty order's conditions, to the council's placements from index from on.
func (g *gen) mentalHealthSupply(r *rand.Rand, from int) {
	homes := g.out.batch.Placements[from:]
	for i := range homes {
		pl := &homes[i]
		var mh, eating float64
		switch pl.Kind {
		case catalogue.CouncilFoster, catalogue.AgencyFoster:
			mh, eating = mentalHealthFoster, eatingFoster
			if hasSkill(pl.Skills, catalogue.SkillTherapeuticParenting) {
				mh *= 2
			}
		case catalogue.ChildrensHome:
			mh, eating = mentalHealthHomes, eatingHomes
			if hasSkill(pl.Skills, catalogue.SkillTherapeuticParenting) {
				mh = 0.9
			}
		case catalogue.SupportedAccommodation:
			mh = mentalHealthSupported
		}
		var add []catalogue.Skill
		if chance(r, mh) {
			add = append(add, catalogue.SkillMentalHealth)
		}
		if chance(r, eating) {
			add = append(add, catalogue.SkillEatingDisorders)
		}
		if len(add) > 0 {
			pl.Skills = keep(&g.slabs.skills, append(append(g.scratch.skills[:0], pl.Skills...), add...))
		}
		if pl.Kind == catalogue.ChildrensHome {
			p := dolOtherHomes
			if hasSkill(pl.Skills, catalogue.SkillTherapeuticParenting) && hasSkill(pl.Skills, catalogue.SkillMentalHealth) {
				p = dolTherapeutic
			}
			pl.DoLConditions = chance(r, p)
		}
	}
}
