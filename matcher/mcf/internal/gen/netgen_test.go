package gen

import (
	"context"
	"testing"

	"github.com/placematch/placematch/matcher/mcf/internal/ssp"
)

// TestNetgenFamilies: each family's problem has its nodes, arcs, sources and sinks, balanced
// supplies, arcs within the cost and capacity ranges, no arc into a source or out of a sink,
// and is the same for the same seed and different for another.
func TestNetgenFamilies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		p         NetgenParams
		terminals int
		arcs      int
	}{
		{"netgen-8 2^10", Netgen8(1 << 10), 32, 8 << 10},
		{"netgen-sr 2^10", NetgenSR(1 << 10), 32, 32 << 10},
		{"netgen-deg 4", NetgenDeg(4), 64, 4 * 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := Netgen(tc.p, 1)
			if err != nil {
				t.Fatal(err)
			}
			balanced(t, g)
			if g.NumNodes() != tc.p.Nodes || g.NumArcs() != tc.arcs || tc.p.Sources != tc.terminals || tc.p.Sinks != tc.terminals {
				t.Errorf("%d nodes, %d arcs, %d sources, %d sinks", g.NumNodes(), g.NumArcs(), tc.p.Sources, tc.p.Sinks)
			}
			var supply int64
			firstSink := tc.p.Nodes - tc.p.Sinks
			for v := range g.NumNodes() {
				s := g.Supply(v)
				switch {
				case v < tc.p.Sources && s < 1, v >= tc.p.Sources && v < firstSink && s != 0, v >= firstSink && s > 0:
					t.Fatalf("node %d has supply %d", v, s)
				}
				if s > 0 {
					supply += s
				}
			}
			if supply != tc.p.Supply {
				t.Errorf("supply %d, want %d", supply, tc.p.Supply)
			}
			for e := range g.NumArcs() {
				a := g.Arc(e)
				if a.To < tc.p.Sources || a.From >= firstSink || a.From == a.To || a.Cost < 1 || a.Cost > 10_000 || a.Upper < 1 {
					t.Fatalf("arc %+v", a)
				}
			}
			again, _ := Netgen(tc.p, 1)
			other, _ := Netgen(tc.p, 2)
			if !same(g, again) || same(g, other) {
				t.Error("the seed does not decide the graph")
			}
		})
	}
}

// TestNetgenFeasibleAndExact: the skeleton makes every problem feasible, whatever its
// parameters, and the network simplex finds the optimum successive shortest paths finds.
func TestNetgenFeasibleAndExact(t *testing.T) {
	t.Parallel()
	for seed := range uint64(30) {
		p := NetgenParams{Nodes: 60 + int(seed)*7, Sources: 1 + int(seed%5), Sinks: 1 + int(seed%7), Arcs: 200 + int(seed)*20,
			MinCost: int64(seed % 3), MaxCost: 100, Supply: 50 + int64(seed)*13, TSources: int(seed % 2), TSinks: int(seed % 2),
			HiCost: int(seed*7) % 101, Capacitated: int(seed*31) % 101, MinCap: 1, MaxCap: 1 + int64(seed%10)}
		g, err := Netgen(p, seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		want, err := ssp.Solve(context.Background(), g)
		if err != nil {
			t.Fatalf("seed %d: successive shortest paths: %v", seed, err)
		}
		got, err := g.Solve(context.Background())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if got.Cost != want.Cost {
			t.Errorf("seed %d: network simplex %d, successive shortest paths %d", seed, got.Cost, want.Cost)
		}
	}
}

func TestNetgenRefusesBadParameters(t *testing.T) {
	t.Parallel()
	good := Netgen8(256)
	for name, change := range map[string]func(*NetgenParams){
		"too many terminals": func(p *NetgenParams) { p.Sources = 200; p.Sinks = 100 },
		"too little supply":  func(p *NetgenParams) { p.Supply = 3 },
		"costs reversed":     func(p *NetgenParams) { p.MinCost, p.MaxCost = 10, 1 },
		"percent over 100":   func(p *NetgenParams) { p.HiCost = 101 },
		"tsources > sources": func(p *NetgenParams) { p.TSources = p.Sources + 1 },
	} {
		p := good
		change(&p)
		if _, err := Netgen(p, 1); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
