package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// stayingPutDTO records where the current placement stands on Staying Put, during it: the
// carers' willingness, and the day the arrangement was agreed (required when agreed).
type stayingPutDTO struct {
	Version    int    `json:"version"`
	StayingPut string `json:"staying_put"`
	AgreedOn   string `json:"agreed_on,omitempty"`
}

// recordStayingPut records Staying Put on the child's current placement at the version read
// (catalogue.HistoryStore.RecordStayingPut): the placement as it now is.
func (s *server) recordStayingPut(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d stayingPutDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	var cv converter
	ch := catalogue.StayingPutChange{Child: catalogue.ChildID(id), Version: d.Version, StayingPut: catalogue.StayingPut(d.StayingPut),
		AgreedOn: cv.date("agreed_on", d.AgreedOn)}
	if len(cv.errs) > 0 {
		return catalogue.InvalidFields(cv.errs)
	}
	e, err := h.RecordStayingPut(c.Request.Context(), principal(c).Scope(), ch)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromEpisode(e))
	return nil
}
