package mcf_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/placematch/placematch/matcher/mcf"
	"github.com/placematch/placematch/matcher/mcf/internal/gen"
)

// BenchmarkSolveBatch solves batch-shaped instances: children x 10 placements, 20 candidate
// arcs per child, two units per child.
func BenchmarkSolveBatch(b *testing.B) {
	for _, children := range []int{1_000, 10_000} {
		g := gen.Batch(children, 10*children, 20, 1)
		b.Run(fmt.Sprintf("children=%d", children), func(b *testing.B) {
			benchSolve(b, g)
		})
	}
}

// BenchmarkSolveSparse solves sparse random networks with ten arcs per node (the 1,000,000
// arc instance, which takes LEMON about half a minute, is in benchmarks/mcf_compare.sh).
func BenchmarkSolveSparse(b *testing.B) {
	for _, arcs := range []int{10_000, 100_000, 300_000} {
		g := gen.Sparse(arcs/10, arcs, 1)
		b.Run(fmt.Sprintf("arcs=%d", arcs), func(b *testing.B) {
			benchSolve(b, g)
		})
	}
}

// BenchmarkSolveNetgen solves one problem of each standard NETGEN family (the comparison with
// LEMON over each family's sizes is benchmarks/netgen_compare.sh).
func BenchmarkSolveNetgen(b *testing.B) {
	for _, tc := range []struct {
		name string
		p    gen.NetgenParams
	}{{"netgen8-2^14", gen.Netgen8(1 << 14)}, {"netgensr-2^12", gen.NetgenSR(1 << 12)}, {"netgendeg-32", gen.NetgenDeg(32)}} {
		g, err := gen.Netgen(tc.p, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			benchSolve(b, g)
		})
	}
}

// BenchmarkSolveAssignment solves planted assignment problems: dense at n=1000, 200 arcs per
// row at n=5000.
func BenchmarkSolveAssignment(b *testing.B) {
	for _, tc := range []struct{ n, degree int }{{1000, 1000}, {5000, 200}} {
		a := gen.PlantedAssignment(tc.n, tc.degree, 0, 1)
		b.Run(fmt.Sprintf("n=%d/degree=%d", tc.n, tc.degree), func(b *testing.B) {
			benchSolve(b, a.Graph)
		})
	}
}

// benchSolve reports the time per solve and the bytes Solve allocates per arc (its working
// arrays and the Result; the Graph itself holds 32 bytes per arc and 8 per node).
func benchSolve(b *testing.B, g *mcf.Graph) {
	b.ReportAllocs()
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		if _, err := g.Solve(ctx); err != nil {
			b.Fatal(err)
		}
		n++
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n*g.NumArcs()), "B/arc")
}

// BenchmarkReadDIMACS reads a batch-shaped problem from DIMACS text.
func BenchmarkReadDIMACS(b *testing.B) {
	var buf bytes.Buffer
	if err := mcf.WriteDIMACS(&buf, gen.Batch(10_000, 100_000, 20, 1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := mcf.ReadDIMACS(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
