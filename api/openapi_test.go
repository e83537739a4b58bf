package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/internal/golden"
)

// The contract tests: the OpenAPI description in api/openapi.json is the one the code
// generates, it is a valid OpenAPI 3.1 document, it has every route and no other, its query
// parameters are the ones the handlers accept, and every response recorded by this package's
// tests (the access matrix, the fuzzers and every API test, through fixture.do) validates
// against it.

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && len(recorded.list) > 0 {
		if err := validateRecorded(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL: responses that break the OpenAPI description:\n"+err.Error())
			code = 1
		}
	}
	sqltest.Stop()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// exchange is one request and its response, recorded by fixture.do.
type exchange struct {
	method, path string
	status       int
	contentType  string
	body         []byte
}

var recorded struct {
	mu   sync.Mutex
	list []exchange
}

func record(e exchange) {
	recorded.mu.Lock()
	defer recorded.mu.Unlock()
	if len(recorded.list) < 200_000 {
		recorded.list = append(recorded.list, e)
	}
}

func loadOpenAPI(t testing.TB) *openapi3.T {
	t.Helper()
	b, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("the OpenAPI description does not load: %v", err)
	}
	return doc
}

func TestOpenAPIIsCurrent(t *testing.T) {
	t.Parallel()
	got, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	// api/openapi.json is what the code generates: go test ./api -run OpenAPI -update rewrites it.
	golden.Check(t, "openapi.json", append(bytes.Clone(got), '\n'))
}

func TestOpenAPIValid(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi %s, want 3.1", doc.OpenAPI)
	}
}

// TestOpenAPIHasEveryRoute: every route is described, and nothing else is.
func TestOpenAPIHasEveryRoute(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	want := map[string]bool{}
	for _, r := range api.Routes() {
		want[r.Method+" "+openapiPath(r.Path)] = true
	}
	got := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			got[method+" "+path] = true
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("route %s is not in the OpenAPI description", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("the OpenAPI description has %s, which is not a route", k)
		}
	}
}

// TestOpenAPIQueryParameters: the query parameters documented for each GET route are exactly
// those its handler accepts (it names them when refusing an unknown one).
func TestOpenAPIQueryParameters(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	for _, r := range api.Routes() {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		key := r.Method + " " + r.Path
		who := "admin"
		switch {
		case slices.Contains(r.Roles, catalogue.RoleAdmin):
		case slices.Contains(r.Roles, catalogue.RoleAdvocate):
			who = "advocate" // the advocacy service's own routes
		case slices.Contains(r.Roles, catalogue.RoleIRO) && !slices.Contains(r.Roles, catalogue.RoleOfficer):
			who = "iro" // the IROs' own routes
		default:
			who = "officer" // a route for officers only (a child's check-ins)
		}
		resp := f.do(who, "GET", f.pathFor(r.Path)+"?zz_unknown=1", nil)
		var accepted []string
		if resp.status == 400 {
			var p api.Problem
			json.Unmarshal(resp.body, &p)
			for _, e := range p.Errors {
				if e.Field == "zz_unknown" {
					_, list, _ := strings.Cut(e.Message, "(known: ")
					list = strings.TrimSuffix(list, ")")
					if list != "" {
						accepted = strings.Split(list, ", ")
					}
				}
			}
		}
		if resp.status != 400 {
			t.Errorf("%s accepts an unknown query parameter (%d)", key, resp.status)
			continue
		}
		documented := slices.Clone(r.Query)
		sort.Strings(accepted)
		sort.Strings(documented)
		if !slices.Equal(accepted, documented) {
			t.Errorf("%s accepts %v but documents %v", key, accepted, documented)
		}
	}
}

// openapiPath turns /v1/children/:id into /v1/children/{id}.
func openapiPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// routeOf finds the route template of a request path.
func routeOf(method, path string) (string, bool) {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	for _, r := range api.Routes() {
		if r.Method != method {
			continue
		}
		rs := strings.Split(r.Path, "/")
		if len(rs) != len(segs) {
			continue
		}
		ok := true
		for i := range rs {
			if !strings.HasPrefix(rs[i], ":") && rs[i] != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return r.Path, true
		}
	}
	return "", false
}

// validateRecorded checks every recorded JSON response against its operation's schema.
func validateRecorded() error {
	b, err := api.OpenAPI()
	if err != nil {
		return err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return err
	}
	recorded.mu.Lock()
	defer recorded.mu.Unlock()
	var errs []string
	checked := 0
	for _, e := range recorded.list {
		route, ok := routeOf(e.method, e.path)
		if !ok || (!strings.HasPrefix(e.contentType, "application/json") && e.contentType != "application/problem+json") {
			continue
		}
		op := doc.Paths.Value(openapiPath(route)).GetOperation(e.method)
		resp := op.Responses.Status(e.status)
		if resp == nil {
			if e.status < 400 {
				errs = append(errs, fmt.Sprintf("%s %s: status %d is not documented", e.method, route, e.status))
				continue
			}
			resp = op.Responses.Default()
		}
		mt := resp.Value.Content.Get(e.contentType)
		if mt == nil || mt.Schema == nil {
			if len(e.body) > 0 && e.status != 204 {
				errs = append(errs, fmt.Sprintf("%s %s %d: no schema for %s", e.method, route, e.status, e.contentType))
			}
			continue
		}
		var v any
		if err := json.Unmarshal(e.body, &v); err != nil {
			errs = append(errs, fmt.Sprintf("%s %s %d: not JSON: %v", e.method, route, e.status, err))
			continue
		}
		if err := mt.Schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			errs = append(errs, fmt.Sprintf("%s %s %d: %v\nbody: %.400s", e.method, route, e.status, err, e.body))
		}
		checked++
		if len(errs) > 20 {
			break
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	if checked == 0 {
		return fmt.Errorf("no response was checked")
	}
	fmt.Fprintf(os.Stderr, "contract: %d recorded responses validate against the OpenAPI description\n", checked)
	return nil
}

// TestOpenAPIValidationCatchesDrift: the response check is not vacuous: a body whose shape
// differs from the handler's type is refused.
func TestOpenAPIValidationCatchesDrift(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	op := doc.Paths.Value("/v1/children/{id}/options").GetOperation("POST")
	schema := op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	for _, bad := range []string{
		`{"child": "one"}`,
		`{"child":1,"children":[1],"policy_version":1,"snapshot_at":"2026-11-22T00:00:00Z","options":"none","shortfall":{}}`,
		`[]`,
	} {
		var v any
		json.Unmarshal([]byte(bad), &v)
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err == nil {
			t.Errorf("%s validates as an options response", bad)
		}
	}
}
