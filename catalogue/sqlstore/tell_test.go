package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// toldOf is the recipients of the notifications of kind about link, in the order written.
func toldOf(t *testing.T, s *sqlstore.Store, kind catalogue.NotificationKind, link string) []catalogue.Recipient {
	t.Helper()
	var out []catalogue.Recipient
	for _, n := range listAll(t, s, everything, catalogue.NotificationFilter{Kind: kind}) {
		if n.Link == link {
			out = append(out, n.To)
		}
	}
	return out
}

// referralWorld is a child of Birmingham with an allocated social worker of the "North West
// CLA" team (whose address is set when teamAddress), and a home with one place.
func referralWorld(t *testing.T, s *sqlstore.Store, teamAddress bool, email string) (catalogue.Child, catalogue.Placement) {
	t.Helper()
	ctx := officer(context.Background(), 7)
	w := newOfferWorld(t, s, 1)
	must[catalogue.Allocation](t)(s.SetAllocation(ctx, officerBirmingham, catalogue.Allocation{Child: w.child.ID,
		SocialWorker: "Jo Bloggs", Team: "North West CLA", Email: email}))
	if teamAddress {
		must[catalogue.NotificationAddress](t)(s.SetNotificationAddress(ctx, catalogue.NotificationAddress{
			To: catalogue.TeamRecipient(birmingham, "north-west-cla"), Email: "nw-cla@birmingham.example.gov.uk"}))
	}
	return w.child, w.homes[0]
}

// TestReferralEventsFillTheOutbox: each referral event writes, in its own transaction, a
// notification for each recipient the rule names (the provider; the allocated team, by its
// address or else the placement team; the allocated social worker when reachable), linking to
// the referral and holding no child's data.
func TestReferralEventsFillTheOutbox(t *testing.T) {
	t.Parallel()
	accept := catalogue.ReferralResponse{Accepted: true, Impact: "Settles well with the two girls here."}
	decline := catalogue.ReferralResponse{Decline: catalogue.DeclineNoCapacity}
	cases := []struct {
		name        string
		teamAddress bool
		email       string
		event       func(t *testing.T, s *sqlstore.Store, r catalogue.Referral)
		kind        catalogue.NotificationKind
		team, wkr   bool // the allocated team and the worker are told (the provider is told of the others)
		provider    bool
	}{
		{"sent", true, "jo@birmingham.example.gov.uk", func(*testing.T, *sqlstore.Store, catalogue.Referral) {}, catalogue.NotifyReferralSent, false, false, true},
		{"accepted", true, "jo@birmingham.example.gov.uk", func(t *testing.T, s *sqlstore.Store, r catalogue.Referral) {
			must[catalogue.Referral](t)(s.RespondReferral(context.Background(), everything, r.ID, r.Version, accept, s.Now().Add(72*time.Hour)))
		}, catalogue.NotifyReferralResponse, true, true, false},
		{"declined, no worker's e-mail, team without address", false, "", func(t *testing.T, s *sqlstore.Store, r catalogue.Referral) {
			must[catalogue.Referral](t)(s.RespondReferral(context.Background(), everything, r.ID, r.Version, decline, time.Time{}))
		}, catalogue.NotifyReferralResponse, true, false, false},
		{"withdrawn", true, "jo@birmingham.example.gov.uk", func(t *testing.T, s *sqlstore.Store, r catalogue.Referral) {
			must[catalogue.Referral](t)(s.WithdrawReferral(officer(context.Background(), 7), officerBirmingham, r.ID, r.Version, "The plan changed."))
		}, catalogue.NotifyReferralWithdrawn, false, false, true},
		{"reminded", true, "jo@birmingham.example.gov.uk", func(t *testing.T, s *sqlstore.Store, r catalogue.Referral) {
			if got := must[[]catalogue.Referral](t)(s.RemindReferrals(context.Background(), r.Deadline)); len(got) != 1 {
				t.Fatalf("reminded %d", len(got))
			}
			if again := must[[]catalogue.Referral](t)(s.RemindReferrals(context.Background(), r.Deadline)); len(again) != 0 {
				t.Fatalf("reminded twice")
			}
		}, catalogue.NotifyDeadlineNear, false, false, true},
		{"expired", true, "jo@birmingham.example.gov.uk", func(t *testing.T, s *sqlstore.Store, r catalogue.Referral) {
			sqltest.Clock(t, s).Set(r.Deadline)
			if got := must[[]catalogue.Referral](t)(s.ExpireReferrals(context.Background())); len(got) != 1 {
				t.Fatalf("expired %d", len(got))
			}
		}, catalogue.NotifyReferralExpired, true, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				child, home := referralWorld(t, s, tc.teamAddress, tc.email)
				r := must[[]catalogue.Referral](t)(s.CreateReferrals(officer(context.Background(), 7), officerBirmingham,
					[]catalogue.Referral{{Child: child.ID, Placement: home.ID, Deadline: s.Now().Add(48 * time.Hour)}}))[0]
				tc.event(t, s, r)
				var want []catalogue.Recipient
				if tc.provider {
					want = append(want, catalogue.ProviderRecipient(home.Provider))
				}
				if tc.team {
					team := catalogue.TeamPlacements
					if tc.teamAddress {
						team = "north-west-cla"
					}
					want = append(want, catalogue.TeamRecipient(birmingham, team))
				}
				if tc.wkr {
					want = append(want, catalogue.WorkerRecipient(birmingham, child.ID))
				}
				link := "/v1/referrals/" + r.ID.String()
				if got := toldOf(t, s, tc.kind, link); !slices.Equal(got, want) {
					t.Fatalf("%s told %v, want %v", tc.kind, got, want)
				}
				for _, n := range listAll(t, s, everything, catalogue.NotificationFilter{}) {
					if strings.Contains(n.Text+n.Subject, child.FirstName) || strings.Contains(n.Text, "jo@") {
						t.Errorf("notification %d holds the child's or the worker's details: %q", n.ID, n.Text)
					}
				}
			})
		})
	}
}

// TestRolledBackReferralEventsTellNobody: a change that fails writes no notification: two
// referrals of which the second is refused, and an acceptance for a home with no free place.
func TestRolledBackReferralEventsTellNobody(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		child, home := referralWorld(t, s, true, "jo@birmingham.example.gov.uk")
		_, err := s.CreateReferrals(ctx, officerBirmingham, []catalogue.Referral{
			{Child: child.ID, Placement: home.ID, Deadline: s.Now().Add(48 * time.Hour)},
			{Child: child.ID, Placement: 999999, Deadline: s.Now().Add(48 * time.Hour)}})
		wantErr(t, err, catalogue.ErrInvalid)
		if got := listAll(t, s, everything, catalogue.NotificationFilter{}); len(got) != 0 {
			t.Fatalf("a refused batch of referrals wrote %d notifications", len(got))
		}
		r := must[[]catalogue.Referral](t)(s.CreateReferrals(ctx, officerBirmingham,
			[]catalogue.Referral{{Child: child.ID, Placement: home.ID, Deadline: s.Now().Add(48 * time.Hour)}}))[0]
		// The home's one place goes to someone else first.
		vs := must[catalogue.Page[catalogue.Vacancy]](t)(s.ListVacancies(context.Background(), everything, catalogue.VacancyFilter{Placement: home.ID}))
		v := vs.Items[0]
		v.Status = catalogue.VacancyWithdrawn
		must[catalogue.Vacancy](t)(s.UpdateVacancy(context.Background(), everything, v))
		_, err = s.RespondReferral(context.Background(), everything, r.ID, r.Version,
			catalogue.ReferralResponse{Accepted: true, Impact: "Fine."}, s.Now().Add(time.Hour))
		wantErr(t, err, catalogue.ErrConflict)
		got := listAll(t, s, everything, catalogue.NotificationFilter{})
		if len(got) != 1 || got[0].Kind != catalogue.NotifyReferralSent {
			t.Fatalf("after a refused acceptance: %+v, want the referral_sent only", got)
		}
	})
}

// TestWorkerReachedAtTheAllocationsAddress: a notification for the allocated social worker is
// delivered to the allocation's e-mail as it is when it is claimed, so that a change is followed;
// officers of the child's council see it, others do not.
func TestWorkerReachedAtTheAllocationsAddress(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		child, home := referralWorld(t, s, false, "jo@birmingham.example.gov.uk")
		r := must[[]catalogue.Referral](t)(s.CreateReferrals(ctx, officerBirmingham,
			[]catalogue.Referral{{Child: child.ID, Placement: home.ID, Deadline: s.Now().Add(48 * time.Hour)}}))[0]
		must[catalogue.Referral](t)(s.RespondReferral(context.Background(), everything, r.ID, r.Version,
			catalogue.ReferralResponse{Decline: catalogue.DeclineLocation}, time.Time{}))
		a := must[catalogue.Allocation](t)(s.Allocation(ctx, officerBirmingham, child.ID))
		a.Email = "jo.new@birmingham.example.gov.uk"
		must[catalogue.Allocation](t)(s.SetAllocation(ctx, officerBirmingham, a))
		ds := must[[]catalogue.Delivery](t)(s.ClaimNotifications(context.Background(), "w1", 10, time.Minute))
		var worker *catalogue.Delivery
		for i, d := range ds {
			if d.To.Worker == child.ID {
				worker = &ds[i]
			}
		}
		if worker == nil || worker.Email != "jo.new@birmingham.example.gov.uk" || worker.To.Council != birmingham {
			t.Fatalf("the worker's delivery %+v, want the allocation's new address", worker)
		}
		if got := listAll(t, s, officerLeeds, catalogue.NotificationFilter{}); len(got) != 0 {
			t.Errorf("Leeds sees %d of Birmingham's notifications", len(got))
		}
		if got := listAll(t, s, officerBirmingham, catalogue.NotificationFilter{Kind: catalogue.NotifyReferralResponse}); len(got) != 2 {
			t.Errorf("Birmingham sees %d answers, want its team's and its worker's", len(got))
		}
	})
}
