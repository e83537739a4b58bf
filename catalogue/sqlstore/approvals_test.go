package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
)

// TestApprovalWatch: the approvals watch (casework.WatchApprovals) over the stored homes, on
// both stores, by a clock the test sets: a connected person's temporary approval lapsing within
// the weeks asked (extended ones by their 24 weeks), one lapsed where a child lives (and not one
// lapsed where nobody does), a family home with no approval dates as stored before migration
// 00016; an officer sees only their council's children's kinship homes, an administrator every
// family home; a window outside 1 to 24 weeks is refused naming within_weeks.
func TestApprovalWatch(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		today := catalogue.Day(sqltest.Epoch).AddDate(0, 3, 0) // a clock of the test's, not the store's
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds}))
		ours := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.55))))
		theirs := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.48, -1.89))))
		kin := func(name string, child catalogue.ChildID, weeksAgo int, extended, living bool) catalogue.PlacementID {
			p := plainPlacement(prov.ID, leeds, at(53.81, -1.55))
			p.Kind, p.Name, p.URN, p.Registration, p.ConnectedTo = catalogue.Kinship, name, "", "", []catalogue.ChildID{child}
			p.Household.Carers, p.Approval.MaxChildren = []catalogue.Carer{{FirstName: "Rose"}}, 2
			p.TemporaryApproval = &catalogue.TemporaryApproval{From: today.AddDate(0, 0, -7*weeksAgo), Extended: extended}
			if living {
				p.Household.Members = []catalogue.Member{{Age: 9, Sex: catalogue.Female, Role: catalogue.MemberPlacedChild}}
			}
			return must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, p)).ID
		}
		soon := kin("Lapses in two weeks", ours.ID, 14, false, false)
		later := kin("Lapses in eight weeks", ours.ID, 8, false, false)
		lapsed := kin("Lapsed, a child lives here", ours.ID, 17, false, true)
		kin("Lapsed, nobody lives here", ours.ID, 20, false, false)
		extended := kin("Extended, lapses in two weeks", ours.ID, 22, true, false)
		elsewhere := kin("Another council's", theirs.ID, 15, false, false)
		foster := plainPlacement(prov.ID, leeds, at(53.82, -1.55))
		foster.Kind, foster.URN, foster.Registration = catalogue.CouncilFoster, "", ""
		foster.Household.Carers, foster.Approval.MaxChildren = []catalogue.Carer{{FirstName: "Sam"}}, 3
		foster.Approval.From, foster.Approval.Until = today.AddDate(0, -6, 0), today.AddDate(0, 6, 0)
		undated := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, foster)).ID
		// As stored before migration 00016: no approval dates.
		if err := sqlstore.ExecRaw(ctx, s, `UPDATE placements SET approval = ? WHERE id = ?`,
			`{"min_age":8,"max_age":17,"max_children":3,"purposes":["long_term"],"sibling_groups":false}`, int64(undated)); err != nil {
			t.Fatal(err)
		}

		engine, err := matcher.NewEngine(ctx, s, matcher.Options{Now: func() time.Time { return today }})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := casework.New(casework.Config{Store: s, Matcher: engine, Now: func() time.Time { return today }})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(hs []casework.WatchedHome) []catalogue.PlacementID {
			out := []catalogue.PlacementID{}
			for _, h := range hs {
				out = append(out, h.Placement.ID)
			}
			return out
		}
		cases := []struct {
			name                     string
			sc                       catalogue.Scope
			weeks                    int
			lapsing, lapsed, undated []catalogue.PlacementID
		}{
			{"Leeds officer, four weeks", officerLeeds, 4, []catalogue.PlacementID{soon, extended}, []catalogue.PlacementID{lapsed}, []catalogue.PlacementID{}},
			{"Leeds officer, ten weeks", officerLeeds, 10, []catalogue.PlacementID{soon, extended, later}, []catalogue.PlacementID{lapsed}, []catalogue.PlacementID{}},
			{"Birmingham officer, four weeks", officerBirmingham, 4, []catalogue.PlacementID{elsewhere}, []catalogue.PlacementID{}, []catalogue.PlacementID{}},
			{"administrator, four weeks", everything, 4, []catalogue.PlacementID{elsewhere, soon, extended}, []catalogue.PlacementID{lapsed}, []catalogue.PlacementID{undated}},
		}
		for _, tc := range cases {
			w, err := svc.WatchApprovals(ctx, tc.sc, "", tc.weeks)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			diff(t, tc.name+": lapsing", ids(w.Lapsing), tc.lapsing)
			diff(t, tc.name+": lapsed", ids(w.Lapsed), tc.lapsed)
			diff(t, tc.name+": undated", ids(w.Undated), tc.undated)
		}
		w := must[casework.ApprovalWatch](t)(svc.WatchApprovals(ctx, officerLeeds, "", 4))
		if h := w.Lapsing[0]; !h.Deadline.Equal(today.AddDate(0, 0, 14)) {
			t.Errorf("deadline %s, want two weeks from %s", h.Deadline, today)
		}
		if h := w.Lapsed[0]; h.Living != 1 {
			t.Errorf("children living in the lapsed home: %d, want 1", h.Living)
		}
		for _, weeks := range []int{0, 25, -1} {
			_, err := svc.WatchApprovals(ctx, officerLeeds, "", weeks)
			wantField(t, err, "within_weeks")
		}
	})
}
