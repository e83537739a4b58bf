package main

import (
	"context"
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue/sqlstore"
)

// runRetention deletes what is past its time (docs/operations.md, Data protection).
func runRetention(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "retention", "retention [--closed-after-days N] [--links-after-days N] [--dry-run]")
	var sf storeFlags
	sf.register(fs, e)
	closedDays := fs.Int("closed-after-days", 365, "delete children's records closed longer ago than this, with their offers, links, sessions and history")
	linkDays := fs.Int("links-after-days", 30, "delete children's links and sessions that expired longer ago than this")
	dry := fs.Bool("dry-run", false, "count what would be deleted and delete nothing")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	if *closedDays < 1 || *linkDays < 1 {
		return usageError{"retention: --closed-after-days and --links-after-days must be at least 1"}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	day := 24 * time.Hour
	res, err := store.Retain(ctx, sqlstore.Retention{
		ClosedAfter: time.Duration(*closedDays) * day, LinksAfter: time.Duration(*linkDays) * day, DryRun: *dry})
	if err != nil {
		return err
	}
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	fmt.Fprintf(e.stdout, "retention %s: %d children's records closed over %d days ago (with %d offers and %d rows of their histories and support plans), %d sibling groups, %d links, %d sessions, %d idempotency keys\n",
		verb, res.Children, *closedDays, res.Offers, res.Dependents, res.SiblingGroups, res.Links, res.Sessions, res.IdempotencyKeys)
	if res.KeptFillingPlace > 0 {
		fmt.Fprintf(e.stdout, "kept %d closed children who still hold or fill a place: end the place first\n", res.KeptFillingPlace)
	}
	return nil
}
