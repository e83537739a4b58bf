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

// noticesOf lists every placement notice the scope sees (of a child, when not 0).
func noticesOf(t *testing.T, s *sqlstore.Store, sc catalogue.Scope, f catalogue.NoticeFilter) []catalogue.PlacementNotice {
	t.Helper()
	ns, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.PlacementNotice], error) {
		f.After = catalogue.PlacementNoticeID(after)
		return s.ListPlacementNotices(context.Background(), sc, f)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func noticeTos(ns []catalogue.PlacementNotice) []catalogue.NoticeTo {
	out := make([]catalogue.NoticeTo, len(ns))
	for i, n := range ns {
		out[i] = n.To
	}
	return out
}

// TestPlacementNoticesOnAcceptance: accepting an offer makes, in its transaction, the notices
// regulation 13 requires, pending and due before the planned start (five working days after it
// in an emergency); the area authority's only for a home outside the child's council; a decline
// makes none.
func TestPlacementNoticesOnAcceptance(t *testing.T) {
	t.Parallel()
	// sqltest.Epoch is Sunday 22 November 2026, 09:00.
	tomorrow := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)
	friday := time.Date(2026, time.November, 27, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		outOfArea bool
		emergency bool
		accept    bool
		want      []catalogue.NoticeTo
		due       time.Time
	}{
		{"in area", false, false, true, []catalogue.NoticeTo{catalogue.NoticeIRO, catalogue.NoticeGP, catalogue.NoticeHealth}, tomorrow},
		{"out of area", true, false, true, []catalogue.NoticeTo{catalogue.NoticeAreaAuthority, catalogue.NoticeIRO, catalogue.NoticeGP, catalogue.NoticeHealth}, tomorrow},
		{"emergency", false, true, true, []catalogue.NoticeTo{catalogue.NoticeIRO, catalogue.NoticeGP, catalogue.NoticeHealth}, friday},
		{"declined", true, false, false, nil, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
				w := newSignOffWorld(t, s)
				child := w.child
				if tc.emergency {
					ch := plainChild(birmingham, at(52.48, -1.89))
					ch.Purpose = catalogue.PurposeEmergency
					child = must[catalogue.Child](t)(s.CreateChild(context.Background(), everything, ch))
				}
				home := w.plain
				if tc.outOfArea {
					home = w.leedsHome
				}
				o := w.offer(t, s, child.ID, home)
				if tc.outOfArea {
					must[catalogue.SignOff](t)(s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, home.ID, catalogue.SignOffDistant,
						"No nearer home can meet her needs."))
				}
				d := catalogue.Decision{Accepted: tc.accept, Placement: home.ID, Reason: "An emergency: no time to ask."}
				if !tc.accept {
					d = catalogue.Decision{Reason: "The child said no."}
				}
				must[catalogue.Offer](t)(s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, o.Version, d))
				got := noticesOf(t, s, officerBirmingham, catalogue.NoticeFilter{Child: child.ID})
				if !slices.Equal(noticeTos(got), tc.want) {
					t.Fatalf("notices %v, want %v", noticeTos(got), tc.want)
				}
				for _, n := range got {
					if n.Status != catalogue.NoticePending || n.Offer != o.ID || n.Child != child.ID || n.Council != birmingham ||
						n.Area != home.Council || n.Emergency != tc.emergency || !n.DueBy.Equal(tc.due) || n.ChildName != child.FirstName {
						t.Errorf("notice %+v", n)
					}
					if n.Overdue(s.Now()) || !n.Overdue(tc.due) {
						t.Errorf("notice %d: overdue now %v, at its due time %v", n.ID, n.Overdue(s.Now()), n.Overdue(tc.due))
					}
				}
				if tc.accept {
					audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(context.Background(),
						catalogue.AuditFilter{Subject: "child:" + child.ID.String()}))
					if !slices.ContainsFunc(audit.Items, func(a catalogue.AuditEntry) bool { return a.Action == "notice:iro" }) {
						t.Errorf("no audit row for the notices made: %+v", audit.Items)
					}
				}
			})
		})
	}
}

// TestPlacementNoticesTrackedToSent: the area authority's notice is e-mailed through the outbox
// when its placement team has an address (saying nothing of the child) and is sent when the
// e-mail is; an officer of the child's council marks the others sent, saying how, once, audited;
// the area authority's officers see its notice without the child's name, and nothing else;
// pending notices show overdue once due, and the move sets when they were due.
func TestPlacementNoticesTrackedToSent(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSignOffWorld(t, s)
		must[catalogue.NotificationAddress](t)(s.SetNotificationAddress(ctx, catalogue.NotificationAddress{
			To: catalogue.TeamRecipient(leeds, catalogue.TeamPlacements), Email: "placements@leeds.example.gov.uk"}))
		o := w.offer(t, s, w.child.ID, w.leedsHome)
		must[catalogue.SignOff](t)(s.GiveSignOff(w.as("director"), officerBirmingham, o.ID, w.leedsHome.ID, catalogue.SignOffDistant,
			"No nearer home can meet her needs."))
		o = must[catalogue.Offer](t)(s.DecideOffer(w.as("officer"), officerBirmingham, o.ID, o.Version,
			catalogue.Decision{Accepted: true, Placement: w.leedsHome.ID, Reason: "An emergency: no time to ask."}))

		all := noticesOf(t, s, officerBirmingham, catalogue.NoticeFilter{})
		area := all[0]
		if area.To != catalogue.NoticeAreaAuthority || area.Outbox == 0 {
			t.Fatalf("the area authority's notice %+v, want it e-mailed through the outbox", area)
		}
		mail := listAll(t, s, everything, catalogue.NotificationFilter{Kind: catalogue.NotifyPlacementNotice})
		if len(mail) != 1 || mail[0].ID != area.Outbox || mail[0].To != catalogue.TeamRecipient(leeds, catalogue.TeamPlacements) ||
			strings.Contains(mail[0].Text, w.child.FirstName) {
			t.Fatalf("the outbox holds %+v", mail)
		}
		if seen := noticesOf(t, s, officerLeeds, catalogue.NoticeFilter{}); len(seen) != 1 || seen[0].ID != area.ID || seen[0].ChildName != "" {
			t.Fatalf("Leeds sees %+v, want the area authority's notice without the child's name", seen)
		}
		_, err := s.ListPlacementNotices(ctx, officerLeeds, catalogue.NoticeFilter{Child: w.child.ID})
		wantErr(t, err, catalogue.ErrNotFound)

		// The outbox delivers the area authority's: it is sent.
		ds := must[[]catalogue.Delivery](t)(s.ClaimNotifications(ctx, "w1", 10, time.Minute))
		for _, d := range ds {
			if d.ID == area.Outbox {
				if d.Email != "placements@leeds.example.gov.uk" {
					t.Errorf("delivered to %q", d.Email)
				}
				if err := s.FinishDelivery(ctx, catalogue.DeliveryOutcome{ID: d.ID, Claim: d.Claim, Sent: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
		all = noticesOf(t, s, officerBirmingham, catalogue.NoticeFilter{})
		if all[0].Status != catalogue.NoticeSent || all[0].SentHow != catalogue.SentByOutbox || !all[0].SentAt.Equal(s.Now()) {
			t.Fatalf("after delivery: %+v", all[0])
		}

		// An officer marks the IRO's sent.
		iro := all[1]
		_, err = s.MarkNoticeSent(w.as("officer"), officerBirmingham, iro.ID, iro.Version, "carrier_pigeon", "")
		wantErr(t, err, catalogue.ErrInvalid)
		if fe := catalogue.FieldErrors(err); len(fe) != 1 || fe[0].Field != "how" {
			t.Fatalf("error %v does not name how", err)
		}
		_, err = s.MarkNoticeSent(w.as("officer"), officerLeeds, area.ID, 0, catalogue.SentByEmail, "")
		wantErr(t, err, catalogue.ErrNotFound)
		sent := must[catalogue.PlacementNotice](t)(s.MarkNoticeSent(w.as("officer"), officerBirmingham, iro.ID, iro.Version,
			catalogue.SentBySecureEmail, " To the IRO service, ref 123. "))
		if sent.Status != catalogue.NoticeSent || sent.SentHow != catalogue.SentBySecureEmail || sent.SentBy != w.tokens["officer"] ||
			sent.Note != "To the IRO service, ref 123." || sent.Version != iro.Version+1 {
			t.Fatalf("marked sent: %+v", sent)
		}
		_, err = s.MarkNoticeSent(w.as("officer"), officerBirmingham, iro.ID, 0, catalogue.SentByPost, "")
		wantErr(t, err, catalogue.ErrConflict)
		audit := must[catalogue.Page[catalogue.AuditEntry]](t)(s.ListAudit(ctx, catalogue.AuditFilter{Subject: "child:" + w.child.ID.String()}))
		if !slices.ContainsFunc(audit.Items, func(a catalogue.AuditEntry) bool {
			return a.Action == "notice_sent:iro" && a.Actor == w.tokens["officer"]
		}) {
			t.Errorf("no audit row of the IRO's notice sent by the officer")
		}

		// Overdue: none yet; the child moves in today; the two left are due today.
		if got := noticesOf(t, s, officerBirmingham, catalogue.NoticeFilter{Overdue: true}); len(got) != 0 {
			t.Fatalf("overdue before the move: %+v", got)
		}
		must[catalogue.Offer](t)(s.MarkPlaced(w.as("officer"), officerBirmingham, o.ID, o.Version, catalogue.Arrival{On: s.Now()}))
		late := noticesOf(t, s, officerBirmingham, catalogue.NoticeFilter{Overdue: true})
		if got := noticeTos(late); !slices.Equal(got, []catalogue.NoticeTo{catalogue.NoticeGP, catalogue.NoticeHealth}) {
			t.Fatalf("overdue after the move: %v, want the GP's and the health body's", got)
		}
	})
}
