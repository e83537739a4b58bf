package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

// TestServeJoinsItsGoroutines: when serve returns, whether stopped or failing to start, none of
// the goroutines it started (the snapshot refresh, the database watch, the runs sweep, the
// server) is still running: they are joined before the store closes (STYLE.md item 16).
func TestServeJoinsItsGoroutines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		args  []string
		fails bool
	}{
		{"stopped", nil, false},
		{"failing to start", []string{"--trusted-proxies", "not an address"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"PLACEMATCH_DB": filepath.Join(t.TempDir(), "s.db")}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			// The goroutines serve starts carry this label, which tells them from other tests'.
			label := fmt.Sprintf("%s-%p", t.Name(), t)
			var out syncBuffer
			done := make(chan error, 1)
			go pprof.Do(ctx, pprof.Labels("serve", label), func(ctx context.Context) {
				args := append([]string{"serve", "--addr", "127.0.0.1:0", "--demo=false"}, tc.args...)
				done <- run(ctx, args, envFunc(vars), strings.NewReader(""), &out, io.Discard)
			})
			var err error
			if tc.fails {
				err = <-done
			} else {
				for !urlLine.MatchString(out.String()) {
					select {
					case err := <-done:
						t.Fatalf("serve exited early: %v", err)
					case <-time.After(20 * time.Millisecond):
					}
				}
				cancel()
				err = <-done
			}
			if (err != nil) != tc.fails {
				t.Fatalf("serve returned %v", err)
			}
			if left := goroutinesLabelled(t, label, ".refreshEvery+", "(*Service).Sweep", ".sweepEvery", "(*Store).WatchPlacements",
				"net/http.(*Server).Serve"); len(left) > 0 {
				t.Errorf("serve returned with its goroutines still running:\n%s", strings.Join(left, "\n\n"))
			}
		})
	}
}

// goroutinesLabelled returns the stacks of the goroutines labelled serve=label that are in any of
// the functions named.
func goroutinesLabelled(t *testing.T, label string, funcs ...string) []string {
	t.Helper()
	var b bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&b, 1); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range strings.Split(b.String(), "\n\n") {
		if !strings.Contains(g, fmt.Sprintf(`"serve":%q`, label)) {
			continue
		}
		for _, f := range funcs {
			if strings.Contains(g, f) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}
