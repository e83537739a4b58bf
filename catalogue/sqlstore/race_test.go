package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestFillRace fills one place from 32 goroutines at once, each for a different child: exactly
// one wins and every other gets ErrConflict.
func TestFillRace(t *testing.T) {
	t.Parallel()
	const racers = 32
	for _, status := range []catalogue.VacancyStatus{catalogue.VacancyFilled, catalogue.VacancyHeld} {
		t.Run(string(status), func(t *testing.T) {
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := context.Background()
				prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Racing")))
				pl := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(prov.ID, birmingham, at(52.5, -1.9))))
				v := must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{
					Placement: pl.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
				children := make([]catalogue.ChildID, racers)
				for i := range children {
					children[i] = must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.4, -1.9)))).ID
				}

				var wg sync.WaitGroup
				start := make(chan struct{})
				errs := make([]error, racers)
				won := make([]catalogue.Vacancy, racers)
				for i := range racers {
					wg.Go(func() {
						<-start
						try := v
						try.Status, try.Child = status, children[i]
						actx := catalogue.WithActor(ctx, catalogue.Actor{Token: catalogue.TokenID(i + 1), Role: catalogue.RoleOfficer})
						won[i], errs[i] = s.UpdateVacancy(actx, catalogue.Scope{Council: birmingham}, try)
					})
				}
				close(start)
				wg.Wait()

				winner := -1
				for i, err := range errs {
					switch {
					case err == nil:
						if winner >= 0 {
							t.Fatalf("both racer %d and racer %d got the place", winner, i)
						}
						winner = i
					case !errors.Is(err, catalogue.ErrConflict):
						t.Errorf("racer %d: %v, want ErrConflict", i, err)
					}
				}
				if winner < 0 {
					t.Fatal("nobody got the place")
				}
				got := must[catalogue.Vacancy](t)(s.Vacancy(ctx, everything, v.ID))
				if got.Status != status || got.Child != children[winner] || got.Version != 2 {
					t.Errorf("place is %s for child %d at version %d; want %s for child %d at version 2",
						got.Status, got.Child, got.Version, status, children[winner])
				}
				diff(t, "winner's copy", won[winner], got)
				// One audit row, by the winner, in the same transaction as the change.
				audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "vacancy:" + v.ID.String()}))
				if n := len(audit.Items); n != 2 || audit.Items[1].Actor != catalogue.TokenID(winner+1) {
					t.Errorf("audit of the place: %+v; want its creation and the winner's update", audit.Items)
				}
			})
		})
	}
}

// TestAuditAppendOnly checks the database itself refuses to change or remove audit rows.
func TestAuditAppendOnly(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.AppendAudit(ctx, catalogue.AuditEntry{Action: "read", Subject: "child:1"}); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			"UPDATE audit_log SET subject = 'child:2'",
			"DELETE FROM audit_log",
			"DELETE FROM audit_log WHERE subject = 'child:1'",
		} {
			if err := sqlstore.ExecRaw(ctx, s, stmt); err == nil {
				t.Errorf("%s: the database allowed it", stmt)
			}
		}
		if s.Backend() == sqlstore.BackendPostgres {
			if err := sqlstore.ExecRaw(ctx, s, "TRUNCATE audit_log"); err == nil {
				t.Error("TRUNCATE audit_log: the database allowed it")
			}
		}
		page := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{}))
		if len(page.Items) != 1 || page.Items[0].Subject != "child:1" {
			t.Errorf("audit log after the attempts: %+v", page.Items)
		}
	})
}
