package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// Kinds of finding. Each is a way the service broke a rule of DESIGN.md section 9 or of issue
// 14; the summary counts them and the attack exits 1 when there is any.
const (
	kind5xx          = "5xx"                         // a server error
	kindRole         = "2xx for a role that may not" // the access matrix: a route answered a role it does not list
	kindUnauth       = "2xx without a valid token"
	kindBOLA         = "record outside scope"     // a caller read or changed a record outside its scope
	kindNotProblem   = "error not problem+json"   // an API error in another format
	kindUnnamed      = "400 not naming the field" // bad input refused without saying which field
	kindControl      = "control character accepted"
	kindHugeNumber   = "non-finite or huge number accepted"
	kindFieldOwner   = "provider changed a field it does not own"
	kindChildLeak    = "address or another child reached a child"
	kindLogLeak      = "token or child's name in the log"
	kindHostLink     = "link built from the Host header"
	kindNoStore      = "children's data without Cache-Control: no-store"
	kindCSV          = "CSV cell starts with a formula character"
	kindReason       = "valid X-Reason refused"
	kindOverfill     = "over-fill"
	kindPartial      = "partial write"
	kindIdempotency  = "Idempotency-Key misbehaved"
	kindLockout      = "valid link or sign-in locked out"
	kindLatency      = "officers slowed by aggregates"
	kindImport       = "import not bounded"
	kindSolve        = "solve not bounded"
	kindChildAbort   = "child's hang-up logged as a server error"
	kindUnreachable  = "attack could not reach a route"
	kindOutage       = "store down answered other than 503"
	kindStale        = "another instance stale after the database came back"
	kindAllowedRefus = "allowed caller refused"
)

// leakKinds are the kinds counted as leaks in the summary.
var leakKinds = []string{kindBOLA, kindChildLeak, kindLogLeak, kindHostLink}

// finding is one thing the attack found wrong.
type finding struct {
	probe, kind, where, detail string
}

// probeResult is one line of the summary table.
type probeResult struct {
	name     string
	tried    int    // requests, inputs or pairs the probe sent
	fivexx   int    // server errors it saw
	findings int    // findings it made
	note     string // what it measured, or why it was skipped
	skipped  bool
	took     time.Duration
}

// report collects what one run of the attack found against one server.
type report struct {
	mu       sync.Mutex
	target   string
	findings []finding
	probes   []probeResult
	pairs    int // access matrix pairs tried
	inputs   int // bad inputs tried
	fivexx   int // server errors seen, anywhere
	overfill int // over-fills seen
	requests int64
}

// find records a finding.
func (r *report) find(probe, kind, where, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.findings = append(r.findings, finding{probe: probe, kind: kind, where: where, detail: fmt.Sprintf(format, args...)})
	if kind == kind5xx {
		r.fivexx++
	}
	if kind == kindOverfill {
		r.overfill++
	}
}

// count returns how many findings a probe made so far.
func (r *report) count(probe string) (findings, fivexx int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.findings {
		if f.probe == probe {
			findings++
			if f.kind == kind5xx {
				fivexx++
			}
		}
	}
	return findings, fivexx
}

// kinds counts the findings of each kind.
func (r *report) kinds() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[string]int{}
	for _, f := range r.findings {
		m[f.kind]++
	}
	return m
}

// leaks counts the findings that are leaks.
func (r *report) leaks() int {
	n := 0
	for k, c := range r.kinds() {
		if slices.Contains(leakKinds, k) {
			n += c
		}
	}
	return n
}

// addProbe records a probe's line in the summary.
func (r *report) addProbe(p probeResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.probes = append(r.probes, p)
}

// failed reports whether the run found anything.
func (r *report) failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.findings) > 0
}

// maxExamples bounds the findings printed of each kind.
const maxExamples = 8

// write prints the summary table and the findings, grouped by kind and sorted, a few of each
// kind (all of them with all).
func (r *report) write(w io.Writer, all bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(w, "\n== %s\n", r.target)
	fmt.Fprintf(w, "%-28s %8s %6s %9s  %s\n", "probe", "tried", "5xx", "findings", "result")
	for _, p := range r.probes {
		res := "ok"
		switch {
		case p.skipped:
			res = "skipped"
		case p.findings > 0:
			res = "FOUND"
		}
		if p.note != "" {
			res += ": " + p.note
		}
		fmt.Fprintf(w, "%-28s %8d %6d %9d  %s (%s)\n", p.name, p.tried, p.fivexx, p.findings, res, p.took.Round(100*time.Millisecond))
	}
	leaks := 0
	byKind := map[string][]finding{}
	for _, f := range r.findings {
		byKind[f.kind] = append(byKind[f.kind], f)
		if slices.Contains(leakKinds, f.kind) {
			leaks++
		}
	}
	fmt.Fprintf(w, "pairs tried %d, inputs tried %d, 5xx seen %d, leaks seen %d, over-fills seen %d, findings %d, requests %d\n",
		r.pairs, r.inputs, r.fivexx, leaks, r.overfill, len(r.findings), r.requests)
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(byKind[b]), len(byKind[a])), strings.Compare(a, b))
	})
	for _, k := range kinds {
		fs := byKind[k]
		slices.SortStableFunc(fs, func(a, b finding) int {
			return cmp.Or(strings.Compare(a.probe, b.probe), strings.Compare(a.where, b.where), strings.Compare(a.detail, b.detail))
		})
		fmt.Fprintf(w, "\n%s: %d\n", k, len(fs))
		shown := map[string]bool{}
		n := 0
		for _, f := range fs {
			key := f.probe + f.where
			if shown[key] && len(fs) > maxExamples && !all {
				continue // one example of each place first
			}
			shown[key] = true
			fmt.Fprintf(w, "  [%s] %s: %s\n", f.probe, f.where, f.detail)
			if n++; n >= maxExamples && !all {
				break
			}
		}
		if len(fs) > n {
			fmt.Fprintf(w, "  ... and %d more\n", len(fs)-n)
		}
	}
}
