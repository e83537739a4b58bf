package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/passwd"
)

// Sessions of the workspace: a person signs in with their e-mail address and password
// (POST /sign-in) and gets a session cookie. Only the SHA-256 of its secret is stored
// (catalogue.Session). The cookie is HttpOnly and SameSite=Lax, and Secure (with the __Host-
// prefix) unless the request came over plain http to a loopback address (local use). A session
// ends after the idle timeout without a request (Settings.SessionIdle, 30 minutes by default,
// read from the service's one clock), at its absolute lifetime (Settings.SessionLifetime, 12
// hours) whatever happens, and when its person signs out (the store deletes it).
//
// Every request of a session that is not a GET or HEAD (a form's post, or a call to the API
// from the page) carries the session's CSRF token, in the form's "csrf" field or the
// X-CSRF-Token header: without it, 403 with a page saying so. The token is an HMAC of the
// session's secret, so it is bound to the session and stored nowhere.
//
// Machine clients keep their bearer tokens: a request with an Authorization header is a token's,
// whatever cookie it carries.

const (
	workspacePrefix      = "pmw_"
	workspaceCookie      = "__Host-placematch_session"
	workspaceCookiePlain = "placematch_session"
	csrfField            = "csrf"
	csrfHeader           = "X-CSRF-Token"

	defaultSessionIdle     = 30 * time.Minute
	defaultSessionLifetime = 12 * time.Hour
	// touchEvery is how stale a session's last request may be before a request records itself:
	// the idle timeout is kept to within this, and a burst of requests writes once.
	touchEvery = time.Minute
)

// Keys of the session on the gin context.
const (
	keySession = "session"
	keyPage    = "page"
)

// workspaceSecret is the session cookie's value, if any.
func workspaceSecret(c *gin.Context) string {
	return cookieSecret(c, workspacePrefix, workspaceCookie, workspaceCookiePlain)
}

// cookieSecret is the value of the first of the named cookies that holds a secret with prefix
// (the child's, the dashboard's and the workspace's sessions), if any.
func cookieSecret(c *gin.Context, prefix string, names ...string) string {
	for _, name := range names {
		if ck, err := c.Request.Cookie(name); err == nil && strings.HasPrefix(ck.Value, prefix) && len(ck.Value) < 100 {
			return ck.Value
		}
	}
	return ""
}

// setSecretCookie sets (or, with maxAge -1, clears) a session's cookie: HttpOnly, and when
// secure, Secure under its __Host- name.
func setSecretCookie(c *gin.Context, secureName, plainName, secret string, maxAge int, secure bool, site http.SameSite) {
	name := plainName
	if secure {
		name = secureName
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: secret, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: secure, SameSite: site})
}

// secureWorkspaceCookie reports whether the session cookie is marked Secure: always, but for
// plain http to a loopback address (a developer's or the demo's machine).
func (s *server) secureWorkspaceCookie(c *gin.Context) bool {
	if s.secureCookies(c) {
		return true
	}
	host := c.Request.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

func (s *server) setWorkspaceCookie(c *gin.Context, secret string, maxAge int) {
	setSecretCookie(c, workspaceCookie, workspaceCookiePlain, secret, maxAge, s.secureWorkspaceCookie(c), http.SameSiteLaxMode)
}

// workspaceCSRF is the session's CSRF token.
func workspaceCSRF(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("placematch workspace form"))
	return hex.EncodeToString(m.Sum(nil))[:40]
}

// sessionOf is the request's session and its CSRF token, when a session authenticated it.
type sessionOf struct {
	ID   catalogue.SessionID
	CSRF string
}

func currentSession(c *gin.Context) (sessionOf, bool) {
	v, ok := c.Get(keySession)
	if !ok {
		return sessionOf{}, false
	}
	se, ok := v.(sessionOf)
	return se, ok
}

// authenticateSession resolves the session cookie to a principal (and the actor that names the
// person in the audit log), and checks the CSRF token of anything but a read.
func (s *server) authenticateSession(c *gin.Context, secret string) {
	if s.accounts == nil {
		s.refuseUnauthenticated(c, false)
		return
	}
	ctx := c.Request.Context()
	now := s.now()
	se, acc, err := s.accounts.SessionByHash(ctx, catalogue.HashSecret(secret))
	switch {
	case err != nil && !isNotFound(err):
		s.writeProblem(c, err)
		return
	case err != nil:
		s.setWorkspaceCookie(c, "", -1)
		s.refuseUnauthenticated(c, true)
		return
	case !se.Live(now, s.sessionIdle):
		_ = s.accounts.DeleteSession(catalogue.WithActor(ctx, actorOf(acc.Principal(), "session ended", c)), se.ID)
		s.setWorkspaceCookie(c, "", -1)
		s.refuseUnauthenticated(c, true)
		return
	}
	token := workspaceCSRF(secret)
	if m := c.Request.Method; m != http.MethodGet && m != http.MethodHead {
		sent := c.GetHeader(csrfHeader)
		if sent == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
			sent = c.Request.PostFormValue(csrfField)
		}
		if !hmac.Equal([]byte(sent), []byte(token)) {
			s.writeProblem(c, &httpError{status: http.StatusForbidden,
				detail: "this form has expired or did not come from placematch's own page: go back, reload the page and send it again"})
			return
		}
	}
	if now.Sub(se.LastSeenAt) >= touchEvery {
		if err := s.accounts.TouchSession(ctx, se.ID, now); err != nil && !isNotFound(err) {
			s.writeProblem(c, err)
			return
		}
	}
	p := acc.Principal()
	c.Set(keyPrincipal, p)
	c.Set(keySession, sessionOf{ID: se.ID, CSRF: token})
	c.Request = c.Request.WithContext(catalogue.WithActor(ctx, actorOf(p, "", c)))
	c.Next()
}

// actorOf is the audit log's actor for a principal.
func actorOf(p catalogue.Principal, reason string, c *gin.Context) catalogue.Actor {
	return catalogue.Actor{Token: p.Token, Account: p.Account, Name: p.Name, Role: p.Role, Reason: reason, Request: c.GetString(keyRequestID)}
}

// refuseUnauthenticated answers a request with no valid credentials: a page sends the browser
// to sign in (saying a session ended, when one did); the API answers 401.
func (s *server) refuseUnauthenticated(c *gin.Context, ended bool) {
	if c.GetBool(keyPage) && (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) {
		to := "/sign-in"
		if ended {
			to += "?ended=1"
		}
		c.Redirect(http.StatusSeeOther, to)
		c.Abort()
		return
	}
	s.writeProblem(c, errUnauthenticated)
}

// signIn answers POST /sign-in: an e-mail address and password for a session cookie. Failed
// attempts are limited per address and in total (ratelimit.go); an unknown address and a wrong
// password get the same answer, in the same time.
func (s *server) signIn(c *gin.Context) error {
	workspaceHeaders(c)
	form := signInForm{OIDC: s.oidc != nil}
	again := func(status int, msg string) error {
		form.Password = ""
		return s.renderWorkspace(c, status, "signin", pageData{Title: "Sign in", Errors: []formError{{Field: "email", Text: msg}}, Body: form})
	}
	if !sameOrigin(c) {
		return again(http.StatusForbidden, "This form can only be sent from placematch's own sign-in page.")
	}
	if s.accounts == nil {
		return again(http.StatusServiceUnavailable, "Signing in is not available on this server.")
	}
	ip := c.ClientIP()
	tooMany := func() error {
		c.Header("Retry-After", "60")
		return again(http.StatusTooManyRequests, "Too many attempts. Wait a minute and try again.")
	}
	if !s.signIns.mayTry(ip) {
		return tooMany()
	}
	if err := c.Request.ParseForm(); err != nil {
		return again(http.StatusBadRequest, "Enter your e-mail address and password.")
	}
	form.Email = strings.TrimSpace(c.Request.PostForm.Get("email"))
	password := c.Request.PostForm.Get("password")
	if form.Email == "" || password == "" || len(form.Email) > 254 || len(password) > 1024 {
		return again(http.StatusBadRequest, "Enter your e-mail address and password.")
	}
	ctx := c.Request.Context()
	acc, err := s.accounts.AccountByEmail(ctx, form.Email)
	if err != nil && !isNotFound(err) {
		return err
	}
	hash := acc.PasswordHash
	if err != nil {
		hash = passwd.Dummy() // the same work for an unknown address as for a wrong password
	}
	ok, cerr := passwd.Check(hash, password)
	if err != nil || cerr != nil || !ok {
		if s.signIns.failed(ip) {
			return tooMany()
		}
		return again(http.StatusUnauthorized, "The e-mail address or the password is not right.")
	}
	now := s.now()
	secret, h := catalogue.NewSecret(workspacePrefix)
	if _, err := s.accounts.CreateSession(catalogue.WithActor(ctx, actorOf(acc.Principal(), "sign-in", c)),
		catalogue.Session{Account: acc.ID, Hash: h, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.sessionLifetime)}); err != nil {
		if errors.Is(err, catalogue.ErrForbidden) { // disabled by an administrator
			return again(http.StatusForbidden, "This account is disabled. Ask your administrator.")
		}
		return err
	}
	s.setWorkspaceCookie(c, secret, int(s.sessionLifetime.Seconds()))
	c.Redirect(http.StatusSeeOther, "/workspace")
	return nil
}

// signOut answers POST /sign-out: the session is deleted and its cookie cleared.
func (s *server) signOut(c *gin.Context) error {
	if se, ok := currentSession(c); ok {
		if err := s.accounts.DeleteSession(c.Request.Context(), se.ID); err != nil {
			return err
		}
	}
	s.setWorkspaceCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/sign-in?signed_out=1")
	return nil
}
