package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// openLink opens a child's link as the child would (its door, then the door's button), from a new address when the server
// believes the attack's X-Forwarded-For; it returns the session cookie and the page it leads to.
func (a *attack) openLink(ctx context.Context, link, addr string) (cookie, page string, r response) {
	i := strings.Index(link, "/c/")
	if i < 0 {
		return "", "", response{err: fmt.Errorf("not a child's link: %q", link)}
	}
	a.remember(link[i+3:], "a child's link")
	rq := request{method: "GET", path: link[i:]}
	if addr != "" {
		rq.header = map[string]string{"X-Forwarded-For": addr}
	}
	// The link's door first, as a messaging app's preview would fetch it; then its button.
	if door := a.c.do(ctx, rq); door.status != 200 || door.header.Get("Set-Cookie") != "" {
		return "", "", door
	}
	rq.method = "POST"
	r = a.c.do(ctx, rq)
	for _, ck := range r.header.Values("Set-Cookie") {
		nv := strings.SplitN(ck, ";", 2)[0]
		if _, v, ok := strings.Cut(nv, "="); ok && v != "" {
			cookie = nv
			a.remember(v, "a child's session")
		}
	}
	return cookie, r.header.Get("Location"), r
}

// childAddress is the address a child opens a link from: a new one through the trusted proxy,
// or this machine's.
func (a *attack) childAddress() string {
	if a.t.trustedProxy {
		return a.nextAddress()
	}
	return ""
}

// sendLink sends an offer's link as the officer, calling the server by host when given.
func (a *attack) sendLink(ctx context.Context, offer int64, host string) (string, response) {
	r := a.c.do(ctx, request{method: "POST", path: "/v1/offers/" + itoa(offer) + "/send", token: a.callers[officer].token, host: host})
	var s struct {
		Link struct {
			URL string `json:"url"`
		} `json:"link"`
	}
	_ = r.decode(&s)
	return s.Link.URL, r
}

// childSession makes a new child with an offer of the attack's home, sends its link and opens
// it; it returns the child's page and the session cookie.
func (a *attack) childSession(ctx context.Context, host string) (string, string, error) {
	k, err := a.newKid(ctx, officer, a.w.x, nil)
	if err != nil {
		return "", "", err
	}
	o, _, err := a.offer(ctx, officer, k.id, a.w.home)
	if err != nil {
		return "", "", err
	}
	link, r := a.sendLink(ctx, o, host)
	if link == "" {
		return "", "", fmt.Errorf("sending the link: %s", r)
	}
	cookie, page, r := a.openLink(ctx, link, a.childAddress())
	if r.status != 303 || cookie == "" {
		return "", "", fmt.Errorf("opening the link: %s", r)
	}
	return page, cookie, nil
}

// checkInSession sends the matrix child (who lives in a placement) a check-in link and opens it.
func (a *attack) checkInSession(ctx context.Context) (string, string, error) {
	r := a.as(ctx, officer, "POST", "/v1/children/"+itoa(a.w.matrixKid)+"/check-in-links", nil)
	var s struct {
		Link struct {
			URL string `json:"url"`
		} `json:"link"`
	}
	if err := r.decode(&s); err != nil || s.Link.URL == "" {
		return "", "", fmt.Errorf("sending a check-in link: %s", r)
	}
	cookie, page, r := a.openLink(ctx, s.Link.URL, a.childAddress())
	if r.status != 303 || cookie == "" {
		return "", "", fmt.Errorf("opening the check-in link: %s", r)
	}
	return page, cookie, nil
}

// addressProbe is one address-like string a provider plants in its home's own words, and what
// of it must never reach a child (compared letters and digits only, lower case).
type addressProbe struct {
	text, needle string
}

// addressProbes are the strings of issue 14 and more: postcodes in every spacing, coordinates,
// streets with and without numbers, phones, e-mails, web addresses and grid references.
var addressProbes = []addressProbe{
	{"Our postcode is M14 5RT.", "m145rt"},
	{"Find us at M14\u00a05RT.", "m145rt"},
	{"We're at m14 5rt", "m145rt"},
	{"Postcode M145RT", "m145rt"},
	{"SW1A  1AA is near us", "sw1a1aa"},
	{"ec1a 1bb", "ec1a1bb"},
	{"We live at 53.4808, -2.2426 exactly", "534808"},
	{"53°28′N 2°14′W", "5328n214w"},
	{"what3words ///index.home.raft", "indexhomeraft"},
	{"We live on Mill Lane.", "milllane"},
	{"Come to 5 Market Square", "marketsquare"},
	{"12 Acacia Avenue is our house", "acaciaavenue"},
	{"Flat 3, 27 Church Road", "churchroad"},
	{"Rose Cottage, Station Road", "stationroad"},
	{"Our house is on Hollybank Close", "hollybankclose"},
	{"Call Becky on 07700 900123", "7700900123"},
	{"Ring +44 7700 900 124", "7700900124"},
	{"Landline (0161) 496 0000", "1614960000"},
	{"Text 07700-900-125 any time", "7700900125"},
	{"Email becky@example.org", "beckyexampleorg"},
	{"becky [at] example [dot] org", "exampledotorg"},
	{"See https://example.org/our-home", "exampleorgourhome"},
	{"www.example.net has photos", "wwwexamplenet"},
	{"Grid reference SJ 838 980", "sj838980"},
	{"OS grid SJ838981", "sj838981"},
}

// normalised keeps letters and digits, lower case, of a page's text.
func normalised(b []byte) string {
	s := html.UnescapeString(string(b))
	var out strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out.WriteRune(r)
		}
	}
	return out.String()
}

// jsonText is every string value of a JSON body, joined.
func jsonText(b []byte) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	var out bytes.Buffer
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			out.WriteString(t + " ")
		case map[string]any:
			for _, x := range t {
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		case float64:
			fmt.Fprintf(&out, "%v ", t)
		}
	}
	walk(v)
	return out.Bytes()
}

// probeLeaks reads what reaches a child, through a link the attack sends itself as an officer:
// the child's page and its JSON must never hold an address, a postcode, a phone number, an
// e-mail, coordinates or another child's name, whatever the home's provider writes in its
// profile; every response is marked no-store; a link is never built from a spoofed Host header.
func (a *attack) probeLeaks(ctx context.Context) probeResult {
	const probe = "leaks"
	link, r := a.sendLink(ctx, a.w.leakOffer, "")
	if link == "" {
		return probeResult{skipped: true, note: "could not send the leak child's link: " + r.String()}
	}
	cookie, page, r := a.openLink(ctx, link, a.childAddress())
	if r.status != 303 || cookie == "" {
		a.rep.find(probe, kindUnreachable, "POST /c/{token}", "the leak child's link did not open: %s", r)
		return probeResult{note: "the link did not open"}
	}
	read := func(where string) ([]byte, bool) {
		var all []byte
		for _, p := range []string{page, page + "/json"} {
			r := a.c.do(ctx, request{method: "GET", path: p, cookie: cookie})
			a.checkStatus(probe, where+" "+p, r, true)
			if r.status != 200 {
				a.rep.find(probe, kindUnreachable, where+" "+p, "%s", r)
				return nil, false
			}
			if !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
				a.rep.find(probe, kindNoStore, p, "the child's page has Cache-Control %q", r.header.Get("Cache-Control"))
			}
			if strings.HasSuffix(p, "/json") {
				all = append(all, jsonText(r.body)...)
			} else {
				all = append(all, r.body...)
			}
		}
		return all, true
	}
	base, ok := read("the child's page")
	if !ok {
		return probeResult{note: "the child's page did not open"}
	}
	leaks := 0
	// Other children, and the home's exact point.
	leakKid, _ := a.w.kid(a.w.leakKid)
	if !strings.Contains(string(base), leakKid.name) {
		a.rep.find(probe, kindUnreachable, page, "the child's page does not greet them by name: is it their page?")
	}
	if name, found := a.containsName(base, func(k kid) bool { return k.id == a.w.leakKid }); found {
		a.rep.find(probe, kindChildLeak, page, "the page names %s, another child", name)
		leaks++
	}
	home := a.as(ctx, admin, "GET", "/v1/placements/"+itoa(a.w.home), nil).object()
	if loc, ok := home["location"].(map[string]any); ok {
		lat, _ := loc["lat"].(float64)
		needle := strings.ReplaceAll(fmt.Sprintf("%.4f", lat), ".", "")
		if strings.Contains(normalised(base), needle) {
			a.rep.find(probe, kindChildLeak, page, "the page holds the home's latitude %.4f", lat)
			leaks++
		}
	}
	// The home's own words, written by its provider.
	tried, refused := 0, 0
	baseText := normalised(base)
	path := "/v1/placements/" + itoa(a.w.home)
	for _, ap := range addressProbes {
		if strings.Contains(baseText, ap.needle) {
			continue // already there before planting: not this probe's to judge
		}
		b := a.as(ctx, provider, "GET", path, nil).object()
		for _, k := range []string{"vacancies", "created_at", "updated_at"} {
			delete(b, k)
		}
		b["profile"] = "We love walks and board games. " + ap.text + " Come and see us."
		r := a.as(ctx, provider, "PUT", path, b)
		tried++
		a.checkStatus(probe, "PUT /v1/placements/{id} profile as provider", r, false)
		if r.status != 200 {
			refused++
			continue
		}
		got, ok := read("the child's page after the profile changed")
		if !ok {
			break
		}
		if strings.Contains(normalised(got), ap.needle) {
			a.rep.find(probe, kindChildLeak, page, "the home's words %q reached the child", ap.text)
			leaks++
		}
	}
	// Put the home's words back.
	if b := a.as(ctx, admin, "GET", path, nil).object(); b != nil {
		for _, k := range []string{"vacancies", "created_at", "updated_at"} {
			delete(b, k)
		}
		b["profile"] = "We love walks and board games."
		a.as(ctx, admin, "PUT", path, b)
	}
	// The check-in page.
	if cpage, ccookie, err := a.checkInSession(ctx); err == nil {
		r := a.c.do(ctx, request{method: "GET", path: cpage, cookie: ccookie})
		a.checkStatus(probe, "GET "+cpage, r, true)
		if name, found := a.containsName(r.body, func(k kid) bool { return k.id == a.w.matrixKid }); found {
			a.rep.find(probe, kindChildLeak, cpage, "the check-in page names %s, another child", name)
			leaks++
		}
		if !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
			a.rep.find(probe, kindNoStore, cpage, "the check-in page has Cache-Control %q", r.header.Get("Cache-Control"))
		}
	} else {
		a.rep.find(probe, kindUnreachable, "the check-in page", "%v", err)
	}
	// A child who hangs up: the server must log a client's abort, not a server error (the log
	// probe reads it).
	for i := range 40 {
		a.c.do(ctx, request{method: "GET", path: page, cookie: cookie, timeout: time.Duration(50+i*25) * time.Microsecond})
	}
	// A link built from a spoofed Host header (no --base-url): the link the officer is shown
	// must not point where the caller said.
	spoof := "attack.example"
	link, r = a.sendLink(ctx, a.w.leakOffer, spoof)
	switch {
	case r.err != nil || r.status >= 500:
		a.checkStatus(probe, "POST /v1/offers/{id}/send with Host "+spoof, r, false)
	case strings.Contains(link, spoof):
		a.rep.find(probe, kindHostLink, "POST /v1/offers/{id}/send with Host "+spoof, "the link sent to a child is %s", strings.Split(link, "/c/")[0]+"/c/...")
		leaks++
	}
	if u, err := url.Parse(link); err == nil && u.Path != "" {
		a.remember(strings.TrimPrefix(u.Path, "/c/"), "a child's link")
	}
	note := fmt.Sprintf("%d address-like texts planted by the provider (%d refused), %d leaks", tried, refused, leaks)
	return probeResult{tried: tried, note: note}
}

// Secrets the service makes, by their prefixes: none may be in the log, whether or not the
// attack saw it.
var secretPattern = regexp.MustCompile(`\b(pm|pmc|pms|pmd)_[A-Z2-7]{16,}`)

// probeLog reads the server's log: no token, link, session or child's name may be in it, and a
// child who hangs up is not a server error.
func (a *attack) probeLog(context.Context) probeResult {
	const probe = "log"
	if a.t.log == nil {
		return probeResult{skipped: true, note: "the server's log is unknown (give -log, or let the attack start the server)"}
	}
	log := a.t.log()
	if len(log) == 0 {
		return probeResult{skipped: true, note: "the server's log is empty"}
	}
	s := string(log)
	a.secretsMu.Lock()
	for secret, what := range a.secrets {
		if len(secret) >= 12 && strings.Contains(s, secret) {
			a.rep.find(probe, kindLogLeak, what, "the log holds it")
		}
	}
	a.secretsMu.Unlock()
	for _, m := range secretPattern.FindAllString(s, 5) {
		a.rep.find(probe, kindLogLeak, "a secret", "the log holds %s...", m[:min(len(m), 8)])
	}
	for _, k := range a.w.allKids() {
		if strings.Contains(s, k.name) {
			a.rep.find(probe, kindLogLeak, "a child's name", "the log names %s", k.name)
		}
	}
	lines, errors, aborts := 0, 0, 0
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var l struct {
			Level  string `json:"level"`
			Msg    string `json:"msg"`
			Route  string `json:"route"`
			Status int    `json:"status"`
			Err    string `json:"err"`
		}
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		lines++
		if l.Level == "ERROR" {
			errors++
		}
		child := strings.HasPrefix(l.Route, "/child/") || strings.HasPrefix(l.Route, "/c/")
		if child && (l.Level == "ERROR" && strings.Contains(l.Err, "canceled") || l.Msg == "request" && l.Status == 500) {
			aborts++
		}
	}
	if aborts > 0 {
		a.rep.find(probe, kindChildAbort, "the child's pages", "%d log lines record a child who hung up as an error or a 500", aborts)
	}
	return probeResult{tried: lines, note: fmt.Sprintf("%d log lines read, %d at ERROR, %d secrets and %d names looked for",
		lines, errors, len(a.secrets), len(a.w.allKids()))}
}
