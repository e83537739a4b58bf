package api_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// setAddress sets a notification address for to, as an administrator would.
func (f *fixture) setAddress(to catalogue.Recipient) {
	f.t.Helper()
	if _, err := f.store.SetNotificationAddress(context.Background(), catalogue.NotificationAddress{To: to, Email: "told@example.org"}); err != nil {
		f.t.Fatal(err)
	}
}

// TestNotificationsThroughTheAPI: an offer sent through the API tells Manchester's placement
// team; each caller lists only the notifications of its scope; an administrator sets, lists and
// removes addresses, and a malformed one is a 400 naming the field.
func TestNotificationsThroughTheAPI(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	o, err := f.store.CreateOffer(context.Background(), catalogue.Everything, catalogue.Offer{Child: f.amy.ID,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: f.place.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := f.do("officer", "POST", "/v1/offers/"+o.ID.String()+"/send", map[string]any{}); r.status != 201 {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	if err := f.store.Notify(context.Background(), catalogue.NewNotification(catalogue.NotifyReferralSent,
		catalogue.ProviderRecipient(f.provider.ID), 9, "/v1/referrals/9")); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Items []struct {
			Kind   string `json:"kind"`
			Link   string `json:"link"`
			Status string `json:"status"`
			Text   string `json:"text"`
			To     struct {
				Provider int64  `json:"provider"`
				Council  string `json:"council"`
				Team     string `json:"team"`
			} `json:"to"`
			NextAttemptAt string `json:"next_attempt_at"`
		} `json:"items"`
	}
	for _, c := range []struct {
		who   string
		query string
		kinds []string
	}{
		{"admin", "", []string{"offer_sent", "referral_sent"}},
		{"admin", "?kind=referral_sent&status=pending", []string{"referral_sent"}},
		{"admin", "?status=sent", nil},
		{"officer", "", []string{"offer_sent"}},
		{"leedsOfficer", "", nil},
		{"provider", "", []string{"referral_sent"}},
		{"otherProvider", "", nil},
	} {
		r := f.do(c.who, "GET", "/v1/notifications"+c.query, nil)
		var p page
		if r.status != 200 || json.Unmarshal(r.body, &p) != nil {
			t.Fatalf("%s: %d %s", c.who, r.status, r.body)
		}
		var kinds []string
		for _, n := range p.Items {
			kinds = append(kinds, n.Kind)
			if n.Status != "pending" || n.NextAttemptAt == "" || n.Text == "" {
				t.Errorf("%s sees %+v", c.who, n)
			}
			if n.Kind == "offer_sent" && (n.Link != "/v1/offers/"+o.ID.String() || n.To.Council != string(manchester) || n.To.Team != "placements") {
				t.Errorf("offer_sent: %+v", n)
			}
		}
		if !slices.Equal(kinds, c.kinds) {
			t.Errorf("%s%s: kinds %v, want %v", c.who, c.query, kinds, c.kinds)
		}
	}
	for _, q := range []string{"?status=lost", "?kind=gossip", "?team=x"} {
		if r := f.do("admin", "GET", "/v1/notifications"+q, nil); r.status != 400 {
			t.Errorf("%s: %d", q, r.status)
		}
	}

	put := func(path, email string) response {
		return f.do("admin", "PUT", "/v1/notification-addresses/"+path, map[string]any{"email": email})
	}
	for _, c := range []struct{ path, email, field string }{
		{"councils/E08000003/teams/placements", "not an address", "email"},
		{"councils/E08000003/teams/Placements", "a@example.org", "team"},
		{"councils/E99/teams/placements", "a@example.org", "council"},
		{"providers/0", "a@example.org", "id"},
		{"providers/999999", "a@example.org", "provider"},
	} {
		r := put(c.path, c.email)
		if r.status != 400 || !namesField(r.body, c.field) {
			t.Errorf("PUT %s %q: %d %s, want 400 naming %s", c.path, c.email, r.status, r.body, c.field)
		}
	}
	if r := put("councils/E08000003/teams/placements", "placements@manchester.example.gov.uk"); r.status != 200 {
		t.Fatalf("set: %d %s", r.status, r.body)
	}
	if r := put("providers/"+f.provider.ID.String(), "referrals@agency.example.org"); r.status != 200 {
		t.Fatalf("set: %d %s", r.status, r.body)
	}
	r := f.do("admin", "GET", "/v1/notification-addresses", nil)
	var addrs []struct {
		Email string `json:"email"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &addrs) != nil || len(addrs) != 2 || addrs[0].Email != "referrals@agency.example.org" {
		t.Fatalf("addresses: %d %s", r.status, r.body)
	}
	if r := f.do("admin", "DELETE", "/v1/notification-addresses/councils/E08000003/teams/placements", nil); r.status != 204 {
		t.Fatalf("remove: %d %s", r.status, r.body)
	}
	if r := f.do("admin", "DELETE", "/v1/notification-addresses/councils/E08000003/teams/placements", nil); r.status != 404 {
		t.Errorf("remove again: %d %s", r.status, r.body)
	}
}

// namesField reports whether a problem body names field among its errors.
func namesField(body []byte, field string) bool {
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &p) != nil {
		return false
	}
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}
