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
	"sync"

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

// workspacePages are the page templates, each parsed with the layout when first used (NewServer
// asks for them, so that a broken template stops the server starting), not at init.
var workspacePages = sync.OnceValue(func() map[string]*template.Template {
	names, err := fs.Glob(webFiles, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || strings.HasPrefix(name, "partial_") {
			continue
		}
		// Every page may use the partials (web/templates/partial_*.html): parts of pages drawn
		// alike on several, such as a map.
		out[name] = template.Must(template.New(name).Funcs(template.FuncMap{"asset": assetURL, "field": newFormField, "errorFor": errorFor, "longDate": longDate}).
			ParseFS(webFiles, "web/templates/layout.html", "web/templates/partial_*.html", n))
	}
	return out
})

// assetVersions are the first hex digits of each asset's SHA-256: a page names an asset with
// its version, so that a browser may keep it for a year and still fetches a changed one.
var assetVersions = sync.OnceValue(func() map[string]string {
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
})

func assetURL(name string) string { return "/assets/" + name + "?v=" + assetVersions()[name] }

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
		{http.MethodGet, "/workspace/children/:id", caseReaders, s.childPage, routeDoc{summary: "A child's record: the search, needs, school, brothers and sisters, contact plan and placements (HTML; audited).", content: page,
			query: []param{{"revoked", "boolean", "say that the child's check-in links were just stopped"}}}},
		{http.MethodPost, "/workspace/children/:id/check-in-links", officersOnly, s.sendCheckInLinkPage, routeDoc{summary: "Send the child a check-in link (HTML form, as POST /v1/children/{id}/check-in-links): the link is shown on the answer once, with its note; a fresh link revokes any not yet opened.", content: page}},
		{http.MethodPost, "/workspace/children/:id/check-in-links/revoke", officersOnly, s.revokeCheckInLinksPage, routeDoc{summary: "Stop the child's check-in links and end the sessions they opened (HTML form, as DELETE /v1/children/{id}/check-in-links): 303 to the record.", status: 303, content: page}},

		// The officer's journey from the options to the move (workspace_officer_offers.go).
		{http.MethodPost, "/workspace/children/:id/referrals", caseworkers, s.referPage, routeDoc{summary: "Refer the child to the providers of the homes ticked on the options page (HTML form, as POST /v1/children/{id}/referrals): 303 to the child's referrals.", status: 303, content: page}},
		{http.MethodGet, "/workspace/children/:id/referrals", caseworkers, s.caseFilePage, routeDoc{summary: "The child's referrals with each provider's answer and deadline, the offer to make from the homes that agreed, and the child's offers (HTML; audited).", content: page,
			query: []param{{"sent", "integer", "say that this many referrals were sent"}}}},
		{http.MethodPost, "/workspace/children/:id/offers", caseworkers, s.makeOfferPage, routeDoc{summary: "Make an offer from the homes whose providers agreed (HTML form, as POST /v1/children/{id}/offers): 303 to the offer.", status: 303, content: page}},
		{http.MethodGet, "/workspace/offers/:id", caseReaders, s.offerPage, routeDoc{summary: "An offer: its homes, the links sent, the child's say, the sign-offs each home needs and their state, the decision and the move, with the forms of what comes next (HTML; audited).", content: page}},
		{http.MethodGet, "/workspace/offers/:id/preview", caseworkers, s.previewPage, routeDoc{summary: "The child's page for an open offer exactly as the child will see it, marked as a preview: no link is made or used, no session started (HTML; audited).", content: page}},
		{http.MethodPost, "/workspace/offers/:id/send", caseworkers, s.sendOfferPage, routeDoc{summary: "Send the offer (HTML form, as POST /v1/offers/{id}/send): the child's new link, shown on the page once with its note.", content: page}},
		{http.MethodPost, "/workspace/offers/:id/options/withdraw", caseworkers, s.withdrawHomePage, routeDoc{summary: "Withdraw one home of the offer that fell through, with the reason (HTML form, as POST /v1/offers/{id}/options/{placement}/withdraw): the back-up takes its place; 303 to the offer.", status: 303, content: page}},
		{http.MethodPost, "/workspace/offers/:id/withdraw", caseworkers, s.withdrawOfferPage, routeDoc{summary: "Withdraw the offer, with the reason (HTML form, as POST /v1/offers/{id}/withdraw): 303 to the offer.", status: 303, content: page}},
		{http.MethodPost, "/workspace/offers/:id/decision", caseworkers, s.decidePage, routeDoc{summary: "Accept one home of the offer or decline them all, with the reason (HTML form, as POST /v1/offers/{id}/decision): 303 to the offer.", status: 303, content: page}},
		{http.MethodGet, "/workspace/children/:id/history", caseworkers, s.historyPage, routeDoc{summary: "The child's placements with why each ended and their stability, check-ins with their flags (officers only), reviews of unplanned moves and support plans (HTML; each read audited as its JSON route's).", content: page}},
		{http.MethodGet, "/workspace/match-runs", caseworkers, s.runsPage, routeDoc{summary: "What a match run is, and the form to start one (HTML).", content: page}},
		{http.MethodPost, "/workspace/match-runs", caseworkers, s.startRunPage, routeDoc{summary: "Start a match run of the officer's council's children (HTML form, as POST /v1/match-runs): 303 to its page.", status: 303, content: page}},
		{http.MethodGet, "/workspace/match-runs/:id", caseworkers, s.runPageView, routeDoc{summary: "A match run: its progress while it runs (the page refreshes itself), then its results with each child's name and the homes proposed (HTML; audited).", content: page}},
		{http.MethodPost, "/workspace/match-runs/:id/referrals", caseworkers, s.runReferralsPage, routeDoc{summary: "Refer every child of a succeeded run to the providers of the run's homes (HTML form, as POST /v1/match-runs/{id}/referrals), saying what was done for each.", content: page}},
		{http.MethodPost, "/workspace/match-runs/:id/offers", caseworkers, s.runOffersPage, routeDoc{summary: "Offers for every child of a succeeded run from the run's homes that agreed (HTML form, as POST /v1/match-runs/{id}/offers), saying what was done for each.", content: page}},
		{http.MethodPost, "/workspace/offers/:id/placed", caseworkers, s.placedPage, routeDoc{summary: "The child moved into the home accepted (HTML form, as POST /v1/offers/{id}/placed): 303 to the offer.", status: 303, content: page}},
		{http.MethodGet, "/workspace/children/:id/options", caseworkers, s.optionsPage, routeDoc{summary: "A child's options: every factor's reason, weekly cost and distances, what the rules ruled out, and a map of the child's home (coarse), school, contacts and the options (HTML; audited).", content: page}},

		// The commissioner's journey (wsmap): the sufficiency dashboard as a workspace page.
		{http.MethodGet, "/workspace/sufficiency", reportReaders, s.sufficiencyPage, routeDoc{summary: "The sufficiency dashboard for a person signed in (HTML): the headline figures of the commissioner's council (or a region, or England), a map of its councils by the share short of two real choices, the areas compared and the CSV of the same figures.",
			content: page, query: []param{{"council", "string", "a council's ONS code"}, {"region", "string", "a region's ONS code"}, {"england", "boolean", "England, for a council's commissioner"}}}},

		{http.MethodGet, "/workspace/sufficiency/what-if", aggregates, s.whatIfPage, routeDoc{summary: "The what-if form (HTML): carers or a home added in a council.", content: page}},
		{http.MethodPost, "/workspace/sufficiency/what-if", aggregates, s.whatIfPage, routeDoc{summary: "A what-if from the form (HTML form, CSRF token): every figure that changes, as POST /v1/sufficiency/what-if; a mistake is the form again (400).", content: page}},
		{http.MethodGet, "/workspace/sufficiency/plan", aggregates, s.planPage, routeDoc{summary: "The recruitment planner's form (HTML).", content: page}},
		{http.MethodPost, "/workspace/sufficiency/plan", aggregates, s.planPage, routeDoc{summary: "A plan from the form (HTML form, CSRF token): where the next carers would close the most of the gap, as POST /v1/sufficiency/plan; a mistake is the form again (400).", content: page}},

		// Alerts raised by children's check-ins (workspace_alerts.go).
		{http.MethodGet, "/workspace/alerts/:id", caseReaders, s.alertPage, routeDoc{summary: "An alert raised by a child's check-in: what it is about in outline, who owns it, its deadline and what has been done, with the forms to acknowledge and close it (officers) (HTML; audited).",
			content: page, query: []param{{"done", "string", "say what was just done: acknowledged or closed"}}}},
		{http.MethodPost, "/workspace/alerts/:id/acknowledge", officersOnly, s.acknowledgeAlertPage, routeDoc{summary: "Acknowledge an alert (HTML form, CSRF token), as POST /v1/alerts/{id}/acknowledge: 303 to the alert.", status: 303, content: page}},
		{http.MethodPost, "/workspace/alerts/:id/close", officersOnly, s.closeAlertPage, routeDoc{summary: "Close an acknowledged alert with what was done (HTML form, CSRF token), as POST /v1/alerts/{id}/close: 303 to the alert; without a note, the page again with the error summary (400, nothing written).", status: 303, content: page}},

		// The manager's journey (wsmap): the sign-offs waiting, and signing one off.
		{http.MethodGet, "/workspace/sign-offs", managers, s.signOffQueuePage, routeDoc{summary: "The sign-offs waiting in the council's open offers: the child, the home, what each is for, why, and who may give it (HTML; audited).",
			content: page, query: []param{{"given", "boolean", "say that a sign-off was just given"}, {"refused", "boolean", "say that a sign-off was just refused"}}}},
		{http.MethodGet, "/workspace/offers/:id/sign-off", managers, s.signOffPage, routeDoc{summary: "The form to sign off one waiting need of an offer's home, with a reason (HTML; audited).",
			content: page, query: []param{{"placement", "integer", "the home of the offer"}, {"kind", "string", "what the sign-off is for"}}}},
		{http.MethodGet, "/workspace/children/:id/audit", auditReaders, s.childAuditPage, routeDoc{summary: "Who looked at a child's record: every read and change of it in the audit log, naming the person or token (HTML; audited).",
			content: page, query: []param{{"after", "integer", "the last entry of the page before"}}}},
		{http.MethodPost, "/workspace/offers/:id/sign-offs", managers, s.giveSignOffPage, routeDoc{summary: "Sign off one need of an offer's home with a reason (HTML form, CSRF token): as POST /v1/offers/{id}/sign-offs; 303 to the sign-offs waiting, or the form again naming the mistake.", status: 303, content: page}},
		{http.MethodPost, "/workspace/offers/:id/sign-off-refusals", managers, s.refuseSignOffPage, routeDoc{summary: "Refuse one need of an offer's home with a reason (HTML form, CSRF token): as POST /v1/offers/{id}/sign-off-refusals; 303 to the sign-offs waiting, or the form again naming the mistake.", status: 303, content: page}},
		{http.MethodGet, "/workspace/children/:id/inadequate-overrides", managers, s.overridesPage, routeDoc{summary: "A child's overrides of inadequate ratings, and the homes the child's search left out for their rating alone, with the director's form to override one (HTML; audited).",
			content: page, query: []param{{"given", "boolean", "say that an override was just given"}}}},
		{http.MethodPost, "/workspace/children/:id/inadequate-overrides", managers, s.overrideInadequatePage, routeDoc{summary: "The director overrides one home's inadequate rating for the child, with a reason (HTML form, CSRF token): as POST /v1/children/{id}/inadequate-overrides; 303 to the page, or the page again naming the mistake.", status: 303, content: page}},

		// The IROs' and advocates' pages (workspace_help.go): what waits for them, and answering it.
		{http.MethodGet, "/workspace/requests", helpAnswerers, s.requestsPage, routeDoc{summary: "What waits for an independent reviewing officer (children's requests to look again, reviews of unplanned moves) or an advocate (children's requests for an advocate), the longest waiting first (HTML; audited).",
			content: page, query: []param{{"all", "boolean", "answered requests too"}, {"answered", "boolean", "say that an answer was just recorded"}}}},
		{http.MethodGet, "/workspace/requests/:id", helpAnswerers, s.helpRequestPage, routeDoc{summary: "One child's request, of the kind the caller answers, with what the child chose to share and the form to answer it (HTML; audited).", content: page}},
		{http.MethodPost, "/workspace/requests/:id/answer", helpAnswerers, s.answerRequestPage, routeDoc{summary: "Record the answer to a child's request (HTML form, CSRF token), as POST /v1/look-again-requests/{id}/answer or /v1/advocacy-requests/{id}/contact: 303 to the list, or the page again naming the mistake.", status: 303, content: page}},
		{http.MethodGet, "/workspace/move-reviews/:id", iros, s.moveReviewPage, routeDoc{summary: "A review of an unplanned move, with the form to record it (HTML; audited).", content: page}},
		{http.MethodPost, "/workspace/move-reviews/:id", iros, s.recordReviewPage, routeDoc{summary: "Record the review of an unplanned move (HTML form, CSRF token), as PUT /v1/move-reviews/{id}: 303 to the list, or the page again naming the mistake.", status: 303, content: page}},

		// The provider's journey (wsprovider, workspace_provider.go): referrals and homes.
		{http.MethodGet, "/workspace/referrals", providerPages, s.inboxPage, routeDoc{summary: "The provider's referral inbox: those still to answer first, by deadline, each with the time left (HTML).", content: page}},
		{http.MethodGet, "/workspace/referrals/:id", providerPages, s.referralPage, routeDoc{summary: "A referral: the child's referral profile and the form to accept (impact assessment, weekly fee) or decline (a reason); opening it marks it viewed (HTML; audited).",
			content: page, query: []param{{"answered", "boolean", "say that the answer is recorded"}}}},
		{http.MethodPost, "/workspace/referrals/:id/response", providerPages, s.answerReferralPage, routeDoc{summary: "The provider's answer (HTML form, CSRF token), as POST /v1/referrals/{id}/response records it: 303 to the referral; a mistake is the page again with the error summary (400, nothing written).", status: 303, content: page}},
		{http.MethodGet, "/workspace/homes", providerPages, s.homesPage, routeDoc{summary: "The provider's homes, each with its approval terms and whether its words for children are approved (HTML).", content: page}},
		{http.MethodGet, "/workspace/homes/:id", providerPages, s.homePage, routeDoc{summary: "One of the provider's homes: its places and the words shown to children, whether they are approved, and the forms that change them (HTML).", content: page,
			query: []param{{"saved", "string", "words, place, terms or added: say what was just saved"}}}},
		{http.MethodGet, "/workspace/homes/new", providersOnly, s.newHomePage, routeDoc{summary: "The form to add a home (HTML).", content: page}},
		{http.MethodPost, "/workspace/homes", providersOnly, s.addHomePage, routeDoc{summary: "Add a home (HTML form, CSRF token), as POST /v1/placements adds it: the same owners of each field and validation; 303 to the home, or the form again naming the mistake.", status: 303, content: page}},
		{http.MethodPost, "/workspace/homes/:id/terms", providerPages, s.homeTermsPage, routeDoc{summary: "Change a home's kind, approval (ages, places) and weekly cost (HTML form, CSRF token), as PUT /v1/placements/{id} changes them: the same owners of each field, the version read; 303 to the home, or the page again naming the mistake.", status: 303, content: page}},
		{http.MethodPost, "/workspace/homes/:id/words", providerPages, s.homeWordsPage, routeDoc{summary: "The home's words for children from the form (HTML form, CSRF token), as PUT /v1/placements/{id} changes its profile; a change withdraws their approval until a placement officer approves the new text; a mistake is the page again (400, 409 when the home changed meanwhile).", content: page}},
		{http.MethodPost, "/workspace/homes/:id/places", providerPages, s.homePlacesPage, routeDoc{summary: "Open a place in the home, free from the day given (HTML form, CSRF token), as POST /v1/placements/{id}/vacancies; a mistake is the page again (400).", content: page}},
		{http.MethodPost, "/workspace/places/:id", providerPages, s.placeStatusPage, routeDoc{summary: "Withdraw a place, or offer it again (HTML form, CSRF token), as PUT /v1/vacancies/{id}; a place held or filled changes through its offer; a mistake is the home's page again (400, 409).", content: page}},

		// The administrator's journey (wsprovider, workspace_admin.go): accounts.
		{http.MethodGet, "/workspace/admin/accounts", adminOnly, s.accountsPage, routeDoc{summary: "Every account: its person, role, scope and whether it is disabled (HTML).", content: page}},
		{http.MethodGet, "/workspace/admin/accounts/new", adminOnly, s.newAccountPage, routeDoc{summary: "The form to add an account: name, e-mail address, role, council or provider, a manager's level (HTML).", content: page}},
		{http.MethodPost, "/workspace/admin/accounts", adminOnly, s.addAccount, routeDoc{summary: "Add an account (HTML form, CSRF token) with a generated password, shown once on the page that answers; a mistake is the form again with the error summary (400, nothing written).", content: page}},
		{http.MethodGet, "/workspace/admin/accounts/:id", adminOnly, s.accountPage, routeDoc{summary: "One account, with its password's reset and its disabling (HTML).", content: page,
			query: []param{{"disabled", "boolean", "say that the account was disabled"}}}},
		{http.MethodPost, "/workspace/admin/accounts/:id/disable", adminOnly, s.disableAccount, routeDoc{summary: "Disable an account (HTML form, CSRF token): its sessions end and it cannot sign in; audited. Not one's own. 303 to the account.", status: 303, content: page}},
		{http.MethodPost, "/workspace/admin/accounts/:id/password", adminOnly, s.resetPassword, routeDoc{summary: "Reset an account's password (HTML form, CSRF token): a generated one, shown once on the page that answers; its sessions end; audited.", content: page}},
		{http.MethodGet, "/workspace/admin/tokens", adminOnly, s.tokensPage, routeDoc{summary: "Every API token (HTML): its label, role, scope and whether it is live, with a button to revoke one; an account's own token is shown as the account's.", content: page,
			query: []param{{"revoked", "boolean", "say that a token was just revoked"}}}},
		{http.MethodGet, "/workspace/admin/tokens/new", adminOnly, s.newTokenPage, routeDoc{summary: "The form to add an API token: label, role and scope, days it lasts (HTML).", content: page}},
		{http.MethodPost, "/workspace/admin/tokens", adminOnly, s.addToken, routeDoc{summary: "Add an API token (HTML form, CSRF token), as POST /v1/tokens; its secret is shown once on the page that answers; a mistake is the form again (400, nothing written).", content: page}},
		{http.MethodPost, "/workspace/admin/tokens/:id/revoke", adminOnly, s.revokeTokenPage, routeDoc{summary: "Revoke an API token (HTML form, CSRF token), as DELETE /v1/tokens/{id}; an account's own token is refused (409: disable the account).", status: 303, content: page}},
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

// auditReaders may read who looked at a child's record: managers of the child's council, and
// administrators.
var auditReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleManager}

// helpAnswerers answer children's help requests: the IROs (requests to look again) and the
// advocates (requests for an advocate), each only their own kind.
// providersOnly: a provider adds its own homes from the pages (an administrator, through the API).
var providersOnly = []catalogue.Role{catalogue.RoleProvider}

var helpAnswerers = []catalogue.Role{catalogue.RoleIRO, catalogue.RoleAdvocate}

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
	// Refresh, when not 0, reloads the page after this many seconds (a match run's progress).
	Refresh int
	Body    any
}

type userView struct{ Name, Role, Scope string }

type navItem struct {
	Label, Href string
	Current     bool
}

type formError struct{ Field, Text string }

// errorFor is the first mistake of a form's field, for the message beside its control.
func errorFor(errs []formError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Text
		}
	}
	return ""
}

type signInForm struct {
	Email, Password string
	OIDC            bool // offer "Sign in with your council's account"
}

// roleNames are the roles as a person reads them.
var roleNames = map[catalogue.Role]string{
	catalogue.RoleAdmin: "administrator", catalogue.RoleOfficer: "placement officer", catalogue.RoleManager: "manager",
	catalogue.RoleCommissioner: "commissioner", catalogue.RoleProvider: "provider",
	catalogue.RoleIRO: "independent reviewing officer", catalogue.RoleAdvocate: "advocate",
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
	if err := workspacePages()[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		return err
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// navFor is the service navigation of a role, the current page marked.
func navFor(r catalogue.Role, route string) []navItem {
	items := []navItem{{Label: "Start", Href: "/workspace"}}
	switch r {
	case catalogue.RoleOfficer, catalogue.RoleManager, catalogue.RoleAdmin, catalogue.RoleIRO:
		items = append(items, navItem{Label: "Children waiting", Href: "/workspace/children"})
	}
	if r == catalogue.RoleOfficer || r == catalogue.RoleAdmin {
		items = append(items, navItem{Label: "Match runs", Href: "/workspace/match-runs"})
	}
	switch r {
	case catalogue.RoleCommissioner, catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleManager:
		items = append(items, navItem{Label: "Sufficiency", Href: "/workspace/sufficiency"})
	}
	if r == catalogue.RoleManager {
		items = append(items, navItem{Label: "Sign-offs", Href: "/workspace/sign-offs"})
	}
	if r == catalogue.RoleIRO || r == catalogue.RoleAdvocate {
		items = append(items, navItem{Label: "Requests", Href: "/workspace/requests"})
	}
	if r == catalogue.RoleProvider || r == catalogue.RoleAdmin { // the provider's journey
		items = append(items, navItem{Label: "Referrals", Href: "/workspace/referrals"}, navItem{Label: "Homes", Href: "/workspace/homes"})
	}
	if r == catalogue.RoleAdmin { // the administrator's journey
		items = append(items, navItem{Label: "Accounts", Href: "/workspace/admin/accounts"}, navItem{Label: "Tokens", Href: "/workspace/admin/tokens"}, navItem{Label: "Policy", Href: "/workspace/admin/policy"},
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

// regionName is a region's name, or its code when it is not one of England's.
func regionName(code catalogue.RegionCode) string {
	for _, r := range catalogue.Regions() {
		if r.Code == code {
			return r.Name
		}
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
	if v := c.Query("v"); v != "" && v == assetVersions()[name] {
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
		links = append(links, startLink{"Children waiting", "/workspace/children", "find a child by name or case reference, read their record and see their options; refer them to providers, make and send the offer, record the decision and the move"})
		links = append(links, startLink{"Match runs", "/workspace/match-runs", "find homes for every child waiting at once, then refer them and make offers from the homes that agree"},
			startLink{"Sufficiency", "/workspace/sufficiency", "your council's figures in full, beside its region's and England's"})
	case catalogue.RoleManager:
		links = append(links, startLink{"Children waiting", "/workspace/children", "your council's children waiting, and their records (from a record, the director's overrides of a home's inadequate rating)"},
			startLink{"Sign-offs waiting", "/workspace/sign-offs", "what the law or your council's policy reserves to a manager, to sign off or refuse with a reason"},
			startLink{"Sufficiency", "/workspace/sufficiency", "your council's figures in full, beside its region's and England's"})
	case catalogue.RoleIRO:
		links = append(links, startLink{"What waits for you", "/workspace/requests", "children's requests to look again at a decision, and the reviews of unplanned moves you record"},
			startLink{"Children waiting", "/workspace/children", "your council's children waiting, their records and the decisions made"})
	case catalogue.RoleAdvocate:
		links = append(links, startLink{"What waits for you", "/workspace/requests", "children's requests for an advocate, with what each child chose to share, to record the contact you made"})
	case catalogue.RoleCommissioner:
		links = append(links, startLink{"Sufficiency", "/workspace/sufficiency", "your council's figures (in full for your own council or region), its region's map by the share short of two real choices, the CSV, what-if and the recruitment planner"})
	case catalogue.RoleProvider:
		links = append(links, startLink{"Referrals", "/workspace/referrals", "children referred to your homes: read each referral and accept or decline it before its deadline"},
			startLink{"Your homes", "/workspace/homes", "add a home; your homes' kind, approval and cost, their places and the words shown to children"})
	}
	if p.Role == catalogue.RoleAdmin {
		links = append(links, startLink{"Accounts", "/workspace/admin/accounts", "add people, disable an account, reset a password"},
			startLink{"API tokens", "/workspace/admin/tokens", "tokens for machine clients: add one, revoke one"},
			startLink{"Scoring policy", "/workspace/admin/policy", "each council's weights and the cost cap"},
			startLink{"Sharing agreements", "/workspace/admin/sharing", "which councils may use which council's own foster carers"})
		api = append(api, "regional pools and changes to an agreement (/v1/sharing-agreements)")
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
