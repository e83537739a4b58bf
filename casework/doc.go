// Package casework holds placematch's use cases, the sector's word for the work a placement team
// does on a child's case: assembling a child's request to the matcher (with the one builder
// every search uses, matcher.Case), finding their options with the one rule for brothers and
// sisters planned together if possible, making an offer (from the search, from the homes an
// officer names, or from a match run, all or nothing), deciding it with the household rules
// checked in the store's transaction, and replacing a choice that fell through; and match runs
// (Runs): every child waiting matched jointly, stored transactionally, and the children's
// preferences between their offers settled by deferred acceptance.
//
// The API parses a request, makes one call here and renders the answer; this package reads the
// records through Store (catalogue's interfaces of the aggregates it works on), asks the
// matcher and scoring, and ends the transactions in the store. It imports no HTTP and no storage driver.
package casework
