// Package benchmarks holds placematch's reproducible benchmarks: deterministic synthetic
// catalogues (synth with fixed seeds) at realistic sizes, measured with Go's harness, and the
// scripts that compare the solver with LEMON and CBC and load the service with wrk.
//
//	go test ./benchmarks -run '^$' -bench . -benchtime 2000x
package benchmarks
