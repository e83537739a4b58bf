package casework

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Referrals: a home is a real choice for a child only when its provider has said yes. The
// officer refers the child to the providers of chosen homes (each home checked against every
// hard constraint first); the provider reads the referral profile and accepts, with its impact
// assessment and fee, or declines with a reason; an acceptance holds the place for the policy's
// hold (72 hours by default); only accepted homes whose hold has not run out become the child's
// choices (MakeOffer, OffersFromRun). Deadlines and holds run out by the service's clock: every
// use case here sweeps first (Sweep), and serve sweeps on a ticker too. Who is told of each
// event (the provider, the child's allocated team and social worker) is the store's to write, in
// the transaction of the change (catalogue.ReferralNotifications): nothing here tells anyone.

// remindBefore is how long before its deadline a provider is reminded of a referral.
const remindBefore = time.Hour

// Sweep expires the referrals whose deadline or hold has run out, by the service's clock
// (releasing the places held and taking an expired acceptance's home out of the child's open
// offer), reminds providers of deadlines within the hour, and escalates the alerts nobody
// acknowledged by their deadline.
func (s *Service) Sweep(ctx context.Context) error {
	if _, err := s.store.ExpireReferrals(ctx); err != nil {
		return err
	}
	if _, err := s.store.RemindReferrals(ctx, s.now().Add(remindBefore)); err != nil {
		return err
	}
	// Back-ups held while children settle are released when the settling period ends
	// (catalogue/settling.go).
	if s.settling != nil {
		if _, err := s.settling.EndSettlingHolds(ctx); err != nil {
			return err
		}
	}
	// Alerts raised by children's check-ins and not acknowledged by their deadline go to the
	// council's managers (catalogue/alert.go), by the same clock.
	if a, ok := s.store.(catalogue.AlertStore); ok {
		if _, err := a.EscalateAlerts(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Refer sends a child in scope to the provider of each home named, all at once: each home is
// checked against every hard constraint first (a home that breaks one is catalogue.ErrInvalid on
// placements[i]); the brothers and sisters planned together with the child are referred with
// them. The deadline is 48 hours, or 4 for an emergency.
func (s *Service) Refer(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, homes []catalogue.PlacementID, emergency bool) ([]catalogue.Referral, error) {
	if len(homes) == 0 || len(homes) > catalogue.MaxReferred {
		return nil, catalogue.Invalid("placements", "must name from 1 to %d homes", catalogue.MaxReferred)
	}
	if err := s.Sweep(ctx); err != nil {
		return nil, err
	}
	ch, err := s.store.Child(ctx, sc, child)
	if err != nil {
		return nil, err
	}
	if ch.Status == catalogue.ChildClosed {
		return nil, catalogue.Invalid("status", "the child's record is closed: reopen it before referring")
	}
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return nil, err
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if err != nil {
		return nil, err
	}
	if _, err := s.namedOptions(ctx, sr, pol.Policy, homes); err != nil {
		return nil, err
	}
	var siblings []catalogue.ChildID
	for _, m := range sr.moving() {
		siblings = append(siblings, m.ID)
	}
	deadline := s.now().Add(catalogue.ResponseWindow(emergency))
	rs := make([]catalogue.Referral, len(homes))
	for i, h := range homes {
		rs[i] = catalogue.Referral{Child: ch.ID, Siblings: siblings, Placement: h, Emergency: emergency, Deadline: deadline}
	}
	return s.store.CreateReferrals(ctx, sc, rs)
}

// ListReferrals returns a page of the referrals in scope, after the sweep.
func (s *Service) ListReferrals(ctx context.Context, sc catalogue.Scope, f catalogue.ReferralFilter) (catalogue.Page[catalogue.Referral], error) {
	if err := s.Sweep(ctx); err != nil {
		return catalogue.Page[catalogue.Referral]{}, err
	}
	return s.store.ListReferrals(ctx, sc, f)
}

// ReferralProfile is what a provider is told of the child referred: the least it needs to
// consider the impact on the children already living in the home. First name and age only;
// never the child's address, school, family or contact plan.
type ReferralProfile struct {
	FirstName     string
	Age           int
	Sex           catalogue.Sex
	LegalStatus   catalogue.LegalStatus
	CareType      catalogue.CareType
	Purpose       catalogue.Purpose
	NeededBy      time.Time
	Needs         []catalogue.Need
	Risks         []catalogue.RiskToOthers
	Communication []catalogue.Communication
	Companions    catalogue.Companions
	Pets          catalogue.PetsRule
	Allergies     []catalogue.Animal
	Respiratory   bool
	Wheelchair    bool
	// Siblings are the ages of the brothers and sisters who would move with the child.
	Siblings []int
}

// profileOf is the referral profile of a child.
func profileOf(c catalogue.Child, siblings []catalogue.Child, today time.Time) ReferralProfile {
	p := ReferralProfile{FirstName: c.FirstName, Age: catalogue.AgeOn(c.DateOfBirth, today), Sex: c.Sex,
		LegalStatus: c.LegalStatus, CareType: c.CareType, Purpose: c.Purpose, NeededBy: c.NeededBy, Needs: c.Needs,
		Risks: c.RisksToOthers, Communication: c.Communication, Companions: c.Companions, Pets: c.Pets,
		Allergies: c.Allergies, Respiratory: c.Respiratory, Wheelchair: c.Wheelchair}
	for _, sib := range siblings {
		p.Siblings = append(p.Siblings, catalogue.AgeOn(sib.DateOfBirth, today))
	}
	return p
}

// OpenReferral returns a referral in scope with the child's referral profile. A provider
// opening it marks it viewed.
func (s *Service) OpenReferral(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID) (catalogue.Referral, ReferralProfile, error) {
	if err := s.Sweep(ctx); err != nil {
		return catalogue.Referral{}, ReferralProfile{}, err
	}
	r, err := s.store.Referral(ctx, sc, id)
	if err != nil {
		return catalogue.Referral{}, ReferralProfile{}, err
	}
	if sc.Provider != 0 {
		if r, err = s.store.MarkViewed(ctx, sc, id); err != nil {
			return catalogue.Referral{}, ReferralProfile{}, err
		}
	}
	// The referral in scope is what lets its provider read the child's profile.
	ch, err := s.store.Child(ctx, catalogue.Everything, r.Child)
	if err != nil {
		return catalogue.Referral{}, ReferralProfile{}, err
	}
	var sibs []catalogue.Child
	for _, id := range r.Siblings {
		sib, err := s.store.Child(ctx, catalogue.Everything, id)
		if err != nil {
			return catalogue.Referral{}, ReferralProfile{}, err
		}
		sibs = append(sibs, sib)
	}
	return r, profileOf(ch, sibs, catalogue.Day(s.now())), nil
}

// Respond records the provider's answer to a referral in scope at the version read: accepting
// holds the place for the hold of the child's council's policy (409 when the home has no free
// place left: another child's acceptance took it).
func (s *Service) Respond(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID, version int, a catalogue.ReferralResponse) (catalogue.Referral, error) {
	if err := s.Sweep(ctx); err != nil {
		return catalogue.Referral{}, err
	}
	r, err := s.store.Referral(ctx, sc, id)
	if err != nil {
		return catalogue.Referral{}, err
	}
	pol, err := s.store.Policy(ctx, r.Council)
	if err != nil {
		return catalogue.Referral{}, err
	}
	return s.store.RespondReferral(ctx, sc, id, version, a, s.now().Add(pol.Policy.Hold()))
}

// WithdrawReferral withdraws a referral in scope at the version read, with the officer's reason,
// and the provider is told.
func (s *Service) WithdrawReferral(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID, version int, reason string) (catalogue.Referral, error) {
	return s.store.WithdrawReferral(ctx, sc, id, version, reason)
}

// agreed returns the child's referrals accepted whose hold has not run out, by home.
func (s *Service) agreed(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) (map[catalogue.PlacementID]catalogue.Referral, error) {
	all, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Referral], error) {
		return s.store.ListReferrals(ctx, sc, catalogue.ReferralFilter{Child: child, Status: catalogue.ReferralAccepted,
			After: catalogue.ReferralID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return nil, err
	}
	out := map[catalogue.PlacementID]catalogue.Referral{}
	now := s.now()
	for _, r := range all {
		if r.Agreed(now) {
			out[r.Placement] = r
		}
	}
	return out, nil
}

// ErrNoAgreement is MakeOffer's error when no provider has accepted a referral for the child.
var ErrNoAgreement = catalogue.Errorf(catalogue.KindConflict,
	"no provider has accepted a referral for the child: refer the child to the homes of their options (POST /v1/children/{id}/referrals) and make the offer once providers accept")

// agreedOptions scores the homes whose providers agreed to take the child, in the order given
// (the first two are the child's choices), each option naming its referral; the brothers and
// sisters moving are the referrals'.
func (s *Service) agreedOptions(ctx context.Context, sc catalogue.Scope, ch catalogue.Child, pol catalogue.Policy,
	homes []catalogue.PlacementID, agreed map[catalogue.PlacementID]catalogue.Referral) ([]catalogue.Option, []catalogue.ChildID, error) {
	var siblings []catalogue.ChildID
	for i, h := range homes {
		r, ok := agreed[h]
		if !ok {
			return nil, nil, catalogue.Invalid(fmt.Sprintf("placements[%d]", i),
				"its provider has not agreed to take the child: refer the child to it and wait for the provider to accept")
		}
		if i == 0 {
			siblings = r.Siblings
		} else if !slices.Equal(siblings, r.Siblings) {
			return nil, nil, catalogue.Invalid(fmt.Sprintf("placements[%d]", i), "was referred for other brothers and sisters moving than the first home")
		}
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if err != nil {
		return nil, nil, err
	}
	if len(siblings) == 0 && len(sr.req.Group) > 0 {
		sr = sr.aloneOf()
	}
	options, err := s.namedOptions(ctx, sr, pol, homes)
	if err != nil {
		return nil, nil, err
	}
	for i := range options {
		options[i].Referral = agreed[options[i].Placement].ID
	}
	return options, siblings, nil
}

// heldAsFree returns the placement with the places held for the children turned available: a
// place a provider holds for a child is free for that child (for everyone else it is not).
func heldAsFree(p catalogue.Placement, children []catalogue.ChildID) catalogue.Placement {
	p.Vacancies = slices.Clone(p.Vacancies)
	for i, v := range p.Vacancies {
		if v.Status == catalogue.VacancyHeld && slices.Contains(children, v.Child) {
			p.Vacancies[i].Status, p.Vacancies[i].Child, p.Vacancies[i].Occupant = catalogue.VacancyAvailable, 0, nil
		}
	}
	return p
}

// checkHome checks a home against every hard constraint for the search, with the places held
// for its children free for them.
func checkHome(prep *scoring.Prepared, sr search, p catalogue.Placement) (catalogue.Placement, scoring.Rejection) {
	ids := []catalogue.ChildID{sr.req.Child.ID}
	for _, m := range sr.moving() {
		ids = append(ids, m.ID)
	}
	p = heldAsFree(p, ids)
	return p, prep.Check(&p)
}

// RunReferrals is what ReferFromRun did with each child of a match run the caller may see.
type RunReferrals struct {
	Run     catalogue.MatchRunID
	Sent    []catalogue.Referral
	Skipped []RunOfferSkipped
}

// ReferFromRun refers every child of a succeeded match run the scope sees to the providers of
// the run's homes for them (the run proposes; providers agree; offers follow acceptances). A
// child no longer waiting, or already referred to a home, is skipped for it, saying why.
func (s *Service) ReferFromRun(ctx context.Context, sc catalogue.Scope, id catalogue.MatchRunID, emergency bool) (RunReferrals, error) {
	run, err := s.store.MatchRun(ctx, sc, id)
	if err != nil {
		return RunReferrals{}, err
	}
	if run.Status != catalogue.RunSucceeded {
		return RunReferrals{}, catalogue.Errorf(catalogue.KindConflict, "match run %d is %s: referrals are made from a run that succeeded", id, run.Status)
	}
	if err := s.Sweep(ctx); err != nil {
		return RunReferrals{}, err
	}
	results, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return s.store.ListRunResults(ctx, sc, run.ID, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return RunReferrals{}, err
	}
	out := RunReferrals{Run: run.ID}
	deadline := s.now().Add(catalogue.ResponseWindow(emergency))
	var rs []catalogue.Referral
	for _, r := range results {
		if len(r.Offers) == 0 || (len(r.Group) > 0 && r.Group[0] != r.Child) {
			continue
		}
		ch, err := s.store.Child(ctx, sc, r.Child)
		if err != nil {
			return RunReferrals{}, err
		}
		if !matcher.Moving(&ch) {
			out.Skipped = append(out.Skipped, RunOfferSkipped{Child: r.Child, Reason: fmt.Sprintf("the child is %s since the run: not referred", ch.Status)})
			continue
		}
		if err := s.parentsConsidered(ctx, ch); parentsSkip(err) != "" {
			out.Skipped = append(out.Skipped, RunOfferSkipped{Child: r.Child, Reason: parentsSkip(err)})
			continue
		} else if err != nil {
			return RunReferrals{}, err
		}
		live, err := s.store.ListReferrals(ctx, sc, catalogue.ReferralFilter{Child: ch.ID, Limit: catalogue.MaxLimit})
		if err != nil {
			return RunReferrals{}, err
		}
		var siblings []catalogue.ChildID
		if len(r.Group) > 1 {
			siblings = r.Group[1:]
		}
		for _, o := range r.Offers {
			if slices.ContainsFunc(live.Items, func(l catalogue.Referral) bool { return l.Placement == o.Placement && l.Status.Live() }) {
				out.Skipped = append(out.Skipped, RunOfferSkipped{Child: r.Child, Reason: fmt.Sprintf("already referred to placement %d", o.Placement)})
				continue
			}
			rs = append(rs, catalogue.Referral{Child: ch.ID, Siblings: siblings, Placement: o.Placement, Run: run.ID,
				Emergency: emergency, Deadline: deadline})
		}
	}
	if len(rs) > 0 {
		if out.Sent, err = s.store.CreateReferrals(ctx, sc, rs); err != nil {
			return RunReferrals{}, err
		}
	}
	return out, nil
}

// WithdrawOffer withdraws an open offer in scope at the version read, with a reason: the
// referrals of its homes are withdrawn and their places released, and the providers told.
func (s *Service) WithdrawOffer(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, version int, reason string) (catalogue.Offer, error) {
	return s.store.WithdrawOffer(ctx, sc, id, version, reason)
}
