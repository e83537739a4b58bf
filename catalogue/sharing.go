package catalogue

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// SharingAgreementID identifies a sharing agreement.
type SharingAgreementID int64

func (id SharingAgreementID) String() string { return strconv.FormatInt(int64(id), 10) }

// SharingKind says how an agreement shares carers.
type SharingKind string

const (
	// SharingCouncilToCouncil: one council (the owner, Members[0]) lets another (the receiver,
	// Members[1]) place its children with the owner's own carers; both ways unless OneWay.
	SharingCouncilToCouncil SharingKind = "council_to_council"
	// SharingRegionalPool: every member council's own carers are open to every other member's
	// children (a regional care co-operative's shared pool).
	SharingRegionalPool SharingKind = "regional_pool"
)

// SharingKinds lists every SharingKind.
var SharingKinds = []SharingKind{SharingCouncilToCouncil, SharingRegionalPool}

// Valid reports whether k is a known value.
func (k SharingKind) Valid() bool { return oneOf(k, SharingKinds) }

// SharedKinds lists the kinds of care an agreement may share. Only a council's own foster
// carers are its own (DESIGN.md section 4: "a council's own foster carers only for its own
// children unless a sharing agreement"); agency carers, kinship carers and homes are open to
// every council already, so sharing them would mean nothing.
var SharedKinds = []PlacementKind{CouncilFoster}

// Bounds of an agreement.
const (
	MaxSharingMembers = 60  // the largest regional care co-operative has a few dozen councils
	MaxSharingNameLen = 120 // "Yorkshire and Humber foster carer pool"
)

// SharingAgreement says which councils may use which council's own carers: council to
// council, or a regional pool of member councils, for some kinds of care, in force from one
// day to another. Agreements are no secret among staff: administrators keep them; officers
// and commissioners read them.
type SharingAgreement struct {
	ID   SharingAgreementID
	Name string // "Yorkshire and Humber foster carer pool"
	Kind SharingKind
	// Members are the councils of the agreement, each once. Council to council: exactly two,
	// the owner first and the receiving council second.
	Members []CouncilCode
	// OneWay: council to council only, the owner's carers go to the receiver's children and
	// not the other way round. A regional pool is always every way.
	OneWay bool
	// Kinds of care shared: SharedKinds only (council_foster).
	Kinds []PlacementKind
	// From is the first day the agreement is in force; To the last (zero: no end set).
	From time.Time
	To   time.Time
	// Note says where the agreement comes from (a minute, a contract reference), for the record.
	Note      string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every bad field of the agreement.
func (a SharingAgreement) Validate() error {
	p := newProblems()
	if a.Name == "" {
		p.add("name", "is required")
	}
	checkText(p, "name", a.Name, MaxSharingNameLen)
	if !a.Kind.Valid() {
		p.add("kind", "must be one of %v", SharingKinds)
	}
	seen := map[CouncilCode]bool{}
	for i, c := range a.Members {
		switch {
		case !c.Valid():
			p.add("members["+strconv.Itoa(i)+"]", "must be the ONS code of an English upper-tier council")
		case seen[c]:
			p.add("members["+strconv.Itoa(i)+"]", "names a council twice")
		}
		seen[c] = true
	}
	switch {
	case a.Kind == SharingCouncilToCouncil && len(a.Members) != 2:
		p.add("members", "must name exactly two councils for a council-to-council agreement: the owner of the carers, then the receiving council")
	case a.Kind == SharingRegionalPool && len(a.Members) < 2:
		p.add("members", "must name at least two councils for a regional pool")
	case len(a.Members) > MaxSharingMembers:
		p.add("members", "must name at most %d councils", MaxSharingMembers)
	}
	if a.OneWay && a.Kind == SharingRegionalPool {
		p.add("one_way", "must be false for a regional pool: its members share every way")
	}
	if len(a.Kinds) == 0 {
		p.add("kinds", "must list at least one kind of care: %v", SharedKinds)
	}
	checkSet(p, "kinds", a.Kinds, func(k PlacementKind) bool { return oneOf(k, SharedKinds) }, SharedKinds)
	checkDate(p, "from", a.From)
	if !a.To.IsZero() {
		checkDate(p, "to", a.To)
		if !a.From.IsZero() && Day(a.To).Before(Day(a.From)) {
			p.add("to", "must not be before from")
		}
	}
	checkText(p, "note", a.Note, MaxWordsLen)
	if a.Version < 0 {
		p.add("version", "must not be negative")
	}
	return p.err()
}

// InForce reports whether the agreement is in force on day (its From and To days included).
func (a *SharingAgreement) InForce(day time.Time) bool {
	d := Day(day)
	return !d.Before(Day(a.From)) && (a.To.IsZero() || !d.After(Day(a.To)))
}

// Covers reports whether the agreement lets receiver's children live with owner's own carers
// of kind, whatever the day.
func (a *SharingAgreement) Covers(owner, receiver CouncilCode, kind PlacementKind) bool {
	if owner == receiver || !slices.Contains(a.Kinds, kind) {
		return false
	}
	switch a.Kind {
	case SharingCouncilToCouncil:
		if len(a.Members) != 2 {
			return false
		}
		return (a.Members[0] == owner && a.Members[1] == receiver) ||
			(!a.OneWay && a.Members[1] == owner && a.Members[0] == receiver)
	case SharingRegionalPool:
		return slices.Contains(a.Members, owner) && slices.Contains(a.Members, receiver)
	}
	return false
}

// Sharing holds the sharing agreements, for the one question matching asks of them: may this
// council's children live with that council's own carers on this day, and through which
// agreement. A nil *Sharing holds none. It is read-only once made.
type Sharing struct {
	list []SharingAgreement // by ID
}

// NewSharing holds the agreements given (copied), whatever their dates.
func NewSharing(as []SharingAgreement) *Sharing {
	s := &Sharing{list: slices.Clone(as)}
	slices.SortFunc(s.list, func(a, b SharingAgreement) int { return int(a.ID - b.ID) })
	return s
}

// Agreements returns every agreement held, by ID. Do not modify them.
func (s *Sharing) Agreements() []SharingAgreement {
	if s == nil {
		return nil
	}
	return s.list
}

// OwnersFor returns, for receiver's children on day, the councils whose own carers of kind
// they may live with and, for each, the agreement that says so (the lowest ID when several
// do). It is empty when no agreement is in force.
func (s *Sharing) OwnersFor(receiver CouncilCode, kind PlacementKind, day time.Time) map[CouncilCode]*SharingAgreement {
	if s == nil {
		return nil
	}
	var out map[CouncilCode]*SharingAgreement
	for i := range s.list {
		a := &s.list[i]
		if !a.InForce(day) {
			continue
		}
		for _, owner := range a.Members {
			if _, done := out[owner]; done || !a.Covers(owner, receiver, kind) {
				continue
			}
			if out == nil {
				out = map[CouncilCode]*SharingAgreement{}
			}
			out[owner] = a
		}
	}
	return out
}

// OwningCouncil is the council whose own carers a placement's are: for a council foster home,
// its provider's council (Owner, which stores fill), or, when that is not known, the council
// the home is in; empty for every other kind, which belongs to no council.
func (pl *Placement) OwningCouncil() CouncilCode {
	if pl.Kind != CouncilFoster {
		return ""
	}
	if pl.Owner != "" {
		return pl.Owner
	}
	return pl.Council
}

// SharingFilter selects sharing agreements.
type SharingFilter struct {
	Council CouncilCode // only agreements this council is a member of
	// InForce, when set, keeps only agreements in force on that day.
	InForce time.Time
	After   SharingAgreementID
	Limit   int
}

// SharingStore keeps the sharing agreements. Agreements are no secret among staff, so no
// method applies a scope: the caller checks that only administrators change them.
type SharingStore interface {
	// ListSharingAgreements returns a page of agreements by ascending ID; ErrInvalid naming
	// council when the filter's council is not valid.
	ListSharingAgreements(ctx context.Context, f SharingFilter) (Page[SharingAgreement], error)
	// SharingAgreement returns one agreement: ErrNotFound when there is none.
	SharingAgreement(ctx context.Context, id SharingAgreementID) (SharingAgreement, error)
	// CreateSharingAgreement stores a new agreement (its ID and Version are the store's),
	// audited. ErrInvalid naming each bad field (Validate) with nothing written.
	CreateSharingAgreement(ctx context.Context, a SharingAgreement) (SharingAgreement, error)
	// UpdateSharingAgreement replaces an agreement at the version read, audited; ending one is
	// setting its To day. ErrInvalid naming each bad field, ErrNotFound when there is none,
	// ErrConflict when it changed since the version read; nothing is written on any error.
	UpdateSharingAgreement(ctx context.Context, a SharingAgreement) (SharingAgreement, error)
}
