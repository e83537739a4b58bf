package sqlstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// The review of a placement's own words before a child may read them (catalogue.ProfileReview):
// a document on the placement's row (profile_review), so that the text, who wrote it and its
// approval are always written together, in one statement.

// Audit actions of the review.
const (
	actionApproveProfile   = "approve_profile"
	actionWithdrawApproval = "withdraw_profile_approval"
)

// wroteProfile is the review of a profile text the context's actor has just written: theirs, and
// not approved. Every path that writes the text (create, update, import) sets it.
func wroteProfile(ctx context.Context) catalogue.ProfileReview {
	return catalogue.ProfileReview{Author: catalogue.ActorFrom(ctx).Token}
}

// reviewOf is the review stored in a row read with its profile_review.
func reviewOf(r placementRow) (catalogue.ProfileReview, error) {
	var d reviewDoc
	rd := jsonReader{what: "placement " + catalogue.PlacementID(r.ID).String()}
	rd.read("profile_review", r.ProfileReview, &d)
	return d.review(), rd.err
}

// mayReview checks the actor may approve or withdraw approvals at all: an officer or an
// administrator, through a token (not the system), in a scope that is not a provider's.
func mayReview(sc catalogue.Scope, a catalogue.Actor) error {
	switch {
	case sc.Provider != 0, a.Role != catalogue.RoleOfficer && a.Role != catalogue.RoleAdmin:
		return fmt.Errorf("only an officer or an administrator reviews a home's words: %w", catalogue.ErrNotApprover)
	case a.Token == 0:
		return fmt.Errorf("an approval is a person's, made with their token: %w", catalogue.ErrNotApprover)
	}
	return nil
}

// ApproveProfile approves a placement's profile text for children (see
// catalogue.PlacementStore): the text must be the one the approver read (its hash), and not
// their own.
func (s *Store) ApproveProfile(ctx context.Context, sc catalogue.Scope, id catalogue.PlacementID, hash string) (catalogue.Placement, error) {
	what := "placement " + id.String()
	a := catalogue.ActorFrom(ctx)
	if err := mayReview(sc, a); err != nil {
		return catalogue.Placement{}, fmt.Errorf("%s: %w", what, err)
	}
	return s.changeReview(ctx, sc, id, func(text string, r catalogue.ProfileReview) (*catalogue.ProfileReview, error) {
		switch {
		case text == "":
			return nil, conflict("%s has no profile text to approve", what)
		case catalogue.ProfileHash(text) != hash:
			return nil, conflict("%s: the profile text has changed since it was read; read it again before approving it", what)
		case r.Author == a.Token:
			return nil, fmt.Errorf("%s: the text's last author may not approve it; someone else must: %w", what, catalogue.ErrNotApprover)
		}
		r.ApprovedHash, r.ApprovedBy, r.ApprovedAt = hash, a.Token, s.now()
		return &r, nil
	})
}

// WithdrawProfileApproval withdraws the approval of a placement's profile (see
// catalogue.PlacementStore). Withdrawing what is not approved changes nothing.
func (s *Store) WithdrawProfileApproval(ctx context.Context, sc catalogue.Scope, id catalogue.PlacementID) (catalogue.Placement, error) {
	what := "placement " + id.String()
	if err := mayReview(sc, catalogue.ActorFrom(ctx)); err != nil {
		return catalogue.Placement{}, fmt.Errorf("%s: %w", what, err)
	}
	return s.changeReview(ctx, sc, id, func(_ string, r catalogue.ProfileReview) (*catalogue.ProfileReview, error) {
		if r.ApprovedHash == "" {
			return nil, nil
		}
		return &catalogue.ProfileReview{Author: r.Author}, nil
	})
}

// changeReview changes the review of a placement in scope, in one transaction with a new
// version and its audit row: change returns the new review (nil: nothing to change) from the
// text and review as they stand, locked.
func (s *Store) changeReview(ctx context.Context, sc catalogue.Scope, id catalogue.PlacementID,
	change func(text string, r catalogue.ProfileReview) (*catalogue.ProfileReview, error)) (catalogue.Placement, error) {
	what := "placement " + id.String()
	var out catalogue.Placement
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var cur placementRow
		err := forUpdate(providerScope(tx, sc)).Select("id", "council", "version", "profile", "profile_review").
			Where("id = ?", int64(id)).Take(&cur).Error
		if err != nil {
			return dbError(err, what)
		}
		r, err := reviewOf(cur)
		if err != nil {
			return err
		}
		next, err := change(cur.Profile, r)
		if err != nil {
			return err
		}
		if next != nil {
			action := actionApproveProfile
			if next.ApprovedHash == "" {
				action = actionWithdrawApproval
			}
			var w jsonWriter
			doc := w.value(fromReview(*next))
			if w.err != nil {
				return fmt.Errorf("%s: %w", what, w.err)
			}
			res := tx.Model(&placementRow{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
				Updates(map[string]any{"profile_review": doc, "version": cur.Version + 1, "updated_at": s.now()})
			if res.Error != nil {
				return dbError(res.Error, "review "+what)
			}
			if res.RowsAffected != 1 {
				return conflict("%s: changed by someone else", what)
			}
			if err := s.audit(ctx, tx, action, placementSubject(id), catalogue.CouncilCode(cur.Council)); err != nil {
				return err
			}
		}
		var row placementRow
		if err := tx.Where("id = ?", int64(id)).Take(&row).Error; err != nil {
			return dbError(err, what)
		}
		out, err = s.withVacancies(tx, sc, row)
		return err
	})
	if err != nil {
		return catalogue.Placement{}, err
	}
	return out, nil
}
