package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Filings of decision records in the council's case system (catalogue.CaseRecordStore,
// migration 00035). One row per offer; retention deletes no decision record without one.

type filingRow struct {
	OfferID   int64 `gorm:"primaryKey;autoIncrement:false"`
	ChildID   int64
	Council   string
	Reference string
	FiledBy   int64
	FiledRole string
	FiledAt   time.Time `gorm:"autoCreateTime:false"`
}

func (filingRow) TableName() string { return "case_record_filings" }

func (r filingRow) filing() catalogue.Filing {
	return catalogue.Filing{Offer: catalogue.OfferID(r.OfferID), Child: catalogue.ChildID(r.ChildID),
		Council: catalogue.CouncilCode(r.Council), Reference: r.Reference, By: catalogue.TokenID(r.FiledBy),
		ByRole: catalogue.Role(r.FiledRole), At: r.FiledAt.UTC()}
}

// MarkFiled records that an offer's decision record was filed, once.
func (s *Store) MarkFiled(ctx context.Context, sc catalogue.Scope, id catalogue.OfferID, reference string) (catalogue.Filing, bool, error) {
	what := "filing of offer " + id.String()
	if err := catalogue.CheckFilingReference(reference); err != nil {
		return catalogue.Filing{}, false, validation(what, err)
	}
	var out catalogue.Filing
	var filed bool
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		o, err := offerIn(forUpdate(tx), sc, id)
		if err != nil {
			return err
		}
		var cur []filingRow
		if err := tx.Where("offer_id = ?", int64(id)).Limit(1).Find(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if len(cur) == 1 {
			out = cur[0].filing()
			return nil
		}
		if !o.DecisionRecord() {
			return conflict("offer %d is %s: only a decided offer (or one withdrawn after it was sent) is filed in the case record", int64(id), o.Status)
		}
		a := catalogue.ActorFrom(ctx)
		row := filingRow{OfferID: int64(id), ChildID: int64(o.Child), Council: string(o.Council),
			Reference: strings.TrimSpace(reference), FiledBy: int64(a.Token), FiledRole: string(a.Role), FiledAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, what)
		}
		out, filed = row.filing(), true
		return s.audit(ctx, tx, "file case record", "offer:"+id.String(), o.Council)
	})
	return out, filed, err
}

// Filings returns the filings of the offers in scope among ids.
func (s *Store) Filings(ctx context.Context, sc catalogue.Scope, ids []catalogue.OfferID) (map[catalogue.OfferID]catalogue.Filing, error) {
	out := map[catalogue.OfferID]catalogue.Filing{}
	if len(ids) == 0 {
		return out, nil
	}
	raw := make([]int64, len(ids))
	for i, id := range ids {
		raw[i] = int64(id)
	}
	for _, part := range chunk(raw, 500) {
		var rows []filingRow
		if err := councilScope(s.db.WithContext(ctx), sc).Where("offer_id IN ?", part).Find(&rows).Error; err != nil {
			return nil, dbError(err, "read filings")
		}
		for _, r := range rows {
			out[catalogue.OfferID(r.OfferID)] = r.filing()
		}
	}
	return out, nil
}

// UnfiledDecisions lists the decision records in scope not yet filed.
func (s *Store) UnfiledDecisions(ctx context.Context, sc catalogue.Scope, f catalogue.UnfiledFilter) (catalogue.Page[catalogue.Offer], error) {
	q := councilScope(s.db.WithContext(ctx), sc).Where(catalogue.DecisionRecordSQL).
		Where("id NOT IN (SELECT offer_id FROM case_record_filings)")
	if f.Council != "" {
		q = q.Where("council = ?", string(f.Council))
	}
	if f.Child != 0 {
		q = q.Where("child_id = ?", int64(f.Child))
	}
	return readPage(q, f.Limit, int64(f.After), func(r offerRow) int64 { return r.ID }, toOffer, "list unfiled decisions")
}

// Signatories names the people behind tokens: the account's name, else the token's label.
func (s *Store) Signatories(ctx context.Context, ids []catalogue.TokenID) (map[catalogue.TokenID]string, error) {
	out := map[catalogue.TokenID]string{}
	raw := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 {
			raw = append(raw, int64(id))
		}
	}
	if len(raw) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    int64
		Label string
		Name  *string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT t.id, t.label, a.name FROM tokens t LEFT JOIN accounts a ON a.token_id = t.id
		WHERE t.id IN ?`, raw).Scan(&rows).Error; err != nil {
		return nil, dbError(err, "read signatories")
	}
	for _, r := range rows {
		name := r.Label
		if r.Name != nil && *r.Name != "" {
			name = *r.Name
		}
		out[catalogue.TokenID(r.ID)] = name
	}
	return out, nil
}

var _ catalogue.CaseRecordStore = (*Store)(nil)
