package scoring

import (
	"cmp"
	"math"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// Ranked is one placement's result, for ranking.
type Ranked struct {
	Placement catalogue.PlacementID
	Result    Result
}

// Rank sorts results best first, so that cost is never the decider, and connected persons
// assessed for the child come first.
//
// The rule, exactly:
//
//  0. Connected persons to be ranked first (Result.KinFirst: Children Act 1989 s22C(7)(a),
//     unless the officer recorded why not) come before every other option, whatever the
//     scores; steps 1 to 3 order each of the two parts on its own.
//  1. Sort by Quality (the score without cost), highest first, ties by placement ID.
//  2. Cut the sorted list into clusters from the top: a cluster starts at the best option not yet
//     placed (its head) and takes every following option whose Quality is less than CostMargin
//     below the head's.
//  3. Within each cluster, order by Total (with cost) highest first, then Quality highest first,
//     then placement ID.
//
// Each option gets a key (its cluster's number, Total, Quality, ID) computed from the whole set,
// and the order is lexicographic on the keys, so it is a strict weak order (sort never sees an
// inconsistent comparison) and the result does not depend on the input order. The guarantee:
// if a is ranked above b, then either a's Quality is higher than b's, or they are in one cluster
// and so differ by less than CostMargin. An option therefore never outranks another by cost
// alone unless their qualities are within the margin. Clusters are anchored on their best
// option, not on a fixed grid, so two options just either side of a grid line are not split
// arbitrarily; the price is that whether cost may separate two options can depend on the others
// in the set (a chain of options each just within the margin of the one before is cut where the
// gap from its head reaches the margin). A NaN quality or total sorts last.
func Rank(results []Ranked, pol catalogue.Policy) {
	kin := 0
	for i := range results {
		if results[i].Result.KinFirst {
			results[kin], results[i] = results[i], results[kin]
			kin++
		}
	}
	rankByScore(results[:kin], pol)
	rankByScore(results[kin:], pol)
}

// rankByScore is Rank's steps 1 to 3.
func rankByScore(results []Ranked, pol catalogue.Policy) {
	margin := pol.CostMargin
	if !(margin >= 0) {
		margin = 0
	}
	margin = math.Min(margin, catalogue.MaxCostMargin)
	slices.SortFunc(results, func(a, b Ranked) int {
		if c := cmp.Compare(key(b.Result.Quality), key(a.Result.Quality)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Placement, b.Placement); c != 0 {
			return c
		}
		return cmp.Compare(key(b.Result.Total), key(a.Result.Total))
	})
	for start := 0; start < len(results); {
		head := key(results[start].Result.Quality)
		end := start + 1
		for end < len(results) && head-key(results[end].Result.Quality) < margin {
			end++
		}
		slices.SortFunc(results[start:end], func(a, b Ranked) int {
			if c := cmp.Compare(key(b.Result.Total), key(a.Result.Total)); c != 0 {
				return c
			}
			if c := cmp.Compare(key(b.Result.Quality), key(a.Result.Quality)); c != 0 {
				return c
			}
			return cmp.Compare(a.Placement, b.Placement)
		})
		start = end
	}
}

// key maps NaN below every number so that comparisons stay consistent.
func key(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(-1)
	}
	return x
}
