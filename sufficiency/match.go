package sufficiency

import (
	"context"
	"fmt"
	"slices"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Matcher is the joint match of every child waiting against the free places of the catalogue,
// so that one vacancy is not counted for every child who could use it. The analysis calls it
// once per report (and once per what-if run) with every unit: a child, or brothers and sisters
// to live together. It returns one Assignment per unit, in the order of units.
//
// FlowMatcher, the batch matcher's exact min-cost flow (matcher.Engine.Match), is the default.
type Matcher interface {
	Match(ctx context.Context, e *matcher.Engine, units []Unit) ([]Assignment, error)
	// Name says which matcher produced the outcomes, for the report's notes.
	Name() string
}

// Unit is one request of the joint match.
type Unit struct {
	Request scoring.Request
	Policy  catalogue.Policy
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
	out, _, _, err := m.matchSearches(ctx, e, units, false, nil)
	return out, err
}

// matchSearches is Match keeping the candidate searches (keep), or taking those of an earlier
// match of the same units over fewer placements where nothing new is within reach (reuse:
// matcher.Searches); the answer is the same either way.
// It returns the assignments, the searches kept, and how many units took a search of reuse.
func (m FlowMatcher) matchSearches(ctx context.Context, e *matcher.Engine, units []Unit, keep bool, reuse *matcher.Searches) ([]Assignment, *matcher.Searches, int, error) {
	out := make([]Assignment, len(units))
	if len(units) == 0 {
		return out, nil, 0, nil
	}
	reqs := make([]scoring.Request, len(units))
	policies := map[catalogue.CouncilCode]catalogue.Policy{}
	for i := range units {
		reqs[i] = units[i].Request
		policies[units[i].Request.Child.Council] = units[i].Policy
	}
	res, err := e.Match(ctx, matcher.MatchRequest{Children: reqs, Policy: commonPolicy(units), Policies: policies,
		K: m.K, GroupSolves: m.GroupSolves, KeepSearches: keep, Reuse: reuse, Brief: true})
	if err != nil {
		return nil, nil, 0, err
	}
	for _, cm := range res.Children {
		if cm.Request < 0 || cm.Request >= len(units) {
			return nil, nil, 0, fmt.Errorf("sufficiency: the match answered request %d of %d", cm.Request, len(units))
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
			return nil, nil, 0, fmt.Errorf("sufficiency: the match split child %d from a group they are not in", cm.Child)
		}
		if out[cm.Request].Apart == nil {
			out[cm.Request].Apart = make([]Assignment, len(u.Request.Group))
		}
		out[cm.Request].Apart[k] = a
	}
	return out, res.Searches, res.Reused, nil
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
