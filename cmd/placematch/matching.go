package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/matcher/runs"
)

// engines keeps one matching engine per process: loaded from the store on first use, and
// refreshed before every match run so that the places offered are the places free now.
type engines struct {
	store *sqlstore.Store
	log   *slog.Logger
	mu    sync.Mutex
	e     *matcher.Engine
}

func (g *engines) fresh(ctx context.Context) (*matcher.Engine, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.e == nil {
		e, err := matcher.NewEngine(ctx, g.store, matcher.Options{Logger: g.log})
		if err != nil {
			return nil, err
		}
		g.e = e
		return e, nil
	}
	if err := g.e.Refresh(ctx); err != nil {
		return nil, err
	}
	return g.e, nil
}

// newRuns wires the match-run service to the store and the engine.
func newRuns(store *sqlstore.Store, log *slog.Logger) (*runs.Service, error) {
	g := &engines{store: store, log: log}
	return runs.New(runs.Config{Store: store, Engine: g.fresh, Logger: log})
}

// matching adapts the match-run service to what the API declares it needs.
type matching struct{ svc *runs.Service }

var _ api.Matching = matching{}

func (m matching) StartMatchRun(ctx context.Context, who catalogue.Principal, req api.MatchRunRequest) (catalogue.MatchRun, error) {
	run, err := m.svc.Start(ctx, who, runs.Params{Council: req.Council, Region: req.Region, K: req.TopK})
	return run, forbidden(err)
}

func (m matching) SetPreferences(ctx context.Context, who catalogue.Principal, id catalogue.MatchRunID, prefs []catalogue.RunPreference) ([]catalogue.RunAllocation, error) {
	ps := make([]runs.Preference, len(prefs))
	for i, p := range prefs {
		ps[i] = runs.Preference{Child: p.Child, Ranked: p.Ranked, Neither: p.Neither}
	}
	alloc, err := m.svc.SetPreferences(ctx, who, id, ps)
	return alloc, forbidden(err)
}

// forbidden turns the service's refusal into the API's.
func forbidden(err error) error {
	if errors.Is(err, runs.ErrForbidden) {
		return fmt.Errorf("%w: %v", api.ErrForbidden, err)
	}
	return err
}
