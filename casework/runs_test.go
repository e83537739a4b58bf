package casework_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/synth"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

const (
	leeds    = catalogue.CouncilCode("E08000035")
	bradford = catalogue.CouncilCode("E08000032")
)

// seeded is a store holding a synthetic Leeds and Bradford.
func seeded(t *testing.T, s *sqlstore.Store) time.Time {
	t.Helper()
	cfg := synth.Scaled(0.6)
	cfg.Councils = []catalogue.CouncilCode{leeds, bradford}
	b, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return cfg.Today
}

func newService(t *testing.T, s casework.Store, src matcher.Source, today time.Time) *casework.Runs {
	t.Helper()
	svc, err := casework.NewRuns(casework.RunsConfig{Store: s, Now: func() time.Time { return today },
		Engine: func(ctx context.Context) (*matcher.Engine, error) {
			return matcher.NewEngine(ctx, src, matcher.Options{Now: func() time.Time { return today }})
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return svc
}

var (
	admin   = catalogue.Principal{Token: 1, Role: catalogue.RoleAdmin}
	officer = catalogue.Principal{Token: 2, Role: catalogue.RoleOfficer, Council: leeds}
)

func collect(t *testing.T, s casework.Store, sc catalogue.Scope, id catalogue.MatchRunID) []catalogue.RunResult {
	t.Helper()
	out, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return s.ListRunResults(context.Background(), sc, id, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: 500})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRun(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		today := seeded(t, s)
		svc := newService(t, s, s, today)
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var stages []string
		run, err := svc.Run(ctx, admin, casework.RunParams{}, func(r catalogue.MatchRun) {
			if len(stages) == 0 || stages[len(stages)-1] != r.Stage {
				stages = append(stages, r.Stage)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != catalogue.RunSucceeded || run.Children != counts.ChildrenWaiting {
			t.Fatalf("run %+v: want succeeded with every one of the %d children waiting", run, counts.ChildrenWaiting)
		}
		t.Logf("run: %d children, %d offered two, %d one, %d none; %d groups, %d together", run.Children, run.Offered, run.OfferedOne, run.OfferedNone, run.GroupsPlanned, run.GroupsTogether)
		if run.Offered+run.OfferedOne+run.OfferedNone != run.Children || run.Objective < run.LowerBound {
			t.Errorf("run counts %+v do not add up", run)
		}
		for _, want := range []string{"loading", "search", "flow", "explain", "saving"} {
			if !slices.Contains(stages, want) {
				t.Errorf("progress stages %v lack %s", stages, want)
			}
		}
		stored, err := s.MatchRun(ctx, catalogue.Everything, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Status != catalogue.RunSucceeded || stored.Offered != run.Offered || stored.Objective != run.Objective {
			t.Fatalf("stored run %+v, carried out %+v", stored, run)
		}
		results := collect(t, s, catalogue.Everything, run.ID)
		if len(results) != run.Children {
			t.Fatalf("%d results for %d children", len(results), run.Children)
		}
		two := 0
		for _, r := range results {
			if len(r.Offers) == 2 {
				two++
			}
			if len(r.Offers) < 2 && r.Reason == "" {
				t.Errorf("child %d: %d offers and no reason", r.Child, len(r.Offers))
			}
			for _, o := range r.Offers {
				if len(o.Factors) != len(catalogue.Factors) || o.Factors[0].Reason == "" {
					t.Errorf("child %d: offer without its explanation: %+v", r.Child, o)
				}
			}
		}
		if two != run.Offered {
			t.Errorf("%d results with two offers, the run says %d", two, run.Offered)
		}

		// An officer's run: their council's children only.
		own, err := svc.Run(ctx, officer, casework.RunParams{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if own.Council != leeds {
			t.Fatalf("an officer's run is for %q", own.Council)
		}
		for _, r := range collect(t, s, catalogue.Everything, own.ID) {
			if r.Council != leeds {
				t.Fatalf("an officer's run matched a child of %s", r.Council)
			}
		}
		if _, err := svc.Run(ctx, officer, casework.RunParams{Council: bradford}, nil); !errors.Is(err, catalogue.ErrForbidden) {
			t.Errorf("an officer matching another council: %v, want forbidden", err)
		}
		if _, err := svc.Run(ctx, admin, casework.RunParams{Region: "E12000099"}, nil); catalogue.FieldErrors(err) == nil {
			t.Errorf("a bad region: %v, want a field error", err)
		}

		t.Run("preferences", func(t *testing.T) {
			testPreferences(t, s, svc, run.ID, results)
		})
	})
}

func testPreferences(t *testing.T, s *sqlstore.Store, svc *casework.Runs, id catalogue.MatchRunID, results []catalogue.RunResult) {
	ctx := context.Background()
	// Every Leeds child offered two prefers their back-up.
	var prefs []casework.Preference
	for _, r := range results {
		if r.Council == leeds && len(r.Offers) == 2 && len(r.Group) == 0 {
			prefs = append(prefs, casework.Preference{Child: r.Child, Ranked: []catalogue.PlacementID{r.Offers[1].Placement, r.Offers[0].Placement}})
		}
	}
	if len(prefs) < 2 {
		t.Fatalf("only %d Leeds children offered two", len(prefs))
	}
	alloc, err := svc.SetPreferences(ctx, officer, id, prefs)
	if err != nil {
		t.Fatal(err)
	}
	leedsKids := 0
	for _, r := range results {
		if r.Council == leeds {
			leedsKids++
		}
	}
	if len(alloc) != leedsKids {
		t.Fatalf("%d allocations returned to the Leeds officer, %d Leeds children in the run", len(alloc), leedsKids)
	}
	byChild := map[catalogue.ChildID]catalogue.RunAllocation{}
	for _, a := range alloc {
		if a.Council != leeds {
			t.Fatalf("the Leeds officer was told about a child of %s", a.Council)
		}
		byChild[a.Child] = a
	}
	// Offers promise their places, so with nothing taken since the match every child gets
	// their first choice.
	for _, p := range prefs {
		a := byChild[p.Child]
		if a.Outcome != catalogue.AllocFirstChoice || a.Placement != p.Ranked[0] || !a.Stated {
			t.Errorf("child %d: %+v, want their first choice %d", p.Child, a, p.Ranked[0])
		}
	}
	// Everyone in the run has an allocation, stored.
	all, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunAllocation], error) {
		return s.ListRunAllocations(ctx, catalogue.Everything, id, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: 500})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(results) {
		t.Fatalf("%d allocations stored for %d children", len(all), len(results))
	}
	// Bad preferences name the field; another council's child is out of scope.
	var bradfordChild catalogue.ChildID
	for _, r := range results {
		if r.Council == bradford {
			bradfordChild = r.Child
		}
	}
	first := prefs[0]
	for name, tc := range map[string]struct {
		p     casework.Preference
		field string
	}{
		"not offered":  {casework.Preference{Child: first.Child, Ranked: []catalogue.PlacementID{999999}}, "preferences[0].ranked[0]"},
		"twice":        {casework.Preference{Child: first.Child, Ranked: []catalogue.PlacementID{first.Ranked[0], first.Ranked[0]}}, "preferences[0].ranked[1]"},
		"both":         {casework.Preference{Child: first.Child, Ranked: first.Ranked, Neither: true}, "preferences[0].ranked"},
		"nothing":      {casework.Preference{Child: first.Child}, "preferences[0].ranked"},
		"out of scope": {casework.Preference{Child: bradfordChild, Neither: true}, "preferences[0].child"},
	} {
		_, err := svc.SetPreferences(ctx, officer, id, []casework.Preference{tc.p})
		fields := catalogue.FieldErrors(err)
		if len(fields) == 0 || fields[0].Field != tc.field {
			t.Errorf("%s: %v, want a field error on %s", name, err, tc.field)
		}
	}
	// A child who wants neither frees their places.
	alloc, err = svc.SetPreferences(ctx, officer, id, []casework.Preference{{Child: first.Child, Neither: true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alloc {
		if a.Child == first.Child && (a.Outcome != catalogue.AllocDeclined || a.Placement != 0) {
			t.Errorf("a child who wants neither: %+v", a)
		}
	}
}

// failingStore fails CompleteMatchRun, as a crash in the middle of the transaction would.
type failingStore struct {
	casework.Store
	mu       sync.Mutex
	complete int
}

func (f *failingStore) CompleteMatchRun(ctx context.Context, r catalogue.MatchRun, results []catalogue.RunResult) error {
	f.mu.Lock()
	f.complete++
	f.mu.Unlock()
	return errors.New("disk full")
}

// TestRunThatFailsLeavesNothing: a run whose results cannot be written is marked failed and
// has no results; Start runs in the background and ends the same way.
func TestRunThatFailsLeavesNothing(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	ctx := context.Background()
	today := seeded(t, s)
	fs := &failingStore{Store: s}
	svc := newService(t, fs, s, today)
	run, err := svc.Run(ctx, admin, casework.RunParams{Council: leeds}, nil)
	if err == nil || run.Status != catalogue.RunFailed {
		t.Fatalf("run %+v, %v: want failed", run, err)
	}
	stored, err := s.MatchRun(ctx, catalogue.Everything, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != catalogue.RunFailed || stored.Error == "" || len(collect(t, s, catalogue.Everything, run.ID)) != 0 {
		t.Fatalf("stored %+v: want failed, with a reason and no results", stored)
	}
	started, err := svc.Start(ctx, admin, casework.RunParams{Council: leeds})
	if err != nil {
		t.Fatal(err)
	}
	if started.Status != catalogue.RunRunning {
		t.Fatalf("Start returned %+v, want it running", started)
	}
	deadline := time.Now().Add(time.Minute) // measures a duration
	for {
		r, err := s.MatchRun(ctx, catalogue.Everything, started.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == catalogue.RunFailed {
			break
		}
		if time.Now().After(deadline) { // measures a duration
			t.Fatalf("the background run is still %s", r.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInterruptedRunsFailAtStartUp: a run left running by a process that stopped is marked
// failed by the next service's sweep; one whose heartbeat is fresh is left alone.
func TestInterruptedRunsFailAtStartUp(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	ctx := context.Background()
	old, err := s.CreateMatchRun(ctx, catalogue.MatchRun{})
	if err != nil {
		t.Fatal(err)
	}
	later := s.Now().Add(casework.StaleAfter + time.Second)
	fresh := func() time.Time { return later }
	svc, err := casework.NewRuns(casework.RunsConfig{Store: s, Now: fresh, Engine: func(context.Context) (*matcher.Engine, error) { return nil, errors.New("unused") }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	young, err := s.CreateMatchRun(ctx, catalogue.MatchRun{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RunProgress(ctx, young.ID, "search", 1, 2); err != nil {
		t.Fatal(err)
	}
	// Make the young run's heartbeat fresh relative to the service's clock.
	svcYoung, err := casework.NewRuns(casework.RunsConfig{Store: s, Now: s.Now, Engine: func(context.Context) (*matcher.Engine, error) { return nil, errors.New("unused") }})
	if err != nil {
		t.Fatal(err)
	}
	defer svcYoung.Close()
	if n, err := svcYoung.FailInterrupted(ctx); err != nil || n != 0 {
		t.Fatalf("a sweep right away failed %d runs (%v), want none", n, err)
	}
	n, err := svc.FailInterrupted(ctx)
	if err != nil || n != 2 {
		t.Fatalf("a sweep after StaleAfter failed %d runs (%v), want both", n, err)
	}
	for _, id := range []catalogue.MatchRunID{old.ID, young.ID} {
		r, err := s.MatchRun(ctx, catalogue.Everything, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != catalogue.RunFailed {
			t.Errorf("run %d is %s after the sweep", id, r.Status)
		}
	}
}

// noHistories is a store that knows no placement history.
type noHistories struct{ casework.Store }

func (noHistories) EpisodesOf(context.Context, []catalogue.ChildID) (map[catalogue.ChildID][]catalogue.Episode, error) {
	return nil, nil
}

// TestRunWeighsMoves: with the placement histories, a child who has moved a lot has
// stability weighed more in the run, as in the options for one child.
func TestRunWeighsMoves(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	ctx := context.Background()
	today := seeded(t, s)
	waiting, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
		return s.ListChildren(ctx, catalogue.Everything, catalogue.ChildFilter{Status: catalogue.ChildWaiting, After: catalogue.ChildID(after), Limit: 500})
	})
	if err != nil {
		t.Fatal(err)
	}
	moved := map[catalogue.ChildID]bool{}
	for _, c := range waiting {
		st, err := s.ChildStability(ctx, catalogue.Everything, c.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if st.Moves12m >= 2 && c.SiblingGroup == 0 {
			moved[c.ID] = true
		}
	}
	if len(moved) == 0 {
		t.Fatal("no waiting child moved twice in the year")
	}
	stability := func(svc *casework.Runs) map[catalogue.ChildID]float64 {
		run, err := svc.Run(ctx, admin, casework.RunParams{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[catalogue.ChildID]float64{}
		for _, r := range collect(t, s, catalogue.Everything, run.ID) {
			for _, o := range r.Offers {
				for _, f := range o.Factors {
					if f.Factor == catalogue.FactorStability {
						out[r.Child] = f.Weight
					}
				}
			}
		}
		return out
	}
	without := stability(newService(t, noHistories{s}, s, today))
	with := stability(newService(t, s, s, today))
	compared := 0
	for id := range moved {
		w0, ok0 := without[id]
		w1, ok1 := with[id]
		if !ok0 || !ok1 {
			continue
		}
		compared++
		if !(w1 > w0) {
			t.Errorf("child %d moved twice or more: stability weighs %v with the history, %v without", id, w1, w0)
		}
	}
	if compared == 0 {
		t.Fatal("no child who moved a lot was offered a home in both runs")
	}
}

// TestFailAllRunningWhateverTheHeartbeat: on the embedded store every run left running at
// start-up is failed, even one whose heartbeat is ahead of the new process's clock (a clock
// pinned by PLACEMATCH_NOW starts from the same instant after a restart).
func TestFailAllRunningWhateverTheHeartbeat(t *testing.T) {
	t.Parallel()
	s := sqltest.SQLite(t)
	ctx := context.Background()
	run, err := s.CreateMatchRun(ctx, catalogue.MatchRun{})
	if err != nil {
		t.Fatal(err)
	}
	restarted := s.Now()
	sqltest.Clock(t, s).Advance(5 * time.Minute) // the stopped process ran on for a while
	if err := s.RunProgress(ctx, run.ID, "solve", 1, 2); err != nil {
		t.Fatal(err)
	}
	svc, err := casework.NewRuns(casework.RunsConfig{Store: s, Now: func() time.Time { return restarted },
		Engine: func(context.Context) (*matcher.Engine, error) { return nil, errors.New("unused") }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if n, err := svc.FailAllRunning(ctx); err != nil || n != 1 {
		t.Fatalf("failed %d runs (%v), want the one left running", n, err)
	}
	if r, err := s.MatchRun(ctx, catalogue.Everything, run.ID); err != nil || r.Status != catalogue.RunFailed {
		t.Fatalf("the run is %s (%v)", r.Status, err)
	}
}
