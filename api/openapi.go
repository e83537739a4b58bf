package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The OpenAPI 3.1 description is generated from the code itself: the route table (paths,
// methods, who may call them), the request and response types of each route (routeDocs, below)
// and their JSON tags, read by reflection. So the contract cannot drift from the handlers: a
// route without documentation fails the contract test, and a field added to a response type is
// in the schema at once. The generated document is kept in the repository as api/openapi.json
// (the contract test checks it is current; `go test ./api -run OpenAPI -update` rewrites it) and
// served at GET /openapi.json.

// routeDoc documents one route: what it does, its body, its answer and its query parameters.
type routeDoc struct {
	summary string
	in      any     // request body (a value of the type); nil: none
	out     any     // success body; nil: none
	status  int     // success status; 0 means 200
	query   []param // query parameters
	content string  // success content type when not JSON
}

type param struct {
	name, typ, desc string // typ: string, integer, number, boolean
}

var (
	pageParams   = []param{{"limit", "integer", "page size, 1 to 500 (default 50)"}, {"cursor", "string", "next_cursor of the previous page"}}
	nearParams   = []param{{"near", "string", "LAT,LNG: only records within within_km of this point"}, {"within_km", "number", "radius for near, in km"}}
	formatParam  = param{"format", "string", "csv or json"}
	councilParam = param{"council", "string", "ONS code of a council"}
)

func params(ps ...[]param) []param {
	var out []param
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

// routeDocs documents every route, keyed "METHOD path" as in routes().
var routeDocs = map[string]routeDoc{
	"GET /healthz":      {summary: "Liveness: the process answers.", out: map[string]string{}},
	"GET /readyz":       {summary: "Readiness: the store answers.", out: map[string]string{}},
	"GET /metrics":      {summary: "Prometheus metrics (text exposition format).", content: "text/plain"},
	"GET /openapi.json": {summary: "This description of the API.", content: "application/json"},
	"GET /v1/me":        {summary: "Who the token speaks for.", out: meDTO{}},

	"GET /v1/children": {summary: "List children (officers: their council's only).", out: pageDTO[childDTO]{},
		query: params([]param{councilParam, {"status", "string", "waiting, offered, placed or closed"}, {"sibling_group", "integer", "a sibling group's ID"}}, nearParams, pageParams)},
	"POST /v1/children":             {summary: "Refer a child.", in: childDTO{}, out: childDTO{}, status: 201},
	"GET /v1/children/:id":          {summary: "Read a child's record (audited).", out: childDTO{}},
	"PUT /v1/children/:id":          {summary: "Change a child's record; send the version you read.", in: childDTO{}, out: childDTO{}},
	"POST /v1/children/:id/options": {summary: "Ranked options for the child, each factor explained, and the shortfall.", in: optionsRequestDTO{}, out: optionsResponse{}},

	"GET /v1/children/:id/history": {summary: "A child's placements, each with the SSDA903 reason it ended, and their stability indicators (audited).",
		out: historyDTO{}, query: []param{{"on", "string", "YYYY-MM-DD: the indicators as on this day (default today)"}}},
	"POST /v1/children/:id/episodes": {summary: "Record the first placement of a child with none going on (coming into care, or back).",
		in: placementInDTO{}, out: episodeDTO{}, status: 201},
	"POST /v1/children/:id/moves": {summary: "End the child's current placement with its SSDA903 reason (required) and start the next; an unplanned move opens a review for the independent reviewing officer.",
		in: moveDTO{}, out: moveResultDTO{}, status: 201},
	"GET /v1/move-reviews": {summary: "Reviews of unplanned moves (officers: their council's), open ones by default.", out: pageDTO[moveReviewDTO]{},
		query: params([]param{{"status", "string", "open (default), reviewed or all"}, councilParam, {"child", "integer", "a child's ID"}}, pageParams)},
	"GET /v1/move-reviews/:id": {summary: "Read a review of an unplanned move (audited).", out: moveReviewDTO{}},
	"PUT /v1/move-reviews/:id": {summary: "Record the independent reviewing officer's review of an unplanned move, once; send the version you read.",
		in: reviewDecisionDTO{}, out: moveReviewDTO{}},
	"GET /v1/children/:id/check-ins": {summary: "The child's check-ins about their current placement, the trend of each answer and flags where they worsened: a prompt to talk to the child (their council's officers only; audited).",
		out: checkInsDTO{}},
	"PUT /v1/children/:id/check-in-plan": {summary: "Record the check-in schedule agreed with the child; send the version you read (0 for the default).",
		in: checkInPlanInDTO{}, out: checkInPlanDTO{}},
	"POST /v1/children/:id/check-in-links": {summary: "A private link for the child to check in about their current placement, shown once (their council's officers only); a fresh link revokes any not yet opened. A child with no current placement answers 409.",
		in: sendRequest{}, out: checkInLinkResponse{}, status: 201},
	"DELETE /v1/children/:id/check-in-links": {summary: "Revoke the child's check-in links and end the sessions they opened (their offers' links are not touched).", status: 204},
	"GET /v1/stability": {summary: "Stability indicators of a council's children (officers and council commissioners: their own by default; council= for England), counts of 1 to 4 suppressed.",
		out: stabilitySummaryDTO{}, query: []param{councilParam, {"on", "string", "YYYY-MM-DD (default today)"}}},
	"GET /v1/children/:id/support-plans": {summary: "The child's support plans, newest first: for each accepted home whose carers are not trained for all the child's needs, each need with its level, the training, therapeutic support or equipment that answers it, and whether it is arranged (audited).",
		out: supportPlansDTO{}},
	"GET /v1/support-plans/:id": {summary: "One support plan (audited).", out: supportPlanDTO{}},
	"PUT /v1/support-plans/:id": {summary: "Mark a support plan's items arranged (or not, to undo), with a note, or close the plan with a reason; send the version you read.",
		in: supportUpdateDTO{}, out: supportPlanDTO{}},
	"GET /v1/support-needs": {summary: "Support for carers summed for England, a region or a council: households needing training per council and skill (\"26 households need trauma-informed training\"), plans needing therapeutic support or equipment; aggregates only, counts of 1 to 4 withheld (officers: their own council).",
		out: supportNeedsDTO{}, query: []param{councilParam, {"region", "string", "ONS code of a region"}}},
	"POST /v1/children/:id/offers": {summary: "Make an offer: the top two options as choices and the third as back-up, or the homes named.", in: offerRequest{}, out: offerDTO{}, status: 201},

	"GET /v1/offers": {summary: "List offers (officers: their council's).", out: pageDTO[offerDTO]{},
		query: params([]param{councilParam, {"status", "string", "an offer status"}, {"child", "integer", "a child's ID"}, {"match_run", "integer", "a match run's ID"}}, pageParams)},
	"GET /v1/offers/:id":                              {summary: "The officer's view of an offer: ranking and reasons, what the child said, the decision.", out: offerDTO{}},
	"POST /v1/offers/:id/send":                        {summary: "Send the offer: a new private link for the child, shown once.", in: sendRequest{}, out: sendResponse{}, status: 201},
	"DELETE /v1/offers/:id/links":                     {summary: "Revoke the child's links and sessions.", status: 204},
	"POST /v1/offers/:id/decision":                    {summary: "Accept (filling the place) or decline; a reason is needed when departing from the top option or the child's preference.", in: decisionRequest{}, out: offerDTO{}},
	"POST /v1/offers/:id/placed":                      {summary: "Record that the child has moved in; their placement history gets the new placement (a move, with the reason the last one ended).", in: placedRequest{}, out: offerDTO{}},
	"POST /v1/offers/:id/withdraw":                    {summary: "Withdraw the offer, with a reason.", in: versionRequest{}, out: offerDTO{}},
	"POST /v1/offers/:id/options/:placement/withdraw": {summary: "A choice fell through: the back-up takes its place and a new search tops the offer up.", in: versionRequest{}, out: offerDTO{}},

	"GET /c/:token":              {summary: "The child's private link: opened once for a session cookie, then 303 to the token-free page.", status: 303},
	"GET /child/offers/:id":      {summary: "The child's page: their two choices in plain words (HTML, session cookie).", content: "text/html", query: []param{{"saved", "boolean", "show that the answer was saved"}}},
	"POST /child/offers/:id":     {summary: "The child's say: a choice or neither, their own words, an advocate (HTML form, session cookie, CSRF token).", status: 303, content: "text/html"},
	"GET /child/offers/:id/json": {summary: "The child's page as JSON (session cookie).", out: childPage{}},
	"GET /child/check-in": {summary: "The child's check-in page: how settled and safe they feel, getting on, seeing the people who matter, what would help, asking for an advocate; every answer optional (HTML, a check-in session cookie).",
		content: "text/html", query: []param{{"saved", "boolean", "thank the child for the check-in just saved"}, {"way", "string", "words: answer with words rather than faces"}}},
	"POST /child/check-in": {summary: "The child's check-in (HTML form, session cookie, CSRF token): recorded as the child's own, then 303 to the thank-you; \"I'd rather not\" saves nothing.", status: 303, content: "text/html"},
	"POST /child/leave":    {summary: "End the child's session.", status: 303, content: "text/html"},
	"GET /child/style.css": {summary: "The child's page's stylesheet.", content: "text/css"},

	"GET /v1/sibling-groups":            {summary: "List sibling groups.", out: pageDTO[groupDTO]{}, query: params([]param{councilParam}, pageParams)},
	"POST /v1/sibling-groups":           {summary: "Record brothers and sisters and their plan.", in: groupDTO{}, out: groupDTO{}, status: 201},
	"GET /v1/sibling-groups/:id":        {summary: "Read a sibling group.", out: groupDTO{}},
	"PUT /v1/sibling-groups/:id":        {summary: "Change a sibling group's plan.", in: groupDTO{}, out: groupDTO{}},
	"GET /v1/providers":                 {summary: "List providers.", out: pageDTO[providerDTO]{}, query: params([]param{{"kind", "string", "council, agency, home_operator or supported"}}, pageParams)},
	"POST /v1/providers":                {summary: "Add a provider.", in: providerDTO{}, out: providerDTO{}, status: 201},
	"GET /v1/providers/:id":             {summary: "Read a provider.", out: providerDTO{}},
	"GET /v1/placements":                {summary: "List placements.", out: pageDTO[placementDTO]{}, query: params([]param{councilParam, {"kind", "string", "a placement kind"}, {"provider", "integer", "a provider's ID"}, {"has_vacancy", "boolean", "only placements with an available place"}, {"active", "boolean", "only active (or inactive) placements"}}, nearParams, pageParams)},
	"POST /v1/placements":               {summary: "Add a placement (providers: their own; officers: a kinship home for children of their council). A field the caller does not own (ofsted, urn, experience, stability: administrators'; kind kinship and connected_to: the children's council's) is refused with 403 naming it.", in: placementDTO{}, out: placementDTO{}, status: 201},
	"GET /v1/placements/:id":            {summary: "Read a placement.", out: placementDTO{}},
	"PUT /v1/placements/:id":            {summary: "Change a placement; send the version you read. A change to a field the caller does not own is refused with 403 naming it; a value sent back as read is no change.", in: placementDTO{}, out: placementDTO{}},
	"GET /v1/placements/:id/vacancies":  {summary: "List a placement's places.", out: pageDTO[vacancyDTO]{}, query: params([]param{{"status", "string", "available, held, filled or withdrawn"}}, pageParams)},
	"POST /v1/placements/:id/vacancies": {summary: "Open a place (providers: in their homes; officers: in their council's kinship homes).", in: vacancyDTO{}, out: vacancyDTO{}, status: 201},
	"GET /v1/vacancies/:id":             {summary: "Read a place.", out: vacancyDTO{}},
	"PUT /v1/vacancies/:id":             {summary: "Change a place (providers and officers: available or withdrawn; a place held or filled for a child changes through its offer). The child a place is for is shown only to administrators and the child's council.", in: vacancyDTO{}, out: vacancyDTO{}},

	"POST /v1/placements/:id/profile-approval": {summary: "Approve the placement's own words for children as the text you read (its profile_hash), never your own words; until then a child reads none of them. Any change to the text withdraws the approval. Audited.",
		in: profileApprovalRequest{}, out: placementDTO{}},
	"DELETE /v1/placements/:id/profile-approval": {summary: "Withdraw the approval of the placement's own words: a child reads none of them until they are approved again. Audited.", out: placementDTO{}},

	"POST /v1/import/:kind": {summary: "Import children or placements from CSV or JSON: every row valid, or nothing written. A bad file is answered with its first 100 problems and error_count; a file over the server's limit (--max-import) with 413.", out: importResult{}, status: 201, query: []param{formatParam}},
	"GET /v1/export/:kind":  {summary: "Export children or placements as CSV (formula characters escaped) or JSON (docs/exchange.md).", content: "application/json", query: []param{formatParam}},

	"GET /v1/policy":          {summary: "The scoring policy in force (a council's own, else the national one), or one version.", out: policyDTO{}, query: []param{councilParam, {"version", "integer", "a saved version"}}},
	"PUT /v1/policy":          {summary: "Save a new version of the national or a council's policy.", in: policyChange{}, out: policyDTO{}},
	"GET /v1/policy/versions": {summary: "Every saved version, newest first.", out: pageDTO[policyDTO]{}, query: params([]param{councilParam}, pageParams)},

	"GET /v1/sufficiency": {summary: "The sufficiency report (aggregates only; counts under 5 withheld): England, a region or a council, all children or one breakdown, as JSON or CSV (formula characters escaped).",
		out: reportDTO{}, query: []param{councilParam, {"region", "string", "ONS code of a region"}, {"segment", "string", "a breakdown: age_band:16_plus, key_need:siblings_3_plus, segment:16_plus/childrens_home/none, ..."}, formatParam}},
	"POST /v1/sufficiency/what-if": {summary: "Add carers or homes of a profile in an area, rerun the report, and show every figure's change.", in: whatIfRequest{}, out: whatIfDTO{}},
	"POST /v1/sufficiency/plan":    {summary: "Where the next carers of a profile would close the most of the choice gap, carer by carer, with the gain of each.", in: planRequestDTO{}, out: planDTO{}},

	"GET /dashboard":           {summary: "The commissioner's dashboard (HTML, session cookie); without a session, the sign-in form.", content: "text/html", query: []param{councilParam, {"region", "string", "ONS code of a region"}, {"segment", "string", "a breakdown key"}}},
	"POST /dashboard/session":  {summary: "Sign in to the dashboard: the form's token (in the body, never the URL) for a session cookie; 303 to the dashboard.", status: 303, content: "text/html"},
	"POST /dashboard/leave":    {summary: "Sign out of the dashboard: the session is revoked.", status: 303, content: "text/html"},
	"GET /dashboard/style.css": {summary: "The dashboard's stylesheet.", content: "text/css"},

	"POST /v1/match-runs": {summary: "Start a joint match of the children waiting (officers: their council's; admins: a council, a region or England); it runs in the background.",
		in: matchRunRequestDTO{}, out: matchRunDTO{}, status: 202},
	"GET /v1/match-runs/:id": {summary: "A match run: status and progress, then the counts (an officer's: their council's children), objective and lower bound.", out: matchRunDTO{}},
	"GET /v1/match-runs/:id/results": {summary: "What the run offers each child (officers: their council's), every factor explained, or why fewer than two (audited).",
		out: pageDTO[runResultDTO]{}, query: pageParams},
	"POST /v1/match-runs/:id/preferences": {summary: "Children's preferences between their two offers, settled for the whole run by deferred acceptance: what each of the caller's children ends with.",
		in: runPreferencesRequest{}, out: runAllocationResponse{}},
	"POST /v1/match-runs/:id/offers": {summary: "Offer every child of a succeeded run the run's homes as their two choices (the joint match reserved them).", out: runOffersResponse{}, status: 201},
	"GET /v1/match-runs/:id/allocation": {summary: "What each child ends with after the latest preferences (officers: their council's; audited).",
		out: pageDTO[runAllocationDTO]{}, query: pageParams},

	"POST /v1/tokens":       {summary: "Create a token; its secret is shown once.", in: tokenRequest{}, out: tokenResponse{}, status: 201},
	"DELETE /v1/tokens/:id": {summary: "Revoke a token.", status: 204},
	"GET /v1/audit":         {summary: "The append-only audit log.", out: pageDTO[auditDTO]{}, query: params([]param{{"subject", "string", "e.g. child:12"}, councilParam}, pageParams)},
}

// Documentation returns the documentation of every route, for the contract test: its summary
// and its query parameters' names.
func Documentation() map[string][]string {
	out := map[string][]string{}
	for k, d := range routeDocs {
		var names []string
		for _, p := range d.query {
			names = append(names, p.name)
		}
		out[k] = names
	}
	return out
}

var (
	openapiOnce sync.Once
	openapiDoc  []byte
	openapiErr  error
)

// OpenAPI returns the OpenAPI 3.1 description of the API, as indented JSON.
func OpenAPI() ([]byte, error) {
	openapiOnce.Do(func() { openapiDoc, openapiErr = buildOpenAPI() })
	return openapiDoc, openapiErr
}

// knownQuery refuses query parameters a route does not document, naming them: a misspelt
// filter is an error, never silently ignored.
func (s *server) knownQuery(r route) gin.HandlerFunc {
	d, ok := routeDocs[r.method+" "+r.path]
	if !ok {
		return func(c *gin.Context) { c.Next() }
	}
	names := make([]string, len(d.query))
	for i, p := range d.query {
		names[i] = p.name
	}
	return func(c *gin.Context) {
		if c.Request.URL.RawQuery != "" {
			q := newQuery(c, names...)
			if err := q.err(); err != nil {
				s.writeProblem(c, err)
				return
			}
		}
		c.Next()
	}
}

func (s *server) serveOpenAPI(c *gin.Context) error {
	doc, err := OpenAPI()
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json", doc)
	return nil
}

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

func buildOpenAPI() ([]byte, error) {
	g := &schemaGen{components: map[string]any{}, names: map[reflect.Type]string{}}
	g.components["Problem"] = g.structSchema(reflect.TypeFor[Problem]())
	paths := map[string]map[string]any{}
	var missing []string
	for _, r := range (&server{}).routes() {
		key := r.method + " " + r.path
		d, ok := routeDocs[key]
		if !ok {
			missing = append(missing, key)
			continue
		}
		path := pathParam.ReplaceAllString(r.path, "{$1}")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.method)] = g.operation(r, d)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("api: routes without documentation in routeDocs: %s", strings.Join(missing, ", "))
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "placematch",
			"version": "1",
			"summary": "Placement matching and choice for children in care in England.",
			"description": "Every /v1 route needs `Authorization: Bearer <token>`. Roles: admin, officer (one council's " +
				"children; every placement), commissioner (aggregates only), provider (its own placements). A record " +
				"outside the caller's scope answers 404. Errors are RFC 9457 application/problem+json naming each field " +
				"at fault. A POST sent with an Idempotency-Key acts once.",
			"license": map[string]any{"name": "MIT", "identifier": "MIT"},
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func (g *schemaGen) operation(r route, d routeDoc) map[string]any {
	op := map[string]any{
		"summary":     d.summary,
		"operationId": operationID(r.method, r.path),
		"tags":        []string{tagOf(r.path)},
	}
	var ps []any
	for _, m := range pathParam.FindAllStringSubmatch(r.path, -1) {
		schema := map[string]any{"type": "integer", "minimum": 1}
		if m[1] == "kind" {
			schema = map[string]any{"type": "string", "enum": []string{"children", "placements"}}
		}
		ps = append(ps, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema})
	}
	for _, q := range d.query {
		ps = append(ps, map[string]any{"name": q.name, "in": "query", "description": q.desc, "schema": map[string]any{"type": q.typ}})
	}
	if r.method == http.MethodPost && r.roles != nil {
		ps = append(ps, map[string]any{"name": "Idempotency-Key", "in": "header",
			"description": "makes a retry of this request act once", "schema": map[string]any{"type": "string", "maxLength": catalogue.MaxIdempotencyKey}})
	}
	if len(ps) > 0 {
		op["parameters"] = ps
	}
	if d.in != nil {
		op["requestBody"] = map[string]any{"required": r.method != http.MethodPost || !strings.HasSuffix(r.path, "/options"),
			"content": map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(d.in), false)}}}
	} else if r.big {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"text/csv": map[string]any{"schema": map[string]any{"type": "string"}}, "application/json": map[string]any{}}}
	}
	status := d.status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	switch {
	case d.out != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(d.out), false)}}
	case d.content == "application/json":
		ok["content"] = map[string]any{d.content: map[string]any{"schema": map[string]any{"type": "object"}}}
	case d.content != "":
		ok["content"] = map[string]any{d.content: map[string]any{"schema": map[string]any{"type": "string"}}}
	}
	problem := map[string]any{"description": "a problem (RFC 9457) naming the fields at fault",
		"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	op["responses"] = map[string]any{fmt.Sprint(status): ok, "default": problem}
	if r.roles != nil {
		op["security"] = []any{map[string]any{"bearer": []string{}}}
		roles := make([]string, len(r.roles))
		for i, x := range r.roles {
			roles[i] = string(x)
		}
		op["x-roles"] = roles
		op["description"] = "Roles: " + strings.Join(roles, ", ") + "."
	} else {
		op["security"] = []any{}
	}
	return op
}

func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.Split(strings.TrimPrefix(path, "/v1"), "/") {
		part = strings.TrimPrefix(part, ":")
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func tagOf(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if parts[0] == "v1" && len(parts) > 1 {
		return parts[1]
	}
	return "service"
}

// schemaGen turns Go types into JSON Schemas, naming each struct once in the components.
type schemaGen struct {
	components map[string]any
	names      map[reflect.Type]string
}

var timeType = reflect.TypeFor[time.Time]()

// schemer is a type that describes its own JSON Schema: a figure that is a number, "c" or null.
type schemer interface{ JSONSchema() map[string]any }

var schemerType = reflect.TypeFor[schemer]()

// schema returns the schema of t; nullable adds null to its types (for pointers, and slices
// and maps, which encode nil as null).
func (g *schemaGen) schema(t reflect.Type, nullable bool) map[string]any {
	orNull := func(s map[string]any) map[string]any {
		if !nullable {
			return s
		}
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
			return s
		}
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	switch {
	case t.Implements(schemerType):
		return reflect.Zero(t).Interface().(schemer).JSONSchema()
	case t == timeType:
		return orNull(map[string]any{"type": "string", "format": "date-time"})
	case t.Kind() == reflect.Pointer:
		return g.schema(t.Elem(), true)
	}
	switch t.Kind() {
	case reflect.String:
		return orNull(map[string]any{"type": "string"})
	case reflect.Bool:
		return orNull(map[string]any{"type": "boolean"})
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return orNull(map[string]any{"type": "integer"})
	case reflect.Float32, reflect.Float64:
		return orNull(map[string]any{"type": "number"})
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return orNull(map[string]any{"type": "string", "contentEncoding": "base64"})
		}
		s := map[string]any{"type": "array", "items": g.schema(t.Elem(), false)}
		if t.Kind() == reflect.Slice {
			s["type"] = []string{"array", "null"}
		}
		return s
	case reflect.Map:
		return map[string]any{"type": []string{"object", "null"}, "additionalProperties": g.schema(t.Elem(), false)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		if t.Name() == "" { // an anonymous struct is described where it is used
			return orNull(g.structSchema(t))
		}
		name := g.nameOf(t)
		if _, ok := g.components[name]; !ok {
			g.components[name] = map[string]any{} // placeholder against recursion
			g.components[name] = g.structSchema(t)
		}
		return orNull(map[string]any{"$ref": "#/components/schemas/" + name})
	}
	panic(fmt.Sprintf("api: openapi: no schema for %v", t))
}

// structSchema is an object with a property per JSON field; fields without omitempty are
// required, since they are always written.
func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = g.schema(f.Type, false)
			if !slices.Contains(strings.Split(opts, ","), "omitempty") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}

// nameOf names a struct type for the components: childDTO is Child, pageDTO[childDTO] is
// PageOfChild.
func (g *schemaGen) nameOf(t reflect.Type) string {
	if n, ok := g.names[t]; ok {
		return n
	}
	name := t.Name()
	if i := strings.Index(name, "["); i >= 0 {
		inner := name[i+1 : len(name)-1]
		inner = inner[strings.LastIndex(inner, ".")+1:]
		name = name[:i] + "Of" + strings.ToUpper(inner[:1]) + inner[1:]
	}
	name = strings.ReplaceAll(name, "DTO", "")
	name = strings.ToUpper(name[:1]) + name[1:]
	for taken := true; taken; {
		taken = false
		for other, n := range g.names {
			if n == name && other != t {
				name += "_"
				taken = true
			}
		}
	}
	g.names[t] = name
	return name
}
