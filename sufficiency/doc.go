// Package sufficiency tells commissioners where need outstrips supply, for whom, and what
// recruiting would change (DESIGN.md section 6).
//
// An analysis takes a snapshot of the catalogue held in memory (Input: the children waiting,
// their sibling groups, every placement with its vacancies, the scoring policy of each council)
// and, for every child looking for a home:
//
//   - lists every placement within the policy's maximum distance that passes every hard
//     constraint (the supply that can meet the child's need) and so counts their real choices
//     (two, one, none) as an officer asking for the child's options would find them: the
//     matcher's snapshot scans for them (Snapshot.Suitable makes Engine.Options' checks, on the
//     same index), and Engine.Options itself answers for every child short of two, with its
//     account of the constraints; for those children, the constraints that stood alone between
//     them and a home are counted too (Snapshot.Obstacles);
//   - places every child jointly, so that one vacancy is not counted for every child who could
//     use it: through the Matcher interface, a primary and a back-up placement for each child or
//     sibling group (FlowMatcher: the batch matcher's exact min-cost flow, Engine.Match);
//
// and sums the outcomes for England, each region and each council, broken down by need segment
// (age band x care type x key need) and by the equity groups of age band, disability,
// ethnicity and sibling-group size. Counts of children under 5 are suppressed as the DfE does,
// with secondary suppression wherever a total and its parts would let a withheld figure be
// worked out by subtraction (see suppress.go). Places (supply) are not personal data and are
// never suppressed.
//
// Leaving care: for each area, the young people in care (or coming into care) aged 16 or 17 on
// the day, all of them and not only those waiting, who turn 18 within two years (from the
// placement histories, Input.TurningEighteen), against the Staying Put places in the area (the
// approved places, filled or free, of active foster and kinship households willing to let a
// young person stay on after 18, up to 21), and the gap between them. The young people are
// children, withheld from 1 to 4 and protected along the areas (suppressAlongAreas), with the
// gap; the places are not.
//
// What-if analyses add carers or homes of a given profile in an area, rebuild the engine over
// the enlarged catalogue (matcher.NewEngineFrom) and rerun; the recruitment planner finds, step
// by step, the council where the next carer would close the most of the choice gap.
//
// The package imports catalogue, scoring and matcher; never a storage driver or HTTP
// (architecture_test.go). Service loads the snapshot through small interfaces the store
// satisfies and caches the report with an explicit freshness time.
package sufficiency
