package synth

import (
	"fmt"
	"math"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// National figures: DESIGN.md section 7 (calibration.go names each figure's source and year),
// except supported settings, this package's estimate (settings averaging nearly four places for
// the 10% of children in supported accommodation). Ofsted's 42,190 fostering households include
// about a fifth that are family and friends households: they are the kinship carers here, and
// the other 33,300 (mainstream, council and agency) are the fostering households, so the two
// together are Ofsted's 42,190 and not 9,500 more on top.
const (
	NationalChildren  = 81770                     // children looked after
	NationalWaiting   = 10000                     // about this many wait for a placement at any time
	NationalUASC      = 6540                      // unaccompanied asylum-seeking children
	NationalFostering = 33300                     // mainstream (council and agency) fostering households
	NationalHomes     = 4009                      // children's homes
	NationalKinship   = 42190 - NationalFostering // family and friends (connected person) households: 8,890
	NationalSupported = 2400                      // supported accommodation settings for 16 and 17 year olds
	DefaultWaiting    = float64(NationalWaiting) / NationalChildren
	defaultSeed       = 1
	demoScale         = 0.1
	maxCount          = 2_000_000
)

// DefaultToday is the reference date of National, Demo and Scaled: 1 November 2026.
func DefaultToday() time.Time { return time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC) }

// Config says what to generate. Counts are for the whole of England: when Councils names a
// subset, only those councils' share is generated (their children, and the homes located in
// them), so a council looks the same whether generated alone or with the rest of England.
type Config struct {
	Seed     uint64
	Today    time.Time // reference date; ages and needed-by dates are relative to it. Zero: DefaultToday
	Children int       // children looked after in England (national scale 81,770)
	// Waiting is the share of children waiting for a placement (status waiting); the rest are
	// placed. Zero means DefaultWaiting, about 10,000 children at national scale.
	Waiting          float64
	FosterHouseholds int                     // mainstream (council and agency) fostering households (national 33,300)
	Homes            int                     // children's homes (national 4,009)
	Kinship          int                     // kinship (connected person) households, at most: never more than a council's children assessed for kinship care
	Supported        int                     // supported accommodation settings
	Councils         []catalogue.CouncilCode // empty: all 153

	moves *moveModel // the model of moves, when a test searches for it
}

// National is England at full scale, with seed 1 and Today 2026-11-01.
func National() Config { return Scaled(1) }

// Demo is about a tenth of England: quick to seed into the embedded store, still realistic.
func Demo() Config { return Scaled(demoScale) }

// Scaled is England with every count multiplied by f (shares and rates unchanged).
func Scaled(f float64) Config {
	n := func(x int) int { return int(math.Round(float64(x) * f)) }
	return Config{
		Seed:             defaultSeed,
		Today:            DefaultToday(),
		Children:         n(NationalChildren),
		Waiting:          DefaultWaiting,
		FosterHouseholds: n(NationalFostering),
		Homes:            n(NationalHomes),
		Kinship:          n(NationalKinship),
		Supported:        n(NationalSupported),
	}
}

// normalise fills defaults and checks the config.
func (c Config) normalise() (Config, error) {
	if c.Today.IsZero() {
		c.Today = DefaultToday()
	}
	c.Today = catalogue.Day(c.Today)
	if c.Waiting == 0 {
		c.Waiting = DefaultWaiting
	}
	switch {
	case c.Children < 0 || c.Children > maxCount:
		return c, fmt.Errorf("synth: children %d: must be between 0 and %d", c.Children, maxCount)
	case !(c.Waiting > 0 && c.Waiting <= 1):
		return c, fmt.Errorf("synth: waiting share %g: must be more than 0 and at most 1", c.Waiting)
	case c.FosterHouseholds < 0 || c.Homes < 0 || c.Kinship < 0 || c.Supported < 0:
		return c, fmt.Errorf("synth: supply counts must not be negative")
	case c.FosterHouseholds > maxCount || c.Homes > maxCount || c.Kinship > maxCount || c.Supported > maxCount:
		return c, fmt.Errorf("synth: supply counts must be at most %d", maxCount)
	case c.Today.Year() < 2000 || c.Today.Year() > 2080:
		return c, fmt.Errorf("synth: today %s: must be between 2000 and 2080", c.Today.Format(time.DateOnly))
	}
	seen := make(map[catalogue.CouncilCode]bool, len(c.Councils))
	for _, code := range c.Councils {
		if !code.Valid() {
			return c, fmt.Errorf("synth: council %q: %w", code, catalogue.Invalid("councils", "must be the ONS code of an English upper-tier council"))
		}
		if seen[code] {
			return c, fmt.Errorf("synth: council %q named twice", code)
		}
		seen[code] = true
	}
	return c, nil
}
