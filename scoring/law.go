package scoring

import (
	"fmt"

	"github.com/placematch/placematch/catalogue"
)

// The law's hard constraints (DESIGN.md section 4): a kind of care the law forbids at the
// child's age, a home the regulator has not registered, more foster children than the usual
// limit, carers whose approval is not in date. Each is a constraint, never a weight: a placement
// that breaks one is never offered, in options, runs, offers or the sufficiency report alike,
// and each rejection is counted under its name. The facts and their figures are catalogue's
// (catalogue/law.go).

// failsLaw tests the law's constraint number i, as fails does.
func (p *Prepared) failsLaw(i int, pl *catalogue.Placement, r *Rejection) bool {
	rej := func(c Constraint, who int) bool {
		*r = Rejection{Constraint: c, p: p, who: who}
		return true
	}
	switch i {
	case cSupportedUnder16:
		// Supported accommodation is never for a child under 16: the Care Planning, Placement
		// and Case Review (England) Regulations 2010 regulation 27A (inserted by SI 2021/161, in
		// force 9 September 2021). It is for young people of 16 and 17 and care leavers, whom
		// the catalogue knows by their age (18 and over, up to catalogue.MaxChildAge).
		if pl.Kind == catalogue.SupportedAccommodation {
			for k, m := range p.members {
				if m.age < catalogue.SupportedMinAge {
					return rej(ConstraintSupportedUnder16, k)
				}
			}
		}
	case cHomeOver17:
		// A children's home cares for children, under 18 (Care Standards Act 2000 s1(2) and
		// (6); Children's Homes (England) Regulations 2015).
		if pl.Kind == catalogue.ChildrensHome {
			for k, m := range p.members {
				if m.age > catalogue.ChildrensHomeMaxAge {
					return rej(ConstraintHomeOver17, k)
				}
			}
		}
	case cUnregistered:
		// A children's home must be registered (Care Standards Act 2000 s11), and so must a
		// provider of supported accommodation from 28 October 2023 (Supported Accommodation
		// (England) Regulations 2023): registered under a URN, not suspended or cancelled.
		if !pl.IsRegistered() {
			rej(ConstraintUnregistered, 0)
			r.what = string(pl.Registration)
			return true
		}
	case cFosteringLimit:
		// The usual fostering limit: no more than three foster children in a household unless
		// they are all brothers and sisters or the council has exempted the carers (Children
		// Act 1989 Schedule 7 paragraphs 2 to 4).
		if others, ok := p.withinFosteringLimit(pl); !ok {
			rej(ConstraintFosteringLimit, 0)
			r.n = others
			return true
		}
	case cApprovalDates:
		// Foster carers are approved (Fostering Services (England) Regulations 2011 regulation
		// 27) and their approval reviewed at least once a year (regulation 28): in date on the
		// day of the move. A connected person on a temporary approval is tested below.
		if pl.Kind.IsFamily() && !pl.Approval.InDate(p.day) && (pl.Kind != catalogue.Kinship || pl.TemporaryApproval == nil) {
			return rej(ConstraintApprovalDates, 0)
		}
	case cTemporaryApproval:
		// A connected person's temporary approval lasts 16 weeks (the Care Planning, Placement
		// and Case Review (England) Regulations 2010 regulation 24), extendable once by 8
		// (regulation 25): it must hold on the day of the move, unless a full approval does.
		if t := pl.TemporaryApproval; pl.Kind == catalogue.Kinship && t != nil && !pl.Approval.InDate(p.day) && !t.InDate(p.day) {
			return rej(ConstraintTemporaryApproval, 0)
		}
	}
	return false
}

// withinFosteringLimit reports whether placing the children in a family home keeps it within
// the usual fostering limit, and how many foster children live there already: the placed
// children of the household under 18, and those its places are held for or filled by (other
// than the children to be placed). Beyond three it holds only with the council's exemption, or
// when every child is a brother or sister of the others: the service knows that when no other
// foster child lives there (the children placed together are one sibling group), or, in a
// kinship home, when every child there could be one the carers are assessed for (the connected
// children of a kinship home are one family's).
func (p *Prepared) withinFosteringLimit(pl *catalogue.Placement) (int, bool) {
	if !pl.Kind.IsFamily() {
		return 0, true
	}
	others := 0
	for j := range pl.Household.Members {
		if m := &pl.Household.Members[j]; m.Role == catalogue.MemberPlacedChild && m.Age < 18 {
			others++
		}
	}
	for j := range pl.Vacancies {
		v := &pl.Vacancies[j]
		if v.Status != catalogue.VacancyHeld && v.Status != catalogue.VacancyFilled {
			continue
		}
		mine := false
		for k := range p.members {
			mine = mine || p.members[k].c.ID == v.Child
		}
		if !mine && (v.Occupant == nil || v.Occupant.AgeOn(p.day) < 18) {
			others++
		}
	}
	total := others + p.places
	switch {
	case total <= catalogue.UsualFosteringLimit, pl.Approval.Exemption != "", others == 0:
		return others, true
	case pl.Kind == catalogue.Kinship && total <= len(pl.ConnectedTo):
		return others, true
	}
	return others, false
}

// lawWords says why the law's constraint rules the placement out; "" for other constraints.
func (p *Prepared) lawWords(r Rejection) string {
	m := p.members[r.who]
	nm := name(m.c)
	switch r.Constraint {
	case ConstraintSupportedUnder16:
		return fmt.Sprintf("Supported accommodation is for young people of 16 and over; %s is %d, and the law forbids it under 16.", nm, m.age)
	case ConstraintHomeOver17:
		return fmt.Sprintf("A children's home is for children under 18; %s is %d.", nm, m.age)
	case ConstraintUnregistered:
		switch catalogue.Registration(r.what) {
		case catalogue.RegistrationSuspended:
			return "Ofsted has suspended its registration, so it is never offered."
		case catalogue.RegistrationCancelled:
			return "Ofsted has cancelled its registration, so it is never offered."
		case catalogue.Registered:
			return "No Ofsted registration number (URN) is recorded, so it is never offered."
		}
		return "Not registered with Ofsted, so it is never offered."
	case ConstraintFosteringLimit:
		return fmt.Sprintf("Foster carers may look after at most three children unless all are brothers and sisters or the council grants an exemption; %s here already and %s would make %s.",
			plural(r.n, "foster child lives", "foster children live"), p.groupWords(), number(r.n+p.places))
	case ConstraintApprovalDates:
		return fmt.Sprintf("The carers' approval is not in date on %s: it needs its review, or approval, first.", dateWords(p.day))
	case ConstraintTemporaryApproval:
		return fmt.Sprintf("The carers' temporary approval as connected persons is not in force on %s.", dateWords(p.day))
	}
	return ""
}
