package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
	"github.com/placematch/placematch/matcher"
)

// The API's tests wire the real embedded store (and PostgreSQL in TestAPIOnPostgres), as cmd
// does; the architecture test governs only non-test imports.

const (
	// testRequestTimeout is the fixtures' request timeout: long enough for a big import or a
	// 200-way race on a machine loaded by the race detector and other work.
	testRequestTimeout = 5 * time.Minute

	manchester = catalogue.CouncilCode("E08000003")
	leeds      = catalogue.CouncilCode("E08000035")
)

// today is the day of sqltest.Epoch, where the test stores' clocks start.
var today = catalogue.Day(sqltest.Epoch)

// fixture is a small catalogue with a token per role.
type fixture struct {
	t      testing.TB
	h      http.Handler
	store  *sqlstore.Store
	engine *matcher.Engine
	runs   *casework.Runs
	// sessions are the secrets of a workspace session of each caller's account, by the same
	// names as tokens: do sends one as a cookie for a caller named "~" + name.
	sessions map[string]string
	tokens   map[string]string // admin, officer (Manchester), leedsOfficer, commissioner, provider, otherProvider, manager (Manchester's director), leedsManager, teamManager, nominatedOfficer, iro, leedsIro, advocate, leedsAdvocate
	provider catalogue.Provider
	other    catalogue.Provider
	place    catalogue.Placement
	vacancy  catalogue.Vacancy
	group    catalogue.SiblingGroup
	amy      catalogue.Child // Manchester
	leo      catalogue.Child // Leeds
	today    time.Time       // the day on the store's clock when the fixture was made
	// sampled, when not nil, makes do keep for the contract check only the first exchange of
	// each method, path and status (the field walk makes thousands alike).
	sampled map[string]bool
	// noAgree stops do from making providers agree before an offer (agreeFirst).
	noAgree bool
}

// childIn is a child waiting in council, 13 on today (born 2 May 2013 when today is the epoch's).
// lawfulFrom and lawfulUntil date the fixture's foster approvals wide enough for every clock
// the tests run (TestNoDateBombs runs from 2016 to 2038).
var (
	lawfulFrom  = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	lawfulUntil = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

func childIn(council catalogue.CouncilCode, name string) catalogue.Child {
	return childOn(today, council, name)
}

// childOn is childIn as seen on day.
func childOn(today time.Time, council catalogue.CouncilCode, name string) catalogue.Child {
	return catalogue.Child{
		Council: council, FirstName: name, DateOfBirth: today.AddDate(-13, -6, -20), Sex: catalogue.Female,
		Ethnicity: "WBRI", Religion: catalogue.ReligionNone, FirstLanguage: "en", LegalStatus: catalogue.LegalCareOrder,
		Needs:    []catalogue.Need{{Kind: catalogue.NeedTrauma, Level: catalogue.LevelMedium}},
		CareType: catalogue.CareFamilyFoster, Purpose: catalogue.PurposeLongTerm, NeededBy: today.AddDate(0, 0, 7),
		Home: catalogue.Location{Lat: 53.48, Lng: -2.24}, Companions: catalogue.CompanionsNoPreference,
		Pets: catalogue.PetsCan, Status: catalogue.ChildWaiting,
		ParentsConsidered: &catalogue.ParentsConsidered{On: today.AddDate(0, 0, -14), Why: catalogue.ParentsNotWelfare,
			Reason: "The court found the risk of harm at home too high."},
		School: &catalogue.School{Name: "Oakfield Primary", Location: catalogue.Location{Lat: 53.47, Lng: -2.25}, KeepPlanned: true},
	}
}

// newFixture writes the fixture's records into store and wires the service over it.
func newFixture(t testing.TB, store *sqlstore.Store) *fixture {
	t.Helper()
	f, err := seedFixture(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	return f.wire(t, store)
}

// sqliteFixture is newFixture on the embedded store, made much faster by copying a file in
// which the records were written once for the whole package.
func sqliteFixture(t testing.TB) *fixture {
	t.Helper()
	tmpl, err := fixtureTemplate()
	if err != nil {
		t.Fatalf("the fixture's template: %v", err)
	}
	f := *tmpl.records
	f.tokens = maps.Clone(tmpl.records.tokens)
	f.sessions = maps.Clone(tmpl.records.sessions)
	return f.wire(t, sqltest.SQLiteCopy(t, tmpl.path))
}

// fixtureTemplate writes the fixture's records once, at sqltest.Epoch, into a closed SQLite
// file that sqliteFixture copies; TestMain removes it.
var fixtureTemplate = sync.OnceValues(func() (fixtureFile, error) {
	dir, err := os.MkdirTemp("", "placematch-api-fixture-")
	if err != nil {
		return fixtureFile{}, err
	}
	fixtureDir = dir
	path := filepath.Join(dir, "fixture.db")
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, path, sqlstore.Options{Now: catalogue.FixedClock(sqltest.Epoch)})
	if err != nil {
		return fixtureFile{}, err
	}
	f, err := seedFixture(ctx, st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return fixtureFile{path: path, records: f}, err
})

type fixtureFile struct {
	path    string
	records *fixture // the records only: no store, engine or handler
}

// fixtureDir holds the template of sqliteFixture, removed when the package's tests end.
var fixtureDir string

// seedFixture writes the fixture's records (two providers, a home with a place, a sibling
// group, Amy in Manchester and Leo in Leeds, a token per caller) into store, dated on its clock.
func seedFixture(ctx context.Context, store *sqlstore.Store) (*fixture, error) {
	f := &fixture{tokens: map[string]string{}, sessions: map[string]string{}, today: catalogue.Day(store.Now())}
	today := f.today
	var err error
	if f.provider, err = store.CreateProvider(ctx, catalogue.Provider{Name: "Brightwater Fostering", Kind: catalogue.ProviderAgency}); err != nil {
		return nil, err
	}
	if f.other, err = store.CreateProvider(ctx, catalogue.Provider{Name: "Manchester Fostering", Kind: catalogue.ProviderCouncil, Council: manchester}); err != nil {
		return nil, err
	}
	f.place, err = store.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{
		Kind: catalogue.AgencyFoster, Provider: f.provider.ID, Name: "Okafor household", Council: manchester, AreaName: "Manchester",
		Location: catalogue.Location{Lat: 53.45, Lng: -2.2},
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: 2, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
			From: lawfulFrom, Until: lawfulUntil},
		Household: catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Grace"}}},
		Skills:    []catalogue.Skill{catalogue.SkillTraumaInformed}, WeeklyCost: 820, Active: true,
	})
	if err != nil {
		return nil, err
	}
	if f.vacancy, err = store.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: f.place.ID, AvailableFrom: today, Status: catalogue.VacancyAvailable}); err != nil {
		return nil, err
	}
	if f.group, err = store.CreateSiblingGroup(ctx, catalogue.Everything, catalogue.SiblingGroup{Council: manchester, Plan: catalogue.PlanTogether}); err != nil {
		return nil, err
	}
	amy := childOn(today, manchester, "Amy")
	amy.SiblingGroup = f.group.ID
	if f.amy, err = store.CreateChild(ctx, catalogue.Everything, amy); err != nil {
		return nil, err
	}
	if f.leo, err = store.CreateChild(ctx, catalogue.Everything, childOn(today, leeds, "Leo")); err != nil {
		return nil, err
	}
	for _, name := range []string{"admin", "officer", "leedsOfficer", "commissioner", "provider", "otherProvider", "revoked",
		"manager", "leedsManager", "teamManager", "nominatedOfficer", "iro", "leedsIro", "advocate", "leedsAdvocate"} {
		tok := map[string]catalogue.Token{
			"admin":         {Role: catalogue.RoleAdmin},
			"officer":       {Role: catalogue.RoleOfficer, Council: manchester},
			"leedsOfficer":  {Role: catalogue.RoleOfficer, Council: leeds},
			"commissioner":  {Role: catalogue.RoleCommissioner},
			"provider":      {Role: catalogue.RoleProvider, Provider: f.provider.ID},
			"otherProvider": {Role: catalogue.RoleProvider, Provider: f.other.ID},
			"revoked":       {Role: catalogue.RoleAdmin},
			// Managers of each level; "manager" is Manchester's director of children's services.
			"manager":          {Role: catalogue.RoleManager, Council: manchester, Level: catalogue.LevelDirector},
			"leedsManager":     {Role: catalogue.RoleManager, Council: leeds, Level: catalogue.LevelDirector},
			"teamManager":      {Role: catalogue.RoleManager, Council: manchester, Level: catalogue.LevelTeamManager},
			"nominatedOfficer": {Role: catalogue.RoleManager, Council: manchester, Level: catalogue.LevelNominatedOfficer},
			// Independent reviewing officers and advocates of each council.
			"iro":           {Role: catalogue.RoleIRO, Council: manchester},
			"leedsIro":      {Role: catalogue.RoleIRO, Council: leeds},
			"advocate":      {Role: catalogue.RoleAdvocate, Council: manchester},
			"leedsAdvocate": {Role: catalogue.RoleAdvocate, Council: leeds},
		}[name]
		secret, hash := catalogue.NewSecret("pm_")
		tok.Hash, tok.Label = hash, name
		created, err := store.CreateToken(ctx, tok)
		if err != nil {
			return nil, err
		}
		if name == "revoked" {
			if err := store.RevokeToken(ctx, created.ID); err != nil {
				return nil, err
			}
		}
		f.tokens[name] = secret
		if name == "revoked" {
			continue
		}
		// The same caller as a person signed in: an account of the token's role and scope,
		// with a session that lasts as long as the fixture's clock stands still.
		acc, err := store.CreateAccount(ctx, catalogue.Account{Name: "Person " + name, Email: strings.ToLower(name) + "@fixture.example",
			Role: tok.Role, Council: tok.Council, Provider: tok.Provider, Level: tok.Level, PasswordHash: fixturePassword})
		if err != nil {
			return nil, err
		}
		secret, hash = catalogue.NewSecret("pmw_")
		now := store.Now()
		if _, err := store.CreateSession(ctx, catalogue.Session{Account: acc.ID, Hash: hash, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.AddDate(10, 0, 0)}); err != nil {
			return nil, err
		}
		f.sessions[name] = secret
	}
	return f, nil
}

// fixturePassword is the password hash of the fixture's accounts: well formed, and no one's
// password (tests that sign in make an account of their own).
const fixturePassword = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

// wire builds the service over store, which holds f's records: the engine, the match-run
// service and the handler, with one clock, the store's, for every part, as cmd wires them.
func (f *fixture) wire(t testing.TB, store *sqlstore.Store) *fixture {
	t.Helper()
	f.t, f.store = t, store
	ctx := context.Background()
	var err error
	if f.engine, err = matcher.NewEngine(ctx, store, matcher.Options{Now: store.Now}); err != nil {
		t.Fatal(err)
	}
	f.runs, err = casework.NewRuns(casework.RunsConfig{Store: store, Now: store.Now,
		Engine: func(context.Context) (*matcher.Engine, error) { return f.engine, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.runs.Close)
	f.h, err = api.New(api.Config{Store: store, Matcher: f.engine, Now: store.Now, Matching: matching{f.runs},
		// A request may take as long as a loaded machine under the race detector needs: the
		// fixture's tests are not about the timeout (unavailable_test.go is).
		Settings: api.Settings{AllowedHosts: []string{"example.com"}, RequestTimeout: testRequestTimeout}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
}

// problem decodes a problem+json body.
func (r response) problem(t *testing.T) api.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json (status %d, body %s)", ct, r.status, r.body)
	}
	var p api.Problem
	r.json(t, &p)
	if p.Status != r.status {
		t.Errorf("problem status %d, response status %d", p.Status, r.status)
	}
	return p
}

func (f *fixture) do(who, method, path string, body any) response {
	f.t.Helper()
	body = f.agreeFirst(who, method, path, body)
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if name, ok := strings.CutPrefix(who, "~"); ok {
		secret := f.sessions[name]
		req.AddCookie(&http.Cookie{Name: "placematch_session", Value: secret})
		req.Header.Set("X-CSRF-Token", api.WorkspaceCSRF(secret))
	} else if who != "" {
		tok, ok := f.tokens[who]
		if !ok {
			tok = who
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if key := fmt.Sprint(method, path, w.Code); f.sampled == nil || !f.sampled[key] {
		record(exchange{method: method, path: path, status: w.Code, contentType: w.Header().Get("Content-Type"), body: w.Body.Bytes()})
		if f.sampled != nil {
			f.sampled[key] = true
		}
	}
	return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

func (f *fixture) want(r response, status int) {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

func id(v catalogue.ChildID) string { return v.String() }

func TestHealth(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.want(f.do("", "GET", "/healthz", nil), 200)
	f.want(f.do("", "GET", "/readyz", nil), 200)
	p := f.do("", "GET", "/nowhere", nil)
	f.want(p, 404)
	p.problem(t)
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	for _, who := range []string{"", "pm_not-a-real-token", "revoked"} {
		r := f.do(who, "GET", "/v1/children", nil)
		f.want(r, 401)
		r.problem(t)
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%q: no WWW-Authenticate challenge", who)
		}
	}
}

// TestEveryRouteNeedsAToken walks the API surface: every /v1 route answers 401 without a token.
func TestEveryRouteNeedsAToken(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	for _, rt := range api.Routes() {
		if !strings.HasPrefix(rt.Path, "/v1/") {
			continue
		}
		path := strings.NewReplacer(":id", "1", ":kind", "children").Replace(rt.Path)
		r := f.do("", rt.Method, path, nil)
		if r.status != 401 {
			t.Errorf("%s %s without a token: %d, want 401", rt.Method, rt.Path, r.status)
		}
	}
}

func TestOfficerSeesOnlyTheirCouncil(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("officer", "GET", "/v1/children", nil)
	f.want(r, 200)
	var page struct {
		Items []struct {
			ID      int64  `json:"id"`
			Council string `json:"council"`
		} `json:"items"`
	}
	r.json(t, &page)
	if len(page.Items) != 1 || page.Items[0].Council != string(manchester) {
		t.Fatalf("Manchester officer sees %+v", page.Items)
	}
	// Leo is in Leeds: 404, not 403, so the officer cannot learn he exists.
	f.want(f.do("officer", "GET", "/v1/children/"+id(f.leo.ID), nil), 404)
	f.want(f.do("officer", "GET", "/v1/children/"+id(f.amy.ID), nil), 200)
	f.want(f.do("leedsOfficer", "GET", "/v1/children/"+id(f.amy.ID), nil), 404)
	f.want(f.do("leedsOfficer", "GET", "/v1/sibling-groups/"+f.group.ID.String(), nil), 404)
	// Officers see every placement: supply is shared.
	f.want(f.do("leedsOfficer", "GET", "/v1/placements/"+f.place.ID.String(), nil), 200)
	// Creating a child for another council is refused, naming the field.
	leo := toJSON(t, f.leo)
	delete(leo, "id")
	r = f.do("officer", "POST", "/v1/children", leo)
	f.want(r, 400)
	wantField(t, r, "council")
}

func TestRolesAndProviderScope(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	f.want(f.do("commissioner", "GET", "/v1/children", nil), 403)
	f.want(f.do("commissioner", "GET", "/v1/placements", nil), 403)
	f.want(f.do("provider", "GET", "/v1/children/"+id(f.amy.ID), nil), 403)
	f.want(f.do("provider", "GET", "/v1/placements/"+f.place.ID.String(), nil), 200)
	f.want(f.do("otherProvider", "GET", "/v1/placements/"+f.place.ID.String(), nil), 404)
	f.want(f.do("otherProvider", "GET", "/v1/vacancies/"+f.vacancy.ID.String(), nil), 404)
	f.want(f.do("otherProvider", "GET", "/v1/providers/"+f.provider.ID.String(), nil), 404)
	f.want(f.do("officer", "POST", "/v1/providers", map[string]any{"name": "X", "kind": "agency"}), 403)
	f.want(f.do("officer", "GET", "/v1/audit", nil), 403)
	var me struct {
		Role    string `json:"role"`
		Council string `json:"council"`
	}
	r := f.do("officer", "GET", "/v1/me", nil)
	f.want(r, 200)
	r.json(t, &me)
	if me.Role != "officer" || me.Council != string(manchester) {
		t.Errorf("me = %+v", me)
	}
}

// parentsJSON is the child's parents-considered record as a body carries it, or nil.
func parentsJSON(pc *catalogue.ParentsConsidered) map[string]any {
	if pc == nil {
		return nil
	}
	return map[string]any{"on": pc.On.Format(time.DateOnly), "why": pc.Why, "reason": pc.Reason}
}

func toJSON(t *testing.T, c catalogue.Child) map[string]any {
	t.Helper()
	// Build the body from a GET so it carries the API's own field names.
	b, err := json.Marshal(map[string]any{
		"id": int64(c.ID), "council": c.Council, "first_name": c.FirstName, "date_of_birth": c.DateOfBirth.Format(time.DateOnly),
		"sex": c.Sex, "ethnicity": c.Ethnicity, "religion": c.Religion, "first_language": c.FirstLanguage,
		"legal_status": c.LegalStatus, "needs": []map[string]any{{"kind": "trauma", "level": 2}}, "care_type": c.CareType,
		"purpose": c.Purpose, "needed_by": c.NeededBy.Format(time.DateOnly), "home": map[string]any{"lat": c.Home.Lat, "lng": c.Home.Lng},
		"living_companions": c.Companions, "pets": c.Pets, "parents_considered": parentsJSON(c.ParentsConsidered),
	})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func wantField(t *testing.T, r response, field string) {
	t.Helper()
	p := r.problem(t)
	for _, e := range p.Errors {
		if e.Field == field {
			return
		}
	}
	t.Errorf("problem %+v does not name field %q", p, field)
}

func TestChildLifecycle(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	body := toJSON(t, childIn(manchester, "Mia"))
	delete(body, "id")
	r := f.do("officer", "POST", "/v1/children", body)
	f.want(r, 201)
	var created struct {
		ID      int64  `json:"id"`
		Version int    `json:"version"`
		Status  string `json:"status"`
	}
	r.json(t, &created)
	if created.ID == 0 || created.Version == 0 || created.Status != "waiting" || r.header.Get("Location") == "" {
		t.Fatalf("created %+v, Location %q", created, r.header.Get("Location"))
	}
	path := "/v1/children/" + catalogue.ChildID(created.ID).String()

	// Update with the version read.
	body["first_name"] = "Mia-Rose"
	body["version"] = created.Version
	r = f.do("officer", "PUT", path, body)
	f.want(r, 200)
	// The same stale version again conflicts.
	f.want(f.do("officer", "PUT", path, body), 409)
	// No version at all is a field error.
	delete(body, "version")
	r = f.do("officer", "PUT", path, body)
	f.want(r, 400)
	wantField(t, r, "version")

	var got struct {
		FirstName string `json:"first_name"`
	}
	r = f.do("officer", "GET", path, nil)
	f.want(r, 200)
	r.json(t, &got)
	if got.FirstName != "Mia-Rose" {
		t.Errorf("first_name after update = %q", got.FirstName)
	}
}

func TestBadInputNamesTheField(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	good := toJSON(t, childIn(manchester, "Mia"))
	delete(good, "id")
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range good {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"bad date", "POST", "/v1/children", with("date_of_birth", "02/05/2013"), 400, "date_of_birth"},
		{"number as string", "POST", "/v1/children", with("needs", []map[string]any{{"kind": "trauma", "level": "high"}}), 400, "needs.level"},
		{"unknown field", "POST", "/v1/children", with("surname", "Smith"), 400, "surname"},
		{"latitude off the map", "POST", "/v1/children", with("home", map[string]any{"lat": 120, "lng": 0}), 400, "home.lat"},
		{"bad enum", "POST", "/v1/children", with("care_type", "boarding_school"), 400, "care_type"},
		{"not JSON", "POST", "/v1/children", "{not json", 400, "body"},
		{"empty body", "POST", "/v1/children", "", 400, "body"},
		{"two objects", "POST", "/v1/children", `{"council":"E08000003"} {}`, 400, "body"},
		{"path id", "GET", "/v1/children/abc", nil, 400, "id"},
		{"unknown query", "GET", "/v1/children?colour=blue", nil, 400, "colour"},
		{"bad limit", "GET", "/v1/children?limit=100000", nil, 400, "limit"},
		{"bad cursor", "GET", "/v1/children?cursor=zzz", nil, 400, "cursor"},
		{"bad near", "GET", "/v1/placements?near=abc", nil, 400, "near"},
		{"near off the map", "GET", "/v1/placements?near=10,10&within_km=5", nil, 400, "near"},
		{"bad bool", "GET", "/v1/placements?has_vacancy=maybe", nil, 400, "has_vacancy"},
		{"bad kind", "GET", "/v1/placements?kind=castle", nil, 400, "kind"},
		{"vacancy date", "POST", "/v1/placements/" + f.place.ID.String() + "/vacancies", map[string]any{"available_from": "soon"}, 400, "available_from"},
		{"provider kind", "POST", "/v1/providers", map[string]any{"name": "X", "kind": "shop"}, 400, "kind"},
		{"token role", "POST", "/v1/tokens", map[string]any{"role": "king"}, 400, "role"},
		{"token expiry", "POST", "/v1/tokens", map[string]any{"role": "admin", "expires_in": "forever"}, 400, "expires_in"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do("admin", tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			wantField(t, r, tc.field)
		})
	}
	// Nothing above wrote a child.
	r := f.do("admin", "GET", "/v1/children?limit=500", nil)
	var page struct{ Items []any }
	r.json(t, &page)
	if len(page.Items) != 2 {
		t.Errorf("%d children after bad requests, want the fixture's 2", len(page.Items))
	}
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	big := `{"first_name":"` + strings.Repeat("a", 2<<20) + `"}`
	r := f.do("admin", "POST", "/v1/children", big)
	f.want(r, 413)
	r.problem(t)
	r = f.do("admin", "POST", "/v1/children", nil)
	f.want(r, 400)
}

func TestWrongContentType(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	req := httptest.NewRequest("POST", "/v1/providers", strings.NewReader(`name=x`))
	req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != 415 {
		t.Errorf("status %d, want 415", w.Code)
	}
}

func TestPlacementsAndVacancies(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	// Filters: has_vacancy, near, kind, council.
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", 1},
		{"?has_vacancy=true", 1},
		{"?kind=childrens_home", 0},
		{"?council=" + string(leeds), 0},
		{"?near=53.45,-2.2&within_km=1", 1},
		{"?near=51.5,-0.1&within_km=20", 0},
	} {
		r := f.do("officer", "GET", "/v1/placements"+tc.query, nil)
		f.want(r, 200)
		var page struct{ Items []any }
		r.json(t, &page)
		if len(page.Items) != tc.want {
			t.Errorf("%q: %d placements, want %d", tc.query, len(page.Items), tc.want)
		}
	}
	// A provider opens a second place, then withdraws it.
	vpath := "/v1/placements/" + f.place.ID.String() + "/vacancies"
	r := f.do("provider", "POST", vpath, map[string]any{"available_from": "2026-12-01"})
	f.want(r, 201)
	var v struct {
		ID      int64  `json:"id"`
		Version int    `json:"version"`
		Status  string `json:"status"`
	}
	r.json(t, &v)
	// The household is approved for 2: a third place is a conflict.
	f.want(f.do("provider", "POST", vpath, map[string]any{"available_from": "2026-12-01"}), 409)
	// Another provider cannot add places to it.
	f.want(f.do("otherProvider", "POST", vpath, map[string]any{"available_from": "2026-12-01"}), 404)
	// Providers cannot fill a place directly.
	r = f.do("provider", "PUT", "/v1/vacancies/"+catalogue.VacancyID(v.ID).String(),
		map[string]any{"available_from": "2026-12-01", "status": "filled", "child": int64(f.amy.ID), "version": v.Version})
	f.want(r, 400)
	wantField(t, r, "status")
	r = f.do("provider", "PUT", "/v1/vacancies/"+catalogue.VacancyID(v.ID).String(),
		map[string]any{"available_from": "2026-12-01", "status": "withdrawn", "version": v.Version})
	f.want(r, 200)
	r = f.do("officer", "GET", vpath+"?status=available", nil)
	f.want(r, 200)
	var page struct{ Items []any }
	r.json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("%d available places, want 1", len(page.Items))
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	for i := 0; i < 11; i++ {
		if _, err := f.store.CreateChild(ctx, catalogue.Everything, childIn(manchester, "Child")); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
		r := f.do("officer", "GET", "/v1/children?limit=5"+cursor, nil)
		f.want(r, 200)
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Next string `json:"next_cursor"`
		}
		r.json(t, &page)
		for _, it := range page.Items {
			seen = append(seen, it.ID)
		}
		if page.Next == "" {
			break
		}
		cursor = "&cursor=" + page.Next
	}
	if len(seen) != 12 || !slices.IsSorted(seen) {
		t.Errorf("pages returned %v, want 12 children in order once each", seen)
	}
}

func TestTokensAndAudit(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	r := f.do("admin", "POST", "/v1/tokens", map[string]any{"role": "officer", "council": string(leeds), "label": "leeds team"})
	f.want(r, 201)
	var tok struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	r.json(t, &tok)
	f.tokens["new"] = tok.Token
	f.want(f.do("new", "GET", "/v1/children/"+id(f.leo.ID), nil), 200)
	f.want(f.do("admin", "DELETE", "/v1/tokens/"+catalogue.TokenID(tok.ID).String(), nil), 204)
	f.want(f.do("new", "GET", "/v1/children/"+id(f.leo.ID), nil), 401)

	// The read above was audited, with who.
	r = f.do("admin", "GET", "/v1/audit?subject=child:"+id(f.leo.ID), nil)
	f.want(r, 200)
	var page struct {
		Items []struct {
			Action string `json:"action"`
			Actor  int64  `json:"actor"`
			Role   string `json:"role"`
		} `json:"items"`
	}
	r.json(t, &page)
	found := false
	for _, e := range page.Items {
		found = found || (e.Action == "read" && e.Actor == tok.ID && e.Role == "officer")
	}
	if !found {
		t.Errorf("audit of child %d lacks the officer's read: %+v", f.leo.ID, page.Items)
	}
}

func TestAPIOnPostgres(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sqltest.Postgres(t))
	f.want(f.do("officer", "GET", "/v1/children/"+id(f.amy.ID), nil), 200)
	f.want(f.do("officer", "GET", "/v1/children/"+id(f.leo.ID), nil), 404)
	r := f.do("officer", "GET", "/v1/placements?near=53.45,-2.2&within_km=1&has_vacancy=true", nil)
	f.want(r, 200)
	var page struct{ Items []any }
	r.json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("%d placements near, want 1", len(page.Items))
	}
}
