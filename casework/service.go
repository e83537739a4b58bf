package casework

import (
	"context"
	"errors"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

// Store is what casework needs of the catalogue store. Each method keeps the contract written
// on catalogue.Store, catalogue.HistoryStore, catalogue.OfferStore and catalogue.MatchRuns: the
// scope is applied in every query (ErrNotFound outside it), and errors match catalogue's kinds.
type Store interface {
	Child(ctx context.Context, s catalogue.Scope, id catalogue.ChildID) (catalogue.Child, error)
	SiblingGroup(ctx context.Context, s catalogue.Scope, id catalogue.SiblingGroupID) (catalogue.SiblingGroup, error)
	Placement(ctx context.Context, s catalogue.Scope, id catalogue.PlacementID) (catalogue.Placement, error)
	HomesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID]catalogue.Location, error)
	EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error)
	Policy(ctx context.Context, council catalogue.CouncilCode) (catalogue.PolicyVersion, error)

	CreateOffer(ctx context.Context, s catalogue.Scope, o catalogue.Offer) (catalogue.Offer, error)
	CreateOffers(ctx context.Context, s catalogue.Scope, os []catalogue.Offer) ([]catalogue.Offer, error)
	Offer(ctx context.Context, s catalogue.Scope, id catalogue.OfferID) (catalogue.Offer, error)
	ListOffers(ctx context.Context, s catalogue.Scope, f catalogue.OfferFilter) (catalogue.Page[catalogue.Offer], error)
	DecideOffer(ctx context.Context, s catalogue.Scope, id catalogue.OfferID, version int, d catalogue.Decision) (catalogue.Offer, error)
	ReplaceOption(ctx context.Context, s catalogue.Scope, id catalogue.OfferID, version int, placement catalogue.PlacementID,
		reason string, replacement *catalogue.Option) (catalogue.Offer, error)

	MatchRun(ctx context.Context, s catalogue.Scope, id catalogue.MatchRunID) (catalogue.MatchRun, error)
	ListRunResults(ctx context.Context, s catalogue.Scope, id catalogue.MatchRunID, f catalogue.RunPageFilter) (catalogue.Page[catalogue.RunResult], error)
}

// Matcher answers a child's search from the in-memory snapshot of the catalogue (the
// matcher.Engine satisfies it).
type Matcher interface {
	Options(ctx context.Context, req matcher.OptionsRequest) (matcher.OptionsResult, error)
}

// Config is what New needs. Store, Matcher and Now are required.
type Config struct {
	Store   Store
	Matcher Matcher
	Now     catalogue.Clock
	// Searched, when set, is told of every options search: how long it took and whether it
	// found two options or more (metrics).
	Searched func(took time.Duration, twoOrMore bool)
}

// Service carries out the use cases. It is safe for concurrent use.
type Service struct {
	store    Store
	match    Matcher
	now      catalogue.Clock
	searched func(time.Duration, bool)
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Matcher == nil {
		return nil, errors.New("casework: a Store and a Matcher are required")
	}
	s := &Service{store: cfg.Store, match: cfg.Matcher, now: cfg.Now.OrWall(), searched: cfg.Searched}
	if s.searched == nil {
		s.searched = func(time.Duration, bool) {}
	}
	return s, nil
}
