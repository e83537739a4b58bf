package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Help requests (catalogue/helprequest.go): a child's request for an advocate reaches the
// council's advocacy service, who see only these requests and what the child chose to share,
// and record contact made; a child's request to look again at a decision reaches the council's
// independent reviewing officers, who record what they found. Each role reads its own kind.

func (s *server) helpRoutes() []route {
	kinds := []struct {
		kind   catalogue.HelpKind
		path   string
		roles  []catalogue.Role
		answer string
		what   string
	}{
		{catalogue.HelpAdvocacy, "/v1/advocacy-requests", advocates, "contact", "Children's requests for an advocate (the council's advocacy service: its own council's), open ones by default: the child's first name and age, when and where they asked, and what they chose to share, never more."},
		{catalogue.HelpLookAgain, "/v1/look-again-requests", iros, "answer", "Children's requests that their independent reviewing officer look again at a decision about their home (the council's IROs), open ones by default, with why in the child's words."},
	}
	var out []route
	for _, k := range kinds {
		answerSummary := "Record the contact made with the child (note, required); send the version you read. Audited."
		if k.kind == catalogue.HelpLookAgain {
			answerSummary = "Record that you looked again at the decision and what you found (note, required); send the version you read. Audited."
		}
		out = append(out,
			route{http.MethodGet, k.path, k.roles, s.listHelp(k.kind), routeDoc{summary: k.what, out: pageDTO[helpRequestDTO]{},
				query: params([]param{{"all", "boolean", "answered requests too"}, {"child", "integer", "a child's ID"}}, pageParams)}},
			route{http.MethodGet, k.path + "/:id", k.roles, s.getHelp(k.kind), routeDoc{summary: "Read one request (audited).", out: helpRequestDTO{}}},
			route{http.MethodPost, k.path + "/:id/" + k.answer, k.roles, s.answerHelp(k.kind), routeDoc{summary: answerSummary, in: helpAnswerDTO{}, out: helpRequestDTO{}}},
		)
	}
	return out
}

// helpRequestDTO is a child's request as its answerer reads it: the least they need to act on
// it. It has no address, school or family, and no other record of the child.
type helpRequestDTO struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Child       int64      `json:"child"`
	FirstName   string     `json:"first_name"`
	Age         int        `json:"age"`
	Council     string     `json:"council"`
	From        string     `json:"from"` // check_in or offer: the page the child asked from
	Offer       int64      `json:"offer,omitempty"`
	Shared      string     `json:"shared,omitempty"`
	RequestedAt time.Time  `json:"requested_at"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	DoneBy      string     `json:"done_by,omitempty"`
	Note        string     `json:"note,omitempty"`
	Version     int        `json:"version"`
}

// helpAnswerDTO is the body of answering a request.
type helpAnswerDTO struct {
	Version int    `json:"version"`
	Note    string `json:"note"`
}

func (s *server) fromHelpRequest(h catalogue.HelpRequest, ch catalogue.Child) helpRequestDTO {
	d := helpRequestDTO{ID: int64(h.ID), Kind: string(h.Kind), Child: int64(h.Child), FirstName: ch.FirstName, Age: ch.AgeOn(s.today()),
		Council: string(h.Council), From: "offer", Offer: int64(h.Offer), Shared: h.Shared, RequestedAt: h.RequestedAt,
		DoneAt: timePtr(h.DoneAt), Note: h.Note, Version: h.Version}
	if h.CheckIn != 0 {
		d.From = "check_in"
	}
	if h.Done() {
		d.DoneBy = actorName(h.DoneBy)
	}
	return d
}

func (s *server) helpStore() (catalogue.HelpStore, error) {
	hs, ok := s.store.(catalogue.HelpStore)
	if !ok {
		return nil, statusError(http.StatusNotImplemented, "children's help requests are not kept by this server")
	}
	return hs, nil
}

func (s *server) listHelp(kind catalogue.HelpKind) handlerFunc {
	return func(c *gin.Context) error {
		hs, err := s.helpStore()
		if err != nil {
			return err
		}
		q := newQuery(c)
		f := catalogue.HelpFilter{Kind: kind, All: q.bool("all"), Child: catalogue.ChildID(q.int("child", 1, 1<<62))}
		limit, after := q.page()
		f.Limit, f.After = limit, catalogue.HelpRequestID(after)
		if err := q.err(); err != nil {
			return err
		}
		ctx, p := c.Request.Context(), principal(c)
		page, err := hs.HelpRequests(ctx, p.Scope(), f)
		if err != nil {
			return err
		}
		out := pageDTO[helpRequestDTO]{Items: make([]helpRequestDTO, 0, len(page.Items)), NextCursor: cursor(page.Next)}
		for _, h := range page.Items {
			ch, err := s.store.Child(ctx, p.Scope(), h.Child)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, s.fromHelpRequest(h, ch))
		}
		if err := s.auditList(c, string(kind)+"-requests", p.Council); err != nil {
			return err
		}
		c.JSON(http.StatusOK, out)
		return nil
	}
}

// helpTarget is the help store and the request the path names.
func (s *server) helpTarget(c *gin.Context) (catalogue.HelpStore, catalogue.HelpRequestID, error) {
	hs, err := s.helpStore()
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c)
	return hs, catalogue.HelpRequestID(id), err
}

func (s *server) getHelp(kind catalogue.HelpKind) handlerFunc {
	return func(c *gin.Context) error {
		hs, id, err := s.helpTarget(c)
		if err != nil {
			return err
		}
		ctx, p := c.Request.Context(), principal(c)
		h, err := hs.HelpRequest(ctx, p.Scope(), kind, id)
		if err != nil {
			return err
		}
		ch, err := s.store.Child(ctx, p.Scope(), h.Child)
		if err != nil {
			return err
		}
		if err := s.auditRead(c, "read", "help_request:"+h.ID.String(), h.Council); err != nil {
			return err
		}
		c.JSON(http.StatusOK, s.fromHelpRequest(h, ch))
		return nil
	}
}

func (s *server) answerHelp(kind catalogue.HelpKind) handlerFunc {
	return func(c *gin.Context) error {
		hs, id, err := s.helpTarget(c)
		if err != nil {
			return err
		}
		var d helpAnswerDTO
		if err := decodeJSON(c, &d); err != nil {
			return err
		}
		ctx, p := c.Request.Context(), principal(c)
		h, err := answerHelp(ctx, hs, p, catalogue.HelpAnswer{Request: id, Kind: kind, Version: d.Version, Note: d.Note})
		if err != nil {
			return err
		}
		ch, err := s.store.Child(ctx, p.Scope(), h.Child)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, s.fromHelpRequest(h, ch))
		return nil
	}
}

// answerHelp checks an answer to a request and records it: the JSON routes' and the pages'.
func answerHelp(ctx context.Context, hs catalogue.HelpStore, p catalogue.Principal, a catalogue.HelpAnswer) (catalogue.HelpRequest, error) {
	if err := a.Validate(); err != nil {
		return catalogue.HelpRequest{}, err
	}
	return hs.AnswerHelpRequest(ctx, p.Scope(), a)
}
