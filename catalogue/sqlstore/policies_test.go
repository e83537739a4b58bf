package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

func TestPolicies(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		// Migrating stores the built-in default as version 1.
		national := must[catalogue.PolicyVersion](t)(s.Policy(ctx, ""))
		want := catalogue.DefaultPolicy()
		diff(t, "default", national.Policy, want)
		diff(t, "Leeds before it has its own", must[catalogue.PolicyVersion](t)(s.Policy(ctx, leeds)).Policy, want)

		// A council's own version.
		p := catalogue.DefaultPolicy()
		p.Council = leeds
		p.Weights[catalogue.FactorSchool] = 25
		p.MaxDistanceKm = 60
		saved := must[catalogue.PolicyVersion](t)(s.SavePolicy(ctx, p, "Leeds keeps children at school"))
		if saved.Policy.Version != 2 || saved.By != 3 || saved.Note != "Leeds keeps children at school" || saved.At.IsZero() {
			t.Fatalf("saved %+v", saved)
		}
		p.Version = 2
		diff(t, "saved", saved.Policy, p)
		diff(t, "Leeds now", must[catalogue.PolicyVersion](t)(s.Policy(ctx, leeds)), saved)
		diff(t, "national still", must[catalogue.PolicyVersion](t)(s.Policy(ctx, "")).Policy, want)
		diff(t, "Birmingham still", must[catalogue.PolicyVersion](t)(s.Policy(ctx, birmingham)).Policy, want)

		// A newer national version does not override Leeds's own.
		n2 := catalogue.DefaultPolicy()
		n2.Weights[catalogue.FactorNeeds] = 30
		must[catalogue.PolicyVersion](t)(s.SavePolicy(ctx, n2, "needs first, even more"))
		if v := must[catalogue.PolicyVersion](t)(s.Policy(ctx, leeds)).Policy.Version; v != 2 {
			t.Errorf("Leeds uses version %d, want its own 2", v)
		}
		if v := must[catalogue.PolicyVersion](t)(s.Policy(ctx, birmingham)).Policy.Version; v != 3 {
			t.Errorf("Birmingham uses version %d, want the national 3", v)
		}

		// Every version is kept and can be read back.
		diff(t, "version 2", must[catalogue.PolicyVersion](t)(s.PolicyVersion(ctx, 2)), saved)
		_, err := s.PolicyVersion(ctx, 99)
		wantErr(t, err, catalogue.ErrNotFound)
		hist := must[catalogue.Page[catalogue.PolicyVersion]](t)(s.PolicyHistory(ctx, "", 0, 1))
		if len(hist.Items) != 1 || hist.Items[0].Policy.Version != 3 || hist.Next != 3 {
			t.Fatalf("first page %+v next %d", hist.Items, hist.Next)
		}
		hist = must[catalogue.Page[catalogue.PolicyVersion]](t)(s.PolicyHistory(ctx, "", int(hist.Next), 1))
		if len(hist.Items) != 1 || hist.Items[0].Policy.Version != 1 || hist.Next != 0 {
			t.Fatalf("second page %+v next %d", hist.Items, hist.Next)
		}

		// A policy that breaks the cost cap is refused, naming the field, and nothing is saved.
		bad := catalogue.DefaultPolicy()
		bad.Weights[catalogue.FactorCost] = 50
		_, err = s.SavePolicy(ctx, bad, "cheaper")
		wantField(t, err, "weights.cost")
		if v := must[catalogue.PolicyVersion](t)(s.Policy(ctx, "")).Policy.Version; v != 3 {
			t.Errorf("after a refused save the national policy is version %d", v)
		}

		// Changes are audited.
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "policy:" + string(leeds)}))
		if len(audit.Items) != 1 || audit.Items[0].Actor != 3 || audit.Items[0].Action != "update" {
			t.Errorf("audit %+v", audit.Items)
		}
		// Versions are never changed: the database refuses it.
		if err := sqlstore.ExecRaw(ctx, s, "UPDATE policies SET note = 'rewritten' WHERE version = 1"); err == nil {
			t.Error("a policy version was rewritten")
		}
		if err := sqlstore.ExecRaw(ctx, s, "DELETE FROM policies WHERE version = 1"); err == nil {
			t.Error("a policy version was deleted")
		}
	})
}
