package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// Sufficiency is the sufficiency analysis: where need outstrips supply, for whom, and what
// recruiting would change. Its reports are aggregates only, with small counts withheld, so the
// commissioner role may read them.
type Sufficiency interface {
	// Compute computes a report now from a fresh snapshot of the catalogue, reporting progress
	// to progress (which may be nil). The API keeps the last report with its other aggregates
	// and serves it while a new one is computed; what-ifs and plans rerun it.
	Compute(ctx context.Context, progress func(stage string, done, total int)) (*sufficiency.Report, error)
	// MaxAge is how long a report is served before a new one is computed.
	MaxAge() time.Duration
}

// figureDTO is a published figure: a number, "c" when withheld, null when not applicable.
type figureDTO sufficiency.Figure

func (f figureDTO) MarshalJSON() ([]byte, error) { return sufficiency.Figure(f).MarshalJSON() }

// JSONSchema describes a figure for the OpenAPI document.
func (figureDTO) JSONSchema() map[string]any {
	return map[string]any{
		"description": `a number; "c" when withheld (a count of children from 1 to 4, or a figure that would give one away); null when not applicable`,
		"anyOf":       []any{map[string]any{"type": "number"}, map[string]any{"type": "string", "enum": []string{"c"}}, map[string]any{"type": "null"}},
	}
}

func fig(f sufficiency.Figure) figureDTO { return figureDTO(f) }

type areaDTO struct {
	Level  string `json:"level"` // england, region or council
	Code   string `json:"code"`
	Name   string `json:"name"`
	Region string `json:"region,omitempty"`
}

func fromArea(a sufficiency.Area) areaDTO {
	return areaDTO{Level: string(a.Level), Code: a.Code, Name: a.Name, Region: a.Region}
}

type breakdownDTO struct {
	Key       string `json:"key"` // all, age_band:16_plus, segment:16_plus/childrens_home/none
	Dimension string `json:"dimension"`
	Value     string `json:"value"`
	Label     string `json:"label"`
}

func fromBreakdown(b sufficiency.Breakdown) breakdownDTO {
	return breakdownDTO{Key: b.Key(), Dimension: string(b.Dimension), Value: b.Value, Label: b.Label}
}

type obstacleDTO struct {
	Constraint string    `json:"constraint"`
	Label      string    `json:"label"`
	RuledOut   figureDTO `json:"ruled_out"` // children short of two choices for whom it ruled a home out
	Only       figureDTO `json:"only"`      // for whom it alone kept a home from them
	OnlyPct    figureDTO `json:"only_pct"`  // of children short of two choices
}

// rowDTO is one area and breakdown's figures, keyed as in the CSV export.
type rowDTO struct {
	Area      areaDTO              `json:"area"`
	Breakdown breakdownDTO         `json:"breakdown"`
	Metrics   map[string]figureDTO `json:"metrics"`
	Obstacles []obstacleDTO        `json:"obstacles"`
}

func fromRow(r sufficiency.Row) rowDTO {
	out := rowDTO{Area: fromArea(r.Area), Breakdown: fromBreakdown(r.Breakdown), Metrics: map[string]figureDTO{}, Obstacles: []obstacleDTO{}}
	for _, f := range r.Metrics.Fields() {
		out.Metrics[f.Key] = fig(f.Figure)
	}
	for _, o := range r.Metrics.Obstacles {
		out.Obstacles = append(out.Obstacles, obstacleDTO{Constraint: string(o.Constraint), Label: o.Label,
			RuledOut: fig(o.RuledOut), Only: fig(o.Only), OnlyPct: fig(o.OnlyPct)})
	}
	return out
}

func fromRows(rs []sufficiency.Row) []rowDTO {
	out := make([]rowDTO, 0, len(rs))
	for _, r := range rs {
		out = append(out, fromRow(r))
	}
	return out
}

type capacityDTO struct {
	Kind         string `json:"kind"` // a placement kind, or all
	Placements   int    `json:"placements"`
	Approved     int    `json:"approved"`
	Filled       int    `json:"filled"`
	Held         int    `json:"held"`
	Vacant       int    `json:"vacant"`
	NotAvailable int    `json:"not_available"`
}

type suffIndicatorDTO struct {
	Name        string    `json:"name"`
	Label       string    `json:"label"`
	Count       figureDTO `json:"count"`
	Denominator figureDTO `json:"denominator"`
	Percent     figureDTO `json:"percent"`
}

type benchmarkRowDTO struct {
	Key     string    `json:"key"`
	Label   string    `json:"label"`
	Council figureDTO `json:"council"`
	Region  figureDTO `json:"region"`
	England figureDTO `json:"england"`
	Rank    figureDTO `json:"rank"` // 1 is best, among the councils whose figure is shown
	Of      int       `json:"of"`
	Better  string    `json:"better"` // higher, lower, or empty when not ranked
}

type benchmarkDTO struct {
	Council areaDTO           `json:"council"`
	Region  areaDTO           `json:"region"`
	England areaDTO           `json:"england"`
	Rows    []benchmarkRowDTO `json:"rows"`
}

type outcomesDTO struct {
	Waiting             figureDTO `json:"waiting"`
	TwoChoicesPct       figureDTO `json:"two_choices_pct"`
	MatchedPct          figureDTO `json:"matched_pct"`
	Within20Pct         figureDTO `json:"within_20_pct"`
	SiblingsTogetherPct figureDTO `json:"siblings_together_pct"`
	AverageScore        figureDTO `json:"average_score"`
	MeanSuitable        figureDTO `json:"mean_suitable"`
}

func fromOutcomes(o sufficiency.EquityOutcomes) outcomesDTO {
	return outcomesDTO{Waiting: fig(o.Waiting), TwoChoicesPct: fig(o.TwoChoicesPct), MatchedPct: fig(o.MatchedPct),
		Within20Pct: fig(o.Within20Pct), SiblingsTogetherPct: fig(o.SiblingsTogetherPct), AverageScore: fig(o.AverageScore),
		MeanSuitable: fig(o.MeanSuitable)}
}

type gapsDTO struct {
	TwoChoices       figureDTO `json:"two_choices"`
	Matched          figureDTO `json:"matched"`
	Within20         figureDTO `json:"within_20"`
	SiblingsTogether figureDTO `json:"siblings_together"`
	Score            figureDTO `json:"score"`
}

type explanationDTO struct {
	Kind       string    `json:"kind"` // supply or constraint
	Constraint string    `json:"constraint,omitempty"`
	Group      figureDTO `json:"group"`
	All        figureDTO `json:"all"`
	Text       string    `json:"text"`
}

// equityIntervalDTO is a group's 95% Wilson interval of a share, in percent.
type equityIntervalDTO struct {
	Low  figureDTO `json:"low"`
	High figureDTO `json:"high"`
}

type decompositionPartDTO struct {
	Explanation string    `json:"explanation"` // care_type, siblings, needs or area
	Label       string    `json:"label"`
	Points      figureDTO `json:"points"` // of the gap, this explanation alone
}

// decompositionDTO is one outcome's gap of a group that fares worse, decomposed: the points
// the explanations together account for and the points left unexplained (sufficiency.Decomposition).
type decompositionDTO struct {
	Outcome     string                 `json:"outcome"` // two_choices or matched
	Group       figureDTO              `json:"group"`   // the group's share, %
	All         figureDTO              `json:"all"`     // all children's share, %
	Gap         figureDTO              `json:"gap"`     // points fewer
	Explained   figureDTO              `json:"explained"`
	Unexplained figureDTO              `json:"unexplained"`
	Parts       []decompositionPartDTO `json:"parts"`
	Text        string                 `json:"text"`
}

type equityGroupDTO struct {
	Breakdown breakdownDTO `json:"breakdown"`
	Noun      string       `json:"noun"`
	Outcomes  outcomesDTO  `json:"outcomes"`
	Gaps      gapsDTO      `json:"gaps"` // to all children, in percentage points (score: in score)
	// The group's 95% Wilson intervals of its shares with two real choices and placed.
	TwoChoicesInterval equityIntervalDTO `json:"two_choices_interval"`
	MatchedInterval    equityIntervalDTO `json:"matched_interval"`
	// FaresWorse: a gap of 5 points or more beyond what chance would give; WithinChance: a gap
	// as large that chance could give.
	FaresWorse     bool               `json:"fares_worse"`
	WithinChance   bool               `json:"within_chance"`
	Explanations   []explanationDTO   `json:"explanations"`
	Decompositions []decompositionDTO `json:"decompositions"`
	Text           string             `json:"text"` // how the group fares, as a commissioner would write it
}

type equityDimensionDTO struct {
	Dimension string           `json:"dimension"`
	Groups    []equityGroupDTO `json:"groups"`
}

type equityDTO struct {
	Area       areaDTO              `json:"area"`
	All        outcomesDTO          `json:"all"`
	Dimensions []equityDimensionDTO `json:"dimensions"`
}

func fromEquity(e *sufficiency.Equity) *equityDTO {
	if e == nil {
		return nil
	}
	out := &equityDTO{Area: fromArea(e.Area), All: fromOutcomes(e.All), Dimensions: []equityDimensionDTO{}}
	for _, d := range e.Dimensions {
		dd := equityDimensionDTO{Dimension: string(d.Dimension), Groups: []equityGroupDTO{}}
		for _, g := range d.Groups {
			gd := equityGroupDTO{Breakdown: fromBreakdown(g.Breakdown), Noun: g.Noun, Outcomes: fromOutcomes(g.EquityOutcomes),
				Gaps: gapsDTO{TwoChoices: fig(g.TwoChoicesGap), Matched: fig(g.MatchedGap), Within20: fig(g.Within20Gap),
					SiblingsTogether: fig(g.SiblingsTogetherGap), Score: fig(g.ScoreGap)},
				TwoChoicesInterval: equityIntervalDTO{Low: fig(g.TwoChoicesLow), High: fig(g.TwoChoicesHigh)},
				MatchedInterval:    equityIntervalDTO{Low: fig(g.MatchedLow), High: fig(g.MatchedHigh)},
				FaresWorse:         g.FaresWorse, WithinChance: g.WithinChance,
				Explanations: []explanationDTO{}, Decompositions: []decompositionDTO{}, Text: g.Text}
			for _, x := range g.Explanations {
				gd.Explanations = append(gd.Explanations, explanationDTO{Kind: x.Kind, Constraint: x.Constraint, Group: fig(x.Group), All: fig(x.All), Text: x.Text})
			}
			for _, x := range g.Decompositions {
				dd := decompositionDTO{Outcome: x.Outcome, Group: fig(x.Group), All: fig(x.All), Gap: fig(x.Gap), Explained: fig(x.Explained),
					Unexplained: fig(x.Unexplained), Parts: []decompositionPartDTO{}, Text: x.Text}
				for _, p := range x.Parts {
					dd.Parts = append(dd.Parts, decompositionPartDTO{Explanation: p.Explanation, Label: p.Label, Points: fig(p.Points)})
				}
				gd.Decompositions = append(gd.Decompositions, dd)
			}
			dd.Groups = append(dd.Groups, gd)
		}
		out.Dimensions = append(out.Dimensions, dd)
	}
	return out
}

type findingDTO struct {
	Claim            string       `json:"claim"`
	Breakdown        breakdownDTO `json:"breakdown"`
	TwoChoicesPct    figureDTO    `json:"two_choices_pct"`
	AllTwoChoicesPct figureDTO    `json:"all_two_choices_pct"`
	UnmatchedPct     figureDTO    `json:"unmatched_pct"`
	AllUnmatchedPct  figureDTO    `json:"all_unmatched_pct"`
	Verdict          string       `json:"verdict"`
	Text             string       `json:"text"`
}

type filterDTO struct {
	Council string `json:"council"`
	Region  string `json:"region"`
	Segment string `json:"segment"`
}

// reportDTO is GET /v1/sufficiency: one view of the report.
type reportDTO struct {
	Today      string    `json:"today"`
	DataAsOf   time.Time `json:"data_as_of"`
	ComputedAt time.Time `json:"computed_at"`
	FreshUntil time.Time `json:"fresh_until"`
	TookMs     int64     `json:"took_ms"`
	Matcher    string    `json:"matcher"`
	// OwnArea is the council or region whose figures this report shows unwithheld, to its own
	// staff (empty: the published report, every count from 1 to 4 withheld).
	OwnArea           string `json:"own_area"`
	StabilityRecorded bool   `json:"stability_recorded"`
	// PriceYear is the price basis of every money figure: the financial year of the report's
	// day, "2026-27" (not the day the report was computed).
	PriceYear  string             `json:"price_year"`
	Notes      []string           `json:"notes"`
	Filter     filterDTO          `json:"filter"`
	Scope      areaDTO            `json:"scope"`
	Areas      []rowDTO           `json:"areas"`
	Breakdowns []rowDTO           `json:"breakdowns"`
	Capacity   []capacityDTO      `json:"capacity"`
	Stability  []suffIndicatorDTO `json:"stability"`
	Benchmark  *benchmarkDTO      `json:"benchmark"`
	Equity     *equityDTO         `json:"equity"`
	Research   []findingDTO       `json:"research"`
	// Referrals are the scope's referral figures; null when the store keeps no referrals.
	Referrals *referralsDTO `json:"referrals"`
	// Forecast is the scope's forecast need against its places now, year by year, category by
	// category (a model's estimates rounded to whole children, not counts: not withheld); null
	// when the service makes no forecast.
	Forecast []forecastRowDTO `json:"forecast"`
}

// forecastRowDTO is one category's forecast need on a 31 March. Places and shortfall are null
// for "other" (placed for adoption, with parents and the like), which no placement supplies.
type forecastRowDTO struct {
	YearEnd   string `json:"year_end"`
	Category  string `json:"category"` // foster, kinship, residential, supported or other
	Expected  int    `json:"expected"`
	Low80     int    `json:"low_80"`
	High80    int    `json:"high_80"`
	Places    *int   `json:"places_now"`
	Shortfall *int   `json:"shortfall"`
}

func fromForecast(a *sufficiency.AreaReport) []forecastRowDTO {
	rows := sufficiency.ForecastRows(a)
	if rows == nil {
		return nil
	}
	out := make([]forecastRowDTO, len(rows))
	for i, f := range rows {
		out[i] = forecastRowDTO{YearEnd: f.On.Format(time.DateOnly), Category: f.Category, Expected: f.Expected, Low80: f.Low, High80: f.High}
		if f.Places >= 0 {
			out[i].Places, out[i].Shortfall = &rows[i].Places, &rows[i].Shortfall
		}
	}
	return out
}

func fromView(r *sufficiency.Report, v *sufficiency.View, freshUntil time.Time) reportDTO {
	out := reportDTO{
		Today: r.Today.Format(time.DateOnly), DataAsOf: r.DataAsOf.UTC(), ComputedAt: r.ComputedAt.UTC(), FreshUntil: freshUntil.UTC(),
		TookMs: r.Took.Milliseconds(), Matcher: r.Matcher, OwnArea: r.Reader, StabilityRecorded: r.StabilityRecorded, PriceYear: r.PriceYear(), Notes: r.Notes,
		Filter: filterDTO{Council: string(v.Filter.Council), Region: string(v.Filter.Region), Segment: v.Filter.Segment},
		Scope:  fromArea(v.Scope.Area), Areas: fromRows(v.Areas), Breakdowns: fromRows(v.Breakdowns),
		Capacity: []capacityDTO{}, Stability: []suffIndicatorDTO{}, Equity: fromEquity(v.Equity), Research: []findingDTO{},
		Referrals: fromReferrals(r, v), Forecast: fromForecast(v.Scope),
	}
	for _, c := range v.Scope.Capacity {
		out.Capacity = append(out.Capacity, capacityDTO{Kind: c.Kind, Placements: c.Placements, Approved: c.Approved, Filled: c.Filled,
			Held: c.Held, Vacant: c.Vacant, NotAvailable: c.NotAvailable})
	}
	for _, s := range v.Scope.Stability {
		out.Stability = append(out.Stability, suffIndicatorDTO{Name: s.Name, Label: s.Label, Count: fig(s.Count), Denominator: fig(s.Denominator), Percent: fig(s.Percent)})
	}
	if b := v.Benchmark; b != nil {
		bd := &benchmarkDTO{Council: fromArea(b.Council), Region: fromArea(b.Region), England: fromArea(b.England), Rows: []benchmarkRowDTO{}}
		for _, row := range b.Rows {
			bd.Rows = append(bd.Rows, benchmarkRowDTO{Key: row.Key, Label: row.Label, Council: fig(row.Council), Region: fig(row.Region),
				England: fig(row.England), Rank: fig(row.Rank), Of: row.Of, Better: row.Better})
		}
		out.Benchmark = bd
	}
	for _, f := range v.Research {
		out.Research = append(out.Research, findingDTO{Claim: f.Claim, Breakdown: fromBreakdown(f.Breakdown), TwoChoicesPct: fig(f.TwoChoicesPct),
			AllTwoChoicesPct: fig(f.AllTwoChoicesPct), UnmatchedPct: fig(f.UnmatchedPct), AllUnmatchedPct: fig(f.AllUnmatchedPct),
			Verdict: f.Verdict, Text: f.Text})
	}
	return out
}

// sufficiencyView reads the filter of a sufficiency request and returns the report's copy and
// its view.
func (s *server) sufficiencyView(c *gin.Context, q *query) (aggregate.Copy[*sufficiency.Report], *sufficiency.View, error) {
	var cp aggregate.Copy[*sufficiency.Report]
	f := sufficiency.Filter{Council: catalogue.CouncilCode(q.str("council")), Region: catalogue.RegionCode(q.str("region")), Segment: q.str("segment")}
	if err := q.err(); err != nil {
		return cp, nil, err
	}
	p := principal(c)
	cp, err := s.report(c, p.Token)
	if err != nil {
		return cp, nil, err
	}
	if cp.Value, err = s.reportFor(cp.Value, p); err != nil {
		return cp, nil, err
	}
	v, err := cp.Value.View(f)
	if err != nil {
		return cp, nil, err
	}
	return cp, v, nil
}

// getSufficiency answers GET /v1/sufficiency: the report for England, a region or a council,
// all children or one breakdown, as JSON or CSV.
func (s *server) getSufficiency(c *gin.Context) error {
	q := newQuery(c)
	format := q.str("format")
	if format != "" && format != "json" && format != "csv" {
		q.fail("format", "must be csv or json")
	}
	table := q.str("table")
	switch {
	case table != "" && format != "csv":
		q.fail("table", "is for format=csv: the JSON has every table")
	case table != "" && !slices.Contains(sufficiency.Tables, table):
		q.fail("table", "must be one of %v", sufficiency.Tables)
	}
	cp, v, err := s.sufficiencyView(c, q)
	if err != nil {
		return err
	}
	r, fresh := cp.Value, cp.ComputedAt.Add(s.suff.MaxAge())
	c.Header("Last-Modified", r.ComputedAt.UTC().Format(http.TimeFormat))
	if format == "csv" {
		var buf bytes.Buffer
		if err := sufficiency.WriteTableCSV(&buf, r, v, table); err != nil {
			return err
		}
		name := "sufficiency"
		if table != "" && table != "areas" {
			name += "-" + table
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
		return nil
	}
	c.JSON(http.StatusOK, fromView(r, v, fresh))
	return nil
}

// locationPointDTO is where a what-if places new carers; the council's centre when left out.
type profileDTO struct {
	Kind                 string   `json:"kind"` // council_foster (default), agency_foster, childrens_home or supported_accommodation
	Places               int      `json:"places"`
	MinAge               int      `json:"min_age"`
	MaxAge               int      `json:"max_age"`
	Sexes                []string `json:"sexes"`
	SiblingGroups        bool     `json:"sibling_groups"`
	Purposes             []string `json:"purposes"`
	Skills               []string `json:"skills"`
	Languages            []string `json:"languages"`
	Religion             string   `json:"religion"`
	Ethnicity            string   `json:"ethnicity"`
	WheelchairAccessible bool     `json:"wheelchair_accessible"`
	Pets                 []string `json:"pets"`
	Smoking              bool     `json:"smoking"`
	LongTerm             bool     `json:"long_term"`
	StayingPut           bool     `json:"staying_put"`
	Experience           int      `json:"experience"`
	WeeklyCost           int      `json:"weekly_cost"`
}

func (p profileDTO) profile() sufficiency.Profile {
	out := sufficiency.Profile{Kind: catalogue.PlacementKind(p.Kind), Places: p.Places, MinAge: p.MinAge, MaxAge: p.MaxAge,
		SiblingGroups: p.SiblingGroups, Languages: p.Languages, Religion: catalogue.Religion(p.Religion),
		Ethnicity: catalogue.EthnicGroup(p.Ethnicity), WheelchairAccessible: p.WheelchairAccessible, Smoking: p.Smoking,
		LongTerm: p.LongTerm, StayingPut: p.StayingPut, Experience: p.Experience, WeeklyCost: p.WeeklyCost}
	for _, x := range p.Sexes {
		out.Sexes = append(out.Sexes, catalogue.Sex(x))
	}
	for _, x := range p.Purposes {
		out.Purposes = append(out.Purposes, catalogue.Purpose(x))
	}
	for _, x := range p.Skills {
		out.Skills = append(out.Skills, catalogue.Skill(x))
	}
	for _, x := range p.Pets {
		out.Pets = append(out.Pets, catalogue.Animal(x))
	}
	return out
}

func fromProfile(p sufficiency.Profile) profileDTO {
	out := profileDTO{Kind: string(p.Kind), Places: p.Places, MinAge: p.MinAge, MaxAge: p.MaxAge, SiblingGroups: p.SiblingGroups,
		Languages: p.Languages, Religion: string(p.Religion), Ethnicity: string(p.Ethnicity), WheelchairAccessible: p.WheelchairAccessible,
		Smoking: p.Smoking, LongTerm: p.LongTerm, StayingPut: p.StayingPut, Experience: p.Experience, WeeklyCost: p.WeeklyCost,
		Sexes: []string{}, Purposes: []string{}, Skills: []string{}, Pets: []string{}}
	for _, x := range p.Sexes {
		out.Sexes = append(out.Sexes, string(x))
	}
	for _, x := range p.Purposes {
		out.Purposes = append(out.Purposes, string(x))
	}
	for _, x := range p.Skills {
		out.Skills = append(out.Skills, string(x))
	}
	for _, x := range p.Pets {
		out.Pets = append(out.Pets, string(x))
	}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	return out
}

type additionDTO struct {
	Council  string       `json:"council"`
	Count    int          `json:"count"`              // default 1
	Location *locationDTO `json:"location,omitempty"` // default: the council's centre
	Profile  profileDTO   `json:"profile"`
}

// whatIfRequest is the body of POST /v1/sufficiency/what-if.
type whatIfRequest struct {
	Additions []additionDTO `json:"additions"`
}

type addedDTO struct {
	Council    areaDTO `json:"council"`
	Kind       string  `json:"kind"`
	Placements int     `json:"placements"`
	Places     int     `json:"places"`
}

type changeDTO struct {
	Key    string    `json:"key"`
	Label  string    `json:"label"`
	Before figureDTO `json:"before"`
	After  figureDTO `json:"after"`
	Change figureDTO `json:"change"`
}

type rowChangeDTO struct {
	Area      areaDTO      `json:"area"`
	Breakdown breakdownDTO `json:"breakdown"`
	Fields    []changeDTO  `json:"fields"`
}

// whatIfDTO is a what-if's answer: what was added, and every figure that changed.
type whatIfDTO struct {
	ComputedAt       time.Time      `json:"computed_at"` // when it was worked out; the Age header says how long ago
	Added            []addedDTO     `json:"added"`
	BeforeComputedAt time.Time      `json:"before_computed_at"`
	TookMs           int64          `json:"took_ms"`
	England          rowDTO         `json:"england_after"`
	Changes          []rowChangeDTO `json:"changes"`
}

func fromComparison(c *sufficiency.Comparison) *whatIfDTO {
	if c == nil {
		return nil
	}
	out := &whatIfDTO{Added: []addedDTO{}, BeforeComputedAt: c.Before.ComputedAt.UTC(), TookMs: c.Took.Milliseconds(),
		England: fromRow(*c.After.England().All()), Changes: []rowChangeDTO{}}
	for _, a := range c.Added {
		out.Added = append(out.Added, addedDTO{Council: fromArea(a.Council), Kind: string(a.Kind), Placements: a.Placements, Places: a.Places})
	}
	for _, rc := range c.Changes {
		d := rowChangeDTO{Area: fromArea(rc.Area), Breakdown: fromBreakdown(rc.Breakdown), Fields: []changeDTO{}}
		for _, f := range rc.Fields {
			d.Fields = append(d.Fields, changeDTO{Key: f.Key, Label: f.Label, Before: fig(f.Before), After: fig(f.After), Change: fig(f.Change)})
		}
		out.Changes = append(out.Changes, d)
	}
	return out
}

// whatIf answers POST /v1/sufficiency/what-if: the report rerun with carers or homes added.
func (s *server) whatIf(c *gin.Context) error {
	var body whatIfRequest
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	var sc sufficiency.Scenario
	for _, a := range body.Additions {
		add := sufficiency.Addition{Council: catalogue.CouncilCode(a.Council), Count: a.Count, Profile: a.Profile.profile()}
		if a.Location != nil {
			add.Location = catalogue.Location{Lat: a.Location.Lat, Lng: a.Location.Lng}
		}
		sc.Additions = append(sc.Additions, add)
	}
	out, err := s.whatIfAnswer(c, sc)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// whatIfAnswer is the answer to a what-if, for the JSON route and the workspace's form alike.
func (s *server) whatIfAnswer(c *gin.Context, sc sufficiency.Scenario) (whatIfDTO, error) {
	// A what-if reruns the whole report: it is an aggregate like the others, kept for the same
	// question asked again (as its answer only: the report rerun is large) and charged to the
	// caller.
	k := aggregate.Key{Route: "/v1/sufficiency/what-if", Scope: "england", Params: digest(sc)}
	cp, err := aggregateFor(c, s, principal(c).Token, k, s.suff.MaxAge(), func(ctx context.Context) (*whatIfDTO, error) {
		r, err := s.reportWithin(ctx)
		if err != nil {
			return nil, err
		}
		cmp, err := r.WhatIf(ctx, sc)
		if err != nil {
			return nil, err
		}
		return fromComparison(cmp), nil
	})
	if err != nil {
		return whatIfDTO{}, err
	}
	out := *cp.Value // a copy: the cached answer is shared
	out.ComputedAt = cp.ComputedAt.UTC()
	return out, nil
}

// planRequestDTO is the body of POST /v1/sufficiency/plan.
type planRequestDTO struct {
	Profile profileDTO `json:"profile"`
	Carers  int        `json:"carers"`
	Within  []string   `json:"within"` // councils the carers may go to; empty: any
	Verify  bool       `json:"verify"` // rerun the report with the plan's carers to show every figure's change
}

type planStepDTO struct {
	Step     int       `json:"step"`
	Council  areaDTO   `json:"council"`
	Gain     figureDTO `json:"gain"`      // real choices added for children short of two
	ReachTwo figureDTO `json:"reach_two"` // children reaching two real choices
	Closed   figureDTO `json:"closed"`    // the gap closed so far
}

type planDTO struct {
	Profile    profileDTO    `json:"profile"`
	Steps      []planStepDTO `json:"steps"`
	GapBefore  figureDTO     `json:"gap_before"`
	GapAfter   figureDTO     `json:"gap_after"`
	Stopped    string        `json:"stopped,omitempty"`
	TookMs     int64         `json:"took_ms"`
	Comparison *whatIfDTO    `json:"comparison"`
	ComputedAt time.Time     `json:"computed_at"` // when it was worked out; the Age header says how long ago
}

// plan answers POST /v1/sufficiency/plan: where the next carers of a profile would close the
// most of the choice gap, carer by carer.
func (s *server) plan(c *gin.Context) error {
	var body planRequestDTO
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	req := sufficiency.PlanRequest{Profile: body.Profile.profile(), Carers: body.Carers, Verify: body.Verify}
	for _, code := range body.Within {
		req.Within = append(req.Within, catalogue.CouncilCode(code))
	}
	out, err := s.planAnswer(c, req)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// planAnswer is the recruitment planner's answer, for the JSON route and the workspace's form.
func (s *server) planAnswer(c *gin.Context, req sufficiency.PlanRequest) (planDTO, error) {
	// Like a what-if, a plan is kept as its answer, for the same question asked again.
	k := aggregate.Key{Route: "/v1/sufficiency/plan", Scope: "england", Params: digest(req)}
	cp, err := aggregateFor(c, s, principal(c).Token, k, s.suff.MaxAge(), func(ctx context.Context) (*planDTO, error) {
		r, err := s.reportWithin(ctx)
		if err != nil {
			return nil, err
		}
		p, err := r.Plan(ctx, req)
		if err != nil {
			return nil, err
		}
		out := planDTO{Profile: fromProfile(p.Profile), Steps: []planStepDTO{}, GapBefore: fig(p.GapBefore), GapAfter: fig(p.GapAfter),
			Stopped: p.Stopped, TookMs: p.Took.Milliseconds(), Comparison: fromComparison(p.Comparison)}
		for _, st := range p.Steps {
			out.Steps = append(out.Steps, planStepDTO{Step: st.Step, Council: fromArea(st.Council), Gain: fig(st.Gain), ReachTwo: fig(st.ReachTwo), Closed: fig(st.Closed)})
		}
		return &out, nil
	})
	if err != nil {
		return planDTO{}, err
	}
	out := *cp.Value // a copy: the cached answer is shared
	out.ComputedAt = cp.ComputedAt.UTC()
	if out.Comparison != nil {
		cmp := *out.Comparison
		cmp.ComputedAt = out.ComputedAt
		out.Comparison = &cmp
	}
	return out, nil
}

// sufficiencyFor builds the default analysis over the Store's catalogue and policies, for a
// Config without one.
func sufficiencyFor(cfg Config) (Sufficiency, error) {
	sc := sufficiency.ServiceConfig{Source: cfg.Store, Policies: cfg.Store, Now: cfg.Now, Logger: cfg.Logger}
	if rs, ok := cfg.Store.(sufficiency.ReferralSource); ok {
		sc.Referrals = rs
	}
	if ks, ok := cfg.Store.(sufficiency.KinCaringSource); ok {
		sc.KinCaring = ks
	}
	svc, err := sufficiency.NewService(sc)
	if err != nil {
		return nil, fmt.Errorf("api: sufficiency: %w", err)
	}
	return svc, nil
}
