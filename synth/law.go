package synth

import "github.com/placematch/placematch/catalogue"

// The synthetic England obeys the law as the service applies it (catalogue/law.go): children's
// homes and supported accommodation are registered with Ofsted under their URN; foster
// households are approved for at most three children (the usual fostering limit; a kinship
// home takes more only when they are one family's brothers and sisters); every foster carer's
// approval is in date on the day the world is made, reviewed in the year before it; and a
// connected person caring for a child who is still waiting holds a temporary approval given in
// the last 13 weeks (regulation 24: 16 weeks), so that some are about to lapse. The dates come
// from the placement's key, not the random stream, so the rest of the world is as it was.

// lawful stamps a placement with the law's facts, once its kind and household are decided.
func (g *gen) lawful(pl *catalogue.Placement, waiting bool) {
	k := spread(pl.ID)
	switch {
	case pl.Kind == catalogue.SupportedAccommodation:
		pl.Registration = catalogue.Registered
		pl.SupportedOutcome = supportedOutcome(pl.Provider)
	case pl.Kind.MustRegister():
		pl.Registration = catalogue.Registered
	case pl.Kind == catalogue.Kinship && waiting:
		pl.TemporaryApproval = &catalogue.TemporaryApproval{From: g.today.AddDate(0, 0, -int(k%91))}
	default:
		pl.Approval.From = g.today.AddDate(0, 0, -1-int(k%364))
		pl.Approval.Until = pl.Approval.From.AddDate(0, 0, 365) // in days, so that every year (leap or not) makes the same world
	}
}

// spread turns a placement's key into a well-mixed number (Knuth's multiplicative hash).
func spread(id catalogue.PlacementID) uint64 {
	return (uint64(-id) * 2654435761) >> 7
}

// supportedOutcome is a supported accommodation provider's outcome on Ofsted's three-outcome
// model (catalogue.SupportedOutcome), the same for every setting of the provider, as Ofsted
// inspects the provider. The rates are an assumption, labelled as such: no national figures of
// the outcomes were found when this was written. Ofsted began inspecting in September 2024 and
// inspects each provider at least once every three years, so about a third are taken as not
// yet inspected; of the rest, 55% consistently strong, 38% inconsistent and 7% serious or
// widespread weaknesses, near the shares children's homes have of good or better, requires
// improvement and inadequate. Drawn from the provider's key, not the random stream.
func supportedOutcome(prov catalogue.ProviderID) catalogue.SupportedOutcome {
	switch x := (uint64(-prov) * 2654435761 >> 7) % 1000; {
	case x < 350:
		return catalogue.OutcomeNone
	case x < 350+358: // 55% of the 65% inspected
		return catalogue.OutcomeStrong
	case x < 350+358+247: // 38%
		return catalogue.OutcomeInconsistent
	}
	return catalogue.OutcomeSerious // 7%: 45 in 1,000
}
