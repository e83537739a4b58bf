package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// world is the records the attack makes through the API before its probes, so that it knows
// whose each one is: a child of its council with an offer whose link it sends itself, homes of
// its provider, a child of another council, a move review, a support plan and a match run.
type world struct {
	x, y, z   string // the attack's council, another council, and a council whose policy the inputs may spoil
	lat, lng  float64
	provA     int64 // the attack's provider
	provB     int64 // another provider
	home      int64 // provider A's home in council x with two places: the leak child is offered it, another child fills one
	ownHome   int64 // provider A's home whose fields the ownership check tries to change
	untrained int64 // provider A's home without skills: accepting a child with needs there made a support plan
	group     int64 // a sibling group of council x
	matrixKid int64 // a child of council x with a history and a move review: the matrix's child
	review    int64
	plan      int64 // a support plan of council x
	run       int64 // a match run of council x
	leakKid   int64 // the child whose page the leak probe reads
	leakOffer int64
	otherKid  int64 // a child of council y
	filler    int64 // the child accepted into home

	// mu guards the children the attack made, which probes add to from several goroutines.
	mu         sync.Mutex
	kids       map[int64]kid
	kidOrder   []int64
	nameSerial int
}

// addKid records a child the attack made.
func (w *world) addKid(k kid) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.kids[k.id]; !ok {
		w.kidOrder = append(w.kidOrder, k.id)
	}
	w.kids[k.id] = k
}

// kid returns a child the attack made.
func (w *world) kid(id int64) (kid, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k, ok := w.kids[id]
	return k, ok
}

// allKids lists the children the attack made, in the order it made them.
func (w *world) allKids() []kid {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]kid, len(w.kidOrder))
	for i, id := range w.kidOrder {
		out[i] = w.kids[id]
	}
	return out
}

// kid is a child the attack made.
type kid struct {
	id      int64
	name    string
	council string
}

// The attack's homes and children are near Manchester, whatever their council says: nothing
// ties a record's point to its council, and every hard constraint is met nearby.
const baseLat, baseLng = 53.4808, -2.2426

var (
	nameHeads = []string{"Zor", "Quen", "Vex", "Yav", "Thal", "Mirk", "Kest", "Ulv", "Brix", "Oph", "Dravn", "Syl"}
	nameMids  = []string{"a", "e", "i", "o", "u", "ae", "y"}
	nameTails = []string{"lindra", "marqu", "quistel", "dornix", "vexil", "rithon", "zelbe", "wynthe", "tharq", "pellix"}
)

// newName is a first name made for the attack, unlike any in the synthetic England or in the
// service's own words, so that finding it anywhere means it leaked.
func (w *world) newName(a *attack) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := a.rng(fmt.Sprintf("name %d", w.nameSerial))
	w.nameSerial++
	for {
		n := nameHeads[r.IntN(len(nameHeads))] + nameMids[r.IntN(len(nameMids))] + nameTails[r.IntN(len(nameTails))]
		n += string(rune('a' + w.nameSerial%26))
		clash := false
		for _, k := range w.kids {
			clash = clash || strings.Contains(k.name, n) || strings.Contains(n, k.name)
		}
		if !clash {
			return n
		}
	}
}

func (a *attack) date(days int) string { return a.today.AddDate(0, 0, days).Format(time.DateOnly) }

// childBody is a valid child of a council, 13, waiting, with a school, a contact and exclusion
// zones far from the attack's homes: every field the schema has is filled.
func (a *attack) childBody(council, name string) map[string]any {
	return a.childBodyAt(council, name, a.w.lat, a.w.lng)
}

// childBodyAt is childBody living at a point.
func (a *attack) childBodyAt(council, name string, lat, lng float64) map[string]any {
	loc := func(dlat, dlng float64) map[string]any {
		return map[string]any{"lat": lat + dlat, "lng": lng + dlng}
	}
	return map[string]any{
		"council": council, "case_ref": "ATTACK-" + name, "first_name": name,
		"date_of_birth": a.today.AddDate(-13, -6, -20).Format(time.DateOnly), "sex": "female",
		"ethnicity": "WBRI", "religion": "none", "first_language": "en", "communication": []string{"esol"},
		"legal_status": "care_order", "needs": []any{map[string]any{"kind": "trauma", "level": 2}},
		"risks_to_others": []string{}, "care_type": "family_foster", "purpose": "long_term",
		"needed_by": a.date(7), "home": loc(0, 0),
		"parents_considered": map[string]any{"on": a.date(-7), "why": "not_consistent_with_welfare", "reason": "A return home is not safe."},
		"school":             map[string]any{"name": "Oakfield Primary", "urn": "100001", "location": loc(-0.01, -0.01), "keep_planned": true},
		"contacts":           []any{map[string]any{"name": "Mum", "relationship": "mother", "location": loc(0.02, 0.01), "frequency": "weekly", "safe": true}},
		"exclusion_zones": []any{
			map[string]any{"shape": "circle", "reason": "a risk's home", "centre": loc(0.3, 0.3), "radius_km": 1},
			map[string]any{"shape": "polygon", "reason": "a hotspot", "vertices": []any{loc(-0.3, 0.3), loc(-0.31, 0.3), loc(-0.31, 0.31)}},
		},
		"living_companions": "no_preference", "pets": "can", "allergies": []string{}, "respiratory": false, "wheelchair": false,
		"wishes": map[string]any{"priorities": []string{"stay_at_school"}, "in_own_words": "I like drawing."},
	}
}

// homeBody is a valid foster home of provider prov in the attack's council, near its children.
func (a *attack) homeBody(prov int64, name string) map[string]any {
	return map[string]any{
		"kind": "agency_foster", "provider": prov, "name": name, "urn": "SC000001", "council": a.w.x, "area_name": "Attackton",
		"location": map[string]any{"lat": a.w.lat + 0.005, "lng": a.w.lng + 0.005},
		"approval": map[string]any{"min_age": 0, "max_age": 17, "sexes": []string{}, "max_children": 3,
			"purposes": []string{"emergency", "short_term", "long_term"}, "sibling_groups": true,
			"from": "2000-01-01", "until": "2099-12-31"},
		"household": map[string]any{"carers": []any{map[string]any{"first_name": "Grace"}},
			"members": []any{map[string]any{"first_name": "Jude", "age": 4, "sex": "male", "role": "carers_child"}},
			"pets":    []string{}, "smoking": false, "wheelchair_accessible": false},
		"skills": []string{"trauma_informed"}, "languages": []string{"en"}, "religion": "none", "ethnicity": "white",
		"experience": 5, "stability": map[string]any{"ended_planned": 2, "ended_unplanned": 0}, "ofsted": "good",
		"staying_put": true, "long_term": true, "weekly_cost": 820, "profile": "We love walks and board games.", "active": true,
	}
}

// newKid makes a child of a council through the caller's token.
func (a *attack) newKid(ctx context.Context, who, council string, mod func(map[string]any)) (kid, error) {
	k := kid{name: a.w.newName(a), council: council}
	body := a.childBody(council, k.name)
	if mod != nil {
		mod(body)
	}
	r, err := a.must(ctx, who, "POST", "/v1/children", body, 201)
	if err != nil {
		return k, err
	}
	k.id = idOf(r)
	a.w.addKid(k)
	return k, nil
}

// newHome makes a home of provider A with places available today, as the admin.
func (a *attack) newHome(ctx context.Context, name string, places int, mod func(map[string]any)) (int64, error) {
	body := a.homeBody(a.w.provA, name)
	if places > 3 {
		body["approval"].(map[string]any)["max_children"] = places
		body["approval"].(map[string]any)["exemption"] = "the council's exemption from the fostering limit"
	}
	if mod != nil {
		mod(body)
	}
	r, err := a.must(ctx, admin, "POST", "/v1/placements", body, 201)
	if err != nil {
		return 0, err
	}
	id := idOf(r)
	for range places {
		if _, err := a.must(ctx, admin, "POST", "/v1/placements/"+itoa(id)+"/vacancies", map[string]any{"available_from": a.date(0)}, 201); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// refer refers a child to a home, as the caller; it returns the referral's ID and version.
func (a *attack) refer(ctx context.Context, who string, child, home int64) (int64, int, error) {
	r, err := a.must(ctx, who, "POST", "/v1/children/"+itoa(child)+"/referrals", map[string]any{"placements": []int64{home}}, 201)
	if err != nil {
		return 0, 0, err
	}
	var sent struct {
		Items []struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		} `json:"items"`
	}
	if err := r.decode(&sent); err != nil || len(sent.Items) != 1 {
		return 0, 0, fmt.Errorf("referral of child %d: %v %s", child, err, r)
	}
	return sent.Items[0].ID, sent.Items[0].Version, nil
}

// offer makes an offer to a child naming homes, as the caller; it returns the offer's ID and
// version.
func (a *attack) offer(ctx context.Context, who string, child int64, homes ...int64) (int64, int, error) {
	// Only homes whose providers accepted a referral reach a child: refer the child to each
	// home, and have its provider accept (an administrator may answer for them).
	for _, h := range homes {
		ref, v, err := a.refer(ctx, who, child, h)
		if err != nil {
			return 0, 0, err
		}
		if _, err := a.must(ctx, admin, "POST", "/v1/referrals/"+itoa(ref)+"/response", map[string]any{"version": v,
			"outcome": "accepted", "impact_assessment": "attack: settles with the children here"}, 200); err != nil {
			return 0, 0, err
		}
	}
	body := map[string]any{"placements": homes}
	if len(homes) == 1 {
		body["one_choice_reason"] = "attack: one home only"
	}
	r, err := a.must(ctx, who, "POST", "/v1/children/"+itoa(child)+"/offers", body, 201)
	if err != nil {
		return 0, 0, err
	}
	var o struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	return o.ID, o.Version, r.decode(&o)
}

// accept accepts a home of an offer.
func (a *attack) accept(ctx context.Context, who string, offer int64, version int, home int64, key string) response {
	rq := request{method: "POST", path: "/v1/offers/" + itoa(offer) + "/decision", token: a.callers[who].token,
		body: jsonBody(map[string]any{"version": version, "outcome": "accepted", "placement": home, "reason": "attack: decided with the child in person"})}
	if key != "" {
		rq.header = map[string]string{"Idempotency-Key": key}
	}
	return a.c.do(ctx, rq)
}

// build makes the callers' tokens and the attack's records.
func (a *attack) build(ctx context.Context) error {
	w := &world{lat: baseLat, lng: baseLng, kids: map[int64]kid{}}
	a.w = w
	w.x = "E08000003" // Manchester, unless the tokens name an officer's council
	if tok := a.t.tokens["officer"]; tok != "" {
		r := a.c.do(ctx, request{method: "GET", path: "/v1/me", token: tok})
		var m struct{ Council string }
		if r.decode(&m) == nil && m.Council != "" {
			w.x = m.Council
		}
	}
	w.y = "E08000035" // Leeds
	if w.y == w.x {
		w.y = "E08000003"
	}
	for _, z := range []string{"E06000001", "E06000002", "E06000003"} {
		if z != w.x && z != w.y {
			w.z = z
			break
		}
	}
	// The providers, and today on the server's clock (from the first one's creation).
	r, err := a.must(ctx, admin, "POST", "/v1/providers", map[string]any{"name": "Attack Fostering A", "kind": "agency"}, 201)
	if err != nil {
		return err
	}
	var pa struct {
		ID        int64     `json:"id"`
		CreatedAt time.Time `json:"created_at"`
	}
	if err := r.decode(&pa); err != nil {
		return err
	}
	w.provA = pa.ID
	y, m, d := pa.CreatedAt.UTC().Date()
	a.today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if r, err = a.must(ctx, admin, "POST", "/v1/providers", map[string]any{"name": "Attack Fostering B", "kind": "agency"}, 201); err != nil {
		return err
	}
	w.provB = idOf(r)

	for _, spec := range []struct {
		name, role, council string
		prov                int64
	}{
		{officer, "officer", w.x, 0}, {otherOfficer, "officer", w.y, 0}, {commissioner, "commissioner", "", 0},
		{provider, "provider", "", w.provA}, {otherProvider, "provider", "", w.provB}, {revoked, "admin", "", 0},
	} {
		c, err := a.newToken(ctx, spec.name, spec.role, spec.council, spec.prov)
		if err != nil {
			return err
		}
		a.callers[spec.name] = c
	}
	rv := a.callers[revoked]
	if _, err := a.must(ctx, admin, "DELETE", "/v1/tokens/"+itoa(rv.tokenID), nil, 204); err != nil {
		return err
	}
	rv.role = ""

	// Homes.
	if w.home, err = a.newHome(ctx, "Attack household", 12, nil); err != nil {
		return err
	}
	if w.ownHome, err = a.newHome(ctx, "Attack own household", 1, nil); err != nil {
		return err
	}
	if w.untrained, err = a.newHome(ctx, "Attack untrained household", 1, func(b map[string]any) { b["skills"] = []string{} }); err != nil {
		return err
	}
	// Children, offers and what follows them.
	leak, err := a.newKid(ctx, officer, w.x, nil)
	if err != nil {
		return err
	}
	w.leakKid = leak.id
	if w.leakOffer, _, err = a.offer(ctx, officer, leak.id, w.home); err != nil {
		return err
	}
	other, err := a.newKid(ctx, otherOfficer, w.y, nil)
	if err != nil {
		return err
	}
	w.otherKid = other.id
	filler, err := a.newKid(ctx, officer, w.x, nil)
	if err != nil {
		return err
	}
	w.filler = filler.id
	o, v, err := a.offer(ctx, officer, filler.id, w.home)
	if err != nil {
		return err
	}
	if r := a.accept(ctx, officer, o, v, w.home, ""); r.status != 200 {
		return fmt.Errorf("accepting the filler's offer: %s", r)
	}
	trained, err := a.newKid(ctx, officer, w.x, nil)
	if err != nil {
		return err
	}
	if o, v, err = a.offer(ctx, officer, trained.id, w.untrained); err != nil {
		return err
	}
	r = a.accept(ctx, officer, o, v, w.untrained, "")
	var dec struct {
		Decision struct {
			SupportPlans []int64 `json:"support_plans"`
		} `json:"decision"`
	}
	if err := r.decode(&dec); err != nil || r.status != 200 || len(dec.Decision.SupportPlans) == 0 {
		return fmt.Errorf("accepting a home without skills made no support plan: %s", r)
	}
	w.plan = dec.Decision.SupportPlans[0]

	mk, err := a.newKid(ctx, officer, w.x, nil)
	if err != nil {
		return err
	}
	w.matrixKid = mk.id
	if _, err := a.must(ctx, officer, "POST", "/v1/children/"+itoa(mk.id)+"/episodes",
		map[string]any{"start": a.date(-300), "placement": w.home}, 201); err != nil {
		return err
	}
	r, err = a.must(ctx, officer, "POST", "/v1/children/"+itoa(mk.id)+"/moves", map[string]any{"on": a.date(-100), "reason": "CREQB",
		"note": "The carers gave notice.", "next": map[string]any{"setting": "council_foster", "distance_km": 4.5, "placed_in": w.x}}, 201)
	if err != nil {
		return err
	}
	var moved struct {
		Review struct {
			ID int64 `json:"id"`
		} `json:"review"`
	}
	if err := r.decode(&moved); err != nil || moved.Review.ID == 0 {
		return fmt.Errorf("an unplanned move made no review: %s", r)
	}
	w.review = moved.Review.ID
	if r, err = a.must(ctx, officer, "POST", "/v1/sibling-groups", map[string]any{"council": w.x, "plan": "together"}, 201); err != nil {
		return err
	}
	w.group = idOf(r)
	if w.run, err = a.matchRun(ctx); err != nil {
		return err
	}
	a.logf("records made: council %s, other %s, home %d, leak child %d (offer %d), run %d", w.x, w.y, w.home, w.leakKid, w.leakOffer, w.run)
	return nil
}

// matchRun starts a match run of the attack's council and waits for it to end.
func (a *attack) matchRun(ctx context.Context) (int64, error) {
	r, err := a.must(ctx, officer, "POST", "/v1/match-runs", map[string]any{"council": a.w.x}, 202)
	if err != nil {
		return 0, err
	}
	id := idOf(r)
	for range 600 {
		r := a.as(ctx, officer, "GET", "/v1/match-runs/"+itoa(id), nil)
		var run struct{ Status string }
		if err := r.decode(&run); err != nil {
			return 0, err
		}
		switch run.Status {
		case "succeeded":
			return id, nil
		case "failed":
			return 0, fmt.Errorf("match run %d failed", id)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return 0, fmt.Errorf("match run %d did not end in two minutes", id)
}
