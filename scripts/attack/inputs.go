package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"github.com/placematch/placematch/catalogue"
)

// costly are routes that do real work when a value is accepted (a search, a match run, a what-if):
// they get a short list of hostile values.
var costly = []string{"POST /v1/match-runs", "POST /v1/sufficiency/what-if", "POST /v1/sufficiency/plan",
	"POST /v1/match-runs/{id}/offers", "POST /v1/children/{id}/options", "POST /v1/children/{id}/offers",
	"POST /v1/match-runs/{id}/preferences"}

// probeInputs sends hostile values in every field of every request body of the OpenAPI document,
// in every query and path parameter, in the headers that matter (Host, X-Forwarded-For, X-Reason,
// Idempotency-Key and others), in the child's forms and in import files. Nothing may answer 5xx,
// every API error is problem+json, a 400 names the field at fault, control characters and
// numbers no field can hold are refused, a valid non-ASCII reason is kept, an import's errors and
// size are bounded, CSV exports escape formula characters, and 'placematch solve' does not
// believe a file's header.
func (a *attack) probeInputs(ctx context.Context) probeResult {
	const probe = "inputs"
	// The inputs change what they are sent to: their own home and child, not the other probes'.
	m := &matrix{a: a}
	var err error
	if m.home, err = a.newHome(ctx, "Attack inputs household", 6, nil); err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	m.place = m.home
	k, err := a.newKid(ctx, officer, a.w.x, nil)
	if err == nil {
		_, err = a.must(ctx, officer, "POST", "/v1/children/"+itoa(k.id)+"/episodes", map[string]any{"start": a.date(-300), "placement": m.home}, 201)
	}
	if err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	m.kid = k.id
	if err := m.prepare(ctx); err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	var tried, named, unnamed int
	var mu sync.Mutex
	count := func(n, nm, un int) {
		mu.Lock()
		tried, named, unnamed = tried+n, named+nm, unnamed+un
		mu.Unlock()
	}
	// Routes are attacked two at a time, each route's inputs in order.
	jobs := make(chan operation)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for op := range jobs {
				n, nm, un := a.attackRoute(ctx, probe, m, op)
				count(n, nm, un)
			}
		})
	}
	for _, op := range a.spec.ops {
		if ctx.Err() != nil {
			break
		}
		if len(a.cfg.routes) > 0 && !slices.Contains(a.cfg.routes, op.name()) {
			continue
		}
		jobs <- op
	}
	close(jobs)
	wg.Wait()
	n := a.attackHeaders(ctx, probe, m)
	count(n, 0, 0)
	n = a.attackForms(ctx, probe)
	count(n, 0, 0)
	n, importNote := a.attackImports(ctx, probe)
	count(n, 0, 0)
	n = a.checkCSVExport(ctx, probe)
	count(n, 0, 0)
	n = a.policyOverflow(ctx, probe)
	count(n, 0, 0)
	solveNote := a.attackSolve(ctx, probe)
	a.rep.mu.Lock()
	a.rep.inputs += tried
	a.rep.mu.Unlock()
	note := fmt.Sprintf("%d inputs; of the 400s to a field's value, %d named the field and %d did not", tried, named, unnamed)
	for _, s := range []string{importNote, solveNote} {
		if s != "" {
			note += "; " + s
		}
	}
	return probeResult{tried: tried, note: note}
}

// inputCaller is who sends a route's hostile inputs: the first of admin, officer, commissioner
// and provider the route allows.
func inputCaller(op operation) string {
	for _, who := range []string{admin, officer, commissioner, provider} {
		if op.public() || op.allows(map[string]string{admin: "admin", officer: "officer", commissioner: "commissioner", provider: "provider"}[who]) {
			return who
		}
	}
	return admin
}

// attackRoute sends one route every hostile input: bodies, fields, query and path parameters.
func (a *attack) attackRoute(ctx context.Context, probe string, m *matrix, op operation) (tried, named, unnamed int) {
	who := inputCaller(op)
	if op.page() || op.path == "/openapi.json" {
		// The child's pages and the dashboard take forms (attackForms); their paths and queries
		// are attacked below like any other.
		who = nobody
	}
	base, ids := a.inputTarget(ctx, m, op, who)
	isCostly := slices.Contains(costly, op.name())
	short := isCostly || a.cfg.quick
	token := a.callers[who].token
	path := fill(op.path, ids)
	if strings.HasPrefix(op.path, "/v1/import/") {
		path += "?format=json"
	}
	// known are the names a problem may give: the body's fields, the route's parameters.
	known := []string{"body"}
	if op.body != nil {
		for _, f := range a.spec.fields(op.body) {
			known = append(known, f.String())
		}
	}
	known = append(known, op.query...)
	known = append(known, op.params...)
	// baseRefuses reports whether the route's own valid body, sent now, is refused naming the
	// same fields as p: then the value sent was accepted and the 400 is about something else
	// (the record's state), not a failure to name the field.
	baseRefuses := func(p problem) bool {
		b := base(false)
		if b == nil {
			return true
		}
		r := a.c.do(ctx, request{method: op.method, path: path, token: token, body: jsonBody(b)})
		bp, ok := r.problem()
		if !ok || r.status != 400 {
			return false
		}
		for _, e := range p.Errors {
			if !slices.ContainsFunc(bp.Errors, func(x struct {
				Field   string `json:"field"`
				Message string `json:"message"`
				Row     int    `json:"row"`
			}) bool {
				return x.Field == e.Field
			}) {
				return false
			}
		}
		return true
	}
	send := func(rq request, where string, h hostile, fieldPath string, retry func() request) {
		r := a.c.do(ctx, rq)
		if r.status == 409 && retry != nil {
			r = a.c.do(ctx, retry())
		}
		tried++
		a.checkStatus(probe, where, r, op.page())
		if r.err != nil {
			return
		}
		ok := r.status >= 200 && r.status < 300
		switch {
		case ok && h.class == classControl && (!op.public() || rq.body != nil):
			a.rep.find(probe, kindControl, where, "a control character was accepted (%d)", r.status)
		case ok && h.class == classHuge:
			a.rep.find(probe, kindHugeNumber, where, "%s was accepted (%d)", h.name, r.status)
		}
		if r.status == 400 && fieldPath != "" {
			if p, okp := r.problem(); okp {
				switch {
				case namesField(p, fieldPath, h.badJSON):
					named++
				case len(p.Errors) > 0 && namesKnownFields(p, known):
					// Another field of the request: a rule between fields (cost_low against
					// cost_high), not a failure to say where the fault is.
				case baseRefuses(p):
				default:
					unnamed++
					fields := []string{}
					for _, e := range p.Errors {
						fields = append(fields, e.Field)
					}
					a.rep.find(probe, kindUnnamed, where, "the errors name %v: %s", fields, snippet([]byte(p.Detail), 120))
				}
			}
		}
	}
	// Bodies.
	if op.body != nil && !op.page() {
		for _, bc := range bodyCases {
			if short && bc.name == "2 MiB" {
				continue
			}
			rq := request{method: op.method, path: path, token: token, body: []byte(bc.body), contentType: bc.contentType}
			send(rq, fmt.Sprintf("%s body %s", op.name(), bc.name), hostile{badJSON: bc.badJSON}, "", nil)
		}
		fields := expandMaps(a.spec.fields(op.body), base(false))
		for _, f := range fields {
			vals := valuesFor(f.typ, a.cfg.quick, isCostly)
			for _, h := range vals {
				mk := func(refresh bool) request {
					b := base(refresh)
					if b == nil {
						b, _ = a.synth(op.body, 0).(map[string]any)
					}
					raw := withValue(b, f.path, h.raw)
					return request{method: op.method, path: path, token: token, body: raw}
				}
				send(mk(false), fmt.Sprintf("%s field %s = %s", op.name(), f, h.name), h, f.String(), func() request { return mk(true) })
			}
		}
	}
	// Query parameters, and one nobody knows.
	qs := append(slices.Clone(op.query), "attack_unknown")
	for _, q := range qs {
		for _, h := range queryValues {
			if short && h.class == "" && h.name != "1e308" {
				continue
			}
			rq := request{method: op.method, path: withQuery(path, q, h.raw), token: token}
			if op.method == "POST" || op.method == "PUT" {
				if b := base(false); b != nil {
					rq.body = jsonBody(b)
				}
			}
			send(rq, fmt.Sprintf("%s query %s = %s", op.name(), q, h.name), h, q, nil)
		}
	}
	// Path parameters.
	for _, p := range op.params {
		for _, h := range pathValues {
			vals := map[string]string{}
			for k, v := range ids {
				vals[k] = v
			}
			vals[p] = strings.ReplaceAll(h.raw, "{ID}", ids[p])
			rq := request{method: op.method, path: fill(op.path, vals), token: token}
			if op.method == "POST" || op.method == "PUT" {
				rq.body = []byte("{}")
			}
			// A path parameter is not a field of a problem's errors everywhere (a page, a 404):
			// only server errors, formats and accepted control characters count here.
			h.badJSON = false
			send(rq, fmt.Sprintf("%s path %s = %s", op.name(), p, h.name), hostile{name: h.name, class: h.class}, "", nil)
		}
	}
	return tried, named, unnamed
}

// expandMaps turns a map's field ("weights.*") into one field for each key the body has there
// ("weights.school", ...), so that every key gets the hostile values.
func expandMaps(fields []field, body map[string]any) []field {
	var out []field
	for _, f := range fields {
		star := slices.IndexFunc(f.path, func(s step) bool { return s.key == "*" })
		if star < 0 || body == nil {
			out = append(out, f)
			continue
		}
		var at any = body
		for _, st := range f.path[:star] {
			if m, ok := at.(map[string]any); ok && st.key != "" {
				at = m[st.key]
			} else {
				at = nil
			}
		}
		m, ok := at.(map[string]any)
		if !ok || len(m) == 0 {
			out = append(out, f)
			continue
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			g := f
			g.path = slices.Clone(f.path)
			g.path[star] = step{key: k}
			out = append(out, g)
		}
	}
	return out
}

// withQuery sets a query parameter of a path to a raw (already escaped) value, replacing any it
// had: the service reads the first of repeated parameters.
func withQuery(path, name, raw string) string {
	p, q, _ := strings.Cut(path, "?")
	var kept []string
	for _, kv := range strings.Split(q, "&") {
		if k, _, _ := strings.Cut(kv, "="); kv != "" && k != url.QueryEscape(name) {
			kept = append(kept, kv)
		}
	}
	kept = append(kept, url.QueryEscape(name)+"="+raw)
	return p + "?" + strings.Join(kept, "&")
}

// inputTarget chooses the records of a route's path for the inputs, and returns a function that
// makes a valid body for them (with the record's current version), or nil for none.
//
// The body is read once: every input is that body with one value changed, whatever the inputs
// before it stored. refresh reads the record's version again (after a 409, when an input
// before was stored).
func (a *attack) inputTarget(ctx context.Context, m *matrix, op operation, who string) (func(refresh bool) map[string]any, map[string]string) {
	ids, offerVersion := m.ids(ctx, op, true)
	read := func() map[string]any {
		b, _ := m.body(ctx, op, who, ids, offerVersion)
		if b == nil {
			return nil
		}
		var v map[string]any
		if json.Unmarshal(b, &v) != nil {
			return nil
		}
		return v
	}
	snapshot := read()
	base := func(refresh bool) map[string]any {
		if snapshot == nil {
			return nil
		}
		b := deepCopy(snapshot)
		if _, versioned := b["version"]; versioned && refresh {
			if fresh := read(); fresh != nil {
				b["version"] = fresh["version"]
				snapshot["version"] = fresh["version"]
			}
		}
		return b
	}
	return base, ids
}

// withValue returns the body with the value at path replaced by raw JSON.
func withValue(body map[string]any, path []step, raw string) []byte {
	const mark = "\x00attack-value\x00"
	var set func(v any, path []step) any
	set = func(v any, path []step) any {
		if len(path) == 0 {
			return mark
		}
		st := path[0]
		if st.key != "" {
			obj, ok := v.(map[string]any)
			if !ok {
				obj = map[string]any{}
			}
			key := st.key
			if key == "*" { // a map: the first key it has, or one of the attack's
				key = "attack"
				keys := make([]string, 0, len(obj))
				for k := range obj {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				if len(keys) > 0 {
					key = keys[0]
				}
			}
			obj[key] = set(obj[key], path[1:])
			return obj
		}
		list, _ := v.([]any)
		if len(list) == 0 {
			list = []any{map[string]any{}}
			if len(path) == 1 {
				list = []any{nil}
			}
		}
		list[0] = set(list[0], path[1:])
		return list
	}
	b := deepCopy(body)
	out := jsonBody(set(b, path))
	quoted, _ := json.Marshal(mark)
	return bytes.Replace(out, quoted, []byte(raw), 1)
}

func deepCopy(v map[string]any) map[string]any {
	b, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

var indexes = regexp.MustCompile(`\[\d+\]`)

// namesField reports whether a problem names the field (or a part of it: a parent or a child),
// or, for a value that made the body invalid JSON, the body.
func namesField(p problem, field string, badJSON bool) bool {
	want := strings.Split(indexes.ReplaceAllString(field, ""), ".")
	for _, e := range p.Errors {
		if badJSON && e.Field == "body" || strings.HasSuffix(e.Field, "attack_nested") {
			return true // the body as a whole, or the unknown key the value itself holds
		}
		got := strings.Split(indexes.ReplaceAllString(e.Field, ""), ".")
		n := min(len(got), len(want))
		match := n > 0
		for i := range n {
			match = match && (got[i] == want[i] || want[i] == "*")
		}
		if match {
			return true
		}
	}
	return false
}

// namesKnownFields reports whether every field a problem names is one the request has (or a
// part of one): a problem naming a field that is not in the request ("then_every" for
// then_every_days, "profile.household.pets" for profile.pets) does not tell the caller where the
// fault is.
func namesKnownFields(p problem, known []string) bool {
	for _, e := range p.Errors {
		ok := false
		for _, k := range known {
			ok = ok || sameField(e.Field, k)
		}
		if !ok {
			return false
		}
	}
	return true
}

// sameField reports whether an error's field is a known field, a part of it or a parent of it,
// ignoring list indexes; "*" in the known field matches any key.
func sameField(got, known string) bool {
	g := strings.Split(indexes.ReplaceAllString(got, ""), ".")
	k := strings.Split(indexes.ReplaceAllString(known, ""), ".")
	n := min(len(g), len(k))
	match := n > 0 && len(g) <= len(k)
	for i := range n {
		match = match && (g[i] == k[i] || k[i] == "*")
	}
	return match
}

// synth makes a value of a schema: every required property, with zero values.
func (a *attack) synth(sch map[string]any, depth int) any {
	sch = a.spec.resolve(sch)
	switch schemaType(sch) {
	case "object":
		out := map[string]any{}
		if depth > 5 {
			return out
		}
		props, _ := sch["properties"].(map[string]any)
		req, _ := sch["required"].([]any)
		for _, r := range req {
			k, _ := r.(string)
			if p, ok := props[k].(map[string]any); ok {
				out[k] = a.synth(p, depth+1)
			}
		}
		return out
	case "array":
		return []any{}
	case "string":
		return ""
	case "integer", "number":
		return 1
	case "boolean":
		return false
	}
	return nil
}

// attackHeaders sends hostile headers: X-Reason (long, control characters, a valid non-ASCII
// reason across byte 200), Idempotency-Key, X-Forwarded-For, Host, Authorization, X-Request-Id,
// Content-Type and the child's cookie, some through a raw connection since Go's client refuses
// to send them.
func (a *attack) attackHeaders(ctx context.Context, probe string, m *matrix) int {
	tried := 0
	off := a.callers[officer].token
	list := "/v1/children?limit=5"
	check := func(where string, r response) {
		tried++
		a.checkStatus(probe, where, r, false)
	}
	// A reason of 199 ASCII bytes then "é" crosses byte 200: valid, and must be kept whole.
	for _, reason := range []string{strings.Repeat("a", 199) + "é and more", strings.Repeat("é", 150)} {
		r := a.c.do(ctx, request{method: "GET", path: list, token: off, header: map[string]string{"X-Reason": reason}})
		check("X-Reason of valid non-ASCII across byte 200", r)
		if r.status == 400 {
			a.rep.find(probe, kindReason, "GET /v1/children with X-Reason", "a valid UTF-8 reason of %d bytes was refused: %s", len(reason), r)
		}
	}
	for _, h := range []struct{ name, value string }{
		{"X-Reason", strings.Repeat("r", 10000)},
		{"X-Reason", "<script>alert(1)</script>"},
		{"X-Reason", "=cmd|' /C calc'!A0"},
		{"X-Forwarded-For", "not an address"},
		{"X-Forwarded-For", strings.TrimSuffix(strings.Repeat("203.0.113.7, ", 1000), ", ")},
		{"X-Forwarded-For", "::1, [::1]:80, 999.999.999.999"},
		{"X-Request-Id", strings.Repeat("i", 5000)},
		{"X-Request-Id", "../../etc/passwd"},
		{"Authorization", "Bearer " + strings.Repeat("A", 10000)},
		{"Authorization", "Basic YWRtaW46YWRtaW4="},
		{"Authorization", "bearer " + off},
		{"Authorization", "Bearer pmd_ATTACK"},
		{"Cookie", "placematch_child=pms_" + strings.Repeat("A", 4000)},
		{"Cookie", "placematch_child=pms_ATTACK; __Host-placematch_child=pms_ATTACK"},
		{"Accept", "application/xml"},
		{"Accept-Encoding", "gzip;q=1e308"},
		{"Range", "bytes=0-1,1-2,2-3"},
	} {
		rq := request{method: "GET", path: list, token: off, header: map[string]string{h.name: h.value}}
		if h.name == "Authorization" {
			rq.token = ""
		}
		check(fmt.Sprintf("GET /v1/children with %s %s", h.name, snippet([]byte(h.value), 30)), a.c.do(ctx, rq))
	}
	for _, host := range []string{"attack.example", strings.Repeat("h", 5000) + ".example", "127.0.0.1:99999", "[::1", ""} {
		check("GET /v1/children with Host "+snippet([]byte(host), 30), a.c.do(ctx, request{method: "GET", path: list, token: off, host: host}))
	}
	// Idempotency-Key: too long, not ASCII, empty; each must be a 400 naming it, never a 5xx.
	body := jsonBody(map[string]any{"council": a.w.x, "plan": "together"})
	for _, key := range []string{strings.Repeat("k", 256), "clé", " ", strings.Repeat("k", 255)} {
		r := a.c.do(ctx, request{method: "POST", path: "/v1/sibling-groups", token: off, body: body, header: map[string]string{"Idempotency-Key": key}})
		check("POST /v1/sibling-groups with Idempotency-Key "+snippet([]byte(key), 20), r)
		if r.status == 400 {
			if p, ok := r.problem(); ok && !namesField(p, "Idempotency-Key", false) {
				a.rep.find(probe, kindUnnamed, "Idempotency-Key "+snippet([]byte(key), 20), "a 400 that does not name the header")
			}
		}
	}
	// Raw headers with control characters and invalid UTF-8, which Go's client will not send.
	for _, h := range []struct{ name, value string }{
		{"X-Reason", "a\x00b"}, {"X-Reason", "a\x01\x1bb"}, {"X-Reason", "\xff\xfe"},
		{"X-Reason", strings.Repeat("a", 199) + "\xc3"},
		{"Idempotency-Key", "k\x00"}, {"Idempotency-Key", "\xff"},
		{"X-Forwarded-For", "1.2.3.4\x00"}, {"X-Request-Id", "\xff\x01"},
		{"Authorization", "Bearer " + off + "\x00"},
		{"Host", "attack.example\x00"},
	} {
		head := "GET " + list + " HTTP/1.1\r\n"
		if h.name != "Host" {
			head += "Host: {HOST}\r\n"
		}
		if h.name != "Authorization" {
			head += "Authorization: Bearer " + off + "\r\n"
		}
		head += h.name + ": " + h.value + "\r\n"
		check(fmt.Sprintf("raw %s %q", h.name, h.value), a.c.raw(ctx, head, nil))
	}
	return tried
}

// attackForms sends hostile answers in the child's own forms: their say about an offer and their
// check-in, each through a session of their own. A child's answer must never be lost to a 500.
func (a *attack) attackForms(ctx context.Context, probe string) int {
	tried := 0
	offerPage, offerCookie, err := a.childSession(ctx, "")
	if err != nil {
		a.rep.find(probe, kindUnreachable, "the child's offer page", "%v", err)
		return 0
	}
	csrf := csrfOf(a.c.do(ctx, request{method: "GET", path: offerPage, cookie: offerCookie}).body)
	values := []hostile{}
	for _, h := range stringValues {
		if h.name == "70,000 characters" {
			h.raw = `"` + strings.Repeat("é", 3000) + `"`
		}
		values = append(values, h)
	}
	formValue := func(h hostile) string {
		var s string
		if json.Unmarshal([]byte(h.raw), &s) != nil {
			s = strings.Trim(h.raw, `"`) // invalid UTF-8 stays as bytes
		}
		return s
	}
	for _, h := range values {
		for _, fieldName := range []string{"words", "choice"} {
			form := url.Values{"csrf": {csrf}, "choice": {"unsure"}, "words": {"I like it."}}
			form.Set(fieldName, formValue(h))
			r := a.c.do(ctx, request{method: "POST", path: offerPage, cookie: offerCookie, body: []byte(form.Encode()),
				contentType: "application/x-www-form-urlencoded"})
			tried++
			a.checkStatus(probe, fmt.Sprintf("POST /child/offers/{id} %s = %s", fieldName, h.name), r, true)
			if h.class == classControl && r.status == 303 && fieldName == "words" {
				// The child cannot see what they pasted: their answer is kept without it, never
				// refused (they could not mend it) and never stored with it.
				if said := a.storedSay(ctx, offerPage); hasControl(said) {
					a.rep.find(probe, kindControl, "POST /child/offers/{id} "+fieldName+" = "+h.name, "a control character in the child's say was stored: %q", said)
				}
			}
		}
	}
	checkPage, checkCookie, err := a.checkInSession(ctx)
	if err != nil {
		a.rep.find(probe, kindUnreachable, "the child's check-in page", "%v", err)
		return tried
	}
	csrf = csrfOf(a.c.do(ctx, request{method: "GET", path: checkPage, cookie: checkCookie}).body)
	for _, h := range values {
		for _, fieldName := range []string{"would_help", "settled"} {
			form := url.Values{"csrf": {csrf}, "settled": {"yes"}, "would_help": {"More time with my friends."}}
			form.Set(fieldName, formValue(h))
			r := a.c.do(ctx, request{method: "POST", path: checkPage, cookie: checkCookie, body: []byte(form.Encode()),
				contentType: "application/x-www-form-urlencoded"})
			tried++
			a.checkStatus(probe, fmt.Sprintf("POST /child/check-in %s = %s", fieldName, h.name), r, true)
			if h.class == classControl && r.status == 303 && fieldName == "would_help" {
				if said := a.storedCheckIn(ctx); hasControl(said) {
					a.rep.find(probe, kindControl, "POST /child/check-in "+fieldName+" = "+h.name, "a control character in the child's check-in was stored: %q", said)
				}
			}
		}
	}
	return tried
}

// storedSay is what the officer reads of the child's own words on the offer whose page is at
// page (/child/offers/{id}).
func (a *attack) storedSay(ctx context.Context, page string) string {
	r := a.as(ctx, officer, "GET", "/v1/offers/"+strings.TrimPrefix(page, "/child/offers/"), nil)
	var o struct {
		Say struct {
			Words string `json:"in_own_words"`
		} `json:"child_say"`
	}
	_ = r.decode(&o)
	return o.Say.Words
}

// storedCheckIn is what the officer reads of the matrix child's check-ins' words, all of them.
func (a *attack) storedCheckIn(ctx context.Context) string {
	r := a.as(ctx, officer, "GET", "/v1/children/"+itoa(a.w.matrixKid)+"/check-ins", nil)
	var b struct {
		CheckIns []struct {
			WouldHelp string `json:"would_help"`
		} `json:"check_ins"`
	}
	_ = r.decode(&b)
	var all []string
	for _, c := range b.CheckIns {
		all = append(all, c.WouldHelp)
	}
	return strings.Join(all, " | ")
}

// hasControl reports whether s holds a control character other than tab and newline.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r != '\t' && r != '\n' && unicode.IsControl(r) })
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(page []byte) string {
	if m := csrfField.FindSubmatch(page); m != nil {
		return string(m[1])
	}
	return ""
}

// attackImports sends import files: one with thousands of bad rows (its answer must be bounded:
// the first errors and a count, not every one), one over the server's limit (413), and cells
// with control characters in JSON and CSV (a 400 naming the field).
func (a *attack) attackImports(ctx context.Context, probe string) (int, string) {
	tried := 0
	var notes []string
	before, memErr := peakMemory(a.t.pid)
	// Thousands of bad rows.
	rows := 5000
	if a.cfg.quick {
		rows = 500
	}
	var b strings.Builder
	b.WriteString(`{"children":[`)
	for i := range rows {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"first_name":"Bad%d","council":"nowhere","date_of_birth":"yesterday"}`, i)
	}
	b.WriteString("]}")
	r := a.as(ctx, officer, "POST", "/v1/import/children?format=json", b.String())
	tried++
	a.checkStatus(probe, "POST /v1/import/children with 5,000 bad rows", r, false)
	if p, ok := r.problem(); ok {
		notes = append(notes, fmt.Sprintf("%d bad rows answered %d errors in %d bytes", rows, len(p.Errors), len(r.body)))
		if len(p.Errors) > 100 || len(r.body) > 256<<10 {
			a.rep.find(probe, kindImport, "POST /v1/import/children", "%d bad rows answered %d errors in %d bytes: not capped at the first 100 and a count",
				rows, len(p.Errors), len(r.body))
		}
	}
	// A file over the limit.
	if limit := a.t.maxImport; limit > 0 && limit <= 256<<20 {
		big := make([]byte, 0, limit+64<<10)
		big = append(big, `{"children":[`...)
		pad := []byte(`{"first_name":"` + strings.Repeat("p", 1000) + `"},`)
		for int64(len(big)) < limit+32<<10 {
			big = append(big, pad...)
		}
		big = append(big[:len(big)-1], "]}"...)
		sw := catalogue.StartStopwatch()
		r := a.as(ctx, officer, "POST", "/v1/import/children?format=json", big)
		tried++
		a.checkStatus(probe, "POST /v1/import/children over the limit", r, false)
		notes = append(notes, fmt.Sprintf("a file of %d MiB over the limit answered %d in %s", len(big)>>20, r.status, sw.Elapsed().Round(time.Millisecond)))
		if r.err == nil && r.status != 413 {
			a.rep.find(probe, kindImport, "POST /v1/import/children over the limit", "a file over --max-import answered %s, not 413", r)
		}
	}
	if memErr == nil {
		if after, err := peakMemory(a.t.pid); err == nil {
			notes = append(notes, fmt.Sprintf("server peak memory %.0f MiB, then %.0f MiB", before, after))
		}
	}
	// Control characters in cells: JSON and CSV, from the officer's own export.
	for _, format := range []string{"json", "csv"} {
		r := a.as(ctx, officer, "GET", "/v1/export/children?format="+format, nil)
		tried++
		a.checkStatus(probe, "GET /v1/export/children?format="+format, r, false)
		if r.status != 200 {
			continue
		}
		file, ok := a.poisonedImport(format, r.body)
		if !ok {
			continue
		}
		ct := "application/json"
		if format == "csv" {
			ct = "text/csv"
		}
		rq := request{method: "POST", path: "/v1/import/children?format=" + format, token: a.callers[officer].token, body: file, contentType: ct}
		ri := a.c.do(ctx, rq)
		tried++
		where := "POST /v1/import/children?format=" + format + " with NUL in a cell"
		a.checkStatus(probe, where, ri, false)
		if ri.status >= 200 && ri.status < 300 {
			a.rep.find(probe, kindControl, where, "a NUL in an imported cell was accepted (%d)", ri.status)
		}
	}
	return tried, strings.Join(notes, "; ")
}

// poisonedImport takes one of the attack's own children from an export and puts a NUL in its
// first name.
func (a *attack) poisonedImport(format string, export []byte) ([]byte, bool) {
	mine := func(name string) bool {
		for _, k := range a.w.allKids() {
			if k.name == name && k.council == a.w.x {
				return true
			}
		}
		return false
	}
	if format == "json" {
		var f struct {
			Children []map[string]any `json:"children"`
		}
		if json.Unmarshal(export, &f) != nil {
			return nil, false
		}
		for _, c := range f.Children {
			if n, _ := c["first_name"].(string); mine(n) {
				c["first_name"] = "Zo\x00e"
				c["childId"] = fmt.Sprintf("ATTACK-NUL-%d-json", a.cfg.seed) // a case reference of its own
				delete(c, "id")
				delete(c, "sibling_group")
				return jsonBody(map[string]any{"children": []any{c}}), true
			}
		}
		return nil, false
	}
	recs, err := csv.NewReader(bytes.NewReader(export)).ReadAll()
	if err != nil || len(recs) < 2 {
		return nil, false
	}
	col := slices.Index(recs[0], "first_name")
	if col < 0 {
		return nil, false
	}
	for _, rec := range recs[1:] {
		if mine(rec[col]) {
			rec[col] = "Zo\x00e"
			if i := slices.Index(recs[0], "childId"); i >= 0 {
				rec[i] = fmt.Sprintf("ATTACK-NUL-%d-csv", a.cfg.seed) // a case reference of its own
			}
			for _, drop := range []string{"id", "sibling_group"} {
				if i := slices.Index(recs[0], drop); i >= 0 {
					rec[i] = ""
				}
			}
			var buf bytes.Buffer
			w := csv.NewWriter(&buf)
			_ = w.Write(recs[0])
			_ = w.Write(rec)
			w.Flush()
			return buf.Bytes(), true
		}
	}
	return nil, false
}

// policyOverflow sets three of a council's weights to 1e308, which sum to infinity: the policy
// must refuse them (weights are finite and bounded), or every score in the council is lost.
func (a *attack) policyOverflow(ctx context.Context, probe string) int {
	weights := map[string]any{"cost": 5, "family": 1e308, "home_area": 7, "identity": 6, "kinship": 8, "needs": 20, "school": 1e308,
		"siblings": 1e308, "stability": 10, "wishes": 5}
	version := a.as(ctx, admin, "GET", "/v1/policy?council="+a.w.z, nil).object()["version"]
	r := a.as(ctx, admin, "PUT", "/v1/policy", map[string]any{"council": a.w.z, "note": "attack: overflow", "weights": weights, "version": version})
	where := "PUT /v1/policy with three weights of 1e308"
	a.checkStatus(probe, where, r, false)
	if r.status >= 200 && r.status < 300 {
		a.rep.find(probe, kindHugeNumber, where, "accepted (%d): the weights sum to infinity", r.status)
	}
	return 1
}

// checkCSVExport reads the CSV exports (which now hold children and homes named with formula
// characters by the inputs) and finds any text cell a spreadsheet would run.
func (a *attack) checkCSVExport(ctx context.Context, probe string) int {
	tried := 0
	for _, q := range []struct{ who, kind string }{{officer, "children"}, {admin, "placements"}} {
		r := a.as(ctx, q.who, "GET", "/v1/export/"+q.kind+"?format=csv", nil)
		tried++
		where := "GET /v1/export/" + q.kind + "?format=csv"
		a.checkStatus(probe, where, r, false)
		if r.status != 200 {
			continue
		}
		rd := csv.NewReader(bytes.NewReader(r.body))
		rd.FieldsPerRecord = -1
		recs, err := rd.ReadAll()
		if err != nil {
			a.rep.find(probe, kindCSV, where, "the export is not valid CSV: %v", err)
			continue
		}
		bad := 0
		example := ""
		for _, rec := range recs {
			for _, cell := range rec {
				if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					continue
				}
				if _, err := strconv.ParseFloat(cell, 64); err == nil {
					continue // a number, written as one
				}
				if bad++; example == "" {
					example = cell
				}
			}
		}
		if bad > 0 {
			a.rep.find(probe, kindCSV, where, "%d cells start with a formula character, such as %q", bad, snippet([]byte(example), 40))
		}
	}
	return tried
}

// attackSolve gives 'placematch solve' an 18-byte DIMACS file whose header claims 67 million
// nodes (the most it accepts) and no arcs: it must refuse it, or solve it, quickly, not allocate
// for the claim.
func (a *attack) attackSolve(ctx context.Context, probe string) string {
	if a.t.bin == "" {
		return "solve: not tried (no binary: the attack did not start the server)"
	}
	dir, err := os.MkdirTemp("", "placematch-attack-solve-")
	if err != nil {
		return "solve: " + err.Error()
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "huge.min")
	if err := os.WriteFile(file, []byte("p min 67108864 00\n"), 0o644); err != nil {
		return "solve: " + err.Error()
	}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, a.t.bin, "solve", "--dimacs", file)
	sw := catalogue.StartStopwatch()
	_ = cmd.Run()
	took := sw.Elapsed()
	var mib float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		mib = float64(ru.Maxrss) / 1024
	}
	note := fmt.Sprintf("solve of an 18-byte file: %s, %.0f MiB", took.Round(time.Millisecond), mib)
	if took > 5*time.Second || mib > 256 {
		a.rep.find(probe, kindSolve, "placematch solve", "an 18-byte DIMACS file took %s and %.0f MiB", took.Round(time.Millisecond), mib)
	}
	return note
}
