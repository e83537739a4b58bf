package sufficiency

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
)

// Source is what a Service reads the catalogue through: the lists of catalogue.ChildStore and
// catalogue.PlacementStore, with their contract (the store satisfies it).
type Source interface {
	ListChildren(ctx context.Context, s catalogue.Scope, f catalogue.ChildFilter) (catalogue.Page[catalogue.Child], error)
	ListSiblingGroups(ctx context.Context, s catalogue.Scope, f catalogue.GroupFilter) (catalogue.Page[catalogue.SiblingGroup], error)
	ListPlacements(ctx context.Context, s catalogue.Scope, f catalogue.PlacementFilter) (catalogue.Page[catalogue.Placement], error)
}

// Histories gives the placement histories of many children at once: catalogue.HistoryStore's
// EpisodesOf (the store satisfies it).
type Histories interface {
	EpisodesOf(ctx context.Context, children []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error)
}

// Policies gives the scoring policy in force for a council: catalogue.PolicyStore's Policy (the
// store satisfies it).
type Policies interface {
	Policy(ctx context.Context, council catalogue.CouncilCode) (catalogue.PolicyVersion, error)
}

// ServiceConfig is what NewService needs. Source is required.
type ServiceConfig struct {
	Source    Source
	Policies  Policies        // nil: the national default policy for every council
	Stability StabilitySource // nil: placement histories are not recorded
	// Histories gives the placement histories of the children looking for a home, so that, as in
	// their options and in a joint match, a child who has moved a lot has stability weighed
	// more (the store satisfies it); nil: not known.
	Histories Histories
	// Referrals gives the referrals of the year and the framework prices for the referral
	// figures (the store satisfies it); nil: the report has none.
	Referrals ReferralSource
	// KinCaring gives the children cared for by kin outside care (the store satisfies it); nil:
	// the report has none.
	KinCaring KinCaringSource
	// Demand gives the demand forecast each computation sets against every area's places and
	// gives the planner as its target (forecast.go): asked once a computation, so a forecast
	// fitted on the store's histories is fitted again with each report; nil: the report has
	// none.
	Demand  DemandSource
	Matcher Matcher // nil: FlowMatcher
	// MaxAge is how long the API serves a report before it computes a new one (serving the old
	// one meanwhile); default 10 minutes.
	MaxAge  time.Duration
	Now     catalogue.Clock // nil: the wall clock
	Logger  *slog.Logger
	Workers int
	// Timeout bounds one computation of the report; default 2 minutes.
	Timeout time.Duration
}

// Service computes the sufficiency report from a snapshot of the catalogue it loads in one
// pass. It keeps no copy: the API keeps the last report with its other aggregates (package
// aggregate) and serves it while a new one is computed.
type Service struct {
	cfg ServiceConfig
}

// NewService returns a service over a source.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Source == nil {
		return nil, errors.New("sufficiency: a Source is required")
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 10 * time.Minute
	}
	cfg.Now = cfg.Now.OrWall()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	return &Service{cfg: cfg}, nil
}

// MaxAge is how long a report is served before a new one is computed.
func (s *Service) MaxAge() time.Duration { return s.cfg.MaxAge }

// Compute loads the catalogue and computes a report now, within the service's Timeout,
// reporting progress to progress (which may be nil). The stability indicators and the young
// people turning 18, which only the published figures need, are read from the store while the
// analysis runs.
func (s *Service) Compute(ctx context.Context, progress func(stage string, done, total int)) (*Report, error) {
	start := catalogue.StartStopwatch()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if progress != nil {
		progress(StageLoad, 0, 1)
	}
	in, err := s.loadCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(StageLoad, 1, 1)
	}
	type stabResult struct {
		h   histories
		err error
	}
	stab := make(chan stabResult, 1)
	go func() {
		h, err := s.loadStability(ctx, in.Today)
		stab <- stabResult{h, err}
	}()
	a, err := run(ctx, &in, Config{Matcher: s.cfg.Matcher, Workers: s.cfg.Workers, Progress: progress, Now: s.cfg.Now})
	sr := <-stab
	if err != nil {
		return nil, err
	}
	if sr.err != nil {
		return nil, sr.err
	}
	in.Stability, in.TurningEighteen, in.Unregistered, in.Leaving = sr.h.indicators, sr.h.turning, sr.h.unregistered, sr.h.leaving
	r := a.publish(s.cfg.Now())
	if s.cfg.Demand != nil {
		if progress != nil {
			progress(StageForecast, 0, 1)
		}
		// A forecast that cannot be made costs the report its forecast, not the report: the
		// figures of today stand without it, and a note says so.
		f, err := s.cfg.Demand.Demand(ctx, in.Today)
		if err == nil {
			err = r.AddForecast(ctx, f)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.dropForecast()
			r.Notes = append(r.Notes, "The demand forecast could not be made this time, so the report has none; it is tried again with the next report.")
			s.cfg.Logger.WarnContext(ctx, "sufficiency: no demand forecast", "error", err.Error())
		}
		if progress != nil {
			progress(StageForecast, 1, 1)
		}
	}
	r.Took = start.Elapsed()
	s.cfg.Logger.InfoContext(ctx, "sufficiency report computed", "children_waiting", r.England().All().Metrics.Waiting.Int(),
		"placements", len(in.Placements), "duration_ms", r.Took.Milliseconds())
	return r, nil
}

// StageLoad is the stage of reading the catalogue, as Progress reports it.
const StageLoad = "loading the catalogue"

// StageForecast is the stage of fitting the demand forecast, as Progress reports it.
const StageForecast = "forecasting demand"

// Load reads the snapshot an analysis needs: the children looking for a home, every sibling
// group, every placement with its vacancies, each council's policy and, when a StabilitySource
// is set, each council's stability indicators and young people turning 18.
func (s *Service) Load(ctx context.Context) (Input, error) {
	in, err := s.loadCatalogue(ctx)
	if err != nil {
		return Input{}, err
	}
	h, err := s.loadStability(ctx, in.Today)
	if err != nil {
		return Input{}, err
	}
	in.Stability, in.TurningEighteen, in.Unregistered, in.Leaving = h.indicators, h.turning, h.unregistered, h.leaving
	return in, nil
}

// loadCatalogue reads the children looking for a home, the sibling groups, the placements and
// each council's policy.
func (s *Service) loadCatalogue(ctx context.Context) (Input, error) {
	now := s.cfg.Now()
	in := Input{Today: catalogue.Day(now), LoadedAt: now}
	for _, st := range []catalogue.ChildStatus{catalogue.ChildWaiting, catalogue.ChildOffered} {
		cs, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
			return s.cfg.Source.ListChildren(ctx, catalogue.Everything, catalogue.ChildFilter{Status: st, After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
		})
		if err != nil {
			return Input{}, fmt.Errorf("sufficiency: loading children: %w", err)
		}
		in.Children = append(in.Children, cs...)
	}
	// The two reads are not one snapshot: a child offered a home between them is read twice,
	// waiting then offered. The later read (offered) is the one kept.
	last := make(map[catalogue.ChildID]int, len(in.Children))
	for i, c := range in.Children {
		last[c.ID] = i
	}
	kept := in.Children[:0]
	for i, c := range in.Children {
		if last[c.ID] == i {
			kept = append(kept, c)
		}
	}
	in.Children = kept
	slices.SortFunc(in.Children, func(a, b catalogue.Child) int { return cmp.Compare(a.ID, b.ID) })
	gs, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SiblingGroup], error) {
		return s.cfg.Source.ListSiblingGroups(ctx, catalogue.Everything, catalogue.GroupFilter{After: catalogue.SiblingGroupID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return Input{}, fmt.Errorf("sufficiency: loading sibling groups: %w", err)
	}
	in.Groups = gs
	ps, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Placement], error) {
		return s.cfg.Source.ListPlacements(ctx, catalogue.Everything, catalogue.PlacementFilter{After: catalogue.PlacementID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return Input{}, fmt.Errorf("sufficiency: loading placements: %w", err)
	}
	in.Placements = ps
	if in.Sharing, err = matcher.LoadSharing(ctx, s.cfg.Source); err != nil {
		return Input{}, fmt.Errorf("sufficiency: %w", err)
	}
	if s.cfg.Histories != nil {
		ids := make([]catalogue.ChildID, len(in.Children))
		for i := range in.Children {
			ids[i] = in.Children[i].ID
		}
		if in.History, err = s.cfg.Histories.EpisodesOf(ctx, ids); err != nil {
			return Input{}, fmt.Errorf("sufficiency: loading placement histories: %w", err)
		}
	}
	if s.cfg.Referrals != nil {
		if in.Referrals, err = s.cfg.Referrals.ReferralFacts(ctx, in.Today.Add(-ReferralWindow)); err != nil {
			return Input{}, fmt.Errorf("sufficiency: loading referrals: %w", err)
		}
		if in.Referrals == nil {
			in.Referrals = []catalogue.ReferralFact{}
		}
		if in.FrameworkPrices, err = s.cfg.Referrals.FrameworkPrices(ctx, ""); err != nil {
			return Input{}, fmt.Errorf("sufficiency: loading framework prices: %w", err)
		}
	}
	if s.cfg.KinCaring != nil {
		if in.KinCaring, err = s.cfg.KinCaring.KinCaring(ctx); err != nil {
			return Input{}, fmt.Errorf("sufficiency: loading children cared for by kin: %w", err)
		}
		if in.KinCaring == nil {
			in.KinCaring = []catalogue.KinCaringCount{}
		}
	}
	policies := map[catalogue.CouncilCode]catalogue.Policy{}
	for _, c := range catalogue.Councils() {
		pol := catalogue.DefaultPolicy()
		if s.cfg.Policies != nil {
			pv, err := s.cfg.Policies.Policy(ctx, c.Code)
			if err != nil {
				return Input{}, fmt.Errorf("sufficiency: the policy of %s: %w", c.Code, err)
			}
			pol = pv.Policy
		}
		policies[c.Code] = pol
	}
	in.Policy = func(c catalogue.CouncilCode) catalogue.Policy {
		if p, ok := policies[c]; ok {
			return p
		}
		return catalogue.DefaultPolicy()
	}
	return in, nil
}

// histories is what every council's placement histories give the report (HistoryFigures).
type histories struct {
	indicators   map[catalogue.CouncilCode][]Indicator
	turning      map[catalogue.CouncilCode]int
	unregistered map[catalogue.CouncilCode]int
	leaving      map[catalogue.CouncilCode]Leaving
}

// loadStability reads each council's stability indicators, young people turning 18 and children
// in unregistered settings, when there is a source; nil maps otherwise.
func (s *Service) loadStability(ctx context.Context, on time.Time) (histories, error) {
	if s.cfg.Stability == nil {
		return histories{}, nil
	}
	out := histories{indicators: map[catalogue.CouncilCode][]Indicator{}, turning: map[catalogue.CouncilCode]int{},
		unregistered: map[catalogue.CouncilCode]int{}, leaving: map[catalogue.CouncilCode]Leaving{}}
	for _, c := range catalogue.Councils() {
		h, err := s.cfg.Stability.HistoryFigures(ctx, c.Code, on)
		if err != nil {
			return histories{}, fmt.Errorf("sufficiency: the placement histories of %s: %w", c.Code, err)
		}
		out.indicators[c.Code], out.turning[c.Code], out.unregistered[c.Code] = h.Indicators, h.TurningEighteen, h.Unregistered
		out.leaving[c.Code] = h.Leaving
	}
	return out, nil
}
