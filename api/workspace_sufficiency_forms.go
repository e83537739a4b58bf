package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// The commissioner's journey, second part: what-if and the recruitment planner as forms. Each
// posts (with the session's csrf field), is read into the same scenario or request as the JSON
// routes' bodies, and is answered by the same code (whatIfAnswer, planAnswer); a mistake is the
// form again with the error summary (400).

// profileForm is the form's fields as typed, shown back with any mistake.
type profileForm struct {
	Council, Kind, Count, Places, MinAge, MaxAge, Carers string
	Councils                                             []councilOption
	Kinds                                                []keyValue
	Err                                                  map[string]string // each field's mistake
}

// mistakes marks each field's first mistake on the form.
func (f *profileForm) mistakes(errs []formError) {
	f.Err = map[string]string{}
	for _, e := range errs {
		if _, ok := f.Err[e.Field]; !ok {
			f.Err[e.Field] = e.Text
		}
	}
}

// formField is one text field of a form, for the "number" partial.
type formField struct{ ID, Label, Hint, Value, Err string }

func newFormField(id, label, hint, value, err string) formField {
	return formField{id, label, hint, value, err}
}

// Described is the field's aria-describedby: its hint and its mistake.
func (f formField) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Err != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

type councilOption struct {
	Code, Name string
	Selected   bool
}

// formKinds are the kinds of carer or home a what-if or a plan may add.
var formKinds = []keyValue{
	{string(catalogue.CouncilFoster), "Council foster carers"}, {string(catalogue.AgencyFoster), "Agency foster carers"},
	{string(catalogue.ChildrensHome), "A children's home"}, {string(catalogue.SupportedAccommodation), "Supported accommodation (16 and over)"},
}

func newProfileForm(c *gin.Context) profileForm {
	f := profileForm{Council: string(principal(c).Council), Kind: string(catalogue.CouncilFoster), Count: "1", Places: "1", Carers: "5"}
	if c.Request.Method == http.MethodPost {
		for name, v := range map[string]*string{"council": &f.Council, "kind": &f.Kind, "count": &f.Count, "places": &f.Places,
			"min_age": &f.MinAge, "max_age": &f.MaxAge, "carers": &f.Carers} {
			*v = strings.TrimSpace(c.PostForm(name))
		}
	}
	return f
}

// options fills the form's choices, the council and kind chosen marked.
func (f *profileForm) options() {
	f.Councils, f.Kinds = councilOptions(f.Council), formKinds
}

// councilOptions are England's councils by name, for a select, the one chosen marked.
func councilOptions(chosen string) []councilOption {
	var out []councilOption
	for _, k := range catalogue.Councils() {
		out = append(out, councilOption{string(k.Code), k.Name, string(k.Code) == chosen})
	}
	slices.SortFunc(out, func(a, b councilOption) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// formNumbers reads the form's whole numbers: blank is the default (0) where allowed.
type formNumbers struct{ errs []formError }

func (n *formNumbers) read(field, value string, lo, hi int, blank bool) int {
	if value == "" && blank {
		return 0
	}
	v, err := strconv.Atoi(value)
	if err != nil || v < lo || v > hi {
		n.errs = append(n.errs, formError{field, fmt.Sprintf("Enter a whole number from %d to %d", lo, hi)})
		return 0
	}
	return v
}

// profile is the profile the form describes, or the form's mistakes.
func (f profileForm) profile(n *formNumbers) sufficiency.Profile {
	if !slices.ContainsFunc(formKinds, func(k keyValue) bool { return k.Key == f.Kind }) {
		n.errs = append(n.errs, formError{"kind", "Choose the kind of carer or home"})
	}
	return sufficiency.Profile{Kind: catalogue.PlacementKind(f.Kind), Places: n.read("places", f.Places, 1, 6, false),
		MinAge: n.read("min_age", f.MinAge, 0, 17, true), MaxAge: n.read("max_age", f.MaxAge, 0, 25, true)}
}

// serviceMistakes are the fields an invalid scenario or plan names, as the form's fields (the
// last part of each path: additions[0].profile.min_age is min_age); nil for any other error.
func serviceMistakes(err error) []formError {
	var ce *catalogue.Error
	if !errors.As(err, &ce) || ce.Kind != catalogue.KindInvalid {
		return nil
	}
	var out []formError
	for _, fe := range ce.Fields {
		field := fe.Field[strings.LastIndex(fe.Field, ".")+1:]
		if i := strings.Index(field, "["); i >= 0 {
			field = field[:i]
		}
		out = append(out, formError{field, fe.Message})
	}
	return out
}

type whatIfView struct {
	Form   profileForm
	Result *whatIfResult
}

type whatIfResult struct {
	Added   []string
	Changes [][]string // area, figure, before, after, change
	More    int        // changes not shown
}

// maxChanges bounds the changes a what-if page lists: the areas' own figures, not every breakdown.
const maxChanges = 60

// whatIfPage answers GET and POST /workspace/sufficiency/what-if.
func (s *server) whatIfPage(c *gin.Context) error {
	f := newProfileForm(c)
	f.options()
	v := whatIfView{Form: f}
	render := func(status int, errs []formError) error {
		v.Form.mistakes(errs)
		return s.renderWorkspace(c, status, "sufficiency_whatif", pageData{Title: "What if", Errors: errs, Body: v})
	}
	if c.Request.Method != http.MethodPost {
		return render(http.StatusOK, nil)
	}
	var n formNumbers
	add := sufficiency.Addition{Council: catalogue.CouncilCode(f.Council), Count: n.read("count", f.Count, 1, 50, false), Profile: f.profile(&n)}
	if !add.Council.Valid() {
		n.errs = append(n.errs, formError{"council", "Choose a council"})
	}
	if len(n.errs) > 0 {
		return render(http.StatusBadRequest, n.errs)
	}
	out, err := s.whatIfAnswer(c, sufficiency.Scenario{Additions: []sufficiency.Addition{add}})
	if errs := serviceMistakes(err); errs != nil {
		return render(http.StatusBadRequest, errs)
	}
	if err != nil {
		return err
	}
	res := &whatIfResult{}
	for _, a := range out.Added {
		res.Added = append(res.Added, fmt.Sprintf("%d %s in %s: %d %s", a.Placements, humanise(a.Kind), a.Council.Name, a.Places, plural(a.Places, "place", "places")))
	}
	for _, rc := range out.Changes {
		if rc.Breakdown.Dimension != string(sufficiency.DimAll) {
			continue
		}
		for _, fc := range rc.Fields {
			if len(res.Changes) == maxChanges {
				res.More++
				continue
			}
			res.Changes = append(res.Changes, []string{rc.Area.Name, fc.Label, sufficiency.Figure(fc.Before).String(), sufficiency.Figure(fc.After).String(), sufficiency.Figure(fc.Change).String()})
		}
	}
	v.Result = res
	return render(http.StatusOK, nil)
}

type planView struct {
	Form   profileForm
	Result *planResult
}

type planResult struct {
	Steps               [][]string // step, council, gain, reach two, closed
	GapBefore, GapAfter string
	Stopped             string
}

// planPage answers GET and POST /workspace/sufficiency/plan.
func (s *server) planPage(c *gin.Context) error {
	f := newProfileForm(c)
	f.options()
	v := planView{Form: f}
	render := func(status int, errs []formError) error {
		v.Form.mistakes(errs)
		return s.renderWorkspace(c, status, "sufficiency_plan", pageData{Title: "Recruitment planner", Errors: errs, Body: v})
	}
	if c.Request.Method != http.MethodPost {
		return render(http.StatusOK, nil)
	}
	var n formNumbers
	req := sufficiency.PlanRequest{Profile: f.profile(&n), Carers: n.read("carers", f.Carers, 1, sufficiency.MaxPlanSteps, false)}
	if len(n.errs) > 0 {
		return render(http.StatusBadRequest, n.errs)
	}
	out, err := s.planAnswer(c, req)
	if errs := serviceMistakes(err); errs != nil {
		return render(http.StatusBadRequest, errs)
	}
	if err != nil {
		return err
	}
	res := &planResult{GapBefore: sufficiency.Figure(out.GapBefore).String(), GapAfter: sufficiency.Figure(out.GapAfter).String(), Stopped: out.Stopped}
	for _, st := range out.Steps {
		res.Steps = append(res.Steps, []string{strconv.Itoa(st.Step), st.Council.Name, sufficiency.Figure(st.Gain).String(),
			sufficiency.Figure(st.ReachTwo).String(), sufficiency.Figure(st.Closed).String()})
	}
	v.Result = res
	return render(http.StatusOK, nil)
}

// E is a field's mistake on the form, or "".
func (f profileForm) E(field string) string { return f.Err[field] }
