package api

import (
	"context"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// caseworkStore is the Store as package casework sees it, when the API makes its own casework
// service: the placement histories are the Store's when it keeps them, else none, and nobody's
// moves are known.
type caseworkStore struct {
	Store
	hist histories // nil: not kept
}

var _ casework.Store = caseworkStore{}

func (c caseworkStore) EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error) {
	if c.hist == nil {
		return nil, nil
	}
	return c.hist.EpisodesOf(ctx, children)
}
