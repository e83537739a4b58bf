package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// probeAccess is the access matrix: every route of the OpenAPI document with every caller, once
// with a body that reaches the store and once with an invalid one. A route answers 2xx only to
// a role it lists (401 without a valid token, 403 for another role), never a record outside the
// caller's scope (404), never a 5xx, and problem+json on every API error; no 2xx body carries a
// child outside the caller's scope, and children's data is never cacheable. Then a provider
// tries to change the fields of its home that only an administrator, the history or the child's
// council may set.
func (a *attack) probeAccess(ctx context.Context) probeResult {
	const probe = "access"
	res := probeResult{}
	mh, err := a.newHome(ctx, "Attack matrix household", 6, nil)
	if err != nil {
		return probeResult{skipped: true, note: "could not make the matrix's home: " + err.Error()}
	}
	m := &matrix{a: a, home: mh, place: a.w.home, kid: a.w.matrixKid}
	if err := m.prepare(ctx); err != nil {
		return probeResult{skipped: true, note: err.Error()}
	}
	var refused, unknown []string
	routes := 0
	for _, op := range a.spec.ops {
		if len(a.cfg.matrixRoutes) > 0 && !slices.Contains(a.cfg.matrixRoutes, op.name()) {
			continue
		}
		routes++
		if !m.knows(op) {
			unknown = append(unknown, op.name())
		}
		for _, who := range callerOrder {
			for _, valid := range []bool{true, false} {
				rq, scoped := m.request(ctx, op, who, valid)
				r := a.c.do(ctx, rq)
				a.rep.mu.Lock()
				a.rep.pairs++
				a.rep.mu.Unlock()
				res.tried++
				variant := "valid body"
				if !valid {
					variant = "invalid body"
				}
				where := fmt.Sprintf("%s as %s (%s)", op.name(), who, variant)
				if a.judgeAccess(probe, where, op, a.callers[who], r, scoped && valid) {
					refused = append(refused, fmt.Sprintf("%s (%d)", where, r.status))
				}
				m.after(ctx, op, r)
			}
		}
	}
	res.note = fmt.Sprintf("%d routes x %d callers x 2 bodies", routes, len(callerOrder))
	if len(refused) > 0 {
		res.note += fmt.Sprintf("; %d allowed callers refused (not findings: the route's own rules): %s", len(refused), strings.Join(refused, ", "))
	}
	if len(unknown) > 0 {
		res.note += fmt.Sprintf("; no valid body known for %s (add it to matrix.body)", strings.Join(unknown, ", "))
	}
	tried, note := a.fieldOwnership(ctx, probe)
	res.tried += tried
	res.note += "; " + note
	return res
}

// judgeAccess records what one matrix response shows; it reports whether an allowed caller was
// refused (401 or 403).
func (a *attack) judgeAccess(probe, where string, op operation, c *caller, r response, scoped bool) bool {
	a.checkStatus(probe, where, r, op.page())
	if r.err != nil {
		return false
	}
	ok := r.status >= 200 && r.status < 300
	if !op.public() {
		switch {
		case c.role == "":
			if ok {
				a.rep.find(probe, kindUnauth, where, "%s", r)
			}
			return false
		case !op.allows(c.role):
			if ok {
				a.rep.find(probe, kindRole, where, "%s", r)
			}
			return false
		case r.status == 401 || r.status == 403:
			return true
		}
		if ok && scoped && a.outOfScope(op, c) {
			a.rep.find(probe, kindBOLA, where, "a record of %s answered %d to a caller outside its scope", a.owner(op), r.status)
		}
	}
	if ok {
		a.scanBody(probe, where, c, r, op.path)
	}
	return false
}

// owner names whose the record in a route's path is.
func (a *attack) owner(op operation) string {
	if providerRoute(op.path) {
		return "provider " + itoa(a.w.provA)
	}
	return "council " + a.w.x
}

func providerRoute(path string) bool {
	return strings.HasPrefix(path, "/v1/placements/{id}") || strings.HasPrefix(path, "/v1/vacancies/") || strings.HasPrefix(path, "/v1/providers/{id}")
}

func councilRoute(path string) bool {
	for _, p := range []string{"/v1/children/{id}", "/v1/sibling-groups/{id}", "/v1/offers/{id}", "/v1/move-reviews/{id}",
		"/v1/support-plans/{id}", "/v1/match-runs/{id}"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// outOfScope reports whether the record in the route's path is outside the caller's scope.
func (a *attack) outOfScope(op operation, c *caller) bool {
	switch {
	case councilRoute(op.path):
		return c.role == "officer" && c.council != a.w.x
	case providerRoute(op.path):
		if op.method == "GET" && c.role == "officer" && strings.HasPrefix(op.path, "/v1/placements/{id}") {
			return false // officers read every home their council may use
		}
		if c.role == "officer" && strings.HasPrefix(op.path, "/v1/providers/") {
			return false
		}
		return c.role == "provider" && c.provider != a.w.provA
	}
	return false
}

// childKeys are the JSON keys whose values are a child's ID; childListKeys hold lists of them
// (where a number under the same name is a count or a weight: "children": 3, "siblings": 15).
var (
	childKeys     = []string{"child", "child_id"}
	childListKeys = []string{"children", "members", "connected_to", "siblings"}
)

// scanBody looks in a 2xx body for children outside the caller's scope (by name, and by ID under
// a key that holds children's IDs) and for children's data without Cache-Control: no-store.
func (a *attack) scanBody(probe, where string, c *caller, r response, path string) {
	sees := func(k kid) bool {
		switch {
		case c == nil:
			return false
		case c.role == "admin":
			return true
		case c.role == "officer":
			return k.council == c.council
		}
		return false
	}
	if name, found := a.containsName(r.body, sees); found {
		a.rep.find(probe, kindBOLA, where, "the body names %s, a child outside the caller's scope", name)
	}
	var v any
	childData := false
	if json.Unmarshal(r.body, &v) == nil {
		ids := map[int64]bool{}
		collectChildIDs(v, ids)
		childData = len(ids) > 0
		if c != nil && c.role != "admin" && c.role != "provider" {
			for id := range ids {
				if k, ok := a.w.kid(id); ok && !sees(k) {
					a.rep.find(probe, kindBOLA, where, "the body holds child %d of %s", id, k.council)
					break
				}
			}
		}
		if obj, ok := v.(map[string]any); ok && c != nil && c.role == "officer" && councilRoute(templateOf(path)) {
			if cc, ok := obj["council"].(string); ok && cc != "" && cc != c.council {
				a.rep.find(probe, kindBOLA, where, "the answer is a record of council %s", cc)
			}
		}
	}
	if _, named := a.containsName(r.body, nil); named || childData || strings.HasPrefix(path, "/child/") {
		if !strings.Contains(r.header.Get("Cache-Control"), "no-store") && !strings.HasSuffix(path, ".css") {
			a.rep.find(probe, kindNoStore, where, "Cache-Control %q on a response carrying children's data", r.header.Get("Cache-Control"))
		}
	}
}

// templateOf turns a request path back into its template's shape for the route checks.
func templateOf(path string) string {
	if !strings.HasPrefix(path, "/v1/") {
		return path
	}
	parts := strings.Split(strings.SplitN(path, "?", 2)[0], "/")
	for i, p := range parts {
		if i > 1 && p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// collectChildIDs gathers the numbers under the keys that hold children's IDs.
func collectChildIDs(v any, ids map[int64]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			switch n := x.(type) {
			case float64:
				if slices.Contains(childKeys, k) {
					ids[int64(n)] = true
				}
			case []any:
				if slices.Contains(childListKeys, k) {
					for _, e := range n {
						if f, ok := e.(float64); ok {
							ids[int64(f)] = true
						}
					}
				}
			}
			collectChildIDs(x, ids)
		}
	case []any:
		for _, x := range t {
			collectChildIDs(x, ids)
		}
	}
}

// matrix makes the requests of the access matrix: the path's records, and a body that reaches
// the store, made fresh for each call where a call changes its record.
type matrix struct {
	a        *attack
	home     int64 // a home with places for the matrix's accepts
	place    int64 // the home of /v1/placements/{id}
	kid      int64 // the child of /v1/children/{id}
	vacancy  int64 // an available place of the attack's home
	offer    int64 // an offer only read
	runChild int64 // a child of the match run, and homes it was offered
	runHomes []int64
}

func (m *matrix) prepare(ctx context.Context) error {
	a := m.a
	r, err := a.must(ctx, admin, "GET", "/v1/placements/"+itoa(m.place)+"/vacancies", nil, 200)
	if err != nil {
		return err
	}
	var vs struct {
		Items []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
	}
	if err := r.decode(&vs); err != nil {
		return err
	}
	for _, v := range vs.Items {
		if v.Status == "available" {
			m.vacancy = v.ID
		}
	}
	k, err := a.newKid(ctx, officer, a.w.x, nil)
	if err != nil {
		return err
	}
	if m.offer, _, err = a.offer(ctx, officer, k.id, m.home); err != nil {
		return err
	}
	r, err = a.must(ctx, officer, "GET", "/v1/match-runs/"+itoa(a.w.run)+"/results?limit=50", nil, 200)
	if err != nil {
		return err
	}
	var res struct {
		Items []struct {
			Child  int64 `json:"child"`
			Offers []struct {
				Placement int64 `json:"placement"`
			} `json:"offers"`
		} `json:"items"`
	}
	if err := r.decode(&res); err != nil {
		return err
	}
	for _, it := range res.Items {
		if len(it.Offers) > 0 {
			m.runChild = it.Child
			for _, o := range it.Offers {
				m.runHomes = append(m.runHomes, o.Placement)
			}
			break
		}
	}
	return nil
}

// knownBodies are the routes whose valid body matrix.body makes.
var knownBodies = []string{
	"POST /v1/children", "PUT /v1/children/{id}", "POST /v1/children/{id}/options", "POST /v1/children/{id}/offers",
	"POST /v1/sibling-groups", "PUT /v1/sibling-groups/{id}", "POST /v1/providers", "POST /v1/placements",
	"PUT /v1/placements/{id}", "POST /v1/placements/{id}/vacancies", "PUT /v1/vacancies/{id}",
	"POST /v1/placements/{id}/profile-approval", "POST /v1/children/{id}/episodes", "POST /v1/children/{id}/moves", "PUT /v1/move-reviews/{id}",
	"PUT /v1/children/{id}/check-in-plan", "POST /v1/children/{id}/check-in-links", "PUT /v1/support-plans/{id}",
	"POST /v1/import/{kind}", "PUT /v1/policy", "POST /v1/tokens", "POST /v1/offers/{id}/send",
	"POST /v1/offers/{id}/decision", "POST /v1/offers/{id}/placed", "POST /v1/offers/{id}/withdraw",
	"POST /v1/offers/{id}/options/{placement}/withdraw", "POST /v1/match-runs", "POST /v1/match-runs/{id}/preferences",
	"POST /v1/match-runs/{id}/offers", "POST /v1/sufficiency/what-if", "POST /v1/sufficiency/plan",
	"POST /dashboard/session", "POST /dashboard/leave", "POST /child/offers/{id}", "POST /child/check-in", "POST /child/leave",
	"POST /v1/children/{id}/referrals", "PUT /v1/children/{id}/allocation", "POST /v1/children/{id}/family-network",
	"POST /v1/children/{id}/inadequate-overrides", "POST /v1/offers/{id}/sign-offs", "POST /v1/sharing-agreements",
	"PUT /v1/framework-prices", "PUT /v1/children/{id}/episodes/current/staying-put",
}

func (m *matrix) knows(op operation) bool {
	return (op.method != "POST" && op.method != "PUT") || slices.Contains(knownBodies, op.name())
}

// freshOffer makes a new offer of the matrix's home to a new child of the attack's council.
func (m *matrix) freshOffer(ctx context.Context) (int64, int) {
	k, err := m.a.newKid(ctx, officer, m.a.w.x, nil)
	if err != nil {
		return m.offer, 1
	}
	id, v, err := m.a.offer(ctx, officer, k.id, m.home)
	if err != nil {
		return m.offer, 1
	}
	return id, v
}

// version reads a record's version as the admin.
func (m *matrix) version(ctx context.Context, path string, key ...string) int {
	v := m.a.as(ctx, admin, "GET", path, nil).object()
	for _, k := range key {
		next, _ := v[k].(map[string]any)
		v = next
	}
	n, _ := v["version"].(float64)
	return int(n)
}

// ids chooses the records of a route's path: the attack's own, a fresh offer where the call
// changes its offer (with its version), a throwaway token where it revokes one.
func (m *matrix) ids(ctx context.Context, op operation, valid bool) (map[string]string, int) {
	a := m.a
	ids := map[string]string{"kind": "children", "placement": itoa(m.home), "token": "pmc_NOTATOKENNOTATOKENNOTATOKEN"}
	var offerVersion int
	p := op.path
	switch {
	case strings.HasPrefix(p, "/v1/children/{id}"):
		ids["id"] = itoa(m.kid)
	case strings.HasPrefix(p, "/v1/sibling-groups/"):
		ids["id"] = itoa(a.w.group)
	case strings.HasPrefix(p, "/v1/providers/"):
		ids["id"] = itoa(a.w.provA)
	case strings.HasPrefix(p, "/v1/placements/"):
		ids["id"] = itoa(m.place)
	case strings.HasPrefix(p, "/v1/vacancies/"):
		ids["id"] = itoa(m.vacancy)
	case strings.HasPrefix(p, "/v1/move-reviews/"):
		ids["id"] = itoa(a.w.review)
	case strings.HasPrefix(p, "/v1/support-plans/"):
		ids["id"] = itoa(a.w.plan)
	case strings.HasPrefix(p, "/v1/match-runs/"):
		ids["id"] = itoa(a.w.run)
	case strings.HasPrefix(p, "/v1/offers/"), strings.HasPrefix(p, "/child/offers/"):
		if op.method == "GET" || !valid || strings.HasPrefix(p, "/child/") {
			ids["id"] = itoa(m.offer)
		} else {
			id, v := m.freshOffer(ctx)
			ids["id"], offerVersion = itoa(id), v
		}
	case strings.HasPrefix(p, "/v1/tokens/"):
		if t, err := a.newToken(ctx, "matrix throwaway", "commissioner", "", 0); err == nil {
			ids["id"] = itoa(t.tokenID)
		}
	}
	return ids, offerVersion
}

// request makes one request of the matrix; scoped says the path names a record with an owner.
func (m *matrix) request(ctx context.Context, op operation, who string, valid bool) (request, bool) {
	a := m.a
	c := a.callers[who]
	p := op.path
	ids, offerVersion := m.ids(ctx, op, valid)
	rq := request{method: op.method, token: c.token}
	if !valid { // no such record, kind or link
		for k, v := range map[string]string{"id": "0", "placement": "0", "kind": "attack", "token": "pmc_"} {
			if _, ok := ids[k]; ok {
				ids[k] = v
			}
		}
	}
	rq.path = fill(p, ids)
	if strings.HasPrefix(p, "/v1/import/") {
		rq.path += "?format=json"
	}
	if op.page() && a.t.trustedProxy {
		rq.header = map[string]string{"X-Forwarded-For": a.nextAddress()}
	}
	switch {
	case !valid && (op.body != nil || op.method == "POST" || op.method == "PUT"):
		rq.body = []byte(`{"attack_unknown_field":"\u0000"}`)
	case !valid && !strings.Contains(op.path, "{"):
		rq.path += "?attack_unknown=1"
	case valid:
		body, ct := m.body(ctx, op, who, ids, offerVersion)
		if body != nil {
			rq.body, rq.contentType = body, ct
		} else if op.method == "POST" || op.method == "PUT" {
			rq.body = []byte("{}")
		}
	}
	return rq, councilRoute(p) || providerRoute(p)
}

// body is the valid body of a route for a caller.
func (m *matrix) body(ctx context.Context, op operation, who string, ids map[string]string, offerVersion int) ([]byte, string) {
	a := m.a
	c := a.callers[who]
	ownCouncil := a.w.x
	if c.role == "officer" && c.council != "" && c.council != a.w.x {
		ownCouncil = c.council
	}
	j := func(v any) ([]byte, string) { return jsonBody(v), "" }
	form := func(v url.Values) ([]byte, string) { return []byte(v.Encode()), "application/x-www-form-urlencoded" }
	switch op.name() {
	case "POST /v1/children":
		return j(a.childBody(a.w.x, a.w.newName(a)))
	case "PUT /v1/children/{id}":
		b := a.as(ctx, admin, "GET", "/v1/children/"+ids["id"], nil).object()
		delete(b, "created_at")
		delete(b, "updated_at")
		b["council"] = ownCouncil // an officer of another council names their own, and still may not
		return j(b)
	case "POST /v1/children/{id}/options":
		return j(map[string]any{"limit": 3})
	case "POST /v1/children/{id}/offers":
		return nil, ""
	case "POST /v1/sibling-groups":
		return j(map[string]any{"council": a.w.x, "plan": "together"})
	case "PUT /v1/sibling-groups/{id}":
		return j(map[string]any{"council": ownCouncil, "plan": "together", "version": m.version(ctx, "/v1/sibling-groups/"+ids["id"])})
	case "POST /v1/providers":
		return j(map[string]any{"name": "Attack matrix agency", "kind": "agency"})
	case "POST /v1/placements":
		prov := a.w.provA
		if c.role == "provider" {
			prov = c.provider
		}
		b := a.homeBody(prov, "Attack matrix home")
		if c.role == "provider" { // only what a provider owns
			for _, k := range []string{"ofsted", "urn", "experience", "stability"} {
				delete(b, k)
			}
		}
		return j(b)
	case "PUT /v1/placements/{id}":
		b := a.as(ctx, admin, "GET", "/v1/placements/"+ids["id"], nil).object()
		for _, k := range []string{"vacancies", "created_at", "updated_at"} {
			delete(b, k)
		}
		if c.role == "provider" && c.provider != a.w.provA {
			b["provider"] = c.provider // names itself, and still may not change another's home
		}
		return j(b)
	case "POST /v1/placements/{id}/vacancies":
		return j(map[string]any{"available_from": a.date(30)})
	case "POST /v1/placements/{id}/profile-approval":
		// The text as it stands now: an approval names what the approver read.
		b := a.as(ctx, admin, "GET", "/v1/placements/"+ids["id"], nil).object()
		return j(map[string]any{"profile_hash": b["profile_hash"]})
	case "PUT /v1/vacancies/{id}":
		return j(map[string]any{"available_from": a.date(0), "status": "available", "version": m.version(ctx, "/v1/vacancies/"+ids["id"])})
	case "POST /v1/children/{id}/episodes":
		return j(map[string]any{"start": a.date(-30), "setting": "kinship"})
	case "POST /v1/children/{id}/moves":
		return j(map[string]any{"on": a.date(-10), "reason": "CARPL", "next": map[string]any{"setting": "kinship"}})
	case "PUT /v1/children/{id}/episodes/current/staying-put":
		// The version of the child's latest placement, as read (a child with none gets 409).
		version := 1.0
		h := a.as(ctx, admin, "GET", "/v1/children/"+ids["id"]+"/history", nil).object()
		if eps, _ := h["episodes"].([]any); len(eps) > 0 {
			if e, ok := eps[len(eps)-1].(map[string]any); ok {
				if v, ok := e["version"].(float64); ok {
					version = v
				}
			}
		}
		return j(map[string]any{"version": int(version), "staying_put": "willing"})
	case "PUT /v1/move-reviews/{id}":
		return j(map[string]any{"outcome": "satisfied", "child_spoken_to": true, "version": m.version(ctx, "/v1/move-reviews/"+ids["id"])})
	case "PUT /v1/children/{id}/check-in-plan":
		v := a.as(ctx, officer, "GET", "/v1/children/"+ids["id"]+"/check-ins", nil).object()
		plan, _ := v["plan"].(map[string]any)
		n, _ := plan["version"].(float64)
		return j(map[string]any{"days": []int{7, 28}, "then_every_days": 0, "version": int(n)})
	case "POST /v1/children/{id}/check-in-links":
		return nil, ""
	case "PUT /v1/support-plans/{id}":
		return j(map[string]any{"version": m.version(ctx, "/v1/support-plans/"+ids["id"]),
			"items": []any{map[string]any{"need": "trauma", "arranged": true}}})
	case "POST /v1/import/{kind}":
		return []byte(`{"children":[]}`), ""
	case "PUT /v1/policy":
		// The national policy as it is, for a council no other probe uses: an input that empties
		// the council writes the national policy unchanged. The version is the one in force
		// for that council, as read.
		b := map[string]any{"council": a.w.z, "note": "attack: the national policy, unchanged",
			"version": a.as(ctx, admin, "GET", "/v1/policy?council="+a.w.z, nil).object()["version"]}
		national := a.as(ctx, admin, "GET", "/v1/policy", nil).object()
		for _, k := range []string{"weights", "cost_cap", "cost_margin", "max_distance_km", "wish_boost", "max_boost",
			"zone_buffer_km", "cost_low", "cost_high"} {
			if v, ok := national[k]; ok {
				b[k] = v
			}
		}
		return j(b)
	case "POST /v1/tokens":
		return j(map[string]any{"label": "attack matrix", "role": "commissioner"})
	case "POST /v1/offers/{id}/send":
		return nil, ""
	case "POST /v1/offers/{id}/decision":
		return j(map[string]any{"version": offerVersion, "outcome": "accepted", "placement": m.home, "reason": "attack: decided with the child"})
	case "POST /v1/offers/{id}/placed":
		return j(map[string]any{"version": offerVersion})
	case "POST /v1/offers/{id}/withdraw", "POST /v1/offers/{id}/options/{placement}/withdraw":
		return j(map[string]any{"version": offerVersion, "reason": "attack: withdrawn"})
	case "POST /v1/match-runs":
		return j(map[string]any{"council": a.w.x})
	case "POST /v1/match-runs/{id}/preferences":
		if m.runChild == 0 {
			return j(map[string]any{"preferences": []any{}})
		}
		return j(map[string]any{"preferences": []any{map[string]any{"child": m.runChild, "ranked": m.runHomes[:1]}}})
	case "POST /v1/match-runs/{id}/offers":
		return nil, ""
	case "POST /v1/sufficiency/what-if":
		return j(map[string]any{"additions": []any{map[string]any{"council": a.w.x, "count": 1, "profile": map[string]any{}}}})
	case "POST /v1/sufficiency/plan":
		return j(map[string]any{"profile": map[string]any{}, "carers": 1})
	case "POST /v1/children/{id}/referrals":
		return j(map[string]any{"placements": []int64{m.home}})
	case "PUT /v1/children/{id}/allocation":
		return j(map[string]any{"social_worker": "A. Worker", "team": "Attack CLA", "email": "worker@example.org", "version": 0})
	case "POST /v1/children/{id}/family-network":
		return j(map[string]any{"name": "Nan", "relationship": "grandparent", "named_by": "social_worker", "assessment_due": a.date(14)})
	case "POST /v1/children/{id}/inadequate-overrides":
		return j(map[string]any{"placement": m.home, "reason": "attack: the alternative is an unregistered setting"})
	case "POST /v1/offers/{id}/sign-offs":
		return j(map[string]any{"kind": "high_cost", "placement": m.home, "reason": "attack: no other home can meet her needs"})
	case "POST /v1/sharing-agreements":
		return j(map[string]any{"name": "Attack matrix pool", "kind": "regional_pool", "members": []string{a.w.x, a.w.z},
			"kinds": []string{"council_foster"}, "from": a.date(0), "note": "attack"})
	case "PUT /v1/framework-prices":
		return j(map[string]any{"council": a.w.x, "kind": "agency_foster", "weekly_price": 1200, "note": "attack", "version": 0})
	case "POST /dashboard/session":
		return form(url.Values{"token": {c.token}})
	case "POST /dashboard/leave", "POST /child/offers/{id}", "POST /child/check-in", "POST /child/leave":
		return form(url.Values{"csrf": {"attack"}})
	}
	if op.body != nil {
		return j(a.synth(op.body, 0))
	}
	return nil, ""
}

// after tidies up after a matrix call: secrets shown once are remembered (they must never reach
// the log), tokens made are revoked, and children made are known by name.
func (m *matrix) after(ctx context.Context, op operation, r response) {
	a := m.a
	if r.status < 200 || r.status >= 300 {
		return
	}
	body := r.object()
	if link, ok := body["link"].(map[string]any); ok {
		if u, ok := link["url"].(string); ok {
			a.remember(u[strings.LastIndex(u, "/")+1:], "a child's link")
		}
	}
	switch op.name() {
	case "POST /v1/tokens":
		if tok, ok := body["token"].(string); ok {
			a.remember(tok, "a token made by the matrix")
		}
		if id, ok := body["id"].(float64); ok {
			a.as(ctx, admin, "DELETE", "/v1/tokens/"+itoa(int64(id)), nil)
		}
	case "POST /v1/children":
		var ch struct {
			ID        int64  `json:"id"`
			FirstName string `json:"first_name"`
			Council   string `json:"council"`
		}
		if r.decode(&ch) == nil && ch.ID != 0 {
			a.w.addKid(kid{id: ch.ID, name: ch.FirstName, council: ch.Council})
		}
	}
	for _, ck := range r.header.Values("Set-Cookie") {
		if _, v, ok := strings.Cut(strings.SplitN(ck, ";", 2)[0], "="); ok && v != "" {
			a.remember(v, "a session cookie")
		}
	}
}

// fieldOwnership has the provider try to change, on its own home and on a new one, the facts it
// must not assert: the regulator's grade and URN (an administrator's), its track record and
// experience (the history's, or an administrator's), and kinship with a child (the child's
// council's). Each change that is stored is a finding; the home is put back by the admin.
func (a *attack) fieldOwnership(ctx context.Context, probe string) (int, string) {
	changes := []struct {
		field string
		set   map[string]any
	}{
		{"ofsted", map[string]any{"ofsted": "outstanding"}},
		{"urn", map[string]any{"urn": "SC999999"}},
		{"experience", map[string]any{"experience": 40}},
		{"stability", map[string]any{"stability": map[string]any{"ended_planned": 50, "ended_unplanned": 0}}},
		{"connected_to", map[string]any{"kind": "kinship", "connected_to": []int64{a.w.otherKid}}},
	}
	tried := 0
	path := "/v1/placements/" + itoa(a.w.ownHome)
	read := func() map[string]any {
		b := a.as(ctx, admin, "GET", path, nil).object()
		for _, k := range []string{"vacancies", "created_at", "updated_at"} {
			delete(b, k)
		}
		return b
	}
	stored := func(r response, set map[string]any) bool {
		if r.status < 200 || r.status >= 300 {
			return false
		}
		got := r.object()
		for k, v := range set {
			want, _ := json.Marshal(v)
			var wantV any
			_ = json.Unmarshal(want, &wantV)
			if !reflect.DeepEqual(got[k], wantV) {
				return false
			}
		}
		return true
	}
	for _, ch := range changes {
		orig := read()
		b := read()
		for k, v := range ch.set {
			b[k] = v
		}
		r := a.as(ctx, provider, "PUT", path, b)
		tried++
		where := "PUT /v1/placements/{id} as provider: " + ch.field
		a.checkStatus(probe, where, r, false)
		if stored(r, ch.set) {
			a.rep.find(probe, kindFieldOwner, where, "the provider set %s and it was stored (%d)", ch.field, r.status)
			orig["version"] = r.object()["version"]
			a.as(ctx, admin, "PUT", path, orig)
		}
		nb := a.homeBody(a.callers[provider].provider, "Attack provider's own claim")
		for k, v := range ch.set {
			nb[k] = v
		}
		r = a.as(ctx, provider, "POST", "/v1/placements", nb)
		tried++
		where = "POST /v1/placements as provider: " + ch.field
		a.checkStatus(probe, where, r, false)
		if stored(r, ch.set) {
			a.rep.find(probe, kindFieldOwner, where, "the provider created a home asserting %s (%d)", ch.field, r.status)
		}
	}
	return tried, fmt.Sprintf("a provider tried %d fields it does not own", len(changes))
}
