package main

import (
	"context"
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
	closedDays := fs.Int("closed-after-days", 365, "delete children's records closed longer ago than this, with their offers, links, sessions and history")
	linkDays := fs.Int("links-after-days", 30, "delete children's links and sessions that expired longer ago than this")
	noteDays := fs.Int("notifications-after-days", 90, "delete notifications sent, or failed for good, longer ago than this (0 keeps them)")
	sessionDays := fs.Int("sessions-after-days", 30, "delete workspace sessions that expired longer ago than this (0 keeps them)")
	dry := fs.Bool("dry-run", false, "count what would be deleted and delete nothing")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	if *closedDays < 1 || *linkDays < 1 {
		return usageError{"retention: --closed-after-days and --links-after-days must be at least 1"}
	}
	if *noteDays < 0 || *sessionDays < 0 {
		return usageError{"retention: --notifications-after-days and --sessions-after-days must be 0 (keep) or more"}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	day := 24 * time.Hour
	res, err := store.Retain(ctx, sqlstore.Retention{
		ClosedAfter: time.Duration(*closedDays) * day, LinksAfter: time.Duration(*linkDays) * day,
		NotificationsAfter: time.Duration(*noteDays) * day, AccountSessionsAfter: time.Duration(*sessionDays) * day, DryRun: *dry})
	if err != nil {
		return err
	}
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	fmt.Fprintf(e.stdout, "retention %s: %d children's records closed over %d days ago (with %d offers and %d rows of their histories and support plans), %d sibling groups, %d links, %d sessions, %d idempotency keys, %d notifications, %d workspace sessions\n",
		verb, res.Children, *closedDays, res.Offers, res.Dependents, res.SiblingGroups, res.Links, res.Sessions, res.IdempotencyKeys,
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
