// Command batchexport matches the children waiting of the benchmark's synthetic England
// (benchmarks.BatchWorld) and writes the final flow in DIMACS format, so that the project's
// solver and LEMON's dimacs-solver can be timed on the very instance the batch solves
// (benchmarks/batch_compare.sh). It prints the match's objective and timings.
//
//	batchexport [-waiting 10000] [-placements 100000] -o FILE
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/placematch/placematch/benchmarks"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

func main() {
	waiting := flag.Int("waiting", 10_000, "children waiting")
	placements := flag.Int("placements", 100_000, "placements")
	out := flag.String("o", "", "DIMACS file to write")
	flag.Parse()
	if err := run(*waiting, *placements, *out); err != nil {
		fmt.Fprintln(os.Stderr, "batchexport:", err)
		os.Exit(1)
	}
}

func run(waiting, placements int, out string) error {
	if out == "" {
		return fmt.Errorf("-o FILE is required")
	}
	w, err := benchmarks.BatchWorld(waiting, placements)
	if err != nil {
		return err
	}
	e := matcher.NewEngineFrom(w.Placements, matcher.Options{})
	reqs := matcher.Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today)
	res, err := e.Match(context.Background(), matcher.MatchRequest{Children: reqs, Policy: catalogue.DefaultPolicy()})
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := res.WriteDIMACS(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("objective %d\nchildren %d\nplacements %d\nmatch_ms %.0f\n", res.Objective, res.Counts.Children, len(w.Placements),
		float64(res.Timings.Total.Microseconds())/1000)
	return nil
}
