package synth

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestFamilyNetworks: every member is valid, belongs to a waiting child of the batch, and the
// networks show each state of the family-first journey (pending, overdue, passed, not passed,
// withdrawn) at about the assumed rates; the same seed gives the same networks.
func TestFamilyNetworks(t *testing.T) {
	t.Parallel()
	cfg := Scaled(0.02)
	cfg.Seed = 3
	b, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	waiting := map[catalogue.ChildID]bool{}
	for _, c := range b.Children {
		waiting[c.ID] = c.Status == catalogue.ChildWaiting
	}
	ms := FamilyNetworks(b, cfg.Today, cfg.Seed)
	outcomes := map[catalogue.Viability]int{}
	children := map[catalogue.ChildID]bool{}
	overdue := 0
	for i, m := range ms {
		if err := m.Validate(); err != nil {
			t.Fatalf("member %d %+v: %v", i, m, err)
		}
		if !waiting[m.Child] {
			t.Fatalf("member %d is in the network of child %d, who is not waiting", i, m.Child)
		}
		outcomes[m.Outcome]++
		children[m.Child] = true
		if m.Overdue(cfg.Today) {
			overdue++
		}
	}
	nWaiting := 0
	for _, w := range waiting {
		if w {
			nWaiting++
		}
	}
	if share := float64(len(children)) / float64(nWaiting); share < 0.3 || share > 0.5 {
		t.Errorf("%.2f of the children waiting have a network, want about 0.4", share)
	}
	for _, v := range catalogue.Viabilities {
		if outcomes[v] == 0 {
			t.Errorf("no assessment %s", v)
		}
	}
	if p := float64(outcomes[catalogue.ViabilityPending]) / float64(len(ms)); p < 0.45 || p > 0.65 {
		t.Errorf("%.2f pending, want about 0.55", p)
	}
	if overdue == 0 {
		t.Error("no assessment overdue")
	}
	again := FamilyNetworks(b, cfg.Today, cfg.Seed)
	if len(again) != len(ms) || again[0] != ms[0] || again[len(ms)-1] != ms[len(ms)-1] {
		t.Error("the same seed gives other networks")
	}
}
