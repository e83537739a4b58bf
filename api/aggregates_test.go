package api_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/sufficiency"
)

// gatedHistory is the store with stability summaries a test controls: each is counted and
// announced, and waits while the gate is held for it, before the store computes it.
type gatedHistory struct {
	*sqlstore.Store
	calls   atomic.Int32
	started chan catalogue.CouncilCode // one send per summary started
	mu      sync.Mutex
	gate    chan struct{} // nil: open
	only    bool          // the gate holds only the summaries of council
	council catalogue.CouncilCode
}

func newGatedHistory(s *sqlstore.Store) *gatedHistory {
	return &gatedHistory{Store: s, started: make(chan catalogue.CouncilCode, 64)}
}

func (g *gatedHistory) StabilitySummary(ctx context.Context, council catalogue.CouncilCode, on time.Time) (catalogue.StabilitySummary, error) {
	g.calls.Add(1)
	g.started <- council
	g.mu.Lock()
	gate := g.gate
	if g.only && council != g.council {
		gate = nil
	}
	g.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return catalogue.StabilitySummary{}, ctx.Err()
		}
	}
	return g.Store.StabilitySummary(ctx, council, on)
}

// hold holds every summary started from now until release.
func (g *gatedHistory) hold() {
	g.mu.Lock()
	g.gate, g.only = make(chan struct{}), false
	g.mu.Unlock()
}

// holdOnly keeps holding the summaries held already, and of those starting from now only
// council's.
func (g *gatedHistory) holdOnly(council catalogue.CouncilCode) {
	g.mu.Lock()
	if g.gate == nil {
		g.gate = make(chan struct{})
	}
	g.only, g.council = true, council
	g.mu.Unlock()
}

func (g *gatedHistory) release() {
	g.mu.Lock()
	if g.gate != nil {
		close(g.gate)
		g.gate = nil
	}
	g.only = false
	g.mu.Unlock()
}

// waitStarted waits for n summaries to start and returns the council of the last.
func (g *gatedHistory) waitStarted(t *testing.T, n int) catalogue.CouncilCode {
	t.Helper()
	var c catalogue.CouncilCode
	for range n {
		select {
		case c = <-g.started:
		case <-time.After(10 * time.Second):
			t.Fatalf("a stability summary did not start (%d computed)", g.calls.Load())
		}
	}
	return c
}

// withGatedHistory rewires f's API with a gated history and a cache of aggregates of its own on
// the store's clock, closed when the test ends.
func withGatedHistory(t *testing.T, f *fixture) *gatedHistory {
	t.Helper()
	g := newGatedHistory(f.store)
	cache := aggregate.New(aggregate.Config{Now: f.store.Now})
	t.Cleanup(cache.Close)
	t.Cleanup(g.release) // before Close: a held computation ends
	h, err := api.New(api.Config{Store: g, Matcher: f.engine, Now: f.store.Now, Aggregates: cache})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return g
}

// inCare imports n children of council in care since 2022, each with one placement.
func inCare(t *testing.T, f *fixture, council catalogue.CouncilCode, n int) {
	t.Helper()
	b := catalogue.Batch{}
	for i := range n {
		c := childIn(council, "Child")
		c.ID, c.Status, c.DateOfBirth = catalogue.ChildID(-i-1), catalogue.ChildPlaced, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
		b.Children = append(b.Children, c)
		b.Episodes = append(b.Episodes, catalogue.Episode{ID: catalogue.EpisodeID(-i - 1), Child: c.ID,
			Start: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), Setting: catalogue.SettingCouncilFoster, DistanceKm: 2, PlacedIn: council})
	}
	if _, err := f.store.Import(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// stabilityCopy is what a test reads of GET /v1/stability.
type stabilityCopy struct {
	status      int
	age         string
	Council     string    `json:"council"`
	LookedAfter *int      `json:"looked_after"`
	ComputedAt  time.Time `json:"computed_at"`
}

func (s stabilityCopy) lookedAfter() int {
	if s.LookedAfter == nil {
		return -1
	}
	return *s.LookedAfter
}

// stability asks for GET /v1/stability (with query q) as who, failing when it is not answered
// within ten seconds: a request must never wait for a recomputation.
func stability(t *testing.T, f *fixture, who, q string) stabilityCopy {
	t.Helper()
	done := make(chan response, 1)
	go func() { done <- f.do(who, "GET", "/v1/stability"+q, nil) }()
	var r response
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("GET /v1/stability%s as %s waited", q, who)
	}
	out := stabilityCopy{status: r.status, age: r.header.Get("Age")}
	if r.status != http.StatusOK {
		return out
	}
	r.json(t, &out)
	if cc := r.header.Get("Cache-Control"); cc != "no-store" || out.age == "" {
		t.Errorf("Cache-Control %q, Age %q", cc, out.age)
	}
	return out
}

// TestStabilityStaleWhileRevalidate, on both stores: a copy is served while fresh; past its
// maximum age the old copy is served at once, with its age, while exactly one recompute runs
// (held by the test, so the requests could not have waited for it); once it has run, the new
// copy is served.
func TestStabilityStaleWhileRevalidate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		g := withGatedHistory(t, f)
		clock := sqltest.Clock(t, s)
		start := clock.Now()
		inCare(t, f, leeds, 6)
		const q = "?council=E08000035"
		first := stability(t, f, "commissioner", q)
		if first.status != 200 || first.lookedAfter() != 6 || first.age != "0" || !first.ComputedAt.Equal(start) {
			t.Fatalf("first: %+v", first)
		}
		inCare(t, f, leeds, 5) // the figures change, but the copy is fresh for a minute
		clock.Advance(30 * time.Second)
		if c := stability(t, f, "leedsOfficer", ""); c.lookedAfter() != 6 || c.age != "30" || g.calls.Load() != 1 {
			t.Fatalf("fresh: %+v after %d computations", c, g.calls.Load())
		}
		clock.Advance(31 * time.Second)
		g.hold()
		for _, who := range []string{"commissioner", "admin", "leedsOfficer"} {
			qq := q
			if who == "leedsOfficer" {
				qq = ""
			}
			if c := stability(t, f, who, qq); c.status != 200 || c.lookedAfter() != 6 || c.age != "61" || !c.ComputedAt.Equal(start) {
				t.Fatalf("stale, as %s: %+v", who, c)
			}
		}
		g.waitStarted(t, 2)
		if n := g.calls.Load(); n != 2 {
			t.Fatalf("%d computations, want 2: one recompute for three stale requests", n)
		}
		g.release()
		// The recompute ends in the background; the next request after it gets the new copy.
		var c stabilityCopy
		for range 1000 {
			if c = stability(t, f, "commissioner", q); c.lookedAfter() == 11 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if c.lookedAfter() != 11 || c.age != "0" || !c.ComputedAt.Equal(start.Add(61*time.Second)) {
			t.Fatalf("after the recompute: %+v", c)
		}
		if n := g.calls.Load(); n != 2 {
			t.Errorf("%d computations, want 2", n)
		}
	})
}

// TestOneAggregateComputationPerPrincipal: concurrent requests of one principal for aggregates
// of which nothing is cached: one is computed, the others answered 429 with Retry-After at
// once, while another principal is not held up; with copies cached, the busy principal gets
// them at once and starts no second recompute.
func TestOneAggregateComputationPerPrincipal(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	g := withGatedHistory(t, f)
	g.hold()
	type answer struct {
		council catalogue.CouncilCode
		r       response
	}
	councils := []catalogue.CouncilCode{leeds, manchester, "", "E08000006"} // "" is England
	answers := make(chan answer, len(councils))
	for _, c := range councils {
		go func() { answers <- answer{c, f.do("commissioner", "GET", "/v1/stability?council="+string(c), nil)} }()
	}
	for range len(councils) - 1 {
		var a answer
		select {
		case a = <-answers:
		case <-time.After(10 * time.Second):
			t.Fatal("a request of a busy principal waited")
		}
		retry, err := strconv.Atoi(a.r.header.Get("Retry-After"))
		if a.r.status != http.StatusTooManyRequests || err != nil || retry < 1 {
			t.Fatalf("%q: %d, Retry-After %q: %s", a.council, a.r.status, a.r.header.Get("Retry-After"), a.r.body)
		}
		a.r.problem(t)
	}
	computing := g.waitStarted(t, 1)
	if n := g.calls.Load(); n != 1 {
		t.Fatalf("%d computations for one principal at once", n)
	}
	// Another principal is not held up by the commissioner's computation.
	g.holdOnly(computing)
	for _, c := range councils {
		if c != computing {
			if got := stability(t, f, "admin", "?council="+string(c)); got.status != 200 || got.Council != string(c) {
				t.Fatalf("admin %q while the commissioner computes: %+v", c, got)
			}
		}
	}
	g.waitStarted(t, len(councils)-1)
	// The commissioner's computation ends.
	g.release()
	select {
	case a := <-answers:
		if a.r.status != 200 || a.council != computing {
			t.Fatalf("%q: %d %s", a.council, a.r.status, a.r.body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the computing request never ended")
	}
	// Stale copies: the commissioner's one recompute is held; their other requests get copies at
	// once and start nothing.
	sqltest.Clock(t, f.store).Advance(2 * time.Minute)
	g.hold()
	calls := g.calls.Load()
	for _, c := range councils {
		if got := stability(t, f, "commissioner", "?council="+string(c)); got.status != 200 || got.age != "120" || got.Council != string(c) {
			t.Fatalf("stale %q: %+v", c, got)
		}
	}
	g.waitStarted(t, 1)
	if n := g.calls.Load(); n != calls+1 {
		t.Errorf("%d recomputes for one busy principal, want 1", n-calls)
	}
}

// TestAggregateScopesKeptApart, on both stores: each caller's aggregate is of the area they
// asked for, or their own council's by default, whoever asked before; an officer's copy of
// their council is never another council's or England's.
func TestAggregateScopesKeptApart(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		withGatedHistory(t, f)
		inCare(t, f, leeds, 6)
		inCare(t, f, manchester, 8)
		for _, step := range []struct {
			who, q, council string
			lookedAfter     int
		}{
			{"commissioner", "?council=", "", 14},
			{"officer", "", string(manchester), 8},
			{"leedsOfficer", "", string(leeds), 6},
			{"commissioner", "?council=" + string(leeds), string(leeds), 6},
			{"officer", "", string(manchester), 8},
			{"admin", "", "", 14},
			{"leedsOfficer", "", string(leeds), 6},
		} {
			c := stability(t, f, step.who, step.q)
			if c.status != 200 || c.Council != step.council || c.lookedAfter() != step.lookedAfter {
				t.Errorf("%s%s: %+v, want %q with %d", step.who, step.q, c, step.council, step.lookedAfter)
			}
		}
		// Support needs: an officer's view is their council's, from the same protected sums.
		for who, code := range map[string]string{"officer": string(manchester), "leedsOfficer": string(leeds), "commissioner": "E92000001"} {
			r := f.do(who, "GET", "/v1/support-needs", nil)
			f.want(r, 200)
			var v struct {
				Area       struct{ Code string } `json:"area"`
				ComputedAt time.Time             `json:"computed_at"`
			}
			r.json(t, &v)
			if v.Area.Code != code || v.ComputedAt.IsZero() || r.header.Get("Age") == "" || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("support needs as %s: %s, computed at %v, Age %q", who, v.Area.Code, v.ComputedAt, r.header.Get("Age"))
			}
		}
	})
}

// countingSufficiency counts the reports computed.
type countingSufficiency struct {
	*sufficiency.Service
	computed atomic.Int32
}

func (c *countingSufficiency) Compute(ctx context.Context, progress func(string, int, int)) (*sufficiency.Report, error) {
	c.computed.Add(1)
	return c.Service.Compute(ctx, progress)
}

// TestSufficiencyOnTheCache: the report behind GET /v1/sufficiency, the dashboard, the what-if
// and the planner is one copy, computed once and served with its age; a what-if asked again
// is the same copy; past its maximum age the old report is served while one new one is
// computed.
func TestSufficiencyOnTheCache(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	svc, err := sufficiency.NewService(sufficiency.ServiceConfig{Source: f.store, Policies: f.store, Now: f.store.Now, MaxAge: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	suff := &countingSufficiency{Service: svc}
	cache := aggregate.New(aggregate.Config{Now: f.store.Now})
	t.Cleanup(cache.Close)
	if f.h, err = api.New(api.Config{Store: f.store, Matcher: f.engine, Now: f.store.Now, Sufficiency: suff, Aggregates: cache}); err != nil {
		t.Fatal(err)
	}
	clock := sqltest.Clock(t, f.store)
	start := clock.Now()
	r := f.do("commissioner", "GET", "/v1/sufficiency", nil)
	f.want(r, 200)
	var rep reportBody
	r.json(t, &rep)
	if !rep.FreshUntil.Equal(start.Add(10*time.Minute)) || r.header.Get("Age") != "0" {
		t.Errorf("fresh until %v, Age %q", rep.FreshUntil, r.header.Get("Age"))
	}
	clock.Advance(time.Minute)
	cookie := f.dashboardSession(t, "commissioner")
	if p := f.page(t, "GET", "/dashboard", cookie, nil); p.status != 200 || p.header.Get("Age") != "60" {
		t.Errorf("dashboard: %d, Age %q", p.status, p.header.Get("Age"))
	}
	whatIf := map[string]any{"additions": []any{map[string]any{"council": "E08000003", "profile": map[string]any{"places": 2}}}}
	var wi1, wi2 struct {
		ComputedAt time.Time `json:"computed_at"`
	}
	r = f.do("commissioner", "POST", "/v1/sufficiency/what-if", whatIf)
	f.want(r, 200)
	r.json(t, &wi1)
	clock.Advance(time.Minute)
	r = f.do("admin", "POST", "/v1/sufficiency/what-if", whatIf)
	f.want(r, 200)
	r.json(t, &wi2)
	if !wi1.ComputedAt.Equal(start.Add(time.Minute)) || !wi2.ComputedAt.Equal(wi1.ComputedAt) || r.header.Get("Age") != "60" {
		t.Errorf("what-if computed at %v, then %v (Age %q)", wi1.ComputedAt, wi2.ComputedAt, r.header.Get("Age"))
	}
	f.want(f.do("admin", "POST", "/v1/sufficiency/plan", map[string]any{"profile": map[string]any{"places": 2}, "carers": 2}), 200)
	if n := suff.computed.Load(); n != 1 {
		t.Errorf("%d reports computed for the report, the dashboard, two what-ifs and a plan", n)
	}
	clock.Advance(10 * time.Minute)
	r = f.do("commissioner", "GET", "/v1/sufficiency", nil)
	f.want(r, 200)
	if age := r.header.Get("Age"); age != "720" {
		t.Errorf("a stale report's Age %q", age)
	}
	for range 1000 {
		if suff.computed.Load() == 2 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := suff.computed.Load(); n != 2 {
		t.Errorf("%d reports computed, want 2", n)
	}
}

// countingStore counts the catalogue's sizes read.
type countingStore struct {
	*sqlstore.Store
	counts atomic.Int32
}

func (c *countingStore) Counts(ctx context.Context) (catalogue.Counts, error) {
	c.counts.Add(1)
	return c.Store.Counts(ctx)
}

// TestMetricsSizesOnTheCache: scrapes read the catalogue's sizes from the cache of aggregates.
func TestMetricsSizesOnTheCache(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	cat := &countingStore{Store: f.store}
	h, err := api.New(api.Config{Store: cat, Matcher: f.engine, Now: f.store.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	for range 3 {
		f.want(f.do("commissioner", "GET", "/metrics", nil), 200)
	}
	if n := cat.counts.Load(); n != 1 {
		t.Errorf("%d counts of the catalogue for three scrapes", n)
	}
}
