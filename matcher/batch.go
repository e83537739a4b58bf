package matcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/golang/geo/s2"
	"golang.org/x/sync/errgroup"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher/mcf"
	"github.com/placematch/placematch/scoring"
)

// Joint matching of every child waiting (DESIGN.md section 5).
//
// Each child needs two offers, a primary and a back-up, in two different households, and no
// place may be promised to more children than it has. Match finds the offers that, first,
// give as many children as possible an offer and as many as possible both (a child's first
// offer counts twice a back-up), and then have the best total quality, as one min-cost flow
// solved exactly (matcher/mcf):
//
//	child (supply 2) --1 unit, cost per offer--> placement --its places--> sink
//	child --no offer: 1 unit at P, 1 more at 2P--> sink
//
// The cost of an offer is costScale x (1 - quality) plus at most costScale x CostMargin for its
// weekly cost (arcCost), so that cost can only ever tip the balance between placements whose
// quality is within the policy's cost margin, as in Rank. P exceeds the greatest difference in
// total quality any two assignments can have, so fewer missing offers always wins.
//
// Places carry their available-from dates: a child needing a place by a day may only use the
// places open by then (a chain of nodes per placement, one per date), and a placement never
// takes more children than its approval leaves room for.
//
// Candidates. Each child's placements are found by Options' checks over its rings (every hard
// constraint, then the quick score: batch_search.go), with a compact prefilter first
// (prefilter.go), and only the best K enter the flow; the others found are kept aside, those
// whose distance alone puts them out of reach are put off unscored with a lower bound on their
// cost, and the rings not yet searched have a lower bound too. The pruning is certified: from
// the optimal potentials, no placement left out could have lowered the cost if its cost (or
// bound) plus its place's price is at least what one more unit from the child is worth
// (problem.certify). Where that cannot be shown, the placements kept aside with a negative
// reduced cost join the flow, those put off are scored, the child's search goes further until
// it can be shown, and the flow is solved again, warm from the last optimum (mcf.SolveWarm);
// MatchResult.Widened names those children. A placement is put off by a bound on its cost
// from its distance (Prepared.QualityBound) or, failing that, from its own point, council,
// skills and record (Prepared.QualityBoundAt with the snapshot's scoring.Traits).
//
// Sibling groups planned together cannot be split between households, which a flow cannot
// express: they are placed from the flow's prices (placeGroups, measured against the exact
// integer programme in groups_mip_test.go), and the children on their own are matched exactly
// around them. A group planned together "if possible" that no household can take together is
// matched child by child (ChildMatch.Split).

// Defaults and limits of a MatchRequest.
const (
	DefaultK = 8  // candidates per child in the first flow
	MaxK     = 64 // the most a request may ask for
	// groupSearchArcs is the work the sibling groups' local search may do by default, in arcs
	// of the flows it solves: about 50 flows for a council's children, 5 for England's.
	groupSearchArcs = 600_000
	maxGroupSolves  = 400
)

// MatchRequest asks for a joint match.
type MatchRequest struct {
	// Children is everyone waiting: one request per child, or per sibling group planned
	// together (Request.Group set, Request.Child among its members; see Waiting). A child
	// may appear in one request only.
	Children []scoring.Request
	// Policy is the scoring policy of every child whose council Policies does not name.
	Policy catalogue.Policy
	// Policies holds each council's policy in force (its own, else the national one), so that a
	// child is weighed by their council's policy in a joint match as in their options.
	Policies map[catalogue.CouncilCode]catalogue.Policy
	// K is how many of each child's best placements enter the first flow (DefaultK when 0, at
	// most MaxK). Certification widens it where the answer depends on it, so K changes the time
	// taken, not the answer.
	K int
	// GroupSolves bounds the sibling groups' local search, in flows solved (negative: no local
	// search; 0: as many as 600,000 arcs' worth of flows, between 4 and 400, so that the
	// search costs about the same at any size). A count rather than a time, so that the same
	// request always gives the same answer.
	GroupSolves int
	// Progress, when set, is called as the match goes: stage "search" for each request's
	// candidates, then "flow", "groups" and "explain".
	Progress func(p Progress)
	// KeepSearches keeps the candidate searches in MatchResult.Searches; Reuse, a match's kept
	// searches over the same placements (the same slots of the snapshot) with others added
	// after them by ID, takes them for the requests no new placement could change (Searches).
	// The requests must be those of the kept match (by lead child and size, checked in full).
	// The result is the same as without Reuse; only the time differs.
	KeepSearches bool
	Reuse        *Searches
	// Brief leaves out of the answer what only a person reads: why a child has fewer than two
	// offers (ChildMatch.Reason, and the one-child search behind ChildMatch.Shortfall). The
	// offers are the same.
	Brief bool
}

// Progress is how far a match has gone.
type Progress struct {
	Stage       string
	Done, Total int
}

// OfferRole says which of a child's two offers an offer is.
type OfferRole string

const (
	OfferPrimary OfferRole = "primary"
	OfferBackup  OfferRole = "backup"
)

// Offer is one placement offered to a child (or to brothers and sisters together).
type Offer struct {
	Role      OfferRole
	Placement catalogue.PlacementID
	Result    scoring.Result // the score, every factor with its reason, the weekly cost
	HomeKm    float64        // from the child's home, as the crow flies (-1 when not recorded)
	Cost      int64          // the flow's cost of the offer for each child (lower is better)
}

// ChildMatch is what the match offers one child, or one sibling group placed together.
type ChildMatch struct {
	Request int // index into MatchRequest.Children
	Child   catalogue.ChildID
	// Group lists the brothers and sisters placed together, Child first; nil for a child on
	// their own. Every member is offered the same households.
	Group []catalogue.ChildID
	// Offers are at most two, primary first (ranked by scoring.Rank: cost decides only within
	// the policy's margin).
	Offers []Offer
	// Suitable counts the placements that pass every hard constraint found by the search: all
	// of them when Complete (always so for a child offered fewer than two).
	Suitable int
	Complete bool
	// Shortfall, for a child offered fewer than two because fewer than two placements are
	// suitable at all, is the one-child search's account of what each hard constraint removed.
	Shortfall *Shortfall
	// Reason says in plain words why the child has fewer than two offers; empty otherwise.
	Reason string
	// Split is set for a child of a group planned together if possible whom no household could
	// take with their brothers and sisters: matched on their own.
	Split bool
	// Widened is set when the child's candidates had to go beyond the first K for the answer
	// to be certified.
	Widened bool
}

// MatchCounts summarises a match, counting children (a group's members each count).
type MatchCounts struct {
	Children, OfferedTwo, OfferedOne, OfferedNone int
	// Groups planned together: kept together (with at least one offer for the group), split
	// (together if possible, no household could take them), without any offer.
	Groups, GroupsTogether, GroupsSplit, GroupsWithout int
}

// MatchTimings says where the time went.
type MatchTimings struct {
	Search, Flow, Groups, Households, Explain, Total time.Duration
}

// MatchResult is the answer to a MatchRequest.
type MatchResult struct {
	// Children holds one entry per request, in request order; a group split is one entry per
	// member, in place of the group.
	Children []ChildMatch
	// Objective is the total cost of the assignment (penalties for missing offers, then the
	// offers' costs), the optimum of the flow WriteDIMACS writes.
	Objective int64
	// LowerBound is the optimum when sibling groups may split between households (certified over
	// every suitable placement): no assignment can cost less. Objective - LowerBound bounds how
	// far from the best possible the answer can be; they are equal without sibling groups and
	// without offers separated.
	LowerBound int64
	// Separated counts the offers taken out because two children of the run offered the same
	// home could not live together there (batch_household.go); the flow was solved again
	// without them.
	Separated int
	// Refilled counts the offers given after the last solve, in room left by offers taken out
	// then, to children left short by them (batch_household.go); they are not in Objective.
	Refilled int
	// Penalty is the cost of one missing back-up for one child (twice it for a child's only offer).
	Penalty int64
	Counts  MatchCounts
	// Widened lists the children (a group by its first member) whose candidates went beyond K.
	Widened []catalogue.ChildID
	// Solves counts the flows solved: certification rounds and the groups' local search.
	Solves     int
	Timings    MatchTimings
	Snapshot   time.Time // when the catalogue snapshot matched against was loaded
	PolicyUsed int
	// Searches holds the candidate searches when the request asked to keep them; Reused counts
	// the requests whose kept search (MatchRequest.Reuse) was taken.
	Searches *Searches
	Reused   int

	final *flow
	prob  *problem
}

// WriteDIMACS writes the final flow in DIMACS min-cost flow format: its optimum is Objective,
// for anyone to check with another solver (placematch solve, LEMON's dimacs-solver).
func (r *MatchResult) WriteDIMACS(w io.Writer) error {
	if r.final == nil {
		return errors.New("matcher: the match has no flow to write")
	}
	return mcf.WriteDIMACS(w, r.final.g)
}

// WriteLP writes the exact integer programme of the match over every candidate it knows (see
// writeLP), for CBC, GLPK or HiGHS; with sibling groups its optimum may be below Objective.
func (r *MatchResult) WriteLP(w io.Writer) error {
	if r.prob == nil {
		return errors.New("matcher: the match has no problem to write")
	}
	return writeLP(w, r.prob)
}

// entMeta is what the matcher keeps of each entity beside the model.
type entMeta struct {
	req      int
	r        scoring.Request
	prep     *scoring.Prepared
	filter   prefilter
	home     s2.Point
	wc       float64 // effective weight of cost
	margin   float64
	suitable int // suitable placements found so far
	complete bool
	split    bool
	kids     []catalogue.ChildID
	cursor   cursor
	first    firstSearch // what the first search found, until the model takes it
}

// firstSearch is the outcome of an entity's first search.
type firstSearch struct {
	arcs     []batchArc
	deferred []deferredSlot
	bound    int64
}

// policyOf is the policy a request is weighed by: its lead child's council's.
func (req *MatchRequest) policyOf(r scoring.Request) catalogue.Policy {
	if p, ok := req.Policies[r.Child.Council]; ok {
		return p
	}
	return req.Policy
}

// Match matches every child in the request jointly (see the package documentation above).
// The same request against the same snapshot always gives the same result. Invalid requests
// give an invalid-input *catalogue.Error naming the field (children[3].child.date_of_birth).
//
// It goes through its stages in turn, each a method of batch: search every child's candidates,
// solve the flow, place the sibling groups, keep apart children who cannot live together, and
// explain every offer.
func (e *Engine) Match(ctx context.Context, req MatchRequest) (MatchResult, error) {
	start := catalogue.StartStopwatch()
	b, err := e.newBatch(req)
	if err != nil {
		return MatchResult{}, err
	}
	if err := b.search(ctx); err != nil {
		return MatchResult{}, err
	}
	b.res.Timings.Search = start.Elapsed()
	b.model()
	for _, stage := range []func(context.Context) error{b.flow, b.groups, b.households, b.explain} {
		if err := stage(ctx); err != nil {
			return MatchResult{}, err
		}
	}
	b.res.Timings.Total = start.Elapsed()
	return b.res, nil
}

// batch is one joint match as it goes through Match's stages.
type batch struct {
	e        *Engine
	req      MatchRequest
	k        int // candidates per entity in the first flow
	progress func(Progress)
	snap     *Snapshot
	metas    []*entMeta // one per entity, in request order
	p        *problem   // the model of the flow
	// relax is the flow solved with sibling groups free to split between households (its cost
	// is the lower bound); final the one whose offers are made.
	relax, final *flow
	hasGroups    bool
	answer       [][]batchArc // each entity's offers
	res          MatchResult
}

// newBatch checks the request and prepares every child (or group) in it, refusing a child asked
// for twice.
func (e *Engine) newBatch(req MatchRequest) (*batch, error) {
	if err := req.Policy.Validate(); err != nil {
		return nil, prefixFields("policy", err)
	}
	for council, pol := range req.Policies {
		if err := pol.Validate(); err != nil {
			return nil, prefixFields("policies."+string(council), err)
		}
	}
	k := req.K
	switch {
	case k == 0:
		k = DefaultK
	case k < 0 || k > MaxK:
		return nil, catalogue.Invalid("k", "must be between 1 and %d", MaxK)
	}
	progress := req.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	snap := e.Snapshot()
	b := &batch{e: e, req: req, k: k, progress: progress, snap: snap,
		res: MatchResult{Snapshot: snap.loadedAt, PolicyUsed: req.Policy.Version}}
	b.metas = make([]*entMeta, 0, len(req.Children))
	seen := map[catalogue.ChildID]int{}
	for i, r := range req.Children {
		m, err := newEntMeta(snap, i, r, req.policyOf(r))
		if err != nil {
			return nil, prefixFields(fmt.Sprintf("children[%d]", i), err)
		}
		for _, id := range m.kids {
			if j, dup := seen[id]; dup {
				return nil, catalogue.Invalid(fmt.Sprintf("children[%d]", i), "child %d is also in children[%d]", id, j)
			}
			seen[id] = i
		}
		b.metas = append(b.metas, m)
	}
	return b, nil
}

// search finds every entity's candidates, concurrently. A group planned together if possible
// that fewer than two households can take is matched child by child when that gives the child
// more choices (TriesAlone and PrefersAlone: the rule options and the sufficiency report follow).
//
// With req.Reuse, a request whose kept search no new placement could change takes it instead of
// searching again (Searches); with req.KeepSearches, the searches are kept in the result.
func (b *batch) search(ctx context.Context) error {
	reaches := map[int][]reach{}
	var reused []*entMeta // entities whose search is kept, in place of b.metas' for their requests
	if b.req.Reuse != nil && b.req.Reuse.k == b.k {
		if near, ok := b.req.Reuse.nearNew(b.snap); ok {
			for i, m := range b.metas {
				r := b.req.Children[m.req]
				ms, rs, err := b.req.Reuse.reuse(b.snap, m.req, r, b.req.policyOf(r), near)
				if err != nil {
					return prefixFields(fmt.Sprintf("children[%d]", m.req), err)
				}
				if ms != nil {
					b.metas[i], reaches[m.req] = nil, rs
					reused = append(reused, ms...)
					b.res.Reused++
				}
			}
			b.metas = slices.DeleteFunc(b.metas, func(m *entMeta) bool { return m == nil })
		}
	}
	if err := b.e.searchAll(ctx, b.snap, b.metas, b.k, b.progress); err != nil {
		return err
	}
	var split []*entMeta
	for i, m := range b.metas {
		r := b.req.Children[m.req]
		reaches[m.req] = append(reaches[m.req], reachOf(m))
		if m.prep.Places() > 1 && m.complete && len(m.first.deferred) == 0 && TriesAlone(r, m.suitable) {
			parts, err := splitGroup(b.snap, m.req, r, b.req.policyOf(r))
			if err != nil {
				return prefixFields(fmt.Sprintf("children[%d]", m.req), err)
			}
			if err := b.e.searchAll(ctx, b.snap, parts, b.k, func(Progress) {}); err != nil {
				return err
			}
			for _, part := range parts {
				reaches[m.req] = append(reaches[m.req], reachOf(part))
			}
			if !PrefersAlone(m.suitable, parts[0].suitable) {
				continue
			}
			b.metas[i] = nil
			split = append(split, parts...)
		}
	}
	if len(split) > 0 || len(reused) > 0 {
		b.metas = append(slices.DeleteFunc(b.metas, func(m *entMeta) bool { return m == nil }), split...)
		b.metas = append(b.metas, reused...)
		slices.SortStableFunc(b.metas, func(x, y *entMeta) int { return x.req - y.req })
	}
	if b.req.KeepSearches {
		b.res.Searches = b.keepSearches(reaches)
	}
	return nil
}

// model builds the flow's problem: each entity's first K candidates in the flow, the others
// found kept aside, those put off noted, and the search to widen them (b.widen).
func (b *batch) model() {
	p := &problem{places: map[int32]*place{}, workers: b.e.workers}
	var units int64
	p.ents = make([]entity, len(b.metas))
	for i, m := range b.metas {
		all := m.first.arcs
		ent := entity{size: int32(m.prep.Places()), day: dayNumber(m.prep.Day()), bound: m.first.bound, deferred: m.first.deferred}
		nArcs := min(b.k, len(all))
		ent.arcs = slices.Clone(all[:nArcs])
		ent.reserve = slices.Clone(all[nArcs:])
		for _, a := range all {
			addPlace(p, b.snap, a.slot)
		}
		p.ents[i] = ent
		m.first = firstSearch{}
		units += 2 * int64(ent.size)
	}
	p.penalty = penaltyFor(units)
	p.widen = b.widen
	b.p = p
	b.res.Penalty = p.penalty
}

// widen runs certification's jobs concurrently: scores the placements kept aside that are due,
// searches further where asked, and puts what they find in each entity's reserve and deferred
// lists (problem.widen).
func (b *batch) widen(ctx context.Context, jobs []widenJob) error {
	type out struct {
		arcs     []batchArc
		deferred []deferredSlot
		bound    int64
	}
	p := b.p
	outs := make([]out, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.e.workers)
	for k, j := range jobs {
		g.Go(func() error {
			m := b.metas[j.ent]
			o := &outs[k]
			o.arcs = b.e.scoreSlots(b.snap, m, j.due)
			o.bound = p.ents[j.ent].bound
			if j.more {
				more, deferred, bound, err := b.e.searchEntity(gctx, b.snap, m, 0, j.target, j.price)
				if err != nil {
					return err
				}
				o.arcs, o.deferred, o.bound = append(o.arcs, more...), deferred, bound
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for k, j := range jobs {
		ent := &p.ents[j.ent]
		for _, a := range outs[k].arcs {
			if ent.forbidden[a.slot] {
				continue
			}
			ent.reserve = append(ent.reserve, a)
			addPlace(p, b.snap, a.slot)
		}
		slices.SortFunc(ent.reserve, compareArcs)
		for _, d := range outs[k].deferred {
			if !ent.forbidden[d.slot] {
				ent.deferred = append(ent.deferred, d)
			}
		}
		ent.bound = outs[k].bound
	}
	return nil
}

// flow solves the relaxation, sibling groups free to split, certified: the lower bound, and
// the answer when there are no groups.
func (b *batch) flow(ctx context.Context) error {
	b.progress(Progress{Stage: "flow"})
	sw := catalogue.StartStopwatch()
	relax, solves, err := b.p.solveCertified(ctx, true, nil)
	if err != nil {
		return err
	}
	b.res.Solves += solves
	b.res.Timings.Flow = sw.Elapsed()
	b.relax, b.final = relax, relax
	b.hasGroups = slices.ContainsFunc(b.p.ents, func(e entity) bool { return e.size > 1 })
	return nil
}

// groups places the sibling groups planned together from the relaxation's prices
// (placeGroups), then matches the children on their own exactly around them.
func (b *batch) groups(ctx context.Context) error {
	if !b.hasGroups {
		return nil
	}
	b.progress(Progress{Stage: "groups"})
	sw := catalogue.StartStopwatch()
	solves := b.req.GroupSolves
	if solves == 0 {
		solves = min(max(groupSearchArcs/max(b.relax.g.NumArcs(), 1), 4), maxGroupSolves)
	}
	p := b.p
	placed, st, err := p.placeGroups(ctx, b.relax, groupSearch{maxSolves: solves})
	if err != nil {
		return err
	}
	singles := func(i int) bool { return !p.ents[i].isFixed }
	final, n, err := p.certifyFrom(ctx, placed, false, singles)
	if err != nil {
		return err
	}
	b.final = final
	b.res.Solves += st.rounds + 1 + st.tried + n
	b.res.Timings.Groups = sw.Elapsed()
	return nil
}

// households makes sure children of the run offered the same home can live together
// (batch_household.go): offers that clash are taken out and the flow solved again, a few times,
// then certified; clashes still left are taken out of the answer, and the room they leave is
// offered to children left short (refill).
func (b *batch) households(ctx context.Context) error {
	sw := catalogue.StartStopwatch()
	p, res := b.p, &b.res
	var late []householdClash
	if clashes := b.clashes(b.final); len(clashes) > 0 {
		for round := 0; len(clashes) > 0 && round < householdSolves; round++ {
			for _, c := range clashes {
				p.forbid(c.ent, c.slot)
			}
			res.Separated += len(clashes)
			f, err := p.build(!b.hasGroups)
			if err != nil {
				return err
			}
			if err := f.solve(ctx); err != nil {
				return err
			}
			b.final, clashes = f, b.clashes(f)
			res.Solves++
		}
		var which func(int) bool
		if b.hasGroups {
			which = func(i int) bool { return !p.ents[i].isFixed }
		}
		final, n, err := p.certifyFrom(ctx, b.final, !b.hasGroups, which)
		if err != nil {
			return err
		}
		b.final = final
		res.Solves += n
		late = b.clashes(final)
		res.Separated += len(late)
		for _, c := range late {
			e := &p.ents[c.ent]
			if e.forbidden == nil {
				e.forbidden = map[int32]bool{}
			}
			e.forbidden[c.slot] = true // said in the child's reason; the flow keeps the arc
		}
	}
	b.answer = make([][]batchArc, len(b.metas))
	for i := range b.metas {
		b.answer[i] = b.final.offers(p, i)
	}
	if res.Separated > 0 {
		res.Refilled = refill(b.snap, b.metas, p, b.answer, late)
	}
	res.Timings.Households = sw.Elapsed()
	res.Objective, res.LowerBound = b.final.res.Cost, b.relax.res.Cost
	res.final, res.prob = b.final, p
	return nil
}

// clashes are the offers of a flow to children of the run who could not live together.
func (b *batch) clashes(f *flow) []householdClash {
	p := b.p
	offers := make([][]batchArc, len(b.metas))
	for i := range b.metas {
		offers[i] = f.offers(p, i)
	}
	costOf := func(i int, slot int32) int32 {
		for _, a := range offers[i] {
			if a.slot == slot {
				return a.cost
			}
		}
		return 0
	}
	return householdClashes(b.snap, b.metas, offers, costOf, func(i int) bool { return p.ents[i].isFixed })
}

// explain scores every offer in full, concurrently, says why any child has fewer than two, and
// counts the answer.
func (b *batch) explain(ctx context.Context) error {
	b.progress(Progress{Stage: "explain"})
	sw := catalogue.StartStopwatch()
	res := &b.res
	res.Children = make([]ChildMatch, len(b.metas))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.e.workers)
	for i, m := range b.metas {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			cm, err := b.e.explainEntity(gctx, b.snap, b.req, m, &b.p.ents[i], b.answer[i], b.p.penalty)
			res.Children[i] = cm
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	res.count(b.metas)
	res.Timings.Explain = sw.Elapsed()
	return nil
}

// count fills in the counts of an explained match.
func (r *MatchResult) count(metas []*entMeta) {
	for i := range r.Children {
		cm := &r.Children[i]
		n := len(metas[i].kids)
		r.Counts.Children += n
		switch len(cm.Offers) {
		case 2:
			r.Counts.OfferedTwo += n
		case 1:
			r.Counts.OfferedOne += n
		default:
			r.Counts.OfferedNone += n
		}
		if n > 1 {
			r.Counts.Groups++
			if len(cm.Offers) > 0 {
				r.Counts.GroupsTogether++
			} else {
				r.Counts.GroupsWithout++
			}
		}
		if cm.Widened {
			r.Widened = append(r.Widened, cm.Child)
		}
	}
	for i := range r.Children {
		if r.Children[i].Split && (i == 0 || r.Children[i-1].Request != r.Children[i].Request) {
			r.Counts.Groups++
			r.Counts.GroupsSplit++
		}
	}
}

// newEntMeta prepares one request.
func newEntMeta(snap *Snapshot, i int, r scoring.Request, pol catalogue.Policy) (*entMeta, error) {
	prep, err := snap.Prepare(r, pol)
	if err != nil {
		return nil, err
	}
	m := &entMeta{req: i, r: r, prep: prep, filter: newPrefilter(prep), home: pointOf(r.Child.Home), margin: pol.CostMargin}
	m.wc = prep.Weights()[catalogue.FactorCost]
	for _, c := range prep.Children() {
		m.kids = append(m.kids, c.ID)
	}
	return m, nil
}

// splitGroup makes one request per member of a group that cannot live together (Alone: the
// others count as living apart, at the homes they are leaving, so that the siblings factor
// favours households near them).
func splitGroup(snap *Snapshot, i int, r scoring.Request, pol catalogue.Policy) ([]*entMeta, error) {
	var out []*entMeta
	for j, one := range AloneRequests(r) {
		m, err := newEntMeta(snap, i, one, pol)
		if err != nil {
			return nil, prefixFields(fmt.Sprintf("group[%d]", j), err)
		}
		m.split = true
		out = append(out, m)
	}
	return out, nil
}

// addPlace adds a snapshot placement's places to the model, once.
func addPlace(p *problem, snap *Snapshot, slot int32) {
	if _, ok := p.places[slot]; ok {
		return
	}
	p.places[slot] = placeOf(&snap.placements[slot])
}

// placeOf is a placement as the flow sees it.
func placeOf(pl *catalogue.Placement) *place {
	var days []int32
	for _, v := range pl.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			days = append(days, dayNumber(v.AvailableFrom))
		}
	}
	slices.Sort(days)
	out := &place{}
	for _, d := range days {
		if n := len(out.levels); n > 0 && out.levels[n-1].day == d {
			out.levels[n-1].count++
		} else {
			out.levels = append(out.levels, level{day: d, count: 1})
		}
	}
	placed := 0
	for _, m := range pl.Household.Members {
		if m.Role == catalogue.MemberPlacedChild {
			placed++
		}
	}
	out.room = int32(max(pl.Approval.MaxChildren-placed, 0))
	return out
}

// explainEntity turns an entity's offers into a ChildMatch: each offer scored in full, the two
// ranked, and a reason when there are fewer than two.
func (e *Engine) explainEntity(ctx context.Context, snap *Snapshot, req MatchRequest, m *entMeta, ent *entity, got []batchArc, penalty int64) (ChildMatch, error) {
	if len(got) < 2 && len(ent.deferred) > 0 {
		// Placements put off for their price were never checked: check them now, so that the
		// count of suitable placements is exact (their scores are not needed).
		for _, d := range ent.deferred {
			if !m.prep.CheckAt(&snap.placements[d.slot], snap.points[d.slot]).Rejected() {
				m.suitable++
			}
		}
	}
	cm := ChildMatch{Request: m.req, Child: m.kids[0], Suitable: m.suitable, Complete: m.complete, Split: m.split, Widened: ent.widened}
	if len(m.kids) > 1 {
		cm.Group = m.kids
	}
	ranked := make([]scoring.Ranked, len(got))
	costOf := map[catalogue.PlacementID]int64{}
	for i, a := range got {
		pl := &snap.placements[a.slot]
		ranked[i] = scoring.Ranked{Placement: pl.ID, Result: m.prep.Score(pl)}
		costOf[pl.ID] = int64(a.cost)
	}
	scoring.Rank(ranked, req.policyOf(m.r))
	for i, r := range ranked {
		pl, _ := snap.Placement(r.Placement)
		role := OfferPrimary
		if i > 0 {
			role = OfferBackup
		}
		cm.Offers = append(cm.Offers, Offer{Role: role, Placement: r.Placement, Result: r.Result,
			HomeKm: m.prep.HomeKm(pl), Cost: costOf[r.Placement]})
	}
	if len(got) >= 2 || req.Brief {
		return cm, nil
	}
	who := "this child"
	if len(m.kids) > 1 {
		who = "these brothers and sisters together"
	}
	switch {
	case m.suitable < 2:
		one, err := e.Options(ctx, OptionsRequest{Request: m.r, Policy: req.policyOf(m.r), Limit: 2})
		if err != nil {
			return cm, err
		}
		cm.Shortfall = &one.Shortfall
		cm.Reason = fmt.Sprintf("Only %s in the catalogue can take %s within the rules%s.",
			countWords(m.suitable, "placement", "placements"), who, rejectedWords(one.Shortfall.Rejected))
	default:
		cm.Reason = fmt.Sprintf("%s can take %s, but their places are all offered to children with fewer other choices or a better match.",
			capitalFirst(countWords(m.suitable, "placement", "placements")), who)
	}
	if n := len(ent.forbidden); n > 0 {
		cm.Reason += fmt.Sprintf(" %s not offered because a child matched to the same home in this run could not live there with %s.",
			capitalFirst(countWords(n, "home was", "homes were")), who)
	}
	return cm, nil
}

func countWords(n int, one, many string) string {
	switch n {
	case 0:
		return "no " + many
	case 1:
		return "one " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func capitalFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// rejectedWords names the three constraints that removed the most placements.
func rejectedWords(rs []Rejected) string {
	if len(rs) == 0 {
		return ""
	}
	top := slices.Clone(rs)
	slices.SortStableFunc(top, func(a, b Rejected) int { return b.Count - a.Count })
	top = top[:min(3, len(top))]
	s := "; most were ruled out by "
	for i, r := range top {
		switch {
		case i > 0 && i == len(top)-1:
			s += " and "
		case i > 0:
			s += ", "
		}
		s += fmt.Sprintf("%s (%d)", r.Constraint, r.Count)
	}
	return s
}

// prefixFields puts a path before every field of a validation error.
func prefixFields(prefix string, err error) error {
	fields := catalogue.FieldErrors(err)
	if fields == nil {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	out := make([]catalogue.FieldError, len(fields))
	for i, f := range fields {
		f.Field = prefix + "." + f.Field
		if f.Field[len(f.Field)-1] == '.' {
			f.Field = prefix
		}
		out[i] = f
	}
	return catalogue.InvalidFields(out)
}
