package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/placematch/placematch/matcher/mcf"
)

// NETGEN: the classic generator of minimum-cost flow problems, written here from its published
// description (D. Klingman, A. Napier and J. Stutz, "NETGEN: a program for generating large
// scale capacitated assignment, transportation, and minimum cost flow network problems",
// Management Science 20(5), 814-821, 1974), not from any implementation of it. Its instances
// are the standard families of the min-cost flow literature (NETGEN-8, NETGEN-SR, NETGEN-DEG);
// the same parameters give instances of the same kind as the classic C program, not the same
// instances (the random numbers differ).
//
// The construction, as the paper gives it:
//  1. The nodes are the sources (first), the transshipment nodes and the sinks (last). The total
//     supply is shared at random among the sources.
//  2. A skeleton makes every instance feasible: the transshipment nodes are dealt at random to
//     the sources, each source's own forming a chain from it; each source is joined from the
//     nodes of its chain to some of the sinks (every sink to at least one source), and its
//     supply is shared at random among them, which fixes the sinks' demands. A skeleton arc
//     carries at least the flow the skeleton sends over it; HiCost percent of them cost
//     MaxCost (so that the skeleton is not also the cheap way), the rest a random cost.
//  3. The remaining arcs join random nodes (never into a source or out of a sink, except the
//     TSources sources and TSinks sinks that are also transshipment nodes), each with a random
//     cost in [MinCost, MaxCost] and, for Capacitated percent of them, a random capacity in
//     [MinCap, MaxCap]; the others are uncapacitated (the total supply).

// NetgenParams are NETGEN's parameters for one problem.
type NetgenParams struct {
	Nodes, Sources, Sinks int
	Arcs                  int // arcs in all, the skeleton's included
	MinCost, MaxCost      int64
	Supply                int64 // total
	TSources, TSinks      int   // sources (sinks) that may also take (give) flow from (to) other nodes
	HiCost                int   // percent of the skeleton's arcs that cost MaxCost
	Capacitated           int   // percent of the arcs with a capacity in [MinCap, MaxCap]
	MinCap, MaxCap        int64
}

// The standard families (after Király and Kovács, "Efficient implementations of minimum-cost
// flow algorithms", 2012, and LEMON's benchmark suite): costs 1 to 10,000, capacities 1 to 1,000
// on every arc, the skeleton at the maximum cost, no transshipment sources or sinks.

// Netgen8 is a NETGEN-8 problem: n nodes, 8n arcs, sqrt(n) sources and as many sinks, 1,000
// units a source.
func Netgen8(n int) NetgenParams {
	s := int(math.Round(math.Sqrt(float64(n))))
	return family(n, 8*n, s)
}

// NetgenSR is a NETGEN-SR problem: n nodes and n*sqrt(n) arcs (relatively dense), otherwise as
// NETGEN-8.
func NetgenSR(n int) NetgenParams {
	s := int(math.Round(math.Sqrt(float64(n))))
	return family(n, int(math.Round(float64(n)*math.Sqrt(float64(n)))), s)
}

// NetgenDeg is a NETGEN-DEG problem: 4,096 nodes, 64 sources and 64 sinks, and an average
// out-degree of degree.
func NetgenDeg(degree int) NetgenParams { return family(4096, 4096*degree, 64) }

func family(n, m, terminals int) NetgenParams {
	return NetgenParams{Nodes: n, Sources: terminals, Sinks: terminals, Arcs: m, MinCost: 1, MaxCost: 10_000,
		Supply: 1000 * int64(terminals), HiCost: 100, Capacitated: 100, MinCap: 1, MaxCap: 1000}
}

// check says what is wrong with the parameters, or nil.
func (p NetgenParams) check() error {
	switch {
	case p.Sources < 1 || p.Sinks < 1 || p.Sources+p.Sinks > p.Nodes:
		return fmt.Errorf("netgen: %d sources and %d sinks do not fit %d nodes", p.Sources, p.Sinks, p.Nodes)
	case p.Supply < int64(max(p.Sources, p.Sinks)):
		return fmt.Errorf("netgen: a supply of %d cannot give every source and sink a unit", p.Supply)
	case p.MinCost < 0 || p.MaxCost < p.MinCost || p.MinCap < 1 || p.MaxCap < p.MinCap:
		return fmt.Errorf("netgen: costs %d..%d or capacities %d..%d out of order", p.MinCost, p.MaxCost, p.MinCap, p.MaxCap)
	case p.HiCost < 0 || p.HiCost > 100 || p.Capacitated < 0 || p.Capacitated > 100:
		return fmt.Errorf("netgen: percentages must be 0 to 100")
	case p.TSources > p.Sources || p.TSinks > p.Sinks || p.TSources < 0 || p.TSinks < 0:
		return fmt.Errorf("netgen: more transshipment sources or sinks than sources or sinks")
	}
	return nil
}

// Netgen generates the problem of p with the seed given: the same arguments always give the
// same graph. It has at least p.Arcs arcs (more only when the skeleton alone needs more).
func Netgen(p NetgenParams, seed uint64) (*mcf.Graph, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x4e6e))
	n, ns, nt := p.Nodes, p.Sources, p.Sinks
	firstSink := n - nt
	g := mcf.NewGraph(n, max(p.Arcs, n))
	cost := func() int64 { return p.MinCost + rng.Int64N(p.MaxCost-p.MinCost+1) }
	skeletonCost := func() int64 {
		if rng.IntN(100) < p.HiCost {
			return p.MaxCost
		}
		return cost()
	}
	capacity := func() int64 {
		if rng.IntN(100) < p.Capacitated {
			return p.MinCap + rng.Int64N(p.MaxCap-p.MinCap+1)
		}
		return p.Supply
	}

	// 1. The supply, shared at random: every source at least one unit.
	supply := share(rng, p.Supply, ns)
	for s := range ns {
		g.SetSupply(s, supply[s])
	}

	// 2. The skeleton. Chains: each transshipment node dealt to a random source.
	chains := make([][]int, ns)
	for s := range ns {
		chains[s] = []int{s}
	}
	for _, v := range rng.Perm(firstSink - ns) {
		s := rng.IntN(ns)
		chains[s] = append(chains[s], ns+v)
	}
	// Each sink to at least one source (dealt round a shuffled order), and each source to at
	// least one sink; then about as many again at random.
	sinksOf := make([][]int, ns)
	for i, t := range rng.Perm(nt) {
		s := i % ns
		sinksOf[s] = append(sinksOf[s], firstSink+t)
	}
	for s := range ns {
		for range max(1, nt/ns) {
			if t := firstSink + rng.IntN(nt); !slices.Contains(sinksOf[s], t) {
				sinksOf[s] = append(sinksOf[s], t)
			}
		}
	}
	demand := make([]int64, n)
	for s := range ns {
		chain := chains[s]
		for i := 1; i < len(chain); i++ { // the chain carries all the source's supply
			g.AddArc(chain[i-1], chain[i], 0, max(supply[s], capacity()), skeletonCost())
		}
		parts := shareSome(rng, supply[s], len(sinksOf[s]))
		for i, t := range sinksOf[s] {
			if parts[i] == 0 {
				continue
			}
			from := chain[len(chain)-1-rng.IntN((len(chain)+1)/2)] // from the chain's far half
			if len(chain) == 1 {
				from = chain[0]
			}
			// The chain's arcs beyond from carry less than all: they have capacity to spare.
			g.AddArc(from, t, 0, max(parts[i], capacity()), skeletonCost())
			demand[t] += parts[i]
		}
	}
	for t := firstSink; t < n; t++ {
		g.SetSupply(t, -demand[t])
	}

	// 3. The other arcs, between random nodes: none into a pure source or out of a pure sink.
	tails := firstSink + p.TSinks // nodes 0..tails-1 may have arcs out
	headsFrom := ns - p.TSources  // nodes headsFrom..n-1 may have arcs in
	for g.NumArcs() < p.Arcs {
		u := rng.IntN(tails)
		v := headsFrom + rng.IntN(n-headsFrom)
		if u == v {
			continue
		}
		g.AddArc(u, v, 0, capacity(), cost())
	}
	return g, nil
}

// share splits total into k parts of at least 1 at random (k-1 distinct cut points).
func share(rng *rand.Rand, total int64, k int) []int64 {
	cuts := make([]int64, 0, k+1)
	seen := map[int64]bool{}
	for len(cuts) < k-1 {
		c := 1 + rng.Int64N(total-1)
		if !seen[c] {
			seen[c] = true
			cuts = append(cuts, c)
		}
	}
	cuts = append(cuts, 0, total)
	slices.Sort(cuts)
	out := make([]int64, k)
	for i := range k {
		out[i] = cuts[i+1] - cuts[i]
	}
	return out
}

// shareSome splits total into k parts of 0 or more at random.
func shareSome(rng *rand.Rand, total int64, k int) []int64 {
	cuts := make([]int64, k+1)
	for i := 1; i < k; i++ {
		cuts[i] = rng.Int64N(total + 1)
	}
	cuts[k] = total
	slices.Sort(cuts)
	out := make([]int64, k)
	for i := range k {
		out[i] = cuts[i+1] - cuts[i]
	}
	return out
}
