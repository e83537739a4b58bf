package ssp

import (
	"context"
	"errors"
	"testing"

	"github.com/placematch/placematch/matcher/mcf"
)

// More thorough checks (random graphs, generated families, certificates) compare this
// solver with mcf.Solve in mcf's TestCrossCheckSSP.
func TestSolveSmall(t *testing.T) {
	tests := []struct {
		name    string
		build   func() *mcf.Graph
		cost    int64
		wantErr error
	}{
		{"two paths", func() *mcf.Graph {
			g := mcf.NewGraph(4, 4)
			g.SetSupply(0, 4)
			g.SetSupply(3, -4)
			g.AddArc(0, 1, 0, 3, 1)
			g.AddArc(1, 3, 0, 3, 1)
			g.AddArc(0, 2, 0, 5, 2)
			g.AddArc(2, 3, 0, 5, 2)
			return g
		}, 10, nil},
		{"lower bound and negative arc", func() *mcf.Graph {
			g := mcf.NewGraph(3, 3)
			g.AddArc(0, 1, 1, 4, -5)
			g.AddArc(1, 2, 0, 3, 1)
			g.AddArc(2, 0, 0, mcf.Infinity, 1)
			return g
		}, -9, nil},
		{"infeasible", func() *mcf.Graph {
			g := mcf.NewGraph(2, 1)
			g.SetSupply(0, 2)
			g.SetSupply(1, -2)
			g.AddArc(0, 1, 0, 1, 1)
			return g
		}, 0, mcf.ErrInfeasible},
		{"unbounded", func() *mcf.Graph {
			g := mcf.NewGraph(2, 2)
			g.AddArc(0, 1, 0, mcf.Infinity, -3)
			g.AddArc(1, 0, 0, mcf.Infinity, 1)
			return g
		}, 0, mcf.ErrUnbounded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Solve(context.Background(), tt.build())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Cost != tt.cost {
				t.Errorf("cost %d, want %d", res.Cost, tt.cost)
			}
		})
	}
}
