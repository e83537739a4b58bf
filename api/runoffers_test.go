package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestOffersFromAMatchRun: a succeeded run's homes become each child's offer, as choices, with
// the run named; a second call skips children whose offer is open; a run still running is
// refused.
func TestOffersFromAMatchRun(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	other := f.addHome("Patel household", 53.47, -2.26, 1, nil)
	run, err := f.store.CreateMatchRun(ctx, catalogue.MatchRun{Council: manchester, Policy: 1})
	if err != nil {
		t.Fatal(err)
	}
	run.Children, run.Offered = 1, 1
	if err := f.store.CompleteMatchRun(ctx, run, []catalogue.RunResult{{Run: run.ID, Child: f.amy.ID, Council: manchester, NeededBy: today,
		Suitable: 2, Complete: true, Offers: []catalogue.RunOffer{
			{Role: "primary", Placement: f.place.ID, Score: 0.7, Quality: 0.7, HomeKm: 4, SchoolKm: 2,
				Factors: []catalogue.FactorScore{{Factor: catalogue.FactorSchool, Weight: 0.14, Score: 1, Reason: "Close to school."}}},
			{Role: "backup", Placement: other.ID, Score: 0.6, Quality: 0.6, HomeKm: 3, SchoolKm: 1,
				Factors: []catalogue.FactorScore{{Factor: catalogue.FactorSchool, Weight: 0.14, Score: 1, Reason: "Close to school."}}},
		}}}); err != nil {
		t.Fatal(err)
	}
	path := "/v1/match-runs/" + run.ID.String() + "/offers"
	f.want(f.do("leedsOfficer", "POST", path, nil), 404)
	r := f.do("officer", "POST", path, nil)
	f.want(r, 201)
	var res struct {
		Created []struct{ Child, Offer int64 }
		Skipped []struct {
			Child  int64
			Reason string
		}
	}
	r.json(t, &res)
	if len(res.Created) != 1 || res.Created[0].Child != int64(f.amy.ID) || len(res.Skipped) != 0 {
		t.Fatalf("offers from the run: %s", r.body)
	}
	o, err := f.store.Offer(ctx, catalogue.Everything, catalogue.OfferID(res.Created[0].Offer))
	if err != nil {
		t.Fatal(err)
	}
	if o.Run != run.ID || len(o.Choices()) != 2 || o.Options[0].Placement != f.place.ID || o.Options[1].Placement != other.ID {
		t.Errorf("offer %+v", o)
	}
	// Again: Amy's offer is open.
	r = f.do("officer", "POST", path, nil)
	f.want(r, 201)
	r.json(t, &res)
	if len(res.Created) != 0 || len(res.Skipped) != 1 {
		t.Errorf("second call: %s", r.body)
	}
	// A run not finished.
	running, err := f.store.CreateMatchRun(ctx, catalogue.MatchRun{Council: manchester})
	if err != nil {
		t.Fatal(err)
	}
	f.want(f.do("officer", "POST", "/v1/match-runs/"+running.ID.String()+"/offers", nil), 409)
}

// TestOffersFromARunCheckedAgain: offers from a run carry the distances to school and to the
// people in the contact plan, and a back-up the run gave nobody; a child placed since the run and
// a child whom a home of the run can no longer take (its place withdrawn since) are skipped,
// saying why, and the others' offers are made together (issue 15).
func TestOffersFromARunCheckedAgain(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	patel := f.addHome("Patel household", 53.47, -2.26, 1, nil)
	smith := f.addHome("Smith household", 53.49, -2.22, 1, nil)
	shut := f.addHome("Closing household", 53.46, -2.21, 1, nil)
	jones := f.addHome("Jones household", 53.48, -2.25, 1, nil) // in nobody's run offers: a back-up
	amy := f.amy
	amy.Contacts = []catalogue.Contact{{Name: "Mum", Relationship: catalogue.RelMother, Location: catalogue.Location{Lat: 53.44, Lng: -2.23},
		Frequency: catalogue.FreqWeekly, Type: catalogue.ContactDirect}}
	amy, err := f.store.UpdateChild(ctx, catalogue.Everything, amy)
	if err != nil {
		t.Fatal(err)
	}
	cara, err := f.store.CreateChild(ctx, catalogue.Everything, childOn(f.today, manchester, "Cara"))
	if err != nil {
		t.Fatal(err)
	}
	dan, err := f.store.CreateChild(ctx, catalogue.Everything, childOn(f.today, manchester, "Dan"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.store.CreateMatchRun(ctx, catalogue.MatchRun{Council: manchester, Policy: 1})
	if err != nil {
		t.Fatal(err)
	}
	offers := func(homes ...catalogue.Placement) []catalogue.RunOffer {
		var out []catalogue.RunOffer
		for i, h := range homes {
			role := "primary"
			if i > 0 {
				role = "backup"
			}
			out = append(out, catalogue.RunOffer{Role: role, Placement: h.ID, Score: 0.5, Quality: 0.5, HomeKm: 3, SchoolKm: 2})
		}
		return out
	}
	result := func(c catalogue.Child, homes ...catalogue.Placement) catalogue.RunResult {
		return catalogue.RunResult{Run: run.ID, Child: c.ID, Council: manchester, NeededBy: f.today, Suitable: 2, Complete: true, Offers: offers(homes...)}
	}
	run.Children, run.Offered = 3, 3
	if err := f.store.CompleteMatchRun(ctx, run, []catalogue.RunResult{result(amy, f.place, patel), result(cara, patel, smith), result(dan, smith, shut)}); err != nil {
		t.Fatal(err)
	}
	// Since the run: Cara has been placed elsewhere, and the closing home's place withdrawn.
	cara.Status = catalogue.ChildPlaced
	if _, err := f.store.UpdateChild(ctx, catalogue.Everything, cara); err != nil {
		t.Fatal(err)
	}
	v := shut.Vacancies[0]
	v.Status = catalogue.VacancyWithdrawn
	if _, err := f.store.UpdateVacancy(ctx, catalogue.Everything, v); err != nil {
		t.Fatal(err)
	}

	// The Jones household's provider agreed to take Amy too: her back-up. (do makes the
	// providers of the run's homes agree; the closing home has no place left to hold for Dan.)
	f.agree(catalogue.WithActor(ctx, catalogue.Actor{Role: catalogue.RoleAdmin}), amy.ID, nil, []catalogue.PlacementID{jones.ID})
	r := f.do("officer", "POST", "/v1/match-runs/"+run.ID.String()+"/offers", nil)
	f.want(r, 201)
	var res struct {
		Created []struct{ Child, Offer int64 }
		Skipped []struct {
			Child  int64
			Reason string
		}
	}
	r.json(t, &res)
	if len(res.Created) != 1 || res.Created[0].Child != int64(amy.ID) {
		t.Fatalf("made %+v, want Amy's alone: %s", res.Created, r.body)
	}
	why := map[int64]string{}
	for _, k := range res.Skipped {
		why[k.Child] = k.Reason
	}
	if !strings.Contains(why[int64(cara.ID)], "placed") || !strings.Contains(why[int64(dan.ID)], "has not accepted") {
		t.Errorf("skipped %+v: Cara should be placed since the run, Dan's home no longer free", res.Skipped)
	}
	o, err := f.store.Offer(ctx, catalogue.Everything, catalogue.OfferID(res.Created[0].Offer))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Choices()) != 2 || o.Options[0].Placement != f.place.ID || o.Options[1].Placement != patel.ID {
		t.Fatalf("Amy's choices %+v, want the run's two homes", o.Options)
	}
	backs := o.Backups()
	if len(backs) != 1 || backs[0].Placement != jones.ID {
		t.Errorf("Amy's back-up %+v: want the Jones household, the one home the run gave nobody", backs)
	}
	for _, op := range o.Options {
		if len(op.ContactKm) != 1 || op.ContactKm[0] <= 0 || op.SchoolKm <= 0 || len(op.Factors) == 0 {
			t.Errorf("option %d carries no distances or reasons: contacts %v, school %v, %d factors", op.Placement, op.ContactKm, op.SchoolKm, len(op.Factors))
		}
	}
}
