package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placematch/placematch/catalogue"
)

// notifyChannel is where PostgreSQL announces changed placements (migration 00007).
const notifyChannel = "placematch_placements"

// Watch timing: notifications arriving within watchGather of each other are delivered together;
// a lost connection is retried after watchRetry, doubling up to watchRetryMax, and the back-off
// starts again from watchRetry once a connection is made, so that however many times PostgreSQL
// restarts the watch is listening again, and has asked for a full reload, within watchRetryMax
// (and a connection's making) of the server being back. While it stays down, the failure is
// logged as a warning when it starts and once every watchWarnEvery after.
const (
	watchGather    = 20 * time.Millisecond
	watchRetry     = 100 * time.Millisecond
	watchRetryMax  = 500 * time.Millisecond
	watchWarnEvery = time.Minute
)

// WatchPlacements calls fn with the IDs of placements changed in the database by anyone (this
// instance, another one sharing the database, an import from the command line) until ctx ends,
// so that a matcher's snapshot can follow them. all is true when too many changed to list, or
// when the connection was lost and changes may have been missed: reload everything then. fn is
// called from one goroutine, never concurrently.
//
// On PostgreSQL it LISTENs on a connection of its own (migration 00007's triggers NOTIFY on
// every change to placements and vacancies), and connects again at once when the connection
// is lost (a restart of the server, a network failure). The embedded store serves one
// instance, which learns of its own changes directly: WatchPlacements returns at once.
func (s *Store) WatchPlacements(ctx context.Context, fn func(ids []catalogue.PlacementID, all bool)) error {
	if s.backend != BackendPostgres {
		return nil
	}
	retry := watchRetry
	first := true
	var down catalogue.Stopwatch // since the connection was lost; zero while listening
	var warned catalogue.Stopwatch
	for ctx.Err() == nil {
		connected, err := s.listen(ctx, fn, !first, func() {
			if !down.IsZero() {
				s.log.InfoContext(ctx, "listening for catalogue changes again; reloading", "down_for", down.Elapsed().Round(time.Millisecond).String())
			}
			down, retry = catalogue.Stopwatch{}, watchRetry
		})
		first = false
		if ctx.Err() != nil {
			return nil
		}
		if connected || down.IsZero() {
			down, warned = catalogue.StartStopwatch(), catalogue.StartStopwatch()
			s.log.WarnContext(ctx, "listening for catalogue changes failed; retrying", "err", err, "retry_in", retry.String())
		} else if warned.Elapsed() >= watchWarnEvery {
			warned = catalogue.StartStopwatch()
			s.log.WarnContext(ctx, "still not listening for catalogue changes; retrying", "err", err,
				"down_for", down.Elapsed().Round(time.Second).String())
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(retry):
		}
		retry = min(2*retry, watchRetryMax)
	}
	return nil
}

// listen holds one listening connection until it fails or ctx ends; connected says whether it
// was listening before it failed, and is called as soon as it is. After a reconnection it first
// asks for a full reload, since changes may have been missed while it was down.
func (s *Store) listen(ctx context.Context, fn func([]catalogue.PlacementID, bool), reconnected bool, listening func()) (connected bool, err error) {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return false, err
	}
	listening()
	if reconnected {
		fn(nil, true)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		ids, all := parseNotice(n.Payload, nil)
		// Gather what follows closely, so that a burst of changes is one refresh.
		for !all {
			gctx, cancel := context.WithTimeout(ctx, watchGather)
			n, err = conn.WaitForNotification(gctx)
			cancel()
			if err != nil {
				if ctx.Err() != nil {
					return true, ctx.Err()
				}
				if errors.Is(err, context.DeadlineExceeded) || gctx.Err() != nil {
					break
				}
				return true, err
			}
			ids, all = parseNotice(n.Payload, ids)
		}
		fn(ids, all)
	}
}

// parseNotice adds a notification's placement IDs to ids; "*" (or anything unreadable) means
// reload everything.
func parseNotice(payload string, ids []catalogue.PlacementID) ([]catalogue.PlacementID, bool) {
	if payload == "*" {
		return nil, true
	}
	for _, f := range strings.Split(payload, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, true
		}
		ids = append(ids, catalogue.PlacementID(id))
	}
	return ids, false
}
