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
