package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// The outage probe, on a PostgreSQL the attack started: a second instance of the service on the
// same database, then the database made unreachable for a few seconds, four times, as restarts
// of PostgreSQL would. While it is down, the API answers 503 with Retry-After (not 500); after
// each time it comes back, a home added through one instance reaches the other's matching within
// a few seconds (the watch of placements reconnects at once, whatever happened before).

// Where the outage probe's child and homes live: far from every home of the synthetic England,
// so that the child's options are exactly the homes the probe adds.
const outageLat, outageLng = 60.15, -1.15

const (
	outageDown  = 3 * time.Second // how long the database is unreachable each time
	outageTimes = 4
	staleLimit  = 3 * time.Second // longer than this to see a change after the database came back is a finding
)

func (a *attack) probeOutage(ctx context.Context) probeResult {
	const probe = "outage"
	if a.t.pg == nil || a.t.another == nil {
		return probeResult{skipped: true, note: "only on a PostgreSQL the attack started (DATABASE_URL)"}
	}
	url2, stop2, err := a.t.another(ctx)
	if err != nil {
		a.rep.find(probe, kindUnreachable, "a second instance", "%v", err)
		return probeResult{note: "could not start a second instance"}
	}
	defer stop2()
	second := newClient(url2)
	defer func() { a.c.sent.Add(second.sent.Load()) }()

	k, err := a.newKid(ctx, officer, a.w.x, func(b map[string]any) {
		for key, v := range a.childBodyAt(a.w.x, "", outageLat, outageLng) {
			if key != "first_name" && key != "case_ref" {
				b[key] = v
			}
		}
	})
	if err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	options := func() ([]int64, response) {
		r := second.do(ctx, request{method: "POST", path: "/v1/children/" + itoa(k.id) + "/options",
			token: a.callers[officer].token, body: []byte(`{"limit":20}`)})
		var o struct {
			Options []struct {
				Placement struct {
					ID int64 `json:"id"`
				} `json:"placement"`
			} `json:"options"`
		}
		_ = r.decode(&o)
		var ids []int64
		for _, op := range o.Options {
			ids = append(ids, op.Placement.ID)
		}
		return ids, r
	}
	// addHome adds a home through the first instance, retrying while its connections come back,
	// and returns how long the second took to offer it.
	serial := 0
	addHome := func() (time.Duration, error) {
		serial++
		sw := catalogue.StartStopwatch()
		var home int64
		var err error
		for range 50 {
			home, err = a.newHome(ctx, fmt.Sprintf("Attack island household %d", serial), 1, func(b map[string]any) {
				b["location"] = map[string]any{"lat": outageLat + 0.005, "lng": outageLng + 0.005}
			})
			if err == nil {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if err != nil {
			return 0, err
		}
		for sw.Elapsed() < time.Minute {
			if ids, _ := options(); slices.Contains(ids, home) {
				return sw.Elapsed(), nil
			}
			time.Sleep(100 * time.Millisecond)
		}
		return sw.Elapsed(), fmt.Errorf("home %d never reached the second instance", home)
	}
	if _, r := options(); r.status != 200 {
		a.rep.find(probe, kindUnreachable, "options on the second instance", "%s", r)
		return probeResult{note: "the second instance did not answer"}
	}
	first, err := addHome()
	if err != nil {
		a.rep.find(probe, kindStale, "before any outage", "%v", err)
	}
	notes := []string{fmt.Sprintf("a home reached the second instance in %s", first.Round(10*time.Millisecond))}
	var stale []string
	for i := range outageTimes {
		if err := a.t.pg.block(ctx); err != nil {
			a.rep.find(probe, kindUnreachable, "making the database unreachable", "%v", err)
			return probeResult{note: strings.Join(notes, "; ")}
		}
		if i == 0 {
			a.whileDown(ctx, probe)
		}
		time.Sleep(outageDown)
		if err := a.t.pg.unblock(ctx); err != nil {
			a.rep.find(probe, kindUnreachable, "making the database reachable again", "%v", err)
			return probeResult{note: strings.Join(notes, "; ")}
		}
		took, err := addHome()
		stale = append(stale, took.Round(100*time.Millisecond).String())
		where := fmt.Sprintf("after outage %d of %s", i+1, outageDown)
		switch {
		case err != nil:
			a.rep.find(probe, kindStale, where, "%v", err)
		case took > staleLimit:
			a.rep.find(probe, kindStale, where, "a home added on one instance reached the other's matching after %s", took.Round(100*time.Millisecond))
		}
	}
	notes = append(notes, fmt.Sprintf("after each of %d outages of %s: %s", outageTimes, outageDown, strings.Join(stale, ", ")))
	return probeResult{note: strings.Join(notes, "; ")}
}

// whileDown asks the first instance for what needs the database while it is unreachable: the
// answer is 503 with Retry-After, never 500.
func (a *attack) whileDown(ctx context.Context, probe string) {
	for _, rq := range []request{
		{method: "GET", path: "/v1/me", token: a.callers[officer].token},
		{method: "GET", path: "/v1/children?limit=5", token: a.callers[officer].token},
		{method: "GET", path: "/v1/placements/" + itoa(a.w.home), token: a.callers[provider].token},
		{method: "GET", path: "/readyz"},
	} {
		r := a.c.do(ctx, rq)
		where := rq.method + " " + strings.SplitN(rq.path, "?", 2)[0] + " while the database is down"
		a.traced(where, r)
		switch {
		case r.err != nil:
			a.rep.find(probe, kindOutage, where, "no answer: %v", r.err)
		case r.status == 503 && r.header.Get("Retry-After") == "" && rq.path != "/readyz": // a probe's answer needs none
			a.rep.find(probe, kindOutage, where, "503 without Retry-After")
		case r.status >= 500 && r.status != 503:
			a.rep.find(probe, kindOutage, where, "answered %d, not 503 with Retry-After", r.status)
		case r.status < 500 && rq.path != "/readyz" && r.status != 200:
			a.rep.find(probe, kindOutage, where, "answered %s: the caller is told something untrue", r)
		}
	}
}
