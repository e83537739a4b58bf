package catalogue

import (
	"context"
	"time"
)

// LinkPurpose is what a child's private link, and the session it opens, is for. A session sees
// what its link was made for and nothing else: an offer's session never reads a check-in, and a
// check-in's session never reads an offer.
type LinkPurpose string

const (
	// LinkOffer: the child's choices of home in one offer, and their say about them.
	LinkOffer LinkPurpose = "offer"
	// LinkCheckIn: the child's check-in about their current placement, after a move.
	LinkCheckIn LinkPurpose = "check_in"
)

// LinkPurposes lists every LinkPurpose.
var LinkPurposes = []LinkPurpose{LinkOffer, LinkCheckIn}

// Valid reports whether p is a known value.
func (p LinkPurpose) Valid() bool { return oneOf(p, LinkPurposes) }

// ChildLink is a private link an officer passes to a child (or their advocate): for an offer
// (Offer set) or for the child's check-ins (Offer zero). Only the SHA-256 of its token is
// stored. It can be opened once: opening it starts a ChildSession.
type ChildLink struct {
	ID         int64
	Purpose    LinkPurpose
	Offer      OfferID // the offer, for LinkOffer; zero for LinkCheckIn
	Child      ChildID // whose link it is: for an offer, the child or a brother or sister offered with them (OfferStore.SendOffer: zero is the child)
	Hash       [32]byte
	CreatedBy  TokenID
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RedeemedAt time.Time // zero until opened
	RevokedAt  time.Time // zero unless revoked
}

// Live reports whether the link can still be opened at now.
func (l ChildLink) Live(now time.Time) bool {
	return l.RedeemedAt.IsZero() && l.RevokedAt.IsZero() && now.Before(l.ExpiresAt)
}

// ChildSession is what opening a link gives the child: a session (its secret in a cookie, its
// SHA-256 stored) that sees what its link was for and nothing else: one offer, or the child's
// own check-in.
type ChildSession struct {
	ID        int64
	Purpose   LinkPurpose
	Offer     OfferID // for LinkOffer; zero for LinkCheckIn
	Child     ChildID
	Council   CouncilCode
	Link      int64
	Hash      [32]byte
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time
}

// Live reports whether the session may be used at now.
func (s ChildSession) Live(now time.Time) bool {
	return s.RevokedAt.IsZero() && now.Before(s.ExpiresAt)
}

// ForOffer reports whether the session is for offer id.
func (s ChildSession) ForOffer(id OfferID) bool {
	return s.Purpose == LinkOffer && id > 0 && s.Offer == id
}

// ForCheckIn reports whether the session is for the child's check-in.
func (s ChildSession) ForCheckIn() bool { return s.Purpose == LinkCheckIn && s.Child > 0 }

// LinkStore opens the private links sent to children (made by OfferStore.SendOffer and
// CheckInStore.SendCheckInLink) and keeps the sessions they open. The child has no token and
// no scope: each method is called with the hash of the secret the child holds, or with their
// session, and every link or session that cannot be used is ErrNotFound, whatever the reason
// (unknown, expired, revoked, used), so that nothing is told to whoever holds it.
type LinkStore interface {
	// LinkLive reports whether a link with this hash exists and can still be opened (not
	// opened, revoked or expired): a cheap read the caller makes before RedeemLink, so that a
	// guess at a link costs the database little.
	LinkLive(ctx context.Context, linkHash [32]byte) (bool, error)
	// RedeemLink opens a link: it must be live, and what it is for still there (an offer sent
	// and not withdrawn; for a check-in, a child whose record is not closed). In one
	// transaction it marks the link opened, stores the session (sess.Hash and sess.ExpiresAt)
	// for what the link is for, moves a sent offer to viewed, and writes the audit row; it
	// returns the session with its child and council. ErrNotFound for every link that cannot
	// be opened; ErrInvalid naming hash or expires_at when the session has no hash or has
	// expired.
	RedeemLink(ctx context.Context, linkHash [32]byte, sess ChildSession) (ChildSession, error)
	// ChildSession returns the session whose secret hashes to hash, live or not (the caller asks
	// ChildSession.Live), with its child and the council that scopes it (its offer's, or, for a
	// check-in, the child's): ErrNotFound when there is none.
	ChildSession(ctx context.Context, hash [32]byte) (ChildSession, error)
	// EndChildSession ends a session (the child signs out). Ending an ended session, or one
	// that does not exist, changes nothing.
	EndChildSession(ctx context.Context, id int64) error
}
