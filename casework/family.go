package casework

import (
	"context"

	"github.com/placematch/placematch/catalogue"
)

// The family network (issue 18): the people a child's family names, their viability
// assessments, and a connected person who passed becoming the child's kinship home on a
// temporary approval (catalogue.KinshipHome).

// familyStore is the store's family networks, or ErrUnavailable when it keeps none.
func (s *Service) familyStore() (catalogue.FamilyStore, error) {
	if s.family == nil {
		return nil, catalogue.ErrUnavailable
	}
	return s.family, nil
}

// FamilyNetwork lists the network of a child in scope (ErrNotFound outside it).
func (s *Service) FamilyNetwork(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.NetworkMember, error) {
	f, err := s.familyStore()
	if err != nil {
		return nil, err
	}
	return f.FamilyNetwork(ctx, sc, child)
}

// AddNetworkMember adds a person the family named to the network of a child in scope; their
// viability assessment starts pending unless an outcome is given.
func (s *Service) AddNetworkMember(ctx context.Context, sc catalogue.Scope, m catalogue.NetworkMember) (catalogue.NetworkMember, error) {
	f, err := s.familyStore()
	if err != nil {
		return catalogue.NetworkMember{}, err
	}
	if m.Outcome == "" {
		m.Outcome = catalogue.ViabilityPending
	}
	return f.AddNetworkMember(ctx, sc, m)
}

// UpdateNetworkMember records a change to a member in scope, such as their assessment's outcome.
func (s *Service) UpdateNetworkMember(ctx context.Context, sc catalogue.Scope, m catalogue.NetworkMember) (catalogue.NetworkMember, error) {
	f, err := s.familyStore()
	if err != nil {
		return catalogue.NetworkMember{}, err
	}
	return f.UpdateNetworkMember(ctx, sc, m)
}

// PlaceWithConnectedPerson makes a member who passed their viability assessment the child's
// kinship home: connected to the child, on a temporary approval as a connected person from
// today by the service's clock (Care Planning, Placement and Case Review (England) Regulations
// 2010 regulation 24: up to 16 weeks while the full assessment is done), approved for the
// child's age and purpose, with a place from today; in one transaction with the member's
// link to it and their audit rows. ErrConflict when the member has not passed, or has a home
// already, or the version is stale; ErrInvalid naming the home's fields.
func (s *Service) PlaceWithConnectedPerson(ctx context.Context, sc catalogue.Scope, id catalogue.NetworkMemberID, version int,
	h catalogue.ConnectedHome) (catalogue.NetworkMember, catalogue.Placement, error) {
	f, err := s.familyStore()
	if err != nil {
		return catalogue.NetworkMember{}, catalogue.Placement{}, err
	}
	m, err := f.NetworkMember(ctx, sc, id)
	if err != nil {
		return catalogue.NetworkMember{}, catalogue.Placement{}, err
	}
	ch, err := s.store.Child(ctx, sc, m.Child)
	if err != nil {
		return catalogue.NetworkMember{}, catalogue.Placement{}, err
	}
	if h.Council == "" {
		h.Council = ch.Council
	}
	pl := catalogue.KinshipHome(m, []catalogue.Child{ch}, h, s.now())
	return f.PlaceWithConnectedPerson(ctx, sc, id, version, pl)
}
