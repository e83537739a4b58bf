package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
)

// TestSweepTickerExpiresAndRemindsByTheClock: serve's ticker sweeps referrals on its interval by
// the service's one clock, not the wall's: while the clock stands still nothing happens however
// often it ticks; moved to within the hour of the deadline, the provider is reminded once;
// moved past it, the referral expires and the provider, the team and the worker are told; the
// loop returns when its context ends.
func TestSweepTickerExpiresAndRemindsByTheClock(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := t.Context()
		clock := sqltest.Clock(t, st)
		r := referOne(t, st)
		engine, err := matcher.NewEngine(ctx, st, matcher.Options{Now: clock.Clock()})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := casework.New(casework.Config{Store: st, Matcher: engine, Now: clock.Clock()})
		if err != nil {
			t.Fatal(err)
		}
		sweeps := make(chan struct{}, 1000)
		sweep := func(ctx context.Context) error {
			err := svc.Sweep(ctx)
			sweeps <- struct{}{}
			return err
		}
		lctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			sweepEvery(lctx, sweep, 2*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
			close(done)
		}()
		waitSweeps := func(n int) {
			t.Helper()
			for range n {
				select {
				case <-sweeps:
				case <-time.After(10 * time.Second):
					t.Fatal("the ticker does not sweep")
				}
			}
		}
		// settle waits for a sweep that began after the clock was last set: those already done
		// are drained, and of the next two at least the second began after.
		settle := func() {
			t.Helper()
			for len(sweeps) > 0 {
				<-sweeps
			}
			waitSweeps(2)
		}
		kinds := func() map[catalogue.NotificationKind]int {
			ns, err := st.ListNotifications(ctx, catalogue.Everything, catalogue.NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[catalogue.NotificationKind]int{}
			for _, n := range ns.Items {
				out[n.Kind]++
			}
			return out
		}
		waitSweeps(5)
		if k := kinds(); k[catalogue.NotifyDeadlineNear] != 0 || k[catalogue.NotifyReferralExpired] != 0 {
			t.Fatalf("with the clock still: %v", k)
		}
		clock.Set(r.Deadline.Add(-30 * time.Minute))
		settle()
		if k := kinds(); k[catalogue.NotifyDeadlineNear] != 1 || k[catalogue.NotifyReferralExpired] != 0 {
			t.Fatalf("half an hour before the deadline: %v, want one reminder", k)
		}
		clock.Set(r.Deadline)
		settle()
		got, err := st.Referral(ctx, catalogue.Everything, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if k := kinds(); got.Status != catalogue.ReferralExpired || k[catalogue.NotifyReferralExpired] != 3 || k[catalogue.NotifyDeadlineNear] != 1 {
			t.Fatalf("at the deadline: referral %s, notifications %v; want expired, told to 3", got.Status, k)
		}
		stop()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the ticker does not stop with its context")
		}
	})
}

// referOne refers a child of Manchester, with an allocated social worker, to a home with a
// place, 48 hours to answer.
func referOne(t *testing.T, st *sqlstore.Store) catalogue.Referral {
	t.Helper()
	ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleAdmin})
	const council = catalogue.CouncilCode("E08000003")
	at := func(lat, lng float64) catalogue.Location { return catalogue.Location{Lat: lat, Lng: lng} }
	prov, err := st.CreateProvider(ctx, catalogue.Provider{Name: "Sweeping", Kind: catalogue.ProviderAgency, URN: "SC000001"})
	if err != nil {
		t.Fatal(err)
	}
	home, err := st.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{Kind: catalogue.ChildrensHome, Provider: prov.ID,
		Name: "Hollybank House", Council: council, AreaName: "Town", URN: "SC654321", Registration: catalogue.Registered,
		Location: at(53.47, -2.24), Active: true,
		Approval: catalogue.Approval{MinAge: 8, MaxAge: 17, MaxChildren: 4, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: home.ID, AvailableFrom: sqltest.Epoch,
		Status: catalogue.VacancyAvailable}); err != nil {
		t.Fatal(err)
	}
	ch, err := st.CreateChild(ctx, catalogue.Everything, catalogue.Child{Council: council, FirstName: "Sam",
		DateOfBirth: time.Date(2010, time.June, 30, 0, 0, 0, 0, time.UTC), Sex: catalogue.Male, Ethnicity: "WBRI",
		Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalSection20, CareType: catalogue.CareEither,
		Purpose: catalogue.PurposeShortTerm, NeededBy: sqltest.Epoch, Home: at(53.48, -2.24), Companions: catalogue.CompanionsNoPreference,
		Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetAllocation(ctx, catalogue.Everything, catalogue.Allocation{Child: ch.ID, SocialWorker: "Jo Bloggs",
		Team: "Placements", Email: "jo@manchester.example.gov.uk"}); err != nil {
		t.Fatal(err)
	}
	rs, err := st.CreateReferrals(ctx, catalogue.Everything, []catalogue.Referral{{Child: ch.ID, Placement: home.ID,
		Deadline: st.Now().Add(catalogue.ResponseWindow(false))}})
	if err != nil {
		t.Fatal(err)
	}
	return rs[0]
}
