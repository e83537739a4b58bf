package casework_test

import (
	"context"
	"errors"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestSignOffQueueAndChildAudit, on both stores: the queue of a council lists what an open
// offer's homes need and nobody has given (a home above the cost threshold: high_cost), with
// the child and the home; another council's queue is empty; a withdrawn offer leaves the queue.
// A child's audit trail lists the entries about their record only, in scope; outside it, the
// child is not found.
func TestSignOffQueueAndChildAudit(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		today := sqltest.Epoch
		day := catalogue.Day(today)
		prov, err := s.CreateProvider(ctx, catalogue.Provider{Name: "Leeds Fostering", Kind: catalogue.ProviderCouncil, Council: leeds})
		if err != nil {
			t.Fatal(err)
		}
		child, err := s.CreateChild(ctx, catalogue.Everything, catalogue.Child{
			Council: leeds, FirstName: "Jade", DateOfBirth: today.AddDate(-13, -6, 0), Sex: catalogue.Female,
			Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
			CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: day.AddDate(0, 0, 7),
			Home: catalogue.Location{Lat: 53.80, Lng: -1.55}, Companions: catalogue.CompanionsNoPreference,
			Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting, ParentsConsidered: considered(day)})
		if err != nil {
			t.Fatal(err)
		}
		home := func(name string, cost int) catalogue.PlacementID {
			p, err := s.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{
				Kind: catalogue.CouncilFoster, Provider: prov.ID, Name: name, Council: leeds, AreaName: "Leeds",
				Location: catalogue.Location{Lat: 53.81, Lng: -1.55},
				Approval: catalogue.Approval{MinAge: 0, MaxAge: 25, MaxChildren: 3, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
					From: day.AddDate(0, -6, 0), Until: day.AddDate(0, 6, 0)},
				Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Sam"}}},
				WeeklyCost: cost, Active: true, LongTerm: true, Experience: 5})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		dear, cheap := home("Dear home", catalogue.MaxSignOffWeeklyCost), home("Cheap home", 650)
		offer, err := s.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: child.ID, OneChoiceReason: "Only two homes.", Options: []catalogue.Option{
			{Rank: 1, Role: catalogue.RoleChoice, Placement: dear, Score: 0.5, Quality: 0.5, SchoolKm: -1},
			{Rank: 2, Role: catalogue.RoleChoice, Placement: cheap, Score: 0.4, Quality: 0.4, SchoolKm: -1}}})
		if err != nil {
			t.Fatal(err)
		}
		svc := serviceOn(t, s, today)
		leedsScope, elsewhere := catalogue.Scope{Council: leeds}, catalogue.Scope{Council: "E08000003"}

		q, err := svc.SignOffQueue(ctx, leedsScope)
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != 1 || q[0].Need.Kind != catalogue.SignOffHighCost || q[0].Placement.ID != dear || q[0].Child.ID != child.ID || q[0].Offer.ID != offer.ID {
			t.Fatalf("Leeds's queue = %+v, want the dear home's high_cost sign-off", q)
		}
		if q, err := svc.SignOffQueue(ctx, elsewhere); err != nil || len(q) != 0 {
			t.Errorf("another council's queue = %d items (%v), want none", len(q), err)
		}
		if _, err := s.WithdrawOffer(ctx, catalogue.Everything, offer.ID, offer.Version, "The plan changed."); err != nil {
			t.Fatal(err)
		}
		if q, err := svc.SignOffQueue(ctx, leedsScope); err != nil || len(q) != 0 {
			t.Errorf("after the offer was withdrawn, the queue = %d items (%v), want none", len(q), err)
		}

		for _, subject := range []string{"child:" + child.ID.String(), "child:" + child.ID.String() + "0", "placement:1"} {
			if err := s.AppendAudit(ctx, catalogue.AuditEntry{At: today, Role: catalogue.RoleManager, Action: "read", Subject: subject, Council: leeds}); err != nil {
				t.Fatal(err)
			}
		}
		got, page, err := svc.ChildAudit(ctx, leedsScope, child.ID, 0)
		if err != nil || got.ID != child.ID {
			t.Fatalf("ChildAudit: %v", err)
		}
		for _, e := range page.Items {
			if e.Subject != "child:"+child.ID.String() {
				t.Errorf("the child's audit trail holds %q", e.Subject)
			}
		}
		if len(page.Items) == 0 {
			t.Error("the child's audit trail is empty")
		}
		if _, _, err := svc.ChildAudit(ctx, elsewhere, child.ID, 0); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("another council's ChildAudit: %v, want ErrNotFound", err)
		}
	})
}
