package benchmarks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/synth"
)

// BenchmarkOptionsAPI: POST /v1/children/{id}/options through the whole API (authentication,
// the child's record and siblings from the embedded store, the policy, the matcher, the audit
// row, JSON) without the network, on the demo-scale England, from as many goroutines as there
// are cores. benchmarks/options_load.sh measures the same over loopback with wrk.
func BenchmarkOptionsAPI(b *testing.B) {
	ctx := context.Background()
	cfg := synth.Demo()
	clock := catalogue.FixedClock(cfg.Today.Add(9 * time.Hour)) // the day the catalogue was made for
	store, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{Logger: slog.New(slog.DiscardHandler), Now: clock})
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
	var waiting []catalogue.ChildID
	for _, c := range batch.Children {
		if c.Status == catalogue.ChildWaiting {
			waiting = append(waiting, res.Children[c.ID])
		}
	}
	secret, hash := catalogue.NewSecret("pm_")
	if _, err := store.CreateToken(ctx, catalogue.Token{Role: catalogue.RoleAdmin, Hash: hash, Label: "bench"}); err != nil {
		b.Fatal(err)
	}
	engine, err := matcher.NewEngine(ctx, store, matcher.Options{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	h, err := api.New(api.Config{Store: store, Matcher: engine, Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var failed atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	start := catalogue.StartStopwatch()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := waiting[int(next.Add(1))%len(waiting)]
			req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/v1/children/%d/options", id), strings.NewReader("{}"))
			req.Header.Set("Authorization", "Bearer "+secret)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				failed.Add(1)
			}
		}
	})
	b.ReportMetric(float64(b.N)/start.Elapsed().Seconds(), "req/s")
	// The process's CPU a request (the server's whole work, the benchmark's own small part
	// included): what the request path costs, less disturbed by a loaded machine than req/s.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-us/req")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
}
