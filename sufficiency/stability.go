package sufficiency

import (
	"context"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Indicator is one official stability indicator of a council's children, from their placement
// histories: a count out of a denominator (DfE SSDA903: 3 or more placements in the year,
// long-term stability, placed over 20 miles from home, outside the council; the Children's
// Commissioner's Stability Index). Counts and denominators are children, so both are suppressed
// below 5; regions and England sum their councils.
type Indicator struct {
	Name        string // a stable identifier: three_plus_year, long_term_stable, ...
	Label       string // in plain words
	Count       int
	Denominator int
}

// StabilitySource gives the stability indicators of one council's children on a day, from
// their placement histories. It is the hook for the placement history store: until histories
// are recorded, the analysis runs without one and the report says so.
type StabilitySource interface {
	StabilityIndicators(ctx context.Context, council catalogue.CouncilCode, on time.Time) ([]Indicator, error)
}

// StabilityFunc adapts a function to StabilitySource.
type StabilityFunc func(ctx context.Context, council catalogue.CouncilCode, on time.Time) ([]Indicator, error)

// StabilityIndicators calls f.
func (f StabilityFunc) StabilityIndicators(ctx context.Context, council catalogue.CouncilCode, on time.Time) ([]Indicator, error) {
	return f(ctx, council, on)
}
