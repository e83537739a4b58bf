package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placematch/placematch/forecast"
	"github.com/placematch/placematch/sufficiency"
)

// updateGolden is -update: rewrite the golden files. Looked up first, so that another test file
// of the package may register it too.
var updateGolden = func() *bool {
	if f := flag.Lookup("update"); f != nil {
		v := f.Value.String() == "true"
		return &v
	}
	return flag.Bool("update", false, "rewrite the golden files")
}()

// TestForecastSample forecasts the sample SSDA903 return and backtests the last two years:
// the output is the golden file's (go test ./cmd/placematch -run ForecastSample -update).
func TestForecastSample(t *testing.T) {
	t.Parallel()
	sample := filepath.Join("..", "..", "exchange", "ssda903", "testdata", "sample")
	var stdout syncBuffer
	err := run(context.Background(), []string{"forecast", "--ssda903", sample, "--council", "E10000017", "--backtest", "2"},
		envFunc(map[string]string{}), nil, &stdout, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "forecast_sample.golden")
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(stdout.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := stdout.String(); got != string(want) {
		t.Errorf("forecast of the sample:\n%s\nwant (%s):\n%s", got, golden, want)
	}
}

// TestForecastStore forecasts a small synthetic England from the store, one council's and
// every council's, and refuses bad options as usage errors.
func TestForecastStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "a.db")}
	if err := run(ctx, []string{"seed", "--scale", "0.005", "--tokens=false"}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  []string
	}{
		{"England", []string{"--backtest", "1"}, false, []string{"forecast (stock and flow, fitted on 5 years)", "mean absolute % error", "CSDM method"}},
		{"a council", []string{"--council", "E10000017", "--years", "1"}, false, []string{"children looked after on 31 March"}},
		{"the report", []string{"sufficiency", "--progress=false", "--council", "E10000017", "--forecast", "--plan-forecast", "--within", "E10000017"}, false,
			[]string{"Need forecast (children looked after on 31 March, 80% interval)", "Target from the demand forecast: "}},
		{"the planner with no forecast", []string{"sufficiency", "--progress=false", "--plan-forecast"}, true, nil},
		{"too far", []string{"--years", "4"}, true, nil},
		{"no years", []string{"--years", "0"}, true, nil},
		{"a bad council", []string{"--council", "X"}, true, nil},
		{"a return with no council", []string{"--ssda903", dir}, true, nil},
		{"held out too many", []string{"--backtest", "3", "--since", "2024"}, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout syncBuffer
			args := append([]string{"forecast"}, tc.args...)
			if tc.args[0] == "sufficiency" {
				args = tc.args
			}
			err := run(ctx, args, envFunc(vars), nil, &stdout, io.Discard)
			var ue usageError
			if tc.usage {
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}
}

// TestDemandCategoriesAgree: the forecast's categories are the report's, in the same order, as
// the demand adapter passes them by position.
func TestDemandCategoriesAgree(t *testing.T) {
	t.Parallel()
	if len(sufficiency.NeedCategories) != forecast.NumCategories {
		t.Fatalf("the report has %d need categories, the forecast %d", len(sufficiency.NeedCategories), forecast.NumCategories)
	}
	for i, c := range sufficiency.NeedCategories {
		if got := forecast.Category(i).String(); got != c.Name {
			t.Errorf("category %d: the forecast's %q, the report's %q", i, got, c.Name)
		}
	}
}
