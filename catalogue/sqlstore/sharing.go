package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// sharingRow is one sharing agreement (migration 00015): lists written ",a,b,", days as
// YYYY-MM-DD.
type sharingRow struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Kind      string
	Members   string
	OneWay    bool
	Kinds     string
	FromDay   string
	ToDay     string
	Note      string
	Version   int
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (sharingRow) TableName() string { return "sharing_agreements" }

const dayLayout = "2006-01-02"

func sharingSubject(id catalogue.SharingAgreementID) string {
	return "sharing_agreement:" + id.String()
}

// commaList writes a list as ",a,b," so that one item is matched with LIKE '%,a,%'.
func commaList[T ~string](vs []T) string {
	var b strings.Builder
	b.WriteString(",")
	for _, v := range vs {
		b.WriteString(string(v))
		b.WriteString(",")
	}
	return b.String()
}

func fromCommaList[T ~string](s string) []T {
	var out []T
	for _, v := range strings.Split(strings.Trim(s, ","), ",") {
		if v != "" {
			out = append(out, T(v))
		}
	}
	return out
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return catalogue.Day(t).Format(dayLayout)
}

func fromSharing(a catalogue.SharingAgreement) sharingRow {
	return sharingRow{
		ID: int64(a.ID), Name: a.Name, Kind: string(a.Kind), Members: commaList(a.Members), OneWay: a.OneWay,
		Kinds: commaList(a.Kinds), FromDay: dayText(a.From), ToDay: dayText(a.To), Note: a.Note, Version: a.Version,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

func toSharing(r sharingRow) (catalogue.SharingAgreement, error) {
	a := catalogue.SharingAgreement{
		ID: catalogue.SharingAgreementID(r.ID), Name: r.Name, Kind: catalogue.SharingKind(r.Kind),
		Members: fromCommaList[catalogue.CouncilCode](r.Members), OneWay: r.OneWay,
		Kinds: fromCommaList[catalogue.PlacementKind](r.Kinds), Note: r.Note, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	var err error
	if a.From, err = time.Parse(dayLayout, r.FromDay); err != nil {
		return a, catalogue.Errorf(catalogue.KindInternal, "sharing agreement %d: from day: %v", r.ID, err)
	}
	if r.ToDay != "" {
		if a.To, err = time.Parse(dayLayout, r.ToDay); err != nil {
			return a, catalogue.Errorf(catalogue.KindInternal, "sharing agreement %d: to day: %v", r.ID, err)
		}
	}
	return a, nil
}

// ListSharingAgreements returns a page of agreements by ascending ID.
func (s *Store) ListSharingAgreements(ctx context.Context, f catalogue.SharingFilter) (catalogue.Page[catalogue.SharingAgreement], error) {
	q := s.db.WithContext(ctx)
	if f.Council != "" {
		if !f.Council.Valid() {
			return catalogue.Page[catalogue.SharingAgreement]{}, catalogue.Invalid("council", "must be the ONS code of an English upper-tier council")
		}
		q = q.Where("members LIKE ?", "%,"+string(f.Council)+",%")
	}
	if !f.InForce.IsZero() {
		d := dayText(f.InForce)
		q = q.Where("from_day <= ? AND (to_day = '' OR to_day >= ?)", d, d)
	}
	return readPage(q, f.Limit, int64(f.After), func(r sharingRow) int64 { return r.ID }, toSharing, "list sharing agreements")
}

// SharingAgreement returns one agreement.
func (s *Store) SharingAgreement(ctx context.Context, id catalogue.SharingAgreementID) (catalogue.SharingAgreement, error) {
	var row sharingRow
	if err := s.db.WithContext(ctx).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.SharingAgreement{}, dbError(err, "sharing agreement "+id.String())
	}
	return toSharing(row)
}

// CreateSharingAgreement stores a new agreement, audited.
func (s *Store) CreateSharingAgreement(ctx context.Context, a catalogue.SharingAgreement) (catalogue.SharingAgreement, error) {
	if err := a.Validate(); err != nil {
		return catalogue.SharingAgreement{}, validation("sharing agreement", err)
	}
	t := s.now()
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = 0, 1, t, t
	row := fromSharing(a)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create sharing agreement")
		}
		return s.audit(ctx, tx, "create", sharingSubject(catalogue.SharingAgreementID(row.ID)), "")
	})
	if err != nil {
		return catalogue.SharingAgreement{}, err
	}
	return toSharing(row)
}

// UpdateSharingAgreement replaces an agreement at the version read, audited.
func (s *Store) UpdateSharingAgreement(ctx context.Context, a catalogue.SharingAgreement) (catalogue.SharingAgreement, error) {
	what := "sharing agreement " + a.ID.String()
	if a.ID <= 0 {
		return catalogue.SharingAgreement{}, notFound("%s", what)
	}
	if err := a.Validate(); err != nil {
		return catalogue.SharingAgreement{}, validation(what, err)
	}
	var row sharingRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur sharingRow
		if err := forUpdate(tx).Select("id", "version", "created_at").Where("id = ?", int64(a.ID)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if cur.Version != a.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, a.Version, cur.Version)
		}
		a.Version, a.CreatedAt, a.UpdatedAt = cur.Version+1, cur.CreatedAt.UTC(), s.now()
		row = fromSharing(a)
		res := tx.Model(&sharingRow{}).Where("id = ? AND version = ?", int64(a.ID), cur.Version).
			Select("*").Omit("id", "created_at").Updates(&row)
		if res.Error != nil {
			return dbError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else", what)
		}
		return s.audit(ctx, tx, "update", sharingSubject(a.ID), "")
	})
	if err != nil {
		return catalogue.SharingAgreement{}, err
	}
	return toSharing(row)
}

// fillOwners sets the owning council of each council foster placement: its provider's council,
// read with one query for the lot.
func (s *Store) fillOwners(db *gorm.DB, ps []catalogue.Placement) error {
	var ids []int64
	seen := map[catalogue.ProviderID]bool{}
	for i := range ps {
		if p := &ps[i]; p.Kind == catalogue.CouncilFoster && !seen[p.Provider] {
			seen[p.Provider] = true
			ids = append(ids, int64(p.Provider))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []providerRow
	q := db.Session(&gorm.Session{NewDB: true}).Model(&providerRow{}).Select("id", "council")
	if err := q.Where(s.oneOf("id", ids)).Find(&rows).Error; err != nil {
		return dbError(err, "read the councils that own the homes")
	}
	council := make(map[int64]string, len(rows))
	for _, r := range rows {
		council[r.ID] = r.Council
	}
	for i := range ps {
		if p := &ps[i]; p.Kind == catalogue.CouncilFoster {
			p.Owner = catalogue.CouncilCode(council[int64(p.Provider)])
		}
	}
	return nil
}
