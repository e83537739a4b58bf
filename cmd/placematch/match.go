package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

// runMatch runs a joint match of the children waiting in the store, stores it as a match run,
// and prints a summary; optionally it exports the final flow (DIMACS, for placematch solve or
// LEMON) and the exact integer programme (LP, for CBC).
func runMatch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "match", "match [--council GSS | --region GSS] [options]")
	var sf storeFlags
	sf.register(fs, e)
	council := fs.String("council", "", "match one council's children waiting (ONS code); default every child waiting in England")
	region := fs.String("region", "", "match the children waiting in one region (ONS code E12000001 to E12000009)")
	topK := fs.Int("top-k", 0, fmt.Sprintf("candidates per child in the first flow (default %d; certification widens it where it matters)", matcher.DefaultK))
	dimacs := fs.String("dimacs", "", "write the final flow to this file in DIMACS format (check it with placematch solve or LEMON's dimacs-solver)")
	lp := fs.String("lp", "", "write the exact integer programme over every candidate found to this file in LP format (for CBC)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	log := newLogger(e, e.stderr)
	store, err := sf.open(ctx, e, log)
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := newRuns(store, log, func(ctx context.Context) (*matcher.Engine, error) {
		return matcher.NewEngine(ctx, store, matcher.Options{Logger: log, Now: e.now})
	}, nil)
	if err != nil {
		return err
	}
	defer svc.Close()
	if _, err := svc.FailInterrupted(ctx); err != nil {
		return err
	}
	p := casework.RunParams{Council: catalogue.CouncilCode(*council), Region: catalogue.RegionCode(*region), K: *topK}
	if *dimacs != "" || *lp != "" {
		p.OnResult = func(res *matcher.MatchResult) error {
			if *dimacs != "" {
				if err := writeTo(*dimacs, res.WriteDIMACS); err != nil {
					return err
				}
			}
			if *lp != "" {
				return writeTo(*lp, res.WriteLP)
			}
			return nil
		}
	}
	var w io.Writer = e.stderr
	if *quiet {
		w = nil
	}
	bar := newProgressBar(w, "")
	show := func(r catalogue.MatchRun) {
		if r.Stage != "" {
			bar.stage(r.Stage, r.Done, r.Total)
		}
	}
	// The command line acts as the system itself in the audit log, with every child in view.
	run, err := svc.Run(ctx, catalogue.Principal{Role: catalogue.RoleAdmin}, p, show)
	bar.done()
	if err != nil {
		if fe := catalogue.FieldErrors(err); fe != nil {
			return usageError{fmt.Sprintf("match: %v", err)}
		}
		return fmt.Errorf("match: %w", err)
	}
	printRunSummary(e.stdout, run)
	if *dimacs != "" {
		fmt.Fprintf(e.stdout, "final flow written to %s: placematch solve --dimacs %s prints objective %d\n", *dimacs, *dimacs, run.Objective)
	}
	if *lp != "" {
		fmt.Fprintf(e.stdout, "integer programme written to %s (cbc %s solve)\n", *lp, *lp)
	}
	return nil
}

func writeTo(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printRunSummary(w io.Writer, r catalogue.MatchRun) {
	scope := "England"
	switch {
	case r.Council != "":
		scope = string(r.Council)
		if c, ok := catalogue.CouncilByCode(r.Council); ok {
			scope = c.Name
		}
	case r.Region != "":
		scope = string(r.Region)
	}
	pct := func(n int) string {
		if r.Children == 0 {
			return ""
		}
		return fmt.Sprintf(" (%.1f%%)", 100*float64(n)/float64(r.Children))
	}
	fmt.Fprintf(w, "match run %d (%s) %s in %.2f s\n", r.ID, scope, r.Status, r.Timings.Total.Seconds())
	fmt.Fprintf(w, "  children waiting     %d\n", r.Children)
	fmt.Fprintf(w, "  offered two          %d%s\n", r.Offered, pct(r.Offered))
	fmt.Fprintf(w, "  offered one          %d%s\n", r.OfferedOne, pct(r.OfferedOne))
	fmt.Fprintf(w, "  offered none         %d%s\n", r.OfferedNone, pct(r.OfferedNone))
	fmt.Fprintf(w, "  sibling groups planned together %d: kept together %d, split %d (no household could take them together), without an offer %d\n",
		r.GroupsPlanned, r.GroupsTogether, r.GroupsSplit, r.GroupsWithout)
	gap := 0.0
	if r.LowerBound > 0 {
		gap = 100 * float64(r.Objective-r.LowerBound) / float64(r.LowerBound)
	}
	fmt.Fprintf(w, "  objective %d, lower bound %d: within %.4f%% of the best possible\n", r.Objective, r.LowerBound, gap)
	fmt.Fprintf(w, "  children whose candidates were widened %d; flows solved %d\n", r.Widened, r.Solves)
	t := r.Timings
	fmt.Fprintf(w, "  time: search %.2f s, flow %.2f s, sibling groups %.2f s, explanations %.2f s, saving %.2f s\n",
		t.Search.Seconds(), t.Flow.Seconds(), t.Groups.Seconds(), t.Explain.Seconds(), t.Save.Seconds())
	fmt.Fprintf(w, "  results: GET /v1/match-runs/%d/results\n", r.ID)
}
