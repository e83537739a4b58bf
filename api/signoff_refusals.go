package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Refusals of sign-offs: a manager who may give a sign-off refuses it instead, with a written
// reason (catalogue.SignOffRefusal); the home cannot then be accepted on the offer, and the
// offer's view shows the refusal beside what the home needed.

// signOffRefusalDTO is a sign-off refused: by whom (the token's principal), at what level,
// when, why.
type signOffRefusalDTO struct {
	ID             int64     `json:"id"`
	Offer          int64     `json:"offer"`
	Placement      int64     `json:"placement"`
	Kind           string    `json:"kind"`
	Level          string    `json:"level"`
	Reason         string    `json:"reason"`
	RefusedBy      int64     `json:"refused_by"`
	RefusedByRole  string    `json:"refused_by_role"`
	RefusedByLevel string    `json:"refused_by_level"`
	At             time.Time `json:"at"`
}

func fromRefusal(r catalogue.SignOffRefusal) signOffRefusalDTO {
	return signOffRefusalDTO{ID: int64(r.ID), Offer: int64(r.Offer), Placement: int64(r.Placement), Kind: string(r.Kind),
		Level: string(r.Level), Reason: r.Reason, RefusedBy: int64(r.By), RefusedByRole: string(r.ByRole),
		RefusedByLevel: string(r.ByLevel), At: r.At}
}

// refusedIn reports whether one of refused stands against the kind for the home.
func refusedIn(refused []catalogue.SignOffRefusal, home catalogue.PlacementID, kind catalogue.SignOffKind) bool {
	return slices.ContainsFunc(refused, func(r catalogue.SignOffRefusal) bool { return r.Placement == home && r.Kind == kind })
}

// refuseSignOff answers POST /v1/offers/{id}/sign-off-refusals; the body is a sign-off's.
func (s *server) refuseSignOff(c *gin.Context) error {
	id, body, err := readSignOff(c)
	if err != nil {
		return err
	}
	r, err := s.work.RefuseSignOff(c.Request.Context(), principal(c).Scope(), id, catalogue.PlacementID(body.Placement), catalogue.SignOffKind(body.Kind), body.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, fromRefusal(r))
	return nil
}
