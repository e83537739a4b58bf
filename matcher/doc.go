// Package matcher finds homes for children: the candidate search around a child's anchors over an
// S2 cell index of the catalogue held in memory, the ranked options for one child (Options), the
// joint assignment of every child waiting (Match, in batch.go, solved with matcher/mcf), and the
// settling of children's preferences between their offers by deferred acceptance (Allocate).
//
// It imports scoring and catalogue types, never a storage driver or HTTP: the snapshot is loaded
// through Source, the part of catalogue.PlacementStore it reads.
package matcher
