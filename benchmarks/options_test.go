package benchmarks

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/synth"
)

// nationalPlacements is the number of placements in the synthetic England at national scale.
const nationalPlacements = 57_731

var (
	worldsMu sync.Mutex
	worlds   = map[int]synth.World{}
)

// englandWith returns the synthetic England scaled so that it holds about n placements (with the
// children that go with them), generated once per size.
func englandWith(b testing.TB, n int) synth.World {
	b.Helper()
	worldsMu.Lock()
	defer worldsMu.Unlock()
	if w, ok := worlds[n]; ok {
		return w
	}
	cfg := synth.Scaled(float64(n) / nationalPlacements)
	batch, err := synth.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	w := synth.Materialise(batch, cfg.Today)
	worlds[n] = w
	return w
}

// BenchmarkOptions: ranked options for one child, cycling through every waiting child of a
// synthetic England of 1,000, 10,000 and 100,000 placements (DESIGN.md section 8: p50 under
// 0.5 ms and p99 under 2 ms at 100,000). "ring" is the S2 ring search with its certified early
// stop; "scan" checks and scores every placement with a free place, the baseline. Reports the
// median and 99th percentile per request in microseconds.
func BenchmarkOptions(b *testing.B) {
	pol := catalogue.DefaultPolicy()
	for _, n := range []int{1_000, 10_000, 100_000} {
		w := englandWith(b, n)
		e := matcher.NewEngineFrom(w.Placements, matcher.Options{})
		reqs := matcher.Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today)
		for _, mode := range []string{"ring", "scan"} {
			search := e.Options
			if mode == "scan" {
				search = e.ScanOptions
			}
			b.Run(fmt.Sprintf("placements=%d/%s", n, mode), func(b *testing.B) {
				b.ReportAllocs()
				ctx := context.Background()
				lat := make([]time.Duration, 0, 4096)
				i := 0
				for b.Loop() {
					start := catalogue.StartStopwatch()
					if _, err := search(ctx, matcher.OptionsRequest{Request: reqs[i%len(reqs)], Policy: pol}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, start.Elapsed())
					i++
				}
				reportLatency(b, lat)
				b.ReportMetric(float64(e.Snapshot().Len()), "offerable")
			})
		}
	}
}

// reportLatency reports the median and 99th percentile of per-request latencies.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / 1e3 }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}
