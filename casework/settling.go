package casework

import (
	"context"
	"errors"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// ErrNoSettling is the error of a settling-hold use case on a store that keeps no settling
// holds.
var ErrNoSettling = catalogue.Errorf(catalogue.KindUnavailable, "settling holds are not kept by this store")

// OfferBackup offers a child the back-up held for them while they settle (issue 20, item 7),
// without a new search, when check-ins go badly or in the officer's judgement: the hold in
// scope, at version, must be agreed and its settling period not over. The home is checked again
// against every hard constraint for the child as they are today, and scored, as any offer's
// homes are (a home that no longer fits is catalogue.ErrConflict naming placement, with the
// constraint that refuses it); the offer has that one home, with reason as its one-choice
// reason (required: ErrInvalid naming reason). In one transaction the held places become the
// new offer's (catalogue.SettlingStore.OfferSettlingHold). The usual sign-offs and checks
// apply when the offer is decided.
func (s *Service) OfferBackup(ctx context.Context, sc catalogue.Scope, id catalogue.SettlingHoldID, version int, reason string) (catalogue.Offer, catalogue.SettlingHold, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return catalogue.Offer{}, catalogue.SettlingHold{}, catalogue.Invalid("reason",
			"is required: say why the child is offered the back-up (how the check-ins or the move are going)")
	}
	st := s.settling
	if st == nil {
		return catalogue.Offer{}, catalogue.SettlingHold{}, ErrNoSettling
	}
	if err := s.Sweep(ctx); err != nil {
		return catalogue.Offer{}, catalogue.SettlingHold{}, err
	}
	h, err := st.SettlingHold(ctx, sc, id)
	if err != nil {
		return catalogue.Offer{}, catalogue.SettlingHold{}, err
	}
	if h.Status != catalogue.SettlingAgreed {
		return catalogue.Offer{}, h, catalogue.Errorf(catalogue.KindConflict,
			"settling hold %d is %s: only a back-up its provider agreed to hold can be offered", int64(h.ID), h.Status)
	}
	ch, err := s.store.Child(ctx, sc, h.Child)
	if err != nil {
		return catalogue.Offer{}, h, err
	}
	if ch.Status == catalogue.ChildClosed {
		return catalogue.Offer{}, h, catalogue.Invalid("status", "the child's record is closed: reopen it before making an offer")
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return catalogue.Offer{}, h, err
	}
	// The provider's agreement is the hold's (the store turns it into an accepted referral in
	// the offer's transaction); the home is checked as any agreed home is.
	agreed := map[catalogue.PlacementID]catalogue.Referral{h.Placement: {Child: h.Child, Siblings: h.Siblings, Placement: h.Placement}}
	options, siblings, err := s.agreedOptions(ctx, sc, ch, pol.Policy, []catalogue.PlacementID{h.Placement}, agreed)
	if fe := catalogue.FieldErrors(err); len(fe) > 0 && errors.Is(err, catalogue.ErrInvalid) {
		msg := strings.TrimPrefix(fe[0].Message, "cannot be offered: ")
		return catalogue.Offer{}, h, &catalogue.Error{Kind: catalogue.KindConflict,
			Msg:    "placement: the held back-up can no longer be offered to the child: " + msg,
			Fields: []catalogue.FieldError{{Field: "placement", Message: "can no longer be offered to the child: " + msg}}}
	} else if err != nil {
		return catalogue.Offer{}, h, err
	}
	options[0].Role = catalogue.RoleChoice
	o := catalogue.Offer{Child: ch.ID, PolicyVersion: pol.Policy.Version, Options: options, Siblings: siblings, OneChoiceReason: reason}
	return st.OfferSettlingHold(ctx, sc, id, version, o)
}
