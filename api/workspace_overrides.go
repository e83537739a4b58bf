package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The manager's page of a child's overrides of inadequate ratings (issue 19): the overrides
// given, and the director's form to override the rating of one home the child's search left
// out for it alone (casework.InadequateOverridesOf to read, casework.OverrideInadequate to
// write: the call POST /v1/children/{id}/inadequate-overrides makes; the store checks that the
// manager is the director). DESIGN.md section 4: a home rated inadequate is never proposed
// unless the director overrides it for one child, with a written reason.

type overrideHomeView struct {
	ID                                 catalogue.PlacementID
	Name, Kind, Area, Rating, Distance string
	Cost                               string
	Reason, When, Who                  string // an override given
	Checked                            bool
}

type overridesPage struct {
	ID        catalogue.ChildID
	Name      string
	CaseRef   string
	Given     []overrideHomeView
	Excluded  []overrideHomeView
	Director  bool // the manager may override (the director of children's services)
	Open      bool // the child is still looking for a home
	Reason    string
	MaxReason int
}

// overridesPage answers GET /workspace/children/:id/inadequate-overrides.
func (s *server) overridesPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	given := q.bool("given")
	if err := q.err(); err != nil {
		return err
	}
	d := pageData{}
	if given {
		d.Banner = "Overridden. The child's search now considers the home, for this child only."
	}
	return s.renderOverrides(c, http.StatusOK, catalogue.ChildID(id), d, 0, "")
}

// overrideInadequatePage answers POST /workspace/children/:id/inadequate-overrides: the
// override, then the page with a banner; a mistake is the page again with the error summary
// naming the field, nothing written.
func (s *server) overrideInadequatePage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	child, reason := catalogue.ChildID(id), c.PostForm("reason")
	pl, perr := strconv.ParseInt(c.PostForm("placement"), 10, 64)
	if perr != nil || pl <= 0 {
		return s.renderOverrides(c, http.StatusBadRequest, child, pageData{Errors: []formError{{Field: "placement", Text: "Choose the home whose rating you override"}}}, 0, reason)
	}
	_, err = s.work.OverrideInadequate(c.Request.Context(), principal(c).Scope(), child, catalogue.PlacementID(pl), reason)
	var ce *catalogue.Error
	if errors.As(err, &ce) && ce.Kind == catalogue.KindInvalid && len(ce.Fields) > 0 {
		f := ce.Fields[0]
		text := "Say why you override the rating: " + f.Message
		if f.Field != "reason" {
			f.Field, text = "placement", "Choose a home the search left out for its rating: "+f.Message
		}
		return s.renderOverrides(c, http.StatusBadRequest, child, pageData{Errors: []formError{{Field: f.Field, Text: text}}}, catalogue.PlacementID(pl), reason)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/children/"+child.String()+"/inadequate-overrides?given=1")
	return nil
}

// renderOverrides renders the page of a child's overrides (audited as a read of the record),
// with chosen ticked and reason in the form.
func (s *server) renderOverrides(c *gin.Context, status int, child catalogue.ChildID, d pageData, chosen catalogue.PlacementID, reason string) error {
	p := principal(c)
	r, err := s.work.InadequateOverridesOf(c.Request.Context(), p.Scope(), child)
	if err != nil {
		return err
	}
	ch := r.Child
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	v := overridesPage{ID: ch.ID, Name: ch.FirstName, CaseRef: ch.CaseRef, Director: p.Level.AtLeast(catalogue.SignOffInadequate.Level()),
		Open: ch.Status != catalogue.ChildClosed && ch.Status != catalogue.ChildPlaced, Reason: strings.TrimSpace(reason), MaxReason: catalogue.MaxReasonLen}
	for _, o := range r.Overrides {
		hv := overrideHomeOf(ch, o.Home)
		hv.Reason, hv.When, hv.Who = o.Reason, longDate(o.At), o.ByLevel.Words()
		v.Given = append(v.Given, hv)
	}
	for _, h := range r.Excluded {
		hv := overrideHomeOf(ch, h)
		hv.Checked = h.ID == chosen
		v.Excluded = append(v.Excluded, hv)
	}
	d.Title, d.Body = "Inadequate ratings overridden for "+ch.FirstName, v
	return s.renderWorkspace(c, status, "child_overrides", d)
}

// overrideHomeOf is a home as the overrides page shows it: never the child's address, only the
// home's distance from it.
func overrideHomeOf(ch catalogue.Child, h catalogue.Placement) overrideHomeView {
	rating := "Ofsted: inadequate"
	if h.Ofsted != catalogue.OfstedInadequate {
		rating = "Ofsted: serious or widespread weaknesses"
	}
	return overrideHomeView{ID: h.ID, Name: h.Name, Kind: capitalise(humanise(h.Kind)), Area: h.AreaName, Rating: rating,
		Distance: kmText(catalogue.DistanceKm(ch.Home, h.Location)) + " from home", Cost: "£" + strconv.Itoa(h.WeeklyCost) + " a week"}
}
