package synth

import (
	"math"
	"strconv"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Shares and rates for children (DESIGN.md section 7 and the sources it cites).
const (
	siblingShare   = 1.0 / 3 // of children have a brother or sister in care with them
	remandRate     = 0.020   // of older single boys; gives a few hundred nationally
	parentRate     = 0.040   // of single girls of 16 and 17 who are young mothers
	allergyRate    = 0.03
	respiratory    = 0.05
	ownWordsRate   = 0.45 // of children 8 and over who say what matters in their own words
	maxSiblingSize = 6
)

// unit is a single child or a sibling group, generated together.
type unit struct {
	first, n  int // range of the unit's children in the batch
	group     catalogue.SiblingGroupID
	plan      catalogue.SiblingPlan
	uasc      bool
	waiting   bool
	care      catalogue.CareType
	purpose   catalogue.Purpose
	neededBy  time.Time
	heritage  *heritage
	religion  catalogue.Religion
	language  string
	home      catalogue.Location
	minAge    int
	maxAge    int
	contacts  []catalogue.Contact // the family's contact plan
	riskZones []catalogue.ExclusionZone
	kinship   catalogue.PlacementID // placed with kinship carers: their placement's key
}

type unitSpec struct {
	size int
	uasc bool
	ages []int // eldest first; nil for UASC, drawn later
}

// children generates the council's children and sibling groups and returns its units.
func (g *gen) children() []unit {
	p, r := g.p, g.r
	u := min(p.uasc, p.children)
	notUASC := p.children - u
	inGroups := min(notUASC, int(math.Round(float64(p.children)*siblingShare)))
	specs := make([]unitSpec, 0, p.children)
	sizes := tableOf([]int{2, 3, 4, 5, 6}, 60, 25, 10, 3.5, 1.5)
	for left := inGroups; left >= 2; {
		s := min(sizes.pick(r), left)
		if left-s == 1 { // never leave one child over
			if s < maxSiblingSize {
				s++
			} else {
				s--
			}
		}
		specs = append(specs, unitSpec{size: s})
		left -= s
		if left == 1 {
			specs = append(specs, unitSpec{size: 1})
			left = 0
		}
	}
	// Sibling groups are younger than children in care as a whole: draw their ages first, then
	// give single children the ages that bring the council to England's profile.
	given := 0
	var inGroup [18]float64
	for i := range specs {
		specs[i].ages = g.groupAges(specs[i].size)
		for _, a := range specs[i].ages {
			inGroup[a]++
		}
		given += specs[i].size
	}
	var singles table[int]
	for a, share := range g.w.ageShare {
		singles.add(a, float64(notUASC)*share-inGroup[a])
	}
	if singles.len() == 0 {
		singles = g.w.ages
	}
	for range notUASC - given {
		specs = append(specs, unitSpec{size: 1, ages: []int{singles.pick(r)}})
	}
	for range u {
		specs = append(specs, unitSpec{size: 1, uasc: true})
	}
	r.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })

	units := make([]unit, 0, len(specs))
	waiting := 0
	for _, s := range specs {
		wait := waiting+s.size <= p.waiting
		if wait {
			waiting += s.size
		}
		units = append(units, g.unit(s, wait))
	}
	return units
}

// unit generates one child or sibling group.
func (g *gen) unit(s unitSpec, waiting bool) unit {
	r, w := g.r, g.w
	u := unit{uasc: s.uasc, waiting: waiting, n: s.size, first: len(g.out.batch.Children)}
	if s.uasc {
		u.heritage = &w.heritages[w.uasc.pick(r)]
	} else {
		u.heritage = &w.heritages[g.p.heritage.pick(r)]
	}
	h := u.heritage
	u.home = scatter(r, g.p)
	u.religion = h.religion.pick(r)
	u.language = "en"
	switch {
	case s.uasc && len(h.langs) > 1 && chance(r, 0.35):
		u.language = h.langs[1]
	case s.uasc:
		u.language = h.langs[0]
	case len(h.langs) > 0 && chance(r, h.childLang):
		u.language = h.langs[0]
	}

	ages := s.ages
	if s.uasc {
		ages = []int{g.w.uascAges.pick(r)}
	}
	u.minAge, u.maxAge = ages[len(ages)-1], ages[0]
	u.contacts = g.familyContacts(&u)
	u.purpose = g.purpose(waiting)
	legal := g.legal(&u)

	if s.size > 1 {
		u.group = catalogue.SiblingGroupID(-int64(len(g.out.batch.SiblingGroups) + 1))
		u.plan = catalogue.SiblingPlans[choose(r, 60, 28, 12)]
		grp := catalogue.SiblingGroup{ID: u.group, Council: g.p.c.Code, Plan: u.plan}
		if u.plan == catalogue.PlanApart {
			grp.Reason = pickOne(r, apartReasons())
		}
		g.out.batch.SiblingGroups = append(g.out.batch.SiblingGroups, grp)
	}

	schools := make([]*catalogue.School, 0, 2)
	for i, age := range ages {
		c := g.child(&u, i, age, legal)
		// Brothers and sisters at the same stage usually share a school.
		if c.School != nil {
			shared := false
			for _, sc := range schools {
				if sameStage(sc, c.School) && chance(r, 0.85) {
					cp := *sc
					c.School, shared = &cp, true
					break
				}
			}
			if !shared {
				schools = append(schools, c.School)
			}
		}
		g.out.batch.Children = append(g.out.batch.Children, c)
	}
	g.harmonise(&u)
	kids := g.out.batch.Children[u.first : u.first+u.n]
	for i := range kids {
		kids[i].Wishes = g.wishes(&u, &kids[i], i)
	}
	u.neededBy = kids[0].NeededBy
	if u.waiting { // a group is needed by the same day
		for i := range kids {
			kids[i].NeededBy = u.neededBy
		}
	}
	return u
}

// sameStage reports whether two schools are of the same kind (named alike by stage).
func sameStage(a, b *catalogue.School) bool { return schoolStage(a.Name) == schoolStage(b.Name) }

func schoolStage(name string) int {
	switch {
	case hasSuffix(name, "College") && !hasSuffix(name, "Community College"):
		return 3
	case hasSuffix(name, "Primary School"), hasSuffix(name, "Infant School"), hasSuffix(name, "Junior School"), hasSuffix(name, "Primary Academy"):
		return 1
	}
	return 2
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// groupAges returns the ages of a sibling group's children, eldest first: a year or a few
// between each, the odd pair of twins.
func (g *gen) groupAges(n int) []int {
	r := g.r
	if n == 1 {
		return []int{g.w.ages.pick(r)}
	}
	out := make([]int, n)
	eldest := g.w.ages.pick(r)
	for eldest < n-1 || (eldest < 4 && chance(r, 0.6)) {
		eldest = g.w.ages.pick(r)
	}
	out[0] = eldest
	for i := 1; i < n; i++ {
		out[i] = out[i-1] - choose(r, 4, 30, 33, 18, 10, 5) // years between them; 0 for twins
	}
	if out[n-1] < 0 { // the youngest must be born: move everyone up
		shift := -out[n-1]
		for i := range out {
			out[i] = min(17, out[i]+shift)
		}
	}
	return out
}

// child generates one child of the unit.
func (g *gen) child(u *unit, i, age int, legal catalogue.LegalStatus) catalogue.Child {
	r, h := g.r, u.heritage
	male := chance(r, g.w.maleShare)
	if u.uasc {
		male = chance(r, uascMaleShare)
	}
	sex := catalogue.Female
	if male {
		sex = catalogue.Male
	}
	dob := catalogue.Day(g.today.AddDate(-age, 0, -r.IntN(365)))
	c := catalogue.Child{
		ID:            catalogue.ChildID(-int64(len(g.out.batch.Children) + 1)),
		Council:       g.p.c.Code,
		CaseRef:       g.caseRef(),
		FirstName:     g.firstName(h, male, dob, u),
		DateOfBirth:   dob,
		Sex:           sex,
		Ethnicity:     h.code,
		Religion:      u.religion,
		FirstLanguage: u.language,
		LegalStatus:   legal,
		Purpose:       u.purpose,
		Home:          u.home,
		SiblingGroup:  u.group,
		Status:        catalogue.ChildPlaced,
	}
	if u.waiting {
		c.Status = catalogue.ChildWaiting
		c.ParentsConsidered = parentsConsidered(g.today, u.uasc)
	}
	single := u.n == 1
	needs := g.needs(age, male, u.uasc, single)
	c.Needs = keep(&g.slabs.needs, needs) // needs stays valid until the next call of g.needs
	if c.Need(catalogue.NeedRemand) > 0 {
		c.LegalStatus, c.Purpose = catalogue.LegalRemand, catalogue.PurposeRemand
	}
	if c.Need(catalogue.NeedParentAndChild) > 0 && c.Purpose != catalogue.PurposeEmergency {
		c.Purpose = catalogue.PurposeShortTerm
	}
	c.RisksToOthers = keep(&g.slabs.risks, g.risks(age, needs))
	c.CareType = g.careType(age, &c, u.uasc)
	if c.CareType == catalogue.CareSupported && (c.Purpose == catalogue.PurposeRespite || c.Purpose == catalogue.PurposeEmergency) {
		c.Purpose = catalogue.PurposeShortTerm
	}
	c.Communication = keep(&g.slabs.comms, g.communication(&c, u.uasc))
	c.School = g.school(u, age, c.Purpose)
	c.Contacts = g.childContacts(u, &c, male)
	c.ExclusionZones = g.zones(u, &c)
	c.Companions = g.companions(age, &c)
	g.petsAndHealth(&c)
	if u.waiting {
		c.NeededBy = g.neededBy(c.Purpose)
	} else {
		c.NeededBy = g.placedSince(dob)
	}
	return c.Coarsened() // people's locations as the store keeps them (catalogue.Location.Coarse)
}

// parentsConsidered is the record, for a child waiting, that placement with a parent was
// considered first and set aside (Children Act 1989 s22C(2)-(4)): not reasonably practicable
// for an unaccompanied child, whose parents are abroad; not consistent with the welfare of any
// other. It draws nothing from the generator, so the rest of England is as it was.
func parentsConsidered(today time.Time, uasc bool) *catalogue.ParentsConsidered {
	if uasc {
		return &catalogue.ParentsConsidered{On: today.AddDate(0, 0, -7), Why: catalogue.ParentsNotPracticable,
			Reason: "Unaccompanied: no parent or person with parental responsibility is in the country."}
	}
	return &catalogue.ParentsConsidered{On: today.AddDate(0, 0, -7), Why: catalogue.ParentsNotWelfare,
		Reason: "Assessed: a return home would not be consistent with the child's welfare."}
}

// caseRef returns the council's next case reference: digits, unique within the council.
func (g *gen) caseRef() string {
	g.nextCase += 1 + int64(g.r.IntN(7))
	g.buf = strconv.AppendInt(g.buf[:0], g.nextCase, 10)
	return string(g.buf)
}

func (g *gen) firstName(h *heritage, male bool, dob time.Time, u *unit) string {
	young := dob.Year() >= 2015
	var list []string
	switch {
	case male && young:
		list = h.youngBoys
	case male:
		list = h.boys
	case young:
		list = h.youngGirls
	default:
		list = h.girls
	}
	name := pickOne(g.r, list)
	for range 4 { // brothers and sisters have different names
		clash := false
		for k := u.first; k < len(g.out.batch.Children); k++ {
			if g.out.batch.Children[k].FirstName == name {
				clash = true
			}
		}
		if !clash {
			break
		}
		name = pickOne(g.r, list)
	}
	return name
}

// needs draws a child's assessed needs by age and sex. Teenagers more often have exploitation,
// missing and substance use needs; trauma is common at every age.
func (g *gen) needs(age int, male, uasc, single bool) []catalogue.Need {
	r := g.r
	out := g.scratch.needs[:0]
	add := func(k catalogue.NeedKind, low, med, high float64) {
		out = append(out, catalogue.Need{Kind: k, Level: []catalogue.NeedLevel{catalogue.LevelLow, catalogue.LevelMedium, catalogue.LevelHigh}[choose(r, low, med, high)]})
	}
	has := func(k catalogue.NeedKind) bool {
		for _, n := range out {
			if n.Kind == k {
				return true
			}
		}
		return false
	}
	if uasc {
		add(catalogue.NeedUASC, 15, 60, 25)
		if chance(r, 0.75) {
			add(catalogue.NeedTrauma, 25, 45, 30)
		}
		if chance(r, 0.3) {
			add(catalogue.NeedEmotionalBehavioural, 50, 35, 15)
		}
		if chance(r, 0.08) {
			add(catalogue.NeedExploitationCCE, 30, 45, 25) // trafficking into forced labour
		}
		if chance(r, 0.05) {
			add(catalogue.NeedMissing, 40, 40, 20)
		}
		if chance(r, 0.04) {
			add(catalogue.NeedDisabilityHealth, 40, 40, 20)
		}
		g.scratch.needs = out[:0]
		return out
	}
	trauma := 0.62
	if age <= 4 {
		trauma = 0.45
	}
	if chance(r, trauma) {
		add(catalogue.NeedTrauma, 30, 45, 25)
	}
	var eb float64
	switch {
	case age <= 4:
		eb = 0.12
	case age <= 9:
		eb = 0.45
	case age <= 15:
		eb = 0.6
	default:
		eb = 0.5
	}
	if chance(r, eb) {
		add(catalogue.NeedEmotionalBehavioural, 35, 40, 25)
	}
	if chance(r, 0.12) {
		add(catalogue.NeedDisabilityHealth, 35, 35, 30)
	}
	autism := 0.04
	if male {
		autism = 0.055
	} else {
		autism = 0.022
	}
	if age >= 3 && chance(r, autism) {
		add(catalogue.NeedAutism, 20, 50, 30)
	}
	switch {
	case age >= 5 && chance(r, 0.25), age >= 3 && age < 5 && chance(r, 0.08):
		add(catalogue.NeedLearning, 50, 35, 15)
	}
	if age >= 11 {
		ramp := math.Min(1, float64(age-10)/3) // 11: 1/3, 12: 2/3, 13 and over: 1
		cse, cce := 0.04, 0.12
		if !male {
			cse, cce = 0.13, 0.04
		}
		if chance(r, cse*ramp) {
			add(catalogue.NeedExploitationCSE, 25, 40, 35)
		}
		if chance(r, cce*ramp) {
			add(catalogue.NeedExploitationCCE, 25, 40, 35)
		}
		exploited := has(catalogue.NeedExploitationCSE) || has(catalogue.NeedExploitationCCE)
		missing := 0.08 * ramp
		if exploited {
			missing = 0.6
		}
		if chance(r, missing) {
			add(catalogue.NeedMissing, 30, 40, 30)
		}
		if age >= 13 {
			substance := 0.07
			if exploited {
				substance = 0.35
			}
			if chance(r, substance) {
				add(catalogue.NeedSubstanceUse, 35, 40, 25)
			}
		}
	}
	if single && age >= 12 {
		f := [18]float64{12: 0.1, 13: 0.3, 14: 0.6, 15: 1, 16: 1.4, 17: 1.6}[age]
		if !male {
			f *= 0.12
		}
		if chance(r, remandRate*f) {
			add(catalogue.NeedRemand, 10, 50, 40)
		}
	}
	if single && !male && age >= 15 {
		f := [18]float64{15: 0.3, 16: 1, 17: 1.5}[age]
		if chance(r, parentRate*f) {
			add(catalogue.NeedParentAndChild, 20, 50, 30)
		}
	}
	g.scratch.needs = out[:0]
	return out
}

// risks draws the risks a child may pose to others, mostly among older children with high
// emotional and behavioural needs.
func (g *gen) risks(age int, needs []catalogue.Need) []catalogue.RiskToOthers {
	r := g.r
	if age < 8 {
		return nil
	}
	out := g.scratch.risks[:0]
	eb, trauma := catalogue.NeedLevel(0), catalogue.NeedLevel(0)
	for _, n := range needs {
		switch n.Kind {
		case catalogue.NeedEmotionalBehavioural:
			eb = n.Level
		case catalogue.NeedTrauma:
			trauma = n.Level
		}
	}
	physical := 0.02
	if eb == catalogue.LevelHigh && age >= 10 {
		physical = 0.35
	}
	if chance(r, physical) {
		out = append(out, catalogue.RiskPhysical)
	}
	sexual := 0.006
	if trauma == catalogue.LevelHigh && age >= 10 {
		sexual = 0.03
	}
	if chance(r, sexual) {
		out = append(out, catalogue.RiskSexual, catalogue.RiskYounger)
	} else if chance(r, 0.02) {
		out = append(out, catalogue.RiskYounger)
	}
	if chance(r, 0.008) {
		out = append(out, catalogue.RiskFire)
	}
	if chance(r, 0.008) {
		out = append(out, catalogue.RiskAnimals)
	}
	g.scratch.risks = out[:0]
	return out
}

// complexity sums the levels of the needs that most often lead to a children's home.
func complexity(c *catalogue.Child) int {
	n := 0
	for _, x := range c.Needs {
		switch x.Kind {
		case catalogue.NeedEmotionalBehavioural, catalogue.NeedExploitationCSE, catalogue.NeedExploitationCCE,
			catalogue.NeedMissing, catalogue.NeedSubstanceUse:
			n += int(x.Level)
		}
	}
	return n + 2*len(c.RisksToOthers)
}

// careType assesses the kind of care right for the child, from age and needs: most children
// need a family (about 67% foster or kinship), 16 and 17 year olds often supported
// accommodation, children with complex needs more often a children's home.
func (g *gen) careType(age int, c *catalogue.Child, uasc bool) catalogue.CareType {
	r := g.r
	types := []catalogue.CareType{catalogue.CareFamilyFoster, catalogue.CareKinship, catalogue.CareChildrensHome, catalogue.CareSupported, catalogue.CareEither}
	switch {
	case c.Need(catalogue.NeedParentAndChild) > 0:
		return catalogue.CareParentAndChild
	case c.Need(catalogue.NeedRemand) > 0:
		return types[choose(r, 35, 0, 55, 0, 10)]
	case uasc && age >= 16:
		return types[choose(r, 33, 0, 8, 49, 10)]
	case uasc:
		return types[choose(r, 80, 0, 12, 0, 8)]
	}
	var w [5]float64
	switch {
	case age <= 4:
		w = [5]float64{73, 25, 0, 0, 2}
	case age <= 9:
		w = [5]float64{63, 23, 6, 0, 8}
	case age <= 15:
		w = [5]float64{45, 14, 24, 0, 17}
	default:
		w = [5]float64{27, 9, 16, 38, 10}
	}
	if cx := complexity(c); cx >= 6 {
		w[1] *= 0.3
		w[2] *= 3
		w[4] *= 2
	} else if cx >= 4 {
		w[2] *= 1.6
		w[4] *= 1.4
	}
	if c.Need(catalogue.NeedDisabilityHealth) == catalogue.LevelHigh && age >= 5 {
		w[2] *= 2
	}
	return types[choose(r, w[:]...)]
}

// harmonise gives a sibling group to be placed together one care type: kinship if half of them
// or more were assessed for it, a family otherwise, unless most of them need a children's home.
func (g *gen) harmonise(u *unit) {
	kids := g.out.batch.Children[u.first : u.first+u.n]
	if u.n == 1 {
		u.care = kids[0].CareType
		return
	}
	if u.plan == catalogue.PlanApart {
		u.care = kids[0].CareType
		return
	}
	kin, home := 0, 0
	for _, c := range kids {
		switch c.CareType {
		case catalogue.CareKinship:
			kin++
		case catalogue.CareChildrensHome, catalogue.CareEither:
			home++
		}
	}
	switch {
	case 2*kin >= u.n:
		u.care = catalogue.CareKinship
	case 2*home > u.n:
		u.care = catalogue.CareEither
	default:
		u.care = catalogue.CareFamilyFoster
	}
	for i := range kids {
		kids[i].CareType = u.care
	}
}

// purpose draws what a unit's placement is for: waiting children are more often in an
// emergency or short-term search, placed children mostly in long-term homes.
func (g *gen) purpose(waiting bool) catalogue.Purpose {
	ps := []catalogue.Purpose{catalogue.PurposeEmergency, catalogue.PurposeShortTerm, catalogue.PurposeLongTerm, catalogue.PurposeRespite}
	if waiting {
		return ps[choose(g.r, 25, 40, 31, 4)]
	}
	return ps[choose(g.r, 3, 35, 60, 2)]
}

// legal draws the legal status a unit's children share.
func (g *gen) legal(u *unit) catalogue.LegalStatus {
	r := g.r
	ls := []catalogue.LegalStatus{catalogue.LegalCareOrder, catalogue.LegalInterimCareOrder, catalogue.LegalSection20,
		catalogue.LegalPlacementOrder, catalogue.LegalPoliceProtection, catalogue.LegalEPO}
	switch {
	case u.uasc:
		return ls[choose(r, 3, 0, 97, 0, 0, 0)]
	case u.waiting && u.purpose == catalogue.PurposeEmergency:
		return ls[choose(r, 0, 40, 42, 0, 10, 8)]
	case u.maxAge <= 4 && u.purpose == catalogue.PurposeLongTerm:
		return ls[choose(r, 60, 15, 5, 20, 0, 0)]
	case u.minAge >= 16:
		return ls[choose(r, 58, 8, 34, 0, 0, 0)]
	}
	return ls[choose(r, 70, 15, 12, 3, 0, 0)]
}

func (g *gen) communication(c *catalogue.Child, uasc bool) []catalogue.Communication {
	r := g.r
	out := g.scratch.comms[:0]
	age := c.AgeOn(g.today)
	switch {
	case uasc && chance(r, 0.85):
		out = append(out, catalogue.CommESOL)
	case c.FirstLanguage != "en" && age >= 5 && chance(r, 0.25):
		out = append(out, catalogue.CommESOL)
	}
	if (c.Need(catalogue.NeedLearning) == catalogue.LevelHigh || c.Need(catalogue.NeedAutism) == catalogue.LevelHigh) && chance(r, 0.3) {
		out = append(out, catalogue.CommMakaton)
	}
	if c.Need(catalogue.NeedDisabilityHealth) > 0 && chance(r, 0.02) {
		out = append(out, catalogue.CommBSL)
	}
	if chance(r, 0.005) {
		out = append(out, catalogue.CommOther)
	}
	g.scratch.comms = out[:0]
	return out
}

// school gives a child of school age a school near home (most within 3 miles); 16 and 17 year
// olds are often at college.
func (g *gen) school(u *unit, age int, purpose catalogue.Purpose) *catalogue.School {
	r := g.r
	switch {
	case age < 4:
		return nil
	case age >= 16 && !chance(r, 0.68):
		return nil
	}
	var loc catalogue.Location
	switch x := r.Float64(); {
	case x < 0.72:
		loc = near(r, u.home, 0.2, 4.8)
	case x < 0.92:
		loc = near(r, u.home, 4.8, 13)
	default:
		loc = near(r, u.home, 13, 32)
	}
	keep := 0.72
	switch {
	case age == 14 || age == 15:
		keep = 0.9
	case u.uasc:
		keep = 0.5
	case purpose == catalogue.PurposeEmergency:
		keep = 0.6
	}
	s := &catalogue.School{
		Name:        g.v.schoolName(r, g.p, age, u.religion),
		Location:    loc,
		KeepPlanned: chance(r, keep),
	}
	g.buf = strconv.AppendInt(g.buf[:0], int64(100000+r.IntN(50000)), 10)
	s.URN = string(g.buf)
	return s
}

// neededBy is when a waiting child needs a home, by purpose.
func (g *gen) neededBy(p catalogue.Purpose) time.Time {
	r := g.r
	switch p {
	case catalogue.PurposeEmergency, catalogue.PurposeRemand:
		return g.today.AddDate(0, 0, r.IntN(2))
	case catalogue.PurposeShortTerm:
		return g.today.AddDate(0, 0, r.IntN(15))
	case catalogue.PurposeLongTerm:
		return g.today.AddDate(0, 0, 14+r.IntN(107))
	}
	return g.today.AddDate(0, 0, 7+r.IntN(54))
}

// placedSince is when a placed child's current home was needed: in the last three years, and
// not before they were born.
func (g *gen) placedSince(dob time.Time) time.Time {
	d := g.today.AddDate(0, 0, -1-g.r.IntN(3*365))
	if d.Before(dob) {
		return dob
	}
	return d
}

func (g *gen) companions(age int, c *catalogue.Child) catalogue.Companions {
	r := g.r
	cs := []catalogue.Companions{catalogue.CompanionsNoPreference, catalogue.CompanionsWithOthers, catalogue.CompanionsOnlyOlder, catalogue.CompanionsOnlyYounger, catalogue.CompanionsSolo}
	switch {
	case c.HasRisk(catalogue.RiskYounger) || c.HasRisk(catalogue.RiskSexual):
		return cs[choose(r, 0, 0, 60, 0, 40)]
	case complexity(c) >= 7:
		return cs[choose(r, 40, 0, 20, 10, 30)]
	case age <= 4:
		return cs[choose(r, 80, 10, 10, 0, 0)]
	}
	return cs[choose(r, 74, 8, 7, 6, 5)]
}

func (g *gen) petsAndHealth(c *catalogue.Child) {
	r := g.r
	c.Pets = catalogue.PetsCan
	if chance(r, allergyRate) {
		set := [][]catalogue.Animal{{catalogue.AnimalCat}, {catalogue.AnimalDog}, {catalogue.AnimalCat, catalogue.AnimalDog}, {catalogue.AnimalOther}}[choose(r, 50, 30, 15, 5)]
		c.Allergies = keep(&g.slabs.animals, set)
		if chance(r, 0.4) {
			c.Pets = catalogue.PetsCannot
		}
	} else if c.HasRisk(catalogue.RiskAnimals) {
		c.Pets = catalogue.PetsCannot
	} else {
		c.Pets = []catalogue.PetsRule{catalogue.PetsCan, catalogue.PetsMust, catalogue.PetsCannot}[choose(r, 90, 4, 6)]
	}
	c.Respiratory = chance(r, respiratory)
	switch c.Need(catalogue.NeedDisabilityHealth) {
	case catalogue.LevelHigh:
		c.Wheelchair = chance(r, 0.25)
	case catalogue.LevelMedium:
		c.Wheelchair = chance(r, 0.05)
	}
}

func apartReasons() []string {
	return []string{
		"Assessed as needing separate homes: the older child has harmed the younger one.",
		"The eldest wants to live more independently; weekly contact is planned.",
		"A large group with no realistic prospect of one home; they will live near each other and meet every week.",
		"Different permanence plans: the youngest is to be adopted, with letterbox and direct contact for the others.",
		"Sibling conflict assessed as harmful to both; to be reviewed in six months.",
		"One child's needs require a children's home; the others need a family.",
	}
}
