package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

type referralBody struct {
	ID        int64  `json:"id"`
	Placement int64  `json:"placement"`
	Status    string `json:"status"`
	Version   int    `json:"version"`
	Reason    string `json:"reason"`
	Profile   *struct {
		FirstName    string `json:"first_name"`
		Age          int    `json:"age"`
		NeededByPDS  string `json:"needed_by_pds"`
		SiblingCount int    `json:"sibling_count"`
	} `json:"profile"`
}

// refer refers the child to the homes and returns the referrals.
func (f *offerFixture) refer(t *testing.T, child catalogue.ChildID, homes ...catalogue.PlacementID) []referralBody {
	t.Helper()
	r := f.do("officer", "POST", "/v1/children/"+id(child)+"/referrals", map[string]any{"placements": homes})
	f.want(r, 201)
	var out struct{ Items []referralBody }
	r.json(t, &out)
	return out.Items
}

// answer is the provider's answer to a referral.
func (f *offerFixture) answer(ref referralBody, body map[string]any) response {
	body["version"] = ref.Version
	return f.do("provider", "POST", fmt.Sprintf("/v1/referrals/%d/response", ref.ID), body)
}

var accept = map[string]any{"outcome": "accepted", "impact_assessment": "Amy would get on with the boy of 9 here.", "weekly_fee": 0}

// TestReferralToDecision walks a child from options to referrals, two acceptances (and one
// decline), the child's page and the decision, on both stores: only the agreed homes reach
// the child; the provider reads a profile with no address, school or family; the decision
// withdraws the other referral and frees what it held; a declined or expired home can never be
// a choice.
func TestReferralToDecision(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newOfferFixture(t, st)
		f.noAgree = true
		clock := sqltest.Clock(t, st)
		patel, jones, smith := f.homes[0].ID, f.homes[1].ID, f.homes[2].ID

		f.want(f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/options", nil), 200)
		// Nothing agreed yet: no offer.
		f.want(f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/offers", nil), 409)
		refs := f.refer(t, f.amy.ID, patel, jones, smith)
		if len(refs) != 3 || refs[0].Status != "sent" {
			t.Fatalf("referrals %+v", refs)
		}
		// Another provider sees none of them; the home's provider reads the profile, and the
		// referral is viewed.
		f.want(f.do("otherProvider", "GET", fmt.Sprintf("/v1/referrals/%d", refs[0].ID), nil), 404)
		r := f.do("provider", "GET", fmt.Sprintf("/v1/referrals/%d", refs[0].ID), nil)
		f.want(r, 200)
		var seen referralBody
		r.json(t, &seen)
		if seen.Status != "viewed" || seen.Profile == nil || seen.Profile.FirstName != f.amy.FirstName || seen.Profile.Age != 13 {
			t.Errorf("the provider's view %+v", seen)
		}
		for _, leak := range []string{"school", "contacts", "home\"", "lat", "Mum", "case_ref"} {
			if strings.Contains(string(r.body), leak) {
				t.Errorf("the referral profile shows %q: %s", leak, r.body)
			}
		}
		refs[0].Version = seen.Version

		// Bad answers name their field; an accept needs the impact assessment.
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"outcome": "accepted"}, "impact_assessment"},
			{map[string]any{"outcome": "declined"}, "decline_reason"},
			{map[string]any{"outcome": "declined", "decline_reason": "other"}, "note"},
			{map[string]any{"outcome": "maybe"}, "outcome"},
			{map[string]any{"outcome": "accepted", "impact_assessment": "ok", "weekly_fee": -1}, "weekly_fee"},
		} {
			r := f.answer(refs[0], c.body)
			f.want(r, 400)
			wantField(t, r, c.field)
		}
		f.want(f.answer(refs[0], accept), 200)
		f.want(f.answer(refs[0], accept), 409) // stale version, and answered already
		f.want(f.answer(refs[1], accept), 200)
		f.want(f.answer(refs[2], map[string]any{"outcome": "declined", "decline_reason": "matching_concerns"}), 200)

		// A held place is not a vacancy for anyone else.
		p, err := st.Placement(t.Context(), catalogue.Everything, patel)
		if err != nil {
			t.Fatal(err)
		}
		if p.OpenVacancies(f.today.AddDate(1, 0, 0)) != 0 {
			t.Errorf("Patel's only place is still a vacancy after the acceptance: %+v", p.Vacancies)
		}

		// The declined home cannot be named; the offer is the two agreed homes.
		r = f.do("officer", "POST", "/v1/children/"+id(f.amy.ID)+"/offers", map[string]any{"placements": []int64{int64(patel), int64(smith)}})
		f.want(r, 400)
		wantField(t, r, "placements[1]")
		o, link := f.makeOffer(f.amy.ID)
		choices, backups := o.roles()
		if len(choices) != 2 || len(backups) != 0 || fmt.Sprint(choices) == fmt.Sprint([]int64{int64(smith)}) {
			t.Fatalf("choices %v, back-ups %v: want Patel and Jones", choices, backups)
		}
		for _, c := range choices {
			if c == int64(smith) {
				t.Fatalf("the declined home is a choice: %v", choices)
			}
		}
		// The child's page says the homes would like to welcome them.
		kid := f.visitor("203.0.113.9")
		f.want(kid.do("POST", link, nil), 303)
		page := kid.do("GET", fmt.Sprintf("/child/offers/%d", o.ID), nil)
		if page.status != 200 || !strings.Contains(string(page.body), "would like to welcome you") {
			t.Errorf("the child's page does not say the homes agreed: %d %s", page.status, page.body)
		}

		// The decision: Patel. Jones's referral is withdrawn, its place free again.
		o = f.offer("officer", o.ID)
		r = f.do("officer", "POST", fmt.Sprintf("/v1/offers/%d/decision", o.ID), map[string]any{"version": o.Version,
			"outcome": "accepted", "placement": patel, "reason": "Amy chose it."})
		f.want(r, 200)
		r = f.do("officer", "GET", fmt.Sprintf("/v1/referrals?child=%d", f.amy.ID), nil)
		var all struct{ Items []referralBody }
		r.json(t, &all)
		want := map[int64]string{int64(patel): "accepted", int64(jones): "withdrawn", int64(smith): "declined"}
		for _, ref := range all.Items {
			if want[ref.Placement] != ref.Status {
				t.Errorf("after the decision the referral to %d is %s, want %s", ref.Placement, ref.Status, want[ref.Placement])
			}
		}
		if p, _ := st.Placement(t.Context(), catalogue.Everything, jones); p.OpenVacancies(f.today.AddDate(1, 0, 0)) != 1 {
			t.Errorf("Jones's place was not released: %+v", p.Vacancies)
		}

		// Expiry: another child of the council is referred; the provider does not answer
		// in time, so the home can never be their choice.
		c, err := st.CreateChild(t.Context(), catalogue.Everything, childIn(manchester, "Bea"))
		if err != nil {
			t.Fatal(err)
		}
		late := f.refer(t, c.ID, jones)
		clock.Advance(49 * time.Hour)
		f.want(f.answer(late[0], accept), 409)
		r = f.do("officer", "GET", fmt.Sprintf("/v1/referrals/%d", late[0].ID), nil)
		var exp referralBody
		r.json(t, &exp)
		if exp.Status != "expired" {
			t.Errorf("an unanswered referral past its deadline is %s, want expired", exp.Status)
		}
		r = f.do("officer", "POST", "/v1/children/"+id(c.ID)+"/offers", map[string]any{"placements": []int64{int64(jones)}, "one_choice_reason": "x"})
		f.want(r, 400)
		wantField(t, r, "placements[0]")

		// A hold runs out: the accepted home leaves the open offer, and an offer of that one
		// home is withdrawn.
		held := f.refer(t, c.ID, jones)
		f.want(f.answer(held[0], accept), 200)
		r = f.do("officer", "POST", "/v1/children/"+id(c.ID)+"/offers", map[string]any{"one_choice_reason": "Only one home has room."})
		f.want(r, 201)
		var one offerBody
		r.json(t, &one)
		clock.Advance(73 * time.Hour)
		f.want(f.do("officer", "GET", "/v1/referrals", nil), 200) // the sweep runs
		one = f.offer("officer", one.ID)
		if one.Status != "withdrawn" {
			t.Errorf("an offer whose only home's hold ran out is %s, want withdrawn", one.Status)
		}
	})
}
