package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// runOffersResponse says, for each child of a match run the caller may see, the offer made or
// why none was.
type runOffersResponse struct {
	Run     int64          `json:"match_run"`
	Created []runOfferMade `json:"created"`
	Skipped []runOfferSkip `json:"skipped"`
}

type runOfferMade struct {
	Child int64 `json:"child"`
	Offer int64 `json:"offer"`
}

type runOfferSkip struct {
	Child  int64  `json:"child"`
	Reason string `json:"reason"`
}

// createRunOffers answers POST /v1/match-runs/{id}/offers: every child of a succeeded run that
// the caller may see, and that was offered a home, gets an offer of the run's placements as their
// two choices (the joint match reserved them, so no place is promised to two children), with the
// run's scores and reasons. A child with an offer already open is skipped, saying so.
func (s *server) createRunOffers(c *gin.Context) error {
	if s.runs == nil {
		return errNoMatching
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	p := principal(c)
	sc := p.Scope()
	run, err := s.runs.MatchRun(ctx, sc, catalogue.MatchRunID(id))
	if err != nil {
		return err
	}
	if run.Status != catalogue.RunSucceeded {
		return statusError(http.StatusConflict, "match run %d is %s: offers are made from a run that succeeded", id, run.Status)
	}
	results, err := catalogue.Collect(func(after int64) (catalogue.Page[catalogue.RunResult], error) {
		return s.runs.ListRunResults(ctx, sc, run.ID, catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: catalogue.MaxLimit})
	})
	if err != nil {
		return err
	}
	out := runOffersResponse{Run: int64(run.ID), Created: []runOfferMade{}, Skipped: []runOfferSkip{}}
	for _, r := range results {
		if len(r.Group) > 0 && r.Group[0] != r.Child {
			continue // a brother or sister: the offer is made to the first of the group
		}
		if len(r.Offers) == 0 {
			reason := r.Reason
			if reason == "" {
				reason = "the run offered no home"
			}
			out.Skipped = append(out.Skipped, runOfferSkip{Child: int64(r.Child), Reason: reason})
			continue
		}
		o := catalogue.Offer{Child: r.Child, Council: r.Council, Run: run.ID, PolicyVersion: run.Policy}
		for _, g := range r.Group {
			if g != r.Child {
				o.Siblings = append(o.Siblings, g)
			}
		}
		for i, ro := range r.Offers {
			o.Options = append(o.Options, catalogue.Option{
				Rank: i + 1, Role: catalogue.RoleChoice, Placement: ro.Placement, Score: ro.Score, Quality: ro.Quality,
				Factors: ro.Factors, WeeklyCost: ro.WeeklyCost, HomeKm: ro.HomeKm, SchoolKm: ro.SchoolKm,
			})
		}
		made, err := s.offers.CreateOffer(ctx, sc, o)
		switch {
		case errors.Is(err, catalogue.ErrConflict):
			out.Skipped = append(out.Skipped, runOfferSkip{Child: int64(r.Child), Reason: "an offer for this child is already open"})
			continue
		case err != nil:
			return fmt.Errorf("offer for child %d from match run %d: %w", r.Child, run.ID, err)
		}
		out.Created = append(out.Created, runOfferMade{Child: int64(r.Child), Offer: int64(made.ID)})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}
