package api

import "github.com/placematch/placematch/sufficiency"

// referralsDTO is the scope's referral figures (sufficiency.ReferralFigures): referrals sent in
// the year to the report's day, counted in the child's council, counts from 1 to 4 withheld
// ("c") with the DfE's secondary suppression.
type referralsDTO struct {
	All             referralRateDTO     `json:"all"`
	ByKind          []referralRateDTO   `json:"by_kind"`
	ByNeed          []referralRateDTO   `json:"by_need"`
	Children        figureDTO           `json:"children_referred"`
	NoneAgreed      figureDTO           `json:"children_no_home_agreed"`
	OneAgreed       figureDTO           `json:"children_one_home_agreed"`
	TwoAgreed       figureDTO           `json:"children_two_or_more_homes_agreed"`
	TwoAgreedPct    figureDTO           `json:"children_two_or_more_homes_agreed_pct"`
	NoneAgreedPct   figureDTO           `json:"children_no_home_agreed_pct"`
	FirstAcceptance []referralTimingDTO `json:"first_acceptance"`
	// ToPlacement is the days from a child's first referral in the year to their move into a
	// home, of the children referred who have since moved.
	ToPlacement    referralToPlacementDTO `json:"referral_to_placement"`
	FeesCompared   figureDTO              `json:"fees_compared"`
	FeesAbove      figureDTO              `json:"fees_above_framework"`
	FeesAbovePct   figureDTO              `json:"fees_above_framework_pct"`
	MedianFeeRatio figureDTO              `json:"median_fee_to_framework_ratio"`
	// FrameworkPrices are the prices of the scope's councils the fees were set against, each
	// with its note (where it comes from), in the report's price_year.
	FrameworkPrices []frameworkPriceDTO `json:"framework_prices"`
	Sentences       []string            `json:"sentences"`
	// Providers are England's figures by provider, most referrals first: only in England's view.
	Providers []referralRateDTO `json:"providers,omitempty"`
}

// referralRateDTO is one group's referrals and the providers' answers.
type referralRateDTO struct {
	Key         string    `json:"key"`
	Label       string    `json:"label"`
	Referrals   figureDTO `json:"referrals"`
	Accepted    figureDTO `json:"accepted"`
	Declined    figureDTO `json:"declined"`
	NoAnswer    figureDTO `json:"not_answered"`
	AcceptedPct figureDTO `json:"accepted_pct"`
	DeclinedPct figureDTO `json:"declined_pct"`
}

// referralTimingDTO is the days from a child's first referral to the first acceptance.
type referralTimingDTO struct {
	Key        string    `json:"key"`
	Label      string    `json:"label"`
	Children   figureDTO `json:"children_with_an_acceptance"`
	MedianDays figureDTO `json:"median_days"`
	P90Days    figureDTO `json:"p90_days"`
}

// referralToPlacementDTO is the time waited from referral to placement.
type referralToPlacementDTO struct {
	Children   figureDTO `json:"children_moved"`
	MedianDays figureDTO `json:"median_days"`
	P90Days    figureDTO `json:"p90_days"`
}

func fromReferralRate(r sufficiency.ReferralRate) referralRateDTO {
	return referralRateDTO{Key: r.Key, Label: r.Label, Referrals: fig(r.Referrals), Accepted: fig(r.Accepted), Declined: fig(r.Declined),
		NoAnswer: fig(r.NoAnswer), AcceptedPct: fig(r.AcceptedPct), DeclinedPct: fig(r.DeclinedPct)}
}

// fromReferrals is the scope's referral figures, nil when the report was given no referrals.
func fromReferrals(r *sufficiency.Report, v *sufficiency.View) *referralsDTO {
	f := v.Scope.Referrals
	if f == nil {
		return nil
	}
	out := &referralsDTO{All: fromReferralRate(f.All), ByKind: []referralRateDTO{}, ByNeed: []referralRateDTO{},
		Children: fig(f.Children), NoneAgreed: fig(f.NoneAgreed), OneAgreed: fig(f.OneAgreed), TwoAgreed: fig(f.TwoAgreed),
		TwoAgreedPct: fig(f.TwoAgreedPct), NoneAgreedPct: fig(f.NoneAgreedPct), FirstAcceptance: []referralTimingDTO{},
		FeesCompared: fig(f.FeesCompared), FeesAbove: fig(f.FeesAbove), FeesAbovePct: fig(f.FeesAbovePct),
		MedianFeeRatio: fig(f.MedianFeeRatio), Sentences: append([]string{}, f.Sentences...),
		ToPlacement: referralToPlacementDTO{Children: fig(f.ToPlacement.Children), MedianDays: fig(f.ToPlacement.MedianDays), P90Days: fig(f.ToPlacement.P90Days)}}
	for _, rr := range f.ByKind {
		out.ByKind = append(out.ByKind, fromReferralRate(rr))
	}
	out.FrameworkPrices = []frameworkPriceDTO{}
	for _, p := range r.FrameworkPrices(v.Scope.Area) {
		out.FrameworkPrices = append(out.FrameworkPrices, fromFrameworkPrice(p))
	}
	for _, rr := range f.ByNeed {
		out.ByNeed = append(out.ByNeed, fromReferralRate(rr))
	}
	for _, tm := range f.FirstAcceptance {
		out.FirstAcceptance = append(out.FirstAcceptance, referralTimingDTO{Key: tm.Key, Label: tm.Label, Children: fig(tm.Children),
			MedianDays: fig(tm.MedianDays), P90Days: fig(tm.P90Days)})
	}
	if v.Scope.Area.Level == sufficiency.LevelEngland {
		for _, p := range r.Providers {
			out.Providers = append(out.Providers, fromReferralRate(p))
		}
	}
	return out
}
