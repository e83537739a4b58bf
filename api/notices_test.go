package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// placementNotice accepts an offer for a new child of Manchester, Mia, in a home of Leeds (out of
// area: the director's sign-off given) and returns her notice to to.
func (f *fixture) placementNotice(to catalogue.NoticeTo) catalogue.PlacementNotice {
	f.t.Helper()
	home := f.addHome("Leeds household", 53.8, -1.55, 1, func(p *catalogue.Placement) { p.Council = leeds })
	mia, err := f.store.CreateChild(context.Background(), catalogue.Everything, childIn(manchester, "Mia"))
	if err != nil {
		f.t.Fatal(err)
	}
	ctx := context.Background()
	o, err := f.store.CreateOffer(ctx, catalogue.Everything, catalogue.Offer{Child: mia.ID,
		Options: []catalogue.Option{{Rank: 1, Role: catalogue.RoleChoice, Placement: home.ID, Score: 0.5, Quality: 0.5, SchoolKm: -1}}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.want(f.do("manager", "POST", "/v1/offers/"+o.ID.String()+"/sign-offs", map[string]any{"kind": "distant_out_of_area",
		"placement": int64(home.ID), "reason": "No nearer home can keep her safe."}), 201)
	if _, err := f.store.DecideOffer(ctx, catalogue.Everything, o.ID, o.Version,
		catalogue.Decision{Accepted: true, Placement: home.ID, Reason: "The offer was not sent: an emergency."}); err != nil {
		f.t.Fatal(err)
	}
	ns, err := f.store.ListPlacementNotices(context.Background(), catalogue.Everything, catalogue.NoticeFilter{Child: mia.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, n := range ns.Items {
		if n.To == to {
			return n
		}
	}
	f.t.Fatalf("no notice to %s among %+v", to, ns.Items)
	return catalogue.PlacementNotice{}
}

type noticeBody struct {
	ID        int64  `json:"id"`
	Child     int64  `json:"child"`
	ChildName string `json:"child_name"`
	To        string `json:"to"`
	Citation  string `json:"citation"`
	Area      string `json:"area"`
	Status    string `json:"status"`
	SentHow   string `json:"sent_how"`
	Version   int    `json:"version"`
	Overdue   bool   `json:"overdue"`
}

// TestPlacementNoticesOverHTTP: the child's council's officer lists the child's notices, naming
// the child, and marks one sent (400 naming how when it says no way; 409 the second time); the
// area authority's officer sees its own notice without the child's name, and may not mark it.
func TestPlacementNoticesOverHTTP(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	iro := f.placementNotice(catalogue.NoticeIRO)
	var page struct{ Items []noticeBody }
	r := f.do("officer", "GET", "/v1/children/"+iro.Child.String()+"/placement-notices", nil)
	f.want(r, 200)
	r.json(t, &page)
	var tos []string
	for _, n := range page.Items {
		tos = append(tos, n.To)
		if n.ChildName != "Mia" || n.Status != "pending" || !strings.Contains(n.Citation, "regulation 13") {
			t.Errorf("notice %+v", n)
		}
	}
	if !slices.Equal(tos, []string{"area_authority", "iro", "school", "gp", "health"}) {
		t.Fatalf("notices to %v", tos)
	}
	path := "/v1/placement-notices/" + iro.ID.String() + "/sent"
	r = f.do("officer", "POST", path, map[string]any{"version": iro.Version, "how": "owl"})
	f.want(r, 400)
	if !strings.Contains(string(r.body), `"how"`) {
		t.Errorf("400 not naming how: %s", r.body)
	}
	r = f.do("leedsOfficer", "POST", path, map[string]any{"version": iro.Version, "how": "post"})
	f.want(r, 404)
	r = f.do("officer", "POST", path, map[string]any{"version": iro.Version, "how": "post", "note": "First class, ref 42."})
	f.want(r, 200)
	var sent noticeBody
	r.json(t, &sent)
	if sent.Status != "sent" || sent.SentHow != "post" {
		t.Fatalf("sent %+v", sent)
	}
	f.want(f.do("officer", "POST", path, map[string]any{"version": sent.Version, "how": "post"}), 409)

	r = f.do("leedsOfficer", "GET", "/v1/placement-notices", nil)
	f.want(r, 200)
	page.Items = nil
	r.json(t, &page)
	if len(page.Items) != 1 || page.Items[0].To != "area_authority" || page.Items[0].ChildName != "" || page.Items[0].Area != string(leeds) {
		t.Fatalf("Leeds sees %+v, want its area authority's notice without the child's name", page.Items)
	}
}
