package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// advocacyRequest makes Amy ask for an advocate in a check-in, sharing her words, and returns
// the request (her open one, when she has one already).
func (f *fixture) advocacyRequest() catalogue.HelpRequest {
	f.t.Helper()
	ctx := context.Background()
	hs := catalogue.HelpStore(f.store)
	if page, err := hs.HelpRequests(ctx, catalogue.Everything, catalogue.HelpFilter{Kind: catalogue.HelpAdvocacy, Child: f.amy.ID}); err == nil && len(page.Items) > 0 {
		return page.Items[0]
	}
	if st, err := f.store.CheckInStatus(ctx, catalogue.Everything, f.amy.ID, f.store.Now()); err != nil || st.Current == nil {
		f.moveReview()
	}
	if _, err := f.store.RecordCheckIn(ctx, catalogue.Scope{Council: manchester}, catalogue.CheckIn{Child: f.amy.ID, AdvocateRequested: true,
		ShareWithAdvocate: true, WouldHelp: "Help me see my brother."}); err != nil {
		f.t.Fatal(err)
	}
	page, err := hs.HelpRequests(ctx, catalogue.Everything, catalogue.HelpFilter{Kind: catalogue.HelpAdvocacy, Child: f.amy.ID})
	if err != nil || len(page.Items) != 1 {
		f.t.Fatalf("advocacy requests: %+v, %v", page, err)
	}
	return page.Items[0]
}

type helpBody struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	FirstName string `json:"first_name"`
	From      string `json:"from"`
	Shared    string `json:"shared"`
	DoneBy    string `json:"done_by"`
	Note      string `json:"note"`
	Version   int    `json:"version"`
}

// TestAdvocacyRoutes: the advocate of Amy's council sees her request for an advocate with what
// she chose to share (and nothing of her record: no address field exists), records contact
// made once; an advocate of Leeds sees none; an officer, a manager and an IRO may not read
// them. On both stores.
func TestAdvocacyRoutes(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		r := f.advocacyRequest()
		var list struct{ Items []helpBody }
		f.do("advocate", "GET", "/v1/advocacy-requests", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].FirstName != "Amy" || list.Items[0].Shared != "Help me see my brother." || list.Items[0].From != "check_in" {
			t.Fatalf("the advocate's requests: %+v", list.Items)
		}
		f.do("leedsAdvocate", "GET", "/v1/advocacy-requests", nil).json(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("Leeds's advocate sees %+v", list.Items)
		}
		path := fmt.Sprintf("/v1/advocacy-requests/%d", r.ID)
		for _, who := range []string{"officer", "manager", "iro"} {
			f.want(f.do(who, "GET", path, nil), 403)
		}
		f.want(f.do("leedsAdvocate", "POST", path+"/contact", map[string]any{"version": 1, "note": "Phoned."}), 404)
		rr := f.do("advocate", "POST", path+"/contact", map[string]any{"version": 1})
		f.want(rr, 400)
		wantField(t, rr, "note")
		rr = f.do("advocate", "POST", path+"/contact", map[string]any{"version": 1, "note": "Phoned Amy; we meet on Thursday."})
		f.want(rr, 200)
		var done helpBody
		rr.json(t, &done)
		if done.DoneBy == "" || done.Version != 2 {
			t.Errorf("contact made: %+v", done)
		}
		f.want(f.do("advocate", "POST", path+"/contact", map[string]any{"version": 2, "note": "Again."}), 409)
		f.do("advocate", "GET", "/v1/advocacy-requests", nil).json(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("open requests after contact: %+v", list.Items)
		}
	})
}

// TestLookAgain: once her offer is decided, Amy asks her IRO from her page to look again, in
// her words; the page says she asked and offers no second request; the IRO of her council
// reads it and records what they found; Leeds's IRO finds nothing; an officer may not answer
// it. Before the decision the page offers nothing. On both stores.
func TestLookAgain(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newOfferFixture(t, s)
		o, link := f.makeOffer(f.amy.ID)
		kid := f.visitor("203.0.113.50")
		f.want(kid.do("POST", link, nil), 303)
		path := fmt.Sprintf("/child/offers/%d", o.ID)
		page := kid.do("GET", path, nil)
		f.want(page, 200)
		if strings.Contains(string(page.body), "look-again") {
			t.Error("an open offer offers to look again")
		}
		token := csrfOf(t, page)
		f.want(kid.do("POST", path+"/look-again", url.Values{"csrf": {token}, "why": {"too early"}}), 303)
		if got := f.do("iro", "GET", "/v1/look-again-requests", nil); !strings.Contains(string(got.body), `"items":[]`) {
			t.Errorf("a request before the decision: %s", got.body)
		}

		ctx := catalogue.WithActor(context.Background(), catalogue.Actor{Token: 1, Role: catalogue.RoleOfficer})
		cur, err := f.store.Offer(ctx, catalogue.Everything, catalogue.OfferID(o.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.DecideOffer(ctx, catalogue.Everything, cur.ID, cur.Version, catalogue.Decision{Accepted: false, Reason: "Neither home can keep her at her school."}); err != nil {
			t.Fatal(err)
		}
		page = kid.do("GET", path, nil)
		if !strings.Contains(string(page.body), "Ask my IRO to look again") {
			t.Fatal("the decided offer does not offer to look again")
		}
		f.want(kid.do("POST", path+"/look-again", url.Values{"csrf": {token}, "why": {strings.Repeat("ab ", 400)}}), 400)
		f.want(kid.do("POST", path+"/look-again", url.Values{"csrf": {token}, "why": {"I wanted to stay near my school."}}), 303)
		page = kid.do("GET", path, nil)
		if !strings.Contains(string(page.body), "You have asked your independent reviewing officer") || strings.Contains(string(page.body), "Ask my IRO to look again") {
			t.Error("after asking, the page does not say so")
		}

		var list struct{ Items []helpBody }
		f.do("iro", "GET", "/v1/look-again-requests", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].Shared != "I wanted to stay near my school." || list.Items[0].Kind != "look_again" {
			t.Fatalf("the IRO's requests: %+v", list.Items)
		}
		req := fmt.Sprintf("/v1/look-again-requests/%d", list.Items[0].ID)
		f.want(f.do("leedsIro", "GET", req, nil), 404)
		f.want(f.do("officer", "POST", req+"/answer", map[string]any{"version": 1, "note": "x"}), 403)
		f.want(f.do("advocate", "GET", fmt.Sprintf("/v1/advocacy-requests/%d", list.Items[0].ID), nil), 404) // another kind
		f.want(f.do("iro", "POST", req+"/answer", map[string]any{"version": 1, "note": "Met Amy; asked the team to look for a home near her school."}), 200)
		if got := listNotifications(t, f.fixture, catalogue.NotifyLookAgain); got != 1 {
			t.Errorf("%d notifications to the IROs, want 1", got)
		}
	})
}

// listNotifications counts the notifications of a kind.
func listNotifications(t *testing.T, f *fixture, kind catalogue.NotificationKind) int {
	t.Helper()
	page, err := f.store.ListNotifications(context.Background(), catalogue.Everything, catalogue.NotificationFilter{Kind: kind, Limit: catalogue.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}
