package catalogue

import (
	"context"
	"time"
)

// A framework price is the weekly price a council has agreed, for one kind of care, with the
// providers of its framework (the block or approved-provider framework most councils buy
// independent places through). The commissioners' report sets the fees providers offer when
// they accept a referral against it (sufficiency). It is its own small aggregate and not part
// of the scoring policy: the policy is the versioned rules that rank a child's options, and a
// change to it is a new version every option and run records; a framework price ranks nothing,
// is set by commissioning from a contract, and changes with the contract's uplift each April.

// Bounds of a framework price.
const (
	// MinFrameworkPrice is the lowest weekly price, in pounds: below the national minimum
	// fostering allowance for the youngest child, no framework would set it.
	MinFrameworkPrice = 100
	// MaxFrameworkPrice bounds a weekly price as MaxWeeklyFee bounds a fee.
	MaxFrameworkPrice = MaxWeeklyFee
)

// FrameworkPrice is one council's weekly framework price for one kind of care.
type FrameworkPrice struct {
	Council     CouncilCode
	Kind        PlacementKind
	WeeklyPrice int    // pounds a week
	Note        string // where the price comes from: the framework, its lot, its year
	Version     int    // 0 to set a price not set before
	UpdatedAt   time.Time
}

// Validate reports every bad field of the price.
func (f FrameworkPrice) Validate() error {
	p := newProblems()
	if !f.Council.Valid() {
		p.add("council", "must be the ONS code of an English upper-tier council")
	}
	if !f.Kind.Valid() {
		p.add("kind", "must be one of %v", PlacementKinds)
	}
	if f.WeeklyPrice < MinFrameworkPrice || f.WeeklyPrice > MaxFrameworkPrice {
		p.add("weekly_price", "must be between %d and %d pounds a week", MinFrameworkPrice, MaxFrameworkPrice)
	}
	checkText(p, "note", f.Note, MaxReasonLen)
	if f.Version < 0 {
		p.add("version", "must not be negative")
	}
	return p.err()
}

// FrameworkPrices holds a set of prices for the one question the report asks of them: what is
// this council's price for this kind of care. A nil *FrameworkPrices holds none.
type FrameworkPrices struct {
	m map[CouncilCode]map[PlacementKind]int
}

// NewFrameworkPrices holds the prices given; of two for the same council and kind, the later wins.
func NewFrameworkPrices(ps []FrameworkPrice) *FrameworkPrices {
	f := &FrameworkPrices{m: map[CouncilCode]map[PlacementKind]int{}}
	for _, p := range ps {
		if f.m[p.Council] == nil {
			f.m[p.Council] = map[PlacementKind]int{}
		}
		f.m[p.Council][p.Kind] = p.WeeklyPrice
	}
	return f
}

// Price returns the council's weekly price for the kind of care; false when none is set.
func (f *FrameworkPrices) Price(c CouncilCode, k PlacementKind) (int, bool) {
	if f == nil {
		return 0, false
	}
	p, ok := f.m[c][k]
	return p, ok
}

// FrameworkPriceStore keeps the framework prices. Prices are no secret among staff (a council
// publishes its framework's lots), so no method applies a scope: the caller checks that only
// administrators set them.
type FrameworkPriceStore interface {
	// FrameworkPrices lists the prices, of one council when council is set (ErrInvalid naming
	// council when it is not valid), by council then kind.
	FrameworkPrices(ctx context.Context, council CouncilCode) ([]FrameworkPrice, error)
	// SetFrameworkPrice sets a council's price for a kind of care, audited: p.Version 0 sets
	// one not set before (ErrConflict when there is one), otherwise the version read
	// (ErrConflict when stale, ErrNotFound when there is none). ErrInvalid naming each bad field
	// (Validate); nothing is written on any error.
	SetFrameworkPrice(ctx context.Context, p FrameworkPrice) (FrameworkPrice, error)
}
