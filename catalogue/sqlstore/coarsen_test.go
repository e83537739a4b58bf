package sqlstore_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// exactAt is a point given to a metre, i steps apart, none of them a cell's centre.
func exactAt(i int) catalogue.Location {
	return at(52.48123+0.0113*float64(i), -1.89071+0.0071*float64(i))
}

// coarseChild is a child with every person's location exact, from exactAt(i) on: home i,
// contacts i+1 and i+2; their school and the second contact's contact centre are exact too.
func coarseChild(caseRef string, i int, centre catalogue.Location) catalogue.Child {
	c := fullChild(birmingham, caseRef, 0)
	c.Home, c.Contacts[0].Location, c.Contacts[1].Location = exactAt(i), exactAt(i+1), exactAt(i+2)
	c.Contacts[1].Centre = &centre
	c.School.Location = exactAt(30)
	return c
}

// TestPeopleStoredCoarse (issue 23): on both stores, people's locations reach the database
// only as centres of S2 cells of level 13, by every write path: a child created, updated and
// imported, a family network member added and updated. Homes (placements), schools, contact
// centres and exclusion zones keep their exact points. Checked through the store's reads and
// on the rows themselves.
func TestPeopleStoredCoarse(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleOfficer})
		for i := range 40 {
			if exactAt(i).Coarse() == exactAt(i) {
				t.Fatalf("exactAt(%d) is a cell's centre: the test could not tell snapped from kept", i)
			}
		}
		centre := exactAt(31)
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Birmingham Fostering")))

		created := must[catalogue.Child](t)(s.CreateChild(ctx, everything, coarseChild("B-1", 0, centre)))
		change := created
		change.Contacts = append([]catalogue.Contact(nil), created.Contacts...)
		change.Home, change.Contacts[0].Location = exactAt(3), exactAt(4)
		updated := must[catalogue.Child](t)(s.UpdateChild(ctx, everything, change))
		reread := must[catalogue.Child](t)(s.Child(ctx, everything, created.ID))

		in := coarseChild("B-2", 5, centre)
		in.ID = -1
		home := fullPlacement(prov.ID, catalogue.AgencyFoster)
		home.ID, home.Location = -1, exactAt(20)
		res := must[catalogue.BatchResult](t)(s.Import(ctx, catalogue.Batch{Children: []catalogue.Child{in}, Placements: []catalogue.Placement{home}}))
		imported := must[catalogue.Child](t)(s.Child(ctx, everything, res.Children[-1]))
		importedHome := must[catalogue.Placement](t)(s.Placement(ctx, everything, res.Placements[-1]))

		m := catalogue.NetworkMember{Child: created.ID, Name: "Auntie Grace", Relationship: catalogue.RelAuntUncle,
			NamedBy: catalogue.NamedAtFGC, AssessmentDue: day(2026, time.January, 20), Outcome: catalogue.ViabilityPending, Location: exactAt(10)}
		added := must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, officerBirmingham, m))
		moved := added
		moved.Location = exactAt(11)
		changed := must[catalogue.NetworkMember](t)(s.UpdateNetworkMember(ctx, officerBirmingham, moved))
		memberRead := must[catalogue.NetworkMember](t)(s.NetworkMember(ctx, officerBirmingham, added.ID))

		created2 := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(prov.ID, birmingham, exactAt(21))))

		tests := []struct {
			name      string
			got, want catalogue.Location
		}{
			{"created: home", created.Home, exactAt(0).Coarse()},
			{"created: contact", created.Contacts[0].Location, exactAt(1).Coarse()},
			{"created: second contact", created.Contacts[1].Location, exactAt(2).Coarse()},
			{"created: contact centre", *created.Contacts[1].Centre, centre},
			{"created: school", created.School.Location, exactAt(30)},
			{"created: exclusion zone", created.ExclusionZones[0].Centre, at(52.47, -1.88)},
			{"updated: home", updated.Home, exactAt(3).Coarse()},
			{"updated: contact", updated.Contacts[0].Location, exactAt(4).Coarse()},
			{"updated, read: home", reread.Home, exactAt(3).Coarse()},
			{"updated, read: contact", reread.Contacts[0].Location, exactAt(4).Coarse()},
			{"updated, read: second contact", reread.Contacts[1].Location, exactAt(2).Coarse()},
			{"imported: home", imported.Home, exactAt(5).Coarse()},
			{"imported: contact", imported.Contacts[0].Location, exactAt(6).Coarse()},
			{"imported: second contact", imported.Contacts[1].Location, exactAt(7).Coarse()},
			{"imported: contact centre", *imported.Contacts[1].Centre, centre},
			{"imported: school", imported.School.Location, exactAt(30)},
			{"network member added", added.Location, exactAt(10).Coarse()},
			{"network member updated", changed.Location, exactAt(11).Coarse()},
			{"network member read", memberRead.Location, exactAt(11).Coarse()},
			{"imported home (placement)", importedHome.Location, exactAt(20)},
			{"created home (placement)", created2.Location, exactAt(21)},
		}
		for _, tt := range tests {
			if tt.got != tt.want {
				t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
			}
		}

		// The rows themselves: every person's point is a cell's centre; homes are as given.
		for _, r := range must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "children")) {
			wantCentre(t, "child "+string(r["id"])+" home", rowPoint(t, r, "home_lat", "home_lng"))
			var contacts []struct {
				Location catalogue.Location  `json:"location"`
				Centre   *catalogue.Location `json:"centre"`
			}
			if err := json.Unmarshal(r["contacts"], &contacts); err != nil {
				t.Fatal(err)
			}
			for i, c := range contacts {
				wantCentre(t, "child "+string(r["id"])+" contact "+strconv.Itoa(i), c.Location)
				if c.Centre != nil && *c.Centre != centre {
					t.Errorf("child %s contact %d: centre %v, want it exact, %v", r["id"], i, *c.Centre, centre)
				}
			}
		}
		for _, r := range must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "family_network")) {
			wantCentre(t, "network member "+string(r["id"]), rowPoint(t, r, "lat", "lng"))
		}
		for _, r := range must[[]map[string][]byte](t)(sqlstore.DumpTable(ctx, s, "placements")) {
			if p := rowPoint(t, r, "lat", "lng"); p != exactAt(20) && p != exactAt(21) {
				t.Errorf("placement %s stored at %v, want its exact point", r["id"], p)
			}
		}
	})
}

// TestCoarsenMigration (issue 23): migration 00026 snaps the locations of people in rows written
// before it (a child's home, each contact's, a family network member's), on both stores, and
// leaves the rest of each row as it was: a contact's other fields, a contact centre, the
// version. Run again, it changes nothing.
func TestCoarsenMigration(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleOfficer})
		centre := exactAt(31)
		child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, coarseChild("B-1", 0, centre)))
		bare := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, exactAt(12))))
		member := must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, officerBirmingham, catalogue.NetworkMember{Child: child.ID,
			Name: "Auntie Grace", Relationship: catalogue.RelAuntUncle, NamedBy: catalogue.NamedAtFGC,
			AssessmentDue: day(2026, time.January, 20), Outcome: catalogue.ViabilityPending, Location: exactAt(10)}))
		unplaced := must[catalogue.NetworkMember](t)(s.AddNetworkMember(ctx, officerBirmingham, catalogue.NetworkMember{Child: child.ID,
			Name: "Uncle Jo", Relationship: catalogue.RelAuntUncle, NamedBy: catalogue.NamedAtFGC,
			AssessmentDue: day(2026, time.January, 20), Outcome: catalogue.ViabilityPending}))

		// Rows as they were before 00026: exact points. (Migrating down to 25 would undo the
		// later migrations too, and the columns they added.)
		old := coarseChild("B-1", 0, centre)
		contacts, err := json.Marshal([]map[string]any{
			{"name": "Mum", "relationship": "mother", "location": map[string]float64{"lat": old.Contacts[0].Location.Lat, "lng": old.Contacts[0].Location.Lng},
				"frequency": "weekly", "type": "direct"},
			{"name": "Nan", "relationship": "grandparent", "location": map[string]float64{"lat": old.Contacts[1].Location.Lat, "lng": old.Contacts[1].Location.Lng},
				"frequency": "monthly", "type": "supervised", "centre": map[string]float64{"lat": centre.Lat, "lng": centre.Lng}, "must_not_know": true},
		})
		if err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if err := sqlstore.ExecRaw(ctx, s, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec("UPDATE children SET home_lat = ?, home_lng = ?, contacts = ? WHERE id = ?", old.Home.Lat, old.Home.Lng, string(contacts), int64(child.ID))
		exec("UPDATE children SET home_lat = ?, home_lng = ? WHERE id = ?", exactAt(12).Lat, exactAt(12).Lng, int64(bare.ID))
		exec("UPDATE family_network SET lat = ?, lng = ? WHERE id = ?", exactAt(10).Lat, exactAt(10).Lng, int64(member.ID))
		if got := must[catalogue.Child](t)(s.Child(ctx, everything, child.ID)); got.Home != old.Home {
			t.Fatalf("the old row reads %v, want the exact %v", got.Home, old.Home)
		}

		for range 2 { // the second run finds nothing to change
			if err := sqlstore.RedoMigration(ctx, s, 26); err != nil {
				t.Fatal(err)
			}
			want := child
			want.Home = old.Home.Coarse()
			want.Contacts = []catalogue.Contact{child.Contacts[0], child.Contacts[1]}
			want.Contacts[0].Location, want.Contacts[1].Location = old.Contacts[0].Location.Coarse(), old.Contacts[1].Location.Coarse()
			diff(t, "migrated child", must[catalogue.Child](t)(s.Child(ctx, everything, child.ID)), want)
			bareWant := bare
			bareWant.Home = exactAt(12).Coarse()
			diff(t, "migrated child without contacts", must[catalogue.Child](t)(s.Child(ctx, everything, bare.ID)), bareWant)
			if got := must[catalogue.NetworkMember](t)(s.NetworkMember(ctx, officerBirmingham, member.ID)); got.Location != exactAt(10).Coarse() || got.Version != member.Version {
				t.Errorf("migrated network member at %v, version %d; want %v, version %d", got.Location, got.Version, exactAt(10).Coarse(), member.Version)
			}
			if got := must[catalogue.NetworkMember](t)(s.NetworkMember(ctx, officerBirmingham, unplaced.ID)); !got.Location.IsZero() {
				t.Errorf("a member with no location has %v", got.Location)
			}
		}
	})
}

// rowPoint reads a latitude and longitude from a dumped row.
func rowPoint(t *testing.T, r map[string][]byte, lat, lng string) catalogue.Location {
	t.Helper()
	la, err := strconv.ParseFloat(string(r[lat]), 64)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := strconv.ParseFloat(string(r[lng]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return catalogue.Location{Lat: la, Lng: ln}
}

// wantCentre fails unless l is the centre of its level-13 cell (or unset).
func wantCentre(t *testing.T, what string, l catalogue.Location) {
	t.Helper()
	if l.Coarse() != l {
		t.Errorf("%s stored at %v, finer than its cell's centre %v", what, l, l.Coarse())
	}
}
