package matcher

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/placematch/placematch/matcher/mcf"
)

// This file holds the batch matcher's model: the min-cost flow built from the entities (a
// child, or a sibling group planned together) and the placements they may be offered, its
// solution, and the certificate that candidate pruning cut off nothing that could improve it.
// The model knows nothing of scoring or the snapshot: an entity's candidates arrive as arcs
// with integer costs, and the search that found them can be asked for more (problem.widen).

// Costs of the flow. An arc's cost per child is costScale*(1-quality) plus up to
// costScale*CostMargin for the placement's weekly cost (see arcCost), so never above
// maxArcCost.
const (
	costScale  = 10_000
	maxArcCost = costScale + costScale/10 // CostMargin is at most catalogue.MaxCostMargin, 0.1
)

// batchArc is one candidate placement of an entity: a snapshot slot and the cost per child.
type batchArc struct {
	slot int32
	cost int32
}

func compareArcs(a, b batchArc) int {
	if a.cost != b.cost {
		return int(a.cost - b.cost)
	}
	return int(a.slot - b.slot)
}

// level is the number of available places of a placement that open on one day.
type level struct {
	day   int32 // dayNumber of the available-from date
	count int32
}

// place is a placement as the flow sees it: its available places by the day they open
// (ascending) and its room (approved places less children already there), which may be below
// the places.
type place struct {
	levels []level
	room   int32
}

func (p *place) total() int32 {
	var n int32
	for _, l := range p.levels {
		n += l.count
	}
	return n
}

// entry is the latest level open by day, or -1: a child who needs a place by day can use the
// places of that level and of every earlier one.
func (p *place) entry(day int32) int {
	j := -1
	for i, l := range p.levels {
		if l.day <= day {
			j = i
		}
	}
	return j
}

// fitsWith reports whether demands and one more (each an entry level and units) can all be met
// by the place's levels: by Hall's theorem for nested sets, when every prefix of levels has as
// many places as the demands that can use only that prefix, and the total is within the room.
func (p *place) fitsWith(demands [][2]int32, extra [2]int32) bool {
	var small [8]int32
	var need []int32
	if len(p.levels) <= len(small) {
		need = small[:len(p.levels)]
	} else {
		need = make([]int32, len(p.levels))
	}
	var total int32
	for k := 0; k <= len(demands); k++ {
		d := extra
		if k < len(demands) {
			d = demands[k]
		}
		if d[0] < 0 || int(d[0]) >= len(need) {
			return false
		}
		need[d[0]] += d[1]
		total += d[1]
	}
	if total > p.room {
		return false
	}
	var have, want int32
	for i, l := range p.levels {
		have += l.count
		want += need[i]
		if want > have {
			return false
		}
	}
	return true
}

// entity is one unit of the batch: a child, or a sibling group planned together, who needs
// two offers (a primary and a back-up) of `size` places each in one household.
type entity struct {
	size int32
	day  int32
	// arcs are the candidates in the flow; reserve are candidates found but left out; bound is
	// a lower bound on the cost of every suitable placement in neither (math.MaxInt64 when the
	// search was complete and every candidate is in arcs or reserve).
	arcs    []batchArc
	reserve []batchArc
	bound   int64
	// fixed, for a sibling group once placed, are the slots of its offers (at most two):
	// the final flow carries exactly size units on each.
	fixed   []int32
	isFixed bool
	widened bool // candidates beyond the first K entered the flow
	// deferred are placements the search reached but did not score, because their price
	// then put them out of reach: each with a lower bound on its cost. Certification checks
	// them again at every round's prices and has them scored once they could pay.
	deferred []deferredSlot
	// forbidden are homes taken out of the model because the entity could not live there with
	// another entity offered them (batch_household.go): no search or widening brings them back.
	forbidden map[int32]bool
	separated []batchArc // the candidates forbid took out, for refill
}

// deferredSlot is a placement an entity's search put off, with a lower bound on its cost.
type deferredSlot struct {
	slot int32
	lb   int32
}

// widenJob asks the search for more of one entity's candidates: the deferred placements in
// due scored now, and, when the entity's bound is below target, the search continued until it
// is not, putting off any placement whose price plus its lower bound already reaches target.
type widenJob struct {
	ent    int
	target int64
	due    []int32
	more   bool
	price  func(slot int32) int64 // the placement's price at the entity's day (0 outside the flow)
}

// problem is a batch instance: entities, the places they may use, and the no-offer penalty.
type problem struct {
	ents    []entity
	places  map[int32]*place // by slot; every slot an arc names must be here
	penalty int64            // cost of one missing offer per child; twice that for a child's last one
	// widen, when set, runs the jobs (concurrently), putting what they find in each entity's
	// reserve and deferred lists and updating its bound. Nil: arcs and reserve are all there
	// is (the bound is math.MaxInt64).
	widen func(ctx context.Context, jobs []widenJob) error
	// workers is how many goroutines certification may use for its pricing (at least one).
	workers int
}

// penaltyFor returns a no-offer penalty that puts offers first: it exceeds the greatest
// possible difference in total arc cost between any two assignments (units x maxArcCost), so
// a solution with fewer missing offers (counted as described in flow) always costs less.
func penaltyFor(units int64) int64 { return units*maxArcCost + 1 }

// flow is the min-cost flow of a problem and its solution.
//
// Nodes: one per entity (supply 2 x size), the levels of every place some arc or fixed offer
// names (chained from later levels to earlier ones without limit, so that a child needing a
// place by a day may use any place open by then), a room node for a place whose room is below
// its places, and the sink. Arcs: entity -> entry level of each candidate (capacity size, at
// the candidate's cost per child and unit), level -> room or sink (capacity the level's
// places), room -> sink (capacity room), and two "no offer" arcs per entity to the sink of
// capacity size: the first costing penalty (a missing back-up), the second 2 x penalty (no
// offer at all), so that a child's first offer counts twice a back-up (the flow uses the
// cheaper arc first, so the two arcs price missing offers exactly). A fixed entity's arcs
// carry exactly the flow of its fixed offers (lower bound = upper bound).
type flow struct {
	g        *mcf.Graph
	nodes    []int32 // slot -> node of its first level, -1 when not in the graph
	levels   []uint8 // slot -> its number of levels (when in the graph), for lambda
	dayOf    []int32 // node -> the day its level opens (level nodes only), for lambda
	slots    []int32 // places in the graph, ascending
	entArc   []int32 // first arc of each entity: its candidates (or fixed offers), then two no-offer arcs
	arcSlot  []int32 // for each entity's arc, its candidate's slot (-1 for the no-offer arcs)
	placeArc []int32 // slot -> the first of its place's arcs (levels, room), when in the graph
	sink     int
	res      mcf.Result
	solved   bool
	penalty  int64
	relaxed  bool // groups may split their units between households
	numPlace int
}

// nodeOf returns the node of a slot's first level, or -1 when it is not in the graph.
func (f *flow) nodeOf(slot int32) int {
	if int(slot) >= len(f.nodes) || slot < 0 {
		return -1
	}
	return int(f.nodes[slot])
}

// build makes the flow of p. With relaxed, every entity's candidates are arcs of capacity
// size (a group's units may split between households: a relaxation); otherwise entities with
// isFixed set carry their fixed offers and the others their candidates.
func (p *problem) build(relaxed bool) (*flow, error) {
	f := &flow{penalty: p.penalty, relaxed: relaxed}
	n := len(p.ents)
	use := func(slot int32) {
		for int(slot) >= len(f.nodes) {
			f.nodes = append(f.nodes, -1)
		}
		if f.nodes[slot] == -1 {
			f.nodes[slot] = -2
			f.slots = append(f.slots, slot)
		}
	}
	arcs := 0
	for i := range p.ents {
		e := &p.ents[i]
		if e.isFixed && !relaxed {
			for _, s := range e.fixed {
				use(s)
			}
			arcs += len(e.fixed) + 2
			continue
		}
		for _, a := range e.arcs {
			use(a.slot)
		}
		arcs += len(e.arcs) + 2
	}
	slices.Sort(f.slots)
	for _, s := range f.slots {
		pl := p.places[s]
		if pl == nil {
			return nil, fmt.Errorf("matcher: batch: placement slot %d has no places", s)
		}
		f.nodes[s] = int32(n)
		n += len(pl.levels)
		if pl.room < pl.total() {
			n++
		}
		arcs += 2 * len(pl.levels)
	}
	f.numPlace = len(f.slots)
	f.sink = n
	n++
	f.levels = make([]uint8, len(f.nodes))
	f.dayOf = make([]int32, n)
	for _, sl := range f.slots {
		pl := p.places[sl]
		if len(pl.levels) > 255 {
			return nil, fmt.Errorf("matcher: batch: placement slot %d has %d opening days", sl, len(pl.levels))
		}
		f.levels[sl] = uint8(len(pl.levels))
		for j, l := range pl.levels {
			f.dayOf[int(f.nodes[sl])+j] = l.day
		}
	}
	g := mcf.NewGraph(n, arcs+len(f.slots))
	f.g = g
	f.entArc = make([]int32, len(p.ents)+1)
	var demand int64
	for i := range p.ents {
		e := &p.ents[i]
		units := 2 * int64(e.size)
		g.SetSupply(i, units)
		demand += units
		f.entArc[i] = int32(g.NumArcs())
		if e.isFixed && !relaxed {
			for _, s := range e.fixed {
				j := p.places[s].entry(e.day)
				if j < 0 {
					return nil, fmt.Errorf("matcher: batch: fixed offer at slot %d is not open by the day", s)
				}
				g.AddArc(i, f.nodeOf(s)+j, int64(e.size), int64(e.size), int64(fixedCost(e, s)))
				f.arcSlot = append(f.arcSlot, s)
			}
			missing := int64(2 - len(e.fixed))
			first, second := min(missing, 1)*int64(e.size), max(missing-1, 0)*int64(e.size)
			g.AddArc(i, f.sink, first, first, p.penalty)
			g.AddArc(i, f.sink, second, second, 2*p.penalty)
			f.arcSlot = append(f.arcSlot, -1, -1)
			continue
		}
		for _, a := range e.arcs {
			j := p.places[a.slot].entry(e.day)
			if j < 0 {
				return nil, fmt.Errorf("matcher: batch: candidate at slot %d is not open by the day", a.slot)
			}
			g.AddArc(i, f.nodeOf(a.slot)+j, 0, int64(e.size), int64(a.cost))
			f.arcSlot = append(f.arcSlot, a.slot)
		}
		g.AddArc(i, f.sink, 0, int64(e.size), p.penalty)
		g.AddArc(i, f.sink, 0, int64(e.size), 2*p.penalty)
		f.arcSlot = append(f.arcSlot, -1, -1)
	}
	f.entArc[len(p.ents)] = int32(g.NumArcs())
	f.placeArc = make([]int32, len(f.nodes))
	for _, s := range f.slots {
		pl := p.places[s]
		base := f.nodeOf(s)
		f.placeArc[s] = int32(g.NumArcs())
		out := f.sink
		if pl.room < pl.total() {
			out = base + len(pl.levels)
		}
		for j, l := range pl.levels {
			if j > 0 {
				g.AddArc(base+j, base+j-1, 0, mcf.Infinity, 0)
			}
			g.AddArc(base+j, out, 0, int64(l.count), 0)
		}
		if out != f.sink {
			g.AddArc(out, f.sink, 0, int64(pl.room), 0)
		}
	}
	g.SetSupply(f.sink, -demand)
	return f, nil
}

// solve solves the flow.
func (f *flow) solve(ctx context.Context) error {
	res, err := f.g.Solve(ctx)
	if err != nil {
		return fmt.Errorf("matcher: batch flow: %w", err)
	}
	f.res, f.solved = res, true
	return nil
}

// solveFrom solves the flow starting from prev's optimum (mcf.Graph.SolveWarm), prev being a
// solved flow of the same entities before candidates joined it or groups' households were
// fixed or moved: the arcs and nodes they share keep their places in the simplex's tree (where
// that tree no longer fits, mcf starts afresh; the optimum is the same either way).
func (f *flow) solveFrom(ctx context.Context, prev *flow) error {
	if prev == nil || !prev.solved || len(prev.entArc) != len(f.entArc) {
		return f.solve(ctx)
	}
	res, err := f.g.SolveWarm(ctx, f.warmFrom(prev))
	if err != nil {
		return fmt.Errorf("matcher: batch flow: %w", err)
	}
	f.res, f.solved = res, true
	return nil
}

// warmFrom maps f's arcs and nodes to prev's: entity nodes and the sink as they are, a place's
// nodes and arcs by its slot, an entity's candidate arcs by their slot and its no-offer arcs
// in order.
func (f *flow) warmFrom(prev *flow) mcf.Warm {
	w := mcf.Warm{From: prev.res, Arcs: make([]int32, f.g.NumArcs()), Nodes: make([]int32, f.g.NumNodes())}
	for i := range w.Arcs {
		w.Arcs[i] = -1
	}
	for v := range w.Nodes {
		w.Nodes[v] = -1
	}
	ents := len(f.entArc) - 1
	for i := range ents {
		w.Nodes[i] = int32(i)
	}
	w.Nodes[f.sink] = int32(prev.sink)
	// Places: the same slot has the same levels and room node, so the same nodes and arcs in
	// the same order.
	for k, s := range f.slots {
		ob := prev.nodeOf(s)
		if ob < 0 {
			continue
		}
		nb := f.nodeOf(s)
		end := f.sink // the next place's first node, or the sink
		if k+1 < len(f.slots) {
			end = f.nodeOf(f.slots[k+1])
		}
		for j := range end - nb {
			w.Nodes[nb+j] = int32(ob + j)
		}
		na, oa := f.placeArc[s], prev.placeArc[s]
		arcEnd := int32(f.g.NumArcs())
		if k+1 < len(f.slots) {
			arcEnd = f.placeArc[f.slots[k+1]]
		}
		for j := range arcEnd - na {
			w.Arcs[na+j] = oa + j
		}
	}
	// Entities: candidates by slot (a few each: a linear search), the no-offer arcs in order.
	for i := range ents {
		olo, ohi := prev.entArc[i], prev.entArc[i+1]
		nlo, nhi := f.entArc[i], f.entArc[i+1]
		for a := nlo; a < nhi-2; a++ {
			for b := olo; b < ohi-2; b++ {
				if prev.arcSlot[b] == f.arcSlot[a] {
					w.Arcs[a] = b
					break
				}
			}
		}
		if nhi-nlo >= 2 && ohi-olo >= 2 {
			w.Arcs[nhi-2], w.Arcs[nhi-1] = ohi-2, ohi-1
		}
	}
	return w
}

// offers returns entity i's offers in the solved flow, in cost order (a fixed entity: its
// fixed offers).
func (f *flow) offers(p *problem, i int) (got []batchArc) {
	e := &p.ents[i]
	a := int(f.entArc[i])
	if e.isFixed && !f.relaxed {
		for _, s := range e.fixed {
			got = append(got, batchArc{slot: s, cost: fixedCost(e, s)})
		}
		return got
	}
	for k, arc := range e.arcs {
		if f.res.Flow[a+k] > 0 {
			got = append(got, arc)
		}
	}
	return got
}

// fixedCost is the cost per child of a fixed offer: that of the candidate arc it came from.
func fixedCost(e *entity, slot int32) int32 {
	for _, a := range e.arcs {
		if a.slot == slot {
			return a.cost
		}
	}
	for _, a := range e.reserve {
		if a.slot == slot {
			return a.cost
		}
	}
	return maxArcCost
}

// prices holds dual prices of a solved flow adjusted for the certificate: potential[v] as the
// solver's convention (reduced cost = cost + potential[from] - potential[to]) and, for each
// place node, a price lambda = potential[sink] - potential[v] >= 0, the value of one more of
// its places. A placement outside the graph has price 0.
type prices struct {
	f   *flow
	pot []int64
}

// lambda returns the price of slot's entry level for a day: potential[sink] - potential[v],
// 0 for a placement outside the graph.
func (pr *prices) lambda(p *problem, slot int32, day int32) int64 {
	f := pr.f
	base := f.nodeOf(slot)
	if base < 0 {
		return 0
	}
	// The entry level (place.entry), from the flow's own copy of the levels' days.
	for j := int(f.levels[slot]) - 1; j >= 0; j-- {
		if f.dayOf[base+j] <= day {
			return pr.pot[f.sink] - pr.pot[base+j]
		}
	}
	return 0
}

// adjustedPrices returns the solver's potentials made as favourable to the certificate as
// complementary slackness allows, so that every place price is at least zero:
//
//   - a place node that carries no flow is lowered to the greatest potential among the nodes
//     its arcs lead to (its arcs' reduced costs stay non-negative; the arcs entering it carry
//     no flow, so theirs may rise). Levels are taken in order, earliest first, after the room
//     node, so the nodes they lead to are settled first.
//
// A node that carries flow reaches the sink through arcs carrying flow, each of reduced cost at
// most zero and cost zero, so its potential is at most the sink's already.
func (f *flow) adjustedPrices(p *problem) *prices {
	pot := slices.Clone(f.res.Potential)
	through := make([]int64, f.g.NumNodes())
	for a := range f.g.NumArcs() {
		if fl := f.res.Flow[a]; fl > 0 {
			arc := f.g.Arc(a)
			through[arc.To] += fl
		}
	}
	for _, s := range f.slots {
		pl := p.places[s]
		base := f.nodeOf(s)
		out := f.sink
		if pl.room < pl.total() {
			out = base + len(pl.levels)
			if through[out] == 0 {
				pot[out] = min(pot[out], pot[f.sink])
			}
		}
		for j := range pl.levels {
			v := base + j
			if through[v] != 0 {
				continue
			}
			target := pot[out]
			if j > 0 {
				target = max(target, pot[v-1])
			}
			pot[v] = min(pot[v], target)
		}
	}
	return &prices{f: f, pot: pot}
}

// value returns u = potential[sink] - potential[entity] with the entity's potential raised
// as far as complementary slackness allows (to the least of potential[to] - cost over its
// arcs carrying flow): the least that one more unit from the entity must be worth. A pruned
// candidate of cost c at a place of price lambda could improve the flow only if
// c + lambda < u.
func (pr *prices) value(p *problem, i int) int64 {
	f := pr.f
	g := f.g
	best := int64(math.MaxInt64)
	for a := int(f.entArc[i]); a < int(f.entArc[i+1]); a++ {
		if f.res.Flow[a] <= 0 {
			continue
		}
		arc := g.Arc(a)
		best = min(best, pr.pot[arc.To]-arc.Cost)
	}
	if best == math.MaxInt64 {
		best = pr.pot[i]
	}
	return pr.pot[f.sink] - best
}

// certify checks every entity in which (all when nil) against the solved flow. An entity
// whose bound is below its value is searched further first (p.widen, all such entities at
// once). Then the candidates in reserve whose reduced cost is negative (cost + lambda below
// the entity's value) join the flow, the most negative first and at most maxAdd an entity a
// round, as column generation does: the entity needs two, and the flow solved again says
// which others still pay. It reports whether anything changed: when nothing did, no suitable
// placement left out of the flow could lower its cost, so the flow is optimal over every
// suitable placement.
func (p *problem) certify(ctx context.Context, f *flow, which func(i int) bool, maxAdd int) (changed bool, err error) {
	pr := f.adjustedPrices(p)
	value := make([]int64, len(p.ents))
	checked := func(i int) bool {
		e := &p.ents[i]
		return (which == nil || which(i)) && !(e.isFixed && !f.relaxed)
	}
	// Each entity's value, and the jobs of those whose bound is below it or whose deferred
	// placements could now pay; entities are priced in parallel, each on its own.
	jobOf := make([]*widenJob, len(p.ents))
	parallelRange(len(p.ents), p.workers, func(i int) {
		if !checked(i) {
			return
		}
		e := &p.ents[i]
		u := pr.value(p, i)
		value[i] = u
		// Search until nothing unseen could be worth a place, with a little room so that a
		// value creeping up does not send the search out again and again.
		job := widenJob{ent: i, target: u + costScale/20, more: e.bound < u}
		keep := e.deferred[:0]
		for _, d := range e.deferred {
			if int64(d.lb)+pr.lambda(p, d.slot, e.day) < u {
				job.due = append(job.due, d.slot)
			} else {
				keep = append(keep, d)
			}
		}
		e.deferred = keep
		if !job.more && len(job.due) == 0 {
			return
		}
		day := e.day
		job.price = func(slot int32) int64 { return pr.lambda(p, slot, day) }
		jobOf[i] = &job
	})
	var jobs []widenJob
	for i, j := range jobOf {
		if j == nil {
			continue
		}
		if p.widen == nil {
			return false, fmt.Errorf("matcher: batch: entity %d cannot be certified: bound %d below value %d", i, p.ents[i].bound, value[i])
		}
		jobs = append(jobs, *j)
	}
	if len(jobs) > 0 {
		if err := p.widen(ctx, jobs); err != nil {
			return false, err
		}
	}
	type priced struct {
		arc batchArc
		rc  int64
		at  int
	}
	// The candidates in reserve that now pay join the flow; again each entity on its own.
	grew := make([]bool, len(p.ents))
	parallelRange(len(p.ents), p.workers, func(i int) {
		if !checked(i) {
			return
		}
		e := &p.ents[i]
		u := value[i]
		var neg []priced
		for k, a := range e.reserve { // by cost: prices are never negative
			if int64(a.cost) >= u {
				break
			}
			if rc := int64(a.cost) + pr.lambda(p, a.slot, e.day) - u; rc < 0 {
				neg = append(neg, priced{a, rc, k})
			}
		}
		if len(neg) == 0 {
			return
		}
		slices.SortFunc(neg, func(x, y priced) int {
			if x.rc != y.rc {
				if x.rc < y.rc {
					return -1
				}
				return 1
			}
			return compareArcs(x.arc, y.arc)
		})
		neg = neg[:min(len(neg), maxAdd)]
		moved := make(map[int]bool, len(neg))
		for _, n := range neg {
			e.arcs = append(e.arcs, n.arc)
			moved[n.at] = true
		}
		keep := e.reserve[:0]
		for k, a := range e.reserve {
			if !moved[k] {
				keep = append(keep, a)
			}
		}
		e.reserve = keep
		slices.SortFunc(e.arcs, compareArcs)
		e.widened, grew[i] = true, true
	})
	return slices.Contains(grew, true), nil
}

// parallelRange calls fn(i) for every i in [0, n), in contiguous chunks on up to workers
// goroutines (one when workers < 2 or n is small). fn must touch only what belongs to i.
func parallelRange(n, workers int, fn func(i int)) {
	const minChunk = 256
	workers = min(workers, n/minChunk)
	if workers < 2 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// solveCertified builds and solves the flow, certifying and widening until the certificate
// holds, and returns the flow and the number of solves.
func (p *problem) solveCertified(ctx context.Context, relaxed bool, which func(i int) bool) (*flow, int, error) {
	return p.certifyFrom(ctx, nil, relaxed, which)
}

// certifyFrom is solveCertified starting from f, a solved flow of the problem as it is (nil:
// none yet). The count of solves does not include f's.
func (p *problem) certifyFrom(ctx context.Context, f *flow, relaxed bool, which func(i int) bool) (*flow, int, error) {
	solves := 0
	var prev *flow // the flow solved before candidates joined: where the next solve starts
	for {
		if f == nil {
			var err error
			if f, err = p.build(relaxed); err != nil {
				return nil, solves, err
			}
			if prev != nil {
				err = f.solveFrom(ctx, prev)
			} else {
				err = f.solve(ctx)
			}
			if err != nil {
				return nil, solves, err
			}
			solves++
		}
		changed, err := p.certify(ctx, f, which, maxAddPerRound)
		if err != nil {
			return nil, solves, err
		}
		if !changed {
			return f, solves, nil
		}
		prev, f = f, nil
	}
}

// solveStats counts the work of problem.solve.
type solveStats struct {
	relaxSolves, finalSolves int
	groups                   groupStats
}

// solve runs the whole batch method on p: the relaxation (sibling groups may split), certified
// over every candidate; the groups' households, fixed by placeGroups; and the final flow of
// the children on their own around them, certified again. It returns the relaxation (whose
// cost is a lower bound on any assignment's) and the final flow (the answer).
func (p *problem) solve(ctx context.Context, gs groupSearch) (relax, final *flow, st solveStats, err error) {
	relax, st.relaxSolves, err = p.solveCertified(ctx, true, nil)
	if err != nil {
		return nil, nil, st, err
	}
	hasGroups := false
	for i := range p.ents {
		hasGroups = hasGroups || p.ents[i].size > 1
	}
	if !hasGroups {
		return relax, relax, st, nil
	}
	placed, groups, err := p.placeGroups(ctx, relax, gs)
	if err != nil {
		return nil, nil, st, err
	}
	st.groups = groups
	singles := func(i int) bool { return !p.ents[i].isFixed }
	final, st.finalSolves, err = p.certifyFrom(ctx, placed, false, singles)
	if err != nil {
		return nil, nil, st, err
	}
	return relax, final, st, nil
}

// maxAddPerRound is how many candidates of one entity may join the flow in one round of
// certification.
const maxAddPerRound = 8

// unreachable is the distance to a node no residual path reaches.
const unreachable = math.MaxInt64 / 4

// sinkDistances returns, for every node v of the solved flow, the cost of the cheapest way to
// send one more unit from v to the sink (toSink: what the other children lose when one more
// place at v is taken) and from the sink to v (fromSink, at most zero: what they gain when one
// place at v is given up), through the residual network: Dijkstra on reduced costs, which the
// optimal potentials make non-negative. Unreachable nodes get unreachable.
func (f *flow) sinkDistances() (toSink, fromSink []int64) {
	g := f.g
	n, m := g.NumNodes(), g.NumArcs()
	pot := f.res.Potential
	// Residual arcs u->v with reduced cost, in CSR form, forward and backward.
	type rarc struct {
		to   int32
		cost int64
	}
	outDeg := make([]int32, n+1)
	inDeg := make([]int32, n+1)
	arcs := make([]mcf.Arc, m)
	for a := range m {
		arc := g.Arc(a)
		arcs[a] = arc
		fl := f.res.Flow[a]
		if fl < arc.Upper {
			outDeg[arc.From+1]++
			inDeg[arc.To+1]++
		}
		if fl > arc.Lower {
			outDeg[arc.To+1]++
			inDeg[arc.From+1]++
		}
	}
	for v := range n {
		outDeg[v+1] += outDeg[v]
		inDeg[v+1] += inDeg[v]
	}
	out := make([]rarc, outDeg[n])
	in := make([]rarc, inDeg[n])
	op, ip := slices.Clone(outDeg[:n]), slices.Clone(inDeg[:n])
	for a, arc := range arcs {
		fl := f.res.Flow[a]
		rc := arc.Cost + pot[arc.From] - pot[arc.To]
		if fl < arc.Upper {
			out[op[arc.From]] = rarc{int32(arc.To), rc}
			op[arc.From]++
			in[ip[arc.To]] = rarc{int32(arc.From), rc}
			ip[arc.To]++
		}
		if fl > arc.Lower {
			out[op[arc.To]] = rarc{int32(arc.From), -rc}
			op[arc.To]++
			in[ip[arc.From]] = rarc{int32(arc.To), -rc}
			ip[arc.From]++
		}
	}
	dijkstra := func(start []int32, adj []rarc) []int64 {
		d := make([]int64, n)
		for v := range d {
			d[v] = unreachable
		}
		d[f.sink] = 0
		h := distHeap{{node: int32(f.sink)}}
		for len(h) > 0 {
			top := h.pop()
			if top.dist > d[top.node] {
				continue
			}
			v := top.node
			for _, a := range adj[start[v]:start[v+1]] {
				nd := top.dist + max(a.cost, 0)
				if nd < d[a.to] {
					d[a.to] = nd
					h.push(distItem{node: a.to, dist: nd})
				}
			}
		}
		return d
	}
	dIn := dijkstra(inDeg, in)    // reduced distance v -> sink
	dOut := dijkstra(outDeg, out) // reduced distance sink -> v
	toSink = make([]int64, n)
	fromSink = make([]int64, n)
	for v := range n {
		toSink[v], fromSink[v] = unreachable, unreachable
		if dIn[v] < unreachable {
			toSink[v] = dIn[v] - pot[v] + pot[f.sink]
		}
		if dOut[v] < unreachable {
			fromSink[v] = dOut[v] - pot[f.sink] + pot[v]
		}
	}
	return toSink, fromSink
}

type distItem struct {
	node int32
	dist int64
}

// distHeap is a binary min-heap of distances.
type distHeap []distItem

func (h *distHeap) push(x distItem) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].dist <= s[i].dist {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *distHeap) pop() distItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].dist < s[m].dist {
			m = l
		}
		if r < len(s) && s[r].dist < s[m].dist {
			m = r
		}
		if m == i {
			break
		}
		s[m], s[i] = s[i], s[m]
		i = m
	}
	*h = s
	return top
}
