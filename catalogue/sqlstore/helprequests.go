package sqlstore

import (
	"context"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Help requests (catalogue/helprequest.go, migration 00036): a request for an advocate, made in
// the transaction of the check-in or the child's say that asked for one; a request to look
// again at a decision, from the child's session; each answered once by its role.

const (
	actionHelpRequest = "help_request"
	actionHelpAnswer  = "help_answer"
)

type helpRequestRow struct {
	ID          int64 `gorm:"primaryKey"`
	Kind        string
	ChildID     int64
	CheckInID   *int64
	OfferID     *int64
	Shared      string
	RequestedAt time.Time
	DoneAt      *time.Time
	DoneBy      int64
	DoneName    string
	DoneRole    string
	Note        string
	Version     int
}

func (helpRequestRow) TableName() string { return "help_requests" }

func helpSubject(id catalogue.HelpRequestID) string { return "help_request:" + id.String() }

func toHelpRequest(r helpRequestRow, council string) catalogue.HelpRequest {
	return catalogue.HelpRequest{ID: catalogue.HelpRequestID(r.ID), Kind: catalogue.HelpKind(r.Kind), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(council), CheckIn: idOf[catalogue.CheckInID](r.CheckInID), Offer: idOf[catalogue.OfferID](r.OfferID),
		Shared: r.Shared, RequestedAt: r.RequestedAt.UTC(), DoneAt: timeOf(r.DoneAt), Note: r.Note, Version: r.Version,
		DoneBy: catalogue.Actor{Token: catalogue.TokenID(r.DoneBy), Name: r.DoneName, Role: catalogue.Role(r.DoneRole)}}
}

// requestHelp writes a help request in tx, tells the kind's team of the child's council, and
// audits it under the child's record and the request's.
func (s *Store) requestHelp(ctx context.Context, tx *gorm.DB, r helpRequestRow, council catalogue.CouncilCode) (catalogue.HelpRequest, error) {
	r.RequestedAt, r.Version = s.now(), 1
	if err := tx.Create(&r).Error; err != nil {
		return catalogue.HelpRequest{}, dbError(err, "record a help request")
	}
	h := toHelpRequest(r, string(council))
	kind := catalogue.NotifyAdvocacyRequested
	if h.Kind == catalogue.HelpLookAgain {
		kind = catalogue.NotifyLookAgain
	}
	n := catalogue.NewNotification(kind, catalogue.TeamRecipient(council, h.Kind.Team()), int64(h.ID), helpLink(h))
	if err := s.enqueue(ctx, tx, n); err != nil {
		return catalogue.HelpRequest{}, err
	}
	if err := s.audit(ctx, tx, actionHelpRequest, childSubject(h.Child), council); err != nil {
		return catalogue.HelpRequest{}, err
	}
	return h, s.audit(ctx, tx, actionHelpRequest, helpSubject(h.ID), council)
}

// HelpRequests returns a page of the requests of one kind in scope.
func (s *Store) HelpRequests(ctx context.Context, sc catalogue.Scope, f catalogue.HelpFilter) (catalogue.Page[catalogue.HelpRequest], error) {
	if !f.Kind.Valid() {
		return catalogue.Page[catalogue.HelpRequest]{}, catalogue.Invalid("kind", "must be one of %v", catalogue.HelpKinds)
	}
	db := s.db.WithContext(ctx)
	q := childScope(db, sc).Where("kind = ?", string(f.Kind))
	if !f.All {
		q = q.Where("done_at IS NULL")
	}
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r helpRequestRow) int64 { return r.ID }, "list help requests")
	if err != nil {
		return catalogue.Page[catalogue.HelpRequest]{}, err
	}
	councils, err := s.councilsOf(db, childIDs(rows, func(r helpRequestRow) int64 { return r.ChildID }))
	if err != nil {
		return catalogue.Page[catalogue.HelpRequest]{}, err
	}
	page := catalogue.Page[catalogue.HelpRequest]{Items: make([]catalogue.HelpRequest, len(rows)), Next: next}
	for i, r := range rows {
		page.Items[i] = toHelpRequest(r, councils[r.ChildID])
	}
	return page, nil
}

func readHelpRequest(db *gorm.DB, sc catalogue.Scope, kind catalogue.HelpKind, id catalogue.HelpRequestID, lock bool) (helpRequestRow, childInfo, error) {
	q := childScope(db, sc)
	if lock {
		q = forUpdate(q)
	}
	var r helpRequestRow
	if err := q.Where("id = ? AND kind = ?", int64(id), string(kind)).Take(&r).Error; err != nil {
		return helpRequestRow{}, childInfo{}, dbError(err, "help request "+id.String())
	}
	ch, err := readChild(db, catalogue.Everything, catalogue.ChildID(r.ChildID), false)
	return r, ch, err
}

// HelpRequest returns one request of kind in scope.
func (s *Store) HelpRequest(ctx context.Context, sc catalogue.Scope, kind catalogue.HelpKind, id catalogue.HelpRequestID) (catalogue.HelpRequest, error) {
	r, ch, err := readHelpRequest(s.db.WithContext(ctx), sc, kind, id, false)
	if err != nil {
		return catalogue.HelpRequest{}, err
	}
	return toHelpRequest(r, ch.Council), nil
}

// LookAgain records the child's request that their IRO look again at their offer's decision.
func (s *Store) LookAgain(ctx context.Context, sess catalogue.ChildSession, why string) (catalogue.HelpRequest, error) {
	if !utf8.ValidString(why) || utf8.RuneCountInString(why) > catalogue.MaxShared {
		return catalogue.HelpRequest{}, catalogue.Invalid("why", "must be at most %d characters", catalogue.MaxShared)
	}
	if !sess.ForOffer(sess.Offer) {
		return catalogue.HelpRequest{}, notFound("child session %d: not for an offer", sess.ID)
	}
	var out catalogue.HelpRequest
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var n int64
		err := tx.Model(&sessionRow{}).Where("id = ? AND purpose = ? AND offer_id = ? AND revoked_at IS NULL AND expires_at > ?",
			sess.ID, string(catalogue.LinkOffer), int64(sess.Offer), s.now()).Count(&n).Error
		if err != nil {
			return dbError(err, "child session")
		}
		if n == 0 {
			return notFound("child session %d: ended", sess.ID)
		}
		var row offerRow
		if err := councilScope(tx, catalogue.Scope{Council: sess.Council}).Where("id = ?", int64(sess.Offer)).Take(&row).Error; err != nil {
			return dbError(err, "offer "+sess.Offer.String())
		}
		o, err := toOffer(row)
		if err != nil {
			return err
		}
		if !o.Status.Decided() {
			return conflict("offer %d is %s: there is no decision to look at again yet", int64(o.ID), o.Status)
		}
		var open int64
		if err := tx.Model(&helpRequestRow{}).Where("offer_id = ? AND kind = ? AND done_at IS NULL", int64(o.ID), string(catalogue.HelpLookAgain)).
			Count(&open).Error; err != nil {
			return dbError(err, "help requests")
		}
		if open > 0 {
			return conflict("offer %d: the child has asked already, and the reviewing officer has not answered yet", int64(o.ID))
		}
		offer := int64(o.ID)
		out, err = s.requestHelp(ctx, tx, helpRequestRow{Kind: string(catalogue.HelpLookAgain), ChildID: int64(o.Child), OfferID: &offer, Shared: why}, o.Council)
		return err
	})
	if err != nil {
		return catalogue.HelpRequest{}, err
	}
	return out, nil
}

// AnswerHelpRequest records the answer to an open request of a.Kind in scope.
func (s *Store) AnswerHelpRequest(ctx context.Context, sc catalogue.Scope, a catalogue.HelpAnswer) (catalogue.HelpRequest, error) {
	what := "help request " + a.Request.String()
	if err := a.Validate(); err != nil {
		return catalogue.HelpRequest{}, validation(what, err)
	}
	var out catalogue.HelpRequest
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		cur, ch, err := readHelpRequest(tx, sc, a.Kind, a.Request, true)
		if err != nil {
			return err
		}
		switch {
		case cur.DoneAt != nil:
			return conflict("%s: answered already, on %s", what, cur.DoneAt.UTC().Format(time.DateOnly))
		case cur.Version != a.Version:
			return conflict("%s: version %d is stale, the stored version is %d", what, a.Version, cur.Version)
		}
		t, actor := s.now(), catalogue.ActorFrom(ctx)
		cur.DoneAt, cur.DoneBy, cur.DoneName, cur.DoneRole, cur.Note, cur.Version = &t, int64(actor.Token), actor.Name, string(actor.Role), a.Note, cur.Version+1
		res := tx.Model(&helpRequestRow{}).Where("id = ? AND version = ? AND done_at IS NULL", cur.ID, a.Version).
			Select("done_at", "done_by", "done_name", "done_role", "note", "version").Updates(&cur)
		if res.Error != nil {
			return dbError(res.Error, "record "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: answered by someone else meanwhile", what)
		}
		out = toHelpRequest(cur, ch.Council)
		if err := s.audit(ctx, tx, actionHelpAnswer, helpSubject(out.ID), out.Council); err != nil {
			return err
		}
		return s.audit(ctx, tx, actionHelpAnswer, childSubject(out.Child), out.Council)
	})
	if err != nil {
		return catalogue.HelpRequest{}, err
	}
	return out, nil
}

// checkInAdvocacy asks the council's advocacy service for an advocate for the child of check-in
// c, in its transaction, sharing their words when they chose to.
func (s *Store) checkInAdvocacy(ctx context.Context, tx *gorm.DB, c catalogue.CheckIn, council catalogue.CouncilCode) error {
	if !c.AdvocateRequested {
		return nil
	}
	id := int64(c.ID)
	r := helpRequestRow{Kind: string(catalogue.HelpAdvocacy), ChildID: int64(c.Child), CheckInID: &id}
	if c.ShareWithAdvocate {
		r.Shared = c.WouldHelp
	}
	_, err := s.requestHelp(ctx, tx, r, council)
	return err
}

var _ catalogue.HelpStore = (*Store)(nil)

// helpLink is where a request's answerer reads it: /v1/advocacy-requests/ID or
// /v1/look-again-requests/ID.
func helpLink(h catalogue.HelpRequest) string {
	if h.Kind == catalogue.HelpLookAgain {
		return "/v1/look-again-requests/" + h.ID.String()
	}
	return "/v1/advocacy-requests/" + h.ID.String()
}
