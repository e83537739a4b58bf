package exchange

import (
	"errors"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestStayingPutRefused: an import naming staying_put as a child's purpose or a placement's
// approved purpose is refused, at the field, with a message saying why (Staying Put is staying
// on with the current foster carers after 18, s23CZA, not a search), and other unknown values
// keep the list of what is allowed.
func TestStayingPutRefused(t *testing.T) {
	t.Parallel()
	prov := `{"id": 4, "name": "Bristol Fostering", "kind": "agency"}`
	for _, tc := range []struct {
		name, in, field, says string
		k                     Kind
	}{
		{"child", jsonChildren(`"purpose": "staying_put"`), "purpose", "not a search for a new home", Children},
		{"child, other spelling", jsonChildren(`"purpose": "Staying Put"`), "purpose", "s23CZA", Children},
		{"placement", jsonPlacements(`"approval": {"min_age": 0, "max_age": 18, "max_children": 2, "purposes": ["long_term", "staying_put"]}`, prov),
			"approval.purposes[1]", "not a search for a new home", Placements},
		{"unknown", jsonChildren(`"purpose": "holiday"`), "purpose", "must be one of", Children},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode(strings.NewReader(tc.in), JSON, tc.k, DecodeOptions{})
			var ve *catalogue.Error
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a *catalogue.Error", err)
			}
			for _, fe := range ve.Fields {
				if strings.HasSuffix(fe.Field, tc.field) && strings.Contains(fe.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem at %s saying %q: %v", tc.field, tc.says, ve.Fields)
		})
	}
}
