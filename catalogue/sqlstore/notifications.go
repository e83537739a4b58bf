package sqlstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/placematch/placematch/catalogue"
)

// The outbox. A notification is written by enqueue inside the transaction of the event that
// causes it; the delivery worker claims due rows one conditional UPDATE each (as idempotency
// keys are claimed), sends with no transaction open, and records the outcome under its claim.

type notificationRow struct {
	ID            int64 `gorm:"primaryKey"`
	Kind          string
	ProviderID    int64
	Council       string
	Team          string
	WorkerChildID int64 // the child whose allocated social worker is told; 0 for a provider or a team
	Subject       string
	Body          string
	Link          string
	Status        string
	Attempts      int
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	NextAttemptAt time.Time
	SentAt        *time.Time
	LastError     string
	Claim         string
	ClaimedUntil  time.Time
}

func (notificationRow) TableName() string { return "notifications" }

type notificationAddressRow struct {
	ProviderID int64  `gorm:"primaryKey"`
	Council    string `gorm:"primaryKey"`
	Team       string `gorm:"primaryKey"`
	Email      string
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false"`
}

func (notificationAddressRow) TableName() string { return "notification_addresses" }

func toNotification(r notificationRow) catalogue.Notification {
	n := catalogue.Notification{
		ID: catalogue.NotificationID(r.ID), Kind: catalogue.NotificationKind(r.Kind),
		To: catalogue.Recipient{Provider: catalogue.ProviderID(r.ProviderID), Council: catalogue.CouncilCode(r.Council),
			Team: catalogue.Team(r.Team), Worker: catalogue.ChildID(r.WorkerChildID)},
		Subject: r.Subject, Text: r.Body, Link: r.Link, Status: catalogue.NotificationStatus(r.Status),
		Attempts: r.Attempts, CreatedAt: r.CreatedAt, NextAttemptAt: r.NextAttemptAt, LastError: r.LastError,
	}
	if r.SentAt != nil {
		n.SentAt = *r.SentAt
	}
	return n
}

func toAddress(r notificationAddressRow) catalogue.NotificationAddress {
	return catalogue.NotificationAddress{Email: r.Email, UpdatedAt: r.UpdatedAt,
		To: catalogue.Recipient{Provider: catalogue.ProviderID(r.ProviderID), Council: catalogue.CouncilCode(r.Council), Team: catalogue.Team(r.Team)}}
}

// enqueue writes notifications to the outbox in tx, the transaction of the event that causes
// them: committed with it, rolled back with it. Each is pending and due at once. This is the
// hook of every store change that tells someone: call it inside inTx's function, after the
// change itself, and return its error.
func (s *Store) enqueue(ctx context.Context, tx *gorm.DB, ns ...catalogue.Notification) error {
	_, err := s.enqueueRows(ctx, tx, ns...)
	return err
}

// enqueueRows is enqueue, returning the rows written (with their IDs).
func (s *Store) enqueueRows(ctx context.Context, tx *gorm.DB, ns ...catalogue.Notification) ([]notificationRow, error) {
	if len(ns) == 0 {
		return nil, nil
	}
	t := s.now()
	rows := make([]notificationRow, len(ns))
	for i, n := range ns {
		if err := n.Validate(); err != nil {
			return nil, validation(fmt.Sprintf("notification %d of %d", i+1, len(ns)), err)
		}
		rows[i] = notificationRow{Kind: string(n.Kind), ProviderID: int64(n.To.Provider), Council: string(n.To.Council),
			Team: string(n.To.Team), WorkerChildID: int64(n.To.Worker), Subject: n.Subject, Body: n.Text, Link: n.Link, Status: string(catalogue.NotificationPending),
			CreatedAt: t, NextAttemptAt: t, ClaimedUntil: t}
	}
	return rows, dbError(tx.WithContext(ctx).Create(&rows).Error, "write notifications")
}

// Notify adds notifications to the outbox in a transaction of their own, all or none.
func (s *Store) Notify(ctx context.Context, ns ...catalogue.Notification) error {
	return s.inTx(ctx, func(tx *gorm.DB) error { return s.enqueue(ctx, tx, ns...) })
}

// notificationScope restricts a query on notifications to the scope's: a provider's own, a
// council's teams'.
func notificationScope(q *gorm.DB, sc catalogue.Scope) *gorm.DB {
	if sc.Provider != 0 {
		q = q.Where("provider_id = ?", int64(sc.Provider))
	}
	if sc.Council != "" {
		q = q.Where("council = ?", string(sc.Council))
	}
	return q
}

// ListNotifications returns a page of the notifications in scope by ascending ID.
func (s *Store) ListNotifications(ctx context.Context, sc catalogue.Scope, f catalogue.NotificationFilter) (catalogue.Page[catalogue.Notification], error) {
	var none catalogue.Page[catalogue.Notification]
	if f.Status != "" && !f.Status.Valid() {
		return none, catalogue.Invalid("status", "must be one of %v", catalogue.NotificationStatuses)
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return none, catalogue.Invalid("kind", "must be one of %v", catalogue.NotificationKinds)
	}
	q := notificationScope(s.db.WithContext(ctx), sc)
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	rows, next, err := readRows(q, f.Limit, f.After, func(r notificationRow) int64 { return r.ID }, "list notifications")
	if err != nil {
		return none, err
	}
	page := catalogue.Page[catalogue.Notification]{Items: make([]catalogue.Notification, len(rows)), Next: next}
	for i, r := range rows {
		page.Items[i] = toNotification(r)
	}
	return page, nil
}

func addressSubject(to catalogue.Recipient) string { return "notification-address:" + to.String() }

// SetNotificationAddress sets (or replaces) the e-mail address of a provider or a council team,
// with its audit row.
func (s *Store) SetNotificationAddress(ctx context.Context, a catalogue.NotificationAddress) (catalogue.NotificationAddress, error) {
	what := "notification address of " + a.To.String()
	if err := a.Validate(); err != nil {
		return catalogue.NotificationAddress{}, validation(what, err)
	}
	row := notificationAddressRow{ProviderID: int64(a.To.Provider), Council: string(a.To.Council), Team: string(a.To.Team),
		Email: a.Email, UpdatedAt: s.now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if a.To.Provider != 0 {
			var n int64
			if err := tx.Model(&providerRow{}).Where("id = ?", int64(a.To.Provider)).Count(&n).Error; err != nil {
				return dbError(err, what+": read provider")
			}
			if n == 0 {
				return invalid(what, "provider", "no provider has this ID")
			}
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "provider_id"}, {Name: "council"}, {Name: "team"}},
			DoUpdates: clause.AssignmentColumns([]string{"email", "updated_at"}),
		}).Create(&row).Error
		if err != nil {
			return dbError(err, "write "+what)
		}
		return s.audit(ctx, tx, "update", addressSubject(a.To), a.To.Council)
	})
	if err != nil {
		return catalogue.NotificationAddress{}, err
	}
	return toAddress(row), nil
}

// RemoveNotificationAddress removes the address of a provider or a council team, with its audit
// row.
func (s *Store) RemoveNotificationAddress(ctx context.Context, to catalogue.Recipient) error {
	what := "notification address of " + to.String()
	if err := to.Validate(); err != nil {
		return validation(what, err)
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("provider_id = ? AND council = ? AND team = ?", int64(to.Provider), string(to.Council), string(to.Team)).
			Delete(&notificationAddressRow{})
		if res.Error != nil {
			return dbError(res.Error, "remove "+what)
		}
		if res.RowsAffected == 0 {
			return notFound("%s", what)
		}
		return s.audit(ctx, tx, "delete", addressSubject(to), to.Council)
	})
}

// ListNotificationAddresses returns every address set: providers by ID, then teams by council
// and name.
func (s *Store) ListNotificationAddresses(ctx context.Context) ([]catalogue.NotificationAddress, error) {
	var rows []notificationAddressRow
	if err := s.db.WithContext(ctx).Order("council, team, provider_id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "list notification addresses")
	}
	out := make([]catalogue.NotificationAddress, len(rows))
	for i, r := range rows {
		out[i] = toAddress(r)
	}
	return out, nil
}

// ClaimNotifications claims up to n due pending notifications for claim, each for lease, one
// conditional UPDATE each: a row is claimed only while no live claim holds it, so of workers
// racing for it exactly one's UPDATE changes it (on PostgreSQL the loser's UPDATE waits for the
// winner's and then finds the row claimed; SQLite runs writes one at a time). No transaction is
// left open: the caller sends after this returns.
func (s *Store) ClaimNotifications(ctx context.Context, claim string, n int, lease time.Duration) ([]catalogue.Delivery, error) {
	if claim == "" || n <= 0 || lease <= 0 {
		return nil, fmt.Errorf("claim notifications: a claim, a number and a lease are required")
	}
	t := s.now()
	db := s.db.WithContext(ctx)
	due := "status = ? AND next_attempt_at <= ? AND claimed_until <= ?"
	pending := string(catalogue.NotificationPending)
	var ids []int64
	if err := db.Model(&notificationRow{}).Where(due, pending, t, t).Order("next_attempt_at, id").Limit(n).Pluck("id", &ids).Error; err != nil {
		return nil, dbError(err, "find due notifications")
	}
	var mine []int64
	for _, id := range ids {
		res := db.Model(&notificationRow{}).Where("id = ? AND "+due, id, pending, t, t).
			Updates(map[string]any{"claim": claim, "claimed_until": t.Add(lease), "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return nil, dbError(res.Error, "claim notification")
		}
		if res.RowsAffected == 1 {
			mine = append(mine, id)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	var rows []notificationRow
	if err := db.Where("id IN ? AND claim = ?", mine, claim).Order("next_attempt_at, id").Find(&rows).Error; err != nil {
		return nil, dbError(err, "read claimed notifications")
	}
	var addrs []notificationAddressRow
	if err := db.Find(&addrs).Error; err != nil {
		return nil, dbError(err, "read notification addresses")
	}
	email := make(map[catalogue.Recipient]string, len(addrs))
	for _, a := range addrs {
		email[toAddress(a).To] = a.Email
	}
	// A child's allocated social worker is reached at the allocation's e-mail as it is now.
	var workers []int64
	for _, r := range rows {
		if r.WorkerChildID != 0 {
			workers = append(workers, r.WorkerChildID)
		}
	}
	if len(workers) > 0 {
		var allocs []allocationRow
		if err := db.Select("child_id", "email").Where("child_id IN ?", workers).Find(&allocs).Error; err != nil {
			return nil, dbError(err, "read allocations")
		}
		for _, a := range allocs {
			for _, r := range rows {
				if r.WorkerChildID == a.ChildID {
					email[catalogue.WorkerRecipient(catalogue.CouncilCode(r.Council), catalogue.ChildID(a.ChildID))] = a.Email
				}
			}
		}
	}
	out := make([]catalogue.Delivery, len(rows))
	for i, r := range rows {
		n := toNotification(r)
		out[i] = catalogue.Delivery{Notification: n, Email: email[n.To], Claim: claim}
	}
	return out, nil
}

// FinishDelivery records how an attempt ended, under the claim that holds the notification.
func (s *Store) FinishDelivery(ctx context.Context, o catalogue.DeliveryOutcome) error {
	t := s.now()
	set := map[string]any{"claim": "", "claimed_until": t}
	switch {
	case o.Sent:
		set["status"], set["sent_at"], set["last_error"] = string(catalogue.NotificationSent), t, ""
	case o.RetryAt.IsZero():
		set["status"], set["last_error"] = string(catalogue.NotificationFailed), cut(o.Error, 500)
	default:
		set["next_attempt_at"], set["last_error"] = o.RetryAt.UTC(), cut(o.Error, 500)
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&notificationRow{}).
			Where("id = ? AND claim = ? AND status = ?", int64(o.ID), o.Claim, string(catalogue.NotificationPending)).Updates(set)
		if res.Error != nil {
			return dbError(res.Error, "finish notification "+o.ID.String())
		}
		if res.RowsAffected != 1 {
			return conflict("notification %d: the claim has lapsed and another worker holds it", int64(o.ID))
		}
		if !o.Sent {
			return nil
		}
		// A placement notice e-mailed through the outbox is sent when its e-mail is.
		return s.noticeDelivered(ctx, tx, o.ID, t)
	})
}

// cut shortens s to at most n bytes, at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
