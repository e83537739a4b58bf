package exchange

import (
	"bytes"
	"context"
	"errors"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

// referralWorld writes the fixture's children and homes into s and returns the fixture's
// referrals pointed at them: fixture IDs become stored ones.
func referralWorld(t *testing.T, s *sqlstore.Store) []catalogue.Referral {
	t.Helper()
	ctx := context.Background()
	child := storedFixtureChildren(t, s)
	provider, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Acme Fostering", Kind: catalogue.ProviderAgency})
	if err != nil {
		t.Fatal(err)
	}
	pb := placementsAsImported(fixturePlacements())
	for i := range pb.Placements {
		p := &pb.Placements[i]
		p.Provider = provider.ID
		for j := range p.ConnectedTo {
			p.ConnectedTo[j] = child[p.ConnectedTo[j]]
		}
		for j := range p.Vacancies {
			p.Vacancies[j].Child = child[p.Vacancies[j].Child]
		}
	}
	pres, err := s.Import(ctx, pb)
	if err != nil {
		t.Fatal(err)
	}
	rs := fixtureReferrals()
	for i := range rs {
		r := &rs[i]
		r.Child = child[r.Child]
		for j := range r.Siblings {
			r.Siblings[j] = child[r.Siblings[j]]
		}
		r.Placement = pres.Placements[catalogue.PlacementID(-int(r.Placement-2))] // 3, 4, 5: the first three homes
	}
	return rs
}

// TestReferralsThroughStore imports a referrals file into each store, exports what the store
// holds and reads the export: the same referrals. An officer's import holds only their
// council's children, and a child of another council is named by row and column.
func TestReferralsThroughStore(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleAdmin})
				rs := referralWorld(t, s)
				var file bytes.Buffer
				if err := EncodeReferrals(&file, f, rs); err != nil {
					t.Fatal(err)
				}
				d := decodeReferralsFile(t, file.Bytes(), f)

				// An officer of Manchester (the first two children's council) may not import
				// the others' referrals: nothing is written, and the rows are named.
				_, err := s.ImportReferrals(ctx, catalogue.Scope{Council: "E08000003"}, d.Referrals)
				first := 2 // the line of the first referral; in JSON, its position
				if f == JSON {
					first = 1
				}
				want := []where{{first + 1, "child"}, {first + 2, "child"}, {first + 3, "child"}}
				if diff := gocmp.Diff(want, places(d.Locate(err))); diff != "" || !errors.Is(err, catalogue.ErrInvalid) {
					t.Fatalf("an officer's import of other councils' referrals: %v; places (-want +got):\n%s", err, diff)
				}

				if _, err := s.ImportReferrals(ctx, catalogue.Everything, d.Referrals); err != nil {
					t.Fatal(d.Locate(err))
				}
				stored, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Referral], error) {
					return s.ListReferrals(ctx, catalogue.Everything, catalogue.ReferralFilter{After: catalogue.ReferralID(after), Limit: catalogue.MaxLimit})
				})
				if err != nil {
					t.Fatal(err)
				}
				var export bytes.Buffer
				if err := EncodeReferrals(&export, f, stored); err != nil {
					t.Fatal(err)
				}
				again := decodeReferralsFile(t, export.Bytes(), f)
				if diff := gocmp.Diff(d.Referrals, again.Referrals); diff != "" {
					t.Errorf("referrals changed through the store (-file +export):\n%s", diff)
				}
				mine, err := s.ListReferrals(ctx, catalogue.Scope{Council: "E08000003"}, catalogue.ReferralFilter{})
				if err != nil || len(mine.Items) != 1 {
					t.Fatalf("Manchester's officer sees %d referrals (%v), want its one", len(mine.Items), err)
				}
			})
		})
	}
}

// storedFixtureChildren writes the fixture's children into s and maps their fixture IDs to
// the stored ones.
func storedFixtureChildren(t *testing.T, s *sqlstore.Store) map[catalogue.ChildID]catalogue.ChildID {
	t.Helper()
	children, groups := fixtureChildren()
	b := childrenAsImported(children, groups)
	res, err := s.Import(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	child := map[catalogue.ChildID]catalogue.ChildID{}
	for i, id := range []catalogue.ChildID{11, 12, 20, 21, 30} {
		child[id] = res.Children[b.Children[i].ID]
	}
	return child
}
