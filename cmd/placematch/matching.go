package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/matcher"
)

// newRuns wires the match-run service to the store, its policies and an engine.
func newRuns(store *sqlstore.Store, log *slog.Logger, engine func(context.Context) (*matcher.Engine, error), metrics *api.Metrics) (*casework.Runs, error) {
	var finished func(catalogue.MatchRun, time.Duration)
	if metrics != nil {
		finished = func(r catalogue.MatchRun, took time.Duration) { metrics.ObserveMatchRun(took, r.Children, r.Status) }
	}
	return casework.NewRuns(casework.RunsConfig{Store: store, Engine: engine, Logger: log, Finished: finished, Now: store.Now,
		Policy: func(ctx context.Context, council catalogue.CouncilCode) (catalogue.Policy, error) {
			v, err := store.Policy(ctx, council)
			return v.Policy, err
		}})
}

// matching adapts the match-run service to what the API declares it needs.
type matching struct{ svc *casework.Runs }

var _ api.Matching = matching{}

func (m matching) StartMatchRun(ctx context.Context, who catalogue.Principal, req api.MatchRunRequest) (catalogue.MatchRun, error) {
	return m.svc.Start(ctx, who, casework.RunParams{Council: req.Council, Region: req.Region, K: req.TopK})
}

func (m matching) SetPreferences(ctx context.Context, who catalogue.Principal, id catalogue.MatchRunID, prefs []catalogue.RunPreference) ([]catalogue.RunAllocation, error) {
	ps := make([]casework.Preference, len(prefs))
	for i, p := range prefs {
		ps[i] = casework.Preference{Child: p.Child, Ranked: p.Ranked, Neither: p.Neither}
	}
	return m.svc.SetPreferences(ctx, who, id, ps)
}
