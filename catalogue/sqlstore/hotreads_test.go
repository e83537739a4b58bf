package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestHotReadsKeepTheScope: the reads on the options path (hotreads.go: a child, a sibling group
// with its members, a child's inadequate-rating overrides) find a record in scope and nothing
// outside it, as the GORM reads they replaced did: a council officer their own council's, a
// provider no child at all; a group without members is found with none, a child without
// overrides has none.
func TestHotReadsKeepTheScope(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		child := w.children[1] // Birmingham's, in w.group
		empty := must[catalogue.SiblingGroup](t)(s.CreateSiblingGroup(ctx, everything, catalogue.SiblingGroup{
			Council: birmingham, Plan: catalogue.PlanTogether}))
		provider := catalogue.Scope{Provider: w.agency.ID}
		for _, tc := range []struct {
			name  string
			scope catalogue.Scope
			child catalogue.ChildID
			group catalogue.SiblingGroupID
			found bool
		}{
			{"everything", everything, child.ID, w.group.ID, true},
			{"own council", officerBirmingham, child.ID, w.group.ID, true},
			{"another council", officerLeeds, child.ID, w.group.ID, false},
			{"a provider", provider, child.ID, w.group.ID, false},
			{"no such record", everything, child.ID + 1000, w.group.ID + 1000, false},
			{"a group without members", officerBirmingham, w.children[0].ID, empty.ID, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := s.Child(ctx, tc.scope, tc.child)
				g, gerr := s.SiblingGroup(ctx, tc.scope, tc.group)
				ov, oerr := s.InadequateOverrides(ctx, tc.scope, tc.child)
				if !tc.found {
					wantErr(t, err, catalogue.ErrNotFound)
					wantErr(t, gerr, catalogue.ErrNotFound)
					wantErr(t, oerr, catalogue.ErrNotFound)
					return
				}
				for _, err := range []error{err, gerr, oerr} {
					if err != nil {
						t.Fatal(err)
					}
				}
				if c.ID != tc.child {
					t.Errorf("child %d read as %d", tc.child, c.ID)
				}
				var members []catalogue.ChildID
				if tc.group == w.group.ID {
					members = []catalogue.ChildID{child.ID}
				}
				diff(t, "members", g.Members, members)
				if g.ID != tc.group || g.Council != birmingham || g.Version != 1 {
					t.Errorf("group read as %+v", g)
				}
				if ov == nil || len(ov) != 0 {
					t.Errorf("overrides of a child without any: %#v, want an empty list", ov)
				}
			})
		}
	})
}
