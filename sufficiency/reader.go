package sufficiency

import (
	"fmt"
	"sync"

	"github.com/placematch/placematch/catalogue"
)

// Who sees what. Disclosure control is for publication and for figures shown outside the
// council they are about: a council's own officers, managers and commissioners know their
// children already, so they see their own council's figures unwithheld. Everything else stays
// protected against what they know: the report is suppressed again with their council's figures
// shown and barred from protecting any other (Report.For), so that another council's small count
// cannot be worked out by taking the council's own figures away from its region's, or by any
// other combination of relations (the same certified changes and DfE rule as the published
// report, none of them through the council's figures).

// maxReaders bounds the readers' reports kept with a report (the least recently asked for goes).
const maxReaders = 16

// readerCache keeps the readers' reports of one report.
type readerCache struct {
	mu    sync.Mutex
	order []string // area codes, least recently used first
	byKey map[string]*readerEntry
}

type readerEntry struct {
	once sync.Once
	r    *Report
}

// For returns the report as the staff of council see it: the council's own figures unwithheld
// and every other figure protected against them. The empty council is the published report.
// Reports for readers are worked out once and kept (a few at a time).
func (r *Report) For(council catalogue.CouncilCode) (*Report, error) {
	if council == "" {
		return r, nil
	}
	return r.forArea(string(council), LevelCouncil, "council", "must be the ONS code of an English upper-tier council")
}

// ForRegion returns the report as a region's commissioner (a regional care co-operative's) sees
// it: the region's figures and its councils' unwithheld, every other figure protected against
// them. The empty region is the published report.
func (r *Report) ForRegion(region catalogue.RegionCode) (*Report, error) {
	if region == "" {
		return r, nil
	}
	return r.forArea(string(region), LevelRegion, "region", "must be the ONS code of an English region (E12000001 to E12000009)")
}

func (r *Report) forArea(code string, level Level, field, rule string) (*Report, error) {
	if r.Reader != "" {
		return r, nil
	}
	ar, ok := r.Area(code)
	if !ok || ar.Area.Level != level || r.an == nil {
		return nil, fmt.Errorf("sufficiency: %w", catalogue.Invalid(field, "%s", rule))
	}
	e := r.readers.entry(code)
	e.once.Do(func() {
		known := make([]bool, len(r.an.areas.list))
		at := r.index[code]
		known[at] = true
		if level == LevelRegion {
			for _, c := range r.an.areas.councils[at] {
				known[c] = true
			}
		}
		out := r.an.publishFor(r.ComputedAt, known)
		out.Today, out.DataAsOf, out.ComputedAt, out.Took, out.Matcher = r.Today, r.DataAsOf, r.ComputedAt, r.Took, r.Matcher
		out.Reader = code
		for i := range out.Areas { // model estimates, not counts: the same for every reader
			out.Areas[i].Forecast = r.Areas[i].Forecast
		}
		out.forecast = r.forecast
		whose := "its own figures are"
		if level == LevelRegion {
			whose = "its own figures and its councils' are"
		}
		out.Notes = append([]string{fmt.Sprintf("These figures are for the staff of %s: %s shown in full, however small; other areas' counts from 1 to 4 are withheld, with whatever would give them away to someone who knows %[1]s's own.", ar.Area.Name, whose)}, out.Notes...)
		e.r = out
	})
	return e.r, nil
}

// entry returns the cache entry of council, made if missing, and marks it most recently used.
func (c *readerCache) entry(council string) *readerEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[string]*readerEntry{}
	}
	for i, k := range c.order {
		if k == council {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	c.order = append(c.order, council)
	e, ok := c.byKey[council]
	if !ok {
		e = &readerEntry{}
		c.byKey[council] = e
	}
	if len(c.order) > maxReaders {
		delete(c.byKey, c.order[0])
		c.order = c.order[1:]
	}
	return e
}
