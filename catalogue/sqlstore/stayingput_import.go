package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// ImportStayingPut records many young people's Staying Put read from a file, all or none
// (catalogue.HistoryStore): every bad change is reported, by its place in the file.
func (s *Store) ImportStayingPut(ctx context.Context, sc catalogue.Scope, cs []catalogue.StayingPutChange) ([]catalogue.Episode, error) {
	issues := catalogue.NewIssues(func(a, b catalogue.FieldError) int { return a.Row - b.Row })
	bad := func(i int, field, msg string) {
		issues.Add(catalogue.FieldError{Row: i + 1, Field: fmt.Sprintf("staying_put[%d].%s", i, field), Message: msg})
	}
	for i, c := range cs {
		check := c
		check.Version = 1 // an import takes the current placement's version
		for _, fe := range catalogue.FieldErrors(check.Validate()) {
			bad(i, fe.Field, fe.Message)
		}
	}
	if issues.Len() > 0 {
		return nil, issues.Err()
	}
	out := make([]catalogue.Episode, len(cs))
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		for i, c := range cs {
			c.Version = 0
			ep, err := s.recordStayingPut(ctx, tx, sc, c)
			e, ok := errors.AsType[*catalogue.Error](err)
			switch {
			case err == nil:
				out[i] = ep
			case !ok:
				return err
			case e.Kind == catalogue.KindNotFound:
				bad(i, "child", "no such child")
			case e.Kind == catalogue.KindConflict:
				bad(i, "child", "has no current placement: Staying Put is recorded on the placement going on")
			case len(e.Fields) > 0:
				for _, fe := range e.Fields {
					bad(i, fe.Field, fe.Message)
				}
			default:
				bad(i, "staying_put", e.Msg)
			}
		}
		if issues.Len() > 0 {
			return issues.Err()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
