package api

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The administrator's policy page (issue 19, journey 5): a council's scoring weights and the
// cost cap as a form, saved as PUT /v1/policy saves them (catalogue.PolicyChange, its
// validation, then the store's ChangePolicy, which checks the policy it makes: the cost cap
// enforced on the cost factor's share). A mistake is the form again with the error summary
// linking to each field at fault (400, nothing written).

type weightField struct {
	Factor, Label, Value, Share, Err string
}

type policyView struct {
	Council, CouncilName string
	Version              int
	Weights              []weightField
	CostCap, Note        string
	// The council's settings for the child's voice: the age from which a child is sent their
	// own link, and the working day (HH:MM) that decides who answers an alert.
	LinkAge, DayStart, DayEnd string
	Settling                  string // weeks the back-up is held after a move
	Errs                      map[string]string
	Councils                  []keyValue
	MaxCostCap                string
}

// policyForm is the policy's form as typed (or as in force).
type policyForm struct {
	Weights                   map[catalogue.Factor]string
	CostCap                   string
	LinkAge, DayStart, DayEnd string
	Settling                  string
	Note                      string
}

// showPolicy renders the policy in force for council, with form (nil: the policy's own values)
// and the mistakes.
func (s *server) showPolicy(c *gin.Context, status int, council catalogue.CouncilCode, form *policyForm, mistakes []formError, banner string) error {
	v, err := s.store.Policy(c.Request.Context(), council)
	if err != nil {
		return err
	}
	p := v.Policy
	view := policyView{Council: string(council), CouncilName: "England (the national policy)", Version: p.Version,
		Errs: map[string]string{}, MaxCostCap: fmt.Sprintf("%g", catalogue.MaxCostCap*100)}
	if council != "" {
		view.CouncilName = councilName(council)
	}
	for _, m := range mistakes {
		if _, ok := view.Errs[m.Field]; !ok {
			view.Errs[m.Field] = m.Text
		}
	}
	for _, f := range catalogue.Factors {
		w := weightField{Factor: string(f), Label: strings.ToUpper(string(f[:1])) + humanise(f)[1:],
			Value: strconv.FormatFloat(p.Weights[f], 'f', -1, 64), Share: fmt.Sprintf("%.1f%%", p.Weights.Share(f)*100),
			Err: view.Errs["weights."+string(f)]}
		if form != nil {
			w.Value = form.Weights[f]
		}
		view.Weights = append(view.Weights, w)
	}
	view.CostCap = strconv.FormatFloat(math.Round(p.CostCap*1000)/10, 'f', -1, 64)
	view.LinkAge, view.DayStart, view.DayEnd = strconv.Itoa(p.LinkAge()), catalogue.ClockTime(p.WorkingHours().Start), catalogue.ClockTime(p.WorkingHours().End)
	view.Settling = strconv.Itoa(p.Settling())
	if form != nil {
		view.CostCap, view.Note, view.Settling = form.CostCap, form.Note, form.Settling
		view.LinkAge, view.DayStart, view.DayEnd = form.LinkAge, form.DayStart, form.DayEnd
	}
	for _, co := range catalogue.Councils() {
		view.Councils = append(view.Councils, keyValue{string(co.Code), co.Name})
	}
	return s.renderWorkspace(c, status, "admin_policy", pageData{Title: "Scoring policy", Errors: mistakes, Banner: banner, Body: view})
}

// policyPage answers GET /workspace/admin/policy.
func (s *server) policyPage(c *gin.Context) error {
	q := newQuery(c)
	council := enum(q, "council", catalogue.CouncilCode.Valid)
	saved := q.bool("saved")
	if err := q.err(); err != nil {
		return err
	}
	banner := ""
	if saved {
		banner = "The policy is saved as a new version: options, runs and the sufficiency report use it from now on."
	}
	return s.showPolicy(c, http.StatusOK, council, nil, nil, banner)
}

// savePolicy answers POST /workspace/admin/policy.
func (s *server) savePolicy(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		return fieldError("form", "cannot be read")
	}
	pf := c.Request.PostForm
	council := catalogue.CouncilCode(pf.Get("council"))
	if council != "" && !council.Valid() {
		return fieldError("council", "must be the ONS code of an English upper-tier council")
	}
	version, _ := strconv.Atoi(pf.Get("version"))
	form := &policyForm{Weights: map[catalogue.Factor]string{}, CostCap: strings.TrimSpace(pf.Get("cost_cap")), Note: pf.Get("note"),
		LinkAge: strings.TrimSpace(pf.Get("child_link_min_age")), DayStart: strings.TrimSpace(pf.Get("working_day_start")), DayEnd: strings.TrimSpace(pf.Get("working_day_end")),
		Settling: strings.TrimSpace(pf.Get("settling_weeks"))}
	ch := catalogue.PolicyChange{Council: council, Version: version, Weights: catalogue.Weights{}, Note: strings.TrimSpace(form.Note)}
	var mistakes []formError
	for _, f := range catalogue.Factors {
		raw := strings.TrimSpace(pf.Get("weights." + string(f)))
		form.Weights[f] = raw
		w, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
			mistakes = append(mistakes, formError{"weights." + string(f), fmt.Sprintf("Enter the weight of %s as a number, like 1.5", humanise(f))})
			continue
		}
		ch.Weights[f] = w
	}
	costCap, err := strconv.ParseFloat(strings.TrimSuffix(form.CostCap, "%"), 64)
	if err != nil || math.IsNaN(costCap) || math.IsInf(costCap, 0) {
		mistakes = append(mistakes, formError{"cost_cap", "Enter the cost cap as a percentage, like 10"})
	} else {
		share := costCap / 100
		ch.CostCap = &share
	}
	if age, err := strconv.Atoi(form.LinkAge); err != nil {
		mistakes = append(mistakes, formError{"child_link_min_age", "Enter the age as a whole number of years, like 8"})
	} else {
		ch.ChildLinkAge = &age
	}
	if weeks, err := strconv.Atoi(form.Settling); err != nil {
		mistakes = append(mistakes, formError{"settling_weeks", "Enter the settling period as a whole number of weeks, like 4"})
	} else {
		ch.SettlingWeeks = &weeks
	}
	for _, t := range []struct {
		field, raw, words string
		to                **int
	}{{"working_day_start", form.DayStart, "the start of the working day", &ch.WorkingDayStart}, {"working_day_end", form.DayEnd, "the end of the working day", &ch.WorkingDayEnd}} {
		m, ok := catalogue.ParseClockTime(t.raw)
		if !ok {
			mistakes = append(mistakes, formError{t.field, "Enter " + t.words + " as a 24-hour time, like 09:00"})
			continue
		}
		*t.to = &m
	}
	if len(mistakes) == 0 {
		err := ch.Validate()
		if err == nil {
			_, err = s.store.ChangePolicy(c.Request.Context(), ch)
		}
		if err == nil {
			to := "/workspace/admin/policy?saved=1"
			if council != "" {
				to += "&council=" + url.QueryEscape(string(council))
			}
			c.Redirect(http.StatusSeeOther, to)
			return nil
		}
		fields := catalogue.FieldErrors(err)
		if len(fields) == 0 {
			return err
		}
		for _, f := range fields {
			mistakes = append(mistakes, formError{policyField(f.Field), policyMistake(f)})
		}
	}
	return s.showPolicy(c, http.StatusBadRequest, council, form, mistakes, "")
}

// policyField is the form's field a policy's mistake is about: the cost factor's share is
// the cost weight's.
func policyField(field string) string {
	if field == "weights" {
		return "weights." + string(catalogue.Factors[0])
	}
	return field
}

// policyMistake is a policy's mistake as a person reads it.
func policyMistake(f catalogue.FieldError) string {
	switch {
	case f.Field == "note":
		return "Say why the policy is changing, for the record"
	case f.Field == "version":
		return "This form is out of date: open the policy again"
	case f.Field == "cost_cap":
		return "The cost cap " + f.Message
	case f.Field == "child_link_min_age":
		return "The age from which a child gets their own link " + f.Message
	case f.Field == "settling_weeks":
		return "The settling period " + f.Message
	case f.Field == "working_day_start", f.Field == "working_day_end":
		return "The working day " + f.Message
	case f.Field == "weights":
		return "The weights " + f.Message
	case strings.HasPrefix(f.Field, "weights."):
		return "The weight of " + humanise(strings.TrimPrefix(f.Field, "weights.")) + " " + strings.TrimPrefix(f.Message, "cost ")
	}
	return f.Message
}
