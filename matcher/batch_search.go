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

// The batch's candidate search is Options' (Engine.consider: every hard constraint checked,
// then the quick score; kinship carers first, then rings around home), run so that it can stop
// early, resume, and leave placements unscored until they could matter:
//
//   - one scan of the index (to firstScanKm, then the rest if the search goes further) finds
//     the placements within the policy's maximum distance that pass the prefilter, each kept in
//     its ring with its distance (cursor);
//   - rings are checked and scored in order only as far as the match needs: first until the
//     child's best K are certain, later, if certification asks, until nothing further out could
//     improve the answer;
//   - a placement whose distance alone bounds its cost (Options' bound table) at or above what
//     could still matter is put off unscored, with that bound (deferredSlot): in the first
//     search, once K are held, what could not enter the best K; when certification widens the
//     search, what its price and bound put out of reach. Certification checks the deferred again
//     at each round's prices and has them scored once they could pay.

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

// ringSlot is a placement in a ring and its distance from home in whole kilometres (rounded
// down: the bound there holds for it).
type ringSlot struct {
	slot int32
	km   uint16
}

// cursor is one entity's resumable search.
type cursor struct {
	kinship   bool // the kinship carers have been considered
	radii     []float64
	rings     [][]ringSlot // prefiltered placements of each ring not yet searched
	next      int          // the ring to search next
	scannedKm float64      // the rings are filled up to here (0: not yet)
	bound     *boundTable  // quality bound by distance
	council   uint16       // the child's council in the snapshot (Snapshot.councilOf)
}

// firstScanKm is how far the first scan of the index reaches; the rest is scanned when a
// search goes beyond it (most searches stop well inside the maximum distance).
const firstScanKm = 24

// lbAt is the least cost a placement km from home could have.
func (c *cursor) lbAt(km uint16) int64 {
	return int64(math.Round(costScale * (1 - c.bound.at(float64(km)))))
}

// lbOf is the least cost the placement in slot could have, from its own point, council, skills
// and record (Prepared.QualityBoundAt): at least lbAt of its distance, and usually more.
func (c *cursor) lbOf(snap *Snapshot, m *entMeta, slot int32) int64 {
	t := snap.traits[slot]
	pc := snap.council[slot]
	t.Inside = pc == c.council || pc == noCouncil
	return int64(math.Round(costScale * (1 - m.prep.QualityBoundAt(snap.points[slot], t))))
}

// fill fills the cursor's rings up to ring i, by scanning the index: each placement that passes
// the prefilter goes in the first ring that reaches it (by the chord comparison the per-ring
// scan would make).
func (c *cursor) fill(snap *Snapshot, m *entMeta, i int) {
	if c.radii == nil {
		c.radii = batchRadii(m.prep.MaxDistanceKm())
		c.rings = make([][]ringSlot, len(c.radii))
		c.bound = newBoundTable(m.prep, m.prep.MaxDistanceKm())
		c.council = snap.councilOf(m.prep.Children()[0].Council)
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
	if kinds := m.filter.kinds &^ kindBit(catalogue.Kinship); kinds != 0 { // a child assessed for kinship care only has no one to scan for
		chords := make([]s1.ChordAngle, len(c.radii))
		for k, r := range c.radii {
			chords[k] = s1.ChordAngleFromAngle(scoring.KmAngle(r))
		}
		// Whole kilometres by chord, so that no arcsine is taken per placement: km[j] is the
		// chord of j+1 km, and a placement whose chord is at most km[j] is less than j+1 km away.
		km := make([]s1.ChordAngle, int(c.radii[len(c.radii)-1])+1)
		for j := range km {
			km[j] = s1.ChordAngleFromAngle(scoring.KmAngle(float64(j + 1)))
		}
		// Only the placements of the kinds the child may live in: the prefilter would rule the
		// others out.
		snap.indexFor(kinds).within(m.home, inner, outer, func(slot int32, d s1.ChordAngle) {
			if !m.filter.passes(&snap.meta[slot]) {
				return
			}
			r, _ := slices.BinarySearch(chords, d) // the first ring whose radius reaches d
			r = min(r, len(chords)-1)
			j, _ := slices.BinarySearch(km, d) // whole kilometres, rounded down (or the one below)
			c.rings[r] = append(c.rings[r], ringSlot{slot: slot, km: uint16(min(j, 65535))})
		})
	}
	c.scannedKm = outer
}

// searchAll runs every entity's first search concurrently, one search per worker.
func (e *Engine) searchAll(ctx context.Context, snap *Snapshot, metas []*entMeta, k int, progress func(Progress)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.workers)
	var done atomic.Int64
	step := max(len(metas)/100, 1)
	for _, m := range metas {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			all, deferred, bound, err := e.searchEntity(gctx, snap, m, k, 0, nil)
			if err != nil {
				return err
			}
			m.first = firstSearch{arcs: all, deferred: deferred, bound: bound}
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
// search only), and nothing further out could cost less than target. With price set, a
// placement whose price plus its bound reaches target is put off; without it (the first
// search), once k placements are held, a placement whose bound reaches the k-th least cost
// found is put off. It returns the placements it scored this time, by cost, those it put off,
// and a lower bound on the cost of every suitable placement in the rings not yet searched
// (math.MaxInt64 once the search has reached the policy's maximum distance).
func (e *Engine) searchEntity(ctx context.Context, snap *Snapshot, m *entMeta, k int, target int64, price func(slot int32) int64) ([]batchArc, []deferredSlot, int64, error) {
	c := &m.cursor
	c.fill(snap, m, c.next)
	var found []batchArc
	var best kBest // the k least costs found, for the first search's threshold
	best.k = k
	add := func(a batchArc) {
		found = append(found, a)
		best.add(a.cost)
	}
	if !c.kinship {
		c.kinship = true
		seen := map[int32]bool{}
		for _, ch := range m.prep.Children() {
			for _, slot := range snap.kinship[ch.ID] {
				if !seen[slot] {
					seen[slot] = true
					if a, ok := offerable(m, snap, slot); ok {
						add(a)
					}
				}
			}
		}
	}
	var deferred []deferredSlot
	searchedKm := 0.0
	for i := c.next; i < len(c.radii); i++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, 0, err
		}
		c.fill(snap, m, i)
		ring := c.rings[i]
		c.rings[i] = nil
		for _, rs := range ring {
			// Put off what its bound by distance, or failing that its bound at its own point,
			// puts out of reach.
			var reach int64 // lb + reach >= target: out of reach
			switch {
			case price != nil:
				reach = target - price(rs.slot)
			case best.full():
				reach = int64(best.kth())
			default:
				reach = math.MaxInt64
			}
			if reach < math.MaxInt64 {
				lb := c.lbAt(rs.km)
				if lb < reach {
					lb = max(lb, c.lbOf(snap, m, rs.slot))
				}
				if lb >= reach {
					deferred = append(deferred, deferredSlot{slot: rs.slot, lb: int32(lb)})
					continue
				}
			}
			if a, ok := offerable(m, snap, rs.slot); ok {
				add(a)
			}
		}
		c.next, searchedKm = i+1, c.radii[i]
		if i == len(c.radii)-1 {
			break
		}
		lb := unseenBound(m.prep, c.radii[i])
		if lb >= target && (k <= 0 || (best.full() && int64(best.kth()) <= lb)) {
			break
		}
	}
	all := byCost(found)
	m.suitable += len(all)
	m.complete = c.next >= len(c.radii)
	bound := int64(math.MaxInt64)
	if !m.complete {
		bound = unseenBound(m.prep, searchedKm)
	} else {
		c.rings = nil
	}
	return all, deferred, bound, nil
}

// kBest keeps the k least of the costs added, ascending.
type kBest struct {
	k  int
	xs []int32
}

func (b *kBest) add(c int32) {
	if b.k <= 0 {
		return
	}
	if len(b.xs) == b.k && c >= b.xs[b.k-1] {
		return
	}
	i, _ := slices.BinarySearch(b.xs, c)
	if len(b.xs) < b.k {
		b.xs = append(b.xs, 0)
	}
	copy(b.xs[i+1:], b.xs[i:len(b.xs)-1])
	b.xs[i] = c
}

func (b *kBest) full() bool { return b.k > 0 && len(b.xs) == b.k }
func (b *kBest) kth() int32 { return b.xs[b.k-1] }

// offerable checks a placement against every hard constraint for the entity and, when it
// passes, scores it quickly: Options' consider (Prepared.CheckAt, then Prepared.QuickAt at the
// snapshot's point of the placement), without
// what the batch does not use (the tally of rejections, the distance from home).
func offerable(m *entMeta, snap *Snapshot, slot int32) (batchArc, bool) {
	p := &snap.placements[slot]
	pt := snap.points[slot]
	if m.prep.CheckAt(p, pt).Rejected() {
		return batchArc{}, false
	}
	total, quality := m.prep.QuickAt(p, pt)
	if m.prep.KinFirst(p) {
		// Connected persons come first (Children Act 1989 s22C(7)(a)): their offer costs
		// nothing, less than any unconnected carer's, so the flow gives the child their place
		// whenever it can; they can take only the children they are assessed for, so no other
		// child loses a place by it. Rank then puts it first among the child's two.
		return batchArc{slot: slot, cost: 0}, true
	}
	return batchArc{slot: slot, cost: arcCost(quality, total, m.wc, m.margin)}, true
}

// byCost sorts arcs by cost, then slot, in place, and returns them.
func byCost(arcs []batchArc) []batchArc {
	keys := make([]uint64, len(arcs))
	for i, a := range arcs {
		keys[i] = uint64(uint32(a.cost))<<32 | uint64(uint32(a.slot))
	}
	slices.Sort(keys)
	for i, k := range keys {
		arcs[i] = batchArc{cost: int32(k >> 32), slot: int32(uint32(k))}
	}
	return arcs
}

// scoreSlots checks and scores placements an entity's search put off.
func (e *Engine) scoreSlots(snap *Snapshot, m *entMeta, slots []int32) []batchArc {
	var found []batchArc
	for _, s := range slots {
		if a, ok := offerable(m, snap, s); ok {
			found = append(found, a)
		}
	}
	m.suitable += len(found)
	return byCost(found)
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
		c += math.Round(costScale * min(max(margin, 0), catalogue.MaxCostMargin) * (1 - cs))
	}
	return int32(c)
}
