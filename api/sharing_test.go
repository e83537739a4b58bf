package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// sharing stores an agreement between Manchester and Leeds, for the routes that read one.
func (f *fixture) sharing() catalogue.SharingAgreement {
	f.t.Helper()
	a, err := f.store.CreateSharingAgreement(context.Background(), catalogue.SharingAgreement{Name: "Matrix pool",
		Kind: catalogue.SharingRegionalPool, Members: []catalogue.CouncilCode{manchester, leeds},
		Kinds: []catalogue.PlacementKind{catalogue.CouncilFoster}, From: today})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// TestSharingAgreementsReachOptions: another council's own carers are not among a child's
// options until an administrator records a sharing agreement; then they are, and the reason
// says so; once it is ended they are not again. Officers and commissioners read agreements,
// providers do not, and bad input is a 400 naming each field.
func TestSharingAgreementsReachOptions(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	leedsCouncil, err := f.store.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering Service", Kind: catalogue.ProviderCouncil, Council: leeds})
	if err != nil {
		t.Fatal(err)
	}
	theirs := f.addHome("Okafor household", 53.47, -2.25, 1, func(p *catalogue.Placement) { p.Provider = leedsCouncil.ID })

	offered := func() (bool, string, string) {
		t.Helper()
		r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", map[string]any{"limit": 10})
		f.want(r, 200)
		var b optionsBody
		r.json(t, &b)
		for _, o := range b.Options {
			if o.Placement.ID == int64(theirs.ID) {
				for _, fs := range o.Factors {
					if fs.Factor == "home_area" {
						return true, fs.Reason, string(r.body)
					}
				}
			}
		}
		return false, "", string(r.body)
	}
	if ok, _, body := offered(); ok || !strings.Contains(body, `"own_carers"`) {
		t.Fatalf("Leeds's own carers offered to a Manchester child with no agreement, or not counted: %s", body)
	}

	pool := map[string]any{"name": "North West and Yorkshire pool", "kind": "regional_pool",
		"members": []any{string(manchester), string(leeds)}, "kinds": []any{"council_foster"}, "from": today.AddDate(0, -1, 0).Format("2006-01-02")}
	for _, who := range []string{"officer", "commissioner", "provider"} {
		if r := f.do(who, "POST", "/v1/sharing-agreements", pool); r.status != 403 {
			t.Errorf("%s creating an agreement: %d", who, r.status)
		}
	}
	r := f.do("admin", "POST", "/v1/sharing-agreements", pool)
	f.want(r, 201)
	var a struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
		InForce bool  `json:"in_force"`
	}
	r.json(t, &a)
	if !a.InForce {
		t.Errorf("not in force: %s", r.body)
	}
	ok, reason, body := offered()
	if !ok || !strings.Contains(reason, "Shared with Leeds through the North West and Yorkshire pool.") {
		t.Fatalf("with the agreement: offered %v, reason %q: %s", ok, reason, body)
	}
	for who, want := range map[string]int{"officer": 200, "commissioner": 200, "provider": 403, "admin": 200} {
		if r := f.do(who, "GET", "/v1/sharing-agreements?in_force=true&council="+string(leeds), nil); r.status != want {
			t.Errorf("%s listing agreements: %d, want %d", who, r.status, want)
		}
	}

	// Ended yesterday: no longer in force on the day of the move.
	r = f.do("admin", "POST", "/v1/sharing-agreements/"+strconv.FormatInt(a.ID, 10)+"/end",
		map[string]any{"version": a.Version, "on": today.AddDate(0, 0, -1).Format("2006-01-02")})
	f.want(r, 200)
	if ok, _, body := offered(); ok {
		t.Fatalf("offered after the agreement ended: %s", body)
	}

	for _, tt := range []struct {
		body   map[string]any
		fields []string
	}{
		{map[string]any{"kind": "council_to_council", "members": []any{string(leeds)}, "kinds": []any{"kinship"}, "from": "2026-02-30"},
			[]string{"name", "from", "members", "kinds[0]"}},
		{map[string]any{"name": "x", "kind": "regional_pool", "members": []any{string(leeds), "E99"}, "one_way": true,
			"kinds": []any{"council_foster"}, "from": "2026-01-01", "to": "2025-01-01"}, []string{"members[1]", "one_way", "to"}},
	} {
		r := f.do("admin", "POST", "/v1/sharing-agreements", tt.body)
		f.want(r, 400)
		for _, field := range tt.fields {
			if !names(r.problem(t), field) {
				t.Errorf("%v: does not name %s: %s", tt.body, field, r.body)
			}
		}
	}
}
