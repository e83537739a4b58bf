package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Placement notices: who regulation 13 of the Care Planning, Placement and Case Review (England)
// Regulations 2010 says the council tells in writing when it places a child (the area authority
// of a home outside its area, the independent reviewing officer, the school, the GP and the
// health body), made when an offer is accepted and tracked to sent (catalogue/placementnotice.go).
// The officer's view names the child; the area authority's officers see its notice to them
// without the child's name; no e-mail carries either.

func (s *server) noticeRoutes() []route {
	return []route{
		{http.MethodGet, "/v1/placement-notices", caseReaders, s.listNotices, routeDoc{summary: "The statutory notices of placements (regulation 13): to whom, the rule, when due, pending, sent (how, when, by whom) or overdue. Officers and managers: their council's children's, naming the child, and the area authority's notices to their council, without the child's name (audited).",
			out: pageDTO[placementNoticeDTO]{}, query: params([]param{{"status", "string", "pending or sent"}, {"overdue", "boolean", "only those pending past their due time"}}, pageParams)}},
		{http.MethodGet, "/v1/children/:id/placement-notices", caseReaders, s.listChildNotices, routeDoc{summary: "The child's statutory notices of placements (regulation 13), naming the child (audited).",
			out: pageDTO[placementNoticeDTO]{}, query: params([]param{{"status", "string", "pending or sent"}, {"overdue", "boolean", "only those pending past their due time"}}, pageParams)}},
		{http.MethodPost, "/v1/placement-notices/:id/sent", caseworkers, s.markNoticeSent, routeDoc{summary: "Record that a notice was sent, how (email, secure_email, post, by_hand or portal) and with a note (to whom, a reference); send the version you read. The child's council's officers only; once; audited on the child's record.",
			in: noticeSentRequest{}, out: placementNoticeDTO{}}},
	}
}

type placementNoticeDTO struct {
	ID        int64      `json:"id"`
	Offer     int64      `json:"offer"`
	Child     int64      `json:"child"`
	ChildName string     `json:"child_name,omitempty"` // the child's council's readers only
	Council   string     `json:"council"`
	Placement int64      `json:"placement"`
	To        string     `json:"to"`
	Citation  string     `json:"citation"`
	Area      string     `json:"area"`
	Emergency bool       `json:"emergency"`
	DueBy     time.Time  `json:"due_by"`
	Overdue   bool       `json:"overdue"`
	Status    string     `json:"status"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	SentHow   string     `json:"sent_how,omitempty"`
	SentBy    int64      `json:"sent_by,omitempty"` // 0 when the outbox sent it
	Note      string     `json:"note,omitempty"`
	Outbox    int64      `json:"outbox_notification,omitempty"`
	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
}

type noticeSentRequest struct {
	Version int    `json:"version"`
	How     string `json:"how"`
	Note    string `json:"note"`
}

func (s *server) fromNotice(n catalogue.PlacementNotice) placementNoticeDTO {
	return placementNoticeDTO{ID: int64(n.ID), Offer: int64(n.Offer), Child: int64(n.Child), ChildName: n.ChildName,
		Council: string(n.Council), Placement: int64(n.Placement), To: string(n.To), Citation: n.To.Citation(), Area: string(n.Area),
		Emergency: n.Emergency, DueBy: n.DueBy, Overdue: n.Overdue(s.now()), Status: string(n.Status), SentAt: timePtr(n.SentAt),
		SentHow: string(n.SentHow), SentBy: int64(n.SentBy), Note: n.Note, Outbox: int64(n.Outbox), Version: n.Version,
		CreatedAt: n.CreatedAt}
}

// noticeFilter reads the list's query.
func noticeFilter(c *gin.Context) (catalogue.NoticeFilter, error) {
	q := newQuery(c)
	f := catalogue.NoticeFilter{Status: enum(q, "status", catalogue.NoticeStatus.Valid), Overdue: q.bool("overdue")}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.PlacementNoticeID(after)
	return f, q.err()
}

func (s *server) listNotices(c *gin.Context) error {
	f, err := noticeFilter(c)
	if err != nil {
		return err
	}
	p := principal(c)
	page, err := s.store.ListPlacementNotices(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "list", "placement-notices", p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, s.fromNotice))
	return nil
}

func (s *server) listChildNotices(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := noticeFilter(c)
	if err != nil {
		return err
	}
	f.Child = catalogue.ChildID(id)
	p := principal(c)
	page, err := s.store.ListPlacementNotices(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "child:"+f.Child.String(), p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, s.fromNotice))
	return nil
}

func (s *server) markNoticeSent(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body noticeSentRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version < 1 {
		return fieldError("version", "is required: send the version of the notice you read")
	}
	n, err := s.store.MarkNoticeSent(c.Request.Context(), principal(c).Scope(), catalogue.PlacementNoticeID(id), body.Version,
		catalogue.SentHow(body.How), body.Note)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.fromNotice(n))
	return nil
}
