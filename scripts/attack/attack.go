package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// attack is one run of the probes against one server.
type attack struct {
	cfg  config
	t    target
	c    *client
	rep  *report
	spec *spec
	out  io.Writer

	// callers are everyone the access matrix tries, by name.
	callers map[string]*caller
	// tokenIDs are the tokens the attack made, revoked when it ends.
	tokenMu  sync.Mutex
	tokenIDs []int64
	w        *world
	today    time.Time

	// secrets are every secret the attack saw (API tokens, children's links, sessions): none may
	// reach the log.
	secretsMu sync.Mutex
	secrets   map[string]string // secret -> what it is
	// xff hands out addresses for requests through the trusted proxy, one per child's link.
	xffMu sync.Mutex
	xffN  int
	// traceMu guards trace, the file of -trace.
	traceMu sync.Mutex
	trace   io.Writer
}

// traced writes one request and its answer to the -trace file.
func (a *attack) traced(where string, r response) {
	if a.trace == nil {
		return
	}
	a.traceMu.Lock()
	defer a.traceMu.Unlock()
	fmt.Fprintf(a.trace, "%s\t%s\n", where, r)
}

// caller is one identity of the access matrix.
type caller struct {
	name     string
	role     string // admin, officer, commissioner, provider; "" for no valid token
	token    string
	council  string
	provider int64
	tokenID  int64 // the token's ID, when the attack made it
}

// Names of the callers. Every token the matrix uses but admin's is made by the attack, so that
// each caller's scope is known: an officer of the attack's council and one of another, a
// provider of the attack's homes and another provider.
const (
	nobody        = "no token"
	invalid       = "invalid token"
	revoked       = "revoked token"
	admin         = "admin"
	officer       = "officer"
	otherOfficer  = "other council's officer"
	commissioner  = "commissioner"
	provider      = "provider"
	otherProvider = "other provider"
)

var callerOrder = []string{nobody, invalid, revoked, admin, officer, otherOfficer, commissioner, provider, otherProvider}

// rng returns the random source of one part of the attack: the same seed and part give the
// same values whatever ran before.
func (a *attack) rng(part string) *rand.Rand {
	h := uint64(14695981039346656037)
	for _, b := range []byte(part) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return rand.New(rand.NewPCG(a.cfg.seed, h))
}

func (a *attack) logf(format string, args ...any) {
	if a.cfg.verbose {
		fmt.Fprintf(a.out, "attack: "+format+"\n", args...)
	}
}

// remember notes a secret that must never appear in the log.
func (a *attack) remember(secret, what string) {
	if secret == "" {
		return
	}
	a.secretsMu.Lock()
	defer a.secretsMu.Unlock()
	if a.secrets == nil {
		a.secrets = map[string]string{}
	}
	a.secrets[secret] = what
}

// nextAddress is a new client address for the trusted proxy's X-Forwarded-For, from the
// documentation range 192.0.2.0/24 and beyond (never one the guesses use).
func (a *attack) nextAddress() string {
	a.xffMu.Lock()
	defer a.xffMu.Unlock()
	a.xffN++
	return fmt.Sprintf("100.64.%d.%d", a.xffN/250, a.xffN%250+1)
}

// attackTarget runs the probes against one server and returns what they found.
func attackTarget(ctx context.Context, cfg config, t target, stdout io.Writer) (*report, error) {
	a := &attack{cfg: cfg, t: t, c: newClient(t.url), rep: &report{target: t.name}, out: stdout}
	if cfg.trace != "" {
		f, err := os.OpenFile(cfg.trace, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		a.trace = f
	}
	defer func() { a.rep.requests = a.c.sent.Load() }()
	for name, tok := range t.tokens {
		a.remember(tok, "the "+name+" token")
	}
	r := a.c.do(ctx, request{method: "GET", path: "/openapi.json"})
	if r.err != nil || r.status != 200 {
		return nil, fmt.Errorf("reading %s/openapi.json: %s", t.url, r)
	}
	var err error
	if a.spec, err = parseSpec(r.body); err != nil {
		return nil, err
	}
	if err := a.setUpCallers(ctx); err != nil {
		return nil, fmt.Errorf("setting up the callers: %w", err)
	}
	defer a.revokeTokens(context.WithoutCancel(ctx))
	if err := a.build(ctx); err != nil {
		return nil, fmt.Errorf("making the attack's records: %w", err)
	}
	for _, p := range cfg.probes {
		if ctx.Err() != nil {
			return a.rep, ctx.Err()
		}
		a.logf("probe %s", p)
		sw := catalogue.StartStopwatch()
		before := a.c.sent.Load()
		var res probeResult
		switch p {
		case "access":
			res = a.probeAccess(ctx)
		case "inputs":
			res = a.probeInputs(ctx)
		case "leaks":
			res = a.probeLeaks(ctx)
		case "races":
			res = a.probeRaces(ctx)
		case "load":
			res = a.probeLoad(ctx)
		case "outage":
			res = a.probeOutage(ctx)
		case "lockout":
			res = a.probeLockout(ctx)
		case "log":
			res = a.probeLog(ctx)
		}
		res.name, res.took = probeTitle[p], sw.Elapsed()
		if res.tried == 0 && !res.skipped {
			res.tried = int(a.c.sent.Load() - before)
		}
		res.findings, res.fivexx = a.rep.count(p)
		a.rep.addProbe(res)
		a.logf("probe %s: %d findings in %s", p, res.findings, res.took.Round(time.Millisecond))
	}
	return a.rep, nil
}

var probeTitle = map[string]string{
	"access": "1 access matrix", "inputs": "2 bad inputs", "leaks": "3 what reaches a child",
	"races": "4 races and retries", "load": "5 aggregates under load", "lockout": "5 link lock-out",
	"outage": "PostgreSQL lost and back",
	"log":    "3 the server's log",
}

// setUpCallers finds who the given tokens are and makes the rest through the admin's.
func (a *attack) setUpCallers(ctx context.Context) error {
	a.callers = map[string]*caller{}
	me := func(tok string) (*caller, error) {
		r := a.c.do(ctx, request{method: "GET", path: "/v1/me", token: tok})
		var m struct {
			Role     string `json:"role"`
			Council  string `json:"council"`
			Provider int64  `json:"provider"`
		}
		if err := r.decode(&m); err != nil || r.status != 200 {
			return nil, fmt.Errorf("GET /v1/me: %s", r)
		}
		return &caller{role: m.Role, token: tok, council: m.Council, provider: m.Provider}, nil
	}
	adminTok := a.t.tokens["admin"]
	if adminTok == "" {
		return fmt.Errorf("no admin token: the attack makes its callers and records through one")
	}
	ad, err := me(adminTok)
	if err != nil || ad.role != "admin" {
		return fmt.Errorf("the admin token is not an admin's: %v", err)
	}
	ad.name = admin
	a.callers[admin] = ad
	a.callers[nobody] = &caller{name: nobody}
	a.callers[invalid] = &caller{name: invalid, token: "pm_ATTACKNOTATOKENATTACKNOTATO"}
	return nil
}

// newToken makes a token through the admin's and remembers to revoke it.
func (a *attack) newToken(ctx context.Context, name, role, council string, prov int64) (*caller, error) {
	body := map[string]any{"label": "attack: " + name, "role": role}
	if council != "" {
		body["council"] = council
	}
	if prov != 0 {
		body["provider"] = prov
	}
	r := a.c.do(ctx, request{method: "POST", path: "/v1/tokens", token: a.callers[admin].token, body: jsonBody(body)})
	var t struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	if err := r.decode(&t); err != nil || r.status != 201 {
		return nil, fmt.Errorf("making the %s token: %s", name, r)
	}
	a.tokenMu.Lock()
	a.tokenIDs = append(a.tokenIDs, t.ID)
	a.tokenMu.Unlock()
	a.remember(t.Token, "the "+name+" token")
	return &caller{name: name, role: role, token: t.Token, council: council, provider: prov, tokenID: t.ID}, nil
}

// revokeTokens revokes the tokens the attack made.
func (a *attack) revokeTokens(ctx context.Context) {
	for _, id := range a.tokenIDs {
		a.c.do(ctx, request{method: "DELETE", path: "/v1/tokens/" + strconv.FormatInt(id, 10), token: a.callers[admin].token})
	}
}

// as sends a request as a caller.
func (a *attack) as(ctx context.Context, who string, method, path string, body any) response {
	rq := request{method: method, path: path}
	if c := a.callers[who]; c != nil {
		rq.token = c.token
	}
	switch b := body.(type) {
	case nil:
	case []byte:
		rq.body = b
	case string:
		rq.body = []byte(b)
	default:
		rq.body = jsonBody(b)
	}
	return a.c.do(ctx, rq)
}

// must is as, and an error unless the status is one of want.
func (a *attack) must(ctx context.Context, who, method, path string, body any, want ...int) (response, error) {
	r := a.as(ctx, who, method, path, body)
	if r.err != nil || !slices.Contains(want, r.status) {
		return r, fmt.Errorf("%s %s as %s: %s", method, path, who, r)
	}
	return r, nil
}

// id reads the "id" of a JSON body.
func idOf(r response) int64 {
	var v struct {
		ID int64 `json:"id"`
	}
	_ = r.decode(&v)
	return v.ID
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// checkStatus records the findings every response can show: a server error, and an error that
// is not problem+json where the API promises it.
func (a *attack) checkStatus(probe, where string, r response, page bool) {
	a.traced(where, r)
	if r.err != nil {
		if !errGone(r.err) {
			a.rep.find(probe, kind5xx, where, "no answer: %v", r.err)
		}
		return
	}
	if r.status >= 500 {
		a.rep.find(probe, kind5xx, where, "%s", r)
		return
	}
	// A 499 is a client's abort replayed for an Idempotency-Key: the races probe reports it.
	if r.status >= 400 && r.status != 499 && !page && !r.fromNetHTTP() {
		if _, ok := r.problem(); !ok {
			a.rep.find(probe, kindNotProblem, where, "%d with Content-Type %q", r.status, r.header.Get("Content-Type"))
		}
	}
}

// containsName reports the first planted name in body, other than those allowed.
func (a *attack) containsName(body []byte, allowed func(kid) bool) (string, bool) {
	s := string(body)
	for _, k := range a.w.allKids() {
		if allowed != nil && allowed(k) {
			continue
		}
		if strings.Contains(s, k.name) {
			return k.name, true
		}
	}
	return "", false
}
