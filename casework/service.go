package casework

import (
	"context"
	"errors"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Store is what the use cases need of the catalogue store: children, placements and their
// providers, policies, offers and match runs, each with the contract written on its catalogue
// interface (the scope applied in every query, errors of catalogue's kinds), and the placement
// histories of many children at once.
type Store interface {
	catalogue.ChildStore
	catalogue.PlacementStore
	catalogue.ProviderStore
	catalogue.PolicyStore
	catalogue.OfferStore
	catalogue.ReferralStore
	catalogue.SignOffStore
	catalogue.SignOffRefusalStore
	catalogue.MatchRuns
	// EpisodesOf is catalogue.HistoryStore's: the histories of many children, every scope
	// together. A store that keeps no histories returns none, and nobody's moves are known.
	EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error)
	// ListAudit is catalogue.AccessStore's: a page of the audit log, which takes no scope (the
	// caller checks it: ChildAudit reads the child in scope first).
	ListAudit(ctx context.Context, f catalogue.AuditFilter) (catalogue.Page[catalogue.AuditEntry], error)
}

// Matcher answers a child's search from the in-memory snapshot of the catalogue (the
// matcher.Engine satisfies it).
type Matcher interface {
	Options(ctx context.Context, req matcher.OptionsRequest) (matcher.OptionsResult, error)
	// Prepare makes a request ready for checking homes read from the store by the rules the
	// search applies, the snapshot's sharing agreements included (matcher.Snapshot.Prepare).
	Prepare(req scoring.Request, pol catalogue.Policy) (*scoring.Prepared, error)
}

// Config is what New needs. Store, Matcher and Now are required.
type Config struct {
	Store   Store
	Matcher Matcher
	Now     catalogue.Clock
	// Searched, when set, is told of every options search: how long it took and whether it
	// found two options or more (metrics).
	Searched func(took time.Duration, twoOrMore bool)
	// Family keeps children's family networks; nil: the Store's, when it keeps them.
	Family catalogue.FamilyStore
	// Records keeps the filings of decision records in the case record; History the placement
	// histories and reviews of moves (caserecord.go); nil: the Store's, when it keeps them.
	Records catalogue.CaseRecordStore
	History catalogue.HistoryStore
	// Access makes subject access exports (subjectaccess.go); nil: the Store's, when it does.
	Access catalogue.SubjectAccessStore
	// Settling keeps back-ups held while children settle (settling.go); nil: the Store's,
	// when it keeps them.
	Settling catalogue.SettlingStore
}

// Service carries out the use cases. It is safe for concurrent use.
type Service struct {
	store    Store
	match    Matcher
	now      catalogue.Clock
	searched func(time.Duration, bool)
	// family keeps children's family networks: the store's, when it keeps them (family.go).
	family catalogue.FamilyStore
	// records and history: the case records' filings and the histories (caserecord.go).
	records catalogue.CaseRecordStore
	history catalogue.HistoryStore
	access  catalogue.SubjectAccessStore
	// settling: back-ups held while children settle (settling.go); nil when not kept.
	settling catalogue.SettlingStore
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Matcher == nil {
		return nil, errors.New("casework: a Store and a Matcher are required")
	}
	s := &Service{store: cfg.Store, match: cfg.Matcher, now: cfg.Now.OrWall(), searched: cfg.Searched}
	s.family = cfg.Family
	if s.family == nil {
		s.family, _ = cfg.Store.(catalogue.FamilyStore)
	}
	s.records, s.history = cfg.Records, cfg.History
	if s.records == nil {
		s.records, _ = cfg.Store.(catalogue.CaseRecordStore)
	}
	if s.history == nil {
		s.history, _ = cfg.Store.(catalogue.HistoryStore)
	}
	if s.access = cfg.Access; s.access == nil {
		s.access, _ = cfg.Store.(catalogue.SubjectAccessStore)
	}
	if s.settling = cfg.Settling; s.settling == nil {
		s.settling, _ = cfg.Store.(catalogue.SettlingStore)
	}
	if s.searched == nil {
		s.searched = func(time.Duration, bool) {}
	}
	return s, nil
}
