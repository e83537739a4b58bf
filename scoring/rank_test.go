package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func ranked(id int, quality, cost float64) Ranked {
	const wc = 0.1
	return Ranked{Placement: catalogue.PlacementID(id), Result: Result{Quality: quality, Total: (1-wc)*quality + wc*cost}}
}

func kin(r Ranked) Ranked {
	r.Result.KinFirst = true
	return r
}

func ids(rs []Ranked) []catalogue.PlacementID {
	out := make([]catalogue.PlacementID, len(rs))
	for i, r := range rs {
		out[i] = r.Placement
	}
	return out
}

func TestRankExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []Ranked
		want []catalogue.PlacementID
	}{
		{"cost separates options within the margin",
			[]Ranked{ranked(1, 0.800, 0.1), ranked(2, 0.790, 0.9)}, []catalogue.PlacementID{2, 1}},
		{"cost never overturns a quality gap beyond the margin",
			[]Ranked{ranked(1, 0.800, 0.0), ranked(2, 0.750, 1.0)}, []catalogue.PlacementID{1, 2}},
		{"equal everything: by ID",
			[]Ranked{ranked(9, 0.5, 0.5), ranked(3, 0.5, 0.5), ranked(5, 0.5, 0.5)}, []catalogue.PlacementID{3, 5, 9}},
		{"clusters are anchored on their best: a chain is cut at the margin",
			// 1 heads a cluster with 2 (0.015 below) but not 3 (0.025 below); 3 heads the next.
			[]Ranked{ranked(1, 0.800, 0.0), ranked(2, 0.785, 1.0), ranked(3, 0.775, 1.0)}, []catalogue.PlacementID{2, 1, 3}},
		{"NaN sorts last",
			[]Ranked{ranked(1, math.NaN(), 1), ranked(2, 0.1, 0)}, []catalogue.PlacementID{2, 1}},
		{"empty", nil, []catalogue.PlacementID{}},
		// Connected persons come first whatever the scores (Children Act 1989 s22C(7)(a)); each
		// part is ranked by the usual rule.
		{"kin first, below every stranger",
			[]Ranked{ranked(1, 0.9, 1), kin(ranked(2, 0.3, 0)), ranked(3, 0.8, 1)}, []catalogue.PlacementID{2, 1, 3}},
		{"kin among themselves by quality, then strangers",
			[]Ranked{ranked(1, 0.9, 1), kin(ranked(5, 0.3, 0)), kin(ranked(4, 0.6, 0))}, []catalogue.PlacementID{4, 5, 1}},
		{"no kin: as before",
			[]Ranked{ranked(1, 0.5, 0), ranked(2, 0.9, 0)}, []catalogue.PlacementID{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Rank(tt.in, catalogue.DefaultPolicy())
			if got := ids(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("order %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRankProperty: for random sets, (1) no option is ranked above another whose quality is
// higher by more than the margin, (2) the order does not depend on the input order (so the
// comparison is consistent), (3) within a margin cost does decide: of two options in one
// cluster, the one with the higher total comes first.
func TestRankProperty(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	pol := catalogue.DefaultPolicy()
	for _, margin := range []float64{0, 0.005, 0.02, 0.1} {
		pol.CostMargin = margin
		for trial := range 2000 {
			n := rng.IntN(40)
			in := make([]Ranked, n)
			for i := range in {
				q := rng.Float64()
				if trial%3 == 0 {
					q = math.Round(q*20) / 20 // many ties
				} else if trial%3 == 1 {
					q = 0.7 + rng.Float64()*0.05 // dense: long chains within the margin
				}
				in[i] = ranked(rng.IntN(1000), q, rng.Float64())
			}
			got := slices.Clone(in)
			Rank(got, pol)
			for i := range got {
				for j := i + 1; j < len(got); j++ {
					a, b := got[i].Result, got[j].Result
					if a.Quality < b.Quality-margin {
						t.Fatalf("margin %g: %d (quality %.4f, total %.4f) ranked above %d (quality %.4f, total %.4f)",
							margin, got[i].Placement, a.Quality, a.Total, got[j].Placement, b.Quality, b.Total)
					}
				}
			}
			shuffled := slices.Clone(in)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			Rank(shuffled, pol)
			if !slices.EqualFunc(got, shuffled, func(a, b Ranked) bool {
				return a.Placement == b.Placement && a.Result.Quality == b.Result.Quality && a.Result.Total == b.Result.Total
			}) {
				t.Fatalf("margin %g: order depends on the input order:\n%v\n%v", margin, ids(got), ids(shuffled))
			}
			if margin > 0 && len(got) > 1 {
				// The best option heads the first cluster; anything within the margin of it and
				// with a higher total must not be ranked below it.
				best := slices.MaxFunc(got, func(a, b Ranked) int {
					switch {
					case a.Result.Quality != b.Result.Quality:
						return cmpF(a.Result.Quality, b.Result.Quality)
					}
					return int(b.Placement - a.Placement)
				})
				for _, r := range got[1:] {
					if best.Result.Quality-r.Result.Quality < margin && r.Result.Total > got[0].Result.Total {
						t.Fatalf("margin %g: %d has a higher total within the margin but is not first", margin, r.Placement)
					}
				}
			}
		}
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
