package sufficiency

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Input is the snapshot of the catalogue one analysis reads.
type Input struct {
	// Today is the day of the report: ages, needed-by dates and open places are taken on it.
	Today time.Time
	// Children holds at least every child looking for a home (waiting, or with an offer out);
	// others are read only as brothers and sisters. Brothers and sisters named by a group but
	// not listed count as living elsewhere (see LivesAt).
	Children []catalogue.Child
	// Groups are the sibling groups, with their members.
	Groups []catalogue.SiblingGroup
	// Placements is every placement, with its vacancies, whether or not it has a free place: the
	// Ofsted capacity counts them all; matching uses the active ones with an available place.
	Placements []catalogue.Placement
	// Policy returns the scoring policy in force for a council; nil: catalogue.DefaultPolicy.
	Policy func(catalogue.CouncilCode) catalogue.Policy
	// Stability holds the official stability indicators of each council's children, from their
	// placement histories (see StabilitySource); nil when the catalogue has no histories.
	Stability map[catalogue.CouncilCode][]Indicator
	// TurningEighteen counts, per council, the young people aged 16 or 17 on the day who are in
	// care or coming into care (catalogue.StabilitySummary.TurningEighteen: all of them, not only
	// those looking for a home), against whom the report sets the Staying Put places; nil when
	// not known (no placement histories).
	TurningEighteen map[catalogue.CouncilCode]int
	// Leaving counts, per council, its young people of 16 and 17 by their current placement:
	// fostered (Staying Put) and whose own carers are willing, and in children's homes (Staying
	// Close); nil when not known (no placement histories).
	Leaving map[catalogue.CouncilCode]Leaving
	// Unregistered counts, per council, its children living on the day in settings that must
	// be registered with Ofsted and are not (HistoryFigures.Unregistered); nil when not known.
	Unregistered map[catalogue.CouncilCode]int
	// LoadedAt is when the snapshot was read from the store.
	LoadedAt time.Time
	// History holds the placement histories of the children looking for a home (nil: none
	// known), from which their moves in the last 12 months are counted: as in options and runs,
	// a child who has moved a lot has stability weighed more.
	History map[catalogue.ChildID][]catalogue.Episode
	// Sharing is every sharing agreement between councils: a council's own foster carers are
	// supply for another council's children only through one (scoring.ConstraintOwnCarers), in
	// the report as in options and runs. Nil: none.
	Sharing []catalogue.SharingAgreement
	// Referrals are the facts of the referrals sent in the year to Today (ReferralWindow), and
	// FrameworkPrices each council's weekly prices, for the referral figures; nil: not known.
	Referrals       []catalogue.ReferralFact
	FrameworkPrices []catalogue.FrameworkPrice
	// KinCaring counts each council's children cared for by kin outside care, by way
	// (KinCaringSource); nil: not known.
	KinCaring []catalogue.KinCaringCount
}

// history is the Input's placement histories as the request builder reads them.
func (in *Input) history() func(catalogue.ChildID) []catalogue.Episode {
	if in.History == nil {
		return nil
	}
	return func(id catalogue.ChildID) []catalogue.Episode { return in.History[id] }
}

// Config configures an analysis.
type Config struct {
	// Matcher is the joint match; nil: FlowMatcher.
	Matcher Matcher
	// Workers bounds the units evaluated at once; default GOMAXPROCS.
	Workers int
	// Progress, when set, is called as the analysis advances: the stage and how far through it.
	Progress func(stage string, done, total int)
	// Now stamps the report with when it was computed; nil: the wall clock. The day the figures
	// are for is the Input's Today, not this.
	Now catalogue.Clock
}

// Stages of an analysis, as Progress reports them.
const (
	StageOptions  = "options and supply"
	StageMatching = "joint match"
	StageReport   = "report"
)

// nearMissFactor widens the scan for children short of two choices beyond the policy's maximum
// distance, to count the homes that distance alone keeps from them.
const nearMissFactor = 1.5

// unit is one request as the analysis builds it: a child alone, or brothers and sisters planned
// together (together, or together if possible).
type unit struct {
	req     scoring.Request
	pol     catalogue.Policy
	plan    catalogue.SiblingPlan
	members []int // indices into Input.Children: the lead child first
	ev      *eval
	// alone holds, for a group planned together if possible that has fewer than two choices
	// together, the evaluation of each member searched for alone (in the order of members).
	alone []*eval
	// fellBack: the group is matched as children alone, as the API offers them when fewer than
	// two homes could take them together and alone the lead child has more.
	fellBack bool
}

// eval is what the analysis learnt of one request.
type eval struct {
	req       scoring.Request
	pol       catalogue.Policy
	shortfall matcher.Shortfall // Engine.Options' account of the constraints, for a request short of two choices
	passed    int               // placements passing every hard constraint
	suitable  []int32           // every placement position passing every hard constraint, ascending
	only      [scoring.NConstraints]int32
	prep      *scoring.Prepared // kept for requests short of two choices (the planner checks new homes with it)
}

// choices is the number of real choices the request has, as the report counts them: 0, 1 or 2
// (two or more).
func (e *eval) choices() int { return min(e.passed, 2) }

func (e *eval) short() bool { return e.passed < 2 }

// analysis is one run over an Input.
type analysis struct {
	in      *Input
	cfg     Config
	day     time.Time
	areas   *areaIndex
	engine  *matcher.Engine
	snap    *matcher.Snapshot     // the engine's
	ps      []catalogue.Placement // the snapshot's placements: a placement's position is its index here
	units   []*unit
	matched []matchUnit
	assign  []Assignment
	matcher string
	took    time.Duration
	// searches are the joint match's candidate searches, kept by a report's analysis for its
	// what-ifs (with): FlowMatcher only.
	searches *matcher.Searches
	// keepSearches asks match to keep them; reuse is the analysis whose searches match may take.
	keepSearches bool
	reuse        *analysis
	reused       int // the match units whose search was taken from reuse's
	// grown, in a what-if, is the first slot of the snapshot holding a new placement (every
	// placement before it is at the same slot as in the report's): 0 otherwise.
	grown int
}

// matchUnit is one unit of the joint match: a unit, or one member of a group that fell back.
type matchUnit struct {
	u      *unit
	member int // -1: the whole unit; else the index into u.members matched alone
	ev     *eval
}

// children returns the indices into Input.Children the match unit places.
func (m matchUnit) children() []int {
	if m.member < 0 {
		return m.u.members
	}
	return m.u.members[m.member : m.member+1]
}

func (a *analysis) progress(stage string, done, total int) {
	if a.cfg.Progress != nil {
		a.cfg.Progress(stage, done, total)
	}
}

func (a *analysis) policy(c catalogue.CouncilCode) catalogue.Policy {
	if a.in.Policy == nil {
		return catalogue.DefaultPolicy()
	}
	return a.in.Policy(c)
}

// run analyses the input from scratch.
func run(ctx context.Context, in *Input, cfg Config) (*analysis, error) {
	start := catalogue.StartStopwatch()
	if in.Today.IsZero() {
		return nil, errors.New("sufficiency: the input has no day (Today)")
	}
	a := &analysis{in: in, cfg: cfg, day: catalogue.Day(in.Today), areas: newAreaIndex(), keepSearches: true}
	a.useSupply(in.Placements)
	a.buildUnits()
	if err := a.evaluateAll(ctx, nil); err != nil {
		return nil, err
	}
	if err := a.match(ctx); err != nil {
		return nil, err
	}
	a.took = start.Elapsed()
	return a, nil
}

// useSupply builds the engine over placements.
func (a *analysis) useSupply(placements []catalogue.Placement) {
	day := a.day
	// The engine's workers serve the joint match's search; the analysis already runs one
	// child's options per worker.
	a.engine = matcher.NewEngineFrom(placements, matcher.Options{Workers: a.cfg.Workers, Now: func() time.Time { return day }, Sharing: a.in.Sharing})
	a.snap = a.engine.Snapshot()
	a.ps = a.snap.Placements()
}

// buildUnits makes a request for every child looking for a home, as a joint match does
// (matcher.Waiting): brothers and sisters planned together make one, led by the first of them in
// the order of Input.Children. Brothers and sisters not listed, or not looking for a home, count
// where they live: the placement whose place they fill, when the catalogue says.
func (a *analysis) buildUnits() {
	cs := a.in.Children
	index := make(map[catalogue.ChildID]int, len(cs))
	for i := range cs {
		index[cs[i].ID] = i
	}
	for _, req := range matcher.Waiting(cs, a.in.Groups, matcher.LivesAt(a.in.Placements), a.in.history(), a.day) {
		u := &unit{req: req, pol: a.policy(req.Child.Council), plan: req.GroupPlan, members: []int{index[req.Child.ID]}}
		for _, g := range req.Group[min(1, len(req.Group)):] {
			u.members = append(u.members, index[g.ID])
		}
		a.units = append(a.units, u)
	}
}

// evaluateAll evaluates every unit (when redo is nil) or the units redo says, concurrently.
func (a *analysis) evaluateAll(ctx context.Context, redo func(*unit) bool) error {
	var todo []*unit
	for _, u := range a.units {
		if redo == nil || redo(u) {
			todo = append(todo, u)
		}
	}
	workers := a.cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	var done atomic.Int64
	total := len(todo)
	a.progress(StageOptions, 0, total)
	for _, u := range todo {
		g.Go(func() error {
			if err := a.evaluateUnit(gctx, u); err != nil {
				return err
			}
			if n := int(done.Add(1)); n%64 == 0 || n == total {
				a.progress(StageOptions, n, total)
			}
			return nil
		})
	}
	return g.Wait()
}

// evaluateUnit searches for the unit's options and supply; for a group planned together if
// possible with fewer than two choices together, for each member alone too (matcher.TriesAlone,
// the rule options and runs follow).
//
// In a what-if (a.grown > 0), a request evaluated before keeps its list of suitable placements,
// with the new placements that pass added (evaluateGrown).
func (a *analysis) evaluateUnit(ctx context.Context, u *unit) error {
	prevEv, prevAlone := u.ev, u.alone
	ev, err := a.evaluateGrown(ctx, u.req, u.pol, prevEv)
	if err != nil {
		return err
	}
	u.ev, u.alone, u.fellBack = ev, nil, false
	if !matcher.TriesAlone(u.req, ev.passed) {
		return nil
	}
	for k, req := range matcher.AloneRequests(u.req) {
		var prev *eval
		if k < len(prevAlone) {
			prev = prevAlone[k]
		}
		alone, err := a.evaluateGrown(ctx, req, u.pol, prev)
		if err != nil {
			return err
		}
		u.alone = append(u.alone, alone)
	}
	u.fellBack = matcher.PrefersAlone(ev.passed, u.alone[0].passed)
	return nil
}

// evaluateGrown evaluates a request in a what-if from its evaluation before (prev, nil when
// none): the placements are those of before, at the same slots, and new ones from slot a.grown,
// and whether a placement passes every hard constraint depends on nothing but the placement and
// the request, so the suitable placements are those of before and the new ones that pass
// (Snapshot.SuitableAdded). A request left short of two choices is evaluated in full, for the
// account of its shortfall.
func (a *analysis) evaluateGrown(ctx context.Context, req scoring.Request, pol catalogue.Policy, prev *eval) (*eval, error) {
	if prev == nil || a.grown == 0 {
		return a.evaluate(ctx, req, pol)
	}
	prep, err := a.snap.Prepare(req, pol)
	if err != nil {
		return nil, fmt.Errorf("sufficiency: child %d: %w", req.Child.ID, err)
	}
	ev := &eval{req: req, pol: pol, suitable: append(slices.Clip(prev.suitable), a.snap.SuitableAdded(prep, a.grown)...)}
	ev.passed = len(ev.suitable)
	if ev.short() {
		return a.evaluate(ctx, req, pol)
	}
	return ev, ctx.Err()
}

// evaluate counts the request's real choices and scans the supply within reach, through the
// engine's snapshot: every placement that passes every hard constraint (Snapshot.Suitable: the
// supply that can meet the need, checked as a complete Engine.Options search checks it) and,
// when the request is short of two choices, Engine.Options' account of which constraints removed
// how many placements, and how many placements each constraint alone kept from it within
// nearMissFactor times the policy's distance (Snapshot.Obstacles).
func (a *analysis) evaluate(ctx context.Context, req scoring.Request, pol catalogue.Policy) (*eval, error) {
	prep, err := a.snap.Prepare(req, pol)
	if err != nil {
		return nil, fmt.Errorf("sufficiency: child %d: %w", req.Child.ID, err)
	}
	ev := &eval{req: req, pol: pol, suitable: a.snap.Suitable(prep)}
	ev.passed = len(ev.suitable)
	if !ev.short() {
		return ev, ctx.Err()
	}
	res, err := a.engine.Options(ctx, matcher.OptionsRequest{Request: req, Policy: pol, Limit: matcher.DefaultOptions})
	if err != nil {
		return nil, fmt.Errorf("sufficiency: options for child %d: %w", req.Child.ID, err)
	}
	ev.shortfall, ev.passed, ev.prep = res.Shortfall, res.Shortfall.Passed, prep
	ev.only = a.snap.Obstacles(prep, pol.MaxDistanceKm*nearMissFactor)
	return ev, ctx.Err()
}

func constraintIndex(c scoring.Constraint) int {
	return slices.Index(scoring.Constraints, c)
}

// match runs the joint match over every match unit.
func (a *analysis) match(ctx context.Context) error {
	a.matched = a.matched[:0]
	for _, u := range a.units {
		if u.fellBack {
			for k := range u.members {
				a.matched = append(a.matched, matchUnit{u: u, member: k, ev: u.alone[k]})
			}
			continue
		}
		a.matched = append(a.matched, matchUnit{u: u, member: -1, ev: u.ev})
	}
	units := make([]Unit, len(a.matched))
	for i, m := range a.matched {
		units[i] = Unit{Request: m.ev.req, Policy: m.ev.pol}
	}
	mt := a.cfg.Matcher
	if mt == nil {
		mt = FlowMatcher{}
	}
	a.matcher = mt.Name()
	a.progress(StageMatching, 0, 1)
	var out []Assignment
	var err error
	if fm, ok := mt.(FlowMatcher); ok {
		var reuse *matcher.Searches
		if a.reuse != nil {
			reuse = a.reuse.searches
		}
		out, a.searches, a.reused, err = fm.matchSearches(ctx, a.engine, units, a.keepSearches, reuse)
	} else {
		out, err = mt.Match(ctx, a.engine, units)
	}
	if err != nil {
		return fmt.Errorf("sufficiency: joint match: %w", err)
	}
	if len(out) != len(units) {
		return fmt.Errorf("sufficiency: joint match gave %d assignments for %d units", len(out), len(units))
	}
	a.assign = out
	a.progress(StageMatching, 1, 1)
	return nil
}
