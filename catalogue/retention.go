package catalogue

import "time"

// RetentionPeriods are how long placematch keeps each kind of record about a child before
// `placematch retention` deletes it (docs/operations.md, Retention). They are configuration: the
// retention job deletes by them, and the child's privacy notice (UK GDPR article 13(2)(a): the
// period for which the data will be stored) tells the child the same periods, read from the
// same settings, never written into its text.
type RetentionPeriods struct {
	// ClosedAfter: a child's record closed longer ago than this is deleted, with what they said
	// on their pages (once every decision record of theirs is filed in the council's case record).
	ClosedAfter time.Duration
	// LinksAfter: a child's links and sessions that expired longer ago than this are deleted.
	LinksAfter time.Duration
	// NotificationsAfter and SessionsAfter: notifications and workspace sessions (0 keeps them).
	NotificationsAfter, SessionsAfter time.Duration
}

// DefaultRetention are the periods when none are configured: a year after a record is closed,
// a month after a link or session expires, a quarter for notifications, a month for workspace
// sessions (docs/operations.md gives the reason for each).
var DefaultRetention = RetentionPeriods{
	ClosedAfter: 365 * 24 * time.Hour, LinksAfter: 30 * 24 * time.Hour,
	NotificationsAfter: 90 * 24 * time.Hour, SessionsAfter: 30 * 24 * time.Hour,
}
