package main

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMatchCommand seeds a small store, matches every child waiting, and checks the summary
// and the exported flow, which placematch solve solves to the run's objective.
func TestMatchCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "m.db")}
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--scale", "0.01", "--councils", "E08000035,E08000032", "--tokens=false"}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	flow := filepath.Join(dir, "run.dimacs")
	lp := filepath.Join(dir, "run.lp")
	var out, errOut syncBuffer
	if err := run(ctx, []string{"match", "--dimacs", flow, "--lp", lp}, envFunc(vars), nil, &out, &errOut); err != nil {
		t.Fatalf("match: %v\n%s", err, errOut.String())
	}
	summary := out.String()
	for _, want := range []string{"match run 1 (England) succeeded", "children waiting", "offered two", "sibling groups planned together", "lower bound"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if !strings.Contains(errOut.String(), "search") {
		t.Errorf("no progress shown on standard error: %q", errOut.String())
	}
	m := regexp.MustCompile(`objective (\d+), lower bound`).FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("no objective in the summary:\n%s", summary)
	}
	solved, err := solve(t, "--dimacs", flow)
	if err != nil {
		t.Fatal(err)
	}
	if solved != "objective "+m[1]+"\n" {
		t.Fatalf("placematch solve of the exported flow: %q; the run's objective is %s", solved, m[1])
	}
	if countLines(t, lp) < 10 {
		t.Errorf("the integer programme has %d lines", countLines(t, lp))
	}

	// One council; bad options are usage errors.
	out = syncBuffer{}
	if err := run(ctx, []string{"match", "--council", "E08000035", "--quiet"}, envFunc(vars), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(Leeds) succeeded") {
		t.Errorf("one council's run:\n%s", out.String())
	}
	for _, args := range [][]string{{"--council", "E99999999"}, {"--region", "north"}, {"--top-k", "1000"}} {
		err := run(ctx, append([]string{"match", "--quiet"}, args...), envFunc(vars), nil, io.Discard, io.Discard)
		if exitCode(err) != 2 {
			t.Errorf("match %v: %v (exit %d), want a usage error", args, err, exitCode(err))
		}
	}
}
