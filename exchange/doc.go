// Package exchange reads and writes children and placements as CSV and JSON files, the way
// councils exchange referral and placement data: an administrator imports a council's file
// (Decode, then Store.Import) and exports the catalogue (EncodeChildren, EncodePlacements).
//
// Field names are Placements Data Standard v2 terms where the standard has one (childId,
// neededBy, siblingCount, specificCommunicationRequirements, livingCompanions, pets,
// riskToOthersPhysical, providerURN, placementType, totalWeeklyCost) and placematch's own
// snake_case names otherwise. Categorical values may be the catalogue's own ("only_older") or
// the standard's ("Only with other older children"), in any case and spacing; export writes the
// catalogue's own, so an export imports back to the same records.
//
// Keys. A record's id is a key local to the file. A child names its sibling group by the
// group's key, in the same file. A placements file names stored children (kinship
// connected_to, a vacancy's child) by their stored IDs; a placement's provider is a stored
// provider's ID, or, in JSON, the key of a provider defined in the file's "providers" list.
// Decode turns keys into the batch-local negative IDs of catalogue.Batch: the n-th record of a
// kind has ID -n.
//
// CSV. One row per child or placement, a header first. Lists of codes, numbers or dates share
// one cell, separated by semicolons (allergies "dog;cat", needs "trauma:3;autism:2", vacancies
// "2026-02-01;2026-03-01:held:1234"). Lists of things with free text (contacts, exclusion
// zones, carers, household members) are numbered column groups (contact1_name,
// contact1_relationship, ..., contact2_name, ...), so every value a person types has a cell of
// its own and needs no quoting rules; the header holds as many groups as the file needs.
// Dates are YYYY-MM-DD (DD/MM/YYYY is read too). Text cells that start with =, +, -, @, a tab
// or a carriage return are written with a leading single quote so spreadsheets do not run
// them as formulas, and the quote is removed on import.
//
// Referrals. Past referrals of stored children to stored homes and the providers' answers
// (DecodeFile, then Store.ImportReferrals; EncodeReferrals), with no free text either way:
// see referrals.go.
//
// JSON. An object {"children": [...], "sibling_groups": [...]}, {"placements": [...],
// "providers": [...]} or {"referrals": [...]}, read strictly: unknown fields are errors, numbers must fit their fields,
// dates are "YYYY-MM-DD".
//
// docs/exchange.md lists every column and field, with an example file of each kind.
package exchange
