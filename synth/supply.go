package synth

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Supply shares: of approved places, how many are filled and how many vacant (the rest are
// not available: carers on a break, rooms closed for want of staff). The filled shares make the
// placement mix of DESIGN.md section 7 come out: about 43,000 children in foster homes, 9,000
// in children's homes and 8,000 in supported accommodation at national scale.
const (
	fosterFilled    = 0.615
	fosterVacant    = 0.16
	homeFilled      = 0.63
	homeVacant      = 0.15
	supportFilled   = 0.85
	supportVacant   = 0.12
	councilHomes    = 0.11 // of children's homes run by councils
	voluntaryHomes  = 0.05 // by charities; the rest (84%) privately
	secondKinship   = 0.1  // of waiting kinship children with a second connected person assessed
	parentAndChild  = 0.015
	inactiveCarers  = 0.02
	smokingCarers   = 0.04
	smokingKinship  = 0.12
	wheelchairHomes = 0.08
	// Staying Put: of foster households approved for young people of 16 or over, those willing to
	// let one stay on after 18 (up to 21): half of those where a young person of 16 or 17 lives
	// now (the DfE: about half of the young people eligible stay put at 18, about 2,000 a year),
	// fewer of the others, who have not been asked by a young person of their own yet.
	stayingPutWithTeen = 0.5
	stayingPutOthers   = 0.35
	stayingPutKinship  = 0.55
)

// supply generates the council's placements: kinship carers for its children, then its
// fostering households, children's homes and supported accommodation.
func (g *gen) supply(units []unit) {
	g.kinship(units)
	for range g.p.fosterCouncil {
		g.fosterHousehold(false)
	}
	for range g.p.fosterAgency {
		g.fosterHousehold(true)
	}
	for range g.p.homes {
		g.home()
	}
	for range g.p.supported {
		g.supportedSetting()
	}
}

func (g *gen) newPlacement(kind catalogue.PlacementKind, provider int, p *councilPlan, loc catalogue.Location) catalogue.Placement {
	pl := catalogue.Placement{
		ID:       catalogue.PlacementID(-int64(len(g.out.batch.Placements) + 1)),
		Kind:     kind,
		Provider: g.out.provider(provider),
		URN:      g.w.pool[provider].URN,
		Council:  p.c.Code,
		AreaName: areaName(p, loc),
		Location: loc,
		Active:   true,
	}
	if kind == catalogue.CouncilFoster {
		pl.Owner = g.w.pool[provider].Council // as a store reads it: the provider's council
	}
	return pl
}

// fill decides, place by place, whether it is filled (a placed child of an allowed age and
// sex joins the household), vacant (a Vacancy) or not available.
func (g *gen) fill(pl *catalogue.Placement, members []catalogue.Member, filled, vacant float64) []catalogue.Member {
	r := g.r
	vacs := g.scratch.vacancies[:0]
	for range pl.Approval.MaxChildren {
		switch x := r.Float64(); {
		case x < filled:
			members = append(members, g.placedChild(&pl.Approval))
		case x < filled+vacant:
			vacs = append(vacs, catalogue.Vacancy{Placement: pl.ID, AvailableFrom: g.availableFrom(), Status: catalogue.VacancyAvailable})
		}
	}
	pl.Vacancies = keep(&g.slabs.vacancies, vacs)
	g.scratch.vacancies = vacs[:0]
	return members
}

// availableFrom is when a vacant place opens: mostly today, some soon.
func (g *gen) availableFrom() time.Time {
	switch x := g.r.Float64(); {
	case x < 0.65:
		return g.today
	case x < 0.9:
		return g.today.AddDate(0, 0, 1+g.r.IntN(14))
	default:
		return g.today.AddDate(0, 0, 15+g.r.IntN(46))
	}
}

// placedChild is a looked-after child already living in the home, by age and sex only.
func (g *gen) placedChild(a *catalogue.Approval) catalogue.Member {
	r := g.r
	age := g.w.ages.pick(r)
	for tries := 0; (age < a.MinAge || age > a.MaxAge) && tries < 8; tries++ {
		age = g.w.ages.pick(r)
	}
	if age < a.MinAge || age > a.MaxAge {
		age = between(r, a.MinAge, min(a.MaxAge, 17))
	}
	sex := catalogue.Female
	if chance(r, maleShare) {
		sex = catalogue.Male
	}
	if len(a.Sexes) == 1 {
		sex = a.Sexes[0]
	}
	return catalogue.Member{Age: age, Sex: sex, Role: catalogue.MemberPlacedChild}
}

// carers names one or two carers of a heritage: a single carer (mostly women) or a couple.
func (g *gen) carers(h *heritage, old bool, single float64) []catalogue.Carer {
	r := g.r
	men, women := h.men, h.women
	if old {
		men, women = h.oldMen, h.oldWomen
	}
	out := g.scratch.carers[:0]
	switch x := r.Float64(); {
	case x < single*0.85:
		out = append(out, catalogue.Carer{FirstName: pickOne(r, women)})
	case x < single:
		out = append(out, catalogue.Carer{FirstName: pickOne(r, men)})
	case x < single+(1-single)*0.03:
		out = append(out, catalogue.Carer{FirstName: pickOne(r, women)}, catalogue.Carer{FirstName: pickOne(r, women)})
	case x < single+(1-single)*0.06:
		out = append(out, catalogue.Carer{FirstName: pickOne(r, men)}, catalogue.Carer{FirstName: pickOne(r, men)})
	default:
		out = append(out, catalogue.Carer{FirstName: pickOne(r, women)}, catalogue.Carer{FirstName: pickOne(r, men)})
	}
	if len(out) == 2 && out[0].FirstName == out[1].FirstName {
		out[1].FirstName = pickOne(r, append(men[:len(men):len(men)], women...))
	}
	g.scratch.carers = out[:0]
	return keep(&g.slabs.carers, out)
}

// ownChildren adds the carers' own children living at home, with names, ages and sexes.
func (g *gen) ownChildren(members []catalogue.Member, h *heritage, p float64, maxAge int) []catalogue.Member {
	r := g.r
	if !chance(r, p) {
		return members
	}
	for range 1 + choose(r, 50, 35, 15) {
		age := between(r, 0, maxAge)
		male := chance(r, 0.5)
		var list []string
		switch {
		case male && age <= 11:
			list = h.youngBoys
		case male:
			list = h.boys
		case age <= 11:
			list = h.youngGirls
		default:
			list = h.girls
		}
		sex := catalogue.Female
		if male {
			sex = catalogue.Male
		}
		members = append(members, catalogue.Member{FirstName: pickOne(r, list), Age: age, Sex: sex, Role: catalogue.MemberCarersChild})
	}
	return members
}

func (g *gen) pets() []catalogue.Animal {
	r := g.r
	out := g.scratch.animals[:0]
	if chance(r, 0.35) {
		out = append(out, catalogue.AnimalDog)
	}
	if chance(r, 0.28) {
		out = append(out, catalogue.AnimalCat)
	}
	if chance(r, 0.12) {
		out = append(out, catalogue.AnimalOther)
	}
	g.scratch.animals = out[:0]
	return keep(&g.slabs.animals, out)
}

// languages spoken at home: English, and often the family's own.
func (g *gen) languages(h *heritage, family string) []string {
	r := g.r
	out := append(g.scratch.langs[:0], "en")
	if family != "" && family != "en" {
		out = append(out, family)
	} else if len(h.langs) > 0 && chance(r, 0.7) {
		out = append(out, h.langs[0])
	}
	if len(h.langs) > 1 && chance(r, 0.3) && out[len(out)-1] != h.langs[1] {
		out = append(out, h.langs[1])
	}
	g.scratch.langs = out[:0]
	return keep(&g.slabs.langs, out)
}

// skillSet draws skills, each with its own chance.
func (g *gen) skillSet(chances [numSkills]float64) []catalogue.Skill {
	out := g.scratch.skills[:0]
	for i, s := range skillOrder() {
		if chance(g.r, chances[i]) {
			out = append(out, s)
		}
	}
	g.scratch.skills = out[:0]
	return keep(&g.slabs.skills, out)
}

// skillOrder fixes the order of skill chances.
func skillOrder() [numSkills]catalogue.Skill {
	return [numSkills]catalogue.Skill{
		catalogue.SkillTraumaInformed, catalogue.SkillTherapeuticParenting, catalogue.SkillBehaviour,
		catalogue.SkillDisability, catalogue.SkillAutism, catalogue.SkillLearning, catalogue.SkillParentAndChild,
		catalogue.SkillUASC, catalogue.SkillExploitation, catalogue.SkillRemand, catalogue.SkillSubstanceUse,
	}
}

const numSkills = 11

func hasSkill(ss []catalogue.Skill, s catalogue.Skill) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// stability draws how placements ended in the last three years.
func (g *gen) stability(places, experience int, churn, unplanned float64) catalogue.StabilityRecord {
	years := math.Min(3, float64(experience)+0.5)
	ended := poisson(g.r, float64(places)*churn*years/3)
	u := 0
	for range ended {
		if chance(g.r, unplanned) {
			u++
		}
	}
	return catalogue.StabilityRecord{EndedPlanned: ended - u, EndedUnplanned: u}
}

func roundTo(x float64, step int) int { return int(math.Round(x/float64(step))) * step }

// fosterHousehold generates a council or agency fostering household.
func (g *gen) fosterHousehold(agency bool) {
	r, p := g.r, g.p
	h := &g.w.heritages[p.carers.pick(r)]
	stayDraw := 1.0 // drawn where the household's terms are, decided once its members are known
	prov, kind := p.fosterProvider, catalogue.CouncilFoster
	if agency {
		prov, kind = p.agencies.pick(r), catalogue.AgencyFoster
	}
	pl := g.newPlacement(kind, prov, p, scatter(r, p))
	pl.Ofsted = g.w.poolInfo[prov].ofsted
	pl.Household.Carers = g.carers(h, false, 0.28)
	pl.Name = pickOne(r, h.surnames) + " household"
	pl.Ethnicity = h.group
	pl.Religion = h.religion.pick(r)
	pl.Languages = g.languages(h, "")
	pl.Experience = int(math.Min(40, r.ExpFloat64()*7))
	pl.Active = !chance(r, inactiveCarers)

	a := &pl.Approval
	uascArea := float64(p.uasc) > 0.1*float64(max(1, p.children))
	therapeutic, specialist := 0.2, 1.0
	if agency {
		therapeutic, specialist = 0.35, 1.25
	}
	uasc := 0.06 * specialist
	if uascArea {
		uasc *= 2.5
	}
	if chance(r, parentAndChild) {
		// Parent and child: a young parent and their baby, for assessment.
		a.MinAge, a.MaxAge, a.MaxChildren = 0, 17, 2
		a.Purposes = keep(&g.slabs.purposes, []catalogue.Purpose{catalogue.PurposeShortTerm})
		pl.Skills = keep(&g.slabs.skills, []catalogue.Skill{catalogue.SkillParentAndChild, catalogue.SkillTraumaInformed})
		pl.WeeklyCost = roundTo(normal(r, 1100, 120, 850, 1500), 5)
	} else {
		bands := [...][2]int{{0, 17}, {0, 4}, {0, 10}, {5, 17}, {8, 17}, {11, 17}, {16, 17}}
		band := bands[choose(r, 40, 8, 15, 15, 10, 10, 2)]
		a.MinAge, a.MaxAge = band[0], band[1]
		// 1 to 3 places, about 2.1 on average (Ofsted's 70,465 approved mainstream places for
		// 33,300 mainstream households: calibration.go), agency carers a few more.
		if agency {
			a.MaxChildren = 1 + choose(r, 22, 38, 40)
		} else {
			a.MaxChildren = 1 + choose(r, 26, 40, 34)
		}
		switch x := r.Float64(); {
		case x < 0.08:
			a.Sexes = keep(&g.slabs.sexes, []catalogue.Sex{catalogue.Female})
		case x < 0.15:
			a.Sexes = keep(&g.slabs.sexes, []catalogue.Sex{catalogue.Male})
		}
		pl.Skills = g.skillSet([numSkills]float64{
			0.75 + 0.05*(specialist-1)*4, therapeutic, 0.35 * specialist, 0.10 * specialist, 0.12 * specialist,
			0.15, 0, uasc, 0.08 * specialist * specialist, 0.015 * specialist * specialist, 0.04 * specialist,
		})
		ps := g.scratch.purposes[:0]
		if chance(r, 0.4) {
			ps = append(ps, catalogue.PurposeEmergency)
		}
		if chance(r, 0.9) || len(ps) == 0 {
			ps = append(ps, catalogue.PurposeShortTerm)
		}
		pl.LongTerm = chance(r, 0.6)
		if pl.LongTerm {
			ps = append(ps, catalogue.PurposeLongTerm)
		}
		if chance(r, 0.25) {
			ps = append(ps, catalogue.PurposeRespite)
		}
		if hasSkill(pl.Skills, catalogue.SkillRemand) && a.MaxAge >= 12 {
			ps = append(ps, catalogue.PurposeRemand)
		}
		if a.MaxAge >= catalogue.StayingPutAge {
			stayDraw = r.Float64()
		}
		a.Purposes = keep(&g.slabs.purposes, ps)
		g.scratch.purposes = ps[:0]
		a.SiblingGroups = a.MaxChildren >= 2 && chance(r, 0.65)
		// Weekly costs: council fostering about £650, agency about £820 (DESIGN.md section 1,
		// which names no publisher or year for them: calibration.go says so).
		cost := normal(r, 630, 70, 480, 950)
		if agency {
			cost = normal(r, 765, 80, 620, 1150)
		}
		if hasSkill(pl.Skills, catalogue.SkillTherapeuticParenting) {
			cost += 100 * specialist * specialist
		}
		pl.WeeklyCost = roundTo(cost, 5)
	}

	members := g.scratch.members[:0]
	members = g.ownChildren(members, h, 0.4, 25)
	if chance(r, 0.05) {
		members = append(members, catalogue.Member{FirstName: pickOne(r, h.oldWomen), Age: between(r, 60, 85), Sex: catalogue.Female, Role: catalogue.MemberAdult})
	}
	if a.MaxChildren == 2 && hasSkill(pl.Skills, catalogue.SkillParentAndChild) {
		// A parent and child place is filled or vacant as a pair.
		switch x := r.Float64(); {
		case x < fosterFilled:
			members = append(members,
				catalogue.Member{Age: between(r, 16, 17), Sex: catalogue.Female, Role: catalogue.MemberPlacedChild},
				catalogue.Member{Age: 0, Sex: pickOne(r, catalogue.Sexes), Role: catalogue.MemberPlacedChild})
		case x < fosterFilled+fosterVacant:
			pl.Vacancies = keep(&g.slabs.vacancies, []catalogue.Vacancy{
				{Placement: pl.ID, AvailableFrom: g.today, Status: catalogue.VacancyAvailable},
				{Placement: pl.ID, AvailableFrom: g.today, Status: catalogue.VacancyAvailable}})
		}
	} else {
		members = g.fill(&pl, members, fosterFilled, fosterVacant)
	}
	if !pl.Active { // carers on a break offer no places
		pl.Vacancies = nil
	}
	willing := stayingPutOthers
	for _, m := range members {
		if m.Role == catalogue.MemberPlacedChild && m.Age >= catalogue.StayingPutAge {
			willing = stayingPutWithTeen
		}
	}
	// Willing carers say so with StayingPut: Staying Put is not a purpose (catalogue.Purpose).
	pl.StayingPut = stayDraw < willing
	pl.Household.Members = keep(&g.slabs.members, members)
	g.scratch.members = members[:0]
	pl.Household.Pets = g.pets()
	pl.Household.Smoking = chance(r, smokingCarers)
	pl.Household.WheelchairAccessible = chance(r, 0.07)
	pl.Stability = g.stability(a.MaxChildren, pl.Experience, 1.4, uniform(r, 0.05, 0.4))
	pl.Profile = g.fosterProfile(&pl, h)
	g.lawful(&pl, false)
	g.out.batch.Placements = append(g.out.batch.Placements, pl)
}

// kinship generates connected-person carers assessed for the council's children whose care
// type is kinship: waiting children first (some with a second connected person), then placed
// children, who already live there, sibling groups before single children.
func (g *gen) kinship(units []unit) {
	quota := g.p.kinship
	var waiting, placed []int
	for i := range units {
		if units[i].care != catalogue.CareKinship {
			continue
		}
		if units[i].waiting {
			waiting = append(waiting, i)
		} else {
			placed = append(placed, i)
		}
	}
	// Brothers and sisters living with kin first: Ofsted's family and friends households are
	// fewer than the children in family and friends care, many of whom share one.
	slices.SortStableFunc(placed, func(a, b int) int { return units[b].n - units[a].n })
	for pass := range 3 {
		list := waiting
		if pass == 2 {
			list = placed
		}
		for _, i := range list {
			if quota == 0 {
				return
			}
			if pass == 1 && !chance(g.r, secondKinship) {
				continue
			}
			g.kinshipHousehold(&units[i])
			quota--
		}
	}
}

func (g *gen) kinshipHousehold(u *unit) {
	r := g.r
	h := u.heritage
	var loc catalogue.Location
	switch x := r.Float64(); {
	case x < 0.5:
		loc = near(r, u.home, 0.2, 3)
	case x < 0.85:
		loc = near(r, u.home, 3, 12)
	default:
		loc = near(r, u.home, 12, 60)
	}
	where := g.p
	if flatKm(loc, g.p.c.Centre) > g.p.radiusKm {
		where = g.w.councilAt(loc)
	}
	pl := g.newPlacement(catalogue.Kinship, g.p.fosterProvider, where, loc)
	kids := g.out.batch.Children[u.first : u.first+u.n]
	connected := g.scratch.connected[:0]
	minAge, eldest := 17, 0
	ps := append(g.scratch.purposes[:0], catalogue.PurposeShortTerm, catalogue.PurposeLongTerm)
	// Of brothers and sisters living with kin, some do not all live with the same relatives
	// (siblingsApart): the eldest lives elsewhere, with other relatives not generated here.
	var elsewhere catalogue.ChildID
	if !u.waiting && g.kinshipChildren(kids) > 1 && chance(r, kinshipApart) {
		for _, c := range kids {
			if c.CareType == catalogue.CareKinship {
				elsewhere = c.ID
				break
			}
		}
	}
	for _, c := range kids {
		if c.CareType != catalogue.CareKinship || c.ID == elsewhere {
			continue
		}
		connected = append(connected, c.ID)
		age := c.AgeOn(g.today)
		minAge, eldest = min(minAge, age), max(eldest, age)
		found := false
		for _, p := range ps {
			found = found || p == c.Purpose
		}
		if !found {
			ps = append(ps, c.Purpose)
		}
	}
	pl.ConnectedTo = keep(&g.slabs.connected, connected)
	g.scratch.connected = connected[:0]
	pl.Approval = catalogue.Approval{MinAge: minAge, MaxAge: 17, MaxChildren: max(1, len(connected)), SiblingGroups: len(connected) > 1,
		Purposes: keep(&g.slabs.purposes, ps)}
	g.scratch.purposes = ps[:0]

	members := g.scratch.members[:0]
	var relation string
	switch x := r.Float64(); {
	case x < 0.5:
		relation = "grandparents"
		pl.Household.Carers = g.carers(h, true, 0.45)
	case x < 0.8:
		relation = "aunt and uncle"
		pl.Household.Carers = g.carers(h, false, 0.35)
		members = g.ownChildren(members, h, 0.55, 20)
	case x < 0.95:
		relation = "family friends"
		pl.Household.Carers = g.carers(h, false, 0.3)
		members = g.ownChildren(members, h, 0.5, 20)
	default:
		relation = "older brother or sister"
		name := pickOne(r, h.boys)
		if chance(r, 0.6) {
			name = pickOne(r, h.girls)
		}
		pl.Household.Carers = keep(&g.slabs.carers, []catalogue.Carer{{FirstName: name}})
	}
	if u.waiting {
		vacs := g.scratch.vacancies[:0]
		for range connected {
			vacs = append(vacs, catalogue.Vacancy{Placement: pl.ID, AvailableFrom: g.today, Status: catalogue.VacancyAvailable})
		}
		pl.Vacancies = keep(&g.slabs.vacancies, vacs)
		g.scratch.vacancies = vacs[:0]
	} else {
		for _, c := range kids {
			if c.CareType == catalogue.CareKinship && c.ID != elsewhere {
				members = append(members, catalogue.Member{Age: c.AgeOn(g.today), Sex: c.Sex, Role: catalogue.MemberPlacedChild})
			}
		}
	}
	pl.Household.Members = keep(&g.slabs.members, members)
	g.scratch.members = members[:0]
	pl.Name = pickOne(r, h.surnames) + " household"
	pl.Ethnicity = h.group
	pl.Religion = u.religion
	pl.Languages = g.languages(h, u.language)
	pl.Household.Pets = g.pets()
	pl.Household.Smoking = chance(r, smokingKinship)
	pl.Household.WheelchairAccessible = chance(r, 0.03)
	pl.Skills = g.skillSet([numSkills]float64{0.25})
	if !u.waiting {
		pl.Experience = between(r, 0, 5)
	}
	pl.StayingPut = chance(r, stayingPutKinship)
	pl.LongTerm = chance(r, 0.85)
	allowance := [18]float64{175, 175, 175, 175, 175, 195, 195, 195, 195, 195, 195, 220, 220, 220, 220, 220, 255, 255}[eldest]
	if g.p.c.RegionCode == london || g.p.c.RegionCode == southEast {
		allowance *= 1.15
	}
	pl.WeeklyCost = roundTo(allowance*uniform(r, 0.9, 1.15), 5)
	pl.Profile = g.kinshipProfile(&pl, relation)
	if !u.waiting {
		u.kinship = pl.ID
	}
	g.lawful(&pl, u.waiting)
	g.out.batch.Placements = append(g.out.batch.Placements, pl)
}

// kinshipChildren counts the children of a unit assessed for kinship care.
func (g *gen) kinshipChildren(kids []catalogue.Child) int {
	n := 0
	for _, c := range kids {
		if c.CareType == catalogue.CareKinship {
			n++
		}
	}
	return n
}

// homeURN is an Ofsted-style URN unique in England: SC, then the council's block of 5,000 and
// a sequence, between 100000 and 899999 (providers' URNs are 900000 and over).
func (g *gen) homeURN() string {
	g.nextURN += 1 + int64(g.r.IntN(3))
	n := 100000 + (int64(g.p.idx)*5000+g.nextURN)%800000
	g.buf = strconv.AppendInt(append(g.buf[:0], 'S', 'C'), n, 10)
	return string(g.buf)
}

// home generates a children's home.
func (g *gen) home() {
	r, p := g.r, g.p
	var prov int
	switch x := r.Float64(); {
	case x < councilHomes:
		prov = p.residentialProvider
	case x < councilHomes+voluntaryHomes:
		prov = g.w.homeCharities.pick(r)
	default:
		prov = p.homeOperators.pick(r)
	}
	pl := g.newPlacement(catalogue.ChildrensHome, prov, p, scatter(r, p))
	pl.URN = g.homeURN()
	pl.Name = g.v.homeName(r, !urban(p))
	a := &pl.Approval
	a.MaxChildren = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}[choose(r, 14, 21, 20, 19, 11, 8, 2.5, 2, 1, 1, 0.5)]
	kind := []string{"general", "therapeutic", "disability", "emergency", "remand"}[choose(r, 60, 24, 8, 5, 3)]
	chances := [numSkills]float64{0.95, 0.45, 0.85, 0.06, 0.2, 0.2, 0.005, 0.08, 0.5, 0.05, 0.3}
	ps := g.scratch.purposes[:0]
	switch kind {
	case "disability":
		a.MinAge, a.MaxAge = [][2]int{{5, 17}, {8, 17}, {0, 17}}[choose(r, 50, 35, 15)][0], 17
		chances[3], chances[4], chances[5], chances[8] = 1, 0.8, 0.8, 0.1
		ps = append(ps, catalogue.PurposeLongTerm, catalogue.PurposeShortTerm)
		if chance(r, 0.5) {
			ps = append(ps, catalogue.PurposeRespite)
		}
		pl.Household.WheelchairAccessible = true
	case "emergency":
		a.MinAge, a.MaxAge = []int{8, 11, 12}[choose(r, 30, 50, 20)], 17
		ps = append(ps, catalogue.PurposeEmergency, catalogue.PurposeShortTerm)
	case "remand":
		a.MinAge, a.MaxAge = 12, 17
		chances[9] = 1
		ps = append(ps, catalogue.PurposeRemand, catalogue.PurposeShortTerm, catalogue.PurposeEmergency)
	default:
		band := [][2]int{{11, 17}, {8, 17}, {5, 17}, {13, 17}, {0, 17}}[choose(r, 55, 25, 10, 8, 2)]
		a.MinAge, a.MaxAge = band[0], band[1]
		if kind == "therapeutic" {
			chances[1] = 1
		}
		ps = append(ps, catalogue.PurposeLongTerm, catalogue.PurposeShortTerm)
		if chance(r, 0.25) {
			ps = append(ps, catalogue.PurposeEmergency)
		}
	}
	a.Purposes = keep(&g.slabs.purposes, ps)
	g.scratch.purposes = ps[:0]
	switch x := r.Float64(); {
	case x < 0.1:
		a.Sexes = keep(&g.slabs.sexes, []catalogue.Sex{catalogue.Male})
	case x < 0.2:
		a.Sexes = keep(&g.slabs.sexes, []catalogue.Sex{catalogue.Female})
	}
	a.SiblingGroups = a.MaxChildren >= 2 && chance(r, 0.25)
	pl.Skills = g.skillSet(chances)
	pl.LongTerm = kind != "emergency" && kind != "remand" && chance(r, 0.85)
	pl.Ofsted = catalogue.OfstedGrades[choose(r, 15, 65, 17, 3)]
	pl.Experience = int(math.Min(30, r.ExpFloat64()*8))

	// Key workers: the staff a child would meet, from the area's mix of backgrounds.
	carers := g.scratch.carers[:0]
	for range between(r, 2, 4) {
		kh := &g.w.heritages[p.carers.pick(r)]
		list := kh.women
		if chance(r, 0.35) {
			list = kh.men
		}
		carers = append(carers, catalogue.Carer{FirstName: pickOne(r, list)})
	}
	pl.Household.Carers = keep(&g.slabs.carers, carers)
	g.scratch.carers = carers[:0]
	pl.Languages = keep(&g.slabs.langs, []string{"en"})
	if chance(r, 0.15) {
		kh := &g.w.heritages[p.carers.pick(r)]
		if len(kh.langs) > 0 {
			pl.Languages = keep(&g.slabs.langs, []string{"en", kh.langs[0]})
		}
	}
	members := g.fill(&pl, g.scratch.members[:0], homeFilled, homeVacant)
	pl.Household.Members = keep(&g.slabs.members, members)
	g.scratch.members = members[:0]
	if chance(r, 0.08) {
		pl.Household.Pets = keep(&g.slabs.animals, []catalogue.Animal{catalogue.AnimalDog})
	}
	pl.Household.WheelchairAccessible = pl.Household.WheelchairAccessible || chance(r, wheelchairHomes)
	unplanned := 0.25
	switch pl.Ofsted {
	case catalogue.OfstedOutstanding:
		unplanned = 0.15
	case catalogue.OfstedRequiresImprovement:
		unplanned = 0.4
	case catalogue.OfstedInadequate:
		unplanned = 0.55
	}
	pl.Stability = g.stability(a.MaxChildren, pl.Experience, 3.5, unplanned)
	pl.WeeklyCost = g.homeCost(a.MaxChildren, kind)
	pl.Profile = g.homeProfile(&pl, kind)
	g.lawful(&pl, false)
	g.out.batch.Placements = append(g.out.batch.Placements, pl)
}

// homeCost draws a weekly cost: mostly £3,800 to £6,100, with a tail over £10,000 for homes
// built around one child (DESIGN.md section 1: no publisher or year named for the range; 1,510
// placements over £10,000 a week in 2022/23).
func (g *gen) homeCost(places int, kind string) int {
	r := g.r
	type band struct{ lo, hi float64 }
	bands := []band{{2900, 3800}, {3800, 6100}, {6100, 10000}, {10000, 18000}}
	w := []float64{10, 60, 20, 10}
	switch {
	case places == 1:
		w = []float64{0, 15, 40, 45}
	case kind == "disability" || kind == "therapeutic":
		w = []float64{3, 50, 35, 12}
	}
	b := bands[choose(r, w...)]
	return roundTo(uniform(r, b.lo, b.hi), 10)
}

// supportedSetting generates supported accommodation for 16 and 17 year olds.
func (g *gen) supportedSetting() {
	r, p := g.r, g.p
	var prov int
	switch x := r.Float64(); {
	case x < 0.1:
		prov = p.residentialProvider
	default:
		prov = p.supportedProviders.pick(r)
	}
	pl := g.newPlacement(catalogue.SupportedAccommodation, prov, p, scatter(r, p))
	pl.URN = g.homeURN()
	a := &pl.Approval
	a.MaxChildren = []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20}[choose(r, 30, 14, 13, 13, 8, 7, 5, 5, 2.5, 1.5, 1)]
	pl.Name = g.v.supportedName(r, p, a.MaxChildren)
	a.MinAge = 16
	a.MaxAge = []int{17, 18, 21, 24}[choose(r, 65, 10, 15, 10)]
	switch x := r.Float64(); {
	case x < 0.08:
		a.Sexes = keep(&g.slabs.sexes, []catalogue.Sex{catalogue.Female})
	case x < 0.15:
		a.Sexes = keep(&g.slabs.sexes, []catalogue.Sex{catalogue.Male})
	}
	ps := append(g.scratch.purposes[:0], catalogue.PurposeShortTerm, catalogue.PurposeLongTerm)
	if chance(r, 0.25) {
		ps = append(ps, catalogue.PurposeEmergency)
	}
	a.Purposes = keep(&g.slabs.purposes, ps)
	g.scratch.purposes = ps[:0]
	a.SiblingGroups = a.MaxChildren >= 2 && chance(r, 0.05)
	uasc := 0.35
	if float64(p.uasc) > 0.1*float64(max(1, p.children)) {
		uasc = 0.7
	}
	pl.Skills = g.skillSet([numSkills]float64{0.6, 0.05, 0.2, 0.03, 0.05, 0.05, 0.03, uasc, 0.25, 0.05, 0.25})
	pl.LongTerm = chance(r, 0.5)
	pl.Experience = int(math.Min(20, r.ExpFloat64()*5))
	carers := g.scratch.carers[:0]
	for range between(r, 1, 2) {
		kh := &g.w.heritages[p.carers.pick(r)]
		carers = append(carers, catalogue.Carer{FirstName: pickOne(r, kh.women)})
	}
	pl.Household.Carers = keep(&g.slabs.carers, carers)
	g.scratch.carers = carers[:0]
	langs := append(g.scratch.langs[:0], "en")
	if hasSkill(pl.Skills, catalogue.SkillUASC) && chance(r, 0.5) {
		langs = append(langs, pickOne(r, []string{"ar", "ku", "ti", "ps", "fa", "sq"}))
	}
	pl.Languages = keep(&g.slabs.langs, langs)
	g.scratch.langs = langs[:0]
	members := g.fill(&pl, g.scratch.members[:0], supportFilled, supportVacant)
	for i := range members { // young people aged 16 to 17 (older care leavers are not counted here)
		members[i].Age = max(members[i].Age, 16)
	}
	pl.Household.Members = keep(&g.slabs.members, members)
	g.scratch.members = members[:0]
	pl.Household.WheelchairAccessible = chance(r, 0.06)
	pl.Stability = g.stability(a.MaxChildren, pl.Experience, 2.5, uniform(r, 0.15, 0.45))
	cost := uniform(r, 1000, 2000)
	if a.MaxChildren == 1 || chance(r, 0.2) { // a single flat, or staffed around the clock
		cost = uniform(r, 1600, 2500)
	}
	pl.WeeklyCost = roundTo(cost, 10)
	pl.Profile = g.supportedProfile(&pl)
	g.lawful(&pl, false)
	g.out.batch.Placements = append(g.out.batch.Placements, pl)
}
