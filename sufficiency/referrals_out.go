package sufficiency

import (
	"encoding/csv"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/exchange"
)

// WriteReferralCSV writes the referral figures of the areas given (those with figures) as a
// long table: one line per area, figure and breakdown, the value as the DfE prints it (c
// withheld, z not applicable). England's figures by provider follow, with the area England
// and the breakdown the provider's ID.
func WriteReferralCSV(w io.Writer, r *Report, areas []*AreaReport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"level", "area_code", "area_name", "figure", "breakdown", "breakdown_label", "value"}); err != nil {
		return err
	}
	put := func(a *AreaReport, figure, key, label string, f Figure) {
		_ = cw.Write([]string{string(a.Area.Level), a.Area.Code, exchange.EscapeCell(a.Area.Name), figure, key, exchange.EscapeCell(label), f.String()})
	}
	rate := func(a *AreaReport, rr ReferralRate) {
		put(a, "referrals", rr.Key, rr.Label, rr.Referrals)
		put(a, "accepted", rr.Key, rr.Label, rr.Accepted)
		put(a, "declined", rr.Key, rr.Label, rr.Declined)
		put(a, "not_answered", rr.Key, rr.Label, rr.NoAnswer)
		put(a, "accepted_pct", rr.Key, rr.Label, rr.AcceptedPct)
		put(a, "declined_pct", rr.Key, rr.Label, rr.DeclinedPct)
	}
	for _, a := range areas {
		f := a.Referrals
		if f == nil {
			continue
		}
		rate(a, f.All)
		for _, rr := range f.ByKind {
			rate(a, rr)
		}
		for _, rr := range f.ByNeed {
			rate(a, rr)
		}
		put(a, "children_referred", "all", "all children", f.Children)
		put(a, "children_no_home_agreed", "all", "all children", f.NoneAgreed)
		put(a, "children_one_home_agreed", "all", "all children", f.OneAgreed)
		put(a, "children_two_or_more_homes_agreed", "all", "all children", f.TwoAgreed)
		put(a, "children_two_or_more_homes_agreed_pct", "all", "all children", f.TwoAgreedPct)
		for _, tm := range f.FirstAcceptance {
			put(a, "children_with_an_acceptance", tm.Key, tm.Label, tm.Children)
			put(a, "days_to_first_acceptance_median", tm.Key, tm.Label, tm.MedianDays)
			put(a, "days_to_first_acceptance_p90", tm.Key, tm.Label, tm.P90Days)
		}
		tp := f.ToPlacement
		put(a, "children_moved_since_referral", tp.Key, tp.Label, tp.Children)
		put(a, "days_referral_to_placement_median", tp.Key, tp.Label, tp.MedianDays)
		put(a, "days_referral_to_placement_p90", tp.Key, tp.Label, tp.P90Days)
		put(a, "fees_compared", "all", "accepted referrals with a fee and a framework price", f.FeesCompared)
		put(a, "fees_above_framework", "all", "accepted referrals with a fee and a framework price", f.FeesAbove)
		put(a, "fees_above_framework_pct", "all", "accepted referrals with a fee and a framework price", f.FeesAbovePct)
		put(a, "median_fee_to_framework_ratio", "all", "accepted referrals with a fee and a framework price", f.MedianFeeRatio)
	}
	if len(r.Areas) > 0 && r.England().Referrals != nil {
		e := r.England()
		for _, p := range r.Providers {
			put(e, "provider_referrals", p.Key, p.Label, p.Referrals)
			put(e, "provider_accepted", p.Key, p.Label, p.Accepted)
			put(e, "provider_declined", p.Key, p.Label, p.Declined)
			put(e, "provider_accepted_pct", p.Key, p.Label, p.AcceptedPct)
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeReferrals writes an area's referral figures in the plain-text report.
func writeReferrals(w io.Writer, a *AreaReport) {
	f := a.Referrals
	if f == nil {
		return
	}
	fmt.Fprintln(w, "\nReferrals in the year")
	if len(f.Sentences) == 0 {
		fmt.Fprintln(w, "  Too few referrals to show (counts from 1 to 4 are withheld), or none.")
	}
	for _, s := range f.Sentences {
		fmt.Fprintln(w, "  "+s)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\nKind of home\treferrals\taccepted %%\tdeclined %%\tmedian days to first yes\t90th percentile\t\n")
	for i, r := range f.ByKind {
		tm := f.FirstAcceptance[i+1]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Label, r.Referrals, r.AcceptedPct, r.DeclinedPct, tm.MedianDays, tm.P90Days)
	}
	fmt.Fprintf(tw, "all\t%s\t%s\t%s\t%s\t%s\t\n", f.All.Referrals, f.All.AcceptedPct, f.All.DeclinedPct, f.FirstAcceptance[0].MedianDays, f.FirstAcceptance[0].P90Days)
	tw.Flush()
	tp := f.ToPlacement
	fmt.Fprintf(w, "\nFrom referral to placement (children referred in the year who have since moved into a home): %s children, median %s days, 90th percentile %s days\n",
		tp.Children, tp.MedianDays, tp.P90Days)
}

// maxPricesListed bounds the framework prices the text report lists one by one.
const maxPricesListed = 12

// writeFrameworkPrices lists the framework prices of the scope's councils the fees were set
// against, each with its note, in the report's price basis; only when there are a few (a
// council's, or a small region's).
func writeFrameworkPrices(w io.Writer, r *Report, a *AreaReport) {
	ps := r.FrameworkPrices(a.Area)
	if len(ps) == 0 {
		return
	}
	if len(ps) > maxPricesListed {
		fmt.Fprintf(w, "\nFramework prices: %d set by the councils of %s (money in %s).\n", len(ps), a.Area.Name, r.PriceBasis())
		return
	}
	fmt.Fprintf(w, "\nFramework prices (money in %s)\n", r.PriceBasis())
	for _, p := range ps {
		note := ""
		if p.Note != "" {
			note = " (" + p.Note + ")"
		}
		name := string(p.Council)
		if c, ok := catalogue.CouncilByCode(p.Council); ok {
			name = c.Name
		}
		fmt.Fprintf(w, "  %s, %s: £%d a week%s\n", name, kindLabel(p.Kind), p.WeeklyPrice, note)
	}
}
