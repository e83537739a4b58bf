package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// The pages of the independent reviewing officers and the advocates (issue 19): what waits for
// them (children's requests to look again at a decision, reviews of unplanned moves; children's
// requests for an advocate), one request with the form to answer it, and one move review with
// the form to record it. Each reads and writes through the calls of its JSON routes
// (/v1/look-again-requests, /v1/advocacy-requests, /v1/move-reviews) and shows no more than
// they do: a help request's child by first name and age, with what the child chose to share,
// never an address, school or family. The requests carry no deadline in law: each is shown with
// how long it has waited, the longest first.

// helpKindOf is the kind of request a role answers: an IRO's look-again requests, an
// advocate's requests for an advocate.
func helpKindOf(r catalogue.Role) catalogue.HelpKind {
	if r == catalogue.RoleIRO {
		return catalogue.HelpLookAgain
	}
	return catalogue.HelpAdvocacy
}

type helpRowView struct {
	ID                        int64
	Href, Name, From, Waiting string
	Shared, Answered          string
}

type reviewRowView struct {
	ID                         int64
	Href, Child, Move, Waiting string
}

// waiting says how long something asked at since has waited, by the service's clock.
func (s *server) waiting(since time.Time) string {
	days := int(s.today().Sub(catalogue.Day(since)).Hours() / 24)
	switch days {
	case 0:
		return "since today, " + since.Format("15:04")
	case 1:
		return "since yesterday (" + longDate(since) + ")"
	}
	return fmt.Sprintf("%d days, since %s", days, longDate(since))
}

// helpRow is one request as the list shows it.
func (s *server) helpRow(d helpRequestDTO) helpRowView {
	from := "their offer’s page"
	if d.From == "check_in" {
		from = "a check-in"
	}
	r := helpRowView{ID: d.ID, Href: "/workspace/requests/" + strconv.FormatInt(d.ID, 10), Name: fmt.Sprintf("%s, %d", d.FirstName, d.Age),
		From: from, Waiting: s.waiting(d.RequestedAt), Shared: d.Shared}
	if d.DoneAt != nil {
		r.Answered = "answered " + longDate(*d.DoneAt) + " by " + d.DoneBy
	}
	return r
}

// requestsPage answers GET /workspace/requests: what waits for an IRO or an advocate.
func (s *server) requestsPage(c *gin.Context) error {
	hs, err := s.helpStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	all, answered := q.bool("all"), q.bool("answered")
	if err := q.err(); err != nil {
		return err
	}
	ctx, p := c.Request.Context(), principal(c)
	kind := helpKindOf(p.Role)
	v := struct {
		Kind    string
		IRO     bool
		All     bool
		Help    []helpRowView
		Reviews []reviewRowView
	}{Kind: string(kind), IRO: p.Role == catalogue.RoleIRO, All: all}
	f := catalogue.HelpFilter{Kind: kind, All: all, Limit: catalogue.MaxLimit}
	for {
		page, err := hs.HelpRequests(ctx, p.Scope(), f)
		if err != nil {
			return err
		}
		for _, h := range page.Items {
			ch, err := s.store.Child(ctx, p.Scope(), h.Child)
			if err != nil {
				return err
			}
			v.Help = append(v.Help, s.helpRow(s.fromHelpRequest(h, ch)))
		}
		if page.Next == 0 {
			break
		}
		f.After = catalogue.HelpRequestID(page.Next)
	}
	if err := s.auditList(c, string(kind)+"-requests", p.Council); err != nil {
		return err
	}
	if v.IRO {
		h, err := s.history()
		if err != nil {
			return err
		}
		rf := catalogue.MoveReviewFilter{Status: catalogue.ReviewOpen, Limit: catalogue.MaxLimit}
		for {
			page, err := h.ListMoveReviews(ctx, p.Scope(), rf)
			if err != nil {
				return err
			}
			for _, r := range page.Items {
				ch, err := s.store.Child(ctx, p.Scope(), r.Child)
				if err != nil {
					return err
				}
				v.Reviews = append(v.Reviews, reviewRowView{ID: int64(r.ID), Href: "/workspace/move-reviews/" + r.ID.String(), Child: ch.FirstName,
					Move: longDate(r.MovedOn) + ": " + r.Reason.Words(), Waiting: s.waiting(r.CreatedAt)})
			}
			if page.Next == 0 {
				break
			}
			rf.After = catalogue.MoveReviewID(page.Next)
		}
		if err := s.auditList(c, "move_reviews", p.Council); err != nil {
			return err
		}
	}
	d := pageData{Title: "What waits for you", Body: v}
	if answered {
		d.Banner = "Recorded. It is no longer waiting."
	}
	return s.renderWorkspace(c, http.StatusOK, "help_requests", d)
}

// helpForm is what was typed in a request's answer.
type helpForm struct{ Note string }

// helpRequestPage answers GET /workspace/requests/:id.
func (s *server) helpRequestPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return s.renderHelpRequest(c, catalogue.HelpRequestID(id), http.StatusOK, nil, helpForm{})
}

// answerRequestPage answers POST /workspace/requests/:id/answer: the answer recorded as the
// JSON route records it, then the list with a banner; a mistake is the page again.
func (s *server) answerRequestPage(c *gin.Context) error {
	hs, err := s.helpStore()
	if err != nil {
		return err
	}
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id, hf := catalogue.HelpRequestID(n), helpForm{Note: form.Get("note")}
	version, _ := strconv.Atoi(form.Get("version"))
	p := principal(c)
	if _, err := answerHelp(c.Request.Context(), hs, p, catalogue.HelpAnswer{Request: id, Kind: helpKindOf(p.Role), Version: version, Note: hf.Note}); err != nil {
		errs, status, ok := formMistakes(err, func(f string) string {
			if f == "note" {
				return "note"
			}
			return ""
		})
		if !ok {
			return err
		}
		return s.renderHelpRequest(c, id, status, errs, hf)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/requests?answered=1")
	return nil
}

// renderHelpRequest reads one request of the caller's kind as GET its JSON route does
// (audited) and renders it with the answer's form while it is open.
func (s *server) renderHelpRequest(c *gin.Context, id catalogue.HelpRequestID, status int, errs []formError, hf helpForm) error {
	hs, err := s.helpStore()
	if err != nil {
		return err
	}
	ctx, p := c.Request.Context(), principal(c)
	h, err := hs.HelpRequest(ctx, p.Scope(), helpKindOf(p.Role), id)
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
	d := s.fromHelpRequest(h, ch)
	title := d.FirstName + " asked for an advocate"
	if h.Kind == catalogue.HelpLookAgain {
		title = d.FirstName + " asked you to look again"
	}
	return s.renderWorkspace(c, status, "help_request", pageData{Title: title, Errors: errs, Body: struct {
		Row     helpRowView
		Req     helpRequestDTO
		IRO     bool
		Form    helpForm
		Max     int
		Council string
	}{s.helpRow(d), d, h.Kind == catalogue.HelpLookAgain, hf, catalogue.MaxShared, councilName(h.Council)}})
}

// reviewForm is what was typed in a move review's form.
type reviewForm struct{ Outcome, SpokenTo, Findings string }

// moveReviewPage answers GET /workspace/move-reviews/:id.
func (s *server) moveReviewPage(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return s.renderMoveReview(c, catalogue.MoveReviewID(id), http.StatusOK, nil, reviewForm{})
}

// recordReviewPage answers POST /workspace/move-reviews/:id: the review recorded as PUT
// /v1/move-reviews/{id} records it, then the list with a banner; a mistake is the page again.
func (s *server) recordReviewPage(c *gin.Context) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	n, form, err := postedTo(c)
	if err != nil {
		return err
	}
	id := catalogue.MoveReviewID(n)
	rf := reviewForm{Outcome: form.Get("outcome"), SpokenTo: form.Get("spoken_to"), Findings: form.Get("findings")}
	version, _ := strconv.Atoi(form.Get("version"))
	dec := catalogue.ReviewDecision{Review: id, Outcome: catalogue.ReviewOutcome(rf.Outcome), ChildSpokenTo: rf.SpokenTo == "yes",
		Findings: strings.TrimSpace(rf.Findings), Version: version}
	err = dec.Validate()
	if err == nil && rf.SpokenTo != "yes" && rf.SpokenTo != "no" {
		err = fieldError("spoken_to", "must be answered: did you speak with the child about the move?")
	}
	if err == nil {
		_, err = h.ReviewMove(c.Request.Context(), principal(c).Scope(), dec)
	}
	if err != nil {
		errs, status, ok := formMistakes(err, func(f string) string {
			switch f {
			case "outcome", "findings", "spoken_to":
				return f
			}
			return ""
		})
		if !ok {
			return err
		}
		return s.renderMoveReview(c, id, status, errs, rf)
	}
	c.Redirect(http.StatusSeeOther, "/workspace/requests?answered=1")
	return nil
}

// renderMoveReview reads one review as GET /v1/move-reviews/{id} does (audited) and renders it
// with the form while it is open.
func (s *server) renderMoveReview(c *gin.Context, id catalogue.MoveReviewID, status int, errs []formError, rf reviewForm) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	ctx, p := c.Request.Context(), principal(c)
	r, err := h.MoveReview(ctx, p.Scope(), id)
	if err != nil {
		return err
	}
	ch, err := s.store.Child(ctx, p.Scope(), r.Child)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, actionReadMoveReview, "child:"+r.Child.String(), r.Council); err != nil {
		return err
	}
	outcomes := make([]keyValue, len(catalogue.ReviewOutcomes))
	for i, o := range catalogue.ReviewOutcomes {
		outcomes[i] = keyValue{string(o), reviewOutcomeWords[o]}
	}
	v := struct {
		ID       catalogue.MoveReviewID
		Child    catalogue.ChildID
		Name     string
		Facts    []keyValue
		Review   []keyValue
		Open     bool
		Version  int
		Outcomes []keyValue
		Form     reviewForm
		Max      int
	}{ID: r.ID, Child: ch.ID, Name: ch.FirstName, Open: !r.Reviewed(), Version: r.Version, Outcomes: outcomes, Form: rf, Max: catalogue.MaxWordsLen}
	v.Facts = []keyValue{{"Moved on", longDate(r.MovedOn)}, {"Why the placement ended", r.Reason.Words()}, {"Waiting", s.waiting(r.CreatedAt)}}
	if r.Note != "" {
		v.Facts = append(v.Facts, keyValue{"The placement team’s account", r.Note})
	}
	if r.Reviewed() {
		spoken := "No"
		if r.ChildSpokenTo {
			spoken = "Yes"
		}
		v.Review = []keyValue{{"Reviewed on", longDate(r.ReviewedAt)}, {"Outcome", reviewOutcomeWords[r.Outcome]}, {"Spoke with " + ch.FirstName, spoken}}
		if r.Findings != "" {
			v.Review = append(v.Review, keyValue{"Findings", r.Findings})
		}
	}
	return s.renderWorkspace(c, status, "move_review", pageData{Title: "The review of " + ch.FirstName + "’s move", Errors: errs, Body: v})
}

// reviewOutcomeWords say each outcome of a move review as an IRO records it.
var reviewOutcomeWords = map[catalogue.ReviewOutcome]string{
	catalogue.OutcomeSatisfied:  "Satisfied: the move was handled as it should have been",
	catalogue.OutcomeConcerns:   "Concerns raised with the social worker or team manager",
	catalogue.OutcomeChallenged: "A formal challenge: the council’s dispute resolution process",
}
