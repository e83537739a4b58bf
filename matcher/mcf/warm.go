package mcf

import (
	"context"
	"errors"
)

// Warm is where a solve may start instead of the big-M tree: the optimal basis of an earlier,
// similar problem. The matcher solves its flow again and again as certification adds a few
// candidate arcs (and the places they lead to); started from the last optimum, the simplex
// has only the new arcs to price in, not the whole problem to solve.
//
// From is an optimal Result of the earlier graph; Arcs gives, for each arc of the graph being
// solved, the earlier graph's arc it is (-1: a new arc), and Nodes the same for nodes (-1: a
// new node). The start is the earlier spanning tree, mapped: its arcs that are still there
// keep their places in the tree (joined to the root by artificial arcs where the tree falls
// apart), arcs that were at their upper bound stay there, and every other arc, new ones
// included, starts at its lower bound; the tree's flows then follow from the supplies. Where
// that is not a feasible spanning tree of the new problem (an arc's bounds changed, a tree arc
// was taken away so its flow went elsewhere), the solve starts from the big-M tree as Solve
// does. Either way the answer is optimal; it need not be the same optimum as Solve's when
// there are several, but the same Graph and Warm always give the same Result.
type Warm struct {
	From  Result
	Arcs  []int32
	Nodes []int32
}

// SolveWarm is Solve started from w (see Warm). It returns what Solve would for an
// infeasible, unbounded or too large problem.
func (g *Graph) SolveWarm(ctx context.Context, w Warm) (Result, error) {
	if err := g.checkRange(); err != nil {
		return Result{}, err
	}
	return solveSimplexFrom(ctx, g, &w)
}

// errPivotLimit: a warm start pivoted for longer than it should (simplex.maxPivots).
var errPivotLimit = errors.New("mcf: pivot limit reached")

// basis is an optimal spanning tree, by the graph's own arcs and nodes, for a warm start.
type basis struct {
	arc []int8 // by arc: basisLower, basisUpper or basisTree
	art []int8 // by node: its artificial arc is in the tree (basisUp, basisDown) or not (0)
}

const (
	basisLower int8 = iota
	basisUpper
	basisTree
)

const (
	basisUp   int8 = 1  // the artificial arc runs from the node to the root
	basisDown int8 = -1 // from the root to the node
)

// basis records the simplex's tree by the graph's arcs and nodes.
func (s *simplex) basis(node []int32, orig []int32) *basis {
	b := &basis{arc: make([]int8, s.m), art: make([]int8, len(node))}
	for e, a := range orig {
		switch {
		case s.state[e] == stateUpper:
			b.arc[a] = basisUpper
		case s.state[e] == stateTree && s.fc[e].capa != 0 && s.isTreeArc(int32(e)):
			b.arc[a] = basisTree
		}
	}
	for v, u := range node {
		if u < 0 {
			continue
		}
		e := s.m + u
		if s.state[e] == stateTree && s.tree[u].pred == e {
			if s.src[e] == u {
				b.art[v] = basisUp
			} else {
				b.art[v] = basisDown
			}
		}
	}
	return b
}

// isTreeArc reports whether arc e is the tree arc of one of its ends (stateTree is shared
// with arcs of zero capacity, which never enter the tree).
func (s *simplex) isTreeArc(e int32) bool {
	return s.tree[s.src[e]].pred == e || s.tree[s.dst[e]].pred == e
}

// warmStart replaces the big-M tree that init built with w's tree, mapped onto this problem
// (see Warm), and reports whether that gave a feasible spanning tree; when it did not, s must
// be built again.
func (s *simplex) warmStart(w *Warm, node []int32, orig []int32) bool {
	b := w.From.basis
	n, m := s.n, s.m
	root := n
	// Real arcs: tree, upper or lower, from the earlier basis. (stateTree is shared with
	// arcs of zero capacity, hence inTree.)
	inTree := make([]bool, m)
	for e, a := range orig {
		st := basisLower
		if int(a) < len(w.Arcs) {
			if oa := w.Arcs[a]; oa >= 0 && int(oa) < len(b.arc) {
				st = b.arc[oa]
			}
		}
		s.fc[e].flow = 0
		if s.fc[e].capa == 0 {
			s.state[e] = stateFixed
			continue
		}
		switch st {
		case basisTree:
			s.state[e] = stateTree
			inTree[e] = true
		case basisUpper:
			if s.fc[e].capa == Infinity {
				return false
			}
			s.state[e] = stateUpper
			s.fc[e].flow = s.fc[e].capa
		default:
			s.state[e] = stateLower
		}
	}
	// Artificial arcs: in the tree where they were; the others carry nothing and are never
	// priced.
	gnode := make([]int32, n)
	for v, u := range node {
		if u >= 0 {
			gnode[u] = int32(v)
		}
	}
	artDir := make([]int8, n) // 0: not in the tree (yet)
	for u := range n {
		e := m + u
		s.fc[e].flow = 0
		s.state[e] = stateLower
		if v := gnode[u]; int(v) < len(w.Nodes) {
			if ov := w.Nodes[v]; ov >= 0 && int(ov) < len(b.art) && b.art[ov] != 0 {
				artDir[u] = b.art[ov]
				s.state[e] = stateTree
			}
		}
	}
	// The tree arcs must make a forest; each piece that does not reach the root hangs from it
	// by the artificial arc of its first node.
	dsu := make([]int32, n+1)
	for i := range dsu {
		dsu[i] = int32(i)
	}
	find := func(x int32) int32 {
		for dsu[x] != x {
			dsu[x] = dsu[dsu[x]]
			x = dsu[x]
		}
		return x
	}
	join := func(x, y int32) bool {
		x, y = find(x), find(y)
		if x == y {
			return false
		}
		dsu[x] = y
		return true
	}
	deg := make([]int32, n+2)
	count := 0
	for e := range m {
		if inTree[e] {
			if !join(s.src[e], s.dst[e]) {
				return false // a cycle: not a tree of this problem
			}
			deg[s.src[e]+1]++
			deg[s.dst[e]+1]++
			count++
		}
	}
	for u := range n {
		if artDir[u] != 0 {
			if !join(u, root) {
				return false
			}
			count++
		}
	}
	for u := range n {
		if find(u) != find(root) {
			join(u, root)
			artDir[u] = basisUp // direction settled by its flow below
			s.state[m+u] = stateTree
			count++
		}
	}
	if count != int(n) {
		return false
	}
	for u := range n {
		if artDir[u] != 0 {
			deg[u+1]++
			deg[root+1]++
		}
	}
	// Adjacency of the tree, then a depth-first preorder from the root.
	for v := range n + 1 {
		deg[v+1] += deg[v]
	}
	adj := make([]int32, deg[n+1]) // tree arcs at each node
	at := make([]int32, n+1)
	copy(at, deg[:n+1])
	add := func(v, e int32) { adj[at[v]] = e; at[v]++ }
	for e := range m {
		if inTree[e] {
			add(s.src[e], e)
			add(s.dst[e], e)
		}
	}
	for u := range n {
		if artDir[u] != 0 {
			add(u, m+u)
			add(root, m+u)
		}
	}
	other := func(e, v int32) int32 {
		if e >= m {
			if v == root {
				return e - m
			}
			return root
		}
		if s.src[e] == v {
			return s.dst[e]
		}
		return s.src[e]
	}
	order := make([]int32, 0, n+1)
	parent := make([]int32, n+1)
	pred := make([]int32, n+1)
	parent[root], pred[root] = -1, -1
	stack := []int32{root}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		order = append(order, v)
		// Children pushed in reverse so that they are visited in adjacency order.
		for k := deg[v+1] - 1; k >= deg[v]; k-- {
			e := adj[k]
			if e == pred[v] {
				continue
			}
			c := other(e, v)
			parent[c], pred[c] = v, e
			stack = append(stack, c)
		}
	}
	if len(order) != int(n)+1 {
		return false
	}
	// Flows, from the leaves up: what a node's supply and its non-tree arcs leave over goes
	// up its tree arc.
	excess := make([]int64, n+1)
	copy(excess, s.supply)
	for e := range m {
		if s.state[e] == stateUpper {
			excess[s.src[e]] -= s.fc[e].capa
			excess[s.dst[e]] += s.fc[e].capa
		}
	}
	for i := len(order) - 1; i > 0; i-- {
		u := order[i]
		x := excess[u] // to leave u towards its parent
		e := pred[u]
		if e >= m {
			if x < 0 || (x == 0 && artDir[u] == basisDown) {
				s.src[e], s.dst[e], s.cost[e] = root, u, s.artCost
				s.fc[e].flow = -x
			} else {
				s.src[e], s.dst[e], s.cost[e] = u, root, 0
				s.fc[e].flow = x
			}
		} else {
			f := x
			if s.src[e] != u {
				f = -x
			}
			if f < 0 || (s.fc[e].capa != Infinity && f > s.fc[e].capa) {
				return false
			}
			s.fc[e].flow = f
		}
		excess[parent[u]] += x
	}
	// The threaded tree and the potentials that give tree arcs reduced cost zero.
	pos := make([]int32, n+1)
	for i, v := range order {
		pos[v] = int32(i)
	}
	succ := make([]int32, n+1)
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		succ[v]++
		if p := parent[v]; p >= 0 {
			succ[p] += succ[v]
		}
	}
	for i, v := range order {
		t := &s.tree[v]
		t.parent, t.pred, t.succ = parent[v], pred[v], succ[v]
		t.last = order[i+int(succ[v])-1]
		next := root
		if i+1 < len(order) {
			next = order[i+1]
		}
		s.thread[v] = next
		s.tree[next].rev = v
		if v == root {
			s.pi[v] = 0
			continue
		}
		e := pred[v]
		if s.src[e] == v {
			t.dir = dirUp
			s.pi[v] = s.pi[parent[v]] - s.cost[e]
		} else {
			t.dir = dirDown
			s.pi[v] = s.pi[parent[v]] + s.cost[e]
		}
	}
	s.tree[root].dir = 0
	s.nextArc = 0
	return true
}
