// Command testtally reads `go test -json` on standard input and says what ran: it prints each
// package's result line and the whole output of every test that failed, then a summary of the
// tests that ran against PostgreSQL and in Chromium (tests log "placematch-test: PostgreSQL" or
// "placematch-test: Chromium" when they use one), the slowest tests, and the time of each
// package. It exits 1 when a test failed, when a test that needs PostgreSQL or Chromium was
// skipped, or when none of them ran at all. .ci/run pipes the README's test command into it.
//
//	go test -json ./... | go run ./scripts/testtally
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// event is one line of `go test -json` (the fields used here).
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// Marks that tests log when they use what CI must provide.
var marks = []string{"placematch-test: PostgreSQL", "placematch-test: Chromium"}

// test is what the tally keeps of one test.
type test struct {
	pkg, name string
	output    strings.Builder
	uses      map[string]bool
	result    string // pass, fail, skip; empty while running
	elapsed   float64
}

// tally is the summary of a run.
type tally struct {
	tests    map[string]*test
	order    []*test
	packages []event // the result of each package
	failed   bool
}

func main() {
	t, err := read(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testtally:", err)
		os.Exit(2)
	}
	if !t.report(os.Stdout) {
		os.Exit(1)
	}
}

// read consumes the events, writing package results and failed tests' output to w as they come.
func read(r io.Reader, w io.Writer) (*tally, error) {
	t := &tally{tests: map[string]*test{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			fmt.Fprintln(w, sc.Text()) // a build error or other text go test printed as it is
			continue
		}
		if e.Test == "" {
			switch e.Action {
			case "output":
				if !strings.HasPrefix(e.Output, "=== ") && !strings.HasPrefix(e.Output, "--- ") && e.Output != "PASS\n" {
					fmt.Fprint(w, e.Output)
				}
			case "pass", "fail", "skip":
				t.packages = append(t.packages, e)
				t.failed = t.failed || e.Action == "fail"
			}
			continue
		}
		key := e.Package + " " + e.Test
		tt := t.tests[key]
		if tt == nil {
			tt = &test{pkg: e.Package, name: e.Test, uses: map[string]bool{}}
			t.tests[key] = tt
			t.order = append(t.order, tt)
		}
		switch e.Action {
		case "output":
			tt.output.WriteString(e.Output)
			for _, m := range marks {
				if strings.Contains(e.Output, m) {
					tt.uses[m] = true
				}
			}
		case "pass", "fail", "skip":
			tt.result, tt.elapsed = e.Action, e.Elapsed
			if e.Action == "fail" {
				t.failed = true
				fmt.Fprint(w, tt.output.String())
			}
		}
	}
	return t, sc.Err()
}

// report writes the summary and reports whether the run is good.
func (t *tally) report(w io.Writer) bool {
	ok := !t.failed
	fmt.Fprintln(w, "\nWhat ran:")
	for _, m := range marks {
		ran, skipped := 0, []string{}
		for _, tt := range t.order {
			if !tt.uses[m] || hasUsingSubtests(t, tt, m) {
				continue // a parent counts through its subtests
			}
			switch tt.result {
			case "pass", "fail":
				ran++
			case "skip":
				skipped = append(skipped, tt.pkg+" "+tt.name)
			}
		}
		what := strings.TrimPrefix(m, "placematch-test: ")
		fmt.Fprintf(w, "  tests that ran against %s: %d\n", what, ran)
		if len(skipped) > 0 {
			ok = false
			fmt.Fprintf(w, "  tests skipped that need %s (none may be): %s\n", what, strings.Join(skipped, ", "))
		}
		if ran == 0 {
			ok = false
			fmt.Fprintf(w, "  no test ran against %s\n", what)
		}
	}
	top := slices.Clone(t.order)
	top = slices.DeleteFunc(top, func(tt *test) bool { return strings.Contains(tt.name, "/") })
	slices.SortFunc(top, func(a, b *test) int { return cmp.Compare(b.elapsed, a.elapsed) })
	fmt.Fprintln(w, "  slowest tests:")
	for _, tt := range top[:min(10, len(top))] {
		fmt.Fprintf(w, "    %6.1f s  %s %s\n", tt.elapsed, strings.TrimPrefix(tt.pkg, "github.com/placematch/placematch/"), tt.name)
	}
	pk := slices.Clone(t.packages)
	slices.SortFunc(pk, func(a, b event) int { return cmp.Compare(b.Elapsed, a.Elapsed) })
	fmt.Fprintln(w, "  slowest packages:")
	for _, p := range pk[:min(5, len(pk))] {
		fmt.Fprintf(w, "    %6.1f s  %s\n", p.Elapsed, strings.TrimPrefix(p.Package, "github.com/placematch/placematch/"))
	}
	return ok
}

// hasUsingSubtests reports whether a subtest of tt logged the mark too, so that only the
// innermost tests are counted.
func hasUsingSubtests(t *tally, tt *test, mark string) bool {
	for _, o := range t.order {
		if o.pkg == tt.pkg && strings.HasPrefix(o.name, tt.name+"/") && o.uses[mark] {
			return true
		}
	}
	return false
}
