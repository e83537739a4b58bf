package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// councilScope restricts a query on children or sibling groups to the scope: a council's own
// records for an officer, none at all for a provider (or a commissioner).
func councilScope(q *gorm.DB, s catalogue.Scope) *gorm.DB {
	switch {
	case s.Provider != 0:
		return q.Where("1 = 0")
	case s.Council != "":
		return q.Where("council = ?", string(s.Council))
	}
	return q
}

// checkCouncilScope refuses to write a child or group of a council outside the scope.
func checkCouncilScope(s catalogue.Scope, council catalogue.CouncilCode, what string) error {
	switch {
	case s.Provider != 0:
		return invalid(what, "council", "is outside your scope: children's records are kept by their council")
	case s.Council != "" && council != s.Council:
		return invalid(what, "council", "must be your own council")
	}
	return nil
}

func childSubject(id catalogue.ChildID) string        { return "child:" + id.String() }
func groupSubject(id catalogue.SiblingGroupID) string { return "sibling_group:" + id.String() }

// CreateChild stores a new child. ID, Version and the timestamps are set by the store.
func (s *Store) CreateChild(ctx context.Context, sc catalogue.Scope, c catalogue.Child) (catalogue.Child, error) {
	if err := c.Validate(); err != nil {
		return catalogue.Child{}, validation("child", err)
	}
	if err := checkCouncilScope(sc, c.Council, "child"); err != nil {
		return catalogue.Child{}, err
	}
	t := s.now()
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = 0, 1, t, t
	row, err := fromChild(c)
	if err != nil {
		return catalogue.Child{}, fmt.Errorf("child: %w", err)
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := checkSiblingGroup(tx, c); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return childWriteError(err, "create child")
		}
		return s.audit(ctx, tx, "create", childSubject(catalogue.ChildID(row.ID)), c.Council)
	})
	if err != nil {
		return catalogue.Child{}, err
	}
	return toChild(row)
}

// childWriteError names the unique rule a child can break: its council's case reference.
func childWriteError(err error, what string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return conflict("%s: case_ref is already used by another child of this council", what)
	}
	return dbError(err, what)
}

// checkSiblingGroup checks the child's sibling group exists and is of the child's council.
func checkSiblingGroup(tx *gorm.DB, c catalogue.Child) error {
	if c.SiblingGroup == 0 {
		return nil
	}
	var g groupRow
	err := tx.Select("id", "council").Where("id = ?", int64(c.SiblingGroup)).Take(&g).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return invalid("child", "sibling_group", "no such sibling group")
	case err != nil:
		return dbError(err, "child: read sibling group")
	case g.Council != string(c.Council):
		return invalid("child", "sibling_group", "must be a sibling group of the child's council")
	}
	return nil
}

// Child returns one child in scope.
func (s *Store) Child(ctx context.Context, sc catalogue.Scope, id catalogue.ChildID) (catalogue.Child, error) {
	row, err := s.readChild(ctx, sc, id) // hotreads.go: on the path of every options request
	if err != nil {
		return catalogue.Child{}, err
	}
	return toChild(row)
}

// UpdateChild replaces a child's record. c.Version must be the stored version; the child
// returned carries the next one.
func (s *Store) UpdateChild(ctx context.Context, sc catalogue.Scope, c catalogue.Child) (catalogue.Child, error) {
	what := "child " + c.ID.String()
	if c.ID <= 0 {
		return catalogue.Child{}, notFound("%s", what)
	}
	if err := c.Validate(); err != nil {
		return catalogue.Child{}, validation(what, err)
	}
	if err := checkCouncilScope(sc, c.Council, what); err != nil {
		return catalogue.Child{}, err
	}
	var row childRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur childRow
		err := forUpdate(councilScope(tx, sc)).Select("id", "version", "created_at").
			Where("id = ?", int64(c.ID)).Take(&cur).Error
		if err != nil {
			return dbError(err, what)
		}
		if cur.Version != c.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, c.Version, cur.Version)
		}
		if err := checkSiblingGroup(tx, c); err != nil {
			return err
		}
		c.Version, c.CreatedAt, c.UpdatedAt = cur.Version+1, cur.CreatedAt.UTC(), s.now()
		if row, err = fromChild(c); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res := tx.Model(&childRow{}).Where("id = ? AND version = ?", int64(c.ID), cur.Version).
			Select("*").Omit("id", "created_at").Updates(&row)
		if res.Error != nil {
			return childWriteError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else", what)
		}
		return s.audit(ctx, tx, "update", childSubject(c.ID), c.Council)
	})
	if err != nil {
		return catalogue.Child{}, err
	}
	return toChild(row)
}

// ListChildren returns a page of children in scope, by ascending ID.
func (s *Store) ListChildren(ctx context.Context, sc catalogue.Scope, f catalogue.ChildFilter) (catalogue.Page[catalogue.Child], error) {
	if f.Status != "" && !f.Status.Valid() {
		return catalogue.Page[catalogue.Child]{}, catalogue.Invalid("status", "must be one of %v", catalogue.ChildStatuses)
	}
	box, err := newNear(f.Near)
	if err != nil {
		return catalogue.Page[catalogue.Child]{}, err
	}
	q := councilScope(s.db.WithContext(ctx), sc)
	if f.Council != "" {
		q = q.Where("council = ?", string(f.Council))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.SiblingGroup != 0 {
		q = q.Where("sibling_group_id = ?", int64(f.SiblingGroup))
	}
	var keep func(childRow) bool
	if box != nil {
		q = box.where(q, "home_lat", "home_lng")
		keep = func(r childRow) bool { return box.contains(catalogue.Location{Lat: r.HomeLat, Lng: r.HomeLng}) }
	}
	rows, next, err := paginate(f.Limit, int64(f.After), func(r childRow) int64 { return r.ID },
		func(after int64, n int) ([]childRow, error) {
			var rows []childRow
			err := afterID(q.Session(&gorm.Session{}), after, n).Find(&rows).Error
			return rows, dbError(err, "list children")
		}, keep)
	if err != nil {
		return catalogue.Page[catalogue.Child]{}, err
	}
	page := catalogue.Page[catalogue.Child]{Items: make([]catalogue.Child, len(rows)), Next: next}
	if err := convertAll(ctx, rows, page.Items, toChild); err != nil {
		return catalogue.Page[catalogue.Child]{}, err
	}
	return page, nil
}

// CreateSiblingGroup stores a new sibling group. Members are read-only: children join a group
// through their SiblingGroup field.
func (s *Store) CreateSiblingGroup(ctx context.Context, sc catalogue.Scope, g catalogue.SiblingGroup) (catalogue.SiblingGroup, error) {
	if err := g.Validate(); err != nil {
		return catalogue.SiblingGroup{}, validation("sibling group", err)
	}
	if err := checkCouncilScope(sc, g.Council, "sibling group"); err != nil {
		return catalogue.SiblingGroup{}, err
	}
	t := s.now()
	g.ID, g.Version, g.CreatedAt, g.UpdatedAt = 0, 1, t, t
	row := fromGroup(g)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return dbError(err, "create sibling group")
		}
		return s.audit(ctx, tx, "create", groupSubject(catalogue.SiblingGroupID(row.ID)), g.Council)
	})
	if err != nil {
		return catalogue.SiblingGroup{}, err
	}
	return toGroup(row, nil), nil
}

// SiblingGroup returns one sibling group in scope, with its members.
func (s *Store) SiblingGroup(ctx context.Context, sc catalogue.Scope, id catalogue.SiblingGroupID) (catalogue.SiblingGroup, error) {
	return s.readGroup(ctx, sc, id) // hotreads.go: on the path of every options request
}

// groupMembers returns the children of each group, in ID order, with one query.
func (s *Store) groupMembers(db *gorm.DB, groups []int64) (map[int64][]catalogue.ChildID, error) {
	members := make(map[int64][]catalogue.ChildID, len(groups))
	if len(groups) == 0 {
		return members, nil
	}
	var rows []struct {
		ID             int64
		SiblingGroupID int64
	}
	err := db.Model(&childRow{}).Select("id", "sibling_group_id").Where(s.oneOf("sibling_group_id", groups)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, dbError(err, "read sibling group members")
	}
	for _, r := range rows {
		members[r.SiblingGroupID] = append(members[r.SiblingGroupID], catalogue.ChildID(r.ID))
	}
	return members, nil
}

// UpdateSiblingGroup replaces a group's plan (and council, when no member is of another).
func (s *Store) UpdateSiblingGroup(ctx context.Context, sc catalogue.Scope, g catalogue.SiblingGroup) (catalogue.SiblingGroup, error) {
	what := "sibling group " + g.ID.String()
	if g.ID <= 0 {
		return catalogue.SiblingGroup{}, notFound("%s", what)
	}
	if err := g.Validate(); err != nil {
		return catalogue.SiblingGroup{}, validation(what, err)
	}
	if err := checkCouncilScope(sc, g.Council, what); err != nil {
		return catalogue.SiblingGroup{}, err
	}
	var row groupRow
	var members map[int64][]catalogue.ChildID
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur groupRow
		if err := forUpdate(councilScope(tx, sc)).Where("id = ?", int64(g.ID)).Take(&cur).Error; err != nil {
			return dbError(err, what)
		}
		if cur.Version != g.Version {
			return conflict("%s: version %d is stale, the stored version is %d", what, g.Version, cur.Version)
		}
		if g.Council != catalogue.CouncilCode(cur.Council) {
			var others int64
			err := tx.Model(&childRow{}).Where("sibling_group_id = ? AND council <> ?", int64(g.ID), string(g.Council)).
				Count(&others).Error
			if err != nil {
				return dbError(err, what)
			}
			if others > 0 {
				return conflict("%s: cannot move to council %s while %d of its children belong to another council", what, g.Council, others)
			}
		}
		g.Version, g.CreatedAt, g.UpdatedAt = cur.Version+1, cur.CreatedAt.UTC(), s.now()
		row = fromGroup(g)
		res := tx.Model(&groupRow{}).Where("id = ? AND version = ?", int64(g.ID), cur.Version).
			Select("*").Omit("id", "created_at").Updates(&row)
		if res.Error != nil {
			return dbError(res.Error, "update "+what)
		}
		if res.RowsAffected != 1 {
			return conflict("%s: changed by someone else", what)
		}
		var err error
		if members, err = s.groupMembers(tx, []int64{row.ID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, "update", groupSubject(g.ID), g.Council)
	})
	if err != nil {
		return catalogue.SiblingGroup{}, err
	}
	return toGroup(row, members[row.ID]), nil
}

// ListSiblingGroups returns a page of sibling groups in scope, with their members.
func (s *Store) ListSiblingGroups(ctx context.Context, sc catalogue.Scope, f catalogue.GroupFilter) (catalogue.Page[catalogue.SiblingGroup], error) {
	db := s.db.WithContext(ctx)
	q := councilScope(db, sc)
	if f.Council != "" {
		q = q.Where("council = ?", string(f.Council))
	}
	rows, next, err := readRows(q, f.Limit, int64(f.After), func(r groupRow) int64 { return r.ID }, "list sibling groups")
	if err != nil {
		return catalogue.Page[catalogue.SiblingGroup]{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	members, err := s.groupMembers(db, ids)
	if err != nil {
		return catalogue.Page[catalogue.SiblingGroup]{}, err
	}
	page := catalogue.Page[catalogue.SiblingGroup]{Items: make([]catalogue.SiblingGroup, len(rows)), Next: next}
	for i, r := range rows {
		page.Items[i] = toGroup(r, members[r.ID])
	}
	return page, nil
}

// audit writes one audit row for a change, in the change's transaction, naming the actor
// carried by ctx.
func (s *Store) audit(ctx context.Context, tx *gorm.DB, action, subject string, council catalogue.CouncilCode) error {
	a := catalogue.ActorFrom(ctx)
	row := auditRow{
		At: s.now(), Actor: int64(a.Token), AccountID: int64(a.Account), AccountName: a.Name, Role: string(a.Role), Action: action, Subject: subject,
		Council: string(council), Reason: a.Reason, Request: a.Request,
	}
	return dbError(tx.Create(&row).Error, "write audit log")
}
