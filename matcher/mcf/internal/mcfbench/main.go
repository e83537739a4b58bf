// Command mcfbench generates the min-cost flow instances used to compare the solver with
// LEMON, and solves DIMACS files with either of the project's algorithms, printing the
// objective and the time taken. benchmarks/mcf_compare.sh drives it.
//
//	mcfbench gen -family batch|sparse|assign|netgen8|netgensr|netgendeg [-n N] [-m M] [-k K] [-seed S] [-compact] -o FILE
//	mcfbench solve [-algo simplex|ssp] [-flow] FILE
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/placematch/placematch/matcher/mcf"
	"github.com/placematch/placematch/matcher/mcf/internal/gen"
	"github.com/placematch/placematch/matcher/mcf/internal/ssp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mcfbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: mcfbench gen|solve [options]")
	}
	switch args[0] {
	case "gen":
		return runGen(args[1:], stdout)
	case "solve":
		return runSolve(ctx, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q (want gen or solve)", args[0])
}

func runGen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	family := fs.String("family", "batch", "batch, sparse, assign, or a NETGEN family: netgen8, netgensr, netgendeg")
	n := fs.Int("n", 0, "children (batch), nodes (sparse, netgen8, netgensr) or rows (assign); 0: the family's default")
	m := fs.Int("m", 0, "placements (batch), arcs (sparse), arcs per row (assign) or the average out-degree (netgendeg); 0: default")
	k := fs.Int("k", 20, "candidate arcs per child (batch)")
	seed := fs.Uint64("seed", 1, "random seed")
	compact := fs.Bool("compact", false, "drop nodes without arcs or supply (batch: placements without vacancies)")
	out := fs.String("o", "", "output file (default standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var g *mcf.Graph
	switch *family {
	case "batch":
		g = gen.Batch(orDefault(*n, 10_000), orDefault(*m, 100_000), *k, *seed)
	case "sparse":
		g = gen.Sparse(orDefault(*n, 100_000), orDefault(*m, 1_000_000), *seed)
	case "assign":
		rows := orDefault(*n, 1000)
		a := gen.PlantedAssignment(rows, orDefault(*m, rows), 0, *seed)
		g = a.Graph
		fmt.Fprintf(os.Stderr, "planted optimum %d\n", a.Optimum)
	case "netgen8", "netgensr", "netgendeg":
		p := map[string]func() gen.NetgenParams{
			"netgen8":   func() gen.NetgenParams { return gen.Netgen8(orDefault(*n, 1<<12)) },
			"netgensr":  func() gen.NetgenParams { return gen.NetgenSR(orDefault(*n, 1<<10)) },
			"netgendeg": func() gen.NetgenParams { return gen.NetgenDeg(orDefault(*m, 8)) },
		}[*family]()
		var err error
		if g, err = gen.Netgen(p, *seed); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown family %q", *family)
	}
	if *compact {
		g = gen.DropIsolated(g)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := mcf.WriteDIMACS(w, g); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && *out != "" {
		return f.Close()
	}
	return nil
}

func orDefault(x, d int) int {
	if x > 0 {
		return x
	}
	return d
}

func runSolve(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	algo := fs.String("algo", "simplex", "simplex (mcf.Solve) or ssp (successive shortest paths)")
	flow := fs.Bool("flow", false, "print the flow in DIMACS solution format")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("solve needs one DIMACS file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now() // measures a duration
	g, err := mcf.ReadDIMACS(f)
	if err != nil {
		return err
	}
	read := time.Since(start) // measures a duration
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	start = time.Now() // measures a duration
	var res mcf.Result
	switch *algo {
	case "simplex":
		res, err = g.Solve(ctx)
	case "ssp":
		res, err = ssp.Solve(ctx, g)
	default:
		return fmt.Errorf("unknown algorithm %q", *algo)
	}
	solve := time.Since(start) // measures a duration
	cpu := cpuTime() - cpu0
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "objective %d\nnodes %d\narcs %d\nread_ms %.1f\nsolve_ms %.1f\nsolve_cpu_ms %.1f\nsolve_alloc_bytes_per_arc %.1f\n",
		res.Cost, g.NumNodes(), g.NumArcs(), ms(read), ms(solve), ms(cpu),
		float64(after.TotalAlloc-before.TotalAlloc)/float64(max(g.NumArcs(), 1)))
	if *flow {
		return mcf.WriteFlow(stdout, g, res)
	}
	return nil
}

// cpuTime returns the user and system CPU time of the process so far, which a busy shared
// machine disturbs less than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
