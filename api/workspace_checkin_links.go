package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The officer's check-in links from the child's record (issue 19): send the child a link to
// check in about their placement, shown once on the answer as an offer's link is, and stop every
// check-in link of theirs. The calls are the JSON routes' (POST and DELETE
// /v1/children/{id}/check-in-links).

// sendCheckInLinkPage answers POST /workspace/children/:id/check-in-links.
func (s *server) sendCheckInLinkPage(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, _, err := postedTo(c)
	if err != nil {
		return err
	}
	base, err := s.linkBase(c)
	if err != nil {
		return err
	}
	ctx, sc := c.Request.Context(), principal(c).Scope()
	ch, err := s.store.Child(ctx, sc, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	token, hash := catalogue.NewSecret(linkPrefix)
	link, err := h.SendCheckInLink(ctx, sc, ch.ID, catalogue.ChildLink{Hash: hash, ExpiresAt: s.now().Add(defaultLinkDays * 24 * time.Hour)})
	if err != nil {
		return err
	}
	sent := sentLink(base, token, link)
	secretResponse(c)
	return s.renderWorkspace(c, http.StatusOK, "officer_checkin_sent", pageData{Title: "A check-in link for " + ch.FirstName, Body: struct {
		Child           catalogue.ChildID
		Name, URL, Note string
		Expires         string
	}{ch.ID, ch.FirstName, sent.URL, sent.Note, whenText(sent.ExpiresAt)}})
}

// revokeCheckInLinksPage answers POST /workspace/children/:id/check-in-links/revoke.
func (s *server) revokeCheckInLinksPage(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, _, err := postedTo(c)
	if err != nil {
		return err
	}
	if err := h.RevokeCheckInLinks(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/workspace/children/"+catalogue.ChildID(id).String()+"?revoked=1")
	return nil
}
