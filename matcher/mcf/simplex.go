package mcf

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Arc states in the simplex: the sign by which the reduced cost of a non-tree arc is
// multiplied to tell whether pushing flow on it lowers the cost.
const (
	stateUpper int8 = -1 // at its upper bound: may only decrease
	stateTree  int8 = 0  // in the spanning tree
	stateLower int8 = 1  // at its lower bound: may only increase
	stateFixed int8 = 0  // an arc of zero capacity: priced like a tree arc, never entering
)

// Direction of a node's tree arc relative to the node.
const (
	dirUp   int8 = 1  // the arc goes from the node to its parent
	dirDown int8 = -1 // the arc goes from the parent to the node
)

// checkEvery is how many pivots pass between checks of the context.
const checkEvery = 1024

// simplex is the state of the primal network simplex method on the problem with lower bounds
// shifted to zero. Arcs 0..m-1 are the real arcs, stored in a mixed order (see mixArcs);
// arcs m..m+n-1 are artificial arcs between each node and an extra root node n, which give
// the first feasible spanning tree (big-M start).
//
// The spanning tree is kept as parent pointers with subtree sizes (to find the cycle an arc
// closes) and a thread listing the nodes in preorder, circularly through the root, with the
// last node of each subtree: a subtree is the run of the thread from its root to its last
// node, so a pivot relinks the thread in time proportional to the path it reverses, and
// walks only the moved subtree, touching two arrays, to shift potentials.
type simplex struct {
	n, m int32

	src, dst []int32
	cost     []int64
	fc       []flowCap
	state    []int8

	pi     []int64 // node potentials, n+1 with the root; apart from tree for the pricing loop
	thread []int32 // next node in preorder
	tree   []treeNode

	blockSize int32
	nextArc   int32
	minFactor float64 // the least block factor sizeBlocks may choose (see blockFloor)

	stem, stemRev, stemLast, stemNext, stemSucc []int32 // scratch for updateTree

	// work counts the tree nodes pivots visit (cycle and moved subtree), to size the blocks.
	work int64

	supply    []int64 // each node's supply, lower bounds shifted away (for a warm start)
	artCost   int64   // the cost of an artificial arc from the root
	maxPivots int     // > 0: run gives up with errPivotLimit after this many pivots
}

// treeNode is one node's place in the spanning tree, kept together for cache locality.
type treeNode struct {
	parent int32
	pred   int32 // the tree arc joining the node to its parent
	succ   int32 // number of nodes in the subtree
	last   int32 // last node of the subtree in preorder
	rev    int32 // previous node in preorder
	dir    int8  // dirUp or dirDown: the direction of pred
}

// solveSimplex solves g, whose numbers checkRange has accepted.
func solveSimplex(ctx context.Context, g *Graph) (Result, error) {
	return solveSimplexFrom(ctx, g, nil)
}

// solveSimplexFrom solves g, starting from w's basis when it gives a feasible spanning tree
// of g (see Warm), from the big-M tree otherwise.
func solveSimplexFrom(ctx context.Context, g *Graph, w *Warm) (Result, error) {
	m := int32(len(g.from))
	// Nodes without arcs or supply play no part; leaving them out of the tree keeps the
	// potentials the pricing loop reads compact (a catalogue holds many full placements).
	node := make([]int32, len(g.supply))
	for v := range node {
		node[v] = -1
	}
	for a := range m {
		node[g.from[a]], node[g.to[a]] = 0, 0
	}
	var n int32
	for v, b := range g.supply {
		if node[v] == 0 || b != 0 {
			node[v] = n
			n++
		}
	}
	res := Result{Flow: make([]int64, m), Potential: make([]int64, len(g.supply))}
	if n == 0 {
		return res, nil
	}
	s := &simplex{n: n, m: m}
	orig, total := s.init(g, node)
	if total != 0 {
		return Result{}, fmt.Errorf("%w: supplies sum to %d, not zero", ErrInfeasible, total)
	}
	warm := false
	if w != nil && w.From.basis != nil {
		if warm = s.warmStart(w, node, orig); warm {
			// A warm tree that is not strongly feasible could in principle cycle: give up on
			// it after many more pivots than a cold start takes, and start cold.
			s.maxPivots = 10*int(m+n) + 100_000
		} else {
			s = &simplex{n: n, m: m}
			orig, _ = s.init(g, node)
		}
	}
	err := s.run(ctx)
	if warm && errors.Is(err, errPivotLimit) {
		s = &simplex{n: n, m: m}
		orig, _ = s.init(g, node)
		err = s.run(ctx)
	}
	if err != nil {
		return Result{}, err
	}
	for e := m; e < m+n; e++ {
		if s.fc[e].flow != 0 {
			return Result{}, fmt.Errorf("%w: the supply or demand of some nodes cannot be met", ErrInfeasible)
		}
	}
	for e, a := range orig {
		f := s.fc[e].flow + g.lower[a]
		res.Flow[a] = f
		res.Cost += f * g.cost[a]
	}
	// Potentials are reported relative to the root's, as at the start: a node left out of
	// the tree gets the root's.
	for v, u := range node {
		if u >= 0 {
			res.Potential[v] = s.pi[u] - s.pi[n]
		}
	}
	res.basis = s.basis(node, orig)
	return res, nil
}

// init copies g into s (shifting lower bounds to zero, numbering nodes by node[v]) and builds
// the starting tree. It returns the arc of g at each position of s, and the sum of the
// supplies.
func (s *simplex) init(g *Graph, node []int32) (orig []int32, total int64) {
	n, m := s.n, s.m
	all := m + n
	s.src = make([]int32, all)
	s.dst = make([]int32, all)
	s.cost = make([]int64, all)
	s.fc = make([]flowCap, all)
	s.state = make([]int8, all)
	supply := make([]int64, n)
	for v, u := range node {
		if u >= 0 {
			supply[u] = g.supply[v]
		}
	}

	orig = mixArcs(m, n)
	var maxCost int64
	for e, a := range orig {
		u, v := node[g.from[a]], node[g.to[a]]
		s.src[e], s.dst[e] = u, v
		c := g.cost[a]
		s.cost[e] = c
		maxCost = max(maxCost, c, -c)
		lo, up := g.lower[a], g.upper[a]
		if up == Infinity {
			s.fc[e].capa = Infinity
		} else {
			s.fc[e].capa = up - lo
		}
		if lo != 0 {
			supply[u] -= lo
			supply[v] += lo
		}
		if s.fc[e].capa == 0 {
			s.state[e] = stateFixed // never worth pricing
		} else {
			s.state[e] = stateLower
		}
	}

	// Big-M start: every node hangs from the root by an artificial arc carrying its
	// supply. Arcs into demand nodes cost more than any path of real arcs, so they carry flow
	// at the optimum only if the problem is infeasible.
	artCost := (maxCost + 1) * int64(n+1)
	s.artCost, s.supply = artCost, supply
	root := n
	s.pi = make([]int64, n+1)
	s.tree = make([]treeNode, n+1)
	s.thread = make([]int32, n+1)
	for u := range n {
		e := m + u
		t := &s.tree[u]
		t.parent, t.pred, t.succ, t.last, t.rev = root, e, 1, u, u-1
		s.thread[u] = u + 1
		s.fc[e].capa = Infinity
		s.state[e] = stateTree
		if supply[u] >= 0 {
			s.src[e], s.dst[e] = u, root
			t.dir = dirUp
			s.fc[e].flow = supply[u]
		} else {
			s.src[e], s.dst[e] = root, u
			t.dir = dirDown
			s.fc[e].flow = -supply[u]
			s.cost[e] = artCost
			s.pi[u] = artCost
		}
	}
	s.tree[0].rev = root
	s.thread[root] = 0
	s.tree[root] = treeNode{parent: -1, pred: -1, succ: n + 1, last: n - 1, rev: n - 1}

	s.minFactor = blockFloor(m, n)
	s.blockSize = int32(max(10, max(1, s.minFactor)*math.Sqrt(float64(m))))

	for _, b := range supply { // checkRange bounds the sum of |b| by 2^60
		total += b
	}
	return orig, total
}

// mixArcs returns an order of the arcs that spreads the arcs of one node (usually added
// together) over the whole array, so that a block of the pricing search sees many nodes:
// position e holds arc orig[e]. It is the arc mixing of LEMON's network simplex: arcs fill
// the positions 0, skip, 2*skip, ..., then 1, 1+skip, ..., with skip = max(m/n, 3).
func mixArcs(m, n int32) []int32 {
	orig := make([]int32, m)
	skip := max(m/max(n, 1), 3)
	var a int32
	for r := range min(skip, m) {
		for e := r; e < m; e += skip {
			orig[e] = a
			a++
		}
	}
	return orig
}

// run pivots until no arc prices out.
func (s *simplex) run(ctx context.Context) error {
	var lastWork int64
	for iter := 0; ; iter++ {
		if s.maxPivots > 0 && iter >= s.maxPivots {
			return errPivotLimit
		}
		if iter%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("mcf: solve cancelled after %d pivots: %w", iter, err)
			}
			if iter > 0 {
				s.sizeBlocks(float64(s.work-lastWork) / checkEvery)
				lastWork = s.work
			}
		}
		in := s.findEntering()
		if in < 0 {
			return nil
		}
		if err := s.pivot(in); err != nil {
			return err
		}
	}
}

// sizeBlocks sets the pricing block size from the average number of tree nodes the recent
// pivots visited. LEMON's fixed sqrt(m) is a compromise: when pivots are cheap (a batch
// match: short cycles, small subtrees) smaller blocks win, since a good enough arc is found
// sooner; when pivots are dear (large sparse networks) larger blocks win, since better arcs
// save pivots. Measured on the benchmark families (see the package documentation), a factor
// of sqrt(work/100) between 1/2 and 2 takes the better side of both; blockFloor raises the
// lower end on dense networks.
func (s *simplex) sizeBlocks(work float64) {
	f := min(max(math.Sqrt(work/100), s.minFactor), 2)
	s.blockSize = int32(max(10, f*math.Sqrt(float64(s.m))))
}

// blockFloor returns the least block factor for a network of m arcs on n nodes: 1/2 below
// 16 arcs a node, sqrt(m/n)/4 up to 1.5 from there. On a dense network (NETGEN-SR, and
// NETGEN-DEG from 32 arcs a node) the tree is shallow and pivots are cheap, yet near the
// optimum a block of sqrt(m)/2 arcs holds few violating arcs, so it chooses poor arcs and
// takes many more pivots: a factor of 1.5 to 2 saved 15-25% there. Above 1.5 the dense
// assignment problems (500 arcs a node) slowed by 17%. Placement-shaped networks (2 to 13
// arcs a node) keep the floor of 1/2, where small blocks win (see docs/matching.md).
func blockFloor(m, n int32) float64 {
	if m < 16*n {
		return 0.5
	}
	return min(math.Sqrt(float64(m)/float64(n))/4, 1.5)
}

// findEntering returns an arc whose reduced cost says that moving flow on it lowers the
// total cost, or -1 when the current solution is optimal. It uses the block search rule:
// scan blocks of blockSize arcs cyclically from where the last search stopped and return
// the most violating arc of the first block that has one (a block may run on past the last
// arc to the first).
func (s *simplex) findEntering() int32 {
	var best int64
	in := int32(-1)
	pos, left := s.nextArc, s.m
	for left >= s.blockSize {
		for cnt := s.blockSize; cnt > 0; {
			end := min(pos+cnt, s.m)
			best, in = s.scan(pos, end, best, in)
			cnt -= end - pos
			left -= end - pos
			if pos = end; pos == s.m {
				pos = 0
			}
		}
		if best < 0 {
			s.nextArc = pos
			return in
		}
	}
	// The arcs left, fewer than a block, up to where the search started; the next search
	// starts there again.
	for left > 0 {
		end := min(pos+left, s.m)
		best, in = s.scan(pos, end, best, in)
		left -= end - pos
		if pos = end; pos == s.m {
			pos = 0
		}
	}
	return in
}

// scan prices the arcs lo..hi-1 and returns the most violating of them and best (the reduced
// cost of in, the most violating arc so far), or best and in themselves when none does better.
func (s *simplex) scan(lo, hi int32, best int64, in int32) (int64, int32) {
	pi := s.pi
	state := s.state[lo:hi]
	cost := s.cost[lo:hi][:len(state)]
	src := s.src[lo:hi][:len(state)]
	dst := s.dst[lo:hi][:len(state)]
	for i := range state {
		if rc := int64(state[i]) * (cost[i] + pi[src[i]] - pi[dst[i]]); rc < best {
			best, in = rc, lo+int32(i)
		}
	}
	return best, in
}

// pivot pushes flow round the cycle that arc in closes in the tree, and swaps in for the
// arc that blocks the push. The leaving arc is the last blocking arc met when walking the
// cycle in the direction of the push from its apex (the strongly feasible tree rule), which
// prevents cycling on degenerate pivots.
func (s *simplex) pivot(in int32) error {
	tree := s.tree
	fc := s.fc

	u, v := s.src[in], s.dst[in]
	for u != v {
		// A subtree is smaller than any subtree containing it.
		if tree[u].succ < tree[v].succ {
			u = tree[u].parent
		} else {
			v = tree[v].parent
		}
	}
	join := u

	first, second := s.src[in], s.dst[in]
	if s.state[in] == stateUpper {
		first, second = second, first
	}
	delta := fc[in].capa
	side := 0
	var uOut int32
	// From first up to the apex the push runs down the tree, towards first.
	for u := first; u != join; u = tree[u].parent {
		s.work++
		t := &tree[u]
		e := t.pred
		d := fc[e].flow
		if t.dir == dirDown {
			d = residual(fc[e].capa, d)
		}
		if d < delta {
			delta, uOut, side = d, u, 1
		}
	}
	// From second up to the apex the push runs up the tree.
	for u := second; u != join; u = tree[u].parent {
		s.work++
		t := &tree[u]
		e := t.pred
		d := fc[e].flow
		if t.dir == dirUp {
			d = residual(fc[e].capa, d)
		}
		if d <= delta {
			delta, uOut, side = d, u, 2
		}
	}
	if delta == Infinity {
		return fmt.Errorf("%w: arc %d closes a cycle of negative cost without capacity limit", ErrUnbounded, in)
	}

	if delta > 0 {
		val := int64(s.state[in]) * delta
		fc[in].flow += val
		for u := s.src[in]; u != join; u = tree[u].parent {
			fc[tree[u].pred].flow -= int64(tree[u].dir) * val
		}
		for u := s.dst[in]; u != join; u = tree[u].parent {
			fc[tree[u].pred].flow += int64(tree[u].dir) * val
		}
	}
	if side == 0 {
		// The entering arc blocks itself: it moves to its other bound.
		s.state[in] = -s.state[in]
		return nil
	}
	uIn, vIn := first, second
	if side == 2 {
		uIn, vIn = second, first
	}
	out := tree[uOut].pred
	s.state[in] = stateTree
	if fc[out].flow == 0 {
		s.state[out] = stateLower
	} else {
		s.state[out] = stateUpper
	}
	s.updateTree(in, uIn, vIn, uOut, join)
	return nil
}

// residual returns how much more flow an arc of capacity c carrying f can take.
func residual(c, f int64) int64 {
	if c == Infinity {
		return Infinity
	}
	return c - f
}

// updateTree removes the tree arc of uOut and adds arc in, which joins uIn (in the subtree T
// of uOut) to vIn (outside it); join is the apex of the cycle. The path from uIn up to uOut
// (the stem s0 = uIn, ..., sk = uOut) is reversed so that uIn becomes the root of T, which is
// hung under vIn. In the new preorder T reads T(s0), then T(s1) without T(s0), and so on,
// each piece keeping its old internal order, so the thread changes only where pieces meet.
// The potentials of T move by the constant that gives arc in reduced cost zero.
func (s *simplex) updateTree(in, uIn, vIn, uOut, join int32) {
	tree, thread := s.tree, s.thread

	// Read everything the relinking overwrites first.
	stem := s.stem[:0]
	for x := uIn; ; x = tree[x].parent {
		stem = append(stem, x)
		if x == uOut {
			break
		}
	}
	k := len(stem) - 1
	revs, lasts := grow(s.stemRev, k+1), grow(s.stemLast, k+1)
	nexts, succs := grow(s.stemNext, k+1), grow(s.stemSucc, k+1)
	for i, x := range stem {
		t := &tree[x]
		revs[i], lasts[i], succs[i] = t.rev, t.last, t.succ
		nexts[i] = thread[t.last]
	}
	vOut := tree[uOut].parent
	sizeT, lastT := succs[k], lasts[k]
	before, afterT := revs[k], nexts[k]

	link := func(a, b int32) {
		thread[a] = b
		tree[b].rev = a
	}
	// Cut T out of the thread.
	link(before, afterT)
	// Chain the pieces: A_i = s_i up to the node before s_{i-1}; B_i = the nodes after the
	// subtree of s_{i-1} up to the last of s_i (empty when those subtrees end together).
	tail := lasts[0]
	for i := 1; i <= k; i++ {
		link(tail, stem[i])
		tail = revs[i-1]
		if lasts[i-1] != lasts[i] {
			link(tail, nexts[i-1])
			tail = lasts[i]
		}
	}
	// Insert T after vIn.
	afterV := thread[vIn]
	link(vIn, uIn)
	link(tail, afterV)

	// Subtree sizes and last nodes of the stem: T(s_i) is now the pieces i..k.
	for i, x := range stem {
		t := &tree[x]
		t.last = tail
		if i == 0 {
			t.succ = sizeT
		} else {
			t.succ = sizeT - succs[i-1]
		}
	}
	// Ancestors outside T: lose T on the way from vOut to join, gain it from vIn to join.
	for a := vOut; a != join; a = tree[a].parent {
		tree[a].succ -= sizeT
	}
	for a := vIn; a != join; a = tree[a].parent {
		tree[a].succ += sizeT
	}
	// Subtrees that ended with T now end before it; those that ended at vIn end with T.
	for a := vOut; a >= 0 && tree[a].last == lastT; a = tree[a].parent {
		tree[a].last = before
	}
	for a := vIn; a >= 0 && tree[a].last == vIn; a = tree[a].parent {
		tree[a].last = tail
	}

	// Reverse the parent pointers along the stem.
	newParent, newPred, newDir := vIn, in, dirDown
	if s.src[in] == uIn {
		newDir = dirUp
	}
	for _, x := range stem {
		t := &tree[x]
		oldPred, oldDir := t.pred, t.dir
		t.parent, t.pred, t.dir = newParent, newPred, newDir
		newParent, newPred, newDir = x, oldPred, -oldDir
	}

	// Shift the potentials of T, or of all the other nodes the other way when they are
	// fewer: only differences of potentials matter.
	pi := s.pi
	rc := s.cost[in] + pi[s.src[in]] - pi[s.dst[in]]
	shift := rc
	if s.src[in] == uIn {
		shift = -rc
	}
	s.work += int64(min(sizeT, s.n+1-sizeT))
	if 2*sizeT <= s.n+1 {
		for x := uIn; ; x = thread[x] {
			pi[x] += shift
			if x == tail {
				break
			}
		}
	} else {
		for x := afterV; x != uIn; x = thread[x] {
			pi[x] -= shift
		}
		// The root's potential now drifts; bring it back to zero before any potential
		// could leave the range that checkRange allows for.
		if r := pi[s.n]; r > 1<<60 || r < -1<<60 {
			for x := range pi {
				pi[x] -= r
			}
		}
	}
	s.stem, s.stemRev, s.stemLast, s.stemNext, s.stemSucc = stem, revs, lasts, nexts, succs
}

// grow returns a slice of length n, reusing buf when it is large enough.
func grow(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, 2*n)[:n]
	}
	return buf[:n]
}

// flowCap is an arc's flow and capacity (Infinity for none), read together on the cycle.
type flowCap struct{ flow, capa int64 }
