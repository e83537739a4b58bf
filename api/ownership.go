package api

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// Who owns each fact. A request body may carry every field of a record (a client that reads,
// edits and sends back the whole record does), but a caller may change only the facts that are
// theirs to assert. Each table below says, field by field, who may set it and why; creating or
// changing a record refuses, with 403 problem+json naming every such field and writing nothing,
// a change by anyone else. A field sent back with the value it already has (on a new record,
// the value it starts with) is no change and is never refused.
//
// A role counts only on records that are the caller's: a provider's own homes and their places,
// an officer's council's children, and the kinship homes connected only to them (see
// officerKeeps). Records outside that are 404 (unseen) or 403 (seen, not theirs to change)
// before any field is compared. "Your own council" and "your own provider" are values in scope,
// checked as before (400 naming the field): a child's council, a home's provider.
//
// Only the placement and vacancy handlers consult their tables at run time: every other table's
// resource is written only by roles that own all of its fields (the routes say so), which
// TestFieldOwnershipWalk checks field by field, with every role, so that a role given one of
// those routes later must bring the check with it. Imports (POST /v1/import/placements) are
// administrators' and set everything.

// setters is who may set a field: a set of roles, each on the records that are theirs.
type setters uint8

const (
	byAdmin    setters = 1 << iota // administrators (and imports, which they run)
	byOfficer                      // the council the record is about: its children, their kinship homes
	byProvider                     // the provider that runs the home

	// readOnly fields are set by the service, or fixed by the path: nobody sets them in a body
	// (their own handling says what happens to them: ignored, or 400 when they differ).
	readOnly setters = 0
	// keeper is whoever keeps a home's own description: its provider, or for a kinship home the
	// council of the children it is for; and administrators.
	keeper = byAdmin | byOfficer | byProvider
	// council is the council whose record it is, and administrators.
	council = byAdmin | byOfficer
)

// settersOf is what a role may count as.
func settersOf(r catalogue.Role) setters {
	switch r {
	case catalogue.RoleAdmin:
		return byAdmin
	case catalogue.RoleOfficer:
		return byOfficer
	case catalogue.RoleProvider:
		return byProvider
	}
	return 0
}

// owned is one row of a table: a field of the body (a JSON path; "*" for every field not
// listed), who may set it, and why.
type owned struct {
	field string
	by    setters
	why   string
}

// kinshipIsTheCouncils: only the council of the children it is for (and an administrator) makes
// a home kinship.
func kinshipIsTheCouncils(who setters, v reflect.Value) bool {
	return who&council != 0 || v.String() != string(catalogue.Kinship)
}

// ownership is the table of one resource's body.
type ownership struct {
	resource string
	body     any // a value of the body's type
	rows     []owned
	// only narrows, for some fields, the values those who may set them may set: whether who
	// may set the field to v.
	only map[string]func(who setters, v reflect.Value) bool
}

var placementOwnership = ownership{resource: "placement", body: placementDTO{}, rows: []owned{
	{"id", readOnly, "given by the service"},
	{"kind", keeper, "what the home is; a kinship (connected person) home is the council's of the children it is for: providers may not make a home kinship, officers keep no other kind"},
	{"provider", keeper, "who runs the home: a provider names itself, an officer its council's own fostering service"},
	{"name", keeper, "how officers know the home"},
	{"urn", byAdmin, "the regulator's registration (Ofsted's unique reference number), never the provider's own claim"},
	{"council", keeper, "the council area the home is in"},
	{"area_name", keeper, "where the home is, as a child is told"},
	{"location", keeper, "where the home is"},
	{"approval", keeper, "the terms the home is approved for, and its capacity"},
	{"household", keeper, "who lives there and what the home is like"},
	{"skills", keeper, "the carers' skills and training"},
	{"languages", keeper, "the languages spoken at home"},
	{"religion", keeper, "the household's religion"},
	{"ethnicity", keeper, "the household's ethnicity"},
	{"experience", byAdmin, "track record, which is scored: from the history kept here, an administrator or an import, never the provider's own word"},
	{"stability", byAdmin, "track record (placements ended as planned and not), which is scored: as experience"},
	{"ofsted", byAdmin, "the regulator's grade: an inadequate home is never offered, so a provider may not lift it"},
	{"ofsted_outcome", byAdmin, "the regulator's outcome for a supported accommodation provider: its lowest (serious or widespread weaknesses) is never offered, so a provider may not lift it"},
	{"staying_put", keeper, "the carers' willingness to let a young person stay on after 18"},
	{"long_term", keeper, "the carers' willingness to offer a permanent home"},
	{"weekly_cost", keeper, "the fee"},
	{"profile", keeper, "the carers' own words for children"},
	{"active", keeper, "whether the home takes children now"},
	{"dol_conditions", keeper, "whether the home can meet a deprivation of liberty order's conditions (staffing, supervision, security), as its keeper records its skills; the court tests it for each order"},
	{"registration", byAdmin, "the regulator's registration of a children's home or supported accommodation provider (Care Standards Act 2000 s11): a home not registered, or suspended, is never offered, so a provider may not lift it"},
	{"approval.exemption", council, "an exemption from the usual fostering limit of three is the council's to grant (Children Act 1989 Schedule 7 paragraph 4): never the carers' own"},
	{"temporary_approval", council, "a connected person's temporary approval, and its extension, are the council's decisions (Care Planning, Placement and Case Review (England) Regulations 2010 regulations 24 and 25)"},
	{"warnings", readOnly, "the service's, by its clock"},
	{"connected_to", council, "the children a kinship carer is assessed for, each of whom is then offered the home first with a statutory reason: only their council names them"},
	{"vacancies", readOnly, "places are kept at /v1/placements/{id}/vacancies"},
	{"profile_hash", readOnly, "the service's digest of the profile, which an approval names"},
	{"profile_approved", readOnly, "given by POST /v1/placements/{id}/profile-approval, by an officer or administrator who did not write the words"},
	{"profile_approved_at", readOnly, "as profile_approved"},
	{"version", readOnly, "the service's, for concurrent changes"},
	{"created_at", readOnly, "the service's"},
	{"updated_at", readOnly, "the service's"},
}, only: map[string]func(setters, reflect.Value) bool{"kind": kinshipIsTheCouncils}}

var vacancyOwnership = ownership{resource: "vacancy", body: vacancyDTO{}, rows: []owned{
	{"id", readOnly, "given by the service"},
	{"placement", readOnly, "fixed by the path: a place belongs to its placement"},
	{"available_from", keeper, "when the place is free"},
	{"status", keeper, "its keeper opens (available) and withdraws a place; a place is held and filled through the offer the child's council decides"},
	{"child", byAdmin, "the child the place is held for or filled by: set through the offer the child's council decides, or corrected by an administrator; releasing a held or filled place is the offer's too"},
	{"version", readOnly, "the service's, for concurrent changes"},
	{"created_at", readOnly, "the service's"},
	{"updated_at", readOnly, "the service's"},
}}

var childOwnership = ownership{resource: "child", body: childDTO{}, rows: []owned{
	{"*", council, "a child's record is kept by the council looking after them"},
	{"council", council, "the council looking after the child: an officer names only their own (400 otherwise); moving a child to another council is an administrator's"},
	{"id", readOnly, "given by the service"},
	{"version", readOnly, "the service's, for concurrent changes"},
	{"created_at", readOnly, "the service's"},
	{"updated_at", readOnly, "the service's"},
}}

var groupOwnership = ownership{resource: "sibling group", body: groupDTO{}, rows: []owned{
	{"*", council, "brothers and sisters and their plan are kept by their council"},
	{"council", council, "an officer names only their own (400 otherwise)"},
	{"members", readOnly, "from each child's sibling_group"},
	{"id", readOnly, "given by the service"},
	{"version", readOnly, "the service's, for concurrent changes"},
	{"created_at", readOnly, "the service's"},
	{"updated_at", readOnly, "the service's"},
}}

var providerOwnership = ownership{resource: "provider", body: providerDTO{}, rows: []owned{
	{"*", byAdmin, "providers, their kind and their registration (URN) are recorded by an administrator"},
	{"id", readOnly, "given by the service"},
	{"created_at", readOnly, "the service's"},
}}

var policyOwnership = ownership{resource: "policy", body: policyChange{}, rows: []owned{
	{"*", byAdmin, "the scoring policy, national or a council's, is changed by an administrator, with a note for the record"},
	{"version", readOnly, "the version the change was made from, as read: the service's, for concurrent changes"},
}}

var tokenOwnership = ownership{resource: "token", body: tokenRequest{}, rows: []owned{
	{"*", byAdmin, "who may do what is an administrator's to grant"},
}}

var sharingOwnership = ownership{resource: "sharing agreement", body: sharingDTO{}, rows: []owned{
	{"*", byAdmin, "which councils may use which council's own carers is agreed between councils and recorded by an administrator"},
	{"id", readOnly, "given by the service"},
	{"version", readOnly, "the service's, for concurrent changes"},
	{"in_force", readOnly, "worked out from the dates"},
	{"created_at", readOnly, "the service's"},
	{"updated_at", readOnly, "the service's"},
}}

var frameworkOwnership = ownership{resource: "framework price", body: frameworkPriceDTO{}, rows: []owned{
	{"*", byAdmin, "a council's framework prices come from its contracts with providers and are recorded by an administrator"},
	{"version", readOnly, "the version the change was made from, as read: the service's, for concurrent changes"},
	{"updated_at", readOnly, "the service's"},
}}

// ownerships lists every table, for the tests and the documentation.
var ownerships = []*ownership{&placementOwnership, &vacancyOwnership, &childOwnership, &groupOwnership,
	&providerOwnership, &policyOwnership, &tokenOwnership, &sharingOwnership,
	&frameworkOwnership}

// row returns the rule for a JSON path: its own row, else its nearest parent's, else the "*" row.
// A field no row covers is an administrator's (the tests require every field to be covered).
func (o *ownership) row(path string) owned {
	for p := path; p != ""; {
		for _, r := range o.rows {
			if r.field == p {
				return r
			}
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	for _, r := range o.rows {
		if r.field == "*" {
			return r
		}
	}
	return owned{field: path, by: byAdmin, why: "not in the table of who owns what, so an administrator's"}
}

// refuse returns a 403 (catalogue.KindForbidden) naming every field whose value differs between
// was (the record as stored, or as a new one starts) and next (as it would be written) and that
// who may not set; nil when there is none. Both are bodies of the table's type, as the service writes them, so
// that a value sent back as it was read is no change. Read-only fields are left to their own
// handling.
func (o *ownership) refuse(who setters, was, next any) error {
	var fields []catalogue.FieldError
	diff(reflect.ValueOf(was), reflect.ValueOf(next), "", func(path string, v reflect.Value) {
		r := o.row(path)
		only := o.only[r.field]
		if r.by == readOnly || (r.by&who != 0 && (only == nil || only(who, v))) {
			return
		}
		by := r.by
		if r.by&who != 0 { // they may set the field, not to this value
			by = r.by &^ who
		}
		fields = append(fields, catalogue.FieldError{Field: path,
			Message: fmt.Sprintf("may be set only by %s: %s", by, r.why)})
	})
	if len(fields) == 0 {
		return nil
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Field
	}
	return &catalogue.Error{Kind: catalogue.KindForbidden, Fields: fields,
		Msg: fmt.Sprintf("you may not change the %s's %s: %s", o.resource, strings.Join(names, ", "), fields[0].Message)}
}

// String says who, in words.
func (s setters) String() string {
	var who []string
	if s&byAdmin != 0 {
		who = append(who, "an administrator")
	}
	if s&byOfficer != 0 {
		who = append(who, "the council")
	}
	if s&byProvider != 0 {
		who = append(who, "the home's provider")
	}
	if len(who) == 0 {
		return "the service"
	}
	return strings.Join(who, " or ")
}

// diff calls report with the JSON path and new value of each field that differs between a and
// b (values of one type), going into nested objects so that the deepest field is named.
func diff(a, b reflect.Value, path string, report func(string, reflect.Value)) {
	switch {
	case a.Kind() == reflect.Struct && a.Type() != timeType:
		for i := range a.NumField() {
			name, _, _ := strings.Cut(a.Type().Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if path != "" {
				name = path + "." + name
			}
			diff(a.Field(i), b.Field(i), name, report)
		}
	case a.Kind() == reflect.Pointer && a.Type().Elem().Kind() == reflect.Struct && !a.IsNil() && !b.IsNil():
		diff(a.Elem(), b.Elem(), path, report)
	case !reflect.DeepEqual(a.Interface(), b.Interface()):
		report(path, b)
	}
}

// forbidden is a 403 naming one field: the caller may not set it (or not to this value).
func forbidden(field, format string, args ...any) error {
	return &catalogue.Error{Kind: catalogue.KindForbidden,
		Fields: []catalogue.FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}
