package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/internal/englandmap"
	"github.com/placematch/placematch/sufficiency"
	"github.com/placematch/placematch/sufficiency/dashboard"
)

// The commissioner's journey (issue 19, journey 4), first part: the sufficiency dashboard as a
// workspace page for a person signed in, on GOV.UK's components, starting at the commissioner's
// council: the headline figures, a choropleth of the scope's councils by the share short of two
// real choices (withheld figures shown as withheld), the areas compared, and the report's CSV
// of the same view (GET /v1/sufficiency?format=csv, which a session may download). It reads
// the same report as GET /v1/sufficiency and the token dashboard (/dashboard, kept for tokens).

type sufficiencyPageView struct {
	Scope, Fresh, CSV string
	Tables            []keyValue // each table's CSV: its name in words, its address
	Planning          bool       // the what-if and the planner are the commissioner's (and admin's)
	Headline          []keyValue
	Map               mapSection
	Areas             []sufficiencyArea
	Forecast          []forecastLine // empty: no forecast
	ForecastYears     []string
}

// forecastLine is one category of the forecast table: places now, then each year's need (with
// its interval) and shortfall.
type forecastLine struct {
	Category, Places string
	Years            []forecastCell
}

// forecastCell is one year's need (with its interval) and shortfall.
type forecastCell struct{ Year, Need, Short string }

type sufficiencyArea struct {
	Name, Href                                                string
	Waiting, TwoChoices, NoChoice, Placed, Beyond20, Siblings string
}

// sufficiencyPage answers GET /workspace/sufficiency.
func (s *server) sufficiencyPage(c *gin.Context) error {
	q := newQuery(c)
	p := principal(c)
	f := sufficiency.Filter{Council: catalogue.CouncilCode(q.str("council")), Region: catalogue.RegionCode(q.str("region"))}
	england := q.bool("england")
	if err := q.err(); err != nil {
		return err
	}
	if f.Council == "" && f.Region == "" && !england {
		f.Council, f.Region = p.Council, p.Region // a council's (a region's) commissioner starts with it
	}
	cp, err := s.report(c, p.Token)
	if err != nil {
		return err
	}
	r, err := s.reportFor(cp.Value, p)
	if err != nil {
		return err
	}
	v, err := r.View(f)
	if err != nil {
		return err
	}
	m := v.Areas[0].Metrics
	withheld := "counts from 1 to 4 are withheld, and what is made of them."
	if r.Reader != "" {
		own, _ := r.Area(r.Reader)
		withheld = own.Area.Name + "'s own figures are shown in full for its staff; other areas' counts from 1 to 4 are withheld, and what would give them away."
	}
	out := sufficiencyPageView{Scope: v.Scope.Area.Name, Planning: p.Role == catalogue.RoleCommissioner || p.Role == catalogue.RoleAdmin,
		Fresh: "Figures for " + longDate(r.Today) + ", worked out at " + r.ComputedAt.Format("15:04") + "; " + withheld,
		Headline: []keyValue{
			{"Children waiting", m.Waiting.String()},
			{"With two real choices", pct(m.TwoChoicesPct)},
			{"With no real choice", pct(m.NoChoicePct)},
			{"Placed by the joint match", pct(m.MatchedPct)},
			{"Of those placed, over 20 miles from home", pct(m.Beyond20Pct)},
			{"Brothers and sisters kept together", pct(m.SiblingsTogetherPct)},
			{"Average weekly cost", "£" + m.AverageWeeklyCost.String()},
		}}
	csv := url.Values{"format": {"csv"}}
	switch {
	case f.Council != "":
		csv.Set("council", string(f.Council))
	case f.Region != "":
		csv.Set("region", string(f.Region))
	}
	out.CSV = "/v1/sufficiency?" + csv.Encode()
	words := map[string]string{"equity": "equity: who fares worse, and why", "benchmark": "the council against its region and England",
		"capacity": "capacity (places)", "stability": "stability (DfE SSDA903 indicators)", "referrals": "referrals in the year",
		"forecast": "forecast need against places"}
	for _, t := range sufficiency.Tables[1:] {
		if t == "benchmark" && f.Council == "" || t == "forecast" && v.Scope.Forecast == nil {
			continue // a council's view only; a report with a forecast only
		}
		csv.Set("table", t)
		out.Tables = append(out.Tables, keyValue{words[t], "/v1/sufficiency?" + csv.Encode()})
	}
	for _, row := range v.Areas[1:] {
		a := sufficiencyArea{Name: row.Area.Name, Waiting: row.Metrics.Waiting.String(), TwoChoices: pct(row.Metrics.TwoChoicesPct),
			NoChoice: pct(row.Metrics.NoChoicePct), Placed: pct(row.Metrics.MatchedPct), Beyond20: pct(row.Metrics.Beyond20Pct),
			Siblings: pct(row.Metrics.SiblingsTogetherPct)}
		switch row.Area.Level {
		case sufficiency.LevelCouncil:
			a.Href = "?council=" + row.Area.Code
		case sufficiency.LevelRegion:
			a.Href = "?region=" + row.Area.Code
		default:
			a.Href = "?england=true"
		}
		out.Areas = append(out.Areas, a)
	}
	out.Forecast, out.ForecastYears = forecastTable(v.Scope)
	out.Map = gapMap(r, v)
	return s.renderWorkspace(c, http.StatusOK, "sufficiency", pageData{Title: "Sufficiency: " + v.Scope.Area.Name, Body: out})
}

// gapMap is the choropleth of a view's councils by the share of their children waiting short
// of two real choices: England's councils for England, a region's for a region, and for a
// council its region's, framed on the council.
func gapMap(r *sufficiency.Report, v *sufficiency.View) mapSection {
	scope := v.Scope.Area
	region := scope.Code
	if scope.Level == sufficiency.LevelCouncil {
		region = scope.Region
	}
	m := englandmap.Map{ID: "gap-map", Fill: map[string]string{}, Title: "Map of " + scope.Name + ": the share of children waiting short of two real choices",
		Summary: "Each council is coloured by the share of its children waiting without two real choices; the table beside the map gives each figure."}
	sec := mapSection{Caption: "Short of two real choices, by council", Head: []string{"Council", "Children waiting", "Short of two real choices"}, Source: mapSource}
	for i := range r.Areas {
		ar := &r.Areas[i]
		if ar.Area.Level != sufficiency.LevelCouncil || (scope.Level != sufficiency.LevelEngland && ar.Area.Region != region) {
			continue
		}
		met := ar.All().Metrics
		m.Fill[ar.Area.Code] = dashboard.GapColour(met.ShortOfTwoPct)
		if scope.Level != sufficiency.LevelCouncil {
			m.Councils = append(m.Councils, ar.Area.Code)
		}
		sec.Rows = append(sec.Rows, []string{ar.Area.Name, met.Waiting.String(), dashboard.GapText(met)})
	}
	if scope.Level == sufficiency.LevelCouncil {
		m.Councils = []string{scope.Code}
	}
	colours, labels := dashboard.GapKey()
	for i := range colours {
		sec.Legend = append(sec.Legend, legendItem{colours[i], labels[i]})
	}
	sec.SVG = svgHTML(m)
	return sec
}

func pct(f sufficiency.Figure) string {
	if f.Shown() {
		return f.String() + "%"
	}
	if f.Withheld() {
		return "withheld"
	}
	return "none"
}

// forecastTable is the scope's forecast as the page shows it: a line a category, a column pair
// (need with its 80% interval, shortfall) a year.
func forecastTable(a *sufficiency.AreaReport) ([]forecastLine, []string) {
	rows := sufficiency.ForecastRows(a)
	if rows == nil {
		return nil, nil
	}
	var lines []forecastLine
	var years []string
	byCategory := map[string]int{}
	dash := func(n int) string {
		if n < 0 {
			return "–"
		}
		return strconv.Itoa(n)
	}
	for _, f := range rows {
		i, ok := byCategory[f.Category]
		if !ok {
			i = len(lines)
			byCategory[f.Category] = i
			lines = append(lines, forecastLine{Category: forecastWords[f.Category], Places: dash(f.Places)})
		}
		if i == 0 {
			years = append(years, longDate(f.On))
		}
		lines[i].Years = append(lines[i].Years, forecastCell{longDate(f.On), fmt.Sprintf("%d (%d to %d)", f.Expected, f.Low, f.High), dash(f.Shortfall)})
	}
	return lines, years
}

// forecastWords name the forecast's categories on the page.
var forecastWords = map[string]string{"foster": "Foster care", "kinship": "Kinship (family and friends) care",
	"residential": "Children's homes", "supported": "Supported accommodation (16 and 17)", "other": "Other (with parents, placed for adoption, elsewhere)"}
