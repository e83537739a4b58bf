package catalogue

import (
	"context"
	"time"
)

// Factor is one scored consideration in a match.
type Factor string

const (
	FactorSchool    Factor = "school"
	FactorSiblings  Factor = "siblings"
	FactorFamily    Factor = "family" // birth family and others in the contact plan
	FactorNeeds     Factor = "needs"  // needs against skills
	FactorIdentity  Factor = "identity"
	FactorHomeArea  Factor = "home_area"
	FactorKinship   Factor = "kinship"
	FactorWishes    Factor = "wishes"
	FactorStability Factor = "stability"
	FactorCost      Factor = "cost"
)

// Factors lists every Factor in the order explanations show them.
var Factors = []Factor{FactorSchool, FactorSiblings, FactorFamily, FactorNeeds, FactorIdentity, FactorHomeArea,
	FactorKinship, FactorWishes, FactorStability, FactorCost}

// Valid reports whether f is a known value.
func (f Factor) Valid() bool { return oneOf(f, Factors) }

// FactorScore is one factor's part in an option's total: Score in 0..1, the Weight it carried,
// and a sentence a social worker could read aloud.
type FactorScore struct {
	Factor Factor
	Weight float64
	Score  float64
	Reason string
}

// OptionRole says what an option is for in an offer.
type OptionRole string

const (
	RoleChoice OptionRole = "choice" // one of the child's two choices
	RoleBackup OptionRole = "backup" // used if a choice falls through
)

// OptionRoles lists every OptionRole.
var OptionRoles = []OptionRole{RoleChoice, RoleBackup}

// Valid reports whether r is a known value.
func (r OptionRole) Valid() bool { return oneOf(r, OptionRoles) }

// Option is one placement proposed for one child.
type Option struct {
	Rank       int // 1 is best
	Role       OptionRole
	Placement  PlacementID
	Score      float64 // 0..1, the weighted sum of the factors
	Quality    float64 // 0..1, the same without cost: what the ranking compares first
	Factors    []FactorScore
	WeeklyCost int
	HomeKm     float64   // distance from the child's home
	SchoolKm   float64   // distance to the child's school, or -1 without a school
	ContactKm  []float64 // distance to each person in the contact plan, in plan order
	// Withdrawn is set when the option fell through (the carers said no, the place went) or the
	// officer took it out; the option stays in the offer for the record, with the reason.
	Withdrawn       bool
	WithdrawnReason string
	// Referral is the accepted referral by which the home's provider agreed to take the child:
	// the store checks, in the transaction that makes the offer, that it is the child's, for
	// this home, accepted and its hold not run out. 0 only for offers made before referrals.
	Referral ReferralID
}

// OfferStatus is where an offer is in its life cycle:
// proposed -> sent -> viewed -> preference_given -> accepted | declined -> placed.
type OfferStatus string

const (
	OfferProposed        OfferStatus = "proposed"
	OfferSent            OfferStatus = "sent"
	OfferViewed          OfferStatus = "viewed"
	OfferPreferenceGiven OfferStatus = "preference_given"
	OfferAccepted        OfferStatus = "accepted"
	OfferDeclined        OfferStatus = "declined"
	OfferPlaced          OfferStatus = "placed"
	OfferWithdrawn       OfferStatus = "withdrawn"
)

// OfferStatuses lists every OfferStatus.
//
// An offer is open (the child can see it and have a say, the officer can still decide) while it
// is proposed, sent, viewed or preference_given; accepted then placed, declined and withdrawn
// follow the decision. A child has at most one offer that is open or accepted at a time.
var OfferStatuses = []OfferStatus{OfferProposed, OfferSent, OfferViewed, OfferPreferenceGiven, OfferAccepted,
	OfferDeclined, OfferPlaced, OfferWithdrawn}

// Valid reports whether s is a known value.
func (s OfferStatus) Valid() bool { return oneOf(s, OfferStatuses) }

// OpenOfferStatuses are the statuses before the decision.
var OpenOfferStatuses = []OfferStatus{OfferProposed, OfferSent, OfferViewed, OfferPreferenceGiven}

// Open reports whether the offer is still waiting for a decision.
func (s OfferStatus) Open() bool { return oneOf(s, OpenOfferStatuses) }

// Sent reports whether the offer has gone to the child and still waits for a decision: the
// child's page takes their say.
func (s OfferStatus) Sent() bool { return s.Open() && s != OfferProposed }

// Decided reports whether the officer has decided the offer: accepted (and perhaps placed) or
// declined. A child may ask their reviewing officer to look again at a decision.
func (s OfferStatus) Decided() bool {
	return s == OfferAccepted || s == OfferDeclined || s == OfferPlaced
}

// Offer is the set of options sent to a child: two choices and a back-up.
type Offer struct {
	ID      OfferID
	Child   ChildID
	Council CouncilCode
	Run     MatchRunID // the match run that made it; 0 when made from one child's options
	// Siblings are the brothers and sisters who move with the child (their group is planned
	// together): accepting the offer fills a place for each of them too.
	Siblings      []ChildID
	PolicyVersion int // the scoring policy the options were ranked by
	Status        OfferStatus
	Options       []Option // in rank order; withdrawn options stay, marked
	Say           ChildSay // what the child said
	// SiblingSays are what each brother or sister moving with the child said about the same
	// homes, through their own link (issue 20, item 2): each child has their own voice.
	SiblingSays map[ChildID]ChildSay
	Decision    *Decision
	// WithdrawnReason says why the whole offer was withdrawn.
	WithdrawnReason string
	// OneChoiceReason is the officer's reason for offering the child one home only: an offer
	// needs two agreed choices unless a reason is recorded.
	OneChoiceReason string
	Version         int // bumped by every change; a change with a stale version conflicts
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SentAt          time.Time // zero until sent
	PlacedAt        time.Time // zero until the child has moved in
}

// ChildSay is what the child said about an offer.
type ChildSay struct {
	Preference        PlacementID // 0: no preference given, or neither
	Neither           bool        // the child wants neither choice
	InOwnWords        string
	AdvocateRequested bool
	// With is who went through the page with a child too young to be sent their own link
	// (Policy.ChildLinkAge); empty when the child used their page themselves.
	With Helper
	At   time.Time // zero: the child has said nothing yet
}

// Helper is the grown-up who went through a young child's page with them and put down what the
// child said (issue 20, item 3).
type Helper string

const (
	HelperSocialWorker Helper = "social_worker"
	HelperCarer        Helper = "carer"
	HelperOtherAdult   Helper = "other_adult" // an advocate, a family member or another adult who knows the child
)

// Helpers lists every Helper.
var Helpers = []Helper{HelperSocialWorker, HelperCarer, HelperOtherAdult}

// Valid reports whether h is a known value.
func (h Helper) Valid() bool { return oneOf(h, Helpers) }

// Decision is the placement team's decision on an offer. Reason is required when it departs
// from the top-ranked option or from the child's preference.
type Decision struct {
	Placement PlacementID // the home chosen; 0 when the offer is declined
	Accepted  bool
	Reason    string
	By        TokenID
	At        time.Time
	Filled    []VacancyID // the places accepting filled, one per child moving
	// SupportPlans are the plans accepting made, one for each child moving whose needs the
	// home's carers are not all trained for (none when they are).
	SupportPlans []SupportPlanID
	// Fits, when set, is asked in the accepting transaction whether the children can live in the
	// home as it is then (the placement locked and read with its places and their occupants):
	// another child may have been accepted there since the offer was made. Its error is
	// returned as it is, and nothing changes. It is not stored.
	Fits func(Placement) error
}

// OfferStore keeps offers to children: their making, the links that send them to the child,
// what the child says through the session a link opens, and the placement team's decision.
// Scope: an offer is its child's council's; an officer's scope holds their council's offers, a
// provider's none. A change names the offer's Version it was made from, and is ErrConflict when
// the version is stale (0, where a method says so, asks for no check). The brothers and
// sisters moving with the child (Offer.Siblings) share its fortunes: offered, placed, back to
// waiting.
type OfferStore interface {
	// CreateOffer stores a new offer, proposed, for a child in scope: the caller gives the
	// ranked options, with their roles (two choices, the rest back-ups), the brothers and
	// sisters moving with the child, and Run when a match run made it. The council is the
	// child's; the status, version, say, decision and timestamps are set by the store.
	// ErrNotFound when the child is not in scope; ErrInvalid when the offer is not valid, the
	// child's record is closed, an option's placement does not exist (naming
	// options[i].placement) or a sibling is not of the child's sibling group (naming
	// siblings[i]); ErrConflict when the child already has an offer open or accepted.
	CreateOffer(ctx context.Context, s Scope, o Offer) (Offer, error)
	// CreateOffers stores new offers as CreateOffer does, all in one transaction: every offer is
	// made, or none, and the first that cannot be is the error, naming it ("offers[3]: ...").
	// The offers of a match run are made so.
	CreateOffers(ctx context.Context, s Scope, os []Offer) ([]Offer, error)
	// Offer returns one offer in scope.
	Offer(ctx context.Context, s Scope, id OfferID) (Offer, error)
	// ListOffers returns a page of the offers in scope by ascending ID.
	ListOffers(ctx context.Context, s Scope, f OfferFilter) (Page[Offer], error)

	// SendOffer sends an offer in scope to the child: it stores a new private link (link.Hash,
	// the SHA-256 of its token, and link.ExpiresAt; CreatedBy comes from the actor) and
	// revokes the offer's earlier links not yet opened. A proposed offer becomes sent and its
	// children offered, and its council's placement team is told (NotifyOfferSent, in the same
	// transaction); one already sent gets a fresh link. No version is checked. ErrInvalid
	// naming hash or expires_at when the link has no hash or has expired; ErrConflict when the
	// offer has been decided or withdrawn, or a link has the same token.
	SendOffer(ctx context.Context, s Scope, id OfferID, link ChildLink) (Offer, ChildLink, error)
	// OfferLinks lists the links of an offer in scope, oldest first (hashes, never tokens).
	OfferLinks(ctx context.Context, s Scope, id OfferID) ([]ChildLink, error)
	// RevokeLinks revokes every link of an offer in scope and ends every session they opened:
	// whoever holds a link can no longer see the offer.
	RevokeLinks(ctx context.Context, s Scope, id OfferID) error
	// RecordSay keeps what the child said about their offer through their session (the scope
	// is the session's: its offer, of its council): which choice they prefer, or neither, what
	// matters to them in their own words, and whether they want an advocate. They may change
	// it as often as they like until the decision. ErrNotFound when the session is not for an
	// offer, or has ended or expired; ErrInvalid when the say is not valid for the offer
	// (Offer.CheckSay); ErrConflict once the offer is decided or withdrawn.
	RecordSay(ctx context.Context, sess ChildSession, say ChildSay) (Offer, error)

	// DecideOffer records the placement team's decision on an open offer in scope, at version,
	// as the context's actor. Accepting a home fills one of its places for each child moving,
	// and makes a support plan for each whose needs the home's carers are not all trained for,
	// in the same transaction; declining sends the children back to waiting. ErrInvalid when
	// the decision departs from the top-ranked option or from what the child said without a
	// reason, or names no option of the offer (Offer.CheckDecision); ErrConflict, with nothing
	// changed, when the offer is no longer open, the home is closed or has no free place left,
	// a child still fills a place elsewhere, or d.Fits refuses the home as it is now.
	DecideOffer(ctx context.Context, s Scope, id OfferID, version int, d Decision) (Offer, error)
	// MarkPlaced records that the children of an accepted offer in scope moved into its home on
	// a.On (zero: today), at version: in the same transaction each child's placement history
	// gets the new placement (their first, or a move from the one they leave, ended with
	// a.Reason and reviewed when it was not the care plan, as HistoryStore.MoveChild) and
	// their status becomes placed, and the offer's first back-up still open is asked to be held
	// while they settle (SettlingStore). ErrConflict when the offer is not accepted; ErrInvalid
	// naming reason when a child leaves a placement and a.Reason is empty.
	MarkPlaced(ctx context.Context, s Scope, id OfferID, version int, a Arrival) (Offer, error)
	// WithdrawOffer withdraws an open offer in scope, at version, with a reason (ErrInvalid
	// naming reason without one): its links are revoked, its sessions ended, its children
	// go back to waiting, and its council's placement team is told (NotifyOfferWithdrawn, in
	// the same transaction). ErrConflict when the offer is no longer open.
	WithdrawOffer(ctx context.Context, s Scope, id OfferID, version int, reason string) (Offer, error)
	// ReplaceOption withdraws the option for placement from an open offer in scope, at
	// version, with a reason (the carers said no, the place went), and fills the gap: a
	// withdrawn choice is replaced by the best back-up, and the replacement given (the next
	// option of a new search, or nil) joins as a choice when the child has fewer than two, or
	// else as the last back-up. A preference the child gave for the withdrawn home is cleared.
	// ErrInvalid naming reason, placement (no option of the offer still open), replacement
	// (already an option) or replacement.placement (no such placement); ErrConflict when the
	// offer is no longer open.
	ReplaceOption(ctx context.Context, s Scope, id OfferID, version int, placement PlacementID,
		reason string, replacement *Option) (Offer, error)
}

// RunStatus is the state of a match run.
type RunStatus string

const (
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
)

// MatchRun is one joint assignment of the children waiting in a scope.
type MatchRun struct {
	ID         MatchRunID
	Council    CouncilCode // empty: every council in Region, or England
	Region     RegionCode
	Status     RunStatus
	Policy     int // the scoring policy version used
	TopK       int // candidates kept per child
	Children   int
	Offered    int // children offered two placements
	Objective  int64
	Error      string
	StartedAt  time.Time
	FinishedAt time.Time

	// Progress of a run that is running: its stage (search, flow, groups, explain, saving) and
	// how far through it.
	Stage       string
	Done, Total int
	// The outcome, counted in children (a sibling group's members each count) and groups
	// planned together (kept together, split because no household could take them together,
	// without any offer).
	OfferedOne, OfferedNone                                   int
	GroupsPlanned, GroupsTogether, GroupsSplit, GroupsWithout int
	LowerBound                                                int64 // no assignment could cost less
	Widened                                                   int   // children whose candidates went beyond TopK
	Separated                                                 int   // offers taken out: two children of the run could not live in the home together
	Solves                                                    int   // flows solved
	Timings                                                   RunTimings
	RequestedBy                                               TokenID
	Heartbeat                                                 time.Time // last sign of life of a running run
}

// Arrival is the child's move into the home of an accepted offer: the day, and, when the child
// is leaving a placement, why that placement ended (an SSDA903 reason for change; a move that
// is not part of the care plan opens a review for the child's independent reviewing officer).
type Arrival struct {
	On     time.Time
	Reason ChangeReason // required when the child leaves a current placement
	Note   string       // the placement team's account of the move, for the reviewing officer
}
