package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The administrator's sharing agreements (issue 19, journey 5): the list, adding a council to
// council agreement, and ending one. Each is the API's own call (addSharing, endSharingOn, the
// store's list), so the matcher sees a change at once. A regional pool, whose members are
// many, is added through the API (POST /v1/sharing-agreements) for now.

type sharingRow struct {
	ID                        catalogue.SharingAgreementID
	Version                   int
	Name, Kind, Members, When string
	InForce, Ended            bool
}

// sharingPage answers GET /workspace/admin/sharing.
func (s *server) sharingPage(c *gin.Context) error {
	q := newQuery(c)
	ended, added := q.bool("ended"), q.bool("added")
	if err := q.err(); err != nil {
		return err
	}
	ss, err := s.sharingStore()
	if err != nil {
		return err
	}
	page, err := ss.ListSharingAgreements(c.Request.Context(), catalogue.SharingFilter{Limit: catalogue.MaxLimit})
	if err != nil {
		return err
	}
	today := s.today()
	var rows []sharingRow
	for _, a := range page.Items {
		names := make([]string, len(a.Members))
		for i, m := range a.Members {
			names[i] = councilName(m)
		}
		members := strings.Join(names, ", ")
		if a.Kind == catalogue.SharingCouncilToCouncil && len(names) == 2 {
			members = names[0] + "’s carers for " + names[1] + "’s children"
			if !a.OneWay {
				members += ", and the other way round"
			}
		}
		when := "from " + longDate(a.From)
		if !a.To.IsZero() {
			when += " to " + longDate(a.To)
		}
		rows = append(rows, sharingRow{ID: a.ID, Version: a.Version, Name: a.Name, Kind: humanise(a.Kind), Members: members, When: when,
			InForce: a.InForce(today), Ended: !a.To.IsZero() && a.To.Before(today)})
	}
	banner := ""
	switch {
	case added:
		banner = "The agreement is recorded: options, runs and the sufficiency report apply it at once."
	case ended:
		banner = "The agreement ends today: from tomorrow, the carers it shared are not offered under it."
	}
	return s.renderWorkspace(c, http.StatusOK, "admin_sharing", pageData{Title: "Sharing agreements", Banner: banner, Body: struct{ Rows []sharingRow }{rows}})
}

// sharingForm is a new agreement as typed.
type sharingForm struct {
	Name, Owner, Receiver, Day, Month, Year, Note string
	OneWay                                        bool
}

func (s *server) showSharingForm(c *gin.Context, status int, form sharingForm, mistakes []formError) error {
	errs := map[string]string{}
	for _, m := range mistakes {
		if _, ok := errs[m.Field]; !ok {
			errs[m.Field] = m.Text
		}
	}
	var councils []keyValue
	for _, co := range catalogue.Councils() {
		councils = append(councils, keyValue{string(co.Code), co.Name})
	}
	return s.renderWorkspace(c, status, "admin_sharing_new", pageData{Title: "Add a sharing agreement", Errors: mistakes, Body: struct {
		Form     sharingForm
		Errs     map[string]string
		Councils []keyValue
	}{form, errs, councils}})
}

// newSharingPage answers GET /workspace/admin/sharing/new.
func (s *server) newSharingPage(c *gin.Context) error {
	return s.showSharingForm(c, http.StatusOK, sharingForm{}, nil)
}

// sharingLabels name an agreement's fields at the start of a mistake's message.
var sharingLabels = map[string]string{"name": "The name", "members": "The councils", "from": "The first day", "note": "The note", "kinds": "The kinds of care"}

// addSharingPage answers POST /workspace/admin/sharing.
func (s *server) addSharingPage(c *gin.Context) error {
	ss, err := s.sharingStore()
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return fieldError("form", "cannot be read")
	}
	pf := c.Request.PostForm
	form := sharingForm{Name: strings.TrimSpace(pf.Get("name")), Owner: pf.Get("owner"), Receiver: pf.Get("receiver"),
		Day: strings.TrimSpace(pf.Get("from")), Month: strings.TrimSpace(pf.Get("from-month")), Year: strings.TrimSpace(pf.Get("from-year")),
		Note: pf.Get("note"), OneWay: pf.Get("one_way") == "yes"}
	var mistakes []formError
	from := ""
	d, derr := strconv.Atoi(form.Day)
	m, merr := strconv.Atoi(form.Month)
	y, yerr := strconv.Atoi(form.Year)
	if derr != nil || merr != nil || yerr != nil || y < 1000 || y > 9999 {
		mistakes = append(mistakes, formError{"from", "Enter the first day the agreement is in force, like 1 4 2027"})
	} else {
		from = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	if form.Owner == "" {
		mistakes = append(mistakes, formError{"owner", "Choose the council whose carers are shared"})
	}
	if form.Receiver == "" {
		mistakes = append(mistakes, formError{"receiver", "Choose the council whose children may live with them"})
	}
	if len(mistakes) == 0 {
		_, err := s.addSharing(c.Request.Context(), ss, sharingDTO{Name: form.Name, Kind: string(catalogue.SharingCouncilToCouncil),
			Members: []string{form.Owner, form.Receiver}, OneWay: form.OneWay, Kinds: []string{string(catalogue.CouncilFoster)},
			From: from, Note: strings.TrimSpace(form.Note)})
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/workspace/admin/sharing?added=1")
			return nil
		}
		fields := catalogue.FieldErrors(err)
		if len(fields) == 0 {
			return err
		}
		for _, f := range fields {
			field := f.Field
			if strings.HasPrefix(field, "members") {
				field = "owner"
			}
			mistakes = append(mistakes, formError{field, cmpOr(sharingLabels[strings.SplitN(f.Field, "[", 2)[0]], "This") + " " + f.Message})
		}
	}
	return s.showSharingForm(c, http.StatusBadRequest, form, mistakes)
}

// endSharingPage answers POST /workspace/admin/sharing/:id/end: the agreement ends today.
func (s *server) endSharingPage(c *gin.Context) error {
	ss, id, err := s.sharingAt(c)
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return fieldError("form", "cannot be read")
	}
	version, err := strconv.Atoi(c.Request.PostForm.Get("version"))
	if err != nil || version < 1 {
		return fieldError("version", "is missing: open the agreements again and end it from there")
	}
	if _, err := s.endSharingOn(c.Request.Context(), ss, id, version, s.today()); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/admin/sharing?ended=1")
	return nil
}
