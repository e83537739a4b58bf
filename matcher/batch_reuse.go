package matcher

import (
	"reflect"
	"slices"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// Searches keeps what a match's candidate searches found (MatchRequest.KeepSearches), so that a
// later match of the same requests against the same placements and a few more
// (MatchRequest.Reuse: a what-if) searches again only for the requests the new placements could
// reach. A request keeps its search when no new placement is within its policy's maximum
// distance of the home of any child in it, nor a kinship carer for one of them: every placement
// its search scans, scores or puts off is then one the old snapshot had at the same slot (new
// placements come after every old one, by ID), so the search, which reads nothing else, finds
// exactly what it found. Searches is read only once made: matches may share it.
type Searches struct {
	snap *Snapshot
	k    int
	reqs map[searchKey]*searched
}

// searchKey names a request: its lead child, and how many children it places.
type searchKey struct {
	child catalogue.ChildID
	n     int
}

func keyOf(r scoring.Request) searchKey {
	return searchKey{child: r.Child.ID, n: max(len(r.Group), 1)}
}

// searched is one request's first search: the entities it became (one, or each member of a
// group matched apart) and every home searched from, with how far.
type searched struct {
	req   scoring.Request
	pol   catalogue.Policy
	metas []keptSearch
	reach []reach
	kids  []catalogue.ChildID
}

// keptSearch is what an entity's first search left that a later match takes, less its prepared
// request, which that match makes again (25 MB for England's report; what is kept, 46 MB).
type keptSearch struct {
	r               scoring.Request
	km              float64 // the policy's maximum distance for it
	suitable        int
	complete, split bool
	first           firstSearch
	cursor          cursor // without its bound, a memo filled as it is read: each match makes its own
}

type reach struct {
	home s2.Point
	km   float64
}

// keepSearches records the state of every entity's search after the first search (b.search),
// before the model takes it; reaches holds, by request, every home searched from.
func (b *batch) keepSearches(reaches map[int][]reach) *Searches {
	s := &Searches{snap: b.snap, k: b.k, reqs: make(map[searchKey]*searched, len(b.req.Children))}
	for _, m := range b.metas {
		r := b.req.Children[m.req]
		key := keyOf(r)
		sr := s.reqs[key]
		if sr == nil {
			sr = &searched{req: r, pol: b.req.policyOf(r), reach: reaches[m.req]}
			for _, c := range requestChildren(r) {
				sr.kids = append(sr.kids, c.ID)
			}
			s.reqs[key] = sr
		}
		sr.metas = append(sr.metas, m.keep())
	}
	return s
}

// reachOf is where an entity's search looks.
func reachOf(m *entMeta) reach { return reach{home: m.home, km: m.prep.MaxDistanceKm()} }

// requestChildren is every child a request places.
func requestChildren(r scoring.Request) []catalogue.Child {
	if len(r.Group) > 0 {
		return r.Group
	}
	return []catalogue.Child{r.Child}
}

// keep copies what an entity's first search left, so that neither this match nor a later one
// changes the copy: the rings' slices are clipped (they are only ever appended to, which then
// copies them), the lists cloned (certification edits the deferred in place).
func (m *entMeta) keep() keptSearch {
	c := m.cursor
	c.bound = nil
	c.rings = slices.Clone(c.rings)
	for i := range c.rings {
		c.rings[i] = slices.Clip(c.rings[i])
	}
	return keptSearch{r: m.r, km: m.prep.MaxDistanceKm(), suitable: m.suitable, complete: m.complete, split: m.split, cursor: c,
		first: firstSearch{arcs: slices.Clone(m.first.arcs), deferred: slices.Clone(m.first.deferred), bound: m.first.bound}}
}

// reuse returns, for request i, the entities of its kept search made afresh for this match's
// snapshot, or nil when it must be searched again (not kept, or a new placement within reach).
func (s *Searches) reuse(snap *Snapshot, i int, r scoring.Request, pol catalogue.Policy, near func([]reach, []catalogue.ChildID) bool) ([]*entMeta, []reach, error) {
	sr := s.reqs[keyOf(r)]
	if sr == nil || near(sr.reach, sr.kids) || !reflect.DeepEqual(sr.pol, pol) || !reflect.DeepEqual(sr.req, r) {
		return nil, nil, nil
	}
	out := make([]*entMeta, 0, len(sr.metas))
	for _, old := range sr.metas {
		m, err := newEntMeta(snap, i, old.r, pol)
		if err != nil {
			return nil, nil, err
		}
		if m.prep.MaxDistanceKm() != old.km {
			return nil, nil, nil
		}
		m.suitable, m.complete, m.split = old.suitable, old.complete, old.split
		m.cursor = old.cursor
		m.cursor.rings = slices.Clone(old.cursor.rings)
		if m.cursor.radii != nil {
			m.cursor.bound = newBoundTable(m.prep, m.prep.MaxDistanceKm())
		}
		m.first = firstSearch{arcs: slices.Clone(old.first.arcs), deferred: slices.Clone(old.first.deferred), bound: old.first.bound}
		out = append(out, m)
	}
	return out, sr.reach, nil
}

// nearNew returns the test of whether a kept search could find a placement of snap that the
// kept searches' snapshot did not have: one within the search's distance of a home searched
// from, or a kinship carer for one of the children. ok is false when snap is not the kept
// snapshot with placements added after its own.
func (s *Searches) nearNew(snap *Snapshot) (near func([]reach, []catalogue.ChildID) bool, ok bool) {
	old := s.snap
	if snap.Len() < old.Len() {
		return nil, false
	}
	for i := range old.placements {
		if snap.placements[i].ID != old.placements[i].ID {
			return nil, false
		}
	}
	fresh := make([]int32, 0, snap.Len()-old.Len())
	kin := map[catalogue.ChildID]bool{}
	for slot := int32(old.Len()); slot < int32(snap.Len()); slot++ {
		p := &snap.placements[slot]
		if p.Kind == catalogue.Kinship {
			for _, c := range p.ConnectedTo {
				kin[c] = true
			}
			continue
		}
		fresh = append(fresh, slot)
	}
	return func(rs []reach, kids []catalogue.ChildID) bool {
		for _, id := range kids {
			if kin[id] {
				return true
			}
		}
		for _, r := range rs {
			// A little beyond the distance: the search's rings are compared by chord, this by
			// the same chord widened, so that rounding never hides a placement.
			limit := s1.ChordAngleFromAngle(scoring.KmAngle(r.km + 1))
			for _, slot := range fresh {
				if s2.ChordAngleBetweenPoints(r.home, snap.points[slot]) <= limit {
					return true
				}
			}
		}
		return false
	}, true
}
