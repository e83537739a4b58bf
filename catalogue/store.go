package catalogue

import "context"

// Store keeps the catalogue. Implementations apply the Scope in every query (a record out of
// scope is ErrNotFound), validate before writing, write an audit row for every change in the same
// transaction (the actor comes from the context, see WithActor), and return an *Error of a kind
// (matching ErrNotFound, ErrConflict, ErrInvalid or ErrForbidden with errors.Is), or one of
// KindUnavailable when the database cannot be reached for the moment. A conflict's message is
// shown to the caller; a record not found is told as the kind alone.
//
// Updates check Version: an update whose Version is not the stored one is ErrConflict, and a
// successful update returns the record with its new Version.
type Store interface {
	Ping(ctx context.Context) error
	Close() error
	Counts(ctx context.Context) (Counts, error)

	CreateProvider(ctx context.Context, p Provider) (Provider, error)
	Provider(ctx context.Context, id ProviderID) (Provider, error)
	ListProviders(ctx context.Context, f ProviderFilter) (Page[Provider], error)

	CreateChild(ctx context.Context, s Scope, c Child) (Child, error)
	Child(ctx context.Context, s Scope, id ChildID) (Child, error)
	UpdateChild(ctx context.Context, s Scope, c Child) (Child, error)
	ListChildren(ctx context.Context, s Scope, f ChildFilter) (Page[Child], error)

	CreateSiblingGroup(ctx context.Context, s Scope, g SiblingGroup) (SiblingGroup, error)
	SiblingGroup(ctx context.Context, s Scope, id SiblingGroupID) (SiblingGroup, error)
	UpdateSiblingGroup(ctx context.Context, s Scope, g SiblingGroup) (SiblingGroup, error)
	ListSiblingGroups(ctx context.Context, s Scope, f GroupFilter) (Page[SiblingGroup], error)

	CreatePlacement(ctx context.Context, s Scope, p Placement) (Placement, error)
	Placement(ctx context.Context, s Scope, id PlacementID) (Placement, error)
	UpdatePlacement(ctx context.Context, s Scope, p Placement) (Placement, error)
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

	CreateVacancy(ctx context.Context, s Scope, v Vacancy) (Vacancy, error)
	Vacancy(ctx context.Context, s Scope, id VacancyID) (Vacancy, error)
	UpdateVacancy(ctx context.Context, s Scope, v Vacancy) (Vacancy, error)
	ListVacancies(ctx context.Context, s Scope, f VacancyFilter) (Page[Vacancy], error)
	// HomesOf says where each of the children lives now: the location of the placement whose
	// place they fill (children who fill none are left out). It reads every scope: the matcher
	// weighs brothers and sisters apart by it, and nothing of it is shown.
	HomesOf(ctx context.Context, children []ChildID) (map[ChildID]Location, error)

	// Import writes a batch of new records, all or nothing: when any record is invalid nothing
	// is written and the *Error (KindInvalid) lists every bad record and field.
	Import(ctx context.Context, b Batch) (BatchResult, error)

	CreateToken(ctx context.Context, t Token) (Token, error)
	TokenByHash(ctx context.Context, hash [32]byte) (Token, error)
	RevokeToken(ctx context.Context, id TokenID) error

	// AppendAudit records a read (changes are audited by the store itself).
	AppendAudit(ctx context.Context, e AuditEntry) error
	ListAudit(ctx context.Context, f AuditFilter) (Page[AuditEntry], error)
}

// Counts is the size of the catalogue.
type Counts struct {
	Providers       int
	Placements      int
	Vacancies       int // available places, whatever their date
	Children        int
	ChildrenWaiting int
	SiblingGroups   int
	Tokens          int
}

// Page is one page of a list. Next is the cursor for the following page (pass it as After), or
// 0 when this is the last page.
type Page[T any] struct {
	Items []T
	Next  int64
}

// Page sizes: the default, and the most a store returns at once.
const (
	DefaultLimit = 50
	MaxLimit     = 5000
)

// ClampLimit returns the page size to use for a requested limit.
func ClampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// Near selects records within RadiusKm (great-circle) of Centre.
type Near struct {
	Centre   Location
	RadiusKm float64
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

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Subject string
	Council CouncilCode
	After   int64
	Limit   int
}

// Batch is a set of new records written together, all or nothing. Records refer to each other
// with batch-local keys, which are negative IDs: a child whose SiblingGroup is -2 belongs to the
// group in this batch whose ID is -2; a placement whose Provider is -5 is run by the provider
// whose ID is -5. Positive references name records already stored. Vacancies travel inside their
// placements. Every record's own ID must be negative (a key) or zero.
type Batch struct {
	Providers     []Provider
	Placements    []Placement
	SiblingGroups []SiblingGroup
	Children      []Child
	// Histories: every episode is of a child of this batch (a key); its placement and provider
	// are keys or stored IDs. A move review names the episode that ended (and the next) by its
	// key, a check-in the episode it is about. Councils are the children's own.
	Episodes    []Episode
	MoveReviews []MoveReview
	CheckIns    []CheckIn
	// Progress, when set, is called as records are written, with the number written so far and
	// the total.
	Progress func(done, total int)
}

// Len is the number of records in the batch, vacancies included.
func (b Batch) Len() int {
	n := len(b.Providers) + len(b.Placements) + len(b.SiblingGroups) + len(b.Children) +
		len(b.Episodes) + len(b.MoveReviews) + len(b.CheckIns)
	for _, p := range b.Placements {
		n += len(p.Vacancies)
	}
	return n
}

// BatchResult counts what an import wrote and maps each batch-local key to the stored ID.
type BatchResult struct {
	Providers     map[ProviderID]ProviderID
	Placements    map[PlacementID]PlacementID
	SiblingGroups map[SiblingGroupID]SiblingGroupID
	Children      map[ChildID]ChildID
	Vacancies     int
	Episodes      int
	MoveReviews   int
	CheckIns      int
}

type actorKey struct{}

// WithActor returns a context that carries who is acting, for the audit log.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx; the zero Actor is the system itself.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Collect pages through a list to its end: list is called with the cursor of each page in turn
// (0 for the first).
func Collect[T any](list func(after int64) (Page[T], error)) ([]T, error) {
	var out []T
	var after int64
	for {
		p, err := list(after)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.Next == 0 {
			return out, nil
		}
		after = p.Next
	}
}
