package scoring

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang/geo/s2"
	"github.com/placematch/placematch/catalogue"
)

// Constraint names a hard constraint. A placement that breaks one is never offered, and each
// rejection is counted under its constraint so that shortages become visible.
type Constraint string

// The hard constraints of DESIGN.md section 4.
const (
	ConstraintInactive          Constraint = "inactive"           // closed or suspended
	ConstraintVacancy           Constraint = "vacancy"            // not enough places free by the day of the move
	ConstraintCareType          Constraint = "care_type"          // not the assessed kind of care
	ConstraintKinshipConnection Constraint = "kinship_connection" // kinship carers assessed for other children
	ConstraintOfstedInadequate  Constraint = "ofsted_inadequate"  // rated inadequate: never offered
	ConstraintAge               Constraint = "age"                // outside the approved age range
	ConstraintSex               Constraint = "sex"                // not approved for the child's sex
	ConstraintPurpose           Constraint = "purpose"            // not approved for the placement's purpose
	ConstraintSiblingGroup      Constraint = "sibling_group"      // not approved for brothers and sisters together
	ConstraintPlaces            Constraint = "places"             // approval number would be exceeded
	ConstraintWheelchair        Constraint = "wheelchair"         // no step-free access for a wheelchair user (Children Act 1989 s22C(8)(d))
	ConstraintSmoking           Constraint = "smoking"            // smoking home; child under 5 or with a respiratory condition
	ConstraintPets              Constraint = "pets"               // must have a pet, or cannot live with one
	ConstraintAllergies         Constraint = "allergies"          // an animal the child is allergic to
	ConstraintCompanions        Constraint = "companions"         // solo, only older, only younger
	ConstraintHouseholdSafety   Constraint = "household_safety"   // risks to younger children, animals; fire setting
	ConstraintMaxDistance       Constraint = "max_distance"       // beyond the policy's distance from home
	ConstraintExclusionZone     Constraint = "exclusion_zone"     // inside or near an area the child must not live in
	ConstraintOwnCarers         Constraint = "own_carers"         // another council's own carers, no sharing agreement
	// The constraints added after DESIGN.md section 4's first list, each in a file of its own.
	ConstraintDeprivationOfLiberty Constraint = "deprivation_of_liberty" // a DoL order whose conditions the home has not recorded it can meet (liberty.go)

	// The law's rules on kinds of care, registration and approval (law.go).
	ConstraintSupportedUnder16  Constraint = "supported_under_16" // supported accommodation for a child under 16
	ConstraintHomeOver17        Constraint = "childrens_home_18"  // a children's home for a young person of 18 or over
	ConstraintUnregistered      Constraint = "unregistered"       // a home or supported accommodation not registered with Ofsted
	ConstraintFosteringLimit    Constraint = "fostering_limit"    // more than three foster children, not all brothers and sisters
	ConstraintApprovalDates     Constraint = "approval_dates"     // the foster carers' approval not in date on the day of the move
	ConstraintTemporaryApproval Constraint = "temporary_approval" // a connected person's temporary approval lapsed by the day of the move
)

// Constraint indexes, in the order of Constraints.
const (
	cInactive = iota
	cVacancy
	cCareType
	cKinshipConnection
	cOfstedInadequate
	cAge
	cSex
	cPurpose
	cSiblingGroup
	cPlaces
	cWheelchair
	cSmoking
	cPets
	cAllergies
	cCompanions
	cHouseholdSafety
	cMaxDistance
	cExclusionZone
	cOwnCarers
	cDeprivationOfLiberty
	cSupportedUnder16
	cHomeOver17
	cUnregistered
	cFosteringLimit
	cApprovalDates
	cTemporaryApproval
	nConstraints
)

// NConstraints is the number of hard constraints: len(Constraints).
const NConstraints = nConstraints

// Constraints lists every constraint in the order Check tests them: cheap and telling first
// (closed, no vacancy, wrong kind of care), geometry last. A placement is counted under the first
// constraint it breaks.
var Constraints = []Constraint{
	ConstraintInactive, ConstraintVacancy, ConstraintCareType, ConstraintKinshipConnection,
	ConstraintOfstedInadequate, ConstraintAge, ConstraintSex, ConstraintPurpose, ConstraintSiblingGroup,
	ConstraintPlaces, ConstraintWheelchair, ConstraintSmoking, ConstraintPets, ConstraintAllergies,
	ConstraintCompanions, ConstraintHouseholdSafety, ConstraintMaxDistance, ConstraintExclusionZone,
	ConstraintOwnCarers,
	ConstraintDeprivationOfLiberty,
	ConstraintSupportedUnder16, ConstraintHomeOver17, ConstraintUnregistered, ConstraintFosteringLimit,
	ConstraintApprovalDates, ConstraintTemporaryApproval,
}

// Valid reports whether c is a known constraint.
func (c Constraint) Valid() bool {
	for _, k := range Constraints {
		if k == c {
			return true
		}
	}
	return false
}

// Rejection says which hard constraint a placement breaks. The zero Rejection means the
// placement passes every hard constraint. Its plain-words Reason is built only when asked for,
// so that rejecting costs no allocation.
type Rejection struct {
	Constraint Constraint

	idx  int // Constraint's index in Constraints
	p    *Prepared
	who  int     // which child to be placed the rule is about (index into p.members)
	n, m int     // figures the reason quotes
	km   float64 // a distance the reason quotes
	what string  // a fixed word the reason quotes (never built on the hot path)
}

// Rejected reports whether the placement breaks a hard constraint.
func (r Rejection) Rejected() bool { return r.Constraint != "" }

// Index is the constraint's position in Constraints (0 when nothing was rejected).
func (r Rejection) Index() int { return r.idx }

// Reason says in plain words why the placement was rejected, e.g. "Approved for ages 0 to 10;
// Amy is 13." It is empty when nothing was rejected.
func (r Rejection) Reason() string {
	if r.Constraint == "" || r.p == nil {
		return ""
	}
	p := r.p
	c := p.members[r.who].c
	nm := name(c)
	switch r.Constraint {
	case ConstraintInactive:
		return "The home is closed or suspended, so it cannot take children."
	case ConstraintVacancy:
		if r.n == 0 {
			return fmt.Sprintf("No place is free by %s.", dateWords(p.day))
		}
		return fmt.Sprintf("Only %s free by %s; %s need %s.", plural(r.n, "place is", "places are"),
			dateWords(p.day), p.groupWords(), number(r.m))
	case ConstraintCareType:
		return fmt.Sprintf("This is %s; %s is assessed as needing %s.", catalogue.PlacementKind(r.what).Words().Officer, nm, careWords(c.CareType))
	case ConstraintKinshipConnection:
		return fmt.Sprintf("The kinship carers here are assessed for other children, not for %s.", nm)
	case ConstraintOfstedInadequate:
		if r.what == string(catalogue.OutcomeSerious) {
			return "Ofsted found serious or widespread weaknesses at its provider, its lowest outcome for supported accommodation, so it is never offered."
		}
		return "Rated inadequate by Ofsted, so it is never offered."
	case ConstraintAge:
		return fmt.Sprintf("Approved for ages %d to %d; %s is %d.", r.n, r.m, nm, p.members[r.who].age)
	case ConstraintSex:
		return fmt.Sprintf("Approved for %s only; %s is a %s.", sexWords(catalogue.Sex(r.what), true), nm, sexWords(c.Sex, false))
	case ConstraintPurpose:
		return fmt.Sprintf("Not approved for %s, which %s needs.", purposeWords(c.Purpose), nm)
	case ConstraintSiblingGroup:
		return fmt.Sprintf("Not approved to take brothers and sisters together; %s need to live together.", p.groupWords())
	case ConstraintPlaces:
		need := " need "
		if p.places == 1 {
			need = " needs "
		}
		return fmt.Sprintf("Approved for %s and %s already here; %s%s%s.", plural(r.n, "child", "children"),
			plural(r.m, "child is", "children are"), p.groupWords(), need, plural(p.places, "place", "places"))
	case ConstraintWheelchair:
		return fmt.Sprintf("%s uses a wheelchair and the home has no step-free access.", nm)
	case ConstraintSmoking:
		if r.what == "respiratory" {
			return fmt.Sprintf("Someone smokes in this home and %s has a respiratory condition.", nm)
		}
		return fmt.Sprintf("Someone smokes in this home and %s is under 5.", nm)
	case ConstraintPets:
		if r.what == "" {
			return fmt.Sprintf("%s needs a home with a pet and there is none here.", nm)
		}
		one := catalogue.Animal(r.what).Words().Officer
		return fmt.Sprintf("%s cannot live with animals and there is %s here.", nm, one)
	case ConstraintAllergies:
		one, kind := catalogue.Animal(r.what).Words().Officer, catalogue.Animal(r.what).Kind()
		return fmt.Sprintf("%s is allergic to %s and there is %s here.", nm, kind, one)
	case ConstraintCompanions:
		if strings.HasPrefix(r.what, "occupant") {
			return p.occupantWords(r)
		}
		switch c.Companions {
		case catalogue.CompanionsSolo:
			return fmt.Sprintf("%s needs to be the only child in the home; %s here.", nm, plural(r.n, "other child lives", "other children live"))
		case catalogue.CompanionsOnlyOlder:
			return fmt.Sprintf("%s should live only with older children; a %d-year-old lives here.", nm, r.m)
		}
		return fmt.Sprintf("%s should live only with younger children; a %d-year-old lives here.", nm, r.m)
	case ConstraintHouseholdSafety:
		switch r.what {
		case "occupant_younger", "occupant_fire":
			return p.occupantWords(r)
		case "younger":
			return fmt.Sprintf("%s risk assessment rules out living with younger children; a %d-year-old lives here.", possessive(nm), r.m)
		case "animals":
			return fmt.Sprintf("%s risk assessment rules out living with animals, and there are pets here.", possessive(nm))
		case "fire_young":
			return fmt.Sprintf("%s fire-setting risk rules out a home with children under 5; a %d-year-old lives here.", possessive(nm), r.m)
		}
		return fmt.Sprintf("%s fire-setting risk rules out a home where someone smokes, with lighters and matches to hand.", possessive(nm))
	case ConstraintMaxDistance:
		return fmt.Sprintf("%s from %s home as the crow flies, beyond the limit of %s; only a senior decision can widen the search.",
			capital(miles(r.km)), possessive(nm), roundMiles(p.pol.MaxDistanceKm))
	case ConstraintExclusionZone:
		if r.km <= 0 {
			return fmt.Sprintf("Inside an area %s must not live in or near (exclusion zone %d).", nm, r.n+1)
		}
		return fmt.Sprintf("%s from an area %s must not live in or near (exclusion zone %d); homes within %s of it are ruled out.",
			capital(miles(r.km)), nm, r.n+1, miles(p.pol.ZoneBufferKm))
	case ConstraintOwnCarers:
		return ownCarersWords(catalogue.CouncilCode(r.what), c.Council)
	case ConstraintDeprivationOfLiberty:
		return libertyReason(nm)
	}
	if reason := p.lawWords(r); reason != "" {
		return reason
	}
	return string(r.Constraint)
}

func sexWords(s catalogue.Sex, many bool) string {
	switch {
	case s == catalogue.Female && many:
		return "girls"
	case s == catalogue.Female:
		return "girl"
	case s == catalogue.Male && many:
		return "boys"
	case s == catalogue.Male:
		return "boy"
	}
	return "children"
}

// groupWords names who is to be placed: "Amy", or "Amy and her brothers and sisters".
func (p *Prepared) groupWords() string {
	c := p.members[0].c
	if len(p.members) == 1 {
		return name(c)
	}
	return name(c) + " and " + pronounsOf(c.Sex).poss + " " + siblingWords(p.members[1:])
}

// siblingWords names brothers and sisters by their sexes: "brother", "sisters", "brothers and
// sisters".
func siblingWords(ms []member) string {
	boys, girls := 0, 0
	for _, m := range ms {
		if m.c.Sex == catalogue.Male {
			boys++
		} else if m.c.Sex == catalogue.Female {
			girls++
		}
	}
	switch {
	case boys == 1 && girls == 0:
		return "brother"
	case girls == 1 && boys == 0:
		return "sister"
	case girls == 0 && boys == len(ms):
		return "brothers"
	case boys == 0 && girls == len(ms):
		return "sisters"
	}
	return "brothers and sisters"
}

// Check tests the placement against every hard constraint, in the order of Constraints, and
// returns the first it breaks, or the zero Rejection. It does not allocate.
func (p *Prepared) Check(pl *catalogue.Placement) (r Rejection) {
	var pt s2.Point
	var located bool
	for i := range nConstraints {
		if p.fails(i, pl, &pt, &located, &r) {
			r.idx = i
			return r
		}
	}
	return Rejection{}
}

// CheckAll returns every hard constraint the placement breaks, in the order of Constraints: for
// telling an officer everything that rules a home out, not only the first thing.
func (p *Prepared) CheckAll(pl *catalogue.Placement) []Rejection {
	var pt s2.Point
	var located bool
	var out []Rejection
	for i := range nConstraints {
		var r Rejection
		if p.fails(i, pl, &pt, &located, &r) {
			r.idx = i
			out = append(out, r)
		}
	}
	return out
}

// CheckHousehold tests only the rules about who lives together (ConstraintCompanions and
// ConstraintHouseholdSafety), against the household and the children its places are held for
// or filled by: what may have changed since a placement passed Check, as other children were
// placed there or offered it. It returns the first broken, as Check would report it.
func (p *Prepared) CheckHousehold(pl *catalogue.Placement) Rejection {
	var pt s2.Point
	var located bool
	for _, i := range []int{cCompanions, cHouseholdSafety} {
		var r Rejection
		if p.fails(i, pl, &pt, &located, &r) {
			r.idx = i
			return r
		}
	}
	return Rejection{}
}

// householdChild reports whether a household member counts as a child living in the home.
func householdChild(m *catalogue.Member) bool {
	return m.Role != catalogue.MemberAdult && m.Age < 18
}

// occupantWords says why a child already living in the home rules the newcomer out, without
// saying what about them does: the child there may be another council's, and their plan and
// risks are theirs (an officer who needs more asks the provider).
func (p *Prepared) occupantWords(r Rejection) string {
	return fmt.Sprintf("The plan for a child already living here rules out living with %s, who is %d.", name(p.members[r.who].c), p.members[r.who].age)
}

// occupant returns the child a place is held for or filled by, and their age on the day of the
// move, when the household rules must count them: not a free place, not one of the children to
// be placed (a child searching again while a place is held for them), not an adult staying on.
func (p *Prepared) occupant(v *catalogue.Vacancy) (*catalogue.Occupant, int) {
	if v.Occupant == nil || v.Status == catalogue.VacancyAvailable {
		return nil, 0
	}
	for i := range p.members {
		if p.members[i].c.ID == v.Child {
			return nil, 0
		}
	}
	age := v.Occupant.AgeOn(p.day)
	if age >= 18 {
		return nil, 0
	}
	return v.Occupant, age
}

// fails tests constraint number i (an index into Constraints) and, when the placement breaks
// it, fills r and reports true. pt is the placement's S2 point, computed once when first needed.
func (p *Prepared) fails(i int, pl *catalogue.Placement, pt *s2.Point, located *bool, r *Rejection) bool {
	rej := func(c Constraint, who int) bool {
		*r = Rejection{Constraint: c, p: p, who: who}
		return true
	}
	a := &pl.Approval
	h := &pl.Household
	switch i {
	case cInactive:
		if !pl.Active {
			return rej(ConstraintInactive, 0)
		}
	case cVacancy:
		if n := openVacancies(pl, p.day); n < p.places {
			rej(ConstraintVacancy, 0)
			r.n, r.m = n, p.places
			return true
		}
	case cCareType:
		for k, m := range p.members {
			if !m.c.CareType.Accepts(pl.Kind) {
				rej(ConstraintCareType, k)
				r.what = string(pl.Kind)
				return true
			}
		}
	case cKinshipConnection:
		if pl.Kind == catalogue.Kinship {
			for k, m := range p.members {
				if !containsID(pl.ConnectedTo, m.c.ID) {
					return rej(ConstraintKinshipConnection, k)
				}
			}
		}
	case cOfstedInadequate:
		// A home rated inadequate is never offered, unless the director overrode the rating for
		// this child with a written reason (catalogue.SignOffInadequate). Supported
		// accommodation is judged on Ofsted's three outcomes (SCCIF: supported accommodation,
		// 2024): its lowest, serious or widespread weaknesses, counts as inadequate here.
		if pl.RatedInadequate() && !slices.Contains(p.req.InadequateAllowed, pl.ID) {
			rej(ConstraintOfstedInadequate, 0)
			r.what = string(pl.SupportedOutcome)
			return true
		}
	case cAge:
		for k, m := range p.members {
			if m.age < a.MinAge || m.age > a.MaxAge {
				rej(ConstraintAge, k)
				r.n, r.m = a.MinAge, a.MaxAge
				return true
			}
		}
	case cSex:
		if len(a.Sexes) > 0 {
			for k, m := range p.members {
				if !containsSex(a.Sexes, m.c.Sex) {
					rej(ConstraintSex, k)
					r.what = string(a.Sexes[0])
					return true
				}
			}
		}
	case cPurpose:
		for k, m := range p.members {
			if !containsPurpose(a.Purposes, m.c.Purpose) {
				return rej(ConstraintPurpose, k)
			}
		}
	case cSiblingGroup:
		if p.places > 1 && !a.SiblingGroups {
			return rej(ConstraintSiblingGroup, 0)
		}
	case cPlaces:
		placed := 0
		for j := range h.Members {
			if h.Members[j].Role == catalogue.MemberPlacedChild {
				placed++
			}
		}
		if placed+p.places > a.MaxChildren {
			rej(ConstraintPlaces, 0)
			r.n, r.m = a.MaxChildren, placed
			return true
		}
	case cWheelchair:
		if p.wheels && !h.WheelchairAccessible {
			for k, m := range p.members {
				if m.c.Wheelchair {
					return rej(ConstraintWheelchair, k)
				}
			}
		}
	case cSmoking:
		if h.Smoking && (p.under5 || p.breathes) {
			for k, m := range p.members {
				if m.age < 5 {
					return rej(ConstraintSmoking, k)
				}
				if m.c.Respiratory {
					rej(ConstraintSmoking, k)
					r.what = "respiratory"
					return true
				}
			}
		}
	case cPets:
		for k, m := range p.members {
			switch {
			case m.c.Pets == catalogue.PetsMust && len(h.Pets) == 0:
				return rej(ConstraintPets, k)
			case m.c.Pets == catalogue.PetsCannot && len(h.Pets) > 0:
				rej(ConstraintPets, k)
				r.what = string(h.Pets[0])
				return true
			}
		}
	case cAllergies:
		for k, m := range p.members {
			for _, al := range m.c.Allergies {
				for _, pet := range h.Pets {
					if pet == al {
						rej(ConstraintAllergies, k)
						r.what = string(pet)
						return true
					}
				}
			}
		}
	case cCompanions:
		for k, m := range p.members {
			n, clash := 0, -1
			other := func(age int) {
				n++
				switch m.c.Companions {
				case catalogue.CompanionsOnlyOlder:
					if age <= m.age && clash < 0 {
						clash = age
					}
				case catalogue.CompanionsOnlyYounger:
					if age >= m.age && clash < 0 {
						clash = age
					}
				}
			}
			for j := range h.Members {
				if hm := &h.Members[j]; householdChild(hm) {
					other(hm.Age)
				}
			}
			for j := range pl.Vacancies {
				if o, age := p.occupant(&pl.Vacancies[j]); o != nil {
					other(age)
					// The rule of the child already there holds as much as the newcomer's.
					what := ""
					switch {
					case o.Companions == catalogue.CompanionsSolo:
						what = "occupant_solo"
					case o.Companions == catalogue.CompanionsOnlyOlder && m.age <= age:
						what = "occupant_older"
					case o.Companions == catalogue.CompanionsOnlyYounger && m.age >= age:
						what = "occupant_younger"
					}
					if what != "" {
						rej(ConstraintCompanions, k)
						r.what, r.m = what, age
						return true
					}
				}
			}
			if (m.c.Companions == catalogue.CompanionsSolo && n > 0) || clash >= 0 {
				rej(ConstraintCompanions, k)
				r.n, r.m = n, clash
				return true
			}
		}
	case cHouseholdSafety:
		for k, m := range p.members {
			if p.safety(k, m, pl, r) {
				return true
			}
		}
	case cMaxDistance:
		if p.hasHome {
			p.locate(pl, pt, located)
			if d := s2.ChordAngleBetweenPoints(p.home, *pt); d > p.maxDist {
				rej(ConstraintMaxDistance, 0)
				r.km = distKm(p.home, *pt)
				return true
			}
		}
	case cOwnCarers:
		if owner, ok := p.notShared(pl); ok {
			rej(ConstraintOwnCarers, 0)
			r.what = string(owner)
			return true
		}
	case cExclusionZone:
		if len(p.zones) > 0 {
			p.locate(pl, pt, located)
			for j := range p.zones {
				z := &p.zones[j]
				if z.hit(*pt) {
					rej(ConstraintExclusionZone, z.member)
					r.n = z.index
					r.km = z.distanceKm(*pt)
					return true
				}
			}
		}
	case cDeprivationOfLiberty:
		if k := p.liberty(pl); k >= 0 {
			return rej(ConstraintDeprivationOfLiberty, k)
		}
	default:
		return p.failsLaw(i, pl, r)
	}
	return false
}

// safety applies the household-safety rules to one child to be placed:
//   - a child who may harm younger children, or who poses a sexual risk, never lives with a
//     younger child (a child of the household younger than them);
//   - a child who may harm animals never lives with pets;
//   - fire setting (our judgement, pending the placing council's own risk assessment): never in a
//     home with children under 5, who cannot get themselves out of a fire, nor in a home where
//     someone smokes, where lighters and matches are to hand.
//
// Brothers and sisters moving together are not tested against each other: their assessed plan
// to live together already weighed that.
//
// The same rules hold for the children the home's places are held for or filled by
// (catalogue.Occupant), both ways: a newcomer with a risk to younger children is not placed
// with a younger child already there, and a newcomer younger than a child already there with
// that risk is not placed with them (nor a child under 5 with a child there who sets fires).
func (p *Prepared) safety(k int, m member, pl *catalogue.Placement, r *Rejection) bool {
	h := &pl.Household
	younger := m.c.HasRisk(catalogue.RiskYounger) || m.c.HasRisk(catalogue.RiskSexual)
	for j := range pl.Vacancies {
		o, age := p.occupant(&pl.Vacancies[j])
		if o == nil {
			continue
		}
		switch {
		case (o.HasRisk(catalogue.RiskYounger) || o.HasRisk(catalogue.RiskSexual)) && m.age < age:
			*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "occupant_younger", m: age}
			return true
		case o.HasRisk(catalogue.RiskFire) && m.age < 5:
			*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "occupant_fire", m: age}
			return true
		case younger && age < m.age:
			*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "younger", m: age}
			return true
		case m.c.HasRisk(catalogue.RiskFire) && age < 5:
			*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "fire_young", m: age}
			return true
		}
	}
	fire := m.c.HasRisk(catalogue.RiskFire)
	if m.c.HasRisk(catalogue.RiskAnimals) && len(h.Pets) > 0 {
		*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "animals"}
		return true
	}
	if fire && h.Smoking {
		*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "fire_smoking"}
		return true
	}
	if !younger && !fire {
		return false
	}
	for j := range h.Members {
		hm := &h.Members[j]
		if !householdChild(hm) {
			continue
		}
		if younger && hm.Age < m.age {
			*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "younger", m: hm.Age}
			return true
		}
		if fire && hm.Age < 5 {
			*r = Rejection{Constraint: ConstraintHouseholdSafety, p: p, who: k, what: "fire_young", m: hm.Age}
			return true
		}
	}
	return false
}

func (p *Prepared) locate(pl *catalogue.Placement, pt *s2.Point, located *bool) {
	if !*located {
		*pt = Point(pl.Location)
		*located = true
	}
}

// openVacancies counts the places available by day, by the rule of
// catalogue.Placement.OpenVacancies, without copying the placement.
func openVacancies(pl *catalogue.Placement, day time.Time) int {
	n := 0
	for i := range pl.Vacancies {
		v := &pl.Vacancies[i]
		if v.Status == catalogue.VacancyAvailable && !v.AvailableFrom.After(day) {
			n++
		}
	}
	return n
}

func containsID(ids []catalogue.ChildID, id catalogue.ChildID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func containsSex(ss []catalogue.Sex, s catalogue.Sex) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func containsPurpose(ps []catalogue.Purpose, q catalogue.Purpose) bool {
	for _, x := range ps {
		if x == q {
			return true
		}
	}
	return false
}
