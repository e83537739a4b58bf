package sqlstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// The child's private link and the session it opens. A link's token and a session's secret are
// never stored: only their SHA-256. A link opens once (the conditional update on redeemed_at and
// a unique index on the session's link make sure of it, however many requests race), and a
// session sees one offer.

type linkRow struct {
	ID         int64 `gorm:"primaryKey"`
	OfferID    int64
	Hash       []byte
	CreatedBy  int64
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt  time.Time
	RedeemedAt *time.Time
	RevokedAt  *time.Time
}

func (linkRow) TableName() string { return "offer_links" }

func toLink(r linkRow) catalogue.OfferLink {
	l := catalogue.OfferLink{
		ID: r.ID, Offer: catalogue.OfferID(r.OfferID), CreatedBy: catalogue.TokenID(r.CreatedBy),
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RedeemedAt: timeVal(r.RedeemedAt), RevokedAt: timeVal(r.RevokedAt),
	}
	copy(l.Hash[:], r.Hash)
	return l
}

type sessionRow struct {
	ID        int64 `gorm:"primaryKey"`
	OfferID   int64
	LinkID    int64
	Hash      []byte
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (sessionRow) TableName() string { return "child_sessions" }

func toSession(r sessionRow, o offerRow) catalogue.ChildSession {
	s := catalogue.ChildSession{
		ID: r.ID, Offer: catalogue.OfferID(r.OfferID), Child: catalogue.ChildID(o.ChildID), Council: catalogue.CouncilCode(o.Council),
		Link: r.LinkID, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RevokedAt: timeVal(r.RevokedAt),
	}
	copy(s.Hash[:], r.Hash)
	return s
}

// errLinkGone is what every link that cannot be opened gets: unknown, expired, revoked or used
// are told apart only in the error text, never to the person holding the link.
func linkGone(why string) error { return notFound("child link: %s", why) }

// RedeemLink opens a child's link: the link whose token hashes to linkHash must be live (not
// opened before, not revoked, not expired) and its offer sent and not withdrawn. In one
// transaction it marks the link opened, stores the session (sess.Hash and sess.ExpiresAt), moves
// a sent offer to viewed, and writes the audit row. Every link that cannot be opened is
// ErrNotFound.
func (s *Store) RedeemLink(ctx context.Context, linkHash [32]byte, sess catalogue.ChildSession) (catalogue.ChildSession, error) {
	if sess.Hash == [32]byte{} {
		return catalogue.ChildSession{}, invalid("child session", "hash", "is required")
	}
	var out catalogue.ChildSession
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t := now()
		var l linkRow
		err := forUpdate(tx).Where("hash = ?", linkHash[:]).Take(&l).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return linkGone("no such link")
		} else if err != nil {
			return dbError(err, "child link")
		}
		if !toLink(l).Live(t) {
			return linkGone("used, revoked or expired")
		}
		var o offerRow
		if err := forUpdate(tx).Where("id = ?", l.OfferID).Take(&o).Error; err != nil {
			return dbError(err, "child link: offer")
		}
		st := catalogue.OfferStatus(o.Status)
		if st == catalogue.OfferProposed || st == catalogue.OfferWithdrawn {
			return linkGone("the offer is " + o.Status)
		}
		res := tx.Model(&linkRow{}).Where("id = ? AND redeemed_at IS NULL AND revoked_at IS NULL", l.ID).Update("redeemed_at", t)
		if res.Error != nil {
			return dbError(res.Error, "open child link")
		}
		if res.RowsAffected != 1 {
			return linkGone("opened meanwhile")
		}
		expires := sess.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !expires.After(t) {
			return invalid("child session", "expires_at", "must be in the future")
		}
		row := sessionRow{OfferID: o.ID, LinkID: l.ID, Hash: sess.Hash[:], CreatedAt: t, ExpiresAt: expires}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return linkGone("opened meanwhile")
			}
			return dbError(err, "create child session")
		}
		if st == catalogue.OfferSent {
			res := tx.Model(&offerRow{}).Where("id = ? AND status = ?", o.ID, string(catalogue.OfferSent)).
				Updates(map[string]any{"status": string(catalogue.OfferViewed), "version": gorm.Expr("version + 1"), "updated_at": t})
			if res.Error != nil {
				return dbError(res.Error, "offer viewed")
			}
		}
		if err := s.audit(ctx, tx, "child_open_link", offerSubject(catalogue.OfferID(o.ID)), catalogue.CouncilCode(o.Council)); err != nil {
			return err
		}
		out = toSession(row, o)
		return nil
	})
	if err != nil {
		return catalogue.ChildSession{}, err
	}
	return out, nil
}

// ChildSession returns the session whose secret hashes to hash, live or not (see
// ChildSession.Live), with the child and council of its offer; ErrNotFound when there is none.
func (s *Store) ChildSession(ctx context.Context, hash [32]byte) (catalogue.ChildSession, error) {
	db := s.db.WithContext(ctx)
	var r sessionRow
	if err := db.Where("hash = ?", hash[:]).Take(&r).Error; err != nil {
		return catalogue.ChildSession{}, dbError(err, "child session")
	}
	var o offerRow
	if err := db.Select("id", "child_id", "council").Where("id = ?", r.OfferID).Take(&o).Error; err != nil {
		return catalogue.ChildSession{}, dbError(err, "child session: offer")
	}
	return toSession(r, o), nil
}

// EndChildSession revokes a session (the child signs out). Ending an ended session changes
// nothing.
func (s *Store) EndChildSession(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Model(&sessionRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now()).Error
	return dbError(err, "end child session")
}

// revokeOfferAccess revokes every link and session of an offer.
func revokeOfferAccess(tx *gorm.DB, id catalogue.OfferID) error {
	t := now()
	if err := tx.Model(&linkRow{}).Where("offer_id = ? AND revoked_at IS NULL", int64(id)).Update("revoked_at", t).Error; err != nil {
		return dbError(err, "revoke links")
	}
	if err := tx.Model(&sessionRow{}).Where("offer_id = ? AND revoked_at IS NULL", int64(id)).Update("revoked_at", t).Error; err != nil {
		return dbError(err, "revoke child sessions")
	}
	return nil
}

// RevokeLinks revokes every link of an offer in scope and ends every session they opened: the
// child (or whoever holds the link) can no longer see the offer.
func (s *Store) RevokeLinks(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var o offerRow
		if err := forUpdate(councilScope(tx, sc)).Select("id", "council").Where("id = ?", int64(id)).Take(&o).Error; err != nil {
			return dbError(err, "offer "+id.String())
		}
		if err := revokeOfferAccess(tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, "revoke_links", offerSubject(id), catalogue.CouncilCode(o.Council))
	})
}

// OfferLinks lists the links of an offer in scope (hashes included, never tokens), oldest first.
func (s *Store) OfferLinks(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) ([]catalogue.OfferLink, error) {
	db := s.db.WithContext(ctx)
	var n int64
	if err := councilScope(db.Model(&offerRow{}), sc).Where("id = ?", int64(id)).Count(&n).Error; err != nil {
		return nil, dbError(err, "offer "+id.String())
	}
	if n == 0 {
		return nil, notFound("offer %d", int64(id))
	}
	var rows []linkRow
	if err := db.Where("offer_id = ?", int64(id)).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "list links")
	}
	return mapList(rows, toLink), nil
}

// RecordSay keeps what the child said about their offer, through their session: which choice
// they prefer (or neither), what matters to them in their own words, and whether they want an
// advocate. They can change it as often as they like until the decision; after it the offer is
// ErrConflict. The session must still be live.
func (s *Store) RecordSay(ctx context.Context, sess catalogue.ChildSession, say catalogue.ChildSay) (catalogue.Offer, error) {
	sc := catalogue.Scope{Council: sess.Council}
	return s.changeOffer(ctx, sc, sess.Offer, 0, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		var n int64
		err := tx.Model(&sessionRow{}).Where("id = ? AND offer_id = ? AND revoked_at IS NULL AND expires_at > ?",
			sess.ID, int64(sess.Offer), now()).Count(&n).Error
		if err != nil {
			return "", dbError(err, "child session")
		}
		if n == 0 {
			return "", notFound("child session %d: ended", sess.ID)
		}
		if !o.Status.Sent() {
			return "", conflict("offer %d is %s: the child's say is taken only before the decision", int64(o.ID), o.Status)
		}
		if err := o.CheckSay(say); err != nil {
			return "", err
		}
		say.At = now()
		o.Say = say
		o.Status = catalogue.OfferPreferenceGiven
		return "child_say", nil
	})
}
