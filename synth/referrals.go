package synth

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Referral histories: for every placement a child began in a catalogue home in the year to
// Today, the referrals that found it. No published source gives these rates for England (the
// Placements Data Standard has no response fields, and no national return counts providers'
// answers), so every rate here is an ASSUMPTION, set to give the commissioners' report
// figures of a plausible shape, and docs/sufficiency.md lists them as such:
//
//   - a child (not looking for a home now) who moved in the year was referred to the home they
//     went to (when it is not in the catalogue, a catalogue home of its kind and council stands
//     in for it) and to 1 to 5 other homes of the same kind in the same council (fewer when the
//     council has fewer; none for kinship carers, who are assessed for one child);
//   - a provider answers 90% of referrals; of those it answers, it accepts by kind of home
//     (council foster 45%, agency foster 30%, children's home 25%, supported accommodation
//     35%, kinship 90%); the Competition and Markets Authority's children's social care market
//     study (final report, March 2022) describes providers choosing among referrals and
//     children with the most complex needs finding it hardest to be accepted, so a child at
//     risk of exploitation, who goes missing or misuses drugs or alcohol is accepted at 0.6
//     times the rate (the factor is an assumption, not the CMA's figure);
//   - declines give no capacity 35%, matching concerns with the children already there 30%,
//     cannot meet the child's needs 25%, location 7%, other 3%;
//   - referrals are sent 1 to 14 days before the move (an emergency: the day before, with a
//     4-hour window); declines come a mean of 8 hours after sending, acceptances a mean of 30
//     hours (exponential), within the response window;
//   - an independent provider's fee is the home's weekly cost times 0.95 to 1.25 (spot
//     purchases above the framework are common, per the CMA study; the spread is assumed);
//     a council's own carers and kinship carers charge no fee.

// referralRates are the assumptions above.
var (
	acceptRate = map[catalogue.PlacementKind]float64{
		catalogue.CouncilFoster: 0.45, catalogue.AgencyFoster: 0.30, catalogue.ChildrensHome: 0.25,
		catalogue.SupportedAccommodation: 0.35, catalogue.Kinship: 0.90,
	}
	answerRate      = 0.90
	complexFactor   = 0.6
	declineReasons  = tableOf(catalogue.DeclineReasons, 0.35, 0.30, 0.25, 0.07, 0.03)
	declineMeanHrs  = 8.0
	acceptMeanHrs   = 30.0
	streamReferrals = uint64(9)
)

// complexNeeds are the needs that make an acceptance less likely (see above).
var complexNeeds = []catalogue.NeedKind{catalogue.NeedExploitationCSE, catalogue.NeedExploitationCCE, catalogue.NeedMissing,
	catalogue.NeedSubstanceUse}

// Referrals returns the referral histories of a generated batch (in its batch-local IDs: a
// child, home and provider are named by their negative keys), sent and answered before today:
// deterministic for the batch and seed.
func Referrals(b catalogue.Batch, today time.Time, seed uint64) []catalogue.Referral {
	today = catalogue.Day(today)
	since := today.Add(-365 * 24 * time.Hour)
	type key struct {
		council catalogue.CouncilCode
		kind    catalogue.PlacementKind
	}
	homes := map[key][]int{}
	at := map[catalogue.PlacementID]int{}
	for i := range b.Placements {
		p := &b.Placements[i]
		at[p.ID] = i
		k := key{p.Council, p.Kind}
		homes[k] = append(homes[k], i)
	}
	child := map[catalogue.ChildID]int{}
	for i := range b.Children {
		child[b.Children[i].ID] = i
	}
	r := newRand(seed, 0, streamReferrals)
	var out []catalogue.Referral
	seen := map[[2]int64]bool{}
	for _, e := range b.Episodes {
		ci, okc := child[e.Child]
		kind := catalogue.PlacementKind(e.Setting)
		if !okc || !kind.Valid() || e.Start.Before(since) || !e.Start.Before(today) {
			continue
		}
		c := &b.Children[ci]
		if c.Status == catalogue.ChildWaiting || c.Status == catalogue.ChildOffered {
			continue // a child looking for a home now keeps only the referrals sent for it
		}
		// The home the child went to: the episode's, or, when it is not in the catalogue (most
		// are not), a catalogue home of the same kind in the same council standing in for it.
		pi, ok := at[e.Placement]
		var cands []int
		if ok {
			cands = homes[key{b.Placements[pi].Council, kind}]
		} else {
			cands = homes[key{e.PlacedIn, kind}]
			if len(cands) == 0 || kind == catalogue.Kinship {
				continue
			}
			pi = cands[r.IntN(len(cands))]
		}
		home := &b.Placements[pi]
		if seen[[2]int64{int64(c.ID), int64(home.ID)}] {
			continue
		}
		seen[[2]int64{int64(c.ID), int64(home.ID)}] = true
		lead := between(r, 1, 14)
		emergency := lead == 1
		sent := catalogue.Day(e.Start).AddDate(0, 0, -lead).Add(10 * time.Hour)
		if sent.Before(since) {
			sent = since.Add(10 * time.Hour)
		}
		complex := slices.ContainsFunc(c.Needs, func(n catalogue.Need) bool { return n.Level > 0 && slices.Contains(complexNeeds, n.Kind) })
		others := slices.DeleteFunc(slices.Clone(cands), func(i int) bool {
			return i == pi || seen[[2]int64{int64(c.ID), int64(b.Placements[i].ID)}]
		})
		r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		others = others[:min(len(others), between(r, 1, 5))]
		if home.Kind == catalogue.Kinship {
			others = nil // kinship carers are assessed for one child: no one else is asked
		}
		window := catalogue.ResponseWindow(emergency)
		refer := func(p *catalogue.Placement, went bool) {
			seen[[2]int64{int64(c.ID), int64(p.ID)}] = true
			ref := catalogue.Referral{Child: c.ID, Council: c.Council, Placement: p.ID, Provider: p.Provider, Emergency: emergency,
				Deadline: sent.Add(window), CreatedAt: sent}
			rate := acceptRate[p.Kind]
			if complex {
				rate *= complexFactor
			}
			answered := went || chance(r, answerRate)
			accepted := went || (answered && chance(r, rate))
			switch {
			case !answered:
				ref.Status, ref.Reason = catalogue.ReferralExpired, "the provider did not answer by the deadline"
			case accepted:
				at := sent.Add(hoursWithin(r, acceptMeanHrs, window))
				ref.Response = &catalogue.ReferralResponse{Accepted: true, At: at, WeeklyFee: fee(r, p),
					Impact: "The home considered the children already living there and can meet the child's needs."}
				ref.Status = catalogue.ReferralAccepted
				if !went {
					ref.Status, ref.Reason = catalogue.ReferralWithdrawn, "another home was chosen"
				}
			default:
				ref.Response = &catalogue.ReferralResponse{Decline: declineReasons.pick(r), At: sent.Add(hoursWithin(r, declineMeanHrs, window))}
				if ref.Response.Decline == catalogue.DeclineOther {
					ref.Response.Note = "The home is closing to new referrals for refurbishment."
				}
				ref.Status = catalogue.ReferralDeclined
			}
			if ref.Response != nil && !ref.Response.At.Before(today) {
				ref.Response.At = today.Add(-time.Minute)
			}
			out = append(out, ref)
		}
		refer(home, true)
		for _, i := range others {
			refer(&b.Placements[i], false)
		}
	}
	slices.SortStableFunc(out, func(a, b catalogue.Referral) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

// hoursWithin is an exponential time with the mean given, inside the response window.
func hoursWithin(r *rand.Rand, mean float64, window time.Duration) time.Duration {
	d := time.Duration(r.ExpFloat64() * mean * float64(time.Hour)).Round(time.Minute)
	return min(max(d, 10*time.Minute), window-time.Minute)
}

// fee is an independent provider's weekly fee for the home (see above); 0 for a council's own
// carers and kinship carers.
func fee(r *rand.Rand, p *catalogue.Placement) int {
	if p.Kind == catalogue.CouncilFoster || p.Kind == catalogue.Kinship || p.WeeklyCost <= 0 {
		return 0
	}
	return min(roundTo(float64(p.WeeklyCost)*uniform(r, 0.95, 1.25), 5), catalogue.MaxWeeklyFee)
}

// FrameworkPrices returns the demo's framework prices: for every council, agency foster care,
// children's homes and supported accommodation at the median weekly cost of the council's
// homes of that kind in the batch (rounded to £5), where it has at least three. An ASSUMPTION:
// real frameworks' prices are set by tender and are not published in one place.
func FrameworkPrices(b catalogue.Batch) []catalogue.FrameworkPrice {
	costs := map[catalogue.CouncilCode]map[catalogue.PlacementKind][]int{}
	for _, p := range b.Placements {
		if p.Kind != catalogue.AgencyFoster && p.Kind != catalogue.ChildrensHome && p.Kind != catalogue.SupportedAccommodation || p.WeeklyCost <= 0 {
			continue
		}
		if costs[p.Council] == nil {
			costs[p.Council] = map[catalogue.PlacementKind][]int{}
		}
		costs[p.Council][p.Kind] = append(costs[p.Council][p.Kind], p.WeeklyCost)
	}
	var out []catalogue.FrameworkPrice
	for council, byKind := range costs {
		for kind, cs := range byKind {
			if len(cs) < 3 {
				continue
			}
			slices.Sort(cs)
			price := max(roundTo(float64(cs[len(cs)/2]), 5), catalogue.MinFrameworkPrice)
			out = append(out, catalogue.FrameworkPrice{Council: council, Kind: kind, WeeklyPrice: min(price, catalogue.MaxFrameworkPrice),
				Note: "An assumption of the synthetic demo: the median weekly cost of the council's homes of this kind."})
		}
	}
	slices.SortFunc(out, func(a, b catalogue.FrameworkPrice) int {
		return cmp.Or(cmp.Compare(a.Council, b.Council), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}
