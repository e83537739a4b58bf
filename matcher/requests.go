package matcher

import (
	"cmp"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// Requests turns the children waiting, and their sibling groups, into the requests of a joint
// match (MatchRequest.Children), in order of each request's first child ID:
//
//   - brothers and sisters of a group planned together, or together if possible, who are both
//     (all) waiting become one request, with the youngest ID as its Child and every member,
//     by ID, as its Group; Match splits a group planned together if possible when no household
//     can take them together;
//   - every other child is a request of their own; brothers and sisters who are also waiting
//     but are to live apart, or whose group is not among groups, count as living elsewhere, at
//     their homes (SiblingsElsewhere), so that the siblings factor keeps them near.
//
// Children who are not waiting are left out. today is the day of the match.
func Requests(children []catalogue.Child, groups []catalogue.SiblingGroup, today time.Time) []scoring.Request {
	plan := make(map[catalogue.SiblingGroupID]catalogue.SiblingPlan, len(groups))
	for _, g := range groups {
		plan[g.ID] = g.Plan
	}
	waiting := make([]catalogue.Child, 0, len(children))
	for _, c := range children {
		if c.Status == catalogue.ChildWaiting {
			waiting = append(waiting, c)
		}
	}
	slices.SortFunc(waiting, func(a, b catalogue.Child) int { return cmp.Compare(a.ID, b.ID) })
	members := map[catalogue.SiblingGroupID][]catalogue.Child{}
	for _, c := range waiting {
		if c.SiblingGroup != 0 {
			members[c.SiblingGroup] = append(members[c.SiblingGroup], c)
		}
	}
	var out []scoring.Request
	done := map[catalogue.SiblingGroupID]bool{}
	for _, c := range waiting {
		g := c.SiblingGroup
		ms := members[g]
		p, known := plan[g]
		together := known && (p == catalogue.PlanTogether || p == catalogue.PlanTogetherIfPossible)
		switch {
		case g != 0 && together && len(ms) > 1:
			if done[g] {
				continue
			}
			done[g] = true
			out = append(out, scoring.Request{Child: ms[0], Group: slices.Clone(ms), GroupPlan: p, Today: today})
		default:
			r := scoring.Request{Child: c, Today: today}
			for _, o := range ms {
				if o.ID != c.ID && !o.Home.IsZero() {
					r.SiblingsElsewhere = append(r.SiblingsElsewhere, o.Home)
				}
			}
			out = append(out, r)
		}
	}
	return out
}
