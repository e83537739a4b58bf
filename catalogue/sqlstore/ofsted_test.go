package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// supportedSetting is a registered supported accommodation setting for 16 and 17 year olds
// whose provider Ofsted judged out.
func supportedSetting(provider catalogue.ProviderID, out catalogue.SupportedOutcome) catalogue.Placement {
	p := plainPlacement(provider, birmingham, at(52.44, -1.9))
	p.Kind, p.Name, p.SupportedOutcome = catalogue.SupportedAccommodation, "Canal Side Flats", out
	p.Approval.MinAge, p.Approval.MaxAge = 16, 17
	return p
}

// TestSupportedOutcome: a supported setting's Ofsted outcome is stored and read back; the
// director may override the lowest outcome for one child, as an inadequate grade, and no other.
func TestSupportedOutcome(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSignOffWorld(t, s)
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Flats")))
		serious := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, supportedSetting(prov.ID, catalogue.OutcomeSerious)))
		fine := must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, supportedSetting(prov.ID, catalogue.OutcomeInconsistent)))
		if got := must[catalogue.Placement](t)(s.Placement(ctx, everything, serious.ID)); got.SupportedOutcome != catalogue.OutcomeSerious || got.Ofsted != "" {
			t.Fatalf("read back: outcome %q, grade %q", got.SupportedOutcome, got.Ofsted)
		}
		const reason = "The only registered setting near her college; the alternative is unregistered."
		_, err := s.OverrideInadequate(w.as("director"), officerBirmingham, w.child.ID, fine.ID, reason)
		wantField(t, err, "placement")
		ov := must[catalogue.InadequateOverride](t)(s.OverrideInadequate(w.as("director"), officerBirmingham, w.child.ID, serious.ID, reason))
		if ov.Placement != serious.ID {
			t.Fatalf("override: %+v", ov)
		}
	})
}

// TestSupportedOutcomeMigration: migration 00023 moves a four-point grade stored on a supported
// setting before it to the nearest of Ofsted's three outcomes, so that one held inadequate stays
// never offered, and leaves other kinds' grades alone; undoing it moves them back.
func TestSupportedOutcomeMigration(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Before")))
		grades := []catalogue.OfstedGrade{catalogue.OfstedOutstanding, catalogue.OfstedGood, catalogue.OfstedRequiresImprovement, catalogue.OfstedInadequate, ""}
		want := []catalogue.SupportedOutcome{catalogue.OutcomeStrong, catalogue.OutcomeStrong, catalogue.OutcomeInconsistent, catalogue.OutcomeSerious, ""}
		var ids []catalogue.PlacementID
		for range grades {
			ids = append(ids, must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, supportedSetting(prov.ID, ""))).ID)
		}
		home := plainPlacement(prov.ID, birmingham, at(52.43, -1.9))
		home.Ofsted = catalogue.OfstedInadequate
		home = must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, home))
		if err := sqlstore.MigrateDownTo(ctx, s, 20); err != nil {
			t.Fatalf("undo 00023: %v", err)
		}
		for i, id := range ids { // as the code before 00023 could store them
			if err := sqlstore.ExecRaw(ctx, s, `UPDATE placements SET ofsted = ? WHERE id = ?`, string(grades[i]), int64(id)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("redo 00023: %v", err)
		}
		for i, id := range ids {
			got := must[catalogue.Placement](t)(s.Placement(ctx, everything, id))
			if got.SupportedOutcome != want[i] || got.Ofsted != "" || got.Validate() != nil {
				t.Errorf("a supported setting graded %q before 00023: outcome %q, grade %q, valid: %v", grades[i], got.SupportedOutcome, got.Ofsted, got.Validate())
			}
		}
		if got := must[catalogue.Placement](t)(s.Placement(ctx, everything, home.ID)); got.Ofsted != catalogue.OfstedInadequate || got.SupportedOutcome != "" {
			t.Errorf("a children's home after 00023: grade %q, outcome %q", got.Ofsted, got.SupportedOutcome)
		}
	})
}
