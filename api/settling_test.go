package api_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// settlingHold places Zara, of Manchester, in a new home of the fixture's provider under an
// offer whose back-up is another of its homes: the move asks for the back-up to be held. When
// agreed, the provider has agreed (version 2).
func (f *fixture) settlingHold(agreed bool) catalogue.SettlingHold {
	f.t.Helper()
	ctx := context.Background()
	if page, err := f.store.ListSettlingHolds(ctx, catalogue.Everything, catalogue.SettlingFilter{}); err == nil && len(page.Items) > 0 {
		return page.Items[0] // a fixture shared by several routes
	}
	zara, err := f.store.CreateChild(ctx, catalogue.Everything, childIn(manchester, "Zara"))
	if err != nil {
		f.t.Fatal(err)
	}
	home := f.addHome("Okafor household", 53.47, -2.25, 1, nil)
	backup := f.addHome("Byrne household", 53.46, -2.24, 1, nil)
	o, err := f.store.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: zara.ID, Options: []catalogue.Option{
		{Rank: 1, Role: catalogue.RoleChoice, Placement: home.ID, Score: 0.6, Quality: 0.6, SchoolKm: -1},
		{Rank: 2, Role: catalogue.RoleBackup, Placement: backup.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err == nil {
		o, err = f.store.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: home.ID, Reason: "The offer was not sent: an emergency."})
	}
	if err == nil {
		_, err = f.store.MarkPlaced(ctx, catalogue.Everything, o.ID, o.Version, catalogue.Arrival{On: f.store.Now()})
	}
	if err != nil {
		f.t.Fatal(err)
	}
	page, err := f.store.ListSettlingHolds(ctx, catalogue.Everything, catalogue.SettlingFilter{Child: zara.ID})
	if err != nil || len(page.Items) != 1 {
		f.t.Fatalf("holds %+v, %v", page, err)
	}
	h := page.Items[0]
	if agreed {
		if h, err = f.store.AnswerSettlingHold(ctx, catalogue.Scope{Provider: f.provider.ID}, h.ID, h.Version, catalogue.SettlingAnswer{Agree: true, WeeklyRetainer: 75}); err != nil {
			f.t.Fatal(err)
		}
	}
	return h
}

type settlingBody struct {
	ID             int64   `json:"id"`
	Child          int64   `json:"child"`
	Placement      int64   `json:"placement"`
	Status         string  `json:"status"`
	Weeks          int     `json:"weeks"`
	Ends           string  `json:"ends"`
	WeeklyRetainer int     `json:"weekly_retainer"`
	Held           []int64 `json:"held"`
	NewOffer       int64   `json:"new_offer"`
	Version        int     `json:"version"`
}

// TestSettlingHoldsOverTheAPI: the back-up's provider answers the hold a move asked for, with
// its retainer; the officer offers the held back-up as a new offer of that one home; bad input
// is 400 naming the field, with nothing changed; a stale version or a hold no longer agreed is
// 409.
func TestSettlingHoldsOverTheAPI(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	h := f.settlingHold(false)
	path := "/v1/settling-holds/" + h.ID.String()

	var got settlingBody
	r := f.do("provider", "GET", path, nil)
	f.want(r, 200)
	r.json(t, &got)
	if got.Status != "requested" || got.Weeks != 4 || got.Ends != catalogue.Day(f.store.Now()).AddDate(0, 0, 28).Format("2006-01-02") {
		t.Fatalf("the hold asked for: %+v", got)
	}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no answer", map[string]any{"version": 1}, "agree"},
		{"a negative retainer", map[string]any{"version": 1, "agree": true, "weekly_retainer": -5}, "weekly_retainer"},
		{"a retainer with a refusal", map[string]any{"version": 1, "agree": false, "weekly_retainer": 50}, "weekly_retainer"},
		{"a retainer in words", map[string]any{"version": 1, "agree": true, "weekly_retainer": "fifty"}, "weekly_retainer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblemFields(t, f.do("provider", "POST", path+"/answer", tc.body), tc.field)
		})
	}
	f.want(f.do("provider", "POST", path+"/answer", map[string]any{"version": 9, "agree": true}), 409)
	// Not agreed yet: nothing to offer.
	f.want(f.do("officer", "POST", path+"/offer", map[string]any{"version": 1, "reason": "Not safe."}), 409)

	// Asked, not agreed: the back-up is still a vacancy, among Amy's options; held, it is not.
	inAmysOptions := func() bool {
		t.Helper()
		r := f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", map[string]any{"limit": 20})
		f.want(r, 200)
		var opts struct {
			Options []struct {
				Placement struct {
					ID int64 `json:"id"`
				} `json:"placement"`
			} `json:"options"`
		}
		r.json(t, &opts)
		for _, o := range opts.Options {
			if o.Placement.ID == got.Placement {
				return true
			}
		}
		return false
	}
	if !inAmysOptions() {
		t.Fatal("the back-up asked to be held is not among Amy's options: the test cannot tell")
	}
	r = f.do("provider", "POST", path+"/answer", map[string]any{"version": 1, "agree": true, "weekly_retainer": 120, "note": "Room kept."})
	f.want(r, 200)
	r.json(t, &got)
	if got.Status != "agreed" || got.WeeklyRetainer != 120 || len(got.Held) != 1 || got.Version != 2 {
		t.Fatalf("agreed: %+v", got)
	}
	if inAmysOptions() {
		t.Error("the back-up held for Zara is offered to Amy: a held place is not a vacancy")
	}
	wantProblemFields(t, f.do("officer", "POST", path+"/offer", map[string]any{"version": 2, "reason": " "}), "reason")
	wantProblemFields(t, f.do("officer", "POST", path+"/release", map[string]any{"version": 2}), "reason")
	f.want(f.do("leedsOfficer", "POST", path+"/offer", map[string]any{"version": 2, "reason": "Not safe."}), 404)

	r = f.do("officer", "POST", path+"/offer", map[string]any{"version": 2, "reason": "Her check-ins say she does not feel safe."})
	f.want(r, 201)
	var made struct {
		Offer struct {
			ID              int64  `json:"id"`
			Child           int64  `json:"child"`
			Status          string `json:"status"`
			OneChoiceReason string `json:"one_choice_reason"`
			Options         []struct {
				Placement struct {
					ID int64 `json:"id"`
				} `json:"placement"`
				Role string `json:"role"`
			} `json:"options"`
		} `json:"offer"`
		Hold settlingBody `json:"hold"`
	}
	r.json(t, &made)
	if made.Offer.Child != got.Child || made.Offer.Status != "proposed" || len(made.Offer.Options) != 1 ||
		made.Offer.Options[0].Placement.ID != got.Placement || made.Hold.Status != "offered" || made.Hold.NewOffer != made.Offer.ID {
		t.Fatalf("offered: %+v", made)
	}
	if loc := r.header.Get("Location"); loc != "/v1/offers/"+catalogue.OfferID(made.Offer.ID).String() {
		t.Errorf("Location %q", loc)
	}
	// The place stays held, now for the offer; the hold cannot be offered or ended again.
	f.want(f.do("officer", "POST", path+"/offer", map[string]any{"version": made.Hold.Version, "reason": "Again."}), 409)
	f.want(f.do("officer", "POST", path+"/release", map[string]any{"version": made.Hold.Version, "reason": "Settled."}), 409)
	v := f.read("/v1/vacancies/" + catalogue.VacancyID(got.Held[0]).String())
	if v["status"] != "held" || v["child"] != float64(got.Child) {
		t.Errorf("the back-up's place after the offer: %v", v)
	}
}

// TestSettlingWeeksOverTheAPI: the policy API shows the settling period (4 weeks by default),
// sets it from 0 (no hold) to 12, and refuses anything else with 400 naming settling_weeks,
// saving nothing.
func TestSettlingWeeksOverTheAPI(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	policy := "/v1/policy?council=" + string(manchester)
	cur := f.read(policy)
	if cur["settling_weeks"] != float64(4) {
		t.Fatalf("settling_weeks %v, want 4 by default", cur["settling_weeks"])
	}
	for _, bad := range []any{13, -1, "four", 2.5} {
		r := f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(manchester), "version": cur["version"], "settling_weeks": bad, "note": "Try."})
		wantProblemFields(t, r, "settling_weeks")
	}
	if f.read(policy)["version"] != cur["version"] {
		t.Fatal("a refused change was saved")
	}
	f.want(f.do("admin", "PUT", "/v1/policy", map[string]any{"council": string(manchester), "version": cur["version"], "settling_weeks": 0, "note": "No holds."}), 200)
	if got := f.read(policy)["settling_weeks"]; got != float64(0) {
		t.Errorf("settling_weeks %v after setting none, want 0", got)
	}
}
