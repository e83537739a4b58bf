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

// Referrals: a child referred to the provider of a home, through sent -> viewed -> accepted |
// declined | expired | withdrawn.
//
// Every change locks the referral's row, checks the version the caller read (when given),
// writes with a conditional UPDATE ... WHERE version = ?, and writes its audit row in the same
// transaction. Accepting holds one place of the home for each child moving, with the same
// conditional update that fills places (available -> held for the child): of any number of
// acceptances racing for a home's last place, exactly one wins and every other changes nothing
// and gets ErrConflict. Withdrawing, expiring and the offer's decision release what was held.

type referralRow struct {
	ID          int64 `gorm:"primaryKey"`
	ChildID     int64
	Council     string
	Siblings    string // JSON
	PlacementID int64
	ProviderID  int64
	RunID       int64
	Emergency   bool
	Status      string
	Deadline    time.Time
	HoldUntil   *time.Time
	Held        string  // JSON
	Response    *string // JSON; nil before the provider answers
	Reason      string
	SentBy      int64
	Version     int
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt   time.Time `gorm:"autoUpdateTime:false"`
	ViewedAt    *time.Time
	RemindedAt  *time.Time
}

func (referralRow) TableName() string { return "referrals" }

type responseDoc struct {
	Accepted  bool      `json:"accepted"`
	Impact    string    `json:"impact_assessment,omitempty"`
	WeeklyFee int       `json:"weekly_fee,omitempty"`
	Decline   string    `json:"decline_reason,omitempty"`
	Note      string    `json:"note,omitempty"`
	By        int64     `json:"by"`
	At        time.Time `json:"at"`
}

func fromReferral(r catalogue.Referral) (referralRow, error) {
	row := referralRow{
		ID: int64(r.ID), ChildID: int64(r.Child), Council: string(r.Council), PlacementID: int64(r.Placement),
		ProviderID: int64(r.Provider), RunID: int64(r.Run), Emergency: r.Emergency, Status: string(r.Status),
		Deadline: r.Deadline, HoldUntil: timePtr(r.HoldUntil), Reason: r.Reason, SentBy: int64(r.SentBy),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ViewedAt: timePtr(r.ViewedAt),
		RemindedAt: timePtr(r.RemindedAt),
	}
	var w jsonWriter
	row.Siblings = w.list(int64s(r.Siblings))
	row.Held = w.list(int64s(r.Held))
	if a := r.Response; a != nil {
		s := w.value(responseDoc{Accepted: a.Accepted, Impact: a.Impact, WeeklyFee: a.WeeklyFee, Decline: string(a.Decline),
			Note: a.Note, By: int64(a.By), At: a.At})
		row.Response = &s
	}
	return row, w.err
}

func toReferral(row referralRow) (catalogue.Referral, error) {
	r := catalogue.Referral{
		ID: catalogue.ReferralID(row.ID), Child: catalogue.ChildID(row.ChildID), Council: catalogue.CouncilCode(row.Council),
		Placement: catalogue.PlacementID(row.PlacementID), Provider: catalogue.ProviderID(row.ProviderID),
		Run: catalogue.MatchRunID(row.RunID), Emergency: row.Emergency, Status: catalogue.ReferralStatus(row.Status),
		Deadline: row.Deadline.UTC(), HoldUntil: timeVal(row.HoldUntil), Reason: row.Reason, SentBy: catalogue.TokenID(row.SentBy),
		Version: row.Version, CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(), ViewedAt: timeVal(row.ViewedAt),
		RemindedAt: timeVal(row.RemindedAt),
	}
	rd := jsonReader{what: "referral " + r.ID.String()}
	var siblings, held []int64
	rd.read("siblings", row.Siblings, &siblings)
	rd.read("held", row.Held, &held)
	r.Siblings = emptyToNil(mapList(siblings, func(id int64) catalogue.ChildID { return catalogue.ChildID(id) }))
	r.Held = emptyToNil(mapList(held, func(id int64) catalogue.VacancyID { return catalogue.VacancyID(id) }))
	if row.Response != nil {
		var d responseDoc
		rd.read("response", *row.Response, &d)
		r.Response = &catalogue.ReferralResponse{Accepted: d.Accepted, Impact: d.Impact, WeeklyFee: d.WeeklyFee,
			Decline: catalogue.DeclineReason(d.Decline), Note: d.Note, By: catalogue.TokenID(d.By), At: d.At.UTC()}
	}
	return r, rd.err
}

func referralSubject(id catalogue.ReferralID) string { return "referral:" + id.String() }

// referralScope limits a query on referrals to the scope: an officer's council's children, a
// provider's own homes (a commissioner's scope matches none).
func referralScope(q *gorm.DB, s catalogue.Scope) *gorm.DB {
	switch {
	case s.Provider != 0:
		return q.Where("provider_id = ?", int64(s.Provider))
	case s.Council != "":
		return q.Where("council = ?", string(s.Council))
	}
	return q
}

// liveReferralStatuses are the statuses of a referral that still counts.
var liveReferralStatuses = []string{string(catalogue.ReferralSent), string(catalogue.ReferralViewed), string(catalogue.ReferralAccepted)}

// CreateReferrals sends a child to the provider of each home, all in one transaction.
func (s *Store) CreateReferrals(ctx context.Context, sc catalogue.Scope, rs []catalogue.Referral) ([]catalogue.Referral, error) {
	out := make([]catalogue.Referral, len(rs))
	t := s.now()
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		children := map[catalogue.ChildID]childRow{}
		for i, r := range rs {
			what := fmt.Sprintf("referrals[%d]", i)
			ch, ok := children[r.Child]
			if !ok {
				err := councilScope(tx, sc).Select("id", "council", "status", "sibling_group_id").Where("id = ?", int64(r.Child)).Take(&ch).Error
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return notFound("%s: child %d", what, int64(r.Child))
				} else if err != nil {
					return dbError(err, what+": read child")
				}
				children[r.Child] = ch
			}
			if ch.Status == string(catalogue.ChildClosed) {
				return invalid(what, "child", "the child's record is closed")
			}
			r.ID, r.Council, r.Status, r.Version, r.CreatedAt, r.UpdatedAt = 0, catalogue.CouncilCode(ch.Council), catalogue.ReferralSent, 1, t, t
			r.HoldUntil, r.Held, r.Response, r.Reason, r.ViewedAt, r.RemindedAt = time.Time{}, nil, nil, "", time.Time{}, time.Time{}
			r.SentBy = catalogue.ActorFrom(ctx).Token
			if err := r.Validate(); err != nil {
				return validation(what, err)
			}
			if !r.Deadline.After(t) {
				return invalid(what, "deadline", "must be in the future")
			}
			if err := s.checkSiblings(tx, ch, r.Siblings, what); err != nil {
				return err
			}
			var p placementRow
			err := tx.Select("id", "provider_id", "active").Where("id = ?", int64(r.Placement)).Take(&p).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return invalid(what, "placement", "no such placement")
			} else if err != nil {
				return dbError(err, what+": read placement")
			}
			if !p.Active {
				return invalid(what, "placement", "the home is closed or suspended")
			}
			r.Provider = catalogue.ProviderID(p.ProviderID)
			row, err := fromReferral(r)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if err := tx.Create(&row).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return conflict("%s: the child is already referred to placement %d, waiting for an answer or accepted", what, p.ID)
				}
				return dbError(err, what+": create referral")
			}
			if err := s.audit(ctx, tx, "create", referralSubject(catalogue.ReferralID(row.ID)), r.Council); err != nil {
				return err
			}
			if out[i], err = toReferral(row); err != nil {
				return err
			}
			if err := s.tellReferral(ctx, tx, "create", out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Referral returns one referral in scope.
func (s *Store) Referral(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID) (catalogue.Referral, error) {
	var row referralRow
	if err := referralScope(s.db.WithContext(ctx), sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.Referral{}, dbError(err, "referral "+id.String())
	}
	return toReferral(row)
}

// ListReferrals returns a page of the referrals in scope by ascending ID.
func (s *Store) ListReferrals(ctx context.Context, sc catalogue.Scope, f catalogue.ReferralFilter) (catalogue.Page[catalogue.Referral], error) {
	if f.Status != "" && !f.Status.Valid() {
		return catalogue.Page[catalogue.Referral]{}, catalogue.Invalid("status", "must be one of %v", catalogue.ReferralStatuses)
	}
	q := referralScope(s.db.WithContext(ctx), sc)
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	if f.Placement != 0 {
		q = q.Where("placement_id = ?", int64(f.Placement))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	return readPage(q, f.Limit, int64(f.After), func(r referralRow) int64 { return r.ID }, toReferral, "list referrals")
}

// changeReferral runs one change to a referral in scope in a transaction: it locks the row,
// checks version (unless 0), lets change modify the referral (returning the audit action),
// validates, writes with a conditional update and writes the audit row.
func (s *Store) changeReferral(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID, version int,
	change func(tx *gorm.DB, r *catalogue.Referral) (string, error)) (catalogue.Referral, error) {
	what := "referral " + id.String()
	if id <= 0 {
		return catalogue.Referral{}, notFound("%s", what)
	}
	var out catalogue.Referral
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.changeReferralTx(ctx, tx, sc, id, version, change)
		return err
	})
	if err != nil {
		return catalogue.Referral{}, err
	}
	return out, nil
}

// changeReferralTx is changeReferral in the caller's transaction.
func (s *Store) changeReferralTx(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, id catalogue.ReferralID, version int,
	change func(tx *gorm.DB, r *catalogue.Referral) (string, error)) (catalogue.Referral, error) {
	what := "referral " + id.String()
	var cur referralRow
	if err := forUpdate(referralScope(tx, sc)).Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
		return catalogue.Referral{}, dbError(err, what)
	}
	if version != 0 && cur.Version != version {
		return catalogue.Referral{}, conflict("%s: version %d is stale, the stored version is %d", what, version, cur.Version)
	}
	r, err := toReferral(cur)
	if err != nil {
		return catalogue.Referral{}, err
	}
	action, err := change(tx, &r)
	if err != nil {
		return catalogue.Referral{}, err
	}
	if action == "" {
		return r, nil // nothing to change
	}
	if err := r.Validate(); err != nil {
		return catalogue.Referral{}, validation(what, err)
	}
	r.Version, r.UpdatedAt = cur.Version+1, s.now()
	row, err := fromReferral(r)
	if err != nil {
		return catalogue.Referral{}, fmt.Errorf("%s: %w", what, err)
	}
	res := tx.Model(&referralRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
		Select("status", "hold_until", "held", "response", "reason", "version", "updated_at", "viewed_at", "reminded_at").
		Updates(&row)
	if res.Error != nil {
		return catalogue.Referral{}, dbError(res.Error, "update "+what)
	}
	if res.RowsAffected != 1 {
		return catalogue.Referral{}, conflict("%s: changed by someone else", what)
	}
	if err := s.audit(ctx, tx, action, referralSubject(id), r.Council); err != nil {
		return catalogue.Referral{}, err
	}
	out, err := toReferral(row)
	if err != nil {
		return catalogue.Referral{}, err
	}
	// Who is told of the change is told in its transaction.
	return out, s.tellReferral(ctx, tx, action, out)
}

// MarkViewed records that the provider opened a referral: a sent one becomes viewed.
func (s *Store) MarkViewed(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID) (catalogue.Referral, error) {
	return s.changeReferral(ctx, sc, id, 0, func(_ *gorm.DB, r *catalogue.Referral) (string, error) {
		if r.Status != catalogue.ReferralSent {
			return "", nil
		}
		r.Status, r.ViewedAt = catalogue.ReferralViewed, s.now()
		return "view", nil
	})
}

// RespondReferral records the provider's answer; accepting holds a place for each child moving.
func (s *Store) RespondReferral(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID, version int,
	a catalogue.ReferralResponse, holdUntil time.Time) (catalogue.Referral, error) {
	what := "referral " + id.String()
	a.Impact, a.Note = strings.TrimSpace(a.Impact), strings.TrimSpace(a.Note)
	if err := a.Check(); err != nil {
		return catalogue.Referral{}, validation(what, err)
	}
	return s.changeReferral(ctx, sc, id, version, func(tx *gorm.DB, r *catalogue.Referral) (string, error) {
		t := s.now()
		if !r.Status.Waiting() {
			return "", conflict("%s is %s: only a referral waiting for an answer can be answered", what, r.Status)
		}
		if !t.Before(r.Deadline) {
			return "", conflict("%s: its deadline passed at %s", what, r.Deadline.Format(time.RFC3339))
		}
		a.By, a.At = catalogue.ActorFrom(ctx).Token, t
		r.Response = &a
		if !a.Accepted {
			r.Status = catalogue.ReferralDeclined
			return "decline", nil
		}
		if !holdUntil.After(t) {
			return "", invalid(what, "hold_until", "must be in the future")
		}
		held, err := s.holdPlaces(ctx, tx, r.Placement, append([]catalogue.ChildID{r.Child}, r.Siblings...), r.Council, what)
		if err != nil {
			return "", err
		}
		r.Status, r.HoldUntil, r.Held = catalogue.ReferralAccepted, holdUntil, held
		return "accept", nil
	})
}

// holdPlaces holds one available place of the placement for each child, with conditional
// updates (a place is held only while it is available), the placement's row locked first so
// that acceptances of one home run one after the other.
func (s *Store) holdPlaces(ctx context.Context, tx *gorm.DB, pid catalogue.PlacementID, children []catalogue.ChildID,
	council catalogue.CouncilCode, what string) ([]catalogue.VacancyID, error) {
	p, err := lockPlacement(tx, catalogue.Everything, pid, what)
	if err != nil {
		return nil, err
	}
	if err := placementOpen(tx, p.ID, what); err != nil {
		return nil, err
	}
	var held []catalogue.VacancyID
	for _, child := range children {
		got, err := s.claimPlace(ctx, tx, p.ID, child, catalogue.VacancyHeld, "status = ?", []any{string(catalogue.VacancyAvailable)},
			council, what, "hold", "no free place left to hold")
		if err != nil {
			return nil, err
		}
		held = append(held, got)
	}
	return held, nil
}

// releaseHeld makes the places a referral still holds available again.
func (s *Store) releaseHeld(ctx context.Context, tx *gorm.DB, r catalogue.Referral) error {
	return s.releasePlaces(ctx, tx, r.Held, append([]catalogue.ChildID{r.Child}, r.Siblings...), r.Council, "referral "+r.ID.String())
}

// releasePlaces makes the places held available again, each only while it is still held for
// one of the children, with its audit row.
func (s *Store) releasePlaces(ctx context.Context, tx *gorm.DB, held []catalogue.VacancyID, children []catalogue.ChildID,
	council catalogue.CouncilCode, what string) error {
	for _, vid := range held {
		res := tx.Model(&vacancyRow{}).Where("id = ? AND status = ?", int64(vid), string(catalogue.VacancyHeld)).
			Where(s.oneOf("child_id", int64s(children))).
			Updates(map[string]any{"status": string(catalogue.VacancyAvailable), "child_id": nil,
				"version": gorm.Expr("version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return vacancyWriteError(res.Error, what+": release place")
		}
		if res.RowsAffected == 1 {
			if err := s.audit(ctx, tx, "update", vacancySubject(vid), council); err != nil {
				return err
			}
		}
	}
	return nil
}

// WithdrawReferral withdraws a live referral with a reason, releasing what it held.
func (s *Store) WithdrawReferral(ctx context.Context, sc catalogue.Scope, id catalogue.ReferralID, version int, reason string) (catalogue.Referral, error) {
	reason = strings.TrimSpace(reason)
	what := "referral " + id.String()
	if reason == "" {
		return catalogue.Referral{}, invalid(what, "reason", "is required: say why the referral is withdrawn")
	}
	return s.changeReferral(ctx, sc, id, version, func(tx *gorm.DB, r *catalogue.Referral) (string, error) {
		if !r.Status.Live() {
			return "", conflict("%s is %s: only a referral waiting for an answer or accepted can be withdrawn", what, r.Status)
		}
		return "withdraw", s.endReferral(ctx, tx, r, catalogue.ReferralWithdrawn, reason)
	})
}

// endReferral ends a live referral (withdrawn or expired) and releases the places it held.
func (s *Store) endReferral(ctx context.Context, tx *gorm.DB, r *catalogue.Referral, to catalogue.ReferralStatus, reason string) error {
	if err := s.releaseHeld(ctx, tx, *r); err != nil {
		return err
	}
	r.Status, r.Reason, r.HoldUntil = to, reason, time.Time{}
	return nil
}

// The reasons the store gives when it ends referrals itself.
const (
	reasonNoAnswer  = "the provider did not answer by the deadline"
	reasonHoldEnded = "the provider's hold on the place ran out before the offer was decided"
	reasonOtherHome = "the child is to live in another home"
	reasonOfferEnd  = "the offer with this home was declined or withdrawn"
)

// ExpireReferrals expires every referral overdue at the store's clock, one transaction each,
// and withdraws the option of an expired acceptance from the child's open offer.
func (s *Store) ExpireReferrals(ctx context.Context) ([]catalogue.Referral, error) {
	t := s.now()
	var ids []int64
	err := s.db.WithContext(ctx).Model(&referralRow{}).
		Where("(status IN ? AND deadline <= ?) OR (status = ? AND hold_until IS NOT NULL AND hold_until <= ?)",
			[]string{string(catalogue.ReferralSent), string(catalogue.ReferralViewed)}, t, string(catalogue.ReferralAccepted), t).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, dbError(err, "find overdue referrals")
	}
	var out []catalogue.Referral
	for _, id := range ids {
		wasAccepted, expired := false, false
		r, err := s.changeReferral(ctx, catalogue.Everything, catalogue.ReferralID(id), 0, func(tx *gorm.DB, r *catalogue.Referral) (string, error) {
			if !r.Overdue(s.now()) {
				return "", nil // answered or ended meanwhile
			}
			expired = true
			reason := reasonNoAnswer
			if r.Status == catalogue.ReferralAccepted {
				reason, wasAccepted = reasonHoldEnded, true
			}
			return "expire", s.endReferral(ctx, tx, r, catalogue.ReferralExpired, reason)
		})
		if err != nil {
			return out, err
		}
		if !expired {
			continue
		}
		out = append(out, r)
		if wasAccepted {
			if err := s.dropExpiredOption(ctx, r); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// dropExpiredOption withdraws an expired acceptance's home from the child's open offer, if it
// is one of its options still open: the back-up takes its place, and an offer left with no home
// is withdrawn.
func (s *Store) dropExpiredOption(ctx context.Context, r catalogue.Referral) error {
	var rows []offerRow
	err := s.db.WithContext(ctx).Where("child_id = ?", int64(r.Child)).
		Where(s.oneOfText("status", statusStrings(catalogue.OpenOfferStatuses))).Find(&rows).Error
	if err != nil {
		return dbError(err, "read offers of child "+r.Child.String())
	}
	for _, row := range rows {
		o, err := toOffer(row)
		if err != nil {
			return err
		}
		if op, ok := o.Option(r.Placement); ok && !op.Withdrawn && op.Referral == r.ID {
			var err error
			if len(o.Choices())+len(o.Backups()) <= 1 {
				// It was the offer's only home: the offer cannot stand without it.
				_, err = s.WithdrawOffer(ctx, catalogue.Everything, o.ID, 0, reasonHoldEnded)
			} else {
				_, err = s.ReplaceOption(ctx, catalogue.Everything, o.ID, 0, r.Placement, reasonHoldEnded, nil)
			}
			if err != nil && !errors.Is(err, catalogue.ErrConflict) {
				return err
			}
		}
	}
	return nil
}

func statusStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// RemindReferrals marks the referrals still waiting whose deadline falls before by and that
// were not reminded yet, and returns them.
func (s *Store) RemindReferrals(ctx context.Context, by time.Time) ([]catalogue.Referral, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&referralRow{}).
		Where("status IN ? AND deadline <= ? AND reminded_at IS NULL",
			[]string{string(catalogue.ReferralSent), string(catalogue.ReferralViewed)}, by).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, dbError(err, "find referrals to remind")
	}
	var out []catalogue.Referral
	for _, id := range ids {
		marked := false
		r, err := s.changeReferral(ctx, catalogue.Everything, catalogue.ReferralID(id), 0, func(_ *gorm.DB, r *catalogue.Referral) (string, error) {
			if !r.Status.Waiting() || !r.RemindedAt.IsZero() {
				return "", nil
			}
			r.RemindedAt, marked = s.now(), true
			return "remind", nil
		})
		if err != nil {
			return out, err
		}
		if marked {
			out = append(out, r)
		}
	}
	return out, nil
}

// checkAgreed checks, in the transaction that makes or decides an offer, that each open option
// naming a referral has the provider's agreement: the referral is the child's, for the option's
// home, accepted, and its hold has not run out. field names the option ("options[1]").
func (s *Store) checkAgreed(tx *gorm.DB, o catalogue.Offer, what string, only catalogue.PlacementID) error {
	t := s.now()
	for i, op := range o.Options {
		if op.Referral == 0 || op.Withdrawn || (only != 0 && op.Placement != only) {
			continue
		}
		field := fmt.Sprintf("options[%d].referral", i)
		var row referralRow
		err := tx.Where("id = ?", int64(op.Referral)).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return invalid(what, field, "no such referral")
		} else if err != nil {
			return dbError(err, what+": read referral")
		}
		r, err := toReferral(row)
		if err != nil {
			return err
		}
		if r.Child != o.Child || r.Placement != op.Placement {
			return invalid(what, field, "is not the child's referral to this home")
		}
		if !r.Agreed(t) {
			msg := fmt.Sprintf("the provider's agreement to take the child is not in force: the referral is %s", r.Status)
			if r.Status == catalogue.ReferralAccepted {
				msg = "the provider's hold on the place has run out"
			}
			return &catalogue.Error{Kind: catalogue.KindConflict, Msg: what + ": " + field + ": " + msg,
				Fields: []catalogue.FieldError{{Field: field, Message: msg}}}
		}
	}
	return nil
}

// settleReferrals ends the child's referrals when their offer is decided or withdrawn: on
// accepting home keep, its referral's hold ends (its place is filled) and every other live
// referral of the child is withdrawn; on declining or withdrawing (keep 0), the referrals of
// the offer's homes are withdrawn. What they held is released.
func (s *Store) settleReferrals(ctx context.Context, tx *gorm.DB, o catalogue.Offer, keep catalogue.PlacementID) error {
	var rows []referralRow
	if err := tx.Where("child_id = ? AND status IN ?", int64(o.Child), liveReferralStatuses).Order("id").Find(&rows).Error; err != nil {
		return dbError(err, "read referrals of child "+o.Child.String())
	}
	for _, row := range rows {
		pid := catalogue.PlacementID(row.PlacementID)
		_, inOffer := o.Option(pid)
		reason := reasonOtherHome
		switch {
		case keep != 0 && pid == keep:
			reason = ""
		case keep == 0 && !inOffer:
			continue
		case keep == 0:
			reason = reasonOfferEnd
		}
		_, err := s.changeReferralTx(ctx, tx, catalogue.Everything, catalogue.ReferralID(row.ID), 0, func(tx *gorm.DB, r *catalogue.Referral) (string, error) {
			if reason == "" {
				if r.Status != catalogue.ReferralAccepted {
					return "", nil
				}
				// The place is filled now: what the referral still holds is released.
				if err := s.releaseHeld(ctx, tx, *r); err != nil {
					return "", err
				}
				r.HoldUntil = time.Time{}
				return "placed", nil
			}
			return "withdraw", s.endReferral(ctx, tx, r, catalogue.ReferralWithdrawn, reason)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

type allocationRow struct {
	ChildID      int64 `gorm:"primaryKey;autoIncrement:false"`
	SocialWorker string
	Team         string
	Email        string
	Version      int
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
}

func (allocationRow) TableName() string { return "child_allocations" }

// Allocation returns a child's allocated social worker.
func (s *Store) Allocation(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) (catalogue.Allocation, error) {
	db := s.db.WithContext(ctx)
	what := "allocation of child " + child.String()
	var n int64
	if err := councilScope(db.Model(&childRow{}), sc).Where("id = ?", int64(child)).Count(&n).Error; err != nil {
		return catalogue.Allocation{}, dbError(err, what)
	}
	if n == 0 {
		return catalogue.Allocation{}, notFound("%s", what)
	}
	var row allocationRow
	if err := db.Where("child_id = ?", int64(child)).Take(&row).Error; err != nil {
		return catalogue.Allocation{}, dbError(err, what)
	}
	return toAllocation(row), nil
}

func toAllocation(r allocationRow) catalogue.Allocation {
	return catalogue.Allocation{Child: catalogue.ChildID(r.ChildID), SocialWorker: r.SocialWorker, Team: r.Team,
		Email: r.Email, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
}

// SetAllocation records a child's allocated social worker and team, at a.Version (0: the first).
func (s *Store) SetAllocation(ctx context.Context, sc catalogue.Scope, a catalogue.Allocation) (catalogue.Allocation, error) {
	what := "allocation of child " + a.Child.String()
	a.SocialWorker, a.Team, a.Email = strings.TrimSpace(a.SocialWorker), strings.TrimSpace(a.Team), strings.TrimSpace(a.Email)
	if err := a.Validate(); err != nil {
		return catalogue.Allocation{}, validation(what, err)
	}
	var out allocationRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var ch childRow
		err := councilScope(tx, sc).Select("id", "council").Where("id = ?", int64(a.Child)).Take(&ch).Error
		if err != nil {
			return dbError(err, what)
		}
		var cur allocationRow
		err = forUpdate(tx).Where("child_id = ?", int64(a.Child)).Limit(1).Find(&cur).Error
		if err != nil {
			return dbError(err, what)
		}
		if cur.Version != a.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, a.Version, cur.Version)
		}
		out = allocationRow{ChildID: int64(a.Child), SocialWorker: a.SocialWorker, Team: a.Team, Email: a.Email,
			Version: cur.Version + 1, UpdatedAt: s.now()}
		if cur.Version == 0 {
			err = tx.Create(&out).Error
		} else {
			res := tx.Model(&allocationRow{}).Where("child_id = ? AND version = ?", cur.ChildID, cur.Version).
				Select("social_worker", "team", "email", "version", "updated_at").Updates(&out)
			if err = res.Error; err == nil && res.RowsAffected != 1 {
				return conflict("%s: changed by someone else", what)
			}
		}
		if err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return conflict("%s: recorded by someone else meanwhile", what)
			}
			return dbError(err, what)
		}
		return s.audit(ctx, tx, "update", childSubject(a.Child), catalogue.CouncilCode(ch.Council))
	})
	if err != nil {
		return catalogue.Allocation{}, err
	}
	return toAllocation(out), nil
}
