package casework

// Match runs: Runs reads the children waiting in a scope, matches them jointly with the engine
// (matcher.Engine.Match), and keeps the run and what it offers each child in the store
// (catalogue.MatchRuns), transactionally: the run is written running, its results and its status
// succeeded in one transaction, and a run whose process stops is marked failed by the next sweep
// (FailInterrupted). It also settles the children's preferences between their offers by deferred
// acceptance (matcher.Allocate). It talks to the store through Store, so the API and the
// command line share it, and cmd wires the concrete store.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Heartbeats: a running run refreshes its heartbeat at least every HeartbeatEvery; a run
// whose heartbeat is older than StaleAfter has lost its process.
const (
	HeartbeatEvery = 10 * time.Second
	StaleAfter     = 3 * HeartbeatEvery
)

// Config is what New needs.
type RunsConfig struct {
	Store Store
	// Engine returns the engine to match with, its snapshot fresh (Service calls it at the
	// start of every run).
	Engine func(ctx context.Context) (*matcher.Engine, error)
	// Policy returns the scoring policy in force for a council (empty: the national one); nil:
	// catalogue.DefaultPolicy.
	Policy func(ctx context.Context, council catalogue.CouncilCode) (catalogue.Policy, error)
	Logger *slog.Logger
	Now    catalogue.Clock // nil: the wall clock
	// Finished, when set, is told of every run that ends, succeeded or failed (metrics).
	Finished func(run catalogue.MatchRun, took time.Duration)
}

// Service runs matches. It is safe for concurrent use; runs started with Start run in the
// background until they end or Close cancels them.
type Runs struct {
	store  Store
	engine func(ctx context.Context) (*matcher.Engine, error)
	policy func(context.Context, catalogue.CouncilCode) (catalogue.Policy, error)
	log    *slog.Logger
	now    catalogue.Clock
	done   func(catalogue.MatchRun, time.Duration)

	mu     sync.Mutex // one run at a time in this process: a run uses every core
	bg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns a Service.
func NewRuns(cfg RunsConfig) (*Runs, error) {
	if cfg.Store == nil || cfg.Engine == nil {
		return nil, errors.New("runs: Store and Engine are required")
	}
	s := &Runs{store: cfg.Store, engine: cfg.Engine, policy: cfg.Policy, log: cfg.Logger, now: cfg.Now, done: cfg.Finished}
	if s.done == nil {
		s.done = func(catalogue.MatchRun, time.Duration) {}
	}
	if s.policy == nil {
		s.policy = func(context.Context, catalogue.CouncilCode) (catalogue.Policy, error) {
			return catalogue.DefaultPolicy(), nil
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.now = s.now.OrWall()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Close cancels the runs in the background and waits for them to stop; each is marked failed.
func (s *Runs) Close() {
	s.cancel()
	s.bg.Wait()
}

// FailInterrupted marks failed the runs whose heartbeat is older than StaleAfter: at start-up,
// and then from time to time, so that a run whose process crashed never stays running.
func (s *Runs) FailInterrupted(ctx context.Context) (int, error) {
	n, err := s.store.FailInterruptedRuns(ctx, s.now().Add(-StaleAfter))
	if n > 0 {
		s.log.WarnContext(ctx, "match runs interrupted by a stopped process marked failed", "runs", n)
	}
	return n, err
}

// FailAllRunning marks failed every run still recorded as running: for a store only this
// process uses (the embedded one), where at start-up any such run was left by a process that
// stopped, however recently, and whatever its heartbeat says: a clock pinned at start-up
// (PLACEMATCH_NOW) starts again from the same instant after a restart, behind the heartbeats
// the stopped process wrote.
func (s *Runs) FailAllRunning(ctx context.Context) (int, error) {
	n, err := s.store.FailInterruptedRuns(ctx, endOfTime)
	if n > 0 {
		s.log.WarnContext(ctx, "match runs left running by a stopped process marked failed", "runs", n)
	}
	return n, err
}

// endOfTime is after every heartbeat.
var endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Sweep calls FailInterrupted every StaleAfter until ctx ends.
func (s *Runs) Sweep(ctx context.Context) {
	t := time.NewTicker(StaleAfter)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.FailInterrupted(ctx); err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "sweeping interrupted match runs", "err", err)
			}
		}
	}
}

// RunParams says what to match.
type RunParams struct {
	Council catalogue.CouncilCode // one council's children
	Region  catalogue.RegionCode  // or every council's in a region; neither: England
	K       int                   // candidates per child in the first flow; 0: matcher.DefaultK
	// OnResult, when set, is given the engine's whole answer before it is stored (the command
	// line exports its flow and integer programme).
	OnResult func(*matcher.MatchResult) error
}

// Validate checks the parameters against the caller: an officer may match only their own
// council's children; commissioners and providers may not match at all (both KindForbidden).
func (p *RunParams) Validate(who catalogue.Principal) error {
	var fe []catalogue.FieldError
	switch {
	case p.Council != "" && !p.Council.Valid():
		fe = append(fe, catalogue.FieldError{Field: "council", Message: "must be the ONS code of an English upper-tier council"})
	case p.Council != "" && p.Region != "":
		fe = append(fe, catalogue.FieldError{Field: "region", Message: "must be empty when council is given"})
	}
	if p.Region != "" && !validRegion(p.Region) {
		fe = append(fe, catalogue.FieldError{Field: "region", Message: "must be the ONS code of an English region (E12000001 to E12000009)"})
	}
	if p.K < 0 || p.K > matcher.MaxK {
		fe = append(fe, catalogue.FieldError{Field: "top_k", Message: fmt.Sprintf("must be between 1 and %d (0: the default, %d)", matcher.MaxK, matcher.DefaultK)})
	}
	if len(fe) > 0 {
		return catalogue.InvalidFields(fe)
	}
	switch who.Role {
	case catalogue.RoleAdmin:
	case catalogue.RoleOfficer:
		if p.Region != "" || (p.Council != "" && p.Council != who.Council) {
			return catalogue.Errorf(catalogue.KindForbidden, "an officer may match only their own council's children")
		}
		p.Council = who.Council
	default:
		return catalogue.Errorf(catalogue.KindForbidden, "only administrators and placement officers run matches")
	}
	return nil
}

func validRegion(code catalogue.RegionCode) bool {
	return slices.ContainsFunc(catalogue.Regions(), func(r catalogue.Region) bool { return r.Code == code })
}

// Start stores a new run and carries it out in the background; it returns the run, running.
func (s *Runs) Start(ctx context.Context, who catalogue.Principal, p RunParams) (catalogue.MatchRun, error) {
	if err := p.Validate(who); err != nil {
		return catalogue.MatchRun{}, err
	}
	run, err := s.create(ctx, who, p)
	if err != nil {
		return catalogue.MatchRun{}, err
	}
	// The run outlives the request: it keeps the actor for the audit log, not the request's
	// deadline.
	bgctx := catalogue.WithActor(s.ctx, catalogue.ActorFrom(ctx))
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if _, err := s.carryOut(bgctx, run, p, nil); err != nil {
			s.log.Error("match run failed", "run", run.ID, "err", err)
		}
	}()
	return run, nil
}

// Run carries out a run and waits for it (the command line), reporting progress.
func (s *Runs) Run(ctx context.Context, who catalogue.Principal, p RunParams, progress func(catalogue.MatchRun)) (catalogue.MatchRun, error) {
	if err := p.Validate(who); err != nil {
		return catalogue.MatchRun{}, err
	}
	run, err := s.create(ctx, who, p)
	if err != nil {
		return catalogue.MatchRun{}, err
	}
	return s.carryOut(ctx, run, p, progress)
}

func (s *Runs) create(ctx context.Context, who catalogue.Principal, p RunParams) (catalogue.MatchRun, error) {
	k := p.K
	if k == 0 {
		k = matcher.DefaultK
	}
	pol, err := s.policy(ctx, p.Council)
	if err != nil {
		return catalogue.MatchRun{}, fmt.Errorf("reading the scoring policy: %w", err)
	}
	return s.store.CreateMatchRun(ctx, catalogue.MatchRun{Council: p.Council, Region: p.Region,
		Policy: pol.Version, TopK: k, RequestedBy: who.Token})
}

// carryOut matches and stores the result, or marks the run failed.
func (s *Runs) carryOut(ctx context.Context, run catalogue.MatchRun, p RunParams, progress func(catalogue.MatchRun)) (catalogue.MatchRun, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := catalogue.StartStopwatch()
	out, err := s.match(ctx, run, p, progress)
	defer func() { s.done(run, start.Elapsed()) }()
	if err != nil {
		// The run may have been cancelled: record its failure whatever the context.
		fctx := context.WithoutCancel(ctx)
		reason := "the match could not be completed: " + err.Error()
		if errors.Is(err, context.Canceled) {
			reason = "cancelled before it finished (the service stopped); no results were kept"
		}
		if ferr := s.store.FailMatchRun(fctx, run.ID, reason); ferr != nil && !errors.Is(ferr, catalogue.ErrConflict) {
			err = errors.Join(err, ferr)
		}
		run.Status, run.Error = catalogue.RunFailed, reason
		return run, err
	}
	run = out
	return out, nil
}

func (s *Runs) match(ctx context.Context, run catalogue.MatchRun, p RunParams, progress func(catalogue.MatchRun)) (catalogue.MatchRun, error) {
	start := catalogue.StartStopwatch()
	stage := func(name string, done, total int) error {
		run.Stage, run.Done, run.Total = name, done, total
		if progress != nil {
			progress(run)
		}
		return s.store.RunProgress(ctx, run.ID, name, done, total)
	}
	// A heartbeat while the engine works: a stage can take longer than StaleAfter.
	var last sync.Mutex
	current := struct {
		name        string
		done, total int
	}{name: "loading"}
	hbctx, stopHeartbeat := context.WithCancel(ctx)
	defer stopHeartbeat()
	go func() {
		t := time.NewTicker(HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-hbctx.Done():
				return
			case <-t.C:
				last.Lock()
				c := current
				last.Unlock()
				if err := s.store.RunProgress(hbctx, run.ID, c.name, c.done, c.total); err != nil && hbctx.Err() == nil {
					s.log.Warn("match run heartbeat", "run", run.ID, "err", err)
				}
			}
		}
	}()
	if err := stage("loading", 0, 0); err != nil {
		return run, err
	}
	eng, err := s.engine(ctx)
	if err != nil {
		return run, fmt.Errorf("loading the catalogue: %w", err)
	}
	today := catalogue.Day(s.now())
	reqs, err := s.requests(ctx, p, today)
	if err != nil {
		return run, err
	}
	pol, err := s.policy(ctx, p.Council)
	if err != nil {
		return run, fmt.Errorf("reading the scoring policy: %w", err)
	}
	// Each child is weighed by their own council's policy, as in their options.
	policies := map[catalogue.CouncilCode]catalogue.Policy{}
	for _, r := range reqs {
		c := r.Child.Council
		if _, ok := policies[c]; !ok {
			if policies[c], err = s.policy(ctx, c); err != nil {
				return run, fmt.Errorf("reading the scoring policy of %s: %w", c, err)
			}
		}
	}
	var lastReport catalogue.Stopwatch
	res, err := eng.Match(ctx, matcher.MatchRequest{Children: reqs, Policy: pol, Policies: policies, K: run.TopK,
		Progress: func(pr matcher.Progress) { // called from the engine's workers
			last.Lock()
			defer last.Unlock()
			current.name, current.done, current.total = pr.Stage, pr.Done, pr.Total
			if progress != nil && (lastReport.IsZero() || lastReport.Elapsed() > 200*time.Millisecond || pr.Done == pr.Total) {
				lastReport = catalogue.StartStopwatch()
				r := run
				r.Stage, r.Done, r.Total = pr.Stage, pr.Done, pr.Total
				progress(r)
			}
		}})
	if err != nil {
		return run, err
	}
	if p.OnResult != nil {
		if err := p.OnResult(&res); err != nil {
			return run, err
		}
	}
	if err := stage("saving", 0, 0); err != nil {
		return run, err
	}
	saveStart := catalogue.StartStopwatch()
	results := Results(run.ID, reqs, res)
	c := res.Counts
	run.Children, run.Offered, run.OfferedOne, run.OfferedNone = c.Children, c.OfferedTwo, c.OfferedOne, c.OfferedNone
	run.GroupsPlanned, run.GroupsTogether, run.GroupsSplit, run.GroupsWithout = c.Groups, c.GroupsTogether, c.GroupsSplit, c.GroupsWithout
	run.Objective, run.LowerBound, run.Widened, run.Solves = res.Objective, res.LowerBound, len(res.Widened), res.Solves
	run.Separated = res.Separated
	run.Policy = pol.Version
	t := res.Timings
	run.Timings = catalogue.RunTimings{Search: t.Search, Flow: t.Flow, Groups: t.Groups, Explain: t.Explain}
	stopHeartbeat()
	run.Timings.Save = saveStart.Elapsed()
	run.Timings.Total = start.Elapsed()
	if err := s.store.CompleteMatchRun(ctx, run, results); err != nil {
		return run, fmt.Errorf("saving the results: %w", err)
	}
	run.Status, run.Stage, run.Done, run.Total = catalogue.RunSucceeded, "", 0, 0
	run.FinishedAt = s.now()
	if progress != nil {
		progress(run)
	}
	return run, nil
}

// requests reads the children waiting in the run's scope and their sibling groups.
func (s *Runs) requests(ctx context.Context, p RunParams, today time.Time) ([]scoring.Request, error) {
	var councils []catalogue.CouncilCode
	switch {
	case p.Council != "":
		councils = []catalogue.CouncilCode{p.Council}
	case p.Region != "":
		for _, c := range catalogue.Councils() {
			if c.RegionCode == p.Region {
				councils = append(councils, c.Code)
			}
		}
	default:
		councils = []catalogue.CouncilCode{""}
	}
	var children []catalogue.Child
	var groups []catalogue.SiblingGroup
	for _, council := range councils {
		cs, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
			return s.store.ListChildren(ctx, catalogue.Everything, catalogue.ChildFilter{Council: council, Status: catalogue.ChildWaiting,
				After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return nil, fmt.Errorf("reading the children waiting: %w", err)
		}
		gs, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SiblingGroup], error) {
			return s.store.ListSiblingGroups(ctx, catalogue.Everything, catalogue.GroupFilter{Council: council,
				After: catalogue.SiblingGroupID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return nil, fmt.Errorf("reading the sibling groups: %w", err)
		}
		children, groups = append(children, cs...), append(groups, gs...)
	}
	// Brothers and sisters not waiting count where they live, as in the options for one child.
	homes, err := s.store.HomesOf(ctx, matcher.Unlisted(children, groups))
	if err != nil {
		return nil, fmt.Errorf("reading where brothers and sisters live: %w", err)
	}
	livesAt := func(id catalogue.ChildID) (catalogue.Location, bool) { at, ok := homes[id]; return at, ok }
	ids := make([]catalogue.ChildID, len(children))
	for i := range children {
		ids[i] = children[i].ID
	}
	episodes, err := s.store.EpisodesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("reading the placement histories: %w", err)
	}
	history := func(id catalogue.ChildID) []catalogue.Episode { return episodes[id] }
	reqs := matcher.Waiting(children, groups, livesAt, history, today)
	// The director's overrides of inadequate ratings, as in the options for one child: each
	// lets one home through for one child's request, and for nobody else's.
	overrides, err := s.store.OverridesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("reading the overrides of inadequate ratings: %w", err)
	}
	for i := range reqs {
		reqs[i].InadequateAllowed = overriddenHomes(overrides[reqs[i].Child.ID])
	}
	return reqs, nil
}

// Results turns a match into one result per child (each member of a group placed together
// has the group's offers).
func Results(id catalogue.MatchRunID, reqs []scoring.Request, res matcher.MatchResult) []catalogue.RunResult {
	var out []catalogue.RunResult
	for _, cm := range res.Children {
		r := reqs[cm.Request]
		members := []catalogue.Child{r.Child}
		if len(cm.Group) > 0 {
			members = r.Group
		} else if cm.Split {
			for _, g := range r.Group {
				if g.ID == cm.Child {
					members = []catalogue.Child{g}
				}
			}
		}
		offers := make([]catalogue.RunOffer, len(cm.Offers))
		for i, o := range cm.Offers {
			offers[i] = catalogue.RunOffer{Role: string(o.Role), Placement: o.Placement, Score: o.Result.Total, Quality: o.Result.Quality,
				Factors: o.Result.Factors, WeeklyCost: o.Result.WeeklyCost, HomeKm: o.HomeKm, SchoolKm: o.Result.SchoolKm, Cost: o.Cost}
		}
		var rejected []catalogue.RunRejection
		if cm.Shortfall != nil {
			for _, x := range cm.Shortfall.Rejected {
				rejected = append(rejected, catalogue.RunRejection{Constraint: string(x.Constraint), Count: x.Count, Example: x.Example})
			}
		}
		day := catalogue.Day(r.Today)
		for _, m := range members {
			nb := catalogue.Day(m.NeededBy)
			if len(cm.Group) > 0 {
				nb = catalogue.Day(r.Child.NeededBy) // a group needs its places by the first child's day
			}
			if nb.Before(day) {
				nb = day
			}
			out = append(out, catalogue.RunResult{Run: id, Child: m.ID, Council: m.Council, NeededBy: nb,
				SiblingGroup: m.SiblingGroup, Group: cm.Group, Offers: offers, Suitable: cm.Suitable, Complete: cm.Complete,
				Reason: cm.Reason, Rejected: rejected, Split: cm.Split, Widened: cm.Widened})
		}
	}
	slices.SortFunc(out, func(a, b catalogue.RunResult) int { return int(a.Child - b.Child) })
	return out
}
