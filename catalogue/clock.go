package catalogue

import (
	"sync"
	"time"
)

// Clock tells the time. Every decision placematch makes that depends on the time (a link's or a
// session's expiry, a child's age, a needed-by date, a retention period, a rate limit, a check-in
// falling due, a run's heartbeat) takes it from one Clock, injected by the command that wires the
// service together, so that tests can set the date to any day, years ahead or behind, and the
// service never disagrees with itself about what day it is.
//
// Only this file reads the system's clock for a decision; a test (clock_test.go at the module's
// root) fails on time.Now, time.Since or time.Until anywhere else outside cmd/, except on lines
// that only measure how long something took (marked "measures a duration").
type Clock func() time.Time

// WallClock is the system's clock: what cmd/placematch injects when it runs for real.
func WallClock() time.Time { return time.Now() }

// OrWall returns c, or the wall clock when c is nil: a component's default when nothing was
// injected.
func (c Clock) OrWall() Clock {
	if c == nil {
		return WallClock
	}
	return c
}

// FixedClock is a clock that always says t.
func FixedClock(t time.Time) Clock { return func() time.Time { return t } }

// ManualClock is a clock a test sets and moves on by hand, safe for concurrent use.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a clock that says t until it is moved.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now is the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Clock returns the clock as a Clock to inject.
func (c *ManualClock) Clock() Clock { return c.Now }

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock on by d (back, when d is negative).
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Stopwatch measures how long something takes, on the system's monotonic clock. It never says
// what day or time it is, so it is not a Clock: timings, progress reports and the age of a cache
// entry use it, decisions never do.
type Stopwatch struct{ start time.Time }

// StartStopwatch starts measuring.
func StartStopwatch() Stopwatch { return Stopwatch{start: time.Now()} }

// Elapsed is the time since the stopwatch started.
func (s Stopwatch) Elapsed() time.Duration { return time.Since(s.start) }

// IsZero reports whether the stopwatch was never started.
func (s Stopwatch) IsZero() bool { return s.start.IsZero() }
