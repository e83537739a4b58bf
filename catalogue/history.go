package catalogue

import (
	"context"
	"strconv"
	"time"
)

// Identifiers of a child's placement history.
type (
	EpisodeID    int64
	MoveReviewID int64
	CheckInID    int64
)

func (id EpisodeID) String() string    { return strconv.FormatInt(int64(id), 10) }
func (id MoveReviewID) String() string { return strconv.FormatInt(int64(id), 10) }
func (id CheckInID) String() string    { return strconv.FormatInt(int64(id), 10) }

// ChangeReason is why a placement ended: the DfE SSDA903 "reason for placement change" code
// (REASON_PLACE_CHANGE), recorded against the placement that ends, not the one that begins.
// The values are the SSDA903 codes themselves:
//
//	CARPL  change to, or implementation of, the care plan: the move was planned and the
//	       decision recorded in the care plan before it happened (including short- to
//	       long-term foster care, adoption by the current carers, moving to semi-independence)
//	PLACE  change in the status of the placement only: the child stays with the same carer
//	       and the care plan does not change (a carer moving house, a council carer moving to
//	       an agency); not a move for stability
//	CREQB  the carer asked for the placement to end because of the child's behaviour
//	CREQO  the carer asked for the placement to end for another reason
//	CHILD  the child asked for the placement to end
//	LAREQ  the responsible authority decided the placement no longer meets the child's needs
//	STAND  removed because of a concern about standards of care (not a s47 enquiry)
//	ALLEG  removed because of an allegation investigated under s47 of the Children Act 1989
//	CLOSE  the carer resigned or the setting closed (a planned move, not an emergency)
//	APPRR  the setting's approval or registration was removed
//	CUSTOD the child was taken into custody
//	OTHER  any other reason (exceptional)
//
// Only CARPL is part of the care plan: a move for any other reason except PLACE is unplanned,
// and recording it opens a review for the child's independent reviewing officer.
type ChangeReason string

const (
	ReasonCarePlan        ChangeReason = "CARPL"
	ReasonStatusOnly      ChangeReason = "PLACE"
	ReasonCarerBehaviour  ChangeReason = "CREQB"
	ReasonCarerOther      ChangeReason = "CREQO"
	ReasonChildRequest    ChangeReason = "CHILD"
	ReasonAuthority       ChangeReason = "LAREQ"
	ReasonStandards       ChangeReason = "STAND"
	ReasonAllegation      ChangeReason = "ALLEG"
	ReasonClosure         ChangeReason = "CLOSE"
	ReasonApprovalRemoved ChangeReason = "APPRR"
	ReasonCustody         ChangeReason = "CUSTOD"
	ReasonOther           ChangeReason = "OTHER"
)

// ChangeReasons lists every ChangeReason.
var ChangeReasons = []ChangeReason{ReasonCarePlan, ReasonStatusOnly, ReasonCarerBehaviour, ReasonCarerOther,
	ReasonChildRequest, ReasonAuthority, ReasonStandards, ReasonAllegation, ReasonClosure, ReasonApprovalRemoved,
	ReasonCustody, ReasonOther}

// Valid reports whether r is an SSDA903 reason code.
func (r ChangeReason) Valid() bool { return oneOf(r, ChangeReasons) }

// Planned reports whether the placement ended as part of the care plan (CARPL).
func (r ChangeReason) Planned() bool { return r == ReasonCarePlan }

// SameCarer reports whether the child stays with the same carer (PLACE): the next episode
// continues the same placement and is not a move.
func (r ChangeReason) SameCarer() bool { return r == ReasonStatusOnly }

// NeedsReview reports whether a move for this reason is unplanned and must be reviewed by the
// child's independent reviewing officer: every reason but CARPL and PLACE.
func (r ChangeReason) NeedsReview() bool { return r.Valid() && !r.Planned() && !r.SameCarer() }

// Words says the reason in plain words.
func (r ChangeReason) Words() string {
	switch r {
	case ReasonCarePlan:
		return "change to, or carrying out of, the care plan"
	case ReasonStatusOnly:
		return "change in the status of the placement only"
	case ReasonCarerBehaviour:
		return "the carer asked for the placement to end because of the child's behaviour"
	case ReasonCarerOther:
		return "the carer asked for the placement to end, for another reason"
	case ReasonChildRequest:
		return "the child asked for the placement to end"
	case ReasonAuthority:
		return "the council decided the placement no longer met the child's needs"
	case ReasonStandards:
		return "a concern about standards of care"
	case ReasonAllegation:
		return "an allegation (s47 enquiry)"
	case ReasonClosure:
		return "the carer resigned or the home closed"
	case ReasonApprovalRemoved:
		return "the carer's or home's approval was removed"
	case ReasonCustody:
		return "the child was taken into custody"
	case ReasonOther:
		return "another reason"
	}
	return string(r)
}

// Setting is where a child lived during an episode: the kinds of placement in the catalogue
// and the settings outside it (SSDA903 placement types grouped).
type Setting string

const (
	SettingCouncilFoster Setting = Setting(CouncilFoster)          // U4-U6 with a council carer
	SettingAgencyFoster  Setting = Setting(AgencyFoster)           // U4-U6 with an agency carer
	SettingKinship       Setting = Setting(Kinship)                // U1-U3, family and friends
	SettingChildrensHome Setting = Setting(ChildrensHome)          // K2
	SettingSupported     Setting = Setting(SupportedAccommodation) // H5
	SettingAdoption      Setting = "adoption"                      // A3-A6, placed for adoption
	SettingWithParents   Setting = "with_parents"                  // P1
	SettingSecure        Setting = "secure"                        // K1 secure children's home, R5 young offender institution
	SettingOther         Setting = "other"                         // hospital, residential school, independent living, ...
)

// Settings lists every Setting.
var Settings = []Setting{SettingCouncilFoster, SettingAgencyFoster, SettingKinship, SettingChildrensHome,
	SettingSupported, SettingAdoption, SettingWithParents, SettingSecure, SettingOther}

// Valid reports whether s is a known value.
func (s Setting) Valid() bool { return oneOf(s, Settings) }

// SettingOf is the setting of a catalogue placement of kind k.
func SettingOf(k PlacementKind) Setting { return Setting(k) }

// UnknownDistance is the DistanceKm of an episode whose distance from home is not known (a child
// with no home address in England, such as an unaccompanied child; DfE's 999.9).
const UnknownDistance = -1.0

// MaxDistanceKm bounds an episode's recorded distance from home.
const MaxDistanceKm = 2000.0

// Episode is one placement in a child's history (an SSDA903 episode): where the child lived,
// from when to when, and why it ended. Consecutive episodes meet: a placement ends on the day
// the next begins. An episode whose End is zero is the child's current placement; a child has
// at most one.
//
// Exact addresses are not kept: the distance from the child's home and the council area of
// the placement are what the DfE derives from the two postcodes, and all the stability
// indicators need.
type Episode struct {
	ID      EpisodeID
	Child   ChildID
	Council CouncilCode // the child's council (the responsible authority), set by the store
	Start   time.Time   // a date
	End     time.Time   // a date after Start; zero while the placement continues
	Reason  ChangeReason
	Setting Setting
	// Placement is the catalogue placement, when the child lived in one; its provider, setting,
	// council area and distance from home are then taken from it. Zero otherwise.
	Placement PlacementID
	Provider  ProviderID  // who provided the placement; zero when not known or with parents
	PlacedIn  CouncilCode // council area of the placement; empty when not known or outside England
	// DistanceKm is from the child's home to the placement as the crow flies, UnknownDistance
	// when not known.
	DistanceKm float64
	// ChangedSchool says the move into this placement meant a change of school (other than the
	// usual move from primary to secondary).
	ChangedSchool bool
	// StayingPut is where a fostered young person's placement stands on Staying Put (the
	// carers' willingness, the arrangement agreed: s23CZA); empty in any other setting.
	StayingPut StayingPut
	// StayingPutAgreedOn is the day the Staying Put arrangement was agreed, when recorded
	// (StayingPutChange); empty otherwise.
	StayingPutAgreedOn time.Time
	Version            int // bumped by every change; a change with a stale version conflicts
	// Return is what the council's SSDA903 return said of an imported episode (ssda903.go);
	// zero for one recorded in placematch.
	Return    ReturnCodes
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Current reports whether the episode is still going on.
func (e Episode) Current() bool { return e.End.IsZero() }

// Validate reports every bad field of the episode.
func (e Episode) Validate() error {
	p := newProblems()
	e.validate(p)
	return p.err()
}

func (e Episode) validate(p problems) {
	if e.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	if !e.Council.Valid() {
		p.add("council", "must be the ONS code of the child's council")
	}
	checkDate(p, "start", e.Start)
	if !e.End.IsZero() {
		checkDate(p, "end", e.End)
		if !e.Start.IsZero() && !e.End.After(e.Start) {
			p.add("end", "must be after start: a placement cannot begin and end on the same day")
		}
	}
	switch {
	case e.End.IsZero() && e.Reason != "":
		p.add("reason", "must be empty while the placement continues (it is why a placement ended)")
	case !e.End.IsZero() && e.Reason == "":
		p.add("reason", "is required when a placement ends: the SSDA903 reason for placement change, one of %v", ChangeReasons)
	case e.Reason != "" && !e.Reason.Valid():
		p.add("reason", "must be an SSDA903 reason for placement change, one of %v", ChangeReasons)
	}
	if !e.Setting.Valid() {
		p.add("setting", "must be one of %v", Settings)
	}
	if e.Placement < 0 {
		p.add("placement", "must be a placement ID")
	}
	if e.Provider < 0 {
		p.add("provider", "must be a provider ID")
	}
	if e.PlacedIn != "" && !e.PlacedIn.Valid() {
		p.add("placed_in", "must be empty or the ONS code of an English upper-tier council")
	}
	switch {
	case !e.StayingPut.Valid():
		p.add("staying_put", "must be empty or one of %v", StayingPuts)
	case e.StayingPut != StayingPutUnrecorded && e.Setting.Valid() && !e.Setting.Fostering():
		// Children Act 1989 s23CZA: Staying Put is with local authority foster parents only.
		p.add("staying_put", "must be empty in a %s: Staying Put is staying on with foster or kinship carers after 18 (Children Act 1989 s23CZA)", e.Setting)
	}
	if !e.StayingPutAgreedOn.IsZero() {
		checkDate(p, "staying_put_agreed_on", e.StayingPutAgreedOn)
		if e.StayingPut != StayingPutAgreed {
			p.add("staying_put_agreed_on", "must be empty unless the Staying Put arrangement is agreed")
		}
	}
	if e.DistanceKm != UnknownDistance && !(e.DistanceKm >= 0 && e.DistanceKm <= MaxDistanceKm) {
		p.add("distance_km", "must be between 0 and %g, or %g when not known", MaxDistanceKm, UnknownDistance)
	}
	e.Return.validate(p, !e.End.IsZero())
}

// Move records that a child's current placement ended: on which day, why, and where the child
// went. Next is nil when the child left care.
type Move struct {
	Child  ChildID
	On     time.Time    // the day the placement ended and, with Next, the next one began
	Reason ChangeReason // required: the SSDA903 reason for placement change
	// Note is the placement team's account of the move, for the independent reviewing officer.
	Note string
	// Next is the placement the child moved to; its Start is On. Its Child and Council are
	// set by the store.
	Next *Episode
}

// Validate reports every bad field of the move.
func (m Move) Validate() error {
	p := newProblems()
	if m.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	checkDate(p, "on", m.On)
	switch {
	case m.Reason == "":
		p.add("reason", "is required: say why the placement ended, with an SSDA903 reason for placement change, one of %v", ChangeReasons)
	case !m.Reason.Valid():
		p.add("reason", "must be an SSDA903 reason for placement change, one of %v", ChangeReasons)
	case m.Reason.SameCarer() && m.Next == nil:
		p.add("next", "is required with %s: the child stays with the same carer, so say how the placement continues", ReasonStatusOnly)
	}
	checkText(p, "note", m.Note, MaxWordsLen)
	if m.Next != nil {
		n := *m.Next
		np := p.under("next")
		if !n.Start.IsZero() && !m.On.IsZero() && !n.Start.Equal(m.On) {
			np.add("start", "must be the day of the move (on) or left out")
		}
		if !n.End.IsZero() {
			np.add("end", "must be empty: the next placement has just begun")
		}
		// Child, council, start and reason are filled in from the move; check the rest.
		n.Child, n.Start, n.End, n.Reason = max(1, m.Child), m.On, time.Time{}, ""
		if n.Council == "" {
			n.Council = "E06000001" // a stand-in: the store sets the child's council
		}
		if n.Start.IsZero() {
			n.Start = earliest // "on" is reported above
		}
		if n.Placement > 0 && n.Setting == "" {
			n.Setting = SettingCouncilFoster // a stand-in: the store takes it from the placement
		}
		n.validate(np)
	}
	return p.err()
}

// MoveResult is what recording a move wrote.
type MoveResult struct {
	Ended   Episode
	Started *Episode    // nil when the child left care
	Review  *MoveReview // nil when the move was part of the care plan
}

// ReviewOutcome is what the independent reviewing officer (IRO) concluded about an unplanned
// move.
type ReviewOutcome string

const (
	// OutcomeSatisfied: the IRO is satisfied the move was in the child's interests and the child
	// was heard.
	OutcomeSatisfied ReviewOutcome = "satisfied"
	// OutcomeConcerns: the IRO raised concerns with the social worker or team manager (the
	// informal stage of resolving a dispute).
	OutcomeConcerns ReviewOutcome = "concerns_raised"
	// OutcomeChallenged: the IRO started the council's formal dispute resolution process
	// (IRO Handbook), and may refer to Cafcass.
	OutcomeChallenged ReviewOutcome = "formal_challenge"
)

// ReviewOutcomes lists every ReviewOutcome.
var ReviewOutcomes = []ReviewOutcome{OutcomeSatisfied, OutcomeConcerns, OutcomeChallenged}

// Valid reports whether o is a known value.
func (o ReviewOutcome) Valid() bool { return oneOf(o, ReviewOutcomes) }

// MoveReview is the record an unplanned move opens for the child's independent reviewing
// officer, and what the officer found. It is open until Reviewed.
type MoveReview struct {
	ID      MoveReviewID
	Child   ChildID
	Council CouncilCode
	Episode EpisodeID // the placement that ended
	Next    EpisodeID // the placement the child moved to; zero when they left care
	Reason  ChangeReason
	MovedOn time.Time
	Note    string // the placement team's account of the move
	// The review, once made.
	ReviewedAt    time.Time
	ReviewedBy    TokenID
	Outcome       ReviewOutcome
	ChildSpokenTo bool   // the reviewing officer spoke with the child about the move
	Findings      string // what the reviewing officer found, and any challenge made
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Reviewed reports whether the review has been recorded.
func (r MoveReview) Reviewed() bool { return !r.ReviewedAt.IsZero() }

// Validate reports every bad field of the review record (as kept, or imported).
func (r MoveReview) Validate() error {
	p := newProblems()
	if r.Child <= 0 {
		p.add("child", "must be a child ID")
	}
	if r.Episode <= 0 {
		p.add("episode", "must be the episode that ended")
	}
	if r.Next < 0 {
		p.add("next", "must be an episode ID")
	}
	if !r.Reason.NeedsReview() {
		p.add("reason", "must be the reason of an unplanned move: a move for the care plan (%s) or a change of status only (%s) is not reviewed",
			ReasonCarePlan, ReasonStatusOnly)
	}
	checkDate(p, "moved_on", r.MovedOn)
	checkText(p, "note", r.Note, MaxWordsLen)
	checkText(p, "findings", r.Findings, MaxWordsLen)
	switch {
	case r.Reviewed() && !r.Outcome.Valid():
		p.add("outcome", "must be one of %v once reviewed", ReviewOutcomes)
	case r.Reviewed() && r.Outcome != OutcomeSatisfied && r.Findings == "":
		p.add("findings", "is required when the outcome is %s", r.Outcome)
	case !r.Reviewed() && (r.Outcome != "" || r.Findings != "" || r.ChildSpokenTo || r.ReviewedBy != 0):
		p.add("outcome", "must be empty until the review is made (reviewed_at)")
	}
	return p.err()
}

// ReviewDecision is the independent reviewing officer's review of one unplanned move.
type ReviewDecision struct {
	Review        MoveReviewID
	Outcome       ReviewOutcome
	ChildSpokenTo bool
	Findings      string
	Version       int // the version of the review read
}

// Validate reports every bad field of the decision.
func (d ReviewDecision) Validate() error {
	p := newProblems()
	if d.Review <= 0 {
		p.add("id", "must be a move review ID")
	}
	switch {
	case d.Outcome == "":
		p.add("outcome", "is required: one of %v", ReviewOutcomes)
	case !d.Outcome.Valid():
		p.add("outcome", "must be one of %v", ReviewOutcomes)
	case d.Outcome != OutcomeSatisfied && d.Findings == "":
		p.add("findings", "is required when the outcome is %s: say what concerns were raised", d.Outcome)
	}
	checkText(p, "findings", d.Findings, MaxWordsLen)
	if d.Version <= 0 {
		p.add("version", "is required: send the version you read")
	}
	return p.err()
}

// ReviewStatus selects move reviews by whether they have been reviewed.
type ReviewStatus string

const (
	ReviewOpen ReviewStatus = "open"     // not yet reviewed
	ReviewDone ReviewStatus = "reviewed" // reviewed
)

// ReviewStatuses lists every ReviewStatus.
var ReviewStatuses = []ReviewStatus{ReviewOpen, ReviewDone}

// Valid reports whether s is a known value.
func (s ReviewStatus) Valid() bool { return oneOf(s, ReviewStatuses) }

// EpisodeFilter narrows a list of episodes. Zero fields do not filter.
type EpisodeFilter struct {
	Council CouncilCode
	Child   ChildID
	After   EpisodeID
	Limit   int
}

// MoveReviewFilter narrows a list of move reviews.
type MoveReviewFilter struct {
	Council CouncilCode
	Child   ChildID
	Status  ReviewStatus // empty: both
	After   MoveReviewID
	Limit   int
}

// HistoryStore keeps children's placement histories (episodes, the SSDA903 way) and the
// reviews of unplanned moves. Scope: a history is its child's, and a child outside the scope
// (see ChildStore) is ErrNotFound, as are their episodes and reviews. A change locks the child,
// so that changes to one history run one after another. The check-ins children make about
// their placement are a CheckInStore's.
type HistoryStore interface {
	// History returns the episodes of a child in scope, in order of start.
	History(ctx context.Context, s Scope, child ChildID) ([]Episode, error)
	// EpisodesOf returns the histories of many children at once, each in order of start (a
	// child with none is left out). It reads every scope: the matcher counts a child's moves
	// by it, and nothing of it is shown.
	EpisodesOf(ctx context.Context, children []ChildID) (map[ChildID][]Episode, error)
	// ChildStability computes the stability indicators of a child in scope on a day from their
	// history.
	ChildStability(ctx context.Context, s Scope, child ChildID, on time.Time) (Stability, error)
	// ListEpisodes returns a page of the episodes in scope by ascending ID.
	ListEpisodes(ctx context.Context, s Scope, f EpisodeFilter) (Page[Episode], error)
	// StabilitySummary sums the indicators of a council's children (England's when council is
	// empty) on a day: ErrInvalid naming council when it is not an English council's code. It
	// returns aggregates only, so it takes no scope: the caller decides who may see them.
	StabilitySummary(ctx context.Context, council CouncilCode, on time.Time) (StabilitySummary, error)

	// StartPlacement records the first placement of a child in scope who has none going on
	// (coming into care, or back into care); the council is the child's, and a placement named
	// from the catalogue gives the provider, setting, council area and distance from home.
	// ErrInvalid when the episode is not valid, starts in the future or before the last one
	// ended, or names a placement or provider that does not exist; ErrConflict when the child
	// has a placement going on (they move instead).
	StartPlacement(ctx context.Context, s Scope, e Episode) (Episode, error)
	// MoveChild ends the current placement of a child in scope on m.On with m.Reason and, when
	// m.Next is given, starts the next one the same day, in one transaction; a move for a
	// reason other than the care plan (or a change of status only) opens a MoveReview for the
	// child's independent reviewing officer in the same transaction, and the support plans of
	// the home left are closed. ErrInvalid when the move is not valid (naming on, next.* ...);
	// ErrConflict when the child has no current placement, or it ended meanwhile.
	MoveChild(ctx context.Context, s Scope, m Move) (MoveResult, error)
	// RecordStayingPut records on the current placement of a young person in scope where it
	// stands on Staying Put (StayingPutChange), at c.Version, in one transaction with its audit
	// row on the child's record. ErrInvalid when the change is not valid, the placement is not
	// with foster or kinship carers (naming staying_put), or agreed_on is before the placement
	// began or in the future; ErrConflict when the child has no current placement or the version
	// is stale.
	RecordStayingPut(ctx context.Context, s Scope, c StayingPutChange) (Episode, error)
	// ImportStayingPut records many young people's Staying Put read from a file (package
	// exchange), each on their current placement at its version (c.Version 0), all or none, in
	// one transaction with an audit row on each child's record. ErrInvalid naming
	// staying_put[i].field for every bad change, as RecordStayingPut's, and a child not in scope
	// ("no such child") or with no current placement as staying_put[i].child.
	ImportStayingPut(ctx context.Context, s Scope, cs []StayingPutChange) ([]Episode, error)

	// MoveReview returns one review of a child in scope.
	MoveReview(ctx context.Context, s Scope, id MoveReviewID) (MoveReview, error)
	// ListMoveReviews returns a page of the reviews in scope by ascending ID.
	ListMoveReviews(ctx context.Context, s Scope, f MoveReviewFilter) (Page[MoveReview], error)
	// ReviewMove records the reviewing officer's review, as the context's actor, once, at
	// d.Version: ErrInvalid when the decision is not valid; ErrConflict when the review was
	// made already (by anyone, meanwhile too) or the version is stale.
	ReviewMove(ctx context.Context, s Scope, d ReviewDecision) (MoveReview, error)
}
