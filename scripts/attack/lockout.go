package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// probeLockout guesses children's links from many addresses (through the trusted proxy), then
// opens a real link from another: it must open, whatever the guessing elsewhere. The same for
// the dashboard's sign-in. Without a trusted proxy every guess comes from this machine, and the
// probe checks instead that X-Forwarded-For is not believed.
func (a *attack) probeLockout(ctx context.Context) probeResult {
	const probe = "lockout"
	r := a.rng("lockout")
	guess := func() string {
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
		b := make([]byte, 26)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return "pmc_" + string(b)
	}
	guesses := make([]string, a.cfg.guesses)
	for i := range guesses {
		guesses[i] = guess()
	}
	addr := func(i int) string {
		return fmt.Sprintf("198.18.%d.%d", (i%a.cfg.addresses)/250, (i%a.cfg.addresses)%250+1)
	}
	if !a.t.trustedProxy {
		// X-Forwarded-For from an untrusted client must not buy a new allowance.
		limited := 0
		for i := range 12 {
			r := a.c.do(ctx, request{method: "GET", path: "/c/" + guesses[i%len(guesses)], header: map[string]string{"X-Forwarded-For": addr(i)}})
			a.checkStatus(probe, "GET /c/{token} guessing", r, true)
			if r.status == 429 {
				limited++
			}
		}
		if limited == 0 {
			a.rep.find(probe, kindLockout, "GET /c/{token}", "12 guesses from one client naming 12 addresses in X-Forwarded-For were never limited: the header is believed from an untrusted client")
		}
		return probeResult{note: "the server does not trust a proxy here, so guesses cannot come from many addresses (start it with --trusted-proxies 127.0.0.1 and give -trusted-proxy)"}
	}
	// A real link, made before the guessing.
	k, err := a.newKid(ctx, officer, a.w.x, nil)
	if err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	o, _, err := a.offer(ctx, officer, k.id, a.w.home)
	if err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	link, sr := a.sendLink(ctx, o, "")
	if link == "" {
		return probeResult{skipped: true, note: "could not send a link: " + sr.String()}
	}
	var limited atomic.Int64
	parallel(len(guesses), 16, func(i int) {
		r := a.c.do(ctx, request{method: "GET", path: "/c/" + guesses[i], header: map[string]string{"X-Forwarded-For": addr(i)}})
		a.checkStatus(probe, "GET /c/{token} guessing", r, true)
		if r.status == 429 {
			limited.Add(1)
		}
	})
	_, _, opened := a.openLink(ctx, link, "192.0.2.200")
	notes := []string{fmt.Sprintf("%d link guesses from %d addresses (%d limited)", len(guesses), min(a.cfg.addresses, len(guesses)), limited.Load())}
	switch {
	case opened.status == 303:
		notes = append(notes, "a real link from another address opened")
	case opened.status == 429:
		a.rep.find(probe, kindLockout, "POST /c/{token}", "after %d guesses from %d addresses, a child's real link from another address got 429 %q",
			len(guesses), a.cfg.addresses, "Please wait a minute")
		notes = append(notes, "a real link from another address was refused 429")
	default:
		a.checkStatus(probe, "POST /c/{token} (the real link)", opened, true)
		notes = append(notes, "the real link answered "+opened.String())
	}
	// The dashboard's sign-in.
	limited.Store(0)
	form := func(tok string) []byte { return []byte(url.Values{"token": {tok}}.Encode()) }
	parallel(len(guesses), 16, func(i int) {
		r := a.c.do(ctx, request{method: "POST", path: "/dashboard/session", body: form("pm_" + strings.TrimPrefix(guesses[i], "pmc_")),
			contentType: "application/x-www-form-urlencoded", header: map[string]string{"X-Forwarded-For": addr(i)}})
		a.checkStatus(probe, "POST /dashboard/session guessing", r, true)
		if r.status == 429 {
			limited.Add(1)
		}
	})
	sign := a.c.do(ctx, request{method: "POST", path: "/dashboard/session", body: form(a.callers[commissioner].token),
		contentType: "application/x-www-form-urlencoded", header: map[string]string{"X-Forwarded-For": "192.0.2.201"}})
	for _, ck := range sign.header.Values("Set-Cookie") {
		if _, v, ok := strings.Cut(strings.SplitN(ck, ";", 2)[0], "="); ok && v != "" {
			a.remember(v, "a dashboard session")
		}
	}
	notes = append(notes, fmt.Sprintf("%d sign-in guesses (%d limited)", len(guesses), limited.Load()))
	switch {
	case sign.status == 303 || sign.status == 200:
		notes = append(notes, "a real sign-in from another address worked")
	case sign.status == 429:
		a.rep.find(probe, kindLockout, "POST /dashboard/session", "after %d guesses from %d addresses, a commissioner's real sign-in from another address got 429",
			len(guesses), a.cfg.addresses)
		notes = append(notes, "a real sign-in from another address was refused 429")
	default:
		a.checkStatus(probe, "POST /dashboard/session (the real token)", sign, true)
		notes = append(notes, "the real sign-in answered "+sign.String())
	}
	return probeResult{tried: 2*len(guesses) + 2, note: strings.Join(notes, "; ")}
}

// probeLoad measures officers' latency alone, then while a commissioner hammers the aggregates
// (stability, sufficiency, support needs) on four connections: a request of an officer never
// waits for an aggregate's computation.
func (a *attack) probeLoad(ctx context.Context) probeResult {
	const probe = "load"
	kidPath := "/v1/children/" + itoa(a.w.leakKid)
	officerWork := []request{
		{method: "GET", path: "/v1/children?limit=20"},
		{method: "GET", path: kidPath},
		{method: "POST", path: kidPath + "/options", body: []byte(`{"limit":3}`)},
		{method: "GET", path: "/v1/offers?limit=20"},
		{method: "GET", path: "/v1/placements?limit=20"},
	}
	measure := func(n int) (latencies, int) {
		var l latencies
		errs := 0
		for i := range n {
			rq := officerWork[i%len(officerWork)]
			rq.token = a.callers[officer].token
			r := a.c.do(ctx, rq)
			a.checkStatus(probe, "officer "+rq.method+" "+rq.path, r, false)
			if r.err != nil || r.status >= 400 {
				errs++
			}
			l = append(l, r.took)
		}
		return l, errs
	}
	n := 100
	if a.cfg.quick {
		n = 25
	}
	measure(10) // warm up
	alone, _ := measure(n)
	aggregates := []string{"/v1/stability", "/v1/sufficiency", "/v1/support-needs", "/v1/stability?council=" + a.w.x}
	var hammerLat latencies
	byRoute := map[string]latencies{}
	var mu sync.Mutex
	statuses := map[int]int{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := a.c.do(ctx, request{method: "GET", path: aggregates[i%len(aggregates)], token: a.callers[commissioner].token})
				a.checkStatus(probe, "commissioner GET "+aggregates[i%len(aggregates)], r, false)
				mu.Lock()
				hammerLat = append(hammerLat, r.took)
				byRoute[aggregates[i%len(aggregates)]] = append(byRoute[aggregates[i%len(aggregates)]], r.took)
				statuses[r.status]++
				mu.Unlock()
				if ctx.Err() != nil {
					return
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	sw := catalogue.StartStopwatch()
	var busy latencies
	for sw.Elapsed() < a.cfg.hammer {
		l, _ := measure(len(officerWork))
		busy = append(busy, l...)
	}
	close(stop)
	wg.Wait()
	p95a, p95b := alone.quantile(0.95), busy.quantile(0.95)
	note := fmt.Sprintf("officers' p50/p95 %s/%s alone, %s/%s while a commissioner made %d aggregate requests (p50 %s, statuses %v)",
		ms(alone.quantile(0.5)), ms(p95a), ms(busy.quantile(0.5)), ms(p95b), len(hammerLat), ms(hammerLat.quantile(0.5)), statuses)
	if p95b > 100*time.Millisecond && p95b > 10*p95a {
		a.rep.find(probe, kindLatency, "officers while a commissioner reads aggregates", "p95 %s alone, %s while hammered", ms(p95a), ms(p95b))
	}
	// An aggregate is served from the last copy while a fresh one is computed: a request never
	// waits for the computation.
	for _, route := range aggregates {
		if l := byRoute[route]; len(l) >= 3 && l.quantile(0.5) > 250*time.Millisecond {
			a.rep.find(probe, kindLatency, "commissioner GET "+route, "p50 %s over %d requests: computed on the request's path", ms(l.quantile(0.5)), len(l))
		}
	}
	return probeResult{tried: len(alone) + len(busy) + len(hammerLat), note: note}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
