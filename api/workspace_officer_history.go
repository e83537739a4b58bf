package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's page of a child's life in care after the move (issue 19, journey 1): their
// placements with why each ended and their stability, the check-ins about the current
// placement with the trend and the flags where answers worsened, the reviews of unplanned moves
// and the support plans. Each section is read by the same function as its JSON route
// (readHistory, readCheckIns, readSupportPlans; ListMoveReviews as GET /v1/move-reviews?child=),
// each read audited as that route's is. Check-ins are the child's own voice, for their
// council's officers only: an administrator's page leaves them out, as the API refuses them.

type historyPageView struct {
	ID              catalogue.ChildID
	Name, CaseRef   string
	Placements      [][]string
	Stability       []keyValue
	CheckIns        bool // the caller may read them
	Schedule        string
	Flags, Requests []string
	Trend           []keyValue
	Answers         [][]string
	Reviews         [][]string
	Plans           []supportPlanView
}

type supportPlanView struct {
	Home, Status string
	Items        [][]string
}

// historyPage answers GET /workspace/children/:id/history.
func (s *server) historyPage(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	child := catalogue.ChildID(id)
	p := principal(c)
	hist, err := s.readHistory(c, h, child, s.today())
	if err != nil {
		return err
	}
	ch, err := s.store.Child(c.Request.Context(), p.Scope(), child)
	if err != nil {
		return err
	}
	v := historyPageView{ID: ch.ID, Name: ch.FirstName, CaseRef: ch.CaseRef, CheckIns: p.Role == catalogue.RoleOfficer}
	for i := len(hist.Episodes) - 1; i >= 0; i-- {
		e := hist.Episodes[i]
		end := "continuing"
		if e.End != "" {
			end = dayWords(e.End)
		}
		where := humanise(e.Setting)
		if e.PlacedIn != "" {
			where += ", " + councilName(catalogue.CouncilCode(e.PlacedIn))
		}
		if e.DistanceKm != nil {
			where += ", " + kmText(*e.DistanceKm) + " from home"
		}
		v.Placements = append(v.Placements, []string{dayWords(e.Start), end, where, capitalise(e.ReasonWords)})
	}
	st := hist.Stability
	v.Stability = []keyValue{
		{"Placements in the last 12 months", fmt.Sprint(st.Placements12m)},
		{"Moves in the last 12 months", fmt.Sprintf("%d (%d unplanned)", st.Moves12m, st.UnplannedMoves12m)},
		{"School moves in the last 12 months", fmt.Sprint(st.SchoolMoves12m)},
		{"Moves in the last 24 months", fmt.Sprint(st.Moves24m)},
	}
	if st.Since != "" {
		v.Stability = append(v.Stability, keyValue{"In this placement since", dayWords(st.Since)})
	}
	if st.ThreePlusYear {
		v.Stability = append(v.Stability, keyValue{"Stability", "Three or more placements in a year"})
	}
	if v.CheckIns {
		ci, err := s.readCheckIns(c, h, child)
		if err != nil {
			return err
		}
		v.Schedule = ci.Schedule.Message
		for _, f := range ci.Flags {
			v.Flags = append(v.Flags, f.Message)
		}
		for _, r := range ci.AdvocateRequests {
			v.Requests = append(v.Requests, r.Message)
		}
		for _, q := range ci.Trend {
			var words []string
			for _, a := range q.Answers {
				words = append(words, humanise(a.Answer))
			}
			if len(words) == 0 {
				continue
			}
			v.Trend = append(v.Trend, keyValue{q.Text, strings.Join(words, " → ")})
		}
		for i := len(ci.CheckIns) - 1; i >= 0; i-- {
			k := ci.CheckIns[i]
			if k.WouldHelp == "" {
				continue
			}
			v.Answers = append(v.Answers, []string{longDate(k.At), k.WouldHelp})
		}
	}
	reviews, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.MoveReview], error) {
		return h.ListMoveReviews(c.Request.Context(), p.Scope(), catalogue.MoveReviewFilter{Child: child, After: catalogue.MoveReviewID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return err
	}
	if err := s.auditList(c, "move_reviews", ch.Council); err != nil {
		return err
	}
	for _, r := range reviews {
		d := fromMoveReview(r)
		state := "Waiting for the independent reviewing officer"
		if d.Reviewed {
			state = "Reviewed: " + humanise(d.Outcome)
			if d.Findings != "" {
				state += ". " + d.Findings
			}
		}
		v.Reviews = append(v.Reviews, []string{dayWords(d.MovedOn), capitalise(d.ReasonWords), state})
	}
	if sup, err := s.supportStore(); err == nil {
		plans, err := s.readSupportPlans(c, sup, child)
		if err != nil {
			return err
		}
		for _, pl := range plans.Plans {
			pv := supportPlanView{Home: pl.Placement.Name, Status: capitalise(humanise(pl.Status))}
			for _, it := range pl.Items {
				arranged := "Not arranged yet"
				if it.Arranged {
					arranged = "Arranged"
				}
				pv.Items = append(pv.Items, []string{capitalise(humanise(it.Need)), it.Support, arranged})
			}
			v.Plans = append(v.Plans, pv)
		}
	}
	return s.renderWorkspace(c, http.StatusOK, "officer_history", pageData{Title: ch.FirstName + "’s placements and check-ins", Body: v})
}

// dayWords writes a YYYY-MM-DD day as a person reads it.
func dayWords(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return longDate(t)
}
