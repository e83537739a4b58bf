package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

// Preference is what one child says about a run's offers: the households they would take, best
// first (from their offers), or that they want neither.
type Preference struct {
	Child   catalogue.ChildID
	Ranked  []catalogue.PlacementID
	Neither bool
}

// SetPreferences records what children in the caller's scope said about their offers, settles
// every child's preferences in the run together by deferred acceptance (with the places the
// households have now), stores both in one transaction, and returns what the caller's
// children end with. A sibling group placed together says through any of its members; a
// child who has not said is taken to prefer their offers in order.
func (s *Runs) SetPreferences(ctx context.Context, who catalogue.Principal, id catalogue.MatchRunID, prefs []Preference) ([]catalogue.RunAllocation, error) {
	scope := who.Scope()
	run, err := s.store.MatchRun(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if run.Status != catalogue.RunSucceeded {
		return nil, catalogue.Errorf(catalogue.KindConflict, "match run %d is %s: preferences need a run that succeeded", id, run.Status)
	}
	all, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return s.store.ListRunResults(ctx, catalogue.Everything, id, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	byChild := make(map[catalogue.ChildID]*catalogue.RunResult, len(all))
	for i := range all {
		byChild[all[i].Child] = &all[i]
	}
	// Check every preference: a child of the run in scope, households among their offers.
	var fe []catalogue.FieldError
	seen := map[catalogue.ChildID]bool{}
	stored := make([]catalogue.RunPreference, 0, len(prefs))
	for i, p := range prefs {
		field := func(f string) string { return fmt.Sprintf("preferences[%d].%s", i, f) }
		r, ok := byChild[p.Child]
		switch {
		case p.Child <= 0:
			fe = append(fe, catalogue.FieldError{Field: field("child"), Message: "is required"})
			continue
		case !ok || (scope.Council != "" && r.Council != scope.Council) || scope.Provider != 0:
			fe = append(fe, catalogue.FieldError{Field: field("child"), Message: "is not a child of this run in your scope"})
			continue
		case seen[p.Child]:
			fe = append(fe, catalogue.FieldError{Field: field("child"), Message: "appears twice"})
			continue
		case p.Neither && len(p.Ranked) > 0:
			fe = append(fe, catalogue.FieldError{Field: field("ranked"), Message: "must be empty when the child wants neither"})
			continue
		case !p.Neither && len(p.Ranked) == 0:
			fe = append(fe, catalogue.FieldError{Field: field("ranked"), Message: "must list at least one of the child's offers, or say neither"})
			continue
		}
		seen[p.Child] = true
		for j, pl := range p.Ranked {
			offered := slices.ContainsFunc(r.Offers, func(o catalogue.RunOffer) bool { return o.Placement == pl })
			if !offered {
				fe = append(fe, catalogue.FieldError{Field: fmt.Sprintf("preferences[%d].ranked[%d]", i, j), Message: "is not one of the child's offers"})
			} else if slices.Index(p.Ranked, pl) != j {
				fe = append(fe, catalogue.FieldError{Field: fmt.Sprintf("preferences[%d].ranked[%d]", i, j), Message: "appears twice"})
			}
		}
		stored = append(stored, catalogue.RunPreference{Run: id, Child: p.Child, Council: r.Council, Ranked: p.Ranked, Neither: p.Neither, By: who.Token})
	}
	if len(fe) > 0 {
		return nil, catalogue.InvalidFields(fe)
	}
	// Everyone's preferences: those stored before, replaced by the new ones.
	before, err := s.store.ListRunPreferences(ctx, id)
	if err != nil {
		return nil, err
	}
	said := map[catalogue.ChildID]catalogue.RunPreference{}
	for _, p := range before {
		said[p.Child] = p
	}
	for _, p := range stored {
		said[p.Child] = p
	}
	alloc, err := s.allocate(ctx, id, all, said)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetRunPreferences(ctx, scope, id, stored, alloc); err != nil {
		return nil, err
	}
	var mine []catalogue.RunAllocation
	for _, a := range alloc {
		if scope.Council == "" || a.Council == scope.Council {
			mine = append(mine, a)
		}
	}
	return mine, nil
}

// allocate settles the run's preferences by deferred acceptance.
func (s *Runs) allocate(ctx context.Context, id catalogue.MatchRunID, results []catalogue.RunResult, said map[catalogue.ChildID]catalogue.RunPreference) ([]catalogue.RunAllocation, error) {
	var claims []matcher.Claim
	var members [][]*catalogue.RunResult
	done := map[catalogue.ChildID]bool{}
	placements := map[catalogue.PlacementID]catalogue.Placement{}
	for i := range results {
		r := &results[i]
		if done[r.Child] {
			continue
		}
		group := []*catalogue.RunResult{r}
		if len(r.Group) > 1 {
			group = group[:0]
			for _, m := range r.Group {
				for j := range results {
					if results[j].Child == m {
						group = append(group, &results[j])
						done[m] = true
					}
				}
			}
		}
		done[r.Child] = true
		c := matcher.Claim{Child: r.Child, Day: r.NeededBy}
		if len(r.Group) > 1 {
			c.Group = r.Group
		}
		for _, o := range r.Offers {
			c.Offers = append(c.Offers, matcher.ClaimOffer{Placement: o.Placement, Score: o.Score})
			if _, ok := placements[o.Placement]; !ok {
				pl, err := s.store.Placement(ctx, catalogue.Everything, o.Placement)
				switch {
				case err == nil:
					placements[o.Placement] = pl
				case !errorsIsNotFound(err):
					return nil, fmt.Errorf("reading placement %d: %w", o.Placement, err)
				}
			}
		}
		// A group says through its first member who said anything.
		for _, m := range group {
			if p, ok := said[m.Child]; ok {
				c.Ranked, c.Neither = p.Ranked, p.Neither
				break
			}
		}
		claims = append(claims, c)
		members = append(members, group)
	}
	res := matcher.Allocate(matcher.AllocateRequest{Claims: claims, Placement: func(id catalogue.PlacementID) (catalogue.Placement, bool) {
		p, ok := placements[id]
		return p, ok
	}})
	var out []catalogue.RunAllocation
	for i, a := range res.Allocations {
		for _, m := range members[i] {
			out = append(out, catalogue.RunAllocation{Run: id, Child: m.Child, Council: m.Council, Placement: a.Placement,
				Outcome: string(a.Outcome), Stated: a.Stated, Reason: a.Reason})
		}
	}
	slices.SortFunc(out, func(a, b catalogue.RunAllocation) int { return int(a.Child - b.Child) })
	return out, nil
}

func errorsIsNotFound(err error) bool { return errors.Is(err, catalogue.ErrNotFound) }
