package casework

import (
	"context"
	"fmt"
	"slices"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

// RunOffers is what OffersFromRun did with each child of a match run the caller may see.
type RunOffers struct {
	Run     catalogue.MatchRunID
	Made    []RunOfferMade
	Skipped []RunOfferSkipped
}

// RunOfferMade is an offer made from a run.
type RunOfferMade struct {
	Child catalogue.ChildID
	Offer catalogue.OfferID
}

// RunOfferSkipped is a child of the run for whom no offer was made, and why, in words.
type RunOfferSkipped struct {
	Child  catalogue.ChildID
	Reason string
}

// OffersFromRun makes an offer for every child of a succeeded match run the scope sees and the
// run offered homes, once the providers of both have accepted the child's referrals
// (ReferFromRun): the run's two homes as the child's choices (the joint match gave each its
// place, so no place is promised to two children) and, as back-up, another home whose provider
// agreed that the run gave nobody. A child whose run homes are not both agreed is skipped,
// saying which. Each child is checked again now: one no longer
// waiting (placed since the run) or with an offer open is skipped, and so is one a home of the
// run can no longer take (its place gone, or a hard constraint broken since), saying why. Each
// offer is scored afresh by the one builder and scoring, so it carries the distances to school
// and to every person in the contact plan. The offers are written all in one transaction: all
// are made, or none. A run that has not succeeded is catalogue.ErrConflict.
func (s *Service) OffersFromRun(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID) (RunOffers, error) {
	run, err := s.store.MatchRun(ctx, sc, id)
	if err != nil {
		return RunOffers{}, err
	}
	if run.Status != catalogue.RunSucceeded {
		return RunOffers{}, catalogue.Errorf(catalogue.KindConflict, "match run %d is %s: offers are made from a run that succeeded", id, run.Status)
	}
	results, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return s.store.ListRunResults(ctx, sc, run.ID, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return RunOffers{}, err
	}
	// Homes the run gave anyone are not a back-up for another child.
	given := map[catalogue.PlacementID]bool{}
	for _, r := range results {
		for _, o := range r.Offers {
			given[o.Placement] = true
		}
	}
	out := RunOffers{Run: run.ID}
	var offers []catalogue.Offer
	for _, r := range results {
		if len(r.Group) > 0 && r.Group[0] != r.Child {
			continue // a brother or sister: the offer is made to the first of the group
		}
		o, why, err := s.offerFromRun(ctx, sc, run, r, given)
		if err != nil {
			return RunOffers{}, fmt.Errorf("offer for child %d from match run %d: %w", r.Child, run.ID, err)
		}
		if why != "" {
			out.Skipped = append(out.Skipped, RunOfferSkipped{Child: r.Child, Reason: why})
			continue
		}
		offers = append(offers, o)
	}
	made, err := s.store.CreateOffers(ctx, sc, offers)
	if err != nil {
		return RunOffers{}, err
	}
	for _, o := range made {
		out.Made = append(out.Made, RunOfferMade{Child: o.Child, Offer: o.ID})
	}
	return out, nil
}

// offerFromRun is the offer for one child of the run, checked and scored now, or why none can be
// made.
func (s *Service) offerFromRun(ctx context.Context, sc catalogue.Scope, run catalogue.MatchRun, r catalogue.RunResult,
	given map[catalogue.PlacementID]bool) (catalogue.Offer, string, error) {
	if len(r.Offers) == 0 {
		if r.Reason != "" {
			return catalogue.Offer{}, r.Reason, nil
		}
		return catalogue.Offer{}, "the run offered no home", nil
	}
	ch, err := s.store.Child(ctx, sc, r.Child)
	if err != nil {
		return catalogue.Offer{}, "", err
	}
	if !matcher.Moving(&ch) {
		return catalogue.Offer{}, fmt.Sprintf("the child is %s since the run: no offer is made", ch.Status), nil
	}
	open, err := s.store.ListOffers(ctx, sc, catalogue.OfferFilter{Child: ch.ID, Limit: catalogue.MaxLimit})
	if err != nil {
		return catalogue.Offer{}, "", err
	}
	for _, o := range open.Items {
		if o.Status.Open() {
			return catalogue.Offer{}, "an offer for this child is already open", nil
		}
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return catalogue.Offer{}, "", err
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if why := parentsSkip(err); why != "" {
		return catalogue.Offer{}, why, nil
	} else if err != nil {
		return catalogue.Offer{}, "", err
	}
	if len(r.Group) == 0 && len(sr.req.Group) > 0 {
		sr = sr.aloneOf() // the run matched the child alone
	}
	prep, err := s.match.Prepare(sr.req, pol.Policy)
	if err != nil {
		return catalogue.Offer{}, "", err
	}
	agreed, err := s.agreed(ctx, sc, ch.ID)
	if err != nil {
		return catalogue.Offer{}, "", err
	}
	o := catalogue.Offer{Child: ch.ID, Council: ch.Council, Run: run.ID, PolicyVersion: pol.Policy.Version}
	for _, m := range sr.moving() {
		o.Siblings = append(o.Siblings, m.ID)
	}
	for i, ro := range r.Offers {
		ref, ok := agreed[ro.Placement]
		if !ok {
			return catalogue.Offer{}, fmt.Sprintf("the provider of placement %d has not accepted a referral for the child (POST /v1/match-runs/%d/referrals refers the run's children)", ro.Placement, run.ID), nil
		}
		p, err := s.store.Placement(ctx, catalogue.Everything, ro.Placement)
		if err != nil {
			return catalogue.Offer{}, "", err
		}
		p, rej := checkHome(prep, sr, p)
		if rej.Rejected() {
			return catalogue.Offer{}, fmt.Sprintf("%s can no longer take the child since the run: %s", p.Name, rej.Reason()), nil
		}
		op := matcher.OfferOption(matcher.Option{Rank: i + 1, Placement: p, Result: prep.Score(&p), HomeKm: prep.HomeKm(&p)}, catalogue.RoleChoice)
		op.Referral = ref.ID
		o.Options = append(o.Options, op)
	}
	// The back-up: another home whose provider agreed, that the run gave nobody.
	var others []catalogue.PlacementID
	for pid := range agreed {
		if _, in := o.Option(pid); !in && !given[pid] {
			others = append(others, pid)
		}
	}
	slices.Sort(others)
	for _, pid := range others {
		p, err := s.store.Placement(ctx, catalogue.Everything, pid)
		if err != nil {
			return catalogue.Offer{}, "", err
		}
		if p, rej := checkHome(prep, sr, p); !rej.Rejected() {
			op := matcher.OfferOption(matcher.Option{Rank: len(o.Options) + 1, Placement: p, Result: prep.Score(&p), HomeKm: prep.HomeKm(&p)}, catalogue.RoleBackup)
			op.Referral = agreed[pid].ID
			o.Options = append(o.Options, op)
			break
		}
	}
	return o, "", nil
}
