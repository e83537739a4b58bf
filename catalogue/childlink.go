package catalogue

import "time"

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
	Child      ChildID // whose link it is
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
