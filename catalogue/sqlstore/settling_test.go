package sqlstore_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// settlingWorld is a child placed under an offer whose back-up is backup (one place), with
// the hold the move asked for.
type settlingWorld struct {
	signOffWorld
	placed   catalogue.Offer
	backup   catalogue.Placement
	provider catalogue.Scope // the back-up's provider
	hold     catalogue.SettlingHold
}

// placeUnder makes an offer of two homes and a back-up to a new child, accepts the first and
// marks it placed today; it returns the offer and the holds the move asked for.
func placeUnder(t *testing.T, s *sqlstore.Store, w signOffWorld, backup catalogue.Placement) (catalogue.Offer, []catalogue.SettlingHold) {
	t.Helper()
	ctx := context.Background()
	child := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.48, -1.89))))
	home := w.plain
	home.ID = 0
	home = must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, home))
	must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: home.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
	o := w.offer(t, s, child.ID, home, w.leedsHome, backup)
	o = must[catalogue.Offer](t)(s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, o.Version,
		catalogue.Decision{Accepted: true, Placement: home.ID, Reason: "An emergency: no time to ask."}))
	o = must[catalogue.Offer](t)(s.MarkPlaced(w.as("officer"), officerBirmingham, o.ID, o.Version, catalogue.Arrival{On: s.Now()}))
	holds := must[catalogue.Page[catalogue.SettlingHold]](t)(s.ListSettlingHolds(ctx, officerBirmingham, catalogue.SettlingFilter{Child: child.ID}))
	return o, holds.Items
}

// placeWithBackup is placeUnder, with the one hold the move asked for.
func placeWithBackup(t *testing.T, s *sqlstore.Store, w signOffWorld, backup catalogue.Placement) (catalogue.Offer, catalogue.SettlingHold) {
	t.Helper()
	o, holds := placeUnder(t, s, w, backup)
	if len(holds) != 1 {
		t.Fatalf("holds after the move: %+v, want one", holds)
	}
	return o, holds[0]
}

func newSettlingWorld(t *testing.T, s *sqlstore.Store) settlingWorld {
	t.Helper()
	w := settlingWorld{signOffWorld: newSignOffWorld(t, s)}
	ctx := context.Background()
	prov := must[catalogue.Provider](t)(s.CreateProvider(ctx, agency("Back-up Fostering")))
	w.provider = catalogue.Scope{Provider: prov.ID}
	w.backup = must[catalogue.Placement](t)(s.CreatePlacement(ctx, everything, plainPlacement(prov.ID, birmingham, at(52.44, -1.9))))
	must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: w.backup.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
	w.placed, w.hold = placeWithBackup(t, s, w.signOffWorld, w.backup)
	return w
}

// placesOf returns the statuses of a placement's places, and the children they are for.
func placesOf(t *testing.T, s *sqlstore.Store, p catalogue.PlacementID) []catalogue.Vacancy {
	t.Helper()
	vs := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(context.Background(), everything, catalogue.VacancyFilter{Placement: p}))
	return vs.Items
}

func heldFor(vs []catalogue.Vacancy, child catalogue.ChildID) int {
	n := 0
	for _, v := range vs {
		if v.Status == catalogue.VacancyHeld && v.Child == child {
			n++
		}
	}
	return n
}

// TestSettlingHold: on both stores, marking an offer placed asks the back-up's provider to
// hold it for the council's settling period (4 weeks by default); each way a hold can go ends
// with the back-up's place as it should be: held while agreed, a vacancy again once declined,
// released or past its period (the clock moved, not slept), held for the new offer once
// offered. Every step is version-checked, scoped and audited.
func TestSettlingHold(t *testing.T) {
	t.Parallel()
	agree := catalogue.SettlingAnswer{Agree: true, WeeklyRetainer: 150, Note: "We can keep the room free."}
	cases := []struct {
		name string
		// do acts on the hold as agreed or requested, and returns the hold's end state.
		do         func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold
		status     catalogue.SettlingStatus
		heldAfter  int // places of the back-up held for the child at the end
		toProvider bool
	}{
		{"declined leaves a vacancy", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			return must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version,
				catalogue.SettlingAnswer{Note: "We have another child coming."}))
		}, catalogue.SettlingDeclined, 0, false},
		{"agreed holds the place", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			return must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, agree))
		}, catalogue.SettlingAgreed, 1, false},
		{"the period ends", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			h := must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, agree))
			sqltest.Clock(t, s).Set(h.Ends.Add(-time.Minute))
			if ended := must[[]catalogue.SettlingHold](t)(s.EndSettlingHolds(context.Background())); len(ended) != 0 {
				t.Fatalf("ended before the period did: %+v", ended)
			}
			sqltest.Clock(t, s).Set(h.Ends)
			ended := must[[]catalogue.SettlingHold](t)(s.EndSettlingHolds(context.Background()))
			if len(ended) != 1 || ended[0].ReleaseReason != "the settling period ended" {
				t.Fatalf("ended %+v, want the hold", ended)
			}
			return ended[0]
		}, catalogue.SettlingReleased, 0, true},
		{"a hold never answered ends with the period", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			sqltest.Clock(t, s).Set(w.hold.Ends.Add(time.Hour))
			_, err := s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, agree)
			wantErr(t, err, catalogue.ErrConflict)
			return must[[]catalogue.SettlingHold](t)(s.EndSettlingHolds(context.Background()))[0]
		}, catalogue.SettlingReleased, 0, true},
		{"the officer releases it", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			h := must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, agree))
			_, err := s.ReleaseSettlingHold(w.as("officer"), officerBirmingham, h.ID, h.Version, "  ")
			wantField(t, err, "reason")
			_, err = s.ReleaseSettlingHold(w.as("officer"), officerLeeds, h.ID, h.Version, "Settled well.")
			wantErr(t, err, catalogue.ErrNotFound)
			_, err = s.ReleaseSettlingHold(w.as("officer"), officerBirmingham, h.ID, w.hold.Version, "Settled well.")
			wantErr(t, err, catalogue.ErrConflict) // stale
			return must[catalogue.SettlingHold](t)(s.ReleaseSettlingHold(w.as("officer"), officerBirmingham, h.ID, h.Version, "Settled well."))
		}, catalogue.SettlingReleased, 0, true},
		{"the provider withdraws", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			h := must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, agree))
			return must[catalogue.SettlingHold](t)(s.ReleaseSettlingHold(w.as("officer"), w.provider, h.ID, h.Version, "We need the room."))
		}, catalogue.SettlingReleased, 0, false},
		{"offered to the child", func(t *testing.T, s *sqlstore.Store, w settlingWorld) catalogue.SettlingHold {
			h := must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, agree))
			o := catalogue.Offer{Child: h.Child, PolicyVersion: 1, OneChoiceReason: "Her check-ins say she is not safe.",
				Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: w.backup.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}}
			made, h, err := s.OfferSettlingHold(w.as("officer"), officerBirmingham, h.ID, h.Version, o)
			if err != nil {
				t.Fatal(err)
			}
			ref := must[catalogue.Referral](t)(s.Referral(context.Background(), officerBirmingham, made.Options[0].Referral))
			if made.Status != catalogue.OfferProposed || h.NewOffer != made.ID || h.Referral != ref.ID ||
				ref.Status != catalogue.ReferralAccepted || !ref.HoldUntil.Equal(h.Ends) || !slices.Equal(ref.Held, h.Held) {
				t.Fatalf("offer %+v, hold %+v, referral %+v", made, h, ref)
			}
			// Offered once: again is a conflict, and so is releasing it.
			_, _, err = s.OfferSettlingHold(w.as("officer"), officerBirmingham, h.ID, h.Version, o)
			wantErr(t, err, catalogue.ErrConflict)
			_, err = s.ReleaseSettlingHold(w.as("officer"), officerBirmingham, h.ID, h.Version, "Settled.")
			wantErr(t, err, catalogue.ErrConflict)
			return h
		}, catalogue.SettlingOffered, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := context.Background()
				w := newSettlingWorld(t, s)
				h := w.hold
				if h.Status != catalogue.SettlingRequested || h.Placement != w.backup.ID || h.Offer != w.placed.ID || h.Weeks != catalogue.DefaultSettlingWeeks ||
					!h.Ends.Equal(catalogue.Day(s.Now()).AddDate(0, 0, 28)) || h.Provider != w.provider.Provider {
					t.Fatalf("hold asked for: %+v", h)
				}
				if _, err := s.SettlingHold(ctx, officerLeeds, h.ID); err == nil {
					t.Fatal("another council's officer sees the hold")
				}
				if _, err := s.SettlingHold(ctx, w.provider, h.ID); err != nil {
					t.Fatalf("the back-up's provider cannot see the hold: %v", err)
				}
				if n := heldFor(placesOf(t, s, w.backup.ID), h.Child); n != 0 {
					t.Fatalf("%d places held before the provider agreed", n)
				}
				end := tc.do(t, s, w)
				if end.Status != tc.status {
					t.Fatalf("hold %+v, want %s", end, tc.status)
				}
				vs := placesOf(t, s, w.backup.ID)
				if n := heldFor(vs, h.Child); n != tc.heldAfter {
					t.Fatalf("%d places of the back-up held for the child (%+v), want %d", n, vs, tc.heldAfter)
				}
				if tc.heldAfter == 0 && (len(vs) != 1 || vs[0].Status != catalogue.VacancyAvailable) {
					t.Fatalf("the back-up's place %+v, want a vacancy again", vs)
				}
				if tc.status == catalogue.SettlingAgreed && end.WeeklyRetainer != 150 {
					t.Errorf("retainer %d, want 150", end.WeeklyRetainer)
				}
				// The provider was asked; the last event told the right side.
				ns := must[catalogue.Page[catalogue.Notification]](t)(s.ListNotifications(ctx, everything, catalogue.NotificationFilter{Limit: catalogue.MaxLimit}))
				var kinds []catalogue.NotificationKind
				var last catalogue.Notification
				for _, n := range ns.Items {
					if n.Link == "/v1/settling-holds/"+h.ID.String() {
						kinds, last = append(kinds, n.Kind), n
					}
				}
				if len(kinds) == 0 || kinds[0] != catalogue.NotifySettlingRequested {
					t.Fatalf("notifications %v: the provider was not asked", kinds)
				}
				if end.Status == catalogue.SettlingReleased && (last.Kind != catalogue.NotifySettlingReleased || (last.To.Provider != 0) != tc.toProvider) {
					t.Errorf("the release told %+v", last)
				}
				if end.Status == catalogue.SettlingOffered && (last.Kind != catalogue.NotifySettlingOffered || last.To.Provider != w.provider.Provider) {
					t.Errorf("the offer told %+v, want the provider holding the place", last)
				}
				audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "settling:" + h.ID.String()}))
				if len(audit.Items) < 2 {
					t.Errorf("audit of the hold: %+v", audit.Items)
				}
			})
		})
	}
}

// TestSettlingHoldRefusals: a bad answer is 400 naming its field; a hold whose home has no
// free place left cannot be agreed; a council whose policy holds nothing asks for no hold.
func TestSettlingHoldRefusals(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSettlingWorld(t, s)
		for _, a := range []struct {
			answer catalogue.SettlingAnswer
			field  string
		}{
			{catalogue.SettlingAnswer{Agree: true, WeeklyRetainer: -1}, "weekly_retainer"},
			{catalogue.SettlingAnswer{Agree: true, WeeklyRetainer: catalogue.MaxWeeklyFee + 1}, "weekly_retainer"},
			{catalogue.SettlingAnswer{WeeklyRetainer: 100}, "weekly_retainer"},
		} {
			_, err := s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, a.answer)
			wantField(t, err, a.field)
		}
		// Another child's move asks for the same back-up; its one place goes to the first
		// agreement and the second is refused: a place is never held twice.
		_, second := placeWithBackup(t, s, w.signOffWorld, w.backup)
		must[catalogue.SettlingHold](t)(s.AnswerSettlingHold(w.as("officer"), w.provider, w.hold.ID, w.hold.Version, catalogue.SettlingAnswer{Agree: true}))
		_, err := s.AnswerSettlingHold(w.as("officer"), w.provider, second.ID, second.Version, catalogue.SettlingAnswer{Agree: true})
		wantErr(t, err, catalogue.ErrConflict)
		if got := must[catalogue.SettlingHold](t)(s.SettlingHold(ctx, everything, second.ID)); got.Status != catalogue.SettlingRequested {
			t.Errorf("the refused hold is %s", got.Status)
		}

		// No settling period: no hold.
		weeks := 0
		cur := must[catalogue.PolicyVersion](t)(s.Policy(ctx, birmingham))
		must[catalogue.PolicyVersion](t)(s.ChangePolicy(ctx, catalogue.PolicyChange{Council: birmingham, Version: cur.Policy.Version,
			SettlingWeeks: &weeks, Note: "No holds."}))
		if _, hs := placeUnder(t, s, w.signOffWorld, w.backup); len(hs) != 0 {
			t.Errorf("a hold was asked for with no settling period: %+v", hs)
		}
	})
}

// TestSettlingHoldsNeverHoldAPlaceTwice: a property over random sequences of answers,
// releases, offers and days passing, for several children placed with the same back-up of
// two places: after every step no place is held for two holds, every place held for a child
// belongs to exactly one live hold or accepted referral of theirs, and no agreed hold holds
// fewer places than children.
func TestSettlingHoldsNeverHoldAPlaceTwice(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSettlingWorld(t, s)
		must[catalogue.Vacancy](t)(s.CreateVacancy(ctx, everything, catalogue.Vacancy{Placement: w.backup.ID, AvailableFrom: day(2026, 1, 1), Status: catalogue.VacancyAvailable}))
		holds := []catalogue.SettlingHoldID{w.hold.ID}
		for range 3 {
			_, h := placeWithBackup(t, s, w.signOffWorld, w.backup)
			holds = append(holds, h.ID)
		}
		rng := rand.New(rand.NewPCG(20, 7))
		done := 0
		for step := range 40 {
			id := holds[rng.IntN(len(holds))]
			h := must[catalogue.SettlingHold](t)(s.SettlingHold(ctx, everything, id))
			var err error
			switch rng.IntN(5) {
			case 0, 1:
				_, err = s.AnswerSettlingHold(w.as("officer"), w.provider, id, h.Version, catalogue.SettlingAnswer{Agree: rng.IntN(3) > 0})
			case 2:
				_, err = s.ReleaseSettlingHold(w.as("officer"), officerBirmingham, id, h.Version, "Settled.")
			case 3:
				o := catalogue.Offer{Child: h.Child, PolicyVersion: 1, OneChoiceReason: "Not safe.",
					Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: w.backup.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}}
				_, _, err = s.OfferSettlingHold(w.as("officer"), officerBirmingham, id, h.Version, o)
			case 4:
				sqltest.Clock(t, s).Advance(time.Duration(rng.IntN(10)) * 24 * time.Hour)
				_, err = s.EndSettlingHolds(ctx)
			}
			if err != nil && catalogue.KindOf(err) != catalogue.KindConflict {
				t.Fatalf("step %d: %v", step, err)
			}
			if err == nil {
				done++
			}
			owners := map[catalogue.VacancyID]int{}
			for _, hid := range holds {
				h := must[catalogue.SettlingHold](t)(s.SettlingHold(ctx, everything, hid))
				if h.Status == catalogue.SettlingAgreed {
					if len(h.Held) != 1 {
						t.Fatalf("step %d: agreed hold %d holds %v", step, hid, h.Held)
					}
					for _, v := range h.Held {
						owners[v]++
					}
				}
			}
			refs := must[catalogue.Page[catalogue.Referral]](t)(s.ListReferrals(ctx, everything, catalogue.ReferralFilter{Placement: w.backup.ID, Status: catalogue.ReferralAccepted}))
			for _, r := range refs.Items {
				for _, v := range r.Held {
					owners[v]++
				}
			}
			for _, v := range placesOf(t, s, w.backup.ID) {
				want := 0
				if v.Status == catalogue.VacancyHeld {
					want = 1
				}
				if owners[v.ID] != want {
					t.Fatalf("step %d: place %d is %s and owned %d times", step, v.ID, v.Status, owners[v.ID])
				}
			}
		}
		if done < 10 {
			t.Errorf("only %d of 40 steps changed anything: the sequence tests little", done)
		}
		statuses := map[catalogue.SettlingStatus]int{}
		for _, hid := range holds {
			statuses[must[catalogue.SettlingHold](t)(s.SettlingHold(ctx, everything, hid)).Status]++
		}
		t.Logf("%d steps changed something; holds at the end: %v", done, statuses)
	})
}

// TestSettlingHoldsRace: two children's holds of one back-up with one place, agreed at once from
// many goroutines, on both stores: exactly one is agreed, the place is held once, for its child.
func TestSettlingHoldsRace(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSettlingWorld(t, s)
		_, second := placeWithBackup(t, s, w.signOffWorld, w.backup)
		holds := []catalogue.SettlingHold{w.hold, second}
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				h := holds[i%2]
				_, errs[i] = s.AnswerSettlingHold(w.as("officer"), w.provider, h.ID, h.Version, catalogue.SettlingAnswer{Agree: true})
			})
		}
		wg.Wait()
		agreed := 0
		for i, err := range errs {
			switch {
			case err == nil:
				agreed++
			case catalogue.KindOf(err) != catalogue.KindConflict:
				t.Fatalf("answer %d: %v", i, err)
			}
		}
		vs := placesOf(t, s, w.backup.ID)
		if agreed != 1 || len(vs) != 1 || vs[0].Status != catalogue.VacancyHeld {
			t.Fatalf("%d answers agreed; places %+v", agreed, vs)
		}
		for _, h := range holds {
			got := must[catalogue.SettlingHold](t)(s.SettlingHold(ctx, everything, h.ID))
			if (got.Status == catalogue.SettlingAgreed) != (vs[0].Child == got.Child) {
				t.Errorf("hold %d is %s, the place is held for child %d", got.ID, got.Status, vs[0].Child)
			}
		}
	})
}
