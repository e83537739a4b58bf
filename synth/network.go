package synth

import (
	"math/rand/v2"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Family networks: the people a waiting child's family, the child or their social worker named as
// someone who might care for them, each with the viability assessment that says whether they
// could (Children Act 1989 s22C(7): a connected person comes before other foster carers; the
// Family Rights Group's and the Care Review's family-first asks). No national return counts
// them, so every rate here is an ASSUMPTION, set so that the demo shows the family-first journey
// in each of its states, and docs/sufficiency.md lists them as such:
//
//   - 40% of the children waiting have a network; of those, a half name one person, a third
//     two and the rest three;
//   - a person is a grandparent (35%), an aunt or uncle (30%), a family friend (15%), an adult
//     brother or sister (10%) or another relative (10%), named at a family group conference
//     (40%), by the social worker (30%), by the family (20%) or by the child (10%);
//   - their assessment is pending (55%, due 3 to 28 days ahead, a tenth of them overdue by up
//     to a week), passed (15%: the officer may place the child with them), not passed (20%) or
//     withdrawn (10%), decided 1 to 60 days ago.

var (
	networkShare   = 0.40
	networkSizes   = tableOf([]int{1, 2, 3}, 0.50, 0.33, 0.17)
	networkRels    = tableOf([]catalogue.Relationship{catalogue.RelGrandparent, catalogue.RelAuntUncle, catalogue.RelFriend, catalogue.RelSibling, catalogue.RelOther}, 0.35, 0.30, 0.15, 0.10, 0.10)
	networkNamedBy = tableOf([]catalogue.NamedBy{catalogue.NamedAtFGC, catalogue.NamedBySocialWorker, catalogue.NamedByFamily, catalogue.NamedByChild}, 0.40, 0.30, 0.20, 0.10)
	networkOutcome = tableOf([]catalogue.Viability{catalogue.ViabilityPending, catalogue.ViabilityPassed, catalogue.ViabilityNotPassed, catalogue.ViabilityWithdrawn}, 0.55, 0.15, 0.20, 0.10)
	streamNetworks = uint64(11)
)

// networkNames are how a family names the people of a network, by relationship.
var networkNames = map[catalogue.Relationship][]string{
	catalogue.RelGrandparent: {"Nan Pat", "Grandad Joe", "Nana Rose", "Grandma Ayesha", "Grandpa Dev", "Nanna Jean", "Grandad Tunde", "Nain Eleri"},
	catalogue.RelAuntUncle:   {"Auntie Grace", "Uncle Sam", "Auntie Priya", "Uncle Kofi", "Auntie Lou", "Uncle Marek", "Auntie Sinead", "Uncle Imran"},
	catalogue.RelFriend:      {"Sue, a family friend", "Mo, Mum's friend", "Carol next door", "Dad's friend Gary", "Jas, a family friend"},
	catalogue.RelSibling:     {"big sister Chloe", "big brother Liam", "older sister Amira", "older brother Kyle"},
	catalogue.RelOther:       {"cousin Jade", "great-aunt Maureen", "step-grandma Linda", "cousin Ravi"},
}

// notPassedReasons and withdrawnReasons are why an assessment ended without a home.
var (
	notPassedReasons = []string{"not enough room at home for the child, and no move planned",
		"could not keep the child safe from a parent the child must not see",
		"health means they could not care for a young child full time",
		"the home is too far for the child to keep their school and family time"}
	withdrawnReasons = []string{"decided they could not take the child on with their own children",
		"moved abroad for work", "the family agreed another relative was better placed"}
)

// FamilyNetworks returns the family networks of a generated batch's waiting children (in its
// batch-local IDs: a child is named by its negative key), deterministic for the batch and
// seed; an assessment's days are counted from today.
func FamilyNetworks(b catalogue.Batch, today time.Time, seed uint64) []catalogue.NetworkMember {
	today = catalogue.Day(today)
	rng := rand.New(rand.NewPCG(seed, streamNetworks))
	var out []catalogue.NetworkMember
	for _, c := range b.Children {
		if c.Status != catalogue.ChildWaiting || rng.Float64() >= networkShare {
			continue
		}
		for range networkSizes.pick(rng) {
			rel := networkRels.pick(rng)
			m := catalogue.NetworkMember{Child: c.ID, Name: pickOne(rng, networkNames[rel]), Relationship: rel,
				NamedBy: networkNamedBy.pick(rng), Outcome: networkOutcome.pick(rng)}
			if m.Outcome == catalogue.ViabilityPending {
				due := 3 + rng.IntN(26)
				if rng.Float64() < 0.1 {
					due = -1 - rng.IntN(7) // overdue
				}
				m.AssessmentDue = today.AddDate(0, 0, due)
			} else {
				decided := 1 + rng.IntN(60)
				m.OutcomeOn = today.AddDate(0, 0, -decided)
				m.AssessmentDue = m.OutcomeOn.AddDate(0, 0, rng.IntN(5))
			}
			switch m.Outcome {
			case catalogue.ViabilityNotPassed:
				m.OutcomeReason = pickOne(rng, notPassedReasons)
			case catalogue.ViabilityWithdrawn:
				m.OutcomeReason = pickOne(rng, withdrawnReasons)
			}
			out = append(out, m)
		}
	}
	return out
}
