package synth

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestSupportedOutcomes: supported accommodation carries Ofsted's three-outcome judgement,
// never the four-point grade, the same for every setting of a provider, at about the assumed
// rates (synth/law.go supportedOutcome); other homes carry no outcome.
func TestSupportedOutcomes(t *testing.T) {
	t.Parallel()
	b := national(t)
	byProvider := map[catalogue.ProviderID]catalogue.SupportedOutcome{}
	count := map[catalogue.SupportedOutcome]int{}
	settings := 0
	for i := range b.Placements {
		p := &b.Placements[i]
		if p.Kind != catalogue.SupportedAccommodation {
			if p.SupportedOutcome != "" {
				t.Fatalf("%s (%s) carries an outcome %q", p.Name, p.Kind, p.SupportedOutcome)
			}
			continue
		}
		settings++
		count[p.SupportedOutcome]++
		if p.Ofsted != "" {
			t.Fatalf("%s: supported accommodation graded %q", p.Name, p.Ofsted)
		}
		if o, ok := byProvider[p.Provider]; ok && o != p.SupportedOutcome {
			t.Fatalf("provider %d's settings carry %q and %q", p.Provider, o, p.SupportedOutcome)
		}
		byProvider[p.Provider] = p.SupportedOutcome
	}
	if len(byProvider) < 50 {
		t.Fatalf("only %d supported accommodation providers: the rates say nothing", len(byProvider))
	}
	for _, o := range append([]catalogue.SupportedOutcome{catalogue.OutcomeNone}, catalogue.SupportedOutcomes...) {
		if count[o] == 0 {
			t.Errorf("no setting with outcome %q among %d", o, settings)
		}
	}
	provCount := map[catalogue.SupportedOutcome]int{}
	for _, o := range byProvider {
		provCount[o]++
	}
	n := float64(len(byProvider))
	if share := float64(provCount[catalogue.OutcomeSerious]) / n; share > 0.12 {
		t.Errorf("%.0f%% of providers with serious weaknesses, want about 4.5%%", 100*share)
	}
	if share := float64(provCount[catalogue.OutcomeNone]) / n; share < 0.2 || share > 0.5 {
		t.Errorf("%.0f%% of providers not yet inspected, want about 35%%", 100*share)
	}
}
