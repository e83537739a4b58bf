package sqlstore

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// The child's private links and the sessions they open. A link is for a purpose: an offer (the
// child's choices of home) or the child's check-ins after a move; the session it opens sees
// that and nothing else. A link's token and a session's secret are never stored: only their
// SHA-256. A link opens once (the conditional update on redeemed_at and a unique index on the
// session's link make sure of it, however many requests race). Both purposes share one table
// of links and one of sessions, and every function here: making a link, opening it, revoking.

type linkRow struct {
	ID         int64 `gorm:"primaryKey"`
	Purpose    string
	OfferID    *int64 // for an offer's link; nil for a check-in's
	ChildID    int64
	Hash       []byte
	CreatedBy  int64
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt  time.Time
	RedeemedAt *time.Time
	RevokedAt  *time.Time
}

func (linkRow) TableName() string { return "offer_links" }

func toLink(r linkRow) catalogue.ChildLink {
	l := catalogue.ChildLink{
		ID: r.ID, Purpose: catalogue.LinkPurpose(r.Purpose), Offer: catalogue.OfferID(int64Val(r.OfferID)),
		Child: catalogue.ChildID(r.ChildID), CreatedBy: catalogue.TokenID(r.CreatedBy),
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RedeemedAt: timeVal(r.RedeemedAt), RevokedAt: timeVal(r.RevokedAt),
	}
	copy(l.Hash[:], r.Hash)
	return l
}

type sessionRow struct {
	ID        int64 `gorm:"primaryKey"`
	Purpose   string
	OfferID   *int64
	ChildID   int64
	LinkID    int64
	Hash      []byte
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (sessionRow) TableName() string { return "child_sessions" }

func toSession(r sessionRow, council string) catalogue.ChildSession {
	s := catalogue.ChildSession{
		ID: r.ID, Purpose: catalogue.LinkPurpose(r.Purpose), Offer: catalogue.OfferID(int64Val(r.OfferID)),
		Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(council),
		Link: r.LinkID, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RevokedAt: timeVal(r.RevokedAt),
	}
	copy(s.Hash[:], r.Hash)
	return s
}

func int64Val(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// linkTarget is what links are for: one offer, or one child's check-ins.
type linkTarget struct {
	purpose catalogue.LinkPurpose
	offer   int64 // the offer, for LinkOffer
	child   int64
}

func offerTarget(offer catalogue.OfferID, child catalogue.ChildID) linkTarget {
	return linkTarget{purpose: catalogue.LinkOffer, offer: int64(offer), child: int64(child)}
}

func checkInTarget(child catalogue.ChildID) linkTarget {
	return linkTarget{purpose: catalogue.LinkCheckIn, child: int64(child)}
}

// of narrows a query on links or sessions to the target's.
func (t linkTarget) of(q *gorm.DB) *gorm.DB {
	if t.purpose == catalogue.LinkOffer {
		return q.Where("purpose = ? AND offer_id = ?", string(t.purpose), t.offer)
	}
	return q.Where("purpose = ? AND child_id = ?", string(t.purpose), t.child)
}

func (t linkTarget) offerID() *int64 {
	if t.purpose != catalogue.LinkOffer {
		return nil
	}
	id := t.offer
	return &id
}

// subject is the audit subject of the target's links: the offer, or the child.
func (t linkTarget) subject() string {
	if t.purpose == catalogue.LinkOffer {
		return offerSubject(catalogue.OfferID(t.offer))
	}
	return childSubject(catalogue.ChildID(t.child))
}

// checkNewLink checks what the caller gives of a new link: its token's hash and its expiry.
func checkNewLink(link catalogue.ChildLink, t time.Time) error {
	if link.Hash == [32]byte{} {
		return invalid("link", "hash", "is required")
	}
	if !link.ExpiresAt.After(t) {
		return invalid("link", "expires_at", "must be in the future")
	}
	return nil
}

// newLink stores a new link for the target (link.Hash and link.ExpiresAt; CreatedBy comes from
// the actor), in the caller's transaction, and revokes the target's earlier links not yet
// opened: only the newest link that was sent can be opened.
func newLink(ctx context.Context, tx *gorm.DB, tgt linkTarget, link catalogue.ChildLink, t time.Time) (linkRow, error) {
	// A new link replaces the child's own earlier ones: each brother and sister offered together
	// has their own (an offer's links are told apart by child).
	err := tgt.of(tx.Model(&linkRow{})).Where("child_id = ? AND revoked_at IS NULL AND redeemed_at IS NULL", tgt.child).Update("revoked_at", t).Error
	if err != nil {
		return linkRow{}, dbError(err, "revoke earlier links")
	}
	row := linkRow{Purpose: string(tgt.purpose), OfferID: tgt.offerID(), ChildID: tgt.child, Hash: link.Hash[:],
		CreatedBy: int64(catalogue.ActorFrom(ctx).Token), CreatedAt: t, ExpiresAt: link.ExpiresAt.UTC().Truncate(time.Microsecond)}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return linkRow{}, conflict("link: a link with this token already exists")
		}
		return linkRow{}, dbError(err, "create link")
	}
	return row, nil
}

// revokeAccess revokes every link and session of the target.
func revokeAccess(tx *gorm.DB, tgt linkTarget, t time.Time) error {
	if err := tgt.of(tx.Model(&linkRow{})).Where("revoked_at IS NULL").Update("revoked_at", t).Error; err != nil {
		return dbError(err, "revoke links")
	}
	if err := tgt.of(tx.Model(&sessionRow{})).Where("revoked_at IS NULL").Update("revoked_at", t).Error; err != nil {
		return dbError(err, "revoke child sessions")
	}
	return nil
}

// linkGone is what every link that cannot be opened gets: unknown, expired, revoked or used
// are told apart only in the error text, never to the person holding the link.
func linkGone(why string) error { return notFound("child link: %s", why) }

// RedeemLink opens a child's link: the link whose token hashes to linkHash must be live (not
// opened before, not revoked, not expired), and what it is for still there: an offer sent and
// not withdrawn, or, for a check-in, a child whose record is not closed. In one transaction it
// marks the link opened, stores the session (sess.Hash and sess.ExpiresAt) for what the link is
// for, moves a sent offer to viewed, and writes the audit row. Every link that cannot be opened
// is ErrNotFound.
func (s *Store) RedeemLink(ctx context.Context, linkHash [32]byte, sess catalogue.ChildSession) (catalogue.ChildSession, error) {
	if sess.Hash == [32]byte{} {
		return catalogue.ChildSession{}, invalid("child session", "hash", "is required")
	}
	var out catalogue.ChildSession
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t := s.now()
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
		tgt := linkTarget{purpose: catalogue.LinkPurpose(l.Purpose), offer: int64Val(l.OfferID), child: l.ChildID}
		var council string
		var offerStatus catalogue.OfferStatus
		switch tgt.purpose {
		case catalogue.LinkOffer:
			var o offerRow
			if err := forUpdate(tx).Select("id", "council", "status").Where("id = ?", tgt.offer).Take(&o).Error; err != nil {
				return dbError(err, "child link: offer")
			}
			offerStatus, council = catalogue.OfferStatus(o.Status), o.Council
			if offerStatus == catalogue.OfferProposed || offerStatus == catalogue.OfferWithdrawn {
				return linkGone("the offer is " + o.Status)
			}
		case catalogue.LinkCheckIn:
			var ch childRow
			if err := tx.Select("id", "council", "status").Where("id = ?", tgt.child).Take(&ch).Error; err != nil {
				return dbError(err, "child link: child")
			}
			if catalogue.ChildStatus(ch.Status) == catalogue.ChildClosed {
				return linkGone("the child's record is closed")
			}
			council = ch.Council
		default:
			return linkGone("for nothing known: " + l.Purpose)
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
		row := sessionRow{Purpose: l.Purpose, OfferID: l.OfferID, ChildID: l.ChildID, LinkID: l.ID, Hash: sess.Hash[:],
			CreatedAt: t, ExpiresAt: expires}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return linkGone("opened meanwhile")
			}
			return dbError(err, "create child session")
		}
		if offerStatus == catalogue.OfferSent {
			res := tx.Model(&offerRow{}).Where("id = ? AND status = ?", tgt.offer, string(catalogue.OfferSent)).
				Updates(map[string]any{"status": string(catalogue.OfferViewed), "version": gorm.Expr("version + 1"), "updated_at": t})
			if res.Error != nil {
				return dbError(res.Error, "offer viewed")
			}
		}
		if err := s.audit(ctx, tx, "child_open_link", tgt.subject(), catalogue.CouncilCode(council)); err != nil {
			return err
		}
		out = toSession(row, council)
		return nil
	})
	if err != nil {
		return catalogue.ChildSession{}, err
	}
	return out, nil
}

// LinkLive reports whether a child's link with this hash exists and still works (not opened,
// revoked or expired): one read of the unique index on the hash, outside any transaction, so
// that a guess at a link costs the database little (RedeemLink locks the row, and on SQLite
// takes the write lock). The API asks it before RedeemLink.
func (s *Store) LinkLive(ctx context.Context, linkHash [32]byte) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&linkRow{}).
		Where("hash = ? AND redeemed_at IS NULL AND revoked_at IS NULL AND expires_at > ?", linkHash[:], s.now()).
		Limit(1).Count(&n).Error
	return n > 0, dbError(err, "child link")
}

// ChildSession returns the session whose secret hashes to hash, live or not (see
// ChildSession.Live), with its child and the council that scopes it: its offer's, or, for a
// check-in, the child's; ErrNotFound when there is none.
func (s *Store) ChildSession(ctx context.Context, hash [32]byte) (catalogue.ChildSession, error) {
	db := s.db.WithContext(ctx)
	var r sessionRow
	if err := db.Where("hash = ?", hash[:]).Take(&r).Error; err != nil {
		return catalogue.ChildSession{}, dbError(err, "child session")
	}
	var council string
	switch catalogue.LinkPurpose(r.Purpose) {
	case catalogue.LinkOffer:
		var o offerRow
		if err := db.Select("id", "council").Where("id = ?", int64Val(r.OfferID)).Take(&o).Error; err != nil {
			return catalogue.ChildSession{}, dbError(err, "child session: offer")
		}
		council = o.Council
	default:
		var ch childRow
		if err := db.Select("id", "council").Where("id = ?", r.ChildID).Take(&ch).Error; err != nil {
			return catalogue.ChildSession{}, dbError(err, "child session: child")
		}
		council = ch.Council
	}
	return toSession(r, council), nil
}

// EndChildSession revokes a session (the child signs out). Ending an ended session changes
// nothing.
func (s *Store) EndChildSession(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Model(&sessionRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.now()).Error
	return dbError(err, "end child session")
}

// revokeOfferAccess revokes every link and session of an offer, as at time t.
func revokeOfferAccess(tx *gorm.DB, id catalogue.OfferID, t time.Time) error {
	return revokeAccess(tx, offerTarget(id, 0), t)
}

// RevokeLinks revokes every link of an offer in scope and ends every session they opened: the
// child (or whoever holds the link) can no longer see the offer.
func (s *Store) RevokeLinks(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var o offerRow
		if err := forUpdate(councilScope(tx, sc)).Select("id", "council").Where("id = ?", int64(id)).Take(&o).Error; err != nil {
			return dbError(err, "offer "+id.String())
		}
		if err := revokeOfferAccess(tx, id, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, "revoke_links", offerSubject(id), catalogue.CouncilCode(o.Council))
	})
}

// OfferLinks lists the links of an offer in scope (hashes included, never tokens), oldest first.
func (s *Store) OfferLinks(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) ([]catalogue.ChildLink, error) {
	db := s.db.WithContext(ctx)
	var n int64
	if err := councilScope(db.Model(&offerRow{}), sc).Where("id = ?", int64(id)).Count(&n).Error; err != nil {
		return nil, dbError(err, "offer "+id.String())
	}
	if n == 0 {
		return nil, notFound("offer %d", int64(id))
	}
	return listLinks(db, offerTarget(id, 0))
}

func listLinks(db *gorm.DB, tgt linkTarget) ([]catalogue.ChildLink, error) {
	var rows []linkRow
	if err := tgt.of(db).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "list links")
	}
	return mapList(rows, toLink), nil
}

// SendCheckInLink stores a new private link for a child in scope to check in about their
// current placement (link.Hash, the SHA-256 of its token, and link.ExpiresAt; CreatedBy comes
// from the actor), and revokes the child's earlier check-in links not yet opened. A child with
// no current placement has nothing to check in about (ErrConflict).
func (s *Store) SendCheckInLink(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, link catalogue.ChildLink) (catalogue.ChildLink, error) {
	t := s.now()
	if err := checkNewLink(link, t); err != nil {
		return catalogue.ChildLink{}, err
	}
	var row linkRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		ch, err := readChild(tx, sc, child, true)
		if err != nil {
			return err
		}
		cur, err := currentEpisode(tx, ch.ID)
		if err != nil {
			return err
		}
		if cur == nil {
			return conflict("check-in link of child %d: the child has no current placement to check in about", int64(child))
		}
		if row, err = newLink(ctx, tx, checkInTarget(child), link, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, "send_check_in_link", childSubject(child), catalogue.CouncilCode(ch.Council))
	})
	if err != nil {
		return catalogue.ChildLink{}, err
	}
	return toLink(row), nil
}

// CheckInLinks lists the check-in links of a child in scope (hashes included, never tokens),
// oldest first.
func (s *Store) CheckInLinks(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.ChildLink, error) {
	db := s.db.WithContext(ctx)
	if _, err := readChild(db, sc, child, false); err != nil {
		return nil, err
	}
	return listLinks(db, checkInTarget(child))
}

// RevokeCheckInLinks revokes every check-in link of a child in scope and ends every session they
// opened. The child's offers' links are not touched.
func (s *Store) RevokeCheckInLinks(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		ch, err := readChild(tx, sc, child, true)
		if err != nil {
			return err
		}
		if err := revokeAccess(tx, checkInTarget(child), s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, "revoke_check_in_links", childSubject(child), catalogue.CouncilCode(ch.Council))
	})
}

// RecordSay keeps what the child said about their offer, through their session: which choice
// they prefer (or neither), what matters to them in their own words, and whether they want an
// advocate. They can change it as often as they like until the decision; after it the offer is
// ErrConflict. The session must still be live, and for this offer.
func (s *Store) RecordSay(ctx context.Context, sess catalogue.ChildSession, say catalogue.ChildSay) (catalogue.Offer, error) {
	sc := catalogue.Scope{Council: sess.Council}
	if !sess.ForOffer(sess.Offer) {
		return catalogue.Offer{}, notFound("child session %d: not for an offer", sess.ID)
	}
	return s.changeOffer(ctx, sc, sess.Offer, 0, func(tx *gorm.DB, o *catalogue.Offer) (string, error) {
		var n int64
		err := tx.Model(&sessionRow{}).Where("id = ? AND purpose = ? AND offer_id = ? AND revoked_at IS NULL AND expires_at > ?",
			sess.ID, string(catalogue.LinkOffer), int64(sess.Offer), s.now()).Count(&n).Error
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
		say.At = s.now()
		child, before := o.Child, o.Say
		if sess.Child != 0 && sess.Child != o.Child {
			// A brother or sister's own say, through their own link (issue 20, item 2).
			if !slices.Contains(o.Siblings, sess.Child) {
				return "", notFound("child session %d: not for a child of offer %d", sess.ID, int64(o.ID))
			}
			child, before = sess.Child, o.SiblingSays[sess.Child]
		}
		if say.AdvocateRequested && !before.AdvocateRequested {
			// The council's advocacy service is asked, not only the officer who reads the say.
			offer := int64(o.ID)
			if _, err := s.requestHelp(ctx, tx, helpRequestRow{Kind: string(catalogue.HelpAdvocacy), ChildID: int64(child), OfferID: &offer}, o.Council); err != nil {
				return "", err
			}
		}
		if child != o.Child {
			if o.SiblingSays == nil {
				o.SiblingSays = map[catalogue.ChildID]catalogue.ChildSay{}
			}
			o.SiblingSays[child] = say
			return "sibling_say", nil
		}
		o.Say = say
		o.Status = catalogue.OfferPreferenceGiven
		return "child_say", nil
	})
}
