package main

import (
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// envClock names the variable that sets the service's clock for training and tests.
const envClock = "PLACEMATCH_NOW"

// clockFrom is the one clock every command injects into everything it wires: the wall clock, or,
// when PLACEMATCH_NOW gives an instant (RFC 3339, or a date meaning 09:00 UTC that day), a clock
// that starts there and runs on at the wall clock's pace. It is for training environments and
// tests that must see the service on another day; a live service leaves it unset.
func clockFrom(getenv func(string) string) (catalogue.Clock, error) {
	v := getenv(envClock)
	if v == "" {
		return catalogue.WallClock, nil
	}
	start, err := time.Parse(time.RFC3339, v)
	if err != nil {
		d, derr := time.Parse(time.DateOnly, v)
		if derr != nil {
			return nil, usageError{fmt.Sprintf("%s must be an instant (2030-01-31T09:00:00Z) or a date (2030-01-31), not %q", envClock, v)}
		}
		start = d.Add(9 * time.Hour)
	}
	offset := time.Until(start)
	return func() time.Time { return time.Now().Add(offset) }, nil
}
