package matcher

import (
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// Children of one run offered the same household. The flow keeps every home within its places,
// but the household rules (scoring.ConstraintCompanions, scoring.ConstraintHouseholdSafety) are
// about who lives together, and two children of the same run who could both end up in a home
// were each checked only against the household as it is. So once the flow is solved, every pair
// of requests offered the same home is checked as if the other already lived there (as an
// Occupant of a place held for them); where a rule breaks, the worse of the two offers (the one
// of higher cost, the later request on a tie; never a group's) is taken out of the model for
// good and the flow is solved again (householdSolves times at most), then certified; offers
// that still clash are taken out of the answer, not of the flow (MatchResult.Objective stays
// the flow's). The rules between children make the problem harder than a flow can say, so the
// answer is no longer proved optimal where offers were separated; MatchResult.Separated counts
// them, and each child left short is told why.

// householdClash is an offer to take out: request ent may not be offered slot.
type householdClash struct {
	ent  int
	slot int32
}

// occupantsOf are the children of a request as occupants of the places held for them.
func occupantsOf(m *entMeta) []catalogue.Vacancy {
	kids := m.r.Group
	if len(kids) == 0 {
		kids = []catalogue.Child{m.r.Child}
	}
	out := make([]catalogue.Vacancy, 0, len(kids))
	for i := range kids {
		out = append(out, catalogue.Vacancy{Status: catalogue.VacancyHeld, Child: kids[i].ID, Occupant: catalogue.OccupantOf(kids[i])})
	}
	return out
}

// householdClashes returns the offers to take out of a solved match: for each home offered to
// more than one request, each pair that breaks a household rule either way, once per offending
// request and home. offers[i] are request i's offers; fixed[i] says a group's households are
// fixed (their offers are kept and the other's taken out).
func householdClashes(snap *Snapshot, metas []*entMeta, offers [][]batchArc, costOf func(i int, slot int32) int32, fixed func(i int) bool) []householdClash {
	bySlot := map[int32][]int{}
	for i, got := range offers {
		for _, a := range got {
			bySlot[a.slot] = append(bySlot[a.slot], i)
		}
	}
	slots := make([]int32, 0, len(bySlot))
	for s, ents := range bySlot {
		if len(ents) > 1 {
			slots = append(slots, s)
		}
	}
	slices.Sort(slots)
	var out []householdClash
	for _, s := range slots {
		ents := bySlot[s]
		home := &snap.placements[s]
		out1 := map[int]bool{}
		for x, i := range ents {
			for _, j := range ents[x+1:] {
				if out1[i] || out1[j] || !clash(home, metas[i], metas[j]) {
					continue
				}
				drop := j // the later request, on a tie
				switch ci, cj := costOf(i, s), costOf(j, s); {
				case fixed(j) && !fixed(i):
					drop = i
				case fixed(i) && !fixed(j):
				case ci > cj:
					drop = i
				}
				out1[drop] = true
				out = append(out, householdClash{ent: drop, slot: s})
			}
		}
	}
	return out
}

// clash reports whether a and b break a household rule in home, either living there first.
func clash(home *catalogue.Placement, a, b *entMeta) bool {
	return breaks(home, a, b) || breaks(home, b, a)
}

// breaks reports whether newcomer could not live in home with other's children already there.
func breaks(home *catalogue.Placement, newcomer, other *entMeta) bool {
	with := *home
	with.Vacancies = append(slices.Clip(home.Vacancies), occupantsOf(other)...)
	return newcomer.prep.CheckHousehold(&with).Rejected()
}

// forbid takes home slot out of entity i's model for good: its candidates, its put-off
// placements and, for a group, its fixed households.
func (p *problem) forbid(i int, slot int32) {
	e := &p.ents[i]
	if e.forbidden == nil {
		e.forbidden = map[int32]bool{}
	}
	e.forbidden[slot] = true
	is := func(a batchArc) bool { return a.slot == slot }
	for _, l := range [][]batchArc{e.arcs, e.reserve} {
		if k := slices.IndexFunc(l, is); k >= 0 {
			e.separated = append(e.separated, l[k])
			break
		}
	}
	e.arcs = slices.DeleteFunc(e.arcs, is)
	e.reserve = slices.DeleteFunc(e.reserve, is)
	e.deferred = slices.DeleteFunc(e.deferred, func(d deferredSlot) bool { return d.slot == slot })
	e.fixed = slices.DeleteFunc(e.fixed, func(s int32) bool { return s == slot })
}

// householdSolves is how many times the flow is solved again without the offers that clash
// before the rest are simply taken out of the answer. Each solve moves the children whose
// offers were taken out to their next homes, where a few clash again, and the chain is long:
// solving until none clash took about 45 solves (8.4 s) for the national batch; three solves
// took 0.52 s and left 73.8% of children with two offers, one solve 0.28 s and 73.6%.
const householdSolves = 1

// refill takes the offers that still clash after the last solve out of answer (the offers of
// each request), and gives each request short of two another of its candidates (those
// taken out for a clash too: the child it clashed with may have moved on), best first, where
// there is still room by its day and no child offered the home clashes with it: room the flow
// would have used had it known. It returns how many offers it gave.
func refill(snap *Snapshot, metas []*entMeta, p *problem, answer [][]batchArc, late []householdClash) int {
	for _, c := range late {
		answer[c.ent] = slices.DeleteFunc(answer[c.ent], func(a batchArc) bool { return a.slot == c.slot })
	}
	use := usage{}
	at := map[int32][]int{}
	for i, got := range answer {
		e := &p.ents[i]
		for _, a := range got {
			use.add(p, a.slot, e.day, e.size)
			at[a.slot] = append(at[a.slot], i)
		}
	}
	given := 0
	for i := range p.ents {
		e := &p.ents[i]
		if len(answer[i]) >= 2 {
			continue // every request short of two may use room an offer taken out left
		}
		// Homes taken out of the model for a clash may fit now that the children moved on.
		cands := append(e.candidates(), e.separated...)
		slices.SortFunc(cands, compareArcs)
		for _, a := range cands {
			if len(answer[i]) >= 2 {
				break
			}
			if slices.ContainsFunc(answer[i], func(b batchArc) bool { return b.slot == a.slot }) ||
				p.places[a.slot] == nil || !use.fits(p, a.slot, e.day, e.size) {
				continue
			}
			if slices.ContainsFunc(at[a.slot], func(j int) bool { return clash(&snap.placements[a.slot], metas[i], metas[j]) }) {
				continue
			}
			answer[i] = append(answer[i], a)
			use.add(p, a.slot, e.day, e.size)
			at[a.slot] = append(at[a.slot], i)
			given++
		}
	}
	return given
}
