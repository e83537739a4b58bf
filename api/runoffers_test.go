package api_test

import (
	"context"
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
