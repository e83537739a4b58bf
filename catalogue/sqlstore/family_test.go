package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestFamilyNetwork: on both stores, a child's family network is kept in the child's council's
// scope (404 to another council's officer), a stale version conflicts, only a member who passed
// becomes a kinship home (connected to the child, on a temporary approval, with a place), once,
// and every write is audited on the child's record.
func TestFamilyNetwork(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleOfficer})
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Leeds Fostering")))
		child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))
		in := catalogue.NetworkMember{Child: child.ID, Name: "Auntie Grace", Relationship: catalogue.RelAuntUncle,
			NamedBy: catalogue.NamedAtFGC, AssessmentDue: day(2026, time.January, 20), Outcome: catalogue.ViabilityPending}

		_, err := s.AddNetworkMember(ctx, catalogue.Scope{Council: birmingham}, in)
		wantErr(t, err, catalogue.ErrNotFound)
		bad := in
		bad.Outcome = catalogue.ViabilityNotPassed
		_, err = s.AddNetworkMember(ctx, officerLeeds, bad)
		wantField(t, err, "outcome_on")

		m := must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, officerLeeds, in))
		if m.ID == 0 || m.Council != leeds || m.Version != 1 {
			t.Fatalf("added %+v", m)
		}
		_, err = s.NetworkMember(ctx, catalogue.Scope{Council: birmingham}, m.ID)
		wantErr(t, err, catalogue.ErrNotFound)

		pl := catalogue.KinshipHome(m, []catalogue.Child{child}, catalogue.ConnectedHome{Provider: prov.ID, Location: at(53.81, -1.52),
			AreaName: "Armley", Council: leeds}, day(2026, time.January, 2))
		_, _, err = s.PlaceWithConnectedPerson(ctx, officerLeeds, m.ID, m.Version, pl)
		wantErr(t, err, catalogue.ErrConflict) // pending: not passed yet

		passed := m
		passed.Outcome, passed.OutcomeOn = catalogue.ViabilityPassed, day(2026, time.January, 2)
		passed = must[catalogue.NetworkMember](t)(s.UpdateNetworkMember(ctx, officerLeeds, passed))
		_, err = s.UpdateNetworkMember(ctx, officerLeeds, m) // stale
		wantErr(t, err, catalogue.ErrConflict)

		got, home, err := s.PlaceWithConnectedPerson(ctx, officerLeeds, passed.ID, passed.Version, pl)
		if err != nil {
			t.Fatal(err)
		}
		if got.Placement != home.ID || home.Kind != catalogue.Kinship || len(home.ConnectedTo) != 1 || home.ConnectedTo[0] != child.ID ||
			home.TemporaryApproval == nil || !home.ApprovedOn(day(2026, time.January, 2)) || len(home.Vacancies) != 1 {
			t.Errorf("placed %+v in %+v", got, home)
		}
		_, _, err = s.PlaceWithConnectedPerson(ctx, officerLeeds, got.ID, got.Version, pl)
		wantErr(t, err, catalogue.ErrConflict) // once

		list := must[[]catalogue.NetworkMember](t)(s.FamilyNetwork(ctx, officerLeeds, child.ID))
		if len(list) != 1 || list[0].Placement != home.ID {
			t.Errorf("network %+v", list)
		}
		_, err = s.FamilyNetwork(ctx, catalogue.Scope{Council: birmingham}, child.ID)
		wantErr(t, err, catalogue.ErrNotFound)

		rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "audit_log"))
		actions := map[string]bool{}
		for _, r := range rows {
			actions[string(r["action"])] = true
		}
		for _, a := range []string{"family_network:add", "family_network:update", "family_network:placed"} {
			if !actions[a] {
				t.Errorf("no audit row %q", a)
			}
		}
	})
}

// TestContactsMigration: migration 00024 turns each stored contact's flag "safe" into a type
// without losing what it said (safe: direct; not safe: supervised, with a person who must not
// know where the child lives), and down turns them back, on both stores.
func TestContactsMigration(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c := plainChild(leeds, at(53.8, -1.5))
		centre := at(53.79, -1.54)
		c.Contacts = []catalogue.Contact{
			{Name: "Mum", Relationship: catalogue.RelMother, Location: at(53.7, -1.5), Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect},
			{Name: "Dad", Relationship: catalogue.RelFather, Location: at(53.75, -1.5), Frequency: catalogue.FreqWeekly,
				Type: catalogue.ContactSupervised, Centre: &centre, MustNotKnow: true},
		}
		child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, c))
		// raw reads the stored contacts; each call names the table differently, so that
		// PostgreSQL prepares a new statement for the columns of the schema of the moment.
		raw := func(as string) []map[string]any {
			t.Helper()
			rows := must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "children AS "+as))
			for _, r := range rows {
				if string(r["id"]) == child.ID.String() {
					var out []map[string]any
					if err := json.Unmarshal(r["contacts"], &out); err != nil {
						t.Fatal(err)
					}
					return out
				}
			}
			t.Fatal("child not found")
			return nil
		}
		if err := sqlstore.MigrateDownTo(ctx, s, 23); err != nil {
			t.Fatal(err)
		}
		down := raw("down")
		if down[0]["safe"] != true || down[1]["safe"] != false || down[0]["type"] != nil || down[1]["must_not_know"] != nil {
			t.Errorf("down: %v", down)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		up := raw("up")
		if up[0]["type"] != "direct" || up[1]["type"] != "supervised" || up[1]["must_not_know"] != true || up[0]["safe"] != nil || up[1]["safe"] != nil {
			t.Errorf("up: %v", up)
		}
		got := must[catalogue.Child](t)(s.Child(ctx, everything, child.ID))
		coarse := c.Coarsened() // people's locations are stored coarse (coarsen_test.go)
		want := []catalogue.Contact{coarse.Contacts[0], coarse.Contacts[1]}
		want[1].Centre = nil // down keeps the flag only: the centre is not in it
		diff(t, "contacts", got.Contacts, want)
	})
}
