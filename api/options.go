package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/matcher"
	"github.com/placematch/placematch/scoring"
)

// Matcher answers matching questions from the in-memory snapshot of the catalogue.
type Matcher interface {
	Options(ctx context.Context, req matcher.OptionsRequest) (matcher.OptionsResult, error)
	// Touch re-reads placements that changed; Refresh reloads the whole snapshot.
	Touch(ctx context.Context, ids ...catalogue.PlacementID) error
	Refresh(ctx context.Context) error
}

// optionsRequestDTO is the optional body of POST /v1/children/{id}/options.
type optionsRequestDTO struct {
	Limit int `json:"limit"` // options wanted: 3 (two choices and a back-up) unless given
}

type optionsResponse struct {
	Child         int64        `json:"child"`
	Children      []int64      `json:"children"` // everyone the search placed together: the child first
	Together      *togetherDTO `json:"together,omitempty"`
	PolicyVersion int          `json:"policy_version"`
	SnapshotAt    time.Time    `json:"snapshot_at"`
	Options       []optionDTO  `json:"options"`
	Shortfall     shortfallDTO `json:"shortfall"`
}

// togetherDTO says how a sibling group was searched for.
type togetherDTO struct {
	Group    int64  `json:"sibling_group"`
	Plan     string `json:"plan"`
	Searched bool   `json:"searched_together"` // the search asked for one household for all of them
	FellBack bool   `json:"fell_back"`         // together if possible: fewer than two homes could take them all, so this is the child alone
	Note     string `json:"note"`
}

type optionDTO struct {
	Rank       int               `json:"rank"`
	Placement  placementSummary  `json:"placement"`
	Score      float64           `json:"score"`   // 0..1, every factor weighted, cost included
	Quality    float64           `json:"quality"` // 0..1, the same without cost: what the ranking compares first
	Factors    []factorDTO       `json:"factors"`
	WeeklyCost int               `json:"weekly_cost"`
	HomeKm     float64           `json:"home_km"`
	SchoolKm   *float64          `json:"school_km"` // null without a school
	Contacts   []contactDistance `json:"contacts"`
	Support    []string          `json:"support_needed,omitempty"`
}

type placementSummary struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Provider   int64  `json:"provider"`
	Council    string `json:"council"`
	AreaName   string `json:"area_name"`
	Ofsted     string `json:"ofsted,omitempty"`
	FreePlaces int    `json:"free_places"`
}

type factorDTO struct {
	Factor string  `json:"factor"`
	Weight float64 `json:"weight"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

type contactDistance struct {
	Name         string  `json:"name"`
	Relationship string  `json:"relationship"`
	Safe         bool    `json:"safe"`
	Km           float64 `json:"km"`
}

type shortfallDTO struct {
	Considered   int           `json:"considered"`
	Passed       int           `json:"passed"`
	SearchedKm   float64       `json:"searched_km"`
	Complete     bool          `json:"complete"`
	FewerThanTwo bool          `json:"fewer_than_two"`
	Rejected     []rejectedDTO `json:"rejected"`
}

type rejectedDTO struct {
	Constraint string `json:"constraint"`
	Count      int    `json:"count"`
	Example    string `json:"example"`
}

// childOptions answers POST /v1/children/{id}/options: ranked options for one child, with a
// reason for every factor, and an account of what the hard constraints removed.
func (s *server) childOptions(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body optionsRequestDTO
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	}
	if body.Limit < 0 || body.Limit > matcher.MaxOptions {
		return fieldError("limit", "must be between 1 and %d (or left out for %d)", matcher.MaxOptions, matcher.DefaultOptions)
	}
	ctx := c.Request.Context()
	sc := principal(c).Scope()
	ch, err := s.cat.Child(ctx, sc, catalogue.ChildID(id))
	if err != nil {
		return err
	}
	if ch.Status == catalogue.ChildClosed {
		return fieldError("status", "the child's record is closed: reopen it before searching")
	}
	pol, search, res, err := s.findOptions(ctx, sc, ch, body.Limit)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "options", "child:"+ch.ID.String(), ch.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromOptions(ch, search, pol.Policy.Version, res))
	return nil
}

// findOptions runs the options search for a child (and the brothers and sisters moving with
// them) under the policy in force for the child's council. When the group is planned together if
// possible and fewer than two homes can take them all, it searches for the child alone. Making an
// offer uses it too.
func (s *server) findOptions(ctx context.Context, sc catalogue.Scope, ch catalogue.Child, limit int) (catalogue.PolicyVersion, search, matcher.OptionsResult, error) {
	pol, err := s.pol.Policy(ctx, ch.Council)
	if err != nil {
		return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
	}
	sr, err := s.searchFor(ctx, sc, ch)
	if err != nil {
		return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
	}
	sw := catalogue.StartStopwatch()
	res, err := s.match.Options(ctx, matcher.OptionsRequest{Request: sr.req, Policy: pol.Policy, Limit: limit})
	if err != nil {
		return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
	}
	s.metrics.observeOptions(sw.Elapsed(), !res.Shortfall.FewerThanTwo)
	if matcher.TriesAlone(sr.req, res.Shortfall.Passed) {
		alone := sr.alone()
		res2, err := s.match.Options(ctx, matcher.OptionsRequest{Request: alone.req, Policy: pol.Policy, Limit: limit})
		if err != nil {
			return catalogue.PolicyVersion{}, search{}, matcher.OptionsResult{}, err
		}
		if matcher.PrefersAlone(res.Shortfall.Passed, res2.Shortfall.Passed) {
			res, sr = res2, alone
			sr.together.FellBack = true
			sr.together.Note = "Fewer than two homes could take the brothers and sisters together, so these options are for the child alone; the plan is together if possible."
		}
	}
	return pol, sr, res, nil
}

// search is one child's request to the matcher, with what the API says about it.
type search struct {
	req      scoring.Request
	together *togetherDTO
}

// others are the brothers and sisters moving with the child.
func (sr search) others() []catalogue.Child {
	if len(sr.req.Group) == 0 {
		return nil
	}
	return sr.req.Group[1:]
}

// alone returns the search for the child on their own.
func (sr search) alone() search {
	t := *sr.together
	t.Searched = false
	return search{req: matcher.AloneRequests(sr.req)[0], together: &t}
}

// searchFor builds the matcher's request for a child with the one builder every search uses
// (matcher.Case): the brothers and sisters who move with them, where the others live, and how
// often each of them moved in the last 12 months (a child who has moved a lot has stability
// weighed more, and the stability factor's reason says so).
func (s *server) searchFor(ctx context.Context, sc catalogue.Scope, ch catalogue.Child) (search, error) {
	kase := matcher.Case{Child: ch}
	var g catalogue.SiblingGroup
	if ch.SiblingGroup != 0 {
		var err error
		if g, err = s.cat.SiblingGroup(ctx, sc, ch.SiblingGroup); err != nil {
			return search{}, err
		}
		kase.Plan = g.Plan
		var placed []catalogue.ChildID
		for _, mid := range g.Members {
			if mid == ch.ID {
				continue
			}
			m, err := s.cat.Child(ctx, sc, mid)
			if errors.Is(err, catalogue.ErrNotFound) {
				continue
			} else if err != nil {
				return search{}, err
			}
			kase.Siblings = append(kase.Siblings, m)
			if m.Status == catalogue.ChildPlaced {
				placed = append(placed, m.ID)
			}
		}
		homes, err := s.cat.HomesOf(ctx, placed)
		if err != nil {
			return search{}, err
		}
		kase.LivesAt = func(id catalogue.ChildID) (catalogue.Location, bool) { at, ok := homes[id]; return at, ok }
	}
	if s.hist != nil {
		histories := map[catalogue.ChildID][]catalogue.Episode{}
		for _, c := range append([]catalogue.Child{ch}, kase.Siblings...) {
			if c.ID != ch.ID && !(matcher.PlannedTogether(kase.Plan) && matcher.Moving(&c)) {
				continue // only those who move: the others' histories weigh nothing here
			}
			eps, err := s.hist.History(ctx, sc, c.ID)
			if err != nil {
				return search{}, err
			}
			histories[c.ID] = eps
		}
		kase.History = func(id catalogue.ChildID) []catalogue.Episode { return histories[id] }
	}
	sr := search{req: kase.Request(s.now())}
	if matcher.PlannedTogether(g.Plan) {
		sr.together = &togetherDTO{Group: int64(g.ID), Plan: string(g.Plan), Searched: len(sr.req.Group) > 0}
	}
	return sr, nil
}

func fromOptions(ch catalogue.Child, sr search, policyVersion int, res matcher.OptionsResult) optionsResponse {
	out := optionsResponse{
		Child: int64(ch.ID), Children: []int64{int64(ch.ID)}, Together: sr.together,
		PolicyVersion: policyVersion, SnapshotAt: res.Snapshot.UTC(), Options: []optionDTO{},
	}
	for _, o := range sr.others() {
		out.Children = append(out.Children, int64(o.ID))
	}
	for _, o := range res.Options {
		out.Options = append(out.Options, fromOption(ch, o, res.Day))
	}
	sh := res.Shortfall
	out.Shortfall = shortfallDTO{
		Considered: sh.Considered, Passed: sh.Passed, SearchedKm: round2(sh.SearchedKm), Complete: sh.Complete,
		FewerThanTwo: sh.FewerThanTwo, Rejected: []rejectedDTO{},
	}
	for _, r := range sh.Rejected {
		out.Shortfall.Rejected = append(out.Shortfall.Rejected, rejectedDTO{Constraint: string(r.Constraint), Count: r.Count, Example: r.Example})
	}
	return out
}

func fromOption(ch catalogue.Child, o matcher.Option, day time.Time) optionDTO {
	p := &o.Placement
	d := optionDTO{
		Rank: o.Rank,
		Placement: placementSummary{
			ID: int64(p.ID), Kind: string(p.Kind), Name: p.Name, Provider: int64(p.Provider), Council: string(p.Council),
			AreaName: p.AreaName, Ofsted: string(p.Ofsted), FreePlaces: p.OpenVacancies(day),
		},
		Score: round4(o.Result.Total), Quality: round4(o.Result.Quality), WeeklyCost: p.WeeklyCost,
		HomeKm: round2(o.HomeKm), Contacts: []contactDistance{}, Support: strs(o.Result.Support),
	}
	for _, f := range o.Result.Factors {
		d.Factors = append(d.Factors, factorDTO{Factor: string(f.Factor), Weight: round4(f.Weight), Score: round4(f.Score), Reason: f.Reason})
	}
	if o.Result.SchoolKm >= 0 {
		km := round2(o.Result.SchoolKm)
		d.SchoolKm = &km
	}
	for i, km := range o.Result.ContactKm {
		if i >= len(ch.Contacts) {
			break
		}
		k := ch.Contacts[i]
		d.Contacts = append(d.Contacts, contactDistance{Name: k.Name, Relationship: string(k.Relationship), Safe: k.Safe, Km: round2(km)})
	}
	return d
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
