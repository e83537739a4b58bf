package synth

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Random streams. Each council draws from its own stream so that its records do not depend on
// which other councils are generated.
const (
	streamWorld    = 1
	streamChildren = 2
	streamSupply   = 3
	streamHistory  = 4
)

func newRand(seed uint64, council int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, mix(uint64(council+1)<<8|purpose)))
}

// mix is SplitMix64's finaliser: it spreads nearby stream numbers apart.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// table is a weighted choice among items.
type table[T any] struct {
	items []T
	cum   []float64
}

func (t *table[T]) add(v T, w float64) {
	if !(w > 0) {
		return
	}
	total := w
	if n := len(t.cum); n > 0 {
		total += t.cum[n-1]
	}
	t.items = append(t.items, v)
	t.cum = append(t.cum, total)
}

func (t table[T]) len() int { return len(t.items) }

func (t table[T]) pick(r *rand.Rand) T {
	n := len(t.cum)
	x := r.Float64() * t.cum[n-1]
	i := sort.SearchFloat64s(t.cum, x)
	if i >= n {
		i = n - 1
	}
	return t.items[i]
}

// tableOf builds a table from items and their weights, in order.
func tableOf[T any](items []T, weights ...float64) table[T] {
	var t table[T]
	for i, v := range items {
		if i < len(weights) {
			t.add(v, weights[i])
		}
	}
	return t
}

// choose returns an index drawn with the given weights (at least one positive).
func choose(r *rand.Rand, weights ...float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	last := 0
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		if x < w {
			return i
		}
		x -= w
		last = i
	}
	return last // rounding left x just over the total
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// normal returns a normally distributed value clamped to [lo, hi].
func normal(r *rand.Rand, mean, sd, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, mean+sd*r.NormFloat64()))
}

// poisson draws a Poisson count (Knuth; fine for the small means used here).
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// apportion shares total among weights by the largest remainder, so the parts sum to total.
func apportion(total int, weights []float64) []int {
	out := make([]int, len(weights))
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	if total <= 0 || sum <= 0 {
		return out
	}
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, len(weights))
	given := 0
	for i, w := range weights {
		x := float64(total) * w / sum
		out[i] = int(x)
		given += out[i]
		rems[i] = rem{i, x - float64(out[i])}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].f > rems[b].f })
	for k := 0; given < total; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}
