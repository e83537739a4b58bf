// Package matcher finds homes for children: the candidate search around a child's anchors over an
// S2 cell index of the catalogue held in memory, the ranked options for one child, and (in
// matcher/mcf and batch.go) the joint assignment of every child waiting.
//
// It imports scoring and catalogue types, never a storage driver or HTTP: the snapshot is loaded
// through the catalogue.Store interface.
package matcher
