package sufficiency

import (
	"fmt"

	"github.com/placematch/placematch/catalogue"
)

// Filter narrows a report to what one reader asks for. Zero fields do not filter.
type Filter struct {
	Council catalogue.CouncilCode
	Region  catalogue.RegionCode
	Segment string // a breakdown key (see ParseBreakdown)
}

// View is a part of a report, as the API, the dashboard and the command line show it.
type View struct {
	Filter Filter
	// Scope is the area the view is about: England, a region or a council.
	Scope *AreaReport
	// Areas are rows of the breakdown asked for (all children unless a segment is given): the
	// scope, then its parts (England: the regions and councils; a region: its councils) or, for
	// a council, its region and England.
	Areas []Row
	// Breakdowns are the scope's rows of every breakdown with a child waiting (left out when a
	// segment is asked for).
	Breakdowns []Row
	Benchmark  *Benchmark // for a council
	Equity     *Equity
	Research   []Finding
}

// View returns the part of the report a filter asks for.
func (r *Report) View(f Filter) (*View, error) {
	v := &View{Filter: f, Scope: r.England()}
	if f.Region != "" {
		ar, ok := r.Area(string(f.Region))
		if !ok || ar.Area.Level != LevelRegion {
			return nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid("region", "must be the ONS code of an English region (E12000001 to E12000009)"))
		}
		v.Scope = ar
	}
	if f.Council != "" {
		ar, ok := r.Area(string(f.Council))
		if !ok || ar.Area.Level != LevelCouncil {
			return nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid("council", "must be the ONS code of an English upper-tier council"))
		}
		if f.Region != "" && ar.Area.Region != string(f.Region) {
			return nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid("council", "is not in the region given"))
		}
		v.Scope = ar
	}
	key := string(DimAll)
	if f.Segment != "" {
		b, err := ParseBreakdown(f.Segment)
		if err != nil {
			return nil, err
		}
		key = b.Key()
	}
	var areas []*AreaReport
	switch v.Scope.Area.Level {
	case LevelEngland:
		for i := range r.Areas {
			areas = append(areas, &r.Areas[i])
		}
	case LevelRegion:
		areas = append(areas, v.Scope)
		for i := range r.Areas {
			if r.Areas[i].Area.Level == LevelCouncil && r.Areas[i].Area.Region == v.Scope.Area.Code {
				areas = append(areas, &r.Areas[i])
			}
		}
	default:
		ra, _ := r.Area(v.Scope.Area.Region)
		areas = append(areas, v.Scope, ra, r.England())
	}
	for _, ar := range areas {
		if row, ok := ar.Row(key); ok {
			v.Areas = append(v.Areas, *row)
		} else {
			v.Areas = append(v.Areas, Row{Area: ar.Area, Breakdown: breakdowns[mustIndex(key)], Metrics: emptyMetrics()})
		}
	}
	if f.Segment == "" {
		v.Breakdowns = append(v.Breakdowns, v.Scope.Rows[1:]...)
	}
	if v.Scope.Area.Level == LevelCouncil {
		b, err := r.Benchmark(catalogue.CouncilCode(v.Scope.Area.Code))
		if err != nil {
			return nil, err
		}
		v.Benchmark = b
	}
	v.Equity, _ = r.Equity(v.Scope.Area.Code)
	v.Research, _ = r.Research(v.Scope.Area.Code)
	return v, nil
}

func mustIndex(key string) int {
	i, _ := breakdownIndex(key)
	return i
}

// emptyMetrics are the figures of a row no child is in: zeros, and percentages not applicable.
func emptyMetrics() Metrics {
	z := CountFigure(0)
	return Metrics{Waiting: z, TwoChoices: z, OneChoice: z, NoChoice: z, ShortOfTwo: z, Matched: z, WithBackup: z, Unmatched: z,
		Within20: z, Beyond20: z, HomeUnknown: z, InsideCouncil: z, OutsideCouncil: z,
		SiblingsWaiting: z, SiblingsTogether: z, SiblingsApart: z, SiblingsUnplaced: z}
}
