package api

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
	"github.com/placematch/placematch/sufficiency/dashboard"
)

// The commissioner's dashboard (GET /dashboard): the sufficiency report as a page, for a
// browser. A browser cannot send a bearer token, and a token must never travel in a URL, so the
// page asks for nothing in its address: without a session it shows a sign-in form, which posts
// the token once in its body (POST /dashboard/session). The token is checked (a commissioner's
// or an administrator's, live) and exchanged for a new token of the same role and council that
// lasts at most dashboardSession, kept only as its hash like every token, whose secret goes in
// an HttpOnly, SameSite=Strict cookie (with the __Host- prefix over TLS). That secret is refused
// as a bearer token (its prefix says what it is), so a cookie that leaked could not be used
// against the API; signing out (POST /dashboard/leave, with a token derived from the session)
// revokes it. Pages carry the child's page's strict Content-Security-Policy: no script at all.

const (
	dashboardPrefix       = "pmd_"
	dashboardCookie       = "__Host-placematch_dashboard"
	dashboardCookiePlain  = "placematch_dashboard"
	dashboardSession      = 8 * time.Hour
	dashboardSessionLabel = "dashboard session"
)

// dashboardSecret is the session cookie's value, if any.
func dashboardSecret(c *gin.Context) string {
	return cookieSecret(c, dashboardPrefix, dashboardCookie, dashboardCookiePlain)
}

func (s *server) setDashboardCookie(c *gin.Context, secret string, maxAge int) {
	setSecretCookie(c, dashboardCookie, dashboardCookiePlain, secret, maxAge, s.secureCookies(c), http.SameSiteStrictMode)
}

// dashboardCSRF is the sign-out form's token: derived from the session's secret, so only a page
// of the session has it.
func dashboardCSRF(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("dashboard sign-out"))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// dashboardToken resolves the session cookie to a live token that may see the dashboard.
func (s *server) dashboardToken(c *gin.Context) (catalogue.Token, string, bool) {
	secret := dashboardSecret(c)
	if secret == "" {
		return catalogue.Token{}, "", false
	}
	tok, err := s.store.TokenByHash(c.Request.Context(), catalogue.HashSecret(secret))
	if err != nil || !tok.Live(s.now()) || !dashboardRole(tok.Role) {
		return catalogue.Token{}, "", false
	}
	return tok, secret, true
}

func dashboardRole(r catalogue.Role) bool {
	return r == catalogue.RoleCommissioner || r == catalogue.RoleAdmin
}

// showDashboard answers GET /dashboard: the dashboard for a session, else the sign-in form.
func (s *server) showDashboard(c *gin.Context) error {
	childHeaders(c)
	tok, secret, ok := s.dashboardToken(c)
	if !ok {
		page := dashboard.SignIn{Stylesheet: assetURL("placematch.css")}
		if dashboardSecret(c) != "" {
			s.setDashboardCookie(c, "", -1)
			page.Error = "Your session has ended. Sign in again."
		}
		return s.renderDashboard(c, http.StatusOK, func(b *bytes.Buffer) error { return dashboard.RenderSignIn(b, page) })
	}
	q := newQuery(c)
	council := q.str("council")
	region := q.str("region")
	if council == "" && region == "" {
		council, region = string(tok.Council), string(tok.Region) // a council's (a region's) commissioner starts with it
	}
	f := sufficiency.Filter{Council: catalogue.CouncilCode(council), Region: catalogue.RegionCode(region), Segment: q.str("segment")}
	cp, err := s.report(c, tok.ID)
	if err != nil {
		return err
	}
	r, err := s.reportFor(cp.Value, tok.Principal())
	if err != nil {
		return err
	}
	v, err := r.View(f)
	if err != nil {
		// A filter the form cannot produce: show England instead of an error page.
		if v, err = r.View(sufficiency.Filter{}); err != nil {
			return err
		}
	}
	page := dashboard.Page{Report: r, View: v, FreshUntil: cp.ComputedAt.Add(s.suff.MaxAge()), Role: string(tok.Role), Council: string(tok.Council),
		CSRF: dashboardCSRF(secret), Stylesheet: assetURL("placematch.css")}
	return s.renderDashboard(c, http.StatusOK, func(b *bytes.Buffer) error { return dashboard.Render(b, page) })
}

func (s *server) renderDashboard(c *gin.Context, status int, render func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// sameOrigin reports whether a form post comes from this site's own page. Browsers say where a
// request comes from in Sec-Fetch-Site, which is believed when present; the pages' referrer
// policy (no-referrer) makes them send "Origin: null" with their own posts, so Origin is read
// only when Sec-Fetch-Site is missing, and must then name this host. A client that sends
// neither (curl) is not a browser that another site could drive.
func sameOrigin(c *gin.Context) bool {
	if site := c.GetHeader("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	origin := c.GetHeader("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && origin != "null" && u.Host == c.Request.Host
}

// startDashboard answers POST /dashboard/session: the form's token for a session cookie.
func (s *server) startDashboard(c *gin.Context) error {
	childHeaders(c)
	signIn := func(status int, msg string) error {
		return s.renderDashboard(c, status, func(b *bytes.Buffer) error {
			return dashboard.RenderSignIn(b, dashboard.SignIn{Error: msg, Stylesheet: assetURL("placematch.css")})
		})
	}
	if !sameOrigin(c) {
		return signIn(http.StatusForbidden, "This form can only be sent from placematch's own sign-in page.")
	}
	// Only failed sign-ins count against the limits, and a token is looked up before the total
	// is consulted: guessing elsewhere never keeps out a commissioner with a valid token
	// (attemptLimiter).
	ip := c.ClientIP()
	tooMany := func() error {
		c.Header("Retry-After", "60")
		return signIn(http.StatusTooManyRequests, "Too many attempts. Wait a minute and try again.")
	}
	if !s.dashboardSignIns.mayTry(ip) {
		return tooMany()
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil {
		return signIn(http.StatusBadRequest, "Paste your API token to sign in.")
	}
	secret := strings.TrimSpace(c.Request.PostForm.Get("token"))
	if secret == "" || len(secret) > 200 {
		return signIn(http.StatusBadRequest, "Paste your API token to sign in.")
	}
	now := s.now()
	tok, err := s.store.TokenByHash(c.Request.Context(), catalogue.HashSecret(secret))
	switch {
	case err != nil && !isNotFound(err):
		return err
	case err != nil || !tok.Live(now) || strings.HasPrefix(secret, dashboardPrefix):
		if s.dashboardSignIns.failed(ip) {
			return tooMany()
		}
		return signIn(http.StatusUnauthorized, "That token is not valid. Check it, or ask your administrator for a new one.")
	case !dashboardRole(tok.Role):
		return signIn(http.StatusForbidden, "The dashboard is for commissioners and administrators; this token is for another role.")
	}
	expires := now.Add(dashboardSession)
	if !tok.ExpiresAt.IsZero() && tok.ExpiresAt.Before(expires) {
		expires = tok.ExpiresAt
	}
	sessSecret, hash := catalogue.NewSecret(dashboardPrefix)
	ctx := catalogue.WithActor(c.Request.Context(), catalogue.Actor{Token: tok.ID, Role: tok.Role, Reason: "dashboard sign-in", Request: c.GetString(keyRequestID)})
	if _, err := s.store.CreateToken(ctx, catalogue.Token{Label: dashboardSessionLabel, Role: tok.Role, Council: tok.Council,
		Hash: hash, CreatedAt: now, ExpiresAt: expires}); err != nil {
		return err
	}
	s.setDashboardCookie(c, sessSecret, int(expires.Sub(now).Seconds()))
	c.Redirect(http.StatusSeeOther, "/dashboard")
	return nil
}

// leaveDashboard answers POST /dashboard/leave: the session is revoked and its cookie cleared.
func (s *server) leaveDashboard(c *gin.Context) error {
	childHeaders(c)
	if tok, secret, ok := s.dashboardToken(c); ok {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
		_ = c.Request.ParseForm()
		if !sameOrigin(c) || !hmac.Equal([]byte(c.Request.PostForm.Get("csrf")), []byte(dashboardCSRF(secret))) {
			return s.renderDashboard(c, http.StatusForbidden, func(b *bytes.Buffer) error {
				return dashboard.RenderSignIn(b, dashboard.SignIn{Error: "Sign out from the dashboard's own button.", Stylesheet: assetURL("placematch.css")})
			})
		}
		if err := s.store.RevokeToken(c.Request.Context(), tok.ID); err != nil {
			return err
		}
	}
	s.setDashboardCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/dashboard")
	return nil
}

func (s *server) dashboardStyle(c *gin.Context) error {
	childHeaders(c)
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/css; charset=utf-8", dashboard.Stylesheet())
	return nil
}
