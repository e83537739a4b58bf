// Package scoring decides whether a placement may be offered to a child and how well it meets
// the child's needs. It is pure: no I/O, no clock, no randomness. The matcher calls it for every
// candidate of every child, so the request is prepared once (Prepare) and each placement is then
// checked (Check: the hard constraints of DESIGN.md section 4, each with a named, countable
// reason) and scored (Score: ten factors, each 0..1 with a weight and a sentence a social worker
// could read aloud).
//
// Weights come from a versioned Policy with documented defaults, per-council overrides and the
// child's own priorities, which raise what matters to them within bounds. Cost is one visible,
// capped factor and never the decider: Rank lets cost reorder two options only when their
// quality (the score without cost) is within the policy's margin.
//
// Distances are great-circle distances on the S2 sphere, "as the crow flies", until travel times
// are available.
package scoring
