package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/internal/passwd"
)

func TestAccountAdd(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "p.db")
	vars := map[string]string{"PLACEMATCH_DB": db}
	add := func(stdin string, args ...string) (string, error) {
		var out syncBuffer
		err := run(context.Background(), append([]string{"account", "add"}, args...), envFunc(vars), strings.NewReader(stdin), &out, io.Discard)
		return strings.TrimSpace(out.String()), err
	}
	generated, err := add("", "--role", "officer", "--council", "E08000003", "--name", "Olu Officer", "--email", "Olu@Manchester.example.gov.uk")
	if err != nil || len(generated) < 20 {
		t.Fatalf("account add printed %q: %v", generated, err)
	}
	if out, err := add("a password typed in\n", "--role", "manager", "--council", "E08000003", "--level", "director",
		"--name", "Mina Manager", "--email", "mina@manchester.example.gov.uk", "--password-stdin"); err != nil || out != "" {
		t.Fatalf("account add --password-stdin: %q %v (the password is not printed)", out, err)
	}
	for _, bad := range [][]string{
		{"--role", "officer", "--name", "No Council", "--email", "x@example.org"},
		{"--role", "king", "--name", "A King", "--email", "king@example.org"},
		{"--role", "officer", "--council", "E08000003", "--name", "Olu Again", "--email", "olu@manchester.example.gov.uk"}, // taken
		{"--role", "officer", "--council", "E08000003", "--name", "Short", "--email", "short@example.org", "--password-stdin"},
	} {
		if _, err := add("short\n", bad...); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for email, pw := range map[string]string{"olu@manchester.example.gov.uk": generated, "mina@manchester.example.gov.uk": "a password typed in"} {
		a, err := st.AccountByEmail(context.Background(), email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if ok, err := passwd.Check(a.PasswordHash, pw); !ok || err != nil {
			t.Errorf("%s: the password does not check: %v", email, err)
		}
		if a.Role == catalogue.RoleManager && a.Level != catalogue.LevelDirector {
			t.Errorf("%s: level %q", email, a.Level)
		}
	}
}

// checkDemoAccounts signs in with each demo account the first start printed: one per role,
// with a commissioner of Lancashire; the officer reaches the worklist.
func checkDemoAccounts(t *testing.T, base string, tokens map[string]string) {
	t.Helper()
	for _, role := range []string{"admin", "officer", "manager", "iro", "advocate", "commissioner", "provider"} {
		acc := tokens["account:"+role]
		email, pw, ok := strings.Cut(acc, " ")
		if !ok {
			t.Errorf("serve printed no demo %s account", role)
			continue
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.PostForm(base+"/sign-in", url.Values{"email": {email}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 303 || len(resp.Cookies()) == 0 {
			t.Errorf("signing in as the demo %s: %d", role, resp.StatusCode)
			continue
		}
		page := "/workspace"
		if role == "officer" {
			page = "/workspace/children"
		}
		req, _ := http.NewRequest("GET", base+page, nil)
		req.AddCookie(resp.Cookies()[0])
		got, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(got.Body)
		got.Body.Close()
		if got.StatusCode != 200 {
			t.Errorf("the demo %s's %s: %d", role, page, got.StatusCode)
		}
		if role == "commissioner" && !strings.Contains(string(body), "Lancashire") {
			t.Errorf("the demo commissioner is not Lancashire's")
		}
	}
}
