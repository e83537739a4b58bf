package sufficiency_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/sufficiency"
	"github.com/placematch/placematch/synth"
)

func TestMain(m *testing.M) { sqltest.Main(m) }

// factorOf is one factor of one (child, home) pair as a path gives it.
type factorOf struct {
	Factor string
	Weight float64
	Score  float64
	Reason string
}

// pairOf is one (child, home) pair as a path scores it.
type pairOf struct {
	score   float64
	factors []factorOf // nil when the path gives only the score (the sufficiency report)
}

// TestOneRuleEverywhere: over every child waiting in a synthetic Tyneside (five councils at
// national density, with placement histories, brothers and sisters, a council policy of its own
// for one of them), the options for one child (through the API), a joint match (a match run) and
// the sufficiency report score every (child, home) pair they share alike: the same total to the
// last digit kept and, between options and the run, the same weight, score and reason for every
// factor. They build each child's request in one place (matcher.Case), follow one rule for
// brothers and sisters planned together if possible, weigh a child's moves and their council's
// policy alike (issue 15: the run ignored placed brothers and sisters, the report never weighed
// moves, each had its own fallback).
func TestOneRuleEverywhere(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a synthetic region and matches it three ways")
	}
	ctx := context.Background()
	cfg := synth.National()
	cfg.Councils = []catalogue.CouncilCode{"E08000021", "E08000022", "E08000023", "E08000024", "E08000037"}
	b, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	store := sqltest.SQLite(t, sqltest.At(cfg.Today.Add(9*time.Hour)))
	if _, err := store.Import(ctx, b); err != nil {
		t.Fatal(err)
	}
	// Newcastle weighs school more than the nation: each child is weighed by their own council's.
	own := catalogue.DefaultPolicy()
	own.Council, own.Weights[catalogue.FactorSchool] = "E08000021", 25
	if _, err := store.SavePolicy(ctx, own, "weighs school more"); err != nil {
		t.Fatal(err)
	}

	engine, err := matcher.NewEngine(ctx, store, matcher.Options{Now: store.Now})
	if err != nil {
		t.Fatal(err)
	}
	// The run.
	rs, err := casework.NewRuns(casework.RunsConfig{Store: store, Now: store.Now,
		Engine: func(context.Context) (*matcher.Engine, error) { return engine, nil },
		Policy: func(ctx context.Context, council catalogue.CouncilCode) (catalogue.Policy, error) {
			v, err := store.Policy(ctx, council)
			return v.Policy, err
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rs.Close)
	run, err := rs.Run(ctx, catalogue.Principal{Token: 1, Role: catalogue.RoleAdmin}, casework.RunParams{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	results, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return store.ListRunResults(ctx, catalogue.Everything, run.ID, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	byRun := map[catalogue.ChildID]map[catalogue.PlacementID]pairOf{}
	for _, r := range results {
		byRun[r.Child] = map[catalogue.PlacementID]pairOf{}
		for _, o := range r.Offers {
			p := pairOf{score: o.Score}
			for _, f := range o.Factors {
				p.factors = append(p.factors, factorOf{string(f.Factor), f.Weight, f.Score, f.Reason})
			}
			byRun[r.Child][o.Placement] = p
		}
	}

	// The report.
	svc, err := sufficiency.NewService(sufficiency.ServiceConfig{Source: store, Policies: store, Histories: store, Now: store.Now})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Compute(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	byReport := sufficiency.Offered(rep)

	// The options, through the API, for every child who leads their request (the first of
	// brothers and sisters moving together, as a run and the report make it).
	secret, hash := catalogue.NewSecret("pm_")
	if _, err := store.CreateToken(ctx, catalogue.Token{Role: catalogue.RoleAdmin, Hash: hash, Label: "consistency"}); err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Config{Store: store, Matcher: engine, Now: store.Now})
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.Child], error) {
		return store.ListChildren(ctx, catalogue.Everything, catalogue.ChildFilter{Status: catalogue.ChildWaiting, After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.SiblingGroup], error) {
		return store.ListSiblingGroups(ctx, catalogue.Everything, catalogue.GroupFilter{After: catalogue.SiblingGroupID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	leads := map[catalogue.ChildID]bool{}
	for _, r := range matcher.Waiting(waiting, groups, nil, nil, store.Now()) {
		leads[r.Child.ID] = true
	}
	byOptions := map[catalogue.ChildID]map[catalogue.PlacementID]pairOf{}
	for id := range leads {
		req := httptest.NewRequest(http.MethodPost, "/v1/children/"+id.String()+"/options",
			bytes.NewReader([]byte(`{"limit": `+strconv.Itoa(matcher.MaxOptions)+`}`)))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("options of child %d: %d %s", id, w.Code, w.Body)
		}
		var body struct {
			Options []struct {
				Placement struct {
					ID int64 `json:"id"`
				} `json:"placement"`
				Score   float64    `json:"score"`
				Factors []factorOf `json:"factors"`
			} `json:"options"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		byOptions[id] = map[catalogue.PlacementID]pairOf{}
		for _, o := range body.Options {
			byOptions[id][catalogue.PlacementID(o.Placement.ID)] = pairOf{score: o.Score, factors: o.Factors}
		}
	}

	// Compare every pair two of them share.
	const digits = 1e-4 // the API keeps four decimals
	same := func(a, b float64) bool { return math.Abs(a-b) <= digits/2+1e-12 }
	optRun, runReport, optReport := 0, 0, 0
	for child := range leads {
		for pl, r := range byRun[child] {
			if o, ok := byOptions[child][pl]; ok {
				optRun++
				if !same(o.score, r.score) {
					t.Errorf("child %d, home %d: options score %.4f, the run %.6f", child, pl, o.score, r.score)
				}
				if len(o.factors) != len(r.factors) {
					t.Errorf("child %d, home %d: options give %d factors, the run %d", child, pl, len(o.factors), len(r.factors))
				}
				for i := range min(len(o.factors), len(r.factors)) {
					of, rf := o.factors[i], r.factors[i]
					if of.Factor != rf.Factor || of.Reason != rf.Reason || !same(of.Weight, rf.Weight) || !same(of.Score, rf.Score) {
						t.Errorf("child %d, home %d, %s: options %+v, the run %+v", child, pl, of.Factor, of, rf)
					}
				}
			}
			if s, ok := byReport[child][pl]; ok {
				runReport++
				if s != r.score {
					t.Errorf("child %d, home %d: the report's score %.6f, the run's %.6f", child, pl, s, r.score)
				}
			}
		}
		for pl, s := range byReport[child] {
			if o, ok := byOptions[child][pl]; ok {
				optReport++
				if !same(o.score, s) {
					t.Errorf("child %d, home %d: options score %.4f, the report %.6f", child, pl, o.score, s)
				}
			}
		}
	}
	// The run and the report are one joint match of the same requests: the same offers.
	differ := 0
	for child := range leads {
		var a, b []catalogue.PlacementID
		for pl := range byRun[child] {
			a = append(a, pl)
		}
		for pl := range byReport[child] {
			b = append(b, pl)
		}
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			differ++
			if differ <= 5 {
				t.Errorf("child %d: the run offers %v, the report %v", child, a, b)
			}
		}
	}
	t.Logf("%d children lead a request; pairs compared: options and run %d, run and report %d, options and report %d; children offered differently by the run and the report: %d",
		len(leads), optRun, runReport, optReport, differ)
	if optRun < len(leads) || runReport < len(leads) || optReport < len(leads) {
		t.Errorf("too few pairs shared to compare: %d, %d, %d for %d children", optRun, runReport, optReport, len(leads))
	}
	if differ > 0 {
		t.Errorf("%d children offered differently by the run and the report", differ)
	}
}
