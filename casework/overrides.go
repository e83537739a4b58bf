package casework

import (
	"cmp"
	"context"
	"slices"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// ChildOverrides is what a manager's page of a child's overrides of inadequate ratings shows:
// the child, the overrides given (each with its home), and the homes the child's search left
// out for their rating alone, which an override would let through.
type ChildOverrides struct {
	Child     catalogue.Child
	Overrides []Overridden
	// Excluded are the homes with a free place within the policy's distance of the child's home
	// that the child's search rules out only because Ofsted rated them inadequate (or, for
	// supported accommodation, found serious or widespread weaknesses), not yet overridden;
	// nearest first, then by ID.
	Excluded []catalogue.Placement
}

// Overridden is an override with the home it is for.
type Overridden struct {
	catalogue.InadequateOverride
	Home catalogue.Placement
}

// InadequateOverridesOf returns a child's overrides and the homes an override could let
// through (ChildOverrides). The rules are the search's (the child's request as every search
// builds it, checked by scoring.Prepared.CheckAll), so a home any other rule rules out is not
// offered for an override. ErrNotFound outside the scope. The caller audits the read.
func (s *Service) InadequateOverridesOf(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) (ChildOverrides, error) {
	ch, err := s.store.Child(ctx, sc, child)
	if err != nil {
		return ChildOverrides{}, err
	}
	out := ChildOverrides{Child: ch}
	ovs, err := s.store.InadequateOverrides(ctx, sc, ch.ID)
	if err != nil {
		return ChildOverrides{}, err
	}
	done := map[catalogue.PlacementID]bool{}
	for _, o := range ovs {
		home, err := s.store.Placement(ctx, catalogue.Everything, o.Placement)
		if err != nil {
			return ChildOverrides{}, err
		}
		out.Overrides = append(out.Overrides, Overridden{o, home})
		done[o.Placement] = true
	}
	if ch.Status == catalogue.ChildClosed || ch.Status == catalogue.ChildPlaced {
		return out, nil // no search to let a home through for
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return ChildOverrides{}, err
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if err != nil {
		return ChildOverrides{}, err
	}
	prep, err := s.match.Prepare(sr.req, pol.Policy)
	if err != nil {
		return ChildOverrides{}, err
	}
	f := catalogue.PlacementFilter{HasVacancy: true, Near: &catalogue.Near{Centre: ch.Home, RadiusKm: pol.Policy.MaxDistanceKm}, Limit: catalogue.MaxLimit}
	for {
		page, err := s.store.ListPlacements(ctx, catalogue.Everything, f)
		if err != nil {
			return ChildOverrides{}, err
		}
		for _, p := range page.Items {
			if done[p.ID] || (p.Ofsted != catalogue.OfstedInadequate && p.SupportedOutcome != catalogue.OutcomeSerious) {
				continue
			}
			p, _ = checkHome(prep, sr, p)
			if rs := prep.CheckAll(&p); len(rs) == 1 && rs[0].Constraint == scoring.ConstraintOfstedInadequate {
				out.Excluded = append(out.Excluded, p)
			}
		}
		if page.Next == 0 {
			break
		}
		f.After = catalogue.PlacementID(page.Next)
	}
	slices.SortFunc(out.Excluded, func(a, b catalogue.Placement) int {
		return cmp.Or(cmp.Compare(catalogue.DistanceKm(ch.Home, a.Location), catalogue.DistanceKm(ch.Home, b.Location)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
