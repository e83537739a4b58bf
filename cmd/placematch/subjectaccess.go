package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/placematch/placematch/catalogue"
)

// runSubjectAccess answers a subject access request (UK GDPR article 15; docs/dpia.md): one
// JSON export of everything held about a child or a carer's household, audited with the
// request's reference.
func runSubjectAccess(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "subject-access", "subject-access (--child ID | --carer PLACEMENT_ID) [--reference REF] [--out FILE]")
	var sf storeFlags
	sf.register(fs, e)
	child := fs.Int64("child", 0, "the child's ID")
	carer := fs.Int64("carer", 0, "the ID of the placement (household) that lists the carers")
	ref := fs.String("reference", "", "the council's reference of the request, kept in the audit log")
	out := fs.String("out", "", "write the export to this file (created, readable by its owner only) instead of standard output")
	if err := parse(e, fs, args, 0); err != nil {
		return err
	}
	subj := catalogue.Subject{Child: catalogue.ChildID(*child), Placement: catalogue.PlacementID(*carer)}
	if subj.Validate() != nil {
		return usageError{"subject-access: give one of --child and --carer, a positive ID"}
	}
	store, err := sf.open(ctx, e, newLogger(e, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	ctx = catalogue.WithActor(ctx, catalogue.Actor{Reason: "subject access request " + *ref})
	exp, err := store.SubjectAccess(ctx, catalogue.Everything, subj)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(subjectExport(exp), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = e.stdout.Write(b)
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote everything held about %s to %s: read it before giving it out (a child's family network names other people)\n", exp.Subject, *out)
	return nil
}

// subjectExport is the export as JSON, in the API's field names (GET /v1/children/{id}/subject-access).
func subjectExport(exp catalogue.SubjectAccessExport) any {
	type table struct {
		Table string           `json:"table"`
		Why   string           `json:"why"`
		Rows  []map[string]any `json:"rows"`
	}
	out := struct {
		Subject string  `json:"subject"`
		At      string  `json:"at"`
		Tables  []table `json:"tables"`
	}{Subject: exp.Subject, At: exp.At.Format("2006-01-02T15:04:05Z07:00")}
	for _, t := range exp.Tables {
		out.Tables = append(out.Tables, table{t.Table, t.Why, t.Rows})
	}
	return out
}
