package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
)

// TestCheckInPageAfterEighteen: a young person of 16 or 17 checking in is told, from their
// current placement, about Staying Put with their own carers (as far as the carers have said:
// s23CZA) or Staying Close in a children's home; a younger child, or one of 18 living
// elsewhere, is told nothing of it.
func TestCheckInPageAfterEighteen(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		years      int
		setting    catalogue.Setting
		stayingPut catalogue.StayingPut
		says       string // empty: no "After you turn 18" at all
	}{
		{"children's home", 16, catalogue.SettingChildrensHome, "", "(this is called Staying Close)"},
		{"agreed", 17, catalogue.SettingCouncilFoster, catalogue.StayingPutAgreed, "have agreed that you can stay"},
		{"willing", 16, catalogue.SettingKinship, catalogue.StayingPutWilling, "Your carers would like you to be able to stay"},
		{"not asked", 16, catalogue.SettingAgencyFoster, "", "You might be able to stay with your carers"},
		{"not willing", 16, catalogue.SettingAgencyFoster, catalogue.StayingPutNotWilling, "You might be able to stay with your carers"},
		{"younger", 15, catalogue.SettingChildrensHome, "", ""},
		{"supported", 17, catalogue.SettingSupported, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newOfferFixture(t, nil)
			ctx := context.Background()
			c := childIn(manchester, "Nia")
			c.DateOfBirth = today.AddDate(-tc.years, 0, -30)
			nia, err := f.store.CreateChild(ctx, catalogue.Everything, c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.store.StartPlacement(ctx, catalogue.Everything, catalogue.Episode{Child: nia.ID,
				Start: today.AddDate(0, 0, -10), Setting: tc.setting, StayingPut: tc.stayingPut}); err != nil {
				t.Fatal(err)
			}
			r := f.do("officer", "POST", "/v1/children/"+id(nia.ID)+"/check-in-links", map[string]any{"expires_in_days": 7})
			f.want(r, 201)
			var b checkInLinkBody
			r.json(f.tt, &b)
			u, err := url.Parse(b.Link.URL)
			if err != nil {
				t.Fatal(err)
			}
			kid := f.visitor("203.0.113.41")
			f.want(kid.do("POST", u.Path, nil), 303)
			page := kid.do("GET", "/child/check-in", nil)
			f.want(page, 200)
			body := string(page.body)
			switch told := strings.Contains(body, "After you turn 18"); {
			case tc.says == "" && told:
				t.Errorf("told about after 18:\n%s", body)
			case tc.says != "" && !strings.Contains(body, tc.says):
				t.Errorf("not told %q:\n%s", tc.says, body)
			}
		})
	}
}
