package catalogue

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Placement is a home that can take children: a foster household, a kinship carer, a
// children's home or supported accommodation. Its exact Location is used for matching and never
// shown to a child, who sees only AreaName.
type Placement struct {
	ID         PlacementID
	Kind       PlacementKind
	Provider   ProviderID
	Name       string      // how officers know it: "Hollybank House", "Okafor household"
	URN        string      // Ofsted unique reference number of the home or agency (PDS providerURN)
	Council    CouncilCode // the council area the home is in
	AreaName   string      // the area a child is told about: a town or district, never an address
	Location   Location
	Approval   Approval
	Household  Household
	Skills     []Skill
	Languages  []string // ISO 639 codes spoken at home
	Religion   Religion // of the household; empty for homes
	Ethnicity  EthnicGroup
	Experience int // years caring for children
	Stability  StabilityRecord
	Ofsted     OfstedGrade // children's homes and agencies; inadequate is never offered
	StayingPut bool        // willing to let a young person stay on after 18
	LongTerm   bool        // willing to offer a long-term or permanent home
	WeeklyCost int         // pounds a week for one child
	Profile    string      // the carers' own words about their home, written for children
	Active     bool        // false: closed or suspended, never offered
	// ConnectedTo lists, for a kinship (connected person) placement, the children the carers are
	// assessed for: only they may be placed there. Empty for other kinds.
	ConnectedTo []ChildID
	Vacancies   []Vacancy // read-only on placements: managed through the vacancy methods
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// ProfileReview is who last wrote Profile and whether someone else has approved that text
	// for children. Stores keep it: it is read-only on placements.
	ProfileReview ProfileReview
}

// ProfileReview is the check a placement's own words pass before a child may read them. The
// carers' words are written by people, and people slip (a street, a phone number, a school
// run); no pattern catches every slip, so a person other than the text's author, an officer
// or an administrator, reads the text and approves that exact text for children. Stores set
// Author whenever the text is written (creation, update, import) and withdraw the approval
// in the same write whenever the text changes, on every path.
type ProfileReview struct {
	Author       TokenID   // the token that last wrote Profile; 0: the system (seed, command-line import)
	ApprovedHash string    // ProfileHash of the text approved for children; "" when none is
	ApprovedBy   TokenID   // the officer's or administrator's token that approved it
	ApprovedAt   time.Time // by the store's clock
}

// ProfileHash names one exact profile text: the hex SHA-256 of its bytes. An approval names
// the text its approver read by this hash, so that it cannot approve a text they did not see.
func ProfileHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// ProfileApproved reports whether the placement's present profile text, not an earlier one, is
// approved for children.
func (pl *Placement) ProfileApproved() bool {
	return pl.Profile != "" && pl.ProfileReview.ApprovedHash != "" && pl.ProfileReview.ApprovedHash == ProfileHash(pl.Profile)
}

// ProfileForChildren is the profile text a child may read: the text when it is approved as it
// stands, otherwise nothing (the child's page then describes the home in its own words only).
// It is not yet fit to show: it still goes through the child's page's redaction.
func (pl *Placement) ProfileForChildren() string {
	if !pl.ProfileApproved() {
		return ""
	}
	return pl.Profile
}

// ErrNotApprover: the caller may not approve a placement's profile for children. Only an
// officer or an administrator, speaking through a token, may approve, and never the text's
// last author. It is of kind KindForbidden (errors.Is(err, ErrForbidden) holds) and matches
// itself alone with errors.Is.
var ErrNotApprover error = &Error{Kind: KindForbidden,
	Msg: "you may not approve this text for children: an officer or administrator who did not write it must"}

// Approval is what the placement is approved for.
type Approval struct {
	MinAge        int
	MaxAge        int
	Sexes         []Sex // empty: either
	MaxChildren   int   // approved places
	Purposes      []Purpose
	SiblingGroups bool // approved to take brothers and sisters together
}

// Household is who lives in the home and what it is like.
type Household struct {
	Carers               []Carer
	Members              []Member // other children and adults living there
	Pets                 []Animal
	Smoking              bool
	WheelchairAccessible bool
}

// Carer is a foster or kinship carer, or a home's key worker, named as children would meet them.
type Carer struct {
	FirstName string
}

// MemberRole says who a household member is.
type MemberRole string

const (
	MemberCarersChild MemberRole = "carers_child" // the carers' own child
	MemberPlacedChild MemberRole = "placed_child" // a looked-after child already living there
	MemberAdult       MemberRole = "adult"        // another adult in the home
)

// MemberRoles lists every MemberRole.
var MemberRoles = []MemberRole{MemberCarersChild, MemberPlacedChild, MemberAdult}

// Valid reports whether r is a known value.
func (r MemberRole) Valid() bool { return oneOf(r, MemberRoles) }

// Member is someone who lives in the home besides the carers. Placed children are recorded by
// age and sex only.
type Member struct {
	FirstName string // carers' children and adults only; empty for placed children
	Age       int
	Sex       Sex
	Role      MemberRole
}

// StabilityRecord is how placements with these carers ended in the last three years.
type StabilityRecord struct {
	EndedPlanned   int
	EndedUnplanned int
}

// Validate reports every bad field of the placement.
func (pl Placement) Validate() error {
	p := newProblems()
	if !pl.Kind.Valid() {
		p.add("kind", "must be one of %v", PlacementKinds)
	}
	if pl.Provider <= 0 {
		p.add("provider", "must be a provider ID")
	}
	checkName(p, "name", pl.Name, true)
	if len(pl.URN) > 20 {
		p.add("urn", "must be at most 20 characters")
	}
	if !pl.Council.Valid() {
		p.add("council", "must be the ONS code of an English upper-tier council")
	}
	checkName(p, "area_name", pl.AreaName, true)
	pl.Location.validate(p.under("location"))

	ap := p.under("approval")
	a := pl.Approval
	if a.MinAge < 0 || a.MinAge > MaxChildAge {
		ap.add("min_age", "must be between 0 and %d", MaxChildAge)
	}
	if a.MaxAge < a.MinAge || a.MaxAge > MaxChildAge {
		ap.add("max_age", "must be between min_age and %d", MaxChildAge)
	}
	checkSet(ap, "sexes", a.Sexes, Sex.Valid, Sexes)
	if a.MaxChildren < 1 || a.MaxChildren > 50 {
		ap.add("max_children", "must be between 1 and 50")
	}
	if len(a.Purposes) == 0 {
		ap.add("purposes", "must list at least one purpose")
	}
	checkSet(ap, "purposes", a.Purposes, Purpose.Valid, Purposes)

	hp := p.under("household")
	h := pl.Household
	if len(h.Carers) > maxCarers {
		hp.add("carers", "must have at most %d carers", maxCarers)
	}
	if pl.Kind.IsFamily() && len(h.Carers) == 0 {
		hp.add("carers", "must name at least one carer for a family placement")
	}
	for i, c := range h.Carers {
		checkName(hp.at("carers", i), "first_name", c.FirstName, true)
	}
	if len(h.Members) > maxHousehold {
		hp.add("members", "must have at most %d people", maxHousehold)
	}
	placed := 0
	for i, m := range h.Members {
		mp := hp.at("members", i)
		if !m.Role.Valid() {
			mp.add("role", "must be one of %v", MemberRoles)
		}
		if m.Role == MemberPlacedChild {
			placed++
			if m.FirstName != "" {
				mp.add("first_name", "must be empty for a placed child, who is recorded by age and sex only")
			}
		} else {
			checkName(mp, "first_name", m.FirstName, false)
		}
		if m.Age < 0 || m.Age > 120 {
			mp.add("age", "must be between 0 and 120")
		}
		if !m.Sex.Valid() {
			mp.add("sex", "must be one of %v", Sexes)
		}
	}
	if placed > a.MaxChildren && a.MaxChildren >= 1 {
		hp.add("members", "has %d placed children but approval.max_children is %d", placed, a.MaxChildren)
	}
	checkSet(hp, "pets", h.Pets, Animal.Valid, Animals)

	switch {
	case pl.Kind == Kinship && len(pl.ConnectedTo) == 0:
		p.add("connected_to", "must name the children a kinship carer is assessed for")
	case pl.Kind != Kinship && len(pl.ConnectedTo) > 0:
		p.add("connected_to", "must be empty unless the placement is kinship")
	case len(pl.ConnectedTo) > maxHousehold:
		p.add("connected_to", "must name at most %d children", maxHousehold)
	}
	checkSet(p, "skills", pl.Skills, Skill.Valid, Skills)
	if len(pl.Languages) > maxLanguages {
		p.add("languages", "must list at most %d languages", maxLanguages)
	}
	for i, l := range pl.Languages {
		if !languageCode.MatchString(l) {
			p.at("languages", i).add("", "must be an ISO 639 language code such as en or pl")
		}
	}
	if pl.Religion != "" && !pl.Religion.Valid() {
		p.add("religion", "must be one of %v", Religions)
	}
	if pl.Ethnicity != "" && !pl.Ethnicity.Valid() {
		p.add("ethnicity", "must be one of %v", EthnicGroups)
	}
	if pl.Experience < 0 || pl.Experience > 70 {
		p.add("experience", "must be between 0 and 70 years")
	}
	if pl.Stability.EndedPlanned < 0 || pl.Stability.EndedPlanned > 1000 {
		p.add("stability.ended_planned", "must be between 0 and 1000")
	}
	if pl.Stability.EndedUnplanned < 0 || pl.Stability.EndedUnplanned > 1000 {
		p.add("stability.ended_unplanned", "must be between 0 and 1000")
	}
	if !pl.Ofsted.Valid() {
		p.add("ofsted", "must be one of %v or empty", OfstedGrades)
	}
	if pl.WeeklyCost < 0 || pl.WeeklyCost > 50000 {
		p.add("weekly_cost", "must be between 0 and 50000 pounds")
	}
	checkText(p, "profile", pl.Profile, maxProfileLen)
	return p.err()
}

// Vacancy is one place in a placement. "Not available" places are not vacancies.
type Vacancy struct {
	ID            VacancyID
	Placement     PlacementID
	AvailableFrom time.Time // a date
	Status        VacancyStatus
	Child         ChildID // the child it is held for or filled by; 0 when available
	// Occupant is what matching must know of that child, read with the placement's places
	// (nil when the place is available, when it is read on its own, or when the store does not
	// know the child): they live in the household, or are about to, as much as its members do.
	Occupant  *Occupant
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Occupant is what the rules of who may live together need of a child a place is held for or
// filled by, and nothing else: no name, no council, no record. It is never shown; a reason that
// a rule gives says "a child already living here" and, where the rule is about ages, their age.
type Occupant struct {
	DateOfBirth time.Time
	Companions  Companions     // whom they can live with
	Risks       []RiskToOthers // their risks to others
}

// OccupantOf is what the household rules need of a child who will live in a home.
func OccupantOf(c Child) *Occupant {
	return &Occupant{DateOfBirth: c.DateOfBirth, Companions: c.Companions, Risks: c.RisksToOthers}
}

// AgeOn is the occupant's age in whole years on a day.
func (o *Occupant) AgeOn(day time.Time) int { return AgeOn(o.DateOfBirth, day) }

// HasRisk reports whether the occupant's risk assessment names r.
func (o *Occupant) HasRisk(r RiskToOthers) bool { return oneOf(r, o.Risks) }

// Validate reports every bad field of the vacancy.
func (v Vacancy) Validate() error {
	p := newProblems()
	if v.Placement <= 0 {
		p.add("placement", "must be a placement ID")
	}
	checkDate(p, "available_from", v.AvailableFrom)
	if !v.Status.Valid() {
		p.add("status", "must be one of %v", VacancyStatuses)
	}
	switch v.Status {
	case VacancyHeld, VacancyFilled:
		if v.Child <= 0 {
			p.add("child", "must name the child when the place is %s", v.Status)
		}
	default:
		if v.Child != 0 {
			p.add("child", "must be empty when the place is %s", v.Status)
		}
	}
	return p.err()
}

// StayingPutAge is the age from which a young person's homes are looked at for Staying Put: at
// 16 or over they turn 18 within about two years, and Staying Put (Children and Families Act
// 2014 s98) lets them stay on with their foster carers after 18, up to 21. Matching rewards
// carers willing to offer it, the child's page says whether they could stay, and the
// sufficiency report counts young people of 16 and 17 against Staying Put places.
const StayingPutAge = 16

// OffersStayingPut reports whether a young person could stay on here after 18: foster and
// kinship (connected person) carers willing to offer Staying Put. Children's homes and supported
// accommodation cannot offer it, whatever StayingPut says.
func (pl *Placement) OffersStayingPut() bool { return pl.Kind.IsFamily() && pl.StayingPut }

// OpenVacancies counts the places available by day (the whole group needs them by then).
func (pl Placement) OpenVacancies(day time.Time) int {
	n := 0
	for _, v := range pl.Vacancies {
		if v.Status == VacancyAvailable && !v.AvailableFrom.After(day) {
			n++
		}
	}
	return n
}

// Provider is the organisation that runs placements: a council's fostering service, an
// independent fostering agency, a children's home operator.
type Provider struct {
	ID        ProviderID
	Name      string
	Kind      ProviderKind
	URN       string      // Ofsted URN of the agency or operator, when it has one
	Council   CouncilCode // for council providers, the council
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every bad field of the provider.
func (pr Provider) Validate() error {
	p := newProblems()
	checkText(p, "name", pr.Name, maxOtherFields)
	if pr.Name == "" {
		p.add("name", "is required")
	}
	if !pr.Kind.Valid() {
		p.add("kind", "must be one of %v", ProviderKinds)
	}
	if len(pr.URN) > 20 {
		p.add("urn", "must be at most 20 characters")
	}
	switch {
	case pr.Kind == ProviderCouncil && !pr.Council.Valid():
		p.add("council", "must be the ONS code of the council that runs the service")
	case pr.Kind != ProviderCouncil && pr.Council != "":
		p.add("council", "must be empty unless the provider is a council")
	}
	return p.err()
}

// Day returns t's calendar date as UTC midnight, the form every date in the catalogue takes.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
