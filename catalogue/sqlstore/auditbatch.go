package sqlstore

import (
	"context"
	"sync"
)

// Reads of children's records are audited one row each, and a busy service reads many: each in a
// transaction of its own, the rows would queue for the database's write lock one by one. The
// audit writer commits them in groups instead: a request hands its row over and waits until the
// transaction holding it has committed, so a read is never answered before its audit row is
// stored; under load one transaction carries every row that arrived while the last was being
// written (no timer: alone, a row is written at once).

// maxAuditGroup bounds the rows written in one transaction.
const maxAuditGroup = 256

type auditWrite struct {
	row  auditRow
	done chan error
}

type auditWriter struct {
	s     *Store
	queue chan auditWrite
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

func newAuditWriter(s *Store) *auditWriter {
	w := &auditWriter{s: s, queue: make(chan auditWrite, 4*maxAuditGroup), stop: make(chan struct{})}
	w.wg.Add(1)
	go w.run()
	return w
}

// write stores row, in a group with others waiting, and returns once it is committed (or ctx
// ends: the row may then still be written).
func (w *auditWriter) write(ctx context.Context, row auditRow) error {
	req := auditWrite{row: row, done: make(chan error, 1)}
	select {
	case w.queue <- req:
	case <-w.stop:
		return dbError(context.Canceled, "append audit: the store is closed")
	case <-ctx.Done():
		return dbError(ctx.Err(), "append audit")
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return dbError(ctx.Err(), "append audit")
	}
}

func (w *auditWriter) run() {
	defer w.wg.Done()
	group := make([]auditWrite, 0, maxAuditGroup)
	for {
		select {
		case <-w.stop:
			w.drain()
			return
		case first := <-w.queue:
			group = append(group[:0], first)
		more:
			for len(group) < maxAuditGroup {
				select {
				case next := <-w.queue:
					group = append(group, next)
				default:
					break more
				}
			}
			w.commit(group)
		}
	}
}

// commit writes a group in one transaction; if that fails, each row alone, so that one bad
// row fails only its own request.
func (w *auditWriter) commit(group []auditWrite) {
	rows := make([]auditRow, len(group))
	for i, g := range group {
		rows[i] = g.row
	}
	err := w.s.db.WithContext(context.Background()).CreateInBatches(&rows, maxAuditGroup).Error
	if err == nil || len(group) == 1 {
		for _, g := range group {
			g.done <- dbError(err, "append audit")
		}
		return
	}
	for _, g := range group {
		r := g.row
		g.done <- dbError(w.s.db.WithContext(context.Background()).Create(&r).Error, "append audit")
	}
}

// drain writes what is queued when the store closes.
func (w *auditWriter) drain() {
	for {
		select {
		case g := <-w.queue:
			w.commit([]auditWrite{g})
		default:
			return
		}
	}
}

func (w *auditWriter) close() {
	w.once.Do(func() {
		close(w.stop)
		w.wg.Wait()
	})
}
