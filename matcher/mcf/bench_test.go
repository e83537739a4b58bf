package mcf_test

import (
	"context"
	"fmt"
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

// BenchmarkSolveSparse solves sparse random networks with ten arcs per node.
func BenchmarkSolveSparse(b *testing.B) {
	for _, arcs := range []int{10_000, 100_000, 1_000_000} {
		g := gen.Sparse(arcs/10, arcs, 1)
		b.Run(fmt.Sprintf("arcs=%d", arcs), func(b *testing.B) {
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

func benchSolve(b *testing.B, g *mcf.Graph) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		if _, err := g.Solve(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(g.NumArcs()), "arcs")
}
