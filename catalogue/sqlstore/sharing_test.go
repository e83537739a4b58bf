package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestSharingAgreements(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		pool := catalogue.SharingAgreement{
			Name: "West Midlands and Yorkshire pool", Kind: catalogue.SharingRegionalPool,
			Members: []catalogue.CouncilCode{birmingham, leeds}, Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster},
			From: day(2024, 4, 1), Note: "an assumption for the tests",
		}
		one := catalogue.SharingAgreement{
			Name: "Camden to Leeds", Kind: catalogue.SharingCouncilToCouncil, OneWay: true,
			Members: []catalogue.CouncilCode{camden, leeds}, Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster},
			From: day(2024, 1, 1), To: day(2024, 12, 31),
		}
		a := must[catalogue.SharingAgreement](t)(s.CreateSharingAgreement(ctx, pool))
		b := must[catalogue.SharingAgreement](t)(s.CreateSharingAgreement(ctx, one))
		if a.ID <= 0 || a.Version != 1 || a.CreatedAt.IsZero() {
			t.Fatalf("created %+v", a)
		}
		want := pool
		want.ID, want.Version, want.CreatedAt, want.UpdatedAt = a.ID, 1, a.CreatedAt, a.UpdatedAt
		diff(t, "created", a, want)
		diff(t, "read back", must[catalogue.SharingAgreement](t)(s.SharingAgreement(ctx, a.ID)), a)
		_, err := s.SharingAgreement(ctx, 999)
		wantErr(t, err, catalogue.ErrNotFound)

		list := func(f catalogue.SharingFilter) []catalogue.SharingAgreementID {
			t.Helper()
			var ids []catalogue.SharingAgreementID
			for _, x := range must[catalogue.Page[catalogue.SharingAgreement]](t)(s.ListSharingAgreements(ctx, f)).Items {
				ids = append(ids, x.ID)
			}
			return ids
		}
		for _, tc := range []struct {
			name string
			f    catalogue.SharingFilter
			want []catalogue.SharingAgreementID
		}{
			{"all", catalogue.SharingFilter{}, []catalogue.SharingAgreementID{a.ID, b.ID}},
			{"Birmingham is a member of the pool only", catalogue.SharingFilter{Council: birmingham}, []catalogue.SharingAgreementID{a.ID}},
			{"Camden of the one-way agreement only", catalogue.SharingFilter{Council: camden}, []catalogue.SharingAgreementID{b.ID}},
			{"in force in March 2024", catalogue.SharingFilter{InForce: day(2024, 3, 1)}, []catalogue.SharingAgreementID{b.ID}},
			{"in force on its last day", catalogue.SharingFilter{InForce: day(2024, 12, 31)}, []catalogue.SharingAgreementID{a.ID, b.ID}},
			{"in force in 2025", catalogue.SharingFilter{InForce: day(2025, 1, 1)}, []catalogue.SharingAgreementID{a.ID}},
			{"a page of one", catalogue.SharingFilter{Limit: 1}, []catalogue.SharingAgreementID{a.ID}},
			{"after the first", catalogue.SharingFilter{After: a.ID}, []catalogue.SharingAgreementID{b.ID}},
		} {
			diff(t, tc.name, list(tc.f), tc.want)
		}
		_, err = s.ListSharingAgreements(ctx, catalogue.SharingFilter{Council: "E99"})
		wantErr(t, err, catalogue.ErrInvalid)

		// Ending the pool is an update of its last day, at the version read.
		end := a
		end.To = day(2025, 3, 31)
		ended := must[catalogue.SharingAgreement](t)(s.UpdateSharingAgreement(ctx, end))
		if ended.Version != 2 || !ended.To.Equal(day(2025, 3, 31)) {
			t.Fatalf("ended %+v", ended)
		}
		_, err = s.UpdateSharingAgreement(ctx, end) // version 1 again: stale
		wantErr(t, err, catalogue.ErrConflict)
		bad := ended
		bad.To = day(2020, 1, 1)
		_, err = s.UpdateSharingAgreement(ctx, bad)
		wantErr(t, err, catalogue.ErrInvalid)
		bad = ended
		bad.ID = 999
		_, err = s.UpdateSharingAgreement(ctx, bad)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.CreateSharingAgreement(ctx, catalogue.SharingAgreement{Name: "half", Kind: catalogue.SharingCouncilToCouncil,
			Members: []catalogue.CouncilCode{leeds}, Kinds: []catalogue.PlacementKind{catalogue.AgencyFoster}, From: day(2024, 1, 1)})
		wantErr(t, err, catalogue.ErrInvalid)
		diff(t, "bad fields", fieldNames(err), []string{"members", "kinds[0]"})
		diff(t, "nothing written by the bad ones", list(catalogue.SharingFilter{}), []catalogue.SharingAgreementID{a.ID, b.ID})

		// Every change is audited.
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "sharing_agreement:" + a.ID.String()}))
		var actions []string
		for _, e := range audit.Items {
			actions = append(actions, e.Action)
			if e.Actor != 3 {
				t.Errorf("audit %+v: actor %d, want 3", e, e.Actor)
			}
		}
		diff(t, "audit", actions, []string{"create", "update"})
	})
}

// TestPlacementOwner: a council foster home's owning council is its provider's council, on
// every read; other kinds belong to no council.
func TestPlacementOwner(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		foster := plainPlacement(w.council.ID, leeds, at(53.7, -1.6)) // a Birmingham carer living in Leeds
		foster.Kind, foster.URN, foster.Registration = catalogue.CouncilFoster, "", ""
		foster.Approval.MaxChildren = 3
		foster.Approval.From, foster.Approval.Until = sqltest.Epoch.AddDate(-1, 0, 0), sqltest.Epoch.AddDate(1, 0, 0)
		foster.Household.Carers = []catalogue.Carer{{FirstName: "Ann"}}
		created := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, foster))
		read := must[catalogue.Placement](t)(s.Placement(ctx, everything, created.ID))
		listed := must[catalogue.Page[catalogue.Placement]](t)(s.ListPlacements(ctx, everything, catalogue.PlacementFilter{}))
		owners := map[catalogue.PlacementID]catalogue.CouncilCode{}
		for _, p := range listed.Items {
			owners[p.ID] = p.Owner
		}
		for _, tc := range []struct {
			name string
			got  catalogue.CouncilCode
			want catalogue.CouncilCode
		}{
			{"created", created.Owner, birmingham},
			{"read", read.Owner, birmingham},
			{"listed", owners[created.ID], birmingham},
			{"owning council", read.OwningCouncil(), birmingham},
			{"a council's children's home has no owner", owners[w.placements[1].ID], ""},
			{"an agency's carers have no owner", owners[w.placements[0].ID], ""},
		} {
			if tc.got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
			}
		}
	})
}

func fieldNames(err error) []string {
	var out []string
	for _, f := range catalogue.FieldErrors(err) {
		out = append(out, f.Field)
	}
	return out
}
