package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// actionStayingPut is the audit action of a Staying Put change recorded during a placement.
const actionStayingPut = "record_staying_put"

// RecordStayingPut records where the current placement of a young person in scope stands on
// Staying Put, at the version read (catalogue.HistoryStore).
func (s *Store) RecordStayingPut(ctx context.Context, sc catalogue.Scope, ch catalogue.StayingPutChange) (catalogue.Episode, error) {
	what := "Staying Put of child " + ch.Child.String()
	if err := ch.Validate(); err != nil {
		return catalogue.Episode{}, validation(what, err)
	}
	var out catalogue.Episode
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.recordStayingPut(ctx, tx, sc, ch)
		return err
	})
	if err != nil {
		return catalogue.Episode{}, err
	}
	return out, nil
}

// recordStayingPut records a Staying Put change in tx; a change of Version 0 (an import) is
// made at the current placement's version.
func (s *Store) recordStayingPut(ctx context.Context, tx *gorm.DB, sc catalogue.Scope, ch catalogue.StayingPutChange) (catalogue.Episode, error) {
	what := "Staying Put of child " + ch.Child.String()
	var out catalogue.Episode
	err := func() error {
		c, err := readChild(tx, sc, ch.Child, true)
		if err != nil {
			return err
		}
		rows, err := childEpisodes(tx, c.ID)
		if err != nil {
			return err
		}
		n := len(rows)
		if n == 0 || rows[n-1].EndDate != nil {
			return conflict("%s: the child has no current placement: Staying Put is recorded on the placement going on", what)
		}
		cur := toEpisode(rows[n-1], c.Council)
		if ch.Version == 0 {
			ch.Version = cur.Version
		}
		if cur.Version != ch.Version {
			return conflict("%s: the current placement has changed since version %d (now %d): read it again", what, ch.Version, cur.Version)
		}
		agreed := catalogue.Day(ch.AgreedOn)
		switch {
		case ch.AgreedOn.IsZero():
		case agreed.Before(cur.Start):
			return invalid(what, "agreed_on", "must not be before %s, when the placement began", cur.Start.Format(time.DateOnly))
		case agreed.After(catalogue.Day(s.now())):
			return invalid(what, "agreed_on", "must not be in the future: record the arrangement when it is agreed")
		}
		next := cur
		next.StayingPut, next.StayingPutAgreedOn = ch.StayingPut, time.Time{}
		if !ch.AgreedOn.IsZero() {
			next.StayingPutAgreedOn = agreed
		}
		if err := next.Validate(); err != nil {
			return validation(what, err)
		}
		next.Version, next.UpdatedAt = cur.Version+1, s.now()
		upd := tx.Model(&episodeRow{}).Where("id = ? AND version = ? AND end_date IS NULL", int64(cur.ID), cur.Version).
			Updates(map[string]any{"staying_put": string(next.StayingPut), "staying_put_agreed_on": optionalDay(next.StayingPutAgreedOn),
				"version": next.Version, "updated_at": next.UpdatedAt})
		if upd.Error != nil {
			return dbError(upd.Error, what)
		}
		if upd.RowsAffected != 1 {
			return conflict("%s: the current placement changed meanwhile", what)
		}
		out = next
		return s.audit(ctx, tx, actionStayingPut, childSubject(ch.Child), catalogue.CouncilCode(c.Council))
	}()
	return out, err
}
