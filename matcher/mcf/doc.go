// Package mcf solves minimum-cost flow problems exactly, in integers, for the batch matcher:
// every waiting child supplies two units (a primary and a back-up offer), child->placement
// arcs carry one unit at a cost taken from the match score, placements pass at most their
// vacancies to a sink, and a costly "no offer" arc per child keeps the problem feasible.
//
// Solve uses the primal network simplex method with the block search pivot rule and a
// strongly feasible spanning tree (the method LEMON uses by default), started from a big-M
// tree of artificial arcs. It supports lower bounds (shifted away), parallel arcs, loops,
// zero-cost cycles and arcs without an upper bound, detects infeasible and unbounded
// problems, and refuses (ErrOverflow) numbers that could overflow 64-bit arithmetic rather
// than return a wrong answer. It is deterministic: the same Graph gives the same Flow and
// Potential. ReadDIMACS and WriteDIMACS read and write the DIMACS min-cost flow format, so
// that any answer can be checked against standard solvers.
package mcf
