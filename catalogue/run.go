package catalogue

import (
	"context"
	"time"
)

// RunTimings says where a match run's time went.
type RunTimings struct {
	Search, Flow, Groups, Explain, Save, Total time.Duration
}

// RunOffer is one household a match run offers a child: the primary or the back-up.
type RunOffer struct {
	Role       string // "primary" or "backup"
	Placement  PlacementID
	Score      float64 // 0..1, with cost
	Quality    float64 // 0..1, without cost
	Factors    []FactorScore
	WeeklyCost int
	HomeKm     float64 // from the child's home as the crow flies; -1 when not recorded
	SchoolKm   float64 // -1 without a school
	Cost       int64   // the flow's cost of the offer (lower is better)
}

// RunRejection counts the placements one hard constraint ruled out for a child.
type RunRejection struct {
	Constraint string
	Count      int
	Example    string
}

// RunResult is what a match run offers one child.
type RunResult struct {
	Run          MatchRunID
	Child        ChildID
	Council      CouncilCode
	NeededBy     time.Time // the day a place is needed by: the later of the run's day and the child's
	SiblingGroup SiblingGroupID
	// Group lists the brothers and sisters offered the same households with the child (the
	// child among them); empty for a child matched alone.
	Group    []ChildID
	Offers   []RunOffer // primary first
	Suitable int        // placements that pass every hard constraint, found by the search
	Complete bool       // the search reached the policy's maximum distance
	// Reason and Rejected say why the child has fewer than two offers: in words, and (when
	// fewer than two placements are suitable at all) what each hard constraint ruled out.
	Reason   string
	Rejected []RunRejection
	Split    bool // together if possible, but no household could take them together
	Widened  bool // the search went beyond the run's TopK
}

// RunPreference is what a child said about a run's offers: the households they would take,
// best first (among their offers), or that they want neither.
type RunPreference struct {
	Run     MatchRunID
	Child   ChildID
	Council CouncilCode
	Ranked  []PlacementID
	Neither bool
	At      time.Time
	By      TokenID
}

// Allocation outcomes: what a child ends with once the children's preferences are settled.
const (
	AllocFirstChoice  = "first_choice"
	AllocSecondChoice = "second_choice"
	AllocNone         = "none"
	AllocDeclined     = "declined"
	AllocNoOffers     = "no_offers"
)

// RunAllocation is what one child ends with after deferred acceptance over a run's offers.
type RunAllocation struct {
	Run       MatchRunID
	Child     ChildID
	Council   CouncilCode
	Placement PlacementID // 0: none
	Outcome   string      // one of the Alloc constants
	Stated    bool        // the child gave their own order (else the offers' order was used)
	Reason    string
	At        time.Time
}

// RunPageFilter pages through a run's children, by child ID.
type RunPageFilter struct {
	After ChildID
	Limit int
}

// MatchRuns keeps match runs and their results. Scope: an officer sees a run whose Council is
// theirs, or a wider run (a region's, England's) that matched any of their council's children;
// of its results, preferences and allocations only their council's children's; and its counts
// are their council's children's. A provider's scope (and a commissioner's) holds no run. A run
// outside scope is ErrNotFound.
//
// A run is written in two steps: CreateMatchRun stores it running; CompleteMatchRun stores its
// results and marks it succeeded in one transaction, so that a run that fails or is
// interrupted leaves no results. The methods that carry a run out (CreateMatchRun,
// RunProgress, CompleteMatchRun, FailMatchRun, FailInterruptedRuns, ListRunPreferences) are
// the system's own work and take no scope: the caller decides who may start a run.
type MatchRuns interface {
	// CreateMatchRun stores a new run, running; ID, StartedAt and Heartbeat are set by the
	// store. ErrInvalid naming council, region or top_k when they are not valid.
	CreateMatchRun(ctx context.Context, r MatchRun) (MatchRun, error)
	// RunProgress records a running run's stage and refreshes its heartbeat: ErrConflict when
	// the run is no longer running (failed as interrupted, say), so that its process stops.
	RunProgress(ctx context.Context, id MatchRunID, stage string, done, total int) error
	// CompleteMatchRun stores a run's results and marks it succeeded, in one transaction with an
	// audit row for every child matched. ErrInvalid when a result is not of the run or has more
	// than two offers; ErrConflict, with nothing written, when the run is no longer running.
	CompleteMatchRun(ctx context.Context, r MatchRun, results []RunResult) error
	// FailMatchRun marks a running run failed, with the reason (which must name no child):
	// ErrConflict when it is not running.
	FailMatchRun(ctx context.Context, id MatchRunID, reason string) error
	// FailInterruptedRuns marks failed every run still running whose heartbeat is older than
	// before (its process has gone), and returns how many.
	FailInterruptedRuns(ctx context.Context, before time.Time) (int, error)
	// MatchRun returns a run in scope; for an officer, its counts are their council's
	// children's only.
	MatchRun(ctx context.Context, s Scope, id MatchRunID) (MatchRun, error)
	// ListRunResults returns a page of a run's results for the children in scope, by child ID:
	// ErrNotFound when the run is not in scope.
	ListRunResults(ctx context.Context, s Scope, id MatchRunID, f RunPageFilter) (Page[RunResult], error)
	// SetRunPreferences stores children's preferences (replacing what each said before) and
	// the run's new allocation for every child of the run, in one transaction with an audit row
	// for each child who said something. ErrNotFound when the run is not in scope; ErrConflict
	// when it has not succeeded; ErrInvalid when a preference or allocation is not of the run,
	// or a preference is for a child not of the run in scope (naming preferences[i].child).
	SetRunPreferences(ctx context.Context, s Scope, id MatchRunID, prefs []RunPreference, alloc []RunAllocation) error
	// ListRunPreferences returns every preference given for a run, by child ID, every scope
	// together: the run's children are settled all together.
	ListRunPreferences(ctx context.Context, id MatchRunID) ([]RunPreference, error)
	// ListRunAllocations returns a page of what the run's children in scope end with after
	// their preferences, by child ID: ErrNotFound when the run is not in scope.
	ListRunAllocations(ctx context.Context, s Scope, id MatchRunID, f RunPageFilter) (Page[RunAllocation], error)
}
