package api

import (
	"context"
	"slices"
	"time"

	"github.com/placematch/placematch/aggregate"
	"github.com/placematch/placematch/catalogue"
	"github.com/placematch/placematch/sufficiency"
)

// The readers' views of the sufficiency report (a council's staff see its figures unwithheld,
// a region's commissioner the region's: sufficiency.Report.For) cost a second or two each at
// national scale, so they are never worked out on a request's path (issue 21 item 6). The
// report's refresh, in the background, prepares those of every council and region that has a
// reader (a live token or account scoped to it) before the report is served. A reader scoped to
// an area that had none at the refresh gets the published figures, with a note that their own
// are being prepared, while they are worked out in the background, once per report.

// readerRoles are the roles that see their own area's figures unwithheld (reportFor).
var readerRoles = []catalogue.Role{catalogue.RoleOfficer, catalogue.RoleManager, catalogue.RoleCommissioner}

// computeReport computes the sufficiency report, then the views of the areas with readers; a
// view not prepared (the computation's time ran out) is prepared when first asked for.
func (s *server) computeReport(ctx context.Context) (*sufficiency.Report, error) {
	r, err := s.suff.Compute(ctx, nil)
	if err != nil {
		return nil, err
	}
	areas, err := s.readerAreas(ctx)
	if err == nil {
		err = r.Prepare(ctx, areas...)
	}
	if err != nil {
		s.log.Warn("readers' sufficiency figures not prepared with the report", "err", err)
	}
	return r, nil
}

// readerAreas lists the councils and regions that live tokens (every account has its own) of
// readerRoles are scoped to.
func (s *server) readerAreas(ctx context.Context) ([]string, error) {
	tokens, err := s.store.ListTokens(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []string
	for _, t := range tokens {
		if !t.Live(now) || !slices.Contains(readerRoles, t.Role) {
			continue
		}
		switch {
		case t.Council != "":
			out = append(out, string(t.Council))
		case t.Region != "":
			out = append(out, string(t.Region))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// reportFor is the sufficiency report as p may see it. Disclosure control is for figures shown
// outside the council they are about: a council's own staff (officers, managers, a council's
// commissioner) see its figures unwithheld, and everything else protected against what they
// know (sufficiency.Report.For), and a region's commissioner its region's and its councils'
// (ForRegion); administrators and national commissioners see the published report. A view not
// yet prepared is the published report with a note, and is prepared in the background.
func (s *server) reportFor(r *sufficiency.Report, p catalogue.Principal) (*sufficiency.Report, error) {
	if !slices.Contains(readerRoles, p.Role) {
		return r, nil
	}
	var out *sufficiency.Report
	var ready bool
	var err error
	area := string(p.Council)
	if area != "" {
		out, ready, err = r.PreparedFor(p.Council)
	} else {
		area = string(p.Region)
		out, ready, err = r.PreparedForRegion(p.Region)
	}
	if err == nil && !ready {
		key := aggregate.Key{Route: sufficiencyKey.Route, Scope: "reader:" + area, Params: "report=" + r.ComputedAt.UTC().Format(time.RFC3339Nano)}
		aggregate.Warm(s.agg, key, func(ctx context.Context) (bool, error) { return true, r.Prepare(ctx, area) })
	}
	return out, err
}
