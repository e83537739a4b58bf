package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/placematch/placematch/catalogue"
)

// Referral events into the outbox, in the transaction of the change that causes them
// (catalogue.ReferralNotifications says who is told of what): a referral made, answered,
// reminded, expired or withdrawn is told once when its change commits, and never when it rolls
// back.

// referralEvents is the notification kind of each referral change's audit action; an action not
// named tells nobody (viewed; placed, which the offer's own notices follow).
var referralEvents = map[string]catalogue.NotificationKind{
	"create":   catalogue.NotifyReferralSent,
	"accept":   catalogue.NotifyReferralResponse,
	"decline":  catalogue.NotifyReferralResponse,
	"remind":   catalogue.NotifyDeadlineNear,
	"expire":   catalogue.NotifyReferralExpired,
	"withdraw": catalogue.NotifyReferralWithdrawn,
}

// tellReferral writes the notifications of a referral change (its audit action) in tx.
func (s *Store) tellReferral(ctx context.Context, tx *gorm.DB, action string, r catalogue.Referral) error {
	kind, ok := referralEvents[action]
	if !ok {
		return nil
	}
	told, err := referralTold(tx, r)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, tx, catalogue.ReferralNotifications(kind, r, told)...)
}

// referralTold reads, in tx, who of the child's council is told: the team of the child's
// allocation when an administrator has set an address for it (else the placement team), and the
// allocated social worker when the allocation has an e-mail.
func referralTold(tx *gorm.DB, r catalogue.Referral) (catalogue.ReferralTold, error) {
	told := catalogue.ReferralTold{Team: catalogue.TeamPlacements}
	var a allocationRow
	if err := tx.Select("child_id", "team", "email").Where("child_id = ?", int64(r.Child)).Limit(1).Find(&a).Error; err != nil {
		return told, dbError(err, "read the allocation of child "+r.Child.String())
	}
	if a.ChildID == 0 {
		return told, nil
	}
	told.Worker = a.Email != ""
	if team := catalogue.TeamOf(a.Team); team != "" && team != catalogue.TeamPlacements {
		var n int64
		err := tx.Model(&notificationAddressRow{}).Where("provider_id = 0 AND council = ? AND team = ?", string(r.Council), string(team)).
			Count(&n).Error
		if err != nil {
			return told, dbError(err, "read notification addresses")
		}
		if n > 0 {
			told.Team = team
		}
	}
	return told, nil
}
