package casework

import (
	"context"
	"errors"

	"github.com/placematch/placematch/catalogue"
)

// RunView is a match run as an officer reads it in the workspace: the run, its results for the
// children the caller may see (by child ID), and the children and homes they name, so that the
// page can say who and where rather than numbers.
type RunView struct {
	Run      catalogue.MatchRun
	Results  []catalogue.RunResult
	Children map[catalogue.ChildID]catalogue.Child
	Homes    map[catalogue.PlacementID]catalogue.Placement
}

// ReadRun reads a match run in scope (ErrNotFound outside it) with, once it has succeeded, its
// results in scope and the children and homes they name. The caller audits the read.
func (s *Service) ReadRun(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID) (RunView, error) {
	run, err := s.store.MatchRun(ctx, sc, id)
	if err != nil {
		return RunView{}, err
	}
	v := RunView{Run: run, Children: map[catalogue.ChildID]catalogue.Child{}, Homes: map[catalogue.PlacementID]catalogue.Placement{}}
	if run.Status != catalogue.RunSucceeded {
		return v, nil
	}
	if v.Results, err = catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return s.store.ListRunResults(ctx, sc, run.ID, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	}); err != nil {
		return RunView{}, err
	}
	for _, r := range v.Results {
		ch, err := s.store.Child(ctx, sc, r.Child)
		if errors.Is(err, catalogue.ErrNotFound) {
			continue
		} else if err != nil {
			return RunView{}, err
		}
		v.Children[ch.ID] = ch
		for _, o := range r.Offers {
			if _, ok := v.Homes[o.Placement]; ok {
				continue
			}
			p, err := s.store.Placement(ctx, catalogue.Everything, o.Placement) // the run in scope names it
			if errors.Is(err, catalogue.ErrNotFound) {
				continue
			} else if err != nil {
				return RunView{}, err
			}
			v.Homes[p.ID] = p
		}
	}
	return v, nil
}
