package api

import (
	"context"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// caseworkStore is the store as package casework sees it, made of the API's own dependencies
// when no casework service is given: the catalogue, offers, policies and, when kept, placement
// histories and match runs.
type caseworkStore struct {
	Catalogue
	Offers
	pol  Policies
	hist History // nil: histories are not kept, and nobody's moves are known
	runs Runs    // nil: no match runs
}

var _ casework.Store = caseworkStore{}

func (c caseworkStore) Policy(ctx context.Context, council catalogue.CouncilCode) (catalogue.PolicyVersion, error) {
	return c.pol.Policy(ctx, council)
}

func (c caseworkStore) EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error) {
	if c.hist == nil {
		return nil, nil
	}
	return c.hist.EpisodesOf(ctx, children)
}

func (c caseworkStore) MatchRun(ctx context.Context, s catalogue.Scope, id catalogue.MatchRunID) (catalogue.MatchRun, error) {
	if c.runs == nil {
		return catalogue.MatchRun{}, errNoMatching
	}
	return c.runs.MatchRun(ctx, s, id)
}

func (c caseworkStore) ListRunResults(ctx context.Context, s catalogue.Scope, id catalogue.MatchRunID, f catalogue.RunPageFilter) (catalogue.Page[catalogue.RunResult], error) {
	if c.runs == nil {
		return catalogue.Page[catalogue.RunResult]{}, errNoMatching
	}
	return c.runs.ListRunResults(ctx, s, id, f)
}
