package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The workspace in the browser (issue 19): server-rendered pages on GOV.UK Frontend's
// components, which work without JavaScript. A person signs in with their account
// (session.go); each page's handler parses, makes one call to casework or the store, and
// renders. The templates are in web/templates, one file a page beside the layout; the assets
// (built by scripts/build-assets) in web/assets, served under /assets/ with long cache
// headers. Journeys added later add a route to workspaceRoutes, a handler and a template.

//go:embed web/templates/*.html web/assets
var webFiles embed.FS

// workspacePages are the page templates, each parsed with the layout.
var workspacePages = func() map[string]*template.Template {
	names, err := fs.Glob(webFiles, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(template.FuncMap{"asset": assetURL}).
			ParseFS(webFiles, "web/templates/layout.html", n))
	}
	return out
}()

// assetVersions are the first hex digits of each asset's SHA-256: a page names an asset with
// its version, so that a browser may keep it for a year and still fetches a changed one.
var assetVersions = func() map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(webFiles, "web/assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := webFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "web/assets/")] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return out
}()

func assetURL(name string) string { return "/assets/" + name + "?v=" + assetVersions[name] }

// workspaceRoutes are the workspace's routes: sign-in and out, the start page of every role,
// and the officer's first pages.
func (s *server) workspaceRoutes() []route {
	page := "text/html"
	return []route{
		{http.MethodGet, "/", nil, s.home, routeDoc{summary: "The workspace's front door: 303 to the start page with a session, else to sign in.", status: 303, content: page}},
		{http.MethodGet, "/sign-in", nil, s.showSignIn, routeDoc{summary: "The workspace's sign-in form (HTML).", content: page,
			query: []param{{"ended", "boolean", "say that the session ended"}, {"signed_out", "boolean", "say that the person signed out"}}}},
		{http.MethodPost, "/sign-in", nil, s.signIn, routeDoc{summary: "Sign in with an e-mail address and password (HTML form): a session cookie and 303 to the start page; failed attempts are rate limited, and an unknown address and a wrong password get the same answer.", status: 303, content: page}},
		// signing in with a council's own identity provider (workspace_oidc.go)
		{http.MethodGet, "/signin/oidc", nil, s.beginOIDC, routeDoc{summary: "Sign in with the council's own identity provider (OpenID Connect): a short-lived signed cookie and 303 to the provider; 404 when none is configured.", status: 303, content: page}},
		{http.MethodGet, "/signin/oidc/callback", nil, s.finishOIDC, routeDoc{summary: "Where the identity provider sends the browser back: the identity is checked and matched to the account with its e-mail address, and a session begins (303 to the start page); a refusal is the sign-in page saying why (HTML).",
			status: 303, content: page, query: []param{{"code", "string", "the provider's authorisation code"}, {"state", "string", "the state the sign-in began with"}, {"error", "string", "the provider's refusal"}}}},
		{http.MethodPost, "/sign-out", anyRole, s.signOut, routeDoc{summary: "Sign out (HTML form, CSRF token): the session is deleted; 303 to the sign-in page.", status: 303, content: page}},
		{http.MethodGet, "/assets/*file", nil, s.asset, routeDoc{summary: "The workspace's stylesheet and script (GOV.UK Frontend, built with the system font), kept for a year when asked for with their version.", content: "text/css",
			query: []param{{"v", "string", "the asset's version, as the pages name it"}}}},
		{http.MethodGet, "/workspace", anyRole, s.startPage, routeDoc{summary: "The start page of the person signed in: who they are and what they can do (HTML).", content: page}},
		{http.MethodGet, "/workspace/children", caseReaders, s.worklistPage, routeDoc{summary: "The worklist: the council's children waiting, most urgent first (emergency, overdue, needed by), with search by first name or case reference (HTML; audited).",
			content: page, query: []param{{"q", "string", "a first name, or the start of a case reference"}}}},
		{http.MethodGet, "/workspace/children/:id", caseReaders, s.childPage, routeDoc{summary: "A child's record: the search, needs, school, brothers and sisters, contact plan and placements (HTML; audited).", content: page}},
		{http.MethodGet, "/workspace/children/:id/options", caseworkers, s.optionsPage, routeDoc{summary: "A child's options: every factor's reason, weekly cost and distances, and what the rules ruled out (HTML; audited).", content: page}},

		// The provider's journey (wsprovider, workspace_provider.go): referrals and homes.
		{http.MethodGet, "/workspace/referrals", providerPages, s.inboxPage, routeDoc{summary: "The provider's referral inbox: those still to answer first, by deadline, each with the time left (HTML).", content: page}},
		{http.MethodGet, "/workspace/referrals/:id", providerPages, s.referralPage, routeDoc{summary: "A referral: the child's referral profile and the form to accept (impact assessment, weekly fee) or decline (a reason); opening it marks it viewed (HTML; audited).",
			content: page, query: []param{{"answered", "boolean", "say that the answer is recorded"}}}},
		{http.MethodPost, "/workspace/referrals/:id/response", providerPages, s.answerReferralPage, routeDoc{summary: "The provider's answer (HTML form, CSRF token), as POST /v1/referrals/{id}/response records it: 303 to the referral; a mistake is the page again with the error summary (400, nothing written).", status: 303, content: page}},
		{http.MethodGet, "/workspace/homes", providerPages, s.homesPage, routeDoc{summary: "The provider's homes, each with its approval terms and whether its words for children are approved (HTML).", content: page}},
		{http.MethodGet, "/workspace/homes/:id", providerPages, s.homePage, routeDoc{summary: "One of the provider's homes: its places and the words shown to children, and whether they are approved (HTML).", content: page}},

		// The administrator's journey (wsprovider, workspace_admin.go): accounts.
		{http.MethodGet, "/workspace/admin/accounts", adminOnly, s.accountsPage, routeDoc{summary: "Every account: its person, role, scope and whether it is disabled (HTML).", content: page}},
		{http.MethodGet, "/workspace/admin/accounts/new", adminOnly, s.newAccountPage, routeDoc{summary: "The form to add an account: name, e-mail address, role, council or provider, a manager's level (HTML).", content: page}},
		{http.MethodPost, "/workspace/admin/accounts", adminOnly, s.addAccount, routeDoc{summary: "Add an account (HTML form, CSRF token) with a generated password, shown once on the page that answers; a mistake is the form again with the error summary (400, nothing written).", content: page}},
		{http.MethodGet, "/workspace/admin/accounts/:id", adminOnly, s.accountPage, routeDoc{summary: "One account, with its password's reset and its disabling (HTML).", content: page,
			query: []param{{"disabled", "boolean", "say that the account was disabled"}}}},
		{http.MethodPost, "/workspace/admin/accounts/:id/disable", adminOnly, s.disableAccount, routeDoc{summary: "Disable an account (HTML form, CSRF token): its sessions end and it cannot sign in; audited. Not one's own. 303 to the account.", status: 303, content: page}},
		{http.MethodPost, "/workspace/admin/accounts/:id/password", adminOnly, s.resetPassword, routeDoc{summary: "Reset an account's password (HTML form, CSRF token): a generated one, shown once on the page that answers; its sessions end; audited.", content: page}},
		{http.MethodGet, "/workspace/admin/policy", adminOnly, s.policyPage, routeDoc{summary: "A council's scoring policy (or the national one) as a form: each factor's weight and share, the cost cap (HTML).", content: page,
			query: []param{councilParam, {"saved", "boolean", "say that the policy was saved"}}}},
		{http.MethodPost, "/workspace/admin/policy", adminOnly, s.savePolicy, routeDoc{summary: "Save a new version of the policy (HTML form, CSRF token), as PUT /v1/policy saves it, the cost cap enforced: 303 to the policy; a mistake is the form again with the error summary (400, nothing written).", status: 303, content: page}},
		{http.MethodGet, "/workspace/admin/sharing", adminOnly, s.sharingPage, routeDoc{summary: "The sharing agreements, each in force or not, with a button to end one today (HTML).", content: page,
			query: []param{{"added", "boolean", "say that an agreement was added"}, {"ended", "boolean", "say that an agreement was ended"}}}},
		{http.MethodGet, "/workspace/admin/sharing/new", adminOnly, s.newSharingPage, routeDoc{summary: "The form to add a council to council sharing agreement (HTML).", content: page}},
		{http.MethodPost, "/workspace/admin/sharing", adminOnly, s.addSharingPage, routeDoc{summary: "Add a council to council sharing agreement (HTML form, CSRF token), as POST /v1/sharing-agreements does: 303 to the agreements; a mistake is the form again with the error summary (400, nothing written).", status: 303, content: page}},
		{http.MethodPost, "/workspace/admin/sharing/:id/end", adminOnly, s.endSharingPage, routeDoc{summary: "End a sharing agreement today (HTML form, CSRF token), from the version read, as POST /v1/sharing-agreements/{id}/end does: 303 to the agreements.", status: 303, content: page}},
	}
}

// workspaceHeaders are the pages' security headers: the child's pages' strict policy, with the
// workspace's own script allowed.
func workspaceHeaders(c *gin.Context) {
	childHeaders(c)
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}

// pageData is what the layout shows around every page.
type pageData struct {
	Title  string
	User   *userView // nil: nobody signed in
	CSRF   string
	Nav    []navItem
	Errors []formError
	Banner string
	Body   any
}

type userView struct{ Name, Role, Scope string }

type navItem struct {
	Label, Href string
	Current     bool
}

type formError struct{ Field, Text string }

type signInForm struct {
	Email, Password string
	OIDC            bool // offer "Sign in with your council's account"
}

// roleNames are the roles as a person reads them.
var roleNames = map[catalogue.Role]string{
	catalogue.RoleAdmin: "administrator", catalogue.RoleOfficer: "placement officer", catalogue.RoleManager: "manager",
	catalogue.RoleCommissioner: "commissioner", catalogue.RoleProvider: "provider",
}

// renderWorkspace renders one page of the workspace, with the layout filled for the caller.
func (s *server) renderWorkspace(c *gin.Context, status int, name string, d pageData) error {
	workspaceHeaders(c)
	if p, ok := principalOf(c); ok && d.User == nil {
		u := userView{Name: p.Name, Role: roleNames[p.Role]}
		if u.Name == "" {
			u.Name = "API token " + p.Token.String()
		}
		switch {
		case p.Council != "":
			u.Scope = councilName(p.Council)
		case p.Provider != 0:
			if pr, err := s.store.Provider(c.Request.Context(), p.Provider); err == nil {
				u.Scope = pr.Name
			}
		}
		d.User = &u
		if se, ok := currentSession(c); ok {
			d.CSRF = se.CSRF
		}
		d.Nav = navFor(p.Role, c.FullPath())
	}
	var buf bytes.Buffer
	if err := workspacePages[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		return err
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// navFor is the service navigation of a role, the current page marked.
func navFor(r catalogue.Role, route string) []navItem {
	items := []navItem{{Label: "Start", Href: "/workspace"}}
	switch r {
	case catalogue.RoleOfficer, catalogue.RoleManager, catalogue.RoleAdmin:
		items = append(items, navItem{Label: "Children waiting", Href: "/workspace/children"})
	}
	if r == catalogue.RoleProvider || r == catalogue.RoleAdmin { // the provider's journey
		items = append(items, navItem{Label: "Referrals", Href: "/workspace/referrals"}, navItem{Label: "Homes", Href: "/workspace/homes"})
	}
	if r == catalogue.RoleAdmin { // the administrator's journey
		items = append(items, navItem{Label: "Accounts", Href: "/workspace/admin/accounts"}, navItem{Label: "Policy", Href: "/workspace/admin/policy"},
			navItem{Label: "Sharing", Href: "/workspace/admin/sharing"})
	}
	for i := range items {
		items[i].Current = route == items[i].Href || (items[i].Href != "/workspace" && strings.HasPrefix(route, items[i].Href))
	}
	return items
}

// councilName is a council's name, or its code when it is not one of England's.
func councilName(code catalogue.CouncilCode) string {
	if c, ok := catalogue.CouncilByCode(code); ok {
		return c.Name
	}
	return string(code)
}

// renderErrorPage answers a page's mistake with a page (never problem+json).
func (s *server) renderWorkspaceError(c *gin.Context, p Problem) {
	heading := map[int]string{
		http.StatusBadRequest: "Something in the address is not right", http.StatusForbidden: "You cannot do that here",
		http.StatusNotFound: "Page not found", http.StatusConflict: "That has changed meanwhile",
		http.StatusTooManyRequests: "Too many attempts", http.StatusUnauthorized: "Sign in first",
	}[p.Status]
	if heading == "" {
		heading = "Sorry, something went wrong"
	}
	detail := p.Detail
	if p.Status == http.StatusNotFound {
		detail = "There is no such page, or it is not one you may see. Check the address, or go back to your start page."
	}
	if p.Status == http.StatusUnauthorized {
		detail = "You are not signed in, or your session has ended. Sign in to go on."
	}
	if p.Status >= 500 {
		detail = "Try again in a moment. If it keeps happening, tell your administrator and give them this reference: " + c.GetString(keyRequestID) + "."
	}
	var fields []formError
	for _, e := range p.Errors {
		fields = append(fields, formError{Field: e.Field, Text: e.Message})
	}
	if err := s.renderWorkspace(c, p.Status, "error", pageData{Title: heading, Body: struct {
		Heading, Detail string
		Fields          []formError
	}{heading, detail, fields}}); err != nil {
		s.log.ErrorContext(c.Request.Context(), "render error page", "route", c.FullPath(), "err", err)
		c.Status(p.Status)
	}
}

// home answers GET /: the start page for a person signed in, else the sign-in form.
func (s *server) home(c *gin.Context) error {
	workspaceHeaders(c)
	to := "/sign-in"
	if secret := workspaceSecret(c); secret != "" && s.accounts != nil {
		if se, _, err := s.accounts.SessionByHash(c.Request.Context(), catalogue.HashSecret(secret)); err == nil && se.Live(s.now(), s.sessionIdle) {
			to = "/workspace"
		}
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

func (s *server) showSignIn(c *gin.Context) error {
	q := newQuery(c)
	d := pageData{Title: "Sign in", Body: signInForm{OIDC: s.oidc != nil}}
	switch {
	case q.bool("ended"):
		d.Banner = "Your session ended. Sign in again."
	case q.bool("signed_out"):
		d.Banner = "You have signed out."
	}
	if err := q.err(); err != nil {
		return err
	}
	return s.renderWorkspace(c, http.StatusOK, "signin", d)
}

// asset answers GET /assets/*file: an embedded asset; kept for a year when asked for with its
// current version, else revalidated.
func (s *server) asset(c *gin.Context) error {
	name := strings.TrimPrefix(c.Param("file"), "/")
	b, err := webFiles.ReadFile("web/assets/" + name)
	if err != nil || name == "" || strings.Contains(name, "..") {
		return statusError(http.StatusNotFound, "no such asset")
	}
	if v := c.Query("v"); v != "" && v == assetVersions[name] {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Header("X-Content-Type-Options", "nosniff")
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8"}
	ct, ok := types[path.Ext(name)]
	if !ok {
		ct = "text/plain; charset=utf-8"
	}
	c.Data(http.StatusOK, ct, b)
	return nil
}

// startLink is one thing a person can do, on their start page.
type startLink struct{ Label, Href, Note string }

// startPage answers GET /workspace: who the person is and what they can do.
func (s *server) startPage(c *gin.Context) error {
	p := principal(c)
	var links []startLink
	var api []string
	switch p.Role {
	case catalogue.RoleOfficer, catalogue.RoleAdmin:
		links = append(links, startLink{"Children waiting", "/workspace/children", "find a child by name or case reference, read their record and see their options"})
		api = []string{"referrals to providers and their answers (/v1/referrals)", "offers, the child's say and decisions (/v1/offers)", "match runs for every child waiting (/v1/match-runs)"}
	case catalogue.RoleManager:
		links = append(links, startLink{"Children waiting", "/workspace/children", "your council's children waiting, and their records"})
		api = []string{"sign-offs of what the law or your council's policy reserves (/v1/offers/{id}/sign-offs)"}
	case catalogue.RoleCommissioner:
		links = append(links, startLink{"The sufficiency dashboard", "/dashboard", "it asks for a commissioner's API token until it moves onto these accounts"})
		api = []string{"the sufficiency report as JSON or CSV (/v1/sufficiency)", "what-if and the recruitment planner (/v1/sufficiency/what-if, /v1/sufficiency/plan)"}
	case catalogue.RoleProvider:
		links = append(links, startLink{"Referrals", "/workspace/referrals", "children referred to your homes: read each referral and accept or decline it before its deadline"},
			startLink{"Your homes", "/workspace/homes", "your homes, their places and the words shown to children"})
		api = []string{"changing your homes, their places and their words for children (/v1/placements, /v1/vacancies)"}
	}
	if p.Role == catalogue.RoleAdmin {
		links = append(links, startLink{"Accounts", "/workspace/admin/accounts", "add people, disable an account, reset a password"},
			startLink{"Scoring policy", "/workspace/admin/policy", "each council's weights and the cost cap"},
			startLink{"Sharing agreements", "/workspace/admin/sharing", "which councils may use which council's own foster carers"})
		api = append(api, "tokens (/v1/tokens), regional pools and changes to an agreement (/v1/sharing-agreements)")
	}
	return s.renderWorkspace(c, http.StatusOK, "start", pageData{Title: "Start", Body: struct {
		Links []startLink
		API   []string
	}{links, api}})
}

// humanise writes a vocabulary value as words: "short_term" as "short term".
func humanise[T ~string](v T) string { return strings.ReplaceAll(string(v), "_", " ") }

// longDate is a date as a person reads it.
func longDate(t interface{ Format(string) string }) string { return t.Format("2 January 2006") }

func kmText(km float64) string { return fmt.Sprintf("%.1f km", km) }
