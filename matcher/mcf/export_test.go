package mcf

import (
	"fmt"
	"io"
)

// Internals exposed to the package's external tests.

const (
	MaxLine     = maxLine
	MaxReported = maxReported
)

// ReadDIMACSLimited is ReadDIMACS with a smaller node limit, for fuzzing.
func ReadDIMACSLimited(r io.Reader, maxNodes int) (*Graph, error) { return readDIMACS(r, maxNodes) }

// SolveCheckingTree runs the simplex on g (all nodes kept) and checks the spanning tree
// structure from scratch before every pivot and after the last.
func SolveCheckingTree(g *Graph) error {
	if err := g.checkRange(); err != nil {
		return err
	}
	if g.NumNodes() == 0 {
		return nil
	}
	s := &simplex{n: int32(g.NumNodes()), m: int32(g.NumArcs())}
	node := make([]int32, g.NumNodes())
	for v := range node {
		node[v] = int32(v)
	}
	s.init(g, node)
	for pivot := 0; ; pivot++ {
		if err := s.checkTree(); err != nil {
			return fmt.Errorf("before pivot %d: %w", pivot, err)
		}
		in := s.findEntering()
		if in < 0 {
			return nil
		}
		if err := s.pivot(in); err != nil {
			return nil // unbounded: the tree is left as it was
		}
	}
}

// checkTree verifies the threaded tree from scratch: the thread is a preorder of the
// parent pointers (checked by recomputing subtree sizes and last nodes from it), rev is its
// inverse, and tree arcs join node and parent with reduced cost zero.
func (s *simplex) checkTree() error {
	n := s.n
	root := n
	order := make([]int32, 0, n+1)
	pos := make([]int32, n+1)
	for i := range pos {
		pos[i] = -1
	}
	x := root
	for range n + 1 {
		if pos[x] >= 0 {
			return fmt.Errorf("thread revisits %d", x)
		}
		pos[x] = int32(len(order))
		order = append(order, x)
		if s.tree[s.thread[x]].rev != x {
			return fmt.Errorf("rev of the node after %d is %d", x, s.tree[s.thread[x]].rev)
		}
		x = s.thread[x]
	}
	if x != root {
		return fmt.Errorf("thread does not return to the root")
	}
	// In a preorder, a node's subtree is the run from it of nodes descending from it.
	succ := make([]int32, n+1)
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		succ[v]++
		if v != root {
			p := s.tree[v].parent
			if pos[p] >= pos[v] {
				return fmt.Errorf("node %d before its parent %d in the thread", v, p)
			}
			succ[p] += succ[v]
		}
	}
	for _, v := range order {
		t := s.tree[v]
		if t.succ != succ[v] {
			return fmt.Errorf("node %d: succ %d, want %d", v, t.succ, succ[v])
		}
		if want := order[pos[v]+succ[v]-1]; t.last != want {
			return fmt.Errorf("node %d: last %d, want %d", v, t.last, want)
		}
		if v == root {
			continue
		}
		// the subtree run must hold only descendants
		for _, w := range order[pos[v]+1 : pos[v]+succ[v]] {
			a := w
			for a != root && a != v {
				a = s.tree[a].parent
			}
			if a != v {
				return fmt.Errorf("node %d in the thread run of %d but not below it", w, v)
			}
		}
		e := t.pred
		if t.dir == dirUp && (s.src[e] != v || s.dst[e] != t.parent) {
			return fmt.Errorf("node %d pred arc %d wrong way", v, e)
		}
		if t.dir == dirDown && (s.dst[e] != v || s.src[e] != t.parent) {
			return fmt.Errorf("node %d pred arc %d wrong way (down)", v, e)
		}
		if rc := s.cost[e] + s.pi[s.src[e]] - s.pi[s.dst[e]]; rc != 0 {
			return fmt.Errorf("tree arc %d reduced cost %d", e, rc)
		}
	}
	return nil
}

// WarmTree maps w's basis onto g as SolveWarm does and, when that gives a feasible spanning
// tree, checks its threaded structure from scratch. It reports whether the warm start was
// taken.
func WarmTree(g *Graph, w Warm) (bool, error) {
	if err := g.checkRange(); err != nil {
		return false, err
	}
	m := int32(len(g.from))
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
	if n == 0 || w.From.basis == nil {
		return false, nil
	}
	s := &simplex{n: n, m: m}
	orig, _ := s.init(g, node)
	if !s.warmStart(&w, node, orig) {
		return false, nil
	}
	if err := s.checkTree(); err != nil {
		return true, err
	}
	for e := range s.m + s.n {
		if f, c := s.fc[e].flow, s.fc[e].capa; f < 0 || (c != Infinity && f > c) {
			return true, fmt.Errorf("arc %d carries %d of %d", e, f, c)
		}
	}
	return true, nil
}
