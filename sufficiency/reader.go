package sufficiency

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

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

// maxReaders bounds the readers' reports worked out on demand (For, ForRegion) kept with a
// report (the least recently asked for goes); those prepared (Prepare) are all kept.
const maxReaders = 16

// readerCache keeps the readers' reports of one report.
type readerCache struct {
	mu    sync.Mutex
	order []string // area codes, least recently used first
	byKey map[string]*readerEntry
}

type readerEntry struct {
	once     sync.Once
	r        atomic.Pointer[Report] // set once worked out
	prepared bool                   // by Prepare: never evicted (readerCache.mu)
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
	e := r.readers.entry(code, false)
	r.work(e, ar, code, level)
	return e.r.Load(), nil
}

// work works out the report of area ar's staff into e, once.
func (r *Report) work(e *readerEntry, ar *AreaReport, code string, level Level) {
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
		e.r.Store(out)
	})
}

// entry returns the cache entry of council, made if missing, and marks it most recently used;
// prepared marks it kept for the report's lifetime.
func (c *readerCache) entry(council string, prepared bool) *readerEntry {
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
	e.prepared = e.prepared || prepared
	onDemand := func(k string) bool { return !c.byKey[k].prepared }
	for n := len(slices.DeleteFunc(slices.Clone(c.order), func(k string) bool { return !onDemand(k) })); n > maxReaders; n-- {
		i := slices.IndexFunc(c.order, onDemand)
		delete(c.byKey, c.order[i])
		c.order = slices.Delete(c.order, i, i+1)
	}
	return e
}

// done returns council's report when it has been worked out, else nil.
func (c *readerCache) done(council string) *Report {
	c.mu.Lock()
	e := c.byKey[council]
	c.mu.Unlock()
	if e == nil {
		return nil
	}
	return e.r.Load()
}

// Readers' reports are worked out when the report is refreshed, never on a request's path
// (issue 21 item 6): whoever refreshes the report calls Prepare with the councils and regions
// that have readers (1 to 2 CPU-seconds each at national scale), and a request takes
// PreparedFor or PreparedForRegion, which never compute. Until an area's report is prepared (a
// reader scoped to an area that had none when the report was refreshed), the request gets the
// published report, every small count withheld, with a note saying the area's own figures are
// being prepared; the caller starts Prepare for it in the background.

// Prepare works out the reports of the staff of areas (ONS codes of councils or regions), those
// not yet worked out, one after another, and keeps them with the report for its lifetime. It
// stops when ctx ends.
func (r *Report) Prepare(ctx context.Context, areas ...string) error {
	for _, code := range areas {
		if err := ctx.Err(); err != nil {
			return err
		}
		ar, ok := r.Area(code)
		if !ok || ar.Area.Level == LevelEngland || r.an == nil || r.Reader != "" {
			return fmt.Errorf("sufficiency: %w", catalogue.Invalid("area", "%s is not a council or region of the report", code))
		}
		r.work(r.readers.entry(code, true), ar, code, ar.Area.Level)
	}
	return nil
}

// PreparedFor is For without computing: the report of council's staff when it has been
// prepared (true), else the published report with a note that the council's own figures are
// being prepared (false). The empty council is the published report.
func (r *Report) PreparedFor(council catalogue.CouncilCode) (*Report, bool, error) {
	if council == "" {
		return r, true, nil
	}
	return r.preparedArea(string(council), LevelCouncil, "council", "must be the ONS code of an English upper-tier council")
}

// PreparedForRegion is ForRegion without computing, as PreparedFor.
func (r *Report) PreparedForRegion(region catalogue.RegionCode) (*Report, bool, error) {
	if region == "" {
		return r, true, nil
	}
	return r.preparedArea(string(region), LevelRegion, "region", "must be the ONS code of an English region (E12000001 to E12000009)")
}

func (r *Report) preparedArea(code string, level Level, field, rule string) (*Report, bool, error) {
	if r.Reader != "" {
		return r, true, nil
	}
	ar, ok := r.Area(code)
	if !ok || ar.Area.Level != level || r.an == nil {
		return nil, false, fmt.Errorf("sufficiency: %w", catalogue.Invalid(field, "%s", rule))
	}
	if out := r.readers.done(code); out != nil {
		return out, true, nil
	}
	pending := *r
	pending.Notes = append([]string{fmt.Sprintf("The figures of %s shown in full to its own staff are being prepared: until they are, these are the published figures, with every count from 1 to 4 withheld. Ask again in a minute.", ar.Area.Name)}, r.Notes...)
	return &pending, false, nil
}
