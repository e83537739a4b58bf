package casework

import (
	"cmp"
	"context"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// WaitingSignOff is a sign-off that one home of an open offer needs and nobody has given yet:
// the offer, its child, the home and what the sign-off is for and why.
type WaitingSignOff struct {
	Offer     catalogue.Offer
	Child     catalogue.Child
	Placement catalogue.Placement
	Need      catalogue.SignOffNeed
}

// SignOffQueue returns the sign-offs waiting in the scope's open offers (catalogue.Missing of
// what each open home needs, as OfferSignOffs reads them, neither given nor refused), by offer
// (oldest first), then the offer's rank order and the order of SignOffKinds. The caller audits
// the list.
func (s *Service) SignOffQueue(ctx context.Context, sc catalogue.Scope) ([]WaitingSignOff, error) {
	var out []WaitingSignOff
	children := map[catalogue.ChildID]catalogue.Child{}
	for _, status := range catalogue.OpenOfferStatuses {
		f := catalogue.OfferFilter{Council: sc.Council, Status: status, Limit: catalogue.MaxLimit}
		for {
			page, err := s.store.ListOffers(ctx, sc, f)
			if err != nil {
				return nil, err
			}
			for _, o := range page.Items {
				waiting, err := s.waitingIn(ctx, sc, o, children)
				if err != nil {
					return nil, err
				}
				out = append(out, waiting...)
			}
			if page.Next == 0 {
				break
			}
			f.After = catalogue.OfferID(page.Next)
		}
	}
	slices.SortStableFunc(out, func(a, b WaitingSignOff) int { return cmp.Compare(a.Offer.ID, b.Offer.ID) })
	return out, nil
}

// waitingIn lists what the open homes of one offer still need signed off.
func (s *Service) waitingIn(ctx context.Context, sc catalogue.Scope, o catalogue.Offer, children map[catalogue.ChildID]catalogue.Child) ([]WaitingSignOff, error) {
	so, err := s.OfferSignOffs(ctx, sc, o.ID)
	if err != nil {
		return nil, err
	}
	var out []WaitingSignOff
	for _, op := range o.Options {
		var given []catalogue.SignOff
		for _, g := range so.Given {
			if g.Placement == op.Placement {
				given = append(given, g)
			}
		}
		for _, r := range so.Refused { // a refusal is final: it waits for nobody
			if r.Placement == op.Placement {
				given = append(given, catalogue.SignOff{Placement: r.Placement, Kind: r.Kind})
			}
		}
		missing := catalogue.Missing(so.Needed[op.Placement], given)
		if len(missing) == 0 {
			continue
		}
		ch, ok := children[o.Child]
		if !ok {
			if ch, err = s.store.Child(ctx, sc, o.Child); err != nil {
				return nil, err
			}
			children[o.Child] = ch
		}
		home, err := s.store.Placement(ctx, catalogue.Everything, op.Placement)
		if err != nil {
			return nil, err
		}
		for _, n := range missing {
			out = append(out, WaitingSignOff{Offer: o, Child: ch, Placement: home, Need: n})
		}
	}
	return out, nil
}

// OfferWaitingSignOffs returns the sign-offs waiting in one offer in scope (as SignOffQueue
// lists them): none when the offer is no longer open. ErrNotFound outside the scope.
func (s *Service) OfferWaitingSignOffs(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) ([]WaitingSignOff, error) {
	o, err := s.store.Offer(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !o.Status.Open() {
		return nil, nil
	}
	return s.waitingIn(ctx, sc, o, map[catalogue.ChildID]catalogue.Child{})
}
