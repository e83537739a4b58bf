package catalogue

import (
	"context"
	"time"
)

// ReferralFact is one referral as the commissioners' report counts it: whose council sent it,
// to which provider, for which kind of care, for a child with which needs, when, and what the
// provider answered. It carries the child's ID only to tell one child's referrals from
// another's (the report never shows it) and no other detail of the child.
type ReferralFact struct {
	Referral ReferralID
	Child    ChildID
	Council  CouncilCode
	Provider ProviderID
	// ProviderName is the provider's name (a provider is an organisation: its name is no
	// personal data).
	ProviderName string
	Placement    PlacementID
	Kind         PlacementKind // the home's
	Needs        []NeedKind    // the child's assessed needs (level above none), as the record now holds them
	Emergency    bool
	SentAt       time.Time
	Status       ReferralStatus
	// Answered says the provider answered: Accepted or not, at AnsweredAt, with the weekly fee
	// of an acceptance and the reason of a decline.
	Answered   bool
	Accepted   bool
	AnsweredAt time.Time
	WeeklyFee  int
	Decline    DeclineReason
	// MovedIn is the day the child moved into a home (any home: the start of their first
	// placement in the placement history) on or after the day the referral was sent; zero when
	// they have not moved since. The time a child waited from referral to placement is read
	// from it, recorded from the day placements are marked (MarkPlaced) or histories imported.
	MovedIn time.Time
}

// FactOf is the fact of a referral, given the home's kind and the child's needs.
func FactOf(r Referral, kind PlacementKind, needs []Need) ReferralFact {
	f := ReferralFact{Referral: r.ID, Child: r.Child, Council: r.Council, Provider: r.Provider, Placement: r.Placement,
		Kind: kind, Emergency: r.Emergency, SentAt: r.CreatedAt, Status: r.Status}
	for _, n := range needs {
		if n.Level > 0 {
			f.Needs = append(f.Needs, n.Kind)
		}
	}
	if a := r.Response; a != nil {
		f.Answered, f.Accepted, f.AnsweredAt, f.WeeklyFee, f.Decline = true, a.Accepted, a.At, a.WeeklyFee, a.Decline
	}
	return f
}

// CheckPast reports every bad field of a referral kept as history (an import, the demo's
// referral histories): a valid referral that is over (accepted with no hold left: the child
// went there; declined, expired or withdrawn), sent at CreatedAt, not after now, and answered,
// when it was, after it was sent and not after now. Its response agrees with its status: an
// accepted referral was accepted, a declined one declined.
func (r Referral) CheckPast(now time.Time) error {
	p := newProblems()
	if err := r.Validate(); err != nil {
		return err
	}
	switch r.Status {
	case ReferralSent, ReferralViewed:
		p.add("status", "must be over (accepted, declined, expired or withdrawn): a referral still waiting is sent through the API, not imported")
	case ReferralAccepted:
		if r.Response == nil || !r.Response.Accepted {
			p.add("response", "must be an acceptance when the status is accepted")
		}
		if !r.HoldUntil.IsZero() || len(r.Held) > 0 {
			p.add("hold_until", "must be empty: a past acceptance holds no place")
		}
	case ReferralDeclined:
		if r.Response == nil || r.Response.Accepted {
			p.add("response", "must be a decline when the status is declined")
		}
	}
	switch {
	case r.CreatedAt.IsZero():
		p.add("referral_date", "is required")
	case r.CreatedAt.After(now):
		p.add("referral_date", "must not be in the future")
	}
	if a := r.Response; a != nil {
		switch {
		case a.At.IsZero():
			p.add("response.at", "is required")
		case a.At.Before(r.CreatedAt):
			p.add("response.at", "must not be before the referral was sent")
		case a.At.After(now):
			p.add("response.at", "must not be in the future")
		}
	}
	return p.err()
}

// The words kept for what a referral imported from a file does not carry: the provider's own
// words stay where they were written (exchange: free text about a child does not travel).
const (
	ImportedImpact = "Assessed by the provider; the assessment was not imported into placematch."
	ImportedNote   = "Given by the provider; the note was not imported into placematch."
)

// ReferralHistoryStore reads referrals for the commissioners' report and keeps past ones.
type ReferralHistoryStore interface {
	// ReferralFacts returns, every scope together (the report's own read: it publishes only
	// counts, suppressed), the facts of every referral sent at or after since, by ID, each with
	// the day the child next moved into a home (MovedIn), whenever that was.
	ReferralFacts(ctx context.Context, since time.Time) ([]ReferralFact, error)
	// ImportReferrals stores past referrals as given (CheckPast at the store's clock; the
	// council and provider are the child's and the home's, the version 1), audited, all in one
	// transaction: every referral is stored, or none. Scope: every child must be in scope (an
	// officer imports their council's children's referrals); a home may be any. ErrInvalid
	// naming referrals[i].field, with Row i+1, for every bad one: its own problems first, then a
	// child that does not exist or is out of scope (both "no such child") and a home that does
	// not exist. ErrConflict when a child would have two accepted referrals to one home.
	ImportReferrals(ctx context.Context, s Scope, rs []Referral) ([]Referral, error)
}
