package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Defaults for links sent to children.
const (
	defaultLinkDays = 14
	maxLinkDays     = 30
)

// offerRequest is the optional body of POST /v1/children/{id}/offers. Without placements the
// options search picks the top two as choices and the third as back-up; with them, the officer's
// homes are checked against every hard constraint and scored, the first two being the choices.
type offerRequest struct {
	Placements []int64 `json:"placements"`
	// OneChoiceReason is required when only one home has agreed to take the child.
	OneChoiceReason string `json:"one_choice_reason"`
}

type offerOptionDTO struct {
	Rank            int               `json:"rank"`
	Role            string            `json:"role"`
	Withdrawn       bool              `json:"withdrawn"`
	WithdrawnReason string            `json:"withdrawn_reason,omitempty"`
	Placement       placementSummary  `json:"placement"`
	Score           float64           `json:"score"`
	Quality         float64           `json:"quality"`
	Factors         []factorDTO       `json:"factors"`
	WeeklyCost      int               `json:"weekly_cost"`
	HomeKm          float64           `json:"home_km"`
	SchoolKm        *float64          `json:"school_km"`
	Contacts        []contactDistance `json:"contacts"`
	ChildPrefers    bool              `json:"child_prefers"`
	// SupportNeeded is the support plan accepting this home would make for the child: the
	// child's needs its carers are not trained for, and what answers each (in the detail view;
	// brothers and sisters moving with the child get plans of their own).
	SupportNeeded []supportItemDTO `json:"support_needed,omitempty"`
	// Referral is the accepted referral by which the home's provider agreed to take the child.
	Referral int64 `json:"referral,omitempty"`
}

type childSayDTO struct {
	Given             bool   `json:"given"`
	Preference        int64  `json:"preference,omitempty"`
	Neither           bool   `json:"neither"`
	InOwnWords        string `json:"in_own_words"`
	AdvocateRequested bool   `json:"advocate_requested"`
	// GoneThroughWith: who went through the page with a child too young for their own link.
	GoneThroughWith string     `json:"gone_through_with,omitempty"`
	At              *time.Time `json:"at,omitempty"`
}

type decisionDTO struct {
	Outcome   string    `json:"outcome"` // accepted or declined
	Placement int64     `json:"placement,omitempty"`
	Reason    string    `json:"reason"`
	By        int64     `json:"by"`
	At        time.Time `json:"at"`
	Filled    []int64   `json:"filled_vacancies,omitempty"`
	// SupportPlans are the plans accepting made (GET /v1/support-plans/{id}).
	SupportPlans []int64 `json:"support_plans,omitempty"`
}

type linkDTO struct {
	ID        int64      `json:"id"`
	Child     int64      `json:"child"` // whose link: the child's, or a brother's or sister's
	CreatedBy int64      `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	OpenedAt  *time.Time `json:"opened_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	Live      bool       `json:"live"`
}

// offerDTO is the officer's view of an offer: the ranking and its reasons, what the child
// chose and said, and the decision with its reason.
type offerDTO struct {
	ID             int64            `json:"id"`
	Child          int64            `json:"child"`
	ChildFirstName string           `json:"child_first_name,omitempty"`
	Council        string           `json:"council"`
	Run            int64            `json:"match_run,omitempty"`
	PolicyVersion  int              `json:"policy_version"`
	Status         string           `json:"status"`
	Version        int              `json:"version"`
	Siblings       []int64          `json:"siblings"`
	Options        []offerOptionDTO `json:"options"`
	ChildSay       childSayDTO      `json:"child_say"`
	// SiblingSays are what each brother or sister moving with the child said, through their
	// own link, in the order of siblings.
	SiblingSays     []siblingSayDTO   `json:"sibling_says,omitempty"`
	ReasonNeededFor map[string]string `json:"reason_needed_for,omitempty"` // placement ID -> why accepting it needs a reason
	Decision        *decisionDTO      `json:"decision,omitempty"`
	WithdrawnReason string            `json:"withdrawn_reason,omitempty"`
	OneChoiceReason string            `json:"one_choice_reason,omitempty"`
	// SignOffs, in the view of one offer: what accepting each home needs signed off, why, and
	// what is given; a home needing one not given cannot be accepted (409 naming sign_offs).
	SignOffs  *signOffsDTO `json:"sign_offs,omitempty"`
	Links     []linkDTO    `json:"links,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	SentAt    *time.Time   `json:"sent_at,omitempty"`
	PlacedAt  *time.Time   `json:"placed_at,omitempty"`
}

// siblingSayDTO is one brother's or sister's own say on the offer.
type siblingSayDTO struct {
	Child     int64       `json:"child"`
	FirstName string      `json:"first_name,omitempty"`
	Say       childSayDTO `json:"say"`
}

func fromSay(s catalogue.ChildSay) childSayDTO {
	return childSayDTO{Given: !s.At.IsZero(), Preference: int64(s.Preference), Neither: s.Neither,
		InOwnWords: s.InOwnWords, AdvocateRequested: s.AdvocateRequested, GoneThroughWith: string(s.With), At: timePtr(s.At)}
}

// offerView builds the officer's view. Placements and the child are read when a lookup is
// given (the detail view); the list gives none.
func (s *server) offerView(ctx context.Context, o catalogue.Offer, ch *catalogue.Child, links []catalogue.ChildLink) (offerDTO, error) {
	d := offerDTO{
		ID: int64(o.ID), Child: int64(o.Child), Council: string(o.Council), Run: int64(o.Run), PolicyVersion: o.PolicyVersion,
		Status: string(o.Status), Version: o.Version, Siblings: ids(o.Siblings), Options: []offerOptionDTO{},
		ChildSay: fromSay(o.Say), WithdrawnReason: o.WithdrawnReason, OneChoiceReason: o.OneChoiceReason, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		SentAt: timePtr(o.SentAt), PlacedAt: timePtr(o.PlacedAt),
	}
	if d.Siblings == nil {
		d.Siblings = []int64{}
	}
	for _, id := range o.Siblings {
		d.SiblingSays = append(d.SiblingSays, siblingSayDTO{Child: int64(id), Say: fromSay(o.SiblingSays[id])})
	}
	if ch != nil {
		d.ChildFirstName = ch.FirstName
	}
	for _, op := range o.Options {
		od := offerOptionDTO{
			Rank: op.Rank, Role: string(op.Role), Withdrawn: op.Withdrawn, WithdrawnReason: op.WithdrawnReason,
			Placement: placementSummary{ID: int64(op.Placement)}, Score: round4(op.Score), Quality: round4(op.Quality),
			WeeklyCost: op.WeeklyCost, HomeKm: round2(op.HomeKm), Contacts: []contactDistance{},
			ChildPrefers: o.Say.Preference == op.Placement && op.Placement != 0, Referral: int64(op.Referral),
		}
		for _, f := range op.Factors {
			od.Factors = append(od.Factors, factorDTO{Factor: string(f.Factor), Weight: round4(f.Weight), Score: round4(f.Score), Reason: f.Reason})
		}
		if op.SchoolKm >= 0 {
			km := round2(op.SchoolKm)
			od.SchoolKm = &km
		}
		if ch != nil {
			for i, km := range op.ContactKm {
				if i < len(ch.Contacts) {
					k := ch.Contacts[i]
					od.Contacts = append(od.Contacts, contactDistanceOf(k, km))
				}
			}
			p, err := s.store.Placement(ctx, catalogue.Everything, op.Placement)
			switch {
			case err == nil:
				od.Placement = summaryOf(&p, availablePlaces(p))
				if items := catalogue.SupportFor(ch.Needs, p.Skills); len(items) > 0 {
					od.SupportNeeded = fromSupportItems(items)
				}
			case !errors.Is(err, catalogue.ErrNotFound):
				return offerDTO{}, err
			}
		}
		d.Options = append(d.Options, od)
	}
	if o.Status.Open() {
		d.ReasonNeededFor = map[string]string{}
		for _, op := range o.Options {
			if op.Withdrawn {
				continue
			}
			if dep := o.Departures(true, op.Placement); len(dep) > 0 {
				d.ReasonNeededFor[op.Placement.String()] = strings.Join(dep, "; ")
			}
		}
		d.ReasonNeededFor["declined"] = strings.Join(o.Departures(false, 0), "; ")
	}
	if dec := o.Decision; dec != nil {
		d.Decision = &decisionDTO{Outcome: "declined", Placement: int64(dec.Placement), Reason: dec.Reason, By: int64(dec.By), At: dec.At,
			Filled: ids(dec.Filled), SupportPlans: ids(dec.SupportPlans)}
		if dec.Accepted {
			d.Decision.Outcome = "accepted"
		}
	}
	if len(links) > 0 {
		d.Links = fromLinks(links, s.now())
	}
	if ch != nil {
		so, err := s.work.OfferSignOffs(ctx, catalogue.Everything, o.ID) // o was read in scope
		if err != nil {
			return offerDTO{}, err
		}
		d.SignOffs = fromSignOffs(o, so)
	}
	return d, nil
}

// fromLinks is the officer's view of a child's links: when each was made, opened or revoked,
// and whether it can still be opened; never a token.
func fromLinks(links []catalogue.ChildLink, now time.Time) []linkDTO {
	out := make([]linkDTO, len(links))
	for i, l := range links {
		out[i] = linkDTO{ID: l.ID, Child: int64(l.Child), CreatedBy: int64(l.CreatedBy), CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt,
			OpenedAt: timePtr(l.RedeemedAt), RevokedAt: timePtr(l.RevokedAt), Live: l.Live(now)}
	}
	return out
}

// offerDetail reads what the officer's view of one offer shows and audits the read.
func (s *server) offerDetail(c *gin.Context, o catalogue.Offer, action string) (offerDTO, error) {
	ctx := c.Request.Context()
	sc := principal(c).Scope()
	ch, err := s.store.Child(ctx, sc, o.Child)
	if err != nil {
		return offerDTO{}, err
	}
	links, err := s.store.OfferLinks(ctx, sc, o.ID)
	if err != nil {
		return offerDTO{}, err
	}
	d, err := s.offerView(ctx, o, &ch, links)
	if err != nil {
		return offerDTO{}, err
	}
	for i, sib := range d.SiblingSays {
		m, err := s.store.Child(ctx, sc, catalogue.ChildID(sib.Child))
		if errors.Is(err, catalogue.ErrNotFound) {
			continue
		} else if err != nil {
			return offerDTO{}, err
		}
		d.SiblingSays[i].FirstName = m.FirstName
	}
	if action != "" {
		if err := s.auditRead(c, action, "offer:"+o.ID.String(), o.Council); err != nil {
			return offerDTO{}, err
		}
	}
	return d, nil
}

func offerID(c *gin.Context) (catalogue.OfferID, error) {
	id, err := pathID(c)
	return catalogue.OfferID(id), err
}

// createOffer answers POST /v1/children/{id}/offers.
func (s *server) createOffer(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body offerRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	}
	named := make([]catalogue.PlacementID, len(body.Placements))
	for i, p := range body.Placements {
		named[i] = catalogue.PlacementID(p)
	}
	o, ch, err := s.work.MakeOffer(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id), named, body.OneChoiceReason)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "read", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	d, err := s.offerView(c.Request.Context(), o, &ch, nil)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, d)
	return nil
}

func (s *server) listOffers(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.OfferFilter{
		Council: enum(q, "council", catalogue.CouncilCode.Valid),
		Status:  enum(q, "status", catalogue.OfferStatus.Valid),
		Child:   catalogue.ChildID(q.int("child", 1, 1<<62)),
		Run:     catalogue.MatchRunID(q.int("match_run", 1, 1<<62)),
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.OfferID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := s.store.ListOffers(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditList(c, "offers", f.Council); err != nil {
		return err
	}
	out := pageDTO[offerDTO]{Items: make([]offerDTO, 0, len(page.Items)), NextCursor: cursor(page.Next)}
	for _, o := range page.Items {
		d, err := s.offerView(c.Request.Context(), o, nil, nil)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, d)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (s *server) getOffer(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	_, d, err := s.readOffer(c, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
	return nil
}

// readOffer reads an offer in the caller's scope and the officer's view of it, and audits the
// read: GET /v1/offers/{id}'s and the workspace's.
func (s *server) readOffer(c *gin.Context, id catalogue.OfferID) (catalogue.Offer, offerDTO, error) {
	o, err := s.store.Offer(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return catalogue.Offer{}, offerDTO{}, err
	}
	d, err := s.offerDetail(c, o, "read")
	return o, d, err
}

// sendRequest is the optional body of the routes that make a child's link.
type sendRequest struct {
	ExpiresInDays int `json:"expires_in_days"`
	// Child: a brother or sister offered with the child, for their own link and their own say
	// on the same homes; left out, the child's.
	Child int64 `json:"child"`
}

// sentLinkDTO is a child's new link, shown once: its token is in the URL and nowhere else.
type sentLinkDTO struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
	Note      string    `json:"note"`
	// ForAdult: the child is too young to be sent their own link (the council's policy); the
	// link is for their social worker or carer, to go through the page with them.
	ForAdult bool `json:"for_an_adult,omitempty"`
}

const sentLinkNote = "Give this link to the child or their advocate only. It opens once, on one device; it is not stored and cannot be shown again."

type sendResponse struct {
	Link  sentLinkDTO `json:"link"`
	Offer offerDTO    `json:"offer"`
}

// linkExpiry reads the optional sendRequest body of a check-in link: when it runs out.
func (s *server) linkExpiry(c *gin.Context) (time.Time, error) {
	t, child, err := s.linkRequest(c)
	if err == nil && child != 0 {
		err = fieldError("child", "is for an offer's link to a brother or sister; a check-in link is the child's own")
	}
	return t, err
}

// linkRequest reads the optional sendRequest body: when a new link runs out, and whose it is.
func (s *server) linkRequest(c *gin.Context) (time.Time, catalogue.ChildID, error) {
	var body sendRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return time.Time{}, 0, err
		}
	}
	if body.Child < 0 {
		return time.Time{}, 0, fieldError("child", "must be the ID of a brother or sister offered with the child, or left out")
	}
	t, err := linkExpiryOf(s, body)
	return t, catalogue.ChildID(body.Child), err
}

func linkExpiryOf(s *server, body sendRequest) (time.Time, error) {
	if body.ExpiresInDays == 0 {
		body.ExpiresInDays = defaultLinkDays
	}
	if body.ExpiresInDays < 1 || body.ExpiresInDays > maxLinkDays {
		return time.Time{}, fieldError("expires_in_days", "must be from 1 to %d (or left out for %d)", maxLinkDays, defaultLinkDays)
	}
	return s.now().Add(time.Duration(body.ExpiresInDays) * 24 * time.Hour), nil
}

// sentLink is what the officer is shown of a new link: its address (under base, from
// linkBase), once.
func sentLink(base, token string, l catalogue.ChildLink) sentLinkDTO {
	return sentLinkDTO{URL: base + "/c/" + token, ExpiresAt: l.ExpiresAt, Note: sentLinkNote}
}

// sendOffer answers POST /v1/offers/{id}/send: a new private link for the child, shown once.
func (s *server) sendOffer(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	expires, child, err := s.linkRequest(c)
	if err != nil {
		return err
	}
	base, err := s.linkBase(c)
	if err != nil {
		return err
	}
	token, hash := catalogue.NewSecret(linkPrefix)
	o, link, err := s.store.SendOffer(c.Request.Context(), principal(c).Scope(), id, catalogue.ChildLink{Hash: hash, ExpiresAt: expires, Child: child})
	if err != nil {
		return err
	}
	d, err := s.offerDetail(c, o, "")
	if err != nil {
		return err
	}
	out := sendResponse{Link: sentLink(base, token, link), Offer: d}
	if err := s.noteYoung(c.Request.Context(), principal(c).Scope(), link.Child, &out.Link); err != nil {
		return err
	}
	secretResponse(c)
	c.JSON(http.StatusCreated, out)
	return nil
}

// linkBase is where a child's link will point: the configured public URL, or else the host the
// officer called if it is allowed (linkHostAllowed). It is checked before a link is made, so a
// refused Host writes nothing.
func (s *server) linkBase(c *gin.Context) (string, error) {
	if s.baseURL != "" {
		return strings.TrimRight(s.baseURL, "/"), nil
	}
	host := strings.ToLower(c.Request.Host)
	if !s.linkHostAllowed(host) {
		return "", fieldError("Host", "links to children are not made for this host; the service must be started with --base-url (or --allowed-hosts naming it)")
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + host, nil
}

// linkHostAllowed reports whether a link may point at host (lower case, as in a Host header):
// one of the allowed hosts, or, when none is configured, a loopback name.
func (s *server) linkHostAllowed(host string) bool {
	if len(s.allowedHosts) > 0 {
		return slices.ContainsFunc(s.allowedHosts, func(h string) bool { return strings.EqualFold(h, host) })
	}
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = host, "80"
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return false
	}
	return name == "localhost" || name == "127.0.0.1" || name == "::1" || name == "[::1]"
}

func (s *server) revokeLinks(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	if err := s.store.RevokeLinks(c.Request.Context(), principal(c).Scope(), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type decisionRequest struct {
	Version   int    `json:"version"`
	Outcome   string `json:"outcome"`
	Placement int64  `json:"placement"`
	Reason    string `json:"reason"`
}

// decideOffer answers POST /v1/offers/{id}/decision. Accepting fills the home's place; the
// matcher's snapshot follows.
func (s *server) decideOffer(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	var body decisionRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version < 1 {
		return fieldError("version", "is required: send the version of the offer you read")
	}
	d := catalogue.Decision{Placement: catalogue.PlacementID(body.Placement), Reason: body.Reason}
	switch body.Outcome {
	case "accepted":
		d.Accepted = true
	case "declined":
	default:
		return fieldError("outcome", `must be "accepted" or "declined"`)
	}
	ctx := c.Request.Context()
	o, err := s.work.DecideOffer(ctx, principal(c).Scope(), id, body.Version, d)
	if err != nil {
		return err
	}
	s.touchOptions(ctx, o) // the place filled, and the places the other referrals held
	return s.respondOffer(c, o, http.StatusOK)
}

func (s *server) respondOffer(c *gin.Context, o catalogue.Offer, status int) error {
	d, err := s.offerDetail(c, o, "")
	if err != nil {
		return err
	}
	c.JSON(status, d)
	return nil
}

type versionRequest struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

func (s *server) readVersion(c *gin.Context, needReason bool) (versionRequest, error) {
	var body versionRequest
	if err := decodeJSON(c, &body); err != nil {
		return body, err
	}
	if body.Version < 1 {
		return body, fieldError("version", "is required: send the version of the offer you read")
	}
	if needReason {
		if err := reasonRequired(body.Reason); err != nil {
			return body, err
		}
	}
	if !needReason && body.Reason != "" {
		return body, fieldError("reason", "is not used here")
	}
	return body, nil
}

// reasonRequired checks a reason a withdrawal needs (of an offer, or of one of its homes): the
// JSON routes' and the offer page's.
func reasonRequired(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fieldError("reason", "is required")
	}
	if n := utf8.RuneCountInString(reason); n > catalogue.MaxReasonLen {
		return fieldError("reason", "must be at most %d characters", catalogue.MaxReasonLen)
	}
	return nil
}

// placedRequest is the body of POST /v1/offers/{id}/placed: the child moved in.
type placedRequest struct {
	Version int    `json:"version"`
	On      string `json:"on"`     // the day they moved in, YYYY-MM-DD; today when left out
	Reason  string `json:"reason"` // why the placement they left ended (SSDA903 code); required when they had one
	Note    string `json:"note"`   // the team's account of the move, for the independent reviewing officer
}

// placedOffer answers POST /v1/offers/{id}/placed: the child moved in. Their placement history
// gets the new placement in the same transaction (a move, with the reason the last one ended,
// reviewed when it was not the care plan).
func (s *server) placedOffer(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	var body placedRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version < 1 {
		return fieldError("version", "is required: send the version of the offer you read")
	}
	on := s.today()
	if body.On != "" {
		if on, err = time.Parse(time.DateOnly, body.On); err != nil {
			return fieldError("on", "must be a date written YYYY-MM-DD, in the last year and not in the future")
		}
	}
	a, err := s.arrival(on, body.Reason, body.Note)
	if err != nil {
		return err
	}
	o, err := s.store.MarkPlaced(c.Request.Context(), principal(c).Scope(), id, body.Version, a)
	if err != nil {
		return err
	}
	return s.respondOffer(c, o, http.StatusOK)
}

// arrival is the move the officer records: the day, in the last year and not in the future;
// the SSDA903 reason the placement left ended, when one is given; and the team's note.
func (s *server) arrival(on time.Time, reason, note string) (catalogue.Arrival, error) {
	a := catalogue.Arrival{On: on, Reason: catalogue.ChangeReason(reason), Note: note}
	if on.After(s.today()) || on.Before(s.today().AddDate(-1, 0, 0)) {
		return a, fieldError("on", "must be in the last year and not in the future")
	}
	if a.Reason != "" && !a.Reason.Valid() {
		return a, fieldError("reason", "must be an SSDA903 reason for placement change: one of %v", catalogue.ChangeReasons)
	}
	return a, nil
}

func (s *server) withdrawOffer(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	body, err := s.readVersion(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	o, err := s.work.WithdrawOffer(ctx, principal(c).Scope(), id, body.Version, body.Reason)
	if err != nil {
		return err
	}
	s.touchOptions(ctx, o) // the places its referrals held are free again
	return s.respondOffer(c, o, http.StatusOK)
}

// withdrawOption answers POST /v1/offers/{id}/options/{placement}/withdraw: a choice or back-up
// fell through. The back-up takes a withdrawn choice's place, and a new search tops the offer up
// to two choices and a back-up where it can.
func (s *server) withdrawOption(c *gin.Context) error {
	id, err := offerID(c)
	if err != nil {
		return err
	}
	pid, err := strconv.ParseInt(c.Param("placement"), 10, 64)
	if err != nil || pid <= 0 {
		return fieldError("placement", "must be a positive whole number")
	}
	body, err := s.readVersion(c, true)
	if err != nil {
		return err
	}
	o, err := s.work.ReplaceOption(c.Request.Context(), principal(c).Scope(), id, body.Version, catalogue.PlacementID(pid), body.Reason)
	if err != nil {
		return err
	}
	return s.respondOffer(c, o, http.StatusOK)
}

// availablePlaces counts a placement's places that are available, whatever their date.
func availablePlaces(p catalogue.Placement) int {
	n := 0
	for _, v := range p.Vacancies {
		if v.Status == catalogue.VacancyAvailable {
			n++
		}
	}
	return n
}

// touchOptions refreshes the matcher's copy of every home of an offer.
func (s *server) touchOptions(ctx context.Context, o catalogue.Offer) {
	ids := make([]catalogue.PlacementID, len(o.Options))
	for i, op := range o.Options {
		ids[i] = op.Placement
	}
	s.touch(ctx, ids...)
}
