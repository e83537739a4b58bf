package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Settling holds (catalogue.SettlingStore, migration 00039): the back-up of the offer a child
// moved under, held while they settle. Every change locks the hold's row, checks the version
// read, writes with a conditional UPDATE ... WHERE version = ?, and writes its audit row, the
// places it holds or frees and its notifications in the same transaction. Places are held with
// the conditional update that holds them for referrals (claimPlace: available -> held for the
// child), so a place is never held twice, and are freed only while still held for the child.

type settlingRow struct {
	ID             int64 `gorm:"primaryKey"`
	OfferID        int64
	ChildID        int64
	Siblings       string // JSON
	Council        string
	PlacementID    int64
	ProviderID     int64
	Status         string
	Weeks          int
	Ends           time.Time
	WeeklyRetainer int
	Note           string
	Held           string // JSON
	AnsweredBy     int64
	AnsweredAt     *time.Time
	ReleasedAt     *time.Time
	ReleaseReason  string
	NewOfferID     *int64
	ReferralID     *int64
	Version        int
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (settlingRow) TableName() string { return "settling_holds" }

func idPtr[T ~int64](id T) *int64 {
	if id == 0 {
		return nil
	}
	v := int64(id)
	return &v
}

func fromSettling(h catalogue.SettlingHold) (settlingRow, error) {
	r := settlingRow{
		ID: int64(h.ID), OfferID: int64(h.Offer), ChildID: int64(h.Child), Council: string(h.Council),
		PlacementID: int64(h.Placement), ProviderID: int64(h.Provider), Status: string(h.Status), Weeks: h.Weeks,
		Ends: h.Ends, WeeklyRetainer: h.WeeklyRetainer, Note: h.Note, AnsweredBy: int64(h.AnsweredBy),
		AnsweredAt: timePtr(h.AnsweredAt), ReleasedAt: timePtr(h.ReleasedAt), ReleaseReason: h.ReleaseReason,
		NewOfferID: idPtr(h.NewOffer), ReferralID: idPtr(h.Referral), Version: h.Version,
		CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt,
	}
	var w jsonWriter
	r.Siblings = w.list(h.Siblings)
	r.Held = w.list(h.Held)
	return r, w.err
}

func toSettling(r settlingRow) (catalogue.SettlingHold, error) {
	h := catalogue.SettlingHold{
		ID: catalogue.SettlingHoldID(r.ID), Offer: catalogue.OfferID(r.OfferID), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(r.Council), Placement: catalogue.PlacementID(r.PlacementID),
		Provider: catalogue.ProviderID(r.ProviderID), Status: catalogue.SettlingStatus(r.Status), Weeks: r.Weeks,
		Ends: r.Ends.UTC(), WeeklyRetainer: r.WeeklyRetainer, Note: r.Note, AnsweredBy: catalogue.TokenID(r.AnsweredBy),
		AnsweredAt: timeVal(r.AnsweredAt), ReleasedAt: timeVal(r.ReleasedAt), ReleaseReason: r.ReleaseReason,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.NewOfferID != nil {
		h.NewOffer = catalogue.OfferID(*r.NewOfferID)
	}
	if r.ReferralID != nil {
		h.Referral = catalogue.ReferralID(*r.ReferralID)
	}
	rd := jsonReader{what: "settling hold " + h.ID.String()}
	rd.read("siblings", r.Siblings, &h.Siblings)
	rd.read("held", r.Held, &h.Held)
	h.Siblings, h.Held = emptyToNil(h.Siblings), emptyToNil(h.Held)
	return h, rd.err
}

func settlingSubject(id catalogue.SettlingHoldID) string { return "settling:" + id.String() }

// settlingNotification is the notification of a hold's event: the provider is told of a
// request and of an end it did not make itself; the council's placement team of an answer and
// of a provider's withdrawal.
func settlingNotification(kind catalogue.NotificationKind, h catalogue.SettlingHold, toProvider bool) catalogue.Notification {
	to := catalogue.TeamRecipient(h.Council, catalogue.TeamPlacements)
	if toProvider {
		to = catalogue.ProviderRecipient(h.Provider)
	}
	return catalogue.NewNotification(kind, to, int64(h.ID), "/v1/settling-holds/"+h.ID.String())
}

// requestSettlingHold asks, in MarkPlaced's transaction, that the placed offer's first back-up
// still open be held for the council's settling period from the day of the move: nothing when
// the policy holds none, the offer has no such back-up, or the period has already ended.
func (s *Store) requestSettlingHold(ctx context.Context, tx *gorm.DB, o catalogue.Offer, on time.Time) error {
	pol, err := readPolicy(tx, o.Council)
	if err != nil {
		return err
	}
	weeks := pol.Policy.Settling()
	ends := on.AddDate(0, 0, 7*weeks)
	if weeks == 0 || !ends.After(s.now()) {
		return nil
	}
	var backup catalogue.PlacementID
	for _, op := range o.Backups() {
		if o.Decision == nil || op.Placement != o.Decision.Placement {
			backup = op.Placement
			break
		}
	}
	if backup == 0 {
		return nil
	}
	var p placementRow
	if err := tx.Select("id", "provider_id").Where("id = ?", int64(backup)).Take(&p).Error; err != nil {
		return dbError(err, "offer "+o.ID.String()+": read back-up")
	}
	t := s.now()
	h := catalogue.SettlingHold{Offer: o.ID, Child: o.Child, Siblings: o.Siblings, Council: o.Council, Placement: backup,
		Provider: catalogue.ProviderID(p.ProviderID), Status: catalogue.SettlingRequested, Weeks: weeks, Ends: ends,
		Version: 1, CreatedAt: t, UpdatedAt: t}
	if err := h.Validate(); err != nil {
		return validation("settling hold", err)
	}
	row, err := fromSettling(h)
	if err != nil {
		return err
	}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return conflict("offer %d: its back-up has already been asked to be held", int64(o.ID))
		}
		return dbError(err, "create settling hold")
	}
	h.ID = catalogue.SettlingHoldID(row.ID)
	if err := s.audit(ctx, tx, "create", settlingSubject(h.ID), h.Council); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, settlingNotification(catalogue.NotifySettlingRequested, h, true))
}

// SettlingHold returns one hold in scope.
func (s *Store) SettlingHold(ctx context.Context, sc catalogue.Scope, id catalogue.SettlingHoldID) (catalogue.SettlingHold, error) {
	var row settlingRow
	if err := referralScope(s.db.WithContext(ctx), sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.SettlingHold{}, dbError(err, "settling hold "+id.String())
	}
	return toSettling(row)
}

// ListSettlingHolds returns a page of the holds in scope by ascending ID.
func (s *Store) ListSettlingHolds(ctx context.Context, sc catalogue.Scope, f catalogue.SettlingFilter) (catalogue.Page[catalogue.SettlingHold], error) {
	if f.Status != "" && !f.Status.Valid() {
		return catalogue.Page[catalogue.SettlingHold]{}, catalogue.Invalid("status", "must be one of %v", catalogue.SettlingStatuses)
	}
	q := referralScope(s.db.WithContext(ctx), sc)
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	return readPage(q, f.Limit, int64(f.After), func(r settlingRow) int64 { return r.ID }, toSettling, "list settling holds")
}

// changeSettling runs one change to a hold in scope in the caller's transaction: it locks the
// row, checks version (unless 0), lets change modify the hold (returning the audit action, or
// "" for no change), validates, writes with a conditional update and writes the audit row.
func (s *Store) changeSettling(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, id catalogue.SettlingHoldID, version int,
	change func(h *catalogue.SettlingHold) (string, error)) (catalogue.SettlingHold, error) {
	what := "settling hold " + id.String()
	var cur settlingRow
	if err := forUpdate(referralScope(tx, sc)).Where("id = ?", int64(id)).Take(&cur).Error; err != nil {
		return catalogue.SettlingHold{}, dbError(err, what)
	}
	if version != 0 && cur.Version != version {
		return catalogue.SettlingHold{}, conflict("%s: version %d is stale, the stored version is %d", what, version, cur.Version)
	}
	h, err := toSettling(cur)
	if err != nil {
		return catalogue.SettlingHold{}, err
	}
	action, err := change(&h)
	if err != nil || action == "" {
		return h, err
	}
	if err := h.Validate(); err != nil {
		return catalogue.SettlingHold{}, validation(what, err)
	}
	h.Version, h.UpdatedAt = cur.Version+1, s.now()
	row, err := fromSettling(h)
	if err != nil {
		return catalogue.SettlingHold{}, err
	}
	res := tx.Model(&settlingRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
		Select("status", "weekly_retainer", "note", "held", "answered_by", "answered_at", "released_at", "release_reason",
			"new_offer_id", "referral_id", "version", "updated_at").Updates(&row)
	if res.Error != nil {
		return catalogue.SettlingHold{}, dbError(res.Error, "update "+what)
	}
	if res.RowsAffected != 1 {
		return catalogue.SettlingHold{}, conflict("%s: changed by someone else", what)
	}
	if err := s.audit(ctx, tx, action, settlingSubject(id), h.Council); err != nil {
		return catalogue.SettlingHold{}, err
	}
	return toSettling(row)
}

// inSettlingTx runs one change to a hold in its own transaction (see changeSettling).
func (s *Store) inSettlingTx(ctx context.Context, sc catalogue.Scope, id catalogue.SettlingHoldID, version int,
	change func(tx *gorm.DB, h *catalogue.SettlingHold) (string, error)) (catalogue.SettlingHold, error) {
	if id <= 0 {
		return catalogue.SettlingHold{}, notFound("settling hold %d", int64(id))
	}
	var out catalogue.SettlingHold
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.changeSettling(ctx, tx, sc, id, version, func(h *catalogue.SettlingHold) (string, error) { return change(tx, h) })
		return err
	})
	if err != nil {
		return catalogue.SettlingHold{}, err
	}
	return out, nil
}

// settlingOver is the conflict of a change to a hold whose settling period has ended.
func settlingOver(h catalogue.SettlingHold) error {
	return conflict("settling hold %d: the settling period ended on %s", int64(h.ID), h.Ends.Format(time.DateOnly))
}

// AnswerSettlingHold records the provider's answer to a requested hold; agreeing holds one
// available place of the home for each child who moved.
func (s *Store) AnswerSettlingHold(ctx context.Context, sc catalogue.Scope, id catalogue.SettlingHoldID, version int,
	a catalogue.SettlingAnswer) (catalogue.SettlingHold, error) {
	a.Note = strings.TrimSpace(a.Note)
	what := "settling hold " + id.String()
	if err := a.Check(); err != nil {
		return catalogue.SettlingHold{}, validation(what, err)
	}
	return s.inSettlingTx(ctx, sc, id, version, func(tx *gorm.DB, h *catalogue.SettlingHold) (string, error) {
		t := s.now()
		if h.Status != catalogue.SettlingRequested {
			return "", conflict("%s is %s: only a hold asked for and not yet answered can be answered", what, h.Status)
		}
		if !t.Before(h.Ends) {
			return "", settlingOver(*h)
		}
		h.AnsweredBy, h.AnsweredAt, h.Note = catalogue.ActorFrom(ctx).Token, t, a.Note
		action := "decline"
		h.Status = catalogue.SettlingDeclined
		if a.Agree {
			held, err := s.holdPlaces(ctx, tx, h.Placement, h.Moving(), h.Council, what)
			if err != nil {
				return "", err
			}
			h.Status, h.Held, h.WeeklyRetainer, action = catalogue.SettlingAgreed, held, a.WeeklyRetainer, "agree"
		}
		return action, s.enqueue(ctx, tx, settlingNotification(catalogue.NotifySettlingAnswered, *h, false))
	})
}

// ReleaseSettlingHold ends a live hold early with a reason, freeing its places; the provider
// is told when the council ended it, the council's placement team when the provider did.
func (s *Store) ReleaseSettlingHold(ctx context.Context, sc catalogue.Scope, id catalogue.SettlingHoldID, version int, reason string) (catalogue.SettlingHold, error) {
	reason = strings.TrimSpace(reason)
	if err := catalogue.CheckRelease(reason); err != nil {
		return catalogue.SettlingHold{}, err
	}
	return s.inSettlingTx(ctx, sc, id, version, func(tx *gorm.DB, h *catalogue.SettlingHold) (string, error) {
		return "release", s.endSettling(ctx, tx, h, reason, sc.Provider == 0)
	})
}

// endSettling ends a live hold, freeing its places, and tells the provider (toProvider) or the
// council's placement team.
func (s *Store) endSettling(ctx context.Context, tx *gorm.DB, h *catalogue.SettlingHold, reason string, toProvider bool) error {
	if !h.Status.Live() {
		return conflict("settling hold %d is %s: only a hold asked for or agreed can end", int64(h.ID), h.Status)
	}
	if err := s.releasePlaces(ctx, tx, h.Held, h.Moving(), h.Council, "settling hold "+h.ID.String()); err != nil {
		return err
	}
	h.Status, h.ReleasedAt, h.ReleaseReason, h.Held = catalogue.SettlingReleased, s.now(), reason, nil
	return s.enqueue(ctx, tx, settlingNotification(catalogue.NotifySettlingReleased, *h, toProvider))
}

// reasonSettled is the reason the store gives when a hold ends with its settling period.
const reasonSettled = "the settling period ended"

// EndSettlingHolds releases every live hold whose settling period has ended, one transaction
// each.
func (s *Store) EndSettlingHolds(ctx context.Context) ([]catalogue.SettlingHold, error) {
	t := s.now()
	var ids []int64
	err := s.db.WithContext(ctx).Model(&settlingRow{}).
		Where("status IN ? AND ends <= ?", []string{string(catalogue.SettlingRequested), string(catalogue.SettlingAgreed)}, t).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, dbError(err, "find settling holds ended")
	}
	var out []catalogue.SettlingHold
	for _, id := range ids {
		ended := false
		h, err := s.inSettlingTx(ctx, catalogue.Everything, catalogue.SettlingHoldID(id), 0, func(tx *gorm.DB, h *catalogue.SettlingHold) (string, error) {
			if !h.Status.Live() || s.now().Before(h.Ends) {
				return "", nil // answered, released or offered meanwhile
			}
			ended = true
			return "end", s.endSettling(ctx, tx, h, reasonSettled, true)
		})
		if err != nil {
			return out, err
		}
		if ended {
			out = append(out, h)
		}
	}
	return out, nil
}

// OfferSettlingHold makes offer o from an agreed hold in one transaction: an accepted referral
// carries the provider's agreement and the held places into the offer.
func (s *Store) OfferSettlingHold(ctx context.Context, sc catalogue.Scope, id catalogue.SettlingHoldID, version int,
	o catalogue.Offer) (catalogue.Offer, catalogue.SettlingHold, error) {
	what := "settling hold " + id.String()
	if id <= 0 {
		return catalogue.Offer{}, catalogue.SettlingHold{}, notFound("%s", what)
	}
	o.Options = slices.Clone(o.Options)
	var made catalogue.Offer
	var out catalogue.SettlingHold
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.changeSettling(ctx, tx, sc, id, version, func(h *catalogue.SettlingHold) (string, error) {
			t := s.now()
			if h.Status != catalogue.SettlingAgreed {
				return "", conflict("%s is %s: only a back-up its provider agreed to hold can be offered", what, h.Status)
			}
			if !t.Before(h.Ends) {
				return "", settlingOver(*h)
			}
			if o.Child != h.Child || len(o.Options) != 1 || o.Options[0].Placement != h.Placement {
				return "", invalid(what, "offer", "must offer the held home to the child it is held for")
			}
			ref, err := s.settlingReferral(ctx, tx, *h, what)
			if err != nil {
				return "", err
			}
			o.Options[0].Referral = ref
			if made, err = s.createOffer(ctx, tx, sc, o, "offer"); err != nil {
				return "", err
			}
			h.Status, h.NewOffer, h.Referral = catalogue.SettlingOffered, made.ID, ref
			return "offer", s.enqueue(ctx, tx, settlingNotification(catalogue.NotifySettlingOffered, *h, true))
		})
		return err
	})
	if err != nil {
		return catalogue.Offer{}, catalogue.SettlingHold{}, err
	}
	return made, out, nil
}

// settlingReferral stores, in tx, the accepted referral by which a settling hold's agreement
// reaches the offer of its home: its answer is the one the provider gave when the home was the
// back-up (its impact assessment and fee), its places the hold's, held until the settling
// period ends. ErrConflict when the child already has a live referral to the home.
func (s *Store) settlingReferral(ctx context.Context, tx *gorm.DB, h catalogue.SettlingHold, what string) (catalogue.ReferralID, error) {
	t := s.now()
	resp := catalogue.ReferralResponse{Accepted: true, By: h.AnsweredBy, At: h.AnsweredAt,
		Impact: fmt.Sprintf("The provider agreed to hold this home while the child settled elsewhere (settling hold %d).", int64(h.ID))}
	var prev offerRow
	if err := tx.Where("id = ?", int64(h.Offer)).Take(&prev).Error; err != nil {
		return 0, dbError(err, what+": read the offer the child moved under")
	}
	placed, err := toOffer(prev)
	if err != nil {
		return 0, err
	}
	if op, ok := placed.Option(h.Placement); ok && op.Referral != 0 {
		var r referralRow
		if err := tx.Where("id = ?", int64(op.Referral)).Take(&r).Error; err != nil {
			return 0, dbError(err, what+": read the back-up's referral")
		}
		if was, err := toReferral(r); err != nil {
			return 0, err
		} else if was.Response != nil && was.Response.Accepted {
			resp.Impact, resp.WeeklyFee = was.Response.Impact, was.Response.WeeklyFee
		}
	}
	resp.Note = fmt.Sprintf("Agreed through settling hold %d.", int64(h.ID))
	r := catalogue.Referral{Child: h.Child, Council: h.Council, Siblings: h.Siblings, Placement: h.Placement, Provider: h.Provider,
		Status: catalogue.ReferralAccepted, Deadline: t, HoldUntil: h.Ends, Held: h.Held, Response: &resp,
		SentBy: catalogue.ActorFrom(ctx).Token, Version: 1, CreatedAt: t, UpdatedAt: t}
	if err := r.Validate(); err != nil {
		return 0, validation(what, err)
	}
	row, err := fromReferral(r)
	if err != nil {
		return 0, err
	}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return 0, conflict("%s: the child is already referred to placement %d, waiting for an answer or accepted", what, int64(h.Placement))
		}
		return 0, dbError(err, what+": create referral")
	}
	id := catalogue.ReferralID(row.ID)
	return id, s.audit(ctx, tx, "create", referralSubject(id), h.Council)
}
