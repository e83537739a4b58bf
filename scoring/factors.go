package scoring

import (
	"fmt"
	"math"
	"slices"
	"strings"

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
	schoolFullKm   = 3 * MilesToKm  // a short journey: the child keeps their school easily
	schoolNoneKm   = 20 * MilesToKm // too far to keep a school in practice
	schoolKeepKm   = 10 * MilesToKm // the child's wish to stay at school counts as met within this
	siblingFullKm  = 3 * MilesToKm
	siblingNoneKm  = 30 * MilesToKm
	contactFullKm  = 3 * MilesToKm
	contactNoneKm  = 30 * MilesToKm
	nearFamilyKm   = 10 * MilesToKm // the child's wish to be near family counts as met within this
	unsafeNearKm   = 5 * MilesToKm  // an unsafe contact within this lowers the family score
	homeFullKm     = 5 * MilesToKm
	homeNoneKm     = 50 * MilesToKm
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
}

// explain collects the sentences and distances of one Score; Quick passes nil.
type explain struct {
	reason    [nFactors]string
	schoolKm  float64
	contactKm []float64
}

// Score rates the placement on every factor, with a sentence for each. It assumes the placement
// passed Check; it does not check again.
func (p *Prepared) Score(pl *catalogue.Placement) Result {
	e := &explain{schoolKm: -1, contactKm: make([]float64, len(p.contacts))}
	s := p.scores(pl, e)
	r := Result{SchoolKm: e.schoolKm, ContactKm: e.contactKm, WeeklyCost: pl.WeeklyCost}
	r.Factors = make([]catalogue.FactorScore, nFactors)
	for i, f := range catalogue.Factors {
		r.Factors[i] = catalogue.FactorScore{Factor: f, Weight: p.w[i], Score: s[i], Reason: e.reason[i]}
	}
	r.Total, r.Quality = p.totals(&s)
	return r
}

// Quick returns what Score would return as Total and Quality, without sentences and without
// allocating: for ranking many candidates before explaining the few that are kept.
func (p *Prepared) Quick(pl *catalogue.Placement) (total, quality float64) {
	s := p.scores(pl, nil)
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
	pt := Point(pl.Location)
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
	if c.School == nil {
		if e != nil {
			e.reason[idxSchool] = fmt.Sprintf("%s is not at school, so distance to school is not scored.", name(c))
		}
		return Neutral
	}
	d := distKm(p.school, pt)
	if e != nil {
		e.schoolKm = d
	}
	if !c.School.KeepPlanned {
		if e != nil {
			e.reason[idxSchool] = fmt.Sprintf("The plan is not for %s to stay at %s, so distance to school is not scored (it is %s away as the crow flies).",
				name(c), c.School.Name, miles(d))
		}
		return Neutral
	}
	s := ramp(d, schoolFullKm, schoolNoneKm)
	if e != nil {
		nm, pr := name(c), p.pron()
		lead := fmt.Sprintf("%s from %s as the crow flies: ", miles(d), c.School.Name)
		switch {
		case d <= schoolFullKm:
			e.reason[idxSchool] = lead + fmt.Sprintf("%s can stay at %s school.", nm, pr.poss)
		case d <= schoolKeepKm:
			e.reason[idxSchool] = lead + fmt.Sprintf("%s can stay at %s school, with a longer journey.", nm, pr.poss)
		case d < schoolNoneKm:
			e.reason[idxSchool] = lead + fmt.Sprintf("staying at %s school would mean a long journey every day.", pr.poss)
		default:
			e.reason[idxSchool] = lead + fmt.Sprintf("too far for %s to stay at %s school.", nm, pr.poss)
		}
	}
	return s
}

// siblingsFactor: 1 when the group lives here together; for a child whose brothers and sisters
// live elsewhere, up to 0.8 by distance to them; neutral with no brothers or sisters to consider.
func (p *Prepared) siblingsFactor(pt s2.Point, e *explain) float64 {
	c := p.child()
	if p.places > 1 {
		if e != nil {
			if p.places == 2 {
				e.reason[idxSiblings] = fmt.Sprintf("%s and %s %s can live here together.", name(c), p.pron().poss, siblingWords(p.members[1:]))
			} else {
				e.reason[idxSiblings] = fmt.Sprintf("All %s %s can live here together.", number(p.places), siblingWords(p.members))
			}
		}
		return 1
	}
	if len(p.siblings) == 0 {
		if e != nil {
			e.reason[idxSiblings] = fmt.Sprintf("No brothers or sisters are to be considered for %s, so this is not scored.", name(c))
		}
		return Neutral
	}
	sum := 0.0
	var ds []float64
	for _, sp := range p.siblings {
		d := distKm(sp, pt)
		sum += ramp(d, siblingFullKm, siblingNoneKm)
		if e != nil {
			ds = append(ds, d)
		}
	}
	s := splitSiblingMax * sum / float64(len(p.siblings))
	if e != nil {
		slices.Sort(ds)
		lead := ""
		if p.req.GroupPlan == catalogue.PlanTogether || p.req.GroupPlan == catalogue.PlanTogetherIfPossible {
			lead = fmt.Sprintf("%s would live apart from %s brothers and sisters, though the plan is for them to live together. ", name(c), p.pron().poss)
		}
		if len(ds) == 1 {
			e.reason[idxSiblings] = lead + fmt.Sprintf("%s brother or sister who lives elsewhere is %s away as the crow flies.", capital(possessive(name(c))), miles(ds[0]))
		} else {
			ws := make([]string, len(ds))
			for i, d := range ds {
				ws[i] = miles(d)
				if i < len(ds)-1 {
					ws[i] = strings.TrimSuffix(strings.TrimSuffix(ws[i], " miles"), " mile")
				}
			}
			e.reason[idxSiblings] = lead + fmt.Sprintf("%s %s brothers and sisters who live elsewhere are %s away as the crow flies.",
				capital(possessive(name(c))), number(len(ds)), list(ws, "and"))
		}
	}
	return s
}

// familyFactor: the distance to each safe person in the contact plan, weighted by how often
// they meet (1 within 3 miles, 0 from 30 miles); each unsafe contact within 5 miles lowers the
// score by up to half, and the sentence says so without saying where. Neutral base without safe
// contacts.
func (p *Prepared) familyFactor(pt s2.Point, e *explain) float64 {
	c := p.child()
	base := Neutral
	if p.safeFreq > 0 {
		sum := 0.0
		for _, ct := range p.contacts {
			if ct.safe {
				sum += ct.perMonth * ramp(distKm(ct.pt, pt), contactFullKm, contactNoneKm)
			}
		}
		base = sum / p.safeFreq
	}
	penalty, unsafeNear, unsafe := 1.0, 0, 0
	for i, ct := range p.contacts {
		d := -1.0
		if e != nil {
			d = distKm(ct.pt, pt)
			e.contactKm[i] = d
		}
		if ct.safe {
			continue
		}
		unsafe++
		if d < 0 {
			d = distKm(ct.pt, pt)
		}
		if d < unsafeNearKm {
			unsafeNear++
			penalty *= 0.5 + 0.5*d/unsafeNearKm
		}
	}
	if e != nil {
		var b strings.Builder
		if p.safeFreq > 0 {
			idx := make([]int, 0, len(c.Contacts))
			for i, ct := range c.Contacts {
				if ct.Safe {
					idx = append(idx, i)
				}
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				fa, fb := c.Contacts[a].Frequency.PerMonth(), c.Contacts[b].Frequency.PerMonth()
				switch {
				case fa > fb:
					return -1
				case fa < fb:
					return 1
				}
				return 0
			})
			const shown = 4
			var parts []string
			for k, i := range idx {
				if k == shown {
					break
				}
				ct := c.Contacts[i]
				who := ct.Name
				if who == "" {
					who = relationshipWords(ct.Relationship, p.pron())
				}
				if k == 0 {
					parts = append(parts, fmt.Sprintf("%s (%s) is %s away", who, frequencyWords(ct.Frequency), miles(e.contactKm[i])))
				} else {
					parts = append(parts, fmt.Sprintf("%s (%s) %s", who, frequencyWords(ct.Frequency), miles(e.contactKm[i])))
				}
			}
			b.WriteString(capital(list(parts, "and")))
			if k := len(idx) - shown; k > 0 {
				fmt.Fprintf(&b, ", with %s further down the plan", plural(k, "other", "others"))
			}
			b.WriteString(", as the crow flies.")
		} else {
			fmt.Fprintf(&b, "%s has no family time with safe contacts in %s plan, so distance to family is not scored.", name(c), p.pron().poss)
		}
		switch {
		case unsafeNear > 0:
			fmt.Fprintf(&b, " Someone %s must not have unsupervised contact with lives near here, which counts against this home.", name(c))
		case unsafe > 0:
			fmt.Fprintf(&b, " No one %s must be kept apart from lives near here.", name(c))
		}
		e.reason[idxFamily] = b.String()
	}
	return base * penalty
}

// needsFactor: each need covered by a matching skill (catalogue.SkillsFor), weighted by its
// level. The best skill for a need covers it fully, another listed skill three quarters.
func (p *Prepared) needsFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	if len(c.Needs) == 0 {
		if e != nil {
			e.reason[idxNeeds] = fmt.Sprintf("%s has no additional needs recorded, so any approved carer can meet them.", name(c))
		}
		return 1
	}
	total, met := 0.0, 0.0
	var covered, partly, unmet []string
	pr := p.pron()
	for _, n := range c.Needs {
		l := float64(n.Level)
		total += l
		cov, skill := coverage(n.Kind, pl.Skills)
		met += l * cov
		if e == nil {
			continue
		}
		// \x00 stands for the child's possessive: the name the first time, then the pronoun.
		need := fmt.Sprintf("\x00 %s (%s)", needWords(n.Kind), levelWords(n.Level))
		switch {
		case cov == 1:
			covered = append(covered, skillWords(skill)+" for "+need)
		case cov > 0:
			partly = append(partly, skillWords(skill)+" for "+need)
		default:
			unmet = append(unmet, need)
		}
	}
	if !(total > 0) {
		return 1
	}
	s := met / total
	if e != nil {
		staff := "The carers"
		if !pl.Kind.IsFamily() {
			staff = "The staff"
		}
		var sentence string
		switch {
		case len(covered) > 0 && len(partly) > 0:
			sentence = fmt.Sprintf("%s are trained in %s, with related training in %s", staff, list(covered, "and"), list(partly, "and"))
		case len(covered) > 0:
			sentence = fmt.Sprintf("%s are trained in %s", staff, list(covered, "and"))
		case len(partly) > 0:
			sentence = fmt.Sprintf("%s have related training in %s", staff, list(partly, "and"))
		}
		if len(unmet) > 0 {
			gap := fmt.Sprintf("no one is trained for %s, so a support plan would be needed", list(unmet, "or"))
			if sentence == "" {
				sentence = capital(gap)
			} else {
				sentence += "; " + gap
			}
		}
		sentence = strings.Replace(sentence, "\x00", possessive(name(c)), 1)
		sentence = strings.ReplaceAll(sentence, "\x00", pr.poss)
		e.reason[idxNeeds] = sentence + "."
	}
	return s
}

// coverage says how well skills cover a need: 1 with the best skill for it, 0.75 with another
// skill that meets it, 0 without; and the skill that counted.
func coverage(k catalogue.NeedKind, skills []catalogue.Skill) (float64, catalogue.Skill) {
	best, which := 0.0, catalogue.Skill("")
	for rank, want := range catalogue.SkillsFor(k) {
		for _, have := range skills {
			if have != want {
				continue
			}
			v := 1.0
			if rank > 0 {
				v = 0.75
			}
			if v > best {
				best, which = v, have
			}
		}
	}
	return best, which
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

// identityFactor: language (weight 2, or 3 for a child learning English), British Sign Language
// for a child who uses it (2), religion (1) and ethnic group (1), each shared or not; only what
// is recorded for the child counts. Makaton and other communication needs are not held for
// households and are not scored.
func (p *Prepared) identityFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	var shared, notShared, unknown []string
	total, met := 0.0, 0.0
	// part adds one element of identity: shared or not, or not recorded for the home (counted
	// as half, so that a home with nothing recorded is neither favoured nor penalised).
	part := func(w float64, ok, recorded bool, words string) {
		total += w
		switch {
		case !recorded:
			met += w * Neutral
		case ok:
			met += w
		}
		if e != nil {
			switch {
			case !recorded:
				unknown = append(unknown, words)
			case ok:
				shared = append(shared, words)
			default:
				notShared = append(notShared, words)
			}
		}
	}
	words := func(f func() string) string {
		if e == nil {
			return ""
		}
		return f()
	}
	if c.FirstLanguage != "" {
		w := 2.0
		if slices.Contains(c.Communication, catalogue.CommESOL) {
			w = 3
		}
		part(w, speaks(pl, c.FirstLanguage), true, words(func() string { return "language (" + languageWords(c.FirstLanguage) + ")" }))
	}
	if slices.Contains(c.Communication, catalogue.CommBSL) {
		part(2, speaks(pl, "bfi") || speaks(pl, "sgn"), true, "use of British Sign Language")
	}
	if c.Religion != "" && c.Religion != catalogue.ReligionNone && c.Religion != catalogue.ReligionOther {
		part(1, pl.Religion == c.Religion, pl.Religion != "", words(func() string { return "faith (" + religionWords(c.Religion) + ")" }))
	}
	switch g := c.Ethnicity.Group(); g {
	case catalogue.EthnicUnknown:
	case catalogue.EthnicOther:
		part(1, pl.Ethnicity == g, pl.Ethnicity != "" && pl.Ethnicity != catalogue.EthnicUnknown, "ethnic background")
	default:
		part(1, pl.Ethnicity == g, pl.Ethnicity != "" && pl.Ethnicity != catalogue.EthnicUnknown, words(func() string { return "ethnic background (" + ethnicWords(g) + ")" }))
	}
	if !(total > 0) {
		if e != nil {
			e.reason[idxIdentity] = fmt.Sprintf("Nothing is recorded about %s language, faith or background, so this is not scored.", p.pron().poss)
		}
		return Neutral
	}
	if e != nil {
		nm, pr := name(c), p.pron()
		var sentence string
		switch {
		case len(shared) > 0 && len(notShared) == 0:
			sentence = fmt.Sprintf("This home shares %s %s.", possessive(nm), list(shared, "and"))
		case len(shared) == 0 && len(notShared) > 0:
			sentence = fmt.Sprintf("This home does not share %s %s.", possessive(nm), list(notShared, "or"))
		case len(shared) > 0:
			sentence = fmt.Sprintf("This home shares %s %s, but not %s %s.", possessive(nm), list(shared, "and"), pr.poss, list(notShared, "or"))
		}
		if len(unknown) > 0 {
			for i, u := range unknown { // "faith (Christian)" -> "faith"
				if j := strings.Index(u, " ("); j > 0 {
					unknown[i] = u[:j]
				}
			}
			verb := "is"
			if len(unknown) > 1 {
				verb = "are"
			}
			if sentence == "" {
				sentence = fmt.Sprintf("The home's %s %s not recorded.", list(unknown, "and"), verb)
			} else {
				sentence += fmt.Sprintf(" The home's %s %s not recorded.", list(unknown, "and"), verb)
			}
		}
		e.reason[idxIdentity] = sentence
	}
	return met / total
}

// homeFactor: near home (1 within 5 miles, 0 from 50 miles) counts 0.6, inside the child's own
// council's area 0.4 (Children Act 1989 s22C(8)-(9)).
func (p *Prepared) homeFactor(pl *catalogue.Placement, pt s2.Point, e *explain) float64 {
	c := p.child()
	inside := pl.Council == c.Council
	if !p.hasHome {
		s := 0.0
		if inside {
			s = 1
		}
		if e != nil {
			e.reason[idxHomeArea] = fmt.Sprintf("%s home is not recorded; the placement is %s %s council's area.", capital(possessive(name(c))), insideWords(inside), p.pron().poss)
		}
		return 0.4*s + 0.6*Neutral
	}
	d := distKm(p.home, pt)
	s := 0.6 * ramp(d, homeFullKm, homeNoneKm)
	if inside {
		s += 0.4
	}
	if e != nil {
		where := fmt.Sprintf("inside %s own council's area", p.pron().poss)
		if !inside {
			where = fmt.Sprintf("outside %s council's area", p.pron().poss)
			if cl, ok := catalogue.CouncilByCode(pl.Council); ok {
				where += " (in " + cl.Name + ")"
			}
		}
		e.reason[idxHomeArea] = fmt.Sprintf("%s from %s home as the crow flies, %s.", capital(miles(d)), possessive(name(c)), where)
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
// connected persons of s22C(7)), otherwise 0.
func (p *Prepared) kinshipFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	connected := pl.Kind == catalogue.Kinship && containsID(pl.ConnectedTo, c.ID)
	if e != nil {
		switch {
		case connected:
			e.reason[idxKinship] = fmt.Sprintf("Family or friends assessed to care for %s: the law puts connected people first (Children Act 1989 s22C(7)).", name(c))
		case pl.Kind == catalogue.Kinship:
			e.reason[idxKinship] = fmt.Sprintf("Kinship carers assessed for other children, not connected to %s.", name(c))
		default:
			e.reason[idxKinship] = "Not a family and friends (kinship) home; the law puts connected people first where they can care for a child."
		}
	}
	if connected {
		return 1
	}
	return 0
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

// wishesFactor: each of the child's stated priorities met or not, the first counting most (the
// i-th weighs 1/i). Neutral when the child has not said.
func (p *Prepared) wishesFactor(pl *catalogue.Placement, pt s2.Point, e *explain) float64 {
	c := p.child()
	if len(c.Wishes.Priorities) == 0 {
		if e != nil {
			e.reason[idxWishes] = fmt.Sprintf("%s has not yet said what matters most to %s.", name(c), p.pron().obj)
		}
		return Neutral
	}
	total, met := 0.0, 0.0
	var yes, no []string
	for i, w := range c.Wishes.Priorities {
		weight := 1 / float64(i+1)
		total += weight
		ok := false
		switch w {
		case catalogue.WishStayAtSchool:
			ok = c.School != nil && distKm(p.school, pt) <= schoolKeepKm
		case catalogue.WishLiveWithSiblings:
			ok = p.places > 1
		case catalogue.WishNearFamily:
			for _, ct := range p.contacts {
				if ct.safe && distKm(ct.pt, pt) <= nearFamilyKm {
					ok = true
					break
				}
			}
		case catalogue.WishHavePet:
			ok = len(pl.Household.Pets) > 0
		case catalogue.WishMyReligion:
			ok = c.Religion != catalogue.ReligionNone && c.Religion != "" && pl.Religion == c.Religion
		case catalogue.WishMyLanguage:
			ok = speaks(pl, c.FirstLanguage)
		case catalogue.WishTown:
			ok, _ = isTown(pl.Council)
		case catalogue.WishCountry:
			town, known := isTown(pl.Council)
			ok = known && !town
		}
		if ok {
			met += weight
		}
		if e != nil {
			words := wishWords(w, p.pron())
			if ok {
				yes = append(yes, words)
			} else {
				no = append(no, words)
			}
		}
	}
	if e != nil {
		nm := name(c)
		switch {
		case len(no) == 0:
			e.reason[idxWishes] = fmt.Sprintf("This home offers what %s said matters most: %s.", nm, list(yes, "and"))
		case len(yes) == 0:
			e.reason[idxWishes] = fmt.Sprintf("This home does not offer what %s said matters most: %s.", nm, list(no, "or"))
		default:
			e.reason[idxWishes] = fmt.Sprintf("Of what %s said matters most, this home offers %s, but not %s.", nm, list(yes, "and"), list(no, "or"))
		}
	}
	return met / total
}

// stabilityFactor: the carers' record (placements ended as planned in the last three years, with
// a prior of two planned endings in three, so that a short record counts for less), experience
// (full marks at 10 years) and, when the plan is long-term or the child is 16 or over,
// willingness to offer a long-term home or Staying Put.
func (p *Prepared) stabilityFactor(pl *catalogue.Placement, e *explain) float64 {
	c := p.child()
	planned, unplanned := pl.Stability.EndedPlanned, pl.Stability.EndedUnplanned
	record := (float64(planned) + 2) / (float64(planned+unplanned) + 3)
	exp := math.Min(float64(pl.Experience)/10, 1)
	longTerm := c.Purpose == catalogue.PurposeLongTerm || c.Purpose == catalogue.PurposeStayingPut
	older := p.members[0].age >= 16 && pl.Kind.IsFamily() // Staying Put is for foster and kinship carers
	commit, parts := 0.0, 0
	if longTerm {
		parts++
		if pl.LongTerm {
			commit++
		}
	}
	if older {
		parts++
		if pl.StayingPut {
			commit++
		}
	}
	s := 0.7*record + 0.3*exp
	if parts > 0 {
		s = 0.5*record + 0.2*exp + 0.3*commit/float64(parts)
	}
	if e != nil {
		with := "with these carers"
		if !pl.Kind.IsFamily() {
			with = "at this home"
		}
		var b strings.Builder
		if total := planned + unplanned; total == 0 {
			fmt.Fprintf(&b, "No placements %s have ended in the last 3 years", with)
		} else {
			done := number(planned)
			if planned == 0 {
				done = "none"
			}
			fmt.Fprintf(&b, "Of %s %s that ended in the last 3 years, %s as planned", plural(total, "placement", "placements"), with, done)
		}
		switch pl.Experience {
		case 0:
			b.WriteString("; no years of experience yet")
		case 1:
			b.WriteString("; 1 year's experience")
		default:
			fmt.Fprintf(&b, "; %d years' experience", pl.Experience)
		}
		pr := p.pron()
		var offers, refuses []string
		if longTerm {
			if pl.LongTerm {
				offers = append(offers, fmt.Sprintf("a long-term home for %s", pr.obj))
			} else {
				refuses = append(refuses, "a long-term home")
			}
		}
		if older {
			if pl.StayingPut {
				offers = append(offers, fmt.Sprintf("to let %s stay on after 18 (Staying Put)", pr.obj))
			} else {
				refuses = append(refuses, "Staying Put after 18")
			}
		}
		if len(offers) > 0 {
			fmt.Fprintf(&b, "; willing to offer %s", list(offers, "and"))
		}
		if len(refuses) > 0 {
			fmt.Fprintf(&b, "; not offering %s", list(refuses, "or"))
		}
		b.WriteString(".")
		e.reason[idxStability] = b.String()
	}
	return s
}

// typicalCost is a rough weekly cost of one child's placement of each kind (DESIGN.md section 1:
// council fostering about £650, agency fostering about £820, children's homes £3,800 to £6,100),
// used only to put a cost in words.
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
	if cost <= 0 {
		if e != nil {
			e.reason[idxCost] = "No weekly cost is recorded."
		}
		return Neutral
	}
	lo, hi := float64(p.pol.CostLow), float64(p.pol.CostHigh)
	s := 1 - math.Log(float64(cost)/lo)/math.Log(hi/lo)
	if e != nil {
		sentence := pounds(cost) + " a week"
		if t := typicalCost(pl.Kind); t > 0 {
			r := float64(cost) / float64(t)
			switch {
			case r < 0.85:
				sentence += ", below average for "
			case r <= 1.15:
				sentence += ", about average for "
			default:
				sentence += ", above average for "
			}
			sentence += kindWords(pl.Kind)
		}
		e.reason[idxCost] = sentence + "."
	}
	return s
}
