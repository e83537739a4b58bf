package sqlstore_test

import (
	"context"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestAdvocacyRequests: a check-in asking for an advocate asks the council's advocacy service
// in its transaction (notified), with the child's words only when they chose to share them;
// another council sees none; the advocate records contact made once, with a note, at the
// version read; a request of another kind is not found. On both stores.
func TestAdvocacyRequests(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		child := w.children[0]
		must[catalogue.Episode](t)(s.StartPlacement(ctx, everything, catalogue.Episode{Child: child.ID, Start: day(2026, 9, 1), Placement: w.placements[0].ID}))
		must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, Settled: catalogue.AnswerYes, WouldHelp: "Private words"}))
		must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, AdvocateRequested: true, WouldHelp: "Not for the advocate"}))
		shared := must[catalogue.CheckIn](t)(s.RecordCheckIn(ctx, officerBirmingham, catalogue.CheckIn{Child: child.ID, AdvocateRequested: true,
			ShareWithAdvocate: true, WouldHelp: "Help me talk to my mum."}))

		adv := catalogue.HelpFilter{Kind: catalogue.HelpAdvocacy}
		page := must[catalogue.Page[catalogue.HelpRequest]](t)(s.HelpRequests(ctx, officerBirmingham, adv))
		if len(page.Items) != 2 || page.Items[0].Shared != "" || page.Items[1].Shared != "Help me talk to my mum." ||
			page.Items[1].CheckIn != shared.ID || page.Items[1].Council != birmingham || page.Items[1].Done() {
			t.Fatalf("advocacy requests: %+v", page.Items)
		}
		if got := listAll(t, s, everything, catalogue.NotificationFilter{Kind: catalogue.NotifyAdvocacyRequested}); len(got) != 2 ||
			got[0].To != catalogue.TeamRecipient(birmingham, catalogue.TeamAdvocacy) {
			t.Errorf("notifications: %+v", got)
		}
		if got := must[catalogue.Page[catalogue.HelpRequest]](t)(s.HelpRequests(ctx, officerLeeds, adv)); len(got.Items) != 0 {
			t.Errorf("Leeds sees %+v", got.Items)
		}
		if got := must[catalogue.Page[catalogue.HelpRequest]](t)(s.HelpRequests(ctx, officerBirmingham, catalogue.HelpFilter{Kind: catalogue.HelpLookAgain})); len(got.Items) != 0 {
			t.Errorf("requests to look again: %+v", got.Items)
		}
		_, err := s.HelpRequests(ctx, officerBirmingham, catalogue.HelpFilter{Kind: "gossip"})
		wantField(t, err, "kind")

		r := page.Items[1]
		advocate := catalogue.WithActor(ctx, catalogue.Actor{Token: 9, Name: "Ash Advocate", Role: catalogue.RoleAdvocate})
		_, err = s.HelpRequest(ctx, officerBirmingham, catalogue.HelpLookAgain, r.ID)
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.AnswerHelpRequest(advocate, officerLeeds, catalogue.HelpAnswer{Request: r.ID, Kind: catalogue.HelpAdvocacy, Version: 1, Note: "Met."})
		wantErr(t, err, catalogue.ErrNotFound)
		_, err = s.AnswerHelpRequest(advocate, officerBirmingham, catalogue.HelpAnswer{Request: r.ID, Kind: catalogue.HelpAdvocacy, Version: 1})
		wantField(t, err, "note")
		_, err = s.AnswerHelpRequest(advocate, officerBirmingham, catalogue.HelpAnswer{Request: r.ID, Kind: catalogue.HelpAdvocacy, Version: 2, Note: "Met."})
		wantErr(t, err, catalogue.ErrConflict)
		done := must[catalogue.HelpRequest](t)(s.AnswerHelpRequest(advocate, officerBirmingham, catalogue.HelpAnswer{Request: r.ID, Kind: catalogue.HelpAdvocacy, Version: 1,
			Note: "Phoned; meeting at school on Thursday."}))
		if !done.Done() || done.DoneBy.Name != "Ash Advocate" || done.Version != 2 {
			t.Errorf("contact made: %+v", done)
		}
		_, err = s.AnswerHelpRequest(advocate, officerBirmingham, catalogue.HelpAnswer{Request: r.ID, Kind: catalogue.HelpAdvocacy, Version: 2, Note: "Again."})
		wantErr(t, err, catalogue.ErrConflict)
		if got := must[catalogue.Page[catalogue.HelpRequest]](t)(s.HelpRequests(ctx, officerBirmingham, adv)); len(got.Items) != 1 {
			t.Errorf("open requests after contact: %+v", got.Items)
		}
		all := adv
		all.All = true
		if got := must[catalogue.Page[catalogue.HelpRequest]](t)(s.HelpRequests(ctx, officerBirmingham, all)); len(got.Items) != 2 {
			t.Errorf("every request: %+v", got.Items)
		}
	})
}
