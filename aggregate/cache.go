// Package aggregate keeps the last copy of every aggregate the service computes (a stability
// summary, the sufficiency report, the support needs, a what-if, the catalogue's sizes) and
// serves it with its age while a new one is computed: stale while revalidating.
//
// A request never waits for a recomputation when a copy exists: a copy older than its maximum
// age is served at once and a new one is computed in the background, under the cache's own
// lifetime (never a request's), and joined by Close. Only the first computation of a key, with
// nothing cached yet, is waited for, and only until the request's deadline. Computations are
// shared, one per key at a time, and limited: one principal has at most one computation in
// flight, so asking for another aggregate gets its cached copy, or ErrBusy with a time to
// retry, never a second computation.
//
// A Key says what is asked, never who asks: a computation's result must depend only on its key.
// Access is checked on the request's path, before the cache is asked; a computation that reads
// within a principal's scope puts that scope in its key, so that no copy crosses scopes.
package aggregate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Key names one aggregate: what is computed, never who asked for it.
type Key struct {
	// Route is what asks for the aggregate ("/v1/stability"); two routes that compute the same
	// value may share a key.
	Route string
	// Scope is the area or record scope the aggregate is computed over: "england",
	// "council:E08000003". A computation reading records within a principal's scope must put
	// that scope here.
	Scope string
	// Params are every other input of the computation, written one way only ("on=2026-11-22").
	Params string
}

// Query is what Get is asked.
type Query struct {
	Key Key
	// Who is the principal a computation this query starts is charged to ("token:42"); empty
	// for the service itself, which is not limited (its computations are still one per key).
	Who string
	// MaxAge is how long a copy is fresh; an older one is served while a new one is computed.
	MaxAge time.Duration
}

// Copy is one computed value with when it was computed.
type Copy[V any] struct {
	Value V
	// ComputedAt is when the computation that made the value began, on the cache's clock: the
	// data is at least that recent.
	ComputedAt time.Time
	// Age is how old the copy was when it was served.
	Age time.Duration
	// Stale says the copy is older than the query's MaxAge: a new one is being computed, or will
	// be on a later request.
	Stale bool
	// RefreshFailed says the last attempt to compute a newer copy failed.
	RefreshFailed bool
}

// Errors of Get besides a computation's own.
var (
	// ErrBusy: nothing is cached for the key, and the principal already has a computation in
	// flight. It comes as a *RetryError.
	ErrBusy = errors.New("aggregate: another computation of yours is still running")
	// ErrPending: nothing is cached for the key, and its first computation did not finish before
	// the request's deadline; it goes on in the background. It comes as a *RetryError.
	ErrPending = errors.New("aggregate: the first copy is still being computed")
	// ErrClosed: the cache is closed and holds no copy of the key.
	ErrClosed = errors.New("aggregate: the cache is closed")
)

// RetryError is ErrBusy or ErrPending with how long to wait before asking again.
type RetryError struct {
	Err   error
	After time.Duration // at least a second, in whole seconds
}

func (e *RetryError) Error() string { return fmt.Sprintf("%v (retry after %s)", e.Err, e.After) }

// Unwrap returns ErrBusy or ErrPending.
func (e *RetryError) Unwrap() error { return e.Err }

// Config is what New needs; every field has a default.
type Config struct {
	Now    catalogue.Clock // ages and freshness; nil: the wall clock
	Logger *slog.Logger
	// Timeout bounds one computation; default 2 minutes.
	Timeout time.Duration
	// Entries is how many copies are kept; the least recently asked for goes first. Default 512.
	Entries int
}

// failureBackoff is how long after a failed computation of a key its stale copy is served
// without trying again.
const failureBackoff = 5 * time.Second

// Cache keeps the copies. It is safe for concurrent use; Close stops its computations.
type Cache struct {
	cfg    Config
	ctx    context.Context // the cache's lifetime: computations run under it
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	entries map[Key]*entry
	busy    map[string]*entry // principal -> the entry whose computation they started
	tick    uint64            // counts lookups, for least recently used
}

// entry is one key's copy and its computation in flight.
type entry struct {
	key      Key
	has      bool // a copy was computed
	val      any
	at       time.Time     // when the copy's computation began
	took     time.Duration // how long the last successful computation took
	used     uint64        // the tick of the last lookup
	failedAt time.Time     // when the last computation failed, if it did after the copy
	run      *run
}

// run is a computation in flight; done is closed when val or err is set.
type run struct {
	who  string
	sw   catalogue.Stopwatch
	done chan struct{}
	val  any
	at   time.Time
	err  error
}

// New returns an empty cache.
func New(cfg Config) *Cache {
	cfg.Now = cfg.Now.OrWall()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Entries <= 0 {
		cfg.Entries = 512
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Cache{cfg: cfg, ctx: ctx, cancel: cancel, entries: map[Key]*entry{}, busy: map[string]*entry{}}
}

// Close cancels the computations in flight and waits for them to end. Copies are still served
// afterwards, but no computation starts.
func (c *Cache) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}

// Get returns the copy of q's aggregate. A fresh copy is returned as it is; a stale one too,
// and a new one is computed in the background unless one is already being computed, the
// principal has another computation in flight, or the last one failed moments ago. With no
// copy, Get waits for the key's computation (starting it, when the principal has no other in
// flight) until ctx ends. compute runs under the cache's lifetime with its timeout, never under
// ctx, so a caller who goes away spoils nothing for the others.
//
// Errors: compute's own; a *RetryError with ErrBusy or ErrPending; ErrClosed; ctx's error
// when it is cancelled.
func Get[V any](ctx context.Context, c *Cache, q Query, compute func(context.Context) (V, error)) (Copy[V], error) {
	var zero Copy[V]
	val, at, age, flags, err := c.get(ctx, q, func(ctx context.Context) (any, error) { return compute(ctx) })
	if err != nil {
		return zero, err
	}
	v, ok := val.(V)
	if !ok {
		return zero, fmt.Errorf("aggregate: the copy of %s %s holds a %T, not the type asked for", q.Key.Route, q.Key.Scope, val)
	}
	return Copy[V]{Value: v, ComputedAt: at, Age: age, Stale: flags&stale != 0, RefreshFailed: flags&refreshFailed != 0}, nil
}

// Warm starts computing k's aggregate in the background, for the service, when nothing is
// cached or being computed for it: what is slow to compute is ready before anyone asks.
func Warm[V any](c *Cache, k Key, compute func(context.Context) (V, error)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.entries[k] != nil {
		return
	}
	e := c.add(k)
	c.start(e, "", func(ctx context.Context) (any, error) { return compute(ctx) })
}

const (
	stale = 1 << iota
	refreshFailed
)

func (c *Cache) get(ctx context.Context, q Query, compute func(context.Context) (any, error)) (any, time.Time, time.Duration, int, error) {
	c.mu.Lock()
	c.tick++
	now := c.cfg.Now()
	e := c.entries[q.Key]
	if e != nil {
		e.used = c.tick
	}
	if e != nil && e.has {
		flags := 0
		failed := !e.failedAt.IsZero()
		if failed {
			flags |= refreshFailed
		}
		age := max(0, now.Sub(e.at))
		if age >= q.MaxAge {
			flags |= stale
			if e.run == nil && !c.closed && c.mayStart(q.Who) && (!failed || now.Sub(e.failedAt) >= failureBackoff) {
				c.start(e, q.Who, compute)
			}
		}
		val, at := e.val, e.at
		c.mu.Unlock()
		return val, at, age, flags, nil
	}
	if e == nil || e.run == nil {
		switch {
		case c.closed:
			c.mu.Unlock()
			return nil, time.Time{}, 0, 0, ErrClosed
		case !c.mayStart(q.Who):
			after := c.busy[q.Who].eta()
			c.mu.Unlock()
			return nil, time.Time{}, 0, 0, &RetryError{Err: ErrBusy, After: after}
		}
		if e == nil {
			e = c.add(q.Key)
		}
		c.start(e, q.Who, compute)
	}
	r := e.run
	c.mu.Unlock()
	select {
	case <-r.done:
		if r.err != nil {
			return nil, time.Time{}, 0, 0, r.err
		}
		return r.val, r.at, max(0, c.cfg.Now().Sub(r.at)), 0, nil
	case <-ctx.Done():
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, time.Time{}, 0, 0, ctx.Err()
		}
		c.mu.Lock()
		after := e.eta()
		c.mu.Unlock()
		return nil, time.Time{}, 0, 0, &RetryError{Err: ErrPending, After: after}
	}
}

// mayStart reports whether who may start a computation. c.mu is held.
func (c *Cache) mayStart(who string) bool { return who == "" || c.busy[who] == nil }

// add makes an entry for k, dropping the least recently asked for beyond the cache's size.
// c.mu is held.
func (c *Cache) add(k Key) *entry {
	e := &entry{key: k, used: c.tick}
	c.entries[k] = e
	for len(c.entries) > c.cfg.Entries {
		var oldest *entry
		for _, x := range c.entries {
			if x != e && x.run == nil && (oldest == nil || x.used < oldest.used) {
				oldest = x
			}
		}
		if oldest == nil {
			break // every other entry is being computed: keep them all for now
		}
		delete(c.entries, oldest.key)
	}
	return e
}

// start computes e's value in the background, charged to who. c.mu is held.
func (c *Cache) start(e *entry, who string, compute func(context.Context) (any, error)) {
	r := &run{who: who, sw: catalogue.StartStopwatch(), done: make(chan struct{}), at: c.cfg.Now()}
	e.run = r
	if who != "" {
		c.busy[who] = e
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.ctx, c.cfg.Timeout)
		val, err := safely(ctx, compute)
		cancel()
		took := r.sw.Elapsed()
		c.mu.Lock()
		e.run = nil
		if who != "" && c.busy[who] == e {
			delete(c.busy, who)
		}
		if err == nil {
			r.val = val
			e.has, e.val, e.at, e.took, e.failedAt = true, val, r.at, took, time.Time{}
		} else {
			r.err = err
			e.failedAt = c.cfg.Now()
			if !e.has && c.entries[e.key] == e {
				delete(c.entries, e.key) // nothing to keep: the next request tries again
			}
		}
		c.mu.Unlock()
		close(r.done)
		// A question put wrongly (a what-if's bad profile) is answered to the caller, not logged.
		if err != nil && c.ctx.Err() == nil && !errors.Is(err, catalogue.ErrInvalid) && !errors.Is(err, catalogue.ErrNotFound) {
			c.cfg.Logger.Warn("aggregate not computed", "route", e.key.Route, "scope", e.key.Scope, "err", err,
				"duration_ms", took.Milliseconds())
		}
	}()
}

// eta is how long until e's computation in flight is likely to end: what the last one took,
// less the time it has run, in whole seconds and at least one. c.mu is held.
func (e *entry) eta() time.Duration {
	left := time.Second
	if e != nil && e.run != nil {
		left = max(left, e.took-e.run.sw.Elapsed())
	}
	return (left + time.Second - 1).Truncate(time.Second)
}

// safely runs compute, turning a panic into an error: a computation runs on a goroutine of its
// own, where nothing else would recover it.
func safely(ctx context.Context, compute func(context.Context) (any, error)) (val any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("aggregate: the computation panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return compute(ctx)
}
