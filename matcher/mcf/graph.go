package mcf

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Infinity as an arc's upper bound means the arc has no capacity limit. It is also how
// ReadDIMACS reads a capacity of -1, the convention of LEMON's DIMACS reader.
const Infinity int64 = math.MaxInt64

// Errors returned by Solve. They are wrapped with detail; test with errors.Is.
var (
	// ErrInfeasible: no flow meets every supply, demand and bound (for example the supplies
	// do not sum to zero, or a demand cannot be reached).
	ErrInfeasible = errors.New("mcf: infeasible")
	// ErrUnbounded: a cycle of negative total cost made of arcs without an upper bound lets
	// the cost fall without limit. When a problem is both infeasible and has such a cycle,
	// either error may be returned.
	ErrUnbounded = errors.New("mcf: unbounded")
	// ErrOverflow: costs, capacities or supplies are so large that an exact answer could
	// exceed 64-bit integer arithmetic. Nothing is returned rather than a wrong answer.
	ErrOverflow = errors.New("mcf: numbers too large for exact 64-bit arithmetic")
)

// Graph is a min-cost flow problem: nodes with supplies and arcs with lower and upper bounds
// and a cost per unit of flow. It is stored as parallel slices (no per-arc allocation), built
// once and solved once or more; Solve does not modify it. Nodes are numbered 0..NumNodes()-1
// and arcs 0..NumArcs()-1 in the order they were added.
//
// A Graph is not safe for concurrent modification; concurrent Solve calls on an unmodified
// Graph are safe.
type Graph struct {
	supply []int64
	from   []int32
	to     []int32
	lower  []int64
	upper  []int64
	cost   []int64
}

// Arc describes one arc of a Graph.
type Arc struct {
	From, To     int
	Lower, Upper int64 // Upper may be Infinity
	Cost         int64
}

// Result is an optimal solution.
type Result struct {
	// Cost is the total cost, the sum over arcs of Flow times cost.
	Cost int64
	// Flow is the flow on each arc, indexed like the arcs of the Graph.
	Flow []int64
	// Potential is an optimal dual price for each node. With the reduced cost of an arc
	// defined as cost + Potential[from] - Potential[to], every arc whose flow is below its
	// upper bound has reduced cost >= 0 and every arc whose flow is above its lower bound has
	// reduced cost <= 0 (complementary slackness), which certifies that Flow is optimal. An
	// arc added later with reduced cost >= 0 cannot improve the optimum. Prices are not
	// unique: a node whose price the optimum does not pin down (for example a source whose
	// arcs are all saturated) may carry any value that keeps the conditions true.
	Potential []int64

	basis *basis // the optimal spanning tree, for a warm start (SolveWarm)
}

// NewGraph returns an empty problem with the given number of nodes, with room for arcsHint
// arcs before the arc slices grow. It panics if nodes is negative or too large for 32-bit
// node indices.
func NewGraph(nodes, arcsHint int) *Graph {
	if nodes < 0 || nodes > maxNodes {
		panic(fmt.Sprintf("mcf: NewGraph: %d nodes out of range [0, %d]", nodes, maxNodes))
	}
	arcsHint = max(arcsHint, 0)
	return &Graph{
		supply: make([]int64, nodes),
		from:   make([]int32, 0, arcsHint),
		to:     make([]int32, 0, arcsHint),
		lower:  make([]int64, 0, arcsHint),
		upper:  make([]int64, 0, arcsHint),
		cost:   make([]int64, 0, arcsHint),
	}
}

// maxNodes and maxArcs keep every node and arc index, including the solver's artificial ones,
// within int32.
const (
	maxNodes = 1 << 30
	maxArcs  = math.MaxInt32 - maxNodes - 2
)

// AddArc adds an arc from one node to another carrying between lower and upper units of flow
// (upper may be Infinity) at cost per unit, and returns its index. Parallel arcs and loops
// are allowed. It panics on a node out of range, a negative lower bound or upper < lower:
// those are programming errors (ReadDIMACS reports them in files as errors).
func (g *Graph) AddArc(from, to int, lower, upper, cost int64) int {
	n := len(g.supply)
	if from < 0 || from >= n || to < 0 || to >= n {
		panic(fmt.Sprintf("mcf: AddArc(%d, %d): node out of range [0, %d)", from, to, n))
	}
	if lower < 0 || upper < lower {
		panic(fmt.Sprintf("mcf: AddArc(%d, %d): bounds [%d, %d] invalid", from, to, lower, upper))
	}
	if len(g.from) >= maxArcs {
		panic("mcf: AddArc: too many arcs")
	}
	g.from = append(g.from, int32(from))
	g.to = append(g.to, int32(to))
	g.lower = append(g.lower, lower)
	g.upper = append(g.upper, upper)
	g.cost = append(g.cost, cost)
	return len(g.from) - 1
}

// SetSupply sets a node's supply: positive for a source, negative for a sink (a demand),
// zero for a transit node. Supplies must sum to zero for a problem to be feasible.
func (g *Graph) SetSupply(node int, supply int64) {
	g.supply[node] = supply
}

// NumNodes returns the number of nodes.
func (g *Graph) NumNodes() int { return len(g.supply) }

// NumArcs returns the number of arcs.
func (g *Graph) NumArcs() int { return len(g.from) }

// Supply returns a node's supply.
func (g *Graph) Supply(node int) int64 { return g.supply[node] }

// Arc returns arc a.
func (g *Graph) Arc(a int) Arc {
	return Arc{
		From:  int(g.from[a]),
		To:    int(g.to[a]),
		Lower: g.lower[a],
		Upper: g.upper[a],
		Cost:  g.cost[a],
	}
}

// Solve finds a minimum-cost flow with the primal network simplex method (see the package
// documentation). It returns an error wrapping ErrInfeasible, ErrUnbounded or ErrOverflow, or
// the context's error if ctx is cancelled. The same Graph always gives the same Flow and
// Potential, not only the same Cost.
func (g *Graph) Solve(ctx context.Context) (Result, error) {
	if err := g.checkRange(); err != nil {
		return Result{}, err
	}
	return solveSimplex(ctx, g)
}

// checkRange makes sure that every number the solver forms fits in an int64 with room to
// spare: supplies and their sum, flows, node potentials (sums of up to n costs plus an
// artificial cost of (n+1)(maxCost+1)), and the objective.
func (g *Graph) checkRange() error {
	const limit = 1 << 60
	var (
		absSum  uint64 // sum of |transformed supply|, saturating
		capSum  uint64 // sum of finite transformed capacities, saturating
		maxCost uint64
	)
	b := make([]int64, len(g.supply))
	copy(b, g.supply)
	for _, s := range g.supply {
		if s > limit || s < -limit {
			return fmt.Errorf("%w: supply %d", ErrOverflow, s)
		}
	}
	for a := range g.from {
		lo, up, c := g.lower[a], g.upper[a], g.cost[a]
		if lo > limit || (up != Infinity && up > limit) || c > limit || c < -limit {
			return fmt.Errorf("%w: arc %d", ErrOverflow, a)
		}
		if lo != 0 {
			b[g.from[a]] -= lo
			b[g.to[a]] += lo
			if b[g.from[a]] < -limit || b[g.to[a]] > limit {
				return fmt.Errorf("%w: lower bounds at arc %d", ErrOverflow, a)
			}
		}
		if up != Infinity {
			capSum = satAdd(capSum, uint64(up-lo))
		}
		maxCost = max(maxCost, absU(c))
	}
	for _, s := range b {
		absSum = satAdd(absSum, absU(s))
	}
	// flowBound bounds the flow on any arc of a basic solution, and the artificial flows.
	flowBound := satAdd(absSum, capSum)
	if flowBound > limit {
		return fmt.Errorf("%w: total supply and capacity exceed 2^60", ErrOverflow)
	}
	n := uint64(len(g.supply)) + 1
	art := satMul(maxCost+1, n)
	if satMul(art, 4) > limit {
		return fmt.Errorf("%w: largest cost times node count exceeds 2^58", ErrOverflow)
	}
	var obj uint64
	for a := range g.from {
		f := flowBound
		if g.upper[a] != Infinity {
			f = min(f, uint64(g.upper[a]-g.lower[a]))
		}
		f = satAdd(f, uint64(g.lower[a]))
		obj = satAdd(obj, satMul(absU(g.cost[a]), f))
	}
	if obj > limit {
		return fmt.Errorf("%w: the objective could exceed 2^60", ErrOverflow)
	}
	return nil
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

func satMul(a, b uint64) uint64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxUint64/b {
		return math.MaxUint64
	}
	return a * b
}
