package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
)

// TestProviderEditsAHome: the provider's forms change what the API would, and refuse what it
// would: another provider's home is not found; words too long are the page again naming the
// field, with nothing written; a stale version is a conflict; a place held for a child cannot
// be withdrawn from the page; a form without its CSRF token is refused.
func TestProviderEditsAHome(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	secret := f.sessions["provider"]
	browse := func(path string, form url.Values, csrf string) response {
		return f.browse(browserCall{method: http.MethodPost, path: path, cookie: &http.Cookie{Name: "placematch_session", Value: secret},
			form: form, csrf: csrf})
	}
	f.referAndAgree() // the provider's yes holds a place for Amy
	home := fmt.Sprintf("/workspace/homes/%d", f.place.ID)
	cur, err := f.store.Placement(context.Background(), catalogue.Everything, f.place.ID)
	if err != nil {
		t.Fatal(err)
	}
	post := func(path string, form url.Values) response { return browse(path, form, api.WorkspaceCSRF(secret)) }
	version := fmt.Sprint(cur.Version)

	if r := post(fmt.Sprintf("/workspace/homes/%d/words", f.other.ID), url.Values{"version": {"1"}, "words": {"Hello"}}); r.status != 404 {
		t.Errorf("another provider's home: %d, want 404", r.status)
	}
	r := post(home+"/words", url.Values{"version": {version}, "words": {strings.Repeat("a", catalogue.MaxWordsLen+1)}})
	if r.status != 400 || !strings.Contains(string(r.body), `href="#words"`) {
		t.Errorf("words too long: %d, want 400 with the error linked to the words", r.status)
	}
	if after, _ := f.store.Placement(context.Background(), catalogue.Everything, f.place.ID); after.Version != cur.Version || after.Profile != cur.Profile {
		t.Errorf("refused words changed the home: version %d, profile %q", after.Version, after.Profile)
	}
	if r := post(home+"/words", url.Values{"version": {fmt.Sprint(cur.Version + 5)}, "words": {"Hello"}}); r.status != 409 {
		t.Errorf("a stale version: %d, want 409", r.status)
	}
	if r := post(home+"/words", url.Values{"version": {version}, "words": {"We live by the park."}}); r.status != 303 {
		t.Fatalf("new words: %d %s", r.status, r.body)
	}
	if after, _ := f.store.Placement(context.Background(), catalogue.Everything, f.place.ID); after.Profile != "We live by the park." || after.ProfileApproved() {
		t.Errorf("after the words: %q, approved %v; want the new words, not approved", after.Profile, after.ProfileApproved())
	}
	// The fixture's place is held for a child: the page does not free it.
	checked := 0
	for _, v := range cur.Vacancies {
		if v.Status != catalogue.VacancyHeld && v.Status != catalogue.VacancyFilled {
			continue
		}
		checked++
		if r := post(fmt.Sprintf("/workspace/places/%d", v.ID), url.Values{"version": {fmt.Sprint(v.Version)}, "status": {"withdrawn"}}); r.status < 400 || r.status >= 500 {
			t.Errorf("withdrawing a place %s: %d, want a refusal", v.Status, r.status)
		}
	}
	if checked == 0 {
		t.Error("the fixture's home has no place held or filled to try")
	}
	if r := post(home+"/places", url.Values{"from-day": {"30"}, "from-month": {"2"}, "from-year": {"2027"}}); r.status != 400 {
		t.Errorf("30 February: %d, want 400", r.status)
	}
	if r := browse(home+"/places", url.Values{"from-day": {"1"}, "from-month": {"3"}, "from-year": {"2027"}}, ""); r.status != 403 {
		t.Errorf("without the CSRF token: %d, want 403", r.status)
	}
	if r := post(home+"/places", url.Values{"from-day": {"1"}, "from-month": {"3"}, "from-year": {"2027"}}); r.status != 303 {
		t.Errorf("a place from 1 March 2027: %d %s", r.status, r.body)
	}
}
