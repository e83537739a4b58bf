package sqlstore_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

var nationalFlag = flag.Bool("national", false, "import a national-scale catalogue into each backend and time it (slow)")

var small = sizes{providers: 40, groups: 30, children: 700, placements: 200, vacancies: 60}

func TestImport(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Role: catalogue.RoleAdmin, Request: "import-1"})
		b := genBatch(1, small)
		var calls [][2]int
		b.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }

		res, err := s.Import(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		places, available := 0, 0
		for _, p := range b.Placements {
			for _, v := range p.Vacancies {
				places++
				if v.Status == catalogue.VacancyAvailable {
					available++
				}
			}
		}
		if len(res.Providers) != small.providers || len(res.SiblingGroups) != small.groups ||
			len(res.Children) != small.children || len(res.Placements) != small.placements || res.Vacancies != places {
			t.Fatalf("result maps %d providers, %d groups, %d children, %d placements, %d places",
				len(res.Providers), len(res.SiblingGroups), len(res.Children), len(res.Placements), res.Vacancies)
		}
		if places < small.vacancies*9/10 {
			t.Errorf("the generator made %d places, want about %d", places, small.vacancies)
		}
		counts := must[catalogue.Counts](t)(s.Counts(ctx))
		diff(t, "counts", counts, catalogue.Counts{Providers: small.providers, Placements: small.placements, Vacancies: available,
			Children: small.children, ChildrenWaiting: small.children, SiblingGroups: small.groups})

		if len(calls) < 5 || calls[len(calls)-1] != [2]int{b.Len(), b.Len()} ||
			!slices.IsSortedFunc(calls, func(a, b [2]int) int { return a[0] - b[0] }) {
			t.Errorf("progress calls %v: want rising counts ending at %d of %d", calls, b.Len(), b.Len())
		}

		// Records read back as written, with keys replaced by stored IDs.
		for i, in := range b.Children[:40] {
			got := must[catalogue.Child](t)(s.Child(ctx, everything, res.Children[in.ID]))
			want := in.Coarsened() // people's locations are stored coarse (coarsen_test.go)
			want.ID, want.Version, want.CreatedAt, want.UpdatedAt = got.ID, 1, got.CreatedAt, got.UpdatedAt
			if in.SiblingGroup != 0 {
				want.SiblingGroup = res.SiblingGroups[in.SiblingGroup]
			}
			diff(t, fmt.Sprintf("children[%d]", i), got, want)
		}
		for i, in := range b.Placements[:40] {
			got := must[catalogue.Placement](t)(s.Placement(ctx, everything, res.Placements[in.ID]))
			want := in
			want.ID, want.Version, want.CreatedAt, want.UpdatedAt = got.ID, 1, got.CreatedAt, got.UpdatedAt
			want.Provider = res.Providers[in.Provider]
			if in.Kind == catalogue.CouncilFoster { // the store reads who owns the carers: the provider's council
				for _, pr := range b.Providers {
					if pr.ID == in.Provider {
						want.Owner = pr.Council
					}
				}
			}
			want.ConnectedTo = nil
			for _, c := range in.ConnectedTo {
				want.ConnectedTo = append(want.ConnectedTo, res.Children[c])
			}
			want.Vacancies = nil
			for j, v := range in.Vacancies {
				if j < len(got.Vacancies) {
					v.ID, v.CreatedAt, v.UpdatedAt = got.Vacancies[j].ID, got.CreatedAt, got.CreatedAt
				}
				v.Placement, v.Version = got.ID, 1
				want.Vacancies = append(want.Vacancies, v)
			}
			diff(t, fmt.Sprintf("placements[%d]", i), got, want)
		}
		// A large page is decoded by several goroutines: it must still be in order and complete.
		all := must[catalogue.Page[catalogue.Child]](t)(s.ListChildren(ctx, everything, catalogue.ChildFilter{Limit: catalogue.MaxLimit}))
		if len(all.Items) != small.children || all.Next != 0 {
			t.Fatalf("one page of every child has %d, next %d", len(all.Items), all.Next)
		}
		for _, i := range []int{0, 499, 500, small.children - 1} {
			diff(t, fmt.Sprintf("listed child %d", i), all.Items[i], must[catalogue.Child](t)(s.Child(ctx, everything, res.Children[catalogue.ChildID(-1-i)])))
		}
		g := must[catalogue.SiblingGroup](t)(s.SiblingGroup(ctx, everything, res.SiblingGroups[-1]))
		diff(t, "members of the first group", g.Members, []catalogue.ChildID{res.Children[-1], res.Children[-2]})

		// The batch and each child are in the audit log.
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Limit: 2}))
		if len(audit.Items) != 2 || audit.Items[0].Action != "import" || audit.Items[0].Request != "import-1" ||
			audit.Items[1].Subject != "child:"+res.Children[-1].String() {
			t.Errorf("audit log starts %+v", audit.Items)
		}
	})
}

func TestImportReportsEveryBadRow(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		b := genBatch(2, small)
		b.Providers[2].Name = ""
		b.Children[3].FirstName = ""
		b.Children[5].ID = 17
		for i, p := range b.Placements { // keep kinship placements off the broken key
			if slices.Contains(p.ConnectedTo, -6) {
				b.Placements[i].ConnectedTo = []catalogue.ChildID{-7}
			}
		}
		b.Children[12].SiblingGroup = -99999
		b.Children[201].Council = b.Children[200].Council
		b.Children[201].CaseRef = b.Children[200].CaseRef
		b.Children[210].SiblingGroup = 4242 // not stored
		b.Placements[5].Provider = -77777
		b.Placements[7].Vacancies = []catalogue.Vacancy{{AvailableFrom: day(2026, 1, 1), Status: "bogus"}}
		b.Placements[9].Household.Members = nil
		b.Placements[9].Approval.MaxChildren = 1
		b.Placements[9].Vacancies = []catalogue.Vacancy{
			{AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable},
			{AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable},
		}

		_, err := s.Import(ctx, b)
		wantErr(t, err, catalogue.ErrInvalid)
		got := map[string]int{}
		for _, f := range catalogue.FieldErrors(err) {
			got[f.Field] = f.Row
		}
		for field, row := range map[string]int{
			"providers[2].name":                 3,
			"children[3].first_name":            4,
			"children[5].id":                    6,
			"children[12].sibling_group":        13,
			"children[201].case_ref":            202,
			"children[210].sibling_group":       211,
			"placements[5].provider":            6,
			"placements[7].vacancies[0].status": 8,
			"placements[9].vacancies":           10,
		} {
			if r, ok := got[field]; !ok || r != row {
				t.Errorf("no error for %s on row %d in %v", field, row, err)
			}
		}
		if len(got) != 9 {
			t.Errorf("%d fields reported, want 9: %v", len(got), err)
		}
		counts := must[catalogue.Counts](t)(s.Counts(ctx))
		diff(t, "counts after a failed import", counts, catalogue.Counts{})
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{}))
		diff(t, "audit after a failed import", audit.Items, []catalogue.AuditEntry(nil))
	})
}

func TestImportRefersToStoredRecords(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		child := plainChild(birmingham, at(52.4, -1.9))
		odd := fullChild(birmingham, `odd"case\ref,{1}`, 0)
		must[catalogue.Child](t)(s.CreateChild(ctx, everything, odd))
		oddAgain := plainChild(birmingham, at(52.4, -1.9))
		oddAgain.CaseRef = odd.CaseRef
		_, err := s.Import(ctx, catalogue.Batch{Children: []catalogue.Child{oddAgain}})
		wantField(t, err, "children[0].case_ref")

		child.ID, child.SiblingGroup, child.CaseRef = -1, w.group.ID, "B-1" // B-1 is taken
		kin := fullPlacement(w.agency.ID, catalogue.Kinship, w.children[0].ID, -1)
		kin.Vacancies = []catalogue.Vacancy{{AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyFilled, Child: -1}}
		b := catalogue.Batch{Children: []catalogue.Child{child}, Placements: []catalogue.Placement{kin}}

		_, err = s.Import(ctx, b)
		wantField(t, err, "children[0].case_ref")

		b.Children[0].CaseRef = "B-2"
		res := must[catalogue.BatchResult](t)(s.Import(ctx, b))
		c := must[catalogue.Child](t)(s.Child(ctx, everything, res.Children[-1]))
		pages := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, everything, catalogue.PlacementFilter{Kind: catalogue.Kinship}))
		if c.SiblingGroup != w.group.ID || len(pages.Items) != 1 {
			t.Fatalf("imported child in group %d, %d kinship placements", c.SiblingGroup, len(pages.Items))
		}
		pl := pages.Items[0]
		diff(t, "connected to", pl.ConnectedTo, []catalogue.ChildID{w.children[0].ID, c.ID})
		if len(pl.Vacancies) != 1 || pl.Vacancies[0].Child != c.ID || pl.Vacancies[0].Status != catalogue.VacancyFilled {
			t.Errorf("imported places %+v", pl.Vacancies)
		}

		// The child now fills a place: a second import cannot fill another for it.
		again := fullPlacement(w.agency.ID, catalogue.AgencyFoster)
		again.Vacancies = []catalogue.Vacancy{{AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyFilled, Child: c.ID}}
		_, err = s.Import(ctx, catalogue.Batch{Placements: []catalogue.Placement{again}})
		wantField(t, err, "placements[0].vacancies[0].child")
	})
}

// TestImportNational imports a catalogue of England's size into each backend and times it, then
// tops the placements up to 100,000 and times reading them all as the matcher does at start.
// Run it with: go test ./catalogue/sqlstore -run National -national -v
func TestImportNational(t *testing.T) {
	t.Parallel()
	if !*nationalFlag {
		t.Skip("slow: run with -national")
	}
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		b := genBatch(3, national)
		start := s.Now() // measures a duration
		res, err := s.Import(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: imported %d records (%d providers, %d sibling groups, %d children, %d placements, %d places) in %v",
			s.Backend(), b.Len(), len(b.Providers), len(b.SiblingGroups), len(b.Children), len(b.Placements), res.Vacancies,
			time.Since(start).Round(time.Millisecond)) // measures a duration

		// Top up to 100,000 placements, run by the providers just stored.
		more := genBatch(4, sizes{placements: 100000 - national.placements, vacancies: 10000})
		for i := range more.Placements {
			more.Placements[i].Provider = res.Providers[catalogue.ProviderID(-1-i%national.providers)]
		}
		start = s.Now() // measures a duration
		if _, err := s.Import(ctx, more); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: imported %d more placements in %v", s.Backend(), len(more.Placements), time.Since(start).Round(time.Millisecond)) // measures a duration

		start = s.Now() // measures a duration
		var n, places int
		for after := catalogue.PlacementID(0); ; {
			page, err := s.ListPlacements(ctx, everything, catalogue.PlacementFilter{After: after, Limit: catalogue.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.Items)
			for _, p := range page.Items {
				places += len(p.Vacancies)
			}
			if page.Next == 0 {
				break
			}
			after = catalogue.PlacementID(page.Next)
		}
		t.Logf("%s: read %d placements with %d places in pages of %d in %v", s.Backend(), n, places, catalogue.MaxLimit,
			time.Since(start).Round(time.Millisecond)) // measures a duration
		if n != 100000 {
			t.Errorf("read %d placements, want 100000", n)
		}
	})
}

// TestImportReportsTheFirstProblemsAndCounts: a batch of many bad records is reported by its
// first catalogue.MaxIssues problems, in order, and their count, so that the report of a
// hostile batch is as small as that of a careless one (issue 14, item 8). Nothing is written.
func TestImportReportsTheFirstProblemsAndCounts(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		b := genBatch(3, small)
		// Every child's case reference is also another's: one problem a child but the first.
		for i := range b.Children {
			b.Children[i].Council, b.Children[i].CaseRef, b.Children[i].SiblingGroup = b.Children[0].Council, "SAME-REF", 0
		}
		_, err := s.Import(ctx, b)
		wantErr(t, err, catalogue.ErrInvalid)
		var ve *catalogue.Error
		if !errors.As(err, &ve) {
			t.Fatalf("%v is not a *catalogue.Error", err)
		}
		if want := len(b.Children) - 1; len(ve.Fields) != catalogue.MaxIssues || ve.Count() != want {
			t.Fatalf("%d problems listed of %d, want %d of %d", len(ve.Fields), ve.Count(), catalogue.MaxIssues, want)
		}
		for i, f := range ve.Fields {
			if want := fmt.Sprintf("children[%d].case_ref", i+1); f.Field != want || f.Row != i+2 {
				t.Fatalf("problem %d is %+v, want %s on row %d", i, f, want, i+2)
			}
		}
		diff(t, "counts after a failed import", must[catalogue.Counts](t)(s.Counts(ctx)), catalogue.Counts{})
	})
}
