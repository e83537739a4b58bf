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

// The OpenAPI 3.1 description is generated from the code itself: the route table in server.go
// (paths, methods, who may call them, and each route's summary, request and response types and
// query parameters) and the types' JSON tags, read by reflection. So the contract cannot drift
// from the handlers: a route without a summary fails the contract test, the query parameters
// documented are the ones the route accepts, and a field added to a response type is in the
// schema at once. The generated document is kept in the repository as api/openapi.json
// (the contract test checks it is current; `go test ./api -run OpenAPI -update` rewrites it) and
// served at GET /openapi.json.

// routeDoc documents one route of the table: what it does, its body, its answer and its query
// parameters (the only ones it accepts).
type routeDoc struct {
	summary string
	in      any     // request body (a value of the type); nil: none
	out     any     // success body; nil: none
	status  int     // success status; 0 means 200
	query   []param // query parameters
	content string  // success content type when not JSON
	big     bool    // accepts an import file rather than a JSON body
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

// queryNames are the names of the route's query parameters, in the order documented.
func (d routeDoc) queryNames() []string {
	names := make([]string, len(d.query))
	for i, p := range d.query {
		names[i] = p.name
	}
	return names
}

// knownQuery refuses query parameters a route does not document, naming them: a misspelt
// filter is an error, never silently ignored.
func (s *server) knownQuery(c *gin.Context) {
	if c.Request.URL.RawQuery != "" {
		if err := newQuery(c).err(); err != nil {
			s.writeProblem(c, err)
			return
		}
	}
	c.Next()
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
		if r.summary == "" {
			missing = append(missing, r.method+" "+r.path)
			continue
		}
		path := pathParam.ReplaceAllString(r.path, "{$1}")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.method)] = g.operation(r)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("api: routes without a summary in the route table: %s", strings.Join(missing, ", "))
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

func (g *schemaGen) operation(r route) map[string]any {
	d := r.routeDoc
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
