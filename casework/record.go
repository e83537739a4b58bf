package casework

import (
	"context"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// Record is a child's record as their officer reads it in the workspace: the child, the
// brothers and sisters of their sibling group (in the same scope), and their placements, newest
// first.
type Record struct {
	Child    catalogue.Child
	Siblings []catalogue.Child
	Episodes []catalogue.Episode
}

// Record reads a child's record in scope: ErrNotFound outside it. The caller audits the read.
func (s *Service) Record(ctx context.Context, sc catalogue.Scope, id catalogue.ChildID) (Record, error) {
	ch, err := s.store.Child(ctx, sc, id)
	if err != nil {
		return Record{}, err
	}
	r := Record{Child: ch}
	if ch.SiblingGroup != 0 {
		page, err := s.store.ListChildren(ctx, sc, catalogue.ChildFilter{SiblingGroup: ch.SiblingGroup, Limit: catalogue.MaxLimit})
		if err != nil {
			return Record{}, err
		}
		for _, o := range page.Items {
			if o.ID != ch.ID {
				r.Siblings = append(r.Siblings, o)
			}
		}
	}
	eps, err := s.store.EpisodesOf(ctx, []catalogue.ChildID{ch.ID})
	if err != nil {
		return Record{}, err
	}
	r.Episodes = slices.Clone(eps[ch.ID])
	slices.Reverse(r.Episodes)
	return r, nil
}
