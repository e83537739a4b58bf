package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// ImportNetwork adds the members of children's networks read from a file, all or none.
func (s *Store) ImportNetwork(ctx context.Context, sc catalogue.Scope, ms []catalogue.NetworkMember) ([]catalogue.NetworkMember, error) {
	issues := catalogue.NewIssues(func(a, b catalogue.FieldError) int { return a.Row - b.Row })
	bad := func(i int, field, msg string) {
		issues.Add(catalogue.FieldError{Row: i + 1, Field: fmt.Sprintf("network[%d].%s", i, field), Message: msg})
	}
	for i, m := range ms {
		for _, fe := range catalogue.FieldErrors(m.Validate()) {
			bad(i, fe.Field, fe.Message)
		}
		if m.Placement != 0 {
			bad(i, "placement", "is made by placing the child with them, not by an import")
		}
	}
	if issues.Len() > 0 {
		return nil, issues.Err()
	}
	out := make([]catalogue.NetworkMember, len(ms))
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		councils := map[catalogue.ChildID]catalogue.CouncilCode{}
		for i, m := range ms {
			if _, ok := councils[m.Child]; ok {
				continue
			}
			var row childRow
			err := councilScope(forUpdate(tx), sc).Where("id = ?", int64(m.Child)).Take(&row).Error
			switch {
			case errors.Is(err, gorm.ErrRecordNotFound):
				bad(i, "child", "no such child")
			case err != nil:
				return dbError(err, "child "+m.Child.String())
			default:
				councils[m.Child] = catalogue.CouncilCode(row.Council)
			}
		}
		if issues.Len() > 0 {
			return issues.Err()
		}
		t := s.now()
		for i, m := range ms {
			m.ID, m.Council, m.Version, m.CreatedAt, m.UpdatedAt = 0, councils[m.Child], 1, t, t
			row := fromNetworkMember(m)
			if err := tx.Create(&row).Error; err != nil {
				return dbError(err, fmt.Sprintf("network[%d]: create family network member", i))
			}
			out[i] = row.member()
			if err := s.audit(ctx, tx, "family_network:import", childSubject(m.Child), m.Council); err != nil {
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

// ListNetwork lists the members of every network in scope, by ascending ID.
func (s *Store) ListNetwork(ctx context.Context, sc catalogue.Scope, after catalogue.NetworkMemberID, limit int) (catalogue.Page[catalogue.NetworkMember], error) {
	q := councilScope(s.db.WithContext(ctx).Model(&networkRow{}), sc)
	return readPage(q, limit, int64(after), func(r networkRow) int64 { return r.ID },
		func(r networkRow) (catalogue.NetworkMember, error) { return r.member(), nil }, "list family networks")
}
