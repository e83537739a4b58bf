package matcher

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// Source is where a snapshot is loaded from: the part of catalogue.PlacementStore it reads (the
// store satisfies it), with that interface's contract.
type Source interface {
	ListPlacements(ctx context.Context, s catalogue.Scope, f catalogue.PlacementFilter) (catalogue.Page[catalogue.Placement], error)
	Placement(ctx context.Context, s catalogue.Scope, id catalogue.PlacementID) (catalogue.Placement, error)
}

// Snapshot is the part of the catalogue matching searches: every active placement with at least
// one available place, held in memory with an S2 index over its location. A snapshot is
// immutable; the Engine swaps in a new one when the catalogue changes.
type Snapshot struct {
	placements []catalogue.Placement // by slot, ordered by ID
	points     []s2.Point            // by slot
	meta       []slotMeta            // by slot: what the prefilter reads
	council    []uint16              // by slot: the placement's council, as an index into councils
	traits     []scoring.Traits      // by slot: what bounds a placement's quality (Inside unset)
	// identity is, by slot, the placement's languages, faith and ethnicity (all the identity
	// factor reads of it) as an index into identityRep, a slot holding the same: a search
	// scores the factor once for each, not for every placement.
	identity    []int32
	identityRep []int32
	councils    map[catalogue.CouncilCode]uint16
	bySlotID    map[catalogue.PlacementID]int32
	index       *cellIndex                 // placements other than kinship
	kindIndex   [len(kindOrder)]*cellIndex // the same, one index per kind (kinship's is empty)
	kinship     map[catalogue.ChildID][]int32
	// byKinds holds, made when first asked for, the index of the placements of each set of
	// kinds a batch search asks for (indexFor).
	kindsMu sync.Mutex
	byKinds map[uint8]*cellIndex
	// sharing holds the sharing agreements between councils: every search of this snapshot
	// checks a council's own carers against them (Prepare).
	sharing  *catalogue.Sharing
	loadedAt time.Time
	age      catalogue.Stopwatch // started when the snapshot was built
	version  uint64
}

// newSnapshot indexes placements. It keeps only active placements with an available place,
// in ID order.
func newSnapshot(placements []catalogue.Placement, sharing *catalogue.Sharing, version uint64, at time.Time) *Snapshot {
	keep := make([]catalogue.Placement, 0, len(placements))
	for _, p := range placements {
		if indexable(&p) {
			keep = append(keep, p)
		}
	}
	slices.SortFunc(keep, func(a, b catalogue.Placement) int { return int(a.ID - b.ID) })
	s := &Snapshot{
		placements: keep,
		points:     make([]s2.Point, len(keep)),
		meta:       make([]slotMeta, len(keep)),
		council:    make([]uint16, len(keep)),
		traits:     make([]scoring.Traits, len(keep)),
		identity:   make([]int32, len(keep)),
		councils:   map[catalogue.CouncilCode]uint16{},
		bySlotID:   make(map[catalogue.PlacementID]int32, len(keep)),
		kinship:    map[catalogue.ChildID][]int32{},
		sharing:    sharing,
		loadedAt:   at,
		age:        catalogue.StartStopwatch(),
		version:    version,
	}
	identities := map[string]int32{}
	var spatial []s2.Point
	var slotOf []int32
	for i := range keep {
		p := &keep[i]
		s.points[i] = s2.PointFromLatLng(s2.LatLngFromDegrees(p.Location.Lat, p.Location.Lng))
		s.meta[i] = newSlotMeta(p)
		s.council[i] = s.councilIndex(p.Council)
		s.traits[i] = scoring.TraitsOf(p)
		key := identityKey(p)
		id, ok := identities[key]
		if !ok {
			id = int32(len(s.identityRep))
			identities[key] = id
			s.identityRep = append(s.identityRep, int32(i))
		}
		s.identity[i] = id
		s.bySlotID[p.ID] = int32(i)
		if p.Kind == catalogue.Kinship {
			for _, c := range p.ConnectedTo {
				s.kinship[c] = append(s.kinship[c], int32(i))
			}
			continue
		}
		spatial = append(spatial, s.points[i])
		slotOf = append(slotOf, int32(i))
	}
	s.index = newCellIndex(spatial)
	// The index numbers its points 0..n-1; map them back to snapshot slots.
	for i, slot := range s.index.slots {
		s.index.slots[i] = slotOf[slot]
	}
	// One index per kind too, so that a search for a child assessed for foster care never scans
	// children's homes, and the other way round.
	var byKind [len(kindOrder)][]int32
	for _, slot := range slotOf {
		k := kindPos(keep[slot].Kind)
		byKind[k] = append(byKind[k], slot)
	}
	for k, slots := range byKind {
		pts := make([]s2.Point, len(slots))
		for i, slot := range slots {
			pts[i] = s.points[slot]
		}
		ix := newCellIndex(pts)
		for i, j := range ix.slots {
			ix.slots[i] = slots[j]
		}
		s.kindIndex[k] = ix
	}
	return s
}

// identityKey is what scoring's identity factor reads of a placement, as one string.
func identityKey(p *catalogue.Placement) string {
	return strings.Join(p.Languages, "\x00") + "\x01" + string(p.Religion) + "\x01" + string(p.Ethnicity)
}

// indexFor returns the index of the placements (kinship carers aside) whose kind is among
// kinds (bits of kindBit): index's points filtered, so in the same order. A search for a child
// assessed for foster care scans no children's homes; kinds without a placement give an empty
// index.
func (s *Snapshot) indexFor(kinds uint8) *cellIndex {
	s.kindsMu.Lock()
	defer s.kindsMu.Unlock()
	if ix, ok := s.byKinds[kinds]; ok {
		return ix
	}
	ix := &cellIndex{}
	for i, slot := range s.index.slots {
		if s.meta[slot].kind&kinds != 0 {
			ix.cells = append(ix.cells, s.index.cells[i])
			ix.slots = append(ix.slots, slot)
			ix.points = append(ix.points, s.index.points[i])
		}
	}
	if s.byKinds == nil {
		s.byKinds = map[uint8]*cellIndex{}
	}
	s.byKinds[kinds] = ix
	return ix
}

// noCouncil is the council index of a council no placement in the snapshot is in.
const noCouncil = 0xffff

// councilIndex returns a council's index in s.councils, adding it if need be (while the
// snapshot is built); the noCouncil-th council and any beyond get noCouncil, which a bound
// must treat as possibly the child's own.
func (s *Snapshot) councilIndex(c catalogue.CouncilCode) uint16 {
	if i, ok := s.councils[c]; ok {
		return i
	}
	i := uint16(min(len(s.councils), noCouncil))
	if i < noCouncil {
		s.councils[c] = i
	}
	return i
}

// councilOf returns a council's index in the snapshot, or noCouncil when no placement is there.
func (s *Snapshot) councilOf(c catalogue.CouncilCode) uint16 {
	if i, ok := s.councils[c]; ok {
		return i
	}
	return noCouncil
}

// kindOrder is the order of the per-kind indexes: catalogue.PlacementKinds, and one more for a
// kind outside it.
var kindOrder = [...]catalogue.PlacementKind{catalogue.CouncilFoster, catalogue.AgencyFoster, catalogue.Kinship,
	catalogue.ChildrensHome, catalogue.SupportedAccommodation, ""}

func kindPos(k catalogue.PlacementKind) int {
	for i, x := range kindOrder[:len(kindOrder)-1] {
		if x == k {
			return i
		}
	}
	return len(kindOrder) - 1
}

// indexable reports whether a placement can be offered at all: it is active and has a place that
// is available (on some date).
func indexable(p *catalogue.Placement) bool {
	if !p.Active {
		return false
	}
	for _, v := range p.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			return true
		}
	}
	return false
}

// Len is the number of placements in the snapshot.
func (s *Snapshot) Len() int { return len(s.placements) }

// LoadedAt is when the snapshot was built.
func (s *Snapshot) LoadedAt() time.Time { return s.loadedAt }

// Placement returns the snapshot's copy of a placement.
func (s *Snapshot) Placement(id catalogue.PlacementID) (*catalogue.Placement, bool) {
	slot, ok := s.bySlotID[id]
	if !ok {
		return nil, false
	}
	return &s.placements[slot], true
}

// Placements returns every placement in the snapshot, ordered by ID. Do not modify them.
func (s *Snapshot) Placements() []catalogue.Placement { return s.placements }

// load reads every active placement with a vacancy from the source.
func load(ctx context.Context, src Source) ([]catalogue.Placement, error) {
	active := true
	out, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Placement], error) {
		return src.ListPlacements(ctx, catalogue.Everything, catalogue.PlacementFilter{
			Active: &active, HasVacancy: true, After: catalogue.PlacementID(after), Limit: catalogue.MaxLimit,
		})
	})
	if err != nil {
		return nil, fmt.Errorf("matcher: loading the catalogue: %w", err)
	}
	return out, nil
}

// with returns a new snapshot in which the given placements replace (or join, or, when
// not indexable, leave) this one's.
func (s *Snapshot) with(changed []catalogue.Placement, gone []catalogue.PlacementID, version uint64, at time.Time) *Snapshot {
	replace := make(map[catalogue.PlacementID]bool, len(changed)+len(gone))
	for _, p := range changed {
		replace[p.ID] = true
	}
	for _, id := range gone {
		replace[id] = true
	}
	all := make([]catalogue.Placement, 0, len(s.placements)+len(changed))
	for _, p := range s.placements {
		if !replace[p.ID] {
			all = append(all, p)
		}
	}
	all = append(all, changed...)
	return newSnapshot(all, s.sharing, version, at)
}
