package aggregate

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/placematch/placematch/catalogue"
)

var epoch = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// gated is a computation a test controls: each call counts, waits for the gate (if any) and
// returns the call's number.
type gated struct {
	calls atomic.Int32
	mu    sync.Mutex
	gate  chan struct{} // nil: return at once
	err   error
}

func (g *gated) hold() {
	g.mu.Lock()
	g.gate = make(chan struct{})
	g.mu.Unlock()
}

func (g *gated) release() {
	g.mu.Lock()
	if g.gate != nil {
		close(g.gate)
		g.gate = nil
	}
	g.mu.Unlock()
}

func (g *gated) fail(err error) {
	g.mu.Lock()
	g.err = err
	g.mu.Unlock()
}

func (g *gated) compute(ctx context.Context) (int, error) {
	n := int(g.calls.Add(1))
	g.mu.Lock()
	gate, err := g.gate, g.err
	g.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

// bubble runs f in a synctest bubble with a cache on a manual clock, closed at the end: Close
// must join every computation, or the bubble reports the goroutine left over.
func bubble(t *testing.T, f func(t *testing.T, c *Cache, clock *catalogue.ManualClock)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		clock := catalogue.NewManualClock(epoch)
		c := New(Config{Now: clock.Clock()})
		defer c.Close()
		f(t, c, clock)
	})
}

func key(n int) Key {
	return Key{Route: "/v1/stability", Scope: "council:" + strconv.Itoa(n), Params: "on=2026-11-22"}
}

func query(who string, k Key) Query { return Query{Key: k, Who: who, MaxAge: time.Minute} }

// TestStaleWhileRevalidate: a copy is served while fresh; after its maximum age the old copy is
// served at once, with its age, while exactly one new computation runs, however many ask; once
// it ends, the new copy is served.
func TestStaleWhileRevalidate(t *testing.T) {
	t.Parallel()
	bubble(t, func(t *testing.T, c *Cache, clock *catalogue.ManualClock) {
		g := &gated{}
		ctx := t.Context()
		cp, err := Get(ctx, c, query("token:1", key(1)), g.compute)
		if err != nil || cp.Value != 1 || cp.Stale || cp.Age != 0 || !cp.ComputedAt.Equal(epoch) {
			t.Fatalf("first: %+v %v", cp, err)
		}
		clock.Advance(30 * time.Second)
		if cp, _ = Get(ctx, c, query("token:2", key(1)), g.compute); cp.Value != 1 || cp.Stale || cp.Age != 30*time.Second || g.calls.Load() != 1 {
			t.Fatalf("fresh: %+v, %d computations", cp, g.calls.Load())
		}
		clock.Advance(31 * time.Second)
		g.hold()
		for who := range 5 {
			cp, err = Get(ctx, c, query("token:"+strconv.Itoa(who), key(1)), g.compute)
			if err != nil || cp.Value != 1 || !cp.Stale || cp.Age != 61*time.Second {
				t.Fatalf("stale %d: %+v %v", who, cp, err)
			}
		}
		synctest.Wait()
		if n := g.calls.Load(); n != 2 {
			t.Fatalf("%d computations after the copy went stale, want 2 (one recompute)", n)
		}
		g.release()
		synctest.Wait()
		cp, err = Get(ctx, c, query("token:3", key(1)), g.compute)
		if err != nil || cp.Value != 2 || cp.Stale || cp.Age != 0 || !cp.ComputedAt.Equal(epoch.Add(61*time.Second)) {
			t.Fatalf("after the recompute: %+v %v", cp, err)
		}
		if n := g.calls.Load(); n != 2 {
			t.Errorf("%d computations, want 2", n)
		}
	})
}

// TestNoWaitOnThePath: while a recompute is blocked, a request with a copy cached is answered
// at once; only a request with nothing cached waits, and only for its own key.
func TestNoWaitOnThePath(t *testing.T) {
	t.Parallel()
	bubble(t, func(t *testing.T, c *Cache, clock *catalogue.ManualClock) {
		g := &gated{}
		ctx := t.Context()
		if _, err := Get(ctx, c, query("token:1", key(1)), g.compute); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		g.hold() // the recompute never ends until released
		answered := make(chan Copy[int])
		go func() {
			cp, err := Get(ctx, c, query("token:1", key(1)), g.compute)
			if err != nil {
				t.Error(err)
			}
			answered <- cp
		}()
		synctest.Wait() // every goroutine is blocked: the request must have been answered
		select {
		case cp := <-answered:
			if cp.Value != 1 || !cp.Stale {
				t.Errorf("%+v", cp)
			}
		default:
			t.Fatal("the request waited for the recompute")
		}
		// A cold key of another principal is waited for, and only for its own computation.
		other := &gated{}
		if cp, err := Get(ctx, c, query("token:2", key(2)), other.compute); err != nil || cp.Value != 1 {
			t.Errorf("a cold key while another is blocked: %+v %v", cp, err)
		}
		g.release()
	})
}

// TestOneComputationPerPrincipal: a principal with a computation in flight gets the cached copy
// of anything else, or ErrBusy with a time to retry when nothing is cached; another principal
// is not held up; waiting on a key already being computed is not a second computation.
func TestOneComputationPerPrincipal(t *testing.T) {
	t.Parallel()
	bubble(t, func(t *testing.T, c *Cache, clock *catalogue.ManualClock) {
		ctx := t.Context()
		g := &gated{}
		if _, err := Get(ctx, c, query("token:9", key(3)), g.compute); err != nil { // a copy of key 3
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		g.hold()
		first := make(chan error, 1)
		go func() {
			_, err := Get(ctx, c, query("token:1", key(1)), g.compute)
			first <- err
		}()
		synctest.Wait()
		// Concurrent requests for other keys by the same principal.
		_, err := Get(ctx, c, query("token:1", key(2)), g.compute)
		var re *RetryError
		if !errors.As(err, &re) || !errors.Is(err, ErrBusy) || re.After < time.Second || re.After%time.Second != 0 {
			t.Fatalf("a second cold key: %v", err)
		}
		cp, err := Get(ctx, c, query("token:1", key(3)), g.compute)
		if err != nil || !cp.Stale || cp.Value != 1 {
			t.Fatalf("a stale key: %+v %v", cp, err)
		}
		synctest.Wait()
		if n := g.calls.Load(); n != 2 {
			t.Fatalf("%d computations, want 2: the stale key was recomputed for a busy principal", n)
		}
		// The same principal asking again for the key in flight waits for it.
		again := make(chan error, 1)
		go func() {
			_, err := Get(ctx, c, query("token:1", key(1)), g.compute)
			again <- err
		}()
		// Another principal computes at once.
		other := &gated{}
		if cp, err := Get(ctx, c, query("token:2", key(2)), other.compute); err != nil || cp.Value != 1 {
			t.Fatalf("another principal: %+v %v", cp, err)
		}
		synctest.Wait()
		if n := g.calls.Load(); n != 2 {
			t.Fatalf("%d computations, want 2", n)
		}
		g.release()
		if err := <-first; err != nil {
			t.Error(err)
		}
		if err := <-again; err != nil {
			t.Error(err)
		}
		// Free again: the principal's stale key is recomputed now.
		if cp, _ := Get(ctx, c, query("token:1", key(3)), g.compute); !cp.Stale {
			t.Errorf("%+v", cp)
		}
		synctest.Wait()
		if n := g.calls.Load(); n != 3 {
			t.Errorf("%d computations, want 3", n)
		}
	})
}

// TestSharedComputation: many principals asking at once for a key with nothing cached share
// one computation; the service itself is not limited.
func TestSharedComputation(t *testing.T) {
	t.Parallel()
	bubble(t, func(t *testing.T, c *Cache, clock *catalogue.ManualClock) {
		g := &gated{}
		g.hold()
		var wg sync.WaitGroup
		for who := range 8 {
			wg.Go(func() {
				cp, err := Get(t.Context(), c, query("token:"+strconv.Itoa(who), key(1)), g.compute)
				if err != nil || cp.Value != 1 {
					t.Errorf("%d: %+v %v", who, cp, err)
				}
			})
		}
		synctest.Wait()
		g.release()
		wg.Wait()
		if n := g.calls.Load(); n != 1 {
			t.Errorf("%d computations for 8 callers at once", n)
		}
		other := &gated{}
		for i := range 3 {
			if _, err := Get(t.Context(), c, query("", key(10+i)), other.compute); err != nil {
				t.Errorf("the service: %v", err)
			}
		}
	})
}

// TestColdKeyDeadline: a request whose deadline passes before the first copy is computed gets
// ErrPending with a time to retry; one whose caller goes away gets its context's error; the
// computation goes on for the next request.
func TestColdKeyDeadline(t *testing.T) {
	t.Parallel()
	bubble(t, func(t *testing.T, c *Cache, clock *catalogue.ManualClock) {
		g := &gated{}
		g.hold()
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		_, err := Get(ctx, c, query("token:1", key(1)), g.compute)
		var re *RetryError
		if !errors.As(err, &re) || !errors.Is(err, ErrPending) || re.After < time.Second {
			t.Fatalf("past the deadline: %v", err)
		}
		gone, leave := context.WithCancel(t.Context())
		leave()
		if _, err := Get(gone, c, query("token:2", key(1)), g.compute); !errors.Is(err, context.Canceled) {
			t.Fatalf("a caller gone: %v", err)
		}
		g.release()
		synctest.Wait()
		if cp, err := Get(t.Context(), c, query("token:1", key(1)), g.compute); err != nil || cp.Value != 1 || g.calls.Load() != 1 {
			t.Errorf("after: %+v %v, %d computations", cp, err, g.calls.Load())
		}
	})
}

// TestFailures: a failed first computation reaches its callers and is not kept; a failed
// recompute keeps the old copy, says so, and is not tried again for a few seconds; a panic is
// an error, not a crash.
func TestFailures(t *testing.T) {
	t.Parallel()
	bubble(t, func(t *testing.T, c *Cache, clock *catalogue.ManualClock) {
		ctx := t.Context()
		g := &gated{}
		down := errors.New("the database is down")
		g.fail(down)
		if _, err := Get(ctx, c, query("token:1", key(1)), g.compute); !errors.Is(err, down) {
			t.Fatalf("first computation failing: %v", err)
		}
		g.fail(nil)
		if cp, err := Get(ctx, c, query("token:1", key(1)), g.compute); err != nil || cp.Value != 2 {
			t.Fatalf("tried again: %+v %v", cp, err)
		}
		clock.Advance(2 * time.Minute)
		g.fail(down)
		Get(ctx, c, query("token:1", key(1)), g.compute)
		synctest.Wait()
		cp, err := Get(ctx, c, query("token:1", key(1)), g.compute)
		if err != nil || cp.Value != 2 || !cp.Stale || !cp.RefreshFailed {
			t.Fatalf("after a failed recompute: %+v %v", cp, err)
		}
		synctest.Wait()
		if n := g.calls.Load(); n != 3 {
			t.Errorf("%d computations: a failed recompute was tried again at once", n)
		}
		clock.Advance(failureBackoff)
		g.fail(nil)
		Get(ctx, c, query("token:1", key(1)), g.compute)
		synctest.Wait()
		if cp, _ := Get(ctx, c, query("token:1", key(1)), g.compute); cp.Value != 4 || cp.Stale || cp.RefreshFailed {
			t.Errorf("after the back-off: %+v", cp)
		}
		_, err = Get(ctx, c, query("token:1", key(2)), func(context.Context) (int, error) { panic("boom") })
		if err == nil {
			t.Error("a panicking computation gave no error")
		}
		if _, err := Get(ctx, c, query("token:1", key(3)), func(context.Context) (string, error) { return "x", nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := Get(ctx, c, query("token:1", key(3)), g.compute); err == nil {
			t.Error("a copy of another type was served")
		}
	})
}

// TestCloseJoins: Close cancels the computations in flight and waits for them; afterwards a
// copy is still served but nothing is computed.
func TestCloseJoins(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		clock := catalogue.NewManualClock(epoch)
		c := New(Config{Now: clock.Clock()})
		g := &gated{}
		if _, err := Get(t.Context(), c, query("token:1", key(1)), g.compute); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		g.hold()
		Get(t.Context(), c, query("token:1", key(1)), g.compute)
		synctest.Wait()
		c.Close() // returns only once the blocked computation saw its context end
		if cp, err := Get(t.Context(), c, query("token:2", key(1)), g.compute); err != nil || cp.Value != 1 {
			t.Errorf("after Close: %+v %v", cp, err)
		}
		if _, err := Get(t.Context(), c, query("token:2", key(2)), g.compute); !errors.Is(err, ErrClosed) {
			t.Errorf("a cold key after Close: %v", err)
		}
		Warm(c, key(3), g.compute)
		if n := g.calls.Load(); n != 2 {
			t.Errorf("%d computations, want 2", n)
		}
	})
}

// TestEntriesBounded: beyond its size the cache drops the copy asked for least recently.
func TestEntriesBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := New(Config{Now: catalogue.FixedClock(epoch), Entries: 2})
		defer c.Close()
		g := &gated{}
		for _, k := range []int{1, 2, 1, 3} {
			if _, err := Get(t.Context(), c, query("", key(k)), g.compute); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok := c.entries[key(2)]; ok || len(c.entries) != 2 {
			t.Errorf("kept %v", c.entries)
		}
		Warm(c, key(4), g.compute)
		synctest.Wait()
		if cp, _ := Get(t.Context(), c, query("", key(4)), g.compute); cp.Value != 4 || g.calls.Load() != 4 {
			t.Errorf("warmed: %+v after %d computations", cp, g.calls.Load())
		}
	})
}
