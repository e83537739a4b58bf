package benchmarks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/synth"
)

// BenchmarkOfficersWhileStability: do a commissioner's requests for England's stability
// summary slow officers down? Officers of the council with the most children waiting ask for
// their children's options (POST /v1/children/{id}/options, through the whole API on the
// demo-scale England in the embedded store, from as many goroutines as there are cores):
//
//   - quiet: nothing else runs;
//   - stability_x4: a commissioner asks for GET /v1/stability?council= (England: every
//     child's placement history) on 4 connections at once, without pause;
//   - stability_x4_stale: the same, with the clock moved past the summary's maximum age every
//     half second, so that a new summary is computed in the background again and again.
//
// Reports the officers' p50, p95 and p99 in milliseconds, and the commissioner's requests a
// second with the share answered 429 (a second computation of theirs refused).
//
//	go test ./benchmarks -run '^$' -bench OfficersWhileStability -benchtime 3000x
func BenchmarkOfficersWhileStability(b *testing.B) {
	ctx := context.Background()
	cfg := synth.Demo()
	clock := catalogue.NewManualClock(cfg.Today.Add(9 * time.Hour)) // the day the catalogue was made for
	store, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{Logger: slog.New(slog.DiscardHandler), Now: clock.Clock()})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	batch, err := synth.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	res, err := store.Import(ctx, batch)
	if err != nil {
		b.Fatal(err)
	}
	// The council with the most children waiting (ties: the lower code), and its children.
	waitingIn := map[catalogue.CouncilCode][]catalogue.ChildID{}
	for _, c := range batch.Children {
		if c.Status == catalogue.ChildWaiting {
			waitingIn[c.Council] = append(waitingIn[c.Council], res.Children[c.ID])
		}
	}
	var council catalogue.CouncilCode
	for code, ids := range waitingIn {
		if n, best := len(ids), len(waitingIn[council]); n > best || (n == best && code < council) {
			council = code
		}
	}
	waiting := waitingIn[council]
	token := func(t catalogue.Token) string {
		secret, hash := catalogue.NewSecret("pm_")
		t.Hash, t.Label = hash, "bench"
		if _, err := store.CreateToken(ctx, t); err != nil {
			b.Fatal(err)
		}
		return secret
	}
	officer := token(catalogue.Token{Role: catalogue.RoleOfficer, Council: council})
	commissioner := token(catalogue.Token{Role: catalogue.RoleCommissioner})
	engine, err := matcher.NewEngine(ctx, store, matcher.Options{Now: clock.Clock()})
	if err != nil {
		b.Fatal(err)
	}
	h, err := api.New(api.Config{Store: store, Matcher: engine, Now: clock.Clock()})
	if err != nil {
		b.Fatal(err)
	}
	do := func(method, path, secret string) int {
		var req *http.Request
		if method == http.MethodPost {
			req = httptest.NewRequest(method, path, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequest(method, path, nil)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	// The summary is computed once before measuring, as a service that has been up a while has.
	if code := do(http.MethodGet, "/v1/stability?council=", commissioner); code != http.StatusOK {
		b.Fatalf("England's stability summary: %d", code)
	}

	for _, load := range []string{"quiet", "stability_x4", "stability_x4_stale"} {
		b.Run(load, func(b *testing.B) {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var asked, busy atomic.Int64
			if load != "quiet" {
				for range 4 {
					wg.Go(func() {
						for {
							select {
							case <-stop:
								return
							default:
							}
							switch do(http.MethodGet, "/v1/stability?council=", commissioner) {
							case http.StatusOK:
							case http.StatusTooManyRequests:
								busy.Add(1)
							default:
								b.Error("a stability request failed")
								return
							}
							asked.Add(1)
						}
					})
				}
			}
			if load == "stability_x4_stale" {
				wg.Go(func() {
					t := time.NewTicker(500 * time.Millisecond)
					defer t.Stop()
					for {
						select {
						case <-stop:
							return
						case <-t.C:
							clock.Advance(61 * time.Second)
						}
					}
				})
			}
			var mu sync.Mutex
			var took []time.Duration
			var next, failed atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			start := catalogue.StartStopwatch()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					id := waiting[int(next.Add(1))%len(waiting)]
					sw := catalogue.StartStopwatch()
					if do(http.MethodPost, fmt.Sprintf("/v1/children/%d/options", id), officer) != http.StatusOK {
						failed.Add(1)
					}
					mine = append(mine, sw.Elapsed())
				}
				mu.Lock()
				took = append(took, mine...)
				mu.Unlock()
			})
			elapsed := start.Elapsed()
			b.StopTimer()
			close(stop)
			wg.Wait()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d officers' requests failed", n)
			}
			slices.Sort(took)
			pct := func(p float64) float64 {
				return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(len(took))/elapsed.Seconds(), "officer-req/s")
			if n := asked.Load(); n > 0 {
				b.ReportMetric(float64(n)/elapsed.Seconds(), "stability-req/s")
				b.ReportMetric(100*float64(busy.Load())/float64(n), "stability-429-%")
			}
		})
	}
}
