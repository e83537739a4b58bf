package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

func (s *server) approvalRoutes() []route {
	return []route{
		{http.MethodGet, "/v1/approval-watch", supplyRead, s.watchApprovals, routeDoc{summary: "Family homes whose carers' approval needs acting on, by the service's clock: connected persons' temporary approvals lapsing within the weeks asked (regulations 24 and 25: 16 weeks, extendable once by 8), those lapsed where children still live, and homes with no approval dates, never offered until recorded (officers: their council's children's kinship homes; providers: their own homes; administrators: every family home, or a council area's).",
			out: approvalWatchDTO{}, query: []param{{"within_weeks", "integer", "the window for lapsing approvals, 1 to 24 weeks (default 4)"}, councilParam}}},
	}
}

// approvalWatchDTO is the approvals watch (casework.ApprovalWatch). Homes are named as officers
// know them; no child is named: only how many children live there.
type approvalWatchDTO struct {
	Today       string           `json:"today"`
	WithinWeeks int              `json:"within_weeks"`
	Lapsing     []watchedHomeDTO `json:"lapsing"`
	Lapsed      []watchedHomeDTO `json:"lapsed"`
	Undated     []watchedHomeDTO `json:"undated"`
}

type watchedHomeDTO struct {
	Placement placementSummary `json:"placement"`
	Deadline  string           `json:"deadline,omitempty"` // the day the temporary approval lapses (or lapsed)
	Extended  bool             `json:"extended,omitempty"` // extended by 8 weeks under regulation 25
	Living    int              `json:"children_living"`    // children in care living there, or about to
}

func (s *server) watchApprovals(c *gin.Context) error {
	q := newQuery(c)
	weeks := int(q.int("within_weeks", 1, casework.MaxWatchWeeks))
	if weeks == 0 {
		weeks = int(catalogue.TemporaryWarning / (7 * 24 * time.Hour)) // four weeks: the warning on the home
	}
	council := enum(q, "council", catalogue.CouncilCode.Valid)
	if err := q.err(); err != nil {
		return err
	}
	w, err := s.work.WatchApprovals(c.Request.Context(), principal(c).Scope(), council, weeks)
	if err != nil {
		return err
	}
	d := approvalWatchDTO{Today: dateString(w.Today), WithinWeeks: w.Weeks}
	for _, l := range []struct {
		in  []casework.WatchedHome
		out *[]watchedHomeDTO
	}{{w.Lapsing, &d.Lapsing}, {w.Lapsed, &d.Lapsed}, {w.Undated, &d.Undated}} {
		*l.out = []watchedHomeDTO{}
		for _, h := range l.in {
			wd := watchedHomeDTO{Placement: summaryOf(&h.Placement, availablePlaces(h.Placement)), Deadline: dateString(h.Deadline), Living: h.Living}
			if t := h.Placement.TemporaryApproval; t != nil {
				wd.Extended = t.Extended
			}
			*l.out = append(*l.out, wd)
		}
	}
	c.JSON(http.StatusOK, d)
	return nil
}
