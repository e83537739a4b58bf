package catalogue

import (
	"context"
	"regexp"
	"time"
	"unicode/utf8"
)

// Child is a child or young person who needs a home, as referred by their council. Only what
// matching needs is kept (UK GDPR Art. 9): a first name, no surname, no address text.
type Child struct {
	ID            ChildID
	Council       CouncilCode // the council responsible for the child
	CaseRef       string      // the council's own case reference (PDS childId), unique per council
	FirstName     string      // shown to the child and their officer; never logged
	DateOfBirth   time.Time   // a date (UTC midnight)
	Sex           Sex
	Ethnicity     Ethnicity
	Religion      Religion
	FirstLanguage string // ISO 639 code: en, pl, ar, ...
	Communication []Communication
	LegalStatus   LegalStatus
	Needs         []Need
	RisksToOthers []RiskToOthers
	CareType      CareType // assessed care type
	// KinNotFirstReason is the officer's recorded reason why connected persons assessed for the
	// child are not to be ranked ahead of unconnected carers (Children Act 1989 s22C(7)(a));
	// empty: they are (family.go).
	KinNotFirstReason string
	// ParentsConsidered is the officer's record that placement with a parent was considered
	// first and why it is not to be (Children Act 1989 s22C(2)-(4)); nil: not recorded
	// (parents.go).
	ParentsConsidered *ParentsConsidered
	Purpose           Purpose
	NeededBy          time.Time // a date
	Home              Location  // where the child lived; never shown
	School            *School   // nil when not at school
	Contacts          []Contact // the contact plan
	SiblingGroup      SiblingGroupID
	ExclusionZones    []ExclusionZone
	Companions        Companions
	Pets              PetsRule
	Allergies         []Animal // animals the child cannot live with
	Respiratory       bool     // a respiratory condition: needs a smoke-free home
	Wheelchair        bool     // uses a wheelchair: needs step-free access
	Wishes            Wishes
	// Mental health and liberty (mentalhealth.go).
	SDQBand              SDQBand // band of the latest SDQ total difficulties score; empty: not recorded
	CAMHS                bool    // open to Child and Adolescent Mental Health Services
	DeprivationOfLiberty bool    // a deprivation of liberty order: only a home that can meet its conditions (PDS deprivationOfLiberty)
	// Confidential is an officer's mark that the child's safety requires their placement to be
	// kept confidential (someone who may see the child's page must not learn where they live or
	// with whom): their own page then names no area, no carer and no one in the household, and
	// says nothing a home could be found by (api/childwords.go).
	Confidential bool
	Status       ChildStatus
	Version      int // bumped by every update; an update with a stale version conflicts
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NeedLevel grades a need: the higher, the more it weighs in matching.
type NeedLevel int

const (
	LevelLow    NeedLevel = 1
	LevelMedium NeedLevel = 2
	LevelHigh   NeedLevel = 3
)

// Need is one assessed area of need.
type Need struct {
	Kind  NeedKind
	Level NeedLevel
}

// School is the child's school. KeepPlanned says the care plan is to keep the child there.
type School struct {
	Name        string
	URN         string // DfE unique reference number, when known
	Location    Location
	KeepPlanned bool
}

// Contact is one person in the child's contact plan: family, a former carer or another key
// adult (contact.go).
type Contact struct {
	Name         string // how the child names them: "Mum", "Nan"
	Relationship Relationship
	Location     Location // where they live; never shown
	Frequency    Frequency
	Type         ContactType // how contact happens: direct, supervised, indirect, none
	// Centre is where supervised contact happens, when known: a contact centre's location (an
	// organisation's, kept exact). Empty for other types.
	Centre *Location
	// MustNotKnow: the person must not know where the child lives (a separate fact from
	// supervision): a home near where they live counts against it.
	MustNotKnow bool
}

// Wishes is what the child says matters to them: ranked choices from a fixed vocabulary,
// and their own words.
type Wishes struct {
	Priorities []Wish
	InOwnWords string
}

// Limits on list and text sizes.
const (
	MaxNameLen     = 50
	MaxWordsLen    = 2000
	MaxContacts    = 20
	MaxZones       = 20
	MaxChildAge    = 25 // care leavers are supported up to 25
	maxCaseRefLen  = 64
	maxSchoolLen   = 120
	maxProfileLen  = 2000
	maxHousehold   = 20
	maxCarers      = 4
	maxLanguages   = 10
	maxVacancies   = 20
	maxOtherFields = 200
)

var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// earliest is the earliest plausible date of birth and date for any record.
var earliest = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
var latest = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// Validate reports every bad field of the child.
func (c Child) Validate() error {
	p := newProblems()
	if !c.Council.Valid() {
		p.add("council", "must be the ONS code of an English upper-tier council")
	}
	if len(c.CaseRef) > maxCaseRefLen {
		p.add("case_ref", "must be at most %d characters", maxCaseRefLen)
	}
	checkName(p, "first_name", c.FirstName, true)
	checkDate(p, "date_of_birth", c.DateOfBirth)
	if !c.Sex.Valid() {
		p.add("sex", "must be one of %v", Sexes)
	}
	if !c.Ethnicity.Valid() {
		p.add("ethnicity", "must be an SSDA903 ethnicity code such as WBRI, MWBC or BAFR")
	}
	if !c.Religion.Valid() {
		p.add("religion", "must be one of %v", Religions)
	}
	if !languageCode.MatchString(c.FirstLanguage) {
		p.add("first_language", "must be an ISO 639 language code such as en or pl")
	}
	checkSet(p, "communication", c.Communication, Communication.Valid, Communications)
	if !c.LegalStatus.Valid() {
		p.add("legal_status", "must be one of %v", LegalStatuses)
	}
	seen := map[NeedKind]bool{}
	for i, n := range c.Needs {
		np := p.at("needs", i)
		if !n.Kind.Valid() {
			np.add("kind", "must be one of %v", NeedKinds)
		} else if seen[n.Kind] {
			np.add("kind", "appears more than once")
		}
		seen[n.Kind] = true
		if n.Level < LevelLow || n.Level > LevelHigh {
			np.add("level", "must be 1 (low), 2 (medium) or 3 (high)")
		}
	}
	checkSet(p, "risks_to_others", c.RisksToOthers, RiskToOthers.Valid, RisksToOthers)
	if !c.CareType.Valid() {
		p.add("care_type", "must be one of %v", CareTypes)
	}
	checkText(p, "kin_not_first_reason", c.KinNotFirstReason, MaxWordsLen)
	if c.ParentsConsidered != nil {
		c.ParentsConsidered.validate(p.under("parents_considered"))
	}
	if c.Purpose == PurposeStayingPut {
		p.add("purpose", "%s", StayingPutNotAPurpose)
	} else if !c.Purpose.Valid() {
		p.add("purpose", "must be one of %v", Purposes)
	}
	checkDate(p, "needed_by", c.NeededBy)
	if !c.NeededBy.IsZero() && !c.DateOfBirth.IsZero() && c.NeededBy.Before(c.DateOfBirth) {
		p.add("needed_by", "must not be before the date of birth")
	}
	c.Home.validate(p.under("home"))
	if c.School != nil {
		sp := p.under("school")
		checkName(sp, "name", c.School.Name, true)
		if len(c.School.URN) > 20 {
			sp.add("urn", "must be at most 20 characters")
		}
		c.School.Location.validate(sp.under("location"))
	}
	if len(c.Contacts) > MaxContacts {
		p.add("contacts", "must have at most %d people", MaxContacts)
	}
	for i, ct := range c.Contacts {
		cp := p.at("contacts", i)
		checkName(cp, "name", ct.Name, false)
		if !ct.Relationship.Valid() {
			cp.add("relationship", "must be one of %v", Relationships)
		}
		ct.Location.validate(cp.under("location"))
		if !ct.Frequency.Valid() {
			cp.add("frequency", "must be one of %v", Frequencies)
		}
		ct.validateType(cp)
	}
	if c.SiblingGroup < 0 {
		p.add("sibling_group", "must be a sibling group ID")
	}
	if len(c.ExclusionZones) > MaxZones {
		p.add("exclusion_zones", "must have at most %d zones", MaxZones)
	}
	for i, z := range c.ExclusionZones {
		z.validate(p.at("exclusion_zones", i))
	}
	if !c.Companions.Valid() {
		p.add("living_companions", "must be one of %v", CompanionsAll)
	}
	if !c.Pets.Valid() {
		p.add("pets", "must be one of %v", PetsRules)
	}
	checkSet(p, "allergies", c.Allergies, Animal.Valid, Animals)
	if c.Pets == PetsMust && len(c.Allergies) == len(Animals) {
		p.add("pets", "cannot be %q when the child is allergic to every animal", PetsMust)
	}
	wp := p.under("wishes")
	checkSet(wp, "priorities", c.Wishes.Priorities, Wish.Valid, WishesAll)
	checkText(wp, "in_own_words", c.Wishes.InOwnWords, MaxWordsLen)
	if !c.Status.Valid() {
		p.add("status", "must be one of %v", ChildStatuses)
	}
	c.validateMentalHealth(p)
	return p.err()
}

// AgeOn returns the child's age in whole years on the given day.
func (c Child) AgeOn(day time.Time) int { return AgeOn(c.DateOfBirth, day) }

// AgeOn returns the age in whole years on day of someone born on dob.
func AgeOn(dob, day time.Time) int {
	age := day.Year() - dob.Year()
	if day.Month() < dob.Month() || (day.Month() == dob.Month() && day.Day() < dob.Day()) {
		age--
	}
	return age
}

// Need returns the level of the child's need of kind k, or 0.
func (c Child) Need(k NeedKind) NeedLevel {
	for _, n := range c.Needs {
		if n.Kind == k {
			return n.Level
		}
	}
	return 0
}

// HasRisk reports whether the child poses risk r to others.
func (c Child) HasRisk(r RiskToOthers) bool { return oneOf(r, c.RisksToOthers) }

// SiblingGroup is a set of brothers and sisters in care, with their assessed plan.
// A group planned together needs as many places in one household as it has members.
type SiblingGroup struct {
	ID        SiblingGroupID
	Council   CouncilCode
	Plan      SiblingPlan
	Reason    string    // why apart, when the plan is apart
	Members   []ChildID // read-only: the children whose SiblingGroup is this group
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every bad field of the group.
func (g SiblingGroup) Validate() error {
	p := newProblems()
	if !g.Council.Valid() {
		p.add("council", "must be the ONS code of an English upper-tier council")
	}
	if !g.Plan.Valid() {
		p.add("plan", "must be one of %v", SiblingPlans)
	}
	if g.Plan == PlanApart && g.Reason == "" {
		p.add("reason", "must say why the brothers and sisters are to live apart")
	}
	checkText(p, "reason", g.Reason, MaxWordsLen)
	return p.err()
}

// ChildStore keeps children and their sibling groups. Scope: an officer's holds their council's
// children and groups, to read and to write; a provider's (and a commissioner's) none, so that to
// them every child is ErrNotFound and every list empty. A child or group written with a Council
// outside the scope is ErrInvalid naming council.
type ChildStore interface {
	// CreateChild stores a new child; ID, Version and the timestamps are set by the store,
	// which keeps people's locations coarse (Child.Coarsened) and returns the child as kept.
	// ErrInvalid when the child is not valid (Child.Validate), when its council is outside the
	// scope, or when its sibling group does not exist or is another council's (naming
	// sibling_group); ErrConflict when its case reference is another child's of its council.
	CreateChild(ctx context.Context, s Scope, c Child) (Child, error)
	// Child returns one child in scope.
	Child(ctx context.Context, s Scope, id ChildID) (Child, error)
	// UpdateChild replaces the record of a child in scope, at c.Version, and returns it with
	// the next. Errors as CreateChild's, and ErrConflict when the version is stale.
	UpdateChild(ctx context.Context, s Scope, c Child) (Child, error)
	// ListChildren returns a page of the children in scope by ascending ID.
	ListChildren(ctx context.Context, s Scope, f ChildFilter) (Page[Child], error)

	// CreateSiblingGroup stores a new group; its Members are ignored (a child joins a group
	// through its SiblingGroup field). ErrInvalid when the group is not valid or its council is
	// outside the scope.
	CreateSiblingGroup(ctx context.Context, s Scope, g SiblingGroup) (SiblingGroup, error)
	// SiblingGroup returns one group in scope, with its members.
	SiblingGroup(ctx context.Context, s Scope, id SiblingGroupID) (SiblingGroup, error)
	// UpdateSiblingGroup replaces the plan and reason of a group in scope, at g.Version, and
	// its council when none of its children is another council's (ErrConflict otherwise).
	UpdateSiblingGroup(ctx context.Context, s Scope, g SiblingGroup) (SiblingGroup, error)
	// ListSiblingGroups returns a page of the groups in scope by ascending ID, with their
	// members.
	ListSiblingGroups(ctx context.Context, s Scope, f GroupFilter) (Page[SiblingGroup], error)
}

// ChildFilter narrows a list of children. Zero fields do not filter.
type ChildFilter struct {
	Council      CouncilCode
	Status       ChildStatus
	SiblingGroup SiblingGroupID
	Near         *Near // by home location
	After        ChildID
	Limit        int
}

// GroupFilter narrows a list of sibling groups.
type GroupFilter struct {
	Council CouncilCode
	After   SiblingGroupID
	Limit   int
}

func checkName(p problems, field, v string, required bool) {
	switch {
	case required && v == "":
		p.add(field, "is required")
	case !utf8.ValidString(v):
		p.add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(v) > MaxNameLen:
		p.add(field, "must be at most %d characters", MaxNameLen)
	}
}

func checkText(p problems, field, v string, max int) {
	switch {
	case !utf8.ValidString(v):
		p.add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(v) > max:
		p.add(field, "must be at most %d characters", max)
	}
}

func checkDate(p problems, field string, d time.Time) {
	switch {
	case d.IsZero():
		p.add(field, "is required")
	case d.Before(earliest) || !d.Before(latest):
		p.add(field, "must be a date between %s and %s", earliest.Format(time.DateOnly), latest.Format(time.DateOnly))
	}
}

// checkSet checks every element is valid and none repeats.
func checkSet[T comparable](p problems, field string, vs []T, valid func(T) bool, all []T) {
	seen := make(map[T]bool, len(vs))
	for i, v := range vs {
		switch {
		case !valid(v):
			p.at(field, i).add("", "must be one of %v", all)
		case seen[v]:
			p.at(field, i).add("", "appears more than once")
		}
		seen[v] = true
	}
}
