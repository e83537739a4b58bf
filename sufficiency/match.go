package sufficiency

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Matcher is the joint match of every child waiting against the free places of the catalogue,
// so that one vacancy is not counted for every child who could use it. The analysis calls it
// once per report (and once per what-if run) with every unit: a child, or brothers and sisters
// to live together. It returns one Assignment per unit, in the order of units.
//
// FlowMatcher, the batch matcher's exact min-cost flow (matcher.Engine.Match), is the default;
// GreedyMatcher is a quick, simpler one (it stood in before the flow matcher was built).
type Matcher interface {
	Match(ctx context.Context, e *matcher.Engine, units []Unit) ([]Assignment, error)
	// Name says which matcher produced the outcomes, for the report's notes.
	Name() string
}

// Unit is one request of the joint match.
type Unit struct {
	Request scoring.Request
	Policy  catalogue.Policy
	// Options are the unit's best options, ranked, as Engine.Options gave them (at most
	// matcher.DefaultOptions), for a unit short of two choices; nil otherwise.
	Options []matcher.Option
	// Suitable lists every placement of the engine's snapshot that passes every hard constraint
	// for the unit, as positions in e.Snapshot().Placements(), ascending. The list is complete:
	// the placements within the policy's maximum distance of home, and kinship carers assessed
	// for the children, were all checked.
	Suitable []int32
}

// Assignment is what the joint match gives one unit: a primary placement and a back-up, each
// with its total score (0..1) for the unit. A zero ID means none could be given.
type Assignment struct {
	Primary, Backup           catalogue.PlacementID
	PrimaryScore, BackupScore float64
	// Apart, when the matcher placed the children of a group to live together if possible
	// apart (no household could take them all), holds each child's own assignment, in the
	// order of the unit's Request.Group; the primary and back-up above are then unused.
	Apart []Assignment
}

// GreedyMatcher is a simple joint match, quicker than the flow and not optimal. It is exact for
// what it claims, no more: units are served in order of fewest suitable
// placements (then the earliest day they are needed by, then the lead child's ID); each in
// turn takes as its primary the best-ranked suitable placement (Engine.Options' ranking for
// the first options, then the rest nearest home first, greedyChunk at a time, best total score
// first within each chunk) that still has room for the whole unit by
// the day of the move; then, in the same order, each takes its back-up the same way. Room is
// the placement's available places open by that day, and its approval number less the children
// already living there, less what earlier units took; each unit takes the places that open
// latest among those open in time, leaving the earlier ones to children needed sooner. It does
// not re-check household rules between two children newly placed in one home, and it is not
// optimal: the flow matcher maximises the offers made and their total score together.
type GreedyMatcher struct{}

// greedyChunk is how many suitable placements GreedyMatcher scores at a time beyond a unit's
// first options: scoring every suitable placement of every unit would cost more than the match.
const greedyChunk = 8

// Name says what the matcher is.
func (GreedyMatcher) Name() string {
	return "greedy fallback (fewest suitable placements first, primaries before back-ups)"
}

// Match assigns a primary and a back-up to every unit it can.
func (GreedyMatcher) Match(ctx context.Context, e *matcher.Engine, units []Unit) ([]Assignment, error) {
	ps := e.Snapshot().Placements()
	rooms := newRooms(ps)
	type state struct {
		prep   *scoring.Prepared
		ranked []int32   // candidate positions, best first (extended a chunk at a time)
		score  []float64 // their total scores
		rest   []int32   // suitable placements not yet ranked, nearest home first
		begun  bool      // rest has been filled
		size   int
		day    time.Time
	}
	st := make([]state, len(units))
	for i := range units {
		u := &units[i]
		st[i].size = max(1, len(u.Request.Group))
		st[i].day = moveDay(u.Request)
		for _, o := range u.Options {
			pos, ok := position(ps, o.Placement.ID)
			if ok {
				st[i].ranked = append(st[i].ranked, pos)
				st[i].score = append(st[i].score, o.Result.Total)
			}
		}
	}
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(len(units[a].Suitable), len(units[b].Suitable)); c != 0 {
			return c
		}
		if c := st[a].day.Compare(st[b].day); c != 0 {
			return c
		}
		return cmp.Compare(units[a].Request.Child.ID, units[b].Request.Child.ID)
	})
	// extend ranks the next chunk of unit i's suitable placements, nearest home first, by total
	// score within the chunk. It reports false when every suitable placement is ranked.
	extend := func(i int) (bool, error) {
		s := &st[i]
		if !s.begun {
			s.begun = true
			p, err := scoring.Prepare(units[i].Request, units[i].Policy)
			if err != nil {
				return false, err
			}
			s.prep = p
			home := scoring.Point(units[i].Request.Child.Home)
			type near struct {
				pos int32
				d   s1.ChordAngle
			}
			var rest []near
			for _, pos := range units[i].Suitable {
				if !slices.Contains(s.ranked, pos) {
					rest = append(rest, near{pos, s2.ChordAngleBetweenPoints(home, scoring.Point(ps[pos].Location))})
				}
			}
			slices.SortFunc(rest, func(a, b near) int {
				if c := cmp.Compare(a.d, b.d); c != 0 {
					return c
				}
				return cmp.Compare(ps[a.pos].ID, ps[b.pos].ID)
			})
			for _, r := range rest {
				s.rest = append(s.rest, r.pos)
			}
		}
		if len(s.rest) == 0 {
			return false, nil
		}
		chunk := s.rest[:min(greedyChunk, len(s.rest))]
		s.rest = s.rest[len(chunk):]
		type scored struct {
			pos   int32
			total float64
		}
		sc := make([]scored, len(chunk))
		for j, pos := range chunk {
			total, _ := s.prep.Quick(&ps[pos])
			sc[j] = scored{pos, total}
		}
		sort.SliceStable(sc, func(a, b int) bool { return sc[a].total > sc[b].total })
		for _, x := range sc {
			s.ranked = append(s.ranked, x.pos)
			s.score = append(s.score, x.total)
		}
		return true, nil
	}
	out := make([]Assignment, len(units))
	for pass := range 2 {
		for n, i := range order {
			if n%256 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			s := &st[i]
			var skip catalogue.PlacementID
			if pass == 1 {
				if out[i].Primary == 0 {
					continue // no primary, so no back-up either
				}
				skip = out[i].Primary
			}
			for k := 0; ; k++ {
				if k == len(s.ranked) {
					more, err := extend(i)
					if err != nil {
						return nil, err
					}
					if !more {
						break
					}
				}
				pos := s.ranked[k]
				if ps[pos].ID == skip || !rooms.take(pos, s.day, s.size) {
					continue
				}
				if pass == 0 {
					out[i].Primary, out[i].PrimaryScore = ps[pos].ID, s.score[k]
				} else {
					out[i].Backup, out[i].BackupScore = ps[pos].ID, s.score[k]
				}
				break
			}
		}
	}
	return out, nil
}

// moveDay is the day of the move a request is for: the later of today and the needed-by date.
func moveDay(r scoring.Request) time.Time {
	d := catalogue.Day(r.Today)
	if nb := catalogue.Day(r.Child.NeededBy); nb.After(d) {
		d = nb
	}
	return d
}

// position finds a placement in a snapshot's placements, which are ordered by ID.
func position(ps []catalogue.Placement, id catalogue.PlacementID) (int32, bool) {
	i, ok := slices.BinarySearchFunc(ps, id, func(p catalogue.Placement, id catalogue.PlacementID) int { return cmp.Compare(p.ID, id) })
	return int32(i), ok
}

// rooms tracks the places the joint match has taken.
type rooms struct {
	ps    []catalogue.Placement
	open  map[int32][]time.Time // available-from dates of available places, ascending
	taken map[int32][]bool      // parallel to open
	room  map[int32]int         // approval number less children living there, less places taken
}

func newRooms(ps []catalogue.Placement) *rooms {
	return &rooms{ps: ps, open: map[int32][]time.Time{}, taken: map[int32][]bool{}, room: map[int32]int{}}
}

func (r *rooms) load(pos int32) {
	if _, ok := r.open[pos]; ok {
		return
	}
	p := &r.ps[pos]
	var ds []time.Time
	for _, v := range p.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			ds = append(ds, catalogue.Day(v.AvailableFrom))
		}
	}
	slices.SortFunc(ds, func(a, b time.Time) int { return a.Compare(b) })
	r.open[pos] = ds
	r.taken[pos] = make([]bool, len(ds))
	placed := 0
	for _, m := range p.Household.Members {
		if m.Role == catalogue.MemberPlacedChild {
			placed++
		}
	}
	r.room[pos] = p.Approval.MaxChildren - placed
}

// take reserves n places open by day, the latest-opening first, if the placement has them.
func (r *rooms) take(pos int32, day time.Time, n int) bool {
	r.load(pos)
	if r.room[pos] < n {
		return false
	}
	ds, tk := r.open[pos], r.taken[pos]
	var pick []int
	for j := len(ds) - 1; j >= 0 && len(pick) < n; j-- {
		if !tk[j] && !ds[j].After(day) {
			pick = append(pick, j)
		}
	}
	if len(pick) < n {
		return false
	}
	for _, j := range pick {
		tk[j] = true
	}
	r.room[pos] -= n
	return true
}

// FlowMatcher is the joint match by the batch matcher, matcher.Engine.Match: an exact min-cost
// flow that offers as many children as it can, then gives them the best total quality, with
// sibling groups placed from the flow's prices. It is the default Matcher.
//
// Engine.Match takes one scoring policy for every child: FlowMatcher passes the policy most of
// the units have (England's unless councils have their own), so a council whose policy differs
// is matched under the common one (its children's options and choices still use its own).
type FlowMatcher struct {
	K           int // candidates per child in the first flow (matcher.DefaultK when 0)
	GroupSolves int // bounds the sibling groups' local search (see matcher.MatchRequest)
}

// Name says what the matcher is.
func (FlowMatcher) Name() string {
	return "min-cost flow (matcher.Engine.Match): as many children offered a primary and a back-up as possible, then the best total quality"
}

// Match asks the engine for the joint match of the units.
func (m FlowMatcher) Match(ctx context.Context, e *matcher.Engine, units []Unit) ([]Assignment, error) {
	out := make([]Assignment, len(units))
	if len(units) == 0 {
		return out, nil
	}
	reqs := make([]scoring.Request, len(units))
	policies := map[catalogue.CouncilCode]catalogue.Policy{}
	for i := range units {
		reqs[i] = units[i].Request
		policies[units[i].Request.Child.Council] = units[i].Policy
	}
	res, err := e.Match(ctx, matcher.MatchRequest{Children: reqs, Policy: commonPolicy(units), Policies: policies,
		K: m.K, GroupSolves: m.GroupSolves})
	if err != nil {
		return nil, err
	}
	for _, cm := range res.Children {
		if cm.Request < 0 || cm.Request >= len(units) {
			return nil, fmt.Errorf("sufficiency: the match answered request %d of %d", cm.Request, len(units))
		}
		a := assignmentOf(cm.Offers)
		if !cm.Split {
			out[cm.Request] = a
			continue
		}
		// A group to live together if possible that no household could take: matched child by
		// child, in place of the group.
		u := &units[cm.Request]
		k := slices.IndexFunc(u.Request.Group, func(c catalogue.Child) bool { return c.ID == cm.Child })
		if k < 0 {
			return nil, fmt.Errorf("sufficiency: the match split child %d from a group they are not in", cm.Child)
		}
		if out[cm.Request].Apart == nil {
			out[cm.Request].Apart = make([]Assignment, len(u.Request.Group))
		}
		out[cm.Request].Apart[k] = a
	}
	return out, nil
}

func assignmentOf(offers []matcher.Offer) Assignment {
	var a Assignment
	for _, o := range offers {
		switch {
		case o.Role == matcher.OfferPrimary && a.Primary == 0:
			a.Primary, a.PrimaryScore = o.Placement, o.Result.Total
		case a.Backup == 0:
			a.Backup, a.BackupScore = o.Placement, o.Result.Total
		}
	}
	return a
}

// commonPolicy is the policy most units have (the first of them on a tie).
func commonPolicy(units []Unit) catalogue.Policy {
	type key struct {
		v int
		c catalogue.CouncilCode
	}
	count := map[key]int{}
	best, bestN := 0, 0
	for i, u := range units {
		k := key{u.Policy.Version, u.Policy.Council}
		count[k]++
		if count[k] > bestN {
			best, bestN = i, count[k]
		}
	}
	return units[best].Policy
}
