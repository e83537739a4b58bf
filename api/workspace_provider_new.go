package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// A provider adds a home from its homes pages (issue 19): what the home is, where, the terms it
// is approved for, its first carer (a family home names one) and its weekly cost, stored through
// addPlacement as POST /v1/placements stores it: the same table of owners (a field the provider
// does not own, such as a kinship home, refused naming it) and the store's validation. Its places
// and its words for children are added on its page afterwards.

// newHomeForm is what the provider typed in the form to add a home.
type newHomeForm struct {
	Name, Kind, Council, Area, Lat, Lng string
	Terms                               homeTerms
	Purposes                            []string
	Carer                               string
	From, Until                         dateField // a foster home's approval: approved on, and its yearly review due
}

// dateField is a GOV.UK date input (the "date" partial): its parts as typed, and its mistake.
type dateField struct{ ID, Legend, Hint, Day, Month, Year, Err string }

// dateFieldOf reads a date input's parts from a form.
func dateFieldOf(form url.Values, id, legend, hint string) dateField {
	return dateField{ID: id, Legend: legend, Hint: hint, Day: strings.TrimSpace(form.Get(id + "-day")),
		Month: strings.TrimSpace(form.Get(id + "-month")), Year: strings.TrimSpace(form.Get(id + "-year"))}
}

// day is the date typed, zero when nothing was typed, or an error naming field.
func (d dateField) day(field string) (time.Time, error) {
	if d.Day == "" && d.Month == "" && d.Year == "" {
		return time.Time{}, nil
	}
	day, derr := strconv.Atoi(d.Day)
	month, merr := strconv.Atoi(d.Month)
	year, yerr := strconv.Atoi(d.Year)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if derr != nil || merr != nil || yerr != nil || t.Day() != day || t.Month() != time.Month(month) {
		return time.Time{}, fieldError(field, "must be a real date")
	}
	return t, nil
}

const (
	fromHint  = "The day the carers were approved, for example 14 3 2025. A children's home or supported accommodation leaves it empty."
	untilHint = "The day their yearly review falls due. A children's home or supported accommodation leaves it empty."
)

// newHomeFields are the form's controls, by the API's field each sets.
var newHomeFields = map[string]string{"name": "name", "kind": "kind", "council": "council", "area_name": "area_name",
	"location": "lat", "location.lat": "lat", "location.lng": "lng", "approval.min_age": "min_age", "approval.max_age": "max_age",
	"approval.max_children": "max_children", "approval.purposes": "purposes", "household.carers": "carer", "weekly_cost": "cost",
	"approval": "min_age", "household": "carer", "approval.from": "from", "approval.until": "until"}

// purposeChoices are the purposes a home is approved for, as a provider reads them.
var purposeChoices = []keyValue{
	{string(catalogue.PurposeEmergency), "Emergencies"}, {string(catalogue.PurposeShortTerm), "Short-term"},
	{string(catalogue.PurposeLongTerm), "Long-term"}, {string(catalogue.PurposeRespite), "Respite"}, {string(catalogue.PurposeRemand), "Remand"},
}

// newHomePage answers GET /workspace/homes/new.
func (s *server) newHomePage(c *gin.Context) error {
	return s.renderNewHome(c, http.StatusOK, nil, newHomeForm{Kind: string(catalogue.AgencyFoster), Terms: homeTerms{MinAge: "0", MaxAge: "17", Places: "1"},
		From: dateField{ID: "from", Legend: "Approved on", Hint: fromHint}, Until: dateField{ID: "until", Legend: "Yearly review due", Hint: untilHint}})
}

// addHomePage answers POST /workspace/homes: the home added, then its page with a banner; a
// mistake is the form again naming each control at fault, nothing written.
func (s *server) addHomePage(c *gin.Context) error {
	form, err := pageForm(c)
	if err != nil {
		return err
	}
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	f := newHomeForm{Name: get("name"), Kind: get("kind"), Council: get("council"), Area: get("area_name"), Lat: get("lat"), Lng: get("lng"),
		Terms:    homeTerms{Kind: get("kind"), MinAge: get("min_age"), MaxAge: get("max_age"), Places: get("max_children"), Cost: get("cost")},
		Purposes: form["purposes"], Carer: get("carer"),
		From: dateFieldOf(form, "from", "Approved on", fromHint), Until: dateFieldOf(form, "until", "Yearly review due", untilHint)}
	p := principal(c)
	pl := catalogue.Placement{Provider: p.Provider, Name: f.Name, Council: catalogue.CouncilCode(f.Council), AreaName: f.Area, Active: true}
	err = f.Terms.apply(&pl)
	if err == nil {
		pl.Location.Lat, err = parseDegrees("location.lat", f.Lat)
	}
	if err == nil {
		pl.Location.Lng, err = parseDegrees("location.lng", f.Lng)
	}
	if err == nil {
		pl.Approval.From, err = f.From.day("approval.from")
	}
	if err == nil {
		pl.Approval.Until, err = f.Until.day("approval.until")
	}
	if err == nil {
		for _, pu := range f.Purposes {
			pl.Approval.Purposes = append(pl.Approval.Purposes, catalogue.Purpose(pu))
		}
		if f.Carer != "" {
			pl.Household.Carers = []catalogue.Carer{{FirstName: f.Carer}}
		}
		pl, err = s.addPlacement(c.Request.Context(), p, pl)
	}
	if err != nil {
		errs, status, ok := ownerMistakes(err, func(field string) string { return newHomeFields[field] })
		if !ok {
			return err
		}
		return s.renderNewHome(c, status, errs, f)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/homes/"+pl.ID.String()+"?saved=added")
	return nil
}

// parseDegrees reads a latitude or longitude typed in a form.
func parseDegrees(field, text string) (float64, error) {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fieldError(field, "must be a number of degrees, such as 53.48 or -2.24")
	}
	return v, nil
}

func (s *server) renderNewHome(c *gin.Context, status int, errs []formError, f newHomeForm) error {
	f.From.Err, f.Until.Err = errorFor(errs, "from"), errorFor(errs, "until")
	type choice struct {
		Key, Value string
		Checked    bool
	}
	var purposes []choice
	for _, pc := range purposeChoices {
		purposes = append(purposes, choice{pc.Key, pc.Value, slices.Contains(f.Purposes, pc.Key)})
	}
	return s.renderWorkspace(c, status, "provider_home_new", pageData{Title: "Add a home", Errors: errs, Body: struct {
		Form     newHomeForm
		Kinds    []keyValue
		Councils []councilOption
		Purposes []choice
	}{f, homeKinds, councilOptions(f.Council), purposes}})
}
