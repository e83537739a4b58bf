package matcher

import (
	"context"
	"slices"
)

// Sibling groups planned together need all their places in one household, which a flow
// cannot promise: in the relaxation (problem.build with relaxed) a group's units may split
// between households. placeGroups turns the relaxation into an assignment in which every group
// has whole households:
//
//  1. Groups the relaxation already gives whole households keep them.
//  2. Regret order. The others' candidates are priced at size x (cost + lambda), lambda being
//     the flow's price of one place there (what the other children would lose). The group with
//     the fewest households left goes first, then the one with most to lose if it waits (the
//     third-cheapest household less the cheapest, among those that can still take it), each in
//     its two cheapest households that still have room, and only where the price is below what
//     the offer is worth. A quarter of them (at least minGroupsFixed) are placed a round; the
//     flow is solved again with them fixed, and step 1 repeats on the new flow.
//  3. Local search. A move changes one household of one group: to another that has room, to a
//     household another group holds (which moves to one of its own alternatives, or gives it
//     up), gives a group with fewer than two offers one more, or gives an offer up. The flow's
//     prices bound what a move can gain: moving size places from household s to t lowers the
//     cost by at most size x (cost_s - cost_t + lambda_s - lambda_t), since the children's flow
//     cost is convex in the places it is given and the prices are a subgradient; moves that
//     cannot gain are never tried. The others are tried in the order of an estimate from the
//     residual network's shortest paths to and from the sink, each by solving the flow again,
//     and kept when the objective falls.
//
// The method is measured against the exact integer programme in groups_mip_test.go.

// minGroupsFixed is the fewest split groups placed in one round (unless fewer are left): a
// quarter of them a round, but not a solve for every last one.
const minGroupsFixed = 8

// groupSearch bounds the local search.
type groupSearch struct {
	maxSolves int // flows solved to try moves; <= 0: none
}

// groupStats says how the groups were placed.
type groupStats struct {
	groups, rounds, tried, kept int
}

// usage is the places the fixed groups take in each household: (entry level, units) pairs.
type usage map[int32][][2]int32

func (u usage) fits(p *problem, slot int32, day, size int32) bool {
	pl := p.places[slot]
	j := pl.entry(day)
	if j < 0 {
		return false
	}
	return pl.fitsWith(u[slot], [2]int32{int32(j), size})
}

func (u usage) add(p *problem, slot int32, day, size int32) {
	u[slot] = append(u[slot], [2]int32{int32(p.places[slot].entry(day)), size})
}

func (u usage) remove(p *problem, slot int32, day, size int32) {
	d := [2]int32{int32(p.places[slot].entry(day)), size}
	l := u[slot]
	for k := range l {
		if l[k] == d {
			u[slot] = append(l[:k:k], l[k+1:]...)
			return
		}
	}
}

// candidates returns every known candidate of entity e (in the flow or in reserve), by cost.
func (e *entity) candidates() []batchArc {
	out := make([]batchArc, 0, len(e.arcs)+len(e.reserve))
	out = append(out, e.arcs...)
	out = append(out, e.reserve...)
	slices.SortFunc(out, compareArcs)
	return out
}

// placeGroups fixes the households of every group (entities of size > 1) from the solved
// relaxation, and returns the flow of the fixed assignment, solved (not yet certified for the
// children on their own).
func (p *problem) placeGroups(ctx context.Context, relax *flow, gs groupSearch) (*flow, groupStats, error) {
	var st groupStats
	var groups []int
	for i := range p.ents {
		if p.ents[i].size > 1 {
			groups = append(groups, i)
		}
	}
	st.groups = len(groups)
	if len(groups) == 0 {
		f, err := p.build(false)
		if err != nil {
			return nil, st, err
		}
		return f, st, f.solve(ctx)
	}
	cands := make(map[int][]batchArc, len(groups))
	for _, i := range groups {
		cands[i] = p.ents[i].candidates()
	}
	use := usage{}
	fix := func(i int, slots []int32) {
		e := &p.ents[i]
		e.isFixed, e.fixed = true, nil
		for _, s := range slots {
			if len(e.fixed) < 2 && use.fits(p, s, e.day, e.size) {
				e.fixed = append(e.fixed, s)
				use.add(p, s, e.day, e.size)
			}
		}
	}
	f := relax
	left := slices.Clone(groups)
	for len(left) > 0 {
		// Groups the flow already gives whole households keep them.
		var split []int
		for _, i := range left {
			if slots, whole := f.wholeOffers(p, i); whole {
				fix(i, slots)
			} else {
				split = append(split, i)
			}
		}
		if len(split) == 0 {
			break
		}
		// Of the others, a quarter (at least minGroupsFixed) are placed in regret order at the
		// flow's prices, and the flow is solved again with them fixed.
		pr := f.adjustedPrices(p)
		priced := func(i int, a batchArc) int64 {
			e := &p.ents[i]
			return int64(e.size) * (int64(a.cost) + pr.lambda(p, a.slot, e.day))
		}
		ranks := make(map[int]groupRank, len(split))
		for _, i := range split {
			ranks[i] = p.rankGroup(i, cands[i], use, priced)
		}
		slices.SortStableFunc(split, func(a, b int) int {
			switch {
			case ranks[a].before(ranks[b]):
				return -1
			case ranks[b].before(ranks[a]):
				return 1
			}
			return a - b
		})
		n := max(len(split)/4, min(len(split), minGroupsFixed))
		for _, i := range split[:n] {
			e := &p.ents[i]
			opts := slices.Clone(cands[i])
			slices.SortStableFunc(opts, func(x, y batchArc) int {
				px, py := priced(i, x), priced(i, y)
				if px != py {
					if px < py {
						return -1
					}
					return 1
				}
				return int(x.slot - y.slot)
			})
			// A household is taken only when its price is below what the offer is worth: a
			// first offer 2 x penalty a child, a back-up one penalty.
			var chosen []int32
			for _, c := range opts {
				if len(chosen) == 2 {
					break
				}
				worth := int64(e.size) * p.penalty * int64(2-len(chosen))
				if priced(i, c) < worth && use.fits(p, c.slot, e.day, e.size) {
					chosen = append(chosen, c.slot)
					use.add(p, c.slot, e.day, e.size) // so that the second is checked with the first
				}
			}
			for _, s := range chosen {
				use.remove(p, s, e.day, e.size)
			}
			fix(i, chosen)
		}
		left = split[n:]
		st.rounds++

		// Solved afresh: with more households fixed the earlier tree no longer fits, and a
		// warm start (flow.solveFrom) measured no faster here.
		var err error
		if f, err = p.build(false); err != nil {
			return nil, st, err
		}
		if err := f.solve(ctx); err != nil {
			return nil, st, err
		}
	}
	// The last flow already gives every group whole households: fixing them there changes
	// no flow, so the solve starts warm from it (8 ms against 55 on the benchmark).
	last := f
	f, err := p.build(false)
	if err != nil {
		return nil, st, err
	}
	if err := f.solveFrom(ctx, last); err != nil {
		return nil, st, err
	}
	f, err = p.improveGroups(ctx, f, groups, cands, use, gs, &st)
	return f, st, err
}

// groupRank orders the groups still to be placed: one that can still be placed before one
// that cannot, then the one with the fewest households left, the most to lose by waiting (the
// third-cheapest household less the cheapest), the largest.
type groupRank struct {
	feasible int   // households that can still take it, counted to 3
	regret   int64 // with 3 or more
	size     int32
}

func (a groupRank) before(b groupRank) bool {
	switch {
	case (a.feasible > 0) != (b.feasible > 0):
		return a.feasible > 0
	case a.feasible != b.feasible:
		return a.feasible < b.feasible
	case a.regret != b.regret:
		return a.regret > b.regret
	}
	return a.size > b.size
}

func (p *problem) rankGroup(i int, cands []batchArc, use usage, priced func(int, batchArc) int64) groupRank {
	e := &p.ents[i]
	var a [3]int64
	n := 0
	for _, c := range cands {
		if !use.fits(p, c.slot, e.day, e.size) {
			continue
		}
		v := priced(i, c)
		k := min(n, 3) // keep the three least prices in a, ascending
		for k > 0 && a[k-1] > v {
			if k < 3 {
				a[k] = a[k-1]
			}
			k--
		}
		if k < 3 {
			a[k] = v
		}
		n++
	}
	r := groupRank{feasible: min(n, 3), size: e.size}
	if n >= 3 {
		r.regret = a[2] - a[0]
	}
	return r
}

// wholeOffers reports whether the solved flow gives entity i whole households (every one of
// its arcs carries nothing or all its size), and which.
func (f *flow) wholeOffers(p *problem, i int) ([]int32, bool) {
	e := &p.ents[i]
	if e.isFixed && !f.relaxed {
		return e.fixed, true
	}
	var slots []int32
	a := int(f.entArc[i])
	for k, arc := range e.arcs {
		switch f.res.Flow[a+k] {
		case 0:
		case int64(e.size):
			slots = append(slots, arc.slot)
		default:
			return nil, false
		}
	}
	return slots, true
}

// move is one change of the groups' households tried by the local search.
type move struct {
	bound int64 // lower bound on the change of the objective (prices): >= 0 cannot gain
	est   int64 // estimate of the change (shortest paths), for the order moves are tried in
	g     int   // the group
	from  int32 // the household it leaves (-1: it gains an offer)
	to    int32 // the household it moves to (-1: it gives up the offer)
	// h, when >= 0, is a group that holds to and moves from it to hTo (-1: gives it up).
	h   int
	hTo int32
}

func (m move) key() [5]int64 {
	return [5]int64{int64(m.g), int64(m.from), int64(m.to), int64(m.h), int64(m.hTo)}
}

// missingPenalty is what an entity's missing offers cost.
func (p *problem) missingPenalty(e *entity, offers int) int64 {
	switch offers {
	case 0:
		return 3 * int64(e.size) * p.penalty
	case 1:
		return int64(e.size) * p.penalty
	}
	return 0
}

// improveGroups runs the local search from the solved flow f of the fixed groups.
func (p *problem) improveGroups(ctx context.Context, f *flow, groups []int, cands map[int][]batchArc, use usage, gs groupSearch, st *groupStats) (*flow, error) {
	tried := map[[5]int64]bool{}
	holders := map[int32][]int{}
	for _, g := range groups {
		for _, s := range p.ents[g].fixed {
			holders[s] = append(holders[s], g)
		}
	}
	for st.tried < gs.maxSolves {
		pr := f.adjustedPrices(p)
		toSink, fromSink := f.sinkDistances()
		node := func(slot int32, day int32) int {
			base := f.nodeOf(slot)
			if base < 0 {
				return -1
			}
			return base + p.places[slot].entry(day)
		}
		// change prices one entity taking (add) or leaving a household: a lower bound from the
		// prices, and an estimate from the cost of the cheapest way for the other children to
		// make room or use the places freed.
		change := func(i int, slot int32, add bool) (bound, est int64) {
			e := &p.ents[i]
			size := int64(e.size)
			c := int64(fixedCost(e, slot))
			lam := pr.lambda(p, slot, e.day)
			var d int64
			if v := node(slot, e.day); v >= 0 {
				if add {
					d = toSink[v]
				} else {
					d = fromSink[v]
				}
			}
			if add {
				return size * (c + lam), size * (c + d)
			}
			return -size * (c + lam), size * (d - c)
		}
		var moves []move
		consider := func(m move) {
			if tried[m.key()] {
				return
			}
			e := &p.ents[m.g]
			offers := len(e.fixed)
			var b, est int64
			if m.from >= 0 {
				x, y := change(m.g, m.from, false)
				b, est, offers = b+x, est+y, offers-1
			}
			if m.to >= 0 {
				x, y := change(m.g, m.to, true)
				b, est, offers = b+x, est+y, offers+1
			}
			pen := p.missingPenalty(e, offers) - p.missingPenalty(e, len(e.fixed))
			if m.h >= 0 {
				he := &p.ents[m.h]
				hOffers := len(he.fixed) - 1
				x, y := change(m.h, m.to, false)
				b, est = b+x, est+y
				if m.hTo >= 0 {
					x, y := change(m.h, m.hTo, true)
					b, est, hOffers = b+x, est+y, hOffers+1
				}
				pen += p.missingPenalty(he, hOffers) - p.missingPenalty(he, len(he.fixed))
			}
			m.bound, m.est = b+pen, est+pen
			if m.bound < 0 && m.est < 0 {
				moves = append(moves, m)
			}
		}
		for _, g := range groups {
			e := &p.ents[g]
			for _, s := range e.fixed {
				consider(move{g: g, from: s, to: -1, h: -1})
			}
			for _, c := range cands[g] {
				if slices.Contains(e.fixed, c.slot) {
					continue
				}
				if len(e.fixed) < 2 {
					if use.fits(p, c.slot, e.day, e.size) {
						consider(move{g: g, from: -1, to: c.slot, h: -1})
						continue
					}
					// Make room by moving a group that holds the household elsewhere.
					for _, h := range holders[c.slot] {
						he := &p.ents[h]
						use.remove(p, c.slot, he.day, he.size)
						if use.fits(p, c.slot, e.day, e.size) {
							use.add(p, c.slot, e.day, e.size)
							consider(move{g: g, from: -1, to: c.slot, h: h, hTo: -1})
							for _, hc := range cands[h] {
								if !slices.Contains(he.fixed, hc.slot) && use.fits(p, hc.slot, he.day, he.size) {
									consider(move{g: g, from: -1, to: c.slot, h: h, hTo: hc.slot})
								}
							}
							use.remove(p, c.slot, e.day, e.size)
						}
						use.add(p, c.slot, he.day, he.size)
					}
					continue
				}
				for _, s := range e.fixed {
					use.remove(p, s, e.day, e.size)
					if use.fits(p, c.slot, e.day, e.size) {
						consider(move{g: g, from: s, to: c.slot, h: -1})
					}
					use.add(p, s, e.day, e.size)
				}
			}
		}
		if len(moves) == 0 {
			return f, nil
		}
		slices.SortStableFunc(moves, func(a, b move) int {
			switch {
			case a.est < b.est:
				return -1
			case a.est > b.est:
				return 1
			}
			return 0
		})
		improved := false
		for _, m := range moves {
			if st.tried >= gs.maxSolves {
				break
			}
			tried[m.key()] = true
			undo := p.apply(m, use)
			// Solved afresh: a warm start from f measured slower for a move.
			nf, err := p.build(false)
			if err == nil {
				err = nf.solve(ctx)
			}
			if err != nil {
				return nil, err
			}
			st.tried++
			if nf.res.Cost < f.res.Cost {
				f, improved = nf, true
				st.kept++
				// Moves tried before may pay now if they touch what changed.
				touched := func(k [5]int64) bool {
					for _, x := range []int64{int64(m.g), int64(m.h)} {
						if x >= 0 && (k[0] == x || k[3] == x) {
							return true
						}
					}
					for _, x := range []int64{int64(m.from), int64(m.to), int64(m.hTo)} {
						if x >= 0 && (k[1] == x || k[2] == x || k[4] == x) {
							return true
						}
					}
					return false
				}
				for k := range tried {
					if touched(k) {
						delete(tried, k)
					}
				}
				clear(holders)
				for _, g := range groups {
					for _, s := range p.ents[g].fixed {
						holders[s] = append(holders[s], g)
					}
				}
				break
			}
			undo()
		}
		if !improved {
			return f, nil
		}
	}
	return f, nil
}

// apply makes a move and returns a function that undoes it.
func (p *problem) apply(m move, use usage) (undo func()) {
	e := &p.ents[m.g]
	before := slices.Clone(e.fixed)
	var hBefore []int32
	// replace changes slot from in fixed to slot to (-1: drops it; from -1: adds to).
	replace := func(ent *entity, from, to int32) {
		if from >= 0 {
			use.remove(p, from, ent.day, ent.size)
			ent.fixed = slices.DeleteFunc(ent.fixed, func(s int32) bool { return s == from })
		}
		if to >= 0 {
			ent.fixed = append(ent.fixed, to)
			use.add(p, to, ent.day, ent.size)
		}
	}
	if m.h >= 0 {
		he := &p.ents[m.h]
		hBefore = slices.Clone(he.fixed)
		replace(he, m.to, m.hTo)
	}
	replace(e, m.from, m.to)
	return func() {
		replace(e, m.to, m.from)
		e.fixed = before
		if m.h >= 0 {
			he := &p.ents[m.h]
			replace(he, m.hTo, m.to)
			he.fixed = hBefore
		}
	}
}
