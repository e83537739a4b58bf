package mcf_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/placematch/placematch/matcher/mcf"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type arcSpec struct {
	from, to           int
	lower, upper, cost int64
}

func build(n int, supply map[int]int64, arcs []arcSpec) *mcf.Graph {
	g := mcf.NewGraph(n, len(arcs))
	for v, s := range supply {
		g.SetSupply(v, s)
	}
	for _, a := range arcs {
		g.AddArc(a.from, a.to, a.lower, a.upper, a.cost)
	}
	return g
}

func TestSolveHandMade(t *testing.T) {
	t.Parallel()
	const inf = mcf.Infinity
	tests := []struct {
		name    string
		n       int
		supply  map[int]int64
		arcs    []arcSpec
		cost    int64
		flow    []int64 // nil: not checked (several optima)
		wantErr error
	}{
		{name: "empty graph", n: 0, flow: []int64{}},
		{name: "isolated nodes", n: 3, flow: []int64{}},
		{
			name: "one arc", n: 2, supply: map[int]int64{0: 3, 1: -3},
			arcs: []arcSpec{{0, 1, 0, 5, 7}}, cost: 21, flow: []int64{3},
		},
		{
			name: "cheaper of two paths fills first", n: 4, supply: map[int]int64{0: 4, 3: -4},
			arcs: []arcSpec{{0, 1, 0, 3, 1}, {1, 3, 0, 3, 1}, {0, 2, 0, 5, 2}, {2, 3, 0, 5, 2}},
			cost: 3*2 + 1*4, flow: []int64{3, 3, 1, 1},
		},
		{
			name: "parallel arcs", n: 2, supply: map[int]int64{0: 5, 1: -5},
			arcs: []arcSpec{{0, 1, 0, 2, 4}, {0, 1, 0, 2, 1}, {0, 1, 0, 9, 10}},
			cost: 2*4 + 2*1 + 1*10, flow: []int64{2, 2, 1},
		},
		{
			name: "lower bound forces an expensive arc", n: 2, supply: map[int]int64{0: 3, 1: -3},
			arcs: []arcSpec{{0, 1, 2, 4, 10}, {0, 1, 0, 4, 1}},
			cost: 2*10 + 1, flow: []int64{2, 1},
		},
		{
			name: "lower bound on a circulation", n: 3,
			arcs: []arcSpec{{0, 1, 2, 2, 1}, {1, 2, 0, 5, 1}, {2, 0, 0, 5, 1}},
			cost: 6, flow: []int64{2, 2, 2},
		},
		{
			name: "negative cycle with finite capacity is saturated", n: 3,
			arcs: []arcSpec{{0, 1, 0, 4, -5}, {1, 2, 0, 3, 1}, {2, 0, 0, 9, 1}},
			cost: 3 * -3, flow: []int64{3, 3, 3},
		},
		{
			name: "negative loop is saturated", n: 1,
			arcs: []arcSpec{{0, 0, 0, 4, -2}, {0, 0, 0, 4, 3}}, cost: -8, flow: []int64{4, 0},
		},
		{
			name: "zero-cost cycle", n: 3, supply: map[int]int64{0: 1, 2: -1},
			arcs: []arcSpec{{0, 1, 0, 5, 0}, {1, 0, 0, 5, 0}, {1, 2, 0, 5, 0}, {2, 1, 0, 5, 0}},
			cost: 0,
		},
		{
			name: "infinite capacity without negative cycle", n: 3, supply: map[int]int64{0: 7, 2: -7},
			arcs: []arcSpec{{0, 1, 0, inf, 1}, {1, 2, 0, inf, 1}, {0, 2, 0, 3, 1}},
			cost: 3 + 4*2, flow: []int64{4, 4, 3},
		},
		{
			name: "infinite arc with a lower bound", n: 2, supply: map[int]int64{0: 1, 1: -1},
			arcs: []arcSpec{{0, 1, 3, inf, 2}, {1, 0, 0, 2, 1}},
			cost: 3*2 + 2*1, flow: []int64{3, 2},
		},
		{
			name: "no-offer arc takes the surplus", n: 4,
			supply: map[int]int64{0: 2, 1: 2, 3: -4}, // children 0, 1; placement 2; sink 3
			arcs: []arcSpec{
				{0, 2, 0, 1, 5}, {1, 2, 0, 1, 1}, {2, 3, 0, 1, 0},
				{0, 3, 0, 2, 100}, {1, 3, 0, 2, 100},
			},
			cost: 1 + 100 + 200, flow: []int64{0, 1, 1, 2, 1},
		},
		{
			name: "supplies do not balance", n: 2, supply: map[int]int64{0: 2, 1: -1},
			arcs: []arcSpec{{0, 1, 0, 5, 1}}, wantErr: mcf.ErrInfeasible,
		},
		{
			name: "capacity too small", n: 2, supply: map[int]int64{0: 2, 1: -2},
			arcs: []arcSpec{{0, 1, 0, 1, 1}}, wantErr: mcf.ErrInfeasible,
		},
		{
			name: "no path", n: 3, supply: map[int]int64{0: 1, 2: -1},
			arcs: []arcSpec{{0, 1, 0, 5, 1}, {2, 1, 0, 5, 1}}, wantErr: mcf.ErrInfeasible,
		},
		{
			name: "lower bound cannot be met", n: 3, supply: map[int]int64{},
			arcs: []arcSpec{{0, 1, 1, 1, 0}, {1, 2, 0, 5, 0}}, wantErr: mcf.ErrInfeasible,
		},
		{
			name: "negative cycle without capacity limit", n: 3, supply: map[int]int64{0: 1, 2: -1},
			arcs:    []arcSpec{{0, 1, 0, 5, 1}, {1, 2, 0, inf, -2}, {2, 1, 0, inf, 1}},
			wantErr: mcf.ErrUnbounded,
		},
		{
			name: "negative loop without capacity limit", n: 1,
			arcs: []arcSpec{{0, 0, 0, inf, -1}}, wantErr: mcf.ErrUnbounded,
		},
		{
			name: "cost too large", n: 2, supply: map[int]int64{0: 1, 1: -1},
			arcs: []arcSpec{{0, 1, 0, 1, 1 << 61}}, wantErr: mcf.ErrOverflow,
		},
		{
			name: "flow times cost too large", n: 2, supply: map[int]int64{0: 1 << 40, 1: -1 << 40},
			arcs: []arcSpec{{0, 1, 0, inf, 1 << 30}}, wantErr: mcf.ErrOverflow,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(tt.n, tt.supply, tt.arcs)
			res, err := g.Solve(context.Background())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Solve: err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Solve: %v", err)
			}
			if res.Cost != tt.cost {
				t.Errorf("cost = %d, want %d (flow %v)", res.Cost, tt.cost, res.Flow)
			}
			if tt.flow != nil && !slices.Equal(res.Flow, tt.flow) {
				t.Errorf("flow = %v, want %v", res.Flow, tt.flow)
			}
			if err := checkResult(g, res); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestReferencesAgree checks the two reference solvers against each other on tiny graphs,
// so that a bug in the cycle canceller cannot hide one in Solve.
func TestReferencesAgree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		n, m := 2+rng.IntN(3), rng.IntN(6)
		g := randomGraph(rng, n, m, 3, -4, 6, 0, i%2 == 0)
		bc, bs := bruteForce(g)
		cc, cs := cycleCancel(g)
		if bs != cs || bc != cc {
			t.Fatalf("instance %d: brute force %v %d, cycle cancelling %v %d", i, bs, bc, cs, cc)
		}
	}
}

func TestSolveRandomAgainstReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	counts := map[refStatus]int{}
	for i := range 1500 {
		n := 2 + rng.IntN(9)
		m := rng.IntN(4 * n)
		infProb := []float64{0, 0.2, 0.6}[i%3]
		g := randomGraph(rng, n, m, 6, -10, 20, infProb, i%4 != 0)
		wantCost, want := cycleCancel(g)
		res, err := g.Solve(context.Background())
		got, err := statusOf(err)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		counts[want]++
		if want == refEither && (got == refInfeasible || got == refUnbounded) {
			continue
		}
		if got != want {
			t.Fatalf("instance %d: Solve says %v, reference %v\n%s", i, got, want, dump(g))
		}
		if got != refOptimal {
			continue
		}
		if res.Cost != wantCost {
			t.Fatalf("instance %d: cost %d, reference %d\n%s", i, res.Cost, wantCost, dump(g))
		}
		if err := checkResult(g, res); err != nil {
			t.Fatalf("instance %d: %v\n%s", i, err, dump(g))
		}
	}
	t.Logf("outcomes: %v", counts)
	for _, s := range []refStatus{refOptimal, refInfeasible, refUnbounded} {
		if counts[s] == 0 {
			t.Errorf("no %v instance generated: the test is not exercising that case", s)
		}
	}
}

func dump(g *mcf.Graph) string {
	var b strings.Builder
	for v := range g.NumNodes() {
		if s := g.Supply(v); s != 0 {
			fmt.Fprintf(&b, "supply %d %d\n", v, s)
		}
	}
	for a := range g.NumArcs() {
		fmt.Fprintf(&b, "arc %+v\n", g.Arc(a))
	}
	return b.String()
}

// TestTreeInvariants checks the threaded spanning tree after every pivot of many small
// random problems, so that a slip in the relinking cannot hide behind a lucky optimum.
func TestTreeInvariants(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range 400 {
		n := 2 + rng.IntN(12)
		g := randomGraph(rng, n, rng.IntN(5*n), 6, -10, 20, 0.1, i%3 != 0)
		if err := mcf.SolveCheckingTree(g); err != nil {
			t.Fatalf("instance %d: %v\n%s", i, err, dump(g))
		}
	}
}
