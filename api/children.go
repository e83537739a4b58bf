package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// auditList records that the caller listed subject: the council's records it asked for, or its
// own council's when it may see no other.
func (s *server) auditList(c *gin.Context, subject string, council catalogue.CouncilCode) error {
	if p := principal(c); p.Council != "" {
		council = p.Council
	}
	return s.auditRead(c, "list", subject, council)
}

// auditRead records that the caller read a child's record (changes are audited by the store).
func (s *server) auditRead(c *gin.Context, action, subject string, council catalogue.CouncilCode) error {
	p := principal(c)
	a := catalogue.ActorFrom(c.Request.Context())
	return s.store.AppendAudit(c.Request.Context(), catalogue.AuditEntry{
		At: s.now(), Actor: p.Token, Role: p.Role, Action: action, Subject: subject,
		Council: council, Reason: a.Reason, Request: a.Request,
	})
}

func (s *server) listChildren(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.ChildFilter{
		Council:      enum(q, "council", catalogue.CouncilCode.Valid),
		Status:       enum(q, "status", catalogue.ChildStatus.Valid),
		SiblingGroup: catalogue.SiblingGroupID(q.int("sibling_group", 1, 1<<62)),
		Near:         q.near(),
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.ChildID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := s.store.ListChildren(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "children", f.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromChild))
	return nil
}

func (s *server) getChild(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ch, err := s.store.Child(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id))
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromChild(ch))
	return nil
}

func (s *server) createChild(c *gin.Context) error {
	var d childDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	d.ID, d.Version = 0, 0
	ch, err := toChild(d)
	if err != nil {
		return err
	}
	ch, err = s.store.CreateChild(c.Request.Context(), principal(c).Scope(), ch)
	if err != nil {
		return err
	}
	c.Header("Location", "/v1/children/"+ch.ID.String())
	c.JSON(http.StatusCreated, fromChild(ch))
	return nil
}

func (s *server) updateChild(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d childDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if err := checkUpdate(id, d.ID, d.Version); err != nil {
		return err
	}
	d.ID = id
	ch, err := toChild(d)
	if err != nil {
		return err
	}
	ch, err = s.store.UpdateChild(c.Request.Context(), principal(c).Scope(), ch)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromChild(ch))
	return nil
}

func (s *server) listGroups(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.GroupFilter{Council: enum(q, "council", catalogue.CouncilCode.Valid)}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.SiblingGroupID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := s.store.ListSiblingGroups(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "sibling_groups", f.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromGroup))
	return nil
}

func (s *server) getGroup(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	g, err := s.store.SiblingGroup(c.Request.Context(), principal(c).Scope(), catalogue.SiblingGroupID(id))
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "sibling_group:"+strconv.FormatInt(id, 10), g.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromGroup(g))
	return nil
}

func (s *server) createGroup(c *gin.Context) error {
	var d groupDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if len(d.Members) > 0 {
		return fieldError("members", "is read-only: set each child's sibling_group instead")
	}
	d.ID, d.Version = 0, 0
	g, err := toGroup(d)
	if err != nil {
		return err
	}
	g, err = s.store.CreateSiblingGroup(c.Request.Context(), principal(c).Scope(), g)
	if err != nil {
		return err
	}
	c.Header("Location", "/v1/sibling-groups/"+g.ID.String())
	c.JSON(http.StatusCreated, fromGroup(g))
	return nil
}

func (s *server) updateGroup(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d groupDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if err := checkUpdate(id, d.ID, d.Version); err != nil {
		return err
	}
	d.ID, d.Members = id, nil
	g, err := toGroup(d)
	if err != nil {
		return err
	}
	g, err = s.store.UpdateSiblingGroup(c.Request.Context(), principal(c).Scope(), g)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromGroup(g))
	return nil
}
