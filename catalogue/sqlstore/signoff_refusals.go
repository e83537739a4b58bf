package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Refusals of sign-offs (catalogue.SignOffRefusalStore, migration 00037): checked as a sign-off
// given is (waitingNeed: the refuser may give it, the home needs it, it is neither given nor
// refused), written with its audit row in one transaction; a unique index makes a second
// refusal of the same kind for the same home of an offer a conflict. Accepting the home is then
// refused (checkSignOffs).

type refusalRow struct {
	ID           int64 `gorm:"primaryKey"`
	OfferID      int64
	PlacementID  int64
	Council      string
	Kind         string
	Level        string
	Reason       string
	RefusedBy    int64
	RefusedRole  string
	RefusedLevel string
	RefusedAt    time.Time `gorm:"autoCreateTime:false"`
}

func (refusalRow) TableName() string { return "sign_off_refusals" }

func (r refusalRow) refusal() catalogue.SignOffRefusal {
	return catalogue.SignOffRefusal{
		ID: catalogue.RefusalID(r.ID), Offer: catalogue.OfferID(r.OfferID), Placement: catalogue.PlacementID(r.PlacementID),
		Kind: catalogue.SignOffKind(r.Kind), Level: catalogue.ManagerLevel(r.Level), Reason: r.Reason,
		By: catalogue.TokenID(r.RefusedBy), ByRole: catalogue.Role(r.RefusedRole), ByLevel: catalogue.ManagerLevel(r.RefusedLevel),
		At: r.RefusedAt.UTC(), Council: catalogue.CouncilCode(r.Council),
	}
}

// RefuseSignOff records a manager's refusal of a sign-off one home of an open offer in scope
// needs (answerNeed, as GiveSignOff).
func (s *Store) RefuseSignOff(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, placement catalogue.PlacementID,
	kind catalogue.SignOffKind, reason string) (catalogue.SignOffRefusal, error) {
	var row refusalRow
	err := s.answerNeed(ctx, sc, id, placement, kind, reason, "refused", "refuse_sign_off", func(o catalogue.Offer, need catalogue.SignOffNeed, tok catalogue.Token) any {
		row = refusalRow{OfferID: int64(id), PlacementID: int64(placement), Council: string(o.Council), Kind: string(kind),
			Level: string(need.Level), Reason: strings.TrimSpace(reason), RefusedBy: int64(tok.ID), RefusedRole: string(tok.Role),
			RefusedLevel: string(tok.Level), RefusedAt: s.now()}
		return &row
	})
	if err != nil {
		return catalogue.SignOffRefusal{}, err
	}
	return row.refusal(), nil
}

// SignOffRefusals lists the refusals of an offer in scope, oldest first.
func (s *Store) SignOffRefusals(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID) ([]catalogue.SignOffRefusal, error) {
	db := s.db.WithContext(ctx)
	if _, err := offerIn(db, sc, id); err != nil {
		return nil, err
	}
	return refusalsFor(db, id)
}

// refusalsFor reads the refusals of an offer through db, oldest first.
func refusalsFor(db *gorm.DB, id catalogue.OfferID) ([]catalogue.SignOffRefusal, error) {
	var rows []refusalRow
	if err := db.Where("offer_id = ?", int64(id)).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "read refusals of sign-offs")
	}
	out := make([]catalogue.SignOffRefusal, len(rows))
	for i, r := range rows {
		out[i] = r.refusal()
	}
	return out, nil
}
