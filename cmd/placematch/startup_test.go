package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// initBudget is the most a project package may allocate at init: enough for a few maps of
// words and short regular expressions, far short of hashing a password (20 MB), parsing the
// workspace's templates (4 MB) or compiling the redaction rules, which are done when first
// used (issue 22: no project package does work at init).
const initBudget = 256 << 10

// TestStartUpDoesLittle: placematch solve, run with GODEBUG=inittrace=1, initialises no
// project package that allocates more than initBudget, and still solves.
func TestStartUpDoesLittle(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "small.dimacs", small)
	cmd := exec.Command(binary(t), "solve", "--dimacs", file)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stdout.String() != "objective 9\n" {
		t.Fatalf("solve: %q, %v\n%s", stdout.String(), err, stderr.String())
	}
	project := 0
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init github.com/placematch/placematch/api @67 ms, 0.65 ms clock, 496192 bytes, 3642 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/placematch/placematch") {
			continue
		}
		project++
		n, err := strconv.Atoi(f[7])
		if err != nil || f[8] != "bytes," {
			t.Fatalf("cannot read %q", sc.Text())
		}
		if n > initBudget {
			t.Errorf("%s allocates %d bytes at init (at most %d): make it lazy (sync.OnceValue)", f[1], n, initBudget)
		}
	}
	if project == 0 {
		t.Fatalf("no project package in the init trace:\n%s", stderr.String())
	}
}
