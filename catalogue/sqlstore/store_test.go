package sqlstore_test

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 7, Role: catalogue.RoleAdmin, Request: "req-1"})

		t.Run("provider", func(t *testing.T) {
			in := catalogue.Provider{Name: "Birmingham Children's Trust", Kind: catalogue.ProviderCouncil, URN: "SC1", Council: birmingham}
			got := must[catalogue.Provider](t)(s.CreateProvider(ctx, in))
			if got.ID <= 0 || got.CreatedAt.IsZero() || !got.UpdatedAt.Equal(got.CreatedAt) {
				t.Fatalf("stored provider has ID %d, times %v %v", got.ID, got.CreatedAt, got.UpdatedAt)
			}
			in.ID, in.CreatedAt, in.UpdatedAt = got.ID, got.CreatedAt, got.UpdatedAt
			diff(t, "created", got, in)
			diff(t, "read", must[catalogue.Provider](t)(s.Provider(ctx, got.ID)), in)
		})

		group := must[catalogue.SiblingGroup](t)(s.CreateSiblingGroup(ctx, everything, catalogue.SiblingGroup{
			Council: birmingham, Plan: catalogue.PlanApart, Reason: "assessed as needing separate homes"}))
		var child catalogue.Child
		t.Run("child", func(t *testing.T) {
			in := fullChild(birmingham, "B-77", group.ID)
			// Dates are kept as calendar dates, whatever the time and zone given.
			in.DateOfBirth = time.Date(2013, time.March, 4, 23, 30, 0, 0, time.FixedZone("CET", 3600))
			child = must[catalogue.Child](t)(s.CreateChild(ctx, everything, in))
			want := in.Coarsened() // people's locations are stored coarse (coarsen_test.go)
			want.DateOfBirth = day(2013, time.March, 4)
			want.ID, want.Version, want.CreatedAt, want.UpdatedAt = child.ID, 1, child.CreatedAt, child.UpdatedAt
			diff(t, "created", child, want)
			diff(t, "read", must[catalogue.Child](t)(s.Child(ctx, everything, child.ID)), want)
			if child.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt is in %v, want UTC", child.CreatedAt.Location())
			}

			plain := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(leeds, at(53.8, -1.5))))
			diff(t, "plain child", must[catalogue.Child](t)(s.Child(ctx, everything, plain.ID)), plain)
			if plain.School != nil || plain.SiblingGroup != 0 {
				t.Errorf("plain child read back with school %v, group %d", plain.School, plain.SiblingGroup)
			}
		})

		t.Run("sibling group with members", func(t *testing.T) {
			second := must[catalogue.Child](t)(s.CreateChild(ctx, everything, fullChild(birmingham, "B-78", group.ID)))
			want := group
			want.Members = []catalogue.ChildID{child.ID, second.ID}
			diff(t, "read", must[catalogue.SiblingGroup](t)(s.SiblingGroup(ctx, everything, group.ID)), want)
			page := must[catalogue.Page[catalogue.SiblingGroup]](t)(s.ListSiblingGroups(ctx, everything, catalogue.GroupFilter{}))
			diff(t, "listed", page.Items, []catalogue.SiblingGroup{want})
		})

		t.Run("placement with vacancies", func(t *testing.T) {
			prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Kin Care")))
			in := fullPlacement(prov.ID, catalogue.Kinship, child.ID)
			pl := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, in))
			want := in
			want.ID, want.Version, want.CreatedAt, want.UpdatedAt = pl.ID, 1, pl.CreatedAt, pl.UpdatedAt
			want.ProfileReview.Author = 7 // the actor wrote the words; nobody has approved them
			diff(t, "created", pl, want)

			v1 := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
				Placement: pl.ID, AvailableFrom: day(2026, time.February, 1), Status: catalogue.VacancyAvailable}))
			v2 := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
				Placement: pl.ID, AvailableFrom: day(2026, time.March, 1), Status: catalogue.VacancyHeld, Child: child.ID}))
			diff(t, "vacancy", v2, catalogue.Vacancy{ID: v2.ID, Placement: pl.ID, AvailableFrom: day(2026, time.March, 1),
				Status: catalogue.VacancyHeld, Child: child.ID, Version: 1, CreatedAt: v2.CreatedAt, UpdatedAt: v2.UpdatedAt})
			diff(t, "read vacancy", must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, v1.ID)), v1)

			// Read with its placement, a place held for a child carries what matching must know
			// of them, and nothing more.
			held := v2
			held.Occupant = &catalogue.Occupant{DateOfBirth: child.DateOfBirth, Companions: child.Companions, Risks: child.RisksToOthers}
			if held.Occupant.Companions == "" || len(held.Occupant.Risks) == 0 {
				t.Fatalf("the full child should say whom they live with and their risks: %+v", child)
			}
			want.Vacancies = []catalogue.Vacancy{v1, held}
			diff(t, "read", must[catalogue.Placement](t)(s.Placement(ctx, everything, pl.ID)), want)
			page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, everything, catalogue.PlacementFilter{Provider: prov.ID}))
			diff(t, "listed", page.Items, []catalogue.Placement{want})
		})

		t.Run("token", func(t *testing.T) {
			secret, hash := catalogue.NewSecret("pm_")
			in := catalogue.Token{Label: "Birmingham placements team", Role: catalogue.RoleOfficer, Council: birmingham,
				Hash: hash, ExpiresAt: time.Date(2027, 1, 2, 3, 4, 5, 6000, time.UTC)}
			tok := must[catalogue.Token](t)(s.CreateToken(ctx, in))
			in.ID, in.CreatedAt = tok.ID, tok.CreatedAt
			diff(t, "created", tok, in)
			diff(t, "by hash", must[catalogue.Token](t)(s.TokenByHash(ctx, catalogue.HashSecret(secret))), in)
			regionSecret, regionHash := catalogue.NewSecret("pm_")
			regional := catalogue.Token{Label: "North West commissioning", Role: catalogue.RoleCommissioner, Region: "E12000002", Hash: regionHash}
			rt := must[catalogue.Token](t)(s.CreateToken(ctx, regional))
			regional.ID, regional.CreatedAt = rt.ID, rt.CreatedAt
			diff(t, "a region's commissioner, by hash", must[catalogue.Token](t)(s.TokenByHash(ctx, catalogue.HashSecret(regionSecret))), regional)
			if err := s.RevokeToken(ctx, rt.ID); err != nil {
				t.Fatal(err)
			}
			// Listed newest first, live or not, never with a hash.
			list := must[[]catalogue.Token](t)(s.ListTokens(ctx))
			if len(list) < 2 || list[0].ID != rt.ID || list[1].ID != tok.ID || list[0].RevokedAt.IsZero() || list[0].Region != "E12000002" {
				t.Fatalf("listed %+v, want the regional token (revoked) then the officer's", list)
			}
			for _, l := range list {
				if l.Hash != ([32]byte{}) {
					t.Errorf("token %d listed with its hash", l.ID)
				}
			}
			if err := s.RevokeToken(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.RevokeToken(ctx, tok.ID); err != nil {
				t.Fatalf("revoking twice: %v", err)
			}
			got := must[catalogue.Token](t)(s.TokenByHash(ctx, hash))
			if got.RevokedAt.IsZero() || got.Live(s.Now()) {
				t.Errorf("revoked token: RevokedAt %v, live %v", got.RevokedAt, got.Live(s.Now()))
			}
			_, err := s.TokenByHash(ctx, catalogue.HashSecret("pm_unknown"))
			wantErr(t, err, catalogue.ErrNotFound)
			wantErr(t, s.RevokeToken(ctx, 9999), catalogue.ErrNotFound)
		})

		t.Run("audit entry", func(t *testing.T) {
			in := catalogue.AuditEntry{At: time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC), Actor: 3,
				Role: catalogue.RoleOfficer, Action: "read", Subject: "child:42", Council: birmingham,
				Reason: "planning meeting", Request: "req-9"}
			if err := s.AppendAudit(ctx, in); err != nil {
				t.Fatal(err)
			}
			page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:42"}))
			if len(page.Items) != 1 {
				t.Fatalf("audit entries for child:42: %d, want 1", len(page.Items))
			}
			in.ID = page.Items[0].ID
			diff(t, "audit entry", page.Items[0], in)
			wantField(t, s.AppendAudit(ctx, catalogue.AuditEntry{Subject: "child:1"}), "action")
		})

		t.Run("changes are audited with the actor", func(t *testing.T) {
			c := must[catalogue.Child](t)(s.Child(ctx, everything, child.ID))
			c.Status = catalogue.ChildOffered
			must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c))
			page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:" + child.ID.String()}))
			var actions []string
			for _, e := range page.Items {
				actions = append(actions, e.Action)
				if e.Actor != 7 || e.Role != catalogue.RoleAdmin || e.Request != "req-1" || e.Council != birmingham {
					t.Errorf("audit entry %+v does not name the actor and council", e)
				}
			}
			diff(t, "audited actions", actions, []string{"create", "update"})
		})

		t.Run("counts", func(t *testing.T) {
			got := must[catalogue.Counts](t)(s.Counts(ctx))
			want := catalogue.Counts{Providers: 2, Placements: 1, Vacancies: 1, Children: 3, ChildrenWaiting: 2, SiblingGroups: 1}
			diff(t, "counts", got, want)
		})
	})
}

func TestScope(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		brumChild, leedsChild := w.children[1], w.children[2]
		providerScope := catalogue.Scope{Provider: w.agency.ID}
		vac := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: w.placements[0].ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		councilVac := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: w.placements[1].ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))

		t.Run("officer sees only their council's children", func(t *testing.T) {
			must[catalogue.Child](t)(s.Child(ctx, officerBirmingham, brumChild.ID))
			_, err := s.Child(ctx, officerLeeds, brumChild.ID)
			wantErr(t, err, catalogue.ErrNotFound)
			_, err = s.SiblingGroup(ctx, officerLeeds, w.group.ID)
			wantErr(t, err, catalogue.ErrNotFound)
			page := must[catalogue.Page[catalogue.Child]](t)(s.ListChildren(ctx, officerLeeds, catalogue.ChildFilter{}))
			diff(t, "Leeds children", ids(page.Items, childID), []int64{int64(leedsChild.ID)})
			// Asking for another council's children through the filter finds none.
			page = must[catalogue.Page[catalogue.Child]](t)(s.ListChildren(ctx, officerLeeds, catalogue.ChildFilter{Council: birmingham}))
			diff(t, "Birmingham children seen from Leeds", page.Items, []catalogue.Child(nil))
			groups := must[catalogue.Page[catalogue.SiblingGroup]](t)(s.ListSiblingGroups(ctx, officerLeeds, catalogue.GroupFilter{}))
			diff(t, "groups seen from Leeds", groups.Items, []catalogue.SiblingGroup(nil))
			c := brumChild
			c.FirstName = "Changed"
			_, err = s.UpdateChild(ctx, catalogue.Scope{Council: camden}, c)
			wantField(t, err, "council") // not their council to write
			c.Council = camden
			_, err = s.UpdateChild(ctx, catalogue.Scope{Council: camden}, c)
			wantErr(t, err, catalogue.ErrNotFound) // not their child to change
		})

		t.Run("officer sees every placement", func(t *testing.T) {
			page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, officerLeeds, catalogue.PlacementFilter{}))
			if len(page.Items) != len(w.placements) {
				t.Errorf("officer sees %d placements, want %d", len(page.Items), len(w.placements))
			}
			must[catalogue.Vacancy](t)(s.Vacancy(ctx, officerLeeds, councilVac.ID))
		})

		t.Run("provider sees its own placements and no children", func(t *testing.T) {
			_, err := s.Child(ctx, providerScope, brumChild.ID)
			wantErr(t, err, catalogue.ErrNotFound)
			children := must[catalogue.Page[catalogue.Child]](t)(s.ListChildren(ctx, providerScope, catalogue.ChildFilter{}))
			diff(t, "children seen by a provider", children.Items, []catalogue.Child(nil))
			page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, providerScope, catalogue.PlacementFilter{}))
			diff(t, "provider's placements", ids(page.Items, placementID), []int64{int64(w.placements[0].ID), int64(w.placements[2].ID)})
			_, err = s.Placement(ctx, providerScope, w.placements[1].ID)
			wantErr(t, err, catalogue.ErrNotFound)
			must[catalogue.Vacancy](t)(s.Vacancy(ctx, providerScope, vac.ID))
			_, err = s.Vacancy(ctx, providerScope, councilVac.ID)
			wantErr(t, err, catalogue.ErrNotFound)
			vs := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, providerScope, catalogue.VacancyFilter{}))
			diff(t, "provider's vacancies", ids(vs.Items, vacancyID), []int64{int64(vac.ID)})
			other := councilVac
			other.AvailableFrom = day(2026, 2, 2)
			_, err = s.UpdateVacancy(ctx, providerScope, other)
			wantErr(t, err, catalogue.ErrNotFound)
			p := w.placements[1]
			_, err = s.UpdatePlacement(ctx, providerScope, p)
			wantField(t, err, "provider")
			// A provider cannot hold a place for a child it cannot see.
			held := vac
			held.Status, held.Child = catalogue.VacancyHeld, brumChild.ID
			_, err = s.UpdateVacancy(ctx, providerScope, held)
			wantField(t, err, "child")
		})

		t.Run("commissioner sees no records", func(t *testing.T) {
			_, err := s.Child(ctx, commissioner, brumChild.ID)
			wantErr(t, err, catalogue.ErrNotFound)
			_, err = s.Placement(ctx, commissioner, w.placements[0].ID)
			wantErr(t, err, catalogue.ErrNotFound)
			_, err = s.Vacancy(ctx, commissioner, vac.ID)
			wantErr(t, err, catalogue.ErrNotFound)
			pls := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, commissioner, catalogue.PlacementFilter{}))
			kids := must[catalogue.Page[catalogue.Child]](t)(s.ListChildren(ctx, commissioner, catalogue.ChildFilter{}))
			vs := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, commissioner, catalogue.VacancyFilter{}))
			if len(pls.Items)+len(kids.Items)+len(vs.Items) != 0 {
				t.Errorf("commissioner sees %d placements, %d children, %d vacancies", len(pls.Items), len(kids.Items), len(vs.Items))
			}
		})

		t.Run("creating outside the scope is refused", func(t *testing.T) {
			_, err := s.CreateChild(ctx, officerLeeds, plainChild(birmingham, at(52.4, -1.9)))
			wantField(t, err, "council")
			_, err = s.CreateChild(ctx, providerScope, plainChild(birmingham, at(52.4, -1.9)))
			wantField(t, err, "council")
			_, err = s.CreateSiblingGroup(ctx, officerLeeds, catalogue.SiblingGroup{Council: birmingham, Plan: catalogue.PlanTogether})
			wantField(t, err, "council")
			_, err = s.CreatePlacement(ctx, providerScope, plainPlacement(w.council.ID, birmingham, at(52.4, -1.9)))
			wantField(t, err, "provider")
			_, err = s.CreateVacancy(ctx, providerScope, catalogue.Vacancy{Placement: w.placements[1].ID,
				AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable})
			wantErr(t, err, catalogue.ErrNotFound) // another provider's placement is not there for it
			_, err = s.CreateChild(ctx, commissioner, plainChild(birmingham, at(52.4, -1.9)))
			wantField(t, err, "council")
			// Inside the scope it works.
			must[catalogue.Child](t)(s.CreateChild(ctx, officerLeeds, plainChild(leeds, at(53.8, -1.5))))
			must[catalogue.Placement](t)(s.CreatePlacement(ctx, providerScope, plainPlacement(w.agency.ID, camden, at(51.55, -0.15))))
		})
	})
}

func TestVersions(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)

		c := w.children[0]
		c.FirstName = "Samuel"
		sqltest.Clock(t, s).Advance(time.Second)
		c2 := must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c))
		if c2.Version != 2 || c2.FirstName != "Samuel" || !c2.CreatedAt.Equal(c.CreatedAt) || !c2.UpdatedAt.After(c.CreatedAt) {
			t.Errorf("updated child: version %d, name %q, created %v, updated %v", c2.Version, c2.FirstName, c2.CreatedAt, c2.UpdatedAt)
		}
		diff(t, "read after update", must[catalogue.Child](t)(s.Child(ctx, everything, c.ID)), c2)
		_, err := s.UpdateChild(ctx, everything, c) // version 1 again
		wantErr(t, err, catalogue.ErrConflict)
		missing := c2
		missing.ID = 99999
		_, err = s.UpdateChild(ctx, everything, missing)
		wantErr(t, err, catalogue.ErrNotFound)

		g := w.group
		g.Plan = catalogue.PlanTogetherIfPossible
		g2 := must[catalogue.SiblingGroup](t)(s.UpdateSiblingGroup(ctx, everything, g))
		if g2.Version != 2 || len(g2.Members) != 1 {
			t.Errorf("updated group: version %d, members %v", g2.Version, g2.Members)
		}
		_, err = s.UpdateSiblingGroup(ctx, everything, g)
		wantErr(t, err, catalogue.ErrConflict)
		g2.Council = leeds // its member is a Birmingham child
		_, err = s.UpdateSiblingGroup(ctx, everything, g2)
		wantErr(t, err, catalogue.ErrConflict)

		p := w.placements[0]
		v := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		p.WeeklyCost = 800
		p2 := must[catalogue.Placement](t)(s.UpdatePlacement(ctx, everything, p))
		if p2.Version != 2 || p2.WeeklyCost != 800 || len(p2.Vacancies) != 1 {
			t.Errorf("updated placement: version %d, cost %d, %d places", p2.Version, p2.WeeklyCost, len(p2.Vacancies))
		}
		_, err = s.UpdatePlacement(ctx, everything, p)
		wantErr(t, err, catalogue.ErrConflict)

		v.AvailableFrom = day(2026, 3, 1)
		v2 := must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, v))
		if v2.Version != 2 || !v2.AvailableFrom.Equal(day(2026, 3, 1)) {
			t.Errorf("updated vacancy: version %d, from %v", v2.Version, v2.AvailableFrom)
		}
		_, err = s.UpdateVacancy(ctx, everything, v)
		wantErr(t, err, catalogue.ErrConflict)
		v2.Placement = w.placements[1].ID
		_, err = s.UpdateVacancy(ctx, everything, v2)
		wantField(t, err, "placement")
	})
}

func TestPagination(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		for i := range 20 {
			must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52+float64(i)/100, -1.9))))
			p := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(w.agency.ID, leeds, at(53.8, -1.5))))
			for range i % 3 {
				must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
					Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
			}
		}
		for _, limit := range []int{1, 4, 7, 23, 0} {
			children := collect(t, limit, func(after int64, limit int) ([]catalogue.Child, int64, error) {
				p, err := s.ListChildren(ctx, everything, catalogue.ChildFilter{After: catalogue.ChildID(after), Limit: limit})
				return p.Items, p.Next, err
			}, childID)
			checkCovers(t, "children", children, 23)

			var places int
			placements := collect(t, limit, func(after int64, limit int) ([]catalogue.Placement, int64, error) {
				p, err := s.ListPlacements(ctx, everything, catalogue.PlacementFilter{After: catalogue.PlacementID(after), Limit: limit})
				for _, pl := range p.Items {
					for _, v := range pl.Vacancies {
						if v.Placement != pl.ID {
							t.Errorf("placement %d carries vacancy %d of placement %d", pl.ID, v.ID, v.Placement)
						}
					}
					places += len(pl.Vacancies)
				}
				return p.Items, p.Next, err
			}, placementID)
			checkCovers(t, "placements", placements, 23)
			if places != 19 {
				t.Errorf("placements carry %d vacancies, want 19", places)
			}
			vacancies := collect(t, limit, func(after int64, limit int) ([]catalogue.Vacancy, int64, error) {
				p, err := s.ListVacancies(ctx, everything, catalogue.VacancyFilter{After: catalogue.VacancyID(after), Limit: limit})
				return p.Items, p.Next, err
			}, vacancyID)
			checkCovers(t, "vacancies", vacancies, 19)
			providers := collect(t, limit, func(after int64, limit int) ([]catalogue.Provider, int64, error) {
				p, err := s.ListProviders(ctx, catalogue.ProviderFilter{After: catalogue.ProviderID(after), Limit: limit})
				return p.Items, p.Next, err
			}, func(p catalogue.Provider) int64 { return int64(p.ID) })
			checkCovers(t, "providers", providers, 2)
			audit := collect(t, limit, func(after int64, limit int) ([]catalogue.AuditEntry, int64, error) {
				p, err := s.ListAudit(ctx, catalogue.AuditFilter{After: after, Limit: limit})
				return p.Items, p.Next, err
			}, func(e catalogue.AuditEntry) int64 { return e.ID })
			checkCovers(t, "audit entries", audit, 2+1+3+3+20+20+19)
		}
	})
}

// collect reads every page and checks each is full but the last.
func collect[T any](t *testing.T, limit int, list func(after int64, limit int) ([]T, int64, error), id func(T) int64) []int64 {
	t.Helper()
	var all []int64
	after := int64(0)
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
		items, next, err := list(after, limit)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			all = append(all, id(it))
		}
		if next == 0 {
			return all
		}
		if len(items) != catalogue.ClampLimit(limit) {
			t.Fatalf("limit %d: a page that is not the last has %d items", limit, len(items))
		}
		if next != id(items[len(items)-1]) {
			t.Fatalf("next %d is not the last ID of the page", next)
		}
		after = next
	}
}

func checkCovers(t *testing.T, what string, got []int64, n int) {
	t.Helper()
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("%s: IDs not strictly ascending: %v", what, got)
	}
	if len(got) != n {
		t.Errorf("%s: %d listed, want %d", what, len(got), n)
	}
}

func childID(c catalogue.Child) int64         { return int64(c.ID) }
func placementID(p catalogue.Placement) int64 { return int64(p.ID) }
func vacancyID(v catalogue.Vacancy) int64     { return int64(v.ID) }

func ids[T any](items []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func TestFilters(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		c0, c1, c2 := w.children[0], w.children[1], w.children[2]
		c2.Status = catalogue.ChildPlaced
		c2 = must[catalogue.Child](t)(s.UpdateChild(ctx, everything, c2))
		p0, p1, p2 := w.placements[0], w.placements[1], w.placements[2]
		p2.Active = false
		p2 = must[catalogue.Placement](t)(s.UpdatePlacement(ctx, everything, p2))
		v0 := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: p0.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		v1 := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: p1.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyHeld, Child: c0.ID}))
		v2 := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
			Placement: p1.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyWithdrawn}))
		yes, no := true, false

		childCases := []struct {
			name string
			f    catalogue.ChildFilter
			want []catalogue.Child
		}{
			{"all", catalogue.ChildFilter{}, []catalogue.Child{c0, c1, c2}},
			{"council", catalogue.ChildFilter{Council: birmingham}, []catalogue.Child{c0, c1}},
			{"status", catalogue.ChildFilter{Status: catalogue.ChildPlaced}, []catalogue.Child{c2}},
			{"council and status", catalogue.ChildFilter{Council: leeds, Status: catalogue.ChildWaiting}, nil},
			{"sibling group", catalogue.ChildFilter{SiblingGroup: w.group.ID}, []catalogue.Child{c1}},
		}
		for _, tc := range childCases {
			t.Run("children by "+tc.name, func(t *testing.T) {
				page := must[catalogue.Page[catalogue.Child]](t)(s.ListChildren(ctx, everything, tc.f))
				diff(t, "children", ids(page.Items, childID), ids(tc.want, childID))
			})
		}
		_, err := s.ListChildren(ctx, everything, catalogue.ChildFilter{Status: "lost"})
		wantField(t, err, "status")

		placementCases := []struct {
			name string
			f    catalogue.PlacementFilter
			want []catalogue.Placement
		}{
			{"all", catalogue.PlacementFilter{}, []catalogue.Placement{p0, p1, p2}},
			{"council", catalogue.PlacementFilter{Council: leeds}, []catalogue.Placement{p2}},
			{"kind", catalogue.PlacementFilter{Kind: catalogue.ChildrensHome}, []catalogue.Placement{p1, p2}},
			{"provider", catalogue.PlacementFilter{Provider: w.agency.ID}, []catalogue.Placement{p0, p2}},
			{"active", catalogue.PlacementFilter{Active: &yes}, []catalogue.Placement{p0, p1}},
			{"inactive", catalogue.PlacementFilter{Active: &no}, []catalogue.Placement{p2}},
			{"has vacancy", catalogue.PlacementFilter{HasVacancy: true}, []catalogue.Placement{p0}},
			{"kind and active", catalogue.PlacementFilter{Kind: catalogue.ChildrensHome, Active: &yes}, []catalogue.Placement{p1}},
		}
		for _, tc := range placementCases {
			t.Run("placements by "+tc.name, func(t *testing.T) {
				page := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, everything, tc.f))
				diff(t, "placements", ids(page.Items, placementID), ids(tc.want, placementID))
			})
		}

		vacancyCases := []struct {
			name string
			f    catalogue.VacancyFilter
			want []catalogue.Vacancy
		}{
			{"placement", catalogue.VacancyFilter{Placement: p1.ID}, []catalogue.Vacancy{v1, v2}},
			{"status", catalogue.VacancyFilter{Status: catalogue.VacancyAvailable}, []catalogue.Vacancy{v0}},
			{"placement and status", catalogue.VacancyFilter{Placement: p1.ID, Status: catalogue.VacancyHeld}, []catalogue.Vacancy{v1}},
		}
		for _, tc := range vacancyCases {
			t.Run("vacancies by "+tc.name, func(t *testing.T) {
				page := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, everything, tc.f))
				diff(t, "vacancies", page.Items, tc.want)
			})
		}

		t.Run("providers by kind", func(t *testing.T) {
			page := must[catalogue.Page[catalogue.Provider]](t)(s.ListProviders(ctx, catalogue.ProviderFilter{Kind: catalogue.ProviderCouncil}))
			diff(t, "providers", page.Items, []catalogue.Provider{w.council})
		})
		t.Run("groups by council", func(t *testing.T) {
			page := must[catalogue.Page[catalogue.SiblingGroup]](t)(s.ListSiblingGroups(ctx, everything, catalogue.GroupFilter{Council: leeds}))
			diff(t, "groups", page.Items, []catalogue.SiblingGroup(nil))
			page = must[catalogue.Page[catalogue.SiblingGroup]](t)(s.ListSiblingGroups(ctx, everything, catalogue.GroupFilter{Council: birmingham}))
			diff(t, "groups", ids(page.Items, func(g catalogue.SiblingGroup) int64 { return int64(g.ID) }), []int64{int64(w.group.ID)})
		})
		t.Run("audit by council and subject", func(t *testing.T) {
			page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Council: leeds}))
			var subjects []string
			for _, e := range page.Items {
				subjects = append(subjects, e.Action+" "+e.Subject)
			}
			diff(t, "Leeds audit", subjects, []string{
				"create child:" + c2.ID.String(), "create placement:" + p2.ID.String(),
				"update child:" + c2.ID.String(), "update placement:" + p2.ID.String(),
			})
		})
	})
}

func TestNear(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Spread")))
		rng := rand.New(rand.NewPCG(1, 2))
		centre := at(52.48, -1.89)
		var children []catalogue.Child
		var placements []catalogue.Placement
		for i := range 150 {
			spread := 1.0
			if i%30 == 0 {
				spread = 0.05 // a few close to the centre
			}
			loc := at(centre.Lat+spread*(rng.Float64()-0.5), centre.Lng+spread*1.6*(rng.Float64()-0.5))
			children = append(children, must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, loc))))
			placements = append(placements, must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(prov.ID, birmingham, loc))))
		}
		for _, radius := range []float64{3, 10, 25, 40} {
			near := &catalogue.Near{Centre: centre, RadiusKm: radius}
			var want []int64
			for i, c := range children {
				d := cosineKm(centre, c.Home)
				if math.Abs(d-radius) < 1e-6 {
					t.Fatalf("point %d is on the edge: the test would be fragile", i)
				}
				if d <= radius {
					want = append(want, int64(c.ID))
				}
			}
			// Small pages make the store read past points the exact test drops.
			for _, limit := range []int{3, 50} {
				got := collect(t, limit, func(after int64, limit int) ([]catalogue.Child, int64, error) {
					p, err := s.ListChildren(ctx, everything, catalogue.ChildFilter{Near: near, After: catalogue.ChildID(after), Limit: limit})
					return p.Items, p.Next, err
				}, childID)
				diff(t, "children near", got, want)
			}
			var wantPl []int64
			for _, p := range placements {
				if cosineKm(centre, p.Location) <= radius {
					wantPl = append(wantPl, int64(p.ID))
				}
			}
			got := collect(t, 4, func(after int64, limit int) ([]catalogue.Placement, int64, error) {
				p, err := s.ListPlacements(ctx, everything, catalogue.PlacementFilter{Near: near, After: catalogue.PlacementID(after), Limit: limit})
				return p.Items, p.Next, err
			}, placementID)
			diff(t, "placements near", got, wantPl)
			if radius == 3 && len(want) == 0 || radius == 40 && len(want) == len(children) {
				t.Errorf("radius %g km selects %d of %d: the test checks too little", radius, len(want), len(children))
			}
		}
		_, err := s.ListPlacements(ctx, everything, catalogue.PlacementFilter{Near: &catalogue.Near{Centre: centre}})
		wantField(t, err, "near.radius_km")
	})
}

// cosineKm is the great-circle distance by the spherical law of cosines, independent of the
// store's haversine.
func cosineKm(a, b catalogue.Location) float64 {
	const rad = math.Pi / 180
	c := math.Sin(a.Lat*rad)*math.Sin(b.Lat*rad) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Cos((b.Lng-a.Lng)*rad)
	return 6371.0088 * math.Acos(math.Min(1, c))
}

func TestErrors(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)

		t.Run("duplicate case reference conflicts", func(t *testing.T) {
			_, err := s.CreateChild(ctx, everything, fullChild(birmingham, "B-1", 0))
			wantErr(t, err, catalogue.ErrConflict)
			if strings.Contains(err.Error(), "B-1") {
				t.Errorf("error %q repeats the child's case reference", err)
			}
			// The same reference in another council, and children without one, are fine.
			must[catalogue.Child](t)(s.CreateChild(ctx, everything, fullChild(leeds, "B-1", 0)))
			must[catalogue.Child](t)(s.CreateChild(ctx, everything, fullChild(leeds, "", 0)))
			must[catalogue.Child](t)(s.CreateChild(ctx, everything, fullChild(leeds, "", 0)))
			c := w.children[0]
			c.CaseRef = "B-1"
			_, err = s.UpdateChild(ctx, everything, c)
			wantErr(t, err, catalogue.ErrConflict)
		})
		t.Run("invalid records name their fields", func(t *testing.T) {
			c := fullChild(birmingham, "", 0)
			c.Needs[0].Level = 9
			_, err := s.CreateChild(ctx, everything, c)
			wantField(t, err, "needs[0].level")
		})
		t.Run("sibling group must exist and be of the child's council", func(t *testing.T) {
			_, err := s.CreateChild(ctx, everything, fullChild(leeds, "", w.group.ID))
			wantField(t, err, "sibling_group")
			_, err = s.CreateChild(ctx, everything, fullChild(birmingham, "", 4242))
			wantField(t, err, "sibling_group")
		})
		t.Run("placement provider must exist", func(t *testing.T) {
			_, err := s.CreatePlacement(ctx, everything, plainPlacement(4242, leeds, at(53.8, -1.5)))
			wantField(t, err, "provider")
		})
		t.Run("kinship children must exist", func(t *testing.T) {
			_, err := s.CreatePlacement(ctx, everything, fullPlacement(w.agency.ID, catalogue.Kinship, w.children[0].ID, 4242))
			wantField(t, err, "connected_to[1]")
		})
		t.Run("vacancy must name a placement and a real child", func(t *testing.T) {
			// The placement is the place's parent (the path of the API's route): not found.
			_, err := s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: 4242, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable})
			wantErr(t, err, catalogue.ErrNotFound)
			_, err = s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: w.placements[1].ID, AvailableFrom: day(2026, 1, 1),
				Status: catalogue.VacancyHeld, Child: 4242})
			wantField(t, err, "child")
			_, err = s.Vacancy(ctx, everything, 4242)
			wantErr(t, err, catalogue.ErrNotFound)
		})
		t.Run("places fit the approval", func(t *testing.T) {
			// fullPlacement is approved for 3 and has one placed child: two places fit.
			p := w.placements[0]
			add := func(status catalogue.VacancyStatus) error {
				_, err := s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: status})
				return err
			}
			if err := add(catalogue.VacancyAvailable); err != nil {
				t.Fatal(err)
			}
			if err := add(catalogue.VacancyAvailable); err != nil {
				t.Fatal(err)
			}
			wantErr(t, add(catalogue.VacancyAvailable), catalogue.ErrConflict)
			if err := add(catalogue.VacancyWithdrawn); err != nil {
				t.Fatalf("a withdrawn place takes no room: %v", err)
			}
			// Re-opening the withdrawn place would exceed the approval.
			vs := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(ctx, everything, catalogue.VacancyFilter{
				Placement: p.ID, Status: catalogue.VacancyWithdrawn}))
			v := vs.Items[0]
			v.Status = catalogue.VacancyAvailable
			_, err := s.UpdateVacancy(ctx, everything, v)
			wantErr(t, err, catalogue.ErrConflict)
		})
		t.Run("a child fills one place", func(t *testing.T) {
			p := w.placements[1]
			child := w.children[0].ID
			var vs []catalogue.Vacancy
			for range 2 {
				vs = append(vs, must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
					Placement: p.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable})))
			}
			fill := func(v catalogue.Vacancy) (catalogue.Vacancy, error) {
				v.Status, v.Child = catalogue.VacancyFilled, child
				return s.UpdateVacancy(ctx, everything, v)
			}
			filled := must[catalogue.Vacancy](t)(fill(vs[0]))
			_, err := fill(vs[1])
			wantErr(t, err, catalogue.ErrConflict)
			// Filled again for the same child (a new date) is allowed; for another child it is not.
			filled.AvailableFrom = day(2026, 2, 1)
			filled = must[catalogue.Vacancy](t)(s.UpdateVacancy(ctx, everything, filled))
			filled.Child = w.children[1].ID
			_, err = s.UpdateVacancy(ctx, everything, filled)
			wantErr(t, err, catalogue.ErrConflict)
		})
		t.Run("duplicate token conflicts", func(t *testing.T) {
			_, hash := catalogue.NewSecret("pm_")
			tok := catalogue.Token{Role: catalogue.RoleProvider, Provider: w.agency.ID, Hash: hash}
			must[catalogue.Token](t)(s.CreateToken(ctx, tok))
			_, err := s.CreateToken(ctx, tok)
			wantErr(t, err, catalogue.ErrConflict)
			tok.Provider = 4242
			_, hash = catalogue.NewSecret("pm_")
			tok.Hash = hash
			_, err = s.CreateToken(ctx, tok)
			wantField(t, err, "provider")
		})
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "twice.db")
	ctx := context.Background()
	for range 2 {
		s, err := sqlstore.Open(ctx, path, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if s.Backend() != sqlstore.BackendSQLite {
			t.Errorf("backend %q", s.Backend())
		}
		s.Close()
	}
	url := sqltest.PostgresURL(t)
	s, err := sqlstore.Open(ctx, url, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Backend() != sqlstore.BackendPostgres {
		t.Errorf("backend %q", s.Backend())
	}
}

func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := sqlstore.Open(context.Background(), "", sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, sqlstore.DefaultSQLitePath)); err != nil {
		t.Errorf("no database file at the default path: %v", err)
	}
}

// TestLogsNoValues checks the SQL log carries statement templates and never a child's data.
func TestLogsNoValues(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	s, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "log.db"), sqlstore.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sqlstore.SetSlowQuery(s, 0) // every statement is "slow"
	c := plainChild(birmingham, at(52.4, -1.9))
	c.FirstName, c.CaseRef = "Zebedee", "SECRET-REF-1"
	c = must[catalogue.Child](t)(s.CreateChild(context.Background(), everything, c))
	must[catalogue.Child](t)(s.Child(context.Background(), everything, c.ID))
	out := buf.String()
	if !strings.Contains(out, "INSERT INTO") {
		t.Fatalf("the log has no statement templates:\n%s", out)
	}
	for _, secret := range []string{"Zebedee", "SECRET-REF-1"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains %q:\n%s", secret, out)
		}
	}
}
