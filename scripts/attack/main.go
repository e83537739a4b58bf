// Command attack attacks a running placematch the way the adversarial pass of issue 14 did, so
// that anyone can repeat it and find regressions. It walks every route of GET /openapi.json with
// every caller (the access matrix), sends hostile values in every field, query parameter and
// header, looks for what reaches a child that must not (addresses, contact details, other
// children) and for tokens and names in the server's log, races accepts of the last place and
// retries with one Idempotency-Key, guesses children's links from many addresses, and hammers
// the aggregates while officers work. It prints a summary table and exits 1 on any finding.
//
// With no -url it builds cmd/placematch, starts it on a fresh embedded store with a demo
// catalogue, attacks it, and does the same on a fresh database of the PostgreSQL given by
// DATABASE_URL when that is set: one command runs everything.
//
//	go run ./scripts/attack                       # embedded store (and PostgreSQL with DATABASE_URL)
//	go run ./scripts/attack -url http://127.0.0.1:8080 -tokens tokens.json -log server.log
//
// The attack is deterministic for a seed (-seed): the same values, in the same order, against
// the same records. It writes records into the store it attacks: run it against a throwaway one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errFindings):
		os.Exit(1)
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "attack:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(3)
	}
}

// errFindings is returned when the attack found something: exit status 1.
var errFindings = errors.New("the attack found problems")

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// allProbes are the probes in the order they run: the lock-out last but one, since guessing
// exhausts the link limiter for a minute, and the log last, since every probe writes to it.
// The outage runs only on a PostgreSQL the attack started.
var allProbes = []string{"access", "inputs", "leaks", "races", "load", "outage", "lockout", "log"}

// config is everything the command line sets.
type config struct {
	url          string
	tokensFile   string
	logFile      string
	trustedProxy bool
	maxImport    int64
	bin          string
	src          string
	stores       []string
	scale        string
	seed         uint64
	probes       []string
	raceN        int
	raceRounds   int
	idemN        int
	guesses      int
	addresses    int
	hammer       time.Duration
	quick        bool
	keep         bool
	verbose      bool
	trace        string
	all          bool
	routes       []string // the inputs probe attacks only these routes ("GET /v1/audit"); all when empty
	matrixRoutes []string // the access matrix walks only these routes; all when empty (for the tests)
	timeout      time.Duration
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("attack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./scripts/attack [options]")
		fmt.Fprintln(stderr, "  With no -url, builds cmd/placematch and attacks it on a fresh embedded store, and on a fresh")
		fmt.Fprintln(stderr, "  database of the PostgreSQL in DATABASE_URL when that is set. See scripts/attack/README.md.")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.url, "url", "", "attack the placematch running here instead of starting one (needs -tokens)")
	fs.StringVar(&c.tokensFile, "tokens", "", "with -url: a file of tokens: JSON {\"admin\": \"pm_...\", ...}, or the output of 'placematch serve' or 'placematch seed'")
	fs.StringVar(&c.logFile, "log", "", "with -url: the server's log file, searched for tokens and children's names")
	fs.BoolVar(&c.trustedProxy, "trusted-proxy", false, "with -url: the server believes X-Forwarded-For from this machine (--trusted-proxies 127.0.0.1)")
	fs.Int64Var(&c.maxImport, "max-import", 64<<20, "with -url: the server's --max-import, in bytes")
	fs.StringVar(&c.bin, "bin", "", "the placematch binary to start (default: build ./cmd/placematch from -src)")
	fs.StringVar(&c.src, "src", ".", "the module's root, where ./cmd/placematch is built from")
	stores := fs.String("stores", "", `stores to start when there is no -url: "sqlite", "postgres" or both (default: sqlite, and postgres when DATABASE_URL is set)`)
	fs.StringVar(&c.scale, "scale", "demo", "the size of the catalogue seeded into each store started (placematch seed --scale)")
	fs.Uint64Var(&c.seed, "seed", 1, "the seed of every value the attack chooses")
	probes := fs.String("probes", strings.Join(allProbes, ","), "the probes to run, in order: "+strings.Join(allProbes, ","))
	fs.IntVar(&c.raceN, "race-n", 200, "officers accepting the last place at once, in each race")
	fs.IntVar(&c.raceRounds, "race-rounds", 5, "races of accepts")
	fs.IntVar(&c.idemN, "idem-n", 20, "concurrent retries with one Idempotency-Key")
	fs.IntVar(&c.guesses, "guesses", 700, "wrong links guessed before a child opens a real one")
	fs.IntVar(&c.addresses, "addresses", 140, "addresses the guesses come from (through a trusted proxy)")
	fs.DurationVar(&c.hammer, "hammer", 10*time.Second, "how long a commissioner hammers the aggregates while officers work")
	fs.BoolVar(&c.quick, "quick", false, "a small, fast run: fewer hostile values and smaller races")
	fs.BoolVar(&c.keep, "keep", false, "keep the started servers' files and PostgreSQL databases")
	fs.BoolVar(&c.verbose, "v", false, "say what each probe is doing")
	fs.StringVar(&c.trace, "trace", "", "write every request the probes judge, with its answer, to this file")
	fs.BoolVar(&c.all, "all", false, "print every finding, not a few of each kind")
	routes := fs.String("routes", "", `the inputs probe attacks only these routes, comma-separated ("GET /v1/audit,POST /v1/children"); default: every route`)
	fs.DurationVar(&c.timeout, "timeout", 20*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, usageError{"unexpected arguments: " + strings.Join(fs.Args(), " ")}
	}
	for _, p := range strings.Split(*probes, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !slices.Contains(allProbes, p) {
			return c, usageError{fmt.Sprintf("-probes: %q is not a probe (%s)", p, strings.Join(allProbes, ","))}
		}
		c.probes = append(c.probes, p)
	}
	switch {
	case *stores != "":
		for _, s := range strings.Split(*stores, ",") {
			if s = strings.TrimSpace(s); s != "sqlite" && s != "postgres" {
				return c, usageError{fmt.Sprintf("-stores: %q is not sqlite or postgres", s)}
			}
			c.stores = append(c.stores, strings.TrimSpace(s))
		}
	default:
		c.stores = []string{"sqlite"}
		if getenv("DATABASE_URL") != "" {
			c.stores = append(c.stores, "postgres")
		}
	}
	if slices.Contains(c.stores, "postgres") && getenv("DATABASE_URL") == "" && c.url == "" {
		return c, usageError{"-stores postgres needs DATABASE_URL: a PostgreSQL the attack may create a database in"}
	}
	for _, r := range strings.Split(*routes, ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.routes = append(c.routes, r)
		}
	}
	if c.url != "" && c.tokensFile == "" {
		return c, usageError{"-url needs -tokens: the tokens printed by 'placematch serve' (an admin's at least)"}
	}
	if c.quick {
		c.raceN, c.raceRounds, c.idemN = min(c.raceN, 20), min(c.raceRounds, 1), min(c.idemN, 8)
		c.hammer = min(c.hammer, 2*time.Second)
	}
	if c.raceN < 2 || c.raceRounds < 0 || c.idemN < 2 || c.guesses < 0 || c.addresses < 1 {
		return c, usageError{"-race-n and -idem-n must be at least 2, -addresses at least 1, and counts not negative"}
	}
	return c, nil
}

// run is main without the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	var reports []*report
	if cfg.url != "" {
		toks, err := readTokens(cfg.tokensFile)
		if err != nil {
			return err
		}
		t := target{name: cfg.url, url: cfg.url, tokens: toks, trustedProxy: cfg.trustedProxy, maxImport: cfg.maxImport}
		if cfg.logFile != "" {
			t.log = func() []byte { b, _ := os.ReadFile(cfg.logFile); return b }
		}
		rep, err := attackTarget(ctx, cfg, t, stdout)
		if rep != nil {
			reports = append(reports, rep)
		}
		if err != nil {
			return err
		}
	} else {
		bin, cleanup, err := binary(ctx, cfg, stderr)
		if err != nil {
			return err
		}
		defer cleanup()
		for _, store := range cfg.stores {
			rep, err := attackStarted(ctx, cfg, bin, store, getenv, stdout, stderr)
			if rep != nil {
				reports = append(reports, rep)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", store, err)
			}
		}
	}
	fmt.Fprintf(stdout, "\nplacematch attack, seed %d", cfg.seed)
	if cfg.quick {
		fmt.Fprint(stdout, " (quick)")
	}
	fmt.Fprintln(stdout)
	failed := false
	for _, r := range reports {
		r.write(stdout, cfg.all)
		failed = failed || r.failed()
	}
	if len(reports) > 1 {
		w := len("server")
		for _, r := range reports {
			w = max(w, len(r.target))
		}
		fmt.Fprintf(stdout, "\n%-*s %8s %8s %6s %6s %10s %9s\n", w, "server", "pairs", "inputs", "5xx", "leaks", "over-fills", "findings")
		for _, r := range reports {
			fmt.Fprintf(stdout, "%-*s %8d %8d %6d %6d %10d %9d\n", w, r.target, r.pairs, r.inputs, r.fivexx, r.leaks(), r.overfill, len(r.findings))
		}
	}
	if failed {
		return errFindings
	}
	return nil
}

// target is a server to attack.
type target struct {
	name         string
	url          string
	tokens       map[string]string // a name (admin, officer, ...) -> secret
	log          func() []byte     // the server's log so far; nil when unknown
	trustedProxy bool
	maxImport    int64
	// restart kills the server with SIGKILL and starts it again on the same store, returning its
	// new URL; nil when the attack did not start it.
	restart func(ctx context.Context) (string, error)
	// pid is the server's process, for its memory; nil when unknown.
	pid func() int
	// bin is the placematch binary, for the solve probe; empty when unknown.
	bin string
	// pg controls the PostgreSQL database of a server the attack started on one, and another
	// starts a second instance on it; nil otherwise.
	pg      *pgControl
	another func(ctx context.Context) (url string, stop func(), err error)
}
