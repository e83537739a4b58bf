package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange/ssda903"
)

// ssda903Flags are the options of importing and exporting an SSDA903 return.
type ssda903Flags struct {
	dir          *string
	districts    *string
	trimOverlaps *bool
}

func (f *ssda903Flags) registerImport(fs *flag.FlagSet) {
	f.dir = fs.String("ssda903", "", "import a council's SSDA903 return from this folder (its Header and Episodes .csv files, any years); needs --council")
	f.districts = fs.String("postcode-districts", "", "with --ssda903: a CSV of postcode districts (district,latitude,longitude) locating children's homes; without it, homes are at the council's centre")
	f.trimOverlaps = fs.Bool("trim-overlaps", false, "with --ssda903: end an episode on the day the child's next begins instead of refusing the return (counted in the report)")
}

// importSSDA903 imports a council's return from a folder, all of it or nothing, and prints the
// report.
func importSSDA903(ctx context.Context, e *env, sf storeFlags, f ssda903Flags, council catalogue.CouncilCode) error {
	if !council.Valid() {
		return usageError{"import: --ssda903 needs --council, the ONS code of the council whose return it is"}
	}
	files, err := ssda903.FilesIn(os.DirFS(*f.dir))
	if err != nil {
		return err
	}
	opt := ssda903.Options{Council: council, TrimOverlaps: *f.trimOverlaps}
	if *f.districts != "" {
		df, err := os.Open(*f.districts)
		if err != nil {
			return err
		}
		defer df.Close()
		if opt.Districts, err = ssda903.ReadDistricts(filepath.Base(*f.districts), bufio.NewReader(df)); err != nil {
			return reportRows(e, err)
		}
	}
	d, err := ssda903.Decode(files, opt)
	if err != nil {
		return reportRows(e, err)
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	bar := newProgressBar(e.stderr, "importing")
	d.Batch.Progress = bar.update
	res, err := store.Import(ctx, d.Batch)
	bar.done()
	if err != nil {
		return reportRows(e, d.Locate(err))
	}
	fmt.Fprint(e.stdout, d.Report.String())
	fmt.Fprintf(e.stdout, "imported %d children and %d episodes\n", len(res.Children), res.Episodes)
	return nil
}

// exportSSDA903 writes the placement histories as SSDA903 returns: the council's in dir, or,
// with no council, each council's in a folder of dir named by its code.
func exportSSDA903(ctx context.Context, e *env, sf storeFlags, dir string, council catalogue.CouncilCode) error {
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	scope := catalogue.Scope{Council: council}
	children, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
		return store.ListChildren(ctx, scope, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return err
	}
	ids := make([]catalogue.ChildID, len(children))
	byCouncil := map[catalogue.CouncilCode][]catalogue.Child{}
	for i, c := range children {
		ids[i] = c.ID
		byCouncil[c.Council] = append(byCouncil[c.Council], c)
	}
	histories, err := store.EpisodesOf(ctx, ids)
	if err != nil {
		return err
	}
	if err := store.AppendAudit(ctx, catalogue.AuditEntry{At: e.now(), Action: "export", Subject: "ssda903", Council: council, Reason: "placematch export --ssda903"}); err != nil {
		return err
	}
	councils := make([]catalogue.CouncilCode, 0, len(byCouncil))
	for c := range byCouncil {
		councils = append(councils, c)
	}
	slices.Sort(councils)
	for _, c := range councils {
		out := dir
		if council == "" {
			out = filepath.Join(dir, string(c))
		}
		if err := writeReturn(out, byCouncil[c], histories); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "exported the placement histories of %d councils to %s\n", len(councils), dir)
	return nil
}

func writeReturn(dir string, children []catalogue.Child, histories map[catalogue.ChildID][]catalogue.Episode) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	h, err := os.Create(filepath.Join(dir, "header.csv"))
	if err != nil {
		return err
	}
	defer h.Close()
	ep, err := os.Create(filepath.Join(dir, "episodes.csv"))
	if err != nil {
		return err
	}
	defer ep.Close()
	hw, ew := bufio.NewWriter(h), bufio.NewWriter(ep)
	if err := ssda903.Encode(hw, ew, children, histories); err != nil {
		return err
	}
	if err := hw.Flush(); err != nil {
		return err
	}
	if err := ew.Flush(); err != nil {
		return err
	}
	if err := h.Close(); err != nil {
		return err
	}
	return ep.Close()
}
