package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSSDA903ExportImport exports the demo's histories as SSDA903 returns, one folder per
// council, and imports one council's into an empty store: every episode comes back. The
// sample return imports with --trim-overlaps and is refused without it, nothing written.
func TestSSDA903ExportImport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	a := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "a.db")}
	if err := run(ctx, []string{"seed", "--scale", "0.005", "--tokens=false"}, envFunc(a), nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "returns")
	if err := run(ctx, []string{"export", "--ssda903", out}, envFunc(a), nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	const lancs = "E10000017"
	episodes := countLines(t, filepath.Join(out, lancs, "episodes.csv")) - 1
	if episodes < 1 {
		t.Fatalf("Lancashire's return has %d episodes", episodes)
	}
	b := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "b.db")}
	var stdout syncBuffer
	if err := run(ctx, []string{"import", "--ssda903", filepath.Join(out, lancs), "--council", lancs}, envFunc(b), nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`imported (\d+) children and (\d+) episodes`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("import said:\n%s", stdout.String())
	}
	if n, _ := strconv.Atoi(m[2]); n != episodes {
		t.Errorf("imported %d episodes; the return has %d", n, episodes)
	}

	sample := filepath.Join("..", "..", "exchange", "ssda903", "testdata", "sample")
	c := map[string]string{"PLACEMATCH_DB": filepath.Join(dir, "c.db")}
	var stderr syncBuffer
	err := run(ctx, []string{"import", "--ssda903", sample, "--council", lancs}, envFunc(c), nil, io.Discard, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "2017-episodes.csv:DECOM") || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("the sample without --trim-overlaps: %v\n%s", err, stderr.String())
	}
	stdout = syncBuffer{}
	if err := run(ctx, []string{"import", "--ssda903", sample, "--council", lancs, "--trim-overlaps"}, envFunc(c), nil, &stdout, io.Discard); err != nil ||
		!strings.Contains(stdout.String(), "imported 820 children and 2827 episodes") {
		t.Fatalf("the sample with --trim-overlaps: %v\n%s", err, stdout.String())
	}
	if _, err := os.Stat(filepath.Join(sample, "LICENSE")); err != nil {
		t.Error("the sample's licence is not kept with it")
	}
}
