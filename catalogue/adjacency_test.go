package catalogue_test

import (
	"testing"

	"github.com/placematch/placematch/catalogue"
)

func TestAdjacency(t *testing.T) {
	t.Parallel()
	const (
		leeds      = catalogue.CouncilCode("E08000035")
		bradford   = catalogue.CouncilCode("E08000032")
		cornwall   = catalogue.CouncilCode("E06000052")
		devon      = catalogue.CouncilCode("E10000008")
		scilly     = catalogue.CouncilCode("E06000053")
		wight      = catalogue.CouncilCode("E06000046")
		hampshire  = catalogue.CouncilCode("E10000014")
		cityLondon = catalogue.CouncilCode("E09000001")
		camden     = catalogue.CouncilCode("E09000007")
		bcp        = catalogue.CouncilCode("E06000058")
		dorset     = catalogue.CouncilCode("E06000059")
		cumberland = catalogue.CouncilCode("E06000063")
		westmorl   = catalogue.CouncilCode("E06000064")
		northYorks = catalogue.CouncilCode("E06000065")
	)
	for _, tc := range []struct {
		a, b catalogue.CouncilCode
		want bool
	}{
		{leeds, bradford, true},
		{leeds, cornwall, false},
		{cornwall, devon, true},
		{leeds, leeds, false},        // a council does not adjoin itself
		{wight, hampshire, false},    // across the Solent
		{cityLondon, camden, true},   // London boroughs
		{bcp, dorset, true},          // 2019's new councils
		{cumberland, westmorl, true}, // Cumbria divided in 2023
		{leeds, northYorks, true},    // a county become unitary
		{leeds, "E99999999", false},  // not a council
	} {
		if got := catalogue.Adjoins(tc.a, tc.b); got != tc.want {
			t.Errorf("Adjoins(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	islands := map[catalogue.CouncilCode]bool{scilly: true, wight: true}
	for _, c := range catalogue.Councils() {
		ns := catalogue.Neighbours(c.Code)
		if islands[c.Code] != (len(ns) == 0) {
			t.Errorf("%s (%s) has %d neighbours; only the islands have none", c.Name, c.Code, len(ns))
		}
		for _, n := range ns {
			if !catalogue.Adjoins(n, c.Code) || !catalogue.Adjoins(c.Code, n) {
				t.Errorf("adjacency is not symmetric between %s and %s", c.Code, n)
			}
			if n == c.Code {
				t.Errorf("%s adjoins itself", c.Code)
			}
		}
	}
}
