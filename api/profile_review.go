package api

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The review of a home's own words before a child reads them (catalogue.ProfileReview). A
// provider writes the words; an officer or an administrator who did not write them reads them
// and approves that exact text, naming it by the profile_hash they read with the placement, so
// that an approval cannot approve a text its approver did not see (409 when the text changed
// since). The store withdraws the approval whenever the text changes. Until it is approved, the
// child's page describes the home in its own plain words only.

// profileApprovalRequest is the body of POST /v1/placements/{id}/profile-approval.
type profileApprovalRequest struct {
	ProfileHash string `json:"profile_hash"` // the placement's profile_hash as the approver read it
}

var sha256Hex = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

// approveProfile answers POST /v1/placements/{id}/profile-approval.
func (s *server) approveProfile(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d profileApprovalRequest
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if !sha256Hex.MatchString(d.ProfileHash) {
		return fieldError("profile_hash", "must be the placement's profile_hash as you read it (64 hexadecimal digits)")
	}
	pl, err := s.store.ApproveProfile(c.Request.Context(), principal(c).Scope(), catalogue.PlacementID(id), strings.ToLower(d.ProfileHash))
	if err != nil {
		return err
	}
	s.touch(c.Request.Context(), pl.ID)
	c.JSON(http.StatusOK, fromPlacement(pl))
	return nil
}

// withdrawProfileApproval answers DELETE /v1/placements/{id}/profile-approval.
func (s *server) withdrawProfileApproval(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pl, err := s.store.WithdrawProfileApproval(c.Request.Context(), principal(c).Scope(), catalogue.PlacementID(id))
	if err != nil {
		return err
	}
	s.touch(c.Request.Context(), pl.ID)
	c.JSON(http.StatusOK, fromPlacement(pl))
	return nil
}
