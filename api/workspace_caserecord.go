package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's and the manager's decision record page (issue 23 item 3): one decided offer as
// the child's case file keeps it, laid out to print (the workspace's header, navigation, back
// link and form are not printed), with the form to mark it filed in the council's case system.

type caseRecordView struct {
	Record    caseRecordDTO
	Decided   string // the decision in words
	Said      string // what the child said, in words
	KeepUntil string
	Printed   string // when the page was made, for the printed copy
	Filed     string // "Filed in the case record as ... by ... on ...", or ""
	CanFile   bool
	Reference string
	MaxRef    int
	Just      bool // marked filed a moment ago
	Options   []caseOptionView
}

type caseOptionView struct {
	caseOptionDTO
	Reasons []string
}

// caseRecordPage answers GET /workspace/offers/:id/case-record.
func (s *server) caseRecordPage(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	return s.renderCaseRecord(c, http.StatusOK, id, "", nil)
}

// markFiledPage answers POST /workspace/offers/:id/case-record/filed.
func (s *server) markFiledPage(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	ref := c.PostForm("reference")
	_, _, err = s.work.MarkFiled(c.Request.Context(), principal(c).Scope(), id, ref)
	var ce *catalogue.Error
	if errors.As(err, &ce) && ce.Kind == catalogue.KindInvalid && len(ce.Fields) > 0 && ce.Fields[0].Field == "reference" {
		return s.renderCaseRecord(c, http.StatusBadRequest, id, ref, []formError{{Field: "reference", Text: "Enter the case system's reference: " + ce.Fields[0].Message}})
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/workspace/offers/%d/case-record?filed=1", id))
	return nil
}

// renderCaseRecord renders an offer's decision record, audited as a read of the child's record.
func (s *server) renderCaseRecord(c *gin.Context, status int, id catalogue.OfferID, ref string, errs []formError) error {
	r, err := s.readCaseRecord(c, id)
	if err != nil {
		return err
	}
	d := fromCaseRecord(r)
	p := principal(c)
	v := caseRecordView{Record: d, Printed: s.now().Format("2 January 2006 15:04"), Reference: ref, MaxRef: catalogue.MaxFilingReference,
		CanFile: d.Filing == nil && (p.Role == catalogue.RoleOfficer || p.Role == catalogue.RoleManager), Just: newQuery(c).bool("filed")}
	if !r.Child.DateOfBirth.IsZero() {
		v.KeepUntil = longDate(r.Child.DateOfBirth.AddDate(75, 0, 0))
	}
	for _, op := range d.Options {
		ov := caseOptionView{caseOptionDTO: op}
		for _, f := range op.Factors {
			ov.Reasons = append(ov.Reasons, f.Reason)
		}
		v.Options = append(v.Options, ov)
	}
	home := func(pl int64) string {
		for _, op := range d.Options {
			if op.Home.ID == pl {
				return op.Home.Name
			}
		}
		return fmt.Sprintf("home %d", pl)
	}
	switch dec := d.Decision; {
	case dec != nil && dec.Outcome == "accepted":
		v.Decided = fmt.Sprintf("Accepted %s on %s", home(dec.Home), longDate(dec.At))
	case dec != nil:
		v.Decided = "Declined on " + longDate(dec.At)
	default:
		v.Decided = "Withdrawn after it was sent to the child"
	}
	say := d.ChildSay
	switch {
	case !say.Given:
		v.Said = "The child gave no answer through their link."
	case say.Neither:
		v.Said = "The child wanted neither choice."
	case say.Preference != 0:
		v.Said = "The child preferred " + home(say.Preference) + "."
	default:
		v.Said = "The child gave no preference."
	}
	if say.AdvocateRequested {
		v.Said += " They asked for an advocate."
	}
	if w := helperWords[catalogue.Helper(say.GoneThroughWith)]; w != "" {
		v.Said += " " + w + " went through the page with them."
	}
	for _, sib := range d.SiblingSays {
		who := fmt.Sprintf("Their brother or sister (child %d)", sib.Child)
		switch s := sib.Say; {
		case !s.Given:
			v.Said += " " + who + " gave no answer through their own link."
		case s.Neither:
			v.Said += " " + who + " wanted neither choice."
		case s.Preference != 0:
			v.Said += " " + who + " preferred " + home(s.Preference) + "."
		default:
			v.Said += " " + who + " gave no preference."
		}
	}
	if f := d.Filing; f != nil {
		who := f.ByName
		if who == "" {
			who = fmt.Sprintf("token %d", f.By)
		}
		v.Filed = fmt.Sprintf("Filed in the case record as %s by %s on %s.", f.Reference, who, longDate(f.At))
	}
	title := fmt.Sprintf("Decision record: offer %d to %s", d.Offer, strings.TrimSpace(d.ChildFirstName))
	return s.renderWorkspace(c, status, "officer_caserecord", pageData{Title: title, Errors: errs, Body: v})
}
