package exchange

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
)

// TestThroughStore imports the fixtures into the embedded store, exports them, imports that
// export into a second, empty store and exports again: the two exports must be the same, byte
// for byte, in both formats. This checks that what Decode returns is what Store.Import takes,
// and that nothing is lost between a file and the database.
func TestThroughStore(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("uses the embedded SQLite store")
	}
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			ctx := context.Background()
			first := openStore(t, "first.db")
			children, groups := fixtureChildren()
			var buf bytes.Buffer
			if err := EncodeChildren(&buf, f, children, groups); err != nil {
				t.Fatal(err)
			}
			kids := importFile(t, first, buf.Bytes(), f, Children)

			// Point the placements at what the first store holds.
			providers := map[catalogue.ProviderID]catalogue.ProviderID{}
			for _, old := range []catalogue.ProviderID{3, 5, 6, 8} {
				p, err := first.CreateProvider(ctx, catalogue.Provider{Name: "Provider " + old.String(), Kind: catalogue.ProviderAgency})
				if err != nil {
					t.Fatal(err)
				}
				providers[old] = p.ID
			}
			sorted := childrenAsImported(children, groups).Children
			stored := map[catalogue.ChildID]catalogue.ChildID{}
			for i, c := range []catalogue.ChildID{11, 12, 20, 21, 30} {
				stored[c] = kids.Children[sorted[i].ID]
			}
			placements := fixturePlacements()
			for i := range placements {
				p := &placements[i]
				p.Provider = providers[p.Provider]
				for j := range p.ConnectedTo {
					p.ConnectedTo[j] = stored[p.ConnectedTo[j]]
				}
				for j := range p.Vacancies {
					p.Vacancies[j].Child = stored[p.Vacancies[j].Child]
				}
			}
			buf.Reset()
			if err := EncodePlacements(&buf, f, placements); err != nil {
				t.Fatal(err)
			}
			importFile(t, first, buf.Bytes(), f, Placements)
			exportChildren, exportPlacements := exportAll(t, first, f)

			second := openStore(t, "second.db")
			for _, old := range []catalogue.ProviderID{3, 5, 6, 8} {
				if _, err := second.CreateProvider(ctx, catalogue.Provider{Name: "Provider " + old.String(), Kind: catalogue.ProviderAgency}); err != nil {
					t.Fatal(err)
				}
			}
			importFile(t, second, exportChildren, f, Children)
			importFile(t, second, exportPlacements, f, Placements)
			againChildren, againPlacements := exportAll(t, second, f)
			if d := gocmp.Diff(string(exportChildren), string(againChildren)); d != "" {
				t.Errorf("children export changed through a second store (-first +second):\n%s", d)
			}
			if d := gocmp.Diff(string(exportPlacements), string(againPlacements)); d != "" {
				t.Errorf("placements export changed through a second store (-first +second):\n%s", d)
			}
			if !bytes.Contains(exportPlacements, []byte("held")) || !bytes.Contains(exportPlacements, []byte("withdrawn")) {
				t.Errorf("the export lost vacancies:\n%s", exportPlacements)
			}
			if n := bytes.Count(exportChildren, []byte("Zoë")); n != 1 {
				t.Errorf("the export holds %d children named Zoë, want 1", n)
			}
		})
	}
}

func openStore(t *testing.T, name string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), name), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func importFile(t *testing.T, s *sqlstore.Store, data []byte, f Format, k Kind) catalogue.BatchResult {
	t.Helper()
	b, err := Decode(bytes.NewReader(data), f, k, DecodeOptions{})
	if err != nil {
		t.Fatalf("Decode %s %s: %v", f, k, err)
	}
	res, err := s.Import(context.Background(), b)
	if err != nil {
		t.Fatalf("Import %s %s: %v", f, k, err)
	}
	return res
}

func exportAll(t *testing.T, s *sqlstore.Store, f Format) (children, placements []byte) {
	t.Helper()
	ctx := context.Background()
	cs, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
		return s.ListChildren(ctx, catalogue.Everything, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	gs, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SiblingGroup], error) {
		return s.ListSiblingGroups(ctx, catalogue.Everything, catalogue.GroupFilter{After: catalogue.SiblingGroupID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Placement], error) {
		return s.ListPlacements(ctx, catalogue.Everything, catalogue.PlacementFilter{After: catalogue.PlacementID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	var cb, pb bytes.Buffer
	if err := EncodeChildren(&cb, f, cs, gs); err != nil {
		t.Fatal(err)
	}
	if err := EncodePlacements(&pb, f, ps); err != nil {
		t.Fatal(err)
	}
	if len(cs) != 5 || len(ps) != 5 {
		t.Fatalf("the store holds %d children and %d placements, want 5 and 5", len(cs), len(ps))
	}
	return cb.Bytes(), pb.Bytes()
}
