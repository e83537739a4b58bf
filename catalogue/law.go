package catalogue

import (
	"fmt"
	"time"
)

// The law's facts about a home: who may be placed there at what age, whether the regulator has
// registered it, how many children a foster household may take, and whether the carers'
// approval is in date. scoring turns each into a hard constraint; this file keeps the facts,
// their validation and the figures the law sets.

// Registration is a children's home's, or a supported accommodation provider's, standing with
// Ofsted. Carrying on a children's home without registration is an offence (Care Standards Act
// 2000 s11); since 28 October 2023 a provider of supported accommodation for looked-after
// children and care leavers of 16 and 17 must be registered too (Supported Accommodation
// (England) Regulations 2023, SI 2023/416). Ofsted registers the supported accommodation
// provider, not each setting: a setting's Registration is its provider's. A setting that is not
// registered is never offered to a child; an import accepts and flags one a child already lives
// in, so the council can act.
type Registration string

const (
	RegistrationNone      Registration = "none"       // never registered, or not known to be
	Registered            Registration = "registered" // registered, with a URN
	RegistrationSuspended Registration = "suspended"  // Ofsted has suspended the registration
	RegistrationCancelled Registration = "cancelled"  // Ofsted has cancelled the registration
)

// Registrations lists every Registration.
var Registrations = []Registration{RegistrationNone, Registered, RegistrationSuspended, RegistrationCancelled}

// Valid reports whether r is a known value.
func (r Registration) Valid() bool { return oneOf(r, Registrations) }

// MustRegister reports whether a home of kind k must be registered with Ofsted to be offered:
// children's homes and supported accommodation.
func (k PlacementKind) MustRegister() bool { return k == ChildrensHome || k == SupportedAccommodation }

// IsRegistered reports whether the placement may lawfully take a child as far as registration
// goes: a kind that must register is registered, under a URN; other kinds need no registration
// of their own.
func (pl *Placement) IsRegistered() bool {
	return !pl.Kind.MustRegister() || (pl.Registration == Registered && pl.URN != "")
}

// The ages the law sets for kinds of care.
const (
	// SupportedMinAge: supported accommodation is for young people of 16 and 17 (and care
	// leavers over 18); placing a child under 16 there has been unlawful since 9 September 2021
	// (Care Planning, Placement and Case Review (England) Regulations 2010 regulation 27A,
	// inserted by the Care Planning, Placement and Case Review (England) (Amendment)
	// Regulations 2021, SI 2021/161).
	SupportedMinAge = 16
	// ChildrensHomeMaxAge: a children's home cares for children, under 18 (Care Standards Act
	// 2000 s1(2) and (6); Children's Homes (England) Regulations 2015). A care leaver of 18 or
	// over is never placed in one; supported accommodation or Staying Put is theirs.
	ChildrensHomeMaxAge = 17
	// UsualFosteringLimit: a person may not foster more than three children at once, unless
	// they are all brothers and sisters or the local authority has exempted the carer (Children
	// Act 1989 Schedule 7 paragraphs 2 to 4). Kinship (connected person) carers are local
	// authority foster parents, so the limit is theirs too.
	UsualFosteringLimit = 3
)

// TemporaryApproval is a connected person's temporary approval as a foster parent for a named
// child, before their full assessment: for up to 16 weeks (Care Planning, Placement and Case
// Review (England) Regulations 2010 regulation 24), which the council may extend once by up to
// 8 weeks when the assessment is not yet done (regulation 25). It lapses at Deadline; from
// TemporaryWarning before it, the officer's view of the home warns.
type TemporaryApproval struct {
	From     time.Time // the date the council approved the carers temporarily
	Extended bool      // the council extended it by 8 weeks under regulation 25
}

// The periods of regulations 24 and 25, and how long before a temporary approval lapses the
// officer is warned: four weeks leaves time to finish the assessment, or to extend.
const (
	TemporaryWeeks   = 16
	ExtensionWeeks   = 8
	TemporaryWarning = 28 * 24 * time.Hour
)

// Deadline is the day the temporary approval lapses: 16 weeks after From, or 24 when extended.
// It holds on every day before Deadline.
func (t TemporaryApproval) Deadline() time.Time {
	weeks := TemporaryWeeks
	if t.Extended {
		weeks += ExtensionWeeks
	}
	return Day(t.From).AddDate(0, 0, 7*weeks)
}

// InDate reports whether the temporary approval holds on day.
func (t TemporaryApproval) InDate(day time.Time) bool {
	day = Day(day)
	return !t.From.IsZero() && !day.Before(Day(t.From)) && day.Before(t.Deadline())
}

// Lapsing reports whether the temporary approval holds on day but lapses within
// TemporaryWarning of it: the officer is warned.
func (t TemporaryApproval) Lapsing(day time.Time) bool {
	return t.InDate(day) && t.Deadline().Sub(Day(day)) <= TemporaryWarning
}

// ApprovalInDate reports whether a family home's full approval as foster carers holds on day:
// approved on or before it (Fostering Services (England) Regulations 2011 regulation 27), and
// reviewed since within the year (regulation 28: a review at least once a year; Until is the
// date the next review falls due). Other kinds have no such approval.
func (a Approval) InDate(day time.Time) bool {
	day = Day(day)
	return !a.From.IsZero() && !a.Until.IsZero() && !day.Before(Day(a.From)) && !day.After(Day(a.Until))
}

// ApprovedOn reports whether the family home's carers are approved on day: foster carers by
// their approval; kinship (connected person) carers by their full approval or their temporary
// approval. Children's homes and supported accommodation answer true: their standing is their
// registration (IsRegistered).
func (pl *Placement) ApprovedOn(day time.Time) bool {
	switch {
	case !pl.Kind.IsFamily():
		return true
	case pl.Approval.InDate(day):
		return true
	}
	return pl.Kind == Kinship && pl.TemporaryApproval != nil && pl.TemporaryApproval.InDate(day)
}

// validateLaw reports the placement's fields that break the law's terms: registration only
// for the kinds that need it, with a URN when registered; approval dates for family homes (a
// kinship home may have a temporary approval instead); ages a kind of care may take; the usual
// fostering limit.
func (pl Placement) validateLaw(p problems) {
	if !pl.Kind.Valid() {
		return // the kind is at fault, named already
	}
	a := pl.Approval
	ap := p.under("approval")
	switch {
	case pl.Kind.MustRegister() && !pl.Registration.Valid():
		p.add("registration", "must be one of %v for a %s", Registrations, pl.Kind)
	case pl.Kind.MustRegister() && pl.Registration == Registered && pl.URN == "":
		p.add("urn", "is required when the home is registered: Ofsted's unique reference number")
	case !pl.Kind.MustRegister() && pl.Registration != "":
		p.add("registration", "must be empty unless the placement is a children's home or supported accommodation")
	}
	switch pl.Kind {
	case ChildrensHome:
		if a.MaxAge > ChildrensHomeMaxAge {
			ap.add("max_age", "must be at most %d: a children's home is for children under 18", ChildrensHomeMaxAge)
		}
	case SupportedAccommodation:
		if a.MinAge < SupportedMinAge {
			ap.add("min_age", "must be at least %d: supported accommodation is unlawful for a child under 16", SupportedMinAge)
		}
	}
	if pl.Kind.IsFamily() {
		temporary := pl.Kind == Kinship && pl.TemporaryApproval != nil
		if !temporary || !a.From.IsZero() || !a.Until.IsZero() {
			checkDate(ap, "from", a.From)
			checkDate(ap, "until", a.Until)
		}
		if !a.From.IsZero() && !a.Until.IsZero() && !a.Until.After(a.From) {
			ap.add("until", "must be after approval.from")
		}
		if a.MaxChildren > UsualFosteringLimit && a.Exemption == "" && !a.SiblingGroups {
			ap.add("exemption", "is required to approve a foster household for more than %d children, unless they are to be brothers and sisters (Children Act 1989 Schedule 7)", UsualFosteringLimit)
		}
	} else {
		if !a.From.IsZero() || !a.Until.IsZero() {
			ap.add("from", "must be empty unless the placement is a family home: a home's standing is its registration")
		}
		if a.Exemption != "" {
			ap.add("exemption", "must be empty unless the placement is a family home")
		}
	}
	checkText(ap, "exemption", a.Exemption, maxOtherFields)
	if t := pl.TemporaryApproval; t != nil {
		if pl.Kind != Kinship {
			p.add("temporary_approval", "must be empty unless the placement is kinship: it is a connected person's (regulation 24)")
		}
		checkDate(p.under("temporary_approval"), "from", t.From)
	}
}

// LawFlags lists what an import accepts but must not pass over in silence: each setting of the
// batch that must be registered with Ofsted and is not (none, suspended or cancelled, or no
// URN). It is stored, and never offered; where a child already lives there (a place held or
// filled), the council must act now, and the flag says so. Fields name the placement as an
// import's problems do (placements[i].registration).
func LawFlags(placements []Placement) []FieldError {
	var flags []FieldError
	for i := range placements {
		p := &placements[i]
		if p.IsRegistered() {
			continue
		}
		living := p.Living()
		msg := "not registered with Ofsted: stored, and never offered"
		if living > 0 {
			msg = fmt.Sprintf("not registered with Ofsted, and %d children in care live here: the council must act (Care Standards Act 2000 s11); it is never offered", living)
		}
		flags = append(flags, FieldError{Field: fmt.Sprintf("placements[%d].registration", i), Message: msg})
	}
	return flags
}

// Living counts the children in care who live in the home, or are about to: its places held or
// filled, and the placed children of its household (who may have no record here).
func (pl *Placement) Living() int {
	n := 0
	for _, v := range pl.Vacancies {
		if v.Status == VacancyHeld || v.Status == VacancyFilled {
			n++
		}
	}
	for _, m := range pl.Household.Members {
		if m.Role == MemberPlacedChild {
			n++
		}
	}
	return n
}

// Undated reports whether a family home has neither full approval dates nor a temporary
// approval: foster homes stored before migration 00016 are so, and are never offered
// (scoring's approval_dates) until their keeper records the dates (docs/operations.md).
func (pl *Placement) Undated() bool {
	return pl.Kind.IsFamily() && pl.Approval.From.IsZero() && pl.Approval.Until.IsZero() && pl.TemporaryApproval == nil
}

// TemporaryLapse is where a connected person's temporary approval stands on a day, for the
// officer's watch (regulations 24 and 25).
type TemporaryLapse int

const (
	TemporaryNotWatched TemporaryLapse = iota // no temporary approval, a full approval in date, or lapsing later
	TemporaryLapsing                          // in date, and lapses within the window asked
	TemporaryLapsed                           // lapsed, with no full approval in date
)

// TemporaryWithin says where the home's temporary approval stands on day when the officer asks
// for those lapsing within window: a kinship home whose full approval holds is not watched.
func (pl *Placement) TemporaryWithin(day time.Time, window time.Duration) TemporaryLapse {
	t := pl.TemporaryApproval
	if pl.Kind != Kinship || t == nil || t.From.IsZero() || pl.Approval.InDate(day) {
		return TemporaryNotWatched
	}
	day = Day(day)
	switch {
	case t.InDate(day) && t.Deadline().Sub(day) <= window:
		return TemporaryLapsing
	case !t.InDate(day) && !day.Before(t.Deadline()):
		return TemporaryLapsed
	}
	return TemporaryNotWatched
}
