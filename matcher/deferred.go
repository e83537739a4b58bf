package matcher

import (
	"cmp"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// Children's say: after a match, each child says which of their two offers they prefer (or
// that they want neither). Two children may prefer the same household when it has one place
// left, or a place may have gone since the match. Allocate settles it by child-proposing
// deferred acceptance (Gale and Shapley): each child asks for their first choice; a household
// holds the children it ranks highest that it has room for, and turns the others away; a child
// turned away asks their next choice; and so on until nobody is turned away by a household
// they have not yet asked.
//
// A household ranks children by how well it suits each (the match's score for the child
// there), so the placement side's priorities are the children's own needs. Its room is its
// places open by each child's day and its approval's room, as in the match; the choice of
// whom to hold is greedy in priority order, which for children on their own is the choice
// from a matroid (transversal: children to places open by their day), so the outcome is
// stable (no child and household would both rather be together: TestAllocateIsStable) and the
// best stable outcome for every child. A sibling group needs all its places in one household
// and is held whole or not at all; with groups a stable outcome may not exist, and the
// outcome is the same procedure's (it still never promises a place twice).

// Claim is one child's (or one sibling group's) offers and what they said about them.
type Claim struct {
	Child catalogue.ChildID
	Group []catalogue.ChildID // brothers and sisters placed together, Child among them; nil alone
	Day   time.Time           // the day a place is needed by
	// Offers are the placements offered, with the match's score for the child there (the
	// household's priority for them).
	Offers []ClaimOffer
	// Ranked is the child's order of preference, best first, among their offers; when empty
	// (the child has not said) the offers' own order is used. Neither: the child wants none.
	Ranked  []catalogue.PlacementID
	Neither bool
}

// ClaimOffer is one offer of a Claim.
type ClaimOffer struct {
	Placement catalogue.PlacementID
	Score     float64
}

// AllocateRequest asks for the outcome of the children's preferences.
type AllocateRequest struct {
	Claims []Claim
	// Placement looks a placement up as it is now: its vacancies and household. Nil: the
	// engine's snapshot. A place counts when it is available, or held for one of the
	// claims' children (the place their offer kept for them).
	Placement func(catalogue.PlacementID) (catalogue.Placement, bool)
}

// Outcome says what a child ends with.
type Outcome string

const (
	OutcomeFirstChoice  Outcome = "first_choice"  // the household they ranked first
	OutcomeSecondChoice Outcome = "second_choice" // their first choice went to children it suits better, or has gone
	OutcomeNone         Outcome = "none"          // every household they ranked went to children it suits better, or has gone
	OutcomeDeclined     Outcome = "declined"      // they want neither
	OutcomeNoOffers     Outcome = "no_offers"     // the match offered them nothing
)

// Allocation is what one claim ends with.
type Allocation struct {
	Child     catalogue.ChildID
	Group     []catalogue.ChildID
	Placement catalogue.PlacementID // 0: none
	Outcome   Outcome
	// Stated says the child gave their own order; otherwise the offers' order was used.
	Stated bool
	// Reason says in plain words why the child does not have their first choice.
	Reason string
}

// AllocateResult is the outcome for every claim, in claim order.
type AllocateResult struct {
	Allocations []Allocation
	Rounds      int // proposal rounds
}

// allocPlace is a household in deferred acceptance: its places and whom it holds.
type allocPlace struct {
	pl    *place
	held  []int // claim indexes
	known bool  // the placement still exists
}

// Allocate runs child-proposing deferred acceptance over the claims' offers, with the
// placements as the engine's snapshot holds them unless req.Placement says otherwise.
func (e *Engine) Allocate(req AllocateRequest) AllocateResult {
	if req.Placement == nil {
		snap := e.Snapshot()
		req.Placement = func(id catalogue.PlacementID) (catalogue.Placement, bool) {
			p, ok := snap.Placement(id)
			if !ok {
				return catalogue.Placement{}, false
			}
			return *p, true
		}
	}
	return Allocate(req)
}

// Allocate runs child-proposing deferred acceptance over the claims' offers; req.Placement
// must be set (a placement it does not find has no places).
func Allocate(req AllocateRequest) AllocateResult {
	lookup := req.Placement
	if lookup == nil {
		lookup = func(catalogue.PlacementID) (catalogue.Placement, bool) { return catalogue.Placement{}, false }
	}
	claims := req.Claims
	children := map[catalogue.ChildID]bool{}
	for _, c := range claims {
		children[c.Child] = true
		for _, g := range c.Group {
			children[g] = true
		}
	}
	places := map[catalogue.PlacementID]*allocPlace{}
	placeOfID := func(id catalogue.PlacementID) *allocPlace {
		if ap, ok := places[id]; ok {
			return ap
		}
		ap := &allocPlace{}
		if pl, ok := lookup(id); ok {
			ap.known = true
			// Places held for one of these children count: their offers kept them.
			vs := slices.Clone(pl.Vacancies)
			for i := range vs {
				if vs[i].Status == catalogue.VacancyHeld && children[vs[i].Child] {
					vs[i].Status = catalogue.VacancyAvailable
				}
			}
			pl.Vacancies = vs
			ap.pl = placeOf(&pl)
		} else {
			ap.pl = &place{}
		}
		places[id] = ap
		return ap
	}
	// Each claim's list, best first, and the household's priority for it.
	lists := make([][]catalogue.PlacementID, len(claims))
	prio := make([]map[catalogue.PlacementID]float64, len(claims))
	size := make([]int32, len(claims))
	day := make([]int32, len(claims))
	out := AllocateResult{Allocations: make([]Allocation, len(claims))}
	for i, c := range claims {
		prio[i] = map[catalogue.PlacementID]float64{}
		for _, o := range c.Offers {
			prio[i][o.Placement] = o.Score
		}
		size[i] = int32(max(len(c.Group), 1))
		day[i] = dayNumber(c.Day)
		a := &out.Allocations[i]
		a.Child, a.Group, a.Stated = c.Child, c.Group, len(c.Ranked) > 0 || c.Neither
		switch {
		case c.Neither:
			a.Outcome, a.Reason = OutcomeDeclined, "Wants neither household offered."
			continue
		case len(c.Offers) == 0:
			a.Outcome, a.Reason = OutcomeNoOffers, "The match found no household to offer."
			continue
		}
		if len(c.Ranked) > 0 {
			for _, p := range c.Ranked {
				if _, offered := prio[i][p]; offered && !slices.Contains(lists[i], p) {
					lists[i] = append(lists[i], p)
				}
			}
		} else {
			for _, o := range c.Offers {
				if !slices.Contains(lists[i], o.Placement) {
					lists[i] = append(lists[i], o.Placement)
				}
			}
		}
		for _, p := range lists[i] {
			placeOfID(p)
		}
	}
	// before reports whether household p ranks claim a above claim b.
	before := func(p catalogue.PlacementID, a, b int) bool {
		if pa, pb := prio[a][p], prio[b][p]; pa != pb {
			return pa > pb
		}
		return claims[a].Child < claims[b].Child
	}
	// choose keeps, of the claims asking p and those it holds, the ones it ranks highest that
	// it has room for, and returns those it turns away.
	choose := func(id catalogue.PlacementID, asking []int) (away []int) {
		ap := places[id]
		all := append(slices.Clone(ap.held), asking...)
		slices.SortFunc(all, func(a, b int) int {
			switch {
			case before(id, a, b):
				return -1
			case before(id, b, a):
				return 1
			}
			return 0
		})
		var demands [][2]int32
		ap.held = ap.held[:0]
		for _, c := range all {
			j := ap.pl.entry(day[c])
			if ap.known && j >= 0 && ap.pl.fitsWith(demands, [2]int32{int32(j), size[c]}) {
				demands = append(demands, [2]int32{int32(j), size[c]})
				ap.held = append(ap.held, c)
			} else {
				away = append(away, c)
			}
		}
		return away
	}
	next := make([]int, len(claims)) // the next household on each list to ask
	free := []int{}
	for i := range claims {
		if len(lists[i]) > 0 {
			free = append(free, i)
		}
	}
	for len(free) > 0 {
		out.Rounds++
		asking := map[catalogue.PlacementID][]int{}
		var ids []catalogue.PlacementID
		for _, i := range free {
			p := lists[i][next[i]]
			next[i]++
			if _, ok := asking[p]; !ok {
				ids = append(ids, p)
			}
			asking[p] = append(asking[p], i)
		}
		slices.SortFunc(ids, cmp.Compare)
		free = free[:0]
		for _, id := range ids {
			for _, i := range choose(id, asking[id]) {
				if next[i] < len(lists[i]) {
					free = append(free, i)
				}
			}
		}
		slices.Sort(free)
	}
	held := map[int]catalogue.PlacementID{}
	for id, ap := range places {
		for _, i := range ap.held {
			held[i] = id
		}
	}
	for i := range claims {
		a := &out.Allocations[i]
		if a.Outcome != "" {
			continue
		}
		p, ok := held[i]
		switch {
		case len(lists[i]) == 0:
			a.Outcome, a.Reason = OutcomeNone, "Ranked none of the households offered."
		case ok && p == lists[i][0]:
			a.Placement, a.Outcome = p, OutcomeFirstChoice
		case ok:
			a.Placement, a.Outcome = p, OutcomeSecondChoice
			a.Reason = "Their first choice " + goneWhy(places[lists[i][0]]) + "."
		default:
			a.Outcome = OutcomeNone
			a.Reason = "Every household they chose " + goneWhy(nil) + "."
		}
	}
	return out
}

// goneWhy says why a household turned a child away.
func goneWhy(ap *allocPlace) string {
	if ap != nil && !ap.known {
		return "is no longer in the catalogue"
	}
	return "has no place left by their day for them: its places went to children it suits better, or were taken since the match"
}
