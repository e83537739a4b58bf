package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
)

// TestRetentionAndSubjectAccessCommands: a child's record closed long ago whose declined offer
// is not yet filed is kept by `placematch retention`, which names the offer and regulation 50;
// `placematch subject-access --child` exports the child's record, offer and the audit of the
// retention's refusal, to a file of the owner's only; once the offer is filed, retention
// deletes the child, and the export finds nobody.
func TestRetentionAndSubjectAccessCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, db, sqlstore.Options{Now: catalogue.FixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	prov, err := st.CreateProvider(ctx, catalogue.Provider{Name: "Brightwater Fostering", Kind: catalogue.ProviderAgency})
	must(t, err)
	home, err := st.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{Kind: catalogue.AgencyFoster, Provider: prov.ID, Name: "Okafor household",
		Council: "E08000003", AreaName: "Manchester", Location: catalogue.Location{Lat: 53.45, Lng: -2.2}, Active: true,
		Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Grace"}}},
		Approval: catalogue.Approval{MaxAge: 17, MaxChildren: 2, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
			From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}})
	must(t, err)
	ch, err := st.CreateChild(ctx, catalogue.Everything, catalogue.Child{Council: "E08000003", FirstName: "Amy", DateOfBirth: time.Date(2013, 5, 2, 0, 0, 0, 0, time.UTC),
		Sex: catalogue.Female, Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
		Companions: catalogue.CompanionsNoPreference, Pets: catalogue.PetsCan, CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		Home: catalogue.Location{Lat: 53.48, Lng: -2.24}, Status: catalogue.ChildWaiting})
	must(t, err)
	o, err := st.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: ch.ID, Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: home.ID, SchoolKm: -1}}})
	must(t, err)
	_, err = st.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Decision{Reason: "Amy is to return home"})
	must(t, err)
	ch, err = st.Child(ctx, catalogue.Everything, ch.ID)
	must(t, err)
	ch.Status = catalogue.ChildClosed
	_, err = st.UpdateChild(ctx, catalogue.Everything, ch)
	must(t, err)
	st.Close()

	vars := map[string]string{"PLACEMATCH_DB": db, "PLACEMATCH_NOW": "2029-06-01"}
	cmd := func(args ...string) (string, error) {
		var out syncBuffer
		err := run(ctx, args, envFunc(vars), strings.NewReader(""), &out, io.Discard)
		return out.String(), err
	}
	out, err := cmd("retention")
	if err != nil || !strings.Contains(out, "retention deleted: 0 children") || !strings.Contains(out, "offers "+o.ID.String()+".") ||
		!strings.Contains(out, "regulation 50") || strings.Contains(out, "Amy") {
		t.Fatalf("retention with an unfiled decision: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "sar.json")
	if out, err := cmd("subject-access", "--child", ch.ID.String(), "--reference", "SAR-2029-7", "--out", file); err != nil || !strings.Contains(out, "child:"+ch.ID.String()) {
		t.Fatalf("subject-access: %v %s", err, out)
	}
	info, err := os.Stat(file)
	must(t, err)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the export is %v, want readable by its owner only", info.Mode().Perm())
	}
	b, err := os.ReadFile(file)
	must(t, err)
	var exp struct {
		Tables []struct {
			Table string           `json:"table"`
			Rows  []map[string]any `json:"rows"`
		} `json:"tables"`
	}
	must(t, json.Unmarshal(b, &exp))
	n := map[string]int{}
	for _, tb := range exp.Tables {
		n[tb.Table] = len(tb.Rows)
	}
	if n["children"] != 1 || n["offers"] != 1 || n["audit_log"] == 0 {
		t.Errorf("the export holds %v", n)
	}
	for _, bad := range [][]string{{"subject-access"}, {"subject-access", "--child", "1", "--carer", "2"}} {
		if _, err := cmd(bad...); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}

	st, err = sqlstore.Open(ctx, db, sqlstore.Options{})
	must(t, err)
	_, _, err = st.MarkFiled(ctx, catalogue.Everything, o.ID, "LCS-1")
	must(t, err)
	st.Close()
	if out, err := cmd("retention"); err != nil || !strings.Contains(out, "retention deleted: 1 children") || strings.Contains(out, "not yet filed") {
		t.Fatalf("retention once filed: %v\n%s", err, out)
	}
	if _, err := cmd("subject-access", "--child", ch.ID.String()); err == nil {
		t.Error("an export of a child deleted")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
