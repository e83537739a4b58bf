package matcher

import (
	"context"
	"math"
	"slices"
	"sync/atomic"

	"github.com/golang/geo/s1"
	"golang.org/x/sync/errgroup"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// The batch's candidate search is Options' (Engine.search: kinship carers, then rings around
// home, every placement checked against the hard constraints and scored quickly), run so that
// it can stop early and resume: the placements within the policy's maximum distance that pass
// the prefilter are found by one scan of the index and kept by ring (cursor), and rings are
// checked and scored only as the match needs them, first to find the child's best K, then, if
// certification asks, until nothing further out could improve the answer.

// batchRingKm is the width of the batch search's rings: finer than Options' (8, 16, 32, 64 km),
// so that a search stops, and resumes, close to where the bounds allow.
const batchRingKm = 4

// batchRadii are the radii of the batch search's rings.
func batchRadii(maxKm float64) []float64 {
	var out []float64
	for r := float64(batchRingKm); r < maxKm; r += batchRingKm {
		out = append(out, r)
	}
	return append(out, maxKm)
}

// cursor is one entity's resumable search.
type cursor struct {
	kinship   bool // the kinship carers have been considered
	radii     []float64
	rings     [][]int32 // prefiltered slots of each ring not yet searched
	next      int       // the ring to search next
	scannedKm float64   // the rings are filled up to here (0: not yet)
}

// firstScanKm is how far the first scan of the index reaches; the rest is scanned when a
// search goes beyond it (most searches stop well inside the maximum distance).
const firstScanKm = 24

// fill fills the cursor's rings up to ring i, by scanning the index: each placement that passes
// the prefilter goes in the first ring that reaches it (by the chord comparison the per-ring
// scan would make).
func (c *cursor) fill(snap *Snapshot, m *entMeta, i int) {
	if c.radii == nil {
		c.radii = batchRadii(m.prep.MaxDistanceKm())
		c.rings = make([][]int32, len(c.radii))
	}
	if i >= len(c.radii) || (c.scannedKm > 0 && c.radii[i] <= c.scannedKm) || c.scannedKm >= c.radii[len(c.radii)-1] {
		return
	}
	inner := c.scannedKm
	outer := c.radii[len(c.radii)-1]
	if inner == 0 {
		inner = -1
		if firstScanKm < outer && c.radii[i] <= firstScanKm {
			outer = firstScanKm
		}
	}
	if m.filter.kinds&^kindBit(catalogue.Kinship) != 0 { // a child assessed for kinship care only has no one to scan for
		chords := make([]s1.ChordAngle, len(c.radii))
		for k, r := range c.radii {
			chords[k] = s1.ChordAngleFromAngle(kmToAngle(r))
		}
		snap.index.within(m.home, inner, outer, func(slot int32, d s1.ChordAngle) {
			if !m.filter.passes(&snap.meta[slot]) {
				return
			}
			r, _ := slices.BinarySearch(chords, d) // the first ring whose radius reaches d
			r = min(r, len(chords)-1)
			c.rings[r] = append(c.rings[r], slot)
		})
	}
	c.scannedKm = outer
}

// searchAll runs every entity's first search concurrently, one search per worker.
func (e *Engine) searchAll(ctx context.Context, snap *Snapshot, metas []*entMeta, k int, found [][]batchArc, bounds []int64, progress func(Progress)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.workers)
	var done atomic.Int64
	step := max(len(metas)/100, 1)
	for i, m := range metas {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			all, _, bound, err := e.searchEntity(gctx, snap, m, k, 0, nil)
			if err != nil {
				return err
			}
			found[i], bounds[i] = all, bound
			if n := int(done.Add(1)); n%step == 0 || n == len(metas) {
				progress(Progress{Stage: "search", Done: n, Total: len(metas)})
			}
			return nil
		})
	}
	return g.Wait()
}

// searchEntity continues an entity's search, ring by ring, until at least k of the placements
// it finds this time cost no more than anything further out could (k is used by the first
// search only), and nothing further out could cost less than target. It is Options' search
// (Engine.consider: every hard constraint checked, then the quick score) over the cursor's
// rings, with the kinship carers assessed for the children considered first, wherever they
// live. With price set, a placement whose price plus the least cost it could have (from its
// ring) reaches target is put off, not scored: it is returned among the deferred, for
// certification to check again. It returns the placements it found this time, by cost, and a
// lower bound on the cost of every suitable placement in the rings not yet searched
// (math.MaxInt64 once the search has reached the policy's maximum distance).
func (e *Engine) searchEntity(ctx context.Context, snap *Snapshot, m *entMeta, k int, target int64, price func(slot int32) int64) ([]batchArc, []deferredSlot, int64, error) {
	c := &m.cursor
	c.fill(snap, m, c.next)
	t := newTally()
	var found []candidate
	if !c.kinship {
		c.kinship = true
		seen := map[int32]bool{}
		for _, ch := range m.prep.Children() {
			for _, slot := range snap.kinship[ch.ID] {
				if !seen[slot] {
					seen[slot] = true
					if cd, ok := e.consider(m.prep, snap, slot, t); ok {
						found = append(found, cd)
					}
				}
			}
		}
	}
	var costs []int32
	cost := func() {
		for _, cd := range found[len(costs):] {
			costs = append(costs, arcCost(cd.quality, cd.total, m.wc, m.margin))
		}
	}
	enough := func(outer float64) bool {
		lb := unseenBound(m.prep, outer)
		if lb < target {
			return false
		}
		if k <= 0 {
			return true
		}
		cost()
		n := 0
		for _, cs := range costs {
			if int64(cs) <= lb {
				n++
			}
		}
		return n >= k
	}
	var deferred []deferredSlot
	searchedKm := 0.0
	for i := c.next; i < len(c.radii); i++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, 0, err
		}
		c.fill(snap, m, i)
		slots := c.rings[i]
		c.rings[i] = nil
		var lb int64
		if price != nil && i > 0 {
			lb = unseenBound(m.prep, c.radii[i-1])
		}
		for _, slot := range slots {
			if price != nil && lb+price(slot) >= target {
				deferred = append(deferred, deferredSlot{slot: slot, lb: int32(lb)})
				continue
			}
			if cd, ok := e.consider(m.prep, snap, slot, t); ok {
				found = append(found, cd)
			}
		}
		c.next, searchedKm = i+1, c.radii[i]
		if i < len(c.radii)-1 && enough(c.radii[i]) {
			break
		}
	}
	cost()
	all := e.arcsOf(m, found, costs)
	m.complete = c.next >= len(c.radii)
	bound := int64(math.MaxInt64)
	if !m.complete {
		bound = unseenBound(m.prep, searchedKm)
	} else {
		c.rings = nil
	}
	return all, deferred, bound, nil
}

// arcsOf turns candidates and their costs into arcs, by cost, and counts them as suitable.
func (e *Engine) arcsOf(m *entMeta, found []candidate, costs []int32) []batchArc {
	all := make([]batchArc, len(found))
	for i, cd := range found {
		all[i] = batchArc{slot: cd.slot, cost: costs[i]}
	}
	slices.SortFunc(all, compareArcs)
	m.suitable += len(all)
	return all
}

// scoreSlots checks and scores placements an entity's search put off.
func (e *Engine) scoreSlots(snap *Snapshot, m *entMeta, slots []int32) []batchArc {
	t := newTally()
	var found []candidate
	var costs []int32
	for _, s := range slots {
		if cd, ok := e.consider(m.prep, snap, s, t); ok {
			found = append(found, cd)
			costs = append(costs, arcCost(cd.quality, cd.total, m.wc, m.margin))
		}
	}
	return e.arcsOf(m, found, costs)
}

// unseenBound is the least cost any placement at least km from home could have (kinship
// carers aside, which the search always considers).
func unseenBound(prep *scoring.Prepared, km float64) int64 {
	return int64(math.Round(costScale * (1 - prep.QualityBound(km))))
}

// arcCost is the cost per child of an offer: costScale x (1 - quality), plus up to
// costScale x margin for the weekly cost (its factor's score, recovered from the total: total
// = (1 - wc) x quality + wc x costScore). Cost therefore never outweighs a difference in
// quality of more than the policy's cost margin, as in Rank.
func arcCost(quality, total, wc, margin float64) int32 {
	q := min(max(quality, 0), 1)
	c := math.Round(costScale * (1 - q))
	if wc > 1e-9 {
		cs := min(max((total-(1-wc)*quality)/wc, 0), 1)
		c += math.Round(costScale * min(max(margin, 0), scoring.MaxCostMargin) * (1 - cs))
	}
	return int32(c)
}
