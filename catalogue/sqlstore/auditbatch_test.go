package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestAuditGroupCommit: many reads audited at once are all stored, each before AppendAudit
// returns, whatever groups the writer makes of them; after Close nothing is lost either.
func TestAuditGroupCommit(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 4, Role: catalogue.RoleOfficer})
		const n = 200
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				subject := fmt.Sprintf("child:%d", i)
				if err := s.AppendAudit(ctx, catalogue.AuditEntry{Action: "read", Subject: subject, Council: leeds}); err != nil {
					t.Error(err)
					return
				}
				// Stored before AppendAudit returned.
				page, err := s.ListAudit(ctx, catalogue.AuditFilter{Subject: subject})
				if err != nil || len(page.Items) != 1 || page.Items[0].Actor != 4 {
					t.Errorf("%s: %v %+v", subject, err, page.Items)
				}
			})
		}
		wg.Wait()
		all, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.AuditEntry], error) {
			return s.ListAudit(ctx, catalogue.AuditFilter{Council: leeds, After: after, Limit: 500})
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != n {
			t.Errorf("%d audit rows for %d reads", len(all), n)
		}
		// An entry refused by its own checks fails alone.
		if err := s.AppendAudit(ctx, catalogue.AuditEntry{Action: ""}); err == nil {
			t.Error("an audit entry without an action was stored")
		}
	})
}
