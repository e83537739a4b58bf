package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Placement notices (catalogue.PlacementNotice, regulation 13): made in the transaction that
// accepts an offer, one for each person the law names and each child moving; the area
// authority's is e-mailed through the outbox in that transaction when an administrator has set
// an address for the area authority's placement team, and becomes sent when the outbox delivers
// it (FinishDelivery); the others are marked sent by an officer. When the child moves in
// (MarkPlaced) each pending notice's due time becomes the day they moved (or five working days
// after it, in an emergency).

type noticeRow struct {
	ID             int64 `gorm:"primaryKey"`
	OfferID        int64
	ChildID        int64
	Council        string
	PlacementID    int64
	ToWhom         string
	Area           string
	Emergency      bool
	DueBy          time.Time
	Status         string
	SentAt         *time.Time
	SentHow        string
	SentBy         int64
	Note           string
	NotificationID int64
	Version        int
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
}

func (noticeRow) TableName() string { return "placement_notices" }

func (r noticeRow) notice() catalogue.PlacementNotice {
	return catalogue.PlacementNotice{
		ID: catalogue.PlacementNoticeID(r.ID), Offer: catalogue.OfferID(r.OfferID), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(r.Council), Placement: catalogue.PlacementID(r.PlacementID), To: catalogue.NoticeTo(r.ToWhom),
		Area: catalogue.CouncilCode(r.Area), Emergency: r.Emergency, DueBy: r.DueBy.UTC(), Status: catalogue.NoticeStatus(r.Status),
		SentAt: timeVal(r.SentAt), SentHow: catalogue.SentHow(r.SentHow), SentBy: catalogue.TokenID(r.SentBy), Note: r.Note,
		Outbox: catalogue.NotificationID(r.NotificationID), Version: r.Version, CreatedAt: r.CreatedAt.UTC(),
	}
}

// makeNotices writes, in the accepting transaction tx, the notices of offer o accepted for home
// placement: catalogue.NoticesFor the children moving as stored, the home, whether the placement
// is an emergency (the home's referral says so, or the child's purpose is emergency) and its
// planned start.
func (s *Store) makeNotices(ctx context.Context, tx *gorm.DB, o catalogue.Offer, placement catalogue.PlacementID) error {
	what := "placement notices of offer " + o.ID.String()
	children, err := childrenInOrder(tx, moving(o))
	if err != nil {
		return err
	}
	var prow placementRow
	if err := tx.Where("id = ?", int64(placement)).Take(&prow).Error; err != nil {
		return dbError(err, what+": read placement")
	}
	home, err := toPlacement(prow, nil)
	if err != nil {
		return err
	}
	emergency := len(children) > 0 && children[0].Purpose == catalogue.PurposeEmergency
	if op, ok := o.Option(placement); ok && op.Referral != 0 {
		var urgent bool
		if err := tx.Model(&referralRow{}).Where("id = ?", int64(op.Referral)).Pluck("emergency", &urgent).Error; err != nil {
			return dbError(err, what+": read referral")
		}
		emergency = emergency || urgent
	}
	t := s.now()
	// The planned start: at once in an emergency; else the child's needed-by date, or tomorrow
	// when that has passed (a move not made today is taken to be tomorrow's, until MarkPlaced
	// says when it was).
	start := catalogue.Day(t)
	if !emergency {
		start = start.AddDate(0, 0, 1)
		if len(children) > 0 && children[0].NeededBy.After(start) {
			start = catalogue.Day(children[0].NeededBy)
		}
	}
	ns := catalogue.NoticesFor(catalogue.NoticeCase{Children: children, Placement: home, Emergency: emergency, Start: start})
	if len(ns) == 0 {
		return nil
	}
	rows := make([]noticeRow, len(ns))
	for i, n := range ns {
		rows[i] = noticeRow{OfferID: int64(o.ID), ChildID: int64(n.Child), Council: string(n.Council), PlacementID: int64(n.Placement),
			ToWhom: string(n.To), Area: string(n.Area), Emergency: n.Emergency, DueBy: n.DueBy, Status: string(catalogue.NoticePending),
			Version: 1, CreatedAt: t}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return dbError(err, what)
	}
	for _, r := range rows {
		if err := s.audit(ctx, tx, "notice:"+r.ToWhom, childSubject(catalogue.ChildID(r.ChildID)), catalogue.CouncilCode(r.Council)); err != nil {
			return err
		}
		if r.ToWhom != string(catalogue.NoticeAreaAuthority) {
			continue
		}
		// The area authority's placement team is e-mailed when an administrator set its address.
		area := catalogue.TeamRecipient(catalogue.CouncilCode(r.Area), catalogue.TeamPlacements)
		var n int64
		if err := tx.Model(&notificationAddressRow{}).Where("provider_id = 0 AND council = ? AND team = ?", r.Area, string(catalogue.TeamPlacements)).
			Count(&n).Error; err != nil {
			return dbError(err, what+": read notification addresses")
		}
		if n == 0 {
			continue
		}
		sent, err := s.enqueueRows(ctx, tx, catalogue.NewNotification(catalogue.NotifyPlacementNotice, area, r.ID, "/v1/placement-notices"))
		if err != nil {
			return err
		}
		if err := tx.Model(&noticeRow{}).Where("id = ?", r.ID).Update("notification_id", sent[0].ID).Error; err != nil {
			return dbError(err, what+": link the outbox")
		}
	}
	return nil
}

// childrenInOrder reads the children with the IDs given, in that order, through db.
func childrenInOrder(db *gorm.DB, ids []catalogue.ChildID) ([]catalogue.Child, error) {
	var rows []childRow
	if err := db.Where("id IN ?", int64s(ids)).Find(&rows).Error; err != nil {
		return nil, dbError(err, "read children")
	}
	out := make([]catalogue.Child, 0, len(ids))
	for _, id := range ids {
		for _, r := range rows {
			if r.ID == int64(id) {
				c, err := toChild(r)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// noticesPlaced sets, in MarkPlaced's transaction, the due time of an offer's pending notices
// from the day the children moved in (catalogue.NoticeDue).
func noticesPlaced(tx *gorm.DB, o catalogue.OfferID, on time.Time) error {
	for _, emergency := range []bool{false, true} {
		err := tx.Model(&noticeRow{}).Where("offer_id = ? AND status = ? AND emergency = ?", int64(o), string(catalogue.NoticePending), emergency).
			Update("due_by", catalogue.NoticeDue(on, emergency)).Error
		if err != nil {
			return dbError(err, "placement notices of offer "+o.String())
		}
	}
	return nil
}

// noticeDelivered marks sent, in FinishDelivery's transaction, the placement notice the outbox's
// notification id carried.
func (s *Store) noticeDelivered(ctx context.Context, tx *gorm.DB, id catalogue.NotificationID, t time.Time) error {
	var row noticeRow
	if err := tx.Where("notification_id = ? AND status = ?", int64(id), string(catalogue.NoticePending)).Limit(1).Find(&row).Error; err != nil {
		return dbError(err, "read placement notice")
	}
	if row.ID == 0 {
		return nil
	}
	res := tx.Model(&noticeRow{}).Where("id = ? AND version = ?", row.ID, row.Version).Updates(map[string]any{
		"status": string(catalogue.NoticeSent), "sent_at": t, "sent_how": string(catalogue.SentByOutbox), "sent_by": 0,
		"version": row.Version + 1})
	if res.Error != nil {
		return dbError(res.Error, "mark placement notice sent")
	}
	return s.audit(ctx, tx, "notice_sent:"+row.ToWhom, childSubject(catalogue.ChildID(row.ChildID)), catalogue.CouncilCode(row.Council))
}

// noticeScope limits a query on notices to the scope: a council's children's, and the area
// authority's notices to it; none for a provider.
func noticeScope(q *gorm.DB, sc catalogue.Scope) *gorm.DB {
	switch {
	case sc.Provider != 0:
		return q.Where("1 = 0")
	case sc.Council != "":
		return q.Where("council = ? OR (to_whom = ? AND area = ?)", string(sc.Council), string(catalogue.NoticeAreaAuthority), string(sc.Council))
	}
	return q
}

// ListPlacementNotices returns a page of the notices in scope.
func (s *Store) ListPlacementNotices(ctx context.Context, sc catalogue.Scope, f catalogue.NoticeFilter) (catalogue.Page[catalogue.PlacementNotice], error) {
	var none catalogue.Page[catalogue.PlacementNotice]
	if f.Status != "" && !f.Status.Valid() {
		return none, catalogue.Invalid("status", "must be one of %v", catalogue.NoticeStatuses)
	}
	db := s.db.WithContext(ctx)
	q := noticeScope(db.Model(&noticeRow{}), sc)
	if f.Child != 0 {
		var n int64
		if err := councilScope(db.Model(&childRow{}), sc).Where("id = ?", int64(f.Child)).Count(&n).Error; err != nil {
			return none, dbError(err, "child "+f.Child.String())
		}
		if n == 0 {
			return none, notFound("child %d", int64(f.Child))
		}
		q = q.Where("child_id = ?", int64(f.Child))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Overdue {
		q = q.Where("status = ? AND due_by <= ?", string(catalogue.NoticePending), s.now())
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r noticeRow) int64 { return r.ID }, "list placement notices")
	if err != nil {
		return none, err
	}
	page := catalogue.Page[catalogue.PlacementNotice]{Items: make([]catalogue.PlacementNotice, len(rows)), Next: next}
	// The officer's view names the child: for readers of the child's council only.
	var named []int64
	for _, r := range rows {
		if sc.Council == "" || r.Council == string(sc.Council) {
			named = append(named, r.ChildID)
		}
	}
	names := map[int64]string{}
	if len(named) > 0 {
		var cs []childRow
		if err := db.Select("id", "first_name").Where("id IN ?", named).Find(&cs).Error; err != nil {
			return none, dbError(err, "read children's names")
		}
		for _, c := range cs {
			names[c.ID] = c.FirstName
		}
	}
	for i, r := range rows {
		page.Items[i] = r.notice()
		if sc.Council == "" || r.Council == string(sc.Council) {
			page.Items[i].ChildName = names[r.ChildID]
		}
	}
	return page, nil
}

// MarkNoticeSent records that a pending notice was sent, how, by the context's actor.
func (s *Store) MarkNoticeSent(ctx context.Context, sc catalogue.Scope, id catalogue.PlacementNoticeID, version int,
	how catalogue.SentHow, note string) (catalogue.PlacementNotice, error) {
	what := "placement notice " + id.String()
	note = strings.TrimSpace(note)
	if err := catalogue.CheckSent(how, note); err != nil {
		return catalogue.PlacementNotice{}, validation(what, err)
	}
	var out catalogue.PlacementNotice
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur noticeRow
		err := forUpdate(councilScope(tx, sc)).Where("id = ?", int64(id)).Take(&cur).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return notFound("%s", what)
		} else if err != nil {
			return dbError(err, what)
		}
		if version != 0 && cur.Version != version {
			return conflict("%s: version %d is stale, the stored version is %d", what, version, cur.Version)
		}
		if cur.Status != string(catalogue.NoticePending) {
			return conflict("%s was sent already (%s)", what, cur.SentHow)
		}
		t := s.now()
		next := cur
		next.Status, next.SentAt, next.SentHow, next.Note, next.Version = string(catalogue.NoticeSent), &t, string(how), note, cur.Version+1
		next.SentBy = int64(catalogue.ActorFrom(ctx).Token)
		res := tx.Model(&noticeRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
			Select("status", "sent_at", "sent_how", "sent_by", "note", "version").Updates(&next)
		if res.Error != nil {
			return dbError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else", what)
		}
		out = next.notice()
		return s.audit(ctx, tx, fmt.Sprintf("notice_sent:%s", cur.ToWhom), childSubject(catalogue.ChildID(cur.ChildID)), catalogue.CouncilCode(cur.Council))
	})
	if err != nil {
		return catalogue.PlacementNotice{}, err
	}
	return out, nil
}
