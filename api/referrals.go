package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// Referrals: the officer refers a child to the providers of chosen homes; the provider (a
// provider token; for a council's own carers, a provider token of the council's fostering
// service) reads the referral profile and answers. The Placements Data Standard v2 names a
// referral's neededBy (Today, in less than 5 days, in more than 5 days), siblingCount and
// referralDate; the answer (accepted or declined, the decline reason codes, the impact
// assessment, the weekly fee, the hold) is placematch's own, having no term in the standard.

var (
	// referralReaders: officers their council's referrals, providers those to their homes.
	referralReaders = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleOfficer, catalogue.RoleProvider}
	// referralAnswerers: the provider of the home (or an administrator).
	referralAnswerers = []catalogue.Role{catalogue.RoleAdmin, catalogue.RoleProvider}
)

func (s *server) referralRoutes() []route {
	return []route{
		{http.MethodPost, "/v1/children/:id/referrals", caseworkers, s.createReferrals, routeDoc{summary: "Refer the child to the providers of the homes named (each checked against every hard constraint); the deadline for answers is 48 hours, 4 for an emergency.",
			in: referralRequest{}, out: referralsResponse{}, status: 201}},
		{http.MethodGet, "/v1/referrals", referralReaders, s.listReferrals, routeDoc{summary: "List referrals (officers: their council's; providers: those to their own homes); deadlines and holds run out first.",
			out: pageDTO[referralDTO]{}, query: params([]param{{"child", "integer", "a child's ID"}, {"placement", "integer", "a placement's ID"}, {"status", "string", "sent, viewed, accepted, declined, expired or withdrawn"}}, pageParams)}},
		{http.MethodGet, "/v1/referrals/:id", referralReaders, s.getReferral, routeDoc{summary: "A referral with the child's referral profile (first name and age; needs, risks, legal status, brothers and sisters, dates; never an address, school or family); a provider opening it marks it viewed (audited).",
			out: referralDTO{}}},
		{http.MethodPost, "/v1/referrals/:id/response", referralAnswerers, s.respondReferral, routeDoc{summary: "The provider's answer: accept with its impact assessment and, for an independent provider, its weekly fee (the place is held for the policy's hold_hours; 409 when no place is free), or decline with a reason code; send the version you read.",
			in: referralResponseRequest{}, out: referralDTO{}}},
		{http.MethodPost, "/v1/referrals/:id/withdraw", caseworkers, s.withdrawReferral, routeDoc{summary: "Withdraw a referral, with a reason; the places it held are released and the provider told.",
			in: versionRequest{}, out: referralDTO{}}},
		{http.MethodPost, "/v1/match-runs/:id/referrals", caseworkers, s.createRunReferrals, routeDoc{summary: "Refer every child of a succeeded run to the providers of the run's homes for them; offers follow acceptances.",
			in: runReferralRequest{}, out: runReferralsResponse{}, status: 201}},
		{http.MethodGet, "/v1/children/:id/allocation", caseworkers, s.getAllocation, routeDoc{summary: "The child's allocated social worker and team, told of referrals, answers and alerts.", out: allocationDTO{}}},
		{http.MethodPut, "/v1/children/:id/allocation", caseworkers, s.putAllocation, routeDoc{summary: "Record the child's allocated social worker and team; send the version you read (0 for the first).",
			in: allocationDTO{}, out: allocationDTO{}}},
	}
}

type referralRequest struct {
	Placements []int64 `json:"placements"`
	Emergency  bool    `json:"emergency"`
}

type referralsResponse struct {
	Items []referralDTO `json:"items"`
}

type referralResponseDTO struct {
	Outcome       string    `json:"outcome"` // accepted or declined
	Impact        string    `json:"impact_assessment,omitempty"`
	WeeklyFee     int       `json:"weekly_fee,omitempty"`
	DeclineReason string    `json:"decline_reason,omitempty"`
	Note          string    `json:"note,omitempty"`
	By            int64     `json:"by"`
	At            time.Time `json:"at"`
}

// referralProfileDTO is the child's referral profile, as the provider reads it: PDS v2 names where
// the standard has them (neededBy's categories, siblingCount).
type referralProfileDTO struct {
	FirstName     string    `json:"first_name"`
	Age           int       `json:"age"`
	Sex           string    `json:"sex"`
	LegalStatus   string    `json:"legal_status"`
	CareType      string    `json:"care_type"`
	Purpose       string    `json:"purpose"`
	NeededBy      string    `json:"needed_by"`     // YYYY-MM-DD
	NeededByPDS   string    `json:"needed_by_pds"` // PDS neededBy: Today, in less than 5 days, in more than 5 days
	SiblingCount  int       `json:"sibling_count"` // PDS siblingCount: brothers and sisters moving with the child
	SiblingAges   []int     `json:"sibling_ages"`  // their ages
	Needs         []needDTO `json:"needs"`
	Risks         []string  `json:"risks_to_others"`
	Communication []string  `json:"communication"`
	Companions    string    `json:"living_companions"`
	Pets          string    `json:"pets"`
	Allergies     []string  `json:"allergies"`
	Respiratory   bool      `json:"respiratory"`
	Wheelchair    bool      `json:"wheelchair"`
}

type referralDTO struct {
	ID           int64                `json:"id"`
	Child        int64                `json:"child"`
	Council      string               `json:"council"`
	Siblings     []int64              `json:"siblings"`
	Placement    int64                `json:"placement"`
	Provider     int64                `json:"provider"`
	Run          int64                `json:"match_run,omitempty"`
	Emergency    bool                 `json:"emergency"`
	Status       string               `json:"status"`
	Version      int                  `json:"version"`
	ReferralDate time.Time            `json:"referral_date"` // PDS referralDate
	Deadline     time.Time            `json:"deadline"`
	HoldUntil    *time.Time           `json:"hold_until,omitempty"`
	HeldPlaces   []int64              `json:"held_vacancies,omitempty"`
	Response     *referralResponseDTO `json:"response,omitempty"`
	Reason       string               `json:"reason,omitempty"`
	ViewedAt     *time.Time           `json:"viewed_at,omitempty"`
	UpdatedAt    time.Time            `json:"updated_at"`
	Profile      *referralProfileDTO  `json:"profile,omitempty"`
}

func fromReferral(r catalogue.Referral) referralDTO {
	d := referralDTO{ID: int64(r.ID), Child: int64(r.Child), Council: string(r.Council), Siblings: ids(r.Siblings),
		Placement: int64(r.Placement), Provider: int64(r.Provider), Run: int64(r.Run), Emergency: r.Emergency,
		Status: string(r.Status), Version: r.Version, ReferralDate: r.CreatedAt, Deadline: r.Deadline,
		HoldUntil: timePtr(r.HoldUntil), HeldPlaces: ids(r.Held), Reason: r.Reason, ViewedAt: timePtr(r.ViewedAt), UpdatedAt: r.UpdatedAt}
	if d.Siblings == nil {
		d.Siblings = []int64{}
	}
	if a := r.Response; a != nil {
		d.Response = &referralResponseDTO{Outcome: "declined", Impact: a.Impact, WeeklyFee: a.WeeklyFee, DeclineReason: string(a.Decline),
			Note: a.Note, By: int64(a.By), At: a.At}
		if a.Accepted {
			d.Response.Outcome = "accepted"
		}
	}
	return d
}

// pdsNeededBy is the PDS v2 neededBy category of a needed-by date.
func pdsNeededBy(neededBy, today time.Time) string {
	switch days := int(neededBy.Sub(today).Hours() / 24); {
	case days <= 0:
		return "Today"
	case days < 5:
		return "in less than 5 days"
	}
	return "in more than 5 days"
}

func referralID(c *gin.Context) (catalogue.ReferralID, error) {
	id, err := pathID(c)
	return catalogue.ReferralID(id), err
}

// createReferrals answers POST /v1/children/{id}/referrals.
func (s *server) createReferrals(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body referralRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	homes := make([]catalogue.PlacementID, len(body.Placements))
	for i, p := range body.Placements {
		homes[i] = catalogue.PlacementID(p)
	}
	made, err := s.work.Refer(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id), homes, body.Emergency)
	if err != nil {
		return err
	}
	out := referralsResponse{Items: make([]referralDTO, len(made))}
	for i, r := range made {
		out.Items[i] = fromReferral(r)
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

func (s *server) listReferrals(c *gin.Context) error {
	q := newQuery(c)
	f := catalogue.ReferralFilter{
		Child:     catalogue.ChildID(q.int("child", 1, 1<<62)),
		Placement: catalogue.PlacementID(q.int("placement", 1, 1<<62)),
		Status:    enum(q, "status", catalogue.ReferralStatus.Valid),
	}
	limit, after := q.page()
	f.Limit, f.After = limit, catalogue.ReferralID(after)
	if err := q.err(); err != nil {
		return err
	}
	p := principal(c)
	page, err := s.work.ListReferrals(c.Request.Context(), p.Scope(), f)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "list", "referrals", p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromReferral))
	return nil
}

// openReferral opens the referral the path names, with the child's profile, and records the read
// in the audit log: the API's answer and the provider's page both begin so.
func (s *server) openReferral(c *gin.Context) (catalogue.Referral, casework.ReferralProfile, error) {
	id, err := referralID(c)
	if err != nil {
		return catalogue.Referral{}, casework.ReferralProfile{}, err
	}
	r, prof, err := s.work.OpenReferral(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return catalogue.Referral{}, casework.ReferralProfile{}, err
	}
	if err := s.auditRead(c, "read", "referral:"+r.ID.String(), r.Council); err != nil {
		return catalogue.Referral{}, casework.ReferralProfile{}, err
	}
	return r, prof, nil
}

func (s *server) getReferral(c *gin.Context) error {
	r, prof, err := s.openReferral(c)
	if err != nil {
		return err
	}
	d := fromReferral(r)
	pd := referralProfileDTO{FirstName: prof.FirstName, Age: prof.Age, Sex: string(prof.Sex), LegalStatus: string(prof.LegalStatus),
		CareType: string(prof.CareType), Purpose: string(prof.Purpose), NeededBy: prof.NeededBy.Format(time.DateOnly),
		NeededByPDS: pdsNeededBy(prof.NeededBy, s.today()), SiblingCount: len(prof.Siblings), SiblingAges: prof.Siblings,
		Needs: []needDTO{}, Risks: strs(prof.Risks), Communication: strs(prof.Communication), Companions: string(prof.Companions),
		Pets: string(prof.Pets), Allergies: strs(prof.Allergies), Respiratory: prof.Respiratory, Wheelchair: prof.Wheelchair}
	if pd.SiblingAges == nil {
		pd.SiblingAges = []int{}
	}
	for _, n := range prof.Needs {
		pd.Needs = append(pd.Needs, needDTO{Kind: string(n.Kind), Level: int(n.Level)})
	}
	d.Profile = &pd
	c.JSON(http.StatusOK, d)
	return nil
}

type referralResponseRequest struct {
	Version       int    `json:"version"`
	Outcome       string `json:"outcome"`
	Impact        string `json:"impact_assessment"`
	WeeklyFee     int    `json:"weekly_fee"`
	DeclineReason string `json:"decline_reason"`
	Note          string `json:"note"`
}

// respondReferral answers POST /v1/referrals/{id}/response. Accepting holds the place; the
// matcher's snapshot follows.
func (s *server) respondReferral(c *gin.Context) error {
	id, err := referralID(c)
	if err != nil {
		return err
	}
	var body referralResponseRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version < 1 {
		return fieldError("version", "is required: send the version of the referral you read")
	}
	a := catalogue.ReferralResponse{Impact: body.Impact, WeeklyFee: body.WeeklyFee, Decline: catalogue.DeclineReason(body.DeclineReason), Note: body.Note}
	switch body.Outcome {
	case "accepted":
		a.Accepted = true
	case "declined":
	default:
		return fieldError("outcome", `must be "accepted" or "declined"`)
	}
	r, err := s.answerReferral(c, id, body.Version, a)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromReferral(r))
	return nil
}

// answerReferral records the caller's answer to a referral (the API's and the provider's
// page's): accepting holds the place, and the matcher's snapshot follows.
func (s *server) answerReferral(c *gin.Context, id catalogue.ReferralID, version int, a catalogue.ReferralResponse) (catalogue.Referral, error) {
	ctx := c.Request.Context()
	r, err := s.work.Respond(ctx, principal(c).Scope(), id, version, a)
	if err != nil {
		return catalogue.Referral{}, err
	}
	if a.Accepted {
		s.touch(ctx, r.Placement)
	}
	return r, nil
}

func (s *server) withdrawReferral(c *gin.Context) error {
	id, err := referralID(c)
	if err != nil {
		return err
	}
	body, err := s.readVersion(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	r, err := s.work.WithdrawReferral(ctx, principal(c).Scope(), id, body.Version, body.Reason)
	if err != nil {
		return err
	}
	s.touch(ctx, r.Placement)
	c.JSON(http.StatusOK, fromReferral(r))
	return nil
}

type runReferralRequest struct {
	Emergency bool `json:"emergency"`
}

type runReferralsResponse struct {
	Run     int64           `json:"match_run"`
	Sent    []referralDTO   `json:"sent"`
	Skipped []runSkippedDTO `json:"skipped"`
}

type runSkippedDTO struct {
	Child  int64  `json:"child"`
	Reason string `json:"reason"`
}

func (s *server) createRunReferrals(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body runReferralRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	}
	res, err := s.work.ReferFromRun(c.Request.Context(), principal(c).Scope(), catalogue.MatchRunID(id), body.Emergency)
	if err != nil {
		return err
	}
	out := runReferralsResponse{Run: int64(res.Run), Sent: []referralDTO{}, Skipped: []runSkippedDTO{}}
	for _, r := range res.Sent {
		out.Sent = append(out.Sent, fromReferral(r))
	}
	for _, sk := range res.Skipped {
		out.Skipped = append(out.Skipped, runSkippedDTO{Child: int64(sk.Child), Reason: sk.Reason})
	}
	c.JSON(http.StatusCreated, out)
	return nil
}

type allocationDTO struct {
	Child        int64      `json:"child"`
	SocialWorker string     `json:"social_worker"`
	Team         string     `json:"team"`
	Email        string     `json:"email"`
	Version      int        `json:"version"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
}

func (s *server) getAllocation(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sc := principal(c).Scope()
	a, err := s.store.Allocation(c.Request.Context(), sc, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, allocationDTO{Child: int64(a.Child), SocialWorker: a.SocialWorker, Team: a.Team, Email: a.Email,
		Version: a.Version, UpdatedAt: timePtr(a.UpdatedAt)})
	return nil
}

func (s *server) putAllocation(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body allocationDTO
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version < 0 {
		return fieldError("version", "must be the version you read, or 0 for the first")
	}
	a, err := s.store.SetAllocation(c.Request.Context(), principal(c).Scope(), catalogue.Allocation{Child: catalogue.ChildID(id),
		SocialWorker: strings.TrimSpace(body.SocialWorker), Team: body.Team, Email: body.Email, Version: body.Version})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, allocationDTO{Child: int64(a.Child), SocialWorker: a.SocialWorker, Team: a.Team, Email: a.Email,
		Version: a.Version, UpdatedAt: timePtr(a.UpdatedAt)})
	return nil
}
