package catalogue

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Time to settle (issue 20, item 7). For the first weeks after a move (the council's policy:
// Policy.Settling, 4 unless it says otherwise) the back-up of the offer the child moved under is
// asked to be held: its provider agrees (holding one place for each child who moved) or
// declines. A held place is not a vacancy: matching and the sufficiency report count it as
// held, never as available. If check-ins go badly the officer can offer the held back-up to the
// child as a new offer without a new search; otherwise the hold ends by itself when the
// settling period does, or earlier when the officer releases it or the provider withdraws.
//
// Any retainer the provider asks for holding the place is the council's cost of keeping a way
// out open, recorded with the agreement: it is never the child's placement cost (it is not a
// weekly cost of a home, a referral's fee or an option's cost) and nothing counts it as one.

// SettlingHoldID identifies a settling hold.
type SettlingHoldID int64

func (id SettlingHoldID) String() string { return strconv.FormatInt(int64(id), 10) }

// SettlingStatus is where a settling hold is:
// requested -> agreed | declined; agreed -> released | offered; requested -> released (the
// period ended, or the officer released it, before the provider answered).
type SettlingStatus string

const (
	SettlingRequested SettlingStatus = "requested" // asked of the back-up's provider
	SettlingAgreed    SettlingStatus = "agreed"    // the provider holds a place for each child who moved
	SettlingDeclined  SettlingStatus = "declined"  // the provider would not hold it: its places stay vacancies
	SettlingReleased  SettlingStatus = "released"  // ended: the period ran out, the officer released it or the provider withdrew
	SettlingOffered   SettlingStatus = "offered"   // offered to the child: its places are now held for that offer
)

// SettlingStatuses lists every SettlingStatus.
var SettlingStatuses = []SettlingStatus{SettlingRequested, SettlingAgreed, SettlingDeclined, SettlingReleased, SettlingOffered}

// Valid reports whether s is a known value.
func (s SettlingStatus) Valid() bool { return oneOf(s, SettlingStatuses) }

// Live reports whether the hold still counts: asked and not answered, or agreed.
func (s SettlingStatus) Live() bool { return s == SettlingRequested || s == SettlingAgreed }

// DefaultSettlingWeeks is how long a back-up is held after a move unless a council's policy
// says otherwise: the first weeks are when a new placement is likeliest to break down, and when
// the first check-ins and the social worker's first statutory visits fall (within a week of the
// move, regulation 28 of the Care Planning, Placement and Case Review (England) Regulations 2010).
// It is a practice choice, not a rule of law, so councils set their own.
const DefaultSettlingWeeks = 4

// MaxSettlingWeeks bounds the settling period, from 0 (no hold) to 12. A held place is kept
// from every other child waiting: beyond about three months a move has settled or been
// reviewed, and a place held for a quarter of a year is a vacancy lost to children who need
// it (and, with a retainer, a second placement paid for in all but name).
const MaxSettlingWeeks = 12

// NoSettling is Policy.SettlingWeeks for a council that holds no back-up after a move (0 on
// the policy form and the API: 0 in the stored policy means "not set", the default).
const NoSettling = -1

// Settling is the council's settling period in weeks: SettlingWeeks, DefaultSettlingWeeks when
// not set (0), or 0 for NoSettling.
func (p Policy) Settling() int {
	switch {
	case p.SettlingWeeks == NoSettling:
		return 0
	case p.SettlingWeeks <= 0:
		return DefaultSettlingWeeks
	}
	return p.SettlingWeeks
}

// SettlingWeeksSetting is the stored form of a settling period given in weeks (0 to
// MaxSettlingWeeks, 0 for none).
func SettlingWeeksSetting(weeks int) int {
	if weeks == 0 {
		return NoSettling
	}
	return weeks
}

// SettlingHold is the request that the back-up of the offer a child moved under be held while
// they settle, and its answer.
type SettlingHold struct {
	ID        SettlingHoldID
	Offer     OfferID // the offer the child moved under (placed)
	Child     ChildID
	Siblings  []ChildID // the brothers and sisters who moved with the child: a place is held for each
	Council   CouncilCode
	Placement PlacementID // the back-up's home
	Provider  ProviderID  // its provider: who answers
	Status    SettlingStatus
	Weeks     int       // the council's settling period when it was asked
	Ends      time.Time // the day the settling period ends (the move's day plus Weeks): the hold ends then
	// WeeklyRetainer is what the provider asks, in pounds a week, for holding the place; the
	// council pays it. It is recorded with the agreement and shown to the officer; it is never
	// the child's placement cost. 0: none.
	WeeklyRetainer int
	Note           string      // the provider's note with its answer
	Held           []VacancyID // the places held, one per child who moved, while agreed (and, once offered, for the new offer)
	AnsweredBy     TokenID
	AnsweredAt     time.Time
	// ReleasedAt and ReleaseReason say when and why a hold ended before being offered.
	ReleasedAt    time.Time
	ReleaseReason string
	// NewOffer is the offer of the held back-up made to the child; Referral the accepted
	// referral that carries the provider's agreement into it (its places move to it).
	NewOffer  OfferID
	Referral  ReferralID
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Moving is the child and the brothers and sisters who moved with them.
func (h SettlingHold) Moving() []ChildID { return append([]ChildID{h.Child}, h.Siblings...) }

// Validate reports every bad field of the hold.
func (h SettlingHold) Validate() error {
	p := newProblems()
	if h.Offer <= 0 {
		p.add("offer", "must be an offer ID")
	}
	if h.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	if h.Placement <= 0 {
		p.add("placement", "must be a placement ID")
	}
	if !h.Status.Valid() {
		p.add("status", "must be one of %v", SettlingStatuses)
	}
	if h.Weeks < 1 || h.Weeks > MaxSettlingWeeks {
		p.add("weeks", "must be from 1 to %d", MaxSettlingWeeks)
	}
	if h.Ends.IsZero() {
		p.add("ends", "is required")
	}
	if h.WeeklyRetainer < 0 || h.WeeklyRetainer > MaxWeeklyFee {
		p.add("weekly_retainer", "must be from 0 to %d pounds a week", MaxWeeklyFee)
	}
	checkText(p, "note", h.Note, MaxReasonLen)
	checkText(p, "reason", h.ReleaseReason, MaxReasonLen)
	return p.err()
}

// SettlingAnswer is the back-up's provider's answer to a settling hold.
type SettlingAnswer struct {
	Agree          bool
	WeeklyRetainer int // pounds a week, only when agreeing; 0: none
	Note           string
}

// Check reports every bad field of the answer.
func (a SettlingAnswer) Check() error {
	p := newProblems()
	if a.WeeklyRetainer < 0 || a.WeeklyRetainer > MaxWeeklyFee {
		p.add("weekly_retainer", "must be from 0 to %d pounds a week", MaxWeeklyFee)
	} else if !a.Agree && a.WeeklyRetainer != 0 {
		p.add("weekly_retainer", "must be empty when declining")
	}
	checkText(p, "note", a.Note, MaxReasonLen)
	return p.err()
}

// CheckRelease checks the reason for ending a hold early: it is required.
func CheckRelease(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return Invalid("reason", "is required: say why the hold ends before the settling period does")
	}
	if len(reason) > MaxReasonLen {
		return Invalid("reason", "must be at most %d characters", MaxReasonLen)
	}
	return nil
}

// SettlingFilter narrows a list of settling holds. Zero fields do not filter.
type SettlingFilter struct {
	Child  ChildID
	Status SettlingStatus
	After  SettlingHoldID
	Limit  int
}

// SettlingStore keeps settling holds. The store asks for one itself when an offer is marked
// placed (OfferStore.MarkPlaced, in its transaction): for the offer's first back-up still open,
// when the council's policy has a settling period that has not already ended. Scope: a hold is
// its child's council's and its home's provider's (an officer sees their council's, a provider
// its own homes'); outside scope is ErrNotFound. A change names the Version it was made from
// (ErrConflict when stale) and is audited, in one transaction with the places it holds or
// releases and the notifications it sends.
type SettlingStore interface {
	// SettlingHold returns one hold in scope.
	SettlingHold(ctx context.Context, s Scope, id SettlingHoldID) (SettlingHold, error)
	// ListSettlingHolds returns a page of the holds in scope by ascending ID.
	ListSettlingHolds(ctx context.Context, s Scope, f SettlingFilter) (Page[SettlingHold], error)
	// AnswerSettlingHold records the provider's answer to a requested hold: agreeing holds one
	// available place of the home for each child who moved (ErrConflict when there are not
	// enough, or the home is closed), with the retainer; declining leaves its places as they
	// are. The council's placement team is told. ErrInvalid naming the field of a bad answer;
	// ErrConflict when the hold is no longer requested or its period has ended.
	AnswerSettlingHold(ctx context.Context, s Scope, id SettlingHoldID, version int, a SettlingAnswer) (SettlingHold, error)
	// ReleaseSettlingHold ends a live hold early with a reason (ErrInvalid naming reason
	// without one): the officer's (the child has settled) or the provider's (it withdraws).
	// Its places become available again and the other side is told. ErrConflict when the hold
	// is no longer live.
	ReleaseSettlingHold(ctx context.Context, s Scope, id SettlingHoldID, version int, reason string) (SettlingHold, error)
	// EndSettlingHolds releases every live hold whose settling period has ended at the store's
	// clock, one transaction each, telling the provider; it returns those it ended.
	EndSettlingHolds(ctx context.Context) ([]SettlingHold, error)
	// OfferSettlingHold makes offer o (its one option the hold's home, already checked against
	// the child's hard constraints by the caller) from an agreed hold in scope, at version, in
	// one transaction: an accepted referral carries the provider's agreement and the held
	// places (held now for the offer, until the settling period's end), the offer is created as
	// CreateOffer does (naming that referral), and the hold becomes offered. ErrConflict when
	// the hold is not agreed, its period has ended, or the child has an offer open or accepted;
	// the errors of CreateOffer otherwise.
	OfferSettlingHold(ctx context.Context, s Scope, id SettlingHoldID, version int, o Offer) (Offer, SettlingHold, error)
}
