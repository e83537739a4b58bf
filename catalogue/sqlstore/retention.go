package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Retention says how long closed records are kept (docs/operations.md, Data protection).
type Retention struct {
	// ClosedAfter: a child's record closed longer ago than this is deleted, with its offers,
	// the child's links and sessions (for offers and for check-ins), the child's placement
	// history, reviews and check-ins, and their support plans.
	ClosedAfter time.Duration
	// LinksAfter: children's links and sessions that expired longer ago than this are deleted.
	LinksAfter time.Duration
	// NotificationsAfter: notifications sent, or failed for good, longer ago than this are
	// deleted (they name records by ID and hold the recipients' e-mail addresses); 0 keeps them.
	NotificationsAfter time.Duration
	// AccountSessionsAfter: workspace sessions that expired longer ago than this are deleted;
	// 0 keeps them.
	AccountSessionsAfter time.Duration
	// DryRun counts what would be deleted and deletes nothing.
	DryRun bool
}

// RetentionResult counts what a retention run deleted (or would delete, on a dry run).
type RetentionResult struct {
	Children, SiblingGroups, Offers, Links, Sessions, IdempotencyKeys int64
	Dependents                                                        int64 // history rows, reviews, check-ins and support plans of the children deleted
	// Notices counts the placement notices (regulation 13) of the children deleted and of their
	// offers (a brother's or sister's notice names the offer that moved them together).
	Notices int64
	// KeptFillingPlace counts closed children kept because they still hold or fill a place:
	// the place must be ended first (their record would otherwise be orphaned).
	KeptFillingPlace int64
	// KeptUnfiled are the decision records (catalogue.Offer.DecisionRecord) of closed children
	// past their time that are not yet filed in the council's case record, by offer ID: their
	// children are kept, whole, until each is filed (catalogue.CaseRecordRegulation).
	KeptUnfiled []catalogue.OfferID
	// KeptUnfiledChildren counts the children kept for them.
	KeptUnfiledChildren int64
	// Notifications and AccountSessions count what their own periods deleted.
	Notifications, AccountSessions int64
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// childDependents are the tables with rows of a child's own (besides offers), deleted with the
// child: each is (table, column naming the child). Tables added by later migrations join here.
var childDependents = [][2]string{
	// Settling holds (00039) before the offers and referrals they name.
	{"settling_holds", "child_id"},
	// Alerts and help requests (00036) before the check-ins and offers they name.
	{"alerts", "child_id"}, {"help_requests", "child_id"},
	// Placement histories (00005): check-ins and reviews before the episodes they name.
	{"check_ins", "child_id"}, {"move_reviews", "child_id"}, {"placement_episodes", "child_id"}, {"check_in_plans", "child_id"},
	// Support plans (00010).
	{"support_plans", "child_id"},
	// Referrals and the allocated social worker (00017).
	{"referrals", "child_id"}, {"child_allocations", "child_id"},
	// The family network (00024).
	{"family_network", "child_id"},
	// Match runs' results, preferences and allocations naming the child (00004), overrides of
	// inadequate ratings (00020), and the filings of the child's decision records (00035).
	{"match_allocations", "child_id"}, {"match_preferences", "child_id"}, {"match_results", "child_id"},
	{"inadequate_overrides", "child_id"}, {"case_record_filings", "child_id"},
}

// offerDependents are the tables with rows of an offer's own, deleted with the offers of the
// children deleted: each is (table, column naming the offer).
var offerDependents = [][2]string{{"sign_offs", "offer_id"}, {"sign_off_refusals", "offer_id"}}

// unfiledSQL selects the children with a decision record not yet filed.
const unfiledSQL = "SELECT child_id FROM offers WHERE " + catalogue.DecisionRecordSQL +
	" AND id NOT IN (SELECT offer_id FROM case_record_filings)"

// Retain deletes what is past its time, in one transaction with an audit row of the counts.
func (s *Store) Retain(ctx context.Context, r Retention) (RetentionResult, error) {
	if r.ClosedAfter <= 0 || r.LinksAfter <= 0 || r.NotificationsAfter < 0 || r.AccountSessionsAfter < 0 {
		return RetentionResult{}, invalid("retention", "closed_after", "ClosedAfter and LinksAfter must be positive, and no period negative")
	}
	t := s.now()
	closedBefore, expiredBefore := t.Add(-r.ClosedAfter), t.Add(-r.LinksAfter)
	var res RetentionResult
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		exec := func(n *int64, what, sql string, args ...any) error {
			q := tx.Exec(sql, args...)
			if q.Error != nil {
				return dbError(q.Error, "retention: "+what)
			}
			*n += q.RowsAffected
			return nil
		}
		// The children to delete: closed long enough ago, holding or filling no place, and with
		// every decision record filed in the council's case record (regulation 50).
		var doomed []int64
		if err := tx.Raw(`SELECT id FROM children WHERE status = 'closed' AND updated_at < ?
			AND id NOT IN (SELECT child_id FROM vacancies WHERE child_id IS NOT NULL)
			AND id NOT IN (`+unfiledSQL+`) ORDER BY id`, closedBefore).
			Scan(&doomed).Error; err != nil {
			return dbError(err, "retention: find children")
		}
		var unfiled []int64
		if err := tx.Raw(`SELECT id FROM offers WHERE `+catalogue.DecisionRecordSQL+`
			AND id NOT IN (SELECT offer_id FROM case_record_filings)
			AND child_id IN (SELECT id FROM children WHERE status = 'closed' AND updated_at < ?) ORDER BY id`, closedBefore).
			Scan(&unfiled).Error; err != nil {
			return dbError(err, "retention: find unfiled decision records")
		}
		for _, id := range unfiled {
			res.KeptUnfiled = append(res.KeptUnfiled, catalogue.OfferID(id))
		}
		if err := tx.Raw(`SELECT count(*) FROM children WHERE status = 'closed' AND updated_at < ?
			AND id IN (`+unfiledSQL+`)`, closedBefore).Scan(&res.KeptUnfiledChildren).Error; err != nil {
			return dbError(err, "retention: count children kept for their case record")
		}
		if err := tx.Raw(`SELECT count(*) FROM children WHERE status = 'closed' AND updated_at < ?
			AND id IN (SELECT child_id FROM vacancies WHERE child_id IS NOT NULL)`, closedBefore).
			Scan(&res.KeptFillingPlace).Error; err != nil {
			return dbError(err, "retention: count children kept")
		}
		for _, ids := range chunk(doomed, 500) {
			for _, d := range childDependents {
				if err := exec(&res.Dependents, d[0], fmt.Sprintf("DELETE FROM %s WHERE %s IN ?", d[0], d[1]), ids); err != nil {
					return err
				}
			}
			for _, d := range offerDependents {
				if err := exec(&res.Dependents, d[0], fmt.Sprintf("DELETE FROM %s WHERE %s IN (SELECT id FROM offers WHERE child_id IN ?)", d[0], d[1]), ids); err != nil {
					return err
				}
			}
			// The child's links and sessions, for their offers and their check-ins alike.
			mine := "child_id IN ? OR offer_id IN (SELECT id FROM offers WHERE child_id IN ?)"
			if err := exec(&res.Sessions, "sessions", "DELETE FROM child_sessions WHERE "+mine, ids, ids); err != nil {
				return err
			}
			if err := exec(&res.Links, "links", "DELETE FROM offer_links WHERE "+mine, ids, ids); err != nil {
				return err
			}
			if err := exec(&res.Notices, "placement notices", "DELETE FROM placement_notices WHERE "+mine, ids, ids); err != nil {
				return err
			}
			if err := exec(&res.Offers, "offers", "DELETE FROM offers WHERE child_id IN ?", ids); err != nil {
				return err
			}
			if err := exec(&res.Children, "children", "DELETE FROM children WHERE id IN ?", ids); err != nil {
				return err
			}
		}
		// Sibling groups left with no one, closed long enough ago.
		if err := exec(&res.SiblingGroups, "sibling groups", `DELETE FROM sibling_groups WHERE updated_at < ?
			AND id NOT IN (SELECT sibling_group_id FROM children WHERE sibling_group_id IS NOT NULL)`, closedBefore); err != nil {
			return err
		}
		// Expired links and sessions of every child, whatever they were for.
		if err := exec(&res.Sessions, "expired sessions", "DELETE FROM child_sessions WHERE expires_at < ?", expiredBefore); err != nil {
			return err
		}
		if err := exec(&res.Links, "expired links", `DELETE FROM offer_links WHERE expires_at < ?
			AND id NOT IN (SELECT link_id FROM child_sessions)`, expiredBefore); err != nil {
			return err
		}
		if err := exec(&res.IdempotencyKeys, "idempotency keys", "DELETE FROM idempotency_keys WHERE expires_at < ?", t); err != nil {
			return err
		}
		if r.NotificationsAfter > 0 {
			if err := exec(&res.Notifications, "notifications", `DELETE FROM notifications WHERE status IN ('sent', 'failed')
				AND COALESCE(sent_at, next_attempt_at) < ?`, t.Add(-r.NotificationsAfter)); err != nil {
				return err
			}
		}
		if r.AccountSessionsAfter > 0 {
			if err := exec(&res.AccountSessions, "account sessions", "DELETE FROM account_sessions WHERE expires_at < ?", t.Add(-r.AccountSessionsAfter)); err != nil {
				return err
			}
		}
		if r.DryRun {
			return errDryRun
		}
		return s.auditNote(ctx, tx, "retention", "retention", fmt.Sprintf(
			"deleted %d children closed before %s (%d offers, %d rows of their histories and support plans, %d placement notices), %d sibling groups, %d links, %d sessions, %d idempotency keys, %d notifications, %d workspace sessions; kept %d closed children who still fill a place, and %d whose decision records %s are not yet filed in the case record (regulation 50)",
			res.Children, closedBefore.Format(time.DateOnly), res.Offers, res.Dependents, res.Notices, res.SiblingGroups, res.Links,
			res.Sessions, res.IdempotencyKeys, res.Notifications, res.AccountSessions, res.KeptFillingPlace, res.KeptUnfiledChildren, offerList(res.KeptUnfiled)))
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

// auditNote writes an audit row whose reason is the store's own note.
func (s *Store) auditNote(ctx context.Context, tx *gorm.DB, action, subject, note string) error {
	if len(note) > 2000 {
		note = note[:2000]
	}
	row := auditRow{At: s.now(), Action: action, Subject: subject, Reason: note}
	return dbError(tx.Create(&row).Error, "write audit log")
}

// offerList names offers by ID, for people: "offers 3, 5 and 8", at most 50 named.
func offerList(ids []catalogue.OfferID) string {
	if len(ids) == 0 {
		return "(none)"
	}
	var b strings.Builder
	for i, id := range ids {
		if i == 50 {
			fmt.Fprintf(&b, " and %d more", len(ids)-50)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(id.String())
	}
	return b.String()
}

// chunk splits ids into slices of at most n.
func chunk(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
