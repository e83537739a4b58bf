package mcf_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/placematch/placematch/matcher/mcf"
	"github.com/placematch/placematch/matcher/mcf/internal/gen"
	"github.com/placematch/placematch/matcher/mcf/internal/ssp"
)

// TestPlantedAssignment solves assignment problems whose optimum is known by construction,
// at several sizes and densities. With a slack of at least one on every other arc the
// planted permutation is the only optimum, so the flow itself is checked too.
func TestPlantedAssignment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n, degree int
		minSlack  int64
	}{
		{1, 1, 1}, {2, 2, 0}, {10, 10, 1}, {50, 5, 1}, {100, 100, 0}, {300, 300, 1},
		{1000, 20, 1}, {1000, 20, 0}, {2000, 8, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d/degree=%d/minSlack=%d", tt.n, tt.degree, tt.minSlack), func(t *testing.T) {
			a := gen.PlantedAssignment(tt.n, tt.degree, tt.minSlack, uint64(tt.n))
			res, err := a.Graph.Solve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Cost != a.Optimum {
				t.Fatalf("cost %d, planted optimum %d", res.Cost, a.Optimum)
			}
			if err := checkResult(a.Graph, res); err != nil {
				t.Fatal(err)
			}
			if tt.minSlack == 0 {
				return
			}
			for arc, f := range res.Flow {
				if f == 0 {
					continue
				}
				e := a.Graph.Arc(arc)
				if e.To-tt.n != a.Planted[e.From] {
					t.Fatalf("row %d assigned column %d, planted %d", e.From, e.To-tt.n, a.Planted[e.From])
				}
			}
		})
	}
}

// TestCrossCheckSSP compares Solve with the independent successive-shortest-path solver on
// random networks, batch-shaped problems and planted assignments: same cost, and both
// flows certified optimal by their own potentials.
func TestCrossCheckSSP(t *testing.T) {
	t.Parallel()
	type instance struct {
		name string
		g    *mcf.Graph
	}
	var cases []instance
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 200 {
		n := 2 + rng.IntN(40)
		cases = append(cases, instance{
			fmt.Sprintf("random %d", i),
			randomGraph(rng, n, rng.IntN(6*n), 20, -30, 100, 0.1, i%5 != 0),
		})
	}
	for seed := range uint64(5) {
		cases = append(cases,
			instance{fmt.Sprintf("batch %d", seed), gen.Batch(300, 3000, 20, seed)},
			instance{fmt.Sprintf("sparse %d", seed), gen.Sparse(300, 3000, seed)},
			instance{fmt.Sprintf("assignment %d", seed), gen.PlantedAssignment(100, 10, 0, seed).Graph},
		)
	}
	ctx := context.Background()
	for _, c := range cases {
		ns, errNS := c.g.Solve(ctx)
		sp, errSP := ssp.Solve(ctx, c.g)
		stNS, err1 := statusOf(errNS)
		stSP, err2 := statusOf(errSP)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", c.name, err1, err2)
		}
		if stNS != stSP {
			// Both errors are right for an infeasible problem with a negative cycle
			// without capacity limit.
			if _, ref := cycleCancel(c.g); ref != refEither {
				t.Fatalf("%s: simplex %v, ssp %v", c.name, stNS, stSP)
			}
			continue
		}
		if stNS != refOptimal {
			continue
		}
		if ns.Cost != sp.Cost {
			t.Fatalf("%s: simplex cost %d, ssp cost %d", c.name, ns.Cost, sp.Cost)
		}
		if err := checkResult(c.g, ns); err != nil {
			t.Fatalf("%s: simplex: %v", c.name, err)
		}
		if err := checkResult(c.g, sp); err != nil {
			t.Fatalf("%s: ssp: %v", c.name, err)
		}
	}
}

// TestPotentialsCertifyPrunedArcs is the batch matcher's use of the potentials: solve with
// each child's candidates pruned to the best few, then add back every pruned arc whose
// reduced cost is non-negative; the optimum must not change. Arcs with negative reduced cost
// are the ones the matcher must widen for.
func TestPotentialsCertifyPrunedArcs(t *testing.T) {
	t.Parallel()
	full := gen.Batch(500, 5000, 20, 7)
	const keep = 4
	// Keep the cheapest arcs to placements per child (the generator groups them by child).
	pruned := mcf.NewGraph(full.NumNodes(), full.NumArcs())
	for v := range full.NumNodes() {
		pruned.SetSupply(v, full.Supply(v))
	}
	sink := full.NumNodes() - 1
	var dropped []mcf.Arc
	for a := 0; a < full.NumArcs(); {
		from := full.Arc(a).From
		var group []mcf.Arc
		for ; a < full.NumArcs() && full.Arc(a).From == from; a++ {
			group = append(group, full.Arc(a))
		}
		var cand, rest []mcf.Arc
		for _, e := range group {
			if e.To == sink || e.From >= 500 {
				rest = append(rest, e)
			} else {
				cand = append(cand, e)
			}
		}
		slices.SortStableFunc(cand, func(x, y mcf.Arc) int { return int(x.Cost - y.Cost) })
		for i, e := range cand {
			if i < keep {
				pruned.AddArc(e.From, e.To, e.Lower, e.Upper, e.Cost)
			} else {
				dropped = append(dropped, e)
			}
		}
		for _, e := range rest {
			pruned.AddArc(e.From, e.To, e.Lower, e.Upper, e.Cost)
		}
	}
	ctx := context.Background()
	res, err := pruned.Solve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	certified := 0
	for _, e := range dropped {
		if e.Cost+res.Potential[e.From]-res.Potential[e.To] >= 0 {
			pruned.AddArc(e.From, e.To, e.Lower, e.Upper, e.Cost)
			certified++
		}
	}
	if certified == 0 || certified == len(dropped) {
		t.Logf("%d of %d pruned arcs certified: the test does not exercise both cases", certified, len(dropped))
	}
	again, err := pruned.Solve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Cost != res.Cost {
		t.Fatalf("adding %d arcs with non-negative reduced cost changed the optimum from %d to %d", certified, res.Cost, again.Cost)
	}
	t.Logf("%d of %d pruned arcs certified by the potentials", certified, len(dropped))
}

// TestDeterministic solves the same problem twice, and a rebuilt copy, and expects the same
// flow and potentials, not only the same cost.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, build := range []func() *mcf.Graph{
		func() *mcf.Graph { return gen.Batch(1000, 10000, 20, 3) },
		func() *mcf.Graph { return gen.Sparse(1000, 10000, 3) },
		func() *mcf.Graph { return gen.PlantedAssignment(300, 30, 0, 3).Graph },
	} {
		g := build()
		first, err := g.Solve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []*mcf.Graph{g, build()} {
			again, err := h.Solve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(first.Flow, again.Flow) || !slices.Equal(first.Potential, again.Potential) {
				t.Fatal("same problem, different solution")
			}
		}
	}
}

func TestSolveCancelled(t *testing.T) {
	t.Parallel()
	g := gen.Sparse(5000, 50000, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Solve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	start := time.Now() // measures a duration
	_, err := g.Solve(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: err = %v", err)
	}
	if d := time.Since(start); d > time.Second { // measures a duration
		t.Errorf("Solve took %v to notice its deadline", d)
	}
}

func TestSolveDoesNotModifyGraph(t *testing.T) {
	t.Parallel()
	g := gen.PlantedAssignment(50, 50, 0, 1).Graph
	var before, after []mcf.Arc
	for a := range g.NumArcs() {
		before = append(before, g.Arc(a))
	}
	if _, err := g.Solve(context.Background()); err != nil {
		t.Fatal(err)
	}
	for a := range g.NumArcs() {
		after = append(after, g.Arc(a))
	}
	if !slices.Equal(before, after) {
		t.Error("Solve changed the graph's arcs")
	}
}

// TestORLibraryAssignment solves J. E. Beasley's OR-Library linear assignment instances
// (assign100.txt ... assign800.txt, assignp800.txt ... assignp5000.txt: n, then the n x n
// cost matrix row by row) found in the directory named by MCF_ORLIB_DIR, and checks their
// published optima. The files are not kept in this repository.
func TestORLibraryAssignment(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("MCF_ORLIB_DIR")
	if dir == "" {
		t.Skip("MCF_ORLIB_DIR not set")
	}
	optima := map[string]int64{
		"assign100": 305, "assign200": 475, "assign300": 626, "assign400": 804,
		"assign500": 991, "assign600": 1176, "assign700": 1362, "assign800": 1552,
		"assignp800": 2239, "assignp1500": 5839, "assignp3000": 18696, "assignp5000": 48533,
	}
	found := 0
	for name, want := range optima {
		path := filepath.Join(dir, name+".txt")
		f, err := os.Open(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found++
		g, err := readORLib(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := g.Solve(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Cost != want {
			t.Errorf("%s: cost %d, published optimum %d", name, res.Cost, want)
		}
		t.Logf("%s: %d (published %d)", name, res.Cost, want)
	}
	if found == 0 {
		t.Fatalf("no OR-Library assignment file in %s", dir)
	}
}

func readORLib(f *os.File) (*mcf.Graph, error) {
	sc := bufio.NewScanner(f)
	sc.Split(bufio.ScanWords)
	next := func() (int64, error) {
		if !sc.Scan() {
			return 0, fmt.Errorf("file ends early: %v", sc.Err())
		}
		return strconv.ParseInt(sc.Text(), 10, 64)
	}
	n64, err := next()
	if err != nil {
		return nil, err
	}
	n := int(n64)
	g := mcf.NewGraph(2*n, n*n)
	for i := range n {
		g.SetSupply(i, 1)
		g.SetSupply(n+i, -1)
		for j := range n {
			c, err := next()
			if err != nil {
				return nil, err
			}
			g.AddArc(i, n+j, 0, 1, c)
		}
	}
	return g, nil
}

// TestAgainstLEMON solves random problems and generated families with LEMON's dimacs-solver
// (Debian package liblemon-utils) when it is installed, and expects the same objective, or
// LEMON's "Feasible flow: not found" where Solve reports an infeasible or unbounded problem.
func TestAgainstLEMON(t *testing.T) {
	t.Parallel()
	solver, err := exec.LookPath("dimacs-solver")
	if err != nil {
		t.Skip("dimacs-solver not installed (apt-get install liblemon-utils)")
	}
	rng := rand.New(rand.NewPCG(21, 22))
	var graphs []*mcf.Graph
	for i := range 60 {
		n := 5 + rng.IntN(200)
		graphs = append(graphs, randomGraph(rng, n, rng.IntN(8*n), 50, -40, 200, 0.05, i%4 != 0))
	}
	for seed := range uint64(3) {
		graphs = append(graphs, gen.Batch(200, 2000, 20, seed), gen.Sparse(500, 5000, seed),
			gen.PlantedAssignment(100, 100, 0, seed).Graph)
	}
	dir := t.TempDir()
	ctx := context.Background()
	optimal := 0
	for i, g := range graphs {
		path := filepath.Join(dir, fmt.Sprintf("%d.dimacs", i))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := mcf.WriteDIMACS(f, g); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out, err := exec.Command(solver, path, os.DevNull).CombinedOutput()
		if err != nil {
			t.Fatalf("instance %d: dimacs-solver: %v\n%s", i, err, out)
		}
		lemonFound := !bytes.Contains(out, []byte("Feasible flow: not found"))
		res, err := g.Solve(ctx)
		switch {
		case err == nil && lemonFound:
			want := fmt.Sprintf("Min flow cost: %d\n", res.Cost)
			if !bytes.Contains(out, []byte(want)) {
				t.Fatalf("instance %d: Solve cost %d, LEMON says\n%s", i, res.Cost, out)
			}
			optimal++
		case err != nil && !lemonFound:
			if !errors.Is(err, mcf.ErrInfeasible) && !errors.Is(err, mcf.ErrUnbounded) {
				t.Fatalf("instance %d: %v", i, err)
			}
		default:
			t.Fatalf("instance %d: Solve: cost %d, err %v; LEMON:\n%s", i, res.Cost, err, out)
		}
	}
	t.Logf("%d optimal, %d without a solution", optimal, len(graphs)-optimal)
	if optimal == 0 || optimal == len(graphs) {
		t.Error("the instances do not exercise both outcomes")
	}
}
