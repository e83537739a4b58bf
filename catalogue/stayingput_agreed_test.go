package catalogue_test

import (
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// TestStayingPutChangeValidate: a change names the version read and a recorded value; the day
// it was agreed is required when agreed, and only then.
func TestStayingPutChangeValidate(t *testing.T) {
	t.Parallel()
	on := time.Date(2026, time.May, 4, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		c     catalogue.StayingPutChange
		field string
	}{
		{"willing", catalogue.StayingPutChange{Version: 1, StayingPut: catalogue.StayingPutWilling}, ""},
		{"agreed on a day", catalogue.StayingPutChange{Version: 2, StayingPut: catalogue.StayingPutAgreed, AgreedOn: on}, ""},
		{"agreed, no day", catalogue.StayingPutChange{Version: 2, StayingPut: catalogue.StayingPutAgreed}, "agreed_on"},
		{"willing with a day", catalogue.StayingPutChange{Version: 2, StayingPut: catalogue.StayingPutWilling, AgreedOn: on}, "agreed_on"},
		{"unrecorded", catalogue.StayingPutChange{Version: 2}, "staying_put"},
		{"unknown", catalogue.StayingPutChange{Version: 2, StayingPut: "maybe"}, "staying_put"},
		{"no version", catalogue.StayingPutChange{StayingPut: catalogue.StayingPutNotWilling}, "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.field == "" {
				wantFields(t, tc.c.Validate())
			} else {
				wantFields(t, tc.c.Validate(), tc.field)
			}
		})
	}
}
