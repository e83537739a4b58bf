package sufficiency

import (
	"context"
	"fmt"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// PlanRequest asks where the next carers of a profile would close the most of the choice gap.
type PlanRequest struct {
	Profile Profile
	Carers  int                     // how many to place, one at a time (at most MaxPlanSteps)
	Within  []catalogue.CouncilCode // the councils they may go to; empty: every council
	// Verify reruns the whole report with the plan's carers added, so that every figure's change
	// (the joint match included) can be seen.
	Verify bool
}

// Plan is the planner's answer: a council for each carer in turn, each at the council's centre,
// with what it gains.
type Plan struct {
	Profile    Profile
	Steps      []PlanStep
	GapBefore  Figure // real choices missing across England before the plan (see Metrics.ChoiceGap)
	GapAfter   Figure // and after, as the planner predicts
	Stopped    string // why the plan has fewer steps than carers asked for, if it does
	Took       time.Duration
	Comparison *Comparison // when verified
	// Target is the demand forecast's, when the report has one: asked for no number of carers,
	// the planner recruits the carers the forecast shortfall needs (forecast.go).
	Target *ForecastTarget
}

// PlanStep is one carer placed.
type PlanStep struct {
	Step    int
	Council Area
	// Gain is the real choices this carer adds for children short of two: the gap it closes.
	Gain Figure
	// ReachTwo counts the children who reach two real choices with it.
	ReachTwo Figure
	// Closed is the gap the plan has closed so far.
	Closed Figure

	gain, reachTwo, closed int // as counted, before suppression
}

// A carer of a profile is a real choice for a child exactly when it passes every hard constraint
// for them, so the planner can tell, without rerunning the engine, what one more carer in a
// council would add: it checks the carer, at the council's centre, against the request of every
// child short of two choices (kept from the analysis), and keeps count. Step by step it gives
// the next carer to the council where it closes the most gap; on a tie, where it closes the most
// for the council's own children, then the lowest code.
//
// The gap counts as the report does: a child's choices are their request's (a sibling group's
// together; for a group to live together if possible, each child's alone once fewer than two
// homes can take them together and alone the first of them has more, as the API offers them).
// So the planner's predicted gap after the plan is what a rerun with the carers added reports:
// TestPlannerPredictsTheRerun holds it to that.

// planUnit is a unit short of two choices, as the planner tracks it.
type planUnit struct {
	u        *unit
	together int   // the unit's passed count (capped at 3, the options an officer sees)
	alone    []int // for a group to live together if possible: each member's alone count (capped at 3)
}

func capCount(n int) int { return min(n, 3) }

// gap is the real choices the unit's children are missing.
func (p *planUnit) gap() int {
	members := len(p.u.members)
	if p.alone == nil || p.together >= 2 {
		return members * max(0, 2-p.together)
	}
	if p.alone[0] > p.together {
		g := 0
		for _, a := range p.alone {
			g += max(0, 2-a)
		}
		return g
	}
	return members * max(0, 2-p.together)
}

// reachedTwo counts the unit's children with two choices or more.
func (p *planUnit) reachedTwo() int {
	members := len(p.u.members)
	if p.alone == nil || p.together >= 2 {
		if p.together >= 2 {
			return members
		}
		return 0
	}
	n := 0
	if p.alone[0] > p.together {
		for _, a := range p.alone {
			if a >= 2 {
				n++
			}
		}
	}
	return n
}

// hit is what one carer at a council passes for one planUnit.
type hit struct {
	unit     int
	together bool
	alone    []bool
}

// Plan finds, carer by carer, the council where one more carer of the profile closes the most
// of the choice gap.
func (r *Report) Plan(ctx context.Context, req PlanRequest) (*Plan, error) {
	start := catalogue.StartStopwatch()
	var target *ForecastTarget
	if req.Carers == 0 {
		if prof, councils, err := req.checkProfile(); err == nil {
			if t, ok := r.forecastTarget(prof, councils); ok {
				target = &t
				req.Carers = min(t.Carers, MaxPlanSteps)
				if t.Carers == 0 {
					return &Plan{Profile: prof, Target: target, GapBefore: r.England().All().Metrics.ChoiceGap, GapAfter: r.England().All().Metrics.ChoiceGap,
						Stopped: "The forecast need of the category is met by the places there are: no carer to recruit.", Took: start.Elapsed()}, nil
				}
			}
		}
	}
	prof, councils, err := req.check()
	if err != nil {
		return nil, err
	}
	p := newPlanner(r.an, councils)
	if err := p.findHits(ctx, prof); err != nil {
		return nil, err
	}
	plan := &Plan{Profile: prof, Target: target, GapBefore: r.England().All().Metrics.ChoiceGap}
	closed := 0
	for step := 1; step <= req.Carers; step++ {
		best, ok := p.bestCouncil()
		if !ok {
			plan.Stopped = fmt.Sprintf("After %d carers no further carer of this profile would give a child short of two choices another real choice.", step-1)
			break
		}
		gain, reach, _ := p.gainAt(best, true)
		closed += gain
		ar, _ := r.Area(string(councils[best]))
		plan.Steps = append(plan.Steps, PlanStep{Step: step, Council: ar.Area, gain: gain, reachTwo: reach, closed: closed,
			Gain: smallCount(gain), ReachTwo: smallCount(reach), Closed: smallCount(closed)})
	}
	plan.GapAfter = withheldFigure()
	if plan.GapBefore.Shown() && (closed == 0 || closed >= minShown) {
		plan.GapAfter = CountFigure(plan.GapBefore.Int() - closed)
	}
	if req.Verify && len(plan.Steps) > 0 {
		var s Scenario
		for _, st := range plan.Steps {
			s.Additions = append(s.Additions, Addition{Council: catalogue.CouncilCode(st.Council.Code), Count: 1, Profile: prof})
		}
		c, err := r.WhatIf(ctx, s)
		if err != nil {
			return nil, err
		}
		plan.Comparison = c
	}
	plan.Took = start.Elapsed()
	return plan, nil
}

// check normalises the request's profile and lists the councils it may place carers in.
func (req PlanRequest) check() (Profile, []catalogue.CouncilCode, error) {
	if _, err := req.Profile.normalise("profile."); err != nil {
		return Profile{}, nil, err
	}
	if req.Carers < 1 || req.Carers > MaxPlanSteps {
		return Profile{}, nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid("carers", "must be between 1 and %d", MaxPlanSteps))
	}
	return req.checkProfile()
}

// checkProfile normalises the request's profile and lists the councils it may place carers in,
// whatever the number of carers.
func (req PlanRequest) checkProfile() (Profile, []catalogue.CouncilCode, error) {
	prof, err := req.Profile.normalise("profile.")
	if err != nil {
		return Profile{}, nil, err
	}
	councils := req.Within
	if len(councils) == 0 {
		for _, c := range catalogue.Councils() {
			councils = append(councils, c.Code)
		}
	}
	for _, c := range councils {
		if !c.Valid() {
			return Profile{}, nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid("within", "must list ONS codes of English upper-tier councils"))
		}
	}
	return prof, councils, nil
}

// planner is one plan's state: the units short of two choices, and what a carer at each
// council passes for them.
type planner struct {
	a        *analysis
	councils []catalogue.CouncilCode
	units    []planUnit
	hits     [][]hit // by council
}

// newPlanner takes the analysis's units short of two choices.
func newPlanner(a *analysis, councils []catalogue.CouncilCode) *planner {
	p := &planner{a: a, councils: councils, hits: make([][]hit, len(councils))}
	for _, u := range a.units {
		pu := planUnit{u: u, together: capCount(u.ev.passed)}
		if u.alone != nil {
			for _, e := range u.alone {
				pu.alone = append(pu.alone, capCount(e.passed))
			}
		}
		if pu.gap() > 0 {
			p.units = append(p.units, pu)
		}
	}
	return p
}

// findHits checks a carer of the profile, at each council's centre, against the request of
// every unit within its policy's distance.
func (p *planner) findHits(ctx context.Context, prof Profile) error {
	for ci, code := range p.councils {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, _ := catalogue.CouncilByCode(code)
		pl := prof.placement(code, c.Centre, 1<<40, p.a.day)
		for ui := range p.units {
			u := p.units[ui].u
			if !u.req.Child.Home.IsZero() && catalogue.DistanceKm(u.req.Child.Home, c.Centre) > u.pol.MaxDistanceKm+0.01 {
				continue
			}
			h := hit{unit: ui}
			passes := false
			if u.ev.prep != nil && !u.ev.prep.Check(&pl).Rejected() {
				h.together, passes = true, true
			}
			for _, e := range u.alone {
				pass := e.prep != nil && !e.prep.Check(&pl).Rejected()
				h.alone = append(h.alone, pass)
				passes = passes || pass
			}
			if passes {
				p.hits[ci] = append(p.hits[ci], h)
			}
		}
	}
	return nil
}

// bestCouncil is the council where one more carer closes the most gap; on a tie, where it closes
// the most for the council's own children, then the lowest code. It reports false when no
// carer closes any.
func (p *planner) bestCouncil() (int, bool) {
	best, bestGain, bestOwn := -1, 0, 0
	for ci := range p.councils {
		g, _, own := p.gainAt(ci, false)
		if g == 0 {
			continue
		}
		if best < 0 || g > bestGain || (g == bestGain && (own > bestOwn || (own == bestOwn && p.councils[ci] < p.councils[best]))) {
			best, bestGain, bestOwn = ci, g, own
		}
	}
	return best, best >= 0
}

// gainAt counts what one more carer at council ci gains: the gap closed, the children reaching
// two choices, and the gap closed for the council's own children (the tie-break: a carer is
// best recruited where the children are). With commit, the carer is added.
func (p *planner) gainAt(ci int, commit bool) (gain, reach, own int) {
	for _, h := range p.hits[ci] {
		pu := &p.units[h.unit]
		before, beforeTwo := pu.gap(), pu.reachedTwo()
		q := planUnit{u: pu.u, together: pu.together, alone: append([]int(nil), pu.alone...)}
		if h.together {
			q.together = capCount(q.together + 1)
		}
		for k, pass := range h.alone {
			if pass {
				q.alone[k] = capCount(q.alone[k] + 1)
			}
		}
		g := before - q.gap()
		gain += g
		reach += q.reachedTwo() - beforeTwo
		if pu.u.req.Child.Council == p.councils[ci] {
			own += g
		}
		if commit {
			*pu = q
		}
	}
	return gain, reach, own
}

// smallCount shows a count of children, withheld from 1 to 4.
func smallCount(n int) Figure { return countFigure(int32(n), n > 0 && n < minShown) }
