package api

import (
	"fmt"
	"math"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The manager's journey, last part: who looked at a child's record (casework.ChildAudit), as a
// page: every read and change of the record in the audit log, naming the person (or the API
// token) and what they did.

type auditRow struct{ When, Who, Role, What, Reason string }

// childAuditPage answers GET /workspace/children/:id/audit.
func (s *server) childAuditPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	after := q.int("after", 1, math.MaxInt64)
	if err := q.err(); err != nil {
		return err
	}
	ch, page, err := s.work.ChildAudit(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id), after)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "audit-trail", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	rows := make([]auditRow, len(page.Items))
	for i, e := range page.Items {
		who := e.Name
		switch {
		case who != "":
		case e.Actor == 0:
			who = "placematch itself"
		default:
			who = fmt.Sprintf("API token %d", e.Actor)
		}
		rows[i] = auditRow{When: e.At.Format("2 January 2006 15:04"), Who: who, Role: roleNames[e.Role], What: humanise(e.Action), Reason: e.Reason}
	}
	next := ""
	if page.Next != 0 {
		next = fmt.Sprintf("/workspace/children/%d/audit?after=%d", ch.ID, page.Next)
	}
	return s.renderWorkspace(c, http.StatusOK, "audit_child", pageData{Title: "Who looked at " + ch.FirstName + "’s record", Body: struct {
		ID         catalogue.ChildID
		Name, Next string
		Rows       []auditRow
	}{ch.ID, ch.FirstName, next, rows}})
}
