package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's withdrawals from the offer's page (issue 19): withdraw one home of an open offer
// (the back-up takes its place and a new search tops the offer up: casework.ReplaceOption, as
// POST /v1/offers/{id}/options/{placement}/withdraw), or the whole offer (casework.WithdrawOffer,
// as POST /v1/offers/{id}/withdraw), each with a reason, at the version the page was read.

// withdrawHomePage answers POST /workspace/offers/:id/options/withdraw.
func (s *server) withdrawHomePage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.OfferID(n)
	df := decisionForm{Home: form.Get("home"), HomeReason: form.Get("home_reason")}
	again := s.withdrawAgain(c, id, df, "home", "home_reason")
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and try again"))
	}
	home, err := strconv.ParseInt(df.Home, 10, 64)
	if err != nil || home <= 0 {
		return again(fieldError("placement", "must be chosen: the home that fell through"))
	}
	if err := reasonRequired(df.HomeReason); err != nil {
		return again(err)
	}
	if _, err := s.work.ReplaceOption(c.Request.Context(), principal(c).Scope(), id, version, catalogue.PlacementID(home), df.HomeReason); err != nil {
		return again(err)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+id.String())
	return nil
}

// withdrawOfferPage answers POST /workspace/offers/:id/withdraw.
func (s *server) withdrawOfferPage(c *gin.Context) error {
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.OfferID(n)
	df := decisionForm{WithdrawReason: form.Get("withdraw_reason")}
	again := s.withdrawAgain(c, id, df, "", "withdraw_reason")
	version, err := strconv.Atoi(form.Get("version"))
	if err != nil || version < 1 {
		return again(fieldError("version", "was not sent: reload the page and try again"))
	}
	if err := reasonRequired(df.WithdrawReason); err != nil {
		return again(err)
	}
	ctx := c.Request.Context()
	o, err := s.work.WithdrawOffer(ctx, principal(c).Scope(), id, version, df.WithdrawReason)
	if err != nil {
		return again(err)
	}
	s.touchOptions(ctx, o) // the places its referrals held are free again
	c.Redirect(http.StatusSeeOther, "/workspace/offers/"+id.String())
	return nil
}

// withdrawAgain returns the offer's page again with a withdrawal's mistakes: a mistake in the
// home links to the home's control, in the reason to the reason's.
func (s *server) withdrawAgain(c *gin.Context, id catalogue.OfferID, df decisionForm, home, reason string) func(error) error {
	return func(err error) error {
		errs, status, ok := formMistakes(err, func(f string) string {
			switch f {
			case "reason":
				return reason
			case "placement":
				return home
			}
			return ""
		})
		if !ok {
			return err
		}
		return s.renderOffer(c, id, status, errs, df, placedForm{})
	}
}
