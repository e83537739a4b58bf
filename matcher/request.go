package matcher

import (
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// Moving reports whether a child is looking for a home: waiting, or waiting with an offer out.
func Moving(c *catalogue.Child) bool {
	return c.Status == catalogue.ChildWaiting || c.Status == catalogue.ChildOffered
}

// PlannedTogether reports whether a sibling group's plan asks for one household for all of them.
func PlannedTogether(plan catalogue.SiblingPlan) bool {
	return plan == catalogue.PlanTogether || plan == catalogue.PlanTogetherIfPossible
}

// NewRequest builds the matcher's request for a child from their sibling group: brothers and
// sisters of a group planned together (or together if possible) who are looking for a home too
// move with the child, the child first; the others count where they live (livesAt says, false
// when it is not known, for example a brother waiting under a plan to live apart). plan is the
// group's plan, empty when the child has no group; siblings are the other members.
func NewRequest(child catalogue.Child, plan catalogue.SiblingPlan, siblings []catalogue.Child,
	livesAt func(catalogue.ChildID) (catalogue.Location, bool), today time.Time) scoring.Request {
	req := scoring.Request{Child: child, GroupPlan: plan, Today: catalogue.Day(today)}
	together := PlannedTogether(plan)
	var group []catalogue.Child
	for i := range siblings {
		s := &siblings[i]
		if s.ID == child.ID {
			continue
		}
		if together && Moving(s) {
			group = append(group, *s)
			continue
		}
		if livesAt != nil {
			if at, ok := livesAt(s.ID); ok {
				req.SiblingsElsewhere = append(req.SiblingsElsewhere, at)
			}
		}
	}
	if len(group) > 0 {
		req.Group = append([]catalogue.Child{child}, group...)
	}
	return req
}

// Alone returns the request for the child on their own: brothers and sisters who would have
// moved with them count as living apart, at the homes they are leaving.
func Alone(req scoring.Request) scoring.Request {
	out := req
	out.Group = nil
	out.SiblingsElsewhere = append([]catalogue.Location(nil), req.SiblingsElsewhere...)
	for _, g := range req.Group {
		if g.ID != req.Child.ID {
			out.SiblingsElsewhere = append(out.SiblingsElsewhere, g.Home)
		}
	}
	return out
}

// Waiting returns a request for every child looking for a home, in the order of children:
// brothers and sisters planned together make one request, led by the first of them in that
// order. groups may hold any sibling groups (those of children not listed are ignored); livesAt
// is as for NewRequest.
func Waiting(children []catalogue.Child, groups []catalogue.SiblingGroup,
	livesAt func(catalogue.ChildID) (catalogue.Location, bool), today time.Time) []scoring.Request {
	byGroup := make(map[catalogue.SiblingGroupID][]int, len(groups))
	for i := range children {
		if g := children[i].SiblingGroup; g != 0 {
			byGroup[g] = append(byGroup[g], i)
		}
	}
	plan := make(map[catalogue.SiblingGroupID]catalogue.SiblingPlan, len(groups))
	for _, g := range groups {
		plan[g.ID] = g.Plan
	}
	var out []scoring.Request
	led := make(map[catalogue.SiblingGroupID]bool)
	var sibs []catalogue.Child
	for i := range children {
		c := &children[i]
		if !Moving(c) {
			continue
		}
		p, grouped := plan[c.SiblingGroup]
		if grouped && PlannedTogether(p) {
			if led[c.SiblingGroup] {
				continue
			}
			led[c.SiblingGroup] = true
		}
		sibs = sibs[:0]
		if grouped {
			for _, j := range byGroup[c.SiblingGroup] {
				if j != i {
					sibs = append(sibs, children[j])
				}
			}
		}
		out = append(out, NewRequest(*c, p, sibs, livesAt, today))
	}
	return out
}
