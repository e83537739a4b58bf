package benchmarks

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/matcher/mcf"
)

// BenchmarkMatch: the joint match of every child waiting (DESIGN.md section 8: 10,000 children
// with sibling groups against 100,000 placements, two offers each, under 3 s end to end and
// 1.5 GB peak memory), from the requests to the explained offers: the candidate search, the
// certified flow, the sibling groups, the explanations. The world is built once per size, out
// of the timing. Reported beside the time: the children and placements, the share offered two,
// how far the answer can be from the best possible (gap-bound-%), flows solved, children whose
// candidates were widened, each phase's time, the peak Go heap while matching and the process's
// peak resident set (Linux: VmHWM, reset before each size).
//
//	go test ./benchmarks -run '^$' -bench Match -benchtime 3x
func BenchmarkMatch(b *testing.B) {
	for _, size := range []struct{ waiting, placements int }{{1_000, 10_000}, {10_000, 100_000}} {
		w, err := BatchWorld(size.waiting, size.placements)
		if err != nil {
			b.Fatal(err)
		}
		e := matcher.NewEngineFrom(w.Placements, matcher.Options{})
		reqs := matcher.Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today)
		children := 0
		for _, r := range reqs {
			children += max(len(r.Group), 1)
		}
		b.Run(fmt.Sprintf("children=%d/placements=%d", children, len(w.Placements)), func(b *testing.B) {
			resetPeakRSS()
			peak := watchHeap()
			b.ReportAllocs()
			var res matcher.MatchResult
			cpu0, n := cpuTime(), 0
			for b.Loop() {
				n++
				var err error
				res, err = e.Match(context.Background(), matcher.MatchRequest{Children: reqs, Policy: catalogue.DefaultPolicy()})
				if err != nil {
					b.Fatal(err)
				}
			}
			heap := peak()
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(max(n, 1)), "cpu-s/op")
			c := res.Counts
			b.ReportMetric(float64(c.Children), "children")
			b.ReportMetric(float64(len(w.Placements)), "placements")
			b.ReportMetric(float64(e.Snapshot().Len()), "offerable")
			b.ReportMetric(float64(c.Groups), "groups")
			b.ReportMetric(100*float64(c.OfferedTwo)/float64(c.Children), "offered-two-%")
			b.ReportMetric(100*float64(c.OfferedOne)/float64(c.Children), "offered-one-%")
			b.ReportMetric(100*float64(res.Objective-res.LowerBound)/float64(res.LowerBound), "gap-bound-%")
			b.ReportMetric(float64(res.Solves), "flows")
			b.ReportMetric(float64(len(res.Widened)), "widened")
			b.ReportMetric(float64(res.Separated), "separated")
			t := res.Timings
			for _, p := range []struct {
				name string
				d    time.Duration
			}{{"search", t.Search}, {"flow", t.Flow}, {"groups", t.Groups}, {"households", t.Households}, {"explain", t.Explain}, {"last-total", t.Total}} {
				b.ReportMetric(float64(p.d.Microseconds())/1000, p.name+"-ms")
			}
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
			if rss := peakRSS(); rss > 0 {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			}
		})
	}
}

// cpuTime is the process's user and system time so far: on a shared machine it says what the
// work costs whatever else runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchHeap samples the Go heap every few milliseconds until the returned function is called,
// which returns the most it saw.
func watchHeap() func() uint64 {
	var mu sync.Mutex
	var most uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(stopped)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			most = max(most, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return most
	}
}

// resetPeakRSS resets the kernel's record of the process's peak resident set (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns the process's peak resident set in bytes since it was last reset, or 0
// where the kernel does not say.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// TestBatchWorld checks the benchmark's world has the sizes asked for, within a few percent.
func TestBatchWorld(t *testing.T) {
	w, err := BatchWorld(1_000, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	waiting := 0
	for _, c := range w.Children {
		if c.Status == catalogue.ChildWaiting {
			waiting++
		}
	}
	if waiting < 950 || waiting > 1050 || len(w.Placements) < 9_500 || len(w.Placements) > 10_500 {
		t.Fatalf("BatchWorld(1000, 10000): %d waiting, %d placements", waiting, len(w.Placements))
	}
}

// BenchmarkMatchFlow: the exact solver (matcher/mcf) on the final flow of the 10,000-children
// match, exported in DIMACS and read back, as benchmarks/batch_compare.sh gives it to LEMON's
// dimacs-solver; the optimum is checked against the match's objective.
//
//	go test ./benchmarks -run '^$' -bench MatchFlow -benchtime 10x
func BenchmarkMatchFlow(b *testing.B) {
	w, err := BatchWorld(10_000, 100_000)
	if err != nil {
		b.Fatal(err)
	}
	e := matcher.NewEngineFrom(w.Placements, matcher.Options{})
	res, err := e.Match(context.Background(), matcher.MatchRequest{Children: matcher.Waiting(w.Children, w.SiblingGroups, nil, nil, w.Today),
		Policy: catalogue.DefaultPolicy()})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteDIMACS(&buf); err != nil {
		b.Fatal(err)
	}
	g, err := mcf.ReadDIMACS(&buf)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("nodes=%d/arcs=%d", g.NumNodes(), g.NumArcs()), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sol, err := g.Solve(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if sol.Cost != res.Objective {
				b.Fatalf("optimum %d, the match's objective %d", sol.Cost, res.Objective)
			}
		}
	})
}
