package matcher

import (
	"context"
	"errors"
	"fmt"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// SharingSource is a Source that also keeps the sharing agreements between councils (the
// store satisfies it), with catalogue.SharingStore's contract. An engine whose Source is not
// one holds no agreements: no council's own carers then reach another council's children.
type SharingSource interface {
	ListSharingAgreements(ctx context.Context, f catalogue.SharingFilter) (catalogue.Page[catalogue.SharingAgreement], error)
}

// Sharing returns the sharing agreements the snapshot holds (nil: none).
func (s *Snapshot) Sharing() *catalogue.Sharing { return s.sharing }

// Prepare makes a request ready for checking and scoring against this snapshot: scoring.Prepare
// with the snapshot's sharing agreements, so that options, joint runs, offers and the
// sufficiency report apply one rule to a council's own carers (scoring.ConstraintOwnCarers).
func (s *Snapshot) Prepare(req scoring.Request, pol catalogue.Policy) (*scoring.Prepared, error) {
	req.Sharing = s.sharing
	req.KinKnown = len(s.kinship[req.Child.ID])
	return scoring.Prepare(req, pol)
}

// Prepare is the current snapshot's Prepare: for checking placements read from the store (an
// officer's named homes, a run's offers) by the rules the search applies.
func (e *Engine) Prepare(req scoring.Request, pol catalogue.Policy) (*scoring.Prepared, error) {
	return e.Snapshot().Prepare(req, pol)
}

// LoadSharing reads every sharing agreement from src when it keeps them (a SharingSource);
// none otherwise.
func LoadSharing(ctx context.Context, src any) ([]catalogue.SharingAgreement, error) {
	ss, ok := src.(SharingSource)
	if !ok {
		return nil, nil
	}
	all, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SharingAgreement], error) {
		return ss.ListSharingAgreements(ctx, catalogue.SharingFilter{After: catalogue.SharingAgreementID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return nil, fmt.Errorf("loading the sharing agreements: %w", err)
	}
	return all, nil
}

// loadSharing is LoadSharing for the engine's snapshot.
func loadSharing(ctx context.Context, src Source) (*catalogue.Sharing, error) {
	all, err := LoadSharing(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	return catalogue.NewSharing(all), nil
}

// RefreshSharing re-reads the sharing agreements (one was made, changed or ended) and swaps in
// a snapshot that holds them, with the same placements.
func (e *Engine) RefreshSharing(ctx context.Context) error {
	if e.src == nil {
		return errors.New("matcher: the engine has no source to refresh from")
	}
	sharing, err := loadSharing(ctx, e.src)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.version++
	cur := e.snap.Load()
	e.snap.Store(newSnapshot(cur.placements, sharing, e.version, e.now()))
	return nil
}
