package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// MaxNamed is how many homes an officer may name for an offer: two choices and back-ups.
const MaxNamed = 5

// MakeOffer makes a proposed offer for a child in scope from the homes whose providers agreed
// to take the child (an accepted referral whose hold has not run out, named by each option):
// the best two as the child's choices and the next as back-up or, when named is not empty, the
// homes an officer named, each of which must be agreed (catalogue.ErrInvalid on placements[i]
// otherwise), the first two being the choices. Each home is checked again against every hard
// constraint and scored with the same rules as the search. An offer with one choice only needs
// oneChoiceReason (ErrInvalid naming one_choice_reason); with no agreed home it is
// ErrNoAgreement. The brothers and sisters referred with the child move with them. It returns
// the offer and the child as read.
func (s *Service) MakeOffer(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, named []catalogue.PlacementID, oneChoiceReason string) (catalogue.Offer, catalogue.Child, error) {
	if len(named) > MaxNamed {
		return catalogue.Offer{}, catalogue.Child{}, catalogue.Invalid("placements", "must name at most %d homes: two choices and back-ups", MaxNamed)
	}
	if err := s.Sweep(ctx); err != nil {
		return catalogue.Offer{}, catalogue.Child{}, err
	}
	ch, err := s.store.Child(ctx, sc, child)
	if err != nil {
		return catalogue.Offer{}, catalogue.Child{}, err
	}
	if ch.Status == catalogue.ChildClosed {
		return catalogue.Offer{}, ch, catalogue.Invalid("status", "the child's record is closed: reopen it before making an offer")
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return catalogue.Offer{}, ch, err
	}
	agreed, err := s.agreed(ctx, sc, ch.ID)
	if err != nil {
		return catalogue.Offer{}, ch, err
	}
	homes := named
	if len(homes) == 0 {
		if len(agreed) == 0 {
			return catalogue.Offer{}, ch, ErrNoAgreement
		}
		for pid := range agreed {
			homes = append(homes, pid)
		}
		slices.Sort(homes)
		// A home agreed that can no longer take the child (a hard constraint broken since) is
		// left out: its refusal is for the officer naming it, not a reason to offer nothing.
		homes = slices.DeleteFunc(homes, func(h catalogue.PlacementID) bool {
			_, _, err := s.agreedOptions(ctx, sc, ch, pol.Policy, []catalogue.PlacementID{h}, agreed)
			return err != nil
		})
		if len(homes) == 0 {
			return catalogue.Offer{}, ch, ErrNoAgreement
		}
	}
	options, siblings, err := s.agreedOptions(ctx, sc, ch, pol.Policy, homes, agreed)
	if err != nil {
		return catalogue.Offer{}, ch, err
	}
	if len(named) == 0 {
		// The best first: the two best agreed homes are the choices, the rest back-ups.
		slices.SortStableFunc(options, func(a, b catalogue.Option) int { return a.Rank - b.Rank })
		if len(options) > MaxNamed {
			options = options[:MaxNamed]
		}
		for i := range options {
			options[i].Role = catalogue.RoleChoice
			if i >= 2 {
				options[i].Role = catalogue.RoleBackup
			}
		}
	}
	o := catalogue.Offer{Child: ch.ID, PolicyVersion: pol.Policy.Version, Options: options, Siblings: siblings,
		OneChoiceReason: strings.TrimSpace(oneChoiceReason)}
	if len(o.Choices()) < 2 && o.OneChoiceReason == "" {
		return catalogue.Offer{}, ch, catalogue.Invalid("one_choice_reason",
			"is required: only one home has agreed to take the child, and a child is offered two choices unless a reason is recorded")
	}
	o, err = s.store.CreateOffer(ctx, sc, o)
	return o, ch, err
}

// namedOptions checks and scores the homes an officer named, with the same rules as the search.
func (s *Service) namedOptions(ctx context.Context, sr search, pol catalogue.Policy, named []catalogue.PlacementID) ([]catalogue.Option, error) {
	prep, err := s.match.Prepare(sr.req, pol)
	if err != nil {
		return nil, err
	}
	seen := map[catalogue.PlacementID]bool{}
	ranked := make([]scoring.Ranked, 0, len(named))
	byID := map[catalogue.PlacementID]catalogue.Placement{}
	for i, pid := range named {
		field := fmt.Sprintf("placements[%d]", i)
		if pid <= 0 {
			return nil, catalogue.Invalid(field, "must be a placement ID")
		}
		if seen[pid] {
			return nil, catalogue.Invalid(field, "names the same home twice")
		}
		seen[pid] = true
		p, err := s.store.Placement(ctx, catalogue.Everything, pid)
		if errors.Is(err, catalogue.ErrNotFound) {
			return nil, catalogue.Invalid(field, "no such placement")
		} else if err != nil {
			return nil, err
		}
		p, rej := checkHome(prep, sr, p)
		if rej.Rejected() {
			return nil, catalogue.Invalid(field, "cannot be offered: %s (%s)", rej.Reason(), rej.Constraint)
		}
		byID[p.ID] = p
		ranked = append(ranked, scoring.Ranked{Placement: p.ID, Result: prep.Score(&p)})
	}
	order := append([]scoring.Ranked(nil), ranked...)
	scoring.Rank(order, pol)
	rank := map[catalogue.PlacementID]int{}
	for i, r := range order {
		rank[r.Placement] = i + 1
	}
	out := make([]catalogue.Option, 0, len(ranked))
	for i, r := range ranked {
		p := byID[r.Placement]
		role := catalogue.RoleChoice
		if i >= 2 {
			role = catalogue.RoleBackup
		}
		out = append(out, matcher.OfferOption(matcher.Option{Rank: rank[r.Placement], Placement: p, Result: r.Result, HomeKm: prep.HomeKm(&p)}, role))
	}
	return out, nil
}

// DecideOffer records the officer's decision on an offer in scope at the version read. Accepting
// fills the home's place and, in the same transaction, checks that the children could still
// live there with the children placed there since the offer was made (scoring's household
// rules: one who must be the only child, a risk to younger children and so on); a home where
// they no longer could is catalogue.ErrConflict naming placement, in words, and nothing changes.
func (s *Service) DecideOffer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int, d catalogue.Decision) (catalogue.Offer, error) {
	if d.Accepted {
		fits, err := s.householdFits(ctx, sc, id)
		if err != nil {
			return catalogue.Offer{}, err
		}
		d.Fits = fits
	}
	return s.store.DecideOffer(ctx, sc, id, version, d)
}

// householdFits returns the check accepting asks of the home in its transaction.
func (s *Service) householdFits(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) (func(catalogue.Placement) error, error) {
	o, err := s.store.Offer(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	ch, err := s.store.Child(ctx, sc, o.Child)
	if err != nil {
		return nil, err
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return nil, err
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if err != nil {
		return nil, err
	}
	if len(o.Siblings) == 0 && len(sr.req.Group) > 0 {
		sr = sr.aloneOf() // the offer is for the child alone
	}
	prep, err := s.match.Prepare(sr.req, pol.Policy)
	if err != nil {
		return nil, err
	}
	return func(pl catalogue.Placement) error {
		if r := prep.CheckHousehold(&pl); r.Rejected() {
			msg := "can no longer take the child: " + r.Reason()
			return &catalogue.Error{Kind: catalogue.KindConflict, Msg: "placement: " + msg,
				Fields: []catalogue.FieldError{{Field: "placement", Message: msg}}}
		}
		return nil
	}, nil
}

// ReplaceOption withdraws one option of an offer in scope, at the version read, with the
// officer's reason: a choice or back-up fell through. The back-up takes a withdrawn choice's
// place, and a new search tops the offer up to two choices and a back-up where it can. A stale
// version is catalogue.ErrConflict; a placement not an option still open, ErrInvalid naming it.
func (s *Service) ReplaceOption(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int, placement catalogue.PlacementID, reason string) (catalogue.Offer, error) {
	o, err := s.store.Offer(ctx, sc, id)
	if err != nil {
		return catalogue.Offer{}, err
	}
	if o.Version != version {
		return catalogue.Offer{}, catalogue.Errorf(catalogue.KindConflict, "offer %d: version %d is stale, the stored version is %d", id, version, o.Version)
	}
	op, ok := o.Option(placement)
	if !ok || op.Withdrawn {
		return catalogue.Offer{}, catalogue.Invalid("placement", "is not an option of the offer still open")
	}
	open := len(o.Choices()) + len(o.Backups())
	var replacement *catalogue.Option
	if o.Status.Open() && open-1 < matcher.DefaultOptions {
		if replacement, err = s.nextOption(ctx, sc, o); err != nil {
			return catalogue.Offer{}, err
		}
	}
	return s.store.ReplaceOption(ctx, sc, id, version, placement, reason, replacement)
}

// nextOption returns the best home whose provider agreed to take the offer's child that is not
// already in the offer and can still take them, as an option, or nil when there is none: only
// agreed homes reach the child.
func (s *Service) nextOption(ctx context.Context, sc catalogue.Scope, o catalogue.Offer) (*catalogue.Option, error) {
	ch, err := s.store.Child(ctx, sc, o.Child)
	if err != nil {
		return nil, err
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return nil, err
	}
	agreed, err := s.agreed(ctx, sc, ch.ID)
	if err != nil {
		return nil, err
	}
	var best *catalogue.Option
	for pid, r := range agreed {
		if _, in := o.Option(pid); in || !slices.Equal(r.Siblings, o.Siblings) {
			continue
		}
		ops, _, err := s.agreedOptions(ctx, sc, ch, pol.Policy, []catalogue.PlacementID{pid}, agreed)
		if err != nil {
			continue // it can no longer take the child
		}
		if op := ops[0]; best == nil || op.Quality > best.Quality || (op.Quality == best.Quality && op.Placement < best.Placement) {
			best = &op
		}
	}
	if best != nil {
		best.Role = catalogue.RoleBackup
	}
	return best, nil
}
