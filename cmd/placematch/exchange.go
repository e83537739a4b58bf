package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "import --kind children|placements|referrals [--format csv|json] FILE (- for stdin), or import --ssda903 DIR --council GSS")
	var sf storeFlags
	sf.register(fs, e)
	kindS := fs.String("kind", "", "children, placements, referrals, family_network or staying_put")
	formatS := fs.String("format", "", "csv or json (default: from the file name)")
	council := fs.String("council", "", "with --ssda903: the council whose return it is")
	var rf ssda903Flags
	rf.registerImport(fs)
	if err := parse(e, fs, args, 1); err != nil {
		return err
	}
	if *rf.dir != "" {
		if fs.NArg() != 0 {
			return usageError{"import: --ssda903 takes a folder, and no file"}
		}
		return importSSDA903(ctx, e, sf, rf, catalogue.CouncilCode(*council))
	}
	if fs.NArg() != 1 {
		return usageError{"import: give the file to import (or - for stdin)"}
	}
	name := fs.Arg(0)
	kind, err := exchange.ParseKind(*kindS)
	if err != nil {
		return usageError{"import: --kind must be children, placements, referrals, family_network or staying_put"}
	}
	fmtName := *formatS
	if fmtName == "" {
		fmtName = extFormat(name)
	}
	format, err := exchange.ParseFormat(fmtName)
	if err != nil {
		return usageError{"import: --format must be csv or json"}
	}
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	file, err := exchange.DecodeFile(bufio.NewReader(r), format, kind, exchange.DecodeOptions{Now: e.now()})
	if err != nil {
		return reportRows(e, err)
	}
	batch := file.Batch
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	if kind == exchange.Referrals {
		stored, err := store.ImportReferrals(ctx, catalogue.Everything, file.Referrals)
		if err != nil {
			return reportRows(e, file.Locate(err))
		}
		fmt.Fprintf(e.stdout, "imported %d referrals\n", len(stored))
		printNotKept(e, file.NotKept)
		return nil
	}
	if kind == exchange.StayingPut {
		stored, err := store.ImportStayingPut(ctx, catalogue.Everything, file.StayingPut)
		if err != nil {
			return reportRows(e, file.Locate(err))
		}
		fmt.Fprintf(e.stdout, "recorded Staying Put for %d young people\n", len(stored))
		return nil
	}
	if kind == exchange.Network {
		stored, err := store.ImportNetwork(ctx, catalogue.Everything, file.Network)
		if err != nil {
			return reportRows(e, file.Locate(err))
		}
		fmt.Fprintf(e.stdout, "imported %d family network members\n", len(stored))
		printNotKept(e, file.NotKept)
		return nil
	}
	bar := newProgressBar(e.stderr, "importing")
	batch.Progress = bar.update
	res, err := store.Import(ctx, batch)
	bar.done()
	if err != nil {
		return reportRows(e, err)
	}
	fmt.Fprintf(e.stdout, "imported %d children, %d sibling groups, %d providers, %d placements, %d vacancies\n",
		len(res.Children), len(res.SiblingGroups), len(res.Providers), len(res.Placements), res.Vacancies)
	printNotKept(e, file.NotKept)
	for _, f := range res.Flags {
		fmt.Fprintln(e.stderr, "flagged:", f.Error())
	}
	return nil
}

func printNotKept(e *env, notKept []exchange.NotKept) {
	for _, n := range notKept {
		fmt.Fprintf(e.stdout, "not kept: %s (%s)\n", n.Field, n.Reason)
	}
}

// reportRows prints the bad rows of a failed import (the first catalogue.MaxIssues, and how
// many more); nothing was written.
func reportRows(e *env, err error) error {
	fields := catalogue.FieldErrors(err)
	if len(fields) == 0 {
		return err
	}
	for _, f := range fields {
		fmt.Fprintln(e.stderr, f.Error())
	}
	n := len(fields)
	if ve := (*catalogue.Error)(nil); errors.As(err, &ve) && ve.Count() > n {
		fmt.Fprintf(e.stderr, "and %d more\n", ve.Count()-n)
		n = ve.Count()
	}
	return fmt.Errorf("import refused: %d problems; nothing was written", n)
}

func extFormat(name string) string {
	for _, f := range []string{"csv", "json"} {
		if len(name) > len(f)+1 && name[len(name)-len(f)-1:] == "."+f {
			return f
		}
	}
	return ""
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "export --kind children|placements|referrals [--format csv|json] [--council GSS] [-o FILE], or export --ssda903 DIR [--council GSS]")
	var sf storeFlags
	sf.register(fs, e)
	kindS := fs.String("kind", "", "children, placements, referrals, family_network or staying_put")
	formatS := fs.String("format", "csv", "csv or json")
	council := fs.String("council", "", "only this council's children, or their referrals")
	out := fs.String("o", "-", "output file (- for stdout)")
	ssdaDir := fs.String("ssda903", "", "export the placement histories as SSDA903 returns (header.csv, episodes.csv) into this folder: the council's, or each council's in a folder named by its code")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	if *ssdaDir != "" {
		if *council != "" && !catalogue.CouncilCode(*council).Valid() {
			return usageError{"export: --council must be the ONS code of an English upper-tier council"}
		}
		return exportSSDA903(ctx, e, sf, *ssdaDir, catalogue.CouncilCode(*council))
	}
	kind, err := exchange.ParseKind(*kindS)
	if err != nil {
		return usageError{"export: --kind must be children, placements, referrals, family_network or staying_put"}
	}
	format, err := exchange.ParseFormat(*formatS)
	if err != nil {
		return usageError{"export: --format must be csv or json"}
	}
	if *council != "" && !catalogue.CouncilCode(*council).Valid() {
		return usageError{"export: --council must be the ONS code of an English upper-tier council"}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	var w io.Writer = e.stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	scope := catalogue.Scope{Council: catalogue.CouncilCode(*council)}
	switch kind {
	case exchange.Children:
		children, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
			return store.ListChildren(ctx, scope, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		groups, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SiblingGroup], error) {
			return store.ListSiblingGroups(ctx, scope, catalogue.GroupFilter{After: catalogue.SiblingGroupID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		if err := store.AppendAudit(ctx, catalogue.AuditEntry{At: e.now(), Action: "export", Subject: "children", Council: scope.Council, Reason: "placematch export"}); err != nil {
			return err
		}
		if err := exchange.EncodeChildren(bw, format, children, groups); err != nil {
			return err
		}
	case exchange.Referrals:
		referrals, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Referral], error) {
			return store.ListReferrals(ctx, scope, catalogue.ReferralFilter{After: catalogue.ReferralID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		if err := store.AppendAudit(ctx, catalogue.AuditEntry{At: e.now(), Action: "export", Subject: "referrals", Council: scope.Council, Reason: "placematch export"}); err != nil {
			return err
		}
		if err := exchange.EncodeReferrals(bw, format, referrals); err != nil {
			return err
		}
	case exchange.Network:
		ms, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.NetworkMember], error) {
			return store.ListNetwork(ctx, scope, catalogue.NetworkMemberID(after), catalogue.MaxLimit)
		})
		if err != nil {
			return err
		}
		if err := store.AppendAudit(ctx, catalogue.AuditEntry{At: e.now(), Action: "export", Subject: "family_network", Council: scope.Council, Reason: "placematch export"}); err != nil {
			return err
		}
		if err := exchange.EncodeNetwork(bw, format, ms); err != nil {
			return err
		}
	case exchange.StayingPut:
		eps, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Episode], error) {
			return store.ListEpisodes(ctx, scope, catalogue.EpisodeFilter{After: catalogue.EpisodeID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		if err := store.AppendAudit(ctx, catalogue.AuditEntry{At: e.now(), Action: "export", Subject: "staying_put", Council: scope.Council, Reason: "placematch export"}); err != nil {
			return err
		}
		if err := exchange.EncodeStayingPut(bw, format, exchange.StayingPutOf(eps)); err != nil {
			return err
		}
	default:
		placements, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Placement], error) {
			return store.ListPlacements(ctx, catalogue.Everything, catalogue.PlacementFilter{After: catalogue.PlacementID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return err
		}
		if err := exchange.EncodePlacements(bw, format, placements); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	return nil
}
