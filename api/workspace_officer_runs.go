package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's match runs (issue 19, journey 1): start a run of the council's children
// waiting, follow its progress (the page refreshes itself with a meta refresh while it runs, and
// has a button to refresh), read the results with each child's name and the homes proposed, then
// refer every child to the run's homes and make offers from the homes that agreed: the same
// calls as POST /v1/match-runs, GET /v1/match-runs/{id} and its results, and POST
// /v1/match-runs/{id}/referrals and /offers.

// runRefreshSeconds is how often the page of a running run reloads itself.
const runRefreshSeconds = 3

// runsPage answers GET /workspace/match-runs: what a run is, and the form to start one.
func (s *server) runsPage(c *gin.Context) error {
	return s.renderWorkspace(c, http.StatusOK, "officer_runs", pageData{Title: "Match runs", Body: struct{ Council string }{councilName(principal(c).Council)}})
}

// startRunPage answers POST /workspace/match-runs: a run of the officer's council's children
// (an administrator's: every child), started as POST /v1/match-runs starts it.
func (s *server) startRunPage(c *gin.Context) error {
	if s.matching == nil {
		return errNoMatching
	}
	if _, err := pageForm(c); err != nil {
		return err
	}
	run, err := s.matching.StartMatchRun(c.Request.Context(), principal(c), MatchRunRequest{})
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/match-runs/"+run.ID.String())
	return nil
}

type runResultRow struct {
	Child           catalogue.ChildID
	Name, NeededBy  string
	Homes, Together []string
	Reason          string
}

// runPageView answers GET /workspace/match-runs/:id: a run's progress, or its results with the
// children's names and the homes proposed (casework.ReadRun; the results' read audited as GET
// /v1/match-runs/{id}/results's).
func (s *server) runPageView(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p := principal(c)
	v, err := s.work.ReadRun(c.Request.Context(), p.Scope(), catalogue.MatchRunID(id))
	if err != nil {
		return err
	}
	run := v.Run
	d := pageData{Title: "Match run " + run.ID.String()}
	body := struct {
		ID                   catalogue.MatchRunID
		Status, Stage, Error string
		Running, Succeeded   bool
		Done, Total, Percent int
		Refresh              int
		Counts               []keyValue
		Rows                 []runResultRow
	}{ID: run.ID, Status: capitalise(humanise(run.Status)), Stage: run.Stage, Error: run.Error, Running: run.Status == catalogue.RunRunning,
		Succeeded: run.Status == catalogue.RunSucceeded, Done: run.Done, Total: run.Total}
	if body.Running {
		d.Refresh = runRefreshSeconds
		if run.Total > 0 {
			body.Percent = run.Done * 100 / run.Total
		}
	}
	if body.Succeeded {
		if err := s.auditRead(c, "list", fmt.Sprintf("match_run:%d/results", run.ID), p.Council); err != nil {
			return err
		}
		body.Counts = []keyValue{
			{"Children", fmt.Sprint(run.Children)}, {"Offered two homes", fmt.Sprint(run.Offered)},
			{"Offered one home", fmt.Sprint(run.OfferedOne)}, {"Offered none", fmt.Sprint(run.OfferedNone)},
			{"Brothers and sisters kept together", fmt.Sprintf("%d of %d groups", run.GroupsTogether, run.GroupsPlanned)},
		}
		for _, r := range v.Results {
			ch, ok := v.Children[r.Child]
			if !ok {
				continue
			}
			row := runResultRow{Child: ch.ID, Name: ch.FirstName, NeededBy: longDate(r.NeededBy), Reason: r.Reason}
			for _, o := range r.Offers {
				name := v.Homes[o.Placement].Name
				if name == "" {
					name = "Home " + o.Placement.String()
				}
				role := "back-up"
				if o.Role == "primary" {
					role = "a choice"
				}
				row.Homes = append(row.Homes, fmt.Sprintf("%s (%s, £%s a week)", name, role, thousands(o.WeeklyCost)))
			}
			for _, m := range r.Group {
				if m != r.Child {
					row.Together = append(row.Together, v.Children[m].FirstName)
				}
			}
			body.Rows = append(body.Rows, row)
		}
	}
	d.Body = body
	return s.renderWorkspace(c, http.StatusOK, "officer_run", d)
}

type runOutcomeRow struct {
	Child      catalogue.ChildID
	Name, What string
	Offer      catalogue.OfferID
}

// runReferralsPage answers POST /workspace/match-runs/:id/referrals: every child of the run
// referred to the providers of the run's homes for them (casework.ReferFromRun, as POST
// /v1/match-runs/{id}/referrals), and what was done for each.
func (s *server) runReferralsPage(c *gin.Context) error {
	id, _, err := postedTo(c)
	if err != nil {
		return err
	}
	ctx, sc := c.Request.Context(), principal(c).Scope()
	res, err := s.work.ReferFromRun(ctx, sc, catalogue.MatchRunID(id), false)
	if err != nil {
		return err
	}
	var rows []runOutcomeRow
	for _, r := range res.Sent {
		s.touch(ctx, r.Placement)
		home := "home " + r.Placement.String()
		if pl, err := s.store.Placement(ctx, catalogue.Everything, r.Placement); err == nil { // the referral in scope names it
			home = pl.Name
		}
		rows = append(rows, runOutcomeRow{Child: r.Child, What: fmt.Sprintf("Referred to %s; the provider answers by %s", home, whenText(r.Deadline))})
	}
	for _, k := range res.Skipped {
		rows = append(rows, runOutcomeRow{Child: k.Child, What: "Not referred: " + k.Reason})
	}
	return s.renderRunOutcome(c, catalogue.MatchRunID(id), "Referrals from match run "+res.Run.String(), rows)
}

// runOffersPage answers POST /workspace/match-runs/:id/offers: offers for every child of the run
// from the run's homes that agreed (casework.OffersFromRun, as POST /v1/match-runs/{id}/offers).
func (s *server) runOffersPage(c *gin.Context) error {
	id, _, err := postedTo(c)
	if err != nil {
		return err
	}
	res, err := s.work.OffersFromRun(c.Request.Context(), principal(c).Scope(), catalogue.MatchRunID(id))
	if err != nil {
		return err
	}
	var rows []runOutcomeRow
	for _, m := range res.Made {
		rows = append(rows, runOutcomeRow{Child: m.Child, What: "Offer made", Offer: m.Offer})
	}
	for _, k := range res.Skipped {
		rows = append(rows, runOutcomeRow{Child: k.Child, What: "No offer: " + k.Reason})
	}
	return s.renderRunOutcome(c, catalogue.MatchRunID(id), "Offers from match run "+res.Run.String(), rows)
}

// renderRunOutcome names each child of the rows (those the caller may see) and renders them.
func (s *server) renderRunOutcome(c *gin.Context, run catalogue.MatchRunID, title string, rows []runOutcomeRow) error {
	sc := principal(c).Scope()
	for i := range rows {
		if ch, err := s.store.Child(c.Request.Context(), sc, rows[i].Child); err == nil {
			rows[i].Name = ch.FirstName
		} else if !isNotFound(err) {
			return err
		}
	}
	return s.renderWorkspace(c, http.StatusOK, "officer_run_outcome", pageData{Title: title, Body: struct {
		Run   catalogue.MatchRunID
		Title string
		Rows  []runOutcomeRow
	}{run, title, rows}})
}
