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

// TestChangePolicy: a change is merged over the policy in force (weights not named and settings
// not given keep theirs; a setting may be set to 0) as the council's own new version, audited;
// one made from a version no longer in force is ErrConflict, one without a version or a note
// ErrInvalid naming it, and neither saves anything. On both stores.
func TestChangePolicy(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		national := must[catalogue.PolicyVersion](t)(s.Policy(ctx, ""))
		zero, far := 0.0, 60.0
		langs, easy := []string{"en", "en-easy", "ur"}, "en-easy"
		saved := must[catalogue.PolicyVersion](t)(s.ChangePolicy(ctx, catalogue.PolicyChange{Council: leeds, Version: national.Policy.Version,
			Weights: catalogue.Weights{catalogue.FactorSchool: 25}, ZoneBufferKm: &zero, MaxDistanceKm: &far,
			ChildLanguages: &langs, ChildLanguage: &easy, Note: "Leeds keeps children at school"}))
		want := catalogue.DefaultPolicy()
		want.Version, want.Council = 2, leeds
		want.Weights[catalogue.FactorSchool] = 25
		want.ZoneBufferKm, want.MaxDistanceKm = 0, 60
		want.ChildLanguages, want.ChildLanguage = []string{"en", "en-easy", "ur"}, "en-easy"
		diff(t, "Leeds's change", saved.Policy, want)
		if saved.By != 3 || saved.Note != "Leeds keeps children at school" {
			t.Errorf("saved %+v", saved)
		}
		diff(t, "Leeds now", must[catalogue.PolicyVersion](t)(s.Policy(ctx, leeds)), saved)

		// Made from the national version Leeds no longer follows: stale.
		_, err := s.ChangePolicy(ctx, catalogue.PolicyChange{Council: leeds, Version: national.Policy.Version,
			Weights: catalogue.Weights{catalogue.FactorNeeds: 30}, Note: "needs"})
		wantErr(t, err, catalogue.ErrConflict)
		if e, ok := errors.AsType[*catalogue.Error](err); !ok || e.Msg != "policy of "+string(leeds)+": version 1 is stale, the version in force is 2" {
			t.Errorf("stale: %v", err)
		}
		for _, c := range []struct {
			field string
			ch    catalogue.PolicyChange
		}{
			{"version", catalogue.PolicyChange{Council: leeds, Note: "no version"}},
			{"note", catalogue.PolicyChange{Council: leeds, Version: 2}},
			{"council", catalogue.PolicyChange{Council: "E99999999", Version: 2, Note: "x"}},
			{"weights.cost", catalogue.PolicyChange{Council: leeds, Version: 2, Weights: catalogue.Weights{catalogue.FactorCost: 50}, Note: "cheaper"}},
		} {
			_, err := s.ChangePolicy(ctx, c.ch)
			wantField(t, err, c.field)
		}
		diff(t, "Leeds after the refusals", must[catalogue.PolicyVersion](t)(s.Policy(ctx, leeds)), saved)
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "policy:" + string(leeds)}))
		if len(audit.Items) != 1 || audit.Items[0].Actor != 3 || audit.Items[0].Action != "update" {
			t.Errorf("audit %+v", audit.Items)
		}
	})
}

// TestConcurrentPolicyChanges: many changes made from the same version at once. Exactly one is
// saved; every other is ErrConflict and saves nothing, whatever the timing: the store reads the
// policy in force, checks the version and writes in one transaction, one save at a time. On
// both stores.
func TestConcurrentPolicyChanges(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 3, Role: catalogue.RoleAdmin})
		for round := range 5 {
			council := []catalogue.CouncilCode{"", leeds}[round%2]
			cur := must[catalogue.PolicyVersion](t)(s.Policy(ctx, council))
			const n = 16
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = s.ChangePolicy(ctx, catalogue.PolicyChange{Council: council, Version: cur.Policy.Version,
						Weights: catalogue.Weights{catalogue.FactorNeeds: float64(21 + i)}, Note: "one of many"})
				})
			}
			close(start)
			wg.Wait()
			saved := 0
			for _, err := range errs {
				switch {
				case err == nil:
					saved++
				case !errors.Is(err, catalogue.ErrConflict):
					t.Errorf("round %d: %v, want saved or a conflict", round, err)
				}
			}
			hist := must[catalogue.Page[catalogue.PolicyVersion]](t)(s.PolicyHistory(ctx, council, 0, catalogue.MaxLimit))
			newer := 0
			for _, v := range hist.Items {
				if v.Policy.Version > cur.Policy.Version {
					newer++
				}
			}
			if saved != 1 || newer != 1 {
				t.Errorf("round %d (council %q): %d changes saved from version %d, %d versions newer; want 1", round, council, saved, cur.Policy.Version, newer)
			}
		}
	})
}
