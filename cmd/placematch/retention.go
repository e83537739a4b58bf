package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
)

// runRetention deletes what is past its time (docs/operations.md, Data protection).
func runRetention(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "retention", "retention [--closed-after-days N] [--links-after-days N] [--notifications-after-days N] [--sessions-after-days N] [--dry-run]")
	var sf storeFlags
	sf.register(fs, e)
	var rf retentionFlags
	rf.register(fs)
	dry := fs.Bool("dry-run", false, "count what would be deleted and delete nothing")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	periods, err := rf.periods()
	if err != nil {
		return err
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.Retain(ctx, sqlstore.Retention{
		ClosedAfter: periods.ClosedAfter, LinksAfter: periods.LinksAfter,
		NotificationsAfter: periods.NotificationsAfter, AccountSessionsAfter: periods.SessionsAfter, DryRun: *dry})
	if err != nil {
		return err
	}
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	fmt.Fprintf(e.stdout, "retention %s: %d children's records closed over %d days ago (with %d offers and %d rows of their histories and support plans), %d sibling groups, %d links, %d sessions, %d idempotency keys, %d notifications, %d workspace sessions\n",
		verb, res.Children, *rf.closed, res.Offers, res.Dependents, res.SiblingGroups, res.Links, res.Sessions, res.IdempotencyKeys,
		res.Notifications, res.AccountSessions)
	if res.KeptFillingPlace > 0 {
		fmt.Fprintf(e.stdout, "kept %d closed children who still hold or fill a place: end the place first\n", res.KeptFillingPlace)
	}
	if len(res.KeptUnfiled) > 0 {
		fmt.Fprintf(e.stdout, "kept %d closed children whose decision records are not yet filed in the council's case record: offers %s.\n"+
			"They are part of the child's case record, kept until the child's 75th birthday (%s): file each in the case system, mark it filed (POST /v1/offers/{id}/case-record/filed), and run retention again.\n",
			res.KeptUnfiledChildren, joinIDs(res.KeptUnfiled), catalogue.CaseRecordRegulation)
	}
	return nil
}

// joinIDs lists offers by ID: "3, 5, 8".
func joinIDs(ids []catalogue.OfferID) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return strings.Join(out, ", ")
}

// retentionFlags are the retention periods, in days: the retention job deletes by them, and
// serve tells children the same periods in their privacy notice, so both take the same flags
// (give the service the values given to the job).
type retentionFlags struct {
	closed, links, notifications, sessions *int
}

func (rf *retentionFlags) register(fs *flag.FlagSet) {
	days := func(d time.Duration) int { return int(d / (24 * time.Hour)) }
	def := catalogue.DefaultRetention
	rf.closed = fs.Int("closed-after-days", days(def.ClosedAfter), "delete children's records closed longer ago than this, with their offers, links, sessions and history")
	rf.links = fs.Int("links-after-days", days(def.LinksAfter), "delete children's links and sessions that expired longer ago than this")
	rf.notifications = fs.Int("notifications-after-days", days(def.NotificationsAfter), "delete notifications sent, or failed for good, longer ago than this (0 keeps them)")
	rf.sessions = fs.Int("sessions-after-days", days(def.SessionsAfter), "delete workspace sessions that expired longer ago than this (0 keeps them)")
}

// periods are the flags' periods, checked.
func (rf *retentionFlags) periods() (catalogue.RetentionPeriods, error) {
	if *rf.closed < 1 || *rf.links < 1 {
		return catalogue.RetentionPeriods{}, usageError{"--closed-after-days and --links-after-days must be at least 1"}
	}
	if *rf.notifications < 0 || *rf.sessions < 0 {
		return catalogue.RetentionPeriods{}, usageError{"--notifications-after-days and --sessions-after-days must be 0 (keep) or more"}
	}
	day := 24 * time.Hour
	return catalogue.RetentionPeriods{ClosedAfter: time.Duration(*rf.closed) * day, LinksAfter: time.Duration(*rf.links) * day,
		NotificationsAfter: time.Duration(*rf.notifications) * day, SessionsAfter: time.Duration(*rf.sessions) * day}, nil
}
