package casework

import (
	"context"

	"github.com/placematch/placematch/catalogue"
)

// overridden returns the homes rated inadequate whose rating the director has overridden for
// the child (catalogue.InadequateOverride): the child's own search considers them, and no
// other child's.
func (s *Service) overridden(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.PlacementID, error) {
	ovs, err := s.store.InadequateOverrides(ctx, sc, child)
	if err != nil {
		return nil, err
	}
	return overriddenHomes(ovs), nil
}

// overriddenHomes are the homes a child's overrides let through for their request: the one
// rule, for the options of one child and for a match run alike. A request of brothers and
// sisters together is its lead child's, and takes the lead child's overrides.
func overriddenHomes(ovs []catalogue.InadequateOverride) []catalogue.PlacementID {
	var out []catalogue.PlacementID
	for _, o := range ovs {
		out = append(out, o.Placement)
	}
	return out
}

// SignOffs is what an offer's homes need signed off before one is accepted, what is given and
// what is refused (a refused home cannot be accepted on the offer).
type SignOffs struct {
	Needed  map[catalogue.PlacementID][]catalogue.SignOffNeed
	Given   []catalogue.SignOff
	Refused []catalogue.SignOffRefusal
}

// OfferSignOffs returns what each open home of an offer in scope needs signed off, and the
// sign-offs given (the child's overrides of inadequate ratings among them) and refused.
func (s *Service) OfferSignOffs(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) (SignOffs, error) {
	needed, err := s.store.SignOffsNeeded(ctx, sc, id)
	if err != nil {
		return SignOffs{}, err
	}
	given, err := s.store.SignOffs(ctx, sc, id)
	if err != nil {
		return SignOffs{}, err
	}
	refused, err := s.store.SignOffRefusals(ctx, sc, id)
	return SignOffs{Needed: needed, Given: given, Refused: refused}, err
}

// GiveSignOff records a manager's sign-off of kind for one home of an offer in scope, with a
// reason. When placement is 0 it is the one open home of the offer that needs that kind; when
// none or several do, catalogue.ErrInvalid naming placement. The store checks the rest
// (catalogue.SignOffStore.GiveSignOff).
func (s *Service) GiveSignOff(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind, reason string) (catalogue.SignOff, error) {
	placement, err := s.homeNeeding(ctx, sc, id, placement, kind)
	if err != nil {
		return catalogue.SignOff{}, err
	}
	return s.store.GiveSignOff(ctx, sc, id, placement, kind, reason)
}

// RefuseSignOff records a manager's refusal of the sign-off of kind for one home of an offer in
// scope, with a reason: the home cannot then be accepted on the offer. The home is found as
// GiveSignOff finds it; the store checks the rest (catalogue.SignOffRefusalStore.RefuseSignOff).
func (s *Service) RefuseSignOff(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind, reason string) (catalogue.SignOffRefusal, error) {
	placement, err := s.homeNeeding(ctx, sc, id, placement, kind)
	if err != nil {
		return catalogue.SignOffRefusal{}, err
	}
	return s.store.RefuseSignOff(ctx, sc, id, placement, kind, reason)
}

// homeNeeding is placement, or when it is 0 the one open home of the offer that needs a
// sign-off of kind: catalogue.ErrInvalid naming kind when none does, placement when several do.
func (s *Service) homeNeeding(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind) (catalogue.PlacementID, error) {
	if placement != 0 || !kind.Valid() {
		return placement, nil
	}
	needed, err := s.store.SignOffsNeeded(ctx, sc, id)
	if err != nil {
		return 0, err
	}
	var homes []catalogue.PlacementID
	for pid, ns := range needed {
		for _, n := range ns {
			if n.Kind == kind {
				homes = append(homes, pid)
			}
		}
	}
	switch len(homes) {
	case 0:
		return 0, catalogue.Invalid("kind", "no home of the offer needs a %s sign-off", kind)
	case 1:
		return homes[0], nil
	}
	return 0, catalogue.Invalid("placement", "is required: %d homes of the offer need a %s sign-off", len(homes), kind)
}

// OverrideInadequate records the director's override of a home's inadequate rating for one
// child in scope, with a written reason (catalogue.SignOffStore.OverrideInadequate).
func (s *Service) OverrideInadequate(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, placement catalogue.PlacementID,
	reason string) (catalogue.InadequateOverride, error) {
	return s.store.OverrideInadequate(ctx, sc, child, placement, reason)
}
