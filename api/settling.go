package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Time to settle (issue 20, item 7; catalogue/settling.go): when a child moves, the back-up of
// the offer they moved under is asked to be held for the council's settling period. The
// back-up's provider agrees (with any weekly retainer, the council's cost) or declines; the
// officer or the provider may end the hold early; and the officer may offer the held back-up to
// the child as a new offer, without a new search. The routes name the child by ID only.

// settlingReaders see holds and may end them: the child's council's officers, the back-up's
// provider, and administrators. The provider answers (referralAnswerers); officers offer.
var settlingReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleProvider}

func (s *server) settlingRoutes() []route {
	return []route{
		{http.MethodGet, "/v1/settling-holds", settlingReaders, s.listSettlingHolds, routeDoc{summary: "Back-ups held while children settle after a move (officers: their council's; providers: those of their own homes): asked for, agreed (with any weekly retainer), declined, released or offered.",
			out: pageDTO[settlingDTO]{}, query: params([]param{{"child", "integer", "a child's ID"}, {"status", "string", "requested, agreed, declined, released or offered"}}, pageParams)}},
		{http.MethodGet, "/v1/settling-holds/:id", settlingReaders, s.getSettlingHold, routeDoc{summary: "Read a settling hold (audited).", out: settlingDTO{}}},
		{http.MethodPost, "/v1/settling-holds/:id/answer", referralAnswerers, s.answerSettlingHold, routeDoc{summary: "The back-up's provider agrees to hold a place for each child who moved until the settling period ends, with an optional weekly retainer in pounds that the council pays (409 when no place is free), or declines; send the version you read.",
			in: settlingAnswerDTO{}, out: settlingDTO{}}},
		{http.MethodPost, "/v1/settling-holds/:id/release", settlingReaders, s.releaseSettlingHold, routeDoc{summary: "End a hold before its settling period does, with a reason (required): the officer's (the child has settled) or the provider's (it withdraws); its places are vacancies again and the other side is told. Send the version you read.",
			in: settlingReleaseDTO{}, out: settlingDTO{}}},
		{http.MethodPost, "/v1/settling-holds/:id/offer", caseworkers, s.offerSettlingHold, routeDoc{summary: "Offer the held back-up to the child as a new offer, without a new search (reason required: how the check-ins or the move are going): the home is checked against the child's hard constraints today (409 naming placement when it no longer fits) and its held places become the offer's. Send the version you read.",
			in: settlingReleaseDTO{}, out: settlingOfferDTO{}, status: http.StatusCreated}},
		{http.MethodPost, "/workspace/settling-holds/:id/offer", caseworkers, s.offerBackupPage, routeDoc{summary: "Offer the held back-up to the child (HTML form, CSRF token), as POST /v1/settling-holds/{id}/offer: 303 to the new offer, or the placed offer's page again naming the mistake.", status: 303, content: "text/html"}},
		{http.MethodGet, "/workspace/settling-holds/:id", referralAnswerers, s.holdPage, routeDoc{summary: "A settling hold as the back-up's provider sees it: the home, how many places, until when, with the form to agree (with any weekly retainer) or decline, or to withdraw (HTML; audited).", content: "text/html"}},
		{http.MethodPost, "/workspace/settling-holds/:id/answer", referralAnswerers, s.answerHoldPage, routeDoc{summary: "The provider's answer to a settling hold (HTML form, CSRF token), as POST /v1/settling-holds/{id}/answer: 303 to the hold, or the page again naming the mistake.", status: 303, content: "text/html"}},
		{http.MethodPost, "/workspace/settling-holds/:id/release", settlingReaders, s.releaseBackupPage, routeDoc{summary: "End a settling hold early with a reason (HTML form, CSRF token): the officer's or the provider's, as POST /v1/settling-holds/{id}/release; 303 to the placed offer (a provider: to the hold).", status: 303, content: "text/html"}},
	}
}

// settlingDTO is a settling hold.
type settlingDTO struct {
	ID        int64   `json:"id"`
	Offer     int64   `json:"offer"` // the offer the child moved under
	Child     int64   `json:"child"`
	Siblings  []int64 `json:"siblings"`
	Council   string  `json:"council"`
	Placement int64   `json:"placement"` // the back-up's home
	Provider  int64   `json:"provider"`
	Status    string  `json:"status"`
	Weeks     int     `json:"weeks"`
	Ends      string  `json:"ends"` // the day the settling period ends (YYYY-MM-DD)
	// WeeklyRetainer is what the council pays the provider a week for holding the place: never
	// the child's placement cost.
	WeeklyRetainer int        `json:"weekly_retainer"`
	Note           string     `json:"note,omitempty"`
	Held           []int64    `json:"held"` // the places held
	AnsweredAt     *time.Time `json:"answered_at,omitempty"`
	ReleasedAt     *time.Time `json:"released_at,omitempty"`
	ReleaseReason  string     `json:"release_reason,omitempty"`
	NewOffer       int64      `json:"new_offer,omitempty"`
	Referral       int64      `json:"referral,omitempty"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
}

func fromSettling(h catalogue.SettlingHold) settlingDTO {
	return settlingDTO{ID: int64(h.ID), Offer: int64(h.Offer), Child: int64(h.Child), Siblings: ids(h.Siblings), Council: string(h.Council),
		Placement: int64(h.Placement), Provider: int64(h.Provider), Status: string(h.Status), Weeks: h.Weeks, Ends: h.Ends.Format(time.DateOnly),
		WeeklyRetainer: h.WeeklyRetainer, Note: h.Note, Held: ids(h.Held), AnsweredAt: timePtr(h.AnsweredAt), ReleasedAt: timePtr(h.ReleasedAt),
		ReleaseReason: h.ReleaseReason, NewOffer: int64(h.NewOffer), Referral: int64(h.Referral), Version: h.Version, CreatedAt: h.CreatedAt}
}

// settlingAnswerDTO is the provider's answer.
type settlingAnswerDTO struct {
	Version        int    `json:"version"`
	Agree          *bool  `json:"agree"`
	WeeklyRetainer int    `json:"weekly_retainer,omitempty"` // pounds a week; only when agreeing
	Note           string `json:"note,omitempty"`
}

// settlingReleaseDTO is the body of ending a hold or offering it: the version read and why.
type settlingReleaseDTO struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// settlingOfferDTO is what offering a held back-up made: the new offer and the hold.
type settlingOfferDTO struct {
	Offer offerDTO    `json:"offer"`
	Hold  settlingDTO `json:"hold"`
}

func (s *server) settlingStore() (catalogue.SettlingStore, error) {
	if s.settling == nil {
		return nil, statusError(http.StatusNotImplemented, "settling holds are not kept by this server")
	}
	return s.settling, nil
}

// The one call each change makes, for the JSON routes and the pages alike; the matcher's copy of
// the home is refreshed after it (a held place is no vacancy).

// changeHold makes one change to a hold through the store.
func (s *server) changeHold(c *gin.Context, change func(ctx context.Context, sc catalogue.Scope, st catalogue.SettlingStore) (catalogue.SettlingHold, error)) (catalogue.SettlingHold, error) {
	st, err := s.settlingStore()
	if err != nil {
		return catalogue.SettlingHold{}, err
	}
	h, err := change(c.Request.Context(), principal(c).Scope(), st)
	if err == nil {
		s.touch(c.Request.Context(), h.Placement)
	}
	return h, err
}

func (s *server) answerHold(c *gin.Context, id catalogue.SettlingHoldID, version int, a catalogue.SettlingAnswer) (catalogue.SettlingHold, error) {
	return s.changeHold(c, func(ctx context.Context, sc catalogue.Scope, st catalogue.SettlingStore) (catalogue.SettlingHold, error) {
		return st.AnswerSettlingHold(ctx, sc, id, version, a)
	})
}

func (s *server) releaseHold(c *gin.Context, id catalogue.SettlingHoldID, version int, reason string) (catalogue.SettlingHold, error) {
	return s.changeHold(c, func(ctx context.Context, sc catalogue.Scope, st catalogue.SettlingStore) (catalogue.SettlingHold, error) {
		return st.ReleaseSettlingHold(ctx, sc, id, version, reason)
	})
}

func (s *server) offerHold(c *gin.Context, id catalogue.SettlingHoldID, version int, reason string) (catalogue.Offer, catalogue.SettlingHold, error) {
	o, h, err := s.work.OfferBackup(c.Request.Context(), principal(c).Scope(), id, version, reason)
	if err == nil {
		s.touch(c.Request.Context(), h.Placement)
	}
	return o, h, err
}

func (s *server) listSettlingHolds(c *gin.Context) error {
	st, err := s.settlingStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	f := catalogue.SettlingFilter{Child: catalogue.ChildID(q.int("child", 1, 1<<62)), Status: enum(q, "status", catalogue.SettlingStatus.Valid)}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.SettlingHoldID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := st.ListSettlingHolds(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "settling-holds", p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromSettling))
	return nil
}

// readHold reads a hold in the caller's scope, audited.
func (s *server) readHold(c *gin.Context, id catalogue.SettlingHoldID) (catalogue.SettlingHold, error) {
	st, err := s.settlingStore()
	if err != nil {
		return catalogue.SettlingHold{}, err
	}
	h, err := st.SettlingHold(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return catalogue.SettlingHold{}, err
	}
	return h, s.auditRead(c, "read", "settling:"+h.ID.String(), h.Council)
}

func (s *server) getSettlingHold(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	h, err := s.readHold(c, catalogue.SettlingHoldID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromSettling(h))
	return nil
}

// holdRequest reads the hold a change's path names and the change's body.
func holdRequest[T any](c *gin.Context) (catalogue.SettlingHoldID, T, error) {
	var d T
	id, err := pathID(c)
	if err == nil {
		err = decodeJSON(c, &d)
	}
	return catalogue.SettlingHoldID(id), d, err
}

func (s *server) answerSettlingHold(c *gin.Context) error {
	id, d, err := holdRequest[settlingAnswerDTO](c)
	if err != nil {
		return err
	}
	if d.Agree == nil {
		return fieldError("agree", "is required: true to hold the place, false to decline")
	}
	h, err := s.answerHold(c, id, d.Version,
		catalogue.SettlingAnswer{Agree: *d.Agree, WeeklyRetainer: d.WeeklyRetainer, Note: d.Note})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromSettling(h))
	return nil
}

func (s *server) releaseSettlingHold(c *gin.Context) error {
	id, d, err := holdRequest[settlingReleaseDTO](c)
	if err != nil {
		return err
	}
	h, err := s.releaseHold(c, id, d.Version, d.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromSettling(h))
	return nil
}

func (s *server) offerSettlingHold(c *gin.Context) error {
	id, d, err := holdRequest[settlingReleaseDTO](c)
	if err != nil {
		return err
	}
	o, h, err := s.offerHold(c, id, d.Version, d.Reason)
	if err != nil {
		return err
	}
	ch, err := s.store.Child(c.Request.Context(), principal(c).Scope(), o.Child)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	view, err := s.offerView(c.Request.Context(), o, &ch, nil)
	if err != nil {
		return err
	}
	c.Header("Location", "/v1/offers/"+o.ID.String())
	c.JSON(http.StatusCreated, settlingOfferDTO{Offer: view, Hold: fromSettling(h)})
	return nil
}
