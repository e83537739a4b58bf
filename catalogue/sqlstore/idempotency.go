package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/placematch/placematch/catalogue"
)

type idempotencyRow struct {
	Caller      string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	Route       string
	Fingerprint []byte
	State       string
	Status      int
	ContentType string
	Location    string
	Body        []byte
	Claim       string    // the attempt that holds a pending key
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt   time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

const (
	idemPending = "pending"
	idemDone    = "done"
)

// BeginIdempotent claims an idempotency key for a request. A new key (or one expired) is
// claimed and IdempotencyNew returned: handle the request, then FinishIdempotent or
// AbandonIdempotent. A key in use for the same request is IdempotencyPending while the first is
// handled and IdempotencyDone, with the stored response, after; a key used for a different
// route or body is IdempotencyMismatched. The claim is one INSERT guarded by the primary key,
// so two requests racing with one key cannot both go ahead. A pending claim expires r.Hold
// after it was made (on the store's clock): a request killed before it could finish or release
// its key holds it no longer than it could have run.
func (s *Store) BeginIdempotent(ctx context.Context, r catalogue.IdempotentRequest) (catalogue.IdempotencyState, catalogue.StoredResponse, error) {
	t := s.now()
	hold := r.Hold
	if hold <= 0 {
		hold = catalogue.IdempotencyHold
	}
	row := idempotencyRow{Caller: r.Caller, Key: r.Key, Route: r.Route, Fingerprint: r.Fingerprint[:],
		State: idemPending, Claim: r.Claim, CreatedAt: t, ExpiresAt: t.Add(hold)}
	db := s.db.WithContext(ctx)
	// An expired key is forgotten first, so that it can be claimed again.
	if err := db.Where("caller = ? AND key = ? AND expires_at < ?", r.Caller, r.Key, t).Delete(&idempotencyRow{}).Error; err != nil {
		return 0, catalogue.StoredResponse{}, dbError(err, "idempotency key: expire")
	}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return 0, catalogue.StoredResponse{}, dbError(res.Error, "idempotency key: claim")
	}
	if res.RowsAffected == 1 {
		return catalogue.IdempotencyNew, catalogue.StoredResponse{}, nil
	}
	var cur idempotencyRow
	if err := db.Where("caller = ? AND key = ?", r.Caller, r.Key).Take(&cur).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) { // expired and removed in between: try once more
			return s.BeginIdempotent(ctx, r)
		}
		return 0, catalogue.StoredResponse{}, dbError(err, "idempotency key: read")
	}
	switch {
	case cur.Route != r.Route || !bytes.Equal(cur.Fingerprint, r.Fingerprint[:]):
		return catalogue.IdempotencyMismatched, catalogue.StoredResponse{}, nil
	case cur.State == idemPending:
		return catalogue.IdempotencyPending, catalogue.StoredResponse{}, nil
	}
	return catalogue.IdempotencyDone, catalogue.StoredResponse{Status: cur.Status, ContentType: cur.ContentType,
		Location: cur.Location, Body: cur.Body}, nil
}

// FinishIdempotent stores the response to a key claimed by r (the same Claim), for retries to
// be given for IdempotencyTTL from now. A claim that has expired, and been claimed again by a
// retry, is left to the retry.
func (s *Store) FinishIdempotent(ctx context.Context, r catalogue.IdempotentRequest, resp catalogue.StoredResponse) error {
	err := s.db.WithContext(ctx).Model(&idempotencyRow{}).
		Where("caller = ? AND key = ? AND state = ? AND claim = ?", r.Caller, r.Key, idemPending, r.Claim).
		Updates(map[string]any{"state": idemDone, "status": resp.Status, "content_type": resp.ContentType,
			"location": resp.Location, "body": resp.Body, "expires_at": s.now().Add(catalogue.IdempotencyTTL)}).Error
	return dbError(err, "idempotency key: finish")
}

// AbandonIdempotent releases a key claimed by r (the same Claim) whose request failed on the
// server's side or lost its client, so that a retry goes ahead.
func (s *Store) AbandonIdempotent(ctx context.Context, r catalogue.IdempotentRequest) error {
	err := s.db.WithContext(ctx).Where("caller = ? AND key = ? AND state = ? AND claim = ?", r.Caller, r.Key, idemPending, r.Claim).
		Delete(&idempotencyRow{}).Error
	return dbError(err, "idempotency key: abandon")
}

// PurgeIdempotent removes expired keys; it returns how many.
func (s *Store) PurgeIdempotent(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", s.now()).Delete(&idempotencyRow{})
	return res.RowsAffected, dbError(res.Error, "idempotency keys: purge")
}
