package matcher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Engine answers matching questions from an in-memory snapshot of the catalogue. It is safe for
// concurrent use; the snapshot is replaced whole when the catalogue changes.
type Engine struct {
	src     Source
	log     *slog.Logger
	now     catalogue.Clock
	snap    atomic.Pointer[Snapshot]
	mu      sync.Mutex // serialises snapshot rebuilds
	version uint64
	workers int
	// checkEvery turns off Options' fast path (firstBroken): every placement within reach is
	// given to Check. For tests that compare the two.
	checkEvery bool
}

// Options configures an Engine.
type Options struct {
	Logger  *slog.Logger
	Now     catalogue.Clock // nil: the wall clock
	Workers int             // candidate scoring concurrency; default GOMAXPROCS
	// Sharing is the sharing agreements between councils, for NewEngineFrom (an engine with a
	// Source reads them from it when it is a SharingSource).
	Sharing []catalogue.SharingAgreement
}

// NewEngine loads the snapshot from src.
func NewEngine(ctx context.Context, src Source, opt Options) (*Engine, error) {
	e := &Engine{src: src, log: opt.Logger, now: opt.Now.OrWall(), workers: opt.Workers}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	if err := e.Refresh(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// NewEngineFrom builds an engine over placements already in memory (benchmarks, tests, what-if
// analyses); Refresh and Touch need a Source and fail without one.
func NewEngineFrom(placements []catalogue.Placement, opt Options) *Engine {
	e := &Engine{log: opt.Logger, now: opt.Now.OrWall(), workers: opt.Workers}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	e.version = 1
	e.snap.Store(newSnapshot(placements, catalogue.NewSharing(opt.Sharing), e.version, e.now()))
	return e
}

// Snapshot returns the current snapshot.
func (e *Engine) Snapshot() *Snapshot { return e.snap.Load() }

// Offerable is the number of placements in the current snapshot: active, with a place free.
func (e *Engine) Offerable() int { return e.snap.Load().Len() }

// LoadedAt is when the current snapshot was built, on the engine's clock.
func (e *Engine) LoadedAt() time.Time { return e.snap.Load().LoadedAt() }

// SnapshotAge is how long ago the current snapshot was built.
func (e *Engine) SnapshotAge() time.Duration { return e.snap.Load().age.Elapsed() }

// Refresh reloads the whole snapshot from the source.
func (e *Engine) Refresh(ctx context.Context) error {
	if e.src == nil {
		return errors.New("matcher: the engine has no source to refresh from")
	}
	sw := catalogue.StartStopwatch()
	placements, err := load(ctx, e.src)
	if err != nil {
		return err
	}
	sharing, err := loadSharing(ctx, e.src)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.version++
	s := newSnapshot(placements, sharing, e.version, e.now())
	e.snap.Store(s)
	e.log.InfoContext(ctx, "catalogue snapshot loaded", "placements", s.Len(), "duration_ms", sw.Elapsed().Milliseconds())
	return nil
}

// Touch re-reads the given placements (a vacancy filled or opened, a placement added or changed)
// and swaps in a snapshot that reflects them.
func (e *Engine) Touch(ctx context.Context, ids ...catalogue.PlacementID) error {
	if e.src == nil {
		return errors.New("matcher: the engine has no source to refresh from")
	}
	var changed []catalogue.Placement
	var gone []catalogue.PlacementID
	for _, id := range ids {
		p, err := e.src.Placement(ctx, catalogue.Everything, id)
		switch {
		case errors.Is(err, catalogue.ErrNotFound):
			gone = append(gone, id)
		case err != nil:
			return fmt.Errorf("matcher: re-reading placement %d: %w", id, err)
		default:
			changed = append(changed, p)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.version++
	e.snap.Store(e.snap.Load().with(changed, gone, e.version, e.now()))
	return nil
}
