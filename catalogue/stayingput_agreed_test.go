package catalogue_test

import (
	"errors"
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
			err := tc.c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *catalogue.Error
			if !errors.As(err, &ce) || len(ce.Fields) != 1 || ce.Fields[0].Field != tc.field {
				t.Fatalf("got %v, want %s", err, tc.field)
			}
		})
	}
}
