package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/internal/passwd"
)

const (
	personEmail    = "sam.officer@manchester.example.gov.uk"
	personPassword = "a long enough password"
)

// browserCall is one request as a browser sends it: a host, a client address, a cookie, a form.
type browserCall struct {
	method, path, host, ip string
	cookie                 *http.Cookie
	form                   url.Values
	csrf                   string // sent in the form's csrf field
}

func (f *fixture) browse(c browserCall) response {
	f.t.Helper()
	var body *strings.Reader
	form := c.form
	if c.csrf != "" {
		if form == nil {
			form = url.Values{}
		}
		form.Set("csrf", c.csrf)
	}
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(c.method, c.path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Host = c.host
	if req.Host == "" {
		req.Host = "127.0.0.1:8080"
	}
	req.RemoteAddr = c.ip + ":40000"
	if c.ip == "" {
		req.RemoteAddr = "192.0.2.1:40000"
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// personFixture is the API fixture with an officer's account that signs in with a password.
func personFixture(t *testing.T) (*fixture, *catalogue.ManualClock) {
	f := sqliteFixture(t)
	if _, err := f.store.CreateAccount(context.Background(), catalogue.Account{Name: "Sam Officer", Email: personEmail,
		Role: catalogue.RoleOfficer, Council: manchester, PasswordHash: passwd.Hash(personPassword)}); err != nil {
		t.Fatal(err)
	}
	return f, sqltest.Clock(t, f.store)
}

func signInForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// sessionCookie is the session cookie a response sets.
func sessionCookie(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if strings.HasSuffix(c.Name, "placematch_session") && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie: %d %v", r.status, r.header)
	return nil
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, host string
		wantName   string
		wantSecure bool
	}{
		{"on loopback http", "127.0.0.1:8080", "placematch_session", false},
		{"by name on loopback", "localhost:8080", "placematch_session", false},
		{"anywhere else", "placematch.example.gov.uk", "__Host-placematch_session", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f, _ := personFixture(t)
			r := f.browse(browserCall{method: "POST", path: "/sign-in", host: c.host, form: signInForm(" Sam.Officer@Manchester.example.gov.uk", personPassword)})
			if r.status != 303 || r.header.Get("Location") != "/workspace" {
				t.Fatalf("sign-in: %d to %q: %s", r.status, r.header.Get("Location"), r.body)
			}
			ck := sessionCookie(t, r)
			if ck.Name != c.wantName || ck.Secure != c.wantSecure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("cookie %+v: want %s, Secure %v, HttpOnly, SameSite=Lax", ck, c.wantName, c.wantSecure)
			}
			// Only the hash is stored: the secret itself is not found as a hash.
			if _, _, err := f.store.SessionByHash(context.Background(), [32]byte([]byte(ck.Value + strings.Repeat("x", 32))[:32])); err == nil {
				t.Error("the cookie's secret is stored as it is")
			}
			if _, _, err := f.store.SessionByHash(context.Background(), catalogue.HashSecret(ck.Value)); err != nil {
				t.Errorf("the session's hash is not stored: %v", err)
			}
			page := f.browse(browserCall{method: "GET", path: "/workspace", host: c.host, cookie: ck})
			if page.status != 200 || !strings.Contains(string(page.body), "Sam Officer") {
				t.Errorf("the start page: %d", page.status)
			}
		})
	}
}

// TestSignInRefusals: an unknown address and a wrong password get the same answer; attempts
// beyond the limit from one address are refused; a form from another site is refused.
func TestSignInRefusals(t *testing.T) {
	t.Parallel()
	f, _ := personFixture(t)
	unknown := f.browse(browserCall{method: "POST", path: "/sign-in", ip: "198.51.100.1", form: signInForm("nobody@example.org", personPassword)})
	wrong := f.browse(browserCall{method: "POST", path: "/sign-in", ip: "198.51.100.2", form: signInForm(personEmail, "not the password")})
	if unknown.status != 401 || wrong.status != 401 {
		t.Fatalf("unknown %d, wrong password %d: want 401 both", unknown.status, wrong.status)
	}
	strip := func(b []byte) string { return strings.ReplaceAll(string(b), "nobody@example.org", personEmail) }
	if strip(unknown.body) != string(wrong.body) {
		t.Errorf("an unknown address and a wrong password are answered differently")
	}
	var last response
	for range 6 {
		last = f.browse(browserCall{method: "POST", path: "/sign-in", ip: "198.51.100.3", form: signInForm(personEmail, "guess")})
	}
	if last.status != 429 || last.header.Get("Retry-After") == "" {
		t.Errorf("the sixth failure from one address: %d, want 429 with Retry-After", last.status)
	}
	// The right password from another address still works.
	if r := f.browse(browserCall{method: "POST", path: "/sign-in", ip: "198.51.100.4", form: signInForm(personEmail, personPassword)}); r.status != 303 {
		t.Errorf("a right password from another address: %d", r.status)
	}
	req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(signInForm(personEmail, personPassword).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 403 || len(w.Result().Cookies()) != 0 {
		t.Errorf("a sign-in form from another site: %d, cookies %v", w.Code, w.Result().Cookies())
	}
}

// TestSessionEnds: the idle timeout (from the injected clock), the absolute lifetime, and
// signing out, which needs the session's CSRF token.
func TestSessionEnds(t *testing.T) {
	t.Parallel()
	type step struct {
		wait time.Duration
		want int // GET /workspace: 200, or 303 to sign in
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"idle for longer than the timeout", []step{{29 * time.Minute, 200}, {31 * time.Minute, 303}}},
		{"kept alive by requests", []step{{20 * time.Minute, 200}, {20 * time.Minute, 200}, {20 * time.Minute, 200}}},
		{"past its lifetime, however active", func() []step {
			var s []step
			for range 34 { // then 11h40m, and 12h: the lifetime
				s = append(s, step{20 * time.Minute, 200})
			}
			return append(s, step{20 * time.Minute, 200}, step{20 * time.Minute, 303})
		}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f, clock := personFixture(t)
			ck := sessionCookie(t, f.browse(browserCall{method: "POST", path: "/sign-in", form: signInForm(personEmail, personPassword)}))
			for i, s := range c.steps {
				clock.Advance(s.wait)
				r := f.browse(browserCall{method: "GET", path: "/workspace", cookie: ck})
				if r.status != s.want {
					t.Fatalf("step %d (+%v): %d, want %d", i, s.wait, r.status, s.want)
				}
				if s.want == 303 && r.header.Get("Location") != "/sign-in?ended=1" {
					t.Errorf("an ended session is sent to %q", r.header.Get("Location"))
				}
			}
		})
	}

	t.Run("signing out", func(t *testing.T) {
		t.Parallel()
		f, _ := personFixture(t)
		ck := sessionCookie(t, f.browse(browserCall{method: "POST", path: "/sign-in", form: signInForm(personEmail, personPassword)}))
		for _, bad := range []string{"", "not-the-token", api.WorkspaceCSRF("pmw_ANOTHERSESSION")} {
			r := f.browse(browserCall{method: "POST", path: "/sign-out", cookie: ck, csrf: bad, form: url.Values{}})
			if r.status != 403 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "expired") {
				t.Errorf("sign-out with CSRF token %q: %d %s, want a 403 page", bad, r.status, r.header.Get("Content-Type"))
			}
		}
		// A call to the API with the session cookie is the person's; a change needs the token too.
		if r := f.browse(browserCall{method: "GET", path: "/v1/me", cookie: ck}); r.status != 200 || !strings.Contains(string(r.body), `"officer"`) {
			t.Errorf("GET /v1/me with a session: %d %s", r.status, r.body)
		}
		if r := f.browse(browserCall{method: "POST", path: "/v1/children/" + f.amy.ID.String() + "/options", cookie: ck}); r.status != 403 {
			t.Errorf("an API change with a session and no CSRF token: %d, want 403", r.status)
		}
		r := f.browse(browserCall{method: "POST", path: "/sign-out", cookie: ck, csrf: api.WorkspaceCSRF(ck.Value)})
		if r.status != 303 || r.header.Get("Location") != "/sign-in?signed_out=1" {
			t.Fatalf("sign-out: %d to %q", r.status, r.header.Get("Location"))
		}
		if _, _, err := f.store.SessionByHash(context.Background(), catalogue.HashSecret(ck.Value)); err == nil {
			t.Error("the session is still stored after signing out")
		}
		if r := f.browse(browserCall{method: "GET", path: "/workspace", cookie: ck}); r.status != 303 {
			t.Errorf("the start page after signing out: %d", r.status)
		}
	})
}
