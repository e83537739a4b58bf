package catalogue

import "context"

// Store keeps the catalogue: every aggregate's store, each declared beside its type with the
// contract of its methods, and what spans them (Ping, Counts, Import). catalogue/sqlstore
// implements it. Every implementation keeps these rules, which each method's contract takes as
// read:
//
//   - Scope. A method that takes a Scope applies it in its query: a record outside the scope is
//     ErrNotFound, never told apart from one that does not exist, and a list holds only the
//     records in scope (see Scope for what each role sees and writes). A method that takes no
//     Scope says why: it reads aggregates only, it is the system's own work, or it is called
//     with what the caller already holds (a token's or a session's hash).
//   - Errors. A failure is an *Error of a Kind, wrapped with %w where context is added for the
//     log: ErrInvalid with the Fields at fault when the input is malformed (checked before
//     anything is written), ErrNotFound, ErrConflict with a message a person may read when the
//     change breaks a rule of the current state, ErrForbidden where a contract says so, and
//     KindUnavailable when the database cannot be reached for the moment; or ctx's error when
//     it ends first. Anything else is a fault of the store's own (KindInternal). A method's
//     contract names the conflicts and refusals of its own.
//   - Lists. A list returns a page of at most ClampLimit(f.Limit) records after the cursor
//     f.After, in the order its contract gives (by ascending ID unless it says otherwise);
//     ErrInvalid naming the filter's field (status, near.radius_km) when a filter is not valid.
//   - Versions. An update whose Version is not the stored one is ErrConflict, and a successful
//     update returns the record with its new Version.
//   - Audit. Every change writes its audit row in the same transaction, naming the actor the
//     context carries (see WithActor); reads of children's records are audited by the caller
//     (AuditLog.AppendAudit).
type Store interface {
	ProviderStore
	ChildStore
	PlacementStore
	HistoryStore
	CheckInStore
	OfferStore
	ReferralStore
	SignOffStore
	SignOffRefusalStore
	LinkStore
	SupportStore
	PolicyStore
	SharingStore
	MatchRuns
	TokenStore
	AuditLog
	IdempotencyStore
	NotificationStore
	FamilyStore

	// Ping checks the database answers: KindUnavailable when it does not.
	Ping(ctx context.Context) error
	// Close closes the store; it is not used after.
	Close() error
	// Counts returns the size of the catalogue, every scope together (see Counts): aggregates
	// only, so it takes no scope.
	Counts(ctx context.Context) (Counts, error)
	// Import writes a batch of new records, all or nothing: every record is checked first, and
	// when any is invalid nothing is written and the *Error (KindInvalid) lists every bad
	// record and field (the first MaxIssues, with Total): a reference to a record that does not
	// exist, or a case reference already used in the child's council, is a bad field too. It
	// takes no scope: the caller decides whose records a batch may hold (the API's import sets
	// an officer's council on every record). People's locations are kept coarse, as by
	// CreateChild. It is audited with one row for the batch and one for each child.
	Import(ctx context.Context, b Batch) (BatchResult, error)
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
	// Flags are what the import accepted but the law will not let pass in silence (LawFlags):
	// settings not registered with Ofsted, above all those children live in.
	Flags []FieldError
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
