// Package catalogue is placematch's vocabulary: children waiting for a home, the sibling groups
// they belong to, the placements that could take them (foster households, kinship carers,
// children's homes, supported accommodation), their vacancies, and the offers and match runs
// that connect the two; and each child's placement history (Episode, with the SSDA903 reason
// each placement ended), the reviews unplanned moves open for their independent reviewing
// officer (MoveReview), the check-ins they make after a move (CheckIn, CheckInPlan), the private
// links that open the child's pages for an offer or a check-in (ChildLink, ChildSession), and the
// stability indicators computed from a history by pure functions (StabilityOf,
// SummariseStability, TrendOf); and the support plans made when a match is accepted for the
// needs the home's carers are not trained for (SupportPlan, from SupportFor, with Coverage the
// one meaning of a need covered, and SummariseSupport for commissioners). It imports only the
// standard library.
//
// Field names follow the Placements Data Standard v2 (data/placements-standard-v2.json) where it
// has a term. Every type has a Validate method that reports each bad field by name, so that the
// API and the importers can tell a user exactly what to fix.
//
// The Store, HistoryStore and SupportStore interfaces are implemented in a subpackage (catalogue/sqlstore) for
// PostgreSQL and the embedded default; nothing here knows how records are kept.
package catalogue
