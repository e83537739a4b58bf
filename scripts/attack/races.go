package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// probeRaces races providers accepting referrals of many children to the last place of a home
// (it is never over-held, the losers' referrals are untouched), retries one request at once with one Idempotency-Key (it acts
// once), gives up on requests with a key mid-way (a retry acts, or replays a real answer: never
// a stored client abort), and, when the attack started the server, kills it with SIGKILL while
// a keyed request runs (a retry acts once the request timeout has passed).
func (a *attack) probeRaces(ctx context.Context) probeResult {
	const probe = "races"
	var notes []string
	tried := 0
	for round := range a.cfg.raceRounds {
		n, note := a.acceptRace(ctx, probe, round)
		tried += n
		if note != "" && round == 0 {
			notes = append(notes, note)
		}
	}
	if a.cfg.raceRounds > 0 {
		notes[0] = fmt.Sprintf("%d races: %s", a.cfg.raceRounds, notes[0])
	}
	n, note := a.idempotentRetries(ctx, probe)
	tried += n
	notes = append(notes, note)
	n, note = a.clientTimeouts(ctx, probe)
	tried += n
	notes = append(notes, note)
	n, note = a.killMidRequest(ctx, probe)
	tried += n
	notes = append(notes, note)
	return probeResult{tried: tried, note: strings.Join(notes, "; ")}
}

// parallel runs f for 0..n-1 on a few workers.
func parallel(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// acceptRace: N children each get an offer of one home with one place; their officers accept at
// once.
func (a *attack) acceptRace(ctx context.Context, probe string, round int) (int, string) {
	n := a.cfg.raceN
	home, err := a.newHome(ctx, fmt.Sprintf("Attack contested household %d", round), 1, nil)
	if err != nil {
		a.rep.find(probe, kindUnreachable, "the race's home", "%v", err)
		return 0, ""
	}
	offers := make([]int64, n)
	versions := make([]int, n)
	var mu sync.Mutex
	var setupErr error
	parallel(n, 4, func(i int) {
		k, err := a.newKid(ctx, officer, a.w.x, nil)
		if err == nil {
			offers[i], versions[i], err = a.refer(ctx, officer, k.id, home)
		}
		if err != nil {
			mu.Lock()
			setupErr = err
			mu.Unlock()
		}
	})
	if setupErr != nil {
		a.rep.find(probe, kindUnreachable, "the race's offers", "%v", setupErr)
		return 0, ""
	}
	statuses := make([]response, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = a.c.do(ctx, request{method: "POST", path: "/v1/referrals/" + itoa(offers[i]) + "/response", token: a.callers[admin].token,
				body: jsonBody(map[string]any{"version": versions[i], "outcome": "accepted", "impact_assessment": "attack: settles with the children here"})})
		})
	}
	close(start)
	wg.Wait()
	won, lost := 0, 0
	where := fmt.Sprintf("race %d: %d accepts of the last place", round+1, n)
	for i, r := range statuses {
		switch {
		case r.status == 200:
			won++
		case r.status == 409:
			lost++
			o := a.as(ctx, officer, "GET", "/v1/referrals/"+itoa(offers[i]), nil).object()
			v, _ := o["version"].(float64)
			if o["status"] != "sent" || int(v) != versions[i] || o["response"] != nil {
				a.rep.find(probe, kindPartial, where, "a lost accept changed referral %d: status %v, version %v", offers[i], o["status"], o["version"])
			}
		default:
			a.checkStatus(probe, where, r, false)
			if r.status < 500 {
				a.rep.find(probe, kindOverfill, where, "an accept answered %s, neither won nor lost", r)
			}
		}
	}
	filled, places := 0, 0
	var vs struct {
		Items []struct {
			Status string `json:"status"`
		} `json:"items"`
	}
	_ = a.as(ctx, admin, "GET", "/v1/placements/"+itoa(home)+"/vacancies", nil).decode(&vs)
	for _, v := range vs.Items {
		places++
		if v.Status == "filled" || v.Status == "held" {
			filled++
		}
	}
	if won > 1 || filled > 1 || places != 1 {
		a.rep.find(probe, kindOverfill, where, "%d accepts won, %d of %d places filled, for a home with one place", won, filled, places)
	}
	if won == 0 {
		a.rep.find(probe, kindUnreachable, where, "no accept won")
	}
	return n, fmt.Sprintf("%d-way accepts of the last place: %d won, %d lost", n, won, lost)
}

// idempotentRetries sends one request many times at once with one Idempotency-Key (a new child,
// an accept): it acts once; every answer is the first's or a 409 while it runs; the key reused
// for another body is a 422.
func (a *attack) idempotentRetries(ctx context.Context, probe string) (int, string) {
	n := a.cfg.idemN
	tried := 0
	name := a.w.newName(a)
	body := jsonBody(a.childBody(a.w.x, name))
	key := fmt.Sprintf("attack-%d-child-%s", a.cfg.seed, name)
	where := fmt.Sprintf("%d POST /v1/children at once with one Idempotency-Key", n)
	rs := make([]response, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			rs[i] = a.c.do(ctx, request{method: "POST", path: "/v1/children", token: a.callers[officer].token, body: body,
				header: map[string]string{"Idempotency-Key": key}})
		})
	}
	close(start)
	wg.Wait()
	tried += n
	ids := map[int64]bool{}
	pending := 0
	for _, r := range rs {
		a.checkStatus(probe, where, r, false)
		switch r.status {
		case 201:
			ids[idOf(r)] = true
		case 409:
			pending++
		default:
			if r.status < 500 {
				a.rep.find(probe, kindIdempotency, where, "a retry answered %s", r)
			}
		}
	}
	// Once the first has finished, a retry replays it.
	var last response
	for range 50 {
		last = a.c.do(ctx, request{method: "POST", path: "/v1/children", token: a.callers[officer].token, body: body,
			header: map[string]string{"Idempotency-Key": key}})
		tried++
		if last.status != 409 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if last.status == 201 {
		ids[idOf(last)] = true
		if last.header.Get("Idempotency-Replayed") != "true" {
			a.rep.find(probe, kindIdempotency, where, "a retry after the first finished acted again (no Idempotency-Replayed)")
		}
	} else {
		a.rep.find(probe, kindIdempotency, where, "a retry after the first finished answered %s", last)
	}
	if len(ids) != 1 {
		a.rep.find(probe, kindIdempotency, where, "the key made %d children, not one", len(ids))
	}
	for id := range ids {
		a.w.addKid(kid{id: id, name: name, council: a.w.x})
	}
	// The same key with another body.
	other := jsonBody(a.childBody(a.w.x, name+"x"))
	r := a.c.do(ctx, request{method: "POST", path: "/v1/children", token: a.callers[officer].token, body: other,
		header: map[string]string{"Idempotency-Key": key}})
	tried++
	a.checkStatus(probe, "Idempotency-Key reused for another body", r, false)
	if r.status != 422 {
		a.rep.find(probe, kindIdempotency, "Idempotency-Key reused for another body", "answered %s, not 422", r)
	}
	// Accepting one offer many times at once with one key: one decision.
	k, err := a.newKid(ctx, officer, a.w.x, nil)
	if err != nil {
		return tried, ""
	}
	home, err := a.newHome(ctx, "Attack idempotent household", 2, nil)
	if err != nil {
		return tried, ""
	}
	o, v, err := a.offer(ctx, officer, k.id, home)
	if err != nil {
		return tried, ""
	}
	key = fmt.Sprintf("attack-%d-accept-%d", a.cfg.seed, o)
	start = make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			rs[i] = a.accept(ctx, officer, o, v, home, key)
		})
	}
	close(start)
	wg.Wait()
	tried += n
	acted := 0
	for _, r := range rs {
		a.checkStatus(probe, "accepts at once with one Idempotency-Key", r, false)
		if r.status == 200 && r.header.Get("Idempotency-Replayed") != "true" {
			acted++
		}
	}
	if acted != 1 {
		a.rep.find(probe, kindIdempotency, "accepts at once with one Idempotency-Key", "%d answers acted, not one", acted)
	}
	return tried, fmt.Sprintf("%d retries at once with one key: %d answered 409 while the first ran, %d child made", n, pending, len(ids))
}

// slowKeyed are requests with a key that take long enough to give up on mid-way.
func (a *attack) slowKeyed(i int) request {
	switch i % 3 {
	case 0:
		return request{method: "POST", path: "/v1/sufficiency/what-if", token: a.callers[commissioner].token,
			body: jsonBody(map[string]any{"additions": []any{map[string]any{"council": a.w.x, "count": 5 + i, "profile": map[string]any{}}}})}
	case 1:
		return request{method: "POST", path: "/v1/children/" + itoa(a.w.leakKid) + "/options", token: a.callers[officer].token,
			body: jsonBody(map[string]any{"limit": 3 + i%5})}
	}
	return request{method: "POST", path: "/v1/sufficiency/plan", token: a.callers[commissioner].token,
		body: jsonBody(map[string]any{"profile": map[string]any{}, "carers": 1 + i%3})}
}

// clientTimeouts gives up on keyed requests after a few milliseconds, then retries each with its
// key until it is no longer pending: the answer must be a real one, never a stored abort (499)
// or an empty body.
func (a *attack) clientTimeouts(ctx context.Context, probe string) (int, string) {
	delays := []time.Duration{500 * time.Microsecond, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
		10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}
	tried, abandoned, bad := 0, 0, 0
	for i, d := range delays {
		for j := range 3 {
			rq := a.slowKeyed(3*i + j)
			key := fmt.Sprintf("attack-%d-timeout-%d-%d", a.cfg.seed, i, j)
			rq.header = map[string]string{"Idempotency-Key": key}
			rq.timeout = d
			r := a.c.do(ctx, rq)
			tried++
			if r.err == nil {
				continue // it finished in time: nothing to learn
			}
			abandoned++
			rq.timeout = 0
			var last response
			for range 300 {
				last = a.c.do(ctx, rq)
				tried++
				if last.status != 409 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			where := fmt.Sprintf("%s with a key, given up after %s", strings.SplitN(rq.path, "?", 2)[0], d)
			a.checkStatus(probe, where, last, false)
			switch {
			case last.status == 409:
				a.rep.find(probe, kindIdempotency, where, "the key was still pending after 30 s")
				bad++
			case last.status == 499 || last.status >= 200 && len(last.body) == 0 && last.status != 204:
				a.rep.find(probe, kindIdempotency, where, "the retry replayed %d with %d bytes: the client's abort was kept as the answer",
					last.status, len(last.body))
				bad++
			}
		}
	}
	return tried, fmt.Sprintf("%d keyed requests given up mid-way, %d retries misbehaved", abandoned, bad)
}

// killMidRequest kills the server (SIGKILL) while a keyed request runs, starts it again on the
// same store, and retries with the key: after the request timeout the retry must act.
func (a *attack) killMidRequest(ctx context.Context, probe string) (int, string) {
	if a.t.restart == nil {
		return 0, "kill mid-request: not tried (the attack did not start the server)"
	}
	rq := a.slowKeyed(0)
	key := fmt.Sprintf("attack-%d-kill", a.cfg.seed)
	rq.header = map[string]string{"Idempotency-Key": key}
	done := make(chan response, 1)
	go func() { done <- a.c.do(ctx, rq) }()
	time.Sleep(30 * time.Millisecond)
	u, err := a.t.restart(ctx)
	<-done
	if err != nil {
		a.rep.find(probe, kindUnreachable, "restart after SIGKILL", "%v", err)
		return 1, "kill mid-request: the server did not start again"
	}
	a.c = newClientFrom(a.c, u)
	sw := catalogue.StartStopwatch()
	limit := startedTimeout + 10*time.Second
	tried := 1
	var last response
	for sw.Elapsed() < limit {
		last = a.c.do(ctx, rq)
		tried++
		if last.status != 409 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	where := "a keyed request whose server was killed"
	a.checkStatus(probe, where, last, false)
	if last.status == 409 {
		a.rep.find(probe, kindIdempotency, where, "every retry for %s got 409: the key stays pending past the request timeout (%s)",
			limit.Round(time.Second), startedTimeout)
		return tried, "kill mid-request: the key stayed pending"
	}
	return tried, fmt.Sprintf("kill mid-request: a retry acted after %s", sw.Elapsed().Round(100*time.Millisecond))
}

// newClientFrom is a client of a restarted server that keeps the old one's count.
func newClientFrom(old *client, base string) *client {
	c := newClient(base)
	c.sent.Store(old.sent.Load())
	return c
}

// latencies summarises timings.
type latencies []time.Duration

func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
