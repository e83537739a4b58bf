package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"
)

// Placement is a home that can take children: a foster household, a kinship carer, a
// children's home or supported accommodation. Its exact Location is used for matching and never
// shown to a child, who sees only AreaName.
type Placement struct {
	ID       PlacementID
	Kind     PlacementKind
	Provider ProviderID
	Name     string      // how officers know it: "Hollybank House", "Okafor household"
	URN      string      // Ofsted unique reference number of the home or agency (PDS providerURN)
	Council  CouncilCode // the council area the home is in
	// Owner is, for a council foster home, the council whose own carers these are: its
	// provider's council (Provider.Council). Stores fill it on every read; it is read-only on
	// placements. See OwningCouncil.
	Owner      CouncilCode
	AreaName   string // the area a child is told about: a town or district, never an address
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
	// SupportedOutcome is Ofsted's judgement of a supported accommodation provider on its
	// three-outcome model, carried by each of its settings; empty for other kinds (ofsted.go).
	SupportedOutcome SupportedOutcome
	// Registration is a children's home's or supported accommodation provider's standing with
	// Ofsted (law.go); empty for family homes.
	Registration Registration
	// TemporaryApproval is a kinship (connected person) carer's temporary approval under
	// regulation 24, when they have no full approval yet (law.go); nil otherwise.
	TemporaryApproval *TemporaryApproval
	StayingPut        bool   // willing to let a young person stay on after 18
	LongTerm          bool   // willing to offer a long-term or permanent home
	WeeklyCost        int    // pounds a week for one child
	Profile           string // the carers' own words about their home, written for children
	Active            bool   // false: closed or suspended, never offered
	// DoLConditions: the home records that it can meet the conditions of a deprivation of
	// liberty order (supervision, security, staffing): only such a home may be offered to a
	// child under one (mentalhealth.go).
	DoLConditions bool
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

	// From and Until date a family home's full approval as foster carers: approved on From,
	// and Until the day the yearly review falls due (law.go, Approval.InDate). Empty for
	// children's homes and supported accommodation, and for a kinship home on a temporary
	// approval only.
	From, Until time.Time
	// Exemption is the council's record (its reference and reasons) of an exemption from the
	// usual fostering limit of three children (Children Act 1989 Schedule 7 paragraph 4); empty
	// when there is none.
	Exemption string
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
	if slices.Contains(a.Purposes, PurposeStayingPut) {
		// Carers willing to offer Staying Put say so with StayingPut, not a purpose.
		ap.add("purposes", "%s; carers willing to offer it say so with staying_put", StayingPutNotAPurpose)
	} else {
		checkSet(ap, "purposes", a.Purposes, Purpose.Valid, Purposes)
	}

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
	if pl.Kind.Valid() {
		pl.validateOfsted(p)
	}
	if pl.WeeklyCost < 0 || pl.WeeklyCost > 50000 {
		p.add("weekly_cost", "must be between 0 and 50000 pounds")
	}
	checkText(p, "profile", pl.Profile, maxProfileLen)
	pl.validateLaw(p)
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

// PlacementStore keeps placements (homes) and their places (vacancies). Scope (see Scope):
// placements and places are read by officers whatever their council, as supply is shared, and
// by a provider for its own homes only; they are written by a provider for its own homes, and
// by an officer for the kinship homes connected only to children of their council. A home
// outside the scope to write is ErrNotFound to a change. A place held or filled for a child
// outside the scope's children shows its status, never the child (Child 0, Occupant nil).
type PlacementStore interface {
	// CreatePlacement stores a new placement; its Vacancies are ignored (places are added with
	// CreateVacancy, or travel inside a placement in an Import), and the context's actor is
	// recorded as the author of its profile. ErrInvalid when the placement is not valid, when
	// its provider does not exist or, for a provider, is not its own (naming provider), when an
	// officer's is not kinship (naming kind), or when a child it is connected to does not exist
	// in the scope (naming connected_to[i]).
	CreatePlacement(ctx context.Context, s Scope, p Placement) (Placement, error)
	// Placement returns one placement in scope, with its places.
	Placement(ctx context.Context, s Scope, id PlacementID) (Placement, error)
	// UpdatePlacement replaces the record of a placement in scope to write, at p.Version, not
	// its places. New profile text withdraws the profile's approval and makes the actor its
	// author. Errors as CreatePlacement's, and ErrConflict when the version is stale.
	UpdatePlacement(ctx context.Context, s Scope, p Placement) (Placement, error)
	// ListPlacements returns a page of the placements in scope by ascending ID, each with its
	// places.
	ListPlacements(ctx context.Context, s Scope, f PlacementFilter) (Page[Placement], error)
	// ApproveProfile approves a placement's profile text for children, as the context's actor,
	// recording who and when with a new Version. hash is the ProfileHash of the text the
	// approver read: ErrConflict when the stored text is another (it changed since) or empty.
	// ErrNotApprover when the actor is not an officer or administrator with a token, when the
	// actor last wrote the text, or when the scope is a provider's.
	ApproveProfile(ctx context.Context, s Scope, id PlacementID, hash string) (Placement, error)
	// WithdrawProfileApproval withdraws the approval of a placement's profile, if it has one:
	// children read no profile text until someone approves it again. ErrNotApprover as above,
	// but the text's author may withdraw.
	WithdrawProfileApproval(ctx context.Context, s Scope, id PlacementID) (Placement, error)

	// CreateVacancy adds a place to a placement in scope to write. ErrInvalid when the place is
	// not valid, or its child does not exist in the scope; ErrConflict when a place that is
	// available, held or filled does not fit in the placement's approved number of children
	// (counting the looked-after children living there), or its child already fills another.
	CreateVacancy(ctx context.Context, s Scope, v Vacancy) (Vacancy, error)
	// Vacancy returns one place in scope.
	Vacancy(ctx context.Context, s Scope, id VacancyID) (Vacancy, error)
	// UpdateVacancy changes a place in scope, at v.Version: its date or its status (never its
	// placement: ErrInvalid). An officer holds or fills a place of any home for a child of
	// their council, and opens or withdraws only the places of the homes they write. Holding
	// or filling is a conditional update that succeeds only while the place is available (or
	// already held for the same child): of any number of requests racing for one place exactly
	// one wins and the others get ErrConflict, as does a child who already fills another place
	// or a place reopened with no room left.
	UpdateVacancy(ctx context.Context, s Scope, v Vacancy) (Vacancy, error)
	// ListVacancies returns a page of the places in scope by ascending ID.
	ListVacancies(ctx context.Context, s Scope, f VacancyFilter) (Page[Vacancy], error)

	// HomesOf says where each of the children lives now: the location of the placement whose
	// place they fill (children who fill none are left out). It reads every scope: the matcher
	// weighs brothers and sisters apart by it, and nothing of it is shown.
	HomesOf(ctx context.Context, children []ChildID) (map[ChildID]Location, error)
}

// ProviderStore keeps the providers that run placements. Providers are no secret: no method
// takes a scope, and the caller decides who may create one.
type ProviderStore interface {
	// CreateProvider stores a new provider: ErrInvalid when it is not valid.
	CreateProvider(ctx context.Context, p Provider) (Provider, error)
	// Provider returns one provider: ErrNotFound when there is none.
	Provider(ctx context.Context, id ProviderID) (Provider, error)
	// ListProviders returns a page of providers by ascending ID.
	ListProviders(ctx context.Context, f ProviderFilter) (Page[Provider], error)
}

// PlacementFilter narrows a list of placements.
type PlacementFilter struct {
	Council    CouncilCode
	Kind       PlacementKind
	Provider   ProviderID
	HasVacancy bool // at least one available place
	Active     *bool
	Near       *Near
	After      PlacementID
	Limit      int
}

// VacancyFilter narrows a list of vacancies.
type VacancyFilter struct {
	Placement PlacementID
	Child     ChildID // the place held for or filled by this child
	Status    VacancyStatus
	After     VacancyID
	Limit     int
}

// ProviderFilter narrows a list of providers.
type ProviderFilter struct {
	Kind  ProviderKind
	After ProviderID
	Limit int
}

// Day returns t's calendar date as UTC midnight, the form every date in the catalogue takes.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
