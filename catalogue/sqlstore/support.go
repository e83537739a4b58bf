package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Support plans (migration 00010): made when a match is accepted, in DecideOffer's transaction,
// from the needs of each child moving that the home's carers are not trained for
// (catalogue.SupportFor, the meaning of "covered" that scoring uses too); closed in the
// transaction that ends the child's placement in the home. Their subject in the audit log is
// the child, so a child's audit shows every change of their plans.

// Audit actions of support plans.
const (
	actionCreateSupport = "create_support_plan"
	actionUpdateSupport = "update_support_plan"
	actionCloseSupport  = "close_support_plan"
)

type supportPlanRow struct {
	ID           int64 `gorm:"primaryKey"`
	ChildID      int64
	PlacementID  int64
	OfferID      int64
	Status       string
	Items        string // JSON
	ClosedReason string
	ClosedAt     *time.Time
	Version      int
	CreatedAt    time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
}

func (supportPlanRow) TableName() string { return "support_plans" }

type supportItemDoc struct {
	Need        catalogue.NeedKind `json:"need"`
	Level       int                `json:"level"`
	Training    catalogue.Skill    `json:"training,omitempty"`
	Therapeutic bool               `json:"therapeutic,omitempty"`
	Equipment   bool               `json:"equipment,omitempty"`
	Arranged    bool               `json:"arranged,omitempty"`
	ArrangedAt  *time.Time         `json:"arranged_at,omitempty"`
	Note        string             `json:"note,omitempty"`
}

func fromSupportItem(it catalogue.SupportItem) supportItemDoc {
	return supportItemDoc{Need: it.Need, Level: int(it.Level), Training: it.Training, Therapeutic: it.Therapeutic,
		Equipment: it.Equipment, Arranged: it.Arranged, ArrangedAt: timePtr(it.ArrangedAt), Note: it.Note}
}

func (d supportItemDoc) item() catalogue.SupportItem {
	return catalogue.SupportItem{Need: d.Need, Level: catalogue.NeedLevel(d.Level), Training: d.Training,
		Therapeutic: d.Therapeutic, Equipment: d.Equipment, Arranged: d.Arranged, ArrangedAt: timeVal(d.ArrangedAt), Note: d.Note}
}

func fromSupportPlan(p catalogue.SupportPlan) (supportPlanRow, error) {
	r := supportPlanRow{ID: int64(p.ID), ChildID: int64(p.Child), PlacementID: int64(p.Placement), OfferID: int64(p.Offer),
		Status: string(p.Status), ClosedReason: p.ClosedReason, ClosedAt: timePtr(p.ClosedAt), Version: p.Version,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	var w jsonWriter
	r.Items = w.list(mapList(p.Items, fromSupportItem))
	return r, w.err
}

func toSupportPlan(r supportPlanRow, council string) (catalogue.SupportPlan, error) {
	p := catalogue.SupportPlan{ID: catalogue.SupportPlanID(r.ID), Child: catalogue.ChildID(r.ChildID), Council: catalogue.CouncilCode(council),
		Placement: catalogue.PlacementID(r.PlacementID), Offer: catalogue.OfferID(r.OfferID), Status: catalogue.SupportStatus(r.Status),
		ClosedReason: r.ClosedReason, ClosedAt: timeVal(r.ClosedAt), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	rd := jsonReader{what: "support plan " + p.ID.String()}
	var items []supportItemDoc
	rd.read("items", r.Items, &items)
	p.Items = mapList(items, supportItemDoc.item)
	return p, rd.err
}

// createSupportPlans makes, within an acceptance's transaction, the support plan of each child
// the offer moves whose needs the home's carers are not all trained for, and returns their IDs.
// The needs and skills are read in the transaction, so the plan is what the accepted home's
// skills leave uncovered at that moment.
func (s *Store) createSupportPlans(ctx context.Context, tx *gorm.DB, o catalogue.Offer, home catalogue.PlacementID, t time.Time) ([]catalogue.SupportPlanID, error) {
	what := "offer " + o.ID.String() + ": support plans"
	var pl placementRow
	if err := tx.Select("id", "skills").Where("id = ?", int64(home)).Take(&pl).Error; err != nil {
		return nil, dbError(err, what+": read the home's skills")
	}
	var skills []catalogue.Skill
	rd := jsonReader{what: "placement " + home.String()}
	rd.read("skills", pl.Skills, &skills)
	kids := moving(o)
	var rows []childRow
	if err := tx.Select("id", "council", "needs").Where(s.oneOf("id", int64s(kids))).Find(&rows).Error; err != nil {
		return nil, dbError(err, what+": read the children's needs")
	}
	byID := make(map[int64]childRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	var out []catalogue.SupportPlanID
	for _, c := range kids {
		ch, ok := byID[int64(c)]
		if !ok {
			return nil, notFound("%s: child %d", what, int64(c))
		}
		var needs []needDoc
		rd.what = "child " + c.String()
		rd.read("needs", ch.Needs, &needs)
		if rd.err != nil {
			return nil, rd.err
		}
		items := catalogue.SupportFor(mapList(needs, needDoc.need), skills)
		if len(items) == 0 {
			continue
		}
		p := catalogue.SupportPlan{Child: c, Council: catalogue.CouncilCode(ch.Council), Placement: home, Offer: o.ID,
			Items: items, Version: 1, CreatedAt: t, UpdatedAt: t}
		p.Status = p.StatusOf()
		if err := p.Validate(); err != nil {
			return nil, validation(what, err)
		}
		row, err := fromSupportPlan(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return nil, conflict("%s: child %d already has a plan from this offer", what, int64(c))
			}
			return nil, dbError(err, what)
		}
		if err := s.audit(ctx, tx, actionCreateSupport, childSubject(c), p.Council); err != nil {
			return nil, err
		}
		out = append(out, catalogue.SupportPlanID(row.ID))
	}
	return out, nil
}

// closeSupportPlans closes, within the transaction that ends a child's placement in a home,
// the child's plans for that home still in force.
func (s *Store) closeSupportPlans(ctx context.Context, tx *gorm.DB, child catalogue.ChildID, council string, home int64, on time.Time) error {
	var ids []int64
	err := tx.Model(&supportPlanRow{}).Where("child_id = ? AND placement_id = ? AND status <> ?", int64(child), home, string(catalogue.SupportClosed)).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return dbError(err, "read support plans")
	}
	if len(ids) == 0 {
		return nil
	}
	t := s.now()
	reason := "The child's placement in this home ended on " + on.Format(time.DateOnly) + "."
	res := tx.Model(&supportPlanRow{}).Where(s.oneOf("id", ids)).Where("status <> ?", string(catalogue.SupportClosed)).
		Updates(map[string]any{"status": string(catalogue.SupportClosed), "closed_reason": reason, "closed_at": t,
			"version": gorm.Expr("version + 1"), "updated_at": t})
	if res.Error != nil {
		return dbError(res.Error, "close support plans")
	}
	for range ids {
		if err := s.audit(ctx, tx, actionCloseSupport, childSubject(child), catalogue.CouncilCode(council)); err != nil {
			return err
		}
	}
	return nil
}

// SupportPlans returns a child's plans in scope, newest first.
func (s *Store) SupportPlans(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID) ([]catalogue.SupportPlan, error) {
	db := s.db.WithContext(ctx)
	c, err := readChild(db, sc, child, false)
	if err != nil {
		return nil, err
	}
	var rows []supportPlanRow
	if err := db.Where("child_id = ?", c.ID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, dbError(err, "read support plans")
	}
	out := make([]catalogue.SupportPlan, len(rows))
	for i, r := range rows {
		if out[i], err = toSupportPlan(r, c.Council); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SupportPlan returns one plan in scope.
func (s *Store) SupportPlan(ctx context.Context, sc catalogue.Scope, id catalogue.SupportPlanID) (catalogue.SupportPlan, error) {
	db := s.db.WithContext(ctx)
	var row supportPlanRow
	if err := childScope(db, sc).Where("id = ?", int64(id)).Take(&row).Error; err != nil {
		return catalogue.SupportPlan{}, dbError(err, "support plan "+id.String())
	}
	councils, err := s.councilsOf(db, []int64{row.ChildID})
	if err != nil {
		return catalogue.SupportPlan{}, err
	}
	return toSupportPlan(row, councils[row.ChildID])
}

// UpdateSupportPlan marks items of a plan in scope arranged (or not), or closes it, at the
// version read, with a conditional update and an audit row in one transaction. A closed plan
// does not change (ErrConflict).
func (s *Store) UpdateSupportPlan(ctx context.Context, sc catalogue.Scope, u catalogue.SupportUpdate) (catalogue.SupportPlan, error) {
	what := "support plan " + u.Plan.String()
	if err := u.Validate(); err != nil {
		return catalogue.SupportPlan{}, validation(what, err)
	}
	var out catalogue.SupportPlan
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur supportPlanRow
		if err := forUpdate(childScope(tx, sc)).Where("id = ?", int64(u.Plan)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		c, err := readChild(tx, catalogue.Everything, catalogue.ChildID(cur.ChildID), false)
		if err != nil {
			return err
		}
		if cur.Status == string(catalogue.SupportClosed) {
			return conflict("%s is closed: %s", what, cur.ClosedReason)
		}
		if cur.Version != u.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, u.Version, cur.Version)
		}
		p, err := toSupportPlan(cur, c.Council)
		if err != nil {
			return err
		}
		t := s.now()
		if err := u.Apply(&p, t); err != nil {
			return validation(what, err)
		}
		p.Version, p.UpdatedAt = cur.Version+1, t
		if err := p.Validate(); err != nil {
			return validation(what, err)
		}
		row, err := fromSupportPlan(p)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res := tx.Model(&supportPlanRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
			Select("status", "items", "closed_reason", "closed_at", "version", "updated_at").Updates(&row)
		if res.Error != nil {
			return dbError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else meanwhile", what)
		}
		action := actionUpdateSupport
		if p.Status == catalogue.SupportClosed {
			action = actionCloseSupport
		}
		out = p
		return s.audit(ctx, tx, action, childSubject(p.Child), p.Council)
	})
	if err != nil {
		return catalogue.SupportPlan{}, err
	}
	return out, nil
}

// supportNeedRow is what the sums read of a plan in force, with the child's council.
type supportNeedRow struct {
	ID, ChildID, PlacementID, OfferID int64
	Status, Items, Council            string
}

// SupportNeeds sums the plans in force of a council, a region or England. It returns aggregates
// only, so it takes no scope: the caller decides who may see them.
func (s *Store) SupportNeeds(ctx context.Context, f catalogue.SupportNeedsFilter) (catalogue.SupportNeeds, error) {
	if err := f.Validate(); err != nil {
		return catalogue.SupportNeeds{}, err
	}
	q := s.db.WithContext(ctx).Table("support_plans AS sp").Joins("JOIN children c ON c.id = sp.child_id").
		Select("sp.id, sp.child_id, sp.placement_id, sp.offer_id, sp.status, sp.items, c.council").
		Where("sp.status <> ?", string(catalogue.SupportClosed))
	switch {
	case f.Council != "":
		q = q.Where("c.council = ?", string(f.Council))
	case f.Region != "":
		var codes []string
		for _, c := range catalogue.Councils() {
			if c.RegionCode == f.Region {
				codes = append(codes, string(c.Code))
			}
		}
		q = q.Where(s.oneOfText("c.council", codes))
	}
	var rows []supportNeedRow
	if err := q.Order("sp.id").Scan(&rows).Error; err != nil {
		return catalogue.SupportNeeds{}, dbError(err, "support needs: read plans")
	}
	plans := make([]catalogue.SupportPlan, len(rows))
	for i, r := range rows {
		p, err := toSupportPlan(supportPlanRow{ID: r.ID, ChildID: r.ChildID, PlacementID: r.PlacementID, OfferID: r.OfferID,
			Status: r.Status, Items: r.Items}, r.Council)
		if err != nil {
			return catalogue.SupportNeeds{}, err
		}
		plans[i] = p
	}
	return catalogue.SummariseSupport(f, plans), nil
}
