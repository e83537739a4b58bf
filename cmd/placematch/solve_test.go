package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// small is a transport problem solved by hand: two sources of 3 and 2 units, two sinks of 4
// and 1; the cheapest plan sends 3 from node 1 to node 3 (cost 3 x 1), 1 from node 2 to node 3
// (cost 1 x 4) and 1 from node 2 to node 4 (cost 1 x 2): 9.
const small = `c a hand-made problem
p min 4 4
n 1 3
n 2 2
n 3 -4
n 4 -1
a 1 3 0 5 1
a 1 4 0 5 3
a 2 3 0 5 4
a 2 4 0 5 2
`

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func solve(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	err := run(context.Background(), append([]string{"solve"}, args...), envFunc(nil), strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func TestSolve(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "small.dimacs", small)
	out, err := solve(t, "--dimacs", file)
	if err != nil || out != "objective 9\n" {
		t.Fatalf("solve: %q, %v; want objective 9", out, err)
	}
	out, err = solve(t, "--dimacs", file, "--flow")
	want := "objective 9\ns 9\nf 1 3 3\nf 2 3 1\nf 2 4 1\n"
	if err != nil || out != want {
		t.Fatalf("solve --flow: %q, %v; want %q", out, err, want)
	}
	// Standard input.
	var stdout syncBuffer
	if err := run(context.Background(), []string{"solve", "--dimacs", "-"}, envFunc(nil), strings.NewReader(small), &stdout, io.Discard); err != nil || stdout.String() != "objective 9\n" {
		t.Fatalf("solve from standard input: %q, %v", stdout.String(), err)
	}
}

func TestSolveRefusesBadInput(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		args  []string
		body  string
		want  string // in the error
		usage bool
	}{
		"no file":     {args: []string{}, want: "--dimacs FILE is required", usage: true},
		"stray arg":   {args: []string{"--dimacs", "x", "y"}, want: "unexpected argument", usage: true},
		"missing":     {args: []string{"--dimacs", "/no/such/file.dimacs"}, want: "no such file"},
		"bad line":    {body: "p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 x 3\n", want: "line 4: capacity"},
		"no problem":  {body: "c nothing\n", want: "no problem line"},
		"infeasible":  {body: "p min 2 1\nn 1 2\nn 2 -2\na 1 2 0 1 3\n", want: "infeasible"},
		"wrong count": {body: "p min 2 2\nn 1 1\nn 2 -1\na 1 2 0 1 3\n", want: "declares 2 arcs, the file has 1"},
	} {
		t.Run(name, func(t *testing.T) {
			args := tc.args
			if tc.body != "" {
				args = []string{"--dimacs", writeFile(t, "bad.dimacs", tc.body)}
			}
			_, err := solve(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one saying %q", err, tc.want)
			}
			if usage := exitCode(err) == 2; usage != tc.usage {
				t.Errorf("exit code %d (usage error %v), want usage error %v", exitCode(err), usage, tc.usage)
			}
		})
	}
}

// randomTransport writes a random feasible transportation problem in DIMACS format.
func randomTransport(r *rand.Rand, sources, sinks int) string {
	var b strings.Builder
	supply := make([]int, sources)
	total := 0
	for i := range supply {
		supply[i] = 1 + r.IntN(20)
		total += supply[i]
	}
	demand := make([]int, sinks)
	for i := range total {
		demand[i%sinks]++
	}
	var arcs []string
	for i := range sources {
		for j := range sinks {
			if j == i%sinks || r.IntN(3) == 0 {
				arcs = append(arcs, fmt.Sprintf("a %d %d 0 %d %d", i+1, sources+j+1, 1+r.IntN(total), r.IntN(1000)))
			}
		}
	}
	// Every sink reachable from every source through a costly hub, so every instance is feasible.
	hub := sources + sinks + 1
	for i := range sources {
		arcs = append(arcs, fmt.Sprintf("a %d %d 0 -1 5000", i+1, hub))
	}
	for j := range sinks {
		arcs = append(arcs, fmt.Sprintf("a %d %d 0 -1 5000", hub, sources+j+1))
	}
	fmt.Fprintf(&b, "p min %d %d\n", hub, len(arcs))
	for i, s := range supply {
		fmt.Fprintf(&b, "n %d %d\n", i+1, s)
	}
	for j, d := range demand {
		fmt.Fprintf(&b, "n %d %d\n", sources+j+1, -d)
	}
	b.WriteString(strings.Join(arcs, "\n"))
	b.WriteString("\n")
	return b.String()
}

// TestSolveAgreesWithLEMON: on random problems, placematch solve and LEMON's dimacs-solver
// find the same optimum. The test skips without dimacs-solver, but fails under CI=true.
func TestSolveAgreesWithLEMON(t *testing.T) {
	t.Parallel()
	lemon, err := exec.LookPath("dimacs-solver")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dimacs-solver (Debian liblemon-utils) not found: CI must have it")
		}
		t.Skip("dimacs-solver not found: apt-get install liblemon-utils to run this test")
	}
	r := rand.New(rand.NewPCG(5, 8))
	cost := regexp.MustCompile(`Min flow cost: (-?\d+)`)
	for n := range 20 {
		file := writeFile(t, fmt.Sprintf("random%d.dimacs", n), randomTransport(r, 2+r.IntN(40), 2+r.IntN(40)))
		out, err := solve(t, "--dimacs", file)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(out, "objective ")), 10, 64)
		if err != nil {
			t.Fatalf("solve printed %q", out)
		}
		lout, err := exec.Command(lemon, "-long", file).CombinedOutput()
		if err != nil {
			t.Fatalf("dimacs-solver: %v\n%s", err, lout)
		}
		m := cost.FindSubmatch(lout)
		if m == nil {
			t.Fatalf("dimacs-solver printed no cost:\n%s", lout)
		}
		theirs, _ := strconv.ParseInt(string(m[1]), 10, 64)
		if ours != theirs {
			t.Fatalf("problem %d: placematch solve %d, LEMON %d", n, ours, theirs)
		}
	}
}
