package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
)

// Signing in with a council's own identity provider by OpenID Connect (docs/oidc.md): GET
// /signin/oidc sends the browser to the provider with a sealed pending sign-in in a cookie;
// the provider sends it back to GET /signin/oidc/callback, which finishes the sign-in
// (internal/oidcauth), finds the account by the identity's verified address, checks the
// identity against the one recorded on it (oidcauth.Match), and starts a session as a
// password does, recording the identity on the account's first sign-in so in the session's
// transaction. The provider proves who a person is, never what they may do. The callback's
// query (a code and state) is never logged: logs name the route template only. It is a GET,
// so the session's CSRF check does not apply; the state bound to the cookie stands in for it.

var errNoOIDC = statusError(http.StatusNotFound, "signing in with your organisation's account is not set up on this server")

// beginOIDC answers GET /signin/oidc.
func (s *server) beginOIDC(c *gin.Context) error {
	workspaceHeaders(c)
	c.Set(keyPage, true) // its mistakes are pages
	if s.oidc == nil {
		return errNoOIDC
	}
	u, v := s.oidc.Begin()
	http.SetCookie(c.Writer, s.oidc.Cookie(v))
	c.Redirect(http.StatusSeeOther, u)
	return nil
}

// finishOIDC answers GET /signin/oidc/callback.
func (s *server) finishOIDC(c *gin.Context) error {
	workspaceHeaders(c)
	c.Set(keyPage, true) // its mistakes are pages
	if s.oidc == nil {
		return errNoOIDC
	}
	ctx := c.Request.Context()
	refuse := func(err error) error {
		msg := "Signing in with your organisation did not work: please try again."
		var ce *catalogue.Error
		if errors.As(err, &ce) && ce.Msg != "" {
			msg = upperFirst(ce.Msg) + "."
		}
		// the cause, for the log; never the address or the callback's query
		s.log.InfoContext(ctx, "oidc sign-in refused", "request_id", c.GetString(keyRequestID), "err", err.Error())
		return s.renderWorkspace(c, http.StatusForbidden, "signin", pageData{Title: "Sign in",
			Errors: []formError{{Text: msg}}, Body: signInForm{OIDC: true}})
	}
	cookie := ""
	if ck, err := c.Request.Cookie(oidcauth.CookieName); err == nil {
		cookie = ck.Value
	}
	http.SetCookie(c.Writer, s.oidc.Cookie(""))
	if s.accounts == nil {
		return refuse(errors.New("no account store"))
	}
	id, err := s.oidc.Finish(ctx, cookie, c.Request.URL.Query())
	if err != nil {
		return refuse(err)
	}
	acc, err := s.accounts.AccountByEmail(ctx, id.Email)
	if isNotFound(err) {
		return refuse(&catalogue.Error{Kind: catalogue.KindForbidden, Msg: "there is no placematch account with your e-mail address: ask your administrator for one"})
	}
	if err != nil {
		return err
	}
	link, err := oidcauth.Match(acc.Email, oidcauth.Link{Issuer: acc.OIDCIssuer, Subject: acc.OIDCSubject}, id)
	if err != nil {
		return refuse(err)
	}
	now := s.now()
	secret, h := catalogue.NewSecret(workspacePrefix)
	// the link is recorded (when the account has none) in the session's transaction
	if _, err := s.accounts.CreateLinkedSession(catalogue.WithActor(ctx, actorOf(acc.Principal(), "sign-in (OpenID Connect)", c)),
		catalogue.Session{Account: acc.ID, Hash: h, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.sessionLifetime)}, link.Issuer, link.Subject); err != nil {
		var ce *catalogue.Error
		if errors.As(err, &ce) && (ce.Kind == catalogue.KindForbidden || ce.Kind == catalogue.KindConflict) {
			return refuse(err)
		}
		return err
	}
	s.setWorkspaceCookie(c, secret, int(s.sessionLifetime.Seconds()))
	c.Redirect(http.StatusSeeOther, "/workspace")
	return nil
}

// upperFirst is s with its first letter in capitals.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
