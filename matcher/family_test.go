package matcher

import (
	"context"
	"slices"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/scoring"
)

// TestKinFirst: a child assessed for any family-based care sees connected persons assessed for
// them first, in their options and as the primary offer of a joint match, however their scores
// compare (Children Act 1989 s22C(7)(a)), unless the officer recorded why not: then they are
// ranked by score like any home. A child assessed for a children's home does not see them.
func TestKinFirst(t *testing.T) {
	t.Parallel()
	w := testWorld(t)
	pol := catalogue.DefaultPolicy()
	reqs := requests(w)
	// A waiting child on their own, with at least two unconnected options.
	base := newTestEngine(t)
	var req scoring.Request
	var best Option
	for _, r := range reqs {
		if len(r.Group) > 0 || r.Child.CareType != catalogue.CareFamilyFoster {
			continue
		}
		res, err := base.Options(context.Background(), OptionsRequest{Request: r, Policy: pol})
		if err == nil && len(res.Options) >= 3 {
			req, best = r, res.Options[0]
			break
		}
	}
	if req.Child.ID == 0 {
		t.Fatal("no child to test with")
	}
	// The child's aunt: a kinship home connected to them, further away than the best home and
	// with a poorer record, so that by score alone she would not come first.
	kin := best.Placement
	kin.ID = 1 << 40
	kin.Kind, kin.ConnectedTo, kin.Ofsted, kin.Registration = catalogue.Kinship, []catalogue.ChildID{req.Child.ID}, "", ""
	kin.Stability = catalogue.StabilityRecord{EndedUnplanned: 12}
	kin.Languages, kin.Religion, kin.Ethnicity, kin.Household.Pets = []string{"xx"}, "", "", nil
	kin.Location = catalogue.Location{Lat: kin.Location.Lat + 0.25, Lng: kin.Location.Lng}
	for i := range kin.Vacancies {
		kin.Vacancies[i].Placement = kin.ID
	}
	e := NewEngineFrom(append(slices.Clone(w.Placements), kin), Options{})

	tests := []struct {
		care      catalogue.CareType
		reason    string
		kinFirst  bool
		kinOffers bool // the aunt's home passes the care type at all
	}{
		{catalogue.CareFamilyFoster, "", true, true},
		{catalogue.CareKinship, "", true, true},
		{catalogue.CareEither, "", true, true},
		{catalogue.CareFamilyFoster, "Her aunt asked for a month to think it over.", false, true},
		{catalogue.CareKinship, "The family court has not yet heard the aunt's application.", false, true},
		{catalogue.CareChildrensHome, "", false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.care)+"/"+tt.reason, func(t *testing.T) {
			t.Parallel()
			r := req
			r.Child.CareType, r.Child.KinNotFirstReason = tt.care, tt.reason
			res, err := e.Options(context.Background(), OptionsRequest{Request: r, Policy: pol, Limit: MaxOptions})
			if err != nil {
				t.Fatal(err)
			}
			at := slices.IndexFunc(res.Options, func(o Option) bool { return o.Placement.ID == kin.ID })
			switch {
			case tt.kinFirst && at != 0:
				t.Fatalf("the aunt's home is at %d, want first", at)
			case !tt.kinOffers && at >= 0:
				t.Fatalf("the aunt's home is offered for care type %s", tt.care)
			case tt.kinOffers && !tt.kinFirst && at == 0:
				t.Fatalf("the aunt's home is first though the officer recorded why not")
			}
			if tt.kinOffers && !tt.kinFirst && at > 0 && res.Options[at].Result.Quality >= res.Options[0].Result.Quality {
				t.Fatalf("by score alone the aunt's home would be first: the test proves nothing")
			}
			if tt.kinOffers && tt.care != catalogue.CareKinship && len(res.Options) < 2 {
				t.Fatalf("only %d options: unconnected carers should follow the aunt", len(res.Options))
			}
			if tt.care == catalogue.CareKinship && !slices.ContainsFunc(res.Options, func(o Option) bool { return o.Placement.Kind != catalogue.Kinship }) {
				t.Errorf("a child assessed for kinship care sees no unconnected foster carers after their family")
			}

			// The joint match: the aunt's home is the child's primary offer.
			m, err := e.Match(context.Background(), MatchRequest{Children: []scoring.Request{r}, Policy: pol})
			if err != nil {
				t.Fatal(err)
			}
			offers := m.Children[0].Offers
			gotFirst := len(offers) > 0 && offers[0].Placement == kin.ID
			if gotFirst != tt.kinFirst {
				t.Errorf("joint match: the aunt's home first %v, want %v (offers %v)", gotFirst, tt.kinFirst, offers)
			}
		})
	}
}
