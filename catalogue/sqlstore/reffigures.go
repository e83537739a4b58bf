package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Framework prices (migration 00021) and the referral reads and history imports of the
// commissioners' report.

type frameworkPriceRow struct {
	Council     string `gorm:"primaryKey"`
	Kind        string `gorm:"primaryKey"`
	WeeklyPrice int
	Note        string
	Version     int
	UpdatedAt   time.Time `gorm:"autoUpdateTime:false"`
}

func (frameworkPriceRow) TableName() string { return "framework_prices" }

func toFrameworkPrice(r frameworkPriceRow) catalogue.FrameworkPrice {
	return catalogue.FrameworkPrice{Council: catalogue.CouncilCode(r.Council), Kind: catalogue.PlacementKind(r.Kind),
		WeeklyPrice: r.WeeklyPrice, Note: r.Note, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
}

func frameworkSubject(c catalogue.CouncilCode, k catalogue.PlacementKind) string {
	return "framework_price:" + string(c) + ":" + string(k)
}

// FrameworkPrices lists the prices, of one council when council is set, by council then kind.
func (s *Store) FrameworkPrices(ctx context.Context, council catalogue.CouncilCode) ([]catalogue.FrameworkPrice, error) {
	q := s.db.WithContext(ctx)
	if council != "" {
		if !council.Valid() {
			return nil, catalogue.Invalid("council", "must be the ONS code of an English upper-tier council")
		}
		q = q.Where("council = ?", string(council))
	}
	var rows []frameworkPriceRow
	if err := q.Order("council").Order("kind").Find(&rows).Error; err != nil {
		return nil, dbError(err, "list framework prices")
	}
	out := make([]catalogue.FrameworkPrice, len(rows))
	for i, r := range rows {
		out[i] = toFrameworkPrice(r)
	}
	return out, nil
}

// SetFrameworkPrice sets a council's price for a kind of care at the version read, audited.
func (s *Store) SetFrameworkPrice(ctx context.Context, p catalogue.FrameworkPrice) (catalogue.FrameworkPrice, error) {
	what := "framework price " + string(p.Council) + " " + string(p.Kind)
	if err := p.Validate(); err != nil {
		return catalogue.FrameworkPrice{}, validation(what, err)
	}
	row := frameworkPriceRow{Council: string(p.Council), Kind: string(p.Kind), WeeklyPrice: p.WeeklyPrice, Note: p.Note,
		Version: p.Version + 1, UpdatedAt: s.now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if p.Version == 0 {
			if err := tx.Create(&row).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return conflict("%s is set already: send the version you read to change it", what)
				}
				return dbError(err, "set "+what)
			}
		} else {
			res := tx.Model(&frameworkPriceRow{}).Where("council = ? AND kind = ? AND version = ?", row.Council, row.Kind, p.Version).
				Updates(map[string]any{"weekly_price": row.WeeklyPrice, "note": row.Note, "version": row.Version, "updated_at": row.UpdatedAt})
			if res.Error != nil {
				return dbError(res.Error, "set "+what)
			}
			if res.RowsAffected != 1 {
				var n int64
				if err := tx.Model(&frameworkPriceRow{}).Where("council = ? AND kind = ?", row.Council, row.Kind).Count(&n).Error; err != nil {
					return dbError(err, what)
				}
				if n == 0 {
					return notFound("%s", what)
				}
				return conflict("%s: version %d is stale", what, p.Version)
			}
		}
		return s.audit(ctx, tx, "set", frameworkSubject(p.Council, p.Kind), p.Council)
	})
	if err != nil {
		return catalogue.FrameworkPrice{}, err
	}
	return toFrameworkPrice(row), nil
}

// ReferralFacts returns the facts of every referral sent at or after since, by ID, every scope.
func (s *Store) ReferralFacts(ctx context.Context, since time.Time) ([]catalogue.ReferralFact, error) {
	db := s.db.WithContext(ctx)
	var out []catalogue.ReferralFact
	after := int64(0)
	for {
		var rows []referralRow
		q := db.Where("id > ?", after)
		if !since.IsZero() {
			q = q.Where("created_at >= ?", since)
		}
		if err := q.Order("id").Limit(catalogue.MaxLimit).Find(&rows).Error; err != nil {
			return nil, dbError(err, "read referrals for the report")
		}
		if len(rows) == 0 {
			return out, nil
		}
		after = rows[len(rows)-1].ID
		var pids, cids, provs []int64
		for _, r := range rows {
			pids, cids, provs = append(pids, r.PlacementID), append(cids, r.ChildID), append(provs, r.ProviderID)
		}
		slices.Sort(pids)
		slices.Sort(cids)
		slices.Sort(provs)
		provs, cids = slices.Compact(provs), slices.Compact(cids)
		var ps []placementRow
		if err := db.Select("id", "kind").Where(s.oneOf("id", slices.Compact(pids))).Find(&ps).Error; err != nil {
			return nil, dbError(err, "read the kinds of the homes referred to")
		}
		kind := make(map[int64]catalogue.PlacementKind, len(ps))
		for _, p := range ps {
			kind[p.ID] = catalogue.PlacementKind(p.Kind)
		}
		var prov []providerRow
		if err := db.Select("id", "name").Where(s.oneOf("id", provs)).Find(&prov).Error; err != nil {
			return nil, dbError(err, "read the providers referred to")
		}
		name := make(map[int64]string, len(prov))
		for _, p := range prov {
			name[p.ID] = p.Name
		}
		var cs []childRow
		if err := db.Select("id", "needs").Where(s.oneOf("id", cids)).Find(&cs).Error; err != nil {
			return nil, dbError(err, "read the needs of the children referred")
		}
		needs := make(map[int64][]catalogue.Need, len(cs))
		for _, c := range cs {
			var ds []needDoc
			if c.Needs != "" {
				if err := json.Unmarshal([]byte(c.Needs), &ds); err != nil {
					return nil, catalogue.Errorf(catalogue.KindInternal, "child %d: needs: %v", c.ID, err)
				}
			}
			needs[c.ID] = mapList(ds, needDoc.need)
		}
		moves, err := s.moveDays(db, cids, since)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			r, err := toReferral(row)
			if err != nil {
				return nil, err
			}
			f := catalogue.FactOf(r, kind[row.PlacementID], needs[row.ChildID])
			f.ProviderName = name[row.ProviderID]
			f.MovedIn = firstOnOrAfter(moves[row.ChildID], catalogue.Day(f.SentAt))
			out = append(out, f)
		}
	}
}

// moveDays reads the days the children moved into a home (the starts of their placements in
// the placement history) since the day of since (zero: ever), earliest first, by child.
func (s *Store) moveDays(db *gorm.DB, children []int64, since time.Time) (map[int64][]time.Time, error) {
	q := db.Model(&episodeRow{}).Select("child_id", "start_date").Where(s.oneOf("child_id", children))
	if !since.IsZero() {
		q = q.Where("start_date >= ?", catalogue.Day(since))
	}
	var eps []episodeRow
	if err := q.Order("start_date").Order("id").Find(&eps).Error; err != nil {
		return nil, dbError(err, "read the moves of the children referred")
	}
	out := make(map[int64][]time.Time, len(children))
	for _, e := range eps {
		out[e.ChildID] = append(out[e.ChildID], catalogue.Day(e.StartDate.UTC()))
	}
	return out, nil
}

// firstOnOrAfter is the first of days (in order) on or after day; zero when none is.
func firstOnOrAfter(days []time.Time, day time.Time) time.Time {
	for _, d := range days {
		if !d.Before(day) {
			return d
		}
	}
	return time.Time{}
}

// ImportReferrals stores past referrals of children in scope as given, audited, all in one
// transaction. Every bad referral is reported, each as referrals[i].field with Row i+1: the
// record's own problems (CheckPast) first, then children that do not exist or are out of scope
// and homes that do not exist.
func (s *Store) ImportReferrals(ctx context.Context, sc catalogue.Scope, rs []catalogue.Referral) ([]catalogue.Referral, error) {
	now := s.now()
	issues := catalogue.NewIssues(func(a, b catalogue.FieldError) int { return a.Row - b.Row })
	bad := func(i int, field, msg string) {
		issues.Add(catalogue.FieldError{Row: i + 1, Field: fmt.Sprintf("referrals[%d].%s", i, field), Message: msg})
	}
	for i, r := range rs {
		for _, fe := range catalogue.FieldErrors(r.CheckPast(now)) {
			bad(i, fe.Field, fe.Message)
		}
	}
	if issues.Len() > 0 {
		return nil, issues.Err()
	}
	out := make([]catalogue.Referral, len(rs))
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		councils, providers, err := s.referralRefs(tx, sc, rs)
		if err != nil {
			return err
		}
		for i, r := range rs {
			if _, ok := councils[r.Child]; !ok {
				bad(i, "child", "no such child")
			}
			if _, ok := providers[r.Placement]; !ok {
				bad(i, "placement", "no such placement")
			}
		}
		if issues.Len() > 0 {
			return issues.Err()
		}
		for i, r := range rs {
			what := fmt.Sprintf("referrals[%d]", i)
			r.ID, r.Council, r.Provider, r.Version = 0, councils[r.Child], providers[r.Placement], 1
			if r.UpdatedAt.IsZero() {
				r.UpdatedAt = r.CreatedAt
				if r.Response != nil && r.Response.At.After(r.UpdatedAt) {
					r.UpdatedAt = r.Response.At
				}
			}
			if r.SentBy == 0 {
				r.SentBy = catalogue.ActorFrom(ctx).Token
			}
			row, err := fromReferral(r)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if err := tx.Create(&row).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					return conflict("%s: child %d already has an accepted referral to placement %d", what, int64(r.Child), int64(r.Placement))
				}
				return dbError(err, what+": create referral")
			}
			if err := s.audit(ctx, tx, "import", referralSubject(catalogue.ReferralID(row.ID)), r.Council); err != nil {
				return err
			}
			if out[i], err = toReferral(row); err != nil {
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

// referralRefs reads, for past referrals, the council of each child in scope and the provider
// of each home they name, a page of IDs at a time.
func (s *Store) referralRefs(tx *gorm.DB, sc catalogue.Scope, rs []catalogue.Referral) (map[catalogue.ChildID]catalogue.CouncilCode, map[catalogue.PlacementID]catalogue.ProviderID, error) {
	var cids, pids []int64
	for _, r := range rs {
		cids, pids = append(cids, int64(r.Child)), append(pids, int64(r.Placement))
	}
	slices.Sort(cids)
	slices.Sort(pids)
	cids, pids = slices.Compact(cids), slices.Compact(pids)
	councils := make(map[catalogue.ChildID]catalogue.CouncilCode, len(cids))
	providers := make(map[catalogue.PlacementID]catalogue.ProviderID, len(pids))
	for part := range slices.Chunk(cids, catalogue.MaxLimit) {
		var cs []childRow
		q := tx.Select("id", "council").Where(s.oneOf("id", part))
		if sc.Council != "" {
			q = q.Where("council = ?", string(sc.Council))
		}
		if err := q.Find(&cs).Error; err != nil {
			return nil, nil, dbError(err, "read the children referred")
		}
		for _, c := range cs {
			councils[catalogue.ChildID(c.ID)] = catalogue.CouncilCode(c.Council)
		}
	}
	for part := range slices.Chunk(pids, catalogue.MaxLimit) {
		var ps []placementRow
		if err := tx.Select("id", "provider_id").Where(s.oneOf("id", part)).Find(&ps).Error; err != nil {
			return nil, nil, dbError(err, "read the homes referred to")
		}
		for _, p := range ps {
			providers[catalogue.PlacementID(p.ID)] = catalogue.ProviderID(p.ProviderID)
		}
	}
	return councils, providers, nil
}
