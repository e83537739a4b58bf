package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/catalogue"
)

var (
	// officersOnly: a child's check-ins are their own voice, seen by the child and by their
	// council's officers, not by administrators.
	officersOnly = []catalogue.Role{catalogue.RoleOfficer}
	// stabilityReaders see stability aggregates: counts, never records.
	stabilityReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleCommissioner}
)

// Audit actions of reads of a child's history; the subject is the child.
const (
	actionReadHistory    = "read_history"
	actionReadCheckIns   = "read_check_ins"
	actionReadMoveReview = "read_move_review"
)

// history returns the store of placement histories and check-ins, or a 501 when the Store keeps
// none.
func (s *server) history() (histories, error) {
	if s.hist == nil {
		return nil, statusError(http.StatusNotImplemented, "placement histories are not kept by this server")
	}
	return s.hist, nil
}

// today is the server's day, on which indicators and schedules are worked out.
func (s *server) today() time.Time { return catalogue.Day(s.now()) }

// onDay reads the optional on=YYYY-MM-DD query parameter, today by default.
func (s *server) onDay(q *query) time.Time {
	v := q.str("on")
	if v == "" {
		return s.today()
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 1990 || t.After(s.today()) {
		q.fail("on", "must be a date written YYYY-MM-DD, not in the future")
		return time.Time{}
	}
	return t
}

// getHistory: a child's placements, each with why it ended, and their stability indicators.
func (s *server) getHistory(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	on := s.onDay(q)
	if err := q.err(); err != nil {
		return err
	}
	d, err := s.readHistory(c, h, catalogue.ChildID(id), on)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
	return nil
}

// readHistory reads a child's placements and stability on a day, in the caller's scope, and
// audits the read: GET /v1/children/{id}/history's and the workspace's.
func (s *server) readHistory(c *gin.Context, h histories, id catalogue.ChildID, on time.Time) (historyDTO, error) {
	ctx, sc := c.Request.Context(), principal(c).Scope()
	ch, err := s.store.Child(ctx, sc, id)
	if err != nil {
		return historyDTO{}, err
	}
	eps, err := h.History(ctx, sc, ch.ID)
	if err != nil {
		return historyDTO{}, err
	}
	st, err := h.ChildStability(ctx, sc, ch.ID, on)
	if err != nil {
		return historyDTO{}, err
	}
	if err := s.auditRead(c, actionReadHistory, "child:"+ch.ID.String(), ch.Council); err != nil {
		return historyDTO{}, err
	}
	d := historyDTO{Child: int64(id), Council: string(ch.Council), Episodes: make([]episodeDTO, len(eps)), Stability: fromChildStability(st)}
	for i, e := range eps {
		d.Episodes[i] = fromEpisode(e)
	}
	return d, nil
}

// startPlacement records the first placement of a child with none going on.
func (s *server) startPlacement(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d placementInDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	var cv converter
	e := cv.episode("", d, catalogue.ChildID(id))
	if len(cv.errs) > 0 {
		return catalogue.InvalidFields(cv.errs)
	}
	if e.Start.IsZero() {
		return fieldError("start", "is required: the day the placement began")
	}
	e, err = h.StartPlacement(c.Request.Context(), principal(c).Scope(), e)
	if err != nil {
		return err
	}
	c.Header("Location", "/v1/children/"+catalogue.ChildID(id).String()+"/history")
	c.JSON(http.StatusCreated, fromEpisode(e))
	return nil
}

// moveChild ends the child's current placement with its SSDA903 reason (required) and starts
// the next; an unplanned move opens a review for the independent reviewing officer.
func (s *server) moveChild(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d moveDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	m, err := toMove(d, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	res, err := h.MoveChild(c.Request.Context(), principal(c).Scope(), m)
	if err != nil {
		return err
	}
	if res.Review != nil {
		c.Header("Location", "/v1/move-reviews/"+res.Review.ID.String())
	}
	c.JSON(http.StatusCreated, fromMoveResult(res))
	return nil
}

// listMoveReviews lists the reviews of unplanned moves of the caller's council (open ones by
// default): what the independent reviewing officer has still to look at.
func (s *server) listMoveReviews(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.MoveReviewFilter{
		Council: enum(q, "council", catalogue.CouncilCode.Valid),
		Child:   catalogue.ChildID(q.int("child", 1, 1<<62)),
		Status:  catalogue.ReviewOpen,
	}
	switch st := q.str("status"); st {
	case "", string(catalogue.ReviewOpen):
	case string(catalogue.ReviewDone):
		f.Status = catalogue.ReviewDone
	case "all":
		f.Status = ""
	default:
		q.fail("status", "must be open, reviewed or all")
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.MoveReviewID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := h.ListMoveReviews(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "move_reviews", f.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromMoveReview))
	return nil
}

func (s *server) getMoveReview(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := h.MoveReview(c.Request.Context(), principal(c).Scope(), catalogue.MoveReviewID(id))
	if err != nil {
		return err
	}
	if err := s.auditRead(c, actionReadMoveReview, "child:"+r.Child.String(), r.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromMoveReview(r))
	return nil
}

// reviewMove records the independent reviewing officer's review of an unplanned move, once.
func (s *server) reviewMove(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d reviewDecisionDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	dec := catalogue.ReviewDecision{Review: catalogue.MoveReviewID(id), Outcome: catalogue.ReviewOutcome(d.Outcome),
		ChildSpokenTo: d.ChildSpokenTo, Findings: d.Findings, Version: d.Version}
	if err := dec.Validate(); err != nil {
		return err
	}
	r, err := h.ReviewMove(c.Request.Context(), principal(c).Scope(), dec)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromMoveReview(r))
	return nil
}

// getCheckIns shows an officer a child's check-ins about their current placement: the plan,
// whether one is due, the trend of every answer and flags where answers have worsened.
func (s *server) getCheckIns(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := newQuery(c).err(); err != nil {
		return err
	}
	d, err := s.readCheckIns(c, h, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
	return nil
}

// readCheckIns reads a child's check-ins, their trend and flags in the caller's scope, and
// audits the read: GET /v1/children/{id}/check-ins's and the workspace's.
func (s *server) readCheckIns(c *gin.Context, h histories, id catalogue.ChildID) (checkInsDTO, error) {
	ctx, sc := c.Request.Context(), principal(c).Scope()
	ch, err := s.store.Child(ctx, sc, id)
	if err != nil {
		return checkInsDTO{}, err
	}
	st, err := h.CheckInStatus(ctx, sc, ch.ID, s.today())
	if err != nil {
		return checkInsDTO{}, err
	}
	links, err := h.CheckInLinks(ctx, sc, ch.ID)
	if err != nil {
		return checkInsDTO{}, err
	}
	if err := s.auditRead(c, actionReadCheckIns, "child:"+ch.ID.String(), ch.Council); err != nil {
		return checkInsDTO{}, err
	}
	return fromCheckInStatus(ch.FirstName, st, catalogue.TrendOf(ch.FirstName, st.CheckIns), links, s.now()), nil
}

// checkInLinkResponse is a new check-in link, shown once, and every check-in link of the child
// (never their tokens).
type checkInLinkResponse struct {
	Link  sentLinkDTO `json:"link"`
	Links []linkDTO   `json:"check_in_links"`
}

// sendCheckInLink answers POST /v1/children/{id}/check-in-links: a private link for the child to
// check in about their current placement, shown once (an Idempotency-Key retry makes a new one:
// the token is stored nowhere but as a hash). A fresh link revokes any not yet opened.
func (s *server) sendCheckInLink(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	expires, err := s.linkExpiry(c)
	if err != nil {
		return err
	}
	base, err := s.linkBase(c)
	if err != nil {
		return err
	}
	ctx, sc, child := c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id)
	token, hash := catalogue.NewSecret(linkPrefix)
	link, err := h.SendCheckInLink(ctx, sc, child, catalogue.ChildLink{Hash: hash, ExpiresAt: expires})
	if err != nil {
		return err
	}
	links, err := h.CheckInLinks(ctx, sc, child)
	if err != nil {
		return err
	}
	secretResponse(c)
	c.Header("Location", "/v1/children/"+child.String()+"/check-ins")
	c.JSON(http.StatusCreated, checkInLinkResponse{Link: sentLink(base, token, link), Links: fromLinks(links, s.now())})
	return nil
}

// revokeCheckInLinks answers DELETE /v1/children/{id}/check-in-links: every check-in link of the
// child stops working and every session they opened ends. The child's offers are not touched.
func (s *server) revokeCheckInLinks(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := h.RevokeCheckInLinks(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// setCheckInPlan records the check-in schedule agreed with the child.
func (s *server) setCheckInPlan(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d checkInPlanInDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	p := catalogue.CheckInPlan{Child: catalogue.ChildID(id), Days: d.Days, ThenEvery: d.ThenEvery, Version: d.Version}
	if err := p.Validate(); err != nil {
		return err
	}
	p, err = h.SetCheckInPlan(c.Request.Context(), principal(c).Scope(), p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromCheckInPlan(p))
	return nil
}

// getStability sums the stability indicators of a council's children or England's, with counts
// of 1 to 4 suppressed: aggregates only, for officers, commissioners and administrators.
func (s *server) getStability(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	q := newQuery(c)
	council := enum(q, "council", catalogue.CouncilCode.Valid)
	on := s.onDay(q)
	if err := q.err(); err != nil {
		return err
	}
	// Without a council, officers and council commissioners see their own; council= (empty)
	// asks for England.
	if p := principal(c); !c.Request.URL.Query().Has("council") {
		council = p.Council
	}
	// The summary comes from the cache of aggregates: the last copy, with its age, while a new
	// one is computed (it reads every child's history of the area).
	k := aggregate.Key{Route: "/v1/stability", Scope: areaScope(council), Params: "on=" + on.Format(time.DateOnly)}
	cp, err := aggregateFor(c, s, principal(c).Token, k, s.aggAge, func(ctx context.Context) (catalogue.StabilitySummary, error) {
		return h.StabilitySummary(ctx, council, on)
	})
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "stability?council="+string(council), council); err != nil {
		return err
	}
	d := fromStabilitySummary(cp.Value)
	d.ComputedAt = cp.ComputedAt.UTC()
	c.JSON(http.StatusOK, d)
	return nil
}
