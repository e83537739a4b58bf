package api

import (
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
// the caller may see, and that was offered a home, gets an offer of the run's homes as their two
// choices and a back-up, checked and scored again now, all in one transaction
// (casework.OffersFromRun); a child no longer waiting, with an offer open, or whom a home of the
// run can no longer take is skipped, saying why.
func (s *server) createRunOffers(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	res, err := s.work.OffersFromRun(c.Request.Context(), principal(c).Scope(), catalogue.MatchRunID(id))
	if err != nil {
		return err
	}
	out := runOffersResponse{Run: int64(res.Run), Created: []runOfferMade{}, Skipped: []runOfferSkip{}}
	for _, m := range res.Made {
		out.Created = append(out.Created, runOfferMade{Child: int64(m.Child), Offer: int64(m.Offer)})
	}
	for _, k := range res.Skipped {
		out.Skipped = append(out.Skipped, runOfferSkip{Child: int64(k.Child), Reason: k.Reason})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}
