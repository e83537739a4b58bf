package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Placement with parents considered first (Children Act 1989 s22C(2)-(4); catalogue.ParentsFirst):
// every search, referral and offer for a child goes through searchFor, which refuses a child
// (or a brother or sister moving with them) who has no placement going on and no record that
// placement with a parent was considered and why it is not to be. A match run proposes homes for
// any child waiting; the referrals and offers made from it skip such a child, saying why.

// parentsFirst applies catalogue.ParentsFirst to the child and to each brother or sister among
// ids (those moving with them), each by their own placement history: ErrInvalid naming
// parents_considered, the brother or sister by their ID.
func parentsFirst(ch catalogue.Child, siblings []catalogue.Child, ids []catalogue.ChildID,
	histories map[catalogue.ChildID][]catalogue.Episode, day time.Time) error {
	if err := catalogue.ParentsFirst(ch, histories[ch.ID], day); err != nil {
		return err
	}
	for _, m := range siblings {
		if !slices.Contains(ids, m.ID) {
			continue
		}
		if err := catalogue.ParentsFirst(m, histories[m.ID], day); err != nil {
			return catalogue.Invalid("parents_considered", "for brother or sister %d %s", m.ID, catalogue.ParentsNotConsidered)
		}
	}
	return nil
}

// parentsSkip is the reason a run's referral or offer is not made for a child whose record
// lacks the parents-considered decision, or "" for any other error (returned as it is).
func parentsSkip(err error) string {
	var ce *catalogue.Error
	if errors.As(err, &ce) && ce.Kind == catalogue.KindInvalid && len(ce.Fields) == 1 && ce.Fields[0].Field == "parents_considered" {
		return fmt.Sprintf("not referred or offered: placement with a parent %s", ce.Fields[0].Message)
	}
	return ""
}

// parentsConsidered is parentsFirst for one child read alone, by their placement history.
func (s *Service) parentsConsidered(ctx context.Context, ch catalogue.Child) error {
	histories, err := s.store.EpisodesOf(ctx, []catalogue.ChildID{ch.ID})
	if err != nil {
		return err
	}
	return catalogue.ParentsFirst(ch, histories[ch.ID], s.now())
}
