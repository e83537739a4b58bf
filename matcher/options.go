package matcher

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/golang/geo/s2"
	"golang.org/x/sync/errgroup"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// DefaultOptions is how many options a search returns unless asked otherwise: two choices for
// the child and a back-up.
const DefaultOptions = 3

// MaxOptions bounds a search.
const MaxOptions = 20

// OptionsRequest asks for ranked options for one child (or a sibling group moving together).
type OptionsRequest struct {
	Request scoring.Request
	Policy  scoring.Policy
	Limit   int // options wanted; DefaultOptions when 0
}

// Option is one ranked placement for the child, explained.
type Option struct {
	Rank      int
	Placement catalogue.Placement
	Result    scoring.Result
	HomeKm    float64 // distance from the child's home, as the crow flies
}

// Rejected counts the placements one hard constraint removed.
type Rejected struct {
	Constraint scoring.Constraint
	Count      int
	Example    string // the reason, in plain words, for one of them
}

// Shortfall says how the search went: how many placements with a free place were looked at, how
// many each hard constraint removed, and whether fewer than two options exist.
type Shortfall struct {
	Considered int
	Passed     int
	Rejected   []Rejected // in the order of scoring.Constraints, only those that removed any
	SearchedKm float64    // radius around home searched
	// Complete is true when every placement with a free place within the policy's maximum
	// distance was considered (always so when there are fewer than two options): the counts
	// are then a full account. When the best options were certain before that, the search
	// stopped early and the counts cover SearchedKm only.
	Complete bool
	// FewerThanTwo: fewer than two placements pass every hard constraint (the search then was
	// complete), whatever the Limit asked for.
	FewerThanTwo bool
}

// OptionsResult is the answer to an OptionsRequest.
type OptionsResult struct {
	Options    []Option
	Shortfall  Shortfall
	Snapshot   time.Time // when the snapshot searched was loaded
	PolicyUsed int
	Day        time.Time // the day of the move the search was for: the later of today and needed-by
}

// candidate is a placement that passed every hard constraint, with its quick score.
type candidate struct {
	slot           int32
	quality, total float64
	homeKm         float64
}

// rings are the radii (km) the search widens through, before the policy's maximum distance.
var rings = []float64{8, 16, 32, 64}

// parallelAbove is the number of placements in one ring above which they are checked and scored
// concurrently; below it the goroutines cost more than they save.
const parallelAbove = 1024

// Options returns the best placements for a child, ranked, with reasons; or as many as exist,
// with a precise account of why there are not more.
//
// The search widens in rings around the child's home up to the policy's maximum distance. After
// each ring it stops if the options found are certain to be the best: when the Limit-th best
// quality found is at least the margin above the best quality any placement beyond the ring
// could reach (scoring.Prepared.QualityBound), nothing further out could enter the list, nor
// reorder it by cost.
func (e *Engine) Options(ctx context.Context, req OptionsRequest) (OptionsResult, error) {
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultOptions
	}
	limit = min(limit, MaxOptions)
	prep, err := scoring.Prepare(req.Request, req.Policy)
	if err != nil {
		return OptionsResult{}, err
	}
	snap := e.Snapshot()
	res := OptionsResult{Snapshot: snap.loadedAt, PolicyUsed: req.Policy.Version, Day: prep.Day()}
	tally := newTally()
	var found []candidate

	// Kinship carers assessed for the child (or a brother or sister moving with them) are
	// always considered, wherever they live.
	seen := map[int32]bool{}
	for _, c := range prep.Children() {
		for _, slot := range snap.kinship[c.ID] {
			if seen[slot] {
				continue
			}
			seen[slot] = true
			if cand, ok := e.consider(prep, snap, slot, tally); ok {
				found = append(found, cand)
			}
		}
	}

	home := pointOf(req.Request.Child.Home)
	maxKm := prep.MaxDistanceKm()
	inner := -1.0
	margin := req.Policy.CostMargin
	for _, outer := range append(slices.Clone(rings), maxKm) {
		if outer > maxKm {
			continue
		}
		var slots []int32
		snap.index.within(home, inner, outer, func(slot int32, _ float64) { slots = append(slots, slot) })
		more, err := e.considerAll(ctx, prep, snap, slots, tally)
		if err != nil {
			return OptionsResult{}, err
		}
		found = append(found, more...)
		res.Shortfall.SearchedKm = outer
		inner = outer
		if outer >= maxKm {
			res.Shortfall.Complete = true
			break
		}
		// Two found at least, whatever the limit, so that "fewer than two" is always a full account.
		if len(found) >= max(limit, 2) && kthQuality(found, limit) >= prep.QualityBound(outer)+margin {
			break
		}
	}
	// Placements beyond the maximum distance are not searched; the hard constraint has removed
	// them all, and they are counted only when the search was complete.
	// Kinship carers assessed for other children are never looked at; they too are counted only
	// then, so that a complete account covers every placement in the snapshot.
	if res.Shortfall.Complete {
		beyond := snap.index.len() - (tally.considered - len(seen))
		tally.add(scoring.Rejection{}, scoring.ConstraintMaxDistance, beyond)
		if beyond > 0 && tally.examples[scoring.ConstraintMaxDistance] == "" {
			tally.examples[scoring.ConstraintMaxDistance] = fmt.Sprintf("More than %.0f miles from home.", maxKm/scoring.MilesToKm)
		}
		others := snap.Len() - snap.index.len() - len(seen)
		tally.add(scoring.Rejection{}, scoring.ConstraintKinshipConnection, others)
		if others > 0 && tally.examples[scoring.ConstraintKinshipConnection] == "" {
			tally.examples[scoring.ConstraintKinshipConnection] = "Family and friends carers assessed for other children."
		}
	}

	res.Options = e.explain(prep, snap, found, limit, req.Policy)
	res.Shortfall.Considered = tally.considered
	res.Shortfall.Passed = len(found)
	res.Shortfall.Rejected = tally.list()
	res.Shortfall.FewerThanTwo = len(found) < 2 // fewer than two suitable placements exist, whatever the limit
	return res, nil
}

// consider checks one placement and, when it passes, scores it quickly.
func (e *Engine) consider(prep *scoring.Prepared, snap *Snapshot, slot int32, t *tally) (candidate, bool) {
	p := &snap.placements[slot]
	t.considered++
	if r := prep.Check(p); r.Rejected() {
		t.add(r, r.Constraint, 1)
		return candidate{}, false
	}
	total, quality := prep.Quick(p)
	return candidate{slot: slot, quality: quality, total: total, homeKm: prep.HomeKm(p)}, true
}

// considerAll checks and scores a ring of placements, concurrently when there are many.
func (e *Engine) considerAll(ctx context.Context, prep *scoring.Prepared, snap *Snapshot, slots []int32, t *tally) ([]candidate, error) {
	if len(slots) <= parallelAbove || e.workers <= 1 {
		var out []candidate
		for _, slot := range slots {
			if c, ok := e.consider(prep, snap, slot, t); ok {
				out = append(out, c)
			}
		}
		return out, nil
	}
	chunks := (len(slots) + parallelAbove/2 - 1) / (parallelAbove / 2)
	parts := make([][]candidate, chunks)
	tallies := make([]*tally, chunks)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.workers)
	for i := range chunks {
		lo := i * parallelAbove / 2
		hi := min(lo+parallelAbove/2, len(slots))
		tallies[i] = newTally()
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for _, slot := range slots[lo:hi] {
				if c, ok := e.consider(prep, snap, slot, tallies[i]); ok {
					parts[i] = append(parts[i], c)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []candidate
	for i := range chunks {
		out = append(out, parts[i]...)
		t.merge(tallies[i])
	}
	return out, nil
}

// kthQuality returns the k-th best quality among the candidates (k >= 1, len >= k).
func kthQuality(cs []candidate, k int) float64 {
	qs := make([]float64, len(cs))
	for i, c := range cs {
		qs[i] = c.quality
	}
	slices.SortFunc(qs, func(a, b float64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	return qs[k-1]
}

// explain scores the best candidates in full, with sentences, ranks them and keeps limit.
// Every candidate whose quality is within the cost margin of the limit-th is explained too, so
// that Rank can let cost reorder them as the policy allows.
func (e *Engine) explain(prep *scoring.Prepared, snap *Snapshot, found []candidate, limit int, pol scoring.Policy) []Option {
	if len(found) == 0 {
		return nil
	}
	slices.SortFunc(found, func(a, b candidate) int {
		switch {
		case a.quality > b.quality:
			return -1
		case a.quality < b.quality:
			return 1
		}
		return int(snap.placements[a.slot].ID - snap.placements[b.slot].ID)
	})
	keep := min(limit, len(found))
	cut := found[keep-1].quality - pol.CostMargin
	for keep < len(found) && found[keep].quality >= cut {
		keep++
	}
	ranked := make([]scoring.Ranked, keep)
	homeKm := map[catalogue.PlacementID]float64{}
	for i, c := range found[:keep] {
		p := &snap.placements[c.slot]
		ranked[i] = scoring.Ranked{Placement: p.ID, Result: prep.Score(p)}
		homeKm[p.ID] = c.homeKm
	}
	scoring.Rank(ranked, pol)
	out := make([]Option, 0, limit)
	for i, r := range ranked[:min(limit, len(ranked))] {
		p, _ := snap.Placement(r.Placement)
		out = append(out, Option{Rank: i + 1, Placement: *p, Result: r.Result, HomeKm: homeKm[r.Placement]})
	}
	return out
}

// tally counts rejections by constraint, with one example reason for each.
type tally struct {
	considered int
	counts     map[scoring.Constraint]int
	examples   map[scoring.Constraint]string
}

func newTally() *tally {
	return &tally{counts: map[scoring.Constraint]int{}, examples: map[scoring.Constraint]string{}}
}

func (t *tally) add(r scoring.Rejection, c scoring.Constraint, n int) {
	if n <= 0 {
		return
	}
	t.counts[c] += n
	if _, ok := t.examples[c]; !ok && r.Rejected() {
		t.examples[c] = r.Reason()
	}
}

func (t *tally) merge(o *tally) {
	t.considered += o.considered
	for c, n := range o.counts {
		t.counts[c] += n
		if _, ok := t.examples[c]; !ok {
			t.examples[c] = o.examples[c]
		}
	}
}

func (t *tally) list() []Rejected {
	var out []Rejected
	for _, c := range scoring.Constraints {
		if n := t.counts[c]; n > 0 {
			out = append(out, Rejected{Constraint: c, Count: n, Example: t.examples[c]})
		}
	}
	return out
}

func pointOf(l catalogue.Location) s2.Point { return scoring.Point(l) }
