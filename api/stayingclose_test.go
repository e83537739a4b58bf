package api

import (
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestAfterEighteenWords: a choice of children's home tells a young person of 16 or over about
// Staying Close, a foster home willing to offer Staying Put about Staying Put, and one that is
// not that they would move on.
func TestAfterEighteenWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind       catalogue.PlacementKind
		stayingPut bool
		says       string
	}{
		{catalogue.CouncilFoster, true, "(this is called Staying Put)"},
		{catalogue.Kinship, false, "does not offer Staying Put"},
		{catalogue.ChildrensHome, false, "(this is called Staying Close)"},
		{catalogue.ChildrensHome, true, "(this is called Staying Close)"}, // a home cannot offer Staying Put
		{catalogue.SupportedAccommodation, false, "does not offer Staying Put"},
	} {
		p := catalogue.Placement{Kind: tc.kind, StayingPut: tc.stayingPut}
		if got := afterEighteenWords(english(), &p); !strings.Contains(got, tc.says) {
			t.Errorf("%s, staying put %v: %q, want it to say %q", tc.kind, tc.stayingPut, got, tc.says)
		}
	}
}
