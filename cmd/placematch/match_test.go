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
	t.Parallel()
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

// TestCommandsFarFromToday: with the clock set years ahead of today or years behind
// (PLACEMATCH_NOW), the catalogue is seeded for that day and a joint match of it comes out
// exactly as it does on the tests' own day: who is offered two homes, one or none, and the
// objective. A clock that is not an instant is a usage error.
func TestCommandsFarFromToday(t *testing.T) {
	t.Parallel()
	outcome := func(t *testing.T, at string) string {
		t.Helper()
		vars := map[string]string{"PLACEMATCH_DB": filepath.Join(t.TempDir(), "far.db"), envClock: at}
		ctx := context.Background()
		if err := run(ctx, []string{"seed", "--scale", "0.2", "--councils", "E08000035", "--tokens=false"}, envFunc(vars), nil, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		var out syncBuffer
		if err := run(ctx, []string{"match", "--quiet"}, envFunc(vars), nil, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, l := range strings.Split(out.String(), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "children waiting") || strings.HasPrefix(l, "offered") || strings.HasPrefix(l, "objective") {
				keep = append(keep, l)
			}
		}
		if len(keep) != 5 || strings.HasPrefix(keep[1], "offered two          0 ") {
			t.Fatalf("on %s the match says:\n%s", at, out.String())
		}
		return strings.Join(keep, "\n")
	}
	want := outcome(t, testNow)
	for _, at := range []string{"2016-02-29T23:30:00Z", "2038-12-31"} {
		t.Run(at, func(t *testing.T) {
			t.Parallel()
			if got := outcome(t, at); got != want {
				t.Errorf("on %s:\n%s\nwant, as on %s:\n%s", at, got, testNow, want)
			}
		})
	}
	vars := map[string]string{"PLACEMATCH_DB": filepath.Join(t.TempDir(), "bad.db"), envClock: "next Tuesday"}
	if err := run(context.Background(), []string{"match"}, envFunc(vars), nil, io.Discard, io.Discard); exitCode(err) != 2 || !strings.Contains(err.Error(), envClock) {
		t.Errorf("%s=%q: exit %d (%v), want 2 naming the variable", envClock, vars[envClock], exitCode(err), err)
	}
}
