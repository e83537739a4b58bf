package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenAndSolve(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.dimacs")
	ctx := context.Background()
	if err := run(ctx, []string{"gen", "-family", "assign", "-n", "30", "-m", "5", "-o", file}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var objectives []string
	for _, algo := range []string{"simplex", "ssp"} {
		var out bytes.Buffer
		if err := run(ctx, []string{"solve", "-algo", algo, "-flow", file}, &out); err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(out.String(), "\n")
		objectives = append(objectives, first)
		if !strings.Contains(out.String(), "\ns ") || !strings.Contains(out.String(), "\nf ") {
			t.Errorf("%s: no DIMACS solution lines in\n%s", algo, out.String())
		}
	}
	if objectives[0] != objectives[1] || !strings.HasPrefix(objectives[0], "objective ") {
		t.Errorf("objectives %q", objectives)
	}
	if err := run(ctx, []string{"frobnicate"}, &bytes.Buffer{}); err == nil {
		t.Error("unknown command accepted")
	}
}
