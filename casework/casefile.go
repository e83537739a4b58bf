package casework

import (
	"context"
	"errors"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// CaseFile is what an officer follows of one child in the workspace between the options and
// the move: the child's referrals with each provider's answer and deadline (after the sweep, so
// a deadline or hold run out shows as expired), the homes and providers they name, how many
// homes agree now (an offer can be made from them), and the child's offers, newest first.
type CaseFile struct {
	Child     catalogue.Child
	Referrals []catalogue.Referral // newest first
	Homes     map[catalogue.PlacementID]catalogue.Placement
	Providers map[catalogue.ProviderID]catalogue.Provider
	Agreed    int
	Offers    []catalogue.Offer // newest first
}

// CaseFile reads a child's referrals and offers in scope (ErrNotFound outside it), after the
// sweep. The caller audits the read.
func (s *Service) CaseFile(ctx context.Context, sc catalogue.Scope, id catalogue.ChildID) (CaseFile, error) {
	if err := s.Sweep(ctx); err != nil {
		return CaseFile{}, err
	}
	ch, err := s.store.Child(ctx, sc, id)
	if err != nil {
		return CaseFile{}, err
	}
	f := CaseFile{Child: ch, Homes: map[catalogue.PlacementID]catalogue.Placement{}, Providers: map[catalogue.ProviderID]catalogue.Provider{}}
	if f.Referrals, err = catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Referral], error) {
		return s.store.ListReferrals(ctx, sc, catalogue.ReferralFilter{Child: ch.ID, After: catalogue.ReferralID(after), Limit: catalogue.MaxLimit})
	}); err != nil {
		return CaseFile{}, err
	}
	slices.Reverse(f.Referrals)
	now := s.now()
	for _, r := range f.Referrals {
		if r.Agreed(now) {
			f.Agreed++
		}
		if _, ok := f.Homes[r.Placement]; ok {
			continue
		}
		p, err := s.store.Placement(ctx, catalogue.Everything, r.Placement) // the referral in scope names it
		if errors.Is(err, catalogue.ErrNotFound) {
			continue
		} else if err != nil {
			return CaseFile{}, err
		}
		f.Homes[p.ID] = p
		if _, ok := f.Providers[p.Provider]; !ok {
			pr, err := s.store.Provider(ctx, p.Provider)
			if err != nil && !errors.Is(err, catalogue.ErrNotFound) {
				return CaseFile{}, err
			}
			f.Providers[p.Provider] = pr
		}
	}
	if f.Offers, err = catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Offer], error) {
		return s.store.ListOffers(ctx, sc, catalogue.OfferFilter{Child: ch.ID, After: catalogue.OfferID(after), Limit: catalogue.MaxLimit})
	}); err != nil {
		return CaseFile{}, err
	}
	slices.Reverse(f.Offers)
	return f, nil
}
