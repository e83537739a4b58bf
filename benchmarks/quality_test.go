package benchmarks

import (
	"context"
	"fmt"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// BenchmarkMatchQuality: how good the answers are, not how fast (issue 23: people's locations
// kept no finer than 1 km must not make matching measurably worse). On the synthetic England of
// 10,000 placements, the one-child search for every waiting child; on the batch world of 1,000
// children and 10,000 placements, the joint match. Reported: the share of children with two
// real choices, the mean quality of the first choice (0..1), the mean distance from the
// child's home (as stored) and to their school (exact: schools and homes keep exact points),
// and the match's objective. Every figure is deterministic: one iteration is enough.
//
//	go test ./benchmarks -run '^$' -bench MatchQuality -benchtime 1x
func BenchmarkMatchQuality(b *testing.B) {
	pol := catalogue.DefaultPolicy()
	for _, n := range []int{10_000, nationalPlacements} {
		b.Run(fmt.Sprintf("options/placements=%d", n), func(b *testing.B) { optionsQuality(b, n, pol) })
	}
	b.Run("match/children=1000/placements=10000", func(b *testing.B) {
		w, err := BatchWorld(1_000, 10_000)
		if err != nil {
			b.Fatal(err)
		}
		e := matcher.NewEngineFrom(w.Placements, matcher.Options{})
		reqs := matcher.Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today)
		var q quality
		var res matcher.MatchResult
		for b.Loop() {
			if res, err = e.Match(context.Background(), matcher.MatchRequest{Children: reqs, Policy: pol}); err != nil {
				b.Fatal(err)
			}
		}
		q.children, q.two = res.Counts.Children, res.Counts.OfferedTwo
		for _, c := range res.Children {
			if len(c.Offers) > 0 {
				q.add(c.Offers[0].Result, c.Offers[0].HomeKm)
			}
		}
		q.report(b)
		b.ReportMetric(float64(res.Objective), "objective")
	})
}

// optionsQuality runs the one-child search for every waiting child of the synthetic England of
// about n placements and reports the quality of the answers.
func optionsQuality(b *testing.B, n int, pol catalogue.Policy) {
	w := englandWith(b, n)
	e := matcher.NewEngineFrom(w.Placements, matcher.Options{})
	reqs := matcher.Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today)
	var q quality
	for b.Loop() {
		q = quality{}
		for _, r := range reqs {
			res, err := e.Options(context.Background(), matcher.OptionsRequest{Request: r, Policy: pol})
			if err != nil {
				b.Fatal(err)
			}
			q.children++
			if len(res.Options) >= 2 {
				q.two++
			}
			if len(res.Options) > 0 {
				q.add(res.Options[0].Result, res.Options[0].HomeKm)
			}
		}
	}
	q.report(b)
}

// quality sums the figures of first choices.
type quality struct {
	children, two, first, schools  int
	quality, homeKm, schoolKm, far float64
}

func (q *quality) add(r scoring.Result, homeKm float64) {
	q.first++
	q.quality += r.Quality
	q.homeKm += homeKm
	if homeKm > 20*catalogue.MilesToKm {
		q.far++
	}
	if r.SchoolKm >= 0 {
		q.schools++
		q.schoolKm += r.SchoolKm
	}
}

func (q quality) report(b *testing.B) {
	pct := func(n, of float64) float64 { return 100 * n / max(of, 1) }
	b.ReportMetric(float64(q.children), "children")
	b.ReportMetric(pct(float64(q.two), float64(q.children)), "two-choices-%")
	b.ReportMetric(q.quality/max(float64(q.first), 1), "first-quality")
	b.ReportMetric(q.homeKm/max(float64(q.first), 1), "first-home-km")
	b.ReportMetric(pct(q.far, float64(q.first)), "first-over-20-miles-%")
	b.ReportMetric(q.schoolKm/max(float64(q.schools), 1), "first-school-km")
	b.Logf("%s: %d children, %d with two choices, %d first choices, %d with a school", b.Name(), q.children, q.two, q.first, q.schools)
}
