package matcher

import (
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// This file is the one place a child's request is assembled, for the options of one child, a
// joint match and the sufficiency report alike: who moves with the child, where the brothers and
// sisters who do not move live, and how often the child (and each of them) moved in the last 12
// months. The callers read the records; the rules are here.

// Moving reports whether a child is looking for a home: waiting, or waiting with an offer out.
func Moving(c *catalogue.Child) bool {
	return c.Status == catalogue.ChildWaiting || c.Status == catalogue.ChildOffered
}

// PlannedTogether reports whether a sibling group's plan asks for one household for all of them.
func PlannedTogether(plan catalogue.SiblingPlan) bool {
	return plan == catalogue.PlanTogether || plan == catalogue.PlanTogetherIfPossible
}

// Case is everything a child's request is built from, as the caller read it.
type Case struct {
	Child catalogue.Child
	// Plan is the sibling group's plan; empty when the child has none.
	Plan catalogue.SiblingPlan
	// Siblings are the group's other members, whatever their status.
	Siblings []catalogue.Child
	// LivesAt says where a child lives now (the home whose place they fill); nil, or false, when
	// not known. Brothers and sisters who do not move with the child count where they live.
	LivesAt func(catalogue.ChildID) (catalogue.Location, bool)
	// History gives a child's placement history (nil: none known), from which their moves in the
	// last 12 months are counted: a child who has moved a lot has stability weighed more.
	History func(catalogue.ChildID) []catalogue.Episode
}

// Request builds the matcher's request for the case on today: brothers and sisters of a group
// planned together (or together if possible) who are looking for a home too move with the child,
// the child first; the others count where they live.
func (c Case) Request(today time.Time) scoring.Request {
	today = catalogue.Day(today)
	req := scoring.Request{Child: c.Child, GroupPlan: c.Plan, Today: today}
	together := PlannedTogether(c.Plan)
	var group []catalogue.Child
	for i := range c.Siblings {
		s := &c.Siblings[i]
		if s.ID == c.Child.ID {
			continue
		}
		if together && Moving(s) {
			group = append(group, *s)
			continue
		}
		if c.LivesAt != nil {
			if at, ok := c.LivesAt(s.ID); ok {
				req.SiblingsElsewhere = append(req.SiblingsElsewhere, at)
			}
		}
	}
	req.Moves12m = c.moves(c.Child, today)
	if len(group) > 0 {
		req.Group = append([]catalogue.Child{c.Child}, group...)
		req.GroupMoves12m = make([]int, len(req.Group))
		for i, g := range req.Group {
			req.GroupMoves12m[i] = c.moves(g, today)
		}
	}
	return req
}

// moves counts a child's moves in the 12 months to today, from their history.
func (c Case) moves(child catalogue.Child, today time.Time) int {
	if c.History == nil {
		return 0
	}
	eps := c.History(child.ID)
	if len(eps) == 0 {
		return 0
	}
	return catalogue.StabilityOf(child.DateOfBirth, child.Council, eps, today).Moves12m
}

// Waiting returns a request for every child looking for a home, in the order of children:
// brothers and sisters planned together make one request, led by the first of them in that
// order. groups may hold any sibling groups (those of children not listed are ignored); a member
// a group names who is not listed is taken to be placed, not looking for a home through this
// catalogue, and counts where livesAt says they live. livesAt and history are as for Case
// (either may be nil).
func Waiting(children []catalogue.Child, groups []catalogue.SiblingGroup,
	livesAt func(catalogue.ChildID) (catalogue.Location, bool),
	history func(catalogue.ChildID) []catalogue.Episode, today time.Time) []scoring.Request {
	index := make(map[catalogue.ChildID]int, len(children))
	for i := range children {
		index[children[i].ID] = i
	}
	plan := make(map[catalogue.SiblingGroupID]catalogue.SiblingPlan, len(groups))
	members := make(map[catalogue.SiblingGroupID][]catalogue.ChildID, len(groups))
	for _, g := range groups {
		plan[g.ID] = g.Plan
		members[g.ID] = append(members[g.ID], g.Members...)
	}
	for i := range children {
		if g := children[i].SiblingGroup; g != 0 {
			if _, known := plan[g]; known && !slices.Contains(members[g], children[i].ID) {
				members[g] = append(members[g], children[i].ID)
			}
		}
	}
	var out []scoring.Request
	led := make(map[catalogue.SiblingGroupID]bool)
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
		var sibs []catalogue.Child
		if grouped {
			for _, id := range members[c.SiblingGroup] {
				switch j, ok := index[id]; {
				case id == c.ID:
				case ok:
					sibs = append(sibs, children[j])
				default:
					sibs = append(sibs, catalogue.Child{ID: id, Status: catalogue.ChildPlaced})
				}
			}
		}
		out = append(out, Case{Child: *c, Plan: p, Siblings: sibs, LivesAt: livesAt, History: history}.Request(today))
	}
	return out
}

// Unlisted returns the members the groups name who are not among children: the brothers and
// sisters whose homes a caller of Waiting reads for livesAt.
func Unlisted(children []catalogue.Child, groups []catalogue.SiblingGroup) []catalogue.ChildID {
	listed := make(map[catalogue.ChildID]bool, len(children))
	for i := range children {
		listed[children[i].ID] = true
	}
	var out []catalogue.ChildID
	for _, g := range groups {
		for _, id := range g.Members {
			if !listed[id] {
				listed[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// LivesAt says where each child filling a place of the placements lives: the placement's
// location. It reads only the placements given (a catalogue of every home, as the sufficiency
// report loads).
func LivesAt(placements []catalogue.Placement) func(catalogue.ChildID) (catalogue.Location, bool) {
	at := map[catalogue.ChildID]catalogue.Location{}
	for i := range placements {
		for _, v := range placements[i].Vacancies {
			if v.Status == catalogue.VacancyFilled && v.Child != 0 {
				at[v.Child] = placements[i].Location
			}
		}
	}
	return func(id catalogue.ChildID) (catalogue.Location, bool) { l, ok := at[id]; return l, ok }
}

// Alone returns the request for the child on their own: brothers and sisters who would have
// moved with them count as living apart, at the homes they are leaving.
func Alone(req scoring.Request) scoring.Request {
	out := req
	out.Group, out.GroupMoves12m = nil, nil
	out.SiblingsElsewhere = append([]catalogue.Location(nil), req.SiblingsElsewhere...)
	for _, g := range req.Group {
		if g.ID != req.Child.ID {
			out.SiblingsElsewhere = append(out.SiblingsElsewhere, g.Home)
		}
	}
	return out
}

// AloneRequests returns the request of each member of a group request searched for alone, in
// the group's order (the child who leads it first): the brothers and sisters who would have
// moved with them count as living at the homes they are leaving, and each is weighed by their
// own moves in the last 12 months.
func AloneRequests(req scoring.Request) []scoring.Request {
	out := make([]scoring.Request, len(req.Group))
	for k := range req.Group {
		r := req
		r.Child = req.Group[k]
		r.Group = append([]catalogue.Child{req.Group[k]}, slices.Delete(slices.Clone(req.Group), k, k+1)...)
		if k < len(req.GroupMoves12m) {
			r.Moves12m = req.GroupMoves12m[k]
		} else if k > 0 {
			r.Moves12m = 0 // not known
		}
		out[k] = Alone(r)
	}
	return out
}

// TriesAlone is the one rule for brothers and sisters planned together if possible: when fewer
// than two homes can take them all (suitable, from a complete search), each is searched for
// alone as well. Options, joint matches and the sufficiency report all ask it.
func TriesAlone(req scoring.Request, suitableTogether int) bool {
	return req.GroupPlan == catalogue.PlanTogetherIfPossible && len(req.Group) > 1 && suitableTogether < 2
}

// PrefersAlone completes TriesAlone's rule: the child is offered homes alone when that gives them
// more choices, counted up to the options an officer's search returns (DefaultOptions), than
// together.
func PrefersAlone(suitableTogether, suitableAlone int) bool {
	return min(suitableAlone, DefaultOptions) > min(suitableTogether, DefaultOptions)
}
