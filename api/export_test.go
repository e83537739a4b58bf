package api

import (
	"reflect"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/childlang"
)

// OwnedBody is one table of who owns what (ownership.go), for the tests of package api_test.
type OwnedBody struct {
	Resource string
	Body     any // a value of the body's type
	t        *ownership
}

// OwnedBodies lists every table.
func OwnedBodies() []OwnedBody {
	out := make([]OwnedBody, len(ownerships))
	for i, o := range ownerships {
		out[i] = OwnedBody{Resource: o.resource, Body: o.body, t: o}
	}
	return out
}

// Rows lists the fields the table names ("*": every field not named).
func (b OwnedBody) Rows() []string {
	out := make([]string, len(b.t.rows))
	for i, r := range b.t.rows {
		out[i] = r.field
	}
	return out
}

// ReadOnly reports whether nobody sets the field at path in a body.
func (b OwnedBody) ReadOnly(path string) bool { return b.t.row(path).by == readOnly }

// MaySet reports whether a caller of the role may set the field at path to v (as decoded from
// JSON), on a record that is theirs.
func (b OwnedBody) MaySet(path string, role catalogue.Role, v any) bool {
	r := b.t.row(path)
	who := settersOf(role)
	if r.by&who == 0 {
		return false
	}
	if only := b.t.only[r.field]; only != nil && v != nil {
		return only(who, reflect.ValueOf(v))
	}
	return true
}

// WorkspaceCSRF is the CSRF token of a workspace session's secret, for the tests of package
// api_test that post as a person signed in.
func WorkspaceCSRF(secret string) string { return workspaceCSRF(secret) }

// OptionsMapSVG is the SVG of a child's options' map (workspace_map.go).
func OptionsMapSVG(o casework.Options) string { return string(optionsMap(o).SVG) }

// ReferralProfileDTO is the type of the referral profile a provider reads (GET
// /v1/referrals/{id}), for the test that holds it to docs/dpia.md.
var ReferralProfileDTO = reflect.TypeOf(referralProfileDTO{})

// english is the child's pages' English, for the tests of the words.
func english() *childlang.Printer {
	en, err := englishCatalogue()
	if err != nil {
		panic(err)
	}
	return childlang.NewSet(en).Printer(childlang.English)
}
