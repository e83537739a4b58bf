package mcf_test

import (
	"errors"
	"fmt"
	"github.com/placematch/placematch/matcher/mcf"
	"math/rand/v2"
)

// checkResult reports the first way in which r fails to be an optimal solution of g: a flow
// outside its bounds, a node whose flow does not balance its supply, a cost that does not
// match the flow, or a potential that breaks complementary slackness.
func checkResult(g *mcf.Graph, r mcf.Result) error {
	n, m := g.NumNodes(), g.NumArcs()
	if len(r.Flow) != m || len(r.Potential) != n {
		return fmt.Errorf("result sized %d flows, %d potentials; want %d, %d", len(r.Flow), len(r.Potential), m, n)
	}
	bal := make([]int64, n)
	var cost int64
	for a := range m {
		arc, f := g.Arc(a), r.Flow[a]
		if f < arc.Lower || f > arc.Upper {
			return fmt.Errorf("arc %d %+v: flow %d outside its bounds", a, arc, f)
		}
		bal[arc.From] += f
		bal[arc.To] -= f
		cost += f * arc.Cost
		rc := arc.Cost + r.Potential[arc.From] - r.Potential[arc.To]
		if f < arc.Upper && rc < 0 {
			return fmt.Errorf("arc %d %+v: flow %d below upper bound but reduced cost %d < 0", a, arc, f, rc)
		}
		if f > arc.Lower && rc > 0 {
			return fmt.Errorf("arc %d %+v: flow %d above lower bound but reduced cost %d > 0", a, arc, f, rc)
		}
	}
	for v := range n {
		if bal[v] != g.Supply(v) {
			return fmt.Errorf("node %d: net outflow %d, supply %d", v, bal[v], g.Supply(v))
		}
	}
	if cost != r.Cost {
		return fmt.Errorf("cost %d, but the flow costs %d", r.Cost, cost)
	}
	return nil
}

// refStatus is the outcome of a reference solve.
type refStatus int

const (
	refOptimal refStatus = iota
	refInfeasible
	refUnbounded
	refEither // infeasible, with a negative cycle without capacity limit: either error is right
)

func infeasible(negInf bool) refStatus {
	if negInf {
		return refEither
	}
	return refInfeasible
}

func (s refStatus) String() string {
	return [...]string{"optimal", "infeasible", "unbounded", "infeasible or unbounded"}[s]
}

func statusOf(err error) (refStatus, error) {
	switch {
	case err == nil:
		return refOptimal, nil
	case errors.Is(err, mcf.ErrInfeasible):
		return refInfeasible, nil
	case errors.Is(err, mcf.ErrUnbounded):
		return refUnbounded, nil
	}
	return 0, err
}

// cycleCancel is a deliberately simple, independent reference solver for small graphs: a
// feasible flow by Edmonds-Karp max flow from a super source, then Bellman-Ford negative
// cycle cancelling on the residual graph. Arcs without an upper bound are capped at the sum
// of all supplies and finite capacities, which an optimal basic flow never exceeds, after a
// Bellman-Ford check for a negative cycle among them (unbounded if the problem is feasible).
func cycleCancel(g *mcf.Graph) (int64, refStatus) {
	n, m := g.NumNodes(), g.NumArcs()
	b := make([]int64, n)
	for v := range n {
		b[v] = g.Supply(v)
	}
	var big int64 = 1
	for a := range m {
		arc := g.Arc(a)
		b[arc.From] -= arc.Lower
		b[arc.To] += arc.Lower
		if arc.Upper != mcf.Infinity {
			big += arc.Upper - arc.Lower
		}
	}
	// A negative cycle among arcs without upper bound makes a feasible problem unbounded.
	negInf := false
	{
		dist := make([]int64, n)
		changed := true
		for it := 0; it <= n && changed; it++ {
			changed = false
			for a := range m {
				arc := g.Arc(a)
				if arc.Upper == mcf.Infinity && dist[arc.From]+arc.Cost < dist[arc.To] {
					dist[arc.To] = dist[arc.From] + arc.Cost
					changed = true
				}
			}
		}
		negInf = changed
	}
	var sum int64
	for _, x := range b {
		sum += x
		big += max(x, -x)
	}
	if sum != 0 {
		return 0, infeasible(negInf)
	}
	// Residual arcs: 2a forward, 2a+1 backward; then super source/sink arcs.
	type rarc struct {
		from, to int
		capa     int64
		cost     int64
	}
	var arcs []rarc
	for a := range m {
		arc := g.Arc(a)
		c := arc.Upper - arc.Lower
		if arc.Upper == mcf.Infinity {
			c = big
		}
		arcs = append(arcs, rarc{arc.From, arc.To, c, arc.Cost}, rarc{arc.To, arc.From, 0, -arc.Cost})
	}
	s, t := n, n+1
	var need int64
	for v := range n {
		if b[v] > 0 {
			arcs = append(arcs, rarc{s, v, b[v], 0}, rarc{v, s, 0, 0})
			need += b[v]
		} else if b[v] < 0 {
			arcs = append(arcs, rarc{v, t, -b[v], 0}, rarc{t, v, 0, 0})
		}
	}
	push := func(i int, d int64) {
		arcs[i].capa -= d
		arcs[i^1].capa += d
	}
	// Edmonds-Karp.
	for need > 0 {
		prevArc := make([]int, n+2)
		for i := range prevArc {
			prevArc[i] = -1
		}
		seen := make([]bool, n+2)
		seen[s] = true
		queue := []int{s}
		for len(queue) > 0 && !seen[t] {
			u := queue[0]
			queue = queue[1:]
			for i, r := range arcs {
				if r.from == u && r.capa > 0 && !seen[r.to] {
					seen[r.to] = true
					prevArc[r.to] = i
					queue = append(queue, r.to)
				}
			}
		}
		if !seen[t] {
			return 0, infeasible(negInf)
		}
		d := need
		for v := t; v != s; v = arcs[prevArc[v]].from {
			d = min(d, arcs[prevArc[v]].capa)
		}
		for v := t; v != s; v = arcs[prevArc[v]].from {
			push(prevArc[v], d)
		}
		need -= d
	}
	arcs = arcs[:2*m]
	if negInf {
		return 0, refUnbounded
	}
	// Cancel negative cycles.
	for {
		dist := make([]int64, n)
		prevArc := make([]int, n)
		for i := range prevArc {
			prevArc[i] = -1
		}
		last := -1
		for it := 0; it < n; it++ {
			last = -1
			for i, r := range arcs {
				if r.capa > 0 && dist[r.from]+r.cost < dist[r.to] {
					dist[r.to] = dist[r.from] + r.cost
					prevArc[r.to] = i
					last = r.to
				}
			}
		}
		if last < 0 {
			break
		}
		// Walk back n steps to land on the cycle.
		v := last
		for range n {
			v = arcs[prevArc[v]].from
		}
		d := int64(1) << 62
		for u := v; ; {
			r := arcs[prevArc[u]]
			d = min(d, r.capa)
			if u = r.from; u == v {
				break
			}
		}
		for u := v; ; {
			i := prevArc[u]
			push(i, d)
			if u = arcs[i].from; u == v {
				break
			}
		}
	}
	var cost int64
	for a := range m {
		arc := g.Arc(a)
		cost += (arc.Lower + arcs[2*a+1].capa) * arc.Cost
	}
	return cost, refOptimal
}

// bruteForce enumerates every integer flow of a tiny graph with finite bounds.
func bruteForce(g *mcf.Graph) (int64, refStatus) {
	n, m := g.NumNodes(), g.NumArcs()
	flow := make([]int64, m)
	best, found := int64(0), false
	var rec func(a int)
	rec = func(a int) {
		if a == m {
			bal := make([]int64, n)
			var cost int64
			for i := range m {
				arc := g.Arc(i)
				bal[arc.From] += flow[i]
				bal[arc.To] -= flow[i]
				cost += flow[i] * arc.Cost
			}
			for v := range n {
				if bal[v] != g.Supply(v) {
					return
				}
			}
			if !found || cost < best {
				best, found = cost, true
			}
			return
		}
		arc := g.Arc(a)
		for f := arc.Lower; f <= arc.Upper; f++ {
			flow[a] = f
			rec(a + 1)
		}
	}
	rec(0)
	if !found {
		return 0, refInfeasible
	}
	return best, refOptimal
}

// randomGraph returns a small random problem. With planted true the supplies come from a
// random flow within the bounds, so the problem is feasible; otherwise they are random and
// balanced, and often infeasible. infProb is the chance that an arc has no upper bound.
func randomGraph(rng *rand.Rand, n, m int, maxCap, minCost, maxCost int64, infProb float64, planted bool) *mcf.Graph {
	g := mcf.NewGraph(n, m)
	net := make([]int64, n)
	for range m {
		u, v := rng.IntN(n), rng.IntN(n)
		lo := int64(0)
		if rng.IntN(4) == 0 {
			lo = rng.Int64N(2)
		}
		up := lo + rng.Int64N(maxCap+1)
		f := lo + rng.Int64N(up-lo+1)
		if rng.Float64() < infProb {
			up = mcf.Infinity
		}
		c := minCost + rng.Int64N(maxCost-minCost+1)
		g.AddArc(u, v, lo, up, c)
		net[u] += f
		net[v] -= f
	}
	if planted {
		for v := range n {
			g.SetSupply(v, net[v])
		}
		return g
	}
	var sum int64
	for v := range n - 1 {
		s := rng.Int64N(2*maxCap+1) - maxCap
		g.SetSupply(v, s)
		sum += s
	}
	g.SetSupply(n-1, -sum)
	return g
}
