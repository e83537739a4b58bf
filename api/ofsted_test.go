package api_test

import (
	"testing"
)

// TestSupportedOutcomeIsTheAdministrators: supported accommodation carries Ofsted's
// three-outcome judgement of its provider, set by an administrator only (403 naming the field
// for a provider), and never the four-point grade; a rating of the wrong model for the kind is
// 400 naming its field, and nothing is written.
func TestSupportedOutcomeIsTheAdministrators(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	body := func() map[string]any {
		return map[string]any{
			"kind": "supported_accommodation", "provider": int64(f.provider.ID), "name": "Canal Side Flats", "council": "E08000003",
			"area_name": "Ancoats", "location": map[string]any{"lat": 53.48, "lng": -2.22}, "urn": "2773009",
			"approval":     map[string]any{"min_age": 16, "max_age": 17, "max_children": 4, "purposes": []string{"long_term"}},
			"registration": "registered", "weekly_cost": 1400, "ofsted_outcome": "inconsistent",
		}
	}
	for _, tc := range []struct {
		name  string
		edit  func(b map[string]any)
		field string
	}{
		{"a supported setting with a grade", func(b map[string]any) { b["ofsted"] = "good" }, "ofsted"},
		{"a supported setting with an unknown outcome", func(b map[string]any) { b["ofsted_outcome"] = "good" }, "ofsted_outcome"},
		{"a children's home with an outcome", func(b map[string]any) {
			b["kind"], b["approval"] = "childrens_home", map[string]any{"min_age": 8, "max_age": 17, "max_children": 4, "purposes": []string{"long_term"}}
		}, "ofsted_outcome"},
	} {
		b := body()
		tc.edit(b)
		r := f.do("admin", "POST", "/v1/placements", b)
		f.want(r, 400)
		if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: %+v, want one error naming %s", tc.name, p, tc.field)
		}
	}
	r := f.do("admin", "POST", "/v1/placements", body())
	f.want(r, 201)
	path := r.header.Get("Location")
	home := f.read(path)
	if home["ofsted_outcome"] != "inconsistent" || home["ofsted"] != nil {
		t.Fatalf("stored: ofsted_outcome %v, ofsted %v", home["ofsted_outcome"], home["ofsted"])
	}
	home["ofsted_outcome"] = "consistently_strong"
	f.refused(f.do("provider", "PUT", path, home), 403, path, f.read(path), "ofsted_outcome")
	home["ofsted_outcome"] = "serious_weaknesses"
	f.want(f.do("admin", "PUT", path, home), 200)
	if got := f.read(path); got["ofsted_outcome"] != "serious_weaknesses" {
		t.Errorf("after the administrator's change: %v", got["ofsted_outcome"])
	}
}
