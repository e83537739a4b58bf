package matcher

import "github.com/placematch/placematch/catalogue"

// OfferOptions turns ranked options into the options of an offer: the first two are the child's
// choices and the rest back-ups, each with its score, reasons and distances. A match run makes
// its offers with it too, before catalogue stores' CreateOffer.
func OfferOptions(opts []Option) []catalogue.Option {
	out := make([]catalogue.Option, 0, len(opts))
	for i, o := range opts {
		role := catalogue.RoleChoice
		if i >= 2 {
			role = catalogue.RoleBackup
		}
		out = append(out, OfferOption(o, role))
	}
	return out
}

// OfferOption turns one ranked option into an option of an offer with the given role.
func OfferOption(o Option, role catalogue.OptionRole) catalogue.Option {
	return catalogue.Option{
		Rank: o.Rank, Role: role, Placement: o.Placement.ID, Score: o.Result.Total, Quality: o.Result.Quality,
		Factors: append([]catalogue.FactorScore(nil), o.Result.Factors...), WeeklyCost: o.Result.WeeklyCost,
		HomeKm: o.HomeKm, SchoolKm: o.Result.SchoolKm, ContactKm: append([]float64(nil), o.Result.ContactKm...),
	}
}
