package sufficiency

import (
	"context"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/placematch/placematch/catalogue"
)

// A demand forecast (package forecast, wired in by the command) says how many children of a set
// of councils will be looked after on each of the next 31 Marches, by placement category: the
// need a council must plan sufficient accommodation for (Children Act 1989 s22G). Given one, the
// report sets each area's forecast need against the places that can meet it, and the
// recruitment planner, asked for no number of carers, recruits to the forecast's shortfall.

// DemandForecast forecasts the need for care of the children of a set of councils: their
// number on each of the next 31 Marches by NeedCategories, in order.
type DemandForecast interface {
	Need(ctx context.Context, councils []catalogue.CouncilCode) ([]NeedYear, error)
}

// DemandSource gives the demand forecast as of a day, from what it reads then (the service asks
// once for each report).
type DemandSource interface {
	Demand(ctx context.Context, today time.Time) (DemandForecast, error)
}

// NeedCategories are the placement categories of a demand forecast, in its order, with the
// kinds of placement whose places meet each one's need ("other": placed for adoption, with
// parents, in hospital and the like, which no placement of the catalogue supplies).
var NeedCategories = []struct {
	Name  string
	Kinds []catalogue.PlacementKind
}{
	{"foster", []catalogue.PlacementKind{catalogue.CouncilFoster, catalogue.AgencyFoster}},
	{"kinship", []catalogue.PlacementKind{catalogue.Kinship}},
	{"residential", []catalogue.PlacementKind{catalogue.ChildrensHome}},
	{"supported", []catalogue.PlacementKind{catalogue.SupportedAccommodation}},
	{"other", nil},
}

// NeedYear is the forecast for one 31 March: each category's expected number of children
// looked after, and the 80% interval around it.
type NeedYear struct {
	On                  time.Time
	Expected, Low, High []float64 // by NeedCategories
}

// ForecastFigures are an area's forecast need against its supply. The forecasts are a model's
// estimates, rounded to whole children, not counts of children: they are not withheld.
type ForecastFigures struct {
	Years []NeedYear
	// Places are the approved places (filled or free) of the placements in the area of each
	// category's kinds, by NeedCategories: the supply the need is set against.
	Places []int
}

// Shortfall is the children the forecast expects in category i on year y beyond the area's
// places, or 0; -1 for a category no placement supplies.
func (f *ForecastFigures) Shortfall(y, i int) int {
	if NeedCategories[i].Kinds == nil {
		return -1
	}
	return max(0, int(math.Round(f.Years[y].Expected[i]))-f.Places[i])
}

// AddForecast sets every area's forecast need against its places: England's, each region's and
// each council's, from the forecast of their children.
func (r *Report) AddForecast(ctx context.Context, f DemandForecast) error {
	all := make([]catalogue.CouncilCode, 0, len(r.Areas))
	byRegion := map[string][]catalogue.CouncilCode{}
	for _, a := range r.Areas {
		if a.Area.Level == LevelCouncil {
			all = append(all, catalogue.CouncilCode(a.Area.Code))
			byRegion[a.Area.Region] = append(byRegion[a.Area.Region], catalogue.CouncilCode(a.Area.Code))
		}
	}
	for i := range r.Areas {
		a := &r.Areas[i]
		councils := all
		switch a.Area.Level {
		case LevelRegion:
			councils = byRegion[a.Area.Code]
		case LevelCouncil:
			councils = []catalogue.CouncilCode{catalogue.CouncilCode(a.Area.Code)}
		}
		years, err := f.Need(ctx, councils)
		if err != nil {
			return fmt.Errorf("sufficiency: forecasting %s: %w", a.Area.Name, err)
		}
		for _, y := range years {
			if len(y.Expected) != len(NeedCategories) || len(y.Low) != len(NeedCategories) || len(y.High) != len(NeedCategories) {
				return fmt.Errorf("sufficiency: the forecast of %s has %d categories, not %d", a.Area.Name, len(y.Expected), len(NeedCategories))
			}
		}
		a.Forecast = &ForecastFigures{Years: years, Places: placesByCategory(a)}
	}
	r.forecast = true
	return nil
}

// dropForecast takes away a forecast AddForecast gave only some areas before it failed.
func (r *Report) dropForecast() {
	for i := range r.Areas {
		r.Areas[i].Forecast = nil
	}
	r.forecast = false
}

// placesByCategory sums the area's approved places of each category's kinds.
func placesByCategory(a *AreaReport) []int {
	out := make([]int, len(NeedCategories))
	for i, c := range NeedCategories {
		for _, k := range c.Kinds {
			for _, kc := range a.Capacity {
				if kc.Kind == string(k) {
					out[i] += kc.Approved
				}
			}
		}
	}
	return out
}

// ForecastTarget is what the forecast asks the planner to recruit: the carers of the profile
// whose places would meet the forecast need of its category, at its highest over the years
// forecast, in the councils the plan may use.
type ForecastTarget struct {
	Category string
	On       time.Time // the 31 March of the highest need
	Need     int       // children expected in the category then
	Places   int       // approved places of the category's kinds now
	Carers   int       // carers of the profile to close the shortfall (0: none is short)
}

// forecastTarget is the planner's target from the forecast; false when the report has no
// forecast or the profile's kind meets no category.
func (r *Report) forecastTarget(prof Profile, councils []catalogue.CouncilCode) (ForecastTarget, bool) {
	if !r.forecast {
		return ForecastTarget{}, false
	}
	cat := -1
	for i, c := range NeedCategories {
		for _, k := range c.Kinds {
			if k == prof.Kind {
				cat = i
			}
		}
	}
	if cat < 0 {
		return ForecastTarget{}, false
	}
	t := ForecastTarget{Category: NeedCategories[cat].Name}
	need := map[time.Time]float64{}
	var years []time.Time
	for _, c := range councils {
		a, ok := r.Area(string(c))
		if !ok || a.Forecast == nil {
			continue
		}
		t.Places += a.Forecast.Places[cat]
		for _, y := range a.Forecast.Years {
			if _, seen := need[y.On]; !seen {
				years = append(years, y.On)
			}
			need[y.On] += y.Expected[cat]
		}
	}
	for _, on := range years {
		if n := int(math.Round(need[on])); n > t.Need || t.On.IsZero() {
			t.Need, t.On = n, on
		}
	}
	if short := t.Need - t.Places; short > 0 {
		t.Carers = (short + prof.Places - 1) / prof.Places
	}
	return t, true
}

// writeForecast writes the area's forecast need against its places, when it has one.
func writeForecast(w io.Writer, a *AreaReport) {
	f := a.Forecast
	if f == nil || len(f.Years) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\nNeed forecast (children looked after on 31 March, 80%% interval)\tplaces now")
	for _, y := range f.Years {
		fmt.Fprintf(tw, "\t%s\tshort", y.On.Format("2006"))
	}
	fmt.Fprintln(tw, "\t")
	for i, c := range NeedCategories {
		places := "-"
		if c.Kinds != nil {
			places = fmt.Sprint(f.Places[i])
		}
		fmt.Fprintf(tw, "%s\t%s", c.Name, places)
		for y, ny := range f.Years {
			short := "-"
			if s := f.Shortfall(y, i); s >= 0 {
				short = fmt.Sprint(s)
			}
			fmt.Fprintf(tw, "\t%.0f (%.0f to %.0f)\t%s", ny.Expected[i], ny.Low[i], ny.High[i], short)
		}
		fmt.Fprintln(tw, "\t")
	}
	tw.Flush()
}

// ForecastRow is one category's forecast need on one 31 March against the area's places now,
// rounded to whole children: a row of the forecast table (CSV, API and the workspace).
type ForecastRow struct {
	On                  time.Time
	Category            string
	Expected, Low, High int // children expected, and the 80% interval
	Places, Shortfall   int // -1 for a category no placement supplies
}

// ForecastRows are an area's forecast table, year by year, category by category; nil when the
// report has no forecast.
func ForecastRows(a *AreaReport) []ForecastRow {
	f := a.Forecast
	if f == nil {
		return nil
	}
	var out []ForecastRow
	for y, ny := range f.Years {
		for i, c := range NeedCategories {
			row := ForecastRow{On: ny.On, Category: c.Name, Expected: int(math.Round(ny.Expected[i])),
				Low: int(math.Round(ny.Low[i])), High: int(math.Round(ny.High[i])), Places: -1, Shortfall: f.Shortfall(y, i)}
			if c.Kinds != nil {
				row.Places = f.Places[i]
			}
			out = append(out, row)
		}
	}
	return out
}
