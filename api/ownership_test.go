package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/placematch/placematch/api"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/catalogue/sqlstore/sqltest"
)

// The walk of who owns what (issue 14): every writable field of every resource, changed alone,
// by every caller, must be stored when the table of owners (api/ownership.go) lets the caller
// set it and be refused, with the record untouched, when it does not.

// TestOwnershipTablesCoverEveryField: every field of every body in a table of owners is named
// by it (or falls under its "*" row), and every row names a field, so that a field added to a
// body is decided by someone, not let through.
func TestOwnershipTablesCoverEveryField(t *testing.T) {
	t.Parallel()
	for _, b := range api.OwnedBodies() {
		top := jsonFields(reflect.TypeOf(b.Body))
		all := append(slices.Clone(top), leaves(reflect.TypeOf(b.Body), "")...)
		rows := b.Rows()
		for _, f := range top {
			if !slices.Contains(rows, f) && !slices.Contains(rows, "*") {
				t.Errorf("%s: field %q is in no row of its table of owners", b.Resource, f)
			}
		}
		for _, r := range rows {
			if r != "*" && !slices.Contains(all, r) {
				t.Errorf("%s: the table of owners names %q, which is no field of the body", b.Resource, r)
			}
		}
	}
	for table := range walkChanges() {
		if !slices.ContainsFunc(api.OwnedBodies(), func(b api.OwnedBody) bool { return b.Resource == table }) {
			t.Errorf("the walk changes %s, which has no table of owners", table)
		}
	}
	for _, b := range api.OwnedBodies() {
		if !slices.ContainsFunc(walks(), func(wk walked) bool { return wk.table == b.Resource }) {
			t.Errorf("%s has a table of owners and no way of writing it in the walk: add one to walks", b.Resource)
		}
	}
}

// walkCallers try each change in this order (the reviewing officer and the advocate, whom no
// writing route of a record admits, among them): every caller who may not make it first, so that
// each refusal meets the record as it was, and the administrator last, whose change may take
// the record out of another's scope (a child to another council).
var walkCallers = []string{"iro", "advocate", "manager", "commissioner", "leedsOfficer", "otherProvider", "provider", "officer", "admin"}

// reach is whether a record is the caller's to change, once the route lets their role in.
type reach int

const (
	theirs    reach = iota
	hidden          // not theirs to see: 404 (or 400 naming council, which tells nothing either)
	notTheirs       // seen, not theirs to change: 403, whichever field it names
)

// walkRecords are the fixture and the records the walk adds to it: a kinship home run by
// Manchester's fostering service (otherProvider) for Amy, with a place; Mia, of Manchester, in
// no sibling group; an empty Manchester group and a Leeds group.
type walkRecords struct {
	f          *fixture
	kin        catalogue.Placement
	kinPlace   catalogue.Vacancy
	mia        catalogue.Child
	group2     catalogue.SiblingGroup
	leedsGroup catalogue.SiblingGroup
}

func newWalk(t *testing.T) *walkRecords {
	t.Helper()
	ctx := context.Background()
	w := &walkRecords{f: sqliteFixture(t)}
	w.f.sampled = map[string]bool{}
	s := w.f.store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	place := w.f.place
	place.Approval.MaxChildren = 12     // room for the places the walk opens
	place.Approval.SiblingGroups = true // beyond three: for brothers and sisters only (Children Act 1989 Schedule 7)
	w.f.place, err = s.UpdatePlacement(ctx, catalogue.Everything, place)
	must(err)
	w.kin, err = s.CreatePlacement(ctx, catalogue.Everything, catalogue.Placement{
		Kind: catalogue.Kinship, Provider: w.f.other.ID, Name: "Nana Jones", Council: manchester, AreaName: "Salford",
		Location: catalogue.Location{Lat: 53.49, Lng: -2.29},
		Approval: catalogue.Approval{MinAge: 0, MaxAge: 17, MaxChildren: 12, Purposes: []catalogue.Purpose{catalogue.PurposeLongTerm},
			From: lawfulFrom, Until: lawfulUntil, Exemption: "MCC exemption 2026/2"},
		Household:  catalogue.Household{Carers: []catalogue.Carer{{FirstName: "Nana"}}},
		WeeklyCost: 250, Active: true, ConnectedTo: []catalogue.ChildID{w.f.amy.ID},
	})
	must(err)
	w.kinPlace, err = s.CreateVacancy(ctx, catalogue.Everything, catalogue.Vacancy{Placement: w.kin.ID, AvailableFrom: w.f.today,
		Status: catalogue.VacancyAvailable})
	must(err)
	w.mia, err = s.CreateChild(ctx, catalogue.Everything, childIn(manchester, "Mia"))
	must(err)
	w.group2, err = s.CreateSiblingGroup(ctx, catalogue.Everything, catalogue.SiblingGroup{Council: manchester, Plan: catalogue.PlanTogether})
	must(err)
	w.leedsGroup, err = s.CreateSiblingGroup(ctx, catalogue.Everything, catalogue.SiblingGroup{Council: leeds, Plan: catalogue.PlanTogether})
	must(err)
	return w
}

// walked is one way of writing one resource.
type walked struct {
	name  string // the subtest's
	table string // the table of owners of its body
	route string // "METHOD /template"
	path  func(w *walkRecords) string
	// base is the body a caller changes one field of: to change a record, the record as read;
	// for a new one, what that caller would send.
	base  func(w *walkRecords, who string) map[string]any
	reach map[string]reach // callers the route lets in whose record this is not
	skip  map[string]string
	// stored is the record after an allowed write, as request fields (nil: read at the
	// Location of the answer, else at path).
	stored func(w *walkRecords, r response, body map[string]any) map[string]any
}

// change is how the walk changes one field.
type change struct {
	to   func(w *walkRecords, body map[string]any) any // the new value, given the body
	with map[string]any                                // fields set with it, where it cannot change alone
	// scoped are the roles for whom the value is outside their scope (another provider, another
	// council), refused as before with 400 naming the field given.
	scoped map[catalogue.Role]string
	// kept is what the store keeps of the value, given the body, where it is not the value
	// itself: people's locations are stored coarse (catalogue.Location.Coarse, issue 23).
	kept func(w *walkRecords, body map[string]any) any
}

// keptHome is what the store keeps of the child's home sent in a body, on one axis.
func keptHome(axis string) func(*walkRecords, map[string]any) any {
	return func(_ *walkRecords, body map[string]any) any {
		h := body["home"].(map[string]any)
		c := catalogue.Location{Lat: h["lat"].(float64), Lng: h["lng"].(float64)}.Coarse()
		if axis == "lat" {
			return c.Lat
		}
		return c.Lng
	}
}

func is(v any) func(*walkRecords, map[string]any) any {
	return func(*walkRecords, map[string]any) any { return v }
}

// walkChanges is, for each table's body, how the walk changes each field. Every field a caller
// may write needs one: a field added to a body fails the walk until it is decided here.
func walkChanges() map[string]map[string]change {
	otherProvider := func(w *walkRecords, b map[string]any) any {
		if fmt.Sprint(b["provider"]) == w.f.provider.ID.String() {
			return int64(w.f.other.ID)
		}
		return int64(w.f.provider.ID)
	}
	otherCouncil := func(_ *walkRecords, b map[string]any) any {
		if b["council"] == string(manchester) {
			return string(leeds)
		}
		return string(manchester)
	}
	location := map[string]any{"lat": 53.5, "lng": -2.3}
	c := catalogue.Location{Lat: 53.5, Lng: -2.3}.Coarse() // as a person's location is kept
	coarse := map[string]any{"lat": c.Lat, "lng": c.Lng}
	return map[string]map[string]change{
		"placement": {
			"kind":                            {to: is("council_foster")},
			"provider":                        {to: otherProvider, scoped: map[catalogue.Role]string{catalogue.RoleProvider: "provider", catalogue.RoleOfficer: "provider"}},
			"name":                            {to: is("Renamed household")},
			"urn":                             {to: is("SC654321")},
			"council":                         {to: otherCouncil},
			"area_name":                       {to: is("Stockport")},
			"location.lat":                    {to: is(53.46)},
			"location.lng":                    {to: is(-2.21)},
			"approval.min_age":                {to: is(1)},
			"approval.max_age":                {to: is(16)},
			"approval.sexes":                  {to: is([]any{"female"})},
			"approval.max_children":           {to: is(5)},
			"approval.purposes":               {to: is([]any{"long_term", "short_term"})},
			"approval.sibling_groups":         {to: is(false), with: map[string]any{"approval.max_children": 3}},
			"approval.from":                   {to: is("2026-01-05")},
			"approval.until":                  {to: is("2027-01-05")},
			"approval.exemption":              {to: is("MCC exemption 2026/9")},
			"registration":                    {to: is("registered")},
			"temporary_approval":              {to: is(map[string]any{"from": "2026-10-01", "extended": true})},
			"household.carers":                {to: is([]any{map[string]any{"first_name": "Grace"}, map[string]any{"first_name": "Sam"}})},
			"household.members":               {to: is([]any{map[string]any{"first_name": "Tom", "age": 20, "sex": "male", "role": "carers_child"}})},
			"household.pets":                  {to: is([]any{"dog"})},
			"household.smoking":               {to: is(true)},
			"household.wheelchair_accessible": {to: is(true)},
			"skills":                          {to: is([]any{"trauma_informed", "autism"})},
			"languages":                       {to: is([]any{"en", "pl"})},
			"religion":                        {to: is("christian")},
			"ethnicity":                       {to: is("black")},
			"experience":                      {to: is(12)},
			"stability.ended_planned":         {to: is(9)},
			"stability.ended_unplanned":       {to: is(2)},
			"ofsted":                          {to: is("good")},
			"staying_put":                     {to: is(true)},
			"long_term":                       {to: is(true)},
			"weekly_cost":                     {to: is(900)},
			"profile":                         {to: is("We have a garden and a trampoline.")},
			"active":                          {to: is(false)},
			"dol_conditions":                  {to: is(true)},
			"connected_to":                    {to: func(w *walkRecords, _ map[string]any) any { return []any{int64(w.f.amy.ID), int64(w.mia.ID)} }},
		},
		"vacancy": {
			"available_from": {to: is("2026-12-05")},
			"status":         {to: is("withdrawn")},
			// A place is held for a child, or filled: providers and officers may hold none, and
			// the rule on status they may set answers first, as it did before.
			"child": {to: func(w *walkRecords, _ map[string]any) any { return int64(w.f.amy.ID) }, with: map[string]any{"status": "held"},
				scoped: map[catalogue.Role]string{catalogue.RoleProvider: "status", catalogue.RoleOfficer: "status"}},
		},
		"child": {
			"council": {to: otherCouncil, scoped: map[catalogue.Role]string{catalogue.RoleOfficer: "council"}},
			"case_ref": {to: func(*walkRecords, map[string]any) any { // unique in the council
				return fmt.Sprintf("MAN-%d", caseRefs.Add(1))
			}},
			"first_name":      {to: is("Mia-Rose")},
			"date_of_birth":   {to: is("2012-01-02")},
			"sex":             {to: is("male")},
			"ethnicity":       {to: is("WIRI")},
			"religion":        {to: is("christian")},
			"first_language":  {to: is("pl")},
			"communication":   {to: is([]any{"bsl"})},
			"legal_status":    {to: is("section_20")},
			"needs":           {to: is([]any{map[string]any{"kind": "autism", "level": 2}})},
			"risks_to_others": {to: is([]any{"fire_setting"})},
			"care_type":       {to: is("either")},
			"purpose":         {to: is("short_term")},
			"needed_by":       {to: is("2026-12-20")},
			"home.lat":        {to: is(53.5), kept: keptHome("lat")},
			"home.lng":        {to: is(-2.3), kept: keptHome("lng")},
			"school":          {to: is(map[string]any{"name": "Hillside High", "location": location, "keep_planned": false})},
			"contacts": {to: is([]any{map[string]any{"relationship": "grandparent", "location": location, "frequency": "monthly", "type": "direct", "must_not_know": false}}),
				kept: is([]any{map[string]any{"relationship": "grandparent", "location": coarse, "frequency": "monthly", "type": "direct", "must_not_know": false}})},
			"kin_not_first_reason": {to: is("Her aunt asked for a month to think it over.")},
			"parents_considered": {to: is(map[string]any{"on": "2026-11-20", "why": "not_reasonably_practicable",
				"reason": "Her father is in hospital for some months."})},
			"exclusion_zones":        {to: is([]any{map[string]any{"shape": "circle", "reason": "hotspot", "centre": location, "radius_km": 1}})},
			"living_companions":      {to: is("only_older")},
			"pets":                   {to: is("cannot")},
			"allergies":              {to: is([]any{"dog"})},
			"respiratory":            {to: is(true)},
			"wheelchair":             {to: is(true)},
			"wishes.priorities":      {to: is([]any{"have_pet"})},
			"wishes.in_own_words":    {to: is("I would like a dog.")},
			"status":                 {to: is("closed")},
			"sdq_band":               {to: is("very_high")},
			"camhs":                  {to: is(true), with: map[string]any{"needs": []any{map[string]any{"kind": "mental_health", "level": 2}}}},
			"deprivation_of_liberty": {to: is(true)},
			"confidential":           {to: is(true)},
			"sibling_group": {to: func(w *walkRecords, b map[string]any) any {
				if b["council"] == string(leeds) {
					return int64(w.leedsGroup.ID)
				}
				return int64(w.group2.ID)
			}},
		},
		"sibling group": {
			"council": {to: otherCouncil, scoped: map[catalogue.Role]string{catalogue.RoleOfficer: "council"}},
			"plan":    {to: is("together_if_possible")},
			"reason":  {to: is("They asked to live together.")},
		},
		"provider": {
			"name":    {to: is("Riverside Agency")},
			"kind":    {to: is("private")},
			"urn":     {to: is("SC999999")},
			"council": {to: is(string(manchester)), with: map[string]any{"kind": "council"}},
		},
		"policy": {
			"council":                {to: is(string(manchester))},
			"weights":                {to: is(map[string]any{"school": 20})},
			"cost_cap":               {to: is(0.08)},
			"cost_margin":            {to: is(0.05)},
			"max_distance_km":        {to: is(60)},
			"wish_boost":             {to: is(1.2)},
			"max_boost":              {to: is(1.8)},
			"zone_buffer_km":         {to: is(2)},
			"cost_low":               {to: is(400)},
			"cost_high":              {to: is(9000)},
			"hold_hours":             {to: is(48)},
			"child_link_min_age":     {to: is(10)},
			"child_languages":        {to: is([]any{"en", "en-easy"})},
			"child_language_default": {to: is("en-easy")},
			"settling_weeks":         {to: is(6)},
			"sign_off_weekly_cost":   {to: is(8000)},
			"working_day_start":      {to: is("08:30")},
			"working_day_end":        {to: is("17:30")},
			"note":                   {to: is("another note")},
		},
		"sharing agreement": {
			"name":    {to: is("Walk pool")},
			"kind":    {to: is("council_to_council")},
			"members": {to: is([]any{string(leeds), string(manchester)})},
			"one_way": {to: is(true), with: map[string]any{"kind": "council_to_council"}},
			"from":    {to: is("2025-01-01")},
			"to":      {to: is("2031-12-31")},
			"note":    {to: is("another note")},
		},
		"framework price": {
			"council": {to: func(w *walkRecords, body map[string]any) any {
				body["version"] = priceVersion(w, string(manchester), body["kind"])
				return string(manchester)
			}},
			"kind": {to: func(w *walkRecords, body map[string]any) any {
				body["version"] = priceVersion(w, body["council"], "childrens_home")
				return "childrens_home"
			}},
			"weekly_price": {to: is(950)},
			"note":         {to: is("another note")},
		},
		"token": {
			"label":      {to: is("walk")},
			"role":       {to: is("admin")},
			"council":    {to: is(string(manchester))},
			"region":     {to: is("E12000002")},
			"provider":   {to: func(w *walkRecords, _ map[string]any) any { return int64(w.f.provider.ID) }, with: map[string]any{"role": "provider"}},
			"expires_in": {to: is("720h")},
			"level":      {to: is("director"), with: map[string]any{"role": "manager", "council": string(manchester)}},
		},
	}
}

// caseRefs numbers the case references the walk gives children.
var caseRefs atomic.Int64

// walks are the ways each resource is written.
func walks() []walked {
	read := func(path func(w *walkRecords) string, drop ...string) func(w *walkRecords, who string) map[string]any {
		return func(w *walkRecords, _ string) map[string]any {
			b := w.f.read(path(w))
			for _, k := range drop {
				delete(b, k)
			}
			return b
		}
	}
	place := func(w *walkRecords) string { return "/v1/placements/" + w.f.place.ID.String() }
	kin := func(w *walkRecords) string { return "/v1/placements/" + w.kin.ID.String() }
	fresh := []string{"id", "version", "vacancies", "created_at", "updated_at"}
	newHome := func(w *walkRecords, who string) map[string]any {
		b := read(place, fresh...)(w, who)
		if who == "otherProvider" {
			b["provider"] = int64(w.f.other.ID)
		}
		return b
	}
	noRegistration := "a family home has none: a home's registration is walked in TestRegistrationIsTheAdministrators"
	noOutcome := "a family home has none: supported accommodation's outcome is walked in TestSupportedOutcomeIsTheAdministrators"
	notKinship := map[string]string{"connected_to": "not a kinship home: walked on the kinship homes",
		"temporary_approval": "not a kinship home: walked on the kinship homes", "registration": noRegistration, "ofsted_outcome": noOutcome}
	kinshipKind := map[string]string{"kind": "a kinship home's kind changes only with its connected children: TestKinshipIsTheCouncils",
		"registration": noRegistration, "ofsted_outcome": noOutcome}
	children := func(who string) catalogue.CouncilCode {
		if who == "leedsOfficer" {
			return leeds
		}
		return manchester
	}
	return []walked{
		{name: "placement", table: "placement", route: "PUT /v1/placements/:id", path: place, base: read(place), skip: notKinship,
			reach: map[string]reach{"otherProvider": hidden, "officer": notTheirs, "leedsOfficer": notTheirs}},
		{name: "kinship home", table: "placement", route: "PUT /v1/placements/:id", path: kin, base: read(kin), skip: kinshipKind,
			reach: map[string]reach{"provider": hidden, "leedsOfficer": notTheirs}},
		{name: "new home", table: "placement", route: "POST /v1/placements", path: func(*walkRecords) string { return "/v1/placements" },
			base: newHome, skip: notKinship, reach: map[string]reach{"officer": notTheirs, "leedsOfficer": notTheirs}},
		{name: "new kinship home", table: "placement", route: "POST /v1/placements", path: func(*walkRecords) string { return "/v1/placements" },
			base: read(kin, fresh...), skip: kinshipKind,
			reach: map[string]reach{"provider": notTheirs, "otherProvider": notTheirs, "leedsOfficer": notTheirs}},

		{name: "place", table: "vacancy", route: "PUT /v1/vacancies/:id", path: func(w *walkRecords) string { return "/v1/vacancies/" + w.f.vacancy.ID.String() },
			base:  read(func(w *walkRecords) string { return "/v1/vacancies/" + w.f.vacancy.ID.String() }),
			reach: map[string]reach{"otherProvider": hidden, "officer": notTheirs, "leedsOfficer": notTheirs}},
		{name: "kinship place", table: "vacancy", route: "PUT /v1/vacancies/:id", path: func(w *walkRecords) string { return "/v1/vacancies/" + w.kinPlace.ID.String() },
			base:  read(func(w *walkRecords) string { return "/v1/vacancies/" + w.kinPlace.ID.String() }),
			reach: map[string]reach{"provider": hidden, "leedsOfficer": notTheirs}},
		{name: "new place", table: "vacancy", route: "POST /v1/placements/:id/vacancies", path: func(w *walkRecords) string { return place(w) + "/vacancies" },
			base:  func(*walkRecords, string) map[string]any { return map[string]any{"available_from": "2026-12-01"} },
			reach: map[string]reach{"otherProvider": hidden, "officer": notTheirs, "leedsOfficer": notTheirs}},
		{name: "new kinship place", table: "vacancy", route: "POST /v1/placements/:id/vacancies", path: func(w *walkRecords) string { return kin(w) + "/vacancies" },
			base:  func(*walkRecords, string) map[string]any { return map[string]any{"available_from": "2026-12-01"} },
			reach: map[string]reach{"provider": hidden, "leedsOfficer": notTheirs}},

		{name: "child", table: "child", route: "PUT /v1/children/:id", path: func(w *walkRecords) string { return "/v1/children/" + w.mia.ID.String() },
			base:  read(func(w *walkRecords) string { return "/v1/children/" + w.mia.ID.String() }),
			reach: map[string]reach{"leedsOfficer": hidden}},
		{name: "new child", table: "child", route: "POST /v1/children", path: func(*walkRecords) string { return "/v1/children" },
			base: func(w *walkRecords, who string) map[string]any {
				b := toJSON(w.f.t.(*testing.T), childIn(children(who), "Zoe"))
				delete(b, "id")
				return b
			}},
		{name: "sibling group", table: "sibling group", route: "PUT /v1/sibling-groups/:id",
			path:  func(w *walkRecords) string { return "/v1/sibling-groups/" + w.group2.ID.String() },
			base:  read(func(w *walkRecords) string { return "/v1/sibling-groups/" + w.group2.ID.String() }),
			reach: map[string]reach{"leedsOfficer": hidden}},
		{name: "new sibling group", table: "sibling group", route: "POST /v1/sibling-groups", path: func(*walkRecords) string { return "/v1/sibling-groups" },
			base: func(_ *walkRecords, who string) map[string]any {
				return map[string]any{"council": string(children(who)), "plan": "together"}
			}},

		{name: "new provider", table: "provider", route: "POST /v1/providers", path: func(*walkRecords) string { return "/v1/providers" },
			base: func(*walkRecords, string) map[string]any {
				return map[string]any{"name": "Walk Agency", "kind": "agency"}
			}},
		{name: "policy", table: "policy", route: "PUT /v1/policy", path: func(*walkRecords) string { return "/v1/policy" },
			// The version read: the national one, which Manchester (the council the walk of
			// council names) follows until that walk saves one of its own.
			base: func(w *walkRecords, _ string) map[string]any {
				return map[string]any{"note": "the walk", "version": w.f.read("/v1/policy")["version"]}
			},
			stored: func(w *walkRecords, _ response, body map[string]any) map[string]any {
				if council, _ := body["council"].(string); council != "" {
					return w.f.read("/v1/policy?council=" + council)
				}
				return w.f.read("/v1/policy")
			}},
		{name: "new sharing agreement", table: "sharing agreement", route: "POST /v1/sharing-agreements", path: func(*walkRecords) string { return "/v1/sharing-agreements" },
			base: func(*walkRecords, string) map[string]any {
				return map[string]any{"name": "Walk", "kind": "regional_pool", "members": []any{string(manchester), string(leeds)},
					"kinds": []any{"council_foster"}, "from": "2026-01-01"}
			},
			skip: map[string]string{"kinds": "council_foster is the only kind of care shared: there is no other value to set"},
			stored: func(w *walkRecords, r response, _ map[string]any) map[string]any {
				var m map[string]any
				if err := json.Unmarshal(r.body, &m); err != nil {
					w.f.t.Fatal(err)
				}
				return m
			}},
		{name: "framework price", table: "framework price", route: "PUT /v1/framework-prices", path: func(*walkRecords) string { return "/v1/framework-prices" },
			base: func(w *walkRecords, _ string) map[string]any {
				return map[string]any{"council": string(leeds), "kind": "agency_foster", "weekly_price": 900, "note": "the walk",
					"version": priceVersion(w, string(leeds), "agency_foster")}
			},
			stored: func(w *walkRecords, r response, _ map[string]any) map[string]any {
				var m map[string]any
				if err := json.Unmarshal(r.body, &m); err != nil {
					w.f.t.Fatal(err)
				}
				return m
			}},
		{name: "new token", table: "token", route: "POST /v1/tokens", path: func(*walkRecords) string { return "/v1/tokens" },
			base: func(*walkRecords, string) map[string]any { return map[string]any{"role": "commissioner"} },
			stored: func(w *walkRecords, r response, body map[string]any) map[string]any {
				var m map[string]any
				if err := json.Unmarshal(r.body, &m); err != nil {
					w.f.t.Fatal(err)
				}
				if m["expires_at"] != nil { // shown as the time it ends
					m["expires_in"] = body["expires_in"]
				}
				return m
			}},
	}
}

// TestFieldOwnershipWalk walks every writable field of every resource (found by reflection in
// its request body, as the OpenAPI description is) with every caller: an administrator; an
// officer of the record's council and one of another; the provider running the home and
// another; a commissioner. One field changes at a time. Where the table of owners lets the
// caller set it, the change is stored (2xx); where it does not, it is refused with 403 problem
// naming the field and nothing changes; a record outside the caller's reach is 404 (unseen) or
// 403 (not theirs), a role the route does not admit 403, and a value outside the caller's scope
// (another council, another provider) 400 as before, each with nothing changed. Each way of
// writing walks its fields on one fixture, put back as it was after each field.
func TestFieldOwnershipWalk(t *testing.T) {
	t.Parallel()
	tables := map[string]api.OwnedBody{}
	for _, b := range api.OwnedBodies() {
		tables[b.Resource] = b
	}
	changes := walkChanges()
	for _, wk := range walks() {
		table := tables[wk.table]
		var fields []string
		for _, leaf := range leaves(reflect.TypeOf(table.Body), "") {
			if table.ReadOnly(leaf) || wk.skip[leaf] != "" {
				continue
			}
			if _, ok := changes[wk.table][leaf]; !ok {
				t.Errorf("%s: the walk does not know how to change %s: add it to walkChanges", wk.table, leaf)
				continue
			}
			fields = append(fields, leaf)
		}
		t.Run(strings.ReplaceAll(wk.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			w := newWalk(t)
			method, _, _ := strings.Cut(wk.route, " ")
			var initial map[string]any
			if method == "PUT" && wk.table != "policy" && wk.table != "framework price" {
				initial = w.f.read(wk.path(w))
			}
			for _, leaf := range fields {
				w.walkField(t, wk, table, leaf, changes[wk.table][leaf])
				if initial != nil {
					w.restore(t, wk, initial)
				}
			}
		})
	}
}

// walkField changes one field with every caller in turn, by token or, for every other field,
// as the same caller signed in to the workspace.
func (w *walkRecords) walkField(t *testing.T, wk walked, table api.OwnedBody, leaf string, ch change) {
	t.Helper()
	var roles []catalogue.Role
	for _, rt := range api.Routes() {
		if rt.Method+" "+rt.Path == wk.route {
			roles = rt.Roles
		}
	}
	method, _, _ := strings.Cut(wk.route, " ")
	original := get(wk.base(w, "admin"), leaf)
	var before map[string]any // the last snapshot, while nothing has changed since
	for _, who := range walkCallers {
		body := wk.base(w, who)
		want := ch.to(w, body)
		if same(want, get(body, leaf)) { // changed already: change it back
			want = original
		}
		set(body, leaf, want)
		for k, v := range ch.with {
			set(body, k, v)
		}
		if before == nil {
			before = w.snapshot(wk, method)
		}
		// Every other field is changed by the caller signed in as a person (a workspace
		// session and its CSRF token) rather than with their token: both must be answered alike.
		caller := who
		if len(leaf)%2 == 1 {
			caller = "~" + who
		}
		r := w.f.do(caller, method, wk.path(w), body)
		role := roleOf[who]
		unchanged := func(status int, field string) bool {
			t.Helper()
			if r.status != status {
				t.Errorf("%s %s as %s: %d, want %d: %s", wk.route, leaf, who, r.status, status, r.body)
				return false
			}
			if field != "" && !names(r.problem(t), field) {
				t.Errorf("%s %s as %s: %d does not name %s: %s", wk.route, leaf, who, r.status, field, r.body)
			}
			if after := w.snapshot(wk, method); !reflect.DeepEqual(before, after) {
				t.Errorf("%s %s as %s: refused (%d), and the record changed", wk.route, leaf, who, r.status)
				return false
			}
			return true
		}
		ok := true
		switch {
		case !slices.Contains(roles, role):
			ok = unchanged(403, "")
		case ch.scoped[role] != "" && r.status == 400:
			// A value the role may set on no record is refused before the record is looked
			// at: that tells nothing of it.
			ok = unchanged(400, ch.scoped[role])
		case wk.reach[who] == hidden && r.status == 400:
			// Naming their own council's record's council, an officer is refused before the
			// record is looked for: it tells nothing of it either.
			ok = unchanged(400, "council")
		case wk.reach[who] == hidden:
			ok = unchanged(404, "")
		case wk.reach[who] == notTheirs:
			ok = unchanged(403, "")
		case ch.scoped[role] != "":
			ok = unchanged(400, ch.scoped[role])
		case table.MaySet(leaf, role, want):
			before = nil
			if r.status/100 != 2 {
				t.Errorf("%s %s as %s (theirs to set): %d: %s", wk.route, leaf, who, r.status, r.body)
				return
			}
			if ch.kept != nil {
				want = ch.kept(w, body)
			}
			if got := get(w.stored(wk, r, body), leaf); !same(got, want) {
				t.Errorf("%s %s as %s: stored %v, want %v", wk.route, leaf, who, got, want)
			}
		default:
			ok = unchanged(403, leaf)
		}
		if !ok {
			return // the rest of this field's walk would only repeat it
		}
	}
}

// restore puts the record back as it was before a field's walk, as an administrator.
func (w *walkRecords) restore(t *testing.T, wk walked, initial map[string]any) {
	t.Helper()
	cur := w.f.read(wk.path(w))
	body := maps.Clone(initial)
	for _, k := range []string{"version", "updated_at"} {
		body[k] = cur[k]
	}
	if reflect.DeepEqual(cur, body) {
		return
	}
	if r := w.f.do("admin", "PUT", wk.path(w), body); r.status != 200 {
		t.Fatalf("putting %s back: %d %s", wk.path(w), r.status, r.body)
	}
}

// stored is the record after an allowed write, as request fields.
func (w *walkRecords) stored(wk walked, r response, body map[string]any) map[string]any {
	switch {
	case wk.stored != nil:
		return wk.stored(w, r, body)
	case r.header.Get("Location") != "":
		return w.f.read(r.header.Get("Location"))
	}
	return w.f.read(wk.path(w))
}

// snapshot is what a refused write must leave as it was: for a change the record itself, for
// the policy the policies in force, for a new record the sizes of the catalogue.
func (w *walkRecords) snapshot(wk walked, method string) map[string]any {
	switch {
	case wk.table == "policy":
		return map[string]any{"policy": w.f.read("/v1/policy"), "manchester": w.f.read("/v1/policy?council=" + string(manchester))}
	case method == "PUT":
		return w.f.read(wk.path(w))
	}
	ctx := context.Background()
	counts, err := w.f.store.Counts(ctx)
	if err != nil {
		w.f.t.Fatal(err)
	}
	places, err := w.f.store.ListVacancies(ctx, catalogue.Everything, catalogue.VacancyFilter{Limit: catalogue.MaxLimit})
	if err != nil {
		w.f.t.Fatal(err)
	}
	return map[string]any{"counts": counts, "places": len(places.Items)}
}

// names reports whether the problem names the field, a field inside it, or the object it is in.
func names(p api.Problem, field string) bool {
	for _, e := range p.Errors {
		if e.Field == field || strings.HasPrefix(field, e.Field+".") ||
			strings.HasPrefix(e.Field, field+".") || strings.HasPrefix(e.Field, field+"[") {
			return true
		}
	}
	return false
}

// jsonFields are the JSON names of a struct type's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// leaves are the JSON paths of a body's fields, going into nested objects (not into lists, or
// objects that may be left out, which change as a whole).
func leaves(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath() {
			out = append(out, leaves(f.Type, name)...)
			continue
		}
		out = append(out, name)
	}
	return out
}

func get(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

func set(m map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		o, ok := m[k].(map[string]any)
		if !ok {
			o = map[string]any{}
			m[k] = o
		}
		m = o
	}
	m[keys[len(keys)-1]] = v
}

// same reports whether a and b are the same in JSON, a value left out being its zero (as a
// field with omitempty is), and a map the same when every key of b's is in a's with its value
// (a policy's weights are stored whole, changed by name).
func same(a, b any) bool {
	norm := func(v any) any {
		buf, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		var out any
		if err := json.Unmarshal(buf, &out); err != nil {
			panic(err)
		}
		switch x := out.(type) {
		case bool:
			if !x {
				return nil
			}
		case float64:
			if x == 0 {
				return nil
			}
		case string:
			if x == "" {
				return nil
			}
		case []any:
			if len(x) == 0 {
				return nil
			}
		case map[string]any:
			if len(x) == 0 {
				return nil
			}
		}
		return out
	}
	na, nb := norm(a), norm(b)
	if ma, ok := na.(map[string]any); ok {
		if mb, ok := nb.(map[string]any); ok && len(mb) < len(ma) {
			for k, v := range mb {
				if !same(ma[k], v) {
					return false
				}
			}
			return true
		}
	}
	return reflect.DeepEqual(na, nb)
}

// homeBody is a home as the caller reads it, ready to send back (but its places, which
// TestSendBackWhatYouRead sends back).
func (f *fixture) homeBody(who string, id catalogue.PlacementID) map[string]any {
	f.t.Helper()
	r := f.do(who, "GET", "/v1/placements/"+id.String(), nil)
	var b map[string]any
	if err := json.Unmarshal(r.body, &b); err != nil || r.status != 200 {
		f.t.Fatalf("read placement %d as %s: %d %s", id, who, r.status, r.body)
	}
	delete(b, "vacancies")
	return b
}

// refused checks a write was refused with status, naming every field given, and that the
// record at path is as it was.
func (f *fixture) refused(r response, status int, path string, before map[string]any, fields ...string) {
	f.t.Helper()
	t := f.t.(*testing.T)
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	p := r.problem(t)
	for _, field := range fields {
		if !names(p, field) {
			t.Errorf("%d does not name %s: %s", r.status, field, r.body)
		}
	}
	if before != nil && !reflect.DeepEqual(f.read(path), before) {
		t.Errorf("refused (%d), and %s changed", r.status, path)
	}
}

// TestProviderCannotAssertWhatIsNotTheirs: a provider may keep its home's description, capacity
// and profile current, and may not lift "inadequate, never offered", claim a track record or a
// registration, or make its home a kinship home connected to a child (issue 14).
func TestProviderCannotAssertWhatIsNotTheirs(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	home := f.place
	home.Ofsted = catalogue.OfstedInadequate
	home, err := f.store.UpdatePlacement(ctx, catalogue.Everything, home)
	if err != nil {
		t.Fatal(err)
	}
	path := "/v1/placements/" + home.ID.String()
	before := f.read(path)

	for _, tc := range []struct {
		field string
		to    any
	}{
		{"ofsted", "outstanding"},
		{"urn", "SC123456"},
		{"experience", 40},
		{"stability.ended_planned", 60},
		{"stability.ended_unplanned", 0}, // unchanged: sent as it was
	} {
		b := f.homeBody("provider", home.ID)
		set(b, tc.field, tc.to)
		r := f.do("provider", "PUT", path, b)
		if tc.field == "stability.ended_unplanned" {
			f.want(r, 200) // the value it already has is no change
			before = f.read(path)
			continue
		}
		f.refused(r, 403, path, before, tc.field)
	}
	// A kinship home connected to a child of any council: refused, both fields named.
	b := f.homeBody("provider", home.ID)
	b["kind"], b["connected_to"] = "kinship", []int64{int64(f.leo.ID)}
	f.refused(f.do("provider", "PUT", path, b), 403, path, before, "kind", "connected_to")
	// Nor on a new home.
	b = f.homeBody("provider", home.ID)
	for _, k := range []string{"id", "version", "vacancies", "created_at", "updated_at"} {
		delete(b, k)
	}
	b["ofsted"] = "good"
	counts, _ := f.store.Counts(ctx)
	f.refused(f.do("provider", "POST", "/v1/placements", b), 403, "", nil, "ofsted")
	b["ofsted"], b["kind"], b["connected_to"] = "", "kinship", []int64{int64(f.amy.ID)}
	f.refused(f.do("provider", "POST", "/v1/placements", b), 403, "", nil, "kind", "connected_to")
	if after, _ := f.store.Counts(ctx); after.Placements != counts.Placements {
		t.Errorf("refused creations wrote %d placements", after.Placements-counts.Placements)
	}

	// What is theirs they change, sending the rest back as read.
	b = f.homeBody("provider", home.ID)
	set(b, "approval.max_children", 3)
	b["profile"] = "We have a garden."
	f.want(f.do("provider", "PUT", path, b), 200)
	got := f.read(path)
	if get(got, "approval.max_children") != 3.0 || got["profile"] != "We have a garden." || got["ofsted"] != "inadequate" {
		t.Errorf("after the provider's own change: %v", got)
	}
	// The administrator sets the regulator's grade.
	b = f.homeBody("admin", home.ID)
	b["ofsted"] = "requires_improvement"
	f.want(f.do("admin", "PUT", path, b), 200)
}

// kinshipBody is a kinship home, run by Manchester's fostering service, for the children.
func (f *fixture) kinshipBody(children ...catalogue.ChildID) map[string]any {
	return map[string]any{
		"kind": "kinship", "provider": int64(f.other.ID), "name": "Nana Jones", "council": string(manchester),
		"area_name": "Salford", "location": map[string]any{"lat": 53.49, "lng": -2.29},
		"approval":    map[string]any{"min_age": 0, "max_age": 17, "max_children": 2, "purposes": []string{"long_term"}},
		"household":   map[string]any{"carers": []any{map[string]any{"first_name": "Nana"}}},
		"weekly_cost": 250, "connected_to": children,
		// A connected person's temporary approval, given on the fixture's day (regulation 24).
		"temporary_approval": map[string]any{"from": "2026-11-22"},
	}
}

// TestKinshipIsTheCouncils: a kinship home and the children it is connected to are recorded by
// the children's council. An officer creates and changes kinship homes for their council's
// children, and opens their places; not a home connected to another council's child (403,
// the same answer as for a child that does not exist, so it tells nothing), not another kind,
// not the regulator's or the track record's fields; a provider may not connect a home to a
// child (issue 14).
func TestKinshipIsTheCouncils(t *testing.T) {
	t.Parallel()
	onBothStores(t, kinshipIsTheCouncils)
}

// onBothStores runs check on the API over the embedded store and over PostgreSQL.
func onBothStores(t *testing.T, check func(t *testing.T, f *fixture)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		check(t, sqliteFixture(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		check(t, newFixture(t, sqltest.Postgres(t)))
	})
}

func kinshipIsTheCouncils(t *testing.T, f *fixture) {
	r := f.do("officer", "POST", "/v1/placements", f.kinshipBody(f.amy.ID))
	f.want(r, 201)
	var home struct {
		ID int64 `json:"id"`
	}
	r.json(t, &home)
	path := "/v1/placements/" + catalogue.PlacementID(home.ID).String()
	b := f.read(path)
	b["weekly_cost"] = 300
	f.want(f.do("officer", "PUT", path, b), 200)
	r = f.do("officer", "POST", path+"/vacancies", map[string]any{"available_from": "2026-12-01"})
	f.want(r, 201)
	var place struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	r.json(t, &place)
	f.want(f.do("officer", "PUT", "/v1/vacancies/"+catalogue.VacancyID(place.ID).String(),
		map[string]any{"available_from": "2026-12-01", "status": "withdrawn", "version": place.Version}), 200)
	before := f.read(path)

	// Not another council's: the home, or the children named.
	b = f.read(path)
	b["weekly_cost"] = 1
	f.refused(f.do("leedsOfficer", "PUT", path, b), 403, path, before, "connected_to[0]")
	leo := f.do("officer", "POST", "/v1/placements", f.kinshipBody(f.leo.ID))
	nobody := f.do("officer", "POST", "/v1/placements", f.kinshipBody(catalogue.ChildID(987654)))
	f.refused(leo, 403, path, before, "connected_to[0]")
	if string(leo.body) != string(nobody.body) {
		t.Errorf("another council's child and no child answer differently:\n%s\n%s", leo.body, nobody.body)
	}
	b = f.read(path)
	b["connected_to"] = []int64{int64(f.amy.ID), int64(f.leo.ID)}
	f.refused(f.do("officer", "PUT", path, b), 403, path, before, "connected_to[1]")
	// Not another kind, nor an agency's home.
	b = f.read(path)
	b["kind"], b["connected_to"], b["temporary_approval"] = "council_foster", nil, nil
	b["approval"].(map[string]any)["from"], b["approval"].(map[string]any)["until"] = "2026-01-01", "2027-01-01"
	f.refused(f.do("officer", "PUT", path, b), 403, path, before, "kind")
	agency := f.read("/v1/placements/" + f.place.ID.String())
	agency["weekly_cost"] = 1
	f.refused(f.do("officer", "PUT", "/v1/placements/"+f.place.ID.String(), agency), 403, "", nil, "kind")
	// Not the regulator's or the track record's fields.
	b = f.read(path)
	b["experience"], b["ofsted"] = 20, "outstanding"
	f.refused(f.do("officer", "PUT", path, b), 403, path, before, "experience", "ofsted")
	// The carers are approved by the council's own fostering service, not an agency.
	k := f.kinshipBody(f.amy.ID)
	k["provider"] = int64(f.provider.ID)
	f.refused(f.do("officer", "POST", "/v1/placements", k), 400, "", nil, "provider")

	// The fostering service that runs it keeps its description, not its children.
	b = f.read(path)
	b["connected_to"] = []int64{int64(f.amy.ID), int64(f.leo.ID)}
	f.refused(f.do("otherProvider", "PUT", path, b), 403, path, before, "connected_to")
	b = f.read(path)
	b["profile"] = "Nana's house has a garden."
	f.want(f.do("otherProvider", "PUT", path, b), 200)
	// An administrator may do anything, as an import does.
	b = f.read(path)
	b["connected_to"], b["experience"] = []int64{int64(f.amy.ID), int64(f.leo.ID)}, 3
	f.want(f.do("admin", "PUT", path, b), 200)
}

// TestPlaceShowsOnlyFilledToOthers: a place filled for a child says whose it is only to an
// administrator and the child's council; another council's officer and the home's provider see
// "filled", in every read and export of places; and a provider may not release it (issue 14).
func TestPlaceShowsOnlyFilledToOthers(t *testing.T) {
	t.Parallel()
	onBothStores(t, placeShowsOnlyFilledToOthers)
}

func placeShowsOnlyFilledToOthers(t *testing.T, f *fixture) {
	v := f.vacancy
	v.Status, v.Child = catalogue.VacancyFilled, f.amy.ID
	v, err := f.store.UpdateVacancy(context.Background(), catalogue.Everything, v)
	if err != nil {
		t.Fatal(err)
	}
	amy := regexp.MustCompile(fmt.Sprintf(`"child": ?%d\b|filled:%d\b`, f.amy.ID, f.amy.ID))
	vpath := "/v1/vacancies/" + v.ID.String()
	for who, sees := range map[string]bool{"admin": true, "officer": true, "leedsOfficer": false, "provider": false} {
		for _, p := range []string{vpath, "/v1/placements/" + f.place.ID.String(), "/v1/placements/" + f.place.ID.String() + "/vacancies",
			"/v1/placements", "/v1/export/placements?format=json", "/v1/export/placements?format=csv"} {
			if strings.HasPrefix(p, "/v1/export/") && who == "provider" {
				continue // exports are caseworkers'
			}
			r := f.do(who, "GET", p, nil)
			f.want(r, 200)
			body := string(r.body)
			if !strings.Contains(body, "filled") {
				t.Errorf("%s as %s: the place is not shown filled: %s", p, who, body)
			}
			shown := amy.MatchString(body)
			if shown != sees {
				t.Errorf("%s as %s: Amy's ID shown %v, want %v: %s", p, who, shown, sees, body)
			}
		}
	}
	// The provider may not release the place the child lives in: that is the offer's.
	before := f.read(vpath)
	r := f.do("provider", "PUT", vpath, map[string]any{"available_from": "2026-11-22", "status": "available", "version": v.Version})
	f.refused(r, 403, vpath, before, "child")
}

// TestSendBackWhatYouRead: a client that reads a record and sends the whole of it back, places
// and fields it may not set included, changes nothing it may not and is not refused.
func TestSendBackWhatYouRead(t *testing.T) {
	t.Parallel()
	f := sqliteFixture(t)
	ctx := context.Background()
	other := catalogue.Vacancy{Placement: f.place.ID, AvailableFrom: f.today, Status: catalogue.VacancyFilled, Child: f.amy.ID}
	if _, err := f.store.CreateVacancy(ctx, catalogue.Everything, other); err != nil {
		t.Fatal(err)
	}
	home := f.place
	home.Ofsted, home.Experience, home.URN = catalogue.OfstedGood, 8, "SC000042"
	if _, err := f.store.UpdatePlacement(ctx, catalogue.Everything, home); err != nil {
		t.Fatal(err)
	}
	r := f.do("officer", "POST", "/v1/placements", f.kinshipBody(f.amy.ID))
	f.want(r, 201)
	kin := r.header.Get("Location")
	for _, tc := range []struct{ who, path string }{
		{"provider", "/v1/placements/" + f.place.ID.String()},
		{"admin", "/v1/placements/" + f.place.ID.String()},
		{"officer", kin},
		{"otherProvider", kin},
		{"provider", "/v1/vacancies/" + f.vacancy.ID.String()},
	} {
		r := f.do(tc.who, "GET", tc.path, nil)
		f.want(r, 200)
		if r := f.do(tc.who, "PUT", tc.path, string(r.body)); r.status != 200 {
			t.Errorf("%s sending back %s as read: %d %s", tc.who, tc.path, r.status, r.body)
		}
	}
}

// priceVersion is the version of a council's framework price for a kind of care: 0 when none is set.
func priceVersion(w *walkRecords, council, kind any) any {
	list, _ := w.f.read("/v1/framework-prices?council=" + fmt.Sprint(council))["items"].([]any)
	for _, it := range list {
		if m, _ := it.(map[string]any); m["kind"] == kind {
			return m["version"]
		}
	}
	return 0
}
