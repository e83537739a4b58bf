package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// spec is what the attack reads of the service's OpenAPI document: every operation, who may
// call it, its parameters and the schema of its body.
type spec struct {
	ops     []operation
	schemas map[string]map[string]any
}

// operation is one route of the API as the document describes it.
type operation struct {
	method string
	path   string   // the document's template: /v1/children/{id}
	roles  []string // x-roles; nil: public
	query  []string // query parameter names
	params []string // path parameter names
	// body is the JSON schema of the body, nil when the route takes none; csv marks a route that
	// also takes text/csv (imports).
	body map[string]any
	csv  bool
}

func (o operation) name() string { return o.method + " " + o.path }

// public reports whether the route needs no bearer token.
func (o operation) public() bool { return o.roles == nil }

// allows reports whether role may call the route.
func (o operation) allows(role string) bool { return o.public() || slices.Contains(o.roles, role) }

// page reports whether the route answers with HTML pages rather than problem+json: the child's
// pages and the commissioner's dashboard.
func (o operation) page() bool {
	return strings.HasPrefix(o.path, "/c/") || strings.HasPrefix(o.path, "/child/") || strings.HasPrefix(o.path, "/dashboard") ||
		o.workspace()
}

// workspace reports whether the operation is one of the workspace's pages (HTML, answered with
// pages, never problem+json).
func (o operation) workspace() bool {
	return o.path == "/" || strings.HasPrefix(o.path, "/workspace") || strings.HasPrefix(o.path, "/sign-") || strings.HasPrefix(o.path, "/signin/") || strings.HasPrefix(o.path, "/assets/")
}

// parseSpec reads the OpenAPI document.
func parseSpec(doc []byte) (*spec, error) {
	var d struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	s := &spec{schemas: d.Components.Schemas}
	for path, ops := range d.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			var op struct {
				Roles      []string `json:"x-roles"`
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
				} `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema map[string]any `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("reading %s %s: %w", method, path, err)
			}
			o := operation{method: strings.ToUpper(method), path: path, roles: op.Roles}
			for _, p := range op.Parameters {
				switch p.In {
				case "query":
					o.query = append(o.query, p.Name)
				case "path":
					o.params = append(o.params, p.Name)
				}
			}
			if c, ok := op.RequestBody.Content["application/json"]; ok {
				o.body = c.Schema
				if o.body == nil {
					o.body = map[string]any{"type": "object"}
				}
			}
			_, o.csv = op.RequestBody.Content["text/csv"]
			s.ops = append(s.ops, o)
		}
	}
	slices.SortFunc(s.ops, func(a, b operation) int { return strings.Compare(a.name(), b.name()) })
	if len(s.ops) == 0 {
		return nil, fmt.Errorf("the OpenAPI document lists no operations")
	}
	return s, nil
}

// resolve follows a $ref (and the first non-null branch of an anyOf).
func (s *spec) resolve(sch map[string]any) map[string]any {
	for range 10 {
		if ref, ok := sch["$ref"].(string); ok {
			next, ok := s.schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
			if !ok {
				return map[string]any{}
			}
			sch = next
			continue
		}
		if alts, ok := sch["anyOf"].([]any); ok {
			for _, a := range alts {
				if m, ok := a.(map[string]any); ok && schemaType(m) != "null" {
					sch = m
					break
				}
			}
			if _, still := sch["anyOf"]; still {
				return sch
			}
			continue
		}
		return sch
	}
	return sch
}

// schemaType is the schema's type, ignoring "null" in a list of types.
func schemaType(sch map[string]any) string {
	switch t := sch["type"].(type) {
	case string:
		return t
	case []any:
		for _, v := range t {
			if s, ok := v.(string); ok && s != "null" {
				return s
			}
		}
	}
	if _, ok := sch["$ref"]; ok {
		return "object"
	}
	if _, ok := sch["properties"]; ok {
		return "object"
	}
	return ""
}

// field is one place in a body that the attack fills with hostile values: a JSON path
// ("contacts[0].location.lat") and its type.
type field struct {
	path []step
	typ  string // string, integer, number, boolean, array, object
	// item is the type of an array's elements.
	item string
}

// step is one step of a path: a property name, or an index into a list (key == "").
type step struct {
	key   string
	index int
}

func (f field) String() string { return pathString(f.path) }

func pathString(p []step) string {
	var b strings.Builder
	for i, st := range p {
		switch {
		case st.key == "":
			fmt.Fprintf(&b, "[%d]", st.index)
		case i > 0:
			b.WriteString("." + st.key)
		default:
			b.WriteString(st.key)
		}
	}
	return b.String()
}

// fields lists every field of a body schema, depth first, in a stable order; read-only fields
// the service sets (id, created_at, updated_at) are left out.
func (s *spec) fields(sch map[string]any) []field {
	var out []field
	var walk func(sch map[string]any, path []step, depth int)
	walk = func(sch map[string]any, path []step, depth int) {
		sch = s.resolve(sch)
		typ := schemaType(sch)
		f := field{path: slices.Clone(path), typ: typ}
		if typ == "array" {
			if items, ok := sch["items"].(map[string]any); ok {
				f.item = schemaType(s.resolve(items))
			}
		}
		if len(path) > 0 {
			out = append(out, f)
		}
		if depth > 6 {
			return
		}
		switch typ {
		case "object":
			props, _ := sch["properties"].(map[string]any)
			keys := make([]string, 0, len(props))
			for k := range props {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if k == "id" || k == "created_at" || k == "updated_at" {
					continue
				}
				if m, ok := props[k].(map[string]any); ok {
					walk(m, append(path, step{key: k}), depth+1)
				}
			}
			if ap, ok := sch["additionalProperties"].(map[string]any); ok {
				walk(ap, append(path, step{key: "*"}), depth+1)
			}
		case "array":
			if items, ok := sch["items"].(map[string]any); ok {
				it := s.resolve(items)
				if t := schemaType(it); t == "object" || t == "array" {
					walk(items, append(path, step{index: 0}), depth+1)
				} else if len(path) > 0 {
					out = append(out, field{path: append(slices.Clone(path), step{index: 0}), typ: t})
				}
			}
		}
	}
	walk(sch, nil, 0)
	return out
}

var templateParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// fill puts values into a path template's parameters.
func fill(template string, values map[string]string) string {
	return templateParam.ReplaceAllStringFunc(template, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := values[name]; ok {
			return v
		}
		return m
	})
}
