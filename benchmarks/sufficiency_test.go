package benchmarks

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
	"github.com/placematch/placematch/synth"
)

// The national sufficiency report (DESIGN.md section 8: under 10 s on a 2-core machine), a
// what-if and the recruitment planner, over the synthetic England at a tenth and at full scale:
//
//	go test ./benchmarks -run '^$' -bench Sufficiency -benchtime 3x -timeout 30m
//
// Besides time per report, each reports the CPU time it took (cpu-s/op): on a machine shared
// with other work the wall clock says more about the neighbours than about the report.

var (
	suffMu     sync.Mutex
	suffInputs = map[float64]sufficiency.Input{}
)

// suffInput is the synthetic England at scale f as the analysis reads it, with the stability
// indicators and the young people turning 18 of its placement histories, generated once per
// scale.
func suffInput(b *testing.B, f float64) sufficiency.Input {
	b.Helper()
	suffMu.Lock()
	defer suffMu.Unlock()
	if in, ok := suffInputs[f]; ok {
		return in
	}
	cfg := synth.Scaled(f)
	batch, err := synth.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	w := synth.Materialise(batch, cfg.Today)
	in := sufficiency.Input{Today: w.Today, Children: w.Children, Groups: w.SiblingGroups, Placements: w.Placements,
		Stability:       sufficiency.StabilityFromHistories(w.Children, w.Episodes, w.Today),
		TurningEighteen: sufficiency.TurningEighteenFromHistories(w.Children, w.Episodes, w.Today), LoadedAt: w.Today,
		Leaving: sufficiency.LeavingFromHistories(w.Children, w.Episodes, w.Today)}
	suffInputs[f] = in
	return in
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkSufficiencyReport: the whole report, from the snapshot in memory to every figure
// published and protected: options for every child waiting, the supply scan, the joint match,
// the tallies, the suppression.
func BenchmarkSufficiencyReport(b *testing.B) {
	for _, f := range []float64{0.1, 1} {
		in := suffInput(b, f)
		b.Run(fmt.Sprintf("scale=%g", f), func(b *testing.B) {
			b.ReportAllocs()
			var r *sufficiency.Report
			start := cpuTime()
			for b.Loop() {
				var err error
				if r, err = sufficiency.Analyse(context.Background(), in, sufficiency.Config{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
			b.ReportMetric(r.England().All().Metrics.Waiting.Value(), "children-waiting")
			b.ReportMetric(float64(len(in.Placements)), "placements")
		})
	}
}

// BenchmarkSufficiencyWhatIf: five carers for sibling groups added in Birmingham, and the report
// rerun (the children within reach of them evaluated again, the joint match and the
// suppression done afresh).
func BenchmarkSufficiencyWhatIf(b *testing.B) {
	in := suffInput(b, 1)
	r, err := sufficiency.Analyse(context.Background(), in, sufficiency.Config{})
	if err != nil {
		b.Fatal(err)
	}
	s := sufficiency.Scenario{Additions: []sufficiency.Addition{{Council: catalogue.CouncilCode("E08000025"), Count: 5,
		Profile: sufficiency.Profile{Places: 3, SiblingGroups: true}}}}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := r.WhatIf(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkSufficiencyPlan: the recruitment planner placing 20 carers across England, one by
// one, without the verifying rerun (which costs one what-if).
func BenchmarkSufficiencyPlan(b *testing.B) {
	in := suffInput(b, 1)
	r, err := sufficiency.Analyse(context.Background(), in, sufficiency.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for _, prof := range []struct {
		name string
		p    sufficiency.Profile
	}{
		{"siblings", sufficiency.Profile{Places: 3, SiblingGroups: true}},
		{"teenagers-home", sufficiency.Profile{Kind: catalogue.ChildrensHome, MinAge: 12, MaxAge: 17}},
	} {
		b.Run(prof.name, func(b *testing.B) {
			b.ReportAllocs()
			var p *sufficiency.Plan
			start := cpuTime()
			for b.Loop() {
				if p, err = r.Plan(context.Background(), sufficiency.PlanRequest{Profile: prof.p, Carers: 20}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
			b.ReportMetric(float64(len(p.Steps)), "steps")
			if len(p.Steps) > 0 {
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(p.Steps)), "ms/step")
			}
		})
	}
}

// BenchmarkSufficiencyForCouncil: the national report as one council's staff see it (their own
// figures unwithheld, everything else suppressed again against what they know), worked out
// afresh for each council in turn (more councils than the report keeps, so none comes from the
// cache).
func BenchmarkSufficiencyForCouncil(b *testing.B) {
	in := suffInput(b, 1)
	r, err := sufficiency.Analyse(context.Background(), in, sufficiency.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var councils []catalogue.CouncilCode
	for _, ar := range r.Areas {
		if ar.Area.Level == sufficiency.LevelCouncil {
			councils = append(councils, catalogue.CouncilCode(ar.Area.Code))
		}
	}
	b.ReportAllocs()
	start := cpuTime()
	i := 0
	for b.Loop() {
		if _, err := r.For(councils[i%len(councils)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, start)
}

// BenchmarkSufficiencyPreparedFor: a council's staff's view as a request takes it, prepared with
// the report (Report.Prepare, in the background): the request computes nothing.
func BenchmarkSufficiencyPreparedFor(b *testing.B) {
	in := suffInput(b, 1)
	r, err := sufficiency.Analyse(context.Background(), in, sufficiency.Config{})
	if err != nil {
		b.Fatal(err)
	}
	const lancashire = catalogue.CouncilCode("E10000017")
	if err := r.Prepare(context.Background(), string(lancashire)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ready, err := r.PreparedFor(lancashire); err != nil || !ready {
			b.Fatal("not prepared", err)
		}
	}
}
