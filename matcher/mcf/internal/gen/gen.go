// Package gen generates deterministic min-cost flow instances for the solver's tests,
// benchmarks and its comparison with LEMON: batch-shaped matching problems, sparse random
// networks, and assignment problems with a planted optimum. The same arguments always give
// the same graph (math/rand/v2 PCG with the seed given).
package gen

import (
	"math/rand/v2"

	"github.com/placematch/placematch/matcher/mcf"
)

// NoOfferPenalty is the cost per unit of a batch instance's "no offer" arcs.
const NoOfferPenalty = 100_000

// Batch returns a problem shaped like the batch matcher's: children nodes 0..children-1
// each supply 2 units (a primary and a back-up offer), placement nodes follow, and the last
// node is the sink. About 1.5 vacancies per child are spread over the placements (each
// vacant placement has 1 to 3), so about a quarter of the offers cannot be made. Each child
// has arcs of capacity 1 to k distinct vacant placements costing base(placement) +
// noise(child, placement), in 0..1000; each vacant placement has an arc to the sink with its
// vacancies as capacity; each child has a "no offer" arc to the sink of capacity 2 costing
// NoOfferPenalty. Placements without vacancies stay in the graph without arcs, as a
// catalogue would hold them.
func Batch(children, placements, k int, seed uint64) *mcf.Graph {
	rng := rand.New(rand.NewPCG(seed, 0xba7c4))
	pVacant := min(1, 1.5*float64(children)/(2*float64(placements)))
	vac := make([]int64, placements)
	base := make([]int64, placements)
	var vacant []int
	for p := range placements {
		base[p] = rng.Int64N(501)
		if rng.Float64() < pVacant {
			vac[p] = 1 + rng.Int64N(3)
			vacant = append(vacant, p)
		}
	}
	k = min(k, len(vacant))
	sink := children + placements
	g := mcf.NewGraph(children+placements+1, children*(k+1)+len(vacant))
	chosen := make([]int, 0, k)
	for c := range children {
		g.SetSupply(c, 2)
		chosen = chosen[:0]
		for len(chosen) < k {
			p := vacant[rng.IntN(len(vacant))]
			if contains(chosen, p) {
				continue
			}
			chosen = append(chosen, p)
			g.AddArc(c, children+p, 0, 1, base[p]+rng.Int64N(501))
		}
		g.AddArc(c, sink, 0, 2, NoOfferPenalty)
	}
	for _, p := range vacant {
		g.AddArc(children+p, sink, 0, vac[p], 0)
	}
	g.SetSupply(sink, -2*int64(children))
	return g
}

func contains(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// Sparse returns a random network in the style of NETGEN: nodes/100 sources and as many
// sinks of 1000 units each, a Hamiltonian cycle of uncapacitated arcs of cost 1000 that makes
// every instance feasible, and random further arcs (arcs in all) with capacities 1..100 and
// costs 0..1000.
func Sparse(nodes, arcs int, seed uint64) *mcf.Graph {
	rng := rand.New(rand.NewPCG(seed, 0x5ba25e))
	g := mcf.NewGraph(nodes, arcs)
	perm := rng.Perm(nodes)
	terminals := max(1, nodes/100)
	for i := range terminals {
		g.SetSupply(perm[i], 1000)
		g.SetSupply(perm[nodes-1-i], -1000)
	}
	cycle := rng.Perm(nodes)
	for i := range min(nodes, arcs) {
		g.AddArc(cycle[i], cycle[(i+1)%nodes], 0, mcf.Infinity, 1000)
	}
	for g.NumArcs() < arcs {
		u, v := rng.IntN(nodes), rng.IntN(nodes)
		if u == v {
			continue
		}
		g.AddArc(u, v, 0, 1+rng.Int64N(100), rng.Int64N(1001))
	}
	return g
}

// Assignment is an assignment problem with a planted optimal solution.
type Assignment struct {
	Graph   *mcf.Graph
	Optimum int64
	// Planted[i] is the column given to row i by the planted solution; it is the only
	// optimum when the instance was made with minSlack >= 1.
	Planted []int
}

// PlantedAssignment returns an n x n assignment problem (rows 0..n-1 supply 1, columns
// n..2n-1 demand 1, arcs of capacity 1) with degree arcs per row (all n when degree >= n)
// whose optimum is known: with random row and column prices u and v and a random
// permutation, the permutation's arcs cost u[i]+v[j] and every other arc costs
// u[i]+v[j]+slack with slack in [minSlack, 100]. The prices are then a feasible dual
// solution tight on the permutation, so the permutation is optimal with cost sum(u)+sum(v),
// and the only optimum when minSlack >= 1.
func PlantedAssignment(n, degree int, minSlack int64, seed uint64) Assignment {
	rng := rand.New(rand.NewPCG(seed, 0xa551))
	degree = min(max(degree, 1), n)
	u := make([]int64, n)
	v := make([]int64, n)
	var opt int64
	for i := range n {
		u[i] = rng.Int64N(1000)
		v[i] = rng.Int64N(1000)
		opt += u[i] + v[i]
	}
	perm := rng.Perm(n)
	g := mcf.NewGraph(2*n, n*degree)
	for i := range n {
		g.SetSupply(i, 1)
		g.SetSupply(n+i, -1)
	}
	slack := func() int64 { return minSlack + rng.Int64N(100-minSlack+1) }
	cols := make([]int, 0, degree)
	for i := range n {
		if degree == n {
			for j := range n {
				c := u[i] + v[j]
				if j != perm[i] {
					c += slack()
				}
				g.AddArc(i, n+j, 0, 1, c)
			}
			continue
		}
		cols = append(cols[:0], perm[i])
		for len(cols) < degree {
			if j := rng.IntN(n); !contains(cols, j) {
				cols = append(cols, j)
			}
		}
		rng.Shuffle(len(cols), func(a, b int) { cols[a], cols[b] = cols[b], cols[a] })
		for _, j := range cols {
			c := u[i] + v[j]
			if j != perm[i] {
				c += slack()
			}
			g.AddArc(i, n+j, 0, 1, c)
		}
	}
	return Assignment{Graph: g, Optimum: opt, Planted: perm}
}

// DropIsolated returns a copy of g without the nodes that have neither arcs nor supply
// (for a batch instance, the placements without vacancies), numbering the others in order.
func DropIsolated(g *mcf.Graph) *mcf.Graph {
	keep := make([]int, g.NumNodes())
	for v := range keep {
		if g.Supply(v) != 0 {
			keep[v] = 1
		}
	}
	for e := range g.NumArcs() {
		a := g.Arc(e)
		keep[a.From], keep[a.To] = 1, 1
	}
	n := 0
	for v, k := range keep {
		if k != 0 {
			keep[v] = n
			n++
		} else {
			keep[v] = -1
		}
	}
	h := mcf.NewGraph(n, g.NumArcs())
	for v, u := range keep {
		if u >= 0 {
			h.SetSupply(u, g.Supply(v))
		}
	}
	for e := range g.NumArcs() {
		a := g.Arc(e)
		h.AddArc(keep[a.From], keep[a.To], a.Lower, a.Upper, a.Cost)
	}
	return h
}
