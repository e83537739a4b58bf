package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// childColumns are the columns by which a table refers to a child: the child, an offer to
// them, or a list of the children a kinship home is connected to.
var childColumns = []string{"child_id", "worker_child_id", "offer_id", "connected_to"}

// TestSubjectAccessCoversTheSchema: every table of the schema with a column referring to a
// child is read by a child's subject access export, so that a table added later cannot be
// left out of it silently.
func TestSubjectAccessCoversTheSchema(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		schema := must[map[string][]string](t)(sqlstore.Columns(context.Background(), s))
		exported := sqlstore.SubjectTables()
		var referring []string
		for table, cols := range schema {
			if slices.ContainsFunc(cols, func(c string) bool { return slices.Contains(childColumns, c) }) {
				referring = append(referring, table)
				if !slices.Contains(exported, table) {
					t.Errorf("table %s refers to a child (%v) and the subject access export does not read it: add it to childTables in subjectaccess.go", table, cols)
				}
			}
		}
		for _, table := range exported {
			if _, ok := schema[table]; !ok {
				t.Errorf("the export reads %s, which is no table", table)
			}
		}
		if len(referring) < 15 {
			t.Errorf("only %d tables refer to a child: the schema was not read (%v)", len(referring), referring)
		}
	})
}

// TestSubjectAccessExport: a child with something in every table a child's case touches
// through the store (their record, group, allocation, family network, referral, offer with
// its link, session, decision and filing, a place filled, placements, a move and its review, a
// check-in and its plan, and the audit of who looked) finds each in their export, and nothing
// of another child; no hash of a link or session is exported; outside the council it is not
// found; the export is audited.
func TestSubjectAccessExport(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 2)
		group := must[catalogue.SiblingGroup](t)(s.CreateSiblingGroup(ctx, everything, catalogue.SiblingGroup{Council: birmingham, Plan: catalogue.PlanTogether}))
		c := must[catalogue.Child](t)(s.Child(ctx, everything, w.child.ID))
		c.SiblingGroup = group.ID
		c = must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c))
		other := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.4, -1.9))))
		for _, id := range []catalogue.ChildID{c.ID, other.ID} {
			must[catalogue.Allocation](t)(s.SetAllocation(ctx, officerBirmingham, catalogue.Allocation{Child: id, SocialWorker: "Jo Bloggs", Team: "North West CLA", Email: "jo@birmingham.example.gov.uk"}))
			must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, officerBirmingham, catalogue.NetworkMember{Child: id, Name: "Auntie Grace",
				Relationship: catalogue.RelAuntUncle, NamedBy: catalogue.NamedAtFGC, AssessmentDue: day(2026, time.January, 20), Outcome: catalogue.ViabilityPending}))
		}
		must[[]catalogue.Referral](t)(s.CreateReferrals(ctx, officerBirmingham, []catalogue.Referral{{Child: c.ID, Placement: w.homes[0].ID, Deadline: s.Now().Add(48 * time.Hour)}}))
		o := must[catalogue.Offer](t)(s.CreateOffer(ctx, officerBirmingham, catalogue.Offer{Child: c.ID, Options: w.options()}))
		if _, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("sar-link"), ExpiresAt: soon(s)}); err != nil {
			t.Fatal(err)
		}
		must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("sar-link"), catalogue.ChildSession{Hash: hashOf("sar-session"), ExpiresAt: soon(s)}))
		o = must[catalogue.Offer](t)(s.Offer(ctx, officerBirmingham, o.ID))
		must[catalogue.Offer](t)(s.DecideOffer(ctx, officerBirmingham, o.ID, o.Version, catalogue.Decision{Accepted: false, Reason: "the child's plan is now to return home"}))
		if _, _, err := s.MarkFiled(ctx, officerBirmingham, o.ID, "CASE-5"); err != nil {
			t.Fatal(err)
		}
		must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: c.ID, Start: day(2025, 1, 1), Placement: w.homes[1].ID}))
		must[catalogue.MoveResult](t)(s.MoveChild(ctx, everything, catalogue.Move{Child: c.ID, On: day(2025, 6, 1),
			Reason: catalogue.ReasonChildRequest, Next: &catalogue.Episode{Placement: w.homes[2].ID}}))
		must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, everything, catalogue.CheckIn{Child: c.ID, Safe: catalogue.AnswerYes}))
		must[catalogue.CheckInPlan](t)(s.SetCheckInPlan(ctx, everything, catalogue.CheckInPlan{Child: c.ID, Days: []int{7}}))
		v := w.places[w.homes[2].ID][0]
		v.Status, v.Child = catalogue.VacancyFilled, c.ID
		must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, v))
		kin := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, fullPlacement(w.homes[0].Provider, catalogue.Kinship, c.ID)))
		must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, fullPlacement(w.homes[0].Provider, catalogue.Kinship, other.ID)))
		if err := s.AppendAudit(ctx, catalogue.AuditEntry{Action: "read", Subject: "child:" + c.ID.String(), Council: birmingham}); err != nil {
			t.Fatal(err)
		}

		_, err := s.SubjectAccess(ctx, officerLeeds, catalogue.Subject{Child: c.ID})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.SubjectAccess(ctx, officerBirmingham, catalogue.Subject{})
		wantField(t, err, "subject")

		exp := must[catalogue.SubjectAccessExport](t)(s.SubjectAccess(ctx, officerBirmingham, catalogue.Subject{Child: c.ID}))
		if exp.Subject != "child:"+c.ID.String() {
			t.Errorf("subject %q", exp.Subject)
		}
		rows := map[string][]map[string]any{}
		for _, tb := range exp.Tables {
			if tb.Why == "" {
				t.Errorf("%s: no reason given", tb.Table)
			}
			rows[tb.Table] = tb.Rows
		}
		mine := fmt.Sprint(int64(c.ID))
		for _, tc := range []struct {
			table, column string
			atLeast       int
		}{
			{"children", "id", 1}, {"sibling_groups", "id", 1}, {"child_allocations", "child_id", 1}, {"family_network", "child_id", 1},
			{"referrals", "child_id", 1}, {"offers", "child_id", 1}, {"offer_links", "child_id", 1}, {"child_sessions", "child_id", 1},
			{"case_record_filings", "child_id", 1}, {"placement_episodes", "child_id", 2}, {"move_reviews", "child_id", 1},
			{"check_ins", "child_id", 1}, {"check_in_plans", "child_id", 1}, {"vacancies", "child_id", 1}, {"audit_log", "", 3},
		} {
			got := rows[tc.table]
			if len(got) < tc.atLeast {
				t.Errorf("%s: %d rows, want at least %d", tc.table, len(got), tc.atLeast)
			}
			for _, r := range got {
				if tc.column != "" && fmt.Sprint(r[tc.column]) != mine && tc.table != "sibling_groups" {
					t.Errorf("%s: a row of another child: %v", tc.table, r)
				}
				if _, ok := r["hash"]; ok {
					t.Errorf("%s: a hash is exported", tc.table)
				}
			}
		}
		if k := rows["placements"]; len(k) != 1 || fmt.Sprint(k[0]["id"]) != fmt.Sprint(int64(kin.ID)) {
			t.Errorf("kinship homes connected to the child: %v, want %d", k, kin.ID)
		}
		if g := rows["sibling_groups"]; len(g) != 1 || fmt.Sprint(g[0]["id"]) != fmt.Sprint(int64(group.ID)) {
			t.Errorf("sibling group %v", g)
		}
		var subjects []string
		for _, r := range rows["audit_log"] {
			subjects = append(subjects, fmt.Sprint(r["subject"]))
		}
		if !slices.Contains(subjects, "child:"+mine) || !slices.Contains(subjects, "offer:"+o.ID.String()) {
			t.Errorf("audit subjects %v", subjects)
		}
		for _, want := range sqlstore.SubjectTables() {
			if _, ok := rows[want]; !ok {
				t.Errorf("the export has no section %s", want)
			}
		}
		b := must[[]byte](t)(json.Marshal(exp))
		if strings.Contains(string(b), "sar-link") || strings.Contains(string(b), `"child_id":`+fmt.Sprint(int64(other.ID))+`,`) {
			t.Errorf("the export holds a token or another child's row")
		}
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:" + mine, Limit: 500}))
		if !slices.ContainsFunc(audit.Items, func(e catalogue.AuditEntry) bool { return e.Action == "subject access" }) {
			t.Errorf("the export is not audited")
		}
	})
}

// TestSubjectAccessCarer: a carer's household's export holds its record and places, never the
// child in a place; a provider reads only its own households.
func TestSubjectAccessCarer(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newOfferWorld(t, s, 1)
		home := w.homes[0]
		v := w.places[home.ID][0]
		v.Status, v.Child = catalogue.VacancyFilled, w.child.ID
		must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, v))
		_, err := s.SubjectAccess(ctx, catalogue.Scope{Provider: home.Provider + 100}, catalogue.Subject{Placement: home.ID})
		wantErr(t, err, catalogue.ErrNotFound)
		exp := must[catalogue.SubjectAccessExport](t)(s.SubjectAccess(ctx, catalogue.Scope{Provider: home.Provider}, catalogue.Subject{Placement: home.ID}))
		got := map[string]int{}
		for _, tb := range exp.Tables {
			got[tb.Table] = len(tb.Rows)
			for _, r := range tb.Rows {
				if _, ok := r["child_id"]; ok {
					t.Errorf("%s: the child in a place is exported to the carer", tb.Table)
				}
			}
		}
		if got["placements"] != 1 || got["vacancies"] != 1 {
			t.Errorf("carer's export %v", got)
		}
	})
}
