package matcher

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/golang/geo/s1"
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
	Policy  catalogue.Policy
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
	// Skipped counts placements within reach that were not checked because their distance, or
	// the bound at their own point (scoring.Prepared.QualityBoundAt), kept them below the options
	// found (the search is then not complete).
	Skipped int
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
	kinFirst       bool // connected persons ranked ahead of everyone else (scoring.Prepared.KinFirst)
}

// rings are the radii (km) the search widens through, before the policy's maximum distance.
var rings = []float64{8, 16, 32, 64}

// parallelAbove is the number of placements above which ScanOptions checks and scores them
// concurrently; below it the goroutines cost more than they save. (Options checks a ring's
// placements one by one, best bound first, and usually stops after a few hundred.)
const parallelAbove = 1024

// Options returns the best placements for a child, ranked, with reasons; or as many as exist,
// with a precise account of why there are not more.
//
// The search widens in rings around the child's home up to the policy's maximum distance. After
// each ring it stops if the options found are certain to be the best: when the Limit-th best
// quality found is at least the margin above the best quality any placement beyond the ring
// could reach (scoring.Prepared.QualityBound), nothing further out could enter the list, nor
// reorder it by cost. Within a ring, placements whose metadata settles the first constraint
// they break are counted without Check (prefilter.firstBroken); the rest are checked in the
// order of the bound on their quality at their own point, and those the options held rule out
// are skipped (Shortfall.Skipped).
func (e *Engine) Options(ctx context.Context, req OptionsRequest) (OptionsResult, error) {
	snap := e.Snapshot()
	limit, prep, err := req.prepare(snap)
	if err != nil {
		return OptionsResult{}, err
	}
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

	// Only the kinds of care every child to be placed is assessed for are searched; the others
	// are ruled out by the care type, counted below.
	kinds, others := acceptedKinds(prep.Children())
	home := pointOf(req.Request.Child.Home)
	maxKm := prep.MaxDistanceKm()
	inner := -1.0
	margin := req.Policy.CostMargin
	bound := newBoundTable(prep, maxKm)
	filter, at := newPrefilter(prep), prefixPositions()
	council := snap.councilOf(req.Request.Child.Council)
	identity := make([]float64, len(snap.identityRep)) // the identity factor of each, NaN until needed
	for i := range identity {
		identity[i] = math.NaN()
	}
	ownBound := func(slot int32) float64 {
		t := snap.traits[slot]
		pc := snap.council[slot]
		t.Inside = pc == council || pc == noCouncil
		id := snap.identity[slot]
		if math.IsNaN(identity[id]) {
			identity[id] = prep.Identity(&snap.placements[snap.identityRep[id]])
		}
		t.IdentityShort = 1 - identity[id]
		return prep.QualityBoundAt(snap.points[slot], t)
	}
	skipped := 0
	var pend []pending
	for _, outer := range append(slices.Clone(rings), maxKm) {
		if outer > maxKm {
			continue
		}
		// Once two options or more are held, a placement whose distance alone caps its quality
		// below the limit-th best by the margin cannot enter the list: it is skipped unchecked.
		threshold := math.Inf(-1)
		if len(found) >= max(limit, 2) {
			threshold = kthQuality(found, limit) - margin
		}
		// The distance beyond which the bound at whole kilometres is below the threshold, as a
		// chord: comparing chords spares an arcsine for every placement.
		far := s1.InfChordAngle()
		if threshold > 0 {
			far = bound.beyond(threshold)
		}
		pend = pend[:0]
		cover := newRing(home, inner, outer) // once for every kind's index
		for _, k := range kinds {
			snap.kindIndex[k].inRing(&cover, func(slot int32, d s1.ChordAngle) {
				if d > far {
					skipped++
					return
				}
				// A placement its metadata settles is counted without Check, once its constraint
				// has its example (the first in the order Check would meet them, as without
				// this), so that the answer is the same to the letter. (checkEvery gives them
				// to Check instead, first, for tests to compare: Check rejects them all.)
				pos, ok := filter.firstBroken(&snap.meta[slot], &at)
				if ok && tally.counts[pos] > 0 {
					if e.checkEvery {
						pend = append(pend, pending{slot: slot, bound: math.Inf(1)})
						return
					}
					tally.considered++
					tally.counts[pos]++
					return
				}
				pend = append(pend, pending{slot: slot, bound: ownBound(slot)})
			})
		}
		// The rest are checked best bound first (Prepared.QualityBoundAt at the placement's own
		// point, from its skills, record, council and identity factor: usually far below the
		// bound at its distance). Once the options held make the threshold, every placement whose bound is
		// below it is skipped unchecked; the threshold only rises as options are found, and the
		// order is fixed (bound, then slot), so the answer does not depend on anything else.
		top := newTopQualities(found, limit)
		order := pendingHeap(pend)
		order.init()
		for i := 0; len(order) > 0; i++ {
			c := order.pop()
			if top.held >= max(limit, 2) && c.bound < top.kth()-margin {
				skipped += len(order) + 1
				break
			}
			if i%256 == 255 {
				if err := ctx.Err(); err != nil {
					return OptionsResult{}, err
				}
			}
			if cand, ok := e.consider(prep, snap, c.slot, tally); ok {
				found = append(found, cand)
				top.add(cand.quality)
			}
		}
		res.Shortfall.SearchedKm = outer
		inner = outer
		if outer >= maxKm {
			res.Shortfall.Complete = skipped == 0
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
		searched, wrongKind := 0, 0
		for _, k := range kinds {
			searched += snap.kindIndex[k].len()
		}
		example := "Not the kind of care the child is assessed for."
		for _, k := range others {
			ix := snap.kindIndex[k]
			if ix.len() > 0 && wrongKind == 0 {
				// The reason, in words, as checking one of them gives it.
				for _, r := range prep.CheckAll(&snap.placements[ix.slots[0]]) {
					if r.Constraint == scoring.ConstraintCareType {
						example = r.Reason()
					}
				}
			}
			wrongKind += ix.len()
		}
		tally.addUnchecked(scoring.ConstraintCareType, wrongKind, example)
		beyond := searched - (tally.considered - len(seen))
		tally.addUnchecked(scoring.ConstraintMaxDistance, beyond, fmt.Sprintf("More than %.0f miles from home.", maxKm/catalogue.MilesToKm))
		others := snap.Len() - snap.index.len() - len(seen)
		tally.addUnchecked(scoring.ConstraintKinshipConnection, others, "Family and friends carers assessed for other children.")
	}

	res.Options = e.explain(prep, snap, found, limit, req.Policy)
	res.Shortfall.Considered = tally.considered
	res.Shortfall.Passed = len(found)
	res.Shortfall.Skipped = skipped
	res.Shortfall.Rejected = tally.list()
	res.Shortfall.FewerThanTwo = len(found) < 2 // fewer than two suitable placements exist, whatever the limit
	return res, nil
}

// acceptedKinds returns the positions (in kindOrder) of the kinds, other than kinship, that
// every child's assessed care type accepts, and of those it does not.
func acceptedKinds(children []catalogue.Child) (yes, no []int) {
	for i, k := range kindOrder {
		if k == catalogue.Kinship {
			continue
		}
		ok := k != ""
		for _, c := range children {
			ok = ok && c.CareType.Accepts(k)
		}
		if ok {
			yes = append(yes, i)
		} else {
			no = append(no, i)
		}
	}
	return yes, no
}

// boundTable memoises Prepared.QualityBound on whole kilometres. The bound does not rise with
// distance, so the bound at the kilometre below a distance holds for it.
type boundTable struct {
	prep *scoring.Prepared
	at1  []float64 // NaN: not computed yet
}

func newBoundTable(prep *scoring.Prepared, maxKm float64) *boundTable {
	b := &boundTable{prep: prep, at1: make([]float64, int(maxKm)+2)}
	for i := range b.at1 {
		b.at1[i] = math.NaN()
	}
	return b
}

// at returns an upper bound on the quality of a placement km from home.
func (b *boundTable) at(km float64) float64 {
	i := min(int(km), len(b.at1)-1)
	if math.IsNaN(b.at1[i]) {
		b.at1[i] = b.prep.QualityBound(float64(i))
	}
	return b.at1[i]
}

// beyond returns a chord angle beyond which every placement's distance from home bounds its
// quality below threshold: the least whole kilometre i whose bound is below it (the bound does
// not rise with distance), and a millimetre more, so that rounding in the conversion never
// skips a placement nearer than i. It is the infinite chord when no kilometre up to the
// table's end is below the threshold.
func (b *boundTable) beyond(threshold float64) s1.ChordAngle {
	lo, hi := 0, len(b.at1) // the least i in [lo, hi) with at(i) < threshold, or hi
	for lo < hi {
		mid := (lo + hi) / 2
		if b.at(float64(mid)) < threshold {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == len(b.at1) {
		return s1.InfChordAngle()
	}
	return s1.ChordAngleFromAngle(scoring.KmAngle(float64(lo) + 1e-6))
}

// prepare returns the number of options wanted (DefaultOptions when none is said, at most
// MaxOptions) and the request made ready for scoring against snap (its sharing agreements).
func (req OptionsRequest) prepare(snap *Snapshot) (int, *scoring.Prepared, error) {
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultOptions
	}
	prep, err := snap.Prepare(req.Request, req.Policy)
	return min(limit, MaxOptions), prep, err
}

// ScanOptions answers as Options does by checking and scoring every placement in the snapshot,
// without the index or the early stop: the baseline the ring search is measured against, and a
// reference for tests. Its shortfall is always complete.
func (e *Engine) ScanOptions(ctx context.Context, req OptionsRequest) (OptionsResult, error) {
	snap := e.Snapshot()
	limit, prep, err := req.prepare(snap)
	if err != nil {
		return OptionsResult{}, err
	}
	slots := make([]int32, snap.Len())
	for i := range slots {
		slots[i] = int32(i)
	}
	tally := newTally()
	found, err := e.considerAll(ctx, prep, snap, slots, tally)
	if err != nil {
		return OptionsResult{}, err
	}
	res := OptionsResult{Snapshot: snap.loadedAt, PolicyUsed: req.Policy.Version, Day: prep.Day()}
	res.Options = e.explain(prep, snap, found, limit, req.Policy)
	res.Shortfall = Shortfall{Considered: tally.considered, Passed: len(found), Rejected: tally.list(),
		SearchedKm: prep.MaxDistanceKm(), Complete: true, FewerThanTwo: len(found) < 2}
	return res, nil
}

// consider checks one placement and, when it passes, scores it quickly.
func (e *Engine) consider(prep *scoring.Prepared, snap *Snapshot, slot int32, t *tally) (candidate, bool) {
	p := &snap.placements[slot]
	t.considered++
	if r := prep.Check(p); r.Rejected() {
		t.add(r)
		return candidate{}, false
	}
	total, quality := prep.Quick(p)
	return candidate{slot: slot, quality: quality, total: total, homeKm: prep.HomeKm(p), kinFirst: prep.KinFirst(p)}, true
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

// pending is a placement within a ring waiting to be checked, with the bound on its quality.
type pending struct {
	slot  int32
	bound float64
}

// pendingHeap orders placements best bound first, then by slot: a heap, since a search
// usually stops long before it has taken them all.
type pendingHeap []pending

func (h pendingHeap) before(i, j int) bool {
	if h[i].bound != h[j].bound {
		return h[i].bound > h[j].bound
	}
	return h[i].slot < h[j].slot
}

func (h pendingHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h pendingHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		j := l
		if r := l + 1; r < len(h) && h.before(r, l) {
			j = r
		}
		if !h.before(j, i) {
			return
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
}

// pop removes and returns the first.
func (h *pendingHeap) pop() pending {
	old := *h
	n := len(old) - 1
	first := old[0]
	old[0] = old[n]
	*h = old[:n]
	h.down(0)
	return first
}

// topQualities keeps the best k qualities seen, best first, for the search's threshold.
type topQualities struct {
	k, held int // held counts every quality added, not only the k kept
	best    [MaxOptions]float64
}

func newTopQualities(found []candidate, k int) *topQualities {
	t := &topQualities{k: k}
	for _, c := range found {
		t.add(c.quality)
	}
	return t
}

func (t *topQualities) add(q float64) {
	n := min(t.held, t.k)
	t.held++
	if n == t.k && q <= t.best[t.k-1] {
		return
	}
	j := min(n, t.k-1)
	for j > 0 && t.best[j-1] < q {
		t.best[j] = t.best[j-1]
		j--
	}
	t.best[j] = q
}

// kth is the k-th best quality held (the caller holds k at least).
func (t *topQualities) kth() float64 { return t.best[t.k-1] }

// kthQuality returns the k-th best quality among the candidates (1 <= k <= MaxOptions,
// len >= k), keeping the best k in a small sorted array rather than sorting them all.
func kthQuality(cs []candidate, k int) float64 {
	var top [MaxOptions]float64
	n := 0
	for _, c := range cs {
		q := c.quality
		if n == k && q <= top[k-1] {
			continue
		}
		j := min(n, k-1)
		for j > 0 && top[j-1] < q {
			top[j] = top[j-1]
			j--
		}
		top[j] = q
		if n < k {
			n++
		}
	}
	return top[k-1]
}

// explain scores the best candidates in full, with sentences, ranks them and keeps limit.
// Connected persons ranked first come first whatever their quality (scoring.Rank); after them,
// every candidate whose quality is within the cost margin of the limit-th is explained too, so
// that Rank can let cost reorder them as the policy allows.
func (e *Engine) explain(prep *scoring.Prepared, snap *Snapshot, found []candidate, limit int, pol catalogue.Policy) []Option {
	if len(found) == 0 {
		return nil
	}
	slices.SortFunc(found, func(a, b candidate) int {
		switch {
		case a.kinFirst != b.kinFirst:
			if a.kinFirst {
				return -1
			}
			return 1
		case a.quality > b.quality:
			return -1
		case a.quality < b.quality:
			return 1
		}
		return int(snap.placements[a.slot].ID - snap.placements[b.slot].ID)
	})
	keep := min(limit, len(found))
	cut := found[keep-1].quality - pol.CostMargin
	for keep < len(found) && (found[keep].quality >= cut || found[keep].kinFirst) {
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

// tally counts rejections by constraint, keeping the first rejection of each as the example
// (its sentence is built only when the list is made).
type tally struct {
	considered int
	counts     [scoring.NConstraints]int
	examples   [scoring.NConstraints]scoring.Rejection
	fixed      [scoring.NConstraints]string // examples given as text, for what was never checked
}

func newTally() *tally { return &tally{} }

// add counts one placement rejected by r.
func (t *tally) add(r scoring.Rejection) {
	i := r.Index()
	if t.counts[i] == 0 {
		t.examples[i] = r
	}
	t.counts[i]++
}

// addUnchecked counts n placements the search did not check but knows constraint c removes.
func (t *tally) addUnchecked(c scoring.Constraint, n int, example string) {
	if n <= 0 {
		return
	}
	i := slices.Index(scoring.Constraints, c)
	if t.counts[i] == 0 {
		t.fixed[i] = example
	}
	t.counts[i] += n
}

func (t *tally) merge(o *tally) {
	t.considered += o.considered
	for i, n := range o.counts {
		if n > 0 && t.counts[i] == 0 {
			t.examples[i], t.fixed[i] = o.examples[i], o.fixed[i]
		}
		t.counts[i] += n
	}
}

func (t *tally) list() []Rejected {
	var out []Rejected
	for i, c := range scoring.Constraints {
		if n := t.counts[i]; n > 0 {
			ex := t.fixed[i]
			if t.examples[i].Rejected() {
				ex = t.examples[i].Reason()
			}
			out = append(out, Rejected{Constraint: c, Count: n, Example: ex})
		}
	}
	return out
}

func pointOf(l catalogue.Location) s2.Point { return scoring.Point(l) }
