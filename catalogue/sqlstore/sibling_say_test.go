package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// TestSiblingOwnLinkAndSay (issue 20, item 2), on both stores: a brother offered with his sister
// gets his own link to the same offer, which leaves hers working; his session is his; what he
// says is kept apart from what she says, survives a reread, and does not move the offer on; a
// link for a child not offered with them is refused, naming child.
func TestSiblingOwnLinkAndSay(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := officer(context.Background(), 7)
		w := newSupportWorld(t, s)
		o := w.offer(t, s, ctx)
		exp := s.Now().Add(time.Hour)
		other := must[catalogue.Child](t)(s.CreateChild(ctx, everything, plainChild(birmingham, at(52.48, -1.89))))
		_, _, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("tok-x"), ExpiresAt: exp, Child: other.ID})
		wantField(t, err, "child")

		_, miaLink, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("tok-mia"), ExpiresAt: exp})
		if err != nil || miaLink.Child != w.mia.ID {
			t.Fatalf("Mia's link: %v %+v", err, miaLink)
		}
		_, leoLink, err := s.SendOffer(ctx, officerBirmingham, o.ID, catalogue.ChildLink{Hash: hashOf("tok-leo"), ExpiresAt: exp, Child: w.leo.ID})
		if err != nil || leoLink.Child != w.leo.ID {
			t.Fatalf("Leo's link: %v %+v", err, leoLink)
		}
		mia := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("tok-mia"), catalogue.ChildSession{Hash: hashOf("s-mia"), ExpiresAt: exp}))
		leo := must[catalogue.ChildSession](t)(s.RedeemLink(ctx, hashOf("tok-leo"), catalogue.ChildSession{Hash: hashOf("s-leo"), ExpiresAt: exp}))
		if leo.Child != w.leo.ID || leo.Offer != o.ID || mia.Child != w.mia.ID {
			t.Fatalf("sessions: Mia's %+v, Leo's %+v", mia, leo)
		}

		before := must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID)).Status
		got := must[catalogue.Offer](t)(s.RecordSay(ctx, leo, catalogue.ChildSay{Preference: w.homes[1].ID, InOwnWords: "Near the park", AdvocateRequested: true}))
		if got.Status != before || !got.Say.At.IsZero() {
			t.Errorf("Leo's say moved the offer or became Mia's: %s, %+v", got.Status, got.Say)
		}
		must[catalogue.Offer](t)(s.RecordSay(ctx, mia, catalogue.ChildSay{Preference: w.homes[0].ID, InOwnWords: "The garden"}))
		o = must[catalogue.Offer](t)(s.Offer(ctx, everything, o.ID))
		his := o.SiblingSays[w.leo.ID]
		if his.Preference != w.homes[1].ID || his.InOwnWords != "Near the park" || !his.AdvocateRequested || his.At.IsZero() {
			t.Errorf("Leo's say: %+v", his)
		}
		if o.Say.Preference != w.homes[0].ID || o.Say.InOwnWords != "The garden" || o.Status != catalogue.OfferPreferenceGiven {
			t.Errorf("Mia's say: %+v (%s)", o.Say, o.Status)
		}
		if len(o.SiblingSays) != 1 {
			t.Errorf("sibling says: %+v", o.SiblingSays)
		}
		// A sibling's say is checked as the child's: a back-up is not a choice.
		_, err = s.RecordSay(ctx, leo, catalogue.ChildSay{Preference: w.homes[2].ID})
		wantField(t, err, "preference")

		// Leo's subject access export holds the offer his own say is kept in.
		sar := must[catalogue.SubjectAccessExport](t)(s.SubjectAccess(ctx, officerBirmingham, catalogue.Subject{Child: w.leo.ID}))
		found := false
		for _, tb := range sar.Tables {
			for _, r := range tb.Rows {
				found = found || (tb.Table == "offers" && fmt.Sprint(r["id"]) == fmt.Sprint(int64(o.ID)) && strings.Contains(fmt.Sprintf("%s", r["sibling_says"]), "Near the park"))
			}
		}
		if !found {
			t.Error("Leo's subject access export does not hold his say on his sister's offer")
		}
	})
}
