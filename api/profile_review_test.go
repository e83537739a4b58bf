package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// reviewView is what the placement's JSON says of its words' review.
type reviewView struct {
	Version           int        `json:"version"`
	Profile           string     `json:"profile"`
	ProfileHash       string     `json:"profile_hash"`
	ProfileApproved   bool       `json:"profile_approved"`
	ProfileApprovedAt *time.Time `json:"profile_approved_at"`
}

func (f *offerFixture) review(who string, p catalogue.PlacementID) reviewView {
	f.t.Helper()
	r := f.do(who, "GET", "/v1/placements/"+p.String(), nil)
	f.want(r, 200)
	var v reviewView
	r.json(f.tt, &v)
	return v
}

// TestChildSeesOnlyApprovedWords: a home's own words reach the child's page only once an officer
// or administrator other than their author has approved that exact text, and then without its
// address; providers may not approve; any change to the text withdraws the approval at once;
// the approval shows to officers and providers, never to the child. On both stores.
func TestChildSeesOnlyApprovedWords(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newOfferFixture(t, s)
		patel, jones := f.homes[0], f.homes[1] // their words: one with an address, one without
		o, link := f.makeOffer(f.amy.ID)
		choices, backups := o.roles()
		if !slices.Contains(append(choices, backups...), int64(patel.ID)) || !slices.Contains(choices, int64(jones.ID)) {
			t.Fatalf("the offer does not have both homes with words: %+v", o.Options)
		}
		kid := f.visitor("203.0.113.30")
		f.want(kid.do("POST", link, nil), 303)
		path := fmt.Sprintf("/child/offers/%d", o.ID)
		sees := func(words ...string) {
			t.Helper()
			page, js := kid.do("GET", path, nil), kid.do("GET", path+"/json", nil)
			f.want(page, 200)
			f.want(js, 200)
			for _, body := range [][]byte{page.body, js.body} {
				for _, w := range []string{"We love baking", "good listener", "kind and fun", "Oak Road", "M14", "approved", "profile"} {
					want := slices.Contains(words, w)
					if got := strings.Contains(string(body), w); got != want {
						t.Errorf("the child's page shows %q: %v, want %v", w, got, want)
					}
				}
			}
		}

		// Nobody has approved the words: the child reads none of them.
		sees()
		v := f.review("provider", patel.ID)
		if v.ProfileApproved || v.ProfileApprovedAt != nil || v.ProfileHash != catalogue.ProfileHash(patel.Profile) {
			t.Fatalf("before approval the provider reads %+v", v)
		}

		// Providers and commissioners may not approve; a malformed or stale hash is refused.
		approve := func(who string, p catalogue.PlacementID, hash string) response {
			return f.do(who, "POST", "/v1/placements/"+p.String()+"/profile-approval", map[string]any{"profile_hash": hash})
		}
		f.want(approve("provider", patel.ID, v.ProfileHash), 403)
		f.want(approve("commissioner", patel.ID, v.ProfileHash), 403)
		bad := approve("officer", patel.ID, "not a hash")
		f.want(bad, 400)
		if p := bad.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "profile_hash" {
			t.Errorf("a malformed hash: %+v", p)
		}
		f.want(approve("officer", patel.ID, catalogue.ProfileHash("other words")), 409)
		f.want(approve("officer", 99999, v.ProfileHash), 404)
		sees()

		// An officer approves the words they read: the child reads them, without the address.
		sqltest.Clock(t, s).Advance(time.Minute)
		r := approve("officer", patel.ID, strings.ToUpper(v.ProfileHash))
		f.want(r, 200)
		var ok reviewView
		r.json(t, &ok)
		if !ok.ProfileApproved || ok.ProfileApprovedAt == nil || !ok.ProfileApprovedAt.Equal(s.Now()) || ok.Version != v.Version+1 {
			t.Fatalf("approved: %+v, want approved at %v, version %d", ok, s.Now(), v.Version+1)
		}
		if got := f.review("provider", patel.ID); !got.ProfileApproved {
			t.Errorf("the provider does not see the approval: %+v", got)
		}
		sees("We love baking")

		// The provider changes the words: the approval is withdrawn in the same write, and the
		// child reads neither the old words nor the new.
		pl := f.read("/v1/placements/" + patel.ID.String())
		pl["profile"] = "We are kind and fun. We love baking."
		delete(pl, "vacancies")
		r = f.do("provider", "PUT", "/v1/placements/"+patel.ID.String(), pl)
		f.want(r, 200)
		var edited reviewView
		r.json(t, &edited)
		if edited.ProfileApproved || edited.ProfileApprovedAt != nil {
			t.Fatalf("after the provider's edit: %+v", edited)
		}
		sees()
		f.want(approve("officer", patel.ID, v.ProfileHash), 409) // the words the officer read before

		// An administrator who writes words is their author: another approves them.
		jl := f.read("/v1/placements/" + jones.ID.String())
		jl["profile"] = "I have fostered for ten years and I am a good listener. Ring 07700 900123."
		delete(jl, "vacancies")
		f.want(f.do("admin", "PUT", "/v1/placements/"+jones.ID.String(), jl), 200)
		jv := f.review("admin", jones.ID)
		own := approve("admin", jones.ID, jv.ProfileHash)
		f.want(own, 403)
		if p := own.problem(t); !strings.Contains(p.Detail, "did not write") {
			t.Errorf("refusing the author's approval: %+v", p)
		}
		f.want(approve("officer", jones.ID, jv.ProfileHash), 200)
		sees("good listener")
		page := kid.do("GET", path, nil)
		if strings.Contains(string(page.body), "07700") {
			t.Error("the approved words still show their phone number")
		}

		// Withdrawn on request: the child reads nothing of them again.
		r = f.do("officer", "DELETE", "/v1/placements/"+jones.ID.String()+"/profile-approval", nil)
		f.want(r, 200)
		f.want(f.do("provider", "DELETE", "/v1/placements/"+jones.ID.String()+"/profile-approval", nil), 403)
		sees()

		// Each approval and withdrawal is audited, with who made it.
		r = f.do("admin", "GET", "/v1/audit?subject=placement:"+jones.ID.String(), nil)
		f.want(r, 200)
		var audit struct {
			Items []struct {
				Action string `json:"action"`
				Role   string `json:"role"`
			} `json:"items"`
		}
		r.json(t, &audit)
		var got []string
		for _, e := range audit.Items {
			if strings.Contains(e.Action, "profile") {
				got = append(got, e.Action+" by "+e.Role)
			}
		}
		if want := []string{"approve_profile by officer", "withdraw_profile_approval by officer"}; !slices.Equal(got, want) {
			t.Errorf("audited %v, want %v", got, want)
		}
	})
}
