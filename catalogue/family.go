package catalogue

import (
	"context"
	"strconv"
	"time"
)

// Family first (issue 18). The Children Act 1989 s22C(7)(a) gives preference, among placements
// with local authority foster parents, to a relative, friend or other person connected with the
// child. placematch keeps it in three places: the ranking puts connected persons assessed for a
// child ahead of unconnected carers unless the officer records why not
// (Child.KinNotFirstReason; scoring.Prepared.KinFirst); they are never marked down for fostering
// experience, training or cost they were never asked about; and the child's family network
// records the people the family names, each with a viability assessment, so that a connected
// person who passes can care for the child on a temporary approval (regulation 24).

// NetworkMemberID identifies a person in a child's family network.
type NetworkMemberID int64

// NamedBy says how a person came to be in the family network.
type NamedBy string

const (
	NamedAtFGC          NamedBy = "family_group_conference" // at a family group conference
	NamedBySocialWorker NamedBy = "social_worker"           // by the child's social worker
	NamedByFamily       NamedBy = "family"                  // by a parent or relative, outside a conference
	NamedByChild        NamedBy = "child"                   // by the child
)

// NamedByAll lists every NamedBy.
var NamedByAll = []NamedBy{NamedAtFGC, NamedBySocialWorker, NamedByFamily, NamedByChild}

// Valid reports whether n is a known value.
func (n NamedBy) Valid() bool { return oneOf(n, NamedByAll) }

// Viability is the outcome of a connected person's viability assessment: the first, short
// assessment of whether they could care for the child, before a temporary approval and the
// full assessment.
type Viability string

const (
	ViabilityPending   Viability = "pending"    // not yet done: due by AssessmentDue
	ViabilityPassed    Viability = "passed"     // they could care for the child
	ViabilityNotPassed Viability = "not_passed" // they could not, for the reason recorded
	ViabilityWithdrawn Viability = "withdrawn"  // they withdrew, or the family did
)

// Viabilities lists every Viability.
var Viabilities = []Viability{ViabilityPending, ViabilityPassed, ViabilityNotPassed, ViabilityWithdrawn}

// Valid reports whether v is a known value.
func (v Viability) Valid() bool { return oneOf(v, Viabilities) }

// NetworkMember is one person in a child's family network: who they are to the child, how they
// were named, and their viability assessment. Only what placing the child needs is kept: a
// first name or how the child names them, and where they live as no more than an area.
type NetworkMember struct {
	ID            NetworkMemberID
	Child         ChildID
	Council       CouncilCode // the child's: set by the store
	Name          string      // how the family names them: "Auntie Grace"
	Relationship  Relationship
	NamedBy       NamedBy
	Location      Location  // where they live (optional); never shown
	AssessmentDue time.Time // the day the viability assessment is due
	Outcome       Viability
	OutcomeOn     time.Time   // the day of the outcome; empty while pending
	OutcomeReason string      // why not passed or withdrawn
	Placement     PlacementID // the kinship home made when they passed and the child went to them; 0: none
	// Caring is how they already care for the child outside care (family_caring.go); empty:
	// they do not. Not with Placement: a kinship home is care.
	Caring    Caring
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every bad field of the network member.
func (m NetworkMember) Validate() error {
	p := newProblems()
	checkName(p, "name", m.Name, true)
	if !m.Relationship.Valid() {
		p.add("relationship", "must be one of %v", Relationships)
	}
	if !m.NamedBy.Valid() {
		p.add("named_by", "must be one of %v", NamedByAll)
	}
	if !m.Location.IsZero() {
		m.Location.validate(p.under("location"))
	}
	checkDate(p, "assessment_due", m.AssessmentDue)
	if !m.Outcome.Valid() {
		p.add("outcome", "must be one of %v", Viabilities)
	}
	switch {
	case m.Outcome == ViabilityPending && !m.OutcomeOn.IsZero():
		p.add("outcome_on", "must be empty while the assessment is pending")
	case m.Outcome != ViabilityPending && m.Outcome.Valid():
		checkDate(p, "outcome_on", m.OutcomeOn)
	}
	if (m.Outcome == ViabilityNotPassed || m.Outcome == ViabilityWithdrawn) && m.OutcomeReason == "" {
		p.add("outcome_reason", "must say why, when the assessment is not passed or withdrawn")
	}
	checkText(p, "outcome_reason", m.OutcomeReason, MaxWordsLen)
	if !m.Caring.Valid() {
		p.add("caring", "must be empty or one of %v", Carings)
	} else if m.Caring != CaringNone && m.Placement != 0 {
		p.add("caring", "must be empty once they are the child's kinship placement: that is care, not an arrangement outside it")
	}
	if m.Placement != 0 && m.Outcome != ViabilityPassed {
		p.add("placement", "must be empty unless the assessment was passed")
	}
	return p.err()
}

// Overdue reports whether the assessment is still pending after its due day.
func (m NetworkMember) Overdue(day time.Time) bool {
	return m.Outcome == ViabilityPending && Day(day).After(Day(m.AssessmentDue))
}

// ConnectedHome is what the council records to place a child with a network member who passed
// their viability assessment: the home's provider (the council's fostering service), where
// the home is, and the area a child is told about.
type ConnectedHome struct {
	Provider ProviderID
	Location Location
	AreaName string
	Council  CouncilCode // the council area the home is in
}

// KinshipHome is the kinship placement a network member who passed their viability assessment
// becomes for the child (and the brothers and sisters named with them): connected to them,
// on a temporary approval from day as a connected person (Care Planning, Placement and Case
// Review (England) Regulations 2010 regulation 24, 16 weeks, extendable once by 8 under
// regulation 25), approved for their ages and purpose, with a place for each from day. The
// caller stores it (FamilyStore.PlaceWithConnectedPerson).
func KinshipHome(m NetworkMember, children []Child, h ConnectedHome, day time.Time) Placement {
	day = Day(day)
	pl := Placement{
		Kind: Kinship, Provider: h.Provider, Name: m.Name, Council: h.Council, AreaName: h.AreaName, Location: h.Location,
		TemporaryApproval: &TemporaryApproval{From: day}, Active: true,
		Approval:  Approval{MinAge: MaxChildAge, MaxAge: 0, MaxChildren: len(children), SiblingGroups: len(children) > 1},
		Household: Household{Carers: []Carer{{FirstName: m.Name}}},
	}
	for _, c := range children {
		age := c.AgeOn(day)
		pl.Approval.MinAge = min(pl.Approval.MinAge, age)
		pl.Approval.MaxAge = max(pl.Approval.MaxAge, age+1)
		pl.ConnectedTo = append(pl.ConnectedTo, c.ID)
		if !oneOf(c.Purpose, pl.Approval.Purposes) {
			pl.Approval.Purposes = append(pl.Approval.Purposes, c.Purpose)
		}
		pl.Vacancies = append(pl.Vacancies, Vacancy{AvailableFrom: day, Status: VacancyAvailable})
	}
	pl.Approval.MinAge = max(pl.Approval.MinAge, 0)
	return pl
}

// FamilyStore keeps children's family networks. Scope: the child's council, as ChildStore
// (an officer's their council's children; others none: ErrNotFound). Each write is one
// transaction with its audit row on the child's record.
type FamilyStore interface {
	// AddNetworkMember adds a person to the network of a child in scope; ID, Council, Version
	// and the timestamps are set by the store, and Placement must be 0; where they live is kept
	// coarse (NetworkMember.Coarsened), as by UpdateNetworkMember. ErrInvalid when the
	// member is not valid; ErrNotFound when the child is not in scope.
	AddNetworkMember(ctx context.Context, s Scope, m NetworkMember) (NetworkMember, error)
	// NetworkMember returns one member of a network in scope.
	NetworkMember(ctx context.Context, s Scope, id NetworkMemberID) (NetworkMember, error)
	// UpdateNetworkMember replaces a member in scope at m.Version (its child, council and
	// placement are kept). ErrInvalid as AddNetworkMember; ErrConflict when the version is
	// stale, or when the member has become a placement and the outcome is changed.
	UpdateNetworkMember(ctx context.Context, s Scope, m NetworkMember) (NetworkMember, error)
	// FamilyNetwork lists the network of a child in scope, by ascending ID.
	FamilyNetwork(ctx context.Context, s Scope, child ChildID) ([]NetworkMember, error)
	// PlaceWithConnectedPerson stores pl (KinshipHome's) with its places and links the member
	// to it, at version, in one transaction with their audit rows. ErrConflict when the version
	// is stale, the member did not pass or already has a placement; ErrInvalid when pl is not
	// valid or its provider does not exist.
	PlaceWithConnectedPerson(ctx context.Context, s Scope, id NetworkMemberID, version int, pl Placement) (NetworkMember, Placement, error)
	// KinCaring counts every council's children cared for by kin outside care, each child once
	// in the way KinCaringOf gives, by council and way (family_caring.go). It is an aggregate
	// for the commissioners' report, read across every council and audited on no child's
	// record: it names no child. Ordered by council, then way as in Carings; ways with no
	// child are left out.
	KinCaring(ctx context.Context) ([]KinCaringCount, error)
	// ImportNetwork adds the members of children's networks read from a file (package
	// exchange), all or none, in one transaction with an audit row on each child's record.
	// Each is as AddNetworkMember's (Placement 0: a kinship home is made by placing the child).
	// ErrInvalid naming network[i].field for every bad member, a child not in scope as "no
	// such child" (not telling one outside the scope from one that does not exist).
	ImportNetwork(ctx context.Context, s Scope, ms []NetworkMember) ([]NetworkMember, error)
	// ListNetwork lists the members of every network in scope (an export), by ascending ID,
	// after the ID given, at most limit (DefaultLimit when 0, MaxLimit at most).
	ListNetwork(ctx context.Context, s Scope, after NetworkMemberID, limit int) (Page[NetworkMember], error)
}

func (id NetworkMemberID) String() string { return strconv.FormatInt(int64(id), 10) }
