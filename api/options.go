package api

import (
	"context"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/casework"
	"github.com/placematch/placematch/catalogue"
)

// Matcher is the matcher's in-memory snapshot of the catalogue, as the API keeps it fresh: Touch
// re-reads placements that changed, Refresh reloads the whole snapshot. Searches go through
// casework (which, when the API makes its own, asks the Matcher as a casework.Matcher).
type Matcher interface {
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
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Provider int64  `json:"provider"`
	Council  string `json:"council"`
	AreaName string `json:"area_name"`
	Ofsted   string `json:"ofsted,omitempty"`
	// OfstedOutcome is supported accommodation's: Ofsted's three-outcome judgement of its provider.
	OfstedOutcome string `json:"ofsted_outcome,omitempty"`
	FreePlaces    int    `json:"free_places"`
}

// summaryOf is the officer's short view of a home, with its free places.
func summaryOf(p *catalogue.Placement, free int) placementSummary {
	return placementSummary{ID: int64(p.ID), Kind: string(p.Kind), Name: p.Name, Provider: int64(p.Provider), Council: string(p.Council),
		AreaName: p.AreaName, Ofsted: string(p.Ofsted), OfstedOutcome: string(p.SupportedOutcome), FreePlaces: free}
}

type factorDTO struct {
	Factor string  `json:"factor"`
	Weight float64 `json:"weight"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

// contactDistance is how far a home is from where contact with one person happens: where
// they live for direct contact, the contact centre for supervised contact where it is recorded.
type contactDistance struct {
	Name         string  `json:"name"`
	Relationship string  `json:"relationship"`
	Type         string  `json:"type"`
	MustNotKnow  bool    `json:"must_not_know,omitempty"`
	Km           float64 `json:"km"`
}

func contactDistanceOf(k catalogue.Contact, km float64) contactDistance {
	return contactDistance{Name: k.Name, Relationship: string(k.Relationship), Type: string(k.Type), MustNotKnow: k.MustNotKnow, Km: round2(km)}
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
	opts, err := s.work.Options(c.Request.Context(), principal(c).Scope(), catalogue.ChildID(id), body.Limit)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "options", "child:"+opts.Child.ID.String(), opts.Child.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromOptions(opts))
	return nil
}

func fromOptions(o casework.Options) optionsResponse {
	out := optionsResponse{
		Child: int64(o.Child.ID), Children: []int64{int64(o.Child.ID)}, PolicyVersion: o.Policy.Policy.Version,
		SnapshotAt: o.SnapshotAt.UTC(), Options: []optionDTO{},
	}
	if t := o.Together; t != nil {
		out.Together = &togetherDTO{Group: int64(t.Group), Plan: string(t.Plan), Searched: t.Searched, FellBack: t.FellBack, Note: t.Note}
	}
	for _, m := range o.Moving {
		out.Children = append(out.Children, int64(m.ID))
	}
	for _, op := range o.Options {
		out.Options = append(out.Options, fromOption(o.Child, op, o.Day))
	}
	sh := o.Shortfall
	out.Shortfall = shortfallDTO{
		Considered: sh.Considered, Passed: sh.Passed, SearchedKm: round2(sh.SearchedKm), Complete: sh.Complete,
		FewerThanTwo: sh.FewerThanTwo, Rejected: []rejectedDTO{},
	}
	for _, r := range sh.Rejected {
		out.Shortfall.Rejected = append(out.Shortfall.Rejected, rejectedDTO{Constraint: r.Constraint, Count: r.Count, Example: r.Example})
	}
	return out
}

func fromOption(ch catalogue.Child, o casework.Option, day time.Time) optionDTO {
	p := &o.Placement
	d := optionDTO{
		Rank:      o.Rank,
		Placement: summaryOf(p, p.OpenVacancies(day)),
		Score:     round4(o.Score), Quality: round4(o.Quality), WeeklyCost: p.WeeklyCost,
		HomeKm: round2(o.HomeKm), Contacts: []contactDistance{}, Support: strs(o.Support),
	}
	for _, f := range o.Factors {
		d.Factors = append(d.Factors, factorDTO{Factor: string(f.Factor), Weight: round4(f.Weight), Score: round4(f.Score), Reason: f.Reason})
	}
	if o.SchoolKm >= 0 {
		km := round2(o.SchoolKm)
		d.SchoolKm = &km
	}
	for i, km := range o.ContactKm {
		if i >= len(ch.Contacts) {
			break
		}
		k := ch.Contacts[i]
		d.Contacts = append(d.Contacts, contactDistanceOf(k, km))
	}
	return d
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
