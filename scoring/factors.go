package scoring

import (
	"math"
	"slices"

	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
)

// Factor indexes, in the order of catalogue.Factors.
const (
	idxSchool = iota
	idxSiblings
	idxFamily
	idxNeeds
	idxIdentity
	idxHomeArea
	idxKinship
	idxWishes
	idxStability
	idxCost
	nFactors
)

func factorIndex(f catalogue.Factor) int {
	switch f {
	case catalogue.FactorSchool:
		return idxSchool
	case catalogue.FactorSiblings:
		return idxSiblings
	case catalogue.FactorFamily:
		return idxFamily
	case catalogue.FactorNeeds:
		return idxNeeds
	case catalogue.FactorIdentity:
		return idxIdentity
	case catalogue.FactorHomeArea:
		return idxHomeArea
	case catalogue.FactorKinship:
		return idxKinship
	case catalogue.FactorWishes:
		return idxWishes
	case catalogue.FactorStability:
		return idxStability
	}
	return idxCost
}

// Neutral is the score of a factor that does not apply to a child (no school, no brothers or
// sisters, no contact plan, no stated wishes): the same for every placement, so it moves no
// option above another.
const Neutral = 0.5

// Distances (km) that shape the distance factors. Each factor is 1 up to its "full" distance
// and falls linearly to 0 at its "none" distance.
const (
	schoolFullKm   = 3 * catalogue.MilesToKm  // a short journey: the child keeps their school easily
	schoolNoneKm   = 20 * catalogue.MilesToKm // too far to keep a school in practice
	schoolKeepKm   = 10 * catalogue.MilesToKm // the child's wish to stay at school counts as met within this
	siblingFullKm  = 3 * catalogue.MilesToKm
	siblingNoneKm  = 30 * catalogue.MilesToKm
	contactFullKm  = 3 * catalogue.MilesToKm
	contactNoneKm  = 30 * catalogue.MilesToKm
	nearFamilyKm   = 10 * catalogue.MilesToKm // the child's wish to be near family counts as met within this
	unsafeNearKm   = 5 * catalogue.MilesToKm  // an unsafe contact within this lowers the family score
	homeFullKm     = 5 * catalogue.MilesToKm
	homeNoneKm     = 50 * catalogue.MilesToKm
	townDensityKm2 = 800.0 // people per km² above which a council area counts as a town
)

// splitSiblingMax is the best a placement can score on siblings when brothers and sisters live
// apart: living together (1) always scores higher than living next door.
const splitSiblingMax = 0.8

// Result is one placement's score for one child.
type Result struct {
	Total      float64 // 0..1: the weighted sum of the factors, Σ Weight×Score
	Quality    float64 // 0..1: the same without cost, renormalised: what Rank compares first
	Factors    []catalogue.FactorScore
	SchoolKm   float64   // to the child's school as the crow flies, or -1 without a school
	ContactKm  []float64 // to each person in the contact plan, in plan order
	WeeklyCost int
	// Support lists the child's needs no one in the placement is trained for: a support plan
	// (training or support for the carers, National Minimum Standard 15) would be needed. They
	// are the needs of catalogue.Uncovered, whose items catalogue.SupportFor gives.
	Support []catalogue.NeedKind
	// KinFirst: the carers are connected persons assessed for the child, ranked ahead of every
	// unconnected carer (Children Act 1989 s22C(7)(a)) unless the officer recorded why not
	// (catalogue.Child.KinNotFirstReason). Rank orders by it before any score.
	KinFirst bool
}

// Score rates the placement on every factor, with a sentence for each. It assumes the placement
// passed Check; it does not check again.
func (p *Prepared) Score(pl *catalogue.Placement) Result {
	// The explanation itself lives on the stack, so appending sentences to its buffer needs no
	// write barriers; its buffer becomes one string at the end.
	e := explain{schoolKm: -1, contactKm: make([]float64, len(p.contacts)), buf: make([]byte, 0, 2048)}
	s := p.scores(pl, &e)
	r := Result{SchoolKm: e.schoolKm, ContactKm: e.contactKm, WeeklyCost: pl.WeeklyCost, KinFirst: p.KinFirst(pl)}
	r.Factors = make([]catalogue.FactorScore, nFactors)
	reasons := e.reasons()
	for i, f := range catalogue.Factors {
		r.Factors[i] = catalogue.FactorScore{Factor: f, Weight: p.w[i], Score: s[i], Reason: reasons[i]}
	}
	r.Total, r.Quality = p.totals(&s)
	for _, n := range catalogue.Uncovered(p.child().Needs, pl.Skills) {
		r.Support = append(r.Support, n.Kind)
	}
	return r
}

// Quick returns what Score would return as Total and Quality, without sentences and without
// allocating: for ranking many candidates before explaining the few that are kept.
func (p *Prepared) Quick(pl *catalogue.Placement) (total, quality float64) {
	s := p.scores(pl, nil)
	return p.totals(&s)
}

// QuickAt is Quick for a placement whose S2 point (Point(pl.Location)) the caller already
// holds, as CheckAt is Check: it spares locating the placement again.
func (p *Prepared) QuickAt(pl *catalogue.Placement, pt s2.Point) (total, quality float64) {
	s := p.scoresAt(pl, pt, nil)
	return p.totals(&s)
}

func (p *Prepared) totals(s *[nFactors]float64) (total, quality float64) {
	for i := range s {
		total += p.w[i] * s[i]
	}
	rest := 1 - p.w[idxCost]
	if rest <= 1e-12 {
		return clamp01(total), clamp01(total)
	}
	return clamp01(total), clamp01((total - p.w[idxCost]*s[idxCost]) / rest)
}

func (p *Prepared) scores(pl *catalogue.Placement, e *explain) [nFactors]float64 {
	return p.scoresAt(pl, Point(pl.Location), e)
}

func (p *Prepared) scoresAt(pl *catalogue.Placement, pt s2.Point, e *explain) [nFactors]float64 {
	var s [nFactors]float64
	s[idxSchool] = p.schoolFactor(pt, e)
	s[idxSiblings] = p.siblingsFactor(pt, e)
	s[idxFamily] = p.familyFactor(pt, e)
	s[idxNeeds] = p.needsFactor(pl, e)
	s[idxIdentity] = p.identityFactor(pl, e)
	s[idxHomeArea] = p.homeFactor(pl, pt, e)
	s[idxKinship] = p.kinshipFactor(pl, e)
	s[idxWishes] = p.wishesFactor(pl, pt, e)
	s[idxStability] = p.stabilityFactor(pl, e)
	s[idxCost] = p.costFactor(pl, e)
	for i := range s {
		s[i] = clamp01(s[i])
	}
	return s
}

func clamp01(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x > 0:
		return x
	}
	return 0 // also NaN
}

// ramp is 1 up to full, 0 from none, and linear in between.
func ramp(d, full, none float64) float64 {
	switch {
	case d <= full:
		return 1
	case d >= none:
		return 0
	}
	return (none - d) / (none - full)
}

func (p *Prepared) child() *catalogue.Child { return &p.kids[0] }

func (p *Prepared) pron() pronouns { return pronounsOf(p.kids[0].Sex) }

// schoolFactor: full marks within 3 miles of the school, nothing from 20 miles; neutral when the
// child has no school or the plan is not to keep it.
func (p *Prepared) schoolFactor(pt s2.Point, e *explain) float64 {
	c := p.child()
	if e != nil {
		e.begin(idxSchool)
		defer e.done(idxSchool)
	}
	if c.School == nil {
		if e != nil {
			e.s(name(c), " is not at school, so distance to school is not scored.")
		}
		return Neutral
	}
	d := distKm(p.school, pt)
	if e != nil {
		e.schoolKm = d
	}
	if !c.School.KeepPlanned {
		if e != nil {
			e.s("The plan is not for ", name(c), " to stay at ", c.School.Name, ", so distance to school is not scored (it is ")
			e.miles(d, true)
			e.s(" away as the crow flies).")
		}
		return Neutral
	}
	if e != nil {
		nm, pr := name(c), p.pron()
		e.miles(d, true)
		e.s(" from ", c.School.Name, " as the crow flies: ")
		switch {
		case d <= schoolFullKm:
			e.s(nm, " can stay at ", pr.poss, " school.")
		case d <= schoolKeepKm:
			e.s(nm, " can stay at ", pr.poss, " school, with a longer journey.")
		case d < schoolNoneKm:
			e.s("staying at ", pr.poss, " school would mean a long journey every day.")
		default:
			e.s("too far for ", nm, " to stay at ", pr.poss, " school.")
		}
	}
	return ramp(d, schoolFullKm, schoolNoneKm)
}

// siblingsFactor: 1 when the group lives here together; for a child whose brothers and sisters
// live elsewhere, up to 0.8 by distance to them; neutral with no brothers or sisters to consider.
func (p *Prepared) siblingsFactor(pt s2.Point, e *explain) float64 {
	c := p.child()
	if e != nil {
		e.begin(idxSiblings)
		defer e.done(idxSiblings)
	}
	if p.places > 1 {
		if e != nil {
			if p.places == 2 {
				e.s(name(c), " and ", p.pron().poss, " ", siblingWords(p.members[1:]), " can live here together.")
			} else {
				e.s("All ", number(p.places), " ", siblingWords(p.members), " can live here together.")
			}
		}
		return 1
	}
	if len(p.siblings) == 0 {
		if e != nil {
			e.s("No brothers or sisters are to be considered for ", name(c), ", so this is not scored.")
		}
		return Neutral
	}
	sum := 0.0
	var near [8]float64
	ds := near[:0]
	for _, sp := range p.siblings {
		d := distKm(sp, pt)
		sum += ramp(d, siblingFullKm, siblingNoneKm)
		if e != nil {
			ds = append(ds, d)
		}
	}
	if e != nil {
		slices.Sort(ds)
		if p.req.GroupPlan == catalogue.PlanTogether || p.req.GroupPlan == catalogue.PlanTogetherIfPossible {
			e.s(name(c), " would live apart from ", p.pron().poss, " brothers and sisters, though the plan is for them to live together. ")
		}
		e.name(name(c), true)
		if len(ds) == 1 {
			e.s(" brother or sister who lives elsewhere is ")
			e.miles(ds[0], true)
		} else {
			e.s(" ")
			e.number(len(ds))
			e.s(" brothers and sisters who live elsewhere are ")
			for i, d := range ds {
				e.sep(i, len(ds), "and")
				e.miles(d, i == len(ds)-1)
			}
		}
		e.s(" away as the crow flies.")
	}
	return splitSiblingMax * sum / float64(len(p.siblings))
}

// familyFactor: the distance to where contact with each person in the plan happens in person,
// weighted by how often they meet (1 within 3 miles, 0 from 30 miles): where they live for
// direct contact, the contact centre for supervised contact (catalogue.Contact.MeetsAt), so a
// home near the centre scores higher; indirect contact and none are not scored by distance.
// Each person who must not know where the child lives, living within 5 miles, lowers the score
// by up to half, and the sentence says so without saying where. Neutral base without contact in
// person at a known place.
func (p *Prepared) familyFactor(pt s2.Point, e *explain) float64 {
	c := p.child()
	base := Neutral
	if p.safeFreq > 0 {
		sum := 0.0
		for _, ct := range p.contacts {
			if ct.scored {
				sum += ct.perMonth * ramp(distKm(ct.pt, pt), contactFullKm, contactNoneKm)
			}
		}
		base = sum / p.safeFreq
	}
	penalty, hiddenNear, hidden := 1.0, 0, 0
	for i, ct := range p.contacts {
		if e != nil {
			e.contactKm[i] = distKm(ct.pt, pt)
		}
		if !ct.hidden {
			continue
		}
		hidden++
		if d := distKm(ct.lives, pt); d < unsafeNearKm {
			hiddenNear++
			penalty *= 0.5 + 0.5*d/unsafeNearKm
		}
	}
	if e != nil {
		e.begin(idxFamily)
		if p.safeFreq > 0 {
			// The contacts scored, most frequent first (plan order among equals), at most four.
			const shown = 4
			var order [shown]int
			n, scored := 0, 0
			for i := range c.Contacts {
				if !p.contacts[i].scored {
					continue
				}
				scored++
				f := c.Contacts[i].Frequency.PerMonth()
				k := min(n, shown)
				for k > 0 && c.Contacts[order[k-1]].Frequency.PerMonth() < f {
					if k < shown {
						order[k] = order[k-1]
					}
					k--
				}
				if k < shown {
					order[k] = i
				}
				n = min(n+1, shown)
			}
			for k, i := range order[:n] {
				ct := &c.Contacts[i]
				e.sep(k, n, "and")
				if ct.Name != "" {
					e.s(ct.Name)
				} else {
					e.s(ct.Relationship.Words(p.pron().poss).Officer)
				}
				e.s(" (", frequencyWords(ct.Frequency))
				if ct.Type == catalogue.ContactSupervised {
					e.s(", supervised at a contact centre")
				}
				e.s(") ")
				if k == 0 {
					e.s("is ")
				}
				e.miles(e.contactKm[i], true)
				if k == 0 {
					e.s(" away")
				}
			}
			if more := scored - n; more > 0 {
				e.s(", with ")
				e.plural(more, "other", "others")
				e.s(" further down the plan")
			}
			e.s(", as the crow flies.")
		} else {
			e.s(name(c), " has no family time in person at a place recorded in ", p.pron().poss, " plan, so distance to family is not scored.")
		}
		switch {
		case hiddenNear > 0:
			e.s(" Someone who must not know where ", name(c), " lives has a home near here, which counts against this home.")
		case hidden > 0:
			e.s(" No one who must not know where ", name(c), " lives has a home near here.")
		}
		e.done(idxFamily)
	}
	return base * penalty
}

// needsFactor: each need covered by a matching skill (catalogue.SkillsFor), weighted by its
// level. The best skill for a need covers it fully, another listed skill three quarters.
func (p *Prepared) needsFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	if len(c.Needs) == 0 {
		if e != nil {
			e.begin(idxNeeds)
			e.s(name(c), " has no additional needs recorded, so any approved carer can meet them.")
			e.done(idxNeeds)
		}
		return 1
	}
	total, met := 0.0, 0.0
	nFull, nPart, nNone := 0, 0, 0
	for _, n := range c.Needs {
		l := float64(n.Level)
		total += l
		cov, _ := coverage(n.Kind, pl.Skills)
		met += l * cov
		switch {
		case cov == 1:
			nFull++
		case cov > 0:
			nPart++
		default:
			nNone++
		}
	}
	if !(total > 0) {
		return 1
	}
	// Family and friends carers were never asked to have formal training: what they need to meet
	// the child's needs becomes their support plan (Result.Support), and they are not marked
	// down for it.
	kin := pl.Kind == catalogue.Kinship
	if e != nil {
		e.begin(idxNeeds)
		staff := "The carers"
		if !pl.Kind.IsFamily() {
			staff = "The staff"
		}
		named := false // the child's name is used the first time, then the pronoun
		need := func(n catalogue.Need) {
			if named {
				e.s(p.pron().poss)
			} else {
				e.name(name(c), true)
				named = true
			}
			e.s(" ", needWords(n.Kind), " (", levelWords(n.Level), ")")
		}
		// each writes the needs whose coverage is in the given class, with their skills.
		each := func(class int, count int, and string) {
			k := 0
			for _, n := range c.Needs {
				cov, skill := coverage(n.Kind, pl.Skills)
				cl := 2
				if cov == 1 {
					cl = 0
				} else if cov > 0 {
					cl = 1
				}
				if cl != class {
					continue
				}
				e.sep(k, count, and)
				k++
				if class < 2 {
					e.s(skill.Words().Officer, " for ")
				}
				need(n)
			}
		}
		switch {
		case nFull > 0 && nPart > 0:
			e.s(staff, " are trained in ")
			each(0, nFull, "and")
			e.s(", with related training in ")
			each(1, nPart, "and")
		case nFull > 0:
			e.s(staff, " are trained in ")
			each(0, nFull, "and")
		case nPart > 0:
			e.s(staff, " have related training in ")
			each(1, nPart, "and")
		}
		if nNone > 0 {
			if nFull+nPart > 0 {
				e.s("; no one")
			} else {
				e.s("No one")
			}
			e.s(" is trained for ")
			each(2, nNone, "or")
			if kin {
				e.s(", which becomes their support plan")
			} else {
				e.s(", so a support plan would be needed")
			}
		}
		e.s(".")
		if kin && nFull < len(c.Needs) {
			e.s(" Family and friends carers are not asked for formal training, so they are not marked down for it.")
		}
		e.done(idxNeeds)
	}
	if kin {
		return 1
	}
	return met / total
}

// coverage says how well skills cover a need: catalogue.Coverage, the one meaning of "covered"
// (support plans use it too).
func coverage(k catalogue.NeedKind, skills []catalogue.Skill) (float64, catalogue.Skill) {
	return catalogue.Coverage(k, skills)
}

// speaks reports whether a household speaks a language; a household that lists no languages is
// taken to speak English.
func speaks(pl *catalogue.Placement, lang string) bool {
	if len(pl.Languages) == 0 {
		return lang == "en"
	}
	for _, l := range pl.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Identity elements, in the order sentences name them.
const (
	idLanguage = iota
	idBSL
	idFaith
	idEthnicity
	nIdentity
)

// identityFactor: language (weight 2, or 3 for a child learning English), British Sign Language
// for a child who uses it (2), religion (1) and ethnic group (1), each shared or not; only what
// is recorded for the child counts, and what is not recorded for the home counts half (so a home
// with nothing recorded is neither favoured nor penalised). Makaton and other communication
// needs are not held for households and are not scored.
func (p *Prepared) identityFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	const (
		none = iota // not recorded for the child: not scored
		shared
		notShared
		unknown // not recorded for the home
	)
	var state [nIdentity]int
	var weight [nIdentity]float64
	if c.FirstLanguage != "" {
		weight[idLanguage], state[idLanguage] = 2, notShared
		if slices.Contains(c.Communication, catalogue.CommESOL) {
			weight[idLanguage] = 3
		}
		if speaks(pl, c.FirstLanguage) {
			state[idLanguage] = shared
		}
	}
	if slices.Contains(c.Communication, catalogue.CommBSL) {
		weight[idBSL], state[idBSL] = 2, notShared
		if speaks(pl, "bfi") || speaks(pl, "sgn") {
			state[idBSL] = shared
		}
	}
	if c.Religion != "" && c.Religion != catalogue.ReligionNone && c.Religion != catalogue.ReligionOther {
		weight[idFaith] = 1
		switch {
		case pl.Religion == "":
			state[idFaith] = unknown
		case pl.Religion == c.Religion:
			state[idFaith] = shared
		default:
			state[idFaith] = notShared
		}
	}
	g := c.Ethnicity.Group()
	if g != catalogue.EthnicUnknown {
		weight[idEthnicity] = 1
		switch {
		case pl.Ethnicity == "" || pl.Ethnicity == catalogue.EthnicUnknown:
			state[idEthnicity] = unknown
		case pl.Ethnicity == g:
			state[idEthnicity] = shared
		default:
			state[idEthnicity] = notShared
		}
	}
	total, met := 0.0, 0.0
	var count [4]int
	for i := range state {
		total += weight[i]
		count[state[i]]++
		switch state[i] {
		case shared:
			met += weight[i]
		case unknown:
			met += weight[i] * Neutral
		}
	}
	if e != nil {
		e.begin(idxIdentity)
		defer e.done(idxIdentity)
		pr := p.pron()
		// each writes the elements in one state, e.g. "language (Polish) and faith (Muslim)".
		each := func(st int, and string, detail bool) {
			k := 0
			for i := range state {
				if state[i] != st {
					continue
				}
				e.sep(k, count[st], and)
				k++
				switch i {
				case idLanguage:
					e.s("language")
					if detail {
						e.s(" (", languageWords(c.FirstLanguage), ")")
					}
				case idBSL:
					e.s("use of British Sign Language")
				case idFaith:
					e.s("faith")
					if detail {
						e.s(" (", religionWords(c.Religion), ")")
					}
				case idEthnicity:
					e.s("ethnic background")
					if detail && g != catalogue.EthnicOther {
						e.s(" (", ethnicWords(g), ")")
					}
				}
			}
		}
		switch {
		case count[shared] > 0 && count[notShared] == 0:
			e.s("This home shares ")
			e.name(name(c), true)
			e.s(" ")
			each(shared, "and", true)
			e.s(".")
		case count[shared] == 0 && count[notShared] > 0:
			e.s("This home does not share ")
			e.name(name(c), true)
			e.s(" ")
			each(notShared, "or", true)
			e.s(".")
		case count[shared] > 0:
			e.s("This home shares ")
			e.name(name(c), true)
			e.s(" ")
			each(shared, "and", true)
			e.s(", but not ", pr.poss, " ")
			each(notShared, "or", true)
			e.s(".")
		}
		if count[unknown] > 0 {
			if count[shared]+count[notShared] > 0 {
				e.s(" ")
			}
			e.s("The home's ")
			each(unknown, "and", false)
			if count[unknown] > 1 {
				e.s(" are not recorded.")
			} else {
				e.s(" is not recorded.")
			}
		}
		if !(total > 0) {
			e.s("Nothing is recorded about ", pr.poss, " language, faith or background, so this is not scored.")
		}
	}
	if !(total > 0) {
		return Neutral
	}
	return met / total
}

// homeFactor: near home (1 within 5 miles, 0 from 50 miles) counts 0.6, inside the child's own
// council's area 0.4 (Children Act 1989 s22C(8)(a) near home, s22C(9) within the area).
func (p *Prepared) homeFactor(pl *catalogue.Placement, pt s2.Point, e *explain) float64 {
	c := p.child()
	inside := pl.Council == c.Council
	if e != nil {
		e.begin(idxHomeArea)
		defer e.done(idxHomeArea)
	}
	if !p.hasHome {
		s := 0.0
		if inside {
			s = 1
		}
		if e != nil {
			e.name(name(c), true)
			e.s(" home is not recorded; the placement is ", insideWords(inside), " ", p.pron().poss, " council's area.")
			p.sharedReason(pl, e)
		}
		return 0.4*s + 0.6*Neutral
	}
	d := distKm(p.home, pt)
	s := 0.6 * ramp(d, homeFullKm, homeNoneKm)
	if inside {
		s += 0.4
	}
	if e != nil {
		e.miles(d, true)
		e.s(" from ")
		e.name(name(c), true)
		e.s(" home as the crow flies, ")
		if inside {
			e.s("inside ", p.pron().poss, " own council's area.")
		} else {
			e.s("outside ", p.pron().poss, " council's area")
			if cl, ok := catalogue.CouncilByCode(pl.Council); ok {
				e.s(" (in ", cl.Name, ")")
			}
			e.s(".")
		}
		p.sharedReason(pl, e)
	}
	return s
}

func insideWords(inside bool) string {
	if inside {
		return "inside"
	}
	return "outside"
}

// kinshipFactor: 1 for family or friends assessed to care for this child (the preference for
// connected persons of s22C(7)(a)), otherwise 0. The preference itself is an order, not this
// weight (KinFirst, Rank); the sentence cites the law once, on the connected carers' own
// option, and only when some are known.
func (p *Prepared) kinshipFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	connected := p.connected(pl)
	if e != nil {
		e.begin(idxKinship)
		switch {
		case connected && c.KinNotFirstReason == "":
			e.s("Family or friends assessed to care for ", name(c), ": the law puts connected people first (Children Act 1989 s22C(7)(a)), so they are ranked ahead of carers ", name(c), " does not know.")
		case connected:
			e.s("Family or friends assessed to care for ", name(c), "; not ranked ahead of other carers, for the reason the officer recorded.")
		case pl.Kind == catalogue.Kinship:
			e.s("Kinship carers assessed for other children, not connected to ", name(c), ".")
		case p.req.KinKnown > 0:
			e.s("Not family or friends of ", name(c), ".")
		default:
			e.s("No family or friends are assessed to care for ", name(c), " yet.")
		}
		e.done(idxKinship)
	}
	if connected {
		return 1
	}
	return 0
}

// connected reports whether the placement's carers are connected persons assessed for every
// child to be placed.
func (p *Prepared) connected(pl *catalogue.Placement) bool {
	if pl.Kind != catalogue.Kinship {
		return false
	}
	for _, m := range p.members {
		if !containsID(pl.ConnectedTo, m.c.ID) {
			return false
		}
	}
	return true
}

// KinFirst reports whether the placement's carers are connected persons assessed for the child
// (and every brother or sister moving with them) who are to be ranked ahead of unconnected
// carers: the Children Act 1989 s22C(7)(a) gives preference to placement with a relative,
// friend or other person connected with the child who is a local authority foster parent. It
// is a rule, not a weight: it holds unless the officer has recorded why not
// (catalogue.Child.KinNotFirstReason).
func (p *Prepared) KinFirst(pl *catalogue.Placement) bool {
	return p.child().KinNotFirstReason == "" && p.connected(pl)
}

// isTown judges whether a placement is in a town from its council area's population density:
// a proxy until a rural-urban classification of the placement's own area is held.
func isTown(code catalogue.CouncilCode) (town, known bool) {
	cl, ok := catalogue.CouncilByCode(code)
	if !ok || !(cl.AreaKm2 > 0) {
		return false, false
	}
	return float64(cl.Population)/cl.AreaKm2 >= townDensityKm2, true
}

// wishMet reports whether the placement meets one of the child's stated priorities.
func (p *Prepared) wishMet(w catalogue.Wish, pl *catalogue.Placement, pt s2.Point) bool {
	c := p.child()
	switch w {
	case catalogue.WishStayAtSchool:
		return c.School != nil && distKm(p.school, pt) <= schoolKeepKm
	case catalogue.WishLiveWithSiblings:
		return p.places > 1
	case catalogue.WishNearFamily:
		for _, ct := range p.contacts {
			if ct.scored && distKm(ct.pt, pt) <= nearFamilyKm {
				return true
			}
		}
	case catalogue.WishHavePet:
		return len(pl.Household.Pets) > 0
	case catalogue.WishMyReligion:
		return c.Religion != catalogue.ReligionNone && c.Religion != "" && pl.Religion == c.Religion
	case catalogue.WishMyLanguage:
		return speaks(pl, c.FirstLanguage)
	case catalogue.WishTown:
		town, _ := isTown(pl.Council)
		return town
	case catalogue.WishCountry:
		town, known := isTown(pl.Council)
		return known && !town
	}
	return false
}

// wishesFactor: each of the child's stated priorities met or not, the first counting most (the
// i-th weighs 1/i). Neutral when the child has not said.
func (p *Prepared) wishesFactor(pl *catalogue.Placement, pt s2.Point, e *explain) float64 {
	c := p.child()
	ws := c.Wishes.Priorities
	if len(ws) == 0 {
		if e != nil {
			e.begin(idxWishes)
			e.s(name(c), " has not yet said what matters most to ", p.pron().obj, ".")
			e.done(idxWishes)
		}
		return Neutral
	}
	total, met := 0.0, 0.0
	var metMask uint64
	yes := 0
	for i, w := range ws {
		weight := 1 / float64(i+1)
		total += weight
		if p.wishMet(w, pl, pt) {
			met += weight
			yes++
			if i < 64 {
				metMask |= 1 << i
			}
		}
	}
	if e != nil {
		e.begin(idxWishes)
		pr := p.pron()
		each := func(want bool, count int, and string) {
			k := 0
			for i, w := range ws {
				if (i < 64 && metMask&(1<<i) != 0) != want {
					continue
				}
				e.sep(k, count, and)
				k++
				e.s(wishWords(w, pr))
			}
		}
		no := len(ws) - yes
		switch {
		case no == 0:
			e.s("This home offers what ", name(c), " said matters most: ")
			each(true, yes, "and")
		case yes == 0:
			e.s("This home does not offer what ", name(c), " said matters most: ")
			each(false, no, "or")
		default:
			e.s("Of what ", name(c), " said matters most, this home offers ")
			each(true, yes, "and")
			e.s(", but not ")
			each(false, no, "or")
		}
		e.s(".")
		e.done(idxWishes)
	}
	return met / total
}

// stabilityFactor: the carers' record (placements ended as planned in the last three years, with
// a prior of two planned endings in three, so that a short record counts for less), experience
// (full marks at 10 years) and the carers' commitment, which counts for three tenths when it
// applies:
//
//   - for a young person of 16 or over on the day of the move, Staying Put: carers willing to
//     let them stay on after 18, up to 21, score it in full (a home to 21 is a long-term home
//     too); carers who are not, and homes that cannot offer it (children's homes and supported
//     accommodation: Staying Put is for foster and kinship carers), score nothing, or half when
//     the plan is long-term and they offer a long-term home to 18;
//   - for a younger child with a long-term plan, willingness to offer a long-term home.
//
// So, raising nothing else, a willing carer scores three tenths of the factor's weight more
// than an unwilling one for a young person of 16 or over (3 points of quality under the default
// policy, stability weighing 10%), and the same as an unwilling one for a younger child. The
// weight itself is the policy's.
func (p *Prepared) stabilityFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	planned, unplanned := pl.Stability.EndedPlanned, pl.Stability.EndedUnplanned
	record := (float64(planned) + 2) / (float64(planned+unplanned) + 3)
	exp := experience(pl)
	longTerm := c.Purpose == catalogue.PurposeLongTerm
	older := p.members[0].age >= catalogue.StayingPutAge
	stays := older && pl.OffersStayingPut()
	s := 0.7*record + 0.3*exp
	switch {
	case stays:
		s = 0.5*record + 0.2*exp + 0.3
	case older && longTerm && pl.LongTerm:
		s = 0.5*record + 0.2*exp + 0.15
	case older:
		s = 0.5*record + 0.2*exp
	case longTerm && pl.LongTerm:
		s = 0.5*record + 0.2*exp + 0.3
	case longTerm:
		s = 0.5*record + 0.2*exp
	}
	if e != nil {
		e.begin(idxStability)
		if b := movesBoost(p.pol, p.req.Moves12m); b > 1 {
			// Why stability carries more weight than the policy's own: the child's history.
			e.s(name(c), " has moved ")
			if p.req.Moves12m == 2 {
				e.s("twice")
			} else {
				e.number(p.req.Moves12m)
				e.s(" times")
			}
			e.s(" in the last 12 months, so stability counts for more: its weight is raised by ")
			e.int(int(math.Round((b - 1) * 100)))
			e.s("%, within the policy's limit of ")
			e.int(int(math.Round((math.Max(p.pol.MaxBoost, 1) - 1) * 100)))
			e.s("%. ")
		}
		with := "with these carers"
		if !pl.Kind.IsFamily() {
			with = "at this home"
		}
		if total := planned + unplanned; total == 0 {
			e.s("No placements ", with, " have ended in the last 3 years")
		} else {
			e.s("Of ")
			e.plural(total, "placement", "placements")
			e.s(" ", with, " that ended in the last 3 years, ")
			if planned == 0 {
				e.s("none")
			} else {
				e.number(planned)
			}
			e.s(" as planned")
		}
		switch {
		case pl.Kind == catalogue.Kinship:
			e.s("; family and friends carers are not asked for years of fostering experience, so none is counted against them")
		case pl.Experience == 0:
			e.s("; no years of experience yet")
		case pl.Experience == 1:
			e.s("; 1 year's experience")
		default:
			e.s("; ")
			e.int(pl.Experience)
			e.s(" years' experience")
		}
		// A long-term home, when the plan is long-term; for a young person whose carers would
		// let them stay on after 18, the Staying Put sentence says more.
		switch {
		case longTerm && pl.LongTerm:
			e.s("; willing to offer a long-term home for ", p.pron().obj)
		case longTerm && !stays:
			e.s("; not offering a long-term home")
		}
		e.s(".")
		if older {
			e.s(" ")
			p.stayingPutWords(pl, stays, e)
		}
		e.done(idxStability)
	}
	return s
}

// experience is the experience part of the stability factor: full marks at 10 years. Family
// and friends (kinship) carers were never asked to have fostering experience: they are never
// marked down for it, and score it in full (issue 18).
func experience(pl *catalogue.Placement) float64 {
	if pl.Kind == catalogue.Kinship {
		return 1
	}
	return math.Min(float64(pl.Experience)/10, 1)
}

// stayingPutWords says whether a young person of 16 or over could stay on after 18: "Sam and Jo
// would let Kai stay on after 18 (Staying Put), up to 21."
func (p *Prepared) stayingPutWords(pl *catalogue.Placement, stays bool, e *explain) {
	who := name(p.child())
	switch {
	case stays:
		carerNames(pl, e)
		e.s(" would let ", who, " stay on after 18 (Staying Put), up to 21.")
	case pl.Kind.IsFamily():
		if carerNames(pl, e) == 1 {
			e.s(" does not offer Staying Put, so ", who, " would move on at 18.")
		} else {
			e.s(" do not offer Staying Put, so ", who, " would move on at 18.")
		}
	default:
		e.s("Staying Put after 18 is for foster and kinship carers, so ", who, " would move on from ",
			pl.Kind.Words().Officer, " at 18.")
	}
}

// carerNames writes the carers' first names ("Sam and Jo"), or "These carers" when none is
// recorded, and returns how many it named (0 for "These carers").
func carerNames(pl *catalogue.Placement, e *explain) int {
	var n int
	for _, c := range pl.Household.Carers {
		if c.FirstName != "" {
			n++
		}
	}
	if n == 0 {
		e.s("These carers")
		return 0
	}
	i := 0
	for _, c := range pl.Household.Carers {
		if c.FirstName == "" {
			continue
		}
		e.sep(i, n, "and")
		e.s(c.FirstName)
		i++
	}
	return n
}

// typicalCost is a rough weekly cost of one child's placement of each kind (DESIGN.md section 1:
// council fostering about £650, agency fostering about £820, children's homes £3,800 to £6,100;
// kinship allowances and supported accommodation our own rough figures), used only to put a
// cost in words.
func typicalCost(k catalogue.PlacementKind) int {
	switch k {
	case catalogue.CouncilFoster:
		return 650
	case catalogue.AgencyFoster:
		return 820
	case catalogue.Kinship:
		return 300
	case catalogue.ChildrensHome:
		return 4900
	case catalogue.SupportedAccommodation:
		return 1300
	}
	return 0
}

// costFactor: cheaper scores higher, on a logarithmic scale from CostLow (1) to CostHigh (0), so
// that a £200 difference matters between two foster homes and hardly at all between two
// children's homes. Neutral when no cost is recorded.
func (p *Prepared) costFactor(pl *catalogue.Placement, e *explain) float64 {
	cost := pl.WeeklyCost
	if e != nil {
		e.begin(idxCost)
		defer e.done(idxCost)
	}
	if cost <= 0 {
		if e != nil {
			e.s("No weekly cost is recorded.")
		}
		return Neutral
	}
	if pl.Kind == catalogue.Kinship {
		// What family and friends carers are paid is shown, never weighed: a family is never
		// preferred, or pressed towards special guardianship, for costing the council less.
		if e != nil {
			e.pounds(cost)
			e.s(" a week. What family and friends carers are paid is not weighed: a family is never chosen, or pressed towards special guardianship, because it costs the council less.")
		}
		return Neutral
	}
	lo, hi := float64(p.pol.CostLow), float64(p.pol.CostHigh)
	s := 1 - math.Log(float64(cost)/lo)/math.Log(hi/lo)
	if e != nil {
		e.pounds(cost)
		e.s(" a week")
		if t := typicalCost(pl.Kind); t > 0 {
			r := float64(cost) / float64(t)
			switch {
			case r < 0.85:
				e.s(", below average for ")
			case r <= 1.15:
				e.s(", about average for ")
			default:
				e.s(", above average for ")
			}
			e.s(pl.Kind.Words().Officer)
		}
		e.s(".")
	}
	return s
}
