package api

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/oidcauth"
)

// Store is the catalogue store as the API serves it: every aggregate its routes read and
// change, each method with the contract written on its catalogue interface (scope applied in
// every query, errors of catalogue's kinds). Three aggregates are optional, asserted on the
// Store: placement histories and check-ins (catalogue.HistoryStore and
// catalogue.CheckInStore), support plans (catalogue.SupportStore) and the outbox of
// notifications (catalogue.NotificationStore); a store that keeps none serves everything else,
// and their routes answer 501.
type Store interface {
	catalogue.ProviderStore
	catalogue.ChildStore
	catalogue.PlacementStore
	catalogue.OfferStore
	catalogue.ReferralStore
	catalogue.SignOffStore
	catalogue.SignOffRefusalStore
	catalogue.PlacementNoticeStore
	catalogue.LinkStore
	catalogue.PolicyStore
	catalogue.MatchRuns
	catalogue.TokenStore
	catalogue.AuditLog
	catalogue.IdempotencyStore

	// Ping, Counts and Import are catalogue.Store's.
	Ping(ctx context.Context) error
	Counts(ctx context.Context) (catalogue.Counts, error)
	Import(ctx context.Context, b catalogue.Batch) (catalogue.BatchResult, error)
}

// histories is what a Store that keeps placement histories also is.
type histories interface {
	catalogue.HistoryStore
	catalogue.CheckInStore
}

// Config is what New needs: Store and Matcher are required.
type Config struct {
	Store Store
	// Matcher is the matcher's in-memory snapshot, which the API keeps fresh as placements
	// change.
	Matcher Matcher
	// Casework carries out the use cases (a child's options, offers); nil: one made over Store,
	// with the Matcher, which must then search (a casework.Matcher).
	Casework *casework.Service
	// Matching starts match runs and settles children's preferences; nil: those two routes
	// answer 503 (runs already made are read from the Store).
	Matching Matching
	// Sufficiency is the sufficiency analysis; nil: one computed from the Store.
	Sufficiency Sufficiency
	// Aggregates keeps the copies of every aggregate the API serves (see aggregates.go); the
	// service passes its own and closes it when it stops. Nil: a cache of the API's own, never
	// closed.
	Aggregates *aggregate.Cache
	Metrics    *Metrics // nil: a registry of the API's own, with the catalogue's sizes
	Logger     *slog.Logger
	Now        catalogue.Clock // the one clock of the service; nil: the wall clock
	// OIDC is the council's own identity provider people may sign in with (docs/oidc.md);
	// nil: only the accounts' own passwords.
	OIDC     *oidcauth.Provider
	Settings Settings
}

// Settings are the API's limits and how it makes children's links; a zero field is its
// default.
type Settings struct {
	// BaseURL is the public address of the service (https://placematch.example.gov.uk), used in
	// the links sent to children, whatever Host a request names.
	BaseURL string
	// AllowedHosts are the hosts (host or host:port, as the Host header names them) whose name
	// a link sent to a child may be built from when BaseURL is empty; when both are empty, the
	// loopback names (127.0.0.1, localhost, [::1], on any port), for local use. A request that
	// would make a link from any other Host is refused (400 naming Host), so a spoofed Host
	// cannot send a child elsewhere.
	AllowedHosts []string
	// SecureCookies marks the child's session cookie Secure (with the __Host- prefix) even when
	// the request reached the service without TLS, as behind a proxy that ends TLS.
	SecureCookies bool
	// TrustedProxies are the addresses or CIDR ranges of proxies whose X-Forwarded-For is
	// believed when rate limiting; none by default.
	TrustedProxies []string
	// ChildSessionTTL is how long a child's session lasts after opening their link; default 24h.
	ChildSessionTTL time.Duration
	// SessionIdle is how long a workspace session lasts without a request (default 30
	// minutes); SessionLifetime how long it lasts at most whatever happens (default 12 hours).
	SessionIdle, SessionLifetime time.Duration
	// LinkAttemptsPerMinute limits failed attempts to open children's links, to sign in to the
	// workspace and to sign in to the dashboard, from one address (default 10 a minute, in bursts of 5) and in total (60
	// times that). A valid link or token is never refused for failures from other addresses.
	LinkAttemptsPerMinute int

	MaxBodyBytes   int64         // JSON bodies; default 1 MiB
	MaxImportBytes int64         // import files; default 64 MiB
	RequestTimeout time.Duration // default 30s

	// AggregateMaxAge is how long a copy of an aggregate other than the sufficiency report is
	// served before a new one is computed (the old one is served meanwhile); default 1 minute.
	AggregateMaxAge time.Duration
	// Retention are the periods the retention job keeps children's records and links for
	// (catalogue.DefaultRetention when zero), which the child's privacy notice tells them.
	Retention catalogue.RetentionPeriods
	// ChildLanguagesDir is a directory of councils' translations of the child's pages (*.json,
	// docs/languages.md), each checked against English when the service starts; empty: none.
	ChildLanguagesDir string
	// ChildLanguages are the ids of the languages a child may choose on their pages (empty:
	// every catalogue but the pseudo-locales); ChildLanguageDefault the language of a child with
	// no choice made and no catalogue of their first language (empty: English).
	ChildLanguages       []string
	ChildLanguageDefault string
	// WarmAggregates starts computing the aggregates that are slow to compute (the sufficiency
	// report) at once, in the background.
	WarmAggregates bool
}

type server struct {
	langs   *childLangs // the languages of the child's pages
	store   Store
	hist    histories                   // nil: placement histories and check-ins are not kept
	support catalogue.SupportStore      // nil: support plans are not kept
	notices catalogue.NotificationStore // nil: notifications are not kept
	alerts  catalogue.AlertStore        // nil: check-ins raise no alerts
	// settling keeps back-ups held while children settle; nil: its routes answer 501.
	settling catalogue.SettlingStore
	// accounts keeps the workspace's accounts and sessions; nil: nobody can sign in.
	accounts catalogue.AccountStore
	// oidc is the identity provider people may sign in with; nil: none.
	oidc  *oidcauth.Provider
	match Matcher
	work  *casework.Service
	// matching starts match runs; nil: not on this server.
	matching Matching
	suff     Sufficiency
	agg      *aggregate.Cache
	aggAge   time.Duration
	metrics  *Metrics
	log      *slog.Logger
	now      catalogue.Clock

	// dashboardSignIns limits failed attempts to sign in to the dashboard.
	dashboardSignIns *attemptLimiter
	// signIns limits failed attempts to sign in to the workspace.
	signIns         *attemptLimiter
	sessionIdle     time.Duration
	sessionLifetime time.Duration
	baseURL         string
	allowedHosts    []string
	secure          bool
	sessionTTL      time.Duration
	retention       catalogue.RetentionPeriods
	links           *attemptLimiter

	maxBody, maxImport int64
	timeout            time.Duration
}

// route is one entry of the API surface: who may call it, what handles it, and what it does,
// takes and answers (its documentation, from which the OpenAPI description is built).
type route struct {
	method  string
	path    string
	roles   []catalogue.Role // nil: public, no token needed
	handler handlerFunc
	routeDoc
}

// page reports whether the route is a page of the workspace: HTML for a signed-in person, whose
// mistakes are answered with pages, and whose visitors without a session are sent to sign in.
func (r route) page() bool { return r.roles != nil && r.content == "text/html" }

// markPage marks the request as one for a page of the workspace.
func markPage(c *gin.Context) {
	c.Set(keyPage, true)
	c.Next()
}

var (
	anyRole     = catalogue.Roles
	adminOnly   = []catalogue.Role{catalogue.RoleAdmin}
	caseworkers = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer}
	supplyRead  = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleProvider}
	// supplyWrite: providers their own homes; officers the kinship homes of their council's
	// children (see ownership.go).
	supplyWrite = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleProvider}
	aggregates  = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleCommissioner}
	// reportReaders read the sufficiency report: a council's officers and managers see their own
	// council's figures unwithheld, as its commissioner does (reportFor).
	reportReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleCommissioner, catalogue.RoleOfficer, catalogue.RoleManager}
	// caseReaders read a council's children and offers: caseworkers, managers, who sign off
	// what the law or the council's policy reserves (signoffs.go), and independent reviewing
	// officers, who review the decisions made.
	caseReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleManager, catalogue.RoleIRO}
	managers    = []catalogue.Role{catalogue.RoleManager}
	// iros are the council's independent reviewing officers: they alone record the review of
	// an unplanned move (Children Act 1989 s25B; the IRO Handbook), and answer a child's request
	// to look again at a decision.
	iros = []catalogue.Role{catalogue.RoleIRO}
	// moveReviewReaders read the reviews of unplanned moves: caseworkers and the IROs.
	moveReviewReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleIRO}
	// advocates are the council's advocacy service.
	advocates = []catalogue.Role{catalogue.RoleAdvocate}
)

// routes is the whole API surface, in one place: each route's method and path, who may call it,
// its handler, and its documentation (summary, body, answer, query parameters).
func (s *server) routes() []route {
	return append([]route{
		{http.MethodGet, "/healthz", nil, s.healthz, routeDoc{summary: "Liveness: the process answers.", out: map[string]string{}}},
		{http.MethodGet, "/readyz", nil, s.readyz, routeDoc{summary: "Readiness: the store answers.", out: map[string]string{}}},
		{http.MethodGet, "/metrics", aggregates, s.serveMetrics, routeDoc{summary: "Prometheus metrics (text exposition format).", content: "text/plain"}},
		{http.MethodGet, "/openapi.json", nil, s.serveOpenAPI, routeDoc{summary: "This description of the API.", content: "application/json"}},

		{http.MethodGet, "/v1/me", anyRole, s.me, routeDoc{summary: "Who the token speaks for.", out: meDTO{}}},

		{http.MethodGet, "/v1/children", caseReaders, s.listChildren, routeDoc{summary: "List children (officers: their council's only).", out: pageDTO[childDTO]{},
			query: params([]param{councilParam, {"status", "string", "waiting, offered, placed or closed"}, {"sibling_group", "integer", "a sibling group's ID"}}, nearParams, pageParams)}},
		{http.MethodPost, "/v1/children", caseworkers, s.createChild, routeDoc{summary: "Refer a child.", in: childDTO{}, out: childDTO{}, status: 201}},
		{http.MethodGet, "/v1/children/:id", caseReaders, s.getChild, routeDoc{summary: "Read a child's record (audited).", out: childDTO{}}},
		{http.MethodPut, "/v1/children/:id", caseworkers, s.updateChild, routeDoc{summary: "Change a child's record; send the version you read.", in: childDTO{}, out: childDTO{}}},
		{http.MethodPost, "/v1/children/:id/options", caseworkers, s.childOptions, routeDoc{summary: "Ranked options for the child, each factor explained, and the shortfall.", in: optionsRequestDTO{}, out: optionsResponse{}}},
		{http.MethodPost, "/v1/children/:id/offers", caseworkers, s.createOffer, routeDoc{summary: "Make an offer: the top two options as choices and the third as back-up, or the homes named.", in: offerRequest{}, out: offerDTO{}, status: 201}},

		{http.MethodGet, "/v1/offers", caseReaders, s.listOffers, routeDoc{summary: "List offers (officers: their council's).", out: pageDTO[offerDTO]{},
			query: params([]param{councilParam, {"status", "string", "an offer status"}, {"child", "integer", "a child's ID"}, {"match_run", "integer", "a match run's ID"}}, pageParams)}},
		{http.MethodGet, "/v1/offers/:id", caseReaders, s.getOffer, routeDoc{summary: "The officer's view of an offer: ranking and reasons, what the child said, the sign-offs each home needs and those given, the decision.", out: offerDTO{}}},
		{http.MethodPost, "/v1/offers/:id/sign-offs", managers, s.giveSignOff, routeDoc{summary: "Sign off what accepting one of the offer's homes needs (out of area, a Key Stage 4 school move, high cost, a children's home under 12), with a reason: a manager of the kind's level or above (403 naming kind otherwise), once. Audited with who gave it.",
			in: signOffRequest{}, out: signOffDTO{}, status: 201}},
		{http.MethodPost, "/v1/offers/:id/sign-off-refusals", managers, s.refuseSignOff, routeDoc{summary: "Refuse a sign-off one of the offer's homes needs, with a reason (the body of a sign-off): a manager who may give it (403 naming kind otherwise), once. The refusal is final for that home of the offer: nobody gives the sign-off after it, and accepting the home is refused (409 naming sign_offs and the kind). Audited with who refused it.",
			in: signOffRequest{}, out: signOffRefusalDTO{}, status: 201}},
		{http.MethodGet, "/v1/children/:id/family-network", caseworkers, s.familyNetwork, routeDoc{summary: "The child's family network: the people the family named, each with their viability assessment, its due date and outcome (audited).", out: networkDTO{}}},
		{http.MethodPost, "/v1/children/:id/family-network", caseworkers, s.addNetworkMember, routeDoc{summary: "Add a person the family named (at a family group conference, or through the social worker) to the child's network, with the day their viability assessment is due. Audited.",
			in: networkMemberDTO{}, out: networkMemberDTO{}, status: 201}},
		{http.MethodPut, "/v1/family-network/:id", caseworkers, s.updateNetworkMember, routeDoc{summary: "Change a network member: record their viability assessment's outcome (passed, not_passed or withdrawn, with the day and, unless passed, why); send the version you read. Audited.",
			in: networkMemberDTO{}, out: networkMemberDTO{}}},
		{http.MethodPost, "/v1/family-network/:id/placement", caseworkers, s.placeWithConnectedPerson, routeDoc{summary: "Make a network member who passed their viability assessment the child's kinship home: connected to the child, on a temporary approval as a connected person from today (regulation 24, 16 weeks), with a place from today; in one transaction, audited.",
			in: connectedHomeRequest{}, out: connectedPlacementDTO{}, status: 201}},
		{http.MethodGet, "/v1/children/:id/inadequate-overrides", caseReaders, s.listOverrides, routeDoc{summary: "The director's overrides of homes rated inadequate for the child (audited).", out: overridesDTO{}}},
		{http.MethodPost, "/v1/children/:id/inadequate-overrides", managers, s.overrideInadequate, routeDoc{summary: "The director overrides a home's inadequate rating for this child only, with a written reason: the child's search considers the home, and accepting it counts the override as its sign-off. Audited.",
			in: overrideRequest{}, out: overrideDTO{}, status: 201}},
		{http.MethodPost, "/v1/offers/:id/send", caseworkers, s.sendOffer, routeDoc{summary: "Send the offer: a new private link for the child, shown once.", in: sendRequest{}, out: sendResponse{}, status: 201}},
		{http.MethodDelete, "/v1/offers/:id/links", caseworkers, s.revokeLinks, routeDoc{summary: "Revoke the child's links and sessions.", status: 204}},
		{http.MethodPost, "/v1/offers/:id/decision", caseworkers, s.decideOffer, routeDoc{summary: "Accept (filling the place) or decline; a reason is needed when departing from the top option or the child's preference.", in: decisionRequest{}, out: offerDTO{}}},
		{http.MethodPost, "/v1/offers/:id/placed", caseworkers, s.placedOffer, routeDoc{summary: "Record that the child has moved in; their placement history gets the new placement (a move, with the reason the last one ended).", in: placedRequest{}, out: offerDTO{}}},
		{http.MethodPost, "/v1/offers/:id/withdraw", caseworkers, s.withdrawOffer, routeDoc{summary: "Withdraw the offer, with a reason.", in: versionRequest{}, out: offerDTO{}}},
		{http.MethodPost, "/v1/offers/:id/options/:placement/withdraw", caseworkers, s.withdrawOption, routeDoc{summary: "A choice fell through: the back-up takes its place and a new search tops the offer up.", in: versionRequest{}, out: offerDTO{}}},

		// The child's page: no bearer token; a link opens a session cookie (see child.go).
		{http.MethodGet, "/c/:token", nil, s.childRoute(s.showDoor), routeDoc{summary: "The child's private link: a page with one button, which posts back to the link. Nothing is used up, so link previews and mail scanners leave it working (HEAD answers the same).", content: "text/html"}},
		{http.MethodPost, "/c/:token", nil, s.childRoute(s.openLink), routeDoc{summary: "The link's button: the link, once, for a session cookie, then 303 to the token-free page. A post from another site is refused.", status: 303, content: "text/html"}},
		{http.MethodGet, "/child/offers/:id", nil, s.childRoute(s.showOffer), routeDoc{summary: "The child's page: their two choices in plain words (HTML, session cookie).", content: "text/html", query: []param{{"saved", "boolean", "show that the answer was saved"}}}},
		{http.MethodPost, "/child/offers/:id", nil, s.childRoute(s.saveSay), routeDoc{summary: "The child's say: a choice or neither, their own words, an advocate (HTML form, session cookie, CSRF token).", status: 303, content: "text/html"}},
		{http.MethodPost, "/child/offers/:id/look-again", nil, s.childRoute(s.lookAgain), routeDoc{summary: "Once the offer is decided, the child asks their independent reviewing officer to look again at the decision, saying why if they want to (HTML form, session cookie, CSRF token): 303 to the page, which says so.", status: 303, content: "text/html"}},
		{http.MethodGet, "/child/offers/:id/json", nil, s.childRoute(s.offerJSON), routeDoc{summary: "The child's page as JSON (session cookie).", out: childPage{}}},
		{http.MethodGet, "/child/check-in", nil, s.childRoute(s.showCheckIn), routeDoc{summary: "The child's check-in page: how settled and safe they feel, getting on, seeing the people who matter, what would help, asking for an advocate; every answer optional (HTML, a check-in session cookie).",
			content: "text/html", query: []param{{"saved", "boolean", "thank the child for the check-in just saved"}, {"way", "string", "words: answer with words rather than faces"}}}},
		{http.MethodPost, "/child/check-in", nil, s.childRoute(s.saveCheckIn), routeDoc{summary: "The child's check-in (HTML form, session cookie, CSRF token): recorded as the child's own, then 303 to the thank-you; \"I'd rather not\" saves nothing.", status: 303, content: "text/html"}},
		{http.MethodPost, "/child/leave", nil, s.childRoute(s.leavePage), routeDoc{summary: "End the child's session.", status: 303, content: "text/html"}},
		{http.MethodGet, "/child/privacy", nil, s.childRoute(s.privacyNotice), routeDoc{summary: "The privacy notice for children, in their words (UK GDPR articles 12 to 14): how the homes were suggested, who sees their answers, how long they are kept (the configured retention periods). Public: it holds nothing about any child.", content: "text/html"}},
		{http.MethodGet, "/child/language", nil, s.childRoute(s.chooseLanguage), routeDoc{summary: "The child chooses the language of their pages (kept on the device with their session, never in a URL), then 303 to their page (from=privacy: to the privacy notice); with no session, a page saying so.", status: 303, content: "text/html", query: []param{{"to", "string", "the language's id: en, en-easy, or a council's translation"}, {"from", "string", "privacy: back to the privacy notice"}}}},
		{http.MethodGet, "/child/style.css", nil, s.childRoute(s.childStyle), routeDoc{summary: "The child's page's stylesheet.", content: "text/css"}},

		{http.MethodGet, "/v1/sufficiency", reportReaders, s.getSufficiency, routeDoc{summary: "The sufficiency report (aggregates only; counts under 5 withheld, except a council's own for its own officers, managers and commissioner): England, a region or a council, all children or one breakdown, as JSON or CSV (formula characters escaped).",
			out: reportDTO{}, query: []param{councilParam, {"region", "string", "ONS code of a region"}, {"segment", "string", "a breakdown: age_band:16_plus, key_need:siblings_3_plus, segment:16_plus/childrens_home/none, ..."}, formatParam,
				{"table", "string", "with format=csv, one table: areas (the default: the areas and breakdowns), equity, benchmark, capacity, stability or referrals"}}}},
		{http.MethodPost, "/v1/sufficiency/what-if", aggregates, s.whatIf, routeDoc{summary: "Add carers or homes of a profile in an area, rerun the report, and show every figure's change.", in: whatIfRequest{}, out: whatIfDTO{}}},
		{http.MethodPost, "/v1/sufficiency/plan", aggregates, s.plan, routeDoc{summary: "Where the next carers of a profile would close the most of the choice gap, carer by carer, with the gain of each.", in: planRequestDTO{}, out: planDTO{}}},

		// The commissioner's dashboard: no bearer token; a form exchanges one for a session
		// cookie (see dashboard.go).
		{http.MethodGet, "/dashboard", nil, s.showDashboard, routeDoc{summary: "The commissioner's dashboard (HTML, session cookie); without a session, the sign-in form.", content: "text/html", query: []param{councilParam, {"region", "string", "ONS code of a region"}, {"segment", "string", "a breakdown key"}}}},
		{http.MethodPost, "/dashboard/session", nil, s.startDashboard, routeDoc{summary: "Sign in to the dashboard: the form's token (in the body, never the URL) for a session cookie; 303 to the dashboard.", status: 303, content: "text/html"}},
		{http.MethodPost, "/dashboard/leave", nil, s.leaveDashboard, routeDoc{summary: "Sign out of the dashboard: the session is revoked.", status: 303, content: "text/html"}},
		{http.MethodGet, "/dashboard/style.css", nil, s.dashboardStyle, routeDoc{summary: "The dashboard's stylesheet.", content: "text/css"}},

		{http.MethodGet, "/v1/sibling-groups", caseworkers, s.listGroups, routeDoc{summary: "List sibling groups.", out: pageDTO[groupDTO]{}, query: params([]param{councilParam}, pageParams)}},
		{http.MethodPost, "/v1/sibling-groups", caseworkers, s.createGroup, routeDoc{summary: "Record brothers and sisters and their plan.", in: groupDTO{}, out: groupDTO{}, status: 201}},
		{http.MethodGet, "/v1/sibling-groups/:id", caseworkers, s.getGroup, routeDoc{summary: "Read a sibling group.", out: groupDTO{}}},
		{http.MethodPut, "/v1/sibling-groups/:id", caseworkers, s.updateGroup, routeDoc{summary: "Change a sibling group's plan.", in: groupDTO{}, out: groupDTO{}}},

		{http.MethodGet, "/v1/providers", supplyRead, s.listProviders, routeDoc{summary: "List providers.", out: pageDTO[providerDTO]{}, query: params([]param{{"kind", "string", "council, agency, home_operator or supported"}}, pageParams)}},
		{http.MethodPost, "/v1/providers", adminOnly, s.createProvider, routeDoc{summary: "Add a provider.", in: providerDTO{}, out: providerDTO{}, status: 201}},
		{http.MethodGet, "/v1/providers/:id", supplyRead, s.getProvider, routeDoc{summary: "Read a provider.", out: providerDTO{}}},

		{http.MethodGet, "/v1/placements", supplyRead, s.listPlacements, routeDoc{summary: "List placements.", out: pageDTO[placementDTO]{}, query: params([]param{councilParam, {"kind", "string", "a placement kind"}, {"provider", "integer", "a provider's ID"}, {"has_vacancy", "boolean", "only placements with an available place"}, {"active", "boolean", "only active (or inactive) placements"}}, nearParams, pageParams)}},
		{http.MethodPost, "/v1/placements", supplyWrite, s.createPlacement, routeDoc{summary: "Add a placement (providers: their own; officers: a kinship home for children of their council). A field the caller does not own (ofsted, urn, experience, stability: administrators'; kind kinship and connected_to: the children's council's) is refused with 403 naming it.", in: placementDTO{}, out: placementDTO{}, status: 201}},
		{http.MethodGet, "/v1/placements/:id", supplyRead, s.getPlacement, routeDoc{summary: "Read a placement.", out: placementDTO{}}},
		{http.MethodPut, "/v1/placements/:id", supplyWrite, s.updatePlacement, routeDoc{summary: "Change a placement; send the version you read. A change to a field the caller does not own is refused with 403 naming it; a value sent back as read is no change.", in: placementDTO{}, out: placementDTO{}}},
		{http.MethodPost, "/v1/placements/:id/profile-approval", caseworkers, s.approveProfile, routeDoc{summary: "Approve the placement's own words for children as the text you read (its profile_hash), never your own words; until then a child reads none of them. Any change to the text withdraws the approval. Audited.",
			in: profileApprovalRequest{}, out: placementDTO{}}},
		{http.MethodDelete, "/v1/placements/:id/profile-approval", caseworkers, s.withdrawProfileApproval, routeDoc{summary: "Withdraw the approval of the placement's own words: a child reads none of them until they are approved again. Audited.", out: placementDTO{}}},
		{http.MethodGet, "/v1/placements/:id/vacancies", supplyRead, s.listVacancies, routeDoc{summary: "List a placement's places.", out: pageDTO[vacancyDTO]{}, query: params([]param{{"status", "string", "available, held, filled or withdrawn"}}, pageParams)}},
		{http.MethodPost, "/v1/placements/:id/vacancies", supplyWrite, s.createVacancy, routeDoc{summary: "Open a place (providers: in their homes; officers: in their council's kinship homes).", in: vacancyDTO{}, out: vacancyDTO{}, status: 201}},
		{http.MethodGet, "/v1/vacancies/:id", supplyRead, s.getVacancy, routeDoc{summary: "Read a place.", out: vacancyDTO{}}},
		{http.MethodPut, "/v1/vacancies/:id", supplyWrite, s.updateVacancy, routeDoc{summary: "Change a place (providers and officers: available or withdrawn; a place held or filled for a child changes through its offer). The child a place is for is shown only to administrators and the child's council.", in: vacancyDTO{}, out: vacancyDTO{}}},

		{http.MethodGet, "/v1/children/:id/history", caseworkers, s.getHistory, routeDoc{summary: "A child's placements, each with the SSDA903 reason it ended, and their stability indicators (audited).",
			out: historyDTO{}, query: []param{{"on", "string", "YYYY-MM-DD: the indicators as on this day (default today)"}}}},
		{http.MethodPost, "/v1/children/:id/episodes", caseworkers, s.startPlacement, routeDoc{summary: "Record the first placement of a child with none going on (coming into care, or back).",
			in: placementInDTO{}, out: episodeDTO{}, status: 201}},
		{http.MethodPut, "/v1/children/:id/episodes/current/staying-put", caseworkers, s.recordStayingPut, routeDoc{summary: "Record, during the young person's current placement with foster or kinship carers, the carers' willingness to let them stay on after 18 or the day the Staying Put arrangement was agreed (Children Act 1989 s23CZA). Send the placement's version; audited.",
			in: stayingPutDTO{}, out: episodeDTO{}}},
		{http.MethodPost, "/v1/children/:id/moves", caseworkers, s.moveChild, routeDoc{summary: "End the child's current placement with its SSDA903 reason (required) and start the next; an unplanned move opens a review for the independent reviewing officer.",
			in: moveDTO{}, out: moveResultDTO{}, status: 201}},
		{http.MethodGet, "/v1/move-reviews", moveReviewReaders, s.listMoveReviews, routeDoc{summary: "Reviews of unplanned moves (officers: their council's), open ones by default.", out: pageDTO[moveReviewDTO]{},
			query: params([]param{{"status", "string", "open (default), reviewed or all"}, councilParam, {"child", "integer", "a child's ID"}}, pageParams)}},
		{http.MethodGet, "/v1/move-reviews/:id", moveReviewReaders, s.getMoveReview, routeDoc{summary: "Read a review of an unplanned move (audited).", out: moveReviewDTO{}}},
		{http.MethodPut, "/v1/move-reviews/:id", iros, s.reviewMove, routeDoc{summary: "Record the independent reviewing officer's review of an unplanned move, once (the council's IROs only: officers no longer record it); send the version you read.",
			in: reviewDecisionDTO{}, out: moveReviewDTO{}}},
		{http.MethodGet, "/v1/children/:id/check-ins", officersOnly, s.getCheckIns, routeDoc{summary: "The child's check-ins about their current placement, the trend of each answer and flags where they worsened: a prompt to talk to the child (their council's officers only; audited).",
			out: checkInsDTO{}}},
		{http.MethodPut, "/v1/children/:id/check-in-plan", officersOnly, s.setCheckInPlan, routeDoc{summary: "Record the check-in schedule agreed with the child; send the version you read (0 for the default).",
			in: checkInPlanInDTO{}, out: checkInPlanDTO{}}},
		{http.MethodPost, "/v1/children/:id/check-in-links", officersOnly, s.sendCheckInLink, routeDoc{summary: "A private link for the child to check in about their current placement, shown once (their council's officers only); a fresh link revokes any not yet opened. A child with no current placement answers 409.",
			in: sendRequest{}, out: checkInLinkResponse{}, status: 201}},
		{http.MethodDelete, "/v1/children/:id/check-in-links", officersOnly, s.revokeCheckInLinks, routeDoc{summary: "Revoke the child's check-in links and end the sessions they opened (their offers' links are not touched).", status: 204}},
		{http.MethodGet, "/v1/stability", stabilityReaders, s.getStability, routeDoc{summary: "Stability indicators of a council's children (officers and council commissioners: their own by default; council= for England), counts of 1 to 4 suppressed.",
			out: stabilitySummaryDTO{}, query: []param{councilParam, {"on", "string", "YYYY-MM-DD (default today)"}}}},

		{http.MethodGet, "/v1/children/:id/support-plans", caseworkers, s.getChildSupportPlans, routeDoc{summary: "The child's support plans, newest first: for each accepted home whose carers are not trained for all the child's needs, each need with its level, the training, therapeutic support or equipment that answers it, and whether it is arranged (audited).",
			out: supportPlansDTO{}}},
		{http.MethodGet, "/v1/support-plans/:id", caseworkers, s.getSupportPlan, routeDoc{summary: "One support plan (audited).", out: supportPlanDTO{}}},
		{http.MethodPut, "/v1/support-plans/:id", caseworkers, s.updateSupportPlan, routeDoc{summary: "Mark a support plan's items arranged (or not, to undo), with a note, or close the plan with a reason; send the version you read.",
			in: supportUpdateDTO{}, out: supportPlanDTO{}}},
		{http.MethodGet, "/v1/support-needs", supportReaders, s.getSupportNeeds, routeDoc{summary: "Support for carers summed for England, a region or a council: households needing training per council and skill (\"26 households need trauma-informed training\"), plans needing therapeutic support or equipment; aggregates only, counts of 1 to 4 withheld (officers: their own council).",
			out: supportNeedsDTO{}, query: []param{councilParam, {"region", "string", "ONS code of a region"}}}},

		{http.MethodPost, "/v1/import/:kind", caseworkers, s.importFile, routeDoc{summary: "Import children, placements (administrators), past referrals, family networks or Staying Put (officers: their council's children's) from CSV or JSON: every row valid, or nothing written. A bad file is answered with its first 100 problems and error_count; a file over the server's limit (--max-import) with 413.", out: importResult{}, status: 201, query: []param{formatParam}, big: true}},
		{http.MethodPost, "/v1/import/ssda903", adminOnly, s.importSSDA903, routeDoc{summary: "Import a council's SSDA903 return (its Header and Episodes CSV files, any years merged; a multipart form with a file part each, or one zip; optionally a postcode_districts file) as children's placement history, not children waiting: every row valid, or nothing written, problems by file (FILE:COLUMN) and row. trim_overlaps ends an episode on the day the next begins instead of refusing. Postcodes keep only their outward code (docs/exchange.md).", out: ssda903Result{}, status: 201, query: []param{councilParam, {"trim_overlaps", "boolean", "end an overlapping episode when the next begins, counted, instead of refusing the return"}}, big: true}},
		{http.MethodGet, "/v1/export/:kind", caseworkers, s.exportFile, routeDoc{summary: "Export children, placements, referrals, family networks or Staying Put (officers: their council's; referrals as codes, counts and times, never a provider's words) as CSV (formula characters escaped) or JSON (docs/exchange.md).", content: "application/json", query: []param{formatParam}}},

		{http.MethodGet, "/v1/policy", anyRole, s.getPolicy, routeDoc{summary: "The scoring policy in force (a council's own, else the national one), or one version.", out: policyDTO{}, query: []param{councilParam, {"version", "integer", "a saved version"}}}},
		{http.MethodPut, "/v1/policy", adminOnly, s.putPolicy, routeDoc{summary: "Save a new version of the national or a council's policy, made from the version read (409 when another change was saved since).", in: policyChange{}, out: policyDTO{}}},
		{http.MethodGet, "/v1/policy/versions", anyRole, s.listPolicyVersions, routeDoc{summary: "Every saved version, newest first.", out: pageDTO[policyDTO]{}, query: params([]param{councilParam}, pageParams)}},

		{http.MethodPost, "/v1/match-runs", caseworkers, s.startMatchRun, routeDoc{summary: "Start a joint match of the children waiting (officers: their council's; admins: a council, a region or England); it runs in the background.",
			in: matchRunRequestDTO{}, out: matchRunDTO{}, status: 202}},
		{http.MethodGet, "/v1/match-runs/:id", caseworkers, s.getMatchRun, routeDoc{summary: "A match run: status and progress, then the counts (an officer's: their council's children), objective and lower bound.", out: matchRunDTO{}}},
		{http.MethodGet, "/v1/match-runs/:id/results", caseworkers, s.listRunResults, routeDoc{summary: "What the run offers each child (officers: their council's), every factor explained, or why fewer than two (audited).",
			out: pageDTO[runResultDTO]{}, query: pageParams}},
		{http.MethodPost, "/v1/match-runs/:id/preferences", caseworkers, s.setPreferences, routeDoc{summary: "Children's preferences between their two offers, settled for the whole run by deferred acceptance: what each of the caller's children ends with.",
			in: runPreferencesRequest{}, out: runAllocationResponse{}}},
		{http.MethodGet, "/v1/match-runs/:id/allocation", caseworkers, s.listAllocation, routeDoc{summary: "What each child ends with after the latest preferences (officers: their council's; audited).",
			out: pageDTO[runAllocationDTO]{}, query: pageParams}},
		{http.MethodPost, "/v1/match-runs/:id/offers", caseworkers, s.createRunOffers, routeDoc{summary: "Offer every child of a succeeded run the run's homes as their two choices (the joint match reserved them).", out: runOffersResponse{}, status: 201}},

		{http.MethodGet, "/v1/sharing-agreements", sharingReaders, s.listSharing, routeDoc{summary: "Sharing agreements: which councils' children may live with which council's own foster carers (council to council, or a regional pool).",
			out: pageDTO[sharingDTO]{}, query: params([]param{councilParam, {"in_force", "boolean", "only agreements in force today"}}, pageParams)}},
		{http.MethodPost, "/v1/sharing-agreements", adminOnly, s.createSharing, routeDoc{summary: "Record a sharing agreement (audited); options, runs and the sufficiency report apply it at once.", in: sharingDTO{}, out: sharingDTO{}, status: 201}},
		{http.MethodGet, "/v1/sharing-agreements/:id", sharingReaders, s.getSharing, routeDoc{summary: "Read a sharing agreement.", out: sharingDTO{}}},
		{http.MethodPut, "/v1/sharing-agreements/:id", adminOnly, s.updateSharing, routeDoc{summary: "Change a sharing agreement; send the version you read (audited).", in: sharingDTO{}, out: sharingDTO{}}},
		{http.MethodPost, "/v1/sharing-agreements/:id/end", adminOnly, s.endSharing, routeDoc{summary: "End a sharing agreement: its last day in force (default today); send the version you read (audited).", in: sharingEndDTO{}, out: sharingDTO{}}},
		{http.MethodGet, "/v1/framework-prices", frameworkReaders, s.listFrameworkPrices, routeDoc{summary: "Framework prices: each council's weekly price for a kind of care, against which the sufficiency report sets the fees providers accept referrals at.",
			out: frameworkPricesDTO{}, query: []param{councilParam}}},
		{http.MethodPut, "/v1/framework-prices", adminOnly, s.setFrameworkPrice, routeDoc{summary: "Set a council's weekly framework price for a kind of care (audited); version 0 sets one not set before, else send the version you read.", in: frameworkPriceDTO{}, out: frameworkPriceDTO{}}},

		{http.MethodPost, "/v1/tokens", adminOnly, s.createToken, routeDoc{summary: "Create a token; its secret is shown once.", in: tokenRequest{}, out: tokenResponse{}, status: 201}},
		{http.MethodGet, "/v1/tokens", adminOnly, s.listTokens, routeDoc{summary: "Every token, live or not, the newest first: its label, role, scope and dates, never its secret.", out: tokenListDTO{}}},
		{http.MethodDelete, "/v1/tokens/:id", adminOnly, s.revokeToken, routeDoc{summary: "Revoke a token.", status: 204}},
		{http.MethodGet, "/v1/audit", adminOnly, s.listAudit, routeDoc{summary: "The append-only audit log.", out: pageDTO[auditDTO]{}, query: params([]param{{"subject", "string", "e.g. child:12"}, councilParam}, pageParams)}},
	}, slices.Concat(s.notificationRoutes(), s.referralRoutes(), s.noticeRoutes(), s.approvalRoutes(), s.alertRoutes(), s.helpRoutes(), s.settlingRoutes(), s.workspaceRoutes(), s.caseRecordRoutes())...)
}

// New returns the API as an http.Handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil || cfg.Matcher == nil {
		return nil, fmt.Errorf("api: a Store and a Matcher are required")
	}
	// The pages are parsed now, not at init (a command that serves nothing does not pay for
	// them), and before the first request, so that a broken template stops the server here.
	pageTemplates()
	workspacePages()
	set := cfg.Settings
	s := &server{
		store: cfg.Store, match: cfg.Matcher, work: cfg.Casework, matching: cfg.Matching, suff: cfg.Sufficiency,
		agg: cfg.Aggregates, aggAge: set.AggregateMaxAge, metrics: cfg.Metrics, log: cfg.Logger, now: cfg.Now.OrWall(),
		baseURL: set.BaseURL, allowedHosts: set.AllowedHosts, secure: set.SecureCookies, sessionTTL: set.ChildSessionTTL, retention: set.Retention,
		maxBody: set.MaxBodyBytes, maxImport: set.MaxImportBytes, timeout: set.RequestTimeout,
	}
	langs, err := loadChildLangs(set.ChildLanguagesDir, set.ChildLanguages, set.ChildLanguageDefault)
	if err != nil {
		return nil, err
	}
	s.langs = langs
	s.hist, _ = cfg.Store.(histories)
	s.support, _ = cfg.Store.(catalogue.SupportStore)
	s.notices, _ = cfg.Store.(catalogue.NotificationStore)
	s.alerts, _ = cfg.Store.(catalogue.AlertStore)
	s.settling, _ = cfg.Store.(catalogue.SettlingStore)
	s.accounts, _ = cfg.Store.(catalogue.AccountStore)
	s.oidc = cfg.OIDC
	s.sessionIdle, s.sessionLifetime = cmp.Or(set.SessionIdle, defaultSessionIdle), cmp.Or(set.SessionLifetime, defaultSessionLifetime)
	if s.work == nil {
		search, ok := cfg.Matcher.(casework.Matcher)
		if !ok {
			return nil, fmt.Errorf("api: without a Casework service the Matcher must search (a casework.Matcher)")
		}
		family, _ := cfg.Store.(catalogue.FamilyStore)
		records, _ := cfg.Store.(catalogue.CaseRecordStore)
		access, _ := cfg.Store.(catalogue.SubjectAccessStore)
		var err error
		s.work, err = casework.New(casework.Config{Matcher: search, Now: s.now,
			Store:  caseworkStore{Store: cfg.Store, hist: s.hist},
			Family: family, Records: records, Access: access, History: s.hist, Settling: s.settling,
			Searched: func(d time.Duration, two bool) { s.metrics.observeOptions(d, two) }})
		if err != nil {
			return nil, err
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics(cfg.Store, nil)
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.maxImport <= 0 {
		s.maxImport = 64 << 20
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	if s.sessionTTL <= 0 {
		s.sessionTTL = defaultSession
	}
	if s.retention == (catalogue.RetentionPeriods{}) {
		s.retention = catalogue.DefaultRetention
	}
	perMinute := set.LinkAttemptsPerMinute
	if perMinute <= 0 {
		perMinute = 10
	}
	s.links = newAttemptLimiter(perMinute, max(perMinute/2, 1), 60*perMinute, s.now)
	s.dashboardSignIns = newAttemptLimiter(perMinute, max(perMinute/2, 1), 60*perMinute, s.now)
	s.signIns = newAttemptLimiter(perMinute, max(perMinute/2, 1), 60*perMinute, s.now)
	if s.suff == nil {
		suff, err := sufficiencyFor(cfg)
		if err != nil {
			return nil, err
		}
		s.suff = suff
	}
	if s.agg == nil {
		s.agg = aggregate.New(aggregate.Config{Now: s.now, Logger: s.log})
	}
	if s.aggAge <= 0 {
		s.aggAge = defaultAggregateMaxAge
	}
	s.metrics.readSizesWith(s.sizes)
	if set.WarmAggregates {
		s.warmAggregates()
	}

	gin.SetMode(gin.ReleaseMode) // no debug route dump on stdout
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	// ClientIP believes X-Forwarded-For only from the proxies configured: none by default.
	if err := e.SetTrustedProxies(set.TrustedProxies); err != nil {
		return nil, fmt.Errorf("api: trusted proxies: %w", err)
	}
	e.Use(s.requestID, noStore, s.metrics.measure, s.recoverer, s.logRequests, s.withTimeout)
	e.NoRoute(s.adapt(func(*gin.Context) error { return statusError(http.StatusNotFound, "no such route") }))
	e.NoMethod(s.adapt(func(*gin.Context) error {
		return statusError(http.StatusMethodNotAllowed, "this route does not accept that method")
	}))
	for _, r := range s.routes() {
		chain := []gin.HandlerFunc{s.limitBody(r.big)}
		if r.page() {
			chain = append(chain, markPage)
		}
		if r.roles != nil {
			chain = append(chain, s.authenticate, s.requireRole(r.roles))
			if r.method == http.MethodPost {
				chain = append(chain, s.idempotent)
			}
		}
		chain = append(chain, withQuery(r.queryNames()))
		if r.roles != nil { // the child's pages answer mistakes with pages of their own
			chain = append(chain, s.plainQuery, s.knownQuery)
		}
		chain = append(chain, s.adapt(r.handler))
		e.Handle(r.method, r.path, chain...)
		if r.method == http.MethodGet && r.roles == nil { // a page answers HEAD as GET, uses nothing up
			e.Handle(http.MethodHead, r.path, chain...)
		}
	}
	return e, nil
}

// Keys of values the middleware leaves on the gin context.
const (
	keyRequestID = "request_id"
	keyPrincipal = "principal"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func (s *server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !requestIDPattern.MatchString(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(keyRequestID, id)
	c.Header("X-Request-Id", id)
	c.Next()
}

// noStore marks every response not to be kept by a browser or a proxy: most carry children's
// data (DESIGN.md section 9) or a secret shown once, and an error may echo either. The few
// answers safe to keep (aggregates, stylesheets) say so themselves, replacing this.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// recoverer turns a panic into a 500 problem; the stack is logged, the request's content is not.
func (s *server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", "route", c.FullPath(), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.writeProblem(c, fmt.Errorf("panic: %v", v))
		}
	}()
	c.Next()
}

// logRequests logs one line per request with the route template, never the raw path or query,
// which may carry a child's link token or name.
func (s *server) logRequests(c *gin.Context) {
	sw := catalogue.StartStopwatch()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	attrs := []slog.Attr{
		slog.String("request_id", c.GetString(keyRequestID)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", c.Writer.Status()),
		slog.Float64("duration_ms", float64(sw.Elapsed().Microseconds())/1000),
	}
	if p, ok := principalOf(c); ok {
		attrs = append(attrs, slog.String("role", string(p.Role)))
		if p.Council != "" {
			attrs = append(attrs, slog.String("council", string(p.Council)))
		}
	}
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request", attrs...)
}

func (s *server) withTimeout(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

func (s *server) limitBody(big bool) gin.HandlerFunc {
	limit := s.maxBody
	if big {
		limit = s.maxImport
	}
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// authenticate resolves the bearer token to a principal and puts the actor for the audit log in
// the request context.
func (s *server) authenticate(c *gin.Context) {
	const prefix = "Bearer "
	h := c.GetHeader("Authorization")
	if h == "" {
		// A person in a browser: their session, or sign in.
		if secret := workspaceSecret(c); secret != "" {
			s.authenticateSession(c, secret)
			return
		}
		s.refuseUnauthenticated(c, false)
		return
	}
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix || strings.HasPrefix(h[len(prefix):], dashboardPrefix) {
		// A dashboard session's secret lives in a cookie and is never a bearer token.
		s.writeProblem(c, errUnauthenticated)
		return
	}
	tok, err := s.store.TokenByHash(c.Request.Context(), catalogue.HashSecret(h[len(prefix):]))
	if err != nil || !tok.Live(s.now()) {
		if err != nil && !isNotFound(err) {
			s.writeProblem(c, err)
			return
		}
		s.writeProblem(c, errUnauthenticated)
		return
	}
	p := tok.Principal()
	c.Set(keyPrincipal, p)
	reason, err := reasonHeader(c)
	if err != nil {
		s.writeProblem(c, err)
		return
	}
	ctx := catalogue.WithActor(c.Request.Context(), actorOf(p, reason, c))
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// maxReasonBytes is the most of X-Reason the audit log keeps.
const maxReasonBytes = 200

// reasonHeader is the caller's reason for reading or changing a record, kept in the audit log:
// text (a 400 naming X-Reason otherwise), cut to maxReasonBytes at a character boundary.
func reasonHeader(c *gin.Context) (string, error) {
	r := c.GetHeader("X-Reason")
	if msg := catalogue.TextProblem(r); msg != "" {
		return "", fieldError("X-Reason", "%s", msg)
	}
	if len(r) > maxReasonBytes {
		cut := maxReasonBytes
		for cut > 0 && !utf8.RuneStart(r[cut]) {
			cut--
		}
		r = r[:cut]
	}
	return r, nil
}

func (s *server) requireRole(roles []catalogue.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if p, _ := principalOf(c); !slices.Contains(roles, p.Role) {
			s.writeProblem(c, errForbidden)
			return
		}
		c.Next()
	}
}

func principalOf(c *gin.Context) (catalogue.Principal, bool) {
	v, ok := c.Get(keyPrincipal)
	if !ok {
		return catalogue.Principal{}, false
	}
	p, ok := v.(catalogue.Principal)
	return p, ok
}

// principal returns the authenticated caller; routes without roles never call it.
func principal(c *gin.Context) catalogue.Principal {
	p, _ := principalOf(c)
	return p
}

// RouteInfo describes one route of the API, for tests and documentation.
type RouteInfo struct {
	Method string
	Path   string
	Roles  []catalogue.Role // nil: public
	Query  []string         // the query parameters it accepts
	Page   bool             // a page of the workspace (HTML; a visitor without a session is sent to sign in)
}

// Routes lists the API surface.
func Routes() []RouteInfo {
	s := &server{}
	var out []RouteInfo
	for _, r := range s.routes() {
		out = append(out, RouteInfo{Method: r.method, Path: r.path, Roles: r.roles, Query: r.queryNames(), Page: r.page()})
	}
	return out
}
