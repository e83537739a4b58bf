package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
)

var shownToken = regexp.MustCompile(`<code id="secret"[^>]*>(pm_[^<]+)</code>`)

// TestAdministratorManagesTokens: each mistake in a new token is the form again (400) naming the
// field, nothing written; a right one shows its secret once, and the API answers it with the
// role and scope chosen; the list shows it live, then revoked, and the API refuses it; an
// account's own token cannot be revoked from the page; GET /v1/tokens lists every token, never a
// secret.
func TestAdministratorManagesTokens(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	secret := f.sessions["admin"]
	cookie := &http.Cookie{Name: "placematch_session", Value: secret}
	post := func(path string, form url.Values) response {
		return f.browse(browserCall{method: http.MethodPost, path: path, cookie: cookie, form: form, csrf: api.WorkspaceCSRF(secret)})
	}
	count := func() int {
		var list struct{ Items []struct{ ID int64 } }
		f.do("admin", "GET", "/v1/tokens", nil).json(t, &list)
		return len(list.Items)
	}
	before := count()
	good := url.Values{"label": {"North West portal"}, "role": {"commissioner"}, "region": {"E12000002"}, "days": {"30"},
		"level": {"director"}} // a level is not a commissioner's: ignored
	with := func(k, v string) url.Values {
		u := url.Values{}
		for key, vs := range good {
			u[key] = vs
		}
		u.Set(k, v)
		return u
	}
	for _, m := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no label", with("label", " "), "label"},
		{"no role", with("role", ""), "role"},
		{"a region and a council", with("council", string(manchester)), "region"},
		{"days that are not a number", with("days", "a month"), "days"},
		{"too many days", with("days", "9999"), "days"},
		{"an officer without a council", with("role", "officer"), "council"},
	} {
		r := post("/workspace/admin/tokens", m.form)
		if r.status != 400 || !strings.Contains(string(r.body), `href="#`+m.field+`"`) {
			t.Errorf("%s: %d, want 400 with the error linked to %s", m.name, r.status, m.field)
		}
	}
	if n := count(); n != before {
		t.Fatalf("refused tokens were written: %d tokens, want %d", n, before)
	}
	r := post("/workspace/admin/tokens", good)
	m := shownToken.FindSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("a new token: %d without its secret shown: %.400s", r.status, r.body)
	}
	f.tokens["portal"] = string(m[1])
	var me struct{ Role, Region string }
	f.do("portal", "GET", "/v1/me", nil).json(t, &me)
	if me.Role != "commissioner" || me.Region != "E12000002" {
		t.Errorf("the new token speaks for %+v", me)
	}
	list := f.do("~admin", "GET", "/workspace/admin/tokens", nil)
	if list.status != 200 || !strings.Contains(string(list.body), "North West portal") || strings.Contains(string(list.body), string(m[1])) {
		t.Fatalf("the tokens page: %d, without the new token or showing its secret", list.status)
	}
	all := f.do("admin", "GET", "/v1/tokens", nil)
	if strings.Contains(string(all.body), string(m[1])) || strings.Contains(string(all.body), `"token":`) {
		t.Error("GET /v1/tokens shows a secret")
	}
	var tokens struct {
		Items []struct {
			ID    int64
			Label string
		}
	}
	all.json(t, &tokens)
	var id int64
	for _, tk := range tokens.Items {
		if tk.Label == "North West portal" {
			id = tk.ID
		}
	}
	if r := post(fmt.Sprintf("/workspace/admin/tokens/%d/revoke", id), url.Values{}); r.status != 303 {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := f.do("portal", "GET", "/v1/me", nil); r.status != 401 {
		t.Errorf("a revoked token: %d, want 401", r.status)
	}
	if page := f.do("~admin", "GET", "/workspace/admin/tokens?revoked=1", nil); !strings.Contains(string(page.body), "Revoked") {
		t.Error("the list does not show the token revoked")
	}
	// The administrator's own account's token: refused from the page.
	accounts, err := f.store.ListAccounts(t.Context())
	if err != nil || len(accounts) == 0 {
		t.Fatal(err)
	}
	if r := post(fmt.Sprintf("/workspace/admin/tokens/%d/revoke", accounts[0].Token), url.Values{}); r.status != 409 {
		t.Errorf("revoking an account's own token: %d, want 409", r.status)
	}
}
