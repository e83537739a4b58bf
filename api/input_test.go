package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// The tests of this file attack the service's inputs (issue 14): text with control characters,
// reasons cut in the middle of a character, import files too large or too wrong.

// doWith is f.do with extra request headers.
func (f *fixture) doWith(who, method, path string, header map[string]string, body string) response {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// auditReasons returns the reasons of the audit entries about subject, oldest first.
func auditReasons(t *testing.T, st *sqlstore.Store, subject string) []string {
	t.Helper()
	page, err := st.ListAudit(t.Context(), catalogue.AuditFilter{Subject: subject, Limit: catalogue.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Reason)
	}
	return out
}

// TestReasonCutAtACharacter: X-Reason is kept to 200 bytes, cut before a character that would
// cross the limit, so a reason in any language is accepted (it was cut mid-character and the
// audit log refused it with a 400), on reads and on changes, on both stores.
func TestReasonCutAtACharacter(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		// 199 bytes of ASCII, then "é" (2 bytes) across the limit, then more.
		reason := strings.Repeat("r", 199) + "é review by Siân Jones"
		want := strings.Repeat("r", 199)
		subject := "child:" + id(f.amy.ID)

		r := f.doWith("officer", "GET", "/v1/children/"+id(f.amy.ID), map[string]string{"X-Reason": reason}, "")
		f.want(r, 200)
		// A whole reason within the limit keeps every character.
		welsh := "Adolygiad gan Siân — " + strings.Repeat("ŵ", 80) // 2 bytes each: 185 bytes in all
		f.want(f.doWith("officer", "GET", "/v1/children/"+id(f.amy.ID), map[string]string{"X-Reason": welsh}, ""), 200)
		// A change records the reason in the same transaction as the record.
		body := toJSON(t, f.amy)
		body["version"] = f.amy.Version
		body["first_name"] = "Amelia"
		r = f.doWith("officer", "PUT", "/v1/children/"+id(f.amy.ID), map[string]string{"X-Reason": reason}, mustJSON(t, body))
		f.want(r, 200)

		got := auditReasons(t, st, subject)
		if len(got) < 3 {
			t.Fatalf("audit reasons %q, want at least 3", got)
		}
		got = got[len(got)-3:]
		for i, w := range []string{want, welsh, want} {
			if got[i] != w {
				t.Errorf("audit entry %d: reason %q (%d bytes), want %q", i, got[i], len(got[i]), w)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPolicyWeightsBounded: weights are finite numbers from 0 to catalogue.MaxWeight. Three
// weights of 1e308 summed to infinity, every share became 0, the cost cap passed and every score
// in the council was 0 (issue 14, item 9). Refused on both stores, nothing saved.
func TestPolicyWeightsBounded(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		var before struct{ Version int }
		f.do("admin", "GET", "/v1/policy", nil).json(t, &before)
		for _, weights := range []string{
			`{"needs":1e308,"school":1e308,"family":1e308}`,
			`{"needs":1000.5}`,
		} {
			r := f.do("admin", "PUT", "/v1/policy", `{"weights":`+weights+`,"note":"attack","version":`+strconv.Itoa(before.Version)+`}`)
			f.want(r, 400)
			wantField(t, r, "weights.needs")
		}
		// The bound itself is allowed.
		f.want(f.do("admin", "PUT", "/v1/policy", `{"weights":{"needs":1000},"note":"needs above all","version":`+strconv.Itoa(before.Version)+`}`), 200)
		var after struct{ Version int }
		f.do("admin", "GET", "/v1/policy", nil).json(t, &after)
		if after.Version != before.Version+1 {
			t.Errorf("policy version %d after one good change from %d", after.Version, before.Version)
		}
	})
}

// badText is what the tables below put in a text field: every control character but tab and
// newline (U+0000 to U+001F, U+007F, and a C1 control, U+0085), U+FFFD, and, written raw into the
// JSON, a byte that is not UTF-8 and an unpaired surrogate (which a JSON decoder turns into
// U+FFFD). Each is sent between two letters, so no trimming hides it.
var badText = func() []string {
	var out []string
	for r := rune(0); r < 0x20; r++ {
		if r != '\t' && r != '\n' {
			out = append(out, string(r))
		}
	}
	return append(out, "\x7f", "\u0085", "\uFFFD", rawInvalidUTF8, rawSurrogate)
}()

// Stand-ins for what json.Marshal cannot write, replaced in the encoded body.
const (
	rawInvalidUTF8 = "@@invalid-utf8@@"
	rawSurrogate   = "@@unpaired-surrogate@@"
)

// rawJSON encodes v and writes the stand-ins raw: a byte that is not UTF-8, and \ud800.
func rawJSON(t *testing.T, v any) string {
	t.Helper()
	s := mustJSON(t, v)
	s = strings.ReplaceAll(s, rawInvalidUTF8, "\xff")
	return strings.ReplaceAll(s, rawSurrogate, `\ud800`)
}

// openAPIDoc is the API's contract as a generic value.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// stringPaths lists the JSON path of every string a schema of doc holds, lists as [0], so that
// the table covers each text field of each request body the contract describes. Strings with a
// format (date-time) are times, not text.
func stringPaths(doc map[string]any, schema any, path string, depth int) []string {
	s, _ := schema.(map[string]any)
	for s != nil {
		if ref, ok := s["$ref"].(string); ok {
			s, _ = doc["components"].(map[string]any)["schemas"].(map[string]any)[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
			continue
		}
		if alts, ok := s["anyOf"].([]any); ok {
			var next map[string]any
			for _, a := range alts {
				if m, _ := a.(map[string]any); m != nil && m["type"] != "null" {
					next = m
				}
			}
			s = next
			continue
		}
		break
	}
	if s == nil || depth > 8 {
		return nil
	}
	types := map[string]bool{}
	switch ty := s["type"].(type) {
	case string:
		types[ty] = true
	case []any:
		for _, x := range ty {
			types[fmt.Sprint(x)] = true
		}
	}
	var out []string
	switch {
	case types["string"]:
		if s["format"] == nil && path != "" {
			out = append(out, path)
		}
	case types["array"]:
		out = append(out, stringPaths(doc, s["items"], path+"[0]", depth+1)...)
	case types["object"] || s["properties"] != nil:
		props, _ := s["properties"].(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(props)) {
			out = append(out, stringPaths(doc, props[k], joinJSON(path, k), depth+1)...)
		}
	}
	return out
}

func joinJSON(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// setPath sets the value at a JSON path ("contacts[0].name") in body, making the objects and
// one-element lists on the way.
func setPath(body map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	var cur any = body
	for i, part := range parts {
		name, list := strings.CutSuffix(part, "[0]")
		m := cur.(map[string]any)
		last := i == len(parts)-1
		switch {
		case list:
			arr, _ := m[name].([]any)
			if len(arr) == 0 {
				arr = []any{map[string]any{}}
			}
			if last {
				arr[0] = v
			} else if _, ok := arr[0].(map[string]any); !ok {
				arr[0] = map[string]any{}
			}
			m[name] = arr
			cur = arr[0]
		case last:
			m[name] = v
		default:
			if _, ok := m[name].(map[string]any); !ok {
				m[name] = map[string]any{}
			}
			cur = m[name]
		}
	}
}

// storeState is what a refused request must leave as it was: the catalogue's counts and the
// fixture's records as the admin reads them (auditLength counts the audit log, which the reads
// add to).
func storeState(t *testing.T, f *fixture) (catalogue.Counts, string) {
	t.Helper()
	counts, err := f.store.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range []string{"/v1/children/" + id(f.amy.ID), "/v1/placements/" + f.place.ID.String(),
		"/v1/sibling-groups/" + f.group.ID.String(), "/v1/vacancies/" + f.vacancy.ID.String(), "/v1/policy", "/v1/offers", "/v1/move-reviews"} {
		b.Write(f.do("admin", "GET", p, nil).body)
	}
	return counts, b.String()
}

func auditLength(t *testing.T, st *sqlstore.Store) int {
	t.Helper()
	entries, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.AuditEntry], error) {
		return st.ListAudit(t.Context(), catalogue.AuditFilter{After: after, Limit: catalogue.MaxLimit})
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestControlCharactersRefused: every text field of every JSON body the API's contract
// describes, and every query parameter it documents, refuses control characters (but tab and
// newline), U+FFFD, bytes that are not UTF-8 and unpaired surrogates with a 400 naming the
// field; never a 500 (a NUL was one on PostgreSQL), and nothing is written. On both stores.
func TestControlCharactersRefused(t *testing.T) {
	t.Parallel()
	doc := openAPIDoc(t)
	paths := doc["paths"].(map[string]any)
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		m := matrix()
		type attempt struct {
			name, method, path, who, field, body string
			page                                 bool // a page of the workspace: its mistakes are pages
		}
		var attempts []attempt
		n := 0
		// One record of each kind for the routes' parameters (pathFor makes one each time).
		ids := map[string]string{}
		fill := func(route string) string {
			i := strings.Index(route, ":id")
			if i < 0 {
				return f.pathFor(route)
			}
			prefix := route[:i]
			if _, ok := ids[prefix]; !ok {
				ids[prefix] = strings.TrimPrefix(f.pathFor(prefix+":id"), prefix)
			}
			return strings.NewReplacer(":id", ids[prefix], ":placement", f.place.ID.String()).Replace(route)
		}
		for _, rt := range api.Routes() {
			if rt.Roles == nil || rt.Path == "/v1/import/:kind" { // imports: TestImportRefusesControlCharacters
				continue
			}
			who := "admin"
			switch {
			case slices.Contains(rt.Roles, catalogue.RoleAdmin):
			case slices.Contains(rt.Roles, catalogue.RoleOfficer):
				who = "officer"
			case slices.Contains(rt.Roles, catalogue.RoleIRO):
				who = "iro" // the IROs' own routes
			case slices.Contains(rt.Roles, catalogue.RoleAdvocate):
				who = "advocate" // the advocacy service's own routes
			case slices.Contains(rt.Roles, catalogue.RoleProvider):
				who = "provider" // a provider's own pages (adding a home)
			default: // the managers' routes
				who = "manager"
			}
			op, _ := paths[openAPIPath(rt.Path)].(map[string]any)[strings.ToLower(rt.Method)].(map[string]any)
			if op == nil {
				t.Fatalf("%s %s is not in the contract", rt.Method, rt.Path)
			}
			path := fill(rt.Path)
			// Query parameters: each documented one, and one the route does not know.
			params, _ := op["parameters"].([]any)
			var names []string
			for _, p := range params {
				if p := p.(map[string]any); p["in"] == "query" {
					names = append(names, p["name"].(string))
				}
			}
			for _, name := range names {
				bad := badText[n%len(badText)]
				n++
				if bad == rawInvalidUTF8 {
					bad = "\xff"
				} else if bad == rawSurrogate {
					bad = "\xed\xa0\x80" // U+D800 as UTF-8 would write it
				}
				q := url.Values{name: {"ok" + bad + "ok"}}
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				attempts = append(attempts, attempt{name: fmt.Sprintf("%s %s?%s=%q", rt.Method, rt.Path, name, bad),
					method: rt.Method, path: path + sep + q.Encode(), who: who, field: name, page: rt.Page})
			}
			attempts = append(attempts, attempt{name: rt.Method + " " + rt.Path + " with a bad parameter name",
				method: rt.Method, path: path + map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "a%00b=1",
				who: who, field: "query", page: rt.Page})
			// Bodies: each string field of the request body, in the body the access matrix
			// sends (so that nothing else stops the request first).
			rb, _ := op["requestBody"].(map[string]any)
			if rb == nil {
				continue
			}
			schema := rb["content"].(map[string]any)["application/json"].(map[string]any)["schema"]
			for _, field := range stringPaths(doc, schema, "", 0) {
				body := map[string]any{}
				if acc := m[rt.Method+" "+rt.Path]; acc.body != nil {
					if b, ok := acc.body(f, who).(map[string]any); ok {
						body = b
					}
				}
				bad := badText[n%len(badText)]
				n++
				setPath(body, field, "ok"+bad+"ok")
				attempts = append(attempts, attempt{name: fmt.Sprintf("%s %s %s=%q", rt.Method, rt.Path, field, bad),
					method: rt.Method, path: path, who: who, field: field, body: rawJSON(t, body)})
			}
		}
		if len(attempts) < 150 {
			t.Fatalf("only %d attempts: the contract was not walked", len(attempts))
		}
		counts, records := storeState(t, f)
		audit := auditLength(t, st)
		for _, a := range attempts {
			r := f.doWith(a.who, a.method, a.path, nil, a.body)
			if r.status != 400 {
				t.Errorf("%s: %d, want 400: %s", a.name, r.status, r.body)
				continue
			}
			if a.page { // a page naming the field at fault
				if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<code>"+a.field+"</code>") {
					t.Errorf("%s: %s, not a page naming %s", a.name, r.header.Get("Content-Type"), a.field)
				}
				continue
			}
			p := r.problem(t)
			if !slices.ContainsFunc(p.Errors, func(e catalogue.FieldError) bool { return e.Field == a.field }) {
				t.Errorf("%s: the problem does not name %s: %s", a.name, a.field, r.body)
			}
		}
		audit2 := auditLength(t, st)
		counts2, records2 := storeState(t, f)
		if counts2 != counts || audit2 != audit || records2 != records {
			t.Errorf("refused requests changed the store: %+v, %d audit entries, then %+v, %d", counts, audit, counts2, audit2)
		}
		t.Logf("%d requests refused", len(attempts))

		// Tab, newline and the line and paragraph separators are text.
		r := f.do("admin", "POST", "/v1/sibling-groups", map[string]any{"council": string(manchester), "plan": "apart",
			"reason": "Court order:\tsee the\nplan.\u2028Reviewed.\u2029"})
		f.want(r, 201)
	})
}

// openAPIPath turns a route's path into the contract's: /v1/children/:id is /v1/children/{id}.
func openAPIPath(route string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestChildWordsKeepTheirAnswer: what a child writes on their page (their say on an offer,
// what would help at a check-in) is kept without the control characters pasted text can carry
// and they cannot see: a NUL was a 500 on PostgreSQL and their answer was lost. Line ends of
// every kind become newlines. On both stores.
func TestChildWordsKeepTheirAnswer(t *testing.T) {
	t.Parallel()
	typed := "I want\x00 to keep\x0b my dog\x7f\r\nand\rmy school\u0085 \x1b[31m"
	want := "I want to keep my dog\nand\nmy school [31m"
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newOfferFixture(t, st)
		o, link := f.makeOffer(f.amy.ID)
		kid := f.visitor("203.0.113.40")
		if r := kid.do("POST", link, nil); r.status != 303 {
			t.Fatalf("opening the link: %d", r.status)
		}
		loc := fmt.Sprintf("/child/offers/%d", o.ID)
		page := kid.do("GET", loc, nil)
		f.want(page, 200)
		r := kid.do("POST", loc, url.Values{"csrf": {csrfOf(t, page)}, "choice": {"unsure"}, "words": {typed}})
		if r.status != 303 {
			t.Fatalf("saving the child's say: %d %s", r.status, r.body)
		}
		if got := f.offer("officer", o.ID).ChildSay.InOwnWords; got != want {
			t.Errorf("the child's words were kept as %q, want %q", got, want)
		}
		if err := kid.do("GET", loc+"?saved=1", nil); err.status != 200 {
			t.Errorf("the page after saving: %d", err.status)
		}

		// The check-in: Amy has lived in the fixture's home for ten days.
		f.placeAmySince(10)
		checkIn := f.visitor("203.0.113.41")
		if r := checkIn.do("POST", f.checkInLink(), nil); r.status != 303 {
			t.Fatalf("opening the check-in link: %d", r.status)
		}
		page = checkIn.do("GET", "/child/check-in", nil)
		f.want(page, 200)
		r = checkIn.do("POST", "/child/check-in", url.Values{"csrf": {csrfOf(t, page)}, "settled": {"yes"}, "would_help": {typed}})
		if r.status != 303 {
			t.Fatalf("saving the check-in: %d %s", r.status, r.body)
		}
		b := f.checkIns()
		if len(b.CheckIns) != 1 || b.CheckIns[0].WouldHelp != want {
			t.Errorf("check-ins %+v, want one saying %q", b.CheckIns, want)
		}
	})
}

// doImport posts a file to /v1/import/children as who; length is the Content-Length declared
// (-1: none, the body is sent in chunks).
func (f *fixture) doImport(h http.Handler, who, format string, body io.Reader, length int64) response {
	f.t.Helper()
	req := httptest.NewRequest("POST", "/v1/import/children?format="+format, body)
	req.ContentLength = length
	req.Header.Set("Content-Type", map[string]string{"csv": "text/csv", "json": "application/json"}[format])
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// importHeader and importRow make a children CSV file an officer of Manchester may import.
const importHeader = "first_name,date_of_birth,sex,ethnicity,religion,first_language,legal_status,care_type,purpose,neededBy,home_lat,home_lng,livingCompanions,pets\n"

func importRow(name, sex string) string {
	return name + ",2014-03-09," + sex + ",WBRI,none,en,care_order,family_foster,long_term,2026-12-01,53.48,-2.24,no_preference,can\n"
}

// TestImportOfManyBadRows: a file of 200,000 bad rows is answered with its first 100 problems
// and how many there are, in a small answer (issue 14, item 8: one bad 62 MiB file answered
// 21.8 MB with 199,999 errors). The memory the decoder holds is measured in
// exchange (TestDecodeMemoryDoesNotGrowWithBadRows).
func TestImportOfManyBadRows(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	var file strings.Builder
	file.WriteString(importHeader)
	for range 200_000 {
		file.WriteString(importRow("Amy", "unknown"))
	}
	r := f.doImport(f.h, "officer", "csv", strings.NewReader(file.String()), int64(file.Len()))
	f.want(r, 400)
	p := r.problem(t)
	// 100,000 rows are read (exchange.DefaultMaxRows), each with a bad sex; then the file is
	// refused for having more.
	if len(p.Errors) != catalogue.MaxIssues || p.ErrorCount != 100_001 {
		t.Fatalf("%d problems listed of %d, want %d of 100001", len(p.Errors), p.ErrorCount, catalogue.MaxIssues)
	}
	for i, e := range p.Errors {
		if e.Row != i+2 || e.Field != "sex" {
			t.Fatalf("problem %d is %+v, want sex on line %d", i, e, i+2)
		}
	}
	if !strings.HasSuffix(p.Detail, "(and 100000 more)") {
		t.Errorf("detail %q does not count the others", p.Detail)
	}
	if len(r.body) > 32<<10 {
		t.Errorf("the answer is %d bytes", len(r.body))
	}
	t.Logf("a file of %d MiB: %d bytes of answer", file.Len()>>20, len(r.body))
}

// unread fails the test if the handler reads the body of a request it should refuse unread.
type unread struct {
	t    *testing.T
	read bool
}

func (u *unread) Read(p []byte) (int, error) {
	u.read = true
	return 0, io.EOF
}

// TestImportTooLarge: a file over the limit (--max-import) is answered 413 problem+json: at
// once when its length is declared, without reading it; when it comes in chunks, once the
// limit is passed. Nothing is written. On both stores.
func TestImportTooLarge(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		const limit = 4 << 10
		h, err := api.New(api.Config{Store: st, Matcher: f.engine, Now: st.Now, Settings: api.Settings{MaxImportBytes: limit}})
		if err != nil {
			t.Fatal(err)
		}
		before, _ := storeState(t, f)
		body := &unread{t: t}
		r := f.doImport(h, "officer", "csv", body, limit+1)
		f.want(r, 413)
		if p := r.problem(t); !strings.Contains(p.Detail, "larger than 4096 bytes") {
			t.Errorf("detail %q", p.Detail)
		}
		if body.read {
			t.Error("a file declared too large was read")
		}
		var file strings.Builder
		file.WriteString(importHeader)
		for file.Len() <= 2*limit {
			file.WriteString(importRow("Amy", "female"))
		}
		for _, format := range []string{"csv", "json"} {
			in := file.String()
			if format == "json" {
				in = `{"children": [` + strings.Repeat(`{"first_name": "Amy"},`, 400) + `{}]}`
			}
			r = f.doImport(h, "officer", format, io.MultiReader(strings.NewReader(in)), -1)
			f.want(r, 413)
			r.problem(t)
		}
		// A file within the limit is imported.
		small := importHeader + importRow("Amy", "female")
		f.want(f.doImport(h, "officer", "csv", strings.NewReader(small), int64(len(small))), 201)
		after, _ := storeState(t, f)
		if after.Children != before.Children+1 {
			t.Errorf("children %d, then %d: want one more", before.Children, after.Children)
		}
	})
}

// TestImportRefusesControlCharacters: an imported cell or JSON string with a control character
// (but tab and newline), U+FFFD, a byte that is not UTF-8 or an unpaired surrogate is refused
// with its row and column; never a 500 (a NUL was one on PostgreSQL), nothing written. Both
// stores.
func TestImportRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		f := newFixture(t, st)
		before, _ := storeState(t, f)
		for i, bad := range badText {
			var file, format string
			var row int
			switch {
			case i%2 == 0 || bad == rawInvalidUTF8: // CSV, on the second row
				format, row = "csv", 3
				name := "A" + bad + "my"
				if bad == rawInvalidUTF8 {
					name = "A\xffmy"
				} else if bad == rawSurrogate {
					name = "A\xed\xa0\x80my"
				}
				file = importHeader + importRow("Leah", "female") + importRow(`"`+name+`"`, "female")
			default: // JSON, in the second record
				format, row = "json", 2
				rec := map[string]any{"first_name": "Leah", "date_of_birth": "2014-03-09", "sex": "female", "ethnicity": "WBRI",
					"religion": "none", "first_language": "en", "legal_status": "care_order", "care_type": "family_foster",
					"purpose": "long_term", "neededBy": "2026-12-01", "home": map[string]any{"lat": 53.48, "lng": -2.24},
					"livingCompanions": "no_preference", "pets": "can"}
				bad := maps.Clone(rec)
				bad["first_name"] = "A" + badText[i] + "my"
				file = rawJSON(t, map[string]any{"children": []any{rec, bad}})
			}
			r := f.doImport(f.h, "officer", format, strings.NewReader(file), int64(len(file)))
			if r.status != 400 {
				t.Errorf("%s with %q: %d, want 400: %s", format, bad, r.status, r.body)
				continue
			}
			p := r.problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Row != row || p.Errors[0].Field != "first_name" {
				t.Errorf("%s with %q: problems %+v, want first_name on row %d", format, bad, p.Errors, row)
			}
		}
		if after, _ := storeState(t, f); after != before {
			t.Errorf("refused imports changed the store: %+v, then %+v", before, after)
		}
	})
}
