package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/placematch/placematch/matcher/mcf"
)

// runSolve solves a DIMACS min-cost flow file with the project's exact solver, so that anyone
// can check it (and a match's exported flow) against standard solvers such as LEMON's
// dimacs-solver.
func runSolve(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "solve", "solve --dimacs FILE [--flow]")
	file := fs.String("dimacs", "", `DIMACS min-cost flow file to solve ("-": standard input)`)
	flow := fs.Bool("flow", false, `also print the flow in DIMACS solution form ("s COST", then "f FROM TO FLOW" for each arc carrying flow)`)
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	if *file == "" {
		fs.Usage()
		return usageError{"solve: --dimacs FILE is required"}
	}
	var r io.Reader = e.stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return fmt.Errorf("solve: %w", err)
		}
		defer f.Close()
		r = f
	}
	g, err := mcf.ReadDIMACS(bufio.NewReaderSize(r, 1<<20))
	if err != nil {
		return fmt.Errorf("solve: %s: %w", *file, err)
	}
	res, err := g.Solve(ctx)
	switch {
	case errors.Is(err, mcf.ErrInfeasible):
		fmt.Fprintln(e.stdout, "infeasible")
		return fmt.Errorf("solve: %s: no flow meets every supply and bound: %w", *file, err)
	case errors.Is(err, mcf.ErrUnbounded):
		fmt.Fprintln(e.stdout, "unbounded")
		return fmt.Errorf("solve: %s: %w", *file, err)
	case err != nil:
		return fmt.Errorf("solve: %s: %w", *file, err)
	}
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	fmt.Fprintf(w, "objective %d\n", res.Cost)
	if *flow {
		if err := mcf.WriteFlow(w, g, res); err != nil {
			return err
		}
	}
	return w.Flush()
}
