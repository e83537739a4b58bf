package mcf_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/placematch/placematch/matcher/mcf"
)

// grow returns a graph made from g as the matcher makes its next flow: g's arcs in a shuffled
// order with extra new arcs among them, and extra new nodes (without supply) that new arcs
// reach, with the maps from the new graph's arcs and nodes to g's. With perturb, a few arcs
// also change their bounds or cost, or are dropped, so that the earlier basis may no longer fit.
func grow(rng *rand.Rand, g *mcf.Graph, extraArcs, extraNodes int, perturb bool) (*mcf.Graph, mcf.Warm) {
	n := g.NumNodes()
	// The new graph's nodes: g's in a shuffled order, with the new ones among them.
	total := n + extraNodes
	perm := rng.Perm(total) // perm[i]: the new node of old node i (i < n) or of new node i-n
	h := mcf.NewGraph(total, g.NumArcs()+extraArcs)
	nodes := make([]int32, total)
	for i := range nodes {
		nodes[i] = -1
	}
	for v := range n {
		nodes[perm[v]] = int32(v)
		h.SetSupply(perm[v], g.Supply(v))
	}
	type spec struct {
		arc mcf.Arc
		old int32
	}
	var specs []spec
	for a := range g.NumArcs() {
		arc := g.Arc(a)
		arc.From, arc.To = perm[arc.From], perm[arc.To]
		old := int32(a)
		if perturb && rng.IntN(10) == 0 {
			switch rng.IntN(3) {
			case 0:
				continue // dropped
			case 1:
				if arc.Upper != mcf.Infinity {
					arc.Upper = arc.Lower + rng.Int64N(arc.Upper-arc.Lower+1)
				}
			case 2:
				arc.Cost += rng.Int64N(11) - 5
			}
		}
		specs = append(specs, spec{arc, old})
	}
	for range extraArcs {
		u, v := rng.IntN(total), rng.IntN(total)
		specs = append(specs, spec{mcf.Arc{From: u, To: v, Upper: rng.Int64N(6), Cost: rng.Int64N(31) - 10}, -1})
	}
	rng.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
	arcs := make([]int32, len(specs))
	for i, s := range specs {
		h.AddArc(s.arc.From, s.arc.To, s.arc.Lower, s.arc.Upper, s.arc.Cost)
		arcs[i] = s.old
	}
	return h, mcf.Warm{Arcs: arcs, Nodes: nodes}
}

// TestSolveWarmAfterAddingArcs: started from the optimum of a problem to which arcs and nodes
// were then added (the matcher's certification rounds), SolveWarm finds the same optimum as a
// cold Solve, with flows and potentials that certify it, from a warm start that is a valid
// threaded spanning tree; and it does so round after round.
func TestSolveWarmAfterAddingArcs(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(21, 22))
	warmTaken, rounds := 0, 0
	for i := range 300 {
		n := 2 + rng.IntN(30)
		g := randomGraph(rng, n, rng.IntN(5*n), 6, -10, 20, 0, true)
		res, err := g.Solve(context.Background())
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		for round := range 4 {
			h, w := grow(rng, g, 1+rng.IntN(2*n), rng.IntN(4), false)
			w.From = res
			taken, err := mcf.WarmTree(h, w)
			if err != nil {
				t.Fatalf("instance %d round %d: the warm tree is broken: %v\n%s", i, round, err, dump(h))
			}
			rounds++
			if taken {
				warmTaken++
			}
			cold, errCold := h.Solve(context.Background())
			warm, errWarm := h.SolveWarm(context.Background(), w)
			if (errCold == nil) != (errWarm == nil) {
				t.Fatalf("instance %d round %d: cold %v, warm %v", i, round, errCold, errWarm)
			}
			if errCold != nil {
				break // unbounded: a new arc closed a negative cycle without limit
			}
			if warm.Cost != cold.Cost {
				t.Fatalf("instance %d round %d: warm cost %d, cold %d\n%s", i, round, warm.Cost, cold.Cost, dump(h))
			}
			if err := checkResult(h, warm); err != nil {
				t.Fatalf("instance %d round %d: %v", i, round, err)
			}
			again, _ := h.SolveWarm(context.Background(), w)
			if !reflect.DeepEqual(again, warm) {
				t.Fatalf("instance %d round %d: two warm solves differ", i, round)
			}
			g, res = h, warm
		}
	}
	t.Logf("%d of %d warm starts taken", warmTaken, rounds)
	if warmTaken < rounds*9/10 {
		t.Errorf("only %d of %d warm starts taken: adding arcs should keep the earlier tree feasible", warmTaken, rounds)
	}
}

// TestSolveWarmFallsBack: when the earlier basis no longer fits (bounds changed, arcs dropped,
// costs changed), SolveWarm still finds the optimum, or the same error as Solve.
func TestSolveWarmFallsBack(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(23, 24))
	for i := range 500 {
		n := 2 + rng.IntN(20)
		g := randomGraph(rng, n, rng.IntN(5*n), 6, -10, 20, 0.1, i%3 != 0)
		res, err := g.Solve(context.Background())
		if err != nil {
			continue
		}
		h, w := grow(rng, g, rng.IntN(n), rng.IntN(3), true)
		w.From = res
		if _, err := mcf.WarmTree(h, w); err != nil {
			t.Fatalf("instance %d: the warm tree is broken: %v\n%s", i, err, dump(h))
		}
		cold, errCold := h.Solve(context.Background())
		warm, errWarm := h.SolveWarm(context.Background(), w)
		sc, _ := statusOf(errCold)
		sw, _ := statusOf(errWarm)
		if sc != sw {
			t.Fatalf("instance %d: cold %v (%v), warm %v (%v)", i, sc, errCold, sw, errWarm)
		}
		if errCold != nil {
			continue
		}
		if warm.Cost != cold.Cost {
			t.Fatalf("instance %d: warm cost %d, cold %d\n%s", i, warm.Cost, cold.Cost, dump(h))
		}
		if err := checkResult(h, warm); err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
}
