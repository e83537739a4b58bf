// Package placematch is the root of a placement matching and choice optimiser for children in
// care in England. The code lives in its packages:
//
//	catalogue            domain types (standard library only) and the Store interface
//	catalogue/sqlstore   the Store on PostgreSQL and on the embedded default (SQLite)
//	synth      a deterministic, calibrated synthetic England
//	exchange   CSV and JSON import and export (Placements Data Standard v2)
//	scoring              hard constraints, scored factors, weights policy, explanations
//	matcher              candidate search, batch assignment, the catalogue snapshot
//	api                  the HTTP API (Gin behind http.Handler)
//	cmd/placematch       the one binary
//	benchmarks           reproducible benchmarks
//
// This file holds the architecture test (architecture_test.go), which enforces the import rules.
package placematch
