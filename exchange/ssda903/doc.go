// Package ssda903 reads and writes the SSDA903 return, the "children looked after" return
// every council in England sends the DfE each year, in the DfE's CSV layout: a Header file (a
// row per child: CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB) and an Episodes file (a row per
// change of legal status or placement: CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC,
// REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN).
//
// Decode reads one council's files, several years merged, into a catalogue.Batch of children
// and their placement histories, checking every row and reporting every problem by file, row
// and column; nothing of a bad return is kept. Imported children are history, not children
// waiting: their status is closed (placematch is not searching for them), their SSDA903 id is
// their case reference, and each episode keeps the return's codes (catalogue.ReturnCodes).
// Postcodes are never kept whole: only their outward code, which locates the child's home
// from a postcode-district file when one is given, and at the council's centre otherwise.
// UPN, MOTHER and MC_DOB are not needed, and are dropped and counted.
//
// Encode writes children's histories back as the return's two files, in the DfE's codes and
// date format (DD/MM/YYYY), one episode per change, so that a round trip keeps every episode
// and the synthetic England can be checked with the sector's own validation tools.
//
// The code tables are catalogue's (catalogue/ssda903.go), from the DfE's "Children looked
// after return 2024 to 2025: guide"; docs/exchange.md describes the mapping.
package ssda903
