package synth

import (
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestAgreements: the demo's sharing agreements are valid, in force today, and leave some
// regions with no pool, so that the demo shows both.
func TestAgreements(t *testing.T) {
	t.Parallel()
	today := time.Date(2031, 2, 3, 0, 0, 0, 0, time.UTC)
	as := Agreements(today)
	if len(as) != len(Pools)+1 {
		t.Fatalf("%d agreements, want %d", len(as), len(Pools)+1)
	}
	pooled := map[catalogue.CouncilCode]bool{}
	for _, a := range as {
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
		if !a.InForce(today) {
			t.Errorf("%s: not in force today", a.Name)
		}
		if a.Kind == catalogue.SharingRegionalPool {
			for _, c := range a.Members {
				pooled[c] = true
			}
		}
	}
	if n := len(pooled); n < 20 || n > len(catalogue.Councils())/2 {
		t.Errorf("%d councils pooled of %d", n, len(catalogue.Councils()))
	}
}
