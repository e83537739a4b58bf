package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
)

// Matching starts match runs and settles children's preferences between their offers
// (casework.Runs, wired by cmd). Its errors are *catalogue.Error of a kind, rendered by it.
type Matching interface {
	// StartMatchRun stores a new run for the caller and carries it out in the background; it
	// returns the run, running. An officer's run is of their own council's children (an empty
	// request asks for it); a council or region of another is KindForbidden, and so is any
	// role but an officer or administrator. A council, region or TopK out of range is
	// KindInvalid naming the field.
	StartMatchRun(ctx context.Context, who catalogue.Principal, req MatchRunRequest) (catalogue.MatchRun, error)
	// SetPreferences records what children in the caller's scope said about their run's
	// offers, settles every child of the run together, and returns what the caller's children
	// end with. A run outside the caller's scope is KindNotFound; one that has not succeeded is
	// KindConflict; a preference for a child not of the run in scope, or a home not among the
	// child's offers, is KindInvalid naming the preference.
	SetPreferences(ctx context.Context, who catalogue.Principal, run catalogue.MatchRunID, prefs []catalogue.RunPreference) ([]catalogue.RunAllocation, error)
}

// MatchRunRequest is what to match: one council's children, a region's, or (neither) every
// child the caller may see.
type MatchRunRequest struct {
	Council catalogue.CouncilCode
	Region  catalogue.RegionCode
	TopK    int
}

var errNoMatching = statusError(http.StatusServiceUnavailable, "match runs are not available on this server")

type matchRunRequestDTO struct {
	Council string `json:"council,omitempty"`
	Region  string `json:"region,omitempty"`
	TopK    int    `json:"top_k,omitempty"`
}

type runProgressDTO struct {
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

type runCountsDTO struct {
	Children       int `json:"children"`
	OfferedTwo     int `json:"offered_two"`
	OfferedOne     int `json:"offered_one"`
	OfferedNone    int `json:"offered_none"`
	GroupsPlanned  int `json:"sibling_groups_planned_together"`
	GroupsTogether int `json:"sibling_groups_kept_together"`
	GroupsSplit    int `json:"sibling_groups_split"`
	GroupsWithout  int `json:"sibling_groups_without_offer"`
}

type runTimingsDTO struct {
	SearchMs  float64 `json:"search_ms"`
	FlowMs    float64 `json:"flow_ms"`
	GroupsMs  float64 `json:"groups_ms"`
	ExplainMs float64 `json:"explain_ms"`
	SaveMs    float64 `json:"save_ms"`
	TotalMs   float64 `json:"total_ms"`
}

type matchRunDTO struct {
	ID         int64           `json:"id"`
	Status     string          `json:"status"`
	Council    string          `json:"council,omitempty"`
	Region     string          `json:"region,omitempty"`
	Policy     int             `json:"policy"`
	TopK       int             `json:"top_k"`
	Progress   *runProgressDTO `json:"progress,omitempty"`
	Counts     *runCountsDTO   `json:"counts,omitempty"`
	Objective  *int64          `json:"objective,omitempty"`
	LowerBound *int64          `json:"lower_bound,omitempty"`
	// GapBound is (objective - lower_bound) / lower_bound: how far from the best possible the
	// answer can be.
	GapBound *float64 `json:"gap_bound,omitempty"`
	Widened  int      `json:"children_widened"`
	// Separated counts the offers taken out because two children of the run offered the same
	// home could not live there together (one must be the only child, a risk to younger
	// children, ...).
	Separated int            `json:"offers_separated"`
	Solves    int            `json:"flows_solved"`
	Timings   *runTimingsDTO `json:"timings,omitempty"`
	Error     string         `json:"error,omitempty"`
	Started   time.Time      `json:"started_at"`
	Finished  *time.Time     `json:"finished_at,omitempty"`
	Results   string         `json:"results"`
	Allocated string         `json:"allocation"`
}

func runMs(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }

func fromMatchRun(r catalogue.MatchRun) matchRunDTO {
	base := "/v1/match-runs/" + r.ID.String()
	d := matchRunDTO{ID: int64(r.ID), Status: string(r.Status), Council: string(r.Council), Region: string(r.Region),
		Policy: r.Policy, TopK: r.TopK, Widened: r.Widened, Separated: r.Separated, Solves: r.Solves, Error: r.Error, Started: r.StartedAt,
		Results: base + "/results", Allocated: base + "/allocation"}
	switch r.Status {
	case catalogue.RunRunning:
		d.Progress = &runProgressDTO{Stage: r.Stage, Done: r.Done, Total: r.Total}
	case catalogue.RunSucceeded:
		d.Counts = &runCountsDTO{Children: r.Children, OfferedTwo: r.Offered, OfferedOne: r.OfferedOne, OfferedNone: r.OfferedNone,
			GroupsPlanned: r.GroupsPlanned, GroupsTogether: r.GroupsTogether, GroupsSplit: r.GroupsSplit, GroupsWithout: r.GroupsWithout}
		obj, lb := r.Objective, r.LowerBound
		d.Objective, d.LowerBound = &obj, &lb
		if lb > 0 {
			gap := float64(obj-lb) / float64(lb)
			d.GapBound = &gap
		}
		t := r.Timings
		d.Timings = &runTimingsDTO{SearchMs: runMs(t.Search), FlowMs: runMs(t.Flow), GroupsMs: runMs(t.Groups),
			ExplainMs: runMs(t.Explain), SaveMs: runMs(t.Save), TotalMs: runMs(t.Total)}
	}
	if !r.FinishedAt.IsZero() {
		f := r.FinishedAt
		d.Finished = &f
	}
	return d
}

type runFactorDTO struct {
	Factor string  `json:"factor"`
	Weight float64 `json:"weight"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

type runOfferDTO struct {
	Role       string         `json:"role"`
	Placement  int64          `json:"placement"`
	Score      float64        `json:"score"`
	Quality    float64        `json:"quality"`
	WeeklyCost int            `json:"weekly_cost"`
	HomeKm     *float64       `json:"home_km,omitempty"`
	SchoolKm   *float64       `json:"school_km,omitempty"`
	Factors    []runFactorDTO `json:"factors"`
}

type runRejectionDTO struct {
	Constraint string `json:"constraint"`
	Count      int    `json:"count"`
	Example    string `json:"example"`
}

type runResultDTO struct {
	Child        int64             `json:"child"`
	Council      string            `json:"council"`
	NeededBy     string            `json:"needed_by"`
	SiblingGroup int64             `json:"sibling_group,omitempty"`
	Together     []int64           `json:"placed_together_with,omitempty"`
	Offers       []runOfferDTO     `json:"offers"`
	Suitable     int               `json:"suitable_placements"`
	Complete     bool              `json:"search_complete"`
	Reason       string            `json:"fewer_than_two_because,omitempty"`
	Rejected     []runRejectionDTO `json:"ruled_out_by,omitempty"`
	Split        bool              `json:"split_from_sibling_group,omitempty"`
	Widened      bool              `json:"widened,omitempty"`
}

func runKm(x float64) *float64 {
	if x < 0 {
		return nil
	}
	v := math.Round(x*10) / 10
	return &v
}

func fromRunResult(r catalogue.RunResult) runResultDTO {
	d := runResultDTO{Child: int64(r.Child), Council: string(r.Council), NeededBy: r.NeededBy.Format(time.DateOnly),
		SiblingGroup: int64(r.SiblingGroup), Offers: make([]runOfferDTO, len(r.Offers)), Suitable: r.Suitable,
		Complete: r.Complete, Reason: r.Reason, Split: r.Split, Widened: r.Widened}
	for _, m := range r.Group {
		if m != r.Child {
			d.Together = append(d.Together, int64(m))
		}
	}
	for i, o := range r.Offers {
		fs := make([]runFactorDTO, len(o.Factors))
		for j, f := range o.Factors {
			fs[j] = runFactorDTO{Factor: string(f.Factor), Weight: f.Weight, Score: f.Score, Reason: f.Reason}
		}
		d.Offers[i] = runOfferDTO{Role: o.Role, Placement: int64(o.Placement), Score: o.Score, Quality: o.Quality,
			WeeklyCost: o.WeeklyCost, HomeKm: runKm(o.HomeKm), SchoolKm: runKm(o.SchoolKm), Factors: fs}
	}
	for _, x := range r.Rejected {
		d.Rejected = append(d.Rejected, runRejectionDTO{Constraint: x.Constraint, Count: x.Count, Example: x.Example})
	}
	return d
}

type runPreferenceDTO struct {
	Child   int64   `json:"child"`
	Ranked  []int64 `json:"ranked"`
	Neither bool    `json:"neither,omitempty"`
}

type runPreferencesRequest struct {
	Preferences []runPreferenceDTO `json:"preferences"`
}

// runAllocationResponse answers a child's preferences: what every child of the caller's in
// the run ends with now.
type runAllocationResponse struct {
	Allocation []runAllocationDTO `json:"allocation"`
}

type runAllocationDTO struct {
	Child     int64  `json:"child"`
	Council   string `json:"council"`
	Placement int64  `json:"placement,omitempty"`
	// EndsWith says what the child ends with: first_choice, second_choice, none, declined
	// (they want neither) or no_offers.
	EndsWith string `json:"ends_with"`
	Stated   bool   `json:"preference_stated"`
	Reason   string `json:"reason,omitempty"`
}

func fromRunAllocation(a catalogue.RunAllocation) runAllocationDTO {
	return runAllocationDTO{Child: int64(a.Child), Council: string(a.Council), Placement: int64(a.Placement),
		EndsWith: a.Outcome, Stated: a.Stated, Reason: a.Reason}
}

func (s *server) startMatchRun(c *gin.Context) error {
	if s.matching == nil {
		return errNoMatching
	}
	var d matchRunRequestDTO
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	p := principal(c)
	req := MatchRunRequest{Council: catalogue.CouncilCode(d.Council), Region: catalogue.RegionCode(d.Region), TopK: d.TopK}
	if p.Role == catalogue.RoleOfficer {
		switch {
		case req.Region != "":
			return forbidden("region", "an officer may match only their own council's children")
		case req.Council != "" && req.Council != p.Council:
			return forbidden("council", "an officer may match only their own council's children")
		}
	}
	run, err := s.matching.StartMatchRun(c.Request.Context(), p, req)
	if err != nil {
		return err
	}
	c.Header("Location", "/v1/match-runs/"+run.ID.String())
	c.JSON(http.StatusAccepted, fromMatchRun(run))
	return nil
}

func (s *server) getMatchRun(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := newQuery(c).err(); err != nil {
		return err
	}
	run, err := s.store.MatchRun(c.Request.Context(), principal(c).Scope(), catalogue.MatchRunID(id))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, fromMatchRun(run))
	return nil
}

// runPage reads limit and cursor for a run's children.
func runPage(c *gin.Context) (catalogue.RunPageFilter, error) {
	q := newQuery(c)
	limit, after := q.page()
	if err := q.err(); err != nil {
		return catalogue.RunPageFilter{}, err
	}
	return catalogue.RunPageFilter{After: catalogue.ChildID(after), Limit: limit}, nil
}

func (s *server) listRunResults(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := runPage(c)
	if err != nil {
		return err
	}
	p := principal(c)
	page, err := s.store.ListRunResults(c.Request.Context(), p.Scope(), catalogue.MatchRunID(id), f)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "list", fmt.Sprintf("match_run:%d/results", id), p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromRunResult))
	return nil
}

func (s *server) setPreferences(c *gin.Context) error {
	if s.matching == nil {
		return errNoMatching
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var d runPreferencesRequest
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	if len(d.Preferences) == 0 {
		return fieldError("preferences", "must list at least one child's preference")
	}
	if len(d.Preferences) > catalogue.MaxLimit {
		return fieldError("preferences", "must list at most %d children at once", catalogue.MaxLimit)
	}
	prefs := make([]catalogue.RunPreference, len(d.Preferences))
	for i, p := range d.Preferences {
		prefs[i] = catalogue.RunPreference{Run: catalogue.MatchRunID(id), Child: catalogue.ChildID(p.Child), Neither: p.Neither}
		for _, pl := range p.Ranked {
			prefs[i].Ranked = append(prefs[i].Ranked, catalogue.PlacementID(pl))
		}
	}
	alloc, err := s.matching.SetPreferences(c.Request.Context(), principal(c), catalogue.MatchRunID(id), prefs)
	if err != nil {
		return err
	}
	out := make([]runAllocationDTO, len(alloc))
	for i, a := range alloc {
		out[i] = fromRunAllocation(a)
	}
	c.JSON(http.StatusOK, runAllocationResponse{Allocation: out})
	return nil
}

func (s *server) listAllocation(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := runPage(c)
	if err != nil {
		return err
	}
	p := principal(c)
	page, err := s.store.ListRunAllocations(c.Request.Context(), p.Scope(), catalogue.MatchRunID(id), f)
	if err != nil {
		return err
	}
	if err := s.auditRead(c, "list", fmt.Sprintf("match_run:%d/allocation", id), p.Council); err != nil {
		return err
	}
	c.JSON(http.StatusOK, pageOf(page, fromRunAllocation))
	return nil
}
