package main

import (
	"strings"
	"testing"
	"time"
)

// TestProgressBar: one bar for every command: each stage on a line of its own, at most ten
// times a second but the last figure of a stage always, nothing when quiet.
func TestProgressBar(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	clock := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	p := newProgressBar(&b, "seeding")
	p.now = func() time.Time { return clock }
	p.update(1, 4)
	p.update(2, 4) // within a tenth of a second of the last: not drawn
	clock = clock.Add(150 * time.Millisecond)
	p.update(3, 4)
	p.update(4, 4) // the end of the stage: drawn
	clock = clock.Add(time.Second)
	p.stage("flow", 0, 0)
	p.stage("flow", 0, 0)
	p.done()
	p.done()
	lines := strings.Split(b.String(), "\n")
	if len(lines) != 3 || lines[2] != "" {
		t.Fatalf("want a line for each stage, got %q", b.String())
	}
	draws := strings.Split(strings.TrimPrefix(lines[0], "\r"), "\r")
	if len(draws) != 3 || !strings.HasPrefix(draws[0], "seeding ") || !strings.Contains(draws[0], "  25% 1/4  0.0s") ||
		!strings.Contains(draws[1], "  75% 3/4  0.1s") || !strings.Contains(draws[2], "[##############################] 100% 4/4") {
		t.Errorf("seeding drawn as %q", draws)
	}
	if lines[1] != "\rflow                  0.0s" {
		t.Errorf("a stage without a total drawn as %q", lines[1])
	}

	quiet := newProgressBar(nil, "seeding")
	quiet.update(1, 2)
	quiet.stage("search", 1, 2)
	quiet.done()
}
