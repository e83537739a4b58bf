package casework

import (
	"cmp"
	"context"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// The provider's pages in the workspace (issue 19, journey 3): its referral inbox and its
// homes. Referrals are opened and answered with OpenReferral and Respond, as the API does.

// InboxItem is one referral in a provider's inbox, with the name of the home it is for.
type InboxItem struct {
	Referral catalogue.Referral
	Home     string
}

// Inbox is the referrals in scope (a provider's: those to its homes), after the sweep: those
// still to answer first, by deadline, then the rest, newest first. Each names its home. It
// reads no child's record: the child is named only once the provider opens the referral.
func (s *Service) Inbox(ctx context.Context, sc catalogue.Scope) ([]InboxItem, error) {
	page, err := s.ListReferrals(ctx, sc, catalogue.ReferralFilter{Limit: catalogue.MaxLimit})
	if err != nil {
		return nil, err
	}
	names := map[catalogue.PlacementID]string{}
	out := make([]InboxItem, 0, len(page.Items))
	for _, r := range page.Items {
		name, ok := names[r.Placement]
		if !ok {
			pl, err := s.store.Placement(ctx, sc, r.Placement)
			if err != nil {
				return nil, err
			}
			name, names[r.Placement] = pl.Name, pl.Name
		}
		out = append(out, InboxItem{Referral: r, Home: name})
	}
	slices.SortStableFunc(out, func(a, b InboxItem) int {
		aw, bw := a.Referral.Status.Waiting(), b.Referral.Status.Waiting()
		switch {
		case aw && !bw:
			return -1
		case bw && !aw:
			return 1
		case aw:
			return cmp.Or(a.Referral.Deadline.Compare(b.Referral.Deadline), cmp.Compare(a.Referral.ID, b.Referral.ID))
		}
		return cmp.Or(b.Referral.CreatedAt.Compare(a.Referral.CreatedAt), cmp.Compare(b.Referral.ID, a.Referral.ID))
	})
	return out, nil
}

// Home is one of a provider's homes with its places.
type Home struct {
	Placement catalogue.Placement
	Places    []catalogue.Vacancy
}

// Home reads a home in scope (ErrNotFound outside it) with its places.
func (s *Service) Home(ctx context.Context, sc catalogue.Scope, id catalogue.PlacementID) (Home, error) {
	pl, err := s.store.Placement(ctx, sc, id)
	if err != nil {
		return Home{}, err
	}
	vs, err := s.store.ListVacancies(ctx, sc, catalogue.VacancyFilter{Placement: id, Limit: catalogue.MaxLimit})
	if err != nil {
		return Home{}, err
	}
	return Home{Placement: pl, Places: vs.Items}, nil
}
