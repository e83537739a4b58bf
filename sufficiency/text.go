package sufficiency

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes a view as a plain-text report, as `placematch sufficiency` prints it.
func WriteText(w io.Writer, r *Report, v *View) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	scope := v.Scope.Area
	title := "Sufficiency report: " + scope.Name
	if v.Filter.Segment != "" && len(v.Areas) > 0 {
		title += ", children " + v.Areas[0].Breakdown.Label
	}
	p("%s\n%s\n", title, strings.Repeat("=", len(title)))
	p("Figures for %s; catalogue read %s; computed %s in %s.\n", r.Today.Format("2 January 2006"),
		r.DataAsOf.UTC().Format("2006-01-02 15:04 MST"), r.ComputedAt.UTC().Format("2006-01-02 15:04 MST"), r.Took.Round(time.Millisecond))
	p("Joint match: %s.\n\n", r.Matcher)

	main := v.Areas[0]
	writeSummary(tw, &main.Metrics, r.PriceBasis())
	if v.Filter.Segment == "" {
		writeCapacity(tw, v.Scope)
	}
	tw.Flush()

	if v.Filter.Segment == "" {
		writeStayingPut(tw, v)
		tw.Flush()
		writeReferrals(w, v.Scope)
		writeFrameworkPrices(w, r, v.Scope)
		writeForecast(w, v.Scope)
	}

	if v.Benchmark != nil {
		b := v.Benchmark
		p("\nBenchmark\t%s\t%s\t%s\trank\t\n", b.Council.Name, b.Region.Name, b.England.Name)
		for _, row := range b.Rows {
			rank := ""
			if row.Better != "" {
				rank = fmt.Sprintf("%s of %d", row.Rank, row.Of)
			}
			p("%s\t%s\t%s\t%s\t%s\t\n", row.Label, row.Council, row.Region, row.England, rank)
		}
		tw.Flush()
	}

	if len(v.Areas) > 1 {
		label := "Areas"
		switch scope.Level {
		case LevelEngland:
			label = "Regions and councils"
		case LevelRegion:
			label = "Councils of " + scope.Name
		case LevelCouncil:
			label = "Compared with"
		}
		p("\n%s\twaiting\ttwo choices %%\tnone %%\tplaced %%\tover 20 miles %%\toutside %%\tsiblings together %%\tscore\t\n", label)
		rows := v.Areas[1:]
		if scope.Level == LevelEngland {
			// Regions, then the councils with the most children short of two choices.
			var regions, councils []Row
			for _, row := range rows {
				if row.Area.Level == LevelRegion {
					regions = append(regions, row)
				} else if row.Metrics.Waiting.Value() > 0 || row.Metrics.Waiting.Withheld() {
					councils = append(councils, row)
				}
			}
			slices.SortStableFunc(councils, func(a, b Row) int {
				return cmp.Compare(b.Metrics.ShortOfTwo.Value(), a.Metrics.ShortOfTwo.Value())
			})
			if len(councils) > 20 {
				councils = councils[:20]
			}
			rows = append(regions, councils...)
		}
		for _, row := range rows {
			m := row.Metrics
			p("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row.Area.Name, m.Waiting, m.TwoChoicesPct, m.NoChoicePct, m.MatchedPct,
				m.Beyond20Pct, m.OutsidePct, m.SiblingsTogetherPct, m.AverageScore)
		}
		tw.Flush()
	}

	if len(v.Breakdowns) > 0 {
		for _, d := range []Dimension{DimKeyNeed, DimAgeBand, DimCareType, DimSegment} {
			head := map[Dimension]string{DimKeyNeed: "By key need", DimAgeBand: "By age", DimCareType: "By care type", DimSegment: "Need segments"}[d]
			p("\n%s\twaiting\ttwo choices %%\tnone %%\tplaced %%\tsuitable per child\tplaces that can meet them\t\n", head)
			for _, row := range v.Breakdowns {
				if row.Breakdown.Dimension != d {
					continue
				}
				m := row.Metrics
				p("%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", row.Breakdown.Label, m.Waiting, m.TwoChoicesPct, m.NoChoicePct, m.MatchedPct,
					m.MeanSuitable, m.SuitablePlaces)
			}
			tw.Flush()
		}
	}

	if v.Equity != nil && v.Filter.Segment == "" {
		p("\nEquity\twaiting\ttwo choices %%\tgap\tplaced %%\tgap\twithin 20 miles %%\tsiblings together %%\tscore\t\n")
		a := v.Equity.All
		p("all children\t%s\t%s\t\t%s\t\t%s\t%s\t%s\t\n", a.Waiting, a.TwoChoicesPct, a.MatchedPct, a.Within20Pct, a.SiblingsTogetherPct, a.AverageScore)
		var why []string
		for _, d := range v.Equity.Dimensions {
			for _, g := range d.Groups {
				mark := ""
				if g.FaresWorse {
					mark = " *"
					for _, e := range g.Explanations {
						why = append(why, "  "+g.Noun+": "+e.Text)
					}
				}
				p("%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", g.Breakdown.Label, mark, g.Waiting, g.TwoChoicesPct, signed(g.TwoChoicesGap),
					g.MatchedPct, signed(g.MatchedGap), g.Within20Pct, g.SiblingsTogetherPct, g.AverageScore)
			}
		}
		tw.Flush()
		if len(why) > 0 {
			fmt.Fprintln(w, "\n* fares worse than all children, beyond what chance would give. Why:")
			for _, s := range why {
				fmt.Fprintln(w, s)
			}
		}
		fmt.Fprintln(w)
		writeEquitySentences(w, v.Equity)
	}
	if len(v.Research) > 0 && v.Filter.Segment == "" {
		fmt.Fprintln(w, "\nDoes this catalogue repeat the research finding that teenagers, disabled children, Black and mixed-heritage children and large sibling groups wait longest?")
		for _, f := range v.Research {
			fmt.Fprintf(w, "  %s: %s\n", f.Claim, f.Text)
		}
	}
	fmt.Fprintln(w, "\nNotes")
	for _, n := range r.Notes {
		fmt.Fprintln(w, "  "+n)
	}
	return nil
}

// writeEquitySentences writes each group's sentence ("Disabled children: 71.7% had two real
// choices, against 76.1% of all children."), one a line.
func writeEquitySentences(w io.Writer, e *Equity) {
	for _, d := range e.Dimensions {
		for _, g := range d.Groups {
			fmt.Fprintln(w, "  "+g.Text)
		}
	}
}

func writeSummary(tw *tabwriter.Writer, m *Metrics, basis string) {
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("Children waiting\t%s\t\t\n", m.Waiting)
	p("  with two real choices\t%s\t%s%%\t\n", m.TwoChoices, m.TwoChoicesPct)
	p("  with one\t%s\t%s%%\t\n", m.OneChoice, m.OneChoicePct)
	p("  with none\t%s\t%s%%\t\n", m.NoChoice, m.NoChoicePct)
	p("  suitable placements per child\t%s\t\t\n", m.MeanSuitable)
	p("  placements that can meet them\t%d\t(%d places)\t\n", m.SuitablePlacements, m.SuitablePlaces)
	p("Placed by the joint match\t%s\t%s%%\t\n", m.Matched, m.MatchedPct)
	p("  with a back-up\t%s\t%s%%\t\n", m.WithBackup, m.WithBackupPct)
	p("  not placed\t%s\t%s%%\t\n", m.Unmatched, m.UnmatchedPct)
	p("  over 20 miles from home\t%s\t%s%% of placed\t\n", m.Beyond20, m.Beyond20Pct)
	p("  outside their council\t%s\t%s%% of placed\t\n", m.OutsideCouncil, m.OutsidePct)
	p("  outside and over 20 miles (DfE)\t%s\t%s%% of placed\t\n", m.OutsideBeyond20, m.OutsideBeyond20Pct)
	p("Waiting with brothers and sisters\t%s\t\t\n", m.SiblingsWaiting)
	p("  kept together\t%s\t%s%%\t\n", m.SiblingsTogether, m.SiblingsTogetherPct)
	p("  placed apart\t%s\t%s%%\t\n", m.SiblingsApart, m.SiblingsApartPct)
	if m.Groups.Shown() || m.Groups.Withheld() {
		p("  sibling groups\t%s\t(together %s, apart %s, not placed %s)\t\n", m.Groups, m.GroupsTogether, m.GroupsApart, m.GroupsUnplaced)
	}
	p("Average match score\t%s\t\t\n", m.AverageScore)
	p("Average weekly cost\t£%s\t(all placed £%s; %s)\t\n", m.AverageWeeklyCost, m.TotalWeeklyCost, basis)
	if len(m.Obstacles) > 0 {
		p("\nShort of two choices: %s\truled out a home\talone kept one\t%% of them\t\n", m.ShortOfTwo)
		for _, o := range m.Obstacles {
			ruled := o.RuledOut.String()
			if !o.RuledOut.Shown() && !o.RuledOut.Withheld() {
				ruled = "-"
			}
			p("  %s\t%s\t%s\t%s\t\n", o.Label, ruled, o.Only, o.OnlyPct)
		}
	}
}

func writeCapacity(tw *tabwriter.Writer, a *AreaReport) {
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("\nCapacity (places)\tplacements\tapproved\tfilled\theld\tvacant\tnot available\t\n")
	for _, c := range a.Capacity {
		p("%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", strings.ReplaceAll(c.Kind, "_", " "), c.Placements, c.Approved, c.Filled, c.Held, c.Vacant, c.NotAvailable)
	}
	if len(a.Stability) == 0 {
		return
	}
	p("\nStability\tchildren\tof\t%%\t\n")
	for _, s := range a.Stability {
		p("%s\t%s\t%s\t%s\t\n", s.Label, s.Count, s.Denominator, s.Percent)
	}
}

// writeStayingPut writes the leaving-care figures of the view's areas: the scope's, then its
// regions and the councils with the most young people short of a Staying Put place (England),
// its councils (a region), or its region and England (a council).
func writeStayingPut(tw *tabwriter.Writer, v *View) {
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	m := v.Areas[0].Metrics
	p("\nLeaving care: Staying Put and Staying Close\t\t\n")
	p("  young people in care turning 18 in the next two years (aged 16 or 17)\t%s\t\n", m.TurningEighteen)
	p("  of them fostered, who may stay on with their own carers after 18 (s23CZA)\t%s\t\n", m.StayingPutEligible)
	p("  of those, whose own carers are not willing or have not said (the gap)\t%s\t\n", m.StayingPutGap)
	p("  of them in children's homes (Staying Close)\t%s\t\n", m.StayingClose)
	p("  foster and kinship households willing to offer Staying Put\t%s\t\n", m.StayingPutHouseholds)
	p("  their places, filled or free\t%s\t\n", m.StayingPutPlaces)
	p("\nFoster supply (vacant places)\t\t\n")
	p("  with the council's own carers\t%s\t\n", m.OwnFosterPlaces)
	p("  with other councils' own carers, shared by an agreement\t%s\t\n", m.SharedInFosterPlaces)
	p("  with agency carers in the area\t%s\t\n", m.AgencyFosterPlaces)
	p("\nChildren living in settings not registered with Ofsted (the council must act)\t%s\t\n", m.Unregistered)
	writeKinCaring(p, &m)
	rows := StayingPutRows(v)
	if len(rows) == 0 {
		return
	}
	p("\nStaying Put\tyoung people turning 18\tfostered\ttheir carers not willing\tStaying Close\tplaces\t\n")
	for _, row := range rows {
		m := row.Metrics
		p("%s\t%s\t%s\t%s\t%s\t%s\t\n", row.Area.Name, m.TurningEighteen, m.StayingPutEligible, m.StayingPutGap, m.StayingClose, m.StayingPutPlaces)
	}
}

// maxStayingPutCouncils bounds the councils England's Staying Put table lists.
const maxStayingPutCouncils = 10

// StayingPutRows are the areas a view sets the scope's Staying Put figures beside, with their
// all-children rows (where the leaving-care figures are): for England, the regions and then the
// councils with the largest shown gaps (most fostered young people whose own carers are not
// willing, at most 10); for a
// region, its councils; for a council, its region and England. Empty when the view is of one
// segment.
func StayingPutRows(v *View) []Row {
	if v.Filter.Segment != "" || len(v.Areas) < 2 {
		return nil
	}
	rows := v.Areas[1:]
	if v.Scope.Area.Level != LevelEngland {
		return rows
	}
	var regions, councils []Row
	for _, row := range rows {
		switch {
		case row.Area.Level == LevelRegion:
			regions = append(regions, row)
		case row.Metrics.StayingPutGap.Shown() && row.Metrics.StayingPutGap.Value() > 0:
			councils = append(councils, row)
		}
	}
	slices.SortStableFunc(councils, func(a, b Row) int {
		return cmp.Compare(b.Metrics.StayingPutGap.Value(), a.Metrics.StayingPutGap.Value())
	})
	return append(regions, councils[:min(len(councils), maxStayingPutCouncils)]...)
}

// signed prints a gap with its sign.
func signed(f Figure) string {
	if f.Shown() && f.Value() > 0 {
		return "+" + f.String()
	}
	return f.String()
}

// WriteWhatIfText writes a what-if's outcome: what was added, and the changes to England and to
// each area where something changed.
func WriteWhatIfText(w io.Writer, c *Comparison) error {
	fmt.Fprintln(w, "What if:")
	for _, a := range c.Added {
		fmt.Fprintf(w, "  %d %s (%d places) in %s\n", a.Placements, kindName(a.Kind)+"s", a.Places, a.Council.Name)
	}
	fmt.Fprintf(w, "Rerun in %s.\n", c.Took.Round(time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	shown := 0
	for _, rc := range c.Changes {
		if rc.Breakdown.Dimension != DimAll && rc.Area.Level != LevelEngland {
			continue
		}
		if shown == 0 {
			fmt.Fprintf(tw, "\n\tbefore\tafter\tchange\t\n")
		}
		shown++
		head := rc.Area.Name
		if rc.Breakdown.Dimension != DimAll {
			head += ", children " + rc.Breakdown.Label
		}
		fmt.Fprintf(tw, "%s\t\t\t\t\n", head)
		for _, f := range rc.Fields {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", f.Label, f.Before, f.After, signed(f.Change))
		}
	}
	if shown == 0 {
		fmt.Fprintln(tw, "No figure changed.")
	}
	return tw.Flush()
}

// WritePlanText writes the recruitment planner's answer.
func WritePlanText(w io.Writer, p *Plan) error {
	fmt.Fprintf(w, "Recruitment plan: %s, %d places, ages %d to %d", kindName(p.Profile.Kind), p.Profile.Places, p.Profile.MinAge, p.Profile.MaxAge)
	if p.Profile.SiblingGroups {
		fmt.Fprint(w, ", approved for brothers and sisters")
	}
	if len(p.Profile.Skills) > 0 {
		var s []string
		for _, k := range p.Profile.Skills {
			s = append(s, string(k))
		}
		fmt.Fprintf(w, ", skills %s", strings.Join(s, ", "))
	}
	fmt.Fprintf(w, " (planned in %s).\n", p.Took.Round(time.Millisecond))
	fmt.Fprintf(w, "Real choices missing for every child waiting to have two: %s before, %s after the plan.\n", p.GapBefore, p.GapAfter)
	if t := p.Target; t != nil {
		fmt.Fprintf(w, "Target from the demand forecast: %d children in %s care on %s against %d approved places: %d carers.\n",
			t.Need, t.Category, t.On.Format("2 January 2006"), t.Places, t.Carers)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "carer\tcouncil\tchoices added\tchildren reaching two\tgap closed so far\t\n")
	for _, st := range p.Steps {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", st.Step, st.Council.Name, st.Gain, st.ReachTwo, st.Closed)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p.Stopped != "" {
		fmt.Fprintln(w, p.Stopped)
	}
	if p.Comparison != nil {
		fmt.Fprintln(w)
		return WriteWhatIfText(w, p.Comparison)
	}
	return nil
}
