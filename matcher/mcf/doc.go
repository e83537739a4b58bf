// Package mcf solves minimum-cost flow problems exactly, in integers, for the batch matcher:
// every waiting child supplies two units (a primary and a back-up offer), child->placement
// arcs carry one unit at a cost taken from the match score, placements pass at most their
// vacancies to a sink, and a costly "no offer" arc per child keeps the problem feasible.
//
// Build a Graph with NewGraph, AddArc and SetSupply, then call Solve (or SolveWarm, to start
// from the optimal tree of an earlier, similar graph: see Warm). The Result holds the
// flow on every arc and optimal node potentials (dual prices) that certify it: an arc left
// out of the graph whose reduced cost cost+Potential[from]-Potential[to] is non-negative
// could not have improved the optimum. ReadDIMACS, WriteDIMACS and WriteFlow read and write
// the DIMACS min-cost flow format, so that any answer can be checked with standard solvers.
//
// # Method
//
// Solve uses the primal network simplex method with a big-M start (an artificial root joined
// to every node), the strongly feasible tree rule for the leaving arc (no cycling), LEMON's
// arc mixing, and block search pricing. The spanning tree is a threaded index (parent,
// subtree size, preorder thread, last node of each subtree), so a pivot relinks the tree in
// time proportional to the path it reverses and shifts the potentials of the smaller of the
// two sides it separates. The block size follows the cost of recent pivots, between half and
// twice LEMON's sqrt(m): cheap pivots (a batch match) favour small blocks, dear ones (large
// sparse networks) large blocks; from 16 arcs a node the lower end rises with the density
// (up to 1.5 sqrt(m); see blockFloor, and docs/matching.md for the figures against LEMON on
// the NETGEN families). Nodes without arcs or supply are left out of the tree.
//
// SolveWarm rebuilds an earlier optimal spanning tree on a new graph, through maps of its arcs
// and nodes to the earlier graph's: the tree arcs that remain keep their places (pieces the
// tree falls into hang from the root by artificial arcs), arcs at their upper bound stay
// there, the rest start at zero, and the tree's flows and potentials follow. When that is not
// a feasible tree of the new graph, or pivots run far past what a cold start needs (a
// rebuilt tree need not be strongly feasible), it starts cold. On the batch matcher's
// certification rounds (a few hundred to a few thousand arcs added to some 120,000) a warm
// solve takes 15-20 ms against 50-65 ms cold.
//
// Lower bounds are shifted away; parallel arcs, loops, zero-cost cycles and arcs without an
// upper bound (Infinity) are supported; infeasible and unbounded problems are reported
// (ErrInfeasible, ErrUnbounded), and numbers that could overflow 64-bit arithmetic are
// refused (ErrOverflow) rather than answered wrongly. Solve is deterministic (the same Graph
// gives the same Flow and Potential), checks its context every 1024 pivots, and never
// modifies the Graph.
//
// # Measured
//
// Two methods were written and measured; the faster is Solve. The other, successive shortest
// paths with potentials (Dijkstra on reduced costs with a 4-ary heap, searching backwards
// from the deficits so that every source gets its shortest path in each phase, and a Dinic
// blocking flow on the arcs of zero reduced cost), lives in internal/ssp and is kept as an
// independent cross-check in the tests. Wall-clock milliseconds for the solve alone (file
// reading excluded; for LEMON 1.3.1 dimacs-solver, its setup plus run), best of three, on a
// shared 2-core machine, from benchmarks/mcf_compare.sh; the objectives of all three agree,
// and match the planted optima:
//
//	instance                          nodes      arcs    LEMON  simplex  ratio      ssp
//	batch (10,000 x 100,000, K=20)  110,001   217,304      298       84   0.28    4,827
//	batch without full placements    17,305   217,304       97       75   0.77    4,566
//	sparse random (NETGEN-like)     100,000 1,000,000   24,638   23,100   0.94  >120,000
//	planted assignment n=1000         2,000 1,000,000      153      141   0.92   41,573
//	planted assignment n=5000        10,000 1,000,000    1,612    1,605   1.00  101,844
//
// The successive-shortest-path method needs a phase for every distinct shortest-path length
// that some source still waits on: few phases for the batch (64), but one or two augmentations
// per phase when many rows want the same cheapest columns, as in dense assignment.
//
// Memory: a Graph holds 32 bytes per arc and 8 per node; Solve allocates about 45 bytes per
// arc (its arc arrays in mixed order, 37 bytes, and Result.Flow, 8) plus about 100 bytes per
// node: 62 bytes per arc in all on the batch instance, 55 on the sparse one, and no memory
// per arc beyond these arrays.
package mcf
