package casework

import (
	"context"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

// Options is a child's options: ranked homes, each explained, and what the hard constraints
// removed.
type Options struct {
	Child catalogue.Child
	// Moving are the brothers and sisters searched for with the child.
	Moving     []catalogue.Child
	Together   *Together // nil unless the child's sibling group is planned together
	Policy     catalogue.PolicyVersion
	SnapshotAt time.Time // when the snapshot searched was loaded
	Day        time.Time // the day of the move searched for
	Options    []Option
	Shortfall  Shortfall
}

// Option is one home proposed for the child, with its score and every factor's reason.
type Option struct {
	Rank       int
	Placement  catalogue.Placement
	Score      float64 // 0..1, every factor weighted, cost included
	Quality    float64 // 0..1, the same without cost: what the ranking compares first
	Factors    []catalogue.FactorScore
	WeeklyCost int
	HomeKm     float64   // from the child's home, as the crow flies
	SchoolKm   float64   // to the child's school, or -1 without one
	ContactKm  []float64 // to each person in the contact plan, in plan order
	Support    []catalogue.NeedKind
}

// Shortfall says how the search went: what was looked at, how many each hard constraint
// removed, and whether fewer than two homes can take the child.
type Shortfall struct {
	Considered, Passed int
	SearchedKm         float64
	Complete           bool
	FewerThanTwo       bool
	Rejected           []Rejected
}

// Rejected counts the homes one hard constraint removed, with the reason for one of them.
type Rejected struct {
	Constraint string
	Count      int
	Example    string
}

// Options finds a child's options under their council's policy in force: limit of them
// (matcher.DefaultOptions when 0). Brothers and sisters planned together are searched for
// together; planned together if possible, when fewer than two homes can take them all, the child
// is searched for alone as well and given the homes alone when that gives more choices
// (matcher.TriesAlone, as joint matches and the sufficiency report do). A closed child's record
// is catalogue.ErrInvalid naming status; outside the scope, ErrNotFound.
func (s *Service) Options(ctx context.Context, sc catalogue.Scope, child catalogue.ChildID, limit int) (Options, error) {
	if limit < 0 || limit > matcher.MaxOptions {
		return Options{}, catalogue.Invalid("limit", "must be between 1 and %d (or left out for %d)", matcher.MaxOptions, matcher.DefaultOptions)
	}
	ch, err := s.store.Child(ctx, sc, child)
	if err != nil {
		return Options{}, err
	}
	if ch.Status == catalogue.ChildClosed {
		return Options{}, catalogue.Invalid("status", "the child's record is closed: reopen it before searching")
	}
	pol, sr, res, err := s.find(ctx, sc, ch, limit)
	if err != nil {
		return Options{}, err
	}
	return optionsOf(ch, sr, pol, res), nil
}

// find runs the options search for a child (and the brothers and sisters moving with them)
// under the policy in force for the child's council, with the together-if-possible rule.
func (s *Service) find(ctx context.Context, sc catalogue.Scope, ch catalogue.Child, limit int) (catalogue.PolicyVersion, search, matcher.OptionsResult, error) {
	pol, err := s.store.Policy(ctx, ch.Council)
	if err != nil {
		return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if err != nil {
		return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
	}
	sw := catalogue.StartStopwatch()
	res, err := s.match.Options(ctx, matcher.OptionsRequest{Request: sr.req, Policy: pol.Policy, Limit: limit})
	if err != nil {
		return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
	}
	s.searched(sw.Elapsed(), !res.Shortfall.FewerThanTwo)
	if matcher.TriesAlone(sr.req, res.Shortfall.Passed) {
		alone := sr.alone()
		res2, err := s.match.Options(ctx, matcher.OptionsRequest{Request: alone.req, Policy: pol.Policy, Limit: limit})
		if err != nil {
			return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
		}
		if matcher.PrefersAlone(res.Shortfall.Passed, res2.Shortfall.Passed) {
			res, sr = res2, alone
			sr.together.FellBack = true
			sr.together.Note = "Fewer than two homes could take the brothers and sisters together, so these options are for the child alone; the plan is together if possible."
		}
	}
	return pol, sr, res, nil
}

func optionsOf(ch catalogue.Child, sr search, pol catalogue.PolicyVersion, res matcher.OptionsResult) Options {
	out := Options{Child: ch, Moving: sr.moving(), Together: sr.together, Policy: pol, SnapshotAt: res.Snapshot, Day: res.Day}
	for _, o := range res.Options {
		out.Options = append(out.Options, optionOf(o))
	}
	sh := res.Shortfall
	out.Shortfall = Shortfall{Considered: sh.Considered, Passed: sh.Passed, SearchedKm: sh.SearchedKm, Complete: sh.Complete,
		FewerThanTwo: sh.FewerThanTwo}
	for _, r := range sh.Rejected {
		out.Shortfall.Rejected = append(out.Shortfall.Rejected, Rejected{Constraint: string(r.Constraint), Count: r.Count, Example: r.Example})
	}
	return out
}

func optionOf(o matcher.Option) Option {
	return Option{Rank: o.Rank, Placement: o.Placement, Score: o.Result.Total, Quality: o.Result.Quality,
		Factors: o.Result.Factors, WeeklyCost: o.Result.WeeklyCost, HomeKm: o.HomeKm, SchoolKm: o.Result.SchoolKm,
		ContactKm: o.Result.ContactKm, Support: o.Result.Support}
}
