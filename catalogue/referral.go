package catalogue

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// A placement in England is agreed by both sides: the council refers the child, and the
// provider of the home (for a council's own carers, its fostering service: the fostering team
// and the carers' supervising social worker) considers the impact on the children already
// living there and says yes or no. Fostering National Minimum Standard 15 (matching: the
// fostering service takes the child only when the carers can meet the child's needs, taking
// account of the children already there) and, for children's homes, the Children's Homes
// (England) Regulations 2015 regulation 14 (the care planning standard: the registered person
// admits a child only after considering the impact on the children already living in the home,
// its impact risk assessment) make the provider's agreement a condition of the placement, not a
// preference: only a home whose provider accepted the referral can be one of a child's choices.

// ReferralID identifies a referral.
type ReferralID int64

func (id ReferralID) String() string { return strconv.FormatInt(int64(id), 10) }

// ReferralStatus is where a referral is in its life cycle:
// sent -> viewed -> accepted | declined | expired | withdrawn. An accepted referral expires too
// when its hold on the place runs out before the offer is decided.
type ReferralStatus string

const (
	ReferralSent      ReferralStatus = "sent"
	ReferralViewed    ReferralStatus = "viewed"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralDeclined  ReferralStatus = "declined"
	ReferralExpired   ReferralStatus = "expired"
	ReferralWithdrawn ReferralStatus = "withdrawn"
)

// ReferralStatuses lists every ReferralStatus.
var ReferralStatuses = []ReferralStatus{ReferralSent, ReferralViewed, ReferralAccepted, ReferralDeclined,
	ReferralExpired, ReferralWithdrawn}

// Valid reports whether s is a known value.
func (s ReferralStatus) Valid() bool { return oneOf(s, ReferralStatuses) }

// Waiting reports whether the provider has still to answer.
func (s ReferralStatus) Waiting() bool { return s == ReferralSent || s == ReferralViewed }

// Live reports whether the referral still counts: waiting for an answer, or accepted.
func (s ReferralStatus) Live() bool { return s.Waiting() || s == ReferralAccepted }

// DeclineReason is the provider's coded reason for saying no.
type DeclineReason string

const (
	DeclineNoCapacity       DeclineReason = "no_capacity"
	DeclineMatchingConcerns DeclineReason = "matching_concerns" // with the children already living there
	DeclineCannotMeetNeeds  DeclineReason = "cannot_meet_needs"
	DeclineLocation         DeclineReason = "location"
	DeclineOther            DeclineReason = "other" // a note says what
)

// Response windows: 48 hours, or 4 for an emergency.
const (
	defaultResponseWindow   = 48 * time.Hour
	emergencyResponseWindow = 4 * time.Hour
)

// DeclineReasons lists every DeclineReason.
var DeclineReasons = []DeclineReason{DeclineNoCapacity, DeclineMatchingConcerns, DeclineCannotMeetNeeds,
	DeclineLocation, DeclineOther}

// Valid reports whether r is a known value.
func (r DeclineReason) Valid() bool { return oneOf(r, DeclineReasons) }

// ResponseWindow is how long a provider has to answer a referral: 48 hours, or 4 for an
// emergency placement.
func ResponseWindow(emergency bool) time.Duration {
	if emergency {
		return emergencyResponseWindow
	}
	return defaultResponseWindow
}

// Limits on referrals.
const (
	// MaxReferred bounds the homes one child is referred to at once.
	MaxReferred = 10
	// MaxWeeklyFee bounds a provider's weekly fee, in pounds (as Placement.WeeklyCost).
	MaxWeeklyFee = 50000
)

// Referral is the child's referral profile sent to the provider of one home, with the deadline
// for its answer. Siblings are the brothers and sisters who would move with the child: accepting
// holds a place for each.
type Referral struct {
	ID        ReferralID
	Child     ChildID
	Council   CouncilCode // the child's
	Siblings  []ChildID
	Placement PlacementID
	Provider  ProviderID // the home's: who answers
	Run       MatchRunID // the match run that proposed the home; 0: the officer chose it
	Emergency bool
	Status    ReferralStatus
	Deadline  time.Time // the provider answers by then, or the referral expires
	// HoldUntil is, once accepted, when the provider's hold on the place runs out unless the
	// offer is decided first.
	HoldUntil time.Time
	Held      []VacancyID // the places accepting held, one per child moving
	Response  *ReferralResponse
	// Reason says why the referral was withdrawn, or that it expired.
	Reason     string
	SentBy     TokenID
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ViewedAt   time.Time // zero until the provider first opened it
	RemindedAt time.Time // zero until the provider was reminded its deadline approaches
}

// ReferralResponse is the provider's answer.
type ReferralResponse struct {
	Accepted bool
	// Impact is the provider's impact assessment when accepting: how the child would live with
	// the children already there (NMS 15; Children's Homes Regulations 2015 regulation 14).
	Impact string
	// WeeklyFee is the independent provider's weekly fee in pounds; 0 for a council's own carers.
	WeeklyFee int
	Decline   DeclineReason
	Note      string
	By        TokenID
	At        time.Time
}

// Validate reports every bad field of the referral.
func (r Referral) Validate() error {
	p := newProblems()
	if r.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	if r.Placement <= 0 {
		p.add("placement", "must be a placement ID")
	}
	if !r.Status.Valid() {
		p.add("status", "must be one of %v", ReferralStatuses)
	}
	if r.Deadline.IsZero() {
		p.add("deadline", "is required")
	}
	seen := map[ChildID]bool{r.Child: true}
	for i, c := range r.Siblings {
		if c <= 0 || seen[c] {
			p.at("siblings", i).add("", "must be a brother or sister other than the child, named once")
		}
		seen[c] = true
	}
	checkText(p, "reason", r.Reason, MaxReasonLen)
	if r.Response != nil {
		r.Response.validate(p.under("response"))
	}
	return p.err()
}

// Check reports every bad field of a provider's answer.
func (a ReferralResponse) Check() error {
	p := newProblems()
	a.validate(p)
	return p.err()
}

func (a ReferralResponse) validate(p problems) {
	checkText(p, "impact_assessment", a.Impact, MaxWordsLen)
	checkText(p, "note", a.Note, MaxReasonLen)
	if a.WeeklyFee < 0 || a.WeeklyFee > MaxWeeklyFee {
		p.add("weekly_fee", "must be between 0 and %d pounds", MaxWeeklyFee)
	}
	if a.Accepted {
		if strings.TrimSpace(a.Impact) == "" {
			p.add("impact_assessment", "is required when accepting: how the child would live with the children already there")
		}
		if a.Decline != "" {
			p.add("decline_reason", "must be empty when accepting")
		}
		return
	}
	if !a.Decline.Valid() {
		p.add("decline_reason", "must be one of %v", DeclineReasons)
	}
	if a.Decline == DeclineOther && strings.TrimSpace(a.Note) == "" {
		p.add("note", "is required when the reason is other: say why")
	}
	if a.WeeklyFee != 0 {
		p.add("weekly_fee", "must be empty when declining")
	}
}

// Agreed reports whether the referral is accepted and its hold has not run out at now: the
// home may be one of the child's choices.
func (r Referral) Agreed(now time.Time) bool {
	return r.Status == ReferralAccepted && now.Before(r.HoldUntil)
}

// Overdue reports whether the referral should expire at now: the provider did not answer by
// the deadline, or accepted and its hold ran out.
func (r Referral) Overdue(now time.Time) bool {
	switch {
	case r.Status.Waiting():
		return !now.Before(r.Deadline)
	case r.Status == ReferralAccepted:
		return !now.Before(r.HoldUntil)
	}
	return false
}

// ReferralFilter narrows a list of referrals. Zero fields do not filter.
type ReferralFilter struct {
	Child     ChildID
	Placement PlacementID
	Status    ReferralStatus
	After     ReferralID
	Limit     int
}

// Allocation is who looks after a child's case: the allocated social worker and their team,
// told of referrals, providers' answers and later alerts about the child.
type Allocation struct {
	Child        ChildID
	SocialWorker string // their name, as colleagues know them
	Team         string
	Email        string // where the team's notifications go; never a child's detail in it
	Version      int
	UpdatedAt    time.Time
}

// Validate reports every bad field of the allocation.
func (a Allocation) Validate() error {
	p := newProblems()
	checkText(p, "social_worker", a.SocialWorker, MaxNameLen*2)
	checkText(p, "team", a.Team, MaxNameLen*2)
	if strings.TrimSpace(a.SocialWorker) == "" {
		p.add("social_worker", "is required")
	}
	if strings.TrimSpace(a.Team) == "" {
		p.add("team", "is required")
	}
	if a.Email != "" && (len(a.Email) > 254 || !strings.Contains(a.Email, "@") || strings.ContainsAny(a.Email, " \t\r\n<>,;")) {
		p.add("email", "must be an e-mail address")
	}
	return p.err()
}

// ReferralStore keeps referrals of children to the providers of homes, and each child's
// allocated social worker. Scope: a referral is its child's council's and its home's provider's;
// an officer's scope holds their council's referrals, a provider's the referrals to its own
// homes (a council's fostering service is a provider, so its team answers for its own carers
// with a provider token). A change names the Version it was made from (ErrConflict when stale).
type ReferralStore interface {
	// CreateReferrals sends a child in scope to the provider of each home, all in one
	// transaction: every referral is made, or none. The caller gives the child, the brothers
	// and sisters moving with them, the home, the deadline and Run and Emergency; the council,
	// the provider, the status (sent), version and timestamps are set by the store, SentBy from
	// the actor. ErrNotFound when the child is not in scope; ErrInvalid when a referral is not
	// valid, its deadline has passed, the child's record is closed, a home does not exist
	// (naming referrals[i].placement) or a sibling is not of the child's group; ErrConflict when
	// the child already has a live referral (sent, viewed or accepted) to that home.
	CreateReferrals(ctx context.Context, s Scope, rs []Referral) ([]Referral, error)
	// Referral returns one referral in scope.
	Referral(ctx context.Context, s Scope, id ReferralID) (Referral, error)
	// ListReferrals returns a page of the referrals in scope by ascending ID.
	ListReferrals(ctx context.Context, s Scope, f ReferralFilter) (Page[Referral], error)
	// MarkViewed records that the provider opened a referral in scope: a sent one becomes
	// viewed. Any other status is left as it is. No version is checked.
	MarkViewed(ctx context.Context, s Scope, id ReferralID) (Referral, error)
	// RespondReferral records the provider's answer to a referral in scope waiting for one, at
	// version, as the context's actor. Accepting holds one free place of the home for each
	// child moving until holdUntil, with the conditional update that fills places (a held place
	// is no vacancy for anyone else): when the home has too few free places the answer is
	// ErrConflict and nothing changes. ErrInvalid when the answer is not valid; ErrConflict when
	// the referral is no longer waiting or its deadline has passed.
	RespondReferral(ctx context.Context, s Scope, id ReferralID, version int, a ReferralResponse, holdUntil time.Time) (Referral, error)
	// WithdrawReferral withdraws a live referral in scope, at version (0: no check), with a
	// reason (ErrInvalid naming reason without one), releasing the places it held.
	// ErrConflict when it is no longer live.
	WithdrawReferral(ctx context.Context, s Scope, id ReferralID, version int, reason string) (Referral, error)
	// ExpireReferrals is the system's sweep, every scope together: each referral overdue at the
	// store's clock (Referral.Overdue) becomes expired and releases the places it held, and an
	// open offer's option for its home is withdrawn (the back-up takes its place). It returns
	// the referrals it expired.
	ExpireReferrals(ctx context.Context) ([]Referral, error)
	// RemindReferrals marks, every scope together, the referrals still waiting whose deadline
	// falls before by and that were not reminded yet, and returns them (for the provider to be
	// reminded once).
	RemindReferrals(ctx context.Context, by time.Time) ([]Referral, error)

	// Allocation returns the allocated social worker of a child in scope: ErrNotFound when the
	// child is not in scope or none is recorded.
	Allocation(ctx context.Context, s Scope, child ChildID) (Allocation, error)
	// SetAllocation records a child's allocated social worker and team, at a.Version (0 for the
	// first). ErrNotFound when the child is not in scope; ErrInvalid when not valid.
	SetAllocation(ctx context.Context, s Scope, a Allocation) (Allocation, error)
}
