package casework

import (
	"context"
	"errors"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// search is one child's request to the matcher, with what the officer is told of how brothers
// and sisters were searched for.
type search struct {
	req      scoring.Request
	together *Together
}

// Together says how a sibling group planned together was searched for.
type Together struct {
	Group    catalogue.SiblingGroupID
	Plan     catalogue.SiblingPlan
	Searched bool // the search asked for one household for all of them
	FellBack bool // together if possible: fewer than two homes could take them all, so this is the child alone
	Note     string
}

// moving are the brothers and sisters searched for with the child.
func (sr search) moving() []catalogue.Child {
	if len(sr.req.Group) == 0 {
		return nil
	}
	return sr.req.Group[1:]
}

// alone returns the search for the child on their own, as the officer is told of it.
func (sr search) alone() search {
	t := *sr.together
	t.Searched = false
	return search{req: matcher.AloneRequests(sr.req)[0], together: &t}
}

// aloneOf returns the search for the child on their own, whatever the plan.
func (sr search) aloneOf() search {
	return search{req: matcher.AloneRequests(sr.req)[0]}
}

// searchFor reads what a child's request is built from and builds it with the one builder every
// search uses (matcher.Case): the brothers and sisters who move with them, where the others live
// (the homes whose places they fill), and how often each who moves has moved in the last 12
// months (a child who has moved a lot has stability weighed more, and the reason says so).
func (s *Service) searchFor(ctx context.Context, sc catalogue.Scope, ch catalogue.Child) (search, error) {
	kase := matcher.Case{Child: ch}
	var g catalogue.SiblingGroup
	if ch.SiblingGroup != 0 {
		var err error
		if g, err = s.store.SiblingGroup(ctx, sc, ch.SiblingGroup); err != nil {
			return search{}, err
		}
		kase.Plan = g.Plan
		var placed []catalogue.ChildID
		for _, mid := range g.Members {
			if mid == ch.ID {
				continue
			}
			m, err := s.store.Child(ctx, sc, mid)
			if errors.Is(err, catalogue.ErrNotFound) {
				continue
			} else if err != nil {
				return search{}, err
			}
			kase.Siblings = append(kase.Siblings, m)
			if m.Status == catalogue.ChildPlaced {
				placed = append(placed, m.ID)
			}
		}
		homes, err := s.store.HomesOf(ctx, placed)
		if err != nil {
			return search{}, err
		}
		kase.LivesAt = func(id catalogue.ChildID) (catalogue.Location, bool) { at, ok := homes[id]; return at, ok }
	}
	ids := []catalogue.ChildID{ch.ID}
	if matcher.PlannedTogether(kase.Plan) {
		for i := range kase.Siblings {
			if matcher.Moving(&kase.Siblings[i]) {
				ids = append(ids, kase.Siblings[i].ID)
			}
		}
	}
	histories, err := s.store.EpisodesOf(ctx, ids)
	if err != nil {
		return search{}, err
	}
	if err := parentsFirst(ch, kase.Siblings, ids, histories, s.now()); err != nil {
		return search{}, err
	}
	kase.History = func(id catalogue.ChildID) []catalogue.Episode { return histories[id] }
	sr := search{req: kase.Request(s.now())}
	if sr.req.InadequateAllowed, err = s.overridden(ctx, sc, ch.ID); err != nil {
		return search{}, err
	}
	if matcher.PlannedTogether(g.Plan) {
		sr.together = &Together{Group: g.ID, Plan: g.Plan, Searched: len(sr.req.Group) > 0}
	}
	return sr, nil
}
