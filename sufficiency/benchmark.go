package sufficiency

import (
	"fmt"
	"slices"

	"github.com/placematch/placematch/catalogue"
)

// Benchmark sets a council beside its region and England, with its rank among councils.
type Benchmark struct {
	Council, Region, England Area
	Rows                     []BenchmarkRow
}

// BenchmarkRow is one figure for the council, its region and England.
type BenchmarkRow struct {
	Key, Label               string
	Council, Region, England Figure
	// Rank is the council's place among the councils whose figure is shown, 1 the best (equal
	// figures share a rank); withheld with the council's figure; not applicable for figures
	// with no better direction. Of is how many councils were ranked.
	Rank   Figure
	Of     int
	Better string // "higher", "lower" or "" (not ranked)
}

// benchmarkFigures are the figures a benchmark shows, with the direction that is better.
var benchmarkFigures = []struct {
	key, label, better string
	get                func(*AreaReport) Figure
}{
	{"waiting", "Children waiting", "", func(a *AreaReport) Figure { return a.All().Metrics.Waiting }},
	{"two_choices_pct", "With two real choices (%)", "higher", func(a *AreaReport) Figure { return a.All().Metrics.TwoChoicesPct }},
	{"no_choice_pct", "With no real choice (%)", "lower", func(a *AreaReport) Figure { return a.All().Metrics.NoChoicePct }},
	{"mean_suitable", "Suitable placements per child", "higher", func(a *AreaReport) Figure { return a.All().Metrics.MeanSuitable }},
	{"matched_pct", "Placed by the joint match (%)", "higher", func(a *AreaReport) Figure { return a.All().Metrics.MatchedPct }},
	{"with_backup_pct", "Placed with a back-up (%)", "higher", func(a *AreaReport) Figure { return a.All().Metrics.WithBackupPct }},
	{"beyond_20_pct", "Placed over 20 miles from home (%)", "lower", func(a *AreaReport) Figure { return a.All().Metrics.Beyond20Pct }},
	{"outside_pct", "Placed outside the council (%)", "lower", func(a *AreaReport) Figure { return a.All().Metrics.OutsidePct }},
	{"siblings_together_pct", "Brothers and sisters kept together (%)", "higher", func(a *AreaReport) Figure { return a.All().Metrics.SiblingsTogetherPct }},
	{"average_score", "Average match score (0 to 1)", "higher", func(a *AreaReport) Figure { return a.All().Metrics.AverageScore }},
	{"average_weekly_cost", "Average weekly cost (£)", "lower", func(a *AreaReport) Figure { return a.All().Metrics.AverageWeeklyCost }},
	{"vacant_places", "Vacant places in the area", "", func(a *AreaReport) Figure { return CountFigure(a.Capacity[len(a.Capacity)-1].Vacant) }},
	{"vacant_per_child", "Vacant places in the area per child waiting", "higher", func(a *AreaReport) Figure {
		return ratio(float64(a.Capacity[len(a.Capacity)-1].Vacant), a.All().Metrics.Waiting, 2)
	}},
	{"staying_put_per_young_person", "Staying Put places per young person turning 18", "higher", func(a *AreaReport) Figure {
		m := a.All().Metrics
		return ratio(m.StayingPutPlaces.Value(), m.TurningEighteen, 2)
	}},
}

// Benchmark compares a council with its region and England.
func (r *Report) Benchmark(council catalogue.CouncilCode) (*Benchmark, error) {
	ca, ok := r.Area(string(council))
	if !ok || ca.Area.Level != LevelCouncil {
		return nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid("council", "must be the ONS code of an English upper-tier council"))
	}
	ra, _ := r.Area(ca.Area.Region)
	b := &Benchmark{Council: ca.Area, Region: ra.Area, England: r.England().Area}
	for _, f := range benchmarkFigures {
		row := BenchmarkRow{Key: f.key, Label: f.label, Council: f.get(ca), Region: f.get(ra), England: f.get(r.England()), Better: f.better}
		if f.better != "" {
			row.Rank, row.Of = r.rank(ca, f.get, f.better == "higher")
		}
		b.Rows = append(b.Rows, row)
	}
	return b, nil
}

// rank places a council among the councils whose figure is shown (competition ranking).
func (r *Report) rank(ca *AreaReport, get func(*AreaReport) Figure, higher bool) (Figure, int) {
	var vals []float64
	for i := range r.Areas {
		if r.Areas[i].Area.Level != LevelCouncil {
			continue
		}
		if f := get(&r.Areas[i]); f.Shown() {
			vals = append(vals, f.Value())
		}
	}
	mine := get(ca)
	switch {
	case mine.Withheld():
		return withheldFigure(), len(vals)
	case !mine.Shown():
		return Figure{}, len(vals)
	}
	slices.Sort(vals)
	better := 0
	for _, v := range vals {
		if (higher && v > mine.Value()) || (!higher && v < mine.Value()) {
			better++
		}
	}
	return CountFigure(better + 1), len(vals)
}
