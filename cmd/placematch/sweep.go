package main

import (
	"context"
	"log/slog"
	"time"
)

// sweepEvery runs sweep at once and then every interval until ctx ends: the referral sweep
// (casework.Service.Sweep) expires the referrals and holds that have run out and reminds
// providers of deadlines near, each decided by the one clock the service reads, so that this
// happens even when nobody calls the API. A failed sweep is logged and tried again at the next
// tick. An interval of 0 or less turns the ticker off (every use case still sweeps first).
func sweepEvery(ctx context.Context, sweep func(context.Context) error, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := sweep(ctx); err != nil && ctx.Err() == nil {
			log.Warn("referral sweep failed; trying again at the next tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
