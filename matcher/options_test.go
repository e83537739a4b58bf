package matcher

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
	"github.com/placematch/placematch/synth"
)

// North West councils: a region with dense supply and some sparse edges.
var northWest = []catalogue.CouncilCode{
	"E08000003", // Manchester
	"E08000006", // Salford
	"E08000009", // Trafford
	"E08000007", // Stockport
	"E08000001", // Bolton
	"E10000017", // Lancashire
	"E06000008", // Blackburn with Darwen
	"E06000009", // Blackpool
	"E08000012", // Liverpool
	"E06000064", // Westmorland and Furness
}

var (
	worldOnce sync.Once
	world     synth.World
)

// testWorld is a deterministic synthetic North West at national density.
func testWorld(t testing.TB) synth.World {
	t.Helper()
	worldOnce.Do(func() {
		cfg := synth.National()
		cfg.Councils = northWest
		b, err := synth.Generate(cfg)
		if err != nil {
			panic(err)
		}
		world = synth.Materialise(b, cfg.Today)
	})
	return world
}

// requests builds the request of every waiting child of the world.
func requests(w synth.World) []scoring.Request {
	return Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today)
}

// scan is the baseline the ring search must agree with: check and score every placement in
// the snapshot, rank them all, keep the first limit.
func scan(snap *Snapshot, prep *scoring.Prepared, pol catalogue.Policy, limit int) ([]scoring.Ranked, int) {
	var all []scoring.Ranked
	for i := range snap.placements {
		p := &snap.placements[i]
		if prep.Check(p).Rejected() {
			continue
		}
		all = append(all, scoring.Ranked{Placement: p.ID, Result: prep.Score(p)})
	}
	scoring.Rank(all, pol)
	return all[:min(limit, len(all))], len(all)
}

// testRequests are the requests of every waiting child of the world, or of the first 60 with
// -short.
func testRequests(w synth.World) []scoring.Request {
	reqs := requests(w)
	if testing.Short() {
		reqs = reqs[:min(len(reqs), 60)]
	}
	return reqs
}

// testPolicies are the default policy, one with a tight distance and one with a wide cost
// margin that weighs cost and school heavily.
func testPolicies() map[string]catalogue.Policy {
	tight := catalogue.DefaultPolicy()
	tight.MaxDistanceKm = 20
	wide := catalogue.DefaultPolicy()
	wide.CostMargin = 0.08
	wide.Weights[catalogue.FactorCost] = 10
	wide.Weights[catalogue.FactorSchool] = 25
	return map[string]catalogue.Policy{"default": catalogue.DefaultPolicy(), "20 km": tight, "wide margin": wide}
}

func newTestEngine(t testing.TB) *Engine {
	return NewEngineFrom(testWorld(t).Placements, Options{})
}

// TestOptionsMatchAFullScan: the ring search with its early stop returns exactly what checking
// and ranking every placement returns, for every waiting child of a region and several
// policies. This is what makes the early stop safe.
func TestOptionsMatchAFullScan(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	e := newTestEngine(t)
	snap := e.Snapshot()
	reqs := testRequests(w)
	policies := testPolicies()
	t.Logf("%d placements in the snapshot, %d requests", snap.Len(), len(reqs))
	fewer, combo := 0, 0
	for _, name := range []string{"default", "20 km", "wide margin"} {
		pol := policies[name]
		for _, limit := range []int{1, 3, 8} {
			combo++
			for i, req := range reqs {
				// Every child with the default policy and three options; a third of them otherwise.
				if (name != "default" || limit != 3) && i%3 != combo%3 {
					continue
				}
				prep, err := scoring.Prepare(req, pol)
				if err != nil {
					t.Fatal(err)
				}
				res, err := e.Options(context.Background(), OptionsRequest{Request: req, Policy: pol, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				want, passed := scan(snap, prep, pol, limit)
				if i%7 == 0 {
					sc, err := e.ScanOptions(context.Background(), OptionsRequest{Request: req, Policy: pol, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					if len(sc.Options) != len(want) || sc.Shortfall.Passed != passed {
						t.Fatalf("ScanOptions: %d options and %d passed; the test's scan %d and %d", len(sc.Options), sc.Shortfall.Passed, len(want), passed)
					}
					for k := range want {
						if sc.Options[k].Placement.ID != want[k].Placement {
							t.Fatalf("ScanOptions ranks placement %d at %d, the test's scan %d", sc.Options[k].Placement.ID, k+1, want[k].Placement)
						}
					}
				}
				if len(res.Options) != len(want) {
					t.Fatalf("%s, limit %d, request %d (child %d): %d options, a full scan finds %d",
						name, limit, i, req.Child.ID, len(res.Options), len(want))
				}
				for k := range want {
					got := res.Options[k]
					if got.Placement.ID != want[k].Placement || math.Abs(got.Result.Total-want[k].Result.Total) > 1e-12 {
						t.Fatalf("%s, limit %d, child %d: option %d is placement %d (%.4f), a full scan ranks %d (%.4f) there",
							name, limit, req.Child.ID, k+1, got.Placement.ID, got.Result.Total, want[k].Placement, want[k].Result.Total)
					}
					if got.Rank != k+1 {
						t.Fatalf("rank %d at position %d", got.Rank, k)
					}
				}
				sh := res.Shortfall
				if sh.Complete {
					rejected := 0
					for _, r := range sh.Rejected {
						rejected += r.Count
					}
					if sh.Passed != passed || rejected+sh.Passed != snap.Len() {
						t.Fatalf("%s, child %d: complete search passed %d and rejected %d of %d; a full scan passes %d",
							name, req.Child.ID, sh.Passed, rejected, snap.Len(), passed)
					}
				}
				if sh.FewerThanTwo != (passed < 2) {
					t.Fatalf("FewerThanTwo is %v with %d suitable placements", sh.FewerThanTwo, passed)
				}
				if passed < 2 {
					fewer++
					if !sh.Complete {
						t.Fatalf("%s limit %d: child %d has %d options and the search was not complete: %+v", name, limit, req.Child.ID, len(res.Options), sh)
					}
				}
			}
		}
	}
	t.Logf("%d searches with fewer than two options", fewer)
}

// TestOptionsProperties: over every waiting child of a region, no option breaks a hard
// constraint (exclusion zones included), options are distinct, a group planned together is
// only offered households that can take all of them, the ranking lets cost decide only within
// the margin, and each option's explanation is complete.
func TestOptionsProperties(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	e := newTestEngine(t)
	pol := catalogue.DefaultPolicy()
	reqs := requests(w)
	var groups, zones, offered int
	for _, req := range reqs {
		res, err := e.Options(context.Background(), OptionsRequest{Request: req, Policy: pol, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		prep, _ := scoring.Prepare(req, pol)
		places := max(1, len(req.Group))
		if len(req.Group) > 1 {
			groups++
		}
		for _, k := range prep.Children() {
			if len(k.ExclusionZones) > 0 {
				zones++
			}
		}
		seen := map[catalogue.PlacementID]bool{}
		for i, o := range res.Options {
			offered++
			p := &o.Placement
			if seen[p.ID] {
				t.Fatalf("child %d: placement %d offered twice", req.Child.ID, p.ID)
			}
			seen[p.ID] = true
			if rs := prep.CheckAll(p); len(rs) > 0 {
				t.Fatalf("child %d offered placement %d, which breaks %s: %s", req.Child.ID, p.ID, rs[0].Constraint, rs[0].Reason())
			}
			if free := p.OpenVacancies(res.Day); free < places {
				t.Fatalf("child %d with %d siblings offered placement %d with %d places free", req.Child.ID, places-1, p.ID, free)
			}
			if len(req.Group) > 1 && !p.Approval.SiblingGroups {
				t.Fatalf("group of %d offered placement %d, not approved for sibling groups", places, p.ID)
			}
			if len(o.Result.Factors) != len(catalogue.Factors) {
				t.Fatalf("option with %d factors", len(o.Result.Factors))
			}
			for _, f := range o.Result.Factors {
				if f.Reason == "" || f.Score < 0 || f.Score > 1 || f.Weight < 0 {
					t.Fatalf("child %d, placement %d: factor %+v", req.Child.ID, p.ID, f)
				}
				if f.Factor == catalogue.FactorCost && f.Weight > pol.CostCap+1e-9 {
					t.Fatalf("cost weighs %v", f.Weight)
				}
			}
			for j := i + 1; j < len(res.Options); j++ {
				lo := res.Options[j].Result
				// Connected persons come first whatever the scores (s22C(7)(a)); within each
				// part, cost never decides beyond the margin.
				if lo.KinFirst && !o.Result.KinFirst {
					t.Fatalf("child %d: option %d, unconnected, ranked above connected persons at %d", req.Child.ID, i+1, j+1)
				}
				if lo.KinFirst != o.Result.KinFirst {
					continue
				}
				if lo.Quality > o.Result.Quality && lo.Quality-o.Result.Quality >= pol.CostMargin {
					t.Fatalf("child %d: option %d (quality %.4f) ranked above option %d (quality %.4f): cost decided beyond the margin",
						req.Child.ID, i+1, o.Result.Quality, j+1, lo.Quality)
				}
			}
		}
	}
	if groups == 0 || zones == 0 || offered == 0 {
		t.Fatalf("the world tests too little: %d groups, %d children with exclusion zones, %d options", groups, zones, offered)
	}
	t.Logf("%d requests (%d sibling groups, %d children with exclusion zones), %d options", len(reqs), groups, zones, offered)
}

// TestRaisingAWeightKeepsTheBestOnIt: raising a factor's weight never moves down the option
// that is best on that factor (the cost margin aside, which can let a cheaper option overtake
// when the leader's lead shrinks into it: the test sets the margin to 0 to isolate the rule).
func TestRaisingAWeightKeepsTheBestOnIt(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	e := newTestEngine(t)
	base := catalogue.DefaultPolicy()
	base.CostMargin = 0
	reqs := requests(w)
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(reqs), func(i, j int) { reqs[i], reqs[j] = reqs[j], reqs[i] })
	reqs = reqs[:min(len(reqs), 80)]
	checked := 0
	for _, f := range []catalogue.Factor{catalogue.FactorSchool, catalogue.FactorFamily, catalogue.FactorNeeds,
		catalogue.FactorStability, catalogue.FactorIdentity, catalogue.FactorHomeArea} {
		raised := base
		raised.Weights = maps(base.Weights)
		raised.Weights[f] *= 1.8
		for _, req := range reqs {
			before, err := e.Options(context.Background(), OptionsRequest{Request: req, Policy: base, Limit: MaxOptions})
			if err != nil {
				t.Fatal(err)
			}
			if len(before.Options) < 2 {
				continue
			}
			best, bestScore := catalogue.PlacementID(0), -1.0
			for _, o := range before.Options {
				if s := factorScore(o, f); s > bestScore {
					best, bestScore = o.Placement.ID, s
				}
			}
			after, err := e.Options(context.Background(), OptionsRequest{Request: req, Policy: raised, Limit: MaxOptions})
			if err != nil {
				t.Fatal(err)
			}
			r0, r1 := rankOf(before.Options, best), rankOf(after.Options, best)
			if r1 == 0 || r1 > r0 {
				t.Fatalf("child %d: placement %d, best on %s, was ranked %d and is %d after its weight rose", req.Child.ID, best, f, r0, r1)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d cases checked", checked)
	}
}

func maps(w catalogue.Weights) catalogue.Weights {
	out := make(catalogue.Weights, len(w))
	for k, v := range w {
		out[k] = v
	}
	return out
}

func factorScore(o Option, f catalogue.Factor) float64 {
	for _, fs := range o.Result.Factors {
		if fs.Factor == f {
			return fs.Score
		}
	}
	return -1
}

func rankOf(opts []Option, id catalogue.PlacementID) int {
	i := slices.IndexFunc(opts, func(o Option) bool { return o.Placement.ID == id })
	if i < 0 {
		return 0
	}
	return opts[i].Rank
}

// TestOptionsDeterministic: the same request gives the same options, in the same order,
// whatever the number of workers.
func TestOptionsDeterministic(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	one := NewEngineFrom(w.Placements, Options{Workers: 1})
	many := NewEngineFrom(w.Placements, Options{Workers: 8})
	for _, req := range requests(w)[:40] {
		a, _ := one.Options(context.Background(), OptionsRequest{Request: req, Policy: catalogue.DefaultPolicy(), Limit: 5})
		b, _ := many.Options(context.Background(), OptionsRequest{Request: req, Policy: catalogue.DefaultPolicy(), Limit: 5})
		if len(a.Options) != len(b.Options) {
			t.Fatalf("child %d: %d and %d options", req.Child.ID, len(a.Options), len(b.Options))
		}
		for i := range a.Options {
			if a.Options[i].Placement.ID != b.Options[i].Placement.ID {
				t.Fatalf("child %d: option %d differs", req.Child.ID, i+1)
			}
		}
		if a.Shortfall.Considered != b.Shortfall.Considered || len(a.Shortfall.Rejected) != len(b.Shortfall.Rejected) {
			t.Fatalf("child %d: shortfalls differ: %+v and %+v", req.Child.ID, a.Shortfall, b.Shortfall)
		}
	}
}

// TestSnapshotTouch: a placement whose last place is filled leaves the snapshot; one that
// opens a place joins it.
func TestSnapshotTouch(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	src := &memSource{placements: slices.Clone(w.Placements)}
	e, err := NewEngine(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := e.Snapshot().Len()
	var target int
	for i, p := range src.placements {
		if p.Active && p.OpenVacancies(w.Today.AddDate(1, 0, 0)) > 0 {
			target = i
			break
		}
	}
	p := src.placements[target]
	if _, ok := e.Snapshot().Placement(p.ID); !ok {
		t.Fatalf("placement %d with a free place is not in the snapshot", p.ID)
	}
	vs := slices.Clone(p.Vacancies)
	for i := range vs {
		if vs[i].Status == catalogue.VacancyAvailable {
			vs[i].Status = catalogue.VacancyWithdrawn
		}
	}
	src.placements[target].Vacancies = vs
	if err := e.Touch(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Snapshot().Placement(p.ID); ok || e.Snapshot().Len() != n-1 {
		t.Fatalf("after its places were withdrawn placement %d is still offered (%d placements)", p.ID, e.Snapshot().Len())
	}
	src.placements[target].Vacancies = p.Vacancies
	if err := e.Touch(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Snapshot().Placement(p.ID); !ok || e.Snapshot().Len() != n {
		t.Fatalf("after its places reopened placement %d is missing", p.ID)
	}
}

// memSource is a catalogue in memory, for the engine's loading and refreshing.
type memSource struct{ placements []catalogue.Placement }

func (m *memSource) ListPlacements(_ context.Context, _ catalogue.Scope, f catalogue.PlacementFilter) (catalogue.Page[catalogue.Placement], error) {
	var out catalogue.Page[catalogue.Placement]
	limit := catalogue.ClampLimit(f.Limit)
	for _, p := range m.placements {
		if p.ID <= f.After {
			continue
		}
		if len(out.Items) == limit {
			out.Next = int64(out.Items[len(out.Items)-1].ID)
			break
		}
		out.Items = append(out.Items, p)
	}
	return out, nil
}

func (m *memSource) Placement(_ context.Context, _ catalogue.Scope, id catalogue.PlacementID) (catalogue.Placement, error) {
	for _, p := range m.placements {
		if p.ID == id {
			return p, nil
		}
	}
	return catalogue.Placement{}, catalogue.ErrNotFound
}

func TestKthQuality(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	for range 500 {
		n := 1 + rng.IntN(60)
		cs := make([]candidate, n)
		qs := make([]float64, n)
		for i := range cs {
			cs[i].quality = float64(rng.IntN(12)) / 11 // ties are common
			qs[i] = cs[i].quality
		}
		slices.Sort(qs)
		slices.Reverse(qs)
		k := 1 + rng.IntN(min(n, MaxOptions))
		if got := kthQuality(cs, k); got != qs[k-1] {
			t.Fatalf("k=%d of %v: %v, want %v", k, qs, got, qs[k-1])
		}
	}
}
