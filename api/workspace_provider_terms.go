package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The provider changes a home's kind, approval (ages, places) and weekly cost from its page
// (issue 19): the home as read, with those fields changed, written through changePlacement, as
// PUT /v1/placements/{id} writes it: the same table of who owns each field (a field the provider
// does not own, such as making a home kinship, is refused naming it), the same validation and
// the version read.

// homeTerms is what the provider typed in a home's terms form.
type homeTerms struct{ Kind, MinAge, MaxAge, Places, Cost string }

func termsOf(pl catalogue.Placement) homeTerms {
	return homeTerms{Kind: string(pl.Kind), MinAge: strconv.Itoa(pl.Approval.MinAge), MaxAge: strconv.Itoa(pl.Approval.MaxAge),
		Places: strconv.Itoa(pl.Approval.MaxChildren), Cost: strconv.Itoa(pl.WeeklyCost)}
}

// termsFields are the terms form's controls, by the API's field each sets.
var termsFields = map[string]string{"kind": "kind", "approval.min_age": "min_age", "approval.max_age": "max_age",
	"approval.max_children": "max_children", "weekly_cost": "cost", "approval": "min_age"}

// homeKinds are the kinds a home may be, as a provider reads them.
var homeKinds = []keyValue{
	{string(catalogue.AgencyFoster), "Agency foster carers"}, {string(catalogue.CouncilFoster), "Council foster carers"},
	{string(catalogue.ChildrensHome), "A children's home"}, {string(catalogue.SupportedAccommodation), "Supported accommodation (16 and over)"},
	{string(catalogue.Kinship), "Kinship carers (the council's to record)"},
}

// apply sets the terms typed on pl, or says which control holds what is not a whole number.
// What the whole home must be is checked after who owns each field, so that a field the
// provider may not set is named as such.
func (t homeTerms) apply(pl *catalogue.Placement) error {
	pl.Kind = catalogue.PlacementKind(t.Kind)
	for _, f := range []struct {
		field, text string
		to          *int
	}{{"approval.min_age", t.MinAge, &pl.Approval.MinAge}, {"approval.max_age", t.MaxAge, &pl.Approval.MaxAge},
		{"approval.max_children", t.Places, &pl.Approval.MaxChildren}, {"weekly_cost", t.Cost, &pl.WeeklyCost}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.text))
		if err != nil {
			return fieldError(f.field, "must be a whole number")
		}
		*f.to = n
	}
	if !pl.Kind.Valid() {
		return fieldError("kind", "must be chosen")
	}
	return nil // the owners of each field first (changePlacement), then the store validates the home
}

// ownerMistakes is formMistakes for a form writing a record whose fields have owners: a field
// the caller does not own (403 naming it) is the form again too, the error linked to it.
func ownerMistakes(err error, anchor func(string) string) ([]formError, int, bool) {
	p := problemFor(err)
	if p.Status != http.StatusForbidden || len(p.Errors) == 0 {
		return formMistakes(err, anchor)
	}
	var errs []formError
	for _, e := range p.Errors {
		errs = append(errs, formError{Field: anchor(e.Field), Text: capitalise(fieldWords(e.Field) + " " + e.Message)})
	}
	return errs, p.Status, true
}

// homeTermsPage answers POST /workspace/homes/:id/terms.
func (s *server) homeTermsPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.PlacementID(n)
	t := homeTerms{Kind: form.Get("kind"), MinAge: form.Get("min_age"), MaxAge: form.Get("max_age"), Places: form.Get("max_children"), Cost: form.Get("cost")}
	again := func(err error) error {
		errs, status, ok := ownerMistakes(err, func(f string) string { return termsFields[f] })
		if !ok {
			return err
		}
		return s.renderHome(c, id, status, errs, homeEdit{Terms: &t}, "")
	}
	return s.changeHome(c, id, form, again, "terms", t.apply)
}
